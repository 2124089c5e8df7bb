/* prescreen-gen — flat renderings of Japanese identity documents, address
 * proofs and payment cards with cairo + pango + libqrencode.
 *
 * Layouts are written in millimetres on the physical document and drawn at
 * any resolution. Every text that matters is drawn through put_text(), which
 * records its ink box (the pixels pango actually paints) so labels are exact
 * at the rendering resolution. The designs are invented look-alikes, not
 * copies of the real artwork. */
#include "gen.h"

#include <math.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>

#define SANS "Noto Sans CJK JP"
#define SANS_B "Noto Sans CJK JP Bold"
#define SERIF "Noto Serif CJK JP"
#define SERIF_B "Noto Serif CJK JP Bold"
#define MONO "Noto Sans Mono CJK JP"
#define GOTHIC "IPAGothic"
#define MINCHO "IPAMincho"

/* ID-1 card size, ISO/IEC 7810 */
#define ID1_W 85.60
#define ID1_H 53.98
#define ID1_R 3.18

typedef struct rc {
    cairo_t *cr;
    gen_doc *d;
    double k;       /* px per mm */
    gen_rng *r;
    int hide;       /* test hook: measure sensitive items but do not draw them */
    int in_sens;    /* the text being drawn is sensitive */
} rc;

const char *gen_doctype_name(gen_doctype t)
{
    static const char *names[GEN_DOCTYPE_COUNT] = {
        "drivers_license", "my_number_card", "my_number_notification_card",
        "residence_card", "passport", "health_insurance_card",
        "certificate_of_residence", "postal_mail", "utility_bill", "credit_card"};
    return (unsigned)t < GEN_DOCTYPE_COUNT ? names[t] : "unknown";
}

void gen_doc_size_mm(const gen_docspec *s, double *w, double *h)
{
    switch (s->type) {
    case GEN_PASSPORT: *w = 125.0; *h = 88.0; break;      /* ICAO TD3 */
    case GEN_NOTIFICATION: *w = 205.0; *h = 85.0; break;  /* paper strip, approximate */
    case GEN_JUMINHYO: *w = 210.0; *h = 297.0; break;     /* A4 */
    case GEN_MAIL: *w = 235.0; *h = 120.0; break;         /* 長形3号 on its side */
    case GEN_UTILITY: *w = 148.0; *h = 210.0; break;      /* A5 */
    default: *w = ID1_W; *h = ID1_H; break;
    }
}

/* ---- drawing primitives ------------------------------------------------ */

static void set_rgb(cairo_t *cr, uint32_t rgb)
{
    cairo_set_source_rgb(cr, ((rgb >> 16) & 255) / 255.0, ((rgb >> 8) & 255) / 255.0,
                         (rgb & 255) / 255.0);
}

static void add_keep(rc *c, double x, double y, double w, double h)
{
    if (c->d->nkeep < (int)(sizeof c->d->keep / sizeof c->d->keep[0])) {
        double *k = c->d->keep[c->d->nkeep++];
        k[0] = x; k[1] = y; k[2] = w; k[3] = h;
    }
}

/* Draws `s` with its logical top-left at (x_mm, y_mm). size_mm is the em
 * size; max_w_mm > 0 shrinks the font until the line fits. `emboss` draws a
 * raised look. The ink box is written to box (doc px) and kept clear of
 * thumbs. */
static void put_text_ex(rc *c, const char *font, double size_mm, double x_mm, double y_mm,
                        const char *s, uint32_t rgb, double max_w_mm, int emboss,
                        double box[4])
{
    PangoLayout *lay = pango_cairo_create_layout(c->cr);
    PangoFontDescription *fd = pango_font_description_from_string(font);
    PangoRectangle ink, logical;
    double size = size_mm;
    for (int tries = 0; tries < 8; tries++) { /* a few shrink steps are enough */
        pango_font_description_set_absolute_size(fd, size * c->k * PANGO_SCALE);
        pango_layout_set_font_description(lay, fd);
        pango_layout_set_text(lay, s, -1);
        pango_layout_get_extents(lay, &ink, &logical);
        if (max_w_mm <= 0 || logical.width / (double)PANGO_SCALE <= max_w_mm * c->k)
            break;
        size *= 0.9;
    }
    double x = x_mm * c->k, y = y_mm * c->k;
    double e = emboss ? fmax(1.0, 0.12 * c->k) : 0.0; /* ~0.12 mm relief */
    int draw = !(c->hide && c->in_sens);
    if (emboss && draw) {
        cairo_set_source_rgba(c->cr, 1, 1, 1, 0.75);
        cairo_move_to(c->cr, x - e, y - e);
        pango_cairo_show_layout(c->cr, lay);
        cairo_set_source_rgba(c->cr, 0, 0, 0, 0.6);
        cairo_move_to(c->cr, x + e, y + e);
        pango_cairo_show_layout(c->cr, lay);
    }
    if (draw) {
        set_rgb(c->cr, rgb);
        cairo_move_to(c->cr, x, y);
        pango_cairo_show_layout(c->cr, lay);
    }
    double bx = x + ink.x / (double)PANGO_SCALE - e, by = y + ink.y / (double)PANGO_SCALE - e;
    double bw = ink.width / (double)PANGO_SCALE + 2 * e, bh = ink.height / (double)PANGO_SCALE + 2 * e;
    /* outward to whole pixels, plus one for antialiasing */
    double x0 = floor(bx) - 1, y0 = floor(by) - 1, x1 = ceil(bx + bw) + 1, y1 = ceil(by + bh) + 1;
    if (box) {
        box[0] = x0; box[1] = y0; box[2] = x1 - x0; box[3] = y1 - y0;
    }
    add_keep(c, x0, y0, x1 - x0, y1 - y0);
    pango_font_description_free(fd);
    g_object_unref(lay);
}

static void put_text(rc *c, const char *font, double size_mm, double x_mm, double y_mm,
                     const char *s, uint32_t rgb, double max_w_mm, double box[4])
{
    put_text_ex(c, font, size_mm, x_mm, y_mm, s, rgb, max_w_mm, 0, box);
}

/* put_text_ex for a sensitive item (the test hook can hide it). */
static void sens_text(rc *c, const char *font, double size_mm, double x_mm, double y_mm,
                      const char *s, uint32_t rgb, int emboss, double box[4])
{
    c->in_sens = 1;
    put_text_ex(c, font, size_mm, x_mm, y_mm, s, rgb, 0, emboss, box);
    c->in_sens = 0;
}

static void add_field(rc *c, const char *key, const char *printed, const double box[4])
{
    gen_doc *d = c->d;
    if (d->nfields >= GEN_MAX_FIELDS)
        return;
    gen_fbox *f = &d->fields[d->nfields++];
    snprintf(f->key, sizeof f->key, "%s", key);
    snprintf(f->text, sizeof f->text, "%s", printed);
    f->x = box[0]; f->y = box[1]; f->w = box[2]; f->h = box[3];
}

static void add_sens(rc *c, const char *type, const char *text, const double box[4])
{
    gen_doc *d = c->d;
    if (d->nsens >= GEN_MAX_SENS)
        return;
    gen_sbox *s = &d->sens[d->nsens++];
    snprintf(s->type, sizeof s->type, "%s", type);
    snprintf(s->text, sizeof s->text, "%s", text);
    s->x = box[0]; s->y = box[1]; s->w = box[2]; s->h = box[3];
}

static void box_union(double a[4], const double b[4])
{
    double x0 = fmin(a[0], b[0]), y0 = fmin(a[1], b[1]);
    double x1 = fmax(a[0] + a[2], b[0] + b[2]), y1 = fmax(a[1] + a[3], b[1] + b[3]);
    a[0] = x0; a[1] = y0; a[2] = x1 - x0; a[3] = y1 - y0;
}

/* A printed field: label text then value; registers the value as field `key`. */
static void field(rc *c, const char *key, const char *font, double size_mm, double x_mm,
                  double y_mm, const char *value, uint32_t rgb, double max_w_mm)
{
    double b[4];
    put_text(c, font, size_mm, x_mm, y_mm, value, rgb, max_w_mm, b);
    add_field(c, key, value, b);
}

static void rounded_rect(cairo_t *cr, double x, double y, double w, double h, double r)
{
    cairo_new_sub_path(cr);
    cairo_arc(cr, x + w - r, y + r, r, -M_PI / 2, 0);
    cairo_arc(cr, x + w - r, y + h - r, r, 0, M_PI / 2);
    cairo_arc(cr, x + r, y + h - r, r, M_PI / 2, M_PI);
    cairo_arc(cr, x + r, y + r, r, M_PI, 1.5 * M_PI);
    cairo_close_path(cr);
}

static void mm_rect(rc *c, double x, double y, double w, double h)
{
    cairo_rectangle(c->cr, x * c->k, y * c->k, w * c->k, h * c->k);
}

/* Faint guilloche lines: a security-print look that also gives the
 * background some texture for detectors to cope with. */
static void guilloche(rc *c, double w_mm, double h_mm, uint32_t rgb, double alpha, int n)
{
    cairo_t *cr = c->cr;
    cairo_save(cr);
    cairo_set_source_rgba(cr, ((rgb >> 16) & 255) / 255.0, ((rgb >> 8) & 255) / 255.0,
                          (rgb & 255) / 255.0, alpha);
    cairo_set_line_width(cr, fmax(0.5, 0.12 * c->k));
    double ph = gen_rng_range(c->r, 0, 6.28), fr = gen_rng_range(c->r, 0.08, 0.2);
    for (int i = 0; i < n; i++) {
        double y0 = h_mm * (i + 0.5) / n;
        for (double x = 0; x <= w_mm; x += 0.8) { /* 0.8 mm steps look smooth */
            double y = y0 + 2.5 * sin(x * fr + ph + i * 0.7);
            if (x == 0)
                cairo_move_to(cr, x * c->k, y * c->k);
            else
                cairo_line_to(cr, x * c->k, y * c->k);
        }
        cairo_stroke(cr);
    }
    cairo_restore(cr);
}

/* Portrait photo: crops the face source around its face box to the frame's
 * aspect, draws it and records the face box in doc pixels. */
static void portrait(rc *c, const gen_docspec *s, double x_mm, double y_mm, double w_mm,
                     double h_mm, int gray)
{
    double fx = x_mm * c->k, fy = y_mm * c->k, fw = w_mm * c->k, fh = h_mm * c->k;
    cairo_t *cr = c->cr;
    add_keep(c, fx, fy, fw, fh);
    if (!s->photo) {
        cairo_set_source_rgb(cr, 0.8, 0.82, 0.85);
        cairo_rectangle(cr, fx, fy, fw, fh);
        cairo_fill(cr);
        return;
    }
    const double *fb = s->photo_face;
    double cw = fb[2] * 1.9, ch = cw * fh / fw;   /* head and shoulders */
    if (cw > s->photo_w) { cw = s->photo_w; ch = cw * fh / fw; }
    if (ch > s->photo_h) { ch = s->photo_h; cw = ch * fw / fh; }
    double cx = fb[0] + fb[2] / 2 - cw / 2, cy = fb[1] - 0.45 * fb[3];
    cx = fmin(fmax(cx, 0), s->photo_w - cw);
    cy = fmin(fmax(cy, 0), s->photo_h - ch);
    cairo_surface_t *src = cairo_image_surface_create(CAIRO_FORMAT_RGB24, s->photo_w, s->photo_h);
    cairo_surface_flush(src);
    uint8_t *data = cairo_image_surface_get_data(src);
    int stride = cairo_image_surface_get_stride(src);
    for (int yy = 0; yy < s->photo_h; yy++) {
        uint32_t *row = (uint32_t *)(data + (size_t)yy * stride);
        const uint8_t *in = s->photo + (size_t)yy * s->photo_w * 3;
        for (int xx = 0; xx < s->photo_w; xx++) {
            uint32_t r = in[3 * xx], g = in[3 * xx + 1], b = in[3 * xx + 2];
            if (gray) {
                uint32_t l = (r * 77 + g * 150 + b * 29) >> 8; /* BT.601 luma */
                r = g = b = l;
            }
            row[xx] = (r << 16) | (g << 8) | b;
        }
    }
    cairo_surface_mark_dirty(src);
    double sc = fw / cw;
    cairo_save(cr);
    cairo_rectangle(cr, fx, fy, fw, fh);
    cairo_clip(cr);
    cairo_translate(cr, fx, fy);
    cairo_scale(cr, sc, sc);
    cairo_set_source_surface(cr, src, -cx, -cy);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    cairo_paint(cr);
    cairo_restore(cr);
    cairo_surface_destroy(src);
    c->d->has_face = 1;
    c->d->face[0] = fx + (fb[0] - cx) * sc;
    c->d->face[1] = fy + (fb[1] - cy) * sc;
    c->d->face[2] = fb[2] * sc;
    c->d->face[3] = fb[3] * sc;
}

static void seal(rc *c, double x_mm, double y_mm, double size_mm, const char *txt, int round)
{
    cairo_t *cr = c->cr;
    cairo_save(cr);
    cairo_set_source_rgba(cr, 0.8, 0.1, 0.1, 0.85);
    cairo_set_line_width(cr, 0.4 * c->k);
    if (round)
        cairo_arc(cr, (x_mm + size_mm / 2) * c->k, (y_mm + size_mm / 2) * c->k,
                  size_mm / 2 * c->k, 0, 2 * M_PI);
    else
        mm_rect(c, x_mm, y_mm, size_mm, size_mm);
    cairo_stroke(cr);
    cairo_restore(cr);
    PangoLayout *lay = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string(SERIF_B);
    pango_font_description_set_absolute_size(fd, size_mm * 0.36 * c->k * PANGO_SCALE);
    pango_layout_set_font_description(lay, fd);
    pango_layout_set_width(lay, (int)(size_mm * 0.8 * c->k * PANGO_SCALE));
    pango_layout_set_alignment(lay, PANGO_ALIGN_CENTER);
    pango_layout_set_wrap(lay, PANGO_WRAP_CHAR);
    pango_layout_set_text(lay, txt, -1);
    cairo_set_source_rgba(cr, 0.8, 0.1, 0.1, 0.85);
    cairo_move_to(cr, (x_mm + size_mm * 0.1) * c->k, (y_mm + size_mm * 0.08) * c->k);
    pango_cairo_show_layout(cr, lay);
    pango_font_description_free(fd);
    g_object_unref(lay);
}

static void card_base(rc *c, uint32_t top, uint32_t bottom)
{
    cairo_t *cr = c->cr;
    cairo_pattern_t *p = cairo_pattern_create_linear(0, 0, ID1_W * c->k * 0.3, ID1_H * c->k);
    cairo_pattern_add_color_stop_rgb(p, 0, ((top >> 16) & 255) / 255.0, ((top >> 8) & 255) / 255.0,
                                     (top & 255) / 255.0);
    cairo_pattern_add_color_stop_rgb(p, 1, ((bottom >> 16) & 255) / 255.0,
                                     ((bottom >> 8) & 255) / 255.0, (bottom & 255) / 255.0);
    rounded_rect(cr, 0, 0, ID1_W * c->k, ID1_H * c->k, ID1_R * c->k);
    cairo_set_source(cr, p);
    cairo_fill(cr);
    cairo_pattern_destroy(p);
    c->d->bg_rgb = top;
}

static void set_iso(char *dst, size_t n, gen_date d)
{
    gen_date_iso(d, dst, n);
}

/* ---- driver's licence -------------------------------------------------- */

static void render_dl(rc *c, const gen_docspec *s)
{
    gen_doc *d = c->d;
    char buf[256], name[128], era[64];
    double b[4];
    const uint32_t ink = 0x1a1a1a;
    card_base(c, 0xeef3ea, 0xe2ece6);
    guilloche(c, ID1_W, ID1_H, 0x7fa38a, 0.25, 14);
    gen_person_name(&s->holder, name, sizeof name);

    put_text(c, SANS, 2.0, 3.0, 3.2, "氏名", ink, 0, NULL);
    field(c, "name", SANS_B, 3.4, 10.0, 2.4, name, ink, 33);
    gen_era_text(s->holder.birth, 0, era, sizeof era);
    put_text(c, SANS, 2.5, 47.0, 3.0, era, ink, 0, b);
    snprintf(buf, sizeof buf, "%s", era);
    add_field(c, "birth_date", buf, b);
    put_text(c, SANS, 2.5, 47.0 + b[2] / c->k + 0.3, 3.0, "生", ink, 0, NULL);
    put_text(c, SANS, 2.0, 3.0, 8.6, "住所", ink, 0, NULL);
    field(c, "address", SANS, 2.6, 10.0, 8.2, s->holder.address, ink, 72);
    put_text(c, SANS, 2.0, 3.0, 13.8, "交付", ink, 0, NULL);
    gen_era_text(s->issue, 1, era, sizeof era);
    field(c, "issue_date", SANS, 2.5, 10.0, 13.4, era, ink, 0);
    snprintf(buf, sizeof buf, "%05d", gen_rng_int(c->r, 10000, 99999));
    put_text(c, SANS, 2.5, 36.0, 13.4, buf, ink, 0, NULL);

    /* colour band: gold (優良), blue, green (new driver) */
    static const uint32_t bands[3] = {0xd9b64a, 0x4a7fd0, 0x3fa25b};
    int bi = s->variant % 3;
    cairo_set_source_rgb(c->cr, ((bands[bi] >> 16) & 255) / 255.0, ((bands[bi] >> 8) & 255) / 255.0,
                         (bands[bi] & 255) / 255.0);
    mm_rect(c, 3.0, 18.4, 56.0, 5.6);
    cairo_fill(c->cr);
    int eraonly = s->issue.y < 2019 || (s->issue.y == 2019 && s->issue.m < 5) || (s->variant / 3) % 4 == 3;
    if (eraonly && gen_date_days(s->issue) < gen_date_days((gen_date){2019, 5, 1})) {
        /* issued under 平成: the era simply continues past its end (平成33年) */
        snprintf(buf, sizeof buf, "平成%d年%02d月%02d日まで有効", s->expiry.y - 1988, s->expiry.m,
                 s->expiry.d);
    } else if (eraonly) {
        gen_era_text(s->expiry, 1, era, sizeof era);
        snprintf(buf, sizeof buf, "%sまで有効", era);
    } else {
        int ey = 0;
        gen_era(s->expiry, NULL, NULL, &ey);
        snprintf(buf, sizeof buf, "%d年(令和%d年)%02d月%02d日まで有効", s->expiry.y, ey,
                 s->expiry.m, s->expiry.d);
    }
    field(c, "expiry", SANS_B, 3.0, 4.0, 19.2, buf, 0x111111, 54);

    cairo_set_source_rgb(c->cr, 0.2, 0.2, 0.2);
    cairo_set_line_width(c->cr, 0.2 * c->k);
    mm_rect(c, 3.0, 25.4, 56.0, 9.0);
    cairo_stroke(c->cr);
    put_text(c, SANS, 1.8, 4.0, 26.0, "免許の", ink, 0, NULL);
    put_text(c, SANS, 1.8, 4.0, 28.6, "条件等", ink, 0, NULL);
    if (s->variant % 2)
        put_text(c, SANS, 2.5, 14.0, 27.0, "眼鏡等", ink, 0, NULL);
    if (bi == 0)
        put_text(c, SANS_B, 2.6, 48.0, 27.0, "優良", 0x111111, 0, NULL);

    snprintf(buf, sizeof buf, "第 %02d %04d %04d %02d 号", gen_rng_int(c->r, 10, 99),
             gen_rng_int(c->r, 0, 9999), gen_rng_int(c->r, 0, 9999), gen_rng_int(c->r, 10, 99));
    put_text(c, SANS, 1.9, 3.0, 35.8, "番号", ink, 0, NULL);
    put_text(c, SANS_B, 3.0, 10.0, 35.2, buf, ink, 0, NULL);

    /* categories table */
    cairo_set_line_width(c->cr, 0.15 * c->k);
    for (int i = 0; i < 3; i++) {
        mm_rect(c, 3.0, 40.0 + i * 4.2, 30.0, 4.2);
        cairo_stroke(c->cr);
    }
    static const char *cats[3] = {"二・小・原", "他", "二種"};
    for (int i = 0; i < 3; i++) {
        gen_date cd = gen_date_add(s->issue, -gen_rng_int(c->r, 400, 6000));
        gen_era_text(cd, 1, era, sizeof era);
        put_text(c, SANS, 1.6, 3.6, 40.6 + i * 4.2, cats[i], ink, 0, NULL);
        put_text(c, SANS, 1.6, 13.0, 40.6 + i * 4.2, i == 0 ? era : "", ink, 0, NULL);
    }
    put_text(c, SANS, 1.7, 35.0, 41.0, "種類", ink, 0, NULL);
    put_text(c, SANS_B, 2.4, 35.0, 44.0, "普通", ink, 0, NULL);

    portrait(c, s, 61.0, 19.0, 22.0, 27.5, 0);
    /* the prefecture: up to the first 都/道/府/県 */
    char pref[64];
    const char *a = s->holder.address;
    const char *ends[4] = {"都", "道", "府", "県"};
    size_t cut = strlen(a);
    for (int i = 0; i < 4; i++) {
        const char *p = strstr(a, ends[i]);
        if (p && (size_t)(p - a) + 3 < cut)
            cut = (size_t)(p - a) + 3; /* UTF-8 kanji are 3 bytes */
    }
    snprintf(pref, sizeof pref, "%.*s公安委員会", (int)cut, a);
    put_text(c, SANS, 2.2, 52.0, 48.6, pref, ink, 28, NULL);
    seal(c, 77.0, 46.5, 6.0, "公安", 0);
    (void)d;
}

/* ---- My Number card ------------------------------------------------------ */

static void qr_draw(rc *c, const char *text, double x_mm, double y_mm, double size_mm, double box[4])
{
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q)
        return;
    int quiet = 2; /* modules of white margin inside the frame */
    double m = size_mm / (q->width + 2 * quiet);
    cairo_set_source_rgb(c->cr, 1, 1, 1);
    mm_rect(c, x_mm, y_mm, size_mm, size_mm);
    cairo_fill(c->cr);
    cairo_set_source_rgb(c->cr, 0, 0, 0);
    for (int y = 0; y < q->width && !c->hide; y++)
        for (int x = 0; x < q->width; x++)
            if (q->data[y * q->width + x] & 1)
                mm_rect(c, x_mm + (x + quiet) * m, y_mm + (y + quiet) * m, m, m);
    cairo_fill(c->cr);
    double x0 = floor((x_mm + quiet * m) * c->k) - 1, y0 = floor((y_mm + quiet * m) * c->k) - 1;
    double x1 = ceil((x_mm + (quiet + q->width) * m) * c->k) + 1;
    double y1 = ceil((y_mm + (quiet + q->width) * m) * c->k) + 1;
    box[0] = x0; box[1] = y0; box[2] = x1 - x0; box[3] = y1 - y0;
    add_keep(c, x0, y0, x1 - x0, y1 - y0);
    QRcode_free(q);
}

static void make_mynumber(gen_rng *r, char out[13])
{
    for (int i = 0; i < 11; i++)
        out[i] = (char)('0' + gen_rng_int(r, i == 0 ? 1 : 0, 9));
    out[11] = (char)('0' + gen_mynumber_check_digit(out));
    out[12] = '\0';
}

static void spaced4(const char *digits, char *buf, size_t n)
{
    size_t len = strlen(digits), j = 0;
    for (size_t i = 0; i < len && j + 2 < n; i++) {
        if (i && i % 4 == 0)
            buf[j++] = ' ';
        buf[j++] = digits[i];
    }
    buf[j] = '\0';
}

static void render_mynumber(rc *c, const gen_docspec *s)
{
    char buf[256], name[128], era[64], num[13];
    double b[4];
    const uint32_t ink = 0x222222;
    gen_person_name(&s->holder, name, sizeof name);
    gen_era_text(s->holder.birth, 0, era, sizeof era);
    if (!s->back) {
        card_base(c, 0xf4f6fa, 0xe6ecf5);
        guilloche(c, ID1_W, ID1_H, 0x8aa0c8, 0.18, 10);
        put_text(c, SANS_B, 2.6, 3.0, 2.0, "個人番号カード", 0x2b4a8a, 0, NULL);
        put_text(c, SANS, 1.8, 3.0, 8.0, "氏名", ink, 0, NULL);
        field(c, "name", SANS_B, 3.6, 9.5, 7.0, name, ink, 46);
        put_text(c, SANS, 1.8, 3.0, 14.6, "住所", ink, 0, NULL);
        /* two lines when long: the field box is the union of both */
        char l1[256], l2[256];
        const char *sp = strchr(s->holder.address, ' ');
        if (sp) {
            snprintf(l1, sizeof l1, "%.*s", (int)(sp - s->holder.address), s->holder.address);
            snprintf(l2, sizeof l2, "%s", sp + 1);
        } else {
            snprintf(l1, sizeof l1, "%s", s->holder.address);
            l2[0] = '\0';
        }
        double b2[4];
        put_text(c, SANS, 2.5, 9.5, 14.2, l1, ink, 47, b);
        if (l2[0]) {
            put_text(c, SANS, 2.5, 9.5, 18.0, l2, ink, 47, b2);
            box_union(b, b2);
        }
        add_field(c, "address", s->holder.address, b);
        put_text(c, SANS, 2.5, 3.0, 30.0, era, ink, 0, b);
        add_field(c, "birth_date", era, b);
        put_text(c, SANS, 2.5, 3.0 + b[2] / c->k + 0.4, 30.0, "生", ink, 0, NULL);
        snprintf(buf, sizeof buf, "性別 %s", s->holder.female ? "女" : "男");
        put_text(c, SANS, 2.5, 38.0, 30.0, buf, ink, 0, NULL);
        snprintf(buf, sizeof buf, "%d年%2d月%2d日まで有効", s->expiry.y, s->expiry.m, s->expiry.d);
        put_text(c, SANS_B, 2.6, 3.0, 35.5, buf, ink, 0, b);
        add_field(c, "expiry", buf, b);
        put_text(c, SANS, 1.6, 3.0, 41.5, "電子証明書の有効期限の", ink, 0, NULL);
        gen_date de = gen_date_add(s->expiry, -gen_rng_int(c->r, 0, 1500));
        snprintf(buf, sizeof buf, "%d年%2d月%2d日", de.y, de.m, de.d);
        put_text(c, SANS, 1.6, 3.0, 43.8, buf, ink, 0, NULL);
        put_text(c, SANS, 1.6, 3.0, 48.5, "臓器提供意思", ink, 0, NULL);
        portrait(c, s, 59.0, 8.0, 23.0, 29.0, 0);
        snprintf(buf, sizeof buf, "%.6s長", "千代田区");
        put_text(c, SANS, 1.8, 60.0, 40.0, buf, ink, 0, NULL);
    } else {
        card_base(c, 0xf7f7f4, 0xeaeaea);
        guilloche(c, ID1_W, ID1_H, 0xa0a0b8, 0.15, 8);
        make_mynumber(c->r, num);
        put_text(c, SANS, 2.0, 3.0, 3.0, "個人番号", ink, 0, NULL);
        char sp[32];
        spaced4(num, sp, sizeof sp);
        sens_text(c, MONO, 4.4, 18.0, 1.8, sp, 0x111111, 0, b);
        add_sens(c, "my_number", num, b);
        /* IC chip */
        cairo_set_source_rgb(c->cr, 0.83, 0.72, 0.4);
        rounded_rect(c->cr, 8 * c->k, 16 * c->k, 11 * c->k, 9 * c->k, 1.2 * c->k);
        cairo_fill(c->cr);
        put_text(c, SANS, 1.8, 3.0, 32.0, "氏名", ink, 0, NULL);
        field(c, "name", SANS, 2.6, 9.0, 31.5, name, ink, 40);
        put_text(c, SANS, 1.8, 3.0, 37.0, "生年月日", ink, 0, NULL);
        put_text(c, SANS, 2.4, 12.5, 36.6, era, ink, 0, b);
        add_field(c, "birth_date", era, b);
        qr_draw(c, num, 60.0, 27.0, 22.0, b);
        add_sens(c, "my_number_qr", num, b);
        put_text(c, SANS, 1.5, 3.0, 47.0, "個人番号カード", ink, 0, NULL);
    }
}

/* ---- My Number notification card (paper) --------------------------------- */

static void render_notification(rc *c, const gen_docspec *s)
{
    char buf[256], name[128], era[64], num[13], sp[32];
    double b[4], w = 205.0, h = 85.0;
    const uint32_t ink = 0x202020;
    cairo_set_source_rgb(c->cr, 0.93, 0.97, 0.92);
    cairo_rectangle(c->cr, 0, 0, w * c->k, h * c->k);
    cairo_fill(c->cr);
    c->d->bg_rgb = 0xedf7eb;
    guilloche(c, w, h, 0x6fb07a, 0.2, 18);
    put_text(c, SANS_B, 6.0, 10.0, 6.0, "通知カード", 0x2f6b3a, 0, NULL);
    make_mynumber(c->r, num);
    spaced4(num, sp, sizeof sp);
    put_text(c, SANS, 3.0, 10.0, 19.0, "個人番号", ink, 0, NULL);
    sens_text(c, MONO, 6.0, 32.0, 17.0, sp, 0x111111, 0, b);
    add_sens(c, "my_number", num, b);
    gen_person_name(&s->holder, name, sizeof name);
    put_text(c, SANS, 3.0, 10.0, 31.0, "氏名", ink, 0, NULL);
    field(c, "name", SANS_B, 5.0, 32.0, 29.5, name, ink, 90);
    put_text(c, SANS, 3.0, 10.0, 42.0, "住所", ink, 0, NULL);
    field(c, "address", SANS, 4.0, 32.0, 41.0, s->holder.address, ink, 160);
    gen_era_text(s->holder.birth, 0, era, sizeof era);
    put_text(c, SANS, 3.0, 10.0, 52.0, "生年月日", ink, 0, NULL);
    put_text(c, SANS, 4.0, 32.0, 51.0, era, ink, 0, b);
    add_field(c, "birth_date", era, b);
    snprintf(buf, sizeof buf, "性別 %s", s->holder.female ? "女" : "男");
    put_text(c, SANS, 4.0, 110.0, 51.0, buf, ink, 0, NULL);
    gen_era_text(s->issue, 0, era, sizeof era);
    snprintf(buf, sizeof buf, "発行日 %s", era);
    put_text(c, SANS, 3.0, 10.0, 64.0, buf, ink, 0, b);
    add_field(c, "issue_date", era, b);
    put_text(c, SANS, 2.6, 10.0, 72.0,
             "この通知カードは本人確認書類としては使用できません", ink, 0, NULL);
    seal(c, 175.0, 60.0, 16.0, "区長之印", 0);
}

/* ---- residence card ------------------------------------------------------ */

static void render_residence(rc *c, const gen_docspec *s)
{
    char buf[256], name[128];
    double b[4];
    const uint32_t ink = 0x1e1e1e;
    card_base(c, 0xf6f4f8, 0xe9e4ef);
    guilloche(c, ID1_W, ID1_H, 0xb08ab8, 0.18, 12);
    put_text(c, SANS_B, 2.6, 3.0, 1.8, "在留カード", 0x4a2a6a, 0, NULL);
    put_text(c, SANS, 1.7, 20.0, 2.6, "RESIDENCE CARD", 0x4a2a6a, 0, NULL);
    snprintf(buf, sizeof buf, "番号 %c%c%08d%c%c", 'A' + gen_rng_int(c->r, 0, 25),
             'A' + gen_rng_int(c->r, 0, 25), gen_rng_int(c->r, 0, 99999999),
             'A' + gen_rng_int(c->r, 0, 25), 'A' + gen_rng_int(c->r, 0, 25));
    put_text(c, SANS, 2.0, 52.0, 2.4, buf, ink, 0, NULL);
    put_text(c, SANS, 1.5, 3.0, 7.6, "氏名 NAME", ink, 0, NULL);
    gen_person_name(&s->holder, name, sizeof name);
    field(c, "name", SANS_B, 3.0, 14.0, 6.8, name, ink, 44);
    put_text(c, SANS, 1.5, 3.0, 12.2, "生年月日 DATE OF BIRTH", ink, 0, NULL);
    snprintf(buf, sizeof buf, "%d年%02d月%02d日", s->holder.birth.y, s->holder.birth.m,
             s->holder.birth.d);
    put_text(c, SANS, 2.3, 23.0, 11.7, buf, ink, 0, b);
    add_field(c, "birth_date", buf, b);
    snprintf(buf, sizeof buf, "性別 SEX %s", s->holder.female ? "F. 女" : "M. 男");
    put_text(c, SANS, 1.8, 43.0, 12.0, buf, ink, 0, NULL);
    snprintf(buf, sizeof buf, "国籍・地域 NATIONALITY/REGION  %s", s->holder.nationality);
    put_text(c, SANS, 1.6, 3.0, 16.0, buf, ink, 56, NULL);
    put_text(c, SANS, 1.5, 3.0, 20.2, "住居地 ADDRESS", ink, 0, NULL);
    field(c, "address", SANS, 2.2, 3.0, 22.6, s->holder.address, ink, 56);
    put_text(c, SANS, 1.5, 3.0, 27.6, "在留資格 STATUS", ink, 0, NULL);
    put_text(c, SANS_B, 2.2, 18.0, 27.0, "技術・人文知識・国際業務", ink, 40, NULL);
    put_text(c, SANS, 1.5, 3.0, 32.2, "在留期間(満了日) PERIOD OF STAY (DATE OF EXPIRATION)", ink, 56, NULL);
    snprintf(buf, sizeof buf, "%d年 (%d年%02d月%02d日)", s->expiry.y - s->issue.y, s->expiry.y,
             s->expiry.m, s->expiry.d);
    put_text(c, SANS_B, 2.3, 6.0, 34.8, buf, ink, 0, NULL);
    put_text(c, SANS, 1.5, 3.0, 40.0, "許可の種類 在留期間更新許可", ink, 0, NULL);
    snprintf(buf, sizeof buf, "%d年%02d月%02d日交付", s->issue.y, s->issue.m, s->issue.d);
    put_text(c, SANS, 1.7, 3.0, 43.0, buf, ink, 0, b);
    add_field(c, "issue_date", buf, b);
    snprintf(buf, sizeof buf, "このカードは %d年%02d月%02d日まで有効 です。", s->expiry.y,
             s->expiry.m, s->expiry.d);
    put_text(c, SANS_B, 2.0, 3.0, 47.5, buf, 0x8a1a1a, 60, b);
    add_field(c, "expiry", buf, b);
    portrait(c, s, 62.0, 8.0, 21.0, 26.0, 0);
    put_text(c, SANS, 1.6, 63.0, 40.0, "法務大臣", ink, 0, NULL);
    seal(c, 74.0, 38.0, 7.0, "法務", 1);
}

/* ---- health insurance card ---------------------------------------------- */

static void render_health(rc *c, const gen_docspec *s)
{
    char buf[256], name[128], era[64], ins[16];
    double b[4];
    const uint32_t ink = 0x202020;
    int kokuho = s->variant % 2; /* 国民健康保険 cards print the address */
    card_base(c, kokuho ? 0xfbeef0 : 0xeef4fb, kokuho ? 0xf3e0e4 : 0xdfe9f5);
    put_text(c, SANS_B, 2.8, 3.0, 2.0, kokuho ? "国民健康保険被保険者証" : "健康保険 被保険者証",
             ink, 50, NULL);
    put_text(c, SANS, 1.8, 62.0, 2.8, "本人(被保険者)", ink, 0, NULL);
    gen_era_text(s->issue, 0, era, sizeof era);
    snprintf(buf, sizeof buf, "%s交付", era);
    put_text(c, SANS, 1.8, 3.0, 7.6, buf, ink, 0, b);
    add_field(c, "issue_date", era, b);
    snprintf(buf, sizeof buf, "記号 %d   番号 %d", gen_rng_int(c->r, 1000, 99999),
             gen_rng_int(c->r, 1, 999));
    sens_text(c, SANS, 2.4, 3.0, 11.0, buf, ink, 0, b);
    add_sens(c, "insured_number", buf, b);
    gen_person_name(&s->holder, name, sizeof name);
    put_text(c, SANS, 1.8, 3.0, 17.2, "氏名", ink, 0, NULL);
    field(c, "name", SANS_B, 3.2, 14.0, 16.2, name, ink, 50);
    gen_era_text(s->holder.birth, 0, era, sizeof era);
    put_text(c, SANS, 1.8, 3.0, 22.4, "生年月日", ink, 0, NULL);
    put_text(c, SANS, 2.4, 14.0, 21.9, era, ink, 0, b);
    add_field(c, "birth_date", era, b);
    snprintf(buf, sizeof buf, "性別 %s", s->holder.female ? "女" : "男");
    put_text(c, SANS, 2.2, 58.0, 22.0, buf, ink, 0, NULL);
    if (kokuho) {
        put_text(c, SANS, 1.8, 3.0, 27.4, "住所", ink, 0, NULL);
        field(c, "address", SANS, 2.2, 14.0, 27.0, s->holder.address, ink, 68);
        gen_era_text(s->expiry, 0, era, sizeof era);
        snprintf(buf, sizeof buf, "有効期限 %sまで", era);
        put_text(c, SANS, 2.0, 3.0, 32.0, buf, ink, 0, b);
        add_field(c, "expiry", era, b);
    } else {
        gen_era_text(gen_date_add(s->issue, -gen_rng_int(c->r, 0, 3000)), 0, era, sizeof era);
        snprintf(buf, sizeof buf, "資格取得年月日 %s", era);
        put_text(c, SANS, 2.0, 3.0, 27.4, buf, ink, 0, NULL);
        put_text(c, SANS, 1.8, 3.0, 32.0, "事業所名称 株式会社さくら商事", ink, 0, NULL);
    }
    snprintf(ins, sizeof ins, "%02d%02d%04d", kokuho ? 0 : 6, gen_rng_int(c->r, 1, 47),
             gen_rng_int(c->r, 0, 9999));
    put_text(c, SANS, 1.8, 3.0, 39.6, "保険者番号", ink, 0, NULL);
    sens_text(c, MONO, 2.6, 20.0, 39.0, ins, ink, 0, b);
    add_sens(c, "insurer_number", ins, b);
    put_text(c, SANS, 1.8, 3.0, 44.6, kokuho ? "保険者名称 千代田区" : "保険者名称 全国健康保険協会",
             ink, 0, NULL);
    put_text(c, SANS, 1.6, 3.0, 48.6, "保険者所在地 東京都千代田区九段北1-1-1", ink, 0, NULL);
    seal(c, 72.0, 40.0, 9.0, "保険者印", 0);
}

/* ---- passport data page (ICAO 9303 TD3) ---------------------------------- */

static void mrz_fill(char *dst, const char *src, size_t n)
{
    size_t i = 0;
    for (; src[i] && i < n; i++)
        dst[i] = (src[i] == ' ' || src[i] == '-' || src[i] == '.') ? '<' : src[i];
    for (; i < n; i++)
        dst[i] = '<';
}

static const char *MON[12] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                              "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};

static void render_passport(rc *c, const gen_docspec *s)
{
    char buf[256], no[16], l1[45], l2[45];
    double b[4], b2[4];
    const uint32_t ink = 0x151515;
    double w = 125.0, h = 88.0;
    cairo_pattern_t *p = cairo_pattern_create_linear(0, 0, w * c->k, h * c->k);
    cairo_pattern_add_color_stop_rgb(p, 0, 0.95, 0.93, 0.96);
    cairo_pattern_add_color_stop_rgb(p, 1, 0.9, 0.93, 0.95);
    cairo_rectangle(c->cr, 0, 0, w * c->k, h * c->k);
    cairo_set_source(c->cr, p);
    cairo_fill(c->cr);
    cairo_pattern_destroy(p);
    c->d->bg_rgb = 0xf0eef4;
    guilloche(c, w, h, 0xa08ab0, 0.2, 20);
    put_text(c, SERIF_B, 3.6, 8.0, 4.0, "日本国  JAPAN", 0x6a2a4a, 0, NULL);
    put_text(c, SANS, 2.2, 75.0, 5.0, "旅券  PASSPORT", ink, 0, NULL);
    portrait(c, s, 6.0, 17.0, 33.0, 43.0, 0);
    snprintf(no, sizeof no, "T%c%07d", 'A' + gen_rng_int(c->r, 0, 25), gen_rng_int(c->r, 0, 9999999));
    double X = 45.0;
    put_text(c, SANS, 1.5, X, 12.0, "型/Type", ink, 0, NULL);
    put_text(c, SANS_B, 2.6, X, 14.0, "P", ink, 0, NULL);
    put_text(c, SANS, 1.5, X + 14, 12.0, "発行国/Issuing country", ink, 0, NULL);
    put_text(c, SANS_B, 2.6, X + 14, 14.0, "JPN", ink, 0, NULL);
    put_text(c, SANS, 1.5, X + 44, 12.0, "旅券番号/Passport No.", ink, 0, NULL);
    put_text(c, SANS_B, 2.8, X + 44, 14.0, no, ink, 0, NULL);
    put_text(c, SANS, 1.5, X, 19.0, "姓/Surname", ink, 0, NULL);
    put_text(c, SANS_B, 2.8, X, 21.0, s->holder.family_latin, ink, 0, b);
    put_text(c, SANS, 1.5, X, 26.0, "名/Given name", ink, 0, NULL);
    put_text(c, SANS_B, 2.8, X, 28.0, s->holder.given_latin, ink, 0, b2);
    box_union(b, b2);
    snprintf(buf, sizeof buf, "%s %s", s->holder.family_latin, s->holder.given_latin);
    add_field(c, "name", buf, b);
    put_text(c, SANS, 1.5, X, 33.0, "国籍/Nationality", ink, 0, NULL);
    put_text(c, SANS_B, 2.6, X, 35.0, "JAPAN", ink, 0, NULL);
    put_text(c, SANS, 1.5, X + 38, 33.0, "生年月日/Date of birth", ink, 0, NULL);
    snprintf(buf, sizeof buf, "%02d %s %d", s->holder.birth.d, MON[s->holder.birth.m - 1],
             s->holder.birth.y);
    field(c, "birth_date", SANS_B, 2.6, X + 38, 35.0, buf, ink, 0);
    put_text(c, SANS, 1.5, X, 40.0, "性別/Sex", ink, 0, NULL);
    put_text(c, SANS_B, 2.6, X, 42.0, s->holder.female ? "F" : "M", ink, 0, NULL);
    put_text(c, SANS, 1.5, X + 20, 40.0, "本籍/Registered Domicile", ink, 0, NULL);
    put_text(c, SANS_B, 2.6, X + 20, 42.0, "TOKYO", ink, 0, NULL);
    put_text(c, SANS, 1.5, X, 47.0, "発行年月日/Date of issue", ink, 0, NULL);
    snprintf(buf, sizeof buf, "%02d %s %d", s->issue.d, MON[s->issue.m - 1], s->issue.y);
    field(c, "issue_date", SANS_B, 2.6, X, 49.0, buf, ink, 0);
    put_text(c, SANS, 1.5, X, 54.0, "有効期間満了日/Date of expiry", ink, 0, NULL);
    snprintf(buf, sizeof buf, "%02d %s %d", s->expiry.d, MON[s->expiry.m - 1], s->expiry.y);
    field(c, "expiry", SANS_B, 2.6, X, 56.0, buf, ink, 0);
    put_text(c, SANS, 1.5, X + 38, 47.0, "発行官庁/Authority", ink, 0, NULL);
    put_text(c, SANS_B, 2.0, X + 38, 49.0, "MINISTRY OF FOREIGN AFFAIRS", ink, 36, NULL);

    /* MRZ: line 1 P<JPN + names; line 2 number, dates and check digits */
    char names[80];
    snprintf(names, sizeof names, "%s<<%s", s->holder.family_latin, s->holder.given_latin);
    memcpy(l1, "P<JPN", 5);
    mrz_fill(l1 + 5, names, 39);
    l1[44] = '\0';
    char f[45];
    mrz_fill(f, no, 9);
    f[9] = (char)('0' + gen_mrz_check_digit(f, 9));
    memcpy(f + 10, "JPN", 3);
    snprintf(buf, sizeof buf, "%02d%02d%02d", s->holder.birth.y % 100, s->holder.birth.m,
             s->holder.birth.d);
    memcpy(f + 13, buf, 6);
    f[19] = (char)('0' + gen_mrz_check_digit(f + 13, 6));
    f[20] = s->holder.female ? 'F' : 'M';
    snprintf(buf, sizeof buf, "%02d%02d%02d", s->expiry.y % 100, s->expiry.m, s->expiry.d);
    memcpy(f + 21, buf, 6);
    f[27] = (char)('0' + gen_mrz_check_digit(f + 21, 6));
    mrz_fill(f + 28, "", 14);
    f[42] = (char)('0' + gen_mrz_check_digit(f + 28, 14));
    char comp[64];
    memcpy(comp, f, 10);
    memcpy(comp + 10, f + 13, 7);
    memcpy(comp + 17, f + 21, 22);
    f[43] = (char)('0' + gen_mrz_check_digit(comp, 39));
    f[44] = '\0';
    memcpy(l2, f, 45);
    cairo_set_source_rgb(c->cr, 1, 1, 1);
    put_text(c, MONO, 3.4, 5.0, 68.0, l1, 0x000000, 115, b);
    add_field(c, "mrz1", l1, b);
    put_text(c, MONO, 3.4, 5.0, 76.0, l2, 0x000000, 115, b);
    add_field(c, "mrz2", l2, b);
}

/* ---- credit card ---------------------------------------------------------- */

/* Card number: a brand prefix, random body, Luhn check digit. */
static int make_pan(gen_rng *r, int brand, char *out)
{
    static const char *pre[4] = {"4", "5", "35", "37"}; /* Visa, MC, JCB, Amex */
    int len = brand == 3 ? 15 : 16;
    size_t pl = strlen(pre[brand]);
    memcpy(out, pre[brand], pl);
    if (brand == 1)
        out[pl++] = (char)('1' + gen_rng_int(r, 0, 4)); /* 51..55 */
    if (brand == 2) {
        out[pl++] = (char)('2' + gen_rng_int(r, 0, 7)); /* 3528..3589 range */
        out[pl++] = (char)('0' + gen_rng_int(r, 0, 9));
    }
    for (size_t i = pl; i < (size_t)len - 1; i++)
        out[i] = (char)('0' + gen_rng_int(r, 0, 9));
    out[len - 1] = '\0';
    out[len - 1] = (char)('0' + gen_luhn_check_digit(out));
    out[len] = '\0';
    return len;
}

static void brand_logo(rc *c, int brand, double x, double y)
{
    cairo_t *cr = c->cr;
    if (brand == 0) {
        put_text(c, "DejaVu Sans Bold Oblique", 5.0, x, y, "VISA", 0x1a1f71, 0, NULL);
    } else if (brand == 1) {
        cairo_set_source_rgba(cr, 0.92, 0.0, 0.1, 0.95);
        cairo_arc(cr, (x + 4) * c->k, (y + 4) * c->k, 4 * c->k, 0, 2 * M_PI);
        cairo_fill(cr);
        cairo_set_source_rgba(cr, 0.97, 0.62, 0.1, 0.85);
        cairo_arc(cr, (x + 9.5) * c->k, (y + 4) * c->k, 4 * c->k, 0, 2 * M_PI);
        cairo_fill(cr);
    } else if (brand == 2) {
        static const uint32_t col[3] = {0x0e4c96, 0xe4002b, 0x009b3a};
        for (int i = 0; i < 3; i++) {
            set_rgb(cr, col[i]);
            rounded_rect(cr, (x + i * 4.4) * c->k, y * c->k, 4.2 * c->k, 7 * c->k, 1 * c->k);
            cairo_fill(cr);
        }
        put_text(c, SANS_B, 3.2, x + 1.0, y + 1.4, "J  C  B", 0xffffff, 0, NULL);
    } else {
        cairo_set_source_rgb(cr, 0.0, 0.45, 0.75);
        mm_rect(c, x, y, 14, 8);
        cairo_fill(cr);
        put_text(c, SANS_B, 1.9, x + 0.8, y + 0.8, "AMERICAN", 0xffffff, 12.5, NULL);
        put_text(c, SANS_B, 1.9, x + 0.8, y + 4.0, "EXPRESS", 0xffffff, 12.5, NULL);
    }
}

static void render_credit(rc *c, const gen_docspec *s)
{
    char pan[20], buf[64], name[64];
    double b[4];
    int brand = s->variant % 4, emboss = (s->variant / 4) % 2;
    static const uint32_t bgs[6][2] = {{0x1f3b73, 0x3c6bb3}, {0x2b2b2b, 0x5a5a5a},
                                       {0xb8b8b8, 0xe6e6e6}, {0x0f5a3c, 0x2f8f64},
                                       {0x7a1830, 0xb83a55}, {0xd8c28a, 0xf0e2b8}};
    int bi = (s->variant / 8) % 6;
    int light = bi == 2 || bi == 5;
    uint32_t fg = light ? 0x1a1a1a : 0xf2f2f2;
    int len = make_pan(c->r, brand, pan);
    char cvv[5];
    snprintf(cvv, sizeof cvv, brand == 3 ? "%04d" : "%03d",
             gen_rng_int(c->r, brand == 3 ? 1000 : 100, brand == 3 ? 9999 : 999));
    card_base(c, bgs[bi][0], bgs[bi][1]);
    snprintf(name, sizeof name, "%s %s", s->holder.given_latin, s->holder.family_latin);
    if (!s->back) {
        put_text(c, SANS_B, 3.2, 5.0, 4.0, "SAKURA CARD", fg, 0, NULL);
        cairo_set_source_rgb(c->cr, 0.85, 0.74, 0.42);
        rounded_rect(c->cr, 9 * c->k, 17 * c->k, 11 * c->k, 8.5 * c->k, 1.3 * c->k);
        cairo_fill(c->cr);
        cairo_set_source_rgba(c->cr, 0.45, 0.35, 0.1, 0.7);
        cairo_set_line_width(c->cr, 0.15 * c->k);
        mm_rect(c, 12.5, 17, 4, 8.5);
        cairo_stroke(c->cr);
        /* one digit at a time on a fixed pitch, as embossers and printers do */
        double pitch = brand == 3 ? 4.1 : 3.85, gap = 2.4, x = 7.5;
        double first[4] = {0}, last[4] = {0};
        int nmask = len == 15 ? 11 : 12;
        for (int i = 0; i < len; i++) {
            if (i > 0 && ((len == 16 && i % 4 == 0) || (len == 15 && (i == 4 || i == 10))))
                x += gap;
            char dg[2] = {pan[i], 0};
            sens_text(c, emboss ? "DejaVu Sans Mono Bold" : MONO, 4.4, x, 28.0, dg,
                      emboss ? 0xe8e8e0 : fg, emboss, b);
            if (i == 0)
                memcpy(first, b, sizeof b);
            else if (i < nmask)
                box_union(first, b);
            else if (i == nmask)
                memcpy(last, b, sizeof b);
            else
                box_union(last, b);
            x += pitch;
        }
        char head[20];
        snprintf(head, sizeof head, "%.*s", nmask, pan);
        add_sens(c, "pan", pan, first);
        add_sens(c, "pan_last4", pan + nmask, last);
        if (brand == 3) { /* Amex: 4-digit CID printed above the number */
            sens_text(c, MONO, 2.0, 66.0, 23.5, cvv, fg, 0, b);
            add_sens(c, "cvv", cvv, b);
        }
        put_text(c, SANS, 1.4, 36.0, 36.2, "VALID THRU", fg, 0, NULL);
        snprintf(buf, sizeof buf, "%02d/%02d", s->expiry.m, s->expiry.y % 100);
        put_text_ex(c, emboss ? "DejaVu Sans Mono Bold" : MONO, 2.8, 48.0, 35.4, buf,
                    emboss ? 0xe8e8e0 : fg, 0, emboss, b);
        add_field(c, "expiry", buf, b);
        put_text_ex(c, emboss ? "DejaVu Sans Mono Bold" : SANS_B, 3.0, 7.5, 43.0, name,
                    emboss ? 0xe8e8e0 : fg, 52, emboss, b);
        add_field(c, "name", name, b);
        brand_logo(c, brand, 66.0, 42.0);
    } else {
        cairo_set_source_rgb(c->cr, 0.08, 0.08, 0.08);
        mm_rect(c, 0, 4.5, ID1_W, 12.5);
        cairo_fill(c->cr);
        /* signature panel with a fine pattern */
        cairo_set_source_rgb(c->cr, 0.97, 0.97, 0.93);
        mm_rect(c, 6, 21, 52, 9);
        cairo_fill(c->cr);
        cairo_set_source_rgba(c->cr, 0.5, 0.6, 0.85, 0.35);
        cairo_set_line_width(c->cr, 0.1 * c->k);
        for (double xx = 6; xx < 58; xx += 1.2) {
            cairo_move_to(c->cr, xx * c->k, 21 * c->k);
            cairo_line_to(c->cr, (xx + 3) * c->k, 30 * c->k);
        }
        cairo_stroke(c->cr);
        /* the holder's signature: a scribble */
        cairo_set_source_rgb(c->cr, 0.1, 0.1, 0.35);
        cairo_set_line_width(c->cr, 0.3 * c->k);
        cairo_move_to(c->cr, 9 * c->k, 27 * c->k);
        for (int i = 0; i < 8; i++)
            cairo_curve_to(c->cr, (10 + i * 4) * c->k, 22.5 * c->k, (11.5 + i * 4) * c->k,
                           29.5 * c->k, (13 + i * 4) * c->k, (25 + gen_rng_range(c->r, 0, 2)) * c->k);
        cairo_stroke(c->cr);
        sens_text(c, "DejaVu Sans Oblique", 2.6, 40.0, 24.2, pan + len - 4, 0x111111, 0, b);
        add_sens(c, "pan_last4", pan + len - 4, b);
        cairo_set_source_rgb(c->cr, 1, 1, 1);
        mm_rect(c, 60, 21, 12, 9);
        cairo_fill(c->cr);
        sens_text(c, "DejaVu Sans Oblique", 2.6, 62.0, 24.2, cvv, 0x111111, 0, b);
        add_sens(c, "cvv", cvv, b);
        put_text(c, SANS, 1.6, 6.0, 33.0, "AUTHORIZED SIGNATURE  NOT VALID UNLESS SIGNED", fg, 70, NULL);
        put_text(c, SANS, 1.5, 6.0, 40.0, "お問い合わせ 0120-000-000 (サクラカード)", fg, 0, NULL);
        put_text(c, SANS, 1.5, 6.0, 44.0, "このカードは当社会員規約に基づき貸与するものです", fg, 70, NULL);
    }
}

/* ---- address proofs on paper ----------------------------------------------- */

static void paper(rc *c, double w, double h, uint32_t rgb)
{
    set_rgb(c->cr, rgb);
    cairo_rectangle(c->cr, 0, 0, w * c->k, h * c->k);
    cairo_fill(c->cr);
    c->d->bg_rgb = rgb;
}

static void table_row(rc *c, double y, double h, const char *label, double x0, double x1,
                      double split)
{
    cairo_set_source_rgb(c->cr, 0.2, 0.2, 0.2);
    cairo_set_line_width(c->cr, 0.25 * c->k);
    mm_rect(c, x0, y, x1 - x0, h);
    cairo_stroke(c->cr);
    cairo_move_to(c->cr, split * c->k, y * c->k);
    cairo_line_to(c->cr, split * c->k, (y + h) * c->k);
    cairo_stroke(c->cr);
    put_text(c, MINCHO, 3.6, x0 + 2.0, y + h / 2 - 2.4, label, 0x111111, split - x0 - 3, NULL);
}

static void render_juminhyo(rc *c, const gen_docspec *s)
{
    char buf[256], name[128], era[64], num[13];
    double b[4];
    const uint32_t ink = 0x111111;
    paper(c, 210, 297, 0xfbfbf7);
    /* 複写 background pattern of anti-copy paper */
    cairo_set_source_rgba(c->cr, 0.55, 0.7, 0.85, 0.12);
    for (double yy = 20; yy < 290; yy += 18)
        for (double xx = 10; xx < 200; xx += 26) {
            mm_rect(c, xx, yy, 10, 10);
            cairo_fill(c->cr);
        }
    put_text(c, MINCHO, 9.0, 62.0, 16.0, "住 民 票 の 写 し", ink, 0, NULL);
    double y = 40, rh = 16, x0 = 15, x1 = 195, sp = 55;
    gen_person_name(&s->holder, name, sizeof name);
    table_row(c, y, rh, "住所", x0, x1, sp);
    field(c, "address", MINCHO, 4.2, sp + 3, y + rh / 2 - 3, s->holder.address, ink, x1 - sp - 6);
    y += rh;
    table_row(c, y, rh, "世帯主", x0, x1, sp);
    put_text(c, MINCHO, 4.6, sp + 3, y + rh / 2 - 3, name, ink, 0, NULL);
    y += rh;
    table_row(c, y, rh + 4, "氏名", x0, x1, sp);
    char kana[128];
    gen_person_kana(&s->holder, kana, sizeof kana);
    put_text(c, MINCHO, 2.8, sp + 3, y + 2, kana, ink, 0, NULL);
    field(c, "name", MINCHO, 6.0, sp + 3, y + 8, name, ink, 0);
    y += rh + 4;
    table_row(c, y, rh, "生年月日", x0, x1, sp);
    gen_era_text(s->holder.birth, 0, era, sizeof era);
    field(c, "birth_date", MINCHO, 4.2, sp + 3, y + rh / 2 - 3, era, ink, 0);
    snprintf(buf, sizeof buf, "性別  %s", s->holder.female ? "女" : "男");
    put_text(c, MINCHO, 4.2, 140, y + rh / 2 - 3, buf, ink, 0, NULL);
    y += rh;
    table_row(c, y, rh, "住民となった年月日", x0, x1, sp);
    gen_era_text(gen_date_add(s->issue, -gen_rng_int(c->r, 200, 5000)), 0, era, sizeof era);
    put_text(c, MINCHO, 4.2, sp + 3, y + rh / 2 - 3, era, ink, 0, NULL);
    y += rh;
    if (s->with_resident_code) {
        char code[12];
        for (int i = 0; i < 11; i++)
            code[i] = (char)('0' + gen_rng_int(c->r, 0, 9));
        code[11] = '\0';
        table_row(c, y, rh, "住民票コード", x0, x1, sp);
        sens_text(c, MINCHO, 4.6, sp + 3, y + rh / 2 - 3, code, ink, 0, b);
        add_sens(c, "resident_code", code, b);
        y += rh;
    }
    if (s->with_mynumber) {
        make_mynumber(c->r, num);
        table_row(c, y, rh, "個人番号", x0, x1, sp);
        sens_text(c, MINCHO, 4.6, sp + 3, y + rh / 2 - 3, num, ink, 0, b);
        add_sens(c, "my_number", num, b);
        y += rh;
    }
    table_row(c, y, rh, "本籍", x0, x1, sp);
    put_text(c, MINCHO, 4.2, sp + 3, y + rh / 2 - 3, "(省略)", ink, 0, NULL);
    y += rh;
    table_row(c, y, rh * 2, "備考", x0, x1, sp);
    y += rh * 2 + 14;
    put_text(c, MINCHO, 4.4, 20, y, "この写しは、住民票の原本と相違ないことを証明する。", ink, 170, NULL);
    gen_era_text(s->issue, 0, era, sizeof era);
    field(c, "issue_date", MINCHO, 4.6, 30, y + 12, era, ink, 0);
    put_text(c, MINCHO, 5.0, 100, y + 24, "千代田区長  森 一郎", ink, 0, NULL);
    seal(c, 168, y + 18, 20, "千代田区長之印", 0);
}

static void render_mail(rc *c, const gen_docspec *s)
{
    char buf[256], name[128];
    double b[4];
    const uint32_t ink = 0x111111;
    paper(c, 235, 120, s->variant % 2 ? 0xf7f1e3 : 0xfcfcfa);
    put_text(c, SANS, 5.0, 14.0, 10.0, "〒", 0xb01010, 0, NULL);
    put_text(c, MONO, 5.0, 22.0, 10.0, s->holder.postal, ink, 0, NULL);
    field(c, "address", MINCHO, 5.2, 22.0, 24.0, s->holder.address, ink, 150);
    gen_person_name(&s->holder, name, sizeof name);
    put_text(c, MINCHO, 8.5, 40.0, 44.0, name, ink, 0, b);
    add_field(c, "name", name, b);
    put_text(c, MINCHO, 8.5, 40.0 + b[2] / c->k + 6.0, 44.0, "様", ink, 0, NULL);
    put_text(c, SANS, 3.0, 14.0, 90.0, "株式会社さくら証券 お客様サービスセンター", ink, 0, NULL);
    put_text(c, SANS, 2.8, 14.0, 96.0, "〒100-0005 東京都千代田区丸の内9丁目9番9号", ink, 0, NULL);
    put_text(c, SANS_B, 3.4, 14.0, 104.0, "重要 ・ 親展", 0xb01010, 0, NULL);
    if (s->variant % 3 == 2) {
        /* 料金後納: printed indicia, no postmark date at all */
        cairo_set_source_rgb(c->cr, 0.1, 0.1, 0.1);
        cairo_set_line_width(c->cr, 0.4 * c->k);
        mm_rect(c, 190, 8, 30, 24);
        cairo_stroke(c->cr);
        put_text(c, SANS, 3.6, 195, 12, "料金後納", ink, 0, NULL);
        put_text(c, SANS, 3.6, 195, 20, "郵  便", ink, 0, NULL);
        return;
    }
    /* stamp */
    cairo_set_source_rgb(c->cr, 0.3, 0.55, 0.35);
    mm_rect(c, 198, 8, 24, 28);
    cairo_fill(c->cr);
    put_text(c, SANS_B, 3.0, 201, 26, "84 円", 0xffffff, 0, NULL);
    put_text(c, SANS, 2.4, 201, 10, "日本郵便", 0xffffff, 0, NULL);
    /* round postmark overlapping the stamp: office / R.M.D / time slot */
    double cx = 192, cy = 26, r = 11;
    cairo_set_source_rgba(c->cr, 0.1, 0.1, 0.12, 0.85);
    cairo_set_line_width(c->cr, 0.45 * c->k);
    cairo_arc(c->cr, cx * c->k, cy * c->k, r * c->k, 0, 2 * M_PI);
    cairo_stroke(c->cr);
    cairo_move_to(c->cr, (cx - r * 0.93) * c->k, (cy - 3.6) * c->k);
    cairo_line_to(c->cr, (cx + r * 0.93) * c->k, (cy - 3.6) * c->k);
    cairo_move_to(c->cr, (cx - r * 0.93) * c->k, (cy + 3.6) * c->k);
    cairo_line_to(c->cr, (cx + r * 0.93) * c->k, (cy + 3.6) * c->k);
    cairo_stroke(c->cr);
    put_text(c, SANS, 3.0, cx - 4.6, cy - 9.0, "千代田", 0x1a1a1e, 0, NULL);
    int ey = 0;
    gen_era(s->issue, NULL, NULL, &ey);
    snprintf(buf, sizeof buf, "%d.%d.%d", ey, s->issue.m, s->issue.d);
    put_text(c, MONO, 3.6, cx - 7.5, cy - 2.8, buf, 0x1a1a1e, 15, b);
    add_field(c, "issue_date", buf, b);
    put_text(c, MONO, 2.6, cx - 3.8, cy + 4.0, "12-18", 0x1a1a1e, 0, NULL);
}

static void render_utility(rc *c, const gen_docspec *s)
{
    char buf[256], name[128];
    double b[4];
    const uint32_t ink = 0x141414;
    static const char *kinds[3] = {"電気ご使用量のお知らせ", "ガスご使用量のお知らせ",
                                   "水道料金のお知らせ"};
    static const char *cos[3] = {"さくら電力株式会社", "みどりガス株式会社", "千代田区水道局"};
    int k = s->variant % 3;
    paper(c, 148, 210, 0xfdfdfb);
    cairo_set_source_rgb(c->cr, 0.15, 0.45, 0.75);
    mm_rect(c, 0, 0, 148, 14);
    cairo_fill(c->cr);
    put_text(c, SANS_B, 5.4, 8, 3.6, kinds[k], 0xffffff, 130, NULL);
    gen_person_name(&s->holder, name, sizeof name);
    put_text(c, SANS, 3.4, 8, 20, s->holder.postal, ink, 0, NULL);
    field(c, "address", SANS, 3.6, 8, 26, s->holder.address, ink, 132);
    put_text(c, SANS_B, 5.0, 8, 34, name, ink, 0, b);
    add_field(c, "name", name, b);
    put_text(c, SANS_B, 5.0, 8 + b[2] / c->k + 3, 34, "様", ink, 0, NULL);
    snprintf(buf, sizeof buf, "お客さま番号  %03d-%04d-%03d", gen_rng_int(c->r, 0, 999),
             gen_rng_int(c->r, 0, 9999), gen_rng_int(c->r, 0, 999));
    put_text(c, SANS, 3.2, 8, 48, buf, ink, 0, NULL);
    gen_date from = gen_date_add(s->issue, -31);
    snprintf(buf, sizeof buf, "ご使用期間  %d月%d日 〜 %d月%d日 (31日間)", from.m, from.d, s->issue.m,
             s->issue.d);
    put_text(c, SANS, 3.2, 8, 56, buf, ink, 132, NULL);
    char d[64];
    if (s->variant % 2)
        gen_era_text(s->issue, 0, d, sizeof d);
    else
        snprintf(d, sizeof d, "%d年%d月%d日", s->issue.y, s->issue.m, s->issue.d);
    put_text(c, SANS, 3.2, 8, 64, "検針日", ink, 0, NULL);
    field(c, "issue_date", SANS, 3.2, 30, 64, d, ink, 0);
    int yen = gen_rng_int(c->r, 2000, 18000);
    snprintf(buf, sizeof buf, "ご請求予定金額   %d,%03d 円", yen / 1000, yen % 1000);
    put_text(c, SANS_B, 5.2, 8, 76, buf, ink, 0, NULL);
    cairo_set_source_rgb(c->cr, 0.3, 0.3, 0.3);
    cairo_set_line_width(c->cr, 0.2 * c->k);
    for (int i = 0; i < 6; i++) { /* usage history bars */
        double hh = gen_rng_range(c->r, 8, 30);
        mm_rect(c, 14 + i * 20, 130 - hh, 10, hh);
        cairo_stroke(c->cr);
    }
    put_text(c, SANS, 2.8, 8, 140, "今月のご使用量の推移 (前年同月比)", ink, 0, NULL);
    put_text(c, SANS, 2.8, 8, 186, cos[k], ink, 0, NULL);
    put_text(c, SANS, 2.6, 8, 192, "お問い合わせ 0120-111-222 (受付 9:00〜17:00)", ink, 0, NULL);
}

/* ---- dispatch ---------------------------------------------------------------- */

static void render_any(rc *c, const gen_docspec *s)
{
    switch (s->type) {
    case GEN_DL: render_dl(c, s); break;
    case GEN_MYNUMBER: render_mynumber(c, s); break;
    case GEN_NOTIFICATION: render_notification(c, s); break;
    case GEN_RESIDENCE: render_residence(c, s); break;
    case GEN_PASSPORT: render_passport(c, s); break;
    case GEN_HEALTH: render_health(c, s); break;
    case GEN_JUMINHYO: render_juminhyo(c, s); break;
    case GEN_MAIL: render_mail(c, s); break;
    case GEN_UTILITY: render_utility(c, s); break;
    case GEN_CREDIT: render_credit(c, s); break;
    default: break;
    }
}

static void fill_values(gen_doc *d, const gen_docspec *s)
{
    for (int i = 0; i < d->nfields; i++) {
        const gen_fbox *f = &d->fields[i];
        if (!strcmp(f->key, "name"))
            snprintf(d->name, sizeof d->name, "%s", f->text);
        else if (!strcmp(f->key, "address"))
            snprintf(d->address, sizeof d->address, "%s", f->text);
        else if (!strcmp(f->key, "birth_date"))
            set_iso(d->birth_iso, sizeof d->birth_iso, s->holder.birth);
        else if (!strcmp(f->key, "issue_date"))
            set_iso(d->issue_iso, sizeof d->issue_iso, s->issue);
        else if (!strcmp(f->key, "expiry")) {
            gen_date e = s->expiry;
            if (s->type == GEN_CREDIT) /* MM/YY: valid through the month's last day */
                e = gen_date_add((gen_date){e.m == 12 ? e.y + 1 : e.y, e.m == 12 ? 1 : e.m + 1, 1}, -1);
            set_iso(d->expiry_iso, sizeof d->expiry_iso, e);
        }
    }
}

int gen_doc_render(gen_rng *r, const gen_docspec *s, double k, gen_doc *out)
{
    double wmm, hmm;
    int rc_ = -1;
    cairo_t *cr = NULL;
    memset(out, 0, sizeof *out);
    gen_doc_size_mm(s, &wmm, &hmm);
    out->px_per_mm = k;
    out->w = (int)ceil(wmm * k);
    out->h = (int)ceil(hmm * k);
    out->surf = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, out->w, out->h);
    if (cairo_surface_status(out->surf) != CAIRO_STATUS_SUCCESS)
        goto done;
    cr = cairo_create(out->surf);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);
    rc c = {cr, out, k, r, s->hide_sensitive, 0};
    render_any(&c, s);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
        goto done;
    cairo_surface_flush(out->surf);
    fill_values(out, s);
    rc_ = 0;
done:
    if (cr)
        cairo_destroy(cr);
    if (rc_ != 0) {
        cairo_surface_destroy(out->surf);
        out->surf = NULL;
    }
    return rc_;
}

void gen_doc_free(gen_doc *d)
{
    if (d && d->surf) {
        cairo_surface_destroy(d->surf);
        d->surf = NULL;
    }
}

int gen_doc_write_pdf(gen_rng *r, const gen_docspec *s, const char *path)
{
    double wmm, hmm;
    gen_doc tmp;
    gen_doc_size_mm(s, &wmm, &hmm);
    const double pt_per_mm = 72.0 / 25.4; /* PDF user space is in points */
    cairo_surface_t *pdf = cairo_pdf_surface_create(path, wmm * pt_per_mm, hmm * pt_per_mm);
    if (cairo_surface_status(pdf) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(pdf);
        return -1;
    }
    cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_CREATOR, "prescreen-gen");
    cairo_pdf_surface_set_metadata(pdf, CAIRO_PDF_METADATA_CREATE_DATE, "2026-01-01T00:00:00Z");
    cairo_t *cr = cairo_create(pdf);
    memset(&tmp, 0, sizeof tmp);
    rc c = {cr, &tmp, pt_per_mm, r, 0, 0};
    render_any(&c, s);
    int ok = cairo_status(cr) == CAIRO_STATUS_SUCCESS;
    cairo_destroy(cr);
    cairo_surface_finish(pdf);
    ok = ok && cairo_surface_status(pdf) == CAIRO_STATUS_SUCCESS;
    cairo_surface_destroy(pdf);
    return ok ? 0 : -1;
}
