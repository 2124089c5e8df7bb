/* prescreen — a passport's machine-readable zone found in a photo (OpenCV
 * shim).
 *
 * A passport's data page is white paper: on a white or light table its edge
 * is often too faint for the outline finder, which then takes the portrait's
 * frame or a sheet beside it for the document. Its machine-readable zone
 * stays unmistakable: two lines of 44 OCR-B characters across the page,
 * dense, evenly spaced and far longer than they are tall. This call finds
 * such bands in the whole photo by their texture (dark strokes with strong
 * horizontal gradients, closed into long bars), so that they can be read
 * without an outline.
 *
 * Thread rules: reentrant; nothing is kept between calls. No C++ exception
 * crosses this boundary.
 */
#ifndef PS_CV_MRZBAND_H
#define PS_CV_MRZBAND_H

#include "prescreen/geom.h"
#include "prescreen/image.h"
#include "prescreen/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Most bands one call returns. */
#define PS_CV_MRZ_MAX 3

/*! ps_cv_find_mrz_bands() :
 *  Bands on `img` (gray or RGB, upright) that look like a machine-readable
 *  zone, most likely first, at most `max` (<= PS_CV_MRZ_MAX). Each is a
 *  quad TL, TR, BR, BL in `img` pixels with its long side left to right
 *  (the band may still be upside down), grown a little around the
 *  characters. Bands are looked for within 30 degrees of level, at least
 *  a fifth of the photo's short side long.
 *  @return PS_OK with *n set (0..max); PS_E_ARG (NULL, max out of range, a
 *          channel count other than 1 or 3); PS_E_NOMEM; PS_E_CV. */
ps_status ps_cv_find_mrz_bands(const ps_image *img, ps_point (*out)[4], int max, int *n);

#ifdef __cplusplus
}
#endif
#endif
