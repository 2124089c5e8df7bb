/* prescreen-gen — photographing a document: backgrounds, people, hands,
 * perspective placement and the camera's faults.
 *
 * A scene is an RGB24 cairo surface in upright image pixels. The flat
 * document is mapped into it with a homography H (doc px -> image px) by
 * inverse mapping with bilinear sampling, so every label box drawn on the
 * flat document is carried into the image by the same H. Hands are drawn
 * in the document's plane (mapped through H as polygons), which keeps the
 * thumb's position relative to the printed text exact. */
#include "gen.h"
#include "gen_scene.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- geometry ------------------------------------------------------------ */

int gen_homography(const double src[4][2], const double dst[4][2], double H[9])
{
    double A[8][9];
    for (int i = 0; i < 4; i++) {
        double x = src[i][0], y = src[i][1], u = dst[i][0], v = dst[i][1];
        double r0[9] = {x, y, 1, 0, 0, 0, -x * u, -y * u, u};
        double r1[9] = {0, 0, 0, x, y, 1, -x * v, -y * v, v};
        memcpy(A[2 * i], r0, sizeof r0);
        memcpy(A[2 * i + 1], r1, sizeof r1);
    }
    for (int c = 0; c < 8; c++) { /* Gaussian elimination, partial pivoting */
        int p = c;
        for (int r = c + 1; r < 8; r++)
            if (fabs(A[r][c]) > fabs(A[p][c]))
                p = r;
        if (fabs(A[p][c]) < 1e-12)
            return -1;
        if (p != c)
            for (int k = 0; k < 9; k++) {
                double t = A[c][k]; A[c][k] = A[p][k]; A[p][k] = t;
            }
        for (int r = 0; r < 8; r++) {
            if (r == c)
                continue;
            double f = A[r][c] / A[c][c];
            for (int k = c; k < 9; k++)
                A[r][k] -= f * A[c][k];
        }
    }
    for (int i = 0; i < 8; i++)
        H[i] = A[i][8] / A[i][i];
    H[8] = 1.0;
    return 0;
}

void gen_apply_h(const double H[9], double x, double y, double *ox, double *oy)
{
    double w = H[6] * x + H[7] * y + H[8];
    *ox = (H[0] * x + H[1] * y + H[2]) / w;
    *oy = (H[3] * x + H[4] * y + H[5]) / w;
}

void gen_map_box(const double H[9], const double in[4], double out[4])
{
    double xs[4] = {in[0], in[0] + in[2], in[0] + in[2], in[0]};
    double ys[4] = {in[1], in[1], in[1] + in[3], in[1] + in[3]};
    double x0 = 1e18, y0 = 1e18, x1 = -1e18, y1 = -1e18;
    for (int i = 0; i < 4; i++) {
        double u, v;
        gen_apply_h(H, xs[i], ys[i], &u, &v);
        x0 = fmin(x0, u); y0 = fmin(y0, v); x1 = fmax(x1, u); y1 = fmax(y1, v);
    }
    out[0] = floor(x0);
    out[1] = floor(y0);
    out[2] = ceil(x1) - floor(x0);
    out[3] = ceil(y1) - floor(y0);
}

static void invert3(const double m[9], double r[9])
{
    double a = m[0], b = m[1], c = m[2], d = m[3], e = m[4], f = m[5], g = m[6], h = m[7], i = m[8];
    double A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
    double det = a * A + b * B + c * C;
    r[0] = A / det; r[1] = -(b * i - c * h) / det; r[2] = (b * f - c * e) / det;
    r[3] = B / det; r[4] = (a * i - c * g) / det;  r[5] = -(a * f - c * d) / det;
    r[6] = C / det; r[7] = -(a * h - b * g) / det; r[8] = (a * e - b * d) / det;
}

/* Corners of a w x h rectangle (px) centred at (cx, cy), turned by `rot`,
 * tilted by pitch/yaw (radians) and projected with focal length f. */
void gen_place_quad(double w, double h, double cx, double cy, double rot, double pitch,
                    double yaw, double f, double q[4][2])
{
    const double cs[4][2] = {{-w / 2, -h / 2}, {w / 2, -h / 2}, {w / 2, h / 2}, {-w / 2, h / 2}};
    for (int i = 0; i < 4; i++) {
        double x = cs[i][0] * cos(rot) - cs[i][1] * sin(rot);
        double y = cs[i][0] * sin(rot) + cs[i][1] * cos(rot);
        double z = 0;
        double y2 = y * cos(pitch) - z * sin(pitch), z2 = y * sin(pitch) + z * cos(pitch);
        double x3 = x * cos(yaw) + z2 * sin(yaw), z3 = -x * sin(yaw) + z2 * cos(yaw);
        double zc = f + z3;
        q[i][0] = cx + f * x3 / zc;
        q[i][1] = cy + f * y2 / zc;
    }
}

/* ---- pixel helpers ---------------------------------------------------------- */

static inline uint32_t *px_row(cairo_surface_t *s, int y)
{
    return (uint32_t *)(cairo_image_surface_get_data(s) + (size_t)y * cairo_image_surface_get_stride(s));
}

static inline int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static inline double smooth01(double t)
{
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    return t * t * (3 - 2 * t);
}

/* Shadow of a flat document lying on the table: darkens pixels whose
 * offset position falls on or near the document. */
void gen_shadow(cairo_surface_t *scene, const double H[9], int dw, int dh, double offx,
                double offy, double soft, double strength)
{
    int W = cairo_image_surface_get_width(scene), Ht = cairo_image_surface_get_height(scene);
    double Hi[9], q[4][2];
    const double cs[4][2] = {{0, 0}, {dw, 0}, {dw, dh}, {0, dh}};
    invert3(H, Hi);
    double x0 = 1e18, y0 = 1e18, x1 = -1e18, y1 = -1e18;
    for (int i = 0; i < 4; i++) {
        gen_apply_h(H, cs[i][0], cs[i][1], &q[i][0], &q[i][1]);
        x0 = fmin(x0, q[i][0]); y0 = fmin(y0, q[i][1]);
        x1 = fmax(x1, q[i][0]); y1 = fmax(y1, q[i][1]);
    }
    double pad = fabs(offx) + fabs(offy) + soft * 4 + 4;
    int ix0 = clampi((int)(x0 - pad), 0, W), ix1 = clampi((int)(x1 + pad), 0, W);
    int iy0 = clampi((int)(y0 - pad), 0, Ht), iy1 = clampi((int)(y1 + pad), 0, Ht);
    for (int y = iy0; y < iy1; y++) {
        uint32_t *row = px_row(scene, y);
        for (int x = ix0; x < ix1; x++) {
            double X = x + 0.5 - offx, Y = y + 0.5 - offy;
            double w = Hi[6] * X + Hi[7] * Y + Hi[8];
            double u = (Hi[0] * X + Hi[1] * Y + Hi[2]) / w, v = (Hi[3] * X + Hi[4] * Y + Hi[5]) / w;
            double dx = fmax(0, fmax(-u, u - dw)), dy = fmax(0, fmax(-v, v - dh));
            double d = sqrt(dx * dx + dy * dy);
            double f = 1.0 - strength * (1.0 - smooth01(d / soft));
            if (f >= 0.999)
                continue;
            uint32_t p = row[x];
            unsigned r = (unsigned)(((p >> 16) & 255) * f), g = (unsigned)(((p >> 8) & 255) * f),
                     b = (unsigned)((p & 255) * f);
            row[x] = (r << 16) | (g << 8) | b;
        }
    }
}

/* Composites the ARGB32 document into the scene through H (inverse map,
 * bilinear, premultiplied "over"). */
void gen_warp_doc(cairo_surface_t *scene, const gen_doc *d, const double H[9])
{
    int W = cairo_image_surface_get_width(scene), Ht = cairo_image_surface_get_height(scene);
    const uint8_t *src = cairo_image_surface_get_data(d->surf);
    int sst = cairo_image_surface_get_stride(d->surf);
    double Hi[9];
    invert3(H, Hi);
    const double cs[4][2] = {{0, 0}, {d->w, 0}, {d->w, d->h}, {0, d->h}};
    double x0 = 1e18, y0 = 1e18, x1 = -1e18, y1 = -1e18;
    for (int i = 0; i < 4; i++) {
        double u, v;
        gen_apply_h(H, cs[i][0], cs[i][1], &u, &v);
        x0 = fmin(x0, u); y0 = fmin(y0, v); x1 = fmax(x1, u); y1 = fmax(y1, v);
    }
    int ix0 = clampi((int)floor(x0) - 1, 0, W), ix1 = clampi((int)ceil(x1) + 1, 0, W);
    int iy0 = clampi((int)floor(y0) - 1, 0, Ht), iy1 = clampi((int)ceil(y1) + 1, 0, Ht);
    for (int y = iy0; y < iy1; y++) {
        uint32_t *row = px_row(scene, y);
        double Y = y + 0.5;
        for (int x = ix0; x < ix1; x++) {
            double X = x + 0.5;
            double w = Hi[6] * X + Hi[7] * Y + Hi[8];
            double u = (Hi[0] * X + Hi[1] * Y + Hi[2]) / w - 0.5;
            double v = (Hi[3] * X + Hi[4] * Y + Hi[5]) / w - 0.5;
            if (u < -1 || v < -1 || u > d->w || v > d->h)
                continue;
            int iu = (int)floor(u), iv = (int)floor(v);
            double fu = u - iu, fv = v - iv;
            double acc[4] = {0, 0, 0, 0};
            for (int k = 0; k < 4; k++) {
                int su = iu + (k & 1), sv = iv + (k >> 1);
                if (su < 0 || sv < 0 || su >= d->w || sv >= d->h)
                    continue;
                double wt = ((k & 1) ? fu : 1 - fu) * ((k >> 1) ? fv : 1 - fv);
                uint32_t p = ((const uint32_t *)(src + (size_t)sv * sst))[su];
                acc[0] += wt * ((p >> 24) & 255);
                acc[1] += wt * ((p >> 16) & 255);
                acc[2] += wt * ((p >> 8) & 255);
                acc[3] += wt * (p & 255);
            }
            if (acc[0] < 0.5)
                continue;
            double ia = 1.0 - acc[0] / 255.0;
            uint32_t p = row[x];
            unsigned r = (unsigned)clampi((int)(acc[1] + ((p >> 16) & 255) * ia + 0.5), 0, 255);
            unsigned g = (unsigned)clampi((int)(acc[2] + ((p >> 8) & 255) * ia + 0.5), 0, 255);
            unsigned b = (unsigned)clampi((int)(acc[3] + (p & 255) * ia + 0.5), 0, 255);
            row[x] = (r << 16) | (g << 8) | b;
        }
    }
    cairo_surface_mark_dirty(scene);
}

/* Pastes a face photo scaled by `sc` with its top-left at (ox, oy), through a
 * feathered head-shaped ellipse; writes the face box in image px. */
void gen_paste_face(cairo_surface_t *scene, const gen_face_src *f, double sc, double ox,
                    double oy, double box[4])
{
    int W = cairo_image_surface_get_width(scene), Ht = cairo_image_surface_get_height(scene);
    double ecx = f->box[0] + f->box[2] / 2, ecy = f->box[1] + f->box[3] * 0.5;
    double ea = f->box[2] * 0.66, eb = f->box[3] * 0.8;
    double feather = 0.12 * fmin(f->box[2], f->box[3]); /* soft edge, 12% of the face */
    double sx0 = fmax(0, ecx - ea), sy0 = fmax(0, ecy - eb);
    double sx1 = fmin(f->w, ecx + ea), sy1 = fmin(f->h, ecy + eb);
    int ix0 = clampi((int)floor(ox + sx0 * sc), 0, W), ix1 = clampi((int)ceil(ox + sx1 * sc), 0, W);
    int iy0 = clampi((int)floor(oy + sy0 * sc), 0, Ht), iy1 = clampi((int)ceil(oy + sy1 * sc), 0, Ht);
    cairo_surface_flush(scene);
    for (int y = iy0; y < iy1; y++) {
        uint32_t *row = px_row(scene, y);
        double v = (y + 0.5 - oy) / sc - 0.5;
        for (int x = ix0; x < ix1; x++) {
            double u = (x + 0.5 - ox) / sc - 0.5;
            double ex = (u - ecx) / ea, ey = (v - ecy) / eb;
            double rr = sqrt(ex * ex + ey * ey);
            double a = 1.0 - smooth01((rr - 1.0) * fmin(ea, eb) / feather + 1.0);
            double edge = fmin(fmin(u + 0.5, f->w - 0.5 - u), fmin(v + 0.5, f->h - 0.5 - v));
            a = fmin(a, smooth01(edge / (feather * 0.5)));
            if (a <= 0.002)
                continue;
            int iu = clampi((int)floor(u), 0, f->w - 2), iv = clampi((int)floor(v), 0, f->h - 2);
            double fu = fmin(fmax(u - iu, 0), 1), fv = fmin(fmax(v - iv, 0), 1);
            const uint8_t *p00 = f->rgb + ((size_t)iv * f->w + iu) * 3;
            const uint8_t *p10 = p00 + 3, *p01 = p00 + (size_t)f->w * 3, *p11 = p01 + 3;
            uint32_t d = row[x];
            unsigned out[3];
            for (int c = 0; c < 3; c++) {
                double s = (p00[c] * (1 - fu) + p10[c] * fu) * (1 - fv) + (p01[c] * (1 - fu) + p11[c] * fu) * fv;
                double dv = (d >> (16 - 8 * c)) & 255;
                out[c] = (unsigned)clampi((int)(s * a + dv * (1 - a) + 0.5), 0, 255);
            }
            row[x] = (out[0] << 16) | (out[1] << 8) | out[2];
        }
    }
    cairo_surface_mark_dirty(scene);
    box[0] = ox + f->box[0] * sc;
    box[1] = oy + f->box[1] * sc;
    box[2] = f->box[2] * sc;
    box[3] = f->box[3] * sc;
}

/* ---- backgrounds -------------------------------------------------------------- */

static uint32_t hash2(int x, int y, uint32_t seed)
{
    uint32_t h = (uint32_t)x * 374761393u + (uint32_t)y * 668265263u + seed * 2246822519u;
    h = (h ^ (h >> 13)) * 1274126177u;
    return h ^ (h >> 16);
}

static double vnoise(double x, double y, uint32_t seed)
{
    int ix = (int)floor(x), iy = (int)floor(y);
    double fx = x - ix, fy = y - iy;
    fx = fx * fx * (3 - 2 * fx);
    fy = fy * fy * (3 - 2 * fy);
    double a = (hash2(ix, iy, seed) & 0xffff) / 65535.0, b = (hash2(ix + 1, iy, seed) & 0xffff) / 65535.0;
    double c = (hash2(ix, iy + 1, seed) & 0xffff) / 65535.0, d = (hash2(ix + 1, iy + 1, seed) & 0xffff) / 65535.0;
    return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
}

/* Table surfaces, rendered at 1/4 resolution and scaled up (fine grain
 * comes later from sensor noise). kind: 0 wood, 1 fabric, 2 laminate,
 * 3 white table, 4 dark desk. */
void gen_table(cairo_surface_t *scene, gen_rng *r, int kind)
{
    int W = cairo_image_surface_get_width(scene), H = cairo_image_surface_get_height(scene);
    int w = W / 4 + 2, h = H / 4 + 2; /* quarter resolution */
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    uint32_t seed = (uint32_t)gen_rng_u64(r);
    double base[3];
    static const double woods[3][3] = {{150, 100, 60}, {190, 150, 105}, {110, 70, 45}};
    static const double fabrics[4][3] = {{70, 90, 130}, {150, 60, 60}, {120, 120, 110}, {60, 110, 80}};
    int pick = gen_rng_int(r, 0, 3);
    if (kind == 0) memcpy(base, woods[pick % 3], sizeof base);
    else if (kind == 1) memcpy(base, fabrics[pick], sizeof base);
    else if (kind == 2) { base[0] = gen_rng_range(r, 170, 225); base[1] = base[0] * 0.97; base[2] = base[0] * 0.92; }
    else if (kind == 3) { base[0] = base[1] = base[2] = gen_rng_range(r, 232, 248); }
    else { base[0] = 45; base[1] = 45; base[2] = 50; }
    double ang = gen_rng_range(r, -0.3, 0.3), ca = cos(ang), sa = sin(ang);
    double freq = gen_rng_range(r, 0.05, 0.12);
    cairo_surface_flush(s);
    for (int y = 0; y < h; y++) {
        uint32_t *row = px_row(s, y);
        for (int x = 0; x < w; x++) {
            double u = x * ca - y * sa, v = x * sa + y * ca, m = 1.0;
            if (kind == 0) {
                double n = vnoise(u * 0.01, v * 0.08, seed) * 6 + vnoise(u * 0.05, v * 0.3, seed + 1);
                m = 0.85 + 0.15 * sin((v * freq + n) * 2.0) + 0.05 * vnoise(u * 0.3, v * 0.9, seed + 2);
            } else if (kind == 1) {
                m = 0.9 + 0.1 * vnoise(u * 0.05, v * 0.05, seed) + 0.06 * (((x + y) & 1) ? 1 : -1);
            } else {
                m = 0.95 + 0.05 * vnoise(u * 0.02, v * 0.02, seed);
            }
            unsigned rr = (unsigned)clampi((int)(base[0] * m), 0, 255);
            unsigned gg = (unsigned)clampi((int)(base[1] * m), 0, 255);
            unsigned bb = (unsigned)clampi((int)(base[2] * m), 0, 255);
            row[x] = (rr << 16) | (gg << 8) | bb;
        }
    }
    cairo_surface_mark_dirty(s);
    cairo_t *cr = cairo_create(scene);
    cairo_scale(cr, (double)W / (w - 2), (double)H / (h - 2));
    cairo_set_source_surface(cr, s, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_BILINEAR);
    /* without it the filter blends the frame's outer pixels with the
     * transparent black past the texture: a dark line round every photo
     * that no camera makes */
    cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
}

static void rgb(cairo_t *cr, double r, double g, double b)
{
    cairo_set_source_rgb(cr, r / 255, g / 255, b / 255);
}

/* Desk clutter: pens, coins, paper, a phone, keys. Drawn before the
 * document, so it never covers it. */
void gen_clutter(cairo_surface_t *scene, gen_rng *r, int n)
{
    int W = cairo_image_surface_get_width(scene), H = cairo_image_surface_get_height(scene);
    double S = fmin(W, H);
    cairo_t *cr = cairo_create(scene);
    for (int i = 0; i < n; i++) {
        double x = gen_rng_range(r, 0, W), y = gen_rng_range(r, 0, H), a = gen_rng_range(r, 0, M_PI);
        int t = gen_rng_int(r, 0, 4);
        cairo_save(cr);
        cairo_translate(cr, x, y);
        cairo_rotate(cr, a);
        if (t == 0) { /* pen */
            double L = S * gen_rng_range(r, 0.25, 0.4), w = S * 0.018;
            rgb(cr, gen_rng_range(r, 0, 200), gen_rng_range(r, 0, 80), gen_rng_range(r, 60, 200));
            cairo_rectangle(cr, -L / 2, -w / 2, L, w);
            cairo_fill(cr);
            rgb(cr, 200, 200, 205);
            cairo_rectangle(cr, L / 2, -w / 3, w * 1.5, w * 0.66);
            cairo_fill(cr);
        } else if (t == 1) { /* coin */
            double rad = S * gen_rng_range(r, 0.025, 0.04);
            cairo_pattern_t *p = cairo_pattern_create_radial(-rad * 0.3, -rad * 0.3, rad * 0.1, 0, 0, rad);
            int copper = gen_rng_chance(r, 0.5);
            cairo_pattern_add_color_stop_rgb(p, 0, copper ? 0.9 : 0.92, copper ? 0.65 : 0.92, copper ? 0.45 : 0.9);
            cairo_pattern_add_color_stop_rgb(p, 1, copper ? 0.55 : 0.6, copper ? 0.35 : 0.6, copper ? 0.2 : 0.62);
            cairo_set_source(cr, p);
            cairo_arc(cr, 0, 0, rad, 0, 2 * M_PI);
            cairo_fill(cr);
            cairo_pattern_destroy(p);
        } else if (t == 2) { /* sheet of paper with lines */
            double w = S * 0.5, h = S * 0.7;
            rgb(cr, 245, 245, 240);
            cairo_rectangle(cr, -w / 2, -h / 2, w, h);
            cairo_fill(cr);
            rgb(cr, 150, 150, 160);
            cairo_set_line_width(cr, S * 0.002);
            for (double yy = -h / 2 + h * 0.1; yy < h / 2; yy += h * 0.05) {
                cairo_move_to(cr, -w / 2 + w * 0.1, yy);
                cairo_line_to(cr, w / 2 - w * gen_rng_range(r, 0.1, 0.4), yy);
            }
            cairo_stroke(cr);
        } else if (t == 3) { /* phone */
            double w = S * 0.2, h = S * 0.42;
            rgb(cr, 25, 25, 28);
            cairo_new_sub_path(cr);
            cairo_arc(cr, -w / 2 + w * 0.12, -h / 2 + w * 0.12, w * 0.12, M_PI, 1.5 * M_PI);
            cairo_arc(cr, w / 2 - w * 0.12, -h / 2 + w * 0.12, w * 0.12, 1.5 * M_PI, 2 * M_PI);
            cairo_arc(cr, w / 2 - w * 0.12, h / 2 - w * 0.12, w * 0.12, 0, 0.5 * M_PI);
            cairo_arc(cr, -w / 2 + w * 0.12, h / 2 - w * 0.12, w * 0.12, 0.5 * M_PI, M_PI);
            cairo_close_path(cr);
            cairo_fill(cr);
        } else { /* keys: ring and two blades */
            rgb(cr, 170, 170, 160);
            cairo_set_line_width(cr, S * 0.006);
            cairo_arc(cr, 0, 0, S * 0.03, 0, 2 * M_PI);
            cairo_stroke(cr);
            for (int k = 0; k < 2; k++) {
                cairo_rotate(cr, 0.6);
                cairo_rectangle(cr, S * 0.03, -S * 0.008, S * 0.1, S * 0.016);
                cairo_fill(cr);
            }
        }
        cairo_restore(cr);
    }
    cairo_destroy(cr);
}

/* A wall behind a selfie: gradient, a door or shelf, sometimes a window. */
void gen_room(cairo_surface_t *scene, gen_rng *r)
{
    int W = cairo_image_surface_get_width(scene), H = cairo_image_surface_get_height(scene);
    cairo_t *cr = cairo_create(scene);
    double b = gen_rng_range(r, 150, 235);
    double tint[3] = {b, b * gen_rng_range(r, 0.92, 1.0), b * gen_rng_range(r, 0.82, 1.0)};
    cairo_pattern_t *p = cairo_pattern_create_linear(0, 0, W * gen_rng_range(r, 0, 1), H);
    cairo_pattern_add_color_stop_rgb(p, 0, tint[0] / 255, tint[1] / 255, tint[2] / 255);
    cairo_pattern_add_color_stop_rgb(p, 1, tint[0] * 0.7 / 255, tint[1] * 0.7 / 255, tint[2] * 0.7 / 255);
    cairo_set_source(cr, p);
    cairo_paint(cr);
    cairo_pattern_destroy(p);
    int items = gen_rng_int(r, 1, 3);
    for (int i = 0; i < items; i++) {
        double x = gen_rng_range(r, -0.1, 0.9) * W, w = gen_rng_range(r, 0.15, 0.35) * W;
        double y = gen_rng_range(r, -0.1, 0.5) * H, h = gen_rng_range(r, 0.2, 0.8) * H;
        int t = gen_rng_int(r, 0, 2);
        if (t == 0)
            rgb(cr, 120, 85, 55); /* door / furniture */
        else if (t == 1)
            rgb(cr, 235, 240, 245); /* window */
        else
            rgb(cr, gen_rng_range(r, 40, 200), gen_rng_range(r, 40, 200), gen_rng_range(r, 40, 200));
        cairo_rectangle(cr, x, y, w, h);
        cairo_fill(cr);
    }
    cairo_destroy(cr);
}

/* Head, neck and shoulders drawn under a pasted face (image px). */
void gen_body(cairo_surface_t *scene, gen_rng *r, const double fb[4], const double skin[3])
{
    cairo_t *cr = cairo_create(scene);
    double cx = fb[0] + fb[2] / 2, cy = fb[1] + fb[3] / 2, F = fb[2];
    rgb(cr, gen_rng_range(r, 20, 200), gen_rng_range(r, 20, 200), gen_rng_range(r, 20, 200));
    /* torso: sloping shoulders from the neck down past the bottom edge */
    double sy = cy + 0.95 * F, bottom = cy + 12 * F;
    cairo_move_to(cr, cx - 0.45 * F, sy);
    cairo_curve_to(cr, cx - 1.0 * F, sy + 0.05 * F, cx - 1.35 * F, sy + 0.15 * F, cx - 1.45 * F, sy + 0.7 * F);
    cairo_line_to(cr, cx - 1.6 * F, bottom);
    cairo_line_to(cr, cx + 1.6 * F, bottom);
    cairo_line_to(cr, cx + 1.45 * F, sy + 0.7 * F);
    cairo_curve_to(cr, cx + 1.35 * F, sy + 0.15 * F, cx + 1.0 * F, sy + 0.05 * F, cx + 0.45 * F, sy);
    cairo_close_path(cr);
    cairo_fill(cr);
    rgb(cr, skin[0] * 0.85, skin[1] * 0.85, skin[2] * 0.85);
    cairo_rectangle(cr, cx - 0.28 * F, cy + 0.3 * F, 0.56 * F, 0.75 * F);
    cairo_fill(cr);
    double hair = gen_rng_range(r, 15, 90);
    rgb(cr, hair, hair * 0.8, hair * 0.6);
    cairo_save(cr);
    cairo_translate(cr, cx, cy - 0.12 * fb[3]);
    cairo_scale(cr, 0.66 * F, 0.78 * fb[3]);
    cairo_arc(cr, 0, 0, 1, 0, 2 * M_PI);
    cairo_restore(cr);
    cairo_fill(cr);
    cairo_destroy(cr);
}

/* ---- hands ------------------------------------------------------------------- */

/* Capsule from (x0,y0) to (x1,y1) with radius rad in the document plane,
 * mapped through H as a polygon path. */
static void capsule_path(cairo_t *cr, const double H[9], double x0, double y0, double x1,
                         double y1, double rad)
{
    double dx = x1 - x0, dy = y1 - y0, L = sqrt(dx * dx + dy * dy);
    double ux = dx / L, uy = dy / L, nx = -uy, ny = ux;
    const int N = 16; /* points per end cap */
    cairo_new_path(cr);
    for (int e = 0; e < 2; e++) {
        double cx = e ? x1 : x0, cy = e ? y1 : y0;
        for (int i = 0; i <= N; i++) {
            double t = M_PI * i / N + (e ? -M_PI / 2 : M_PI / 2);
            double px = cx + rad * (cos(t) * ux + sin(t) * nx);
            double py = cy + rad * (cos(t) * uy + sin(t) * ny);
            double X, Y;
            gen_apply_h(H, px, py, &X, &Y);
            cairo_line_to(cr, X, Y);
        }
    }
    cairo_close_path(cr);
}

static void skin_fill(cairo_t *cr, const double H[9], double cx, double cy, double rad,
                      const double skin[3])
{
    double X, Y, X2, Y2;
    gen_apply_h(H, cx, cy, &X, &Y);
    gen_apply_h(H, cx + rad, cy, &X2, &Y2);
    double R = hypot(X2 - X, Y2 - Y) * 2.5;
    cairo_pattern_t *p = cairo_pattern_create_radial(X - R * 0.1, Y - R * 0.1, R * 0.05, X, Y, R);
    cairo_pattern_add_color_stop_rgb(p, 0, fmin(1, skin[0] / 255 * 1.08), fmin(1, skin[1] / 255 * 1.08),
                                     fmin(1, skin[2] / 255 * 1.08));
    cairo_pattern_add_color_stop_rgb(p, 1, skin[0] / 255 * 0.72, skin[1] / 255 * 0.7, skin[2] / 255 * 0.7);
    cairo_set_source(cr, p);
    cairo_fill_preserve(cr);
    cairo_pattern_destroy(p);
    cairo_set_source_rgba(cr, skin[0] / 255 * 0.5, skin[1] / 255 * 0.4, skin[2] / 255 * 0.4, 0.6);
    cairo_set_line_width(cr, fmax(1.0, R * 0.03));
    cairo_stroke(cr);
}

void gen_skin(gen_rng *r, double skin[3])
{
    static const double tones[5][3] = {{235, 200, 175}, {220, 180, 150}, {195, 150, 115},
                                       {160, 115, 85}, {110, 75, 55}};
    const double *t = tones[gen_rng_int(r, 0, 4)];
    for (int i = 0; i < 3; i++)
        skin[i] = t[i] * gen_rng_range(r, 0.95, 1.05);
}

/* Frame along one card edge: e 0 left, 1 right, 2 bottom, 3 top. P(t) is the
 * edge point t px along it, n the outward normal. */
static void edge_frame(int e, double w, double h, double t, double *px, double *py,
                       double *nx, double *ny)
{
    switch (e) {
    case 0: *px = 0; *py = t; *nx = -1; *ny = 0; break;
    case 1: *px = w; *py = t; *nx = 1; *ny = 0; break;
    case 2: *px = t; *py = h; *nx = 0; *ny = 1; break;
    default: *px = t; *py = 0; *nx = 0; *ny = -1; break;
    }
}

static int overlaps(const double a[4], const double b[4])
{
    return a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
}

/* Chooses where the thumb goes so that it covers only margin. Returns 1 and
 * fills hp when a free spot exists on edge e. */
int gen_hand_plan(gen_rng *r, const gen_doc *d, int e, gen_hand *hp, int finger_over)
{
    double k = d->px_per_mm, len = (e < 2) ? d->h : d->w;
    memset(hp, 0, sizeof *hp);
    hp->edge = e;
    hp->rad = 7.5 * k; /* a thumb is about 15 mm wide */
    if (finger_over) {
        /* aim the fingertip at the portrait, else at the largest text box */
        double tgt[4];
        if (d->has_face) {
            memcpy(tgt, d->face, sizeof tgt);
        } else {
            int best = 0;
            for (int i = 1; i < d->nfields; i++)
                if (d->fields[i].w * d->fields[i].h > d->fields[best].w * d->fields[best].h)
                    best = i;
            tgt[0] = d->fields[best].x; tgt[1] = d->fields[best].y;
            tgt[2] = d->fields[best].w; tgt[3] = d->fields[best].h;
        }
        double cx = tgt[0] + tgt[2] / 2, cy = tgt[1] + tgt[3] / 2;
        /* come in from the nearest side edge */
        e = (cx < d->w / 2) ? 0 : 1;
        hp->edge = e;
        hp->t = cy;
        hp->depth = (e == 0) ? cx + 0.3 * tgt[2] : d->w - cx + 0.3 * tgt[2];
        hp->rad = fmax(5.0 * k, fmin(7.5 * k, tgt[3] * 0.7));
        hp->over = 1;
        return 1;
    }
    for (int attempt = 0; attempt < 3; attempt++) {
        double depth = (attempt == 0 ? gen_rng_range(r, 3.0, 4.5) : attempt == 1 ? 2.2 : 1.2) * k;
        for (int tries = 0; tries < 24; tries++) { /* 24 random positions per depth */
            double t = gen_rng_range(r, hp->rad + 2 * k, len - hp->rad - 2 * k);
            double px, py, nx, ny;
            edge_frame(e, d->w, d->h, t, &px, &py, &nx, &ny);
            double bx0 = fmin(px, px - nx * depth), bx1 = fmax(px, px - nx * depth);
            double by0 = fmin(py, py - ny * depth), by1 = fmax(py, py - ny * depth);
            double box[4];
            if (e < 2) {
                box[0] = bx0 - 1; box[1] = t - hp->rad - 1; box[2] = bx1 - bx0 + 2; box[3] = 2 * hp->rad + 2;
            } else {
                box[0] = t - hp->rad - 1; box[1] = by0 - 1; box[2] = 2 * hp->rad + 2; box[3] = by1 - by0 + 2;
            }
            int clash = 0;
            for (int i = 0; i < d->nkeep && !clash; i++)
                clash = overlaps(box, d->keep[i]);
            if (!clash) {
                hp->t = t;
                hp->depth = depth;
                return 1;
            }
        }
    }
    return 0;
}

/* Box (doc px) of the part of the thumb/finger lying on the document. */
void gen_hand_on_doc(const gen_doc *d, const gen_hand *hp, double box[4])
{
    double px, py, nx, ny;
    edge_frame(hp->edge, d->w, d->h, hp->t, &px, &py, &nx, &ny);
    double tx = px - nx * hp->depth, ty = py - ny * hp->depth;
    double x0 = fmin(px, tx), x1 = fmax(px, tx), y0 = fmin(py, ty), y1 = fmax(py, ty);
    if (hp->edge < 2) { y0 = hp->t - hp->rad; y1 = hp->t + hp->rad; }
    else { x0 = hp->t - hp->rad; x1 = hp->t + hp->rad; }
    x0 = fmax(0, x0); y0 = fmax(0, y0); x1 = fmin(d->w, x1); y1 = fmin(d->h, y1);
    box[0] = x0; box[1] = y0; box[2] = fmax(0, x1 - x0); box[3] = fmax(0, y1 - y0);
}

/* Palm and arm: behind the card, drawn before it. */
void gen_hand_back(cairo_surface_t *scene, const double H[9], const gen_doc *d, const gen_hand *hp,
                   const double skin[3])
{
    int W = cairo_image_surface_get_width(scene), Ht = cairo_image_surface_get_height(scene);
    double k = d->px_per_mm, px, py, nx, ny;
    edge_frame(hp->edge, d->w, d->h, hp->t, &px, &py, &nx, &ny);
    double pcx = px + nx * 14 * k, pcy = py + ny * 14 * k; /* palm centre 14 mm outside */
    cairo_t *cr = cairo_create(scene);
    /* arm: from the palm straight out of the image, in image space */
    double X0, Y0, X1, Y1;
    gen_apply_h(H, pcx, pcy, &X0, &Y0);
    gen_apply_h(H, pcx + nx * 10 * k, pcy + ny * 10 * k, &X1, &Y1);
    double dx = X1 - X0, dy = Y1 - Y0, L = hypot(dx, dy);
    if (L > 0) {
        double ext = (W + Ht) * 1.0, aw;
        double Xa, Ya, Xb, Yb;
        gen_apply_h(H, pcx - ny * 15 * k, pcy + nx * 15 * k, &Xa, &Ya);
        gen_apply_h(H, pcx + ny * 15 * k, pcy - nx * 15 * k, &Xb, &Yb);
        aw = hypot(Xb - Xa, Yb - Ya) / 2;
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
        cairo_set_line_width(cr, aw * 2);
        cairo_set_source_rgb(cr, skin[0] / 255 * 0.85, skin[1] / 255 * 0.83, skin[2] / 255 * 0.83);
        cairo_move_to(cr, X0, Y0);
        cairo_line_to(cr, X0 + dx / L * ext, Y0 + dy / L * ext);
        cairo_stroke(cr);
    }
    /* palm with three finger tips curling behind the card */
    capsule_path(cr, H, pcx - ny * 9 * k, pcy + nx * 9 * k, pcx + ny * 9 * k, pcy - nx * 9 * k, 14 * k);
    skin_fill(cr, H, pcx, pcy, 14 * k, skin);
    cairo_destroy(cr);
}

/* The thumb (or a finger) on top of the card. */
void gen_hand_front(cairo_surface_t *scene, const double H[9], const gen_doc *d, const gen_hand *hp,
                    const double skin[3], double box_img[4])
{
    double k = d->px_per_mm, px, py, nx, ny;
    edge_frame(hp->edge, d->w, d->h, hp->t, &px, &py, &nx, &ny);
    /* tip centre sits one radius back so the tip's round end ends at depth */
    double tx = px - nx * (hp->depth - hp->rad), ty = py - ny * (hp->depth - hp->rad);
    double bx = px + nx * 16 * k, by = py + ny * 16 * k;
    cairo_t *cr = cairo_create(scene);
    capsule_path(cr, H, bx, by, tx, ty, hp->rad);
    skin_fill(cr, H, tx, ty, hp->rad, skin);
    /* nail */
    double nxc = px - nx * (hp->depth - hp->rad * 0.9), nyc = py - ny * (hp->depth - hp->rad * 0.9);
    capsule_path(cr, H, nxc + nx * hp->rad * 0.3, nyc + ny * hp->rad * 0.3, nxc, nyc, hp->rad * 0.45);
    cairo_set_source_rgba(cr, 1, 0.9, 0.88, 0.55);
    cairo_fill(cr);
    cairo_destroy(cr);
    double on[4];
    gen_hand_on_doc(d, hp, on);
    gen_map_box(H, on, box_img);
}

/* ---- camera faults ---------------------------------------------------------- */

/* Box blur of radius rad along x then y, `passes` times (3 passes ~ Gaussian). */
void gen_box_blur(cairo_surface_t *s, int rad, int passes)
{
    int W = cairo_image_surface_get_width(s), H = cairo_image_surface_get_height(s);
    if (rad < 1)
        return;
    int n = W > H ? W : H;
    uint32_t *tmp = malloc(sizeof *tmp * (size_t)n);
    if (!tmp)
        return;
    cairo_surface_flush(s);
    uint8_t *base = cairo_image_surface_get_data(s);
    size_t st = (size_t)cairo_image_surface_get_stride(s);
    int *acc = calloc((size_t)W * 3, sizeof *acc);
    uint32_t *col = malloc(sizeof *col * (size_t)W * H);
    if (!acc || !col) {
        free(acc);
        free(col);
        free(tmp);
        return;
    }
    int win = 2 * rad + 1;
    for (int pass = 0; pass < passes; pass++) {
        /* horizontal: running sum along each row */
        for (int l = 0; l < H; l++) {
            uint32_t *p0 = (uint32_t *)(base + l * st);
            memcpy(tmp, p0, sizeof *tmp * (size_t)W);
            int a[3] = {0, 0, 0};
            for (int i = -rad; i <= rad; i++) {
                uint32_t p = tmp[clampi(i, 0, W - 1)];
                a[0] += (p >> 16) & 255; a[1] += (p >> 8) & 255; a[2] += p & 255;
            }
            for (int i = 0; i < W; i++) {
                p0[i] = ((uint32_t)(a[0] / win) << 16) | ((uint32_t)(a[1] / win) << 8) | (uint32_t)(a[2] / win);
                uint32_t x = tmp[clampi(i + rad + 1, 0, W - 1)], y = tmp[clampi(i - rad, 0, W - 1)];
                a[0] += (int)((x >> 16) & 255) - (int)((y >> 16) & 255);
                a[1] += (int)((x >> 8) & 255) - (int)((y >> 8) & 255);
                a[2] += (int)(x & 255) - (int)(y & 255);
            }
        }
        /* vertical: one accumulator per column, rows visited in order */
        for (int y = 0; y < H; y++)
            memcpy(col + (size_t)y * W, base + y * st, sizeof *col * (size_t)W);
        memset(acc, 0, sizeof *acc * (size_t)W * 3);
        for (int i = -rad; i <= rad; i++) {
            const uint32_t *row = col + (size_t)clampi(i, 0, H - 1) * W;
            for (int x = 0; x < W; x++) {
                acc[3 * x] += (row[x] >> 16) & 255; acc[3 * x + 1] += (row[x] >> 8) & 255; acc[3 * x + 2] += row[x] & 255;
            }
        }
        for (int y = 0; y < H; y++) {
            uint32_t *out = (uint32_t *)(base + y * st);
            const uint32_t *in = col + (size_t)clampi(y + rad + 1, 0, H - 1) * W;
            const uint32_t *gone = col + (size_t)clampi(y - rad, 0, H - 1) * W;
            for (int x = 0; x < W; x++) {
                out[x] = ((uint32_t)(acc[3 * x] / win) << 16) | ((uint32_t)(acc[3 * x + 1] / win) << 8) |
                         (uint32_t)(acc[3 * x + 2] / win);
                acc[3 * x] += (int)((in[x] >> 16) & 255) - (int)((gone[x] >> 16) & 255);
                acc[3 * x + 1] += (int)((in[x] >> 8) & 255) - (int)((gone[x] >> 8) & 255);
                acc[3 * x + 2] += (int)(in[x] & 255) - (int)(gone[x] & 255);
            }
        }
    }
    free(acc);
    free(col);
    cairo_surface_mark_dirty(s);
    free(tmp);
}

/* Motion blur: the mean of `taps` copies shifted along (dx, dy) px. */
void gen_motion_blur(cairo_surface_t *s, double dx, double dy, int taps)
{
    int W = cairo_image_surface_get_width(s), H = cairo_image_surface_get_height(s);
    size_t st = (size_t)cairo_image_surface_get_stride(s);
    uint8_t *src = malloc(st * (size_t)H);
    if (!src || taps < 2) {
        free(src);
        return;
    }
    cairo_surface_flush(s);
    memcpy(src, cairo_image_surface_get_data(s), st * (size_t)H);
    int ox[64], oy[64];
    taps = taps > 64 ? 64 : taps;
    for (int t = 0; t < taps; t++) {
        double f = (double)t / (taps - 1) - 0.5;
        ox[t] = (int)lround(dx * f);
        oy[t] = (int)lround(dy * f);
    }
    for (int y = 0; y < H; y++) {
        uint32_t *out = px_row(s, y);
        for (int x = 0; x < W; x++) {
            unsigned a0 = 0, a1 = 0, a2 = 0;
            for (int t = 0; t < taps; t++) {
                int sx = clampi(x + ox[t], 0, W - 1), sy = clampi(y + oy[t], 0, H - 1);
                uint32_t p = ((uint32_t *)(src + (size_t)sy * st))[sx];
                a0 += (p >> 16) & 255; a1 += (p >> 8) & 255; a2 += p & 255;
            }
            out[x] = ((a0 / taps) << 16) | ((a1 / taps) << 8) | (a2 / taps);
        }
    }
    cairo_surface_mark_dirty(s);
    free(src);
}

/* Additive glare spot: a bright, soft disc (image px). */
void gen_glare(cairo_surface_t *s, double cx, double cy, double rad, double strength)
{
    int W = cairo_image_surface_get_width(s), H = cairo_image_surface_get_height(s);
    int x0 = clampi((int)(cx - rad), 0, W), x1 = clampi((int)(cx + rad) + 1, 0, W);
    int y0 = clampi((int)(cy - rad), 0, H), y1 = clampi((int)(cy + rad) + 1, 0, H);
    cairo_surface_flush(s);
    for (int y = y0; y < y1; y++) {
        uint32_t *row = px_row(s, y);
        for (int x = x0; x < x1; x++) {
            double d = hypot(x + 0.5 - cx, y + 0.5 - cy) / rad;
            if (d >= 1)
                continue;
            double a = strength * (1 - smooth01(d)) * 255;
            uint32_t p = row[x];
            unsigned r = (unsigned)clampi((int)(((p >> 16) & 255) + a), 0, 255);
            unsigned g = (unsigned)clampi((int)(((p >> 8) & 255) + a), 0, 255);
            unsigned b = (unsigned)clampi((int)((p & 255) + a * 0.97), 0, 255);
            row[x] = (r << 16) | (g << 8) | b;
        }
    }
    cairo_surface_mark_dirty(s);
}

/* Lighting and sensor in one pass: exposure gain, linear light gradient,
 * vignette, an optional soft shadow edge, then Gaussian-ish noise from a
 * table. */
void gen_light_noise(cairo_surface_t *s, gen_rng *r, const gen_light *L)
{
    int W = cairo_image_surface_get_width(s), H = cairo_image_surface_get_height(s);
    enum { NT = 4096 }; /* noise table size: power of two for masking */
    static const double inv_sqrt2 = 0.70710678118654752;
    short table[NT];
    for (int i = 0; i < NT; i++)
        table[i] = (short)lround(gen_rng_gauss(r) * L->noise * 16); /* 4 fractional bits */
    uint32_t st = (uint32_t)gen_rng_u64(r) | 1u;
    double cx = W / 2.0, cy = H / 2.0, diag2 = cx * cx + cy * cy;
    cairo_surface_flush(s);
    for (int y = 0; y < H; y++) {
        uint32_t *row = px_row(s, y);
        double fy = (y - cy) / H;
        for (int x = 0; x < W; x++) {
            double fx = (x - cx) / W;
            double g = L->gain * (1 + L->gx * fx + L->gy * fy);
            double r2 = ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / diag2;
            g *= 1 - L->vignette * r2;
            if (L->shadow > 0) {
                double d = (x * L->snx + y * L->sny - L->sc) / L->soft;
                g *= 1 - L->shadow * smooth01(d * inv_sqrt2 + 0.5);
            }
            uint32_t p = row[x];
            int c[3] = {(int)((p >> 16) & 255), (int)((p >> 8) & 255), (int)(p & 255)};
            st ^= st << 13; st ^= st >> 17; st ^= st << 5; /* xorshift32 */
            int nl = table[st & (NT - 1)];
            int out[3];
            for (int k = 0; k < 3; k++) {
                int nc = table[(st >> (10 + 6 * k)) & (NT - 1)] / 3; /* weak colour noise */
                out[k] = clampi((int)(c[k] * g + (nl + nc) / 16.0 + 0.5), 0, 255);
            }
            row[x] = ((uint32_t)out[0] << 16) | ((uint32_t)out[1] << 8) | (uint32_t)out[2];
        }
    }
    cairo_surface_mark_dirty(s);
}

/* Copy of `s` turned for storage with an EXIF orientation tag: 6 means the
 * viewer turns it 90° clockwise, so we store it turned counter-clockwise;
 * 8 the reverse; 3 is 180°. Returns a malloc'd xRGB buffer. */
uint32_t *gen_rotate_for_exif(cairo_surface_t *s, int orientation, int *ow, int *oh)
{
    int W = cairo_image_surface_get_width(s), H = cairo_image_surface_get_height(s);
    int w = (orientation == 6 || orientation == 8) ? H : W, h = (orientation == 6 || orientation == 8) ? W : H;
    uint32_t *out = malloc(sizeof *out * (size_t)w * h);
    if (!out)
        return NULL;
    cairo_surface_flush(s);
    for (int y = 0; y < H; y++) {
        const uint32_t *row = px_row(s, y);
        for (int x = 0; x < W; x++) {
            int sx, sy;
            if (orientation == 6) { sx = y; sy = W - 1 - x; }       /* stored = upright turned CCW */
            else if (orientation == 8) { sx = H - 1 - y; sy = x; }  /* stored = upright turned CW */
            else if (orientation == 3) { sx = W - 1 - x; sy = H - 1 - y; }
            else { sx = x; sy = y; }
            out[(size_t)sy * w + sx] = row[x];
        }
    }
    *ow = w;
    *oh = h;
    return out;
}
