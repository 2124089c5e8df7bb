/* Stage "glare": specular highlights over the document that can hide text.
 * The printed portrait's own whites (a shirt, a pale backdrop) are not
 * glare; a reflection that spills over the photo's frame still is. */
#include "cv/document.h"
#include "pipeline/job.h"

ps_status ps_stage_glare(ps_ctx *ctx, ps_job *job, ps_report *r)
{
    ps_glare g;
    ps_doc_rect portrait;
    ps_status st;
    if (!job->has_quad)
        return PS_OK;
    /* The photo's pale backdrop beside and above the head is print: on
     * dev 000526 it spans 2.0 x 1.9 face boxes, from 0.5 of one left of
     * the face and 0.7 above it, and was taken for glare when only the
     * skin test's 1.7 x 1.9 were spared. Here 2.2 x 2.7 are (0.6 left,
     * 0.8 above, down to the shoulders); a reflection spilling past that
     * onto the card still counts, one mostly over the photo does not. */
    int has_portrait = ps_job_portrait_rect(job, r, 0.6, 0.8, 2.2, 2.7, &portrait);
    st = ps_cv_glare(job->dec->work, job->quad_work, has_portrait ? &portrait : NULL, &g);
    if (st != PS_OK)
        return st;
    r->glare.done = 1;
    r->glare.fraction = g.fraction;
    r->glare.pass = g.fraction <= ctx->engine->policy.max_glare;
    if (!r->glare.pass)
        ps_report_flag(r, PS_FLAG_GLARE_ON_DOCUMENT);
    return PS_OK;
}
