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
    st = ps_cv_glare(job->dec->work, job->quad_work,
                     ps_job_portrait_rect(job, r, &portrait) ? &portrait : NULL, &g);
    if (st != PS_OK)
        return st;
    r->glare.done = 1;
    r->glare.fraction = g.fraction;
    r->glare.pass = g.fraction <= ctx->engine->policy.max_glare;
    if (!r->glare.pass)
        ps_report_flag(r, PS_FLAG_GLARE_ON_DOCUMENT);
    return PS_OK;
}
