/* Stage "exposure": too dark or burnt out, from the luma histogram of what
 * matters: the person's face in a selfie (a white wall behind a well-lit face
 * is fine), else the whole working copy. */
#include "pipeline/job.h"
#include "prescreen/geom.h"

/* Luma at or above this is clipped white (sensor saturation after JPEG). */
#define PS_CLIP_HIGH 250
/* Luma at or below this carries no readable detail. */
#define PS_CLIP_LOW 10

ps_status ps_stage_exposure(ps_ctx *ctx, ps_job *job, ps_report *r)
{
    const ps_policy *p = &ctx->engine->policy;
    const ps_image *g = job->gray;
    uint64_t hist[256] = {0}, n = 0, sum = 0, acc = 0;
    int p95 = 255;
    ps_box roi = {0, 0, g->width, g->height};

    if (job->up->kind == PS_KIND_SELFIE && r->face.done && ps_job_person(r) >= 0) {
        ps_box f = ps_job_to_work(job, r->face.faces[ps_job_person(r)].box);
        /* the face box without its outer tenth (hair and background) */
        roi.x = f.x + f.w / 10;
        roi.y = f.y + f.h / 10;
        roi.w = f.w * 8 / 10;
        roi.h = f.h * 8 / 10;
        roi = ps_box_clip(roi, g->width, g->height);
        if (roi.w < 4 || roi.h < 4)
            roi = (ps_box){0, 0, g->width, g->height};
    }
    for (int y = roi.y; y < roi.y + roi.h; y++) {
        const uint8_t *row = ps_image_row(g, y);
        for (int x = roi.x; x < roi.x + roi.w; x++)
            hist[row[x]]++;
    }
    for (int v = 0; v < 256; v++) {
        n += hist[v];
        sum += hist[v] * (uint64_t)v;
    }
    for (int v = 0; v < 256; v++) {
        acc += hist[v];
        if (acc * 100 >= n * 95) {
            p95 = v;
            break;
        }
    }
    {
        uint64_t hi = 0, lo = 0;
        for (int v = PS_CLIP_HIGH; v < 256; v++)
            hi += hist[v];
        for (int v = 0; v <= PS_CLIP_LOW; v++)
            lo += hist[v];
        r->exposure.mean = (double)sum / (double)n / 255.0;
        r->exposure.clipped_fraction = (double)hi / (double)n;
        r->exposure.dark_fraction = (double)lo / (double)n;
    }
    r->exposure.done = 1;
    r->exposure.pass = 1;
    if (r->exposure.mean < p->dark_mean || p95 / 255.0 < p->dark_p95) {
        ps_report_flag(r, PS_FLAG_TOO_DARK);
        r->exposure.pass = 0;
    }
    if (r->exposure.clipped_fraction > p->overexposed_clipped || r->exposure.mean > p->overexposed_mean) {
        ps_report_flag(r, PS_FLAG_OVEREXPOSED);
        r->exposure.pass = 0;
    }
    return PS_OK;
}
