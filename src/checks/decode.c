/* Stage "decode": the upload's bytes become the upright working copy (and the
 * full-resolution image when a redacted copy is wanted). */
#include <stdio.h>

#include "pipeline/job.h"
#include "prescreen/phash.h"

ps_status ps_stage_decode(ps_ctx *ctx, ps_job *job, ps_report *r)
{
    ps_decode_opts o;
    ps_status st;

    ps_decode_opts_default(&o);
    o.limits = ctx->engine->limits;
    /* Full resolution only when it is needed: to store a redacted copy, or
     * to read a document's small print. A selfie's checks run on the
     * DCT-scaled working copy alone. */
    o.want_full = job->up->want_redacted || job->up->kind == PS_KIND_PHOTO_ID ||
                  job->up->kind == PS_KIND_CREDIT_CARD || job->up->kind == PS_KIND_ADDRESS_PROOF;
    /* A PDF is digital data, not a photo of paper: an address proof's is
     * flagged, and its first page rendered to be read (never stored: the
     * redact stage leaves it unplanned, so the store stage skips it). Any
     * other kind refuses it. */
    o.render_pdf = job->up->kind == PS_KIND_ADDRESS_PROOF;
    st = ps_decode(job->up->bytes, job->up->len, &o, &job->dec, job->error, job->error_len);
    if (o.render_pdf && ps_sniff(job->up->bytes, job->up->len) == PS_FMT_PDF) {
        r->image.format = PS_FMT_PDF;
        ps_report_flag(r, PS_FLAG_DIGITAL_DOCUMENT);
        job->is_pdf = 1;
        if (st != PS_OK && st != PS_E_NOMEM) {
            /* a PDF that cannot be drawn is still reported, as digital:
             * the reason goes in the image's warning */
            snprintf(r->image.warning, sizeof r->image.warning, "%s", job->error);
            job->stop = 1;
            job->error[0] = '\0';
            return PS_OK;
        }
    }
    if (st != PS_OK)
        return st;
    r->image.width = job->dec->width;
    r->image.height = job->dec->height;
    r->image.format = job->dec->format;
    r->image.exif_orientation = job->dec->exif_orientation;
    snprintf(r->image.warning, sizeof r->image.warning, "%s", job->dec->warning);
    job->scale = job->dec->work_scale;
    st = ps_image_to_gray(job->dec->work, &job->gray);
    if (st == PS_OK && ps_phash_image(job->gray, &job->res->phash) == PS_OK)
        job->res->has_phash = 1; /* for duplicate_upload, found by the worker */
    return st;
}
