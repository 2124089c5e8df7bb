/* Shared by the speed and blur bench programs. */
#ifndef PS_BENCH_SPEED_UTIL_H
#define PS_BENCH_SPEED_UTIL_H
#include <stddef.h>
#include <stdint.h>
/* Whole file into malloc'd memory (trusted local corpus); NULL on error. */
uint8_t *ps_bench_slurp(const char *path, size_t *n);
#endif
