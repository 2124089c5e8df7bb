/* prescreen — the in-memory image type and checked size arithmetic.
 *
 * A ps_image is a plain, tightly described pixel buffer: 8-bit samples,
 * 1 (gray) or 3 (RGB) channels, rows `stride` bytes apart, top row first.
 * Whoever receives a ps_image * from an allocating call owns it and releases
 * it with ps_image_free(). Images are not shared between threads while being
 * written; reading one image from several threads is safe.
 */
#ifndef PRESCREEN_IMAGE_H
#define PRESCREEN_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "prescreen/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ps_image {
    int width;       /* pixels, > 0 */
    int height;      /* pixels, > 0 */
    int channels;    /* 1 = gray, 3 = RGB */
    size_t stride;   /* bytes per row, >= width * channels */
    uint8_t *data;   /* owned by the image */
} ps_image;

/* An axis-aligned box in pixels. */
typedef struct ps_box {
    int x, y, w, h;
} ps_box;

/* A point with sub-pixel precision. */
typedef struct ps_point {
    double x, y;
} ps_point;

/*! ps_image_new() :
 *  Allocates a zero-filled width x height image of `channels` (1 or 3).
 *  `max_bytes` caps the pixel buffer (0 = no cap beyond SIZE_MAX); the size is
 *  checked in 64-bit before allocating.
 *  @return PS_OK and *out set; PS_E_ARG for bad dimensions/channels;
 *          PS_E_MEMORY_LIMIT when over `max_bytes`; PS_E_NOMEM.
 *  *out is NULL on failure. The caller owns *out. */
ps_status ps_image_new(int width, int height, int channels, uint64_t max_bytes,
                       ps_image **out);

/*! ps_image_free() : releases `*img` and sets it to NULL. Accepts NULL and
 *  a pointer to NULL. */
void ps_image_free(ps_image **img);

/*! ps_image_row() : pointer to row `y` (no bounds check beyond an assert). */
static inline uint8_t *ps_image_row(const ps_image *img, int y)
{
    return img->data + (size_t)y * img->stride;
}

/*! ps_image_clone() : deep copy; the caller owns *out. */
ps_status ps_image_clone(const ps_image *src, ps_image **out);

/*! ps_image_to_gray() : new 1-channel copy (BT.601 luma); the caller owns *out. */
ps_status ps_image_to_gray(const ps_image *src, ps_image **out);

/*! ps_image_light_text() :
 *  1 when the text in `zone` (clipped to the image) is lighter than its
 *  background: ink is the minority of a text crop, so the far tail of the
 *  luma histogram (5th or 95th percentile, whichever lies further from the
 *  median) is the text. 0 for dark text or an empty zone. */
int ps_image_light_text(const ps_image *img, ps_box zone);

/*! ps_image_hist() :
 *  Fills `hist` with the BT.601 luma histogram of `zone` of img (clipped to
 *  the image); returns its pixel count (0 for an empty zone or NULL img). */
uint64_t ps_image_hist(const ps_image *img, ps_box zone, unsigned hist[256]);

/*! ps_hist_levels() :
 *  q = the 5th, 50th and 95th percentile levels of the `n` samples in
 *  `hist` (n > 0). Pure. */
void ps_hist_levels(const unsigned hist[256], uint64_t n, int q[3]);

/*! ps_hist_light_tail() :
 *  How far the histogram's upper tail (95th percentile) lies beyond its
 *  median, minus how far the lower tail (5th) lies below it, for `n`
 *  samples in `hist`: > 0 when the minority (the ink) is lighter than the
 *  ground. 0 for n == 0. Pure. */
int ps_hist_light_tail(const unsigned hist[256], uint64_t n);

/*! ps_size_mul() : a * b into *out, in 64-bit.
 *  @return 1 on success, 0 on overflow (then *out is untouched). */
int ps_size_mul(uint64_t a, uint64_t b, uint64_t *out);

/*! ps_size_mul3() : a * b * c, as ps_size_mul(). */
int ps_size_mul3(uint64_t a, uint64_t b, uint64_t c, uint64_t *out);

#ifdef __cplusplus
}
#endif
#endif
