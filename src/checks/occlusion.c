/* Stage "occlusion": fingers over the document. Skin blobs that reach onto
 * the card from outside it, calibrated to the person's own skin tone when a
 * face was found, with the card's printed portrait excluded and a thumb on
 * the margin tolerated. */
#include <math.h>

#include "cv/document.h"
#include "pipeline/job.h"
#include "prescreen/geom.h"

int ps_job_portrait_rect(const ps_job *job, const ps_report *r, double left, double above, double width,
                         double height, ps_doc_rect *out)
{
    ps_homography H, inv;
    if (!ps_homography_from_quad(job->quad_work, &H) || !ps_homography_invert(&H, &inv))
        return 0;
    for (int i = 0; i < r->face.count; i++) {
        ps_box b;
        ps_point a, c;
        if (!r->face.faces[i].on_document)
            continue;
        b = ps_job_to_work(job, r->face.faces[i].box);
        a = ps_homography_apply(&inv, (ps_point){b.x, b.y});
        c = ps_homography_apply(&inv, (ps_point){b.x + b.w, b.y + b.h});
        out->x = fmin(a.x, c.x) - left * fabs(c.x - a.x);
        out->y = fmin(a.y, c.y) - above * fabs(c.y - a.y);
        out->w = width * fabs(c.x - a.x);
        out->h = height * fabs(c.y - a.y);
        return 1;
    }
    return 0;
}

ps_status ps_stage_occlusion(ps_ctx *ctx, ps_job *job, ps_report *r)
{
    const ps_policy *p = &ctx->engine->policy;
    ps_occlusion oc;
    ps_doc_rect portrait;
    ps_box face_work, *face = NULL;
    int person = ps_job_person(r);
    ps_status st;

    if (!job->has_quad)
        return PS_OK;
    if (person >= 0) {
        face_work = ps_job_to_work(job, r->face.faces[person].box);
        face = &face_work;
    }
    /* the photo's usual frame round the face: shoulders and head room (a
     * finger over the photo beyond it still counts) */
    st = ps_cv_skin_occlusion(job->dec->work, job->quad_work, face,
                              ps_job_portrait_rect(job, r, 0.35, 0.35, 1.7, 1.9, &portrait) ? &portrait : NULL,
                              -1, &oc);
    if (st != PS_OK)
        return st;
    r->occlusion.done = 1;
    r->occlusion.fraction = oc.fraction;
    r->occlusion.n_regions = oc.n_regions < PS_MAX_REGIONS ? oc.n_regions : PS_MAX_REGIONS;
    for (int i = 0; i < r->occlusion.n_regions; i++)
        r->occlusion.regions[i] = ps_job_to_full(job, oc.regions[i]);
    r->occlusion.pass = !(oc.reaches_content || oc.fraction > p->max_occlusion);
    if (!r->occlusion.pass)
        ps_report_flag(r, PS_FLAG_FINGER_OVER_DOCUMENT);
    return PS_OK;
}
