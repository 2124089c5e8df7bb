/* Stage "read": what the document says. read/reader.c rectifies the outline
 * from the full-resolution image, turns it upright, tells the document type
 * from a title band and reads only the zones that type needs (or, without a
 * template, its text lines once) — never the whole photo. Field boxes come
 * back in full-resolution pixels. */
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
#include "prescreen/redact.h"
#include "read/reader.h"

/* Whole-read budget for one document, so no image can hang a worker. */
#define PS_READ_DEADLINE_MS (8000 * PS_TIME_SCALE)

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

/* How sure a field's reading must be for a card word in it to confirm
 * the turn (ps_redact_upright_text()). */
#define PS_UPRIGHT_FIELD_CONF 0.8

/* The reading order the read stage chose is confirmed when it read a
 * date that validated (an expiry), a holder's name of two words of
 * letters, or a card's label word (VALID THRU read as the expiry's text)
 * there: tesseract reads upside-down capitals as letters too, but seldom
 * as two plausible words, never as a valid date or as one of those. */
static int turn_confirmed(const ps_fields *fs)
{
    const ps_field *e = &fs->f[PS_FIELD_EXPIRY], *n = &fs->f[PS_FIELD_NAME];
    int words = 0, run = 0;
    if (e->present && e->iso[0])
        return 1;
    for (int f = 0; f < PS_FIELD_COUNT_; f++)
        if (fs->f[f].present && fs->f[f].confidence >= PS_UPRIGHT_FIELD_CONF &&
            ps_redact_upright_text(fs->f[f].text))
            return 1;
    if (!n->present)
        return 0;
    for (const char *c = n->text;; c++) {
        int letter = (*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (unsigned char)*c >= 0x80;
        if (letter) {
            run++;
            continue;
        }
        words += run >= 2;
        run = 0;
        if (!*c)
            break;
    }
    return words >= 2;
}

ps_status ps_stage_read(ps_ctx *ctx, ps_job *job, ps_report *r)
{
    ps_ocr *ocr = NULL;
    ps_read_request rq;
    ps_read_result res;
    ps_point q[4];
    ps_date now;
    ps_status st;
    /* nothing legible at this size: the resolution flag already says so */
    if (ps_report_has(r, PS_FLAG_LOW_RESOLUTION))
        return PS_OK;

    if (job->dec->full == NULL)
        return PS_OK;
    st = ocr_handle(ctx, &ocr);
    if (st != PS_OK)
        return st;
    memset(&rq, 0, sizeof rq);
    rq.full = job->dec->full;
    if (job->has_quad) {
        ps_quad_scale(job->quad_work, 1.0 / job->scale, q);
        rq.quad = q;
        rq.shape = job->doc_shape;
    }
    rq.kind = job->up->kind;
    rq.side = job->up->side;
    rq.has_face = 0;
    for (int i = 0; i < r->face.count; i++)
        rq.has_face |= r->face.faces[i].on_document;
    if (!r->face.done)
        rq.has_face = -1;
    /* the upload's own date, else today's, as the rules stage judges it:
     * a postmark's era-less date needs one */
    if (!(job->up->now[0] && ps_date_from_iso(job->up->now, &now) == PS_OK))
        now = ps_date_today();
    rq.now = &now;
    rq.model_dir = ctx->engine->model_dir;
    rq.deadline_ms = ps_job_time_left_ms(job, PS_READ_DEADLINE_MS);
    ps_ocr_result_free(&job->doc_read);
    ps_ocr_lines_free(&job->page_lines, job->n_page_lines);
    job->n_page_lines = 0;
    ps_image_free(&job->doc_image);
    if (job->up->want_redacted && job->has_quad) {
        rq.doc_read_out = &job->doc_read; /* the redact stage reuses it */
        rq.lines_out = &job->page_lines;  /* and a page's lines */
        rq.n_lines_out = &job->n_page_lines;
        rq.card_out = &job->doc_image;    /* and the rectified card */
    }
    st = ps_read_document(ocr, &rq, &res);
    if (st == PS_E_ARG)
        return PS_OK; /* degenerate outline: nothing to read */
    if (st != PS_OK)
        return st;
    job->doctype = (int)res.type;
    job->doc_side = res.side;
    job->doc_turns = (res.rotation / 90) % 4;
    job->doc_turns_confirmed = turn_confirmed(&res.fs);
    job->doc_read_width = res.doc_width;
    job->doc_read_height = res.doc_height;
    snprintf(r->doc_type, sizeof r->doc_type, "%s", ps_doctype_name(res.type));
    /* No outline was found, yet the photo's own frame, read as a page,
     * named its type by a printed title: the ID is there, its edge lost
     * (white paper on a white or blown-out ground). Not on selfies, where
     * the held card's place is what the geometry checks are about. */
    if (!job->has_quad && job->up->kind == PS_KIND_PHOTO_ID && res.type != PS_DOC_UNKNOWN)
        ps_report_unflag(r, PS_FLAG_NO_DOCUMENT);
    if (r->side == PS_SIDE_NONE && job->up->kind != PS_KIND_SELFIE)
        r->side = res.side;
    for (int f = 0; f < PS_FIELD_COUNT_; f++) {
        if (!res.fs.f[f].present)
            continue;
        r->fields[f] = res.fs.f[f];
        r->fields[f].match = PS_MATCH_UNKNOWN;
    }
    return PS_OK;
}
