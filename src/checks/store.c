/* Stage "store": the stored copy, re-encoded from the pixels the redact
 * stage made safe, so it carries no EXIF, GPS or thumbnail of the upload.
 * Every kind pays it, masks or not; it is a stage of its own so that its
 * time is not counted as redaction's. Nothing is encoded when the redact
 * stage did not finish (an error) or quarantined the job. */
#include "pipeline/job.h"
#include "prescreen/decode.h"

/* Quality of the stored copy: reviewers read small print on it. */
#define PS_STORED_JPEG_QUALITY 90

ps_status ps_stage_store(ps_ctx *ctx, ps_job *job, ps_report *r)
{
    (void)ctx;
    (void)r;
    if (!job->store_ready || job->res->quarantined || job->dec == NULL || job->dec->full == NULL)
        return PS_OK;
    return ps_encode_jpeg(job->dec->full, PS_STORED_JPEG_QUALITY, &job->res->redacted_jpeg,
                          &job->res->redacted_len);
}
