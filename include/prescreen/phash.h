/* prescreen — perceptual hashes for duplicate-upload detection.
 *
 * A 64-bit difference hash (dHash): the image's luma is area-averaged down to
 * 9 x 8 cells and each bit says whether a cell is brighter than its right
 * neighbour. Re-encoding, resizing and mild colour changes move few bits; a
 * different photo moves about half of them. Compare two hashes with
 * ps_phash_distance (Hamming distance, 0..64).
 *
 * Thread rules: pure functions, reentrant.
 */
#ifndef PRESCREEN_PHASH_H
#define PRESCREEN_PHASH_H

#include <stdint.h>

#include "prescreen/image.h"
#include "prescreen/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Hamming distance at or under which two uploads are the same picture.
 * Measured on testdata/corpus: re-encodes and resizes of one picture stay
 * within it, different uploads are far above it (docs/operations.md). */
#define PS_PHASH_DUPLICATE_DISTANCE 6

/*! ps_phash_image() :
 *  The dHash of `img` (gray or RGB, any size >= 1 x 1; not kept).
 *  @return PS_OK and *out, or PS_E_ARG (NULL, bad image). *out is 0 on error. */
ps_status ps_phash_image(const ps_image *img, uint64_t *out);

/*! ps_phash_distance() : number of differing bits of a and b (0..64). */
int ps_phash_distance(uint64_t a, uint64_t b);

#ifdef __cplusplus
}
#endif
#endif
