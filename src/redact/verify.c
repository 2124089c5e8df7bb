/* Verification: after masking, read each masked region again.
 *
 * The plan may have placed a box a little off (a word box split evenly over
 * glyphs of varying width, a quad mapped through a rough homography). Each
 * masked item is re-read with tesseract, digits only, over the document's
 * row through its grown quad (a mask on its digits' own glyphs: 8 of its
 * heights either side), 1.5 heights above and below; if any 4 consecutive digits of
 * what it hid can still be read there, its margin grows and it is masked
 * and read again. A PAN's region stops at its right edge, where the kept
 * last 4 begin. After PS_REDACT_VERIFY_ROUNDS the image is declared unsafe.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cv/textline.h"
#include "redact/redact_int.h"

/* Digits hidden that may not be readable again, in pieces of this many
 * (a 4-digit piece is what SPEC keeps of a PAN; less identifies nothing). */
#define PS__PIECE 4
/* Rows read above and below the mask, as a fraction of the item's height:
 * a box put on the label's row, a line off its digits, still has them read. */
#define PS__READ_MARGIN 1.5
/* Row read beside a mask placed on its digits' own glyphs (ps_redact_item
 * .glyphs), in the item's heights each way: card digits are set about 1.1
 * heights apart, so this holds a group of 4 and the gap before it with
 * room to spare (7 pitches), and any 4 hidden digits that a mask shifted
 * sideways would leave showing next to it are in the row. A word box may
 * sit a whole label away from its digits: its row spans the document. */
#define PS__GLYPH_ROW 8.0
/* Ink that could be a hidden digit left bare beside a mask on its glyphs:
 * centred within this many of the item's heights of its line (a digit a
 * full height off its place is a digit of another line: the expiry, the
 * name, which need no reading here). */
#define PS__BLOB_REACH 0.9

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

/* Digits-only sparse read of `zone` (glyphs about `glyph_h` px tall, or
 * resampled by `scale` when > 0), counted in the plan's OCR time; *res is
 * the caller's to free. */
static ps_status read_digits_as(ps_ocr *ocr, const ps_image *img, ps_box zone, int glyph_h,
                                double scale, ps_ocr_polarity ink, ps_ocr_binarize bin,
                                int deadline_ms, ps_redact_plan *plan, ps_ocr_result **res)
{
    ps_ocr_params p;
    memset(&p, 0, sizeof p);
    p.polarity = ink;
    p.binarize = bin;
    p.zone = zone;
    p.glyph_height = glyph_h;
    p.scale = scale;
    p.psm = PS_OCR_PSM_SPARSE;
    p.whitelist = "0123456789";
    p.langs = "eng";
    p.deadline_ms = deadline_ms;
    double t0 = now_ms();
    ps_status st = ps_ocr_read(ocr, img, &p, res);
    plan->ocr_ms += now_ms() - t0;
    plan->ocr_calls++;
    return st;
}

static ps_status read_digits(ps_ocr *ocr, const ps_image *img, ps_box zone, int glyph_h, double scale,
                             int deadline_ms, ps_redact_plan *plan, ps_ocr_result **res)
{
    return read_digits_as(ocr, img, zone, glyph_h, scale, PS_OCR_DARK_TEXT, PS_OCR_BIN_OTSU, deadline_ms,
                          plan, res);
}

/* 1 when a PS__PIECE-digit piece of `hidden` occurs in `seen` (digits of
 * one read line, spaces removed). */
static int piece_seen(const char *hidden, const char *seen)
{
    size_t nh = strlen(hidden);
    char piece[PS__PIECE + 1];
    for (size_t i = 0; i + PS__PIECE <= nh; i++) {
        memcpy(piece, hidden + i, PS__PIECE);
        piece[PS__PIECE] = '\0';
        if (strstr(seen, piece) != NULL) {
            ps__wipe(piece, sizeof piece);
            return 1;
        }
    }
    ps__wipe(piece, sizeof piece);
    return 0;
}

ps_box ps__verify_row(const ps_redact_plan *plan, const ps_redact_item *it, int img_w, int img_h,
                      double *glyph_h)
{
    ps_point g[4];
    ps__item_grown_quad(it, g);
    ps_box b = ps__quad_bbox(g);
    double hq = it->box.h > 0 ? it->box.h : 1;
    double vx = it->quad[3].x - it->quad[0].x, vy = it->quad[3].y - it->quad[0].y;
    double height = vx * vx + vy * vy > 0 ? sqrt(vx * vx + vy * vy) : hq;
    int m = (int)(PS__READ_MARGIN * height) + 2;
    /* The whole line, not just the box: a box placed beside its digits (a
     * line box split by character count, label and number as one word)
     * hides the label and leaves the number; reading the row across the
     * document sees it. Every digit the plan read lies on the document (it
     * read the rectified outline only), so the row spans the outline's box
     * and the margin beyond it, never less than the mask itself; without an
     * outline, the whole image. A mask on its digits' own glyphs has its
     * row end PS__GLYPH_ROW heights beside it. The row stops at a spared
     * side, where kept digits begin. */
    int spare = ps__item_spare(it);
    int row0 = 0, row1 = img_w;
    if (plan->doc_box.w > 0) {
        int dx0 = plan->doc_box.x - m, dx1 = plan->doc_box.x + plan->doc_box.w + m;
        row0 = dx0 < b.x ? (dx0 > 0 ? dx0 : 0) : b.x;
        row1 = dx1 > b.x + b.w ? (dx1 < img_w ? dx1 : img_w) : b.x + b.w;
    }
    if (it->glyphs) {
        int gm = (int)(PS__GLYPH_ROW * height) + 2;
        row0 = b.x - gm > row0 ? b.x - gm : row0;
        row1 = b.x + b.w + gm < row1 ? b.x + b.w + gm : row1;
    }
    int x0 = (spare & PS_REDACT_SPARE_LEFT) ? b.x : row0;
    int x1 = (spare & PS_REDACT_SPARE_RIGHT) ? b.x + b.w : row1;
    int mt = (spare & PS_REDACT_SPARE_TOP) ? 0 : m, mb = (spare & PS_REDACT_SPARE_BOTTOM) ? 0 : m;
    b.x = x0;
    b.w = x1 - x0;
    b.y -= mt;
    b.h += mt + mb;
    if (glyph_h != NULL)
        *glyph_h = height;
    return ps__box_clip(b, img_w, img_h);
}

/* Digits the row b could still show outside every mask of the plan
 * (ps_cv_digit_blobs()) on item it's own line: ink centred within
 * PS__BLOB_REACH of its heights of the line through its quad's middle. */
static ps_status blobs_beside(const ps_image *img, const ps_redact_plan *plan,
                              const ps_redact_item *it, ps_box b, double height, int *count)
{
    ps_box masks[PS_REDACT_MAX_ITEMS];
    int n = 0;
    for (size_t i = 0; i < plan->n && n < PS_REDACT_MAX_ITEMS; i++) {
        ps_point g[4];
        ps__item_grown_quad(&plan->items[i], g);
        masks[n++] = ps__quad_bbox(g);
    }
    const ps_point *q = it->quad;
    double line[4] = {(q[0].x + q[3].x) / 2, (q[0].y + q[3].y) / 2, (q[1].x + q[2].x) / 2,
                      (q[1].y + q[2].y) / 2};
    return ps_cv_digit_blobs(img, b, masks, n, height, line, PS__BLOB_REACH * height, count);
}

/* Reads the region of item `it` on `img`; *leak = 1 when a piece shows.
 * A mask on its digits' own glyphs (it->glyphs: cut out on the card as
 * components, then read one digit per glyph) is read again only when its
 * row still shows ink of a digit's height for PS__PIECE digits outside the
 * masks: the glyphs that were its digits were found that way, and a piece
 * of them left bare by a shifted mask shows that way again. Otherwise no
 * 4 digits can be read there (on the generated cards this saves the
 * reading on nearly every front, ~20 ms). Word boxes are always read. */
static ps_status read_item(ps_ocr *ocr, const ps_image *img, const ps_redact_item *it,
                           int deadline_ms, ps_redact_plan *plan, int *leak)
{
    double height = 0;
    ps_box b = ps__verify_row(plan, it, img->width, img->height, &height);
    *leak = 0;
    if (b.w < 4 || b.h < 4)
        return PS_OK;
    if (it->glyphs) {
        int blobs = 0;
        ps_status bs = blobs_beside(img, plan, it, b, height, &blobs);
        if (bs != PS_OK)
            return bs;
        plan->verify_skipped += blobs < PS__PIECE;
        if (blobs < PS__PIECE)
            return PS_OK;
    }
    ps_ocr_result *res = NULL;
    ps_status st = read_digits(ocr, img, b, (int)(height + 0.5), 0, deadline_ms, plan, &res);
    if (st != PS_OK)
        return st;
    for (size_t l = 0; l < res->n_lines && !*leak; l++) {
        char seen[256];
        size_t k = 0;
        for (const char *s = res->lines[l].text; s && *s && k + 1 < sizeof seen; s++)
            if (*s >= '0' && *s <= '9')
                seen[k++] = *s;
        seen[k] = '\0';
        *leak = piece_seen(it->digits, seen);
        ps__wipe(seen, sizeof seen);
    }
    ps_ocr_result_free(&res);
    return PS_OK;
}

/* The four masks around a last group kept by geometry (PAN items with no
 * kept digits; spare RIGHT: left of the group, LEFT: right of it, BOTTOM:
 * above it, TOP: below it): their indexes in m[0..3], -1 when absent. */
static void geo_masks(const ps_redact_plan *plan, int m[4])
{
    static const int bits[4] = {PS_REDACT_SPARE_RIGHT, PS_REDACT_SPARE_LEFT,
                                PS_REDACT_SPARE_BOTTOM, PS_REDACT_SPARE_TOP};
    for (int k = 0; k < 4; k++)
        m[k] = -1;
    for (size_t i = 0; i < plan->n; i++) {
        const ps_redact_item *it = &plan->items[i];
        if (it->type != PS_REDACT_PAN || it->kept[0])
            continue;
        for (int k = 0; k < 4; k++)
            if (it->spare == bits[k] && m[k] < 0)
                m[k] = (int)i;
    }
}

/* A kept group's window is its glyphs' height and PS__GEO_WIN (0.9) of
 * it above and below: this many glyph heights. */
#define PS__WIN_HEIGHTS 2.8

int ps__window_digits(const ps_ocr_result *res, ps_box window, double glyph_h)
{
    int row = 0, other = 0;
    double mid = window.y + window.h / 2.0;
    for (size_t i = 0; res != NULL && i < res->n_words; i++) {
        const ps_ocr_word *w = &res->words[i];
        int d = 0;
        for (const char *c = w->text; c && *c; c++)
            d += *c >= '0' && *c <= '9';
        double wy = w->box.y + w->box.h / 2.0;
        int in_row = w->box.x >= window.x - 1 && w->box.x + w->box.w <= window.x + window.w + 1 &&
                     fabs(wy - mid) <= glyph_h / 2;
        if (in_row)
            row += d;
        else
            other += d;
    }
    return other + (row < PS__PIECE ? row : PS__PIECE);
}

/* A last group kept by geometry: the digits it hid are not known, so the
 * window left around the group is read again, digits only; more than the
 * 4 kept digits readable there and the window is filled too (the masks
 * lose their spared sides). */
static ps_status verify_geo(ps_ocr *ocr, ps_image *full, ps_redact_plan *plan, int deadline_ms)
{
    int m[4];
    geo_masks(plan, m);
    if (m[0] < 0 && m[1] < 0 && m[2] < 0 && m[3] < 0)
        return PS_OK;
    if (m[0] < 0 || m[1] < 0 || m[2] < 0 || m[3] < 0) {
        plan->unsafe = 1; /* a window not closed on every side */
        return PS_E_UNSAFE;
    }
    const ps_redact_item *above = &plan->items[m[2]], *below = &plan->items[m[3]];
    ps_point win[4] = {above->quad[3], above->quad[2], below->quad[1], below->quad[0]};
    ps_box u = ps__quad_bbox(win);
    double vx = win[3].x - win[0].x, vy = win[3].y - win[0].y;
    double wh = sqrt(vx * vx + vy * vy);
    int margin = (int)(wh / 2);
    u.x -= margin;
    u.w += 2 * margin;
    u = ps__box_clip(u, full->width, full->height);
    if (u.w < 4 || u.h < 4)
        return PS_OK;
    ps_ocr_result *res = NULL;
    /* the window is the glyphs' height and twice PS__GEO_WIN (0.6) more */
    ps_status st = read_digits(ocr, full, u, (int)(wh / 2.2 + 0.5), 0, deadline_ms, plan, &res);
    if (st != PS_OK)
        return st;
    int digits = ps__window_digits(res, ps__quad_bbox(win), wh / PS__WIN_HEIGHTS);
    ps_ocr_result_free(&res);
    if (digits <= PS__PIECE)
        return PS_OK;
    /* fail closed: the window goes too */
    if (plan->n >= PS_REDACT_MAX_ITEMS) {
        plan->unsafe = 1;
        return PS_E_UNSAFE;
    }
    ps_redact_item *w = &plan->items[plan->n++];
    memset(w, 0, sizeof *w);
    w->type = PS_REDACT_PAN;
    w->partial = 1;
    memcpy(w->quad, win, sizeof win);
    w->box = ps__quad_bbox(w->quad);
    for (int k = 0; k < 4; k++)
        plan->items[m[k]].spare = 0;
    plan->uncertain = 1;
    return ps_redact_apply(full, plan);
}

/* Longest side a card photo is read at when looking for a number left
 * bare beside zones (at 1200 px the 12 digits of gc41 000040, a card a
 * third of the frame wide, were not read). */
#define PS_BARE_READ_SIDE 1600.0

/* Digits of a word read on a digits-only reading; -1 when it holds
 * anything else. */
static int word_digits(const char *t)
{
    int n = 0;
    for (; t && *t; t++) {
        if (*t < '0' || *t > '9')
            return -1;
        n++;
    }
    return n;
}

/* A tilted card's groups step up or down along its row by this much of
 * the distance between them (about 10 degrees; gc77 000021: a card cut by
 * the frame, turned 7 degrees, its groups 12 px apart in height at 20-px
 * glyphs). */
#define PS_BARE_SLANT 0.18

int ps__bare_words(const ps_ocr_result *res)
{
    if (res == NULL)
        return 0;
    for (size_t a = 0; a < res->n_words; a++) {
        const ps_box *ba = &res->words[a].box;
        int da = word_digits(res->words[a].text);
        if (da < 3 || da > 5 || ba->h <= 0)
            continue;
        int digits = 0, groups = 0;
        for (size_t b = 0; b < res->n_words; b++) {
            const ps_box *bb = &res->words[b].box;
            int db = word_digits(res->words[b].text);
            if (db < 3 || db > 5 || bb->h <= 0)
                continue;
            /* one row: centres within half a height (and the slant of a
             * tilted card over the distance between them), heights alike,
             * and no more than a card's width of groups apart */
            double ca = ba->y + ba->h / 2.0, cb = bb->y + bb->h / 2.0;
            double h = ba->h > bb->h ? ba->h : bb->h, hs = ba->h < bb->h ? ba->h : bb->h;
            double dx = fabs((bb->x + bb->w / 2.0) - (ba->x + ba->w / 2.0));
            if (fabs(ca - cb) > h / 2 + PS_BARE_SLANT * dx || hs < h / 1.5 || dx > 20 * h)
                continue;
            digits += db;
            groups++;
        }
        if (groups >= 2 && digits >= 8)
            return 1;
    }
    return 0;
}

/* See redact.h. A bare number shows as groups of 3 to 5 digits, two or
 * more side by side on one row, 8 digits or more together: a card number,
 * or the part of one a cut card shows (tesseract's sparse reading returns
 * each group alone, so rows are told by the words' boxes). A kept last 4
 * is one group; the expiry is not such a word. The photo is read for dark
 * print under one threshold, then for light print under local ones (gc77
 * 000021: the masks' black fill and a grey ground set the one threshold so
 * a dark card's light digits read as nothing at all; its background
 * divided out read them too, but took 1-7 s on blurred and glared cards,
 * local thresholds 0.1-0.4 s). */
ps_status ps_redact_bare_number(ps_ocr *ocr, const ps_image *full, ps_redact_plan *plan, int deadline_ms,
                                int *bare)
{
    static const struct {
        ps_ocr_polarity ink;
        ps_ocr_binarize bin;
    } how[] = {{PS_OCR_DARK_TEXT, PS_OCR_BIN_OTSU}, {PS_OCR_LIGHT_TEXT, PS_OCR_BIN_SAUVOLA}};
    if (bare == NULL)
        return PS_E_ARG;
    *bare = 0;
    if (ocr == NULL || full == NULL || plan == NULL)
        return PS_E_ARG;
    int side = full->width > full->height ? full->width : full->height;
    ps_box whole = {0, 0, full->width, full->height};
    double start = now_ms();
    for (size_t k = 0; k < sizeof how / sizeof how[0] && !*bare; k++) {
        ps_ocr_result *res = NULL;
        int left = 0;
        if (deadline_ms > 0) {
            left = deadline_ms - (int)(now_ms() - start);
            if (left <= 0)
                return PS_E_DEADLINE;
        }
        ps_status st = read_digits_as(ocr, full, whole, 0,
                                      side > PS_BARE_READ_SIDE ? PS_BARE_READ_SIDE / side : 1.0, how[k].ink,
                                      how[k].bin,
                                      left, plan, &res);
        if (st != PS_OK)
            return st;
        *bare = ps__bare_words(res);
        ps_ocr_result_free(&res);
    }
    return PS_OK;
}

ps_status ps_redact_verify(ps_ocr *ocr, ps_image *full, ps_redact_plan *plan, int deadline_ms)
{
    if (ocr == NULL || full == NULL || plan == NULL)
        return PS_E_ARG;
    if (full->width != plan->full_width || full->height != plan->full_height)
        return PS_E_ARG;
    if (plan->unsafe)
        return PS_E_UNSAFE;
    double start = now_ms();
    for (size_t i = 0; i < plan->n; i++) {
        ps_redact_item *it = &plan->items[i];
        if (strlen(it->digits) < PS__PIECE)
            continue; /* a zone or a QR code: nothing known to look for */
        for (int round = 0;; round++) {
            int left = 0;
            if (deadline_ms > 0) {
                left = deadline_ms - (int)(now_ms() - start);
                if (left <= 0)
                    return PS_E_DEADLINE;
            }
            int leak = 0;
            ps_status st = read_item(ocr, full, it, left, plan, &leak);
            if (st != PS_OK)
                return st;
            if (!leak)
                break;
            if (round >= PS_REDACT_VERIFY_ROUNDS) {
                plan->unsafe = 1;
                return PS_E_UNSAFE;
            }
            it->grow++;
            st = ps_redact_apply(full, plan);
            if (st != PS_OK)
                return st;
        }
    }
    int left = 0;
    if (deadline_ms > 0) {
        left = deadline_ms - (int)(now_ms() - start);
        if (left <= 0)
            return PS_E_DEADLINE;
    }
    return verify_geo(ocr, full, plan, left);
}
