/* Stage "face": every face in the picture — the customer's in a selfie, the
 * portrait printed on a photo ID — in full-resolution upright pixels. The
 * people stage turns them into flags once the document is known. */
#include "cv/face.h"
#include "pipeline/job.h"

/* Smallest face looked for, in working-copy pixels: 60 px at full size in a
 * 12-MP photo is ~15 px here, and the detectors bottom out near 20. */
#define PS_FACE_MIN_WORK_PX 20

ps_status ps_stage_face(ps_ctx *ctx, ps_job *job, ps_report *r)
{
    const ps_policy *p = &ctx->engine->policy;
    ps_face found[PS_MAX_FACES];
    int n = 0;
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
    }
    r->face.pass = r->face.count > 0; /* the people stage decides, once the document is known */
    return PS_OK;
}
