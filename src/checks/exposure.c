/* Stage "exposure": too dark or burnt out.
 *
 * Darkness is judged on what the reviewer must see first: the person's
 * face in a selfie (a white wall behind a well-lit face is fine), else the
 * whole working copy.
 *
 * Burnt out is judged where detail can be lost: the face in a selfie, the
 * document's outline on other uploads, else the frame. White paper is
 * often rendered at or near the clip on its own, so a large clipped
 * fraction alone is no proof: what overexposure leaves behind is a
 * truncated histogram. In a photo whose highlights are intact the
 * brightest tones fall off gradually (lighting falloff across the page,
 * paper texture, pale tints, sensor noise), so the band just below the
 * clip (the "shoulder") holds a real share of them; once the exposure
 * pushed the page past the clip, the shoulder is empty and everything
 * bright sits at the clip (docs/geometry.md, "Exposure, round 10"). */
#include <stdio.h>

#include "pipeline/job.h"
#include "prescreen/geom.h"

/* Luma at or above this is clipped white (sensor saturation after JPEG). */
#define PS_CLIP_HIGH 250
/* The shoulder under the clip: ten levels, above the whitest unclipped
 * paper of a well-exposed page and below JPEG ringing around the clip. */
#define PS_SHOULDER_LOW 240
/* Luma at or below this carries no readable detail. */
#define PS_CLIP_LOW 10

typedef struct {
    uint64_t hist[256];
    uint64_t n;
} lum_hist;

static void hist_box(const ps_image *g, ps_box b, lum_hist *h)
{
    for (int y = b.y; y < b.y + b.h; y++) {
        const uint8_t *row = ps_image_row(g, y);
        for (int x = b.x; x < b.x + b.w; x++)
            h->hist[row[x]]++;
    }
    h->n += (uint64_t)b.w * (uint64_t)b.h;
}

/* Pixels inside the convex quad only, every other row and column: the
 * histogram's shares need no more than a quarter of a document's pixels. */
static void hist_quad(const ps_image *g, const ps_point q[4], lum_hist *h)
{
    ps_box b = ps_quad_bbox(q, g->width, g->height);
    for (int y = b.y; y < b.y + b.h; y += 2) {
        const uint8_t *row = ps_image_row(g, y);
        for (int x = b.x; x < b.x + b.w; x += 2)
            if (ps_point_in_quad(q, (ps_point){x + 0.5, y + 0.5})) {
                h->hist[row[x]]++;
                h->n++;
            }
    }
}

static uint64_t count_range(const lum_hist *h, int lo, int hi)
{
    uint64_t c = 0;
    for (int v = lo; v <= hi; v++)
        c += h->hist[v];
    return c;
}

ps_status ps_stage_exposure(ps_ctx *ctx, ps_job *job, ps_report *r)
{
    const ps_policy *p = &ctx->engine->policy;
    const ps_image *g = job->gray;
    static const lum_hist zero;
    lum_hist dark = zero, light = zero;
    uint64_t sum = 0, acc = 0;
    int p95 = 255;
    ps_box frame = {0, 0, g->width, g->height}, roi = frame;
    const char *region = "frame";

    if (job->up->kind == PS_KIND_SELFIE && r->face.done && ps_job_person(r) >= 0) {
        ps_box f = ps_job_to_work(job, r->face.faces[ps_job_person(r)].box);
        /* the face box without its outer tenth (hair and background) */
        roi.x = f.x + f.w / 10;
        roi.y = f.y + f.h / 10;
        roi.w = f.w * 8 / 10;
        roi.h = f.h * 8 / 10;
        roi = ps_box_clip(roi, g->width, g->height);
        if (roi.w < 4 || roi.h < 4)
            roi = frame;
        else
            region = "face";
    }
    hist_box(g, roi, &dark);
    if (dark.n == 0)
        return PS_OK;
    if (job->up->kind != PS_KIND_SELFIE && job->has_quad)
        hist_quad(g, job->quad_work, &light);
    /* a sliver of an outline is no sample of the page */
    if (light.n >= 256) {
        region = "document";
    } else {
        light = dark; /* the same region: no second pass */
    }
    for (int v = 0; v < 256; v++)
        sum += dark.hist[v] * (uint64_t)v;
    for (int v = 0; v < 256; v++) {
        acc += dark.hist[v];
        if (acc * 100 >= dark.n * 95) {
            p95 = v;
            break;
        }
    }
    r->exposure.mean = (double)sum / (double)dark.n / 255.0;
    r->exposure.dark_fraction = (double)count_range(&dark, 0, PS_CLIP_LOW) / (double)dark.n;
    {
        uint64_t clip = count_range(&light, PS_CLIP_HIGH, 255);
        uint64_t shoulder = count_range(&light, PS_SHOULDER_LOW, PS_CLIP_HIGH - 1);
        r->exposure.clipped_fraction = (double)clip / (double)light.n;
        r->exposure.shoulder_share = clip + shoulder ? (double)shoulder / (double)(clip + shoulder) : 1.0;
        snprintf(r->exposure.region, sizeof r->exposure.region, "%s", region);
    }
    r->exposure.done = 1;
    r->exposure.pass = 1;
    if (r->exposure.mean < p->dark_mean || p95 / 255.0 < p->dark_p95) {
        ps_report_flag(r, PS_FLAG_TOO_DARK);
        r->exposure.pass = 0;
    }
    if ((r->exposure.clipped_fraction > p->overexposed_clipped &&
         r->exposure.shoulder_share < p->overexposed_shoulder) ||
        r->exposure.mean > p->overexposed_mean) {
        ps_report_flag(r, PS_FLAG_OVEREXPOSED);
        r->exposure.pass = 0;
    }
    return PS_OK;
}
