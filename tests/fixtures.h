/* Test-only image writers: they make the files the decoder tests read, so no
 * binary fixture needs to be checked in and every case states how it was
 * made. Product code never links these encoders outside src/decode/. */
#ifndef PS_TEST_FIXTURES_H
#define PS_TEST_FIXTURES_H

#include <stddef.h>
#include <stdint.h>

#include "prescreen/image.h"

/* All return malloc'd bytes (caller frees) or NULL. */

/* A JPEG of `img` (RGB); orientation > 0 adds an EXIF APP1 with that tag;
 * progressive when `progressive`; CMYK when `cmyk`. */
uint8_t *fx_jpeg(const ps_image *img, int quality, int orientation, int progressive, int cmyk,
                 size_t *len);

/* A PNG of `img` in the given libpng colour type and bit depth (8 or 16; 1,
 * 2, 4 for gray/palette), interlaced when asked; alpha 128 when the colour
 * type has alpha; eXIf orientation when orientation > 0. */
uint8_t *fx_png(const ps_image *img, int color_type, int bit_depth, int interlace,
                int orientation, size_t *len);

/* A PNG whose IHDR declares w x h (valid CRC) followed by a tiny IDAT. */
uint8_t *fx_png_header_only(uint32_t w, uint32_t h, size_t *len);

/* WebP (lossy) and HEIC (HEVC) encodings of `img`; HEIC may return NULL
 * when no HEVC encoder is available. */
uint8_t *fx_webp(const ps_image *img, size_t *len);
uint8_t *fx_heic(const ps_image *img, size_t *len);

/* An RGB test card: four coloured corner blocks (TL red, TR green, BL blue,
 * BR white) on grey. */
ps_image *fx_corners(int w, int h, int block);

#endif
