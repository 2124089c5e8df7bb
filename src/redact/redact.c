/* The redaction plan: read the document, find what must go, fall back to
 * template zones, map everything to full-resolution pixels.
 *
 * With the document's quad the document is rectified first (cards to
 * 1011 x 638, the ID-1 size at 300 dpi) so the digits stand upright for
 * tesseract and the zones are plain fractions; every box found there is
 * mapped back through the homography as a quad. Without a quad the image is
 * read as it is and no zone can be placed: a document expected to carry a
 * number that was not found is then unsafe.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cv/chip.h"
#include "cv/qr.h"
#include "prescreen/decode.h"
#include "prescreen/geom.h"
#include "read/utf8.h"
#include "redact/redact_int.h"

static const char *const type_names[PS_REDACT_TYPE_COUNT_] = {
    "pan", "cvv", "my_number", "my_number_qr", "resident_code", "insurer_number",
    "insured_number", "registered_domicile", "organ_donation",
};

const char *ps_redact_type_name(ps_redact_type t)
{
    return (unsigned)t < PS_REDACT_TYPE_COUNT_ ? type_names[t] : "unknown";
}

void ps_redact_plan_clear(ps_redact_plan *plan)
{
    if (plan != NULL)
        ps__wipe(plan, sizeof *plan);
}

int ps_redact_to_report(const ps_redact_plan *plan, ps_report *r)
{
    if (plan == NULL || r == NULL)
        return 0;
    int k = 0;
    for (size_t i = 0; i < plan->n && k < PS_MAX_REDACTIONS; i++, k++) {
        const ps_redact_item *it = &plan->items[i];
        ps_redaction *d = &r->redactions[k];
        memset(d, 0, sizeof *d);
        snprintf(d->type, sizeof d->type, "%s", ps_redact_type_name(it->type));
        d->box = it->box;
        snprintf(d->kept, sizeof d->kept, "%s", it->kept);
        d->last4_visible = it->type == PS_REDACT_PAN && !it->kept[0] && it->spare != 0;
    }
    r->n_redactions = k;
    return k;
}

ps_status ps_redact_find(const ps_ocr_word *words, size_t n_words, const ps_ocr_line *lines,
                         size_t n_lines, ps_doctype type, ps_side side, ps_redact_plan *plan)
{
    return ps__find_all(words, n_words, lines, n_lines, type, side, 0, 0, plan);
}

ps_status ps__find_all(const ps_ocr_word *words, size_t n_words, const ps_ocr_line *lines,
                       size_t n_lines, ps_doctype type, ps_side side, int amex_front,
                       int whole_pan, ps_redact_plan *plan)
{
    if (plan == NULL || (words == NULL && n_words > 0))
        return PS_E_ARG;
    ps__runs runs;
    memset(&runs, 0, sizeof runs);
    ps_status st = ps__runs_build(words, n_words, &runs);
    if (st == PS_OK) {
        /* Labelled numbers first: a 12-digit run next to 個人番号 is a My
         * Number even when a neighbouring group would make it PAN-long. */
        ps__find_mynumber(&runs, words, n_words, lines, n_lines, type, side, plan);
        ps__find_pan(&runs, type, side, whole_pan, plan);
        ps__find_cvv(&runs, type, side, amex_front, plan);
    }
    ps__runs_free(&runs);
    return st;
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

/* b with its x and w scaled by sx, its y and h by sy. */
static ps_box box_scale(ps_box b, double sx, double sy)
{
    return (ps_box){(int)lround(b.x * sx), (int)lround(b.y * sy), (int)lround(b.w * sx),
                    (int)lround(b.h * sy)};
}

/* How far below a paper row's label its number may sit, and above, in the
 * label's heights: a table cell centres its value, a cell taller than the
 * label's line puts the value up to a line lower. */
#define PS__ROW_BELOW 1.5
#define PS__ROW_ABOVE 0.5

/* Lines holding a number's label whose number was not found: mask the line
 * from the label to three line heights past its end (fail closed). On
 * paper (row_w > 0) the number sits in the table cell right of its label,
 * any distance away: the mask runs from the label to the page's edge
 * (row_w, rectified pixels) over the label's row. */
static void label_fallback(const ps_ocr_line *lines, size_t n_lines, double sx, double sy,
                           const char *label, ps_redact_type t, int row_w, ps_redact_plan *plan)
{
    for (size_t i = 0; i < n_lines; i++) {
        const ps_ocr_line *l = &lines[i];
        if (l->text == NULL || !ps__has_label(l->text, label) ||
            ps__has_label(l->text, "個人番号カード")) /* the card's title, not a number's label */
            continue;
        ps_box b = box_scale(l->box, sx, sy);
        int have = 0;
        for (size_t k = 0; k < plan->n && !have; k++) {
            const ps_box *ib = &plan->items[k].box;
            double cy = ib->y + ib->h / 2.0;
            have = plan->items[k].type == t && cy >= b.y - b.h && cy <= b.y + 2.0 * b.h;
        }
        if (have)
            continue;
        if (row_w > 0) {
            int y0 = b.y - (int)(PS__ROW_ABOVE * b.h), y1 = b.y + b.h + (int)(PS__ROW_BELOW * b.h);
            if (y0 < 0)
                y0 = 0;
            b = (ps_box){b.x, y0, row_w - b.x, y1 - y0};
        } else {
            b.w += 3 * b.h;
        }
        ps_redact_item *it = ps__plan_add(plan, t, b, NULL);
        if (it != NULL)
            it->zone = 1;
        plan->uncertain = 1;
    }
}

/* A 住民票's row labels: a page reading that names this many of them has
 * read the table, not a corner of it. Most 住民票 print 6-9 of these; the
 * table's first rows alone (住所, 世帯主, 氏名) are 3. */
static const char *const page_row_labels[] = {
    "氏名", "住所", "生年月日", "性別", "世帯主", "続柄", "住民となった", "本籍", "筆頭者", "備考", "前住所",
};
#define PS__PAGE_MIN_LABELS 5
/* A run of this many digits (spaces and hyphens inside it allowed) is a
 * number to mask: a 住民票コード is 11, a My Number 12; dates are broken
 * by 年月日, postcodes are 7. */
#define PS__PAGE_NUMBER_RUN 8

/* The longest run of digits (ASCII or full-width) in `s`, spaces and
 * hyphens inside it allowed. */
static int digit_run(const char *s)
{
    int best = 0, run = 0;
    for (size_t i = 0; s[i];) {
        unsigned c = ps__utf8_next(s, &i);
        if ((c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19))
            run++;
        else if (c != ' ' && c != 0x3000 && c != '-' && c != 0x30FC && c != 0xFF0D)
            run = 0;
        if (run > best)
            best = run;
    }
    return best;
}

/* 1 when the caller's line-by-line reading of a page (scaled by sx, sy to
 * the plan's rectified document) holds the 住民票's table — at least
 * PS__PAGE_MIN_LABELS of its row labels, and the certification statement
 * (…証明する) below them, so the outline is not the table's upper part
 * with the number rows (printed after the name, birth and address rows)
 * outside it — and every line of it holding a number lies under one of
 * the plan's items (any type): the page shows no number left bare. */
static int page_read(const ps_ocr_line *lines, size_t n, double sx, double sy,
                     const ps_redact_plan *p)
{
    unsigned seen = 0;
    int labels = 0, bottom = -1, statement = 0;
    for (size_t i = 0; i < n; i++) {
        if (lines[i].text == NULL)
            continue;
        for (size_t k = 0; k < sizeof page_row_labels / sizeof page_row_labels[0]; k++) {
            if (!ps__has_label(lines[i].text, page_row_labels[k]))
                continue;
            seen |= 1u << k;
            if (lines[i].box.y + lines[i].box.h > bottom)
                bottom = lines[i].box.y + lines[i].box.h;
        }
    }
    for (size_t i = 0; i < n && bottom >= 0; i++)
        statement |= lines[i].text != NULL && ps__has_label(lines[i].text, "証明") &&
                     lines[i].box.y >= bottom;
    if (!statement)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (lines[i].text == NULL || digit_run(lines[i].text) < PS__PAGE_NUMBER_RUN)
            continue;
        ps_box b = box_scale(lines[i].box, sx, sy);
        double cy = b.y + b.h / 2.0;
        int covered = 0;
        for (size_t k = 0; k < p->n && !covered; k++) {
            const ps_box *ib = &p->items[k].box;
            covered = cy >= ib->y && cy <= ib->y + ib->h && b.x < ib->x + ib->w && ib->x < b.x + b.w;
        }
        if (!covered)
            return 0;
    }
    for (; seen; seen &= seen - 1)
        labels++;
    return labels >= PS__PAGE_MIN_LABELS;
}

/* Maps the plan's quads through h (document -> image) and then to full
 * resolution (divide by scale), into out. */
static void map_items(const ps_redact_plan *src, const double h[9], double scale,
                      ps_redact_plan *out)
{
    for (size_t i = 0; i < src->n; i++) {
        if (out->n >= PS_REDACT_MAX_ITEMS) {
            out->unsafe = 1;
            return;
        }
        ps_redact_item *it = &out->items[out->n++];
        *it = src->items[i];
        for (int k = 0; k < 4; k++) {
            ps_point p = h ? ps__hmap(h, src->items[i].quad[k]) : src->items[i].quad[k];
            it->quad[k] = (ps_point){p.x / scale, p.y / scale};
        }
        it->box = ps__quad_bbox(it->quad);
    }
}

/* Whole-document readings tried in turn: sparse text finds numbers that
 * stand apart, one uniform block keeps a card number's groups on one line
 * when sparse mode breaks them. Otsu: Sauvola loses embossed digits. */
static const ps_ocr_psm read_psm[] = {PS_OCR_PSM_SPARSE, PS_OCR_PSM_BLOCK};
#define PS__N_READS 2

static void read_params(ps_doctype type, ps_ocr_psm psm, int deadline_ms, ps_ocr_params *p)
{
    memset(p, 0, sizeof *p);
    p->psm = psm;
    p->binarize = PS_OCR_BIN_OTSU;
    p->deadline_ms = deadline_ms;
    if (type == PS_DOC_CREDIT_CARD)
        p->langs = "eng"; /* Latin-only card: faster and no kana look-alikes */
    /* A page photographed under a hand's or a phone's shadow: one global
     * threshold drops every glyph on the shadowed side (a 住民票's 個人番号
     * row read as 5 of its 12 digits, its label not at all); the
     * background divided out first keeps both sides. Not on cards, where
     * Otsu alone keeps embossed digits (a type not told is read as paper:
     * an untyped upload that is a card is the rarer case). */
    if (!ps__card_type(type))
        p->flatten = 1;
}

void ps_redact_read_params(ps_doctype type, int deadline_ms, ps_ocr_params *p)
{
    if (p != NULL)
        read_params(type, read_psm[0], deadline_ms, p);
}

/* 1 when the plan holds a number of type t read whole (not a zone, not a
 * partial reading). A QR code found counts as whole. */
static int confident(const ps_redact_plan *p, ps_redact_type t)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->items[i].type == t && !p->items[i].zone && !p->items[i].partial)
            return 1;
    return 0;
}

/* 1 when p holds a whole card number whose digits fail the Luhn check
 * (ps__pan_unchecked()). */
static int unchecked_pan(const ps_redact_plan *p)
{
    for (size_t i = 0; i < p->n; i++)
        if (ps__pan_unchecked(&p->items[i]))
            return 1;
    return 0;
}

/* Those readings keep nothing: the lattice's last group (or, without
 * one, a group's width right of the mask) goes under the mask too. */
static void distrust_pans(ps_redact_plan *p, const ps__pan_geo *geo)
{
    for (size_t i = 0; i < p->n; i++) {
        ps_redact_item *it = &p->items[i];
        if (!ps__pan_unchecked(it))
            continue;
        ps_box more = geo->ok ? ps_box_union(geo->line, geo->kept)
                              : (ps_box){it->box.x + it->box.w, it->box.y, it->box.w / 3 + it->box.h, it->box.h};
        ps__pan_distrust(it, more);
    }
}

/* A card back's CVV read inside the back's CVV zone zb (3 or 4 digits, on
 * its own glyphs or as a word of the whole back's reading, whose box
 * holds its glyphs): the zone that always goes need not start left of it
 * by more than one code's width (a fourth digit, a code read short). The
 * panel's last 4, left of the code, then stay in the photo even where
 * their glyphs were not found (a signature across them, glare, the code
 * in a box of its own apart from the panel: gc2 000518, 000645, 000552).
 * The CVV is the panel's last group: the zone still runs to the back's
 * right edge, over anything right of the digits read. -1 when no such
 * reading. */
static int read_cvv_left(const ps_redact_plan *p, ps_box zb)
{
    int x = -1;
    for (size_t i = 0; i < p->n; i++) {
        const ps_redact_item *it = &p->items[i];
        size_t nd = strlen(it->digits);
        if (it->type != PS_REDACT_CVV || it->zone || it->partial || nd < 3 ||
            nd > 4 || it->box.x < zb.x || it->box.x + it->box.w > zb.x + zb.w ||
            it->box.y < zb.y || it->box.y + it->box.h > zb.y + zb.h)
            continue;
        int left = it->box.x - it->box.w;
        if (x < 0 || left < x)
            x = left;
    }
    return x;
}

/* The expected types the plan has not found with confidence. */
static unsigned missing_types(const ps_redact_plan *p, unsigned expect)
{
    unsigned miss = 0;
    for (int t = 0; t < PS_REDACT_TYPE_COUNT_; t++)
        if ((expect & (1u << t)) && !confident(p, (ps_redact_type)t))
            miss |= 1u << t;
    return miss;
}

static int boxes_meet(ps_box a, ps_box b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/* Drops partial readings of a number that a whole reading of the same type
 * now covers (the whole reading keeps the PAN's last 4 visible). */
static void drop_superseded(ps_redact_plan *p)
{
    size_t k = 0;
    for (size_t i = 0; i < p->n; i++) {
        const ps_redact_item *it = &p->items[i];
        int drop = 0;
        for (size_t j = 0; j < p->n && it->partial && !drop; j++)
            drop = j != i && p->items[j].type == it->type && !p->items[j].partial &&
                   !p->items[j].zone && boxes_meet(p->items[j].box, it->box);
        if (drop)
            continue;
        p->items[k++] = *it;
    }
    for (size_t i = k; i < p->n; i++)
        ps__wipe(&p->items[i], sizeof p->items[i]);
    p->n = k;
}

/* 1 when a corner of the outline lies outside the w x h photo (beyond a
 * pixel of rounding). */
static int quad_leaves_frame(const ps_point q[4], int w, int h)
{
    for (int i = 0; i < 4; i++)
        if (q[i].x < -1 || q[i].y < -1 || q[i].x > w + 1 || q[i].y > h + 1)
            return 1;
    return 0;
}

/* A zone's box in the rectified document's pixels. */
static ps_box zone_box(const ps__zone *z, int rw, int rh)
{
    return (ps_box){(int)(z->x * rw), (int)(z->y * rh), (int)(z->w * rw), (int)(z->h * rh)};
}

/* Appends src's items to dst, skipping those that repeat one of dst's. */
static void merge_items(ps_redact_plan *dst, const ps_redact_plan *src)
{
    for (size_t i = 0; i < src->n; i++) {
        const ps_redact_item *it = &src->items[i];
        int dup = 0;
        for (size_t k = 0; k < dst->n && !dup; k++) {
            const ps_box *a = &dst->items[k].box, *b = &it->box;
            int ix = (a->x + a->w < b->x + b->w ? a->x + a->w : b->x + b->w) -
                     (a->x > b->x ? a->x : b->x);
            int iy = (a->y + a->h < b->y + b->h ? a->y + a->h : b->y + b->h) -
                     (a->y > b->y ? a->y : b->y);
            dup = dst->items[k].type == it->type && ix > 0 && iy > 0 &&
                  (double)ix * iy >= 0.8 * (double)b->w * b->h; /* mostly covered already */
        }
        if (dup)
            continue;
        if (dst->n >= PS_REDACT_MAX_ITEMS) {
            dst->unsafe = 1;
            return;
        }
        dst->items[dst->n++] = *it;
    }
    dst->uncertain |= src->uncertain;
    dst->unsafe |= src->unsafe;
}

/* Words printed on cards beside the number (labels, brands, kinds of
 * card) and on backs by the signature panel, upper case. Read whole and
 * surely at a turn, they show that turn is the reading order: text upside
 * down reads as scattered letters of low confidence, never as one of
 * these. A label's two words may be read as one (VALIDTHRU). */
static const char *const upright_words[] = {
    "VALID", "THRU", "GOOD", "EXPIRES", "EXPIRY", "MONTH", "YEAR", "MEMBER", "SINCE",
    "CARD", "BANK", "DEBIT", "CREDIT", "AMERICAN", "EXPRESS", "PLATINUM", "GOLD", "CLASSIC",
    "AUTHORIZED", "AUTHORISED", "SIGNATURE", "SIGNED", "UNLESS", "CUSTOMER", "SERVICE",
    "VISA", "MASTERCARD", "DISCOVER", "DINERS", "UNIONPAY",
};
#define PS__N_UPRIGHT (sizeof upright_words / sizeof upright_words[0])
/* How sure tesseract must be of such a word (a word read upside down by
 * chance would be a short one and unsure; those read upright on the
 * generated cards score 0.84-0.97). */
#define PS__UPRIGHT_CONF 0.8

/* 1 when the n bytes at u (upper-case letters) spell one listed word or
 * two run together. */
static int upright_token(const char *u, size_t n)
{
    for (size_t j = 0; j < PS__N_UPRIGHT; j++) {
        size_t a = strlen(upright_words[j]);
        if (a > n || memcmp(u, upright_words[j], a) != 0)
            continue;
        if (a == n)
            return 1;
        for (size_t k = 0; k < PS__N_UPRIGHT; k++)
            if (strlen(upright_words[k]) == n - a && !memcmp(u + a, upright_words[k], n - a))
                return 1;
    }
    return 0;
}

int ps_redact_upright_text(const char *text)
{
    char u[24];
    size_t k = 0;
    int bad = 0;
    for (const char *c = text; c != NULL; c++) {
        int up = *c >= 'A' && *c <= 'Z', low = *c >= 'a' && *c <= 'z';
        if (up || low) {
            if (k + 1 < sizeof u)
                u[k++] = (char)(low ? *c - 'a' + 'A' : *c);
            else
                bad = 1; /* longer than any two words */
        } else if (*c == ' ' || *c == '\0') {
            /* a word of letters, punctuation after it at most */
            if (k > 0 && !bad && upright_token(u, k))
                return 1;
            k = 0;
            bad = 0;
            if (*c == '\0')
                break;
        } else if ((*c == '.' || *c == ':' || *c == ',') && k > 0) {
            bad |= c[1] != ' ' && c[1] != '\0';
        } else {
            bad = 1;
        }
    }
    return 0;
}

int ps__upright_words(const ps_ocr_word *w, size_t n)
{
    for (size_t i = 0; w != NULL && i < n; i++)
        if (w[i].text != NULL && w[i].confidence >= PS__UPRIGHT_CONF &&
            ps_redact_upright_text(w[i].text))
            return 1;
    return 0;
}

/* The finder and the label fallbacks over one reading made with p; with
 * `upright` set, *upright |= the reading confirms the document's turn
 * (ps__upright_words()). */
static ps_status find_in(const ps_ocr_result *res, const ps_ocr_params *p, int doc_w, int doc_h,
                         const ps_redact_opts *opts, int amex_front, ps_redact_plan *into,
                         int *upright)
{
    if (upright != NULL)
        *upright |= ps__upright_words(res->words, res->n_words);
    ps_status st = ps__find_all(res->words, res->n_words, res->lines, res->n_lines, opts->type,
                                opts->side, amex_front, opts->mask_whole_pan, into);
    if (st == PS_OK && p->whitelist == NULL) {
        int row_w = ps__card_type(opts->type) ? 0 : doc_w;
        label_fallback(res->lines, res->n_lines, 1, 1, "個人番号", PS_REDACT_MY_NUMBER, row_w, into);
        label_fallback(res->lines, res->n_lines, 1, 1, "住民票コード", PS_REDACT_RESIDENT_CODE, row_w,
                       into);
        if (opts->optional != 0 && p->zone.w <= 0) /* a whole-document reading */
            ps__find_optional(res->lines, res->n_lines, opts->optional, doc_w, doc_h, into);
    }
    return st;
}

/* One OCR pass over `zone` of doc (w <= 0: all), then the finder. */
static ps_status read_and_find(ps_ocr *ocr, const ps_image *doc, const ps_ocr_params *p,
                               const ps_redact_opts *opts, int amex_front,
                               ps_redact_plan *local, ps_redact_plan *into, int *upright)
{
    ps_ocr_result *res = NULL;
    double t0 = now_ms();
    ps_status st = ps_ocr_read(ocr, doc, p, &res);
    local->ocr_ms += now_ms() - t0;
    local->ocr_calls++;
    if (st != PS_OK)
        return st;
    st = find_in(res, p, doc->width, doc->height, opts, amex_front, into, upright);
    ps_ocr_result_free(&res);
    return st;
}

/* The window left around a last group kept by geometry reaches this far
 * above and below its glyphs, in glyph heights (the glyphs' boxes are
 * their ink; a tilt left by a rough outline adds more; the next line of a
 * card is about a glyph height away). */
#define PS__GEO_WIN 0.9
/* The same window reaches this far left and right of the group's glyphs,
 * in letter pitches: into the gap before the group (glyph to glyph about a
 * pitch there, 0.4 inside a group), so the window's edge never clips a kept
 * digit, and the next glyph left is still 0.75 pitch away under the mask. */
#define PS__GEO_SIDE 0.25
/* Digits a lattice may have lost at an end of its line, either end when
 * the line's reading order is not known (PS__GEO_MAX_LEFT_LOST, panline.c). */
#define PS__GEO_LOST_ENDS 3
/* The band read about a number's line found by its lattice reaches this
 * far above and below its glyphs, in glyph heights: the glyphs' boxes may
 * sit a little off the digits' ink on a tilted or blurred card. */
#define PS__LINE_BAND 1.0
/* An Amex CID's zone above a kept last 4 ends this far (in the number's
 * glyph heights) above the number's glyphs: the CID is printed above the
 * number's end, from about a third of a glyph height above it (a motion-
 * blurred front showed half its CID over a gap of 0.6). */
#define PS__CID_GAP 0.1
/* ... and a zone ending higher is drawn down to this far above them: the
 * outline under a cut card's zone is partly a guess (gcc 000052: a CID
 * 0.58 heights above the number's end stood below its zone), while the
 * window over the last 4 keeps a margin above them. */
#define PS__CID_REACH 0.45
/* How far past a number's last glyph the photo must still show the card for
 * that glyph to be the number's last: in letter pitches (a 19-digit
 * number's fifth group starts 1.6 pitches on). */
#define PS__END_PITCHES 2.0
/* The same for a number read whole, as a share of its masked part's width
 * (12 digits and 2 gaps: about 13 pitches; the last group and 2 pitches
 * more are about 0.5 of it). */
#define PS__END_SHARE 0.55

/* 1 when the point (x, y) of the rectified document lies inside the photo
 * (h maps document to planned image, scale planned to full pixels). */
static int doc_point_in_frame(const double h[9], double scale, double x, double y, int fw, int fh)
{
    ps_point p = ps__hmap(h, (ps_point){x, y});
    p.x /= scale;
    p.y /= scale;
    return p.x >= 0 && p.y >= 0 && p.x <= fw && p.y <= fh;
}

int ps__frame_has(const ps__frame *f, double x, double y)
{
    return f == NULL || doc_point_in_frame(f->h, f->scale, x, y, f->w, f->ht);
}

/* 1 when the card shows, inside the photo, the line from x0 to x1 at height
 * y (rectified pixels): nothing of the number beyond x0 was cut off. */
static int line_in_frame(const double h[9], double scale, double x0, double x1, double y, int fw,
                         int fh)
{
    return doc_point_in_frame(h, scale, x0, y, fw, fh) && doc_point_in_frame(h, scale, x1, y, fw, fh);
}

/* Where a CID zone above a front's kept last 4 may end (rectified
 * pixels): `gap` glyph heights above the number's glyphs, kept by
 * geometry (geo: above the kept group itself, which on a line tilted on
 * the rectified card lies lower or higher than the line's top) or read
 * whole; -1 when no last 4 is kept. */
static int kept_top(const ps_redact_plan *p, const ps__pan_geo *geo, double gap)
{
    if (geo != NULL)
        return geo->kept.y - (int)(gap * geo->kept.h + 0.5);
    for (size_t i = 0; i < p->n; i++)
        if (p->items[i].type == PS_REDACT_PAN && p->items[i].kept[0])
            return p->items[i].box.y - (int)(gap * p->items[i].box.h + 0.5);
    return -1;
}

/* Hides the PAN zone around a last group told by geometry, in four masks:
 * left and right of the group (the zone's whole height; their sides toward
 * the group spared), above and below it (the group's columns; their sides
 * toward it spared), leaving a window of the group's glyphs and
 * PS__GEO_WIN of their height above and below. Every other PAN item
 * touching the group (a partial reading, masked whole) goes: the masks
 * cover its digits. Rectified pixels. */
static void add_geo_keep(ps_redact_plan *p, const ps__pan_geo *g, ps_box zone)
{
    size_t k = 0;
    for (size_t i = 0; i < p->n; i++) {
        if (p->items[i].type == PS_REDACT_PAN && boxes_meet(p->items[i].box, g->kept))
            continue;
        p->items[k++] = p->items[i];
    }
    for (size_t i = k; i < p->n; i++)
        ps__wipe(&p->items[i], sizeof p->items[i]);
    p->n = k;
    int pad = (int)(PS__GEO_WIN * g->line.h + 0.5);
    int wy0 = g->line.y - pad, wy1 = g->line.y + g->line.h + pad;
    int side = (int)(PS__GEO_SIDE * g->pitch + 0.5);
    int kx0 = g->kept.x - 1 - side, kx1 = g->kept.x + g->kept.w + 1 + side;
    int zx1 = zone.x + zone.w > kx1 + g->pitch ? zone.x + zone.w : kx1 + g->pitch;
    /* digits lost at the line's left end lie a pitch apart before it */
    int lx0 = g->line.x - (g->left_lost + 1) * g->pitch;
    int zx0 = zone.x < lx0 ? zone.x : lx0;
    int zy0 = zone.y < wy0 - 1 ? zone.y : wy0 - 1, zy1 = zone.y + zone.h > wy1 + 1 ? zone.y + zone.h : wy1 + 1;
    const struct { ps_box b; int spare; } m[4] = {
        {{zx0, zy0, kx0 - zx0, zy1 - zy0}, PS_REDACT_SPARE_RIGHT},
        {{kx1, zy0, zx1 - kx1, zy1 - zy0}, PS_REDACT_SPARE_LEFT},
        {{kx0, zy0, kx1 - kx0, wy0 - zy0}, PS_REDACT_SPARE_BOTTOM},
        {{kx0, wy1, kx1 - kx0, zy1 - wy1}, PS_REDACT_SPARE_TOP},
    };
    for (int i = 0; i < 4; i++) {
        ps_redact_item *it = ps__plan_add(p, PS_REDACT_PAN, m[i].b, NULL);
        if (it != NULL) {
            it->partial = 1;
            it->spare = m[i].spare;
        }
    }
    p->uncertain = 1;
}

/* 1 when a card front's last group is kept by geometry (geo, found on its
 * number's line): the number was not read whole, the reading order is
 * confirmed (upright, or an Amex lattice) and, on a card cut by the photo,
 * the photo shows the card past the group (or the line runs out inside
 * it). h maps the rectified card to the planned image. */
static int geo_keeps(const ps_redact_opts *opts, const double *h, double scale,
                     const ps_redact_plan *out, const ps__pan_geo *geo, int upright,
                     const ps_redact_plan *local)
{
    if (opts->type != PS_DOC_CREDIT_CARD || opts->side == PS_SIDE_BACK || h == NULL ||
        !geo->ok || !(upright || geo->amex) || confident(local, PS_REDACT_PAN) ||
        opts->mask_whole_pan)
        return 0;
    return !quad_leaves_frame(opts->doc_quad, out->full_width, out->full_height) ||
           (geo->open & PS__GEO_OPEN_RIGHT) ||
           line_in_frame(h, scale, geo->kept.x, geo->kept.x + geo->kept.w + PS__END_PITCHES * geo->pitch,
                         geo->kept.y + geo->kept.h / 2.0, out->full_width, out->full_height);
}

/* Narrowest rectified card the chip is looked for on (ps_cv_card_chip_turn()). */
#define PS__CHIP_MIN_W 200

/* The plan at the document's turn in opts; `turn_tried` once it is
 * planned again a half turn round (an Amex number seen upside down);
 * `no_stripe` when a card handed in as a back showed no magnetic stripe and
 * is planned as either side: a CVV read alone then does not make it a back. */
static ps_status plan_make(ps_ocr *ocr, const ps_image *img, const ps_redact_opts *opts,
                           ps_redact_plan *out, int turn_tried, int no_stripe)
{
    if (out == NULL)
        return PS_E_ARG;
    ps_redact_plan_clear(out);
    if (ocr == NULL || img == NULL || opts == NULL || opts->scale < 0)
        return PS_E_ARG;
    double scale = opts->scale > 0 ? opts->scale : 1.0;
    out->full_width = opts->full_width > 0 ? opts->full_width : (int)lround(img->width / scale);
    out->full_height = opts->full_height > 0 ? opts->full_height : (int)lround(img->height / scale);

    ps_status st = PS_OK;
    ps_image *rect = NULL;
    ps_redact_plan *local = calloc(1, sizeof *local);
    double h[9], *hp = NULL;
    int rw = 0, rh = 0, geo_keep = 0, retry = 0, either = 0, doubt = 0;
    /* the document's reading order is confirmed: by the caller (text it
     * read on the document at this turn), by the plan's own reading, or
     * by a number's lattice that is not the same upside down */
    int upright = opts->upright_known;
    ps__pan_geo geo;
    memset(&geo, 0, sizeof geo);
    if (local == NULL)
        return PS_E_NOMEM;

    const ps_image *doc = img;
    if (opts->doc_quad != NULL) {
        const ps_point *q = opts->doc_quad;
        ps_point qf[4];
        for (int i = 0; i < 4; i++)
            qf[i] = (ps_point){q[i].x / scale, q[i].y / scale};
        out->doc_box = ps__quad_bbox(qf);
        double top = hypot(q[1].x - q[0].x, q[1].y - q[0].y);
        double left = hypot(q[3].x - q[0].x, q[3].y - q[0].y);
        ps__rectified_size(opts->type, left > 0 ? top / left : 0, &rw, &rh);
        ps_point corners[4] = {{0, 0}, {rw, 0}, {rw, rh}, {0, rh}};
        const ps_image *given = opts->doc_image;
        if (given != NULL && (given->width != rw || given->height != rh || scale != 1.0))
            given = NULL;
        if (given != NULL) {
            /* the caller's rectification put the quad's corners on its
             * corner pixels' centres: the same mapping, in the plan's
             * continuous coordinates (a pixel's centre at +0.5) */
            ps_point cc[4] = {{0.5, 0.5}, {rw - 0.5, 0.5}, {rw - 0.5, rh - 0.5}, {0.5, rh - 0.5}};
            ps_point qc[4];
            for (int i = 0; i < 4; i++)
                qc[i] = (ps_point){q[i].x + 0.5, q[i].y + 0.5};
            if (ps__homography(cc, qc, h)) {
                hp = h;
                doc = given;
            }
        } else if (ps__homography(corners, q, h)) {
            hp = h;
            st = ps__warp(img, h, rw, rh, &rect);
            if (st != PS_OK)
                goto done;
            doc = rect;
        }
    }

    unsigned expect = ps__expected_types(opts->type, opts->side);
    ps_redact_plan *pass = calloc(1, sizeof *pass);
    if (pass == NULL) {
        st = PS_E_NOMEM;
        goto done;
    }
    /* A card back: the magnetic stripe runs along its top, so it tells the
     * turn before anything is read. No stripe: a front handed in as a back
     * (or a sheet taken for the card), planned as either side at once, so
     * a card number on it is looked for and its zone masked too; its
     * outline stays in doubt (out->outline_doubt) unless the card is cut
     * by the frame, where the stripe may be out of the photo. */
    if (opts->type == PS_DOC_CREDIT_CARD && opts->side == PS_SIDE_BACK && hp != NULL &&
        doc->channels == 3) {
        int stripe = 0;
        st = ps_cv_card_stripe(doc, &stripe);
        if (st != PS_OK)
            goto done_pass;
        if (stripe == 0) {
            either = 1;
            doubt = !quad_leaves_frame(opts->doc_quad, out->full_width, out->full_height);
            goto done_pass;
        }
        if (stripe == -1 && !upright && !turn_tried) {
            retry = 1;
            goto done_pass;
        }
        if (stripe == 1)
            upright = 1;
    }

    /* The My Number QR code: OpenCV, not tesseract. */
    if ((opts->type == PS_DOC_MY_NUMBER_CARD && opts->side != PS_SIDE_FRONT) ||
        opts->type == PS_DOC_UNKNOWN) {
        ps_cv_qr qr;
        st = ps_cv_qr_find(doc, NULL, &qr);
        if (st != PS_OK)
            goto done_pass;
        if (qr.found && (opts->type == PS_DOC_MY_NUMBER_CARD || qr.payload_mynumber ||
                         !qr.decoded)) {
            ps_redact_item *it = ps__plan_add(local, PS_REDACT_MY_NUMBER_QR,
                                              ps__quad_bbox(qr.quad), NULL);
            if (it != NULL)
                memcpy(it->quad, qr.quad, sizeof qr.quad);
        }
        /* A My Number card's back cut by the frame: its outline's hidden
         * part is the aspect prior's guess, and the QR code, its zone or
         * what the detector took for it on that guess may miss the strip of
         * the code the photo still shows at its edge (held-out 000743: a
         * sliver 9 px wide left bare). Unless the code was read whole, no
         * mask can be proved to cover it: the outline is in doubt and the
         * plan uncertain, and the image is not stored (src/checks/redact.c). */
        if (opts->type == PS_DOC_MY_NUMBER_CARD && opts->side != PS_SIDE_FRONT &&
            opts->doc_quad != NULL && !qr.payload_mynumber &&
            quad_leaves_frame(opts->doc_quad, out->full_width, out->full_height)) {
            out->uncertain = 1;
            out->outline_doubt = 1;
        }
    }
    /* A card front: the number line first, read closely; when it gives
     * the whole PAN the whole-card readings are not needed for it. */
    if (opts->type == PS_DOC_CREDIT_CARD && opts->side != PS_SIDE_BACK && hp != NULL) {
        int found = 0;
        /* a card cut by the frame: its number's line may run out of it */
        ps__frame fr = {hp, scale, out->full_width, out->full_height};
        ps_redact_plan_clear(pass);
        st = ps__read_pan_lines(ocr, doc, opts,
                                quad_leaves_frame(opts->doc_quad, out->full_width, out->full_height) ? &fr : NULL,
                                local, pass, &found, &geo);
        if (st != PS_OK)
            goto done_pass;
        merge_items(local, pass);
        drop_superseded(local);
        /* The number's glyphs spell an Amex seen a half turn round: the
         * card lies upside down at this turn (the read stage read nothing
         * sure to tell it). Planned again at the other turn, where the
         * lattice proves the order and the zones lie over the numbers. */
        if (!turn_tried && geo.turned && !geo.ok && !confident(local, PS_REDACT_PAN)) {
            retry = 1;
            goto done_pass;
        }
        /* an Amex by its glyphs' lattice: its CID is read closely below */
        if (geo.ok && geo.amex && !confident(local, PS_REDACT_PAN))
            expect |= 1u << PS_REDACT_CVV;
    }
    /* A front whose number's lattice was found but not read whole (a
     * blurred or glared card), or read whole with digits that fail the
     * Luhn check (a 4-4-4-4 read upside down reads as digits too: gcc
     * 000003 kept its first group), whose turn nothing read tells: its
     * chip may. Upside down, the card is planned again at the other turn;
     * a turn still unknown keeps no unchecked reading's last 4. */
    int unchecked = unchecked_pan(local);
    if (!upright && geo.ok && !geo.amex && doc->channels == 3 &&
        (!confident(local, PS_REDACT_PAN) || unchecked) &&
        opts->type == PS_DOC_CREDIT_CARD && opts->side != PS_SIDE_BACK && hp != NULL) {
        int chip = 0;
        st = ps_cv_card_chip_turn(doc, &chip);
        if (st != PS_OK)
            goto done_pass;
        if (chip > 0) {
            upright = 1;
        } else if (chip < 0 && !turn_tried) {
            retry = 1;
            goto done_pass;
        }
    }
    if (unchecked && !upright)
        distrust_pans(local, &geo);
    /* Whole-document readings until one finds every expected number. On a
     * credit card only the first (sparse) one: on the generated cards the
     * second never found a number the first had not, at 80-90 ms a card.
     * On a front whose number's lattice was found at a known turn, only
     * the band of that line: a number the close reading of the line
     * missed is read there as in the whole card (its last 4 as digits,
     * not only a window), in about half the time. */
    int n_reads = opts->type == PS_DOC_CREDIT_CARD ? 1 : PS__N_READS;
    int line_band = opts->type == PS_DOC_CREDIT_CARD && opts->side != PS_SIDE_BACK && geo.ok &&
                    (upright || geo.amex);
    for (int k = 0; k < n_reads && !(expect != 0 && missing_types(local, expect) == 0); k++) {
        ps_ocr_params p;
        read_params(opts->type, read_psm[k], opts->deadline_ms, &p);
        if (line_band) {
            int pad = (int)(PS__LINE_BAND * geo.line.h + 0.5);
            p.zone = ps__box_clip((ps_box){0, geo.line.y - pad, rw, geo.line.h + 2 * pad}, rw, rh);
            p.glyph_height = geo.line.h;
        }
        ps_redact_plan_clear(pass);
        /* the caller's reading of this same rectified document, made with
         * these settings, stands in for the first one */
        if (k == 0 && !line_band && opts->doc_read != NULL && hp != NULL &&
            opts->doc_read_width == rw && opts->doc_read_height == rh)
            st = find_in(opts->doc_read, &p, rw, rh, opts, 0, pass, &upright);
        else
            st = read_and_find(ocr, doc, &p, opts, 0, local, pass, &upright);
        if (st != PS_OK)
            goto done_pass;
        merge_items(local, pass);
        drop_superseded(local);
        if (expect == 0 || missing_types(local, expect) == 0)
            break; /* nothing expected (labelled numbers only), or all found */
    }
    /* The read stage's line-by-line reading of a page, which reads small
     * print a whole-page reading misses: a number's label there whose
     * number no reading found has its row masked too, and the page is
     * checked for a number left bare (out->page_read). */
    if (hp != NULL && opts->page_lines != NULL && opts->doc_read_width > 0 &&
        opts->doc_read_height > 0 && !ps__card_type(opts->type)) {
        double sx = (double)rw / opts->doc_read_width, sy = (double)rh / opts->doc_read_height;
        label_fallback(opts->page_lines, opts->n_page_lines, sx, sy, "個人番号", PS_REDACT_MY_NUMBER,
                       rw, local);
        label_fallback(opts->page_lines, opts->n_page_lines, sx, sy, "住民票コード",
                       PS_REDACT_RESIDENT_CODE, rw, local);
        out->page_read = page_read(opts->page_lines, opts->n_page_lines, sx, sy, local);
    }
    /* An Amex front carries its 4-digit CID too. */
    if (opts->type == PS_DOC_CREDIT_CARD && opts->side != PS_SIDE_BACK &&
        ps__amex_pan(local) != NULL)
        expect |= 1u << PS_REDACT_CVV;
    /* Zones of the numbers still missing: read them closely, digits only.
     * Not on a credit card where the zone is masked whole anyway: a card
     * number's zone (its digits would only be recorded as `kept` when read
     * whole, which on the generated cards these readings never did). A
     * back's CVV is still read (its line, cheaply): found, the plan is not
     * uncertain. */
    for (int t = 0; hp != NULL && t < PS_REDACT_TYPE_COUNT_; t++) {
        if (!(missing_types(local, expect) & (1u << t)) || t == PS_REDACT_MY_NUMBER_QR)
            continue;
        if (opts->type == PS_DOC_CREDIT_CARD && t == PS_REDACT_PAN)
            continue;
        ps__zone z[4];
        int nz = ps__zones_for(opts->type, opts->side, (ps_redact_type)t, z, 4);
        for (int k = 0; k < nz; k++) {
            ps_ocr_params p;
            if (opts->type == PS_DOC_CREDIT_CARD && t == PS_REDACT_CVV) {
                /* the CVV / CID: its few digits re-set and read as a line */
                int found = 0;
                ps_box cz = zone_box(&z[k], rw, rh);
                if (geo.ok && opts->side != PS_SIDE_BACK && cz.y < geo.line.y &&
                    cz.y + cz.h > geo.line.y)
                    cz.h = geo.line.y - cz.y; /* the CID is above the number's line */
                ps_redact_plan_clear(pass);
                st = ps__read_lines(ocr, doc, cz, PS_REDACT_CVV, 3,
                                    opts->side != PS_SIDE_BACK, opts, local, pass, &found,
                                    NULL);
                if (st != PS_OK)
                    goto done_pass;
                merge_items(local, pass);
                drop_superseded(local);
                if (found)
                    continue;
            }
            read_params(opts->type, PS_OCR_PSM_SPARSE, opts->deadline_ms, &p);
            p.zone = ps__box_clip(zone_box(&z[k], rw, rh), rw, rh);
            p.whitelist = "0123456789";
            p.langs = "eng";
            ps_redact_plan_clear(pass);
            st = read_and_find(ocr, doc, &p, opts, t == PS_REDACT_CVV, local, pass, NULL);
            if (st != PS_OK)
                goto done_pass;
            merge_items(local, pass);
            drop_superseded(local);
        }
        if (t == PS_REDACT_PAN && opts->type == PS_DOC_CREDIT_CARD &&
            opts->side != PS_SIDE_BACK && ps__amex_pan(local) != NULL)
            expect |= 1u << PS_REDACT_CVV; /* an Amex number read only now */
    }

    /* A card cut by the frame: the number's line may run out of the photo,
     * so the last group read need not be the last group printed. The last
     * 4 are kept only when the photo shows the card for a last group and
     * two pitches more past the masked part; else the number's zone covers
     * the whole line. */
    int cut = opts->type == PS_DOC_CREDIT_CARD && opts->doc_quad != NULL &&
              quad_leaves_frame(opts->doc_quad, out->full_width, out->full_height);
    for (size_t i = 0; cut && hp != NULL && i < local->n; i++) {
        ps_redact_item *it = &local->items[i];
        double y = it->box.y + it->box.h / 2.0, x1 = it->box.x + it->box.w;
        if (it->type != PS_REDACT_PAN || !it->kept[0] ||
            line_in_frame(hp, scale, x1, x1 + PS__END_SHARE * it->box.w, y, out->full_width,
                          out->full_height))
            continue;
        ps__wipe(it->kept, sizeof it->kept);
        it->partial = 1;
    }
    /* A card front whose number was not read whole but whose line was
     * found: the last group is told by the glyphs' lattice and stays in a
     * window; the rest of the number's zone is masked around it (verify
     * re-reads the window and fills it too when more than 4 digits show). */
    if (geo_keeps(opts, hp, scale, out, &geo, upright, local)) {
        geo_keep = 1;
        /* every digit's place is known and masked but the last 4: the
         * outline is proven by the number's own glyphs (not an Amex's:
         * its CID's zone still stands on the outline alone) */
        out->anchored = !geo.amex;
        expect = 1u << PS_REDACT_PAN; /* a front: its number's line is there */
        if (geo.amex)
            expect |= 1u << PS_REDACT_CVV; /* the CID's zone, above the number's end */
    } else if (geo.ok && !geo.amex && hp != NULL && opts->side != PS_SIDE_BACK &&
               !confident(local, PS_REDACT_PAN)) {
        /* A lattice whose reading order nothing confirms keeps nothing;
         * its whole line is masked on its glyphs (besides the zone), with
         * room for the digits lost at either end, so the masks stand on
         * the number itself and not on the outline alone. */
        int pad = (int)(PS__GEO_WIN * geo.line.h + 0.5);
        int ends = (PS__GEO_LOST_ENDS + 1) * geo.pitch;
        ps_box line = {geo.line.x - ends, geo.line.y - pad, geo.line.w + 2 * ends,
                       geo.line.h + 2 * pad};
        ps_redact_item *it = ps__plan_add(local, PS_REDACT_PAN, ps__box_clip(line, rw, rh), NULL);
        if (it != NULL) {
            it->partial = 1;
            out->anchored = 1;
        }
    }
    /* A card back: the last 4 printed on the signature panel beside the
     * CVV stay when the glyphs show them as a group of 4 followed, last on
     * the line, by a group of 3; the CVV's zone then starts right of them.
     * A CVV reading that took the 4 for the CVV goes (the zone covers the
     * 3). */
    int back_keep = 0;
    ps_box back_kept = {0, 0, 0, 0};
    if (opts->type == PS_DOC_CREDIT_CARD && opts->side == PS_SIDE_BACK && hp != NULL) {
        /* the frame for a lone last group (its CVV out of the photo or
         * under glare), wanted past a found 4 on a cut card */
        ps__frame fr = {hp, scale, out->full_width, out->full_height};
        ps__back_seen seen;
        st = ps__back_look(doc, &fr, cut, &seen);
        if (st != PS_OK)
            goto done_pass;
        back_keep = seen.found;
        back_kept = seen.kept;
        if (!back_keep && !upright && !turn_tried) {
            /* the panel's last 4 before the CVV, read a half turn round:
             * the card lies upside down at this turn, planned again */
            ps_image *turned = NULL;
            int found = 0;
            ps_box unused;
            st = ps_image_orient(doc, 3, &turned); /* EXIF orientation 3: a half turn */
            if (st == PS_OK)
                st = ps__back_last4(turned, &unused, &found);
            ps_image_free(&turned);
            if (st != PS_OK)
                goto done_pass;
            if (found) {
                retry = 1;
                goto done_pass;
            }
        }
        if (back_keep && cut &&
            !line_in_frame(hp, scale, back_kept.x, back_kept.x + 3 * back_kept.w,
                           back_kept.y + back_kept.h / 2.0, out->full_width, out->full_height))
            back_keep = 0; /* the CVV's end may be out of the photo: the zone as it is */
        if (!back_keep && upright && seen.lone_found) {
            /* the photo ends on the panel's line past the last 4, or glare
             * covers it: no CVV seen */
            back_kept = seen.lone;
            back_keep = 1;
        }
        if (back_keep && opts->mask_whole_pan) {
            /* the policy keeps no last 4: the panel's 4 go too */
            ps__plan_add(local, PS_REDACT_PAN, back_kept, NULL);
            back_keep = 0;
        }
        size_t k = 0;
        for (size_t i = 0; back_keep && i < local->n; i++) {
            if (local->items[i].type == PS_REDACT_CVV && boxes_meet(local->items[i].box, back_kept))
                continue;
            local->items[k++] = local->items[i];
        }
        for (size_t i = k; back_keep && i < local->n; i++)
            ps__wipe(&local->items[i], sizeof local->items[i]);
        if (back_keep)
            local->n = k;
    }
    /* Fail closed: zones for the expected numbers still missing, and the
     * zones cheap enough to apply always. */
    /* A card of no given side shows its side by what was found: a number
     * read whole, a front (an Amex's CID still expected, on the front's
     * zone); a CVV alone, a back, unless the card showed no stripe (three
     * digits read on a front, its number unread, left the number bare). */
    ps_side zside = opts->side;
    if (opts->type == PS_DOC_CREDIT_CARD && opts->side == PS_SIDE_NONE && !geo_keep) {
        if (confident(local, PS_REDACT_PAN)) {
            zside = PS_SIDE_FRONT;
            expect = ps__amex_pan(local) != NULL ? 1u << PS_REDACT_CVV : 0;
        } else if (confident(local, PS_REDACT_CVV) && !no_stripe) {
            expect = 0;
        }
    }
    unsigned miss = missing_types(local, expect);
    /* The outline's turn is only the finder's guess of which long side is
     * the top: a card held upside down, or photographed sideways, looks
     * the same to it. Unless something read on the card fixes the turn
     * (an upright word or field, an Amex lattice, a whole number, a
     * back's last 4 before its CVV), every zone also goes on a half turn
     * round, where the number lies if the guess was wrong. */
    int turn_known = upright || (geo.ok && geo.amex) || back_keep ||
                     confident(local, PS_REDACT_PAN);
    for (int t = 0; t < PS_REDACT_TYPE_COUNT_; t++) {
        if (!(expect & (1u << t)))
            continue;
        ps__zone z[4];
        int nz = ps__zones_for(opts->type, geo_keep ? PS_SIDE_FRONT : zside, (ps_redact_type)t, z, 4);
        if (geo_keep && t == PS_REDACT_PAN && (miss & (1u << t)) && nz > 0) {
            add_geo_keep(local, &geo, zone_box(&z[0], rw, rh));
            continue;
        }
        if (hp == NULL) {
            /* nowhere to put a zone: a missing number, or a zone that
             * must always go (a CVV read alone may be a wrong 3 digits) */
            for (int k = 0; k < nz; k++)
                if (z[k].always)
                    local->unsafe = 1;
            if (miss & (1u << t))
                local->unsafe = 1;
            continue;
        }
        for (int k = 0; k < nz; k++) {
            if (!(miss & (1u << t)) && !z[k].always)
                continue;
            ps_box zb = zone_box(&z[k], rw, rh);
            int spare = 0;
            int cvv_x = t == PS_REDACT_CVV && !back_keep && opts->side == PS_SIDE_BACK &&
                                opts->type == PS_DOC_CREDIT_CARD
                            ? read_cvv_left(local, zb)
                            : -1;
            if (cvv_x > zb.x) {
                zb.w -= cvv_x - zb.x;
                zb.x = cvv_x;
            }
            if (back_keep && t == PS_REDACT_CVV && zb.x + zb.w > back_kept.x + back_kept.w + 1) {
                int x1 = zb.x + zb.w;
                zb.x = back_kept.x + back_kept.w + 1;
                zb.w = x1 - zb.x;
                spare = PS_REDACT_SPARE_LEFT;
            }
            /* An Amex CID's zone above a kept last group: down to the masks
             * of the number's line, not over the group, and never far short
             * of it (PS__CID_REACH). */
            int top = kept_top(local, geo_keep ? &geo : NULL, PS__CID_GAP);
            int reach = kept_top(local, geo_keep ? &geo : NULL, PS__CID_REACH);
            if (top >= 0 && t == PS_REDACT_CVV && opts->side != PS_SIDE_BACK && zb.y < top) {
                if (zb.y + zb.h > top)
                    zb.h = top - zb.y;
                else if (zb.y + zb.h < reach)
                    zb.h = reach - zb.y;
                spare = PS_REDACT_SPARE_BOTTOM;
            }
            ps_redact_item *it = ps__plan_add(local, (ps_redact_type)t, zb, NULL);
            if (it != NULL) {
                it->zone = 1;
                it->spare = spare;
            }
            if (!turn_known) {
                ps_box zr = zone_box(&z[k], rw, rh);
                zr.x = rw - zr.x - zr.w;
                zr.y = rh - zr.y - zr.h;
                it = ps__plan_add(local, (ps_redact_type)t, zr, NULL);
                if (it != NULL)
                    it->zone = 1;
            }
        }
    }
    /* Uncertain: an expected number stood in for by a zone, or any number
     * only partly read or found by its label alone. */
    local->uncertain = miss != 0;
    for (size_t i = 0; i < local->n; i++)
        if (local->items[i].partial || (local->items[i].zone && !(expect & (1u << local->items[i].type))))
            local->uncertain = 1;

    map_items(local, hp, scale, out);
    out->located |= hp != NULL && (geo.ok || confident(local, PS_REDACT_PAN));
    /* Nothing of the number located, but the EMV chip's plate stands at its
     * place on the outline (at one turn or the other): the outline is a
     * card front's, not a sheet's or a coin's taken for it, and the zones
     * lie on that card. */
    if (!out->located && hp != NULL && opts->type == PS_DOC_CREDIT_CARD &&
        opts->side != PS_SIDE_BACK && doc->channels == 3 && doc->width >= doc->height &&
        doc->width >= PS__CHIP_MIN_W) {
        int chip = 0;
        st = ps_cv_card_chip_turn(doc, &chip);
        if (st != PS_OK)
            goto done_pass;
        out->located = chip != 0;
    }
    out->uncertain |= local->uncertain;
    out->unsafe |= local->unsafe;
    out->ocr_calls += local->ocr_calls;
    out->ocr_ms += local->ocr_ms;
done_pass:
    ps_redact_plan_clear(pass);
    free(pass);
done:
    if (st == PS_E_DEADLINE)
        out->unsafe = 1;
    int calls = local->ocr_calls;
    double calls_ms = local->ocr_ms;
    ps_redact_plan_clear(local);
    free(local);
    ps_image_free(&rect);
    /* planned again: as either side (a back without a stripe), or a half
     * turn round */
    if ((either || retry) && st == PS_OK) {
        ps_redact_opts again = *opts;
        ps_point q[4];
        if (either) {
            again.side = PS_SIDE_NONE;
        } else {
            for (int i = 0; i < 4; i++)
                q[i] = opts->doc_quad[(i + 2) % 4];
            again.doc_quad = q;
            again.doc_read = NULL; /* read at the other turn */
            again.doc_image = NULL; /* rectified at the other turn */
        }
        st = plan_make(ocr, img, &again, out, retry || turn_tried, either || no_stripe);
        if (either)
            out->outline_doubt = doubt;
        else
            out->turned = 1;
        out->ocr_calls += calls;
        out->ocr_ms += calls_ms;
    }
    return st;
}

ps_status ps_redact_plan_make(ps_ocr *ocr, const ps_image *img, const ps_redact_opts *opts,
                              ps_redact_plan *out)
{
    return plan_make(ocr, img, opts, out, 0, 0);
}
