#include "prescreen/geom.h"

#include <math.h>
#include <string.h>

/* Solves the 8x8 system A x = b by Gaussian elimination with partial pivoting.
 * Returns 0 when singular. */
static int solve8(double A[8][9], double x[8])
{
    for (int c = 0; c < 8; c++) {
        int p = c;
        for (int r = c + 1; r < 8; r++)
            if (fabs(A[r][c]) > fabs(A[p][c]))
                p = r;
        if (fabs(A[p][c]) < 1e-12)
            return 0;
        if (p != c)
            for (int k = 0; k < 9; k++) {
                double t = A[c][k];
                A[c][k] = A[p][k];
                A[p][k] = t;
            }
        for (int r = 0; r < 8; r++) {
            double f;
            if (r == c)
                continue;
            f = A[r][c] / A[c][c];
            for (int k = c; k < 9; k++)
                A[r][k] -= f * A[c][k];
        }
    }
    for (int i = 0; i < 8; i++)
        x[i] = A[i][8] / A[i][i];
    return 1;
}

int ps_homography_between(const ps_point src[4], const ps_point dst[4], ps_homography *H)
{
    double A[8][9], x[8];
    memset(A, 0, sizeof A);
    for (int i = 0; i < 4; i++) {
        double u = src[i].x, v = src[i].y, X = dst[i].x, Y = dst[i].y;
        double *r0 = A[2 * i], *r1 = A[2 * i + 1];
        r0[0] = u; r0[1] = v; r0[2] = 1; r0[6] = -u * X; r0[7] = -v * X; r0[8] = X;
        r1[3] = u; r1[4] = v; r1[5] = 1; r1[6] = -u * Y; r1[7] = -v * Y; r1[8] = Y;
    }
    if (!solve8(A, x))
        return 0;
    memcpy(H->h, x, sizeof x);
    H->h[8] = 1;
    return 1;
}

int ps_homography_from_quad(const ps_point quad[4], ps_homography *H)
{
    static const ps_point unit[4] = {{0, 0}, {1, 0}, {1, 1}, {0, 1}};
    return ps_homography_between(unit, quad, H);
}

int ps_homography_invert(const ps_homography *H, ps_homography *inv)
{
    const double *m = H->h;
    double c[9], det;
    c[0] = m[4] * m[8] - m[5] * m[7];
    c[1] = m[2] * m[7] - m[1] * m[8];
    c[2] = m[1] * m[5] - m[2] * m[4];
    c[3] = m[5] * m[6] - m[3] * m[8];
    c[4] = m[0] * m[8] - m[2] * m[6];
    c[5] = m[2] * m[3] - m[0] * m[5];
    c[6] = m[3] * m[7] - m[4] * m[6];
    c[7] = m[1] * m[6] - m[0] * m[7];
    c[8] = m[0] * m[4] - m[1] * m[3];
    det = m[0] * c[0] + m[1] * c[3] + m[2] * c[6];
    if (fabs(det) < 1e-15)
        return 0;
    for (int i = 0; i < 9; i++)
        inv->h[i] = c[i] / det;
    return 1;
}

ps_point ps_homography_apply(const ps_homography *H, ps_point p)
{
    const double *m = H->h;
    double w = m[6] * p.x + m[7] * p.y + m[8];
    ps_point o;
    if (fabs(w) < 1e-15)
        w = 1e-15;
    o.x = (m[0] * p.x + m[1] * p.y + m[2]) / w;
    o.y = (m[3] * p.x + m[4] * p.y + m[5]) / w;
    return o;
}

int ps_point_in_quad(const ps_point q[4], ps_point p)
{
    int pos = 0, neg = 0;
    for (int i = 0; i < 4; i++) {
        ps_point a = q[i], b = q[(i + 1) % 4];
        double cr = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
        pos += cr > 0;
        neg += cr < 0;
    }
    return pos == 0 || neg == 0;
}

ps_box ps_quad_bbox(const ps_point q[4], int width, int height)
{
    double x0 = q[0].x, x1 = q[0].x, y0 = q[0].y, y1 = q[0].y;
    ps_box b = {0, 0, 0, 0};
    for (int i = 1; i < 4; i++) {
        x0 = fmin(x0, q[i].x);
        x1 = fmax(x1, q[i].x);
        y0 = fmin(y0, q[i].y);
        y1 = fmax(y1, q[i].y);
    }
    x0 = fmax(x0, 0);
    y0 = fmax(y0, 0);
    x1 = fmin(x1, width);
    y1 = fmin(y1, height);
    if (x1 <= x0 || y1 <= y0)
        return b;
    b.x = (int)floor(x0);
    b.y = (int)floor(y0);
    b.w = (int)ceil(x1) - b.x;
    b.h = (int)ceil(y1) - b.y;
    return b;
}

double ps_quad_area(const ps_point q[4])
{
    double a = 0;
    for (int i = 0; i < 4; i++)
        a += q[i].x * q[(i + 1) % 4].y - q[(i + 1) % 4].x * q[i].y;
    return fabs(a) / 2;
}

void ps_quad_scale(const ps_point in[4], double s, ps_point out[4])
{
    for (int i = 0; i < 4; i++) {
        out[i].x = in[i].x * s;
        out[i].y = in[i].y * s;
    }
}

ps_box ps_box_union(ps_box a, ps_box b)
{
    int x1 = a.x + a.w > b.x + b.w ? a.x + a.w : b.x + b.w;
    int y1 = a.y + a.h > b.y + b.h ? a.y + a.h : b.y + b.h;
    a.x = a.x < b.x ? a.x : b.x;
    a.y = a.y < b.y ? a.y : b.y;
    a.w = x1 - a.x;
    a.h = y1 - a.y;
    return a;
}

double ps_box_iou(ps_box a, ps_box b)
{
    int x0 = a.x > b.x ? a.x : b.x, y0 = a.y > b.y ? a.y : b.y;
    int x1 = a.x + a.w < b.x + b.w ? a.x + a.w : b.x + b.w;
    int y1 = a.y + a.h < b.y + b.h ? a.y + a.h : b.y + b.h;
    double i = (x1 > x0 && y1 > y0) ? (double)(x1 - x0) * (y1 - y0) : 0;
    double u = (double)a.w * a.h + (double)b.w * b.h - i;
    return u > 0 ? i / u : 0;
}

ps_box ps_box_clip(ps_box b, int width, int height)
{
    if (b.x < 0) { b.w += b.x; b.x = 0; }
    if (b.y < 0) { b.h += b.y; b.y = 0; }
    if (b.x + b.w > width) b.w = width - b.x;
    if (b.y + b.h > height) b.h = height - b.y;
    if (b.w < 0) b.w = 0;
    if (b.h < 0) b.h = 0;
    return b;
}
