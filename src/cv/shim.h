/* prescreen — the C face of the OpenCV shim.
 *
 * src/cv/ is the only place that includes OpenCV and the only C++ in the
 * tree. Every function here is extern "C", catches every C++ exception and
 * returns a ps_status (PS_E_CV with nothing thrown across the boundary).
 * Handles are per thread: OpenCV's cascade classifiers and DNN nets are not
 * safe to share between threads while detecting.
 */
#ifndef PS_CV_SHIM_H
#define PS_CV_SHIM_H

#include "prescreen/image.h"
#include "prescreen/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- image operations ------------------------------------------------- */

/*! ps_cv_resize() : area-resampled copy of `src` at dst_w x dst_h (same
 *  channel count); the caller owns *out. */
ps_status ps_cv_resize(const ps_image *src, int dst_w, int dst_h, ps_image **out);

/*! ps_cv_laplacian_var() : variance of the 3x3 Laplacian of the gray image
 *  `gray` inside `roi` (whole image when roi is NULL). */
ps_status ps_cv_laplacian_var(const ps_image *gray, const ps_box *roi, double *out);

/*! ps_cv_warp_back() : bilinear perspective warp onto a new w x h image
 *  (same channel count): pixel centre (x + 0.5, y + 0.5) of the output takes
 *  the value at h_dst_to_src of it in `src` (pixel centres at + 0.5 there
 *  too); beyond the edge the edge pixel repeats. The caller owns *out. */
ps_status ps_cv_warp_back(const ps_image *src, const double h_dst_to_src[9], int w, int h,
                          ps_image **out);

/*! ps_cv_set_threads() : how many threads OpenCV's own parallel loops may
 *  use in this process (0: none beyond the caller's). Queue workers set 1:
 *  their threads are the parallelism. Call before the threads start. */
ps_status ps_cv_set_threads(int n);

#ifdef __cplusplus
}
#endif
#endif
