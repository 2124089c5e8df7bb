/* Shared helpers for the Check suites. */
#ifndef PS_TESTUTIL_H
#define PS_TESTUTIL_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>

/* Absolute path of a file under the source tree (static buffer per call
 * site is not used: the result is malloc'd and owned by the caller). */
char *ps_test_src_path(const char *rel);

/* Absolute path under the shared corpus, or NULL when the corpus is absent. */
char *ps_test_corpus_path(const char *rel);

/* 1 when the shared corpus directory exists. */
int ps_test_have_corpus(void);

/* Reads a whole file; returns malloc'd bytes (caller frees) or NULL. */
uint8_t *ps_test_read_file(const char *path, size_t *len);

/* Decodes a file under the source tree at full size (want_full); fails the
 * test when it cannot be read or decoded. Free with ps_decoded_free(). */
struct ps_decoded;
struct ps_decoded *ps_test_decode_src(const char *rel);

/* Runs a suite, prints Check's summary, returns the process exit code:
 * 0 all passed, 1 a failure. */
int ps_test_run(Suite *s);

#endif
