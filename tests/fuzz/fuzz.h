/* Shared by the fuzz targets in tests/fuzz/: the libFuzzer entry points and
 * the decode step every image target runs.
 *
 * Each fuzz_<name>.c defines LLVMFuzzerTestOneInput (and may define
 * LLVMFuzzerInitialize). Built with -DPS_FUZZ=ON they link libFuzzer;
 * otherwise they link replay_main.c, which feeds every file of the seed
 * corpus to the same function, so the corpus runs as an ordinary test. */
#ifndef PS_FUZZ_H
#define PS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "prescreen/decode.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Copies `data` and writes the magic bytes of `fmt` over its start (when
 * the input is long enough to hold them), so that every mutation reaches
 * that format's decoder rather than the sniffer's refusal; then runs the
 * whole decode step (sniff, default limits, want_full; a PDF rendered) and checks the
 * invariants of a successful result. Aborts on a broken invariant. */
void ps_fuzz_decode_as(const uint8_t *data, size_t size, ps_format fmt);

/* Checks what ps_decode promises on success (sizes, scale, images) and on
 * failure (*out NULL, an input-error or NOMEM code, a message); aborts when
 * a promise is broken, so the fuzzer reports it. */
void ps_fuzz_check_decoded(ps_status st, const ps_decoded *d, const char *msg, int want_full);

#endif
