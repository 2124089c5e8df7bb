/* Stage "resolution": too few pixels to read a document. */
#include "pipeline/job.h"

ps_status ps_stage_resolution(ps_ctx *ctx, ps_job *job, ps_report *r)
{
    int short_side = r->image.width < r->image.height ? r->image.width : r->image.height;
    (void)job;
    if (short_side < ctx->engine->policy.min_short_side)
        ps_report_flag(r, PS_FLAG_LOW_RESOLUTION);
    return PS_OK;
}
