#include "scene.h"

#include <math.h>
#include <stdlib.h>

/* Homography of the unit square onto a quad (Heckbert's square-to-quad) as
 * a row-major 3x3 with m[8] = 1. */
static void square_to_quad(const ps_point q[4], double m[9])
{
    double x0 = q[0].x, y0 = q[0].y, x1 = q[1].x, y1 = q[1].y;
    double x2 = q[2].x, y2 = q[2].y, x3 = q[3].x, y3 = q[3].y;
    double dx1 = x1 - x2, dx2 = x3 - x2, dx3 = x0 - x1 + x2 - x3;
    double dy1 = y1 - y2, dy2 = y3 - y2, dy3 = y0 - y1 + y2 - y3;
    double g = 0, h = 0;
    double den = dx1 * dy2 - dx2 * dy1;
    if (fabs(dx3) > 1e-9 || fabs(dy3) > 1e-9) {
        g = (dx3 * dy2 - dx2 * dy3) / den;
        h = (dx1 * dy3 - dx3 * dy1) / den;
    }
    m[0] = x1 - x0 + g * x1;
    m[1] = x3 - x0 + h * x3;
    m[2] = x0;
    m[3] = y1 - y0 + g * y1;
    m[4] = y3 - y0 + h * y3;
    m[5] = y0;
    m[6] = g;
    m[7] = h;
    m[8] = 1;
}

static void invert3(const double m[9], double r[9])
{
    double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5], g = m[6], h = m[7], i = m[8];
    double A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
    double det = a * A + b * B + c * C;
    r[0] = A / det;
    r[1] = -(b * i - c * h) / det;
    r[2] = (b * f - c * e) / det;
    r[3] = B / det;
    r[4] = (a * i - c * g) / det;
    r[5] = -(a * f - c * d) / det;
    r[6] = C / det;
    r[7] = -(a * h - b * g) / det;
    r[8] = (a * e - b * d) / det;
}

static unsigned hash3(unsigned x, unsigned y, unsigned s)
{
    unsigned h = x * 374761393u + y * 668265263u + s * 2246822519u;
    h = (h ^ (h >> 13)) * 1274126177u;
    return h ^ (h >> 16);
}

/* uniform noise in [-a, a] */
static double noise(int x, int y, unsigned s, double a)
{
    return a * ((hash3((unsigned)x, (unsigned)y, s) & 0xffff) / 32767.5 - 1.0);
}

typedef struct {
    double x, y, r;
    unsigned char c[3];
} disc;
typedef struct {
    double x0, y0, x1, y1, w;
    unsigned char c[3];
} stroke;

#define N_DISCS 40
#define N_STROKES 30

static unsigned lcg(unsigned *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static double frand(unsigned *s) { return (lcg(s) & 0xffff) / 65535.0; }

static double seg_dist(double px, double py, const stroke *k)
{
    double dx = k->x1 - k->x0, dy = k->y1 - k->y0;
    double t = ((px - k->x0) * dx + (py - k->y0) * dy) / (dx * dx + dy * dy + 1e-9);
    t = t < 0 ? 0 : (t > 1 ? 1 : t);
    double ex = k->x0 + t * dx - px, ey = k->y0 + t * dy - py;
    return sqrt(ex * ex + ey * ey);
}

static void background(const ps_scene *s, const disc *d, const stroke *k, int x, int y, double rgb[3])
{
    double scale = s->width / 1000.0;
    switch (s->bg) {
    case PS_BG_PLAIN:
        rgb[0] = 110;
        rgb[1] = 112;
        rgb[2] = 118;
        break;
    case PS_BG_WOOD: {
        double r = 150 + 30 * sin(x * 0.05 / scale + 3 * sin(y * 0.01 / scale)) + noise(x / 3, y, s->seed + 7, 8);
        rgb[0] = r;
        rgb[1] = 0.7 * r;
        rgb[2] = 0.45 * r;
        break;
    }
    case PS_BG_CLUTTER:
        rgb[0] = rgb[1] = rgb[2] = 128;
        for (int i = 0; i < N_DISCS; i++) {
            double dx = x - d[i].x, dy = y - d[i].y;
            if (dx * dx + dy * dy <= d[i].r * d[i].r)
                for (int c = 0; c < 3; c++)
                    rgb[c] = d[i].c[c];
        }
        for (int i = 0; i < N_STROKES; i++)
            if (seg_dist(x, y, &k[i]) <= k[i].w)
                for (int c = 0; c < 3; c++)
                    rgb[c] = k[i].c[c];
        break;
    case PS_BG_WHITE: {
        double cx = x - s->width / 2.0, cy = y - s->height / 2.0;
        double v = 1.0 - 0.06 * (cx * cx + cy * cy) / (s->width * s->width / 4.0);
        rgb[0] = 232 * v;
        rgb[1] = 230 * v;
        rgb[2] = 226 * v;
        break;
    }
    }
}

/* The card's print at card coordinates (u, v) in [0, 1]^2. Returns 0 in the
 * cut-away of a rounded corner. */
static int card_pixel(const ps_scene *s, int card, double u, double v, double rgb[3])
{
    const double rx = 0.037, ry = 0.037 * 1.586; /* ISO 7810 corner radius 3.18 mm */
    double cu = u < rx ? rx : (u > 1 - rx ? 1 - rx : u);
    double cv = v < ry ? ry : (v > 1 - ry ? 1 - ry : v);
    double du = (u - cu) / rx, dv = (v - cv) / ry;
    if (du * du + dv * dv > 1)
        return 0;
    for (int c = 0; c < 3; c++)
        rgb[c] = s->card_rgb[c];
    /* a beige band like the licence's validity line */
    if (v > 0.05 && v < 0.09 && u > 0.05 && u < 0.6) {
        rgb[0] = 196;
        rgb[1] = 164;
        rgb[2] = 116;
    }
    /* portrait box with a face-coloured oval */
    if (u > 0.66 && u < 0.93 && v > 0.22 && v < 0.82) {
        double fu = (u - 0.795) / 0.08, fv = (v - 0.48) / 0.17;
        if (fu * fu + fv * fv < 1) {
            rgb[0] = 206;
            rgb[1] = 160;
            rgb[2] = 136;
        } else {
            rgb[0] = 150;
            rgb[1] = 168;
            rgb[2] = 190;
        }
    }
    /* text rows: bars broken into "characters" */
    for (int row = 0; row < 8; row++) {
        double v0 = 0.14 + row * 0.1;
        unsigned h = hash3((unsigned)row, (unsigned)card, s->seed);
        double len = 0.2 + 0.35 * ((h & 0xff) / 255.0);
        if (v > v0 && v < v0 + 0.04 && u > 0.06 && u < 0.06 + len && ((int)(u * 70)) % 3 != 0) {
            rgb[0] = 40;
            rgb[1] = 42;
            rgb[2] = 52;
        }
    }
    return 1;
}

ps_image *ps_scene_render(const ps_scene *s)
{
    ps_image *img = NULL;
    if (ps_image_new(s->width, s->height, 3, 0, &img) != PS_OK)
        return NULL;
    double inv[2][9];
    for (int c = 0; c < s->n_cards; c++) {
        double m[9];
        square_to_quad(s->quad[c], m);
        invert3(m, inv[c]);
    }
    disc d[N_DISCS];
    stroke k[N_STROKES];
    unsigned st = s->seed * 2654435761u + 1;
    double sc = s->width / 1000.0;
    for (int i = 0; i < N_DISCS; i++) {
        d[i].x = frand(&st) * s->width;
        d[i].y = frand(&st) * s->height;
        d[i].r = (10 + 70 * frand(&st)) * sc;
        for (int c = 0; c < 3; c++)
            d[i].c[c] = (unsigned char)(lcg(&st) & 0xff);
    }
    for (int i = 0; i < N_STROKES; i++) {
        k[i].x0 = frand(&st) * s->width;
        k[i].y0 = frand(&st) * s->height;
        k[i].x1 = k[i].x0 + (frand(&st) - 0.5) * 400 * sc;
        k[i].y1 = k[i].y0 + (frand(&st) - 0.5) * 400 * sc;
        k[i].w = (1.5 + 3 * frand(&st)) * sc;
        for (int c = 0; c < 3; c++)
            k[i].c[c] = (unsigned char)(lcg(&st) & 0xff);
    }
    /* 2x2 supersampling on small frames keeps edges realistic; 1 sample on
     * large ones (the camera's own blur is not the point there) */
    int ss = (long)s->width * s->height <= 3000000L ? 2 : 1;
    for (int y = 0; y < s->height; y++) {
        uint8_t *row = ps_image_row(img, y);
        for (int x = 0; x < s->width; x++) {
            double acc[3] = {0, 0, 0};
            for (int sy = 0; sy < ss; sy++)
                for (int sx = 0; sx < ss; sx++) {
                    double px = x + (sx + 0.5) / ss - 0.5, py = y + (sy + 0.5) / ss - 0.5;
                    double rgb[3];
                    int on_card = 0;
                    double u0 = -1, v0 = -1;
                    for (int c = s->n_cards - 1; c >= 0 && !on_card; c--) {
                        const double *r = inv[c];
                        double w = r[6] * px + r[7] * py + r[8];
                        double u = (r[0] * px + r[1] * py + r[2]) / w;
                        double v = (r[3] * px + r[4] * py + r[5]) / w;
                        if (c == 0) {
                            u0 = u;
                            v0 = v;
                        }
                        if (u >= 0 && u <= 1 && v >= 0 && v <= 1 && card_pixel(s, c, u, v, rgb))
                            on_card = 1 + c;
                    }
                    if (!on_card)
                        background(s, d, k, x, y, rgb);
                    if (s->n_cards > 0 && s->glare && on_card == 1) {
                        double gu = (u0 - 0.35) / 0.1, gv = (v0 - 0.45) / 0.16;
                        double r2 = sqrt(gu * gu + gv * gv);
                        double w = r2 < 0.6 ? 1.0 : (r2 < 1.0 ? (1.0 - r2) / 0.4 : 0.0);
                        for (int c = 0; c < 3; c++)
                            rgb[c] = rgb[c] * (1 - w) + 255 * w;
                    }
                    if (s->n_cards > 0 && s->thumb) {
                        /* in card units, reaching up from below the card */
                        double tu = (u0 - 0.35) / 0.1, tv = (v0 - 1.1) / 0.4;
                        if (tu * tu + tv * tv <= 1) {
                            double shade = 1.0 - 0.15 * tu * tu;
                            rgb[0] = 224 * shade;
                            rgb[1] = 170 * shade;
                            rgb[2] = 142 * shade;
                        }
                    }
                    for (int c = 0; c < 3; c++)
                        acc[c] += rgb[c];
                }
            for (int c = 0; c < 3; c++) {
                double v = acc[c] / (ss * ss) + noise(x, y, s->seed * 3 + (unsigned)c, 4);
                row[3 * x + c] = (uint8_t)(v < 0 ? 0 : (v > 255 ? 255 : v + 0.5));
            }
        }
    }
    return img;
}

void ps_scene_card_quad(double cx, double cy, double w, double deg, double tilt, ps_point quad[4])
{
    double h = w / 1.586;
    /* the top edge shortened by `tilt`: a card leaning away from the camera */
    double top = w * (1 - tilt);
    double pts[4][2] = {{-top / 2, -h / 2}, {top / 2, -h / 2}, {w / 2, h / 2}, {-w / 2, h / 2}};
    double a = deg * M_PI / 180, c = cos(a), s = sin(a);
    for (int i = 0; i < 4; i++) {
        quad[i].x = cx + c * pts[i][0] - s * pts[i][1];
        quad[i].y = cy + s * pts[i][0] + c * pts[i][1];
    }
}
