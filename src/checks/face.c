/* Stage "face": every face in the picture — the customer's in a selfie, the
 * portrait printed on a photo ID — in full-resolution upright pixels. The
 * people stage turns them into flags once the document is known. */
#include "cv/face.h"
#include "pipeline/job.h"
#include "prescreen/geom.h"

/* Smallest face looked for in the whole frame, as a share of the working
 * copy's long side. The customer's own face in a selfie is far larger, and
 * a face this big needs one detector pass, not a tiled search; the small
 * portrait printed on the card is searched for on the card itself by the
 * document stage (ps_job_find_portraits). */
#define PS_FACE_MIN_SHARE 0.065
/* Floor for the portrait search on the card crop (detector limit ~16-20). */
#define PS_PORTRAIT_MIN_PX 16
/* ... and as a share of the crop's short side: a card's portrait spans
 * 0.25-0.5 of the card's short side, the crop (the outline's box and a
 * margin) ~1.2-1.7 of it. The smallest measured was 0.05, inside outlines
 * several times the card's size (sf_n and rd5_n photo IDs, 86 portraits).
 * On a card filling the frame the search for 16-px faces tiled the crop at
 * two levels (13 detector runs, 100-300 ms); this floor needs one or none. */
#define PS_PORTRAIT_MIN_SHARE 0.04

ps_status ps_stage_face(ps_ctx *ctx, ps_job *job, ps_report *r)
{
    const ps_policy *p = &ctx->engine->policy;
    ps_face found[PS_MAX_FACES];
    int n = 0;
    ps_status st;

    const ps_image *w = job->dec->work;
    int min_px = (int)((w->width > w->height ? w->width : w->height) * PS_FACE_MIN_SHARE);

    /* only a selfie is judged on a face cut by the frame (face_cut_off):
     * the padded pass costs two more detector runs, not spent elsewhere */
    st = job->up->kind == PS_KIND_SELFIE
             ? ps_cv_faces_detect_frame(ctx->faces, w, min_px, found, PS_MAX_FACES, &n)
             : ps_cv_faces_detect(ctx->faces, w, min_px, found, PS_MAX_FACES, &n);
    if (st != PS_OK)
        return st;
    r->face.done = 1;
    r->face.count = 0;
    for (int i = 0; i < n; i++) {
        ps_face_found *f;
        if (found[i].score < p->face_min_score)
            continue;
        f = &r->face.faces[r->face.count++];
        f->box = ps_job_to_full(job, found[i].box);
        f->score = found[i].score;
        f->cut_off = found[i].cut_off;
        f->on_document = 0; /* set by the document stage when the box lies on the card */
    }
    r->face.pass = r->face.count > 0; /* the people stage decides, once the document is known */
    return PS_OK;
}

ps_status ps_job_find_portraits(ps_ctx *ctx, ps_job *job, ps_report *r, ps_box crop)
{
    const ps_image *w = job->dec->work;
    ps_image view;
    ps_face found[PS_MAX_FACES];
    int n = 0, min_px;
    ps_status st;

    crop = ps_box_clip(crop, w->width, w->height);
    if (crop.w < 32 || crop.h < 32)
        return PS_OK;
    /* a view into the working copy: no copy, not owned */
    view = *w;
    view.width = crop.w;
    view.height = crop.h;
    view.data = ps_image_row(w, crop.y) + (size_t)crop.x * (size_t)w->channels;
    min_px = (int)(PS_PORTRAIT_MIN_SHARE * (crop.w < crop.h ? crop.w : crop.h));
    if (min_px < PS_PORTRAIT_MIN_PX)
        min_px = PS_PORTRAIT_MIN_PX;
    st = ps_cv_faces_detect(ctx->faces, &view, min_px, found, PS_MAX_FACES, &n);
    if (st != PS_OK)
        return st;
    for (int i = 0; i < n && r->face.count < PS_MAX_FACES; i++) {
        ps_box b = found[i].box;
        int dup = 0;
        b.x += crop.x;
        b.y += crop.y;
        b = ps_job_to_full(job, b);
        for (int k = 0; k < r->face.count; k++)
            dup |= ps_box_iou(b, r->face.faces[k].box) > 0.3;
        if (dup || found[i].score < ctx->engine->policy.face_min_score)
            continue;
        r->face.faces[r->face.count].box = b;
        r->face.faces[r->face.count].score = found[i].score;
        r->face.faces[r->face.count].on_document = 0;
        r->face.faces[r->face.count].cut_off = 0; /* a crop's edge is not the frame's */
        r->face.count++;
    }
    return PS_OK;
}
