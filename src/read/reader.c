/* Reading one document from its outline (see read/reader.h).
 *
 * The outline's corner order says where the document's top is only up to a
 * half turn for cards (the outline finder cannot tell an upside-down card)
 * and up to a quarter turn for paper (an envelope lies landscape, a page
 * stands portrait). So the reader tries the turns that are possible and keeps
 * the first whose title band names a document type; when none does, it keeps
 * the turn whose band reads with the highest confidence. A card whose title
 * band names nothing (a driving licence prints its name at the bottom) also
 * gets its bottom band read. Paper is then read line by line (label-driven);
 * a card with a zone template is read zone by zone. */
#include "read/reader.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cv/document.h"
#include "cv/mrzband.h"
#include "prescreen/mrz.h"
#include "prescreen/normalize.h"
#include "prescreen/redact.h"
#include "read/utf8.h"

/* ID-1 at 300 dpi (85.60 x 53.98 mm): the size the field templates assume. */
#define PS_ID1_W 1011
#define PS_ID1_H 638
/* TD3 passport page at 300 dpi (125 x 88 mm). */
#define PS_TD3_W 1476
#define PS_TD3_H 1039
/* Paper at ~150 dpi: A4 text is 20-30 px high there, what tesseract likes. */
#define PS_PAPER_LONG 1754
/* The title band (document name) is in the top quarter of a card and the
 * top fifth of a page; a licence names itself in its bottom fifth. */
#define PS_TITLE_CARD 0.28
#define PS_TITLE_PAPER 0.22
#define PS_BOTTOM_CARD 0.22
/* Bands overlap by this fraction so a line on a band edge is whole in one. */
#define PS_BAND_OVERLAP 0.04
/* Budget of the MRZ check on a TD3-shaped page no band named: a real MRZ
 * band reads in 80-260 ms on the bench machine (quiet to a load of 4); a
 * dark card the outline finder took for a TD3 page gives a block read of
 * noise that runs 0.6-0.9 s. */
#define PS_MRZ_CHECK_MS (400 * PS_TIME_SCALE)
/* The wide view (ps__wide_type): the outline grown this many times its
 * size about its centre (a card's QR code or portrait, half a page, found in
 * place of the whole: the document is at most a few times larger and lies
 * square to it), read at this long side, and only with this much of the
 * budget left (one page read takes 0.3-1.5 s on the bench machine). */
#define PS_WIDE_GROW 3.0
#define PS_WIDE_LONG 1600
#define PS_WIDE_MIN_LEFT_MS (1500 * PS_TIME_SCALE)
/* OSD's confidence (about 0..30) from which its turn is taken first. */
#define PS_WIDE_OSD_SURE 2.0
/* Title bands plus, for paper, every line of the page. */
#define PS_TITLE_CAP 16384
/* ps__japanese_read() of a page's lines that is read well enough not to
 * try its half turn. */
#define PS_PAGE_READ_MIN 10.0
/* Bands that named nothing: a later turn replaces the first one tried (the
 * outline's own, as photographed) only when its band read surer and at
 * least this sure. Print upside down reads as scraps at low confidence
 * ("Fake" at 0.19 on a 住民票 whose wide-spaced title read as nothing
 * upright), and a page turned by them is then read wholly as garbage; an
 * envelope's sideways address block reads at 0.4-0.6. */
#define PS_TURN_MIN_CONF 0.3
/* A 住民票 certifies below its table: the statement (…証明する。), its date
 * and the mayor's seal take up to half the table's height under it. */
#define PS_BELOW_TABLE 0.5
#define PS_BELOW_MIN_LEFT_MS (800 * PS_TIME_SCALE)

static double ps__ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) * 1000.0 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Rectifies the outline turned by `turns` quarter turns clockwise into
 * *card; *H maps card pixels to full pixels. */
static ps_status ps__rectify(const ps_read_request *rq, int turns, ps_image **card,
                             ps_homography *H)
{
    const ps_image *full = rq->full;
    ps_point q[4];
    int w, h;
    *card = NULL;
    if (rq->quad == NULL) {
        ps_point f[4] = {{0, 0}, {full->width, 0}, {full->width, full->height}, {0, full->height}};
        for (int i = 0; i < 4; i++)
            q[i] = f[(i + turns) % 4];
    } else {
        for (int i = 0; i < 4; i++)
            q[i] = rq->quad[(i + turns) % 4];
    }
    double top = hypot(q[1].x - q[0].x, q[1].y - q[0].y);
    double side = hypot(q[3].x - q[0].x, q[3].y - q[0].y);
    if (rq->quad && rq->shape == PS_DOC_ID1) {
        w = PS_ID1_W;
        h = PS_ID1_H;
    } else if (rq->quad && rq->shape == PS_DOC_TD3) {
        w = PS_TD3_W;
        h = PS_TD3_H;
    } else {
        double s = PS_PAPER_LONG / fmax(top, side);
        if (rq->quad == NULL && s > 1)
            s = 1; /* the whole frame: never upsample a photo */
        w = (int)(top * s + 0.5);
        h = (int)(side * s + 0.5);
    }
    if (w < 16 || h < 16)
        return PS_E_ARG;
    ps_homography U;
    if (!ps_homography_from_quad(q, &U))
        return PS_E_ARG;
    /* card pixel -> unit square -> image */
    for (int r = 0; r < 3; r++) {
        H->h[r * 3 + 0] = U.h[r * 3 + 0] / w;
        H->h[r * 3 + 1] = U.h[r * 3 + 1] / h;
        H->h[r * 3 + 2] = U.h[r * 3 + 2];
    }
    return ps_cv_rectify(full, q, w, h, card);
}

/* The upright box around box b carried through H (card to photo, or back). */
static ps_box ps__map_box(const ps_homography *H, ps_box b)
{
    ps_point c[4] = {{b.x, b.y}, {b.x + b.w, b.y}, {b.x + b.w, b.y + b.h}, {b.x, b.y + b.h}};
    double x0 = 1e18, y0 = 1e18, x1 = -1e18, y1 = -1e18;
    ps_box o;
    for (int i = 0; i < 4; i++) {
        ps_point p = ps_homography_apply(H, c[i]);
        x0 = fmin(x0, p.x);
        y0 = fmin(y0, p.y);
        x1 = fmax(x1, p.x);
        y1 = fmax(y1, p.y);
    }
    o.x = (int)floor(x0);
    o.y = (int)floor(y0);
    o.w = (int)ceil(x1) - o.x;
    o.h = (int)ceil(y1) - o.y;
    return o;
}

/* Reads a horizontal band (fractions y0..y1 of the height) and appends its
 * text to buf; returns the mean word confidence (0 when nothing was read). */
static ps_status ps__band(ps_ocr *ocr, const ps_image *card, double y0, double y1,
                          int deadline_ms, int retry, char *buf, size_t cap, double *conf)
{
    ps_ocr_params p;
    ps_ocr_result *r = NULL;
    memset(&p, 0, sizeof p);
    p.zone = (ps_box){0, (int)(card->height * y0), card->width,
                      (int)(card->height * (y1 - y0))};
    p.deadline_ms = deadline_ms;
    p.flatten = 1; /* dark photos and tinted card stock: divide the background out */
    p.polarity = PS_OCR_AUTO_TEXT; /* titles printed light on a dark band or card */
    if (retry) {
        /* A band read again after it named nothing: coloured ink (a
         * notification card's green 通知カード washed out by bright light
         * is near white in luma) stays dark in the darkest channel, and a
         * letter-spaced title (住 民 票 の 写 し) that jpn+eng takes for
         * Latin noise ("ER ROFL") or drops reads with the Japanese model
         * alone. */
        p.darkest_channel = 1;
        p.langs = "jpn";
        /* and at two thirds of the size: at 30-60 px a spaced title's
         * glyphs are split off as separate blobs, a little smaller they
         * join into one line again (titles stay 20+ px tall) */
        p.scale = 0.65;
    }
    *conf = 0;
    ps_status st = ps_ocr_read(ocr, card, &p, &r);
    if (st != PS_OK)
        return st;
    double sum = 0;
    for (size_t i = 0; i < r->n_words; i++)
        sum += r->words[i].confidence;
    *conf = r->n_words ? sum / (double)r->n_words : 0;
    size_t n = strlen(buf), m = strlen(r->text);
    if (n + m + 2 < cap) {
        if (n)
            buf[n++] = '\n';
        memcpy(buf + n, r->text, m + 1);
    }
    ps_ocr_result_free(&r);
    return PS_OK;
}

/* Types printed on paper (A4 or A5 sheets, envelopes), not on card stock. */
static int ps__paper_type(ps_doctype t)
{
    return t == PS_DOC_CERTIFICATE_OF_RESIDENCE || t == PS_DOC_POSTAL_MAIL ||
           t == PS_DOC_UTILITY_BILL || t == PS_DOC_TAX_RECEIPT || t == PS_DOC_BANK_STATEMENT;
}

/* 1 when the text lines of a page are tall rather than wide: the page lies
 * sideways. Ruling (PS_OCR_RULING_ASPECT, either way) does not count: a
 * table's long rules would outvote its text. */
static int ps__lies_sideways(ps_ocr *ocr, const ps_image *page)
{
    ps_box *boxes = NULL;
    size_t nb = 0, used = 0;
    double sw = 0, sh = 0;
    if (ps_ocr_find_lines_ex(ocr, page, NULL, 1, &boxes, &nb) == PS_OK) {
        for (size_t i = 0; i < nb; i++) {
            if (boxes[i].w > PS_OCR_RULING_ASPECT * boxes[i].h || boxes[i].h > PS_OCR_RULING_ASPECT * boxes[i].w)
                continue;
            sw += boxes[i].w;
            sh += boxes[i].h;
            used++;
        }
    }
    free(boxes);
    /* lines of text are several times wider than tall */
    return used > 0 && sw < 1.5 * sh;
}

static void ps__classify(const ps_read_request *rq, const char *text, double aspect,
                         ps_doctype_result *dt)
{
    ps_doctype_hints hints = {aspect, rq->has_face};
    if (ps_doctype_classify(text, &hints, dt) != PS_OK)
        memset(dt, 0, sizeof *dt);
}

/* Appends every line's text to the title text (up to PS_TITLE_CAP). */
static void ps__append_lines(char *title, const ps_ocr_line *lines, size_t n)
{
    size_t len = strlen(title);
    for (size_t i = 0; i < n; i++) {
        size_t m = strlen(lines[i].text);
        if (len + m + 2 >= PS_TITLE_CAP)
            break;
        title[len++] = '\n';
        memcpy(title + len, lines[i].text, m + 1);
        len += m;
    }
}

/* Remaining budget, at least 1 ms; 0 = none. */
static int ps__left(const ps_read_request *rq, const struct timespec *t0)
{
    if (rq->deadline_ms <= 0)
        return 0;
    int left = rq->deadline_ms - (int)ps__ms_since(t0);
    return left > 0 ? left : 1;
}

/* How much of `lines` reads as Japanese: kana and kanji weighted by their
 * line's confidence. An upright envelope's address alone gives 15 or more;
 * a page read upside down gives a few unsure characters. */
static double ps__japanese_read(const ps_ocr_line *lines, size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        if (lines[i].text)
            sum += ps__count_japanese(lines[i].text) * lines[i].confidence;
    return sum;
}

/* The My Number card's front is titled 個人番号カード; its back prints the
 * number under 個人番号 at the top. */
static ps_side ps__my_number_side(const char *title, ps_side asked)
{
    char folded[PS_TITLE_CAP];
    if (asked != PS_SIDE_NONE)
        return asked;
    if (ps_norm_text(title, PS_NORM_WIDTH | PS_NORM_NOSPACE, folded, sizeof folded) != PS_OK)
        return PS_SIDE_FRONT;
    const char *first = strchr(folded, '\n');
    size_t top = first ? (size_t)(first - folded) : strlen(folded);
    const char *card = strstr(folded, "個人番号カード");
    if (card && (size_t)(card - folded) < top)
        return PS_SIDE_FRONT;
    return strstr(folded, "個人番号") ? PS_SIDE_BACK : PS_SIDE_FRONT;
}

/* 1 when `s` holds only A-Z and spaces. */
static int ps__letters_only(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || *s == ' '))
            return 0;
    return 1;
}

/* The MRZ's first line again, alone and read with letters and '<' only:
 * it carries no check digit, so the zone's composite check cannot vouch for
 * the name, and in the whole-zone reading O/0, I/1 and S/5 swap freely. The
 * line is the first of `r` that holds a "<<" and under 8 digits (line 2
 * holds two dates with their check digits: 14 and more; line 1 has letters
 * read as digits, AO0I1); OCR often drops its opening "P<", so it need not
 * start with P. */
static ps_status ps__read_mrz_names(ps_ocr *ocr, const ps_image *card, const ps_ocr_result *r,
                                    const ps_ocr_params *zone_params, ps_fields *fs)
{
    const ps_ocr_line *l1 = NULL;
    for (size_t i = 0; i < r->n_lines && !l1; i++) {
        const char *t = r->lines[i].text;
        int digits = 0;
        for (const char *c = t; *c; c++)
            digits += *c >= '0' && *c <= '9';
        if (strstr(t, "<<") && digits < 8)
            l1 = &r->lines[i];
    }
    if (!l1)
        return PS_OK;
    ps_ocr_params p = *zone_params;
    ps_ocr_result *lr = NULL;
    /* a third of a line height around it: the box hugs the glyphs */
    int m = l1->box.h / 3;
    p.zone = (ps_box){zone_params->zone.x, l1->box.y - m, zone_params->zone.w, l1->box.h + 2 * m};
    p.psm = PS_OCR_PSM_LINE;
    p.whitelist = "ABCDEFGHIJKLMNOPQRSTUVWXYZ<";
    ps_status st = ps_ocr_read(ocr, card, &p, &lr);
    if (st != PS_OK)
        return st;
    fs->zones_read++;
    fs->ocr_ms += lr->elapsed_ms;
    char sur[64], given[64];
    if (ps_mrz_td3_names(lr->text, sur, sizeof sur, given, sizeof given) == PS_OK) {
        ps_field *f = &fs->f[PS_FIELD_NAME];
        memset(f, 0, sizeof *f);
        snprintf(f->text, sizeof f->text, "%s %s", sur, given);
        f->present = 1;
        f->confidence = 0.8; /* no check digit behind it */
        f->box = p.zone;
    }
    ps_ocr_result_free(&lr);
    return PS_OK;
}

/* The OCR settings of a TD3 page's MRZ band. */
static void ps__mrz_params(const ps_image *card, int deadline_ms, ps_ocr_params *p)
{
    memset(p, 0, sizeof *p);
    /* the MRZ band: bottom 24% of a TD3 page, nearly full width */
    p->zone = (ps_box){card->width / 50, (int)(card->height * 0.76), card->width * 24 / 25,
                       (int)(card->height * 0.23)};
    /* OCR-B at about 2.4 mm on an 88 mm page */
    p->glyph_height = (int)(card->height * 0.027);
    p->psm = PS_OCR_PSM_BLOCK;
    p->langs = "eng";
    p->whitelist = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<";
    p->flatten = 1;
    p->deadline_ms = deadline_ms;
}

/* The passport's machine-readable zone: its last two lines, 44 OCR-B
 * characters each, read with `zp` (its zone on `card`). Name, birth date and
 * expiry come from it when their check digits hold; the printed zones stay
 * for whatever does not check. *parsed (may be NULL) = 1 when the zone
 * parsed as TD3 with a date's check digit holding, or its dates checked. */
static ps_status ps__read_mrz_zone(ps_ocr *ocr, const ps_image *card, const ps_ocr_params *zp,
                                   const ps_date *now, ps_fields *fs, int *parsed)
{
    ps_ocr_params p = *zp;
    ps_ocr_result *r = NULL;
    ps_mrz m;
    int mrz_birth = 0; /* the whole zone parsed with the birth date's check */
    ps_status st = ps_ocr_read(ocr, card, &p, &r);
    if (parsed)
        *parsed = 0;
    if (st != PS_OK)
        return st;
    fs->zones_read++;
    fs->ocr_ms += r->elapsed_ms;
    if (ps_mrz_parse(r->text, &m) == PS_OK && m.format == PS_MRZ_TD3 &&
        (m.findings & (PS_MRZ_BAD_BIRTH | PS_MRZ_BAD_EXPIRY)) != (PS_MRZ_BAD_BIRTH | PS_MRZ_BAD_EXPIRY)) {
        if (parsed)
            *parsed = 1;
        ps_box box = p.zone;
        /* the composite check digit does not cover line 1: its names are
         * kept only when they read as letters (else line 1 is re-read) */
        if (m.surname[0] && m.given_names[0] && !(m.findings & PS_MRZ_BAD_COMPOSITE) &&
            ps__letters_only(m.surname) && ps__letters_only(m.given_names)) {
            ps_field *f = &fs->f[PS_FIELD_NAME];
            memset(f, 0, sizeof *f);
            snprintf(f->text, sizeof f->text, "%s %s", m.surname, m.given_names);
            f->present = 1;
            f->confidence = 0.95;
            f->box = box;
        }
        ps_date d;
        if (now && !(m.findings & PS_MRZ_BAD_BIRTH) && ps_date_parse_mrz(m.birth, 0, now, &d) == PS_OK) {
            mrz_birth = 1;
            ps_field *f = &fs->f[PS_FIELD_BIRTH_DATE];
            memset(f, 0, sizeof *f);
            snprintf(f->text, sizeof f->text, "%s", m.birth);
            ps_date_to_iso(d, f->iso);
            f->present = 1;
            f->confidence = 0.95;
            f->box = box;
        }
        if (now && !(m.findings & PS_MRZ_BAD_EXPIRY) &&
            ps_date_parse_mrz(m.expiry, 1, now, &d) == PS_OK) {
            ps_field *f = &fs->f[PS_FIELD_EXPIRY];
            memset(f, 0, sizeof *f);
            snprintf(f->text, sizeof f->text, "%s", m.expiry);
            ps_date_to_iso(d, f->iso);
            f->present = 1;
            f->confidence = 0.95;
            f->box = box;
        }
    }
    char lb[7], le[7];
    ps_date ld;
    if (now && !mrz_birth && ps_mrz_td3_dates(r->text, lb, le) == PS_OK) {
        /* a zone with dropped fillers or a misread document number: its
         * dates still check, and two check digits outweigh the printed
         * dates' reading (01 NOV read as 11 NOV) */
        if (parsed)
            *parsed = 1;
        const char *v[2] = {lb, le};
        ps_field_id id[2] = {PS_FIELD_BIRTH_DATE, PS_FIELD_EXPIRY};
        for (int k = 0; k < 2; k++) {
            if (ps_date_parse_mrz(v[k], k, now, &ld) != PS_OK)
                continue;
            ps_field *f = &fs->f[id[k]];
            memset(f, 0, sizeof *f);
            snprintf(f->text, sizeof f->text, "%s", v[k]);
            ps_date_to_iso(ld, f->iso);
            f->present = 1;
            f->confidence = 0.9; /* check digits hold; the line's length did not */
            f->box = p.zone;
        }
    }
    if (!fs->f[PS_FIELD_NAME].present)
        st = ps__read_mrz_names(ocr, card, r, &p, fs);
    ps_ocr_result_free(&r);
    return st;
}

static ps_status ps__read_mrz(ps_ocr *ocr, const ps_image *card, const ps_date *now,
                              int deadline_ms, ps_fields *fs)
{
    ps_ocr_params p;
    ps__mrz_params(card, deadline_ms, &p);
    return ps__read_mrz_zone(ocr, card, &p, now, fs, NULL);
}

/* 1 when a photo ID's reading leaves room for a passport's zone read in
 * the photo: nothing named the type; or a passport whose zone gave no
 * dates; or a reading with no name and no date at all (a type named by
 * noise on an outline that missed the page). */
static int ps__mrz_worth_looking(const ps_read_result *r)
{
    const ps_field *f = r->fs.f;
    int dated = (f[PS_FIELD_BIRTH_DATE].present && f[PS_FIELD_BIRTH_DATE].iso[0]) ||
                (f[PS_FIELD_EXPIRY].present && f[PS_FIELD_EXPIRY].iso[0]) ||
                (f[PS_FIELD_ISSUE_DATE].present && f[PS_FIELD_ISSUE_DATE].iso[0]);
    if (r->type == PS_DOC_UNKNOWN)
        return 1;
    if (r->type == PS_DOC_PASSPORT) /* dates as the zone gives them, not a label's scraps */
        return !(f[PS_FIELD_BIRTH_DATE].present && f[PS_FIELD_BIRTH_DATE].iso[0] &&
                 f[PS_FIELD_EXPIRY].present && f[PS_FIELD_EXPIRY].iso[0]);
    return !f[PS_FIELD_NAME].present && !dated;
}

/* Least height a machine-readable zone band found in the photo is cut out
 * at: two OCR-B lines of about 27 px, the height tesseract reads best, with
 * their gap and the band's margins. */
#define PS_MRZ_BAND_H 100
/* Bands of the photo tried at most (each read upright, then turned). */
#define PS_MRZ_BANDS 2

/* A photo ID nothing named, or a passport whose zone did not read where
 * its outline put it: a passport page whose outline was lost (white paper
 * on a light table; the outline found was its portrait's frame or a sheet
 * beside it) still shows its machine-readable zone. Found in the
 * photo by its texture (cv/mrzband.h), cut out level and read at both half
 * turns; a zone that parses as TD3 with a date's check digit holding names
 * the passport and gives its fields. Boxes are in the photo's pixels. */
static ps_status ps__mrz_in_photo(ps_ocr *ocr, const ps_read_request *rq, const struct timespec *t0,
                                  ps_read_result *out)
{
    ps_point bands[PS_MRZ_BANDS][4];
    int n = 0;
    ps_status st = ps_cv_find_mrz_bands(rq->full, bands, PS_MRZ_BANDS, &n);
    for (int b = 0; st == PS_OK && b < n; b++) {
        const ps_point *q = bands[b];
        double len = hypot(q[1].x - q[0].x, q[1].y - q[0].y);
        double thick = hypot(q[3].x - q[0].x, q[3].y - q[0].y);
        ps_image *band = NULL;
        if (thick < 8 || (rq->deadline_ms > 0 && ps__left(rq, t0) < PS_MRZ_CHECK_MS))
            continue;
        /* at the photo's own resolution, or up to the band height */
        int h = (int)fmax(PS_MRZ_BAND_H, thick), w = (int)fmin(6000, len * h / thick);
        st = ps_cv_rectify(rq->full, q, w, h, &band);
        if (st != PS_OK)
            break;
        for (int turn = 0; turn < 2 && st == PS_OK; turn++) {
            ps_fields fs;
            ps_ocr_params p;
            ps_image *view = NULL;
            int parsed = 0;
            if (turn == 1 && (st = ps_image_orient(band, 3, &view)) != PS_OK)
                break;
            memset(&fs, 0, sizeof fs);
            ps__mrz_params(band, ps__left(rq, t0), &p);
            p.zone = (ps_box){0, 0, band->width, band->height};
            /* two lines with their gap and margins: a glyph is a sixth */
            p.glyph_height = band->height / 6;
            st = ps__read_mrz_zone(ocr, view ? view : band, &p, rq->now, &fs, &parsed);
            ps_image_free(&view);
            if (st == PS_E_DEADLINE) {
                st = PS_OK;
                break;
            }
            if (st != PS_OK || !parsed)
                continue;
            ps_box where = ps_quad_bbox(q, rq->full->width, rq->full->height);
            if (out->type != PS_DOC_UNKNOWN && out->type != PS_DOC_PASSPORT)
                for (int f = 0; f < PS_FIELD_COUNT_; f++)
                    memset(&out->fs.f[f], 0, sizeof out->fs.f[f]); /* another type's template read noise */
            out->type = PS_DOC_PASSPORT;
            out->side = PS_SIDE_FRONT;
            for (int f = 0; f < PS_FIELD_COUNT_; f++) {
                if (!fs.f[f].present)
                    continue;
                out->fs.f[f] = fs.f[f];
                out->fs.f[f].box = where;
            }
            ps_image_free(&band);
            return PS_OK;
        }
        ps_image_free(&band);
    }
    return st;
}

/* A TD3-shaped page no band named: its machine-readable zone, read alone
 * with the MRZ whitelist, says passport when it parses as a TD3 zone whose
 * birth or expiry check digit holds (a check digit holds by chance one time
 * in ten, but OCR noise seldom parses as two 44-character MRZ lines at
 * all), or when its second line's dates both check (ps_mrz_td3_dates).
 * Costs one OCR call, where the all-lines reading costs dozens. */
static ps_status ps__mrz_says_passport(ps_ocr *ocr, const ps_image *card, int deadline_ms,
                                       int *yes)
{
    ps_ocr_params p;
    ps_ocr_result *r = NULL;
    ps_mrz m;
    *yes = 0;
    ps__mrz_params(card, deadline_ms, &p);
    ps_status st = ps_ocr_read(ocr, card, &p, &r);
    if (st != PS_OK)
        return st;
    char b[7], e[7];
    if (ps_mrz_parse(r->text, &m) == PS_OK && m.format == PS_MRZ_TD3 &&
        (!(m.findings & PS_MRZ_BAD_BIRTH) || !(m.findings & PS_MRZ_BAD_EXPIRY)))
        *yes = 1;
    else if (ps_mrz_td3_dates(r->text, b, e) == PS_OK)
        *yes = 1; /* fillers dropped, but both dates check */
    ps_ocr_result_free(&r);
    return PS_OK;
}

/* The outline grown `grow` times about its centre (corners in the same
 * order, so the same turn is upright); with no outline, the whole frame. */
static void ps__grown_quad(const ps_read_request *rq, double grow, ps_point q[4])
{
    if (rq->quad == NULL) {
        ps_point f[4] = {{0, 0},
                         {rq->full->width, 0},
                         {rq->full->width, rq->full->height},
                         {0, rq->full->height}};
        memcpy(q, f, sizeof f);
        return;
    }
    double cx = 0, cy = 0;
    for (int i = 0; i < 4; i++) {
        cx += rq->quad[i].x / 4;
        cy += rq->quad[i].y / 4;
    }
    for (int i = 0; i < 4; i++) {
        q[i].x = cx + (rq->quad[i].x - cx) * grow;
        q[i].y = cy + (rq->quad[i].y - cy) * grow;
    }
}

/* The quad q rectified with its long side PS_WIDE_LONG; *view stays NULL
 * (PS_OK) when it is too small to read. The caller owns *view. */
static ps_status ps__wide_view(const ps_image *full, const ps_point q[4], ps_image **view)
{
    double top = hypot(q[1].x - q[0].x, q[1].y - q[0].y);
    double side = hypot(q[3].x - q[0].x, q[3].y - q[0].y);
    double sc = PS_WIDE_LONG / fmax(top, side);
    int w = (int)(top * sc + 0.5), h = (int)(side * sc + 0.5);
    *view = NULL;
    if (w < 16 || h < 16)
        return PS_OK;
    return ps_cv_rectify(full, q, w, h, view);
}

/* The last resort for the type, when the outline read named nothing: the
 * outline may be a part of the document (its QR code, its portrait, half a
 * page) or miss it (a white card on white gives none). The document then
 * still lies square to that part, so the view around it — the outline grown
 * PS_WIDE_GROW times, or the whole frame without one — is read as one page
 * (one layout-analysed OCR call per turn) at each turn the outline allows,
 * and classified. Only the type and side are taken: the fields belong to a
 * crop that is not the document. */
static ps_status ps__wide_type(ps_ocr *ocr, const ps_read_request *rq, int paper,
                               const struct timespec *t0, ps_doctype_result *dt)
{
    int turns[4] = {0, 2, 1, 3};
    ps_point g[4];
    ps_status st = PS_OK;
    ps__grown_quad(rq, rq->quad ? PS_WIDE_GROW : 1.0, g);
    /* a card's outline fixes the top up to a half turn, a page's up to a
     * quarter turn; the part found in its place (a QR code) may be turned
     * any way, so orientation detection on the view picks the first turn
     * and its half turn when it is sure */
    int n_turns = paper ? 4 : 2;
    {
        ps_image *view = NULL;
        int deg = 0;
        double conf = 0;
        if (ps__wide_view(rq->full, g, &view) == PS_OK && view != NULL &&
            ps_ocr_orientation(ocr, view, NULL, &deg, &conf) == PS_OK && conf >= PS_WIDE_OSD_SURE) {
            /* turn t shows the view turned t quarter turns anticlockwise;
             * OSD gives the clockwise rotation that sets it upright */
            turns[0] = (4 - deg / 90) % 4;
            turns[1] = (turns[0] + 2) % 4;
            n_turns = 2;
        }
        ps_image_free(&view);
    }
    for (int k = 0; k < n_turns && dt->type == PS_DOC_UNKNOWN; k++) {
        if (rq->deadline_ms > 0 && ps__left(rq, t0) < PS_WIDE_MIN_LEFT_MS)
            break;
        ps_point q[4];
        for (int i = 0; i < 4; i++)
            q[i] = g[(i + turns[k]) % 4];
        ps_image *view = NULL;
        ps_ocr_result *r = NULL;
        ps_ocr_params p;
        st = ps__wide_view(rq->full, q, &view);
        if (st != PS_OK || view == NULL)
            break;
        memset(&p, 0, sizeof p);
        /* a document somewhere in a view of table, hands and background:
         * page layout analysis finds no text block in it, sparse reading
         * still finds the title */
        p.psm = PS_OCR_PSM_SPARSE;
        p.darkest_channel = 1; /* coloured titles under bright light */
        p.deadline_ms = ps__left(rq, t0);
        st = ps_ocr_read(ocr, view, &p, &r);
        if (st == PS_OK)
            ps__classify(rq, r->text, 0, dt); /* the view's shape is not the document's */
        ps_ocr_result_free(&r);
        ps_image_free(&view);
        if (st != PS_OK)
            break;
    }
    return st == PS_E_DEADLINE ? PS_OK : st;
}

/* The postmark's date: on the rectified page first, then on the photo
 * itself, where an outline that lost a white envelope's edge neither cuts
 * the stamp off nor bends its ring. A stamp found there gets the page's
 * pixels as its box (the caller maps every box back to the photo). */
static ps_status ps__postmark(ps_ocr *ocr, const ps_read_request *rq, const ps_image *card,
                              const ps_homography *H, const struct timespec *t0, ps_fields *fs)
{
    ps_field *f = &fs->f[PS_FIELD_POSTMARK_DATE];
    ps_status st = ps_fields_read_postmark(ocr, card, rq->now, ps__left(rq, t0), fs);
    if (st == PS_OK && !f->present && rq->quad != NULL) {
        ps_homography inv;
        st = ps_fields_read_postmark(ocr, rq->full, rq->now, ps__left(rq, t0), fs);
        if (st == PS_OK && f->present && ps_homography_invert(H, &inv))
            f->box = ps_box_clip(ps__map_box(&inv, f->box), card->width, card->height);
    }
    return st == PS_E_DEADLINE ? PS_OK : st;
}

/* A certificate of residence whose outline is its ruled table (a page
 * edge lost on a white table or in a screenshot) has its issue date outside
 * the crop, under the table. When no line read says 証明, the band under
 * the outline, PS_BELOW_TABLE of its height, is read on the outline's plane
 * and its lines fill the fields still missing; their boxes are card
 * coordinates below the card (H maps them as it maps the card's). */
static ps_status ps__read_below(ps_ocr *ocr, const ps_read_request *rq, const ps_image *card,
                                const ps_homography *H, ps_doctype type,
                                const ps_ocr_line *lines, size_t n_lines,
                                const struct timespec *t0, ps_fields *fs)
{
    ps_image *view = NULL;
    ps_ocr_line *bl = NULL;
    size_t bn = 0;
    ps_point q[4];
    int w = card->width, h = (int)(card->height * PS_BELOW_TABLE);
    ps_status st;
    if (type != PS_DOC_CERTIFICATE_OF_RESIDENCE || rq->quad == NULL || fs->f[PS_FIELD_ISSUE_DATE].present ||
        h < 16 || (rq->deadline_ms > 0 && ps__left(rq, t0) < PS_BELOW_MIN_LEFT_MS))
        return PS_OK;
    for (size_t i = 0; i < n_lines; i++)
        if (lines[i].text && strstr(lines[i].text, "証明"))
            return PS_OK; /* the statement is in the crop: its date did not read */
    q[0] = ps_homography_apply(H, (ps_point){0, card->height});
    q[1] = ps_homography_apply(H, (ps_point){card->width, card->height});
    q[2] = ps_homography_apply(H, (ps_point){card->width, card->height + h});
    q[3] = ps_homography_apply(H, (ps_point){0, card->height + h});
    /* the table ends at the frame's edge (whichever edge its turn puts
     * under it): the band's near edge, a tenth of the way in, lies out of
     * the photo, nothing under the table to read */
    double cx = 0.45 * (q[0].x + q[1].x) + 0.05 * (q[2].x + q[3].x);
    double cy = 0.45 * (q[0].y + q[1].y) + 0.05 * (q[2].y + q[3].y);
    if (cx < 0 || cy < 0 || cx > rq->full->width || cy > rq->full->height)
        return PS_OK;
    st = ps_cv_rectify(rq->full, q, w, h, &view);
    if (st != PS_OK)
        return st;
    /* its OCR calls and time are counted in fs like the card's */
    st = ps_fields_read_lines(ocr, view, 1, ps__left(rq, t0), &bl, &bn, fs);
    if (st == PS_OK || st == PS_E_DEADLINE) {
        for (size_t i = 0; i < bn; i++)
            bl[i].box.y += card->height;
        ps_status s2 = ps_fields_from_lines(type, bl, bn, rq->now, fs);
        if (st == PS_OK)
            st = s2;
    }
    ps_ocr_lines_free(&bl, bn);
    ps_image_free(&view);
    return st;
}

/* How well a template read: the confidence summed over the fields found. */
static double ps__fields_score(const ps_fields *fs)
{
    double s = 0;
    for (int f = 0; f < PS_FIELD_COUNT_; f++)
        if (fs->f[f].present)
            s += fs->f[f].confidence > 0 ? fs->f[f].confidence : 0.01;
    return s;
}

/* Reads a card's fields at the half turn from *turn too and keeps the turn
 * that reads better (*turn, *card, *H and *fs are replaced then). */
static ps_status ps__card_other_turn(ps_ocr *ocr, const ps_read_request *rq,
                                     const ps_template *tpl, const struct timespec *t0, int *turn,
                                     ps_image **card, ps_homography *H, ps_fields *fs)
{
    ps_image *other = NULL;
    ps_homography H2;
    ps_fields *fs2 = calloc(1, sizeof *fs2);
    int t2 = (*turn + 2) % 4;
    ps_status st;
    if (fs2 == NULL)
        return PS_E_NOMEM;
    st = ps__rectify(rq, t2, &other, &H2);
    if (st == PS_OK)
        st = ps_fields_read(ocr, other, PS_DOC_CREDIT_CARD, tpl, rq->now, ps__left(rq, t0), fs2);
    if (st == PS_E_DEADLINE)
        st = PS_OK; /* the first reading stands */
    else if (st == PS_OK && ps__fields_score(fs2) > ps__fields_score(fs)) {
        *fs = *fs2;
        *H = H2;
        *turn = t2;
        ps_image_free(card);
        *card = other;
        other = NULL;
    }
    ps_image_free(&other);
    free(fs2);
    return st;
}

/* A credit-card back: no field template, and the redaction plan reads the
 * whole card anyway. One sparse reading with the plan's settings gives the
 * label-driven fields and is handed on (rq->doc_read_out) for the plan. */
static ps_status ps__read_back_whole(ps_ocr *ocr, const ps_read_request *rq, const ps_image *card,
                                     int deadline_ms, ps_fields *fs)
{
    ps_ocr_result *whole = NULL;
    ps_ocr_params p;
    ps_redact_read_params(PS_DOC_CREDIT_CARD, deadline_ms, &p);
    ps_status st = ps_ocr_read(ocr, card, &p, &whole);
    if (st != PS_OK)
        return st;
    fs->zones_read++;
    fs->ocr_ms += whole->elapsed_ms;
    st = ps_fields_from_lines(PS_DOC_CREDIT_CARD, whole->lines, whole->n_lines, rq->now, fs);
    if (st == PS_OK && rq->doc_read_out != NULL) {
        ps_ocr_result_free(rq->doc_read_out);
        *rq->doc_read_out = whole;
        whole = NULL;
    }
    ps_ocr_result_free(&whole);
    return st;
}

ps_status ps_read_document(ps_ocr *ocr, const ps_read_request *rq, ps_read_result *out)
{
    ps_status st = PS_OK;
    ps_image *card = NULL;
    ps_homography H;
    ps_template *tpl = NULL;
    char *title = NULL;
    struct timespec t0;
    ps_doctype_result dt;
    int best_turn = 0, sideways = 0, card_turn = -1, lines_turn = -1;
    ps_ocr_line *lines = NULL; /* the card's text lines once read (at lines_turn) */
    size_t n_lines = 0;
    double best_conf = -1;
    int stamp_read = 0; /* the postmark was read from its stamp already */
    size_t c0 = ps_ocr_stats(ocr, NULL), c_bands = 0, c_lines = 0; /* call counts */

    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (out)
        memset(out, 0, sizeof *out);
    if (!ocr || !rq || !rq->full || !out)
        return PS_E_ARG;
    title = calloc(1, PS_TITLE_CAP);
    if (!title)
        return PS_E_NOMEM;
    memset(&dt, 0, sizeof dt);

    int paper = rq->quad == NULL || rq->shape == PS_DOC_PAPER || rq->shape == 0;
    /* Cards: upright or upside down. Paper: any quarter turn. */
    static const int card_turns[2] = {0, 2}, paper_turns[4] = {0, 2, 1, 3};
    const int *turns = paper ? paper_turns : card_turns;
    int n_turns = paper ? 4 : 2;
    if (rq->kind == PS_KIND_CREDIT_CARD) {
        dt.type = PS_DOC_CREDIT_CARD;
        dt.side = rq->side == PS_SIDE_BACK ? PS_SIDE_BACK : PS_SIDE_FRONT;
    }
    for (int k = 0; k < n_turns; k++) {
        double conf = 0, c2 = 0;
        if (paper && k > 0 && (turns[k] % 2 == 1) != sideways)
            continue; /* the lines' shape already ruled this turn out */
        ps_image_free(&card);
        st = ps__rectify(rq, turns[k], &card, &H);
        if (st != PS_OK)
            goto out;
        card_turn = turns[k];
        if (paper && k == 0) {
            /* Paper: the text lines' shape tells a page lying sideways
             * (tall line boxes) from an upright or upside-down one before
             * any band is read — a sideways page's title band can still
             * name its type (a 住民票 whose outline is its table) while its
             * lines then read as nothing. Only turns of the right parity
             * are tried. */
            sideways = ps__lies_sideways(ocr, card);
            if (sideways)
                continue;
        }
        if (rq->kind == PS_KIND_CREDIT_CARD) {
            /* the type is known and a card's title band is mostly a logo:
             * the fields themselves choose the turn (below) */
            best_turn = turns[k];
            break;
        }
        title[0] = '\0';
        st = ps__band(ocr, card, 0, paper ? PS_TITLE_PAPER : PS_TITLE_CARD, ps__left(rq, &t0), 0,
                      title, PS_TITLE_CAP, &conf);
        if (st != PS_OK)
            goto out;
        ps__classify(rq, title, (double)card->width / card->height, &dt);
        if (dt.type == PS_DOC_UNKNOWN) {
            /* once more, in the darkest channel and with jpn alone */
            st = ps__band(ocr, card, 0, paper ? PS_TITLE_PAPER : PS_TITLE_CARD,
                          ps__left(rq, &t0), 1, title, PS_TITLE_CAP, &c2);
            if (st != PS_OK)
                goto out;
            ps__classify(rq, title, (double)card->width / card->height, &dt);
        }
        if (dt.type == PS_DOC_UNKNOWN && !paper && rq->shape == PS_DOC_TD3 && k == 0) {
            /* a passport page whose title did not read: its MRZ, before
             * the bands that name cards. At the outline's own turn only:
             * photographed pages are mostly upright, and a dark card taken
             * for a TD3 page pays this once */
            int yes = 0;
            int left = ps__left(rq, &t0);
            st = ps__mrz_says_passport(ocr, card, left > 0 && left < PS_MRZ_CHECK_MS ? left
                                                                                  : PS_MRZ_CHECK_MS,
                                       &yes);
            if (st == PS_E_DEADLINE && (rq->deadline_ms <= 0 || ps__left(rq, &t0) > 1))
                st = PS_OK; /* the check's own budget ran out: no MRZ there */
            if (st != PS_OK)
                goto out;
            if (yes) {
                dt.type = PS_DOC_PASSPORT;
                dt.side = PS_SIDE_FRONT;
            }
        }
        if (dt.type == PS_DOC_UNKNOWN && !paper) {
            st = ps__band(ocr, card, 1.0 - PS_BOTTOM_CARD, 1.0, ps__left(rq, &t0), 0, title,
                          PS_TITLE_CAP, &c2);
            if (st != PS_OK)
                goto out;
            ps__classify(rq, title, (double)card->width / card->height, &dt);
            conf = fmax(conf, c2);
        }
        if (dt.type == PS_DOC_UNKNOWN && !paper) {
            /* the middle of the card: a licence's expiry band and number,
             * a residence card's status, a My Number card's dates */
            st = ps__band(ocr, card, PS_TITLE_CARD - PS_BAND_OVERLAP,
                          1.0 - PS_BOTTOM_CARD + PS_BAND_OVERLAP, ps__left(rq, &t0), 0, title,
                          PS_TITLE_CAP, &c2);
            if (st != PS_OK)
                goto out;
            ps__classify(rq, title, (double)card->width / card->height, &dt);
        }
        if (dt.type != PS_DOC_UNKNOWN) {
            best_turn = turns[k];
            break;
        }
        if ((turns[k] % 2 == 1) == sideways && conf > best_conf &&
            (best_conf < 0 || conf >= PS_TURN_MIN_CONF)) {
            best_conf = conf;
            best_turn = turns[k];
        }
    }
    c_bands = ps_ocr_stats(ocr, NULL);
    /* `card` holds the last turn tried, which need not be the best one */
    if (card == NULL || best_turn != card_turn) {
        ps_image_free(&card);
        st = ps__rectify(rq, best_turn, &card, &H);
        if (st != PS_OK)
            goto out;
    }
    /* A card or page whose bands named nothing (faint or washed-out print,
     * a title the band reading missed, mail that has none): every text line
     * is read, at the best turn and then at the half turn, and the type is
     * told from all of them. The lines are kept for label-driven reading
     * when no template fits the type found. */
    if (dt.type == PS_DOC_UNKNOWN && rq->kind != PS_KIND_CREDIT_CARD) {
        size_t title_len = strlen(title), n_first = 0;
        ps_ocr_line *first = NULL; /* the first turn's lines, while the second is tried */
        ps_image *first_card = NULL;
        ps_homography first_H = H;
        for (int k = 0; k < 2 && dt.type == PS_DOC_UNKNOWN; k++) {
            int t = k == 0 ? best_turn : (best_turn + 2) % 4;
            /* A page without a title (an envelope) chose its turn by a
             * band of nothing: its half turn is read too when the first
             * reading found little Japanese a reader could trust. */
            if (k == 1 && paper && ps__japanese_read(lines, n_lines) >= PS_PAGE_READ_MIN)
                break;
            if (k == 1) {
                first = lines;
                n_first = n_lines;
                lines = NULL;
                n_lines = 0;
                first_card = card;
                first_H = H;
                card = NULL;
            }
            if (t != card_turn || card == NULL) {
                ps_image_free(&card);
                st = ps__rectify(rq, t, &card, &H);
                if (st != PS_OK)
                    break;
                card_turn = t;
            }
            st = ps_fields_read_lines(ocr, card, paper, ps__left(rq, &t0), &lines, &n_lines,
                                      &out->fs);
            if (st != PS_OK && st != PS_E_DEADLINE)
                break;
            title[title_len] = '\0';
            ps__append_lines(title, lines, n_lines);
            ps__classify(rq, title, (double)card->width / card->height, &dt);
            if (st == PS_E_DEADLINE)
                break;
        }
        if (first && dt.type == PS_DOC_UNKNOWN &&
            (!paper || ps__japanese_read(first, n_first) >= ps__japanese_read(lines, n_lines))) {
            /* neither turn named it: a card's first (the better band
             * reading) stays; a page's better reading */
            ps_ocr_lines_free(&lines, n_lines);
            lines = first;
            n_lines = n_first;
            first = NULL;
            ps_image_free(&card);
            card = first_card;
            first_card = NULL;
            H = first_H;
            card_turn = best_turn;
        }
        ps_ocr_lines_free(&first, n_first);
        ps_image_free(&first_card);
        /* the title goes back to the bands: the lines kept are told once
         * more below, alone, not with the other turn's */
        if (dt.type == PS_DOC_UNKNOWN)
            title[title_len] = '\0';
        if (st != PS_OK && st != PS_E_DEADLINE)
            goto out;
        best_turn = card_turn;
        lines_turn = card_turn;
        /* out of time: what the lines hold is still read by their labels
         * below (a template read would stop at once) */
        st = PS_OK;
    }
    c_lines = ps_ocr_stats(ocr, NULL);
    out->rotation = best_turn * 90;
    if (dt.type == PS_DOC_MY_NUMBER_CARD)
        dt.side = ps__my_number_side(title, rq->side);

    if (ps_template_load_for(rq->model_dir, dt.type, dt.side, &tpl) == PS_OK) {
        st = ps_fields_read(ocr, card, dt.type, tpl, rq->now, ps__left(rq, &t0), &out->fs);
        if (st == PS_OK && dt.type == PS_DOC_CREDIT_CARD &&
            !(out->fs.f[PS_FIELD_NAME].present && out->fs.f[PS_FIELD_EXPIRY].present)) {
            /* A card's title band is often a logo, and tesseract is as sure
             * of upside-down capitals as of upright ones: when the fields
             * did not all read, the half turn gets its chance too, and the
             * turn whose fields read better wins. */
            st = ps__card_other_turn(ocr, rq, tpl, &t0, &best_turn, &card, &H, &out->fs);
            out->rotation = best_turn * 90;
        }
    } else {
        /* No template: every text line is read once, the type is told from
         * all of them when the title band did not name it, and the fields
         * are found by their labels. A credit-card back is read whole in
         * one sparse reading instead (the redaction plan's, handed on). */
        if (rq->kind == PS_KIND_CREDIT_CARD && dt.side == PS_SIDE_BACK) {
            st = ps__read_back_whole(ocr, rq, card, ps__left(rq, &t0), &out->fs);
        } else if (lines_turn != card_turn || (!paper && rq->quad != NULL && ps__paper_type(dt.type))) {
            ps_ocr_lines_free(&lines, n_lines);
            n_lines = 0;
            /* Lines read now, on a card's or strip's outline, are read on
             * the outline rectified at its own aspect and a page's
             * resolution: a document of a paper type whose outline the
             * document stage took for a card (an envelope, its aspect near
             * ID-1's) squeezed into a card's 1011 px read its addressee's
             * name as nothing. A card without a template (a licence's back,
             * a notification card named by its bands) gets the same,
             * larger, rectification; its lines are still read as a card's
             * (as_paper). */
            int as_paper = paper || ps__paper_type(dt.type);
            if (!paper && rq->quad != NULL) {
                ps_read_request page = *rq;
                page.shape = PS_DOC_PAPER;
                ps_image_free(&card);
                st = ps__rectify(&page, card_turn, &card, &H);
            }
            if (st == PS_OK)
                st = ps_fields_read_lines(ocr, card, as_paper, ps__left(rq, &t0), &lines,
                                          &n_lines, &out->fs);
        }
        if (st == PS_OK || st == PS_E_DEADLINE) {
            if (dt.type == PS_DOC_UNKNOWN) {
                ps__append_lines(title, lines, n_lines);
                ps__classify(rq, title, (double)card->width / card->height, &dt);
            }
            ps_status s2 = ps_fields_from_lines(dt.type, lines, n_lines, rq->now, &out->fs);
            if (st == PS_OK)
                st = s2;
            if (st == PS_OK)
                st = ps__read_below(ocr, rq, card, &H, dt.type, lines, n_lines, &t0, &out->fs);
            if (rq->lines_out != NULL && rq->n_lines_out != NULL) {
                /* handed on: in `card`'s pixels, which stay the result's */
                ps_ocr_lines_free(rq->lines_out, *rq->n_lines_out);
                *rq->lines_out = lines;
                *rq->n_lines_out = n_lines;
                lines = NULL;
                n_lines = 0;
            }
        }
    }
    if (st == PS_E_DEADLINE)
        st = PS_OK; /* what was read before the deadline stands */
    if (st != PS_OK)
        goto out;
    if (dt.type == PS_DOC_PASSPORT) {
        st = ps__read_mrz(ocr, card, rq->now, ps__left(rq, &t0), &out->fs);
        if (st == PS_E_DEADLINE)
            st = PS_OK;
        if (st != PS_OK)
            goto out;
    }
    if (dt.type == PS_DOC_UNKNOWN && rq->kind != PS_KIND_CREDIT_CARD) {
        st = ps__wide_type(ocr, rq, paper, &t0, &dt);
        if (st != PS_OK)
            goto out;
        if (rq->side != PS_SIDE_NONE && dt.type != PS_DOC_UNKNOWN)
            dt.side = rq->side;
        if (dt.type == PS_DOC_UNKNOWN) {
            /* a round date stamp whose date reads is a postmark: mail */
            st = ps__postmark(ocr, rq, card, &H, &t0, &out->fs);
            if (st != PS_OK)
                goto out;
            if (out->fs.f[PS_FIELD_POSTMARK_DATE].present) {
                dt.type = PS_DOC_POSTAL_MAIL;
                stamp_read = 1;
            }
        }
        /* the type's own rules (an addressee's 様 line, a postmark) on the
         * lines already read, wherever they are now; what their labels
         * gave stays */
        const ps_ocr_line *read_lines = lines;
        size_t n_read = n_lines;
        if (read_lines == NULL && rq->lines_out != NULL && rq->n_lines_out != NULL) {
            read_lines = *rq->lines_out;
            n_read = *rq->n_lines_out;
        }
        if (dt.type != PS_DOC_UNKNOWN && n_read > 0 && tpl == NULL)
            st = ps_fields_from_lines(dt.type, read_lines, n_read, rq->now, &out->fs);
        if (st != PS_OK)
            goto out;
    }
    if (dt.type == PS_DOC_POSTAL_MAIL && !stamp_read) {
        /* The round stamp's own date outranks the first date the lines gave
         * (a printed 差出日 or a date in the sender's block). */
        st = ps__postmark(ocr, rq, card, &H, &t0, &out->fs);
        if (st != PS_OK)
            goto out;
    }
    if (dt.type == PS_DOC_POSTAL_MAIL && out->fs.f[PS_FIELD_POSTMARK_DATE].present &&
        !out->fs.f[PS_FIELD_ISSUE_DATE].present)
        out->fs.f[PS_FIELD_ISSUE_DATE] = out->fs.f[PS_FIELD_POSTMARK_DATE]; /* mail is dated by its postmark */
    out->rotation = best_turn * 90;
    out->doc_width = card->width;
    out->doc_height = card->height;
    out->type = dt.type;
    out->side = dt.side;
    for (int f = 0; f < PS_FIELD_COUNT_; f++)
        if (out->fs.f[f].present)
            out->fs.f[f].box = ps__map_box(&H, out->fs.f[f].box);
    if (rq->kind == PS_KIND_PHOTO_ID && ps__mrz_worth_looking(out)) {
        st = ps__mrz_in_photo(ocr, rq, &t0, out);
        if (st != PS_E_NOMEM)
            st = PS_OK; /* a search that failed found nothing: the reading stands */
    }
out:
    if (out) {
        size_t c1 = ps_ocr_stats(ocr, NULL);
        c_bands = c_bands ? c_bands : c1;
        c_lines = c_lines ? c_lines : c1;
        out->calls_bands = (int)(c_bands - c0);
        out->calls_lines = (int)(c_lines - c_bands);
        out->calls_fields = (int)(c1 - c_lines);
    }
    ps_ocr_lines_free(&lines, n_lines);
    ps_template_free(&tpl);
    if (st == PS_OK && rq->card_out != NULL && card != NULL) {
        ps_image_free(rq->card_out);
        *rq->card_out = card;
        card = NULL;
    }
    ps_image_free(&card);
    free(title);
    return st;
}
