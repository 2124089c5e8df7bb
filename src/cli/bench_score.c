/* Label parsing and the geometric and leak measures of `prescreen bench`. */
#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/bench.h"
#include "prescreen/geom.h"

static void get_str(json_t *o, const char *k, char *dst, size_t cap)
{
    json_t *v = json_object_get(o, k);
    if (json_is_string(v))
        snprintf(dst, cap, "%s", json_string_value(v));
}

static int get_box(json_t *a, ps_box *b)
{
    if (!json_is_array(a) || json_array_size(a) != 4)
        return 0;
    b->x = (int)json_number_value(json_array_get(a, 0));
    b->y = (int)json_number_value(json_array_get(a, 1));
    b->w = (int)json_number_value(json_array_get(a, 2));
    b->h = (int)json_number_value(json_array_get(a, 3));
    return 1;
}

static ps_flagset flags_of(json_t *a)
{
    ps_flagset s = 0;
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) {
        int f = json_is_string(v) ? ps_flag_from_name(json_string_value(v)) : -1;
        if (f >= 0)
            s |= (ps_flagset)1 << f;
    }
    return s;
}

int psb_truth_load(const char *path, psb_truth *t, char *err, size_t errlen)
{
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je), *v;
    memset(t, 0, sizeof *t);
    if (root == NULL || !json_is_object(root)) {
        snprintf(err, errlen, "%s: %s", path, root ? "not an object" : je.text);
        json_decref(root);
        return -1;
    }
    v = json_object_get(root, "kind");
    if (json_is_string(v) && ps_kind_from_name(json_string_value(v)) >= 0) {
        t->has_kind = 1;
        t->kind = (ps_kind)ps_kind_from_name(json_string_value(v));
    }
    v = json_object_get(root, "side");
    if (json_is_string(v))
        t->side = strcmp(json_string_value(v), "back") == 0 ? PS_SIDE_BACK : PS_SIDE_FRONT;
    get_str(root, "doc_type", t->doc_type, sizeof t->doc_type);
    get_str(root, "now", t->now, sizeof t->now);
    v = json_object_get(root, "applicant");
    if (json_is_object(v)) {
        char *s = json_dumps(v, JSON_COMPACT);
        if (s && strlen(s) < sizeof t->applicant_json)
            snprintf(t->applicant_json, sizeof t->applicant_json, "%s", s);
        free(s);
    }
    {
        const char *keys[] = {"faces", "document_faces"};
        for (int k = 0; k < 2; k++) {
            size_t i;
            json_t *b;
            if (json_is_array(json_object_get(root, keys[k])))
                t->faces_labelled = 1;
            json_array_foreach(json_object_get(root, keys[k]), i, b) {
                if (t->n_faces < PSB_MAX_FACES && get_box(b, &t->faces[t->n_faces]))
                    t->n_faces++;
            }
        }
    }
    v = json_object_get(root, "document_quad");
    if (json_is_array(v) && json_array_size(v) == 4) {
        t->has_quad = 1;
        for (int i = 0; i < 4; i++) {
            json_t *p = json_array_get(v, (size_t)i);
            t->quad[i].x = json_number_value(json_array_get(p, 0));
            t->quad[i].y = json_number_value(json_array_get(p, 1));
        }
    }
    v = json_object_get(root, "fields");
    if (json_is_object(v))
        for (int f = 0; f < PS_FIELD_COUNT_; f++)
            get_str(v, ps_field_name((ps_field_id)f), t->fields[f], sizeof t->fields[f]);
    {
        size_t i;
        json_t *s;
        json_array_foreach(json_object_get(root, "sensitive"), i, s) {
            const char *txt;
            int n = 0;
            if (t->n_sensitive >= PSB_MAX_SENSITIVE)
                break;
            get_str(s, "type", t->sensitive[t->n_sensitive].type, sizeof t->sensitive[0].type);
            txt = json_string_value(json_object_get(s, "text"));
            for (; txt && *txt && n < 31; txt++)
                if (isdigit((unsigned char)*txt))
                    t->sensitive[t->n_sensitive].digits[n++] = *txt;
            t->sensitive[t->n_sensitive].digits[n] = '\0';
            t->sensitive[t->n_sensitive].has_box =
                get_box(json_object_get(s, "box"), &t->sensitive[t->n_sensitive].box);
            t->sensitive[t->n_sensitive].cut = json_is_true(json_object_get(s, "cut"));
            if (strcmp(t->sensitive[t->n_sensitive].type, "pan_last4") == 0)
                t->last4_apart = 1;
            /* a boxless entry still counts string leaks; pan_last4 needs a box */
            if (t->sensitive[t->n_sensitive].has_box ||
                (n > 0 && strcmp(t->sensitive[t->n_sensitive].type, "pan_last4") != 0))
                t->n_sensitive++;
        }
    }
    t->expect = flags_of(json_object_get(root, "expect_flags"));
    t->forbid = flags_of(json_object_get(root, "forbid_flags"));
    json_decref(root);
    return 0;
}

static double poly_area(const ps_point *p, int n)
{
    double a = 0;
    for (int i = 0; i < n; i++) {
        const ps_point *q = &p[(i + 1) % n];
        a += p[i].x * q->y - q->x * p[i].y;
    }
    return a / 2;
}

/* Sutherland-Hodgman: clip `in` (n points) by the half-plane left of a->b. */
static int clip(const ps_point *in, int n, ps_point a, ps_point b, ps_point *out)
{
    int m = 0;
    for (int i = 0; i < n; i++) {
        ps_point p = in[i], q = in[(i + 1) % n];
        double sp = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
        double sq = (b.x - a.x) * (q.y - a.y) - (b.y - a.y) * (q.x - a.x);
        if (sp >= 0)
            out[m++] = p;
        if ((sp >= 0) != (sq >= 0)) {
            double t = sp / (sp - sq);
            out[m++] = (ps_point){p.x + t * (q.x - p.x), p.y + t * (q.y - p.y)};
        }
    }
    return m;
}

double psb_quad_iou(const ps_point a[4], const ps_point b[4])
{
    ps_point pa[4], pb[4], buf1[16], buf2[16];
    double aa, ab, ai;
    int n = 4;
    memcpy(pa, a, sizeof pa);
    memcpy(pb, b, sizeof pb);
    /* make both counter-clockwise in the maths sense */
    if (poly_area(pa, 4) < 0)
        for (int i = 0; i < 2; i++) { ps_point t = pa[i]; pa[i] = pa[3 - i]; pa[3 - i] = t; }
    if (poly_area(pb, 4) < 0)
        for (int i = 0; i < 2; i++) { ps_point t = pb[i]; pb[i] = pb[3 - i]; pb[3 - i] = t; }
    aa = poly_area(pa, 4);
    ab = poly_area(pb, 4);
    memcpy(buf1, pa, sizeof pa);
    for (int e = 0; e < 4 && n > 0; e++) {
        n = clip(buf1, n, pb[e], pb[(e + 1) % 4], buf2);
        memcpy(buf1, buf2, sizeof(ps_point) * (size_t)n);
    }
    ai = n >= 3 ? fabs(poly_area(buf1, n)) : 0;
    return aa + ab - ai > 0 ? ai / (aa + ab - ai) : 0;
}

int psb_contains_digits(const char *hay, const char *digits)
{
    size_t nd = strlen(digits);
    char run[4096];
    size_t n = 0;
    if (nd < 6 || hay == NULL)
        return 0;
    /* Scan runs of digits (spaces and hyphens inside a run are dropped). */
    for (const char *p = hay;; p++) {
        int d = *p && isdigit((unsigned char)*p);
        int sep = *p == ' ' || *p == '-';
        if (d) {
            if (n + 1 < sizeof run)
                run[n++] = *p;
            continue;
        }
        if (sep && n > 0)
            continue;
        run[n] = '\0';
        for (size_t k = 0; n >= 6 && k + 6 <= nd; k++) {
            char win[7];
            memcpy(win, digits + k, 6);
            win[6] = '\0';
            if (strstr(run, win))
                return 1;
        }
        n = 0;
        if (!*p)
            break;
    }
    return 0;
}

/* Running sums of two gray patches sampled at the same points. */
typedef struct psb_pair {
    double sa, sb, saa, sbb, sab, sad, n; /* sad: sum of |a - b| */
} psb_pair;

static void pair_add(psb_pair *p, const ps_image *a, const ps_image *b, int x, int y)
{
    double va = ps_image_row(a, y)[x], vb = ps_image_row(b, y)[x];
    p->sa += va; p->sb += vb; p->saa += va * va; p->sbb += vb * vb; p->sab += va * vb; p->n++;
    p->sad += fabs(va - vb);
}

/* A sampled patch still shows the original when it is textured (std-dev
 * above the noise of a JPEG-compressed flat fill) and correlates with the
 * original. */
#define PSB_TEXTURE_SD 12.0
#define PSB_SAME_NCC 0.5

static int pair_same(const psb_pair *p)
{
    if (p->n < 1)
        return 0;
    double n = p->n;
    double va = p->saa / n - (p->sa / n) * (p->sa / n), vb = p->sbb / n - (p->sb / n) * (p->sb / n);
    double cov = p->sab / n - (p->sa / n) * (p->sb / n);
    double sd_b = sqrt(vb > 0 ? vb : 0);
    double ncc = (va > 1 && vb > 1) ? cov / sqrt(va * vb) : 0;
    return sd_b >= PSB_TEXTURE_SD && ncc >= PSB_SAME_NCC;
}

/* Samples the band's [a0, a1) stretch along u, every pixel step, at the
 * nearest pixel (points outside the image are left out). */
static void band_sample(const ps_image *a, const ps_image *b, const psb_band *bd, double a0,
                        double a1, double t0, double t1, psb_pair *p)
{
    memset(p, 0, sizeof *p);
    for (double s = a0 + 0.5; s < a1; s += 1.0)
        for (double t = t0 + 0.5; t < t1; t += 1.0) {
            double x = bd->cx + bd->ux * (s - bd->len / 2) - bd->uy * (t - bd->thick / 2);
            double y = bd->cy + bd->uy * (s - bd->len / 2) + bd->ux * (t - bd->thick / 2);
            int xi = (int)floor(x), yi = (int)floor(y);
            if (xi >= 0 && yi >= 0 && xi < a->width && yi < a->height)
                pair_add(p, a, b, xi, yi);
        }
}

/* Width of a character over its height, for a line's thickness near 45
 * degrees (digits 0.55-0.7; the gaps between groups add a little). */
#define PSB_CHAR_ASPECT 0.65
/* Below this |cos 2a| the box's size does not tell length from thickness. */
#define PSB_SOLVE_MIN 0.35

psb_band psb_band_of(ps_box box, double ux, double uy, int n_chars)
{
    psb_band b = {box.x + box.w / 2.0, box.y + box.h / 2.0, 1, 0, box.w, box.h};
    double norm = hypot(ux, uy);
    if (norm < 1e-9) {
        if (box.h > box.w) {
            b.ux = 0;
            b.uy = 1;
            b.len = box.h;
            b.thick = box.w;
        }
        return b;
    }
    b.ux = ux / norm;
    b.uy = uy / norm;
    double c = fabs(b.ux), s = fabs(b.uy), det = c * c - s * s;
    double W = box.w, H = box.h, L = 0, T = 0;
    if (fabs(det) >= PSB_SOLVE_MIN) {
        L = (W * c - H * s) / det;
        T = (H * c - W * s) / det;
    }
    if (!(L > 0 && T > 0 && T <= L)) {
        double r = 1.0 / (PSB_CHAR_ASPECT * (n_chars > 0 ? n_chars : 1)); /* T / L */
        L = (W + H) / ((c + s) * (1 + r));
        T = r * L;
    }
    b.len = L;
    b.thick = T;
    return b;
}

void psb_quad_direction(const ps_point q[4], double *ux, double *uy)
{
    double x = (q[1].x - q[0].x) + (q[2].x - q[3].x), y = (q[1].y - q[0].y) + (q[2].y - q[3].y);
    double n = hypot(x, y);
    *ux = n > 0 ? x / n : 0;
    *uy = n > 0 ? y / n : 0;
}

int psb_band_leaks(const ps_image *orig, const ps_image *red, psb_band band, int *cells)
{
    int leaks = 0;
    *cells = 0;
    if (band.len < 2 || band.thick < 2)
        return 0;
    int n = (int)(band.len / band.thick);
    if (n < 1)
        n = 1;
    for (int i = 0; i < n; i++) {
        psb_pair p;
        band_sample(orig, red, &band, i * band.len / n, (i + 1) * band.len / n, 0, band.thick, &p);
        leaks += pair_same(&p);
    }
    *cells = n;
    return leaks;
}

int psb_box_leaks(const ps_image *orig, const ps_image *red, ps_box box, int *cells)
{
    box = ps_box_clip(box, red->width, red->height);
    return psb_band_leaks(orig, red, psb_band_of(box, 0, 0, 0), cells);
}

/* A digit's glyph in its cell: the middle, this share of a pitch (and of
 * the line's thickness) in from either side (digits are 0.55-0.7 of a
 * pitch wide): a cell that reached a mask's edge beside a kept digit or a
 * gap would read the card around it as a leak. */
#define PSB_GLYPH_SIDE 0.2

/* Mean |upload - stored| of a cell left as it was: JPEG re-encoding moves a
 * pixel a few levels; a solid fill over a digit moves its cell by tens. */
#define PSB_KEPT_DIFF 8.0

int psb_band_readable(const ps_image *orig, const ps_image *red, psb_band band)
{
    if (band.len < 2 || band.thick < 2)
        return 0;
    double cell = band.len / PSB_KEPT_CELLS;
    for (int i = 0; i < PSB_KEPT_CELLS; i++) {
        psb_pair p;
        /* the glyph's middle, as the leak test looks at a masked one */
        band_sample(orig, red, &band, (i + PSB_GLYPH_SIDE) * cell, (i + 1 - PSB_GLYPH_SIDE) * cell,
                    PSB_GLYPH_SIDE * band.thick, (1 - PSB_GLYPH_SIDE) * band.thick, &p);
        if (p.n < 1 || (!pair_same(&p) && p.sad / p.n > PSB_KEPT_DIFF))
            return 0;
    }
    return 1;
}

int psb_pan_slot(int n_digits, int i, int *pitches)
{
    if (n_digits == 15 || n_digits == 14) { /* Amex 4-6-5, Diners 4-6-4 */
        *pitches = n_digits + 2;
        return i + (i >= 4) + (i >= 10);
    }
    *pitches = n_digits + (n_digits + 3) / 4 - 1;
    return i + i / 4;
}

/* The stretch [a, b) pitches of a line `pitches` long. */
static psb_band band_part(psb_band line, double a, double b, int pitches)
{
    double p = line.len / pitches, mid = (a + b) / 2 * p - line.len / 2;
    line.cx += line.ux * mid;
    line.cy += line.uy * mid;
    line.len = (b - a) * p;
    return line;
}


int psb_pan_leaks(const ps_image *orig, const ps_image *red, psb_band line, int n_digits,
                  int *cells)
{
    int leaks = 0, pitches = 0;
    *cells = 0;
    for (int i = 0; i + 4 < n_digits; i++) {
        int slot = psb_pan_slot(n_digits, i, &pitches);
        psb_band c = band_part(line, slot + PSB_GLYPH_SIDE, slot + 1 - PSB_GLYPH_SIDE, pitches);
        psb_pair p;
        if (c.len < 1 || c.thick < 2)
            continue;
        band_sample(orig, red, &c, 0, c.len, PSB_GLYPH_SIDE * c.thick, (1 - PSB_GLYPH_SIDE) * c.thick, &p);
        leaks += pair_same(&p);
        (*cells)++;
    }
    return leaks;
}

psb_band psb_pan_last4_band(psb_band line, int n_digits)
{
    int pitches = 0;
    int a = psb_pan_slot(n_digits, n_digits - 4, &pitches);
    int b = psb_pan_slot(n_digits, n_digits - 1, &pitches) + 1;
    return band_part(line, a, b, pitches);
}

int psb_full_pan(const char *type, const char *digits)
{
    return strcmp(type, "pan") == 0 && strlen(digits) >= 13;
}

int psb_whole_number(const psb_truth *t, int s)
{
    return t->sensitive[s].has_box && psb_full_pan(t->sensitive[s].type, t->sensitive[s].digits) &&
           !t->last4_apart;
}

int psb_last4_scored(const psb_truth *t, int s)
{
    return !t->sensitive[s].cut &&
           ((t->sensitive[s].has_box && strcmp(t->sensitive[s].type, "pan_last4") == 0) ||
            psb_whole_number(t, s));
}
