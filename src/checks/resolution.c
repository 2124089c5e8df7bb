/* Stage "resolution": too few pixels to read a document. */
#include "pipeline/job.h"

/* Working-copy short side below which no detector can run: a face or a
 * card needs at least this many pixels across (the smallest face the
 * detectors find is ~20 px), and OpenCV's edge and contour code refuses
 * images a few pixels wide (a 16384 x 1 upload). */
#define PS_MIN_WORK_SIDE 16

ps_status ps_stage_resolution(ps_ctx *ctx, ps_job *job, ps_report *r)
{
    int short_side = r->image.width < r->image.height ? r->image.width : r->image.height;
    if (short_side < ctx->engine->policy.min_short_side)
        ps_report_flag(r, PS_FLAG_LOW_RESOLUTION);
    /* A sliver (e.g. 1 x 16384) is reported as low resolution and nothing
     * else runs on it but the redaction and the verdict. */
    if (job->dec != NULL &&
        (job->dec->work->width < PS_MIN_WORK_SIDE || job->dec->work->height < PS_MIN_WORK_SIDE)) {
        ps_report_flag(r, PS_FLAG_LOW_RESOLUTION);
        job->stop = 1;
    }
    return PS_OK;
}
