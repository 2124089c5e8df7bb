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

/* Mean, standard deviation and correlation of two gray patches. */
static void patch_stats(const ps_image *a, const ps_image *b, ps_box c, double *sd_b, double *ncc)
{
    double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0, n = 0;
    for (int y = c.y; y < c.y + c.h; y++) {
        const uint8_t *ra = ps_image_row(a, y), *rb = ps_image_row(b, y);
        for (int x = c.x; x < c.x + c.w; x++) {
            double va = ra[x], vb = rb[x];
            sa += va; sb += vb; saa += va * va; sbb += vb * vb; sab += va * vb; n++;
        }
    }
    if (n < 1) {
        *sd_b = 0;
        *ncc = 0;
        return;
    }
    {
        double va = saa / n - (sa / n) * (sa / n), vb = sbb / n - (sb / n) * (sb / n);
        double cov = sab / n - (sa / n) * (sb / n);
        *sd_b = sqrt(vb > 0 ? vb : 0);
        *ncc = (va > 1 && vb > 1) ? cov / sqrt(va * vb) : 0;
    }
}

/* A cell still shows the original when it is textured (std-dev above the
 * noise of a JPEG-compressed flat fill) and correlates with the original. */
#define PSB_TEXTURE_SD 12.0
#define PSB_SAME_NCC 0.5

int psb_box_leaks(const ps_image *orig, const ps_image *red, ps_box box, int *cells)
{
    int leaks = 0, n;
    box = ps_box_clip(box, red->width, red->height);
    *cells = 0;
    if (box.w < 2 || box.h < 2)
        return 0;
    {
        int horiz = box.w >= box.h;
        int len = horiz ? box.w : box.h, thick = horiz ? box.h : box.w;
        n = len / (thick > 0 ? thick : 1);
        if (n < 1)
            n = 1;
        for (int i = 0; i < n; i++) {
            ps_box c = box;
            double sd, ncc;
            if (horiz) {
                c.x = box.x + (int)((double)i * box.w / n);
                c.w = (int)((double)(i + 1) * box.w / n) - (c.x - box.x);
            } else {
                c.y = box.y + (int)((double)i * box.h / n);
                c.h = (int)((double)(i + 1) * box.h / n) - (c.y - box.y);
            }
            patch_stats(orig, red, c, &sd, &ncc);
            if (sd >= PSB_TEXTURE_SD && ncc >= PSB_SAME_NCC)
                leaks++;
        }
    }
    *cells = n;
    return leaks;
}

int psb_box_readable(const ps_image *orig, const ps_image *red, ps_box box)
{
    double sd, ncc;
    box = ps_box_clip(box, red->width, red->height);
    if (box.w < 2 || box.h < 2)
        return 0;
    patch_stats(orig, red, box, &sd, &ncc);
    return sd >= PSB_TEXTURE_SD && ncc >= PSB_SAME_NCC;
}
