/* Stage "digital": an address proof must be a photo of paper, not a
 * screenshot or a PDF (SPEC §1). A PDF is caught by the decoder. A
 * screenshot is a lossless image (PNG or WebP) whose flat areas are exactly
 * flat: a camera's sensor noise leaves almost no two neighbouring pixels
 * equal, while a rendered page has most of them equal. */
#include "pipeline/job.h"

/* Share of horizontally equal neighbours above which an image is a render:
 * rendered pages measure 0.6-0.95; phone photos, even of white paper, stay
 * under 0.3 because of sensor noise and demosaicing. */
#define PS_DIGITAL_FLAT_SHARE 0.5

ps_status ps_stage_digital(ps_ctx *ctx, ps_job *job, ps_report *r)
{
    const ps_image *g = job->gray;
    uint64_t same = 0, total = 0;
    (void)ctx;
    if (job->is_pdf || (r->image.format != PS_FMT_PNG && r->image.format != PS_FMT_WEBP))
        return PS_OK;
    for (int y = 0; y < g->height; y++) {
        const uint8_t *row = ps_image_row(g, y);
        for (int x = 1; x < g->width; x++)
            same += row[x] == row[x - 1];
        total += (uint64_t)(g->width - 1);
    }
    if (total > 0 && (double)same / (double)total > PS_DIGITAL_FLAT_SHARE)
        ps_report_flag(r, PS_FLAG_DIGITAL_DOCUMENT);
    return PS_OK;
}
