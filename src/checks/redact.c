/* Stage "redact": nothing sensitive leaves the pipeline.
 *
 * Text: every field read from the document passes through ps_redact_text()
 * (a card number keeps its last four, a My Number is masked whole) before
 * it can reach a report, a log or the database.
 *
 * Image: for every kind that can carry a card number, CVV or My Number
 * the masks are planned on the full-resolution image (src/redact/: digits
 * found by OCR, the document type's fail-closed zones where they are not),
 * filled solid, and re-read; an image that cannot be made safe is never
 * written: the job is quarantined with `redaction_uncertain`. A selfie shows
 * the photo side of the ID, which carries no such number, and is stored as
 * it is. The stage "store" (store.c) then encodes what this one made safe. */
#include <stdlib.h>

#include "pipeline/job.h"
#include "prescreen/doctype.h"
#include "prescreen/fields.h"
#include "prescreen/geom.h"
#include "prescreen/ocr.h"
#include "prescreen/redact.h"

/* Budget for planning and re-reading the masks of one image. */
#define PS_REDACT_DEADLINE_MS (8000 * PS_TIME_SCALE)
/* A plan whose expected numbers were not read stands on its template zones,
 * so on the outline: trusted only when the outline is confident or fills a
 * good part of the photo. Wrong outlines seen on the generated corpora
 * (a blurred card missed, a coin or a book found instead) scored under 0.76
 * and covered under 7% of the frame; right ones mostly over 0.8 and 15%. */
#define PS_ZONE_MIN_CONFIDENCE 0.8
#define PS_ZONE_MIN_AREA 0.10
/* Nor on a card back whose outline shows no magnetic stripe (a sheet of
 * paper behind a cut card taken for it scored 0.84 on 12 % of the frame):
 * plan->outline_doubt. A cut card's outline is spared this (its stripe may
 * lie out of the photo). */
/* (Not needed when the plan found the card number's glyphs on the outline
 * and masked them around the last group: plan->anchored. Blurred cards'
 * outlines score low, 0.5-0.8, while right. Nor when the card is the
 * whole frame: a scan, its zones lie on the card.) */

/* A photo ID that may carry a My Number — a notification card, a My Number
 * card's back, or a card whose type could not be told — is stored only when
 * the number itself was located and masked: it has no fixed zone to mask
 * blindly on a notification card, and an unknown card has none at all. */
static int my_number_expected(const ps_job *job)
{
    ps_doctype t = (ps_doctype)job->doctype;
    if (job->up->kind != PS_KIND_PHOTO_ID)
        return 0;
    return t == PS_DOC_UNKNOWN || t == PS_DOC_MY_NUMBER_NOTIFICATION ||
           (t == PS_DOC_MY_NUMBER_CARD && job->doc_side == PS_SIDE_BACK);
}

static int plan_has(const ps_redact_plan *plan, ps_redact_type type)
{
    for (size_t i = 0; i < plan->n; i++)
        if (plan->items[i].type == type)
            return 1;
    return 0;
}

static void quarantine(ps_job *job, ps_report *r)
{
    ps_report_flag(r, PS_FLAG_REDACTION_UNCERTAIN);
    job->res->quarantined = 1;
}

ps_status ps_stage_redact(ps_ctx *ctx, ps_job *job, ps_report *r)
{
    ps_redact_plan *plan = NULL;
    ps_redact_opts o = {0};
    ps_point quad_full[4];
    ps_image *full;
    ps_status st;

    for (int f = 0; f < PS_FIELD_COUNT_; f++)
        if (r->fields[f].present)
            ps_redact_text(r->fields[f].text);
    /* A PDF's page was rendered to be read, not to be kept: no copy of it
     * is stored, so there is nothing to mask (a 住民票 PDF may print the
     * My Number, and no mask of a rendering is ever stored to miss it). */
    if (!job->up->want_redacted || job->is_pdf || job->dec == NULL || job->dec->full == NULL)
        return PS_OK;
    full = job->dec->full;
    if (job->up->kind != PS_KIND_SELFIE && ps_report_has(r, PS_FLAG_LOW_RESOLUTION)) {
        /* too few pixels to read the digits, so too few to prove them masked */
        quarantine(job, r);
        return PS_OK;
    }
    if (job->up->kind != PS_KIND_SELFIE) {
        if (ctx->ocr == NULL && (st = ps_ocr_new(NULL, "jpn+eng", &ctx->ocr)) != PS_OK)
            return st;
        plan = calloc(1, sizeof *plan);
        if (plan == NULL)
            return PS_E_NOMEM;
        o.type = job->up->kind == PS_KIND_CREDIT_CARD ? PS_DOC_CREDIT_CARD : (ps_doctype)job->doctype;
        o.side = job->up->side != PS_SIDE_NONE ? job->up->side : job->doc_side;
        if (job->has_quad) {
            ps_point q[4];
            ps_quad_scale(job->quad_work, 1.0 / job->scale, q);
            /* the document's own reading order: the template zones and the
             * number line are where an upright document has them */
            for (int i = 0; i < 4; i++)
                quad_full[i] = q[(i + job->doc_turns) % 4];
            o.doc_quad = quad_full;
            /* the read stage's whole reading of this same rectified card
             * (same outline, same turn): the plan need not read it again */
            o.doc_read = job->doc_read;
            o.doc_read_width = job->doc_read_width;
            o.doc_read_height = job->doc_read_height;
            o.page_lines = job->page_lines;
            o.n_page_lines = job->n_page_lines;
            o.doc_image = job->doc_image; /* and the card it rectified */
        }
        o.scale = 1.0;
        o.deadline_ms = ps_job_time_left_ms(job, PS_REDACT_DEADLINE_MS);
        o.upright_known = job->doc_turns_confirmed;
        {
            const ps_policy *pol = &ctx->engine->policy;
            o.mask_whole_pan = pol->pan_keep_last == 0;
            o.optional = (pol->mask_registered_domicile ? PS_REDACT_OPT_DOMICILE : 0u) |
                         (pol->mask_organ_donation ? PS_REDACT_OPT_ORGAN_DONATION : 0u);
        }
        st = ps_redact_plan_make(ctx->ocr, full, &o, plan);
        ps_ocr_result_free(&job->doc_read);
        ps_ocr_lines_free(&job->page_lines, job->n_page_lines);
        job->n_page_lines = 0;
        ps_image_free(&job->doc_image);
        if (st == PS_E_DEADLINE || (st == PS_OK && plan->unsafe)) {
            quarantine(job, r);
            st = PS_OK;
            goto out;
        }
        if (st != PS_OK)
            goto out;
        /* zones on an outline that may be the wrong object hide nothing */
        if (plan->uncertain && job->has_quad && !plan->anchored && !r->document.whole_frame &&
            (r->document.confidence < PS_ZONE_MIN_CONFIDENCE ||
             r->document.area_fraction < PS_ZONE_MIN_AREA || plan->outline_doubt)) {
            quarantine(job, r);
            goto out;
        }
        /* A photo ID that may carry a My Number needs it located, and an
         * outline to check it against: without the card's layout a run read
         * on the label's row was taken for the number once, while the number
         * stayed clear. A 住民票 may print its 住民票コード and 個人番号
         * anywhere on the page: without a located code (or its label's line)
         * it cannot be proved safe, unless the read stage's line-by-line
         * reading of the page shows no number left bare (most 住民票 print
         * neither; plan->page_read). */
        if ((my_number_expected(job) && (!job->has_quad || !plan_has(plan, PS_REDACT_MY_NUMBER))) ||
            (job->doctype == PS_DOC_CERTIFICATE_OF_RESIDENCE &&
             !plan_has(plan, PS_REDACT_RESIDENT_CODE) && !plan->page_read) ||
            /* a page that could not be read at all may be a 住民票 */
            (job->up->kind == PS_KIND_ADDRESS_PROOF && job->doctype == PS_DOC_UNKNOWN &&
             plan->n == 0)) {
            quarantine(job, r);
            goto out;
        }
        st = ps_redact_apply(full, plan);
        if (st != PS_OK)
            goto out;
        if (ps_redact_verify(ctx->ocr, full, plan, PS_REDACT_DEADLINE_MS) != PS_OK) {
            quarantine(job, r);
            goto out;
        }
        /* zones on an outline that located no number may lie on another
         * object than the card (gc41 000040: a sheet beside it) */
        if (job->up->kind == PS_KIND_CREDIT_CARD && plan->uncertain && !plan->located &&
            o.side != PS_SIDE_BACK) {
            int bare = 0;
            st = ps_redact_bare_number(ctx->ocr, full, plan, ps_job_time_left_ms(job, PS_REDACT_DEADLINE_MS),
                                       &bare);
            if (st == PS_E_DEADLINE || (st == PS_OK && bare)) {
                quarantine(job, r);
                st = PS_OK;
                goto out;
            }
            if (st != PS_OK)
                goto out;
        }
        if (plan->uncertain)
            ps_report_flag(r, PS_FLAG_REDACTION_UNCERTAIN);
        r->n_redactions = 0;
        ps_redact_to_report(plan, r);
    }
    job->store_ready = 1; /* the store stage encodes it */
    st = PS_OK;
out:
    if (plan != NULL) {
        ps_redact_plan_clear(plan);
        free(plan);
    }
    return st;
}
