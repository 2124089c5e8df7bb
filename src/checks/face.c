/* Stage "face": the customer's face in a selfie, the portrait on a photo ID.
 * Boxes go to the report in full-resolution upright pixels. */
#include "cv/face.h"
#include "pipeline/job.h"

/* Smallest face looked for, in working-copy pixels: 60 px at full size in a
 * 12-MP photo is ~15 px here, and the detectors bottom out near 20. */
#define PS_FACE_MIN_WORK_PX 20

static int area(ps_box b)
{
    return b.w * b.h;
}

ps_status ps_stage_face(ps_ctx *ctx, ps_job *job, ps_report *r)
{
    const ps_policy *p = &ctx->engine->policy;
    ps_face found[PS_MAX_FACES];
    int n = 0, largest = -1;
    ps_status st;

    st = ps_cv_faces_detect(ctx->faces, job->dec->work, PS_FACE_MIN_WORK_PX, found,
                            PS_MAX_FACES, &n);
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
        f->on_document = 0; /* set by the document stage when the box lies on the card */
        if (largest < 0 || area(f->box) > area(r->face.faces[largest].box))
            largest = r->face.count - 1;
    }
    r->face.pass = r->face.count > 0;
    if (r->face.count == 0) {
        ps_report_flag(r, PS_FLAG_NO_FACE);
        return PS_OK;
    }
    if (job->up->kind != PS_KIND_SELFIE)
        return PS_OK;
    {
        /* The person is the largest face; a box touching the frame's edge
         * (boxes are clipped to the image) is a face cut off. */
        ps_box b = r->face.faces[largest].box;
        int mx = (int)(p->face_edge_margin * r->image.width);
        int my = (int)(p->face_edge_margin * r->image.height);
        if (b.x <= mx || b.y <= my || b.x + b.w >= r->image.width - mx ||
            b.y + b.h >= r->image.height - my) {
            ps_report_flag(r, PS_FLAG_FACE_CUT_OFF);
            r->face.pass = 0;
        }
        /* Another face nearly as big as the person's is another person; the
         * portrait printed on the held card is much smaller. */
        for (int i = 0; i < r->face.count; i++) {
            ps_box o = r->face.faces[i].box;
            if (i == largest || r->face.faces[i].on_document)
                continue;
            if (o.w >= p->second_person_ratio * b.w) {
                ps_report_flag(r, PS_FLAG_MULTIPLE_PEOPLE);
                r->face.pass = 0;
                break;
            }
        }
    }
    return PS_OK;
}
