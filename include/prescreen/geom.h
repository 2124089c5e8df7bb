/* prescreen — plane geometry shared by the stages: homographies between a
 * document's quadrilateral and its card coordinates (0..1), and point/box
 * helpers. Plain functions on plain data; thread-safe. */
#ifndef PRESCREEN_GEOM_H
#define PRESCREEN_GEOM_H

#include "prescreen/image.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A 3x3 homography, row-major, h[8] normalised to 1. */
typedef struct ps_homography {
    double h[9];
} ps_homography;

/*! ps_homography_from_quad() :
 *  The map from card coordinates (u, v) in 0..1 — (0,0) TL, (1,0) TR,
 *  (1,1) BR, (0,1) BL — to the quad's image pixels. Returns 0 for a
 *  degenerate quad (*H untouched), 1 on success. */
int ps_homography_from_quad(const ps_point quad[4], ps_homography *H);

/*! ps_homography_between() :
 *  The map taking src[i] to dst[i] for the four point pairs. Returns 0 for a
 *  degenerate configuration (*H untouched), 1 on success. */
int ps_homography_between(const ps_point src[4], const ps_point dst[4], ps_homography *H);

/*! ps_homography_invert() : 0 when singular. */
int ps_homography_invert(const ps_homography *H, ps_homography *inv);

/*! ps_homography_apply() : H * (x, y, 1), de-homogenised. */
ps_point ps_homography_apply(const ps_homography *H, ps_point p);

/*! ps_point_in_quad() : 1 when p lies inside the convex quad (any winding). */
int ps_point_in_quad(const ps_point quad[4], ps_point p);

/*! ps_quad_bbox() : the axis-aligned bounding box of a quad, clipped to
 *  width x height (0 x 0 box when outside). */
ps_box ps_quad_bbox(const ps_point quad[4], int width, int height);

/*! ps_box_clip() : `b` cut to the width x height image (0 x 0 when outside). */
ps_box ps_box_clip(ps_box b, int width, int height);

/*! ps_box_union() : the smallest box holding both `a` and `b`. */
ps_box ps_box_union(ps_box a, ps_box b);

/*! ps_box_iou() : intersection over union of two boxes (0 when both empty). */
double ps_box_iou(ps_box a, ps_box b);

/*! ps_quad_area() : area in square pixels. */
double ps_quad_area(const ps_point quad[4]);

/*! ps_quad_scale() : every corner multiplied by s. */
void ps_quad_scale(const ps_point in[4], double s, ps_point out[4]);

#ifdef __cplusplus
}
#endif
#endif
