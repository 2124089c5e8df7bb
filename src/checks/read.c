/* Stage "read": what the document says. The outline is rectified from the
 * full-resolution image to a canonical size, the document type is told from
 * a title band (one small OCR call), and only the zones that type needs are
 * read (src/read/fields.c) — never the whole photo. Field boxes go back to
 * full-resolution pixels through the outline's homography. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cv/document.h"
#include "cv/shim.h"
#include "pipeline/job.h"
#include "prescreen/date.h"
#include "prescreen/doctype.h"
#include "prescreen/fields.h"
#include "prescreen/geom.h"
#include "prescreen/ocr.h"

/* ID-1 at 300 dpi (85.60 x 53.98 mm): the size the field templates assume. */
#define PS_ID1_W 1011
#define PS_ID1_H 638
/* TD3 passport page at 300 dpi (125 x 88 mm). */
#define PS_TD3_W 1476
#define PS_TD3_H 1039
/* Paper at ~150 dpi: A4 text is 20-30 px high there, what tesseract likes. */
#define PS_PAPER_LONG 1754
/* The title band (document name) is in the top quarter of a card and the
 * top fifth of a page. */
#define PS_TITLE_CARD 0.28
#define PS_TITLE_PAPER 0.22
/* Whole-read budget for one document, so no image can hang a worker. */
#define PS_READ_DEADLINE_MS 8000

static ps_status ocr_handle(ps_ctx *ctx, ps_ocr **out)
{
    if (ctx->ocr == NULL) {
        ps_status st = ps_ocr_new(NULL, "jpn+eng", &ctx->ocr);
        if (st != PS_OK)
            return st;
    }
    *out = ctx->ocr;
    return PS_OK;
}

/* Rectifies the document into *card; *H maps card pixels to full pixels. */
static ps_status rectify(ps_job *job, ps_image **card, ps_homography *H)
{
    const ps_image *full = job->dec->full;
    ps_point q[4];
    int w, h;
    if (!job->has_quad) {
        /* no outline: the page fills the frame; read it as it is */
        double s = (double)PS_PAPER_LONG / (full->width > full->height ? full->width : full->height);
        if (s > 1)
            s = 1;
        w = (int)(full->width * s + 0.5);
        h = (int)(full->height * s + 0.5);
        q[0] = (ps_point){0, 0};
        q[1] = (ps_point){full->width, 0};
        q[2] = (ps_point){full->width, full->height};
        q[3] = (ps_point){0, full->height};
    } else {
        ps_quad_scale(job->quad_work, 1.0 / job->scale, q);
        if (job->doc_shape == PS_DOC_ID1) {
            w = PS_ID1_W;
            h = PS_ID1_H;
        } else if (job->doc_shape == PS_DOC_TD3) {
            w = PS_TD3_W;
            h = PS_TD3_H;
        } else {
            double top = hypot(q[1].x - q[0].x, q[1].y - q[0].y);
            double side = hypot(q[3].x - q[0].x, q[3].y - q[0].y);
            double s = PS_PAPER_LONG / fmax(top, side);
            w = (int)(top * s + 0.5);
            h = (int)(side * s + 0.5);
        }
    }
    {
        /* card pixel -> card unit -> image */
        ps_homography U;
        if (!ps_homography_from_quad(q, &U))
            return PS_E_ARG;
        for (int r = 0; r < 3; r++) {
            H->h[r * 3 + 0] = U.h[r * 3 + 0] / w;
            H->h[r * 3 + 1] = U.h[r * 3 + 1] / h;
            H->h[r * 3 + 2] = U.h[r * 3 + 2];
        }
    }
    return ps_cv_rectify(full, q, w, h, card);
}

static ps_box card_to_full(const ps_homography *H, ps_box b)
{
    ps_point c[4] = {{b.x, b.y}, {b.x + b.w, b.y}, {b.x + b.w, b.y + b.h}, {b.x, b.y + b.h}};
    double x0 = 1e18, y0 = 1e18, x1 = -1e18, y1 = -1e18;
    ps_box o;
    for (int i = 0; i < 4; i++) {
        ps_point p = ps_homography_apply(H, c[i]);
        x0 = fmin(x0, p.x); y0 = fmin(y0, p.y); x1 = fmax(x1, p.x); y1 = fmax(y1, p.y);
    }
    o.x = (int)floor(x0);
    o.y = (int)floor(y0);
    o.w = (int)ceil(x1) - o.x;
    o.h = (int)ceil(y1) - o.y;
    return o;
}

ps_status ps_stage_read(ps_ctx *ctx, ps_job *job, ps_report *r)
{
    ps_ocr *ocr = NULL;
    ps_image *card = NULL;
    ps_homography H;
    ps_ocr_result *title = NULL;
    ps_doctype_result dt;
    ps_doctype_hints hints;
    ps_template *tpl = NULL;
    ps_fields fs;
    ps_date now, *nowp = NULL;
    ps_status st;

    if (job->dec->full == NULL)
        return PS_OK;
    st = ocr_handle(ctx, &ocr);
    if (st != PS_OK)
        return st;
    st = rectify(job, &card, &H);
    if (st != PS_OK)
        return st == PS_E_ARG ? PS_OK : st; /* degenerate outline: nothing to read */
    {
        ps_ocr_params p;
        int paper = !job->has_quad || job->doc_shape == PS_DOC_PAPER;
        memset(&p, 0, sizeof p);
        p.zone = (ps_box){0, 0, card->width, (int)(card->height * (paper ? PS_TITLE_PAPER : PS_TITLE_CARD))};
        p.deadline_ms = PS_READ_DEADLINE_MS / 4;
        st = ps_ocr_read(ocr, card, &p, &title);
        if (st != PS_OK && st != PS_E_DEADLINE)
            goto out;
    }
    hints.aspect = (double)card->width / card->height;
    hints.has_face = 0;
    for (int i = 0; i < r->face.count; i++)
        hints.has_face |= r->face.faces[i].on_document;
    if (!r->face.done)
        hints.has_face = -1;
    if (job->up->kind == PS_KIND_CREDIT_CARD) {
        dt.type = PS_DOC_CREDIT_CARD;
        dt.side = job->up->side;
    } else {
        st = ps_doctype_classify(title ? title->text : "", &hints, &dt);
        if (st != PS_OK)
            goto out;
    }
    job->doctype = (int)dt.type;
    job->doc_side = dt.side;
    snprintf(r->doc_type, sizeof r->doc_type, "%s", ps_doctype_name(dt.type));
    if (r->side == PS_SIDE_NONE && job->up->kind != PS_KIND_SELFIE)
        r->side = dt.side;

    if (job->up->now[0] && ps_date_from_iso(job->up->now, &now) == PS_OK)
        nowp = &now;
    if (ps_template_load_for(ctx->engine->model_dir, dt.type, dt.side, &tpl) != PS_OK)
        tpl = NULL; /* no template for this type: the reader finds lines itself */
    st = ps_fields_read(ocr, card, dt.type, tpl, nowp, PS_READ_DEADLINE_MS, &fs);
    if (st == PS_E_DEADLINE) {
        st = PS_OK; /* what was read before the deadline stands */
    } else if (st != PS_OK) {
        goto out;
    }
    for (int f = 0; f < PS_FIELD_COUNT_; f++) {
        if (!fs.f[f].present)
            continue;
        r->fields[f] = fs.f[f];
        r->fields[f].match = PS_MATCH_UNKNOWN;
        r->fields[f].box = card_to_full(&H, fs.f[f].box);
    }
out:
    ps_template_free(&tpl);
    ps_ocr_result_free(&title);
    ps_image_free(&card);
    return st;
}
