/* Verification: after masking, read each masked region again.
 *
 * The plan may have placed a box a little off (a word box split evenly over
 * glyphs of varying width, a quad mapped through a rough homography). Each
 * masked item is re-read with tesseract, digits only, over its grown quad
 * and a margin of half its height around it; if any 4 consecutive digits of
 * what it hid can still be read there, its margin grows and it is masked
 * and read again. A PAN's region stops at its right edge, where the kept
 * last 4 begin. After PS_REDACT_VERIFY_ROUNDS the image is declared unsafe.
 */
#include <math.h>
#include <string.h>
#include <time.h>

#include "redact/redact_int.h"

/* Digits hidden that may not be readable again, in pieces of this many
 * (a 4-digit piece is what SPEC keeps of a PAN; less identifies nothing). */
#define PS__PIECE 4
/* Reading margin around the mask, as a fraction of the item's height. */
#define PS__READ_MARGIN 0.5

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
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

/* Reads the region of item `it` on `img`; *leak = 1 when a piece shows. */
static ps_status read_item(ps_ocr *ocr, const ps_image *img, const ps_redact_item *it,
                           int deadline_ms, ps_redact_plan *plan, int *leak)
{
    ps_point g[4];
    ps__item_grown_quad(it, g);
    ps_box b = ps__quad_bbox(g);
    double hq = it->box.h > 0 ? it->box.h : 1;
    double vx = it->quad[3].x - it->quad[0].x, vy = it->quad[3].y - it->quad[0].y;
    double height = vx * vx + vy * vy > 0 ? sqrt(vx * vx + vy * vy) : hq;
    int m = (int)(PS__READ_MARGIN * height) + 2;
    int spare = ps__item_spare(it);
    int ml = (spare & PS_REDACT_SPARE_LEFT) ? 0 : m, mr = (spare & PS_REDACT_SPARE_RIGHT) ? 0 : m;
    b.x -= ml;
    b.y -= m;
    b.w += ml + mr;
    b.h += 2 * m;
    b = ps__box_clip(b, img->width, img->height);
    *leak = 0;
    if (b.w < 4 || b.h < 4)
        return PS_OK;
    ps_ocr_params p;
    memset(&p, 0, sizeof p);
    p.zone = b;
    p.glyph_height = (int)(height + 0.5);
    p.psm = PS_OCR_PSM_SPARSE;
    p.whitelist = "0123456789";
    p.langs = "eng";
    p.deadline_ms = deadline_ms;
    ps_ocr_result *res = NULL;
    double t0 = now_ms();
    ps_status st = ps_ocr_read(ocr, img, &p, &res);
    plan->ocr_ms += now_ms() - t0;
    plan->ocr_calls++;
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

/* The masks of a line around a last group kept by geometry (spare set,
 * no kept digits): *l the one left of the group, *r the one right of it
 * (-1 when absent). */
static void geo_pair(const ps_redact_plan *plan, int *l, int *r)
{
    *l = *r = -1;
    for (size_t i = 0; i < plan->n; i++) {
        const ps_redact_item *it = &plan->items[i];
        if (it->type != PS_REDACT_PAN || it->kept[0])
            continue;
        if ((it->spare & PS_REDACT_SPARE_RIGHT) && *l < 0)
            *l = (int)i;
        if ((it->spare & PS_REDACT_SPARE_LEFT) && *r < 0)
            *r = (int)i;
    }
}

/* A last group kept by geometry: the digits it hid are not known, so the
 * line is read again as a whole; more than the 4 kept digits readable
 * there and the group is masked too (its masks lose their spared sides and
 * the gap between them is filled). */
static ps_status verify_geo(ps_ocr *ocr, ps_image *full, ps_redact_plan *plan, int deadline_ms)
{
    int li, ri;
    geo_pair(plan, &li, &ri);
    if (li < 0 && ri < 0)
        return PS_OK;
    ps_point gl[4], gr[4];
    ps__item_grown_quad(&plan->items[li >= 0 ? li : ri], gl);
    ps__item_grown_quad(&plan->items[ri >= 0 ? ri : li], gr);
    ps_box a = ps__quad_bbox(gl), b = ps__quad_bbox(gr);
    ps_box u = a;
    int x1 = a.x + a.w > b.x + b.w ? a.x + a.w : b.x + b.w;
    int y1 = a.y + a.h > b.y + b.h ? a.y + a.h : b.y + b.h;
    u.x = a.x < b.x ? a.x : b.x;
    u.y = a.y < b.y ? a.y : b.y;
    u.w = x1 - u.x;
    u.h = y1 - u.y;
    u = ps__box_clip(u, full->width, full->height);
    if (u.w < 4 || u.h < 4)
        return PS_OK;
    const ps_redact_item *lit = &plan->items[li >= 0 ? li : ri];
    double vx = lit->quad[3].x - lit->quad[0].x, vy = lit->quad[3].y - lit->quad[0].y;
    ps_ocr_params p;
    memset(&p, 0, sizeof p);
    p.zone = u;
    /* the masks are the glyphs' height and twice PS__GEO_PAD (0.35) more */
    p.glyph_height = (int)(sqrt(vx * vx + vy * vy) / 1.7 + 0.5);
    p.psm = PS_OCR_PSM_SPARSE;
    p.whitelist = "0123456789";
    p.langs = "eng";
    p.deadline_ms = deadline_ms;
    ps_ocr_result *res = NULL;
    double t0 = now_ms();
    ps_status st = ps_ocr_read(ocr, full, &p, &res);
    plan->ocr_ms += now_ms() - t0;
    plan->ocr_calls++;
    if (st != PS_OK)
        return st;
    int digits = 0;
    for (const char *c = res->text; c && *c; c++)
        digits += *c >= '0' && *c <= '9';
    ps_ocr_result_free(&res);
    if (digits <= PS__PIECE)
        return PS_OK;
    /* fail closed: the gap between the two masks goes too */
    if (li >= 0 && ri >= 0 && plan->n < PS_REDACT_MAX_ITEMS) {
        const ps_redact_item *l = &plan->items[li], *r = &plan->items[ri];
        ps_redact_item *gap = &plan->items[plan->n++];
        memset(gap, 0, sizeof *gap);
        gap->type = PS_REDACT_PAN;
        gap->partial = 1;
        gap->quad[0] = l->quad[1];
        gap->quad[1] = r->quad[0];
        gap->quad[2] = r->quad[3];
        gap->quad[3] = l->quad[2];
        gap->box = ps__quad_bbox(gap->quad);
    } else {
        plan->unsafe = 1;
        return PS_E_UNSAFE;
    }
    plan->items[li].spare = 0;
    plan->items[ri].spare = 0;
    plan->uncertain = 1;
    return ps_redact_apply(full, plan);
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
