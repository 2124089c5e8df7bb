/* Private to the prescreen command: one file per sub-command. */
#ifndef PS_CLI_H
#define PS_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "prescreen/status.h"

/* Exit codes (SPEC §3). */
enum { PS_EXIT_OK = 0, PS_EXIT_INTERNAL = 1, PS_EXIT_USAGE = 2, PS_EXIT_REJECTED = 3 };

int ps_cli_check(int argc, char **argv);
int ps_cli_bench(int argc, char **argv);
int ps_cli_serve(int argc, char **argv);
/* queue.c: the queue and account commands. */
int ps_cli_enqueue(int argc, char **argv);
int ps_cli_work(int argc, char **argv);
int ps_cli_status(int argc, char **argv);
int ps_cli_result(int argc, char **argv);
int ps_cli_reviewer(int argc, char **argv);
int ps_cli_token(int argc, char **argv);

/* Reads at most `max` bytes of `path` (+1 to detect "over"). *over is set
 * when the file is larger. Returns malloc'd bytes or NULL (errno set). */
uint8_t *ps_cli_read_file(const char *path, uint64_t max, size_t *len, int *over);

/* Prints {"error":{...}} on stdout and returns the exit code for `st`. */
int ps_cli_fail(ps_status st, const char *message);

/* Prints a usage error on stderr and returns PS_EXIT_USAGE. */
int ps_cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
