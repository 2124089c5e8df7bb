/* Stage "redact": the stored image is re-encoded from pixels (no EXIF, no
 * GPS, no thumbnail), and only when it is known to be safe.
 *
 * Fail closed: a kind that can carry a card number, CVV or My Number (credit
 * cards, photo IDs such as the My Number card's back, address proofs such as
 * a 住民票 with 個人番号, and anything uncategorised) is never written until
 * the zones that hold those numbers have been located and masked. Until a
 * masking stage has recorded that it made the image safe, such an upload is
 * quarantined with `redaction_uncertain`. A selfie shows the photo side of
 * the ID, which carries no such number, so it is stored. */
#include <stdlib.h>

#include "pipeline/job.h"

/* Quality of the stored copy: reviewers read small print on it. */
#define PS_STORED_JPEG_QUALITY 90

ps_status ps_stage_redact(ps_ctx *ctx, ps_job *job, ps_report *r)
{
    (void)ctx;
    if (!job->up->want_redacted || job->dec == NULL || job->dec->full == NULL)
        return PS_OK;
    if (job->up->kind != PS_KIND_SELFIE) {
        ps_report_flag(r, PS_FLAG_REDACTION_UNCERTAIN);
        job->res->quarantined = 1;
        return PS_OK;
    }
    return ps_encode_jpeg(job->dec->full, PS_STORED_JPEG_QUALITY, &job->res->redacted_jpeg,
                          &job->res->redacted_len);
}
