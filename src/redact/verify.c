/* Verification: after masking, read each masked region again.
 *
 * The plan may have placed a box a little off (a word box split evenly over
 * glyphs of varying width, a quad mapped through a rough homography). Each
 * masked item is re-read with tesseract, digits only, over the image's row
 * through its grown quad, half its height taller; if any 4 consecutive digits of
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
/* Rows read above and below the mask, as a fraction of the item's height:
 * a box put on the label's row, a line off its digits, still has them read. */
#define PS__READ_MARGIN 1.5

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
    int pan_kept = it->type == PS_REDACT_PAN && it->kept[0];
    /* The whole line, not just the box: a box placed beside its digits (a
     * line box split by character count, label and number as one word)
     * hides the label and leaves the number; reading the row across the
     * image sees it. A PAN's row stops where its kept last 4 begin. */
    int right = pan_kept ? b.x + b.w : img->width;
    b.x = 0;
    b.y -= m;
    b.w = right;
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
    return PS_OK;
}
