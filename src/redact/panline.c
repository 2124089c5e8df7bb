/* The card number line read through re-set glyphs (cv/textline.h): the
 * close reading of a credit card front, before the whole-card readings.
 *
 * Card numbers are letter-spaced and often light on a dark or patterned
 * face; tesseract drops digits across the wide gaps. Here the strongest text
 * bands of the number's zone are found, each band's glyphs are cut out and
 * set again dark on white at normal spacing, read as one line, and the
 * words are mapped back to the glyphs' boxes on the card, so the PAN finder
 * (pan.c) sees words where they are printed. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cv/textline.h"
#include "prescreen/geom.h"
#include "redact/redact_int.h"

/* The number's zone on ISO/IEC 7811 fronts (embossed line at about 0.5-0.6
 * of the height; printed numbers a little higher or lower). */
#define PS__PANLINE_X0 0.03
#define PS__PANLINE_X1 0.97
#define PS__PANLINE_Y0 0.36
#define PS__PANLINE_Y1 0.82
/* Bands tried, strongest first: the number, the expiry and the name
 * compete; the number is nearly always among the first two. */
#define PS__PANLINE_BANDS 3
/* Smallest band, as a share of the card's height (glyphs of the smallest
 * printed numbers are about 4% of it; 12 rows at 638). */
#define PS__PANLINE_MIN_H 0.019
/* Padding above and below a band, as a share of its height: the band is
 * where strokes are dense, the glyphs' tops and bottoms reach a little
 * further. */
#define PS__PANLINE_PAD 0.3
/* Longest step between glyph centres inside one word, in letter pitches:
 * group steps (about 2 pitches) fall between words; inside a word, a step
 * this long is a glyph that was lost (2 pitches). */
#define PS__PANLINE_PITCH_MAX 1.5

/* Median of n values (n >= 1; at most a line's glyphs), sorted in place. */
static int median(int *v, int n)
{
    for (int i = 1; i < n; i++) /* insertion sort: at most 48 */
        for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
            int t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return v[n / 2];
}

/* Step between the centres of glyphs i - 1 and i, on the card. */
static int step(const ps_cv_line *ln, int i)
{
    const ps_box *a = &ln->glyph_src[i - 1], *b = &ln->glyph_src[i];
    return (2 * b->x + b->w - 2 * a->x - a->w) / 2;
}

/* Median pitch between neighbouring glyphs' centres on the card (the
 * letter pitch: on a 16-digit number 12 of the 15 steps are; monospaced
 * digits make it steady where gaps are not, around a narrow 1). */
static int median_pitch(const ps_cv_line *ln)
{
    int g[PS_CV_LINE_MAX_GLYPHS], n = 0;
    for (int i = 1; i < ln->n; i++)
        g[n++] = step(ln, i);
    int m = n ? median(g, n) : 1;
    return m > 1 ? m : 1;
}

/* ---- the last group by geometry ----------------------------------------- */

/* Fewest glyphs found for a lattice to be trusted: most of a 15-16 digit
 * number (a few lost to glare or a broken stroke are allowed for). */
#define PS__GEO_MIN_GLYPHS 10
/* Most glyphs: a 16-digit number plus nothing else on its line. */
#define PS__GEO_MAX_GLYPHS 16
/* Glyph heights within this share of their median (one font size). */
#define PS__GEO_H_TOL 0.25
/* Shortest part of a digit inside the line that still marks its place
 * (its top or bottom under glare): under half a glyph is a speck. */
#define PS__GEO_PART_H 0.45
/* Glyph centres within this share of a glyph's height of their centre
 * line (one straight line after rectification). */
#define PS__GEO_Y_TOL 0.3
/* Steepest centre line taken as a tilt of the rectified card (about 6
 * degrees); steeper, the glyphs are judged against a level line. */
#define PS__GEO_MAX_SLANT 0.1
/* A step between glyph centres fits k pitches plus b group gaps when it is
 * within this share of a pitch; a second fit that close makes it ambiguous. */
#define PS__GEO_FIT_TOL 0.17
/* A group gap adds this much to a pitch (card fonts: about 0.6). */
#define PS__GEO_GAP_MIN 0.3
#define PS__GEO_GAP_MAX 0.95
/* Most pitches one step may span (glyphs lost in between). */
#define PS__GEO_MAX_K 6
/* Most glyphs lost at the number's left end (masked anyway). */
#define PS__GEO_MAX_LEFT_LOST 3

/* Whole card shapes by slots: digits, and where each group after the first
 * starts (the Diners 4-6-4 and 19-digit shapes are left out: a lost last
 * glyph of a 4-6-5 or a lost last group of a 19-digit number would look
 * like them and show digits that are not the last 4). */
static const struct {
    int slots, n_bounds, bounds[3], amex;
} geo_shapes[] = {
    {16, 3, {4, 8, 12}, 0},
    {15, 2, {4, 10, 0}, 1},
};

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The glyphs' centre line y = *a + *b x (Theil-Sen: the median of the
 * pairwise slopes, then of the intercepts, so a logo or a finger at an end
 * does not tilt it). A number is one straight line after rectification,
 * but not always a level one: an outline extrapolated past the photo's
 * edge (a cut card) or a loose corner tilts the rectified card a few
 * degrees (gc2 000455: its centres fell 37 px along the line, 0.9 glyph
 * heights, and the level test took its ends for outliers). */
static double centre_line(const ps_box *g, int n, double *b)
{
    double sl[PS_CV_LINE_MAX_GLYPHS * (PS_CV_LINE_MAX_GLYPHS - 1) / 2]; /* 9 KiB */
    double ic[PS_CV_LINE_MAX_GLYPHS];
    int m = 0;
    if (n > PS_CV_LINE_MAX_GLYPHS)
        n = PS_CV_LINE_MAX_GLYPHS;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            double dx = (g[j].x + g[j].w / 2.0) - (g[i].x + g[i].w / 2.0);
            if (dx > 0)
                sl[m++] = ((g[j].y + g[j].h / 2.0) - (g[i].y + g[i].h / 2.0)) / dx;
        }
    *b = 0;
    if (m > 0) {
        qsort(sl, (size_t)m, sizeof sl[0], cmp_double);
        *b = sl[m / 2];
    }
    if (*b > PS__GEO_MAX_SLANT || *b < -PS__GEO_MAX_SLANT)
        *b = 0; /* not a tilted card: judged level, as before */
    for (int i = 0; i < n; i++)
        ic[i] = (g[i].y + g[i].h / 2.0) - *b * (g[i].x + g[i].w / 2.0);
    qsort(ic, (size_t)n, sizeof ic[0], cmp_double);
    return ic[n / 2];
}

/* The centre line's y at glyph g's centre. */
static double line_y(double a, double b, const ps_box *g)
{
    return a + b * (g->x + g->w / 2.0);
}

/* 1 when glyphs [i0, n) are one group: each one letter pitch after the
 * last, no gap among them and at most max_lost glyphs lost inside (a step
 * of two pitches each). */
static int plain_run(const int *k_of, const int *b_of, int i0, int n, int max_lost)
{
    int lost = 0;
    for (int i = i0; i < n - 1; i++) {
        if (b_of[i] || k_of[i] > 2)
            return 0;
        lost += k_of[i] - 1;
    }
    return lost <= max_lost;
}

/* How a step between glyph centres fits k letter pitches p plus b group
 * gaps (k 1..PS__GEO_MAX_K, b 0..1): 1 for one fit within PS__GEO_FIT_TOL
 * of a pitch (*k, *b set), 2 for two such fits (ambiguous), 0 for none. */
static int fit_step(double st, double p, double gap, int *k, int *b)
{
    double best = 1e9, second = 1e9;
    int bk = 0, bb = 0;
    for (int kk = 1; kk <= PS__GEO_MAX_K; kk++)
        for (int b2 = 0; b2 <= 1; b2++) {
            double r = st - (kk * p + b2 * gap);
            r = r < 0 ? -r : r;
            if (r < best) {
                second = best;
                best = r;
                bk = kk;
                bb = b2;
            } else if (r < second) {
                second = r;
            }
        }
    if (best > PS__GEO_FIT_TOL * p)
        return 0;
    *k = bk;
    *b = bb;
    return second <= PS__GEO_FIT_TOL * p ? 2 : 1;
}

int ps__pan_geometry(const ps_box *g, int n, ps__pan_geo *out)
{
    return ps__pan_geometry_ex(g, n, 0, out);
}

int ps__pan_geometry_ex(const ps_box *g, int n, unsigned open, ps__pan_geo *out)
{
    double st[PS__GEO_MAX_GLYPHS], srt[PS__GEO_MAX_GLYPHS], hs[PS__GEO_MAX_GLYPHS + 1];
    int k_of[PS__GEO_MAX_GLYPHS], b_of[PS__GEO_MAX_GLYPHS], slot[PS__GEO_MAX_GLYPHS + 1];

    memset(out, 0, sizeof *out);
    if (g == NULL || n < PS__GEO_MIN_GLYPHS || n > PS__GEO_MAX_GLYPHS ||
        open == (PS__GEO_OPEN_LEFT | PS__GEO_OPEN_RIGHT))
        return 0; /* a line cut at both ends: where it starts is not known */
    /* one font size on one straight line */
    for (int i = 0; i < n; i++)
        hs[i] = g[i].h;
    qsort(hs, (size_t)n, sizeof hs[0], cmp_double);
    double mh = hs[n / 2], slant, a = centre_line(g, n, &slant);
    if (mh < 4)
        return 0;
    for (int i = 0; i < n; i++) {
        double c = g[i].y + g[i].h / 2.0, my = line_y(a, slant, &g[i]);
        if (g[i].h > (1 + PS__GEO_H_TOL) * mh)
            return 0;
        if (g[i].h < (1 - PS__GEO_H_TOL) * mh) {
            /* a digit partly under glare or a fingertip keeps its place:
             * inside the line, not at its ends, its visible part within the
             * line's height */
            if (i == 0 || i == n - 1 || g[i].h < PS__GEO_PART_H * mh ||
                g[i].y < my - (0.5 + PS__GEO_Y_TOL) * mh ||
                g[i].y + g[i].h > my + (0.5 + PS__GEO_Y_TOL) * mh)
                return 0;
            continue;
        }
        if (c < my - PS__GEO_Y_TOL * mh || c > my + PS__GEO_Y_TOL * mh)
            return 0;
    }
    /* the letter pitch: the steps near the median step */
    for (int i = 1; i < n; i++) {
        st[i - 1] = ((2.0 * g[i].x + g[i].w) - (2.0 * g[i - 1].x + g[i - 1].w)) / 2.0;
        srt[i - 1] = st[i - 1];
    }
    qsort(srt, (size_t)(n - 1), sizeof srt[0], cmp_double);
    double p0 = srt[(n - 1) / 2], p = 0, gap = 0;
    int np = 0, ng = 0;
    for (int i = 0; i < n - 1; i++)
        if (st[i] >= 0.8 * p0 && st[i] <= 1.2 * p0) {
            p += st[i];
            np++;
        }
    if (np < (n - 1) / 2 || p0 <= 0)
        return 0; /* single steps must be most of them */
    p /= np;
    /* the group gap: steps of one pitch and a gap */
    for (int i = 0; i < n - 1; i++)
        if (st[i] >= (1 + PS__GEO_GAP_MIN) * p && st[i] <= (1 + PS__GEO_GAP_MAX) * p) {
            gap += st[i] - p;
            ng++;
        }
    if (ng == 0)
        return 0;
    gap /= ng;
    /* every step is k pitches and b gaps, unambiguously */
    slot[0] = 0;
    for (int i = 0; i < n - 1; i++) {
        if (fit_step(st[i], p, gap, &k_of[i], &b_of[i]) != 1)
            return 0;
        slot[i + 1] = slot[i] + k_of[i];
    }
    int found_slots = slot[n - 1] + 1;
    for (size_t s = 0; s < sizeof geo_shapes / sizeof geo_shapes[0]; s++) {
        int nbs = geo_shapes[s].n_bounds;
        /* Glyphs lost at the left end: e slots before the first found.
         * The whole number ends with the line, so e follows from the slots
         * found; a line running out of the photo at its right (only a
         * 4-4-4-4: its fourth group is its last 4) may end anywhere in
         * the last group, so every e up to the limit is tried. */
        int e_lo = geo_shapes[s].slots - found_slots, e_hi = e_lo;
        if (open & PS__GEO_OPEN_RIGHT) {
            if (geo_shapes[s].amex)
                continue;
            e_lo = 0;
            e_hi = PS__GEO_MAX_LEFT_LOST;
        }
        /* a line running out of the photo at its left: any number lost */
        int max_lost = (open & PS__GEO_OPEN_LEFT) ? geo_shapes[s].slots : PS__GEO_MAX_LEFT_LOST;
        for (int e = e_lo < 0 ? 0 : e_lo; e <= e_hi && e <= max_lost; e++) {
            if (found_slots + e > geo_shapes[s].slots)
                break;
            /* the bounds that lie before the first glyph found are not seen */
            int nb = 0, fits = 1;
            while (nb < nbs && geo_shapes[s].bounds[nb] - e <= 0)
                nb++;
            for (int i = 0; i < n - 1 && fits; i++) {
                if (!b_of[i])
                    continue;
                /* the gap lies before one of slots slot[i]+1 .. slot[i+1] */
                fits = nb < nbs;
                if (fits) {
                    int want = geo_shapes[s].bounds[nb++] - e;
                    fits = want > slot[i] && want <= slot[i + 1];
                }
            }
            if (!fits || nb != nbs)
                continue;
            /* the last group: after one gap (glyphs of the group before
             * may be lost to glare or blur, gc2 000394, 000265, 000364:
             * the step over them is fitted unambiguously, the gaps seen
             * must fall on the shape's bounds, and the glyph that starts
             * the group must be found at its slot), its first and
             * last glyphs found (complete, or, open right, begun), its
             * glyphs one pitch apart but for one lost inside a group of 4
             * (a narrow 1 on a pale embossed card: its place lies between
             * found glyphs, and the window is the whole group). Not in an
             * Amex's group of 5, whose window starts at its second glyph:
             * with one lost, which glyph that is is not known (a held-out
             * Amex showed its fifth digit from last) */
            int first_of_last = -1; /* the glyph at its first slot */
            for (int i = 0; i < n; i++)
                if (slot[i] + e == geo_shapes[s].bounds[nbs - 1])
                    first_of_last = i;
            if (open & PS__GEO_OPEN_RIGHT) {
                if (first_of_last < 1 || n - first_of_last > 4)
                    continue;
            } else if (found_slots + e != geo_shapes[s].slots) {
                continue;
            }
            /* An Amex whose group of 5 lost its first glyph (to glare:
             * gcc 000023) still shows its last 4 whole: the four glyphs
             * at the group's last 4 slots, one pitch apart, the step into
             * them over the group gap fitted unambiguously. */
            int amex_tail = geo_shapes[s].amex && !(open & PS__GEO_OPEN_RIGHT) && first_of_last < 0 &&
                            n >= 5 && slot[n - 4] + e == geo_shapes[s].bounds[nbs - 1] + 1 &&
                            b_of[n - 5] && plain_run(k_of, b_of, n - 4, n, 0);
            if (amex_tail)
                first_of_last = n - 4;
            else if (first_of_last < 1 || !b_of[first_of_last - 1] ||
                     !plain_run(k_of, b_of, first_of_last, n, geo_shapes[s].amex ? 0 : 1))
                continue;
            out->line = g[0];
            for (int i = 1; i < n; i++)
                out->line = ps_box_union(out->line, g[i]);
            int k0 = n - 4 > first_of_last ? n - 4 : first_of_last;
            out->kept = g[k0];
            for (int i = k0 + 1; i < n; i++)
                out->kept = ps_box_union(out->kept, g[i]);
            out->n_kept = n - k0;
            out->pitch = (int)(p + 0.5);
            out->gap = gap;
            out->amex = geo_shapes[s].amex;
            out->open = open;
            out->left_lost = e;
            out->ok = 1;
            return 1;
        }
    }
    return 0;
}

/* A number read whole whose digits fail the Luhn check was misread: a
 * digit, which leaves its groups where they are, or its glyphs, which a
 * blur can split or join so that 16 digits are read off 12 (gcc 000003:
 * the first group left bare, a wrong group kept). Its last 4 stay only
 * where the line's lattice puts a last group of its own right after the
 * masked part (PS__LATTICE_REACH pitches); else nothing is kept and all
 * the line's glyphs read, `gs` [0, m), are masked. */
#define PS__LATTICE_REACH 3
static void distrust_unchecked(ps_redact_item *it, const ps__pan_geo *geo, const ps_box *gs, int m)
{
    if (!ps__pan_unchecked(it))
        return;
    int x1 = it->box.x + it->box.w;
    if (geo != NULL && geo->ok && geo->kept.x >= x1 - geo->pitch &&
        geo->kept.x <= x1 + PS__LATTICE_REACH * geo->pitch &&
        geo->kept.y < it->box.y + it->box.h && it->box.y < geo->kept.y + geo->kept.h)
        return;
    ps_box all = gs[0];
    for (int k = 1; k < m; k++)
        all = ps_box_union(all, gs[k]);
    ps__pan_distrust(it, all);
}

/* Reads glyphs [i0, i1) of one re-set line (the line image's columns
 * between them and their neighbours) and hands their words, in card
 * pixels, to the finder. Tesseract says which digits; the glyphs say where:
 * the reading is used (*used 1) only when it has one digit per glyph, and
 * the words are the glyph groups (a step over PS__PANLINE_PITCH_MAX letter
 * pitches starts a new one). */
static ps_status read_line(ps_ocr *ocr, const ps_cv_line *ln, int i0, int i1,
                           const ps_redact_opts *opts, int amex_front, const ps__pan_geo *geo,
                           ps_redact_plan *local, ps_redact_plan *into, int *used)
{
    ps_ocr_params p;
    ps_ocr_result *res = NULL;
    ps_ocr_word words[PS_CV_LINE_MAX_GLYPHS];
    char digits[PS_CV_LINE_MAX_GLYPHS + 1], text[2 * PS_CV_LINE_MAX_GLYPHS];
    char joined[2 * PS_CV_LINE_MAX_GLYPHS];
    int hs[PS_CV_LINE_MAX_GLYPHS], nd = 0, nw = 0, pitch = median_pitch(ln), m = i1 - i0;
    const ps_box *gs = ln->glyph_src + i0;
    ps_status st;

    *used = 0;
    for (int i = 0; i < m; i++)
        hs[i] = gs[i].h;
    memset(&p, 0, sizeof p);
    p.psm = PS_OCR_PSM_LINE;
    p.binarize = PS_OCR_BIN_OTSU;
    p.glyph_height = median(hs, m);
    p.deadline_ms = opts->deadline_ms;
    p.whitelist = "0123456789";
    p.langs = "eng";
    if (i0 > 0 || i1 < ln->n) { /* halfway to the glyphs left out */
        int x0 = i0 > 0 ? (ln->dst_x1[i0 - 1] + ln->dst_x0[i0]) / 2 : 0;
        int x1 = i1 < ln->n ? (ln->dst_x1[i1 - 1] + ln->dst_x0[i1]) / 2 : ln->line->width;
        p.zone = (ps_box){x0, 0, x1 - x0, ln->line->height};
    }
    st = ps_ocr_read(ocr, ln->line, &p, &res);
    local->ocr_calls++;
    if (st != PS_OK)
        return st;
    local->ocr_ms += res->elapsed_ms;
    for (const char *c = res->text; c && *c; c++)
        if (*c >= '0' && *c <= '9') {
            if (nd == m) {
                nd = -1; /* more digits than glyphs */
                break;
            }
            digits[nd++] = *c;
        }
    ps_ocr_result_free(&res);
    /* Otherwise the digits' places are not known: the whole-card readings
     * and the fail-closed zone take over, as if the line had not been read. */
    if (nd != m)
        goto out;
    *used = 1;
    char *t = text;
    for (int i = 0; i < m;) {
        int j = i + 1;
        while (j < m && step(ln, i0 + j) <= pitch * PS__PANLINE_PITCH_MAX)
            j++;
        ps_box u = gs[i];
        for (int k = i + 1; k < j; k++)
            u = ps_box_union(u, gs[k]);
        memcpy(t, digits + i, (size_t)(j - i));
        t[j - i] = '\0';
        words[nw] = (ps_ocr_word){t, 1.0, u, 0};
        t += j - i + 1;
        nw++;
        i = j;
    }
    /* the line as text: the groups joined by spaces */
    for (size_t k = 0; k + 1 < (size_t)(t - text); k++)
        joined[k] = text[k] ? text[k] : ' ';
    joined[t - text > 0 ? t - text - 1 : 0] = '\0';
    ps_ocr_line line = {joined, 1.0, {0, 0, 0, 0}, 0, (size_t)nw};
    size_t n0 = into->n;
    st = ps__find_all(words, (size_t)nw, &line, 1, opts->type, opts->side, amex_front,
                      opts->mask_whole_pan, into);
    for (size_t i = n0; i < into->n; i++) {
        into->items[i].glyphs = 1; /* its box is its glyphs' ink */
        /* glyphs left out before the number (a logo's edge, or a first
         * digit of odd height cut out with a smudge) go under its mask */
        for (int k = 0; into->items[i].type == PS_REDACT_PAN && k < i0; k++)
            into->items[i].box = ps_box_union(into->items[i].box, ln->glyph_src[k]);
        distrust_unchecked(&into->items[i], geo, gs, m);
    }
out:
    ps__wipe(digits, sizeof digits);
    ps__wipe(text, sizeof text);
    ps__wipe(joined, sizeof joined);
    return st;
}

/* Text band b of the number's zone with PS__PANLINE_PAD of its height
 * above and below (a found band hugs the strokes' middle). */
static ps_box padded_band(const ps_image *doc, ps_box b)
{
    int pad = (int)(b.h * PS__PANLINE_PAD);
    return ps__box_clip((ps_box){b.x, b.y - pad, b.w, b.h + 2 * pad}, doc->width, doc->height);
}

/* Calls `each` on every text line of `zone` (the band's glyphs re-set,
 * in the band's own polarity first, then the other) until it sets *found
 * or fails. The line image is freed after each call. */
typedef ps_status (*line_fn)(const ps_cv_line *ln, void *arg, int *found);

static ps_status each_line(const ps_image *doc, ps_box zone, line_fn each, void *arg, int *found)
{
    ps_box bands[PS__PANLINE_BANDS];
    int nb = 0, min_h = (int)(PS__PANLINE_MIN_H * doc->height + 0.5);
    ps_status st;

    *found = 0;
    zone = ps__box_clip(zone, doc->width, doc->height);
    st = ps_cv_text_bands(doc, zone, min_h > 3 ? min_h : 3, bands, PS__PANLINE_BANDS, &nb);
    for (int b = 0; st == PS_OK && b < nb && !*found; b++) {
        ps_box band = padded_band(doc, bands[b]);
        int light = ps_image_light_text(doc, band);
        for (int k = 0; k < 2 && st == PS_OK && !*found; k++) {
            ps_cv_line ln;
            st = ps_cv_line_reset(doc, band, k == 0 ? light : !light, &ln);
            if (st != PS_OK)
                break;
            st = each(&ln, arg, found);
            ps_image_free(&ln.line);
        }
    }
    return st;
}

/* Glyphs at either end of a line that are not of the line's font (another
 * height: a logo, a hologram's edge, a finger) or off its straight line are
 * left out of the lattice: [*g0, *g1) is what remains. Only the ends: a
 * digit of the number lost inside stays a gap the lattice must explain, and
 * a last digit cut off with an end glyph leaves a last group short of 4,
 * which the lattice refuses. */
static void trim_ends(const ps_box *g, int *g0, int *g1)
{
    int hs[PS_CV_LINE_MAX_GLYPHS], n = *g1 - *g0;
    if (n < PS__GEO_MIN_GLYPHS)
        return;
    for (int i = 0; i < n; i++)
        hs[i] = g[*g0 + i].h;
    double mh = median(hs, n), slant, a = centre_line(g + *g0, n, &slant);
#define PS__OUTLIER(b) ((b).h < (1 - PS__GEO_H_TOL) * mh || (b).h > (1 + PS__GEO_H_TOL) * mh || \
                        (b).y + (b).h / 2.0 < line_y(a, slant, &(b)) - PS__GEO_Y_TOL * mh ||  \
                        (b).y + (b).h / 2.0 > line_y(a, slant, &(b)) + PS__GEO_Y_TOL * mh)
    while (*g1 - *g0 > PS__GEO_MIN_GLYPHS && PS__OUTLIER(g[*g0]))
        (*g0)++;
    while (*g1 - *g0 > PS__GEO_MIN_GLYPHS && PS__OUTLIER(g[*g1 - 1]))
        (*g1)--;
#undef PS__OUTLIER
}

/* Which ends of the glyphs [g0, g1) run out of the photo (PS__GEO_OPEN_*):
 * the card one letter pitch beyond the end glyph, on the line, is not in
 * it; at the left end a pitch and the widest group gap, where the glyph
 * before a group's first starts (gc2 000024: the photo's edge cut the
 * first group's last digit in half, the test one pitch out fell inside
 * that digit and the line was taken as whole, a group short). Open left
 * only lets more glyphs be lost there: the kept group is still the
 * complete one the line ends with. 0 without a frame (the whole card
 * shown). */
static unsigned open_ends(const ps_box *g, int g0, int g1, const ps__frame *fr)
{
    int st[PS_CV_LINE_MAX_GLYPHS], n = g1 - g0;
    if (fr == NULL || n < 2)
        return 0;
    for (int i = 0; i < n; i++)
        st[i] = i + 1 < n ? (2 * g[g0 + i + 1].x + g[g0 + i + 1].w - 2 * g[g0 + i].x - g[g0 + i].w) / 2 : 0;
    int pitch = median(st, n - 1);
    double slant, a = centre_line(g + g0, n, &slant);
    int xl = g[g0].x - (int)lround((1 + PS__GEO_GAP_MAX) * pitch);
    int xr = g[g1 - 1].x + g[g1 - 1].w + pitch;
    unsigned open = 0;
    if (!ps__frame_has(fr, xl, a + slant * xl))
        open |= PS__GEO_OPEN_LEFT;
    if (!ps__frame_has(fr, xr, a + slant * xr))
        open |= PS__GEO_OPEN_RIGHT;
    return open;
}

/* The lattice of glyphs [g0, g1), as they are, then with the ends that run
 * out of the photo open. */
static int lattice_of(const ps_box *g, int g0, int g1, const ps__frame *fr, ps__pan_geo *geo)
{
    if (ps__pan_geometry(g + g0, g1 - g0, geo))
        return 1;
    unsigned open = open_ends(g, g0, g1, fr);
    return open != 0 && ps__pan_geometry_ex(g + g0, g1 - g0, open, geo);
}

/* 1 when glyph a's centre steps from glyph b's by no pitch-and-gap of the
 * lattice geo: it is not one of the number's glyphs. */
static int off_lattice(const ps_box *a, const ps_box *b, const ps__pan_geo *geo)
{
    double st = fabs((2.0 * a->x + a->w) - (2.0 * b->x + b->w)) / 2.0;
    int k, bb;
    return fit_step(st, geo->pitch, geo->gap, &k, &bb) == 0;
}

/* Neighbours cut apart inside one digit (a 0 or 8 broken by motion blur
 * or a highlight): both narrow, close, and together no wider than a digit.
 * Two real digits never pass: together they span a pitch and a digit. */
#define PS__SPLIT_W 0.7   /* each under this share of the median width */
#define PS__SPLIT_GAP 0.25 /* apart by under this share of the height */
#define PS__SPLIT_SPAN 1.3 /* together under this share of the median width */

/* Copies g[0..n) to m with split digits merged; first[j] / last[j] are the
 * glyphs of g that m[j] is made of. Returns the count. */
static int merge_split(const ps_box *g, int n, ps_box *m, int *first, int *last)
{
    int ws[PS_CV_LINE_MAX_GLYPHS], hs[PS_CV_LINE_MAX_GLYPHS], k = 0;
    if (n > PS_CV_LINE_MAX_GLYPHS)
        n = PS_CV_LINE_MAX_GLYPHS;
    for (int i = 0; i < n; i++) {
        ws[i] = g[i].w;
        hs[i] = g[i].h;
    }
    int mw = n > 0 ? median(ws, n) : 0, mh = n > 0 ? median(hs, n) : 0;
    for (int i = 0; i < n; i++) {
        if (k > 0 && last[k - 1] == i - 1 && first[k - 1] == i - 1) {
            const ps_box *a = &g[i - 1], *b = &g[i];
            int span = b->x + b->w - a->x;
            if (a->w < PS__SPLIT_W * mw && b->w < PS__SPLIT_W * mw &&
                b->x - (a->x + a->w) < PS__SPLIT_GAP * mh && span <= PS__SPLIT_SPAN * mw) {
                m[k - 1] = ps_box_union(m[k - 1], *b);
                last[k - 1] = i;
                continue;
            }
        }
        m[k] = g[i];
        first[k] = last[k] = i;
        k++;
    }
    return k;
}

/* 1 when the glyphs [g0, g1) spell an Amex read a half turn round (5-6-4):
 * the document lies upside down at the turn it was rectified at. */
static int amex_turned(const ps_box *g, int g0, int g1)
{
    ps_box r[PS_CV_LINE_MAX_GLYPHS];
    ps__pan_geo geo;
    int n = g1 - g0;
    if (n < PS__GEO_MIN_GLYPHS || n > PS__GEO_MAX_GLYPHS)
        return 0;
    /* the line seen from the other end: x mirrored, order reversed (the
     * heights and the straight line do not change with a half turn) */
    for (int i = 0; i < n; i++) {
        const ps_box *b = &g[g1 - 1 - i];
        r[i] = (ps_box){-(b->x + b->w), b->y, b->w, b->h};
    }
    return ps__pan_geometry(r, n, &geo) && geo.amex;
}

int ps__pan_lattice(const ps_box *glyphs, int n, const ps__frame *fr, ps__pan_geo *out, int *i0,
                    int *i1)
{
    ps_box g[PS_CV_LINE_MAX_GLYPHS];
    int first[PS_CV_LINE_MAX_GLYPHS], last[PS_CV_LINE_MAX_GLYPHS], g0 = 0, g1;
    memset(out, 0, sizeof *out);
    *i0 = 0;
    *i1 = 0;
    if (glyphs == NULL || n <= 0)
        return 0;
    n = merge_split(glyphs, n, g, first, last);
    g1 = n;
    trim_ends(g, &g0, &g1);
    if (lattice_of(g, g0, g1, fr, out)) {
        *i0 = first[g0];
        *i1 = last[g1 - 1] + 1;
        return 1;
    }
    /* one glyph at the right end, the left, or both, not of the lattice */
    static const int drop[3][2] = {{0, 1}, {1, 0}, {1, 1}};
    for (int d = 0; d < 3; d++) {
        int a = g0 + drop[d][0], b = g1 - drop[d][1];
        if (b - a < PS__GEO_MIN_GLYPHS || !lattice_of(g, a, b, fr, out))
            continue;
        if ((a > g0 && !off_lattice(&g[g0], &g[a], out)) ||
            (b < g1 && !off_lattice(&g[g1 - 1], &g[b - 1], out))) {
            memset(out, 0, sizeof *out);
            continue;
        }
        *i0 = first[a];
        *i1 = last[b - 1] + 1;
        return 1;
    }
    memset(out, 0, sizeof *out);
    out->turned = amex_turned(g, g0, g1);
    return 0;
}

/* ---- a blurred number by its groups -------------------------------------- */

/* Group blobs of one size and one spacing: each within this share of the
 * median (blur widens them all alike; a logo or a word beside the number
 * is another size). */
#define PS__GROUP_SIZE_TOL 0.25
#define PS__GROUP_STEP_TOL 0.15
/* The 4 groups span this share of the card's width (about 0.8 on ID-1
 * cards; less on a card whose number is printed small). */
#define PS__GROUP_SPAN_MIN 0.5
#define PS__GROUP_SPAN_MAX 0.95
/* What a group gap adds to a pitch (card fonts: about 0.6), and so a
 * group's step in letter pitches: 4 digits and a gap. */
#define PS__GROUP_GAP 0.6
#define PS__GROUP_PITCHES (4 + PS__GROUP_GAP)
/* The closings tried to join a group's pieces, in padded band heights
 * (about 1.6 glyph heights): motion blur leaves the groups a few pixels
 * apart (gc2 000424: 10-17 px in a 76-px band), a defocused line keeps its
 * letter gaps (a third of a band). */
#define PS__GROUP_N_CLOSE 3
static const double group_close[PS__GROUP_N_CLOSE] = {0.12, 0.22, 0.35};

/* An Amex's group blobs (4-6-5 digits) grow by a pitch per digit over the
 * blur both share: the widths' differences give the pitch, within this
 * share of it. */
#define PS__GROUP_AMEX_TOL 0.35
/* ... a pitch this share of the card's width (4.1 mm of 85.6: 0.048). */
#define PS__GROUP_PITCH_MIN 0.03
#define PS__GROUP_PITCH_MAX 0.07
/* A group of k digits spans k - 1 pitches and one digit's width. */
#define PS__GROUP_DIGIT_W 0.6

/* 1 when blobs [0, n) stand on one straight line, each clear of the next,
 * of one height, spanning the share of the card a number does. */
static int group_line(const ps_box *b, int n, int doc_w)
{
    int hs[4];
    for (int i = 0; i < n; i++)
        hs[i] = b[i].h;
    double mh = median(hs, n), slant, a = centre_line(b, n, &slant);
    if (mh <= 0)
        return 0;
    for (int i = 0; i < n; i++) {
        double dy = b[i].y + b[i].h / 2.0 - line_y(a, slant, &b[i]);
        if (fabs(b[i].h - mh) > PS__GROUP_SIZE_TOL * mh || fabs(dy) > PS__GEO_Y_TOL * mh ||
            (i + 1 < n && b[i + 1].x <= b[i].x + b[i].w))
            return 0;
    }
    int span = b[n - 1].x + b[n - 1].w - b[0].x;
    return span >= PS__GROUP_SPAN_MIN * doc_w && span <= PS__GROUP_SPAN_MAX * doc_w;
}

/* 1 when blobs w (widths, left to right) and steps s (centre to centre)
 * spell groups of 4, 6 and 5 digits at one pitch: *p the pitch. */
static int amex_widths(const int w[3], const int s[2], int doc_w, double *p)
{
    *p = (w[1] - w[0]) / 2.0;
    if (*p < PS__GROUP_PITCH_MIN * doc_w || *p > PS__GROUP_PITCH_MAX * doc_w ||
        fabs(w[2] - w[0] - *p) > PS__GROUP_AMEX_TOL * *p)
        return 0;
    /* centre steps: 5 and 5.5 pitches and a group gap each */
    double g1 = s[0] / *p - 5, g2 = s[1] / *p - 5.5;
    return g1 > PS__GEO_GAP_MIN - PS__GROUP_AMEX_TOL && g1 < PS__GEO_GAP_MAX + PS__GROUP_AMEX_TOL &&
           fabs(g2 - g1) <= PS__GROUP_AMEX_TOL;
}

int ps__pan_groups(const ps_box *b, int n, int doc_w, ps__pan_geo *out)
{
    memset(out, 0, sizeof *out);
    if (b == NULL || (n != 4 && n != 3) || doc_w <= 0 || !group_line(b, n, doc_w))
        return 0;
    int ws[4], steps[3];
    for (int i = 0; i < n; i++)
        ws[i] = b[i].w;
    for (int i = 0; i + 1 < n; i++)
        steps[i] = (2 * b[i + 1].x + b[i + 1].w - 2 * b[i].x - b[i].w) / 2;
    ps_box line = b[0];
    for (int i = 1; i < n; i++)
        line = ps_box_union(line, b[i]);
    if (n == 3) {
        /* an Amex: its last 4 are the right 4 of the group of 5, less the
         * blur its first digit spreads */
        double p = 0;
        int back[3] = {ws[2], ws[1], ws[0]}, back_steps[2] = {steps[1], steps[0]};
        if (!amex_widths(ws, steps, doc_w, &p)) {
            out->turned = amex_widths(back, back_steps, doc_w, &p); /* 5-6-4: a half turn */
            return 0;
        }
        double blur = ws[0] - (4 - PS__GROUP_DIGIT_W) * p;
        int x0 = b[2].x + (int)lround((blur > 0 ? blur / 2 : 0) + p);
        if (x0 >= b[2].x + b[2].w)
            return 0;
        out->ok = 1;
        out->amex = 1;
        out->line = line;
        out->kept = (ps_box){x0, b[2].y, b[2].x + b[2].w - x0, b[2].h};
        out->pitch = (int)lround(p); /* >= 0.03 of the card: at least 1 */
        out->gap = steps[0] / p - 5;
        out->n_kept = 4;
        return 1;
    }
    double mw = median(ws, 4), ms = median(steps, 3);
    if (mw <= 0 || lround(ms / PS__GROUP_PITCHES) < 1)
        return 0;
    for (int i = 0; i < 4; i++)
        if (fabs(b[i].w - mw) > PS__GROUP_SIZE_TOL * mw ||
            (i < 3 && fabs(steps[i] - ms) > PS__GROUP_STEP_TOL * ms))
            return 0;
    out->ok = 1;
    out->line = line;
    out->kept = b[3];
    out->pitch = (int)lround(ms / PS__GROUP_PITCHES);
    out->gap = PS__GROUP_GAP;
    out->n_kept = 4;
    return 1;
}

struct read_arg {
    ps_ocr *ocr;
    ps_redact_type want;
    int min_glyphs, amex_front;
    const ps_redact_opts *opts;
    ps_redact_plan *local, *into;
    ps__pan_geo *geo;
    const ps__frame *frame;
};

static ps_status read_each(const ps_cv_line *ln, void *arg, int *found)
{
    struct read_arg *a = arg;
    ps_status st = PS_OK;
    int i0 = 0, i1 = 0, used = 0;
    if (a->geo != NULL && !a->geo->ok) {
        int turned = a->geo->turned; /* any line that said so */
        ps__pan_lattice(ln->glyph_src, ln->n, a->frame, a->geo, &i0, &i1);
        a->geo->turned |= turned;
    }
    /* The line's lattice left glyphs out at its ends (a thumb's edge or a
     * logo beside the number, which tesseract may read as one more digit):
     * the lattice's glyphs are read alone first, then the whole line. */
    if (i1 > i0 && (i0 > 0 || i1 < ln->n))
        st = read_line(a->ocr, ln, i0, i1, a->opts, a->amex_front, a->geo, a->local, a->into, &used);
    if (st == PS_OK && !used && ln->n >= a->min_glyphs)
        st = read_line(a->ocr, ln, 0, ln->n, a->opts, a->amex_front, a->geo, a->local, a->into, &used);
    for (size_t i = 0; st == PS_OK && i < a->into->n && !*found; i++)
        *found = a->into->items[i].type == a->want && !a->into->items[i].zone &&
                 !a->into->items[i].partial;
    return st;
}

ps_status ps__read_lines(ps_ocr *ocr, const ps_image *doc, ps_box zone, ps_redact_type want,
                         int min_glyphs, int amex_front, const ps_redact_opts *opts,
                         ps_redact_plan *local, ps_redact_plan *into, int *found,
                         ps__pan_geo *geo)
{
    struct read_arg a = {ocr, want, min_glyphs, amex_front, opts, local, into, geo, NULL};
    return each_line(doc, zone, read_each, &a, found);
}

ps_status ps__read_pan_lines(ps_ocr *ocr, const ps_image *doc, const ps_redact_opts *opts,
                             const ps__frame *frame, ps_redact_plan *local, ps_redact_plan *into,
                             int *found, ps__pan_geo *geo)
{
    ps_box zone = {(int)(PS__PANLINE_X0 * doc->width), (int)(PS__PANLINE_Y0 * doc->height),
                   (int)((PS__PANLINE_X1 - PS__PANLINE_X0) * doc->width),
                   (int)((PS__PANLINE_Y1 - PS__PANLINE_Y0) * doc->height)};
    /* fewer glyphs than a group: not the number */
    struct read_arg a = {ocr, PS_REDACT_PAN, 4, 0, opts, local, into, geo, frame};
    ps_status st = each_line(doc, zone, read_each, &a, found);
    if (st != PS_OK || *found || geo == NULL || geo->ok)
        return st;
    /* Not read, no lattice: the glyphs by their edges (embossed digits on a
     * card of their colour break apart on tone), for the lattice only. */
    ps_box bands[PS__PANLINE_BANDS], g[PS_CV_LINE_MAX_GLYPHS];
    int nb = 0, min_h = (int)(PS__PANLINE_MIN_H * doc->height + 0.5);
    zone = ps__box_clip(zone, doc->width, doc->height);
    st = ps_cv_text_bands(doc, zone, min_h > 3 ? min_h : 3, bands, PS__PANLINE_BANDS, &nb);
    for (int b = 0; st == PS_OK && b < nb && !geo->ok; b++) {
        int n = 0;
        ps_box band = padded_band(doc, bands[b]);
        st = ps_cv_line_edge_glyphs(doc, band, g, PS_CV_LINE_MAX_GLYPHS, &n);
        int g0 = 0, g1 = 0, turned = geo->turned;
        if (st == PS_OK)
            ps__pan_lattice(g, n, frame, geo, &g0, &g1);
        geo->turned |= turned;
    }
    /* Still nothing: a blurred number whose digits run together shows its
     * groups as blobs (either polarity, the band's own first); an Amex's
     * seen a half turn round says so, as its glyphs would. */
    int turned = geo->turned;
    for (int b = 0; st == PS_OK && b < nb && !geo->ok; b++) {
        ps_box band = padded_band(doc, bands[b]);
        int light = ps_image_light_text(doc, band);
        for (int k = 0; k < 2 * PS__GROUP_N_CLOSE && st == PS_OK && !geo->ok; k++) {
            int n = 0;
            st = ps_cv_line_group_blobs(doc, band, k < PS__GROUP_N_CLOSE ? light : !light,
                                        group_close[k % PS__GROUP_N_CLOSE], g, PS_CV_LINE_MAX_GLYPHS, &n);
            if (st == PS_OK && !ps__pan_groups(g, n, doc->width, geo))
                turned |= geo->turned;
        }
    }
    if (!geo->ok)
        geo->turned = turned;
    return st;
}

/* ---- a card back's last 4 beside its CVV -------------------------------- */

/* The signature panel's line on a card back: where the last 4 and the CVV
 * are printed (the panel spans the back below the magnetic stripe; the
 * CVV at its right end or in a box just right of it). */
#define PS__BACK_X0 0.30
#define PS__BACK_X1 0.99
#define PS__BACK_Y0 0.30
#define PS__BACK_Y1 0.66
/* Steps inside a group within this share of their median; a step between
 * groups at least PS__PANLINE_PITCH_MAX pitches. */
#define PS__BACK_PITCH_TOL 0.2
/* The panel's line may tilt this much on the rectified back (about 6
 * degrees, as a front's number line may). */
#define PS__BACK_SLOPE_MAX 0.1

/* The signature panel's line of the rectified back doc (PS__BACK_*). */
static ps_box back_zone(const ps_image *doc)
{
    return (ps_box){(int)(PS__BACK_X0 * doc->width), (int)(PS__BACK_Y0 * doc->height),
                    (int)((PS__BACK_X1 - PS__BACK_X0) * doc->width),
                    (int)((PS__BACK_Y1 - PS__BACK_Y0) * doc->height)};
}

/* Step between the centres of boxes a and b. */
static double centre_step(const ps_box *a, const ps_box *b)
{
    return ((2.0 * b->x + b->w) - (2.0 * a->x + a->w)) / 2.0;
}

/* 1 when the n glyphs end in a group of 3 (the CVV) standing apart, right
 * of a group of 3 or 4 at the same pitch (the last 4: their first glyph is
 * often lost where a signature runs into it, and only their right end
 * matters, the mask starts there). *kept = that group's box. */
static int back_groups(const ps_box *g, int n, ps_box *kept)
{
    if (n < 6 || n > PS_CV_LINE_MAX_GLYPHS)
        return 0;
    const ps_box *f = g + n - 6;
    double st[5], srt[4], hs[6];
    for (int i = 0; i < 6; i++)
        hs[i] = f[i].h;
    qsort(hs, 6, sizeof hs[0], cmp_double);
    double mh = hs[3];
    /* one straight line, tilted as a rough outline leaves it (gc41 000073:
     * the code 10 px above the last 4, 230 px on): through the middles of
     * the two groups of 3 */
    double xa = 0, ya = 0, xb = 0, yb = 0;
    for (int i = 0; i < 3; i++) {
        xa += (f[i].x + f[i].w / 2.0) / 3;
        ya += (f[i].y + f[i].h / 2.0) / 3;
        xb += (f[i + 3].x + f[i + 3].w / 2.0) / 3;
        yb += (f[i + 3].y + f[i + 3].h / 2.0) / 3;
    }
    if (xb <= xa)
        return 0;
    double slope = (yb - ya) / (xb - xa);
    if (fabs(slope) > PS__BACK_SLOPE_MAX)
        return 0;
    for (int i = 0; i < 6; i++) {
        double c = f[i].y + f[i].h / 2.0, c0 = ya + slope * (f[i].x + f[i].w / 2.0 - xa);
        if (f[i].h < (1 - PS__GEO_H_TOL) * mh || f[i].h > (1 + PS__GEO_H_TOL) * mh ||
            c < c0 - PS__GEO_Y_TOL * mh || c > c0 + PS__GEO_Y_TOL * mh)
            return 0;
    }
    for (int i = 1; i < 6; i++)
        st[i - 1] = centre_step(&f[i - 1], &f[i]);
    /* inside the groups: steps 0-1 (the last 4's right 3) and 3-4 (the CVV) */
    static const int in[4] = {0, 1, 3, 4};
    for (int i = 0; i < 4; i++)
        srt[i] = st[in[i]];
    qsort(srt, 4, sizeof srt[0], cmp_double);
    double p = (srt[1] + srt[2]) / 2;
    if (p <= 0)
        return 0;
    for (int i = 0; i < 4; i++)
        if (st[in[i]] < (1 - PS__BACK_PITCH_TOL) * p || st[in[i]] > (1 + PS__BACK_PITCH_TOL) * p)
            return 0;
    if (st[2] < PS__PANLINE_PITCH_MAX * p)
        return 0; /* the CVV stands apart from the 4 */
    int first = n - 6; /* the last 4's first glyph found */
    if (first > 0) {
        double s = centre_step(&g[first - 1], &g[first]);
        if (s >= (1 - PS__BACK_PITCH_TOL) * p && s <= (1 + PS__BACK_PITCH_TOL) * p)
            first--; /* their fourth */
        else if (s < PS__PANLINE_PITCH_MAX * p)
            return 0; /* something else against them */
    }
    if (first > 0 && first < n - 6 && centre_step(&g[first - 1], &g[first]) < PS__PANLINE_PITCH_MAX * p)
        return 0; /* a fifth: not a group of 4 */
    *kept = g[first];
    for (int i = first + 1; i < n - 3; i++)
        *kept = ps_box_union(*kept, g[i]);
    return 1;
}

/* A back whose CVV is not seen past its panel's last 4: the photo's edge
 * cuts the panel's line past them, or glare covers it (a share
 * PS__BACK_GLARE_SHARE of the line from a group gap past them to the
 * panel's end at grey PS__BACK_GLARE_LEVEL or more; gc99 000090). The 4
 * stay when the line's last glyphs are a group at one pitch, of one
 * height on one line, in the right part of the panel's line, standing
 * apart from the print before them; the CVV's zone still covers all right
 * of them. A glyph of their height just before them (PS__BACK_LONE_NEAR
 * pitches) is another group of digits (the last 4 before a CVV, a whole
 * number printed on the panel): nothing is kept. The group may be 3
 * glyphs, its first digit run into the signature (every generated back),
 * when a pitch before them holds print as contrasted as theirs
 * (PS__BACK_LONE_INK): before a CVV that place is the gap after the last
 * 4 (1.5 pitches at least). */
#define PS__BACK_LONE_NEAR 3.0
#define PS__BACK_GLARE_LEVEL 250
#define PS__BACK_GLARE_SHARE 0.3
/* The group's first glyph right of this share of the panel's line (gc99
 * 000090's stands at 0.27). */
#define PS__BACK_LONE_X 0.2
/* The print a pitch before a group of 3: in a column 0.2 pitch either
 * side of that place, over the glyphs' rows, at least this share of the
 * pixels half way or more from the paper to the ink of the group's first
 * glyph (a digit's stroke crosses it; the gap before a CVV is paper). */
#define PS__BACK_LONE_INK 0.1
#define PS__BACK_LONE_COL 0.2
/* ... that glyph's ink this far from its paper at least (grey levels). */
#define PS__BACK_LONE_MIN_INK 24

/* The share of box b's pixels of img (luma) past `mid`: below it when
 * `dark`, above it else. */
static double share_past(const ps_image *img, ps_box b, int mid, int dark)
{
    unsigned hist[256];
    uint64_t n = ps_image_hist(img, b, hist), past = 0;
    for (int v = 0; v < 256; v++)
        past += (dark ? v < mid : v > mid) ? hist[v] : 0;
    return n > 0 ? (double)past / (double)n : 0;
}

/* 1 when the k (3 or 4) glyphs f are a group at one pitch (*pitch), of
 * one height (*mh) on one line. */
static int one_group(const ps_box *f, int k, double *pitch, double *mh)
{
    double hs[4], st[3], srt[3];
    for (int i = 0; i < k; i++)
        hs[i] = f[i].h;
    qsort(hs, (size_t)k, sizeof hs[0], cmp_double);
    *mh = (hs[(k - 1) / 2] + hs[k / 2]) / 2;
    double c0 = f[1].y + f[1].h / 2.0;
    for (int i = 0; i < k; i++) {
        double c = f[i].y + f[i].h / 2.0;
        if (f[i].h < (1 - PS__GEO_H_TOL) * *mh || f[i].h > (1 + PS__GEO_H_TOL) * *mh ||
            fabs(c - c0) > PS__GEO_Y_TOL * *mh)
            return 0;
    }
    for (int i = 0; i + 1 < k; i++)
        srt[i] = st[i] = centre_step(&f[i], &f[i + 1]);
    qsort(srt, (size_t)(k - 1), sizeof srt[0], cmp_double);
    double p = (srt[(k - 2) / 2] + srt[(k - 1) / 2]) / 2;
    if (p <= 0)
        return 0;
    for (int i = 0; i + 1 < k; i++)
        if (st[i] < (1 - PS__BACK_PITCH_TOL) * p || st[i] > (1 + PS__BACK_PITCH_TOL) * p)
            return 0;
    *pitch = p;
    return 1;
}

int ps__back_lone_group(const ps_image *doc, const ps_box *g, int n, ps_box zone,
                       const ps__frame *fr, ps_box *kept)
{
    if (doc == NULL || g == NULL || fr == NULL || kept == NULL || n < 3 ||
        n > PS_CV_LINE_MAX_GLYPHS)
        return 0;
    for (int k = 4; k >= 3; k--) {
        const ps_box *f = g + n - k;
        double p = 0, mh = 0;
        if (n < k || !one_group(f, k, &p, &mh) || f[0].x < zone.x + PS__BACK_LONE_X * zone.w)
            continue;
        if (n > k) {
            const ps_box *b = &g[n - k - 1];
            double s = centre_step(b, &f[0]);
            if (s < PS__PANLINE_PITCH_MAX * p)
                continue; /* one more glyph at the pitch: not this group */
            if (s <= PS__BACK_LONE_NEAR * p && b->h >= (1 - PS__GEO_H_TOL) * mh &&
                b->h <= (1 + PS__GEO_H_TOL) * mh)
                return 0; /* digits before them */
        }
        if (k == 3) {
            /* the glyph's ink against its paper (its box's median: a
             * digit's strokes fill less than half of it) */
            unsigned hist[256];
            int q[3];
            uint64_t nh = ps_image_hist(doc, f[0], hist);
            if (nh == 0)
                return 0;
            ps_hist_levels(hist, nh, q);
            int dark = ps_hist_light_tail(hist, nh) <= 0;
            int ink = dark ? q[0] : q[2], mid = (ink + q[1]) / 2;
            if (abs(ink - q[1]) < PS__BACK_LONE_MIN_INK)
                return 0;
            double cx = f[0].x + f[0].w / 2.0 - p;
            int half = (int)lround(PS__BACK_LONE_COL * p);
            ps_box col = {(int)lround(cx) - half, f[0].y, 2 * half + 1, f[0].h};
            if (share_past(doc, col, mid, dark) < PS__BACK_LONE_INK)
                return 0; /* paper where their first digit would be */
        }
        int x0 = f[k - 1].x + f[k - 1].w + (int)lround((PS__PANLINE_PITCH_MAX - 0.5) * p);
        ps_box rest = {x0, f[k - 1].y - f[k - 1].h / 2, zone.x + zone.w - x0, 2 * f[k - 1].h};
        if (ps__frame_has(fr, zone.x + zone.w, f[k - 1].y + f[k - 1].h / 2.0) &&
            (rest.w <= 0 || share_past(doc, rest, PS__BACK_GLARE_LEVEL - 1, 0) < PS__BACK_GLARE_SHARE))
            return 0; /* the panel's line shows whole: its CVV should have */
        *kept = f[0];
        for (int i = 1; i < k; i++)
            *kept = ps_box_union(*kept, f[i]);
        return 1;
    }
    return 0;
}

struct back_arg {
    const ps_image *doc;
    ps_box zone;
    const ps__frame *fr;
    int lone_past;
    ps__back_seen *out;
};

/* One line of the panel: its last 4 before a CVV (back_groups()), and,
 * with a frame, a lone last group (ps__back_lone_group()); done when the
 * first is found and the second is not wanted past it, or found too. */
static ps_status back_each(const ps_cv_line *ln, void *arg, int *found)
{
    struct back_arg *a = arg;
    if (!a->out->found)
        a->out->found = back_groups(ln->glyph_src, ln->n, &a->out->kept);
    if (a->fr != NULL && !a->out->lone_found)
        a->out->lone_found = ps__back_lone_group(a->doc, ln->glyph_src, ln->n, a->zone, a->fr,
                                                 &a->out->lone);
    *found = a->out->found && (a->fr == NULL || !a->lone_past || a->out->lone_found);
    return PS_OK;
}

/* The signature panel's height on a card back: about 9 mm of the card's
 * 54 (ps_cv_light_panels() takes half to 1.8 times it). */
#define PS__BACK_PANEL_H 0.17
/* A CVV box stands at most this share of the panel's height right of it,
 * of its height within PS__BACK_BOX_H_TOL and its middle within
 * PS__BACK_BOX_Y_TOL of the panel's; the panel at least twice as long. */
#define PS__BACK_BOX_GAP 0.6
#define PS__BACK_BOX_H_TOL 0.3
#define PS__BACK_BOX_Y_TOL 0.25
/* ... its paper at least this share of the panel's tone (a shadow across
 * the card: gc99 000147's is 0.74). */
#define PS__BACK_BOX_PAPER 0.7
/* The code's print in its box: about as wide as tall at least (3 digits:
 * 1.9 times; blur brings it down, and a faint smudge's threshold below
 * that: gc2 000866's is 0.86), short of the box's inside each way. */
#define PS__BACK_CODE_MIN_W 0.8
#define PS__BACK_CODE_MAX_W 4.0
#define PS__BACK_CODE_FILL 0.8
/* The panel's last print is a group of 4 (or the 4 run into the
 * signature): wider than the code's 3 by this share at least. */
#define PS__BACK_LAST4_W 1.15

int ps__back_panels(const ps_cv_panel *p, int n, ps_box *kept)
{
    if (p == NULL || kept == NULL)
        return 0;
    for (int i = 0; i + 1 < n; i++) {
        const ps_cv_panel *a = &p[i], *b = &p[i + 1];
        double cy_a = a->box.y + a->box.h / 2.0, cy_b = b->box.y + b->box.h / 2.0;
        int gap = b->box.x - (a->box.x + a->box.w);
        if (gap < 0 || gap > PS__BACK_BOX_GAP * a->box.h || a->box.w < 2 * b->box.w ||
            abs(b->box.h - a->box.h) > PS__BACK_BOX_H_TOL * a->box.h ||
            fabs(cy_b - cy_a) > PS__BACK_BOX_Y_TOL * a->box.h)
            continue;
        /* a box of paper like the panel's (not a hologram's grey) */
        if (b->paper < PS__BACK_BOX_PAPER * a->paper)
            continue;
        /* the code: one group of print inside the box, not filling it */
        const ps_box *c = &b->ink, *l = &a->last;
        if (b->n_ink != 1 || c->h <= 0 || c->w < PS__BACK_CODE_MIN_W * c->h ||
            c->w > PS__BACK_CODE_MAX_W * c->h || c->w > PS__BACK_CODE_FILL * b->box.w ||
            c->h > PS__BACK_CODE_FILL * b->box.h)
            continue;
        /* the last 4: the panel's last print, in its right half, no
         * smaller than the code's print (not a code of 3 itself) */
        if (a->n_ink < 1 || l->x + l->w <= a->box.x + a->box.w / 2 ||
            l->w < PS__BACK_LAST4_W * c->w || l->h < c->h / 2)
            continue;
        /* the panel's end right of its last print holds no print: the
         * last 4 may run to it (a blurred digit's faint end is not found) */
        *kept = *l;
        kept->w = a->box.x + a->box.w - l->x;
        return 1;
    }
    return 0;
}

ps_status ps__back_look(const ps_image *doc, const ps__frame *fr, int lone_past, ps__back_seen *out)
{
    ps_box zone = back_zone(doc);
    int done = 0;
    memset(out, 0, sizeof *out);
    struct back_arg a = {doc, ps__box_clip(zone, doc->width, doc->height), fr, lone_past, out};
    ps_status st = each_line(doc, zone, back_each, &a, &done);
    if (st != PS_OK || out->found)
        return st;
    /* A blurred back: no glyph stands alone, but the panel and the box
     * right of it still show, and the print in each. */
    ps_cv_panel pn[PS_CV_PANEL_MAX];
    int np = 0;
    st = ps_cv_light_panels(doc, ps__box_clip(zone, doc->width, doc->height),
                            (int)(PS__BACK_PANEL_H * doc->height + 0.5), pn, PS_CV_PANEL_MAX, &np);
    if (st == PS_OK)
        out->found = ps__back_panels(pn, np, &out->kept);
    return st;
}

ps_status ps__back_last4(const ps_image *doc, ps_box *kept, int *found)
{
    ps__back_seen seen;
    ps_status st = ps__back_look(doc, NULL, 0, &seen);
    *kept = seen.kept;
    *found = seen.found;
    return st;
}
