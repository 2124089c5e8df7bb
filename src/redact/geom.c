/* Redaction geometry: a bilinear warp of a document's quadrilateral into its
 * rectified rectangle, and box helpers. Pure C, leaving OpenCV to the shim. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

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
    ps_status st = ps_image_new(w, hgt, src->channels, 0, out);
    if (st != PS_OK)
        return st;
    int ch = src->channels;
    for (int y = 0; y < hgt; y++) {
        uint8_t *d = ps_image_row(*out, y);
        for (int x = 0; x < w; x++) {
            ps_point s = ps__hmap(h_dst_to_src, (ps_point){x + 0.5, y + 0.5});
            double fx = s.x - 0.5, fy = s.y - 0.5;
            int x0 = (int)floor(fx), y0 = (int)floor(fy);
            double ax = fx - x0, ay = fy - y0;
            for (int c = 0; c < ch; c++) {
                double v = 0;
                for (int k = 0; k < 4; k++) {
                    int xx = x0 + (k & 1), yy = y0 + (k >> 1);
                    if (xx < 0) xx = 0;
                    if (yy < 0) yy = 0;
                    if (xx >= src->width) xx = src->width - 1;
                    if (yy >= src->height) yy = src->height - 1;
                    double wgt = ((k & 1) ? ax : 1 - ax) * ((k >> 1) ? ay : 1 - ay);
                    v += wgt * ps_image_row(src, yy)[(size_t)xx * ch + c];
                }
                d[(size_t)x * ch + c] = (uint8_t)(v + 0.5);
            }
        }
    }
    return PS_OK;
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
