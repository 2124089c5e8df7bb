/* Redaction geometry: a bilinear warp of a document's quadrilateral into its
 * rectified rectangle (OpenCV's, through the shim: a per-pixel loop here
 * took about 40 ms a card), and box helpers. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cv/shim.h"
#include "prescreen/geom.h"
#include "redact/redact_int.h"

/* The fit and the mapping are the core's (src/core/geom.c); these wrappers
 * keep the redaction code's plain double[9] matrices. */
int ps__homography(const ps_point src[4], const ps_point dst[4], double h[9])
{
    ps_homography H;
    if (!ps_homography_between(src, dst, &H))
        return 0;
    memcpy(h, H.h, sizeof H.h);
    return 1;
}

ps_point ps__hmap(const double h[9], ps_point p)
{
    ps_homography H;
    memcpy(H.h, h, sizeof H.h);
    return ps_homography_apply(&H, p);
}

ps_status ps__warp(const ps_image *src, const double h_dst_to_src[9], int w, int hgt,
                   ps_image **out)
{
    return ps_cv_warp_back(src, h_dst_to_src, w, hgt, out);
}

ps_box ps__quad_bbox(const ps_point q[4])
{
    double x0 = q[0].x, x1 = q[0].x, y0 = q[0].y, y1 = q[0].y;
    for (int i = 1; i < 4; i++) {
        x0 = fmin(x0, q[i].x);
        x1 = fmax(x1, q[i].x);
        y0 = fmin(y0, q[i].y);
        y1 = fmax(y1, q[i].y);
    }
    ps_box b = {(int)floor(x0), (int)floor(y0), 0, 0};
    b.w = (int)ceil(x1) - b.x;
    b.h = (int)ceil(y1) - b.y;
    return b;
}

void ps__box_quad(ps_box b, ps_point q[4])
{
    q[0] = (ps_point){b.x, b.y};
    q[1] = (ps_point){b.x + b.w, b.y};
    q[2] = (ps_point){b.x + b.w, b.y + b.h};
    q[3] = (ps_point){b.x, b.y + b.h};
}

ps_box ps__box_clip(ps_box b, int w, int h)
{
    return ps_box_clip(b, w, h);
}
