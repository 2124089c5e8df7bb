/* The card number line read through re-set glyphs (cv/textline.h): the
 * close reading of a credit card front, before the whole-card readings.
 *
 * Card numbers are letter-spaced and often light on a dark or patterned
 * face; tesseract drops digits across the wide gaps. Here the strongest text
 * bands of the number's zone are found, each band's glyphs are cut out and
 * set again dark on white at normal spacing, read as one line, and the
 * words are mapped back to the glyphs' boxes on the card, so the PAN finder
 * (pan.c) sees words where they are printed. */
#include <stdlib.h>
#include <string.h>

#include "cv/textline.h"
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

/* Reads one re-set line and hands its words, in card pixels, to the finder.
 * Tesseract says which digits; the glyphs say where: the reading is used
 * only when it has one digit per glyph, and the words are the glyph groups
 * (a step over PS__PANLINE_PITCH_MAX letter pitches starts a new one). */
static ps_status read_line(ps_ocr *ocr, const ps_cv_line *ln, const ps_redact_opts *opts,
                           int amex_front, ps_redact_plan *local, ps_redact_plan *into)
{
    ps_ocr_params p;
    ps_ocr_result *res = NULL;
    ps_ocr_word words[PS_CV_LINE_MAX_GLYPHS];
    char digits[PS_CV_LINE_MAX_GLYPHS + 1], text[2 * PS_CV_LINE_MAX_GLYPHS];
    char joined[2 * PS_CV_LINE_MAX_GLYPHS];
    int hs[PS_CV_LINE_MAX_GLYPHS], nd = 0, nw = 0, pitch = median_pitch(ln);
    ps_status st;

    for (int i = 0; i < ln->n; i++)
        hs[i] = ln->glyph_src[i].h;
    memset(&p, 0, sizeof p);
    p.psm = PS_OCR_PSM_LINE;
    p.binarize = PS_OCR_BIN_OTSU;
    p.glyph_height = median(hs, ln->n);
    p.deadline_ms = opts->deadline_ms;
    p.whitelist = "0123456789";
    p.langs = "eng";
    st = ps_ocr_read(ocr, ln->line, &p, &res);
    local->ocr_calls++;
    if (st != PS_OK)
        return st;
    local->ocr_ms += res->elapsed_ms;
    for (const char *c = res->text; c && *c; c++)
        if (*c >= '0' && *c <= '9') {
            if (nd == ln->n) {
                nd = -1; /* more digits than glyphs */
                break;
            }
            digits[nd++] = *c;
        }
    ps_ocr_result_free(&res);
    /* Otherwise the digits' places are not known: the whole-card readings
     * and the fail-closed zone take over, as if the line had not been read. */
    if (nd != ln->n)
        goto out;
    char *t = text;
    for (int i = 0; i < ln->n;) {
        int j = i + 1;
        while (j < ln->n && step(ln, j) <= pitch * PS__PANLINE_PITCH_MAX)
            j++;
        ps_box u = ln->glyph_src[i];
        for (int k = i + 1; k < j; k++) {
            ps_box g = ln->glyph_src[k];
            int x1 = u.x + u.w > g.x + g.w ? u.x + u.w : g.x + g.w;
            int y1 = u.y + u.h > g.y + g.h ? u.y + u.h : g.y + g.h;
            u.x = u.x < g.x ? u.x : g.x;
            u.y = u.y < g.y ? u.y : g.y;
            u.w = x1 - u.x;
            u.h = y1 - u.y;
        }
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
    st = ps__find_all(words, (size_t)nw, &line, 1, opts->type, opts->side, amex_front, into);
out:
    ps__wipe(digits, sizeof digits);
    ps__wipe(text, sizeof text);
    ps__wipe(joined, sizeof joined);
    return st;
}

ps_status ps__read_lines(ps_ocr *ocr, const ps_image *doc, ps_box zone, ps_redact_type want,
                         int min_glyphs, int amex_front, const ps_redact_opts *opts,
                         ps_redact_plan *local, ps_redact_plan *into, int *found)
{
    ps_box bands[PS__PANLINE_BANDS];
    int nb = 0, min_h = (int)(PS__PANLINE_MIN_H * doc->height + 0.5);
    ps_status st;

    *found = 0;
    zone = ps__box_clip(zone, doc->width, doc->height);
    st = ps_cv_text_bands(doc, zone, min_h > 3 ? min_h : 3, bands, PS__PANLINE_BANDS, &nb);
    for (int b = 0; st == PS_OK && b < nb && !*found; b++) {
        int pad = (int)(bands[b].h * PS__PANLINE_PAD);
        ps_box band = ps__box_clip((ps_box){bands[b].x, bands[b].y - pad, bands[b].w, bands[b].h + 2 * pad},
                                   doc->width, doc->height);
        int light = ps_image_light_text(doc, band);
        for (int k = 0; k < 2 && st == PS_OK && !*found; k++) {
            ps_cv_line ln;
            st = ps_cv_line_reset(doc, band, k == 0 ? light : !light, &ln);
            if (st != PS_OK)
                break;
            if (ln.n >= min_glyphs)
                st = read_line(ocr, &ln, opts, amex_front, local, into);
            ps_image_free(&ln.line);
            for (size_t i = 0; st == PS_OK && i < into->n && !*found; i++)
                *found = into->items[i].type == want && !into->items[i].zone &&
                         !into->items[i].partial;
        }
    }
    return st;
}

ps_status ps__read_pan_lines(ps_ocr *ocr, const ps_image *doc, const ps_redact_opts *opts,
                             ps_redact_plan *local, ps_redact_plan *into, int *found)
{
    ps_box zone = {(int)(PS__PANLINE_X0 * doc->width), (int)(PS__PANLINE_Y0 * doc->height),
                   (int)((PS__PANLINE_X1 - PS__PANLINE_X0) * doc->width),
                   (int)((PS__PANLINE_Y1 - PS__PANLINE_Y0) * doc->height)};
    /* fewer glyphs than a group: not the number */
    return ps__read_lines(ocr, doc, zone, PS_REDACT_PAN, 4, 0, opts, local, into, found);
}
