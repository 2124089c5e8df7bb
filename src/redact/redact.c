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

#include "cv/qr.h"
#include "redact/redact_int.h"

static const char *const type_names[PS_REDACT_TYPE_COUNT_] = {
    "pan", "cvv", "my_number", "my_number_qr", "resident_code", "insurer_number",
    "insured_number",
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
    }
    r->n_redactions = k;
    return k;
}

ps_status ps_redact_find(const ps_ocr_word *words, size_t n_words, const ps_ocr_line *lines,
                         size_t n_lines, ps_doctype type, ps_side side, ps_redact_plan *plan)
{
    return ps__find_all(words, n_words, lines, n_lines, type, side, 0, plan);
}

ps_status ps__find_all(const ps_ocr_word *words, size_t n_words, const ps_ocr_line *lines,
                       size_t n_lines, ps_doctype type, ps_side side, int amex_front,
                       ps_redact_plan *plan)
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
        ps__find_pan(&runs, type, side, plan);
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

/* Lines holding a number's label whose number was not found: mask the line
 * from the label to three line heights past its end (fail closed). */
static void label_fallback(const ps_ocr_result *res, const char *label, ps_redact_type t,
                           ps_redact_plan *plan)
{
    for (size_t i = 0; i < res->n_lines; i++) {
        const ps_ocr_line *l = &res->lines[i];
        if (l->text == NULL || !ps__has_label(l->text, label) ||
            ps__has_label(l->text, "個人番号カード")) /* the card's title, not a number's label */
            continue;
        int have = 0;
        for (size_t k = 0; k < plan->n && !have; k++) {
            const ps_box *b = &plan->items[k].box;
            double cy = b->y + b->h / 2.0;
            have = plan->items[k].type == t && cy >= l->box.y - l->box.h &&
                   cy <= l->box.y + 2.0 * l->box.h;
        }
        if (have)
            continue;
        ps_box b = l->box;
        b.w += 3 * b.h;
        ps_redact_item *it = ps__plan_add(plan, t, b, NULL);
        if (it != NULL)
            it->zone = 1;
        plan->uncertain = 1;
    }
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

/* One OCR pass over `zone` of doc (w <= 0: all), then the finder. */
static ps_status read_and_find(ps_ocr *ocr, const ps_image *doc, const ps_ocr_params *p,
                               const ps_redact_opts *opts, int amex_front,
                               ps_redact_plan *local, ps_redact_plan *into)
{
    ps_ocr_result *res = NULL;
    double t0 = now_ms();
    ps_status st = ps_ocr_read(ocr, doc, p, &res);
    local->ocr_ms += now_ms() - t0;
    local->ocr_calls++;
    if (st != PS_OK)
        return st;
    st = ps__find_all(res->words, res->n_words, res->lines, res->n_lines, opts->type,
                      opts->side, amex_front, into);
    if (st == PS_OK && p->whitelist == NULL) {
        label_fallback(res, "個人番号", PS_REDACT_MY_NUMBER, into);
        label_fallback(res, "住民票コード", PS_REDACT_RESIDENT_CODE, into);
    }
    ps_ocr_result_free(&res);
    return st;
}

ps_status ps_redact_plan_make(ps_ocr *ocr, const ps_image *img, const ps_redact_opts *opts,
                              ps_redact_plan *out)
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
    int rw = 0, rh = 0;
    if (local == NULL)
        return PS_E_NOMEM;

    const ps_image *doc = img;
    if (opts->doc_quad != NULL) {
        const ps_point *q = opts->doc_quad;
        double top = hypot(q[1].x - q[0].x, q[1].y - q[0].y);
        double left = hypot(q[3].x - q[0].x, q[3].y - q[0].y);
        ps__rectified_size(opts->type, left > 0 ? top / left : 0, &rw, &rh);
        ps_point corners[4] = {{0, 0}, {rw, 0}, {rw, rh}, {0, rh}};
        if (ps__homography(corners, q, h)) {
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
    }
    /* A card front: the number line first, read closely; when it gives
     * the whole PAN the whole-card readings are not needed for it. */
    if (opts->type == PS_DOC_CREDIT_CARD && opts->side != PS_SIDE_BACK && hp != NULL) {
        int found = 0;
        ps_redact_plan_clear(pass);
        st = ps__read_pan_lines(ocr, doc, opts, local, pass, &found);
        if (st != PS_OK)
            goto done_pass;
        merge_items(local, pass);
        drop_superseded(local);
    }
    /* Whole-document readings until one finds every expected number. */
    for (int k = 0; k < PS__N_READS && !(expect != 0 && missing_types(local, expect) == 0); k++) {
        ps_ocr_params p;
        read_params(opts->type, read_psm[k], opts->deadline_ms, &p);
        ps_redact_plan_clear(pass);
        st = read_and_find(ocr, doc, &p, opts, 0, local, pass);
        if (st != PS_OK)
            goto done_pass;
        merge_items(local, pass);
        drop_superseded(local);
        if (expect == 0 || missing_types(local, expect) == 0)
            break; /* nothing expected (labelled numbers only), or all found */
    }
    /* An Amex front carries its 4-digit CID too. */
    if (opts->type == PS_DOC_CREDIT_CARD && opts->side != PS_SIDE_BACK &&
        ps__amex_pan(local) != NULL)
        expect |= 1u << PS_REDACT_CVV;
    /* Zones of the numbers still missing: read them closely, digits only. */
    for (int t = 0; hp != NULL && t < PS_REDACT_TYPE_COUNT_; t++) {
        if (!(missing_types(local, expect) & (1u << t)) || t == PS_REDACT_MY_NUMBER_QR)
            continue;
        ps__zone z[4];
        int nz = ps__zones_for(opts->type, opts->side, (ps_redact_type)t, z, 4);
        for (int k = 0; k < nz; k++) {
            ps_ocr_params p;
            if (opts->type == PS_DOC_CREDIT_CARD && t == PS_REDACT_CVV) {
                /* the CVV / CID: its few digits re-set and read as a line */
                int found = 0;
                ps_redact_plan_clear(pass);
                st = ps__read_lines(ocr, doc, zone_box(&z[k], rw, rh), PS_REDACT_CVV, 3,
                                    opts->side != PS_SIDE_BACK, opts, local, pass, &found);
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
            st = read_and_find(ocr, doc, &p, opts, t == PS_REDACT_CVV, local, pass);
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
     * so the last group read need not be the last group printed. No last 4
     * is kept then; the number's zone covers the whole line. */
    if (opts->type == PS_DOC_CREDIT_CARD && opts->doc_quad != NULL &&
        quad_leaves_frame(opts->doc_quad, out->full_width, out->full_height)) {
        for (size_t i = 0; i < local->n; i++)
            if (local->items[i].type == PS_REDACT_PAN && local->items[i].kept[0]) {
                ps__wipe(local->items[i].kept, sizeof local->items[i].kept);
                local->items[i].partial = 1;
            }
    }
    /* Fail closed: zones for the expected numbers still missing, and the
     * zones cheap enough to apply always. */
    if (opts->type == PS_DOC_CREDIT_CARD && opts->side == PS_SIDE_NONE &&
        (confident(local, PS_REDACT_PAN) || confident(local, PS_REDACT_CVV)))
        expect = 0; /* the side shows itself by what was found */
    unsigned miss = missing_types(local, expect);
    for (int t = 0; t < PS_REDACT_TYPE_COUNT_; t++) {
        if (!(expect & (1u << t)))
            continue;
        ps__zone z[4];
        int nz = ps__zones_for(opts->type, opts->side, (ps_redact_type)t, z, 4);
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
            ps_redact_item *it = ps__plan_add(local, (ps_redact_type)t, zone_box(&z[k], rw, rh),
                                              NULL);
            if (it != NULL)
                it->zone = 1;
        }
    }
    /* Uncertain: an expected number stood in for by a zone, or any number
     * only partly read or found by its label alone. */
    local->uncertain = miss != 0;
    for (size_t i = 0; i < local->n; i++)
        if (local->items[i].partial || (local->items[i].zone && !(expect & (1u << local->items[i].type))))
            local->uncertain = 1;

    map_items(local, hp, scale, out);
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
    ps_redact_plan_clear(local);
    free(local);
    ps_image_free(&rect);
    return st;
}
