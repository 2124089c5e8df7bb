/* Stage "blur": is the picture sharp where it matters?
 *
 * Sharpness is the variance of the Laplacian, measured on a gray copy
 * resampled to a fixed size (so the score does not depend on the camera's
 * resolution) and divided by the local contrast (so a dim but sharp photo is
 * not called blurry). The frame is cut into tiles and the score is a high
 * percentile of the tile scores: a sharp subject against a defocused
 * background is sharp. When a document was found, its region is scored
 * instead of the whole frame; with no document, the person's face (a
 * selfie's background may be thrown out of focus on purpose). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cv/shim.h"
#include "pipeline/job.h"
#include "prescreen/geom.h"

/* Long side of the normalised copy: the scale at which thresholds hold. */
#define PS_BLUR_NORM_SIDE 800
/* Tiles per long side; a tile of 100 px holds several edges of text. */
#define PS_BLUR_TILES 8
/* The score is this percentile of tile scores. */
#define PS_BLUR_PERCENTILE 0.90
/* Gray-level std-dev below which a tile is flat (no edges to judge focus by). */
#define PS_BLUR_MIN_STD 8.0

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Directional sharpness of one tile: the variances of four second
 * differences (horizontal, vertical, both diagonals), each divided by the
 * tile's intensity variance. Sets *textured when the tile is not flat. */
static void tile_scores(const ps_image *g, ps_box t, double e[4], int *textured)
{
    double s[4] = {0}, s2[4] = {0}, sum = 0, sum2 = 0, n = 0;
    *textured = 0;
    for (int y = t.y + 1; y < t.y + t.h - 1; y++) {
        const uint8_t *u = ps_image_row(g, y - 1), *c = ps_image_row(g, y),
                      *d = ps_image_row(g, y + 1);
        for (int x = t.x + 1; x < t.x + t.w - 1; x++) {
            double cc = 2.0 * c[x];
            double v[4] = {c[x - 1] + c[x + 1] - cc, u[x] + d[x] - cc, u[x - 1] + d[x + 1] - cc,
                           u[x + 1] + d[x - 1] - cc};
            for (int k = 0; k < 4; k++) {
                s[k] += v[k];
                s2[k] += v[k] * v[k];
            }
            sum += c[x];
            sum2 += (double)c[x] * c[x];
            n += 1;
        }
    }
    if (n < 4)
        return;
    {
        double var = sum2 / n - (sum / n) * (sum / n);
        if (var < PS_BLUR_MIN_STD * PS_BLUR_MIN_STD)
            return;
        *textured = 1;
        for (int k = 0; k < 4; k++) {
            double dv = s2[k] / n - (s[k] / n) * (s[k] / n);
            /* the diagonals span sqrt(2) px: scale to the axis step */
            e[k] = (k >= 2 ? 0.5 * dv : dv) / var * 100.0;
        }
    }
}

ps_status ps_stage_blur(ps_ctx *ctx, ps_job *job, ps_report *r)
{
    const ps_policy *p = &ctx->engine->policy;
    ps_image *norm = NULL;
    ps_box roi = {0, 0, job->gray->width, job->gray->height};
    const char *where = "frame";
    double *scores = NULL;
    int n = 0, cap = 0, person = ps_job_person(r);
    ps_status st;

    if (job->has_quad) {
        /* the document: its text is where focus matters, and it has edges
         * in every direction (a face's smooth skin has few) */
        ps_box q = ps_quad_bbox(job->quad_work, job->gray->width, job->gray->height);
        if (q.w >= 32 && q.h >= 32) {
            roi = q;
            where = "document";
        }
    } else if (person >= 0) {
        /* the face with hair and collar: eyes, brows and hairline are its
         * edges in every direction */
        ps_box f = ps_job_to_work(job, r->face.faces[person].box);
        ps_box g = {f.x - f.w / 4, f.y - f.h / 4, f.w + f.w / 2, f.h + f.h / 2};
        g = ps_box_clip(g, job->gray->width, job->gray->height);
        if (g.w >= 32 && g.h >= 32) {
            roi = g;
            where = "face";
        }
    }
    {
        /* Resample the region so that the whole frame would be PS_BLUR_NORM_SIDE. */
        int lw = job->gray->width > job->gray->height ? job->gray->width : job->gray->height;
        double s = (double)PS_BLUR_NORM_SIDE / lw;
        ps_image crop = *job->gray;
        int w, h;
        if (roi.w < 16 || roi.h < 16) {
            roi = (ps_box){0, 0, job->gray->width, job->gray->height};
            where = "frame";
        }
        crop.data = ps_image_row(job->gray, roi.y) + roi.x;
        crop.width = roi.w;
        crop.height = roi.h;
        w = (int)(roi.w * s + 0.5);
        h = (int)(roi.h * s + 0.5);
        if (w < 16 || h < 16 || s >= 1.0) {
            st = ps_image_clone(&crop, &norm);
        } else {
            st = ps_cv_resize(&crop, w, h, &norm);
        }
        if (st != PS_OK)
            return st;
    }
    {
        int lw = norm->width > norm->height ? norm->width : norm->height;
        int ts = lw / PS_BLUR_TILES;
        if (ts < 16)
            ts = 16;
        cap = (norm->width / ts + 1) * (norm->height / ts + 1);
        scores = malloc(sizeof *scores * 4 * (size_t)cap);
        if (scores == NULL) {
            ps_image_free(&norm);
            return PS_E_NOMEM;
        }
        /* Flat tiles (sky, wall, skin) say nothing about focus: skip them. */
        for (int y = 0; y + ts <= norm->height; y += ts)
            for (int x = 0; x + ts <= norm->width; x += ts) {
                int textured = 0;
                double e[4];
                tile_scores(norm, (ps_box){x, y, ts, ts}, e, &textured);
                if (!textured)
                    continue;
                for (int k = 0; k < 4; k++)
                    scores[k * cap + n] = e[k];
                n++;
            }
    }
    /* Per direction, a high percentile over tiles: the sharpest parts of the
     * subject count, whatever the background does. The score is the weakest
     * direction: defocus weakens all four, motion blur the one along the
     * motion (a plain Laplacian misses that), and single straight edges in
     * one tile do not sink the score because other tiles hold other angles. */
    r->blur.score = n > 0 ? 1e300 : 0.0;
    for (int k = 0; k < 4 && n > 0; k++) {
        double v;
        qsort(scores + k * cap, (size_t)n, sizeof *scores, cmp_double);
        v = scores[k * cap + (int)((n - 1) * PS_BLUR_PERCENTILE + 0.5)];
        if (v < r->blur.score)
            r->blur.score = v;
    }
    r->blur.threshold = strcmp(where, "face") == 0 ? p->blur_threshold_face : p->blur_threshold;
    r->blur.pass = r->blur.score >= r->blur.threshold;
    r->blur.done = 1;
    snprintf(r->blur.where, sizeof r->blur.where, "%s", where);
    if (!r->blur.pass)
        ps_report_flag(r, PS_FLAG_BLURRY);
    free(scores);
    ps_image_free(&norm);
    return PS_OK;
}
