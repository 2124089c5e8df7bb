/* Stage "verdict": flags decide the suggestion; a human decides the case. */
#include "pipeline/job.h"

/* Flags that make a document unusable as it is: suggest rejection. */
static const ps_flag hard[] = {
    PS_FLAG_UNREADABLE_IMAGE,   PS_FLAG_NO_FACE,          PS_FLAG_NO_DOCUMENT,
    PS_FLAG_EXPIRED_DOCUMENT,   PS_FLAG_DOCUMENT_TYPE_NOT_ACCEPTED,
    PS_FLAG_DIGITAL_DOCUMENT,   PS_FLAG_DOCUMENT_TOO_OLD, PS_FLAG_CARD_NOT_IN_HOLDER_NAME,
};

ps_status ps_stage_verdict(ps_ctx *ctx, ps_job *job, ps_report *r)
{
    (void)ctx;
    (void)job;
    if (r->flags == 0) {
        r->verdict = PS_VERDICT_CLEAR;
        return PS_OK;
    }
    r->verdict = PS_VERDICT_REVIEW;
    for (size_t i = 0; i < sizeof hard / sizeof hard[0]; i++)
        if (ps_report_has(r, hard[i]))
            r->verdict = PS_VERDICT_REJECT_SUGGESTED;
    return PS_OK;
}
