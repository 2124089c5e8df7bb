/* prescreen — perceptual hashes for duplicate-upload detection.
 *
 * A 64-bit DCT hash (pHash): the image's luma is area-averaged to 32 x 32
 * cells, transformed with a 2-D DCT-II, and each of the 8 x 8 lowest
 * frequencies gives one bit: above or below the median of the 63 AC terms.
 * Re-encoding, resizing and mild colour changes move few bits; a different
 * photo moves about half of them. Compare two hashes with
 * ps_phash_distance (Hamming distance, 0..64). (A difference hash, dHash,
 * was tried first: on the corpus it put a selfie 5 bits from an address
 * proof, because flat regions make its bits noise.)
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
 * Measured on testdata/corpus (35 images): a JPEG q50 re-encode at another
 * working size moves 0-4 bits; the closest two different uploads are 16
 * bits apart (docs/operations.md). 8 sits between with room on each side. */
#define PS_PHASH_DUPLICATE_DISTANCE 8

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
