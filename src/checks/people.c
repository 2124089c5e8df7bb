/* Stage "people": who is in the picture, once faces and the document are
 * known. The person is the largest face not printed on the document. Flags
 * no_face, face_cut_off, multiple_people and, for selfies, how far the card
 * is from the face (face_document_apart). */
#include <math.h>

#include "pipeline/job.h"

/* Index of the largest face not on the document, or -1. */
int ps_job_person(const ps_report *r)
{
    int best = -1;
    for (int i = 0; i < r->face.count; i++) {
        const ps_face_found *f = &r->face.faces[i];
        if (f->on_document)
            continue;
        if (best < 0 || f->box.w * f->box.h > r->face.faces[best].box.w * r->face.faces[best].box.h)
            best = i;
    }
    return best;
}

ps_status ps_stage_people(ps_ctx *ctx, ps_job *job, ps_report *r)
{
    const ps_policy *p = &ctx->engine->policy;
    int person;
    ps_box b;

    if (!r->face.done)
        return PS_OK;
    if (job->up->kind == PS_KIND_PHOTO_ID) {
        /* a photo ID must carry a portrait (found on or off the outline) */
        r->face.pass = r->face.count > 0;
        if (r->face.count == 0)
            ps_report_flag(r, PS_FLAG_NO_FACE);
        return PS_OK;
    }
    person = ps_job_person(r);
    r->face.pass = person >= 0;
    if (person < 0) {
        ps_report_flag(r, PS_FLAG_NO_FACE);
        return PS_OK;
    }
    b = r->face.faces[person].box;
    {
        /* boxes are clipped to the image: one touching the edge is cut off */
        int mx = (int)(p->face_edge_margin * r->image.width);
        int my = (int)(p->face_edge_margin * r->image.height);
        if (r->face.faces[person].cut_off || b.x <= mx || b.y <= my ||
            b.x + b.w >= r->image.width - mx || b.y + b.h >= r->image.height - my) {
            ps_report_flag(r, PS_FLAG_FACE_CUT_OFF);
            r->face.pass = 0;
        }
    }
    for (int i = 0; i < r->face.count; i++) {
        const ps_face_found *o = &r->face.faces[i];
        /* a second face nearly as big as the person's is another person; the
         * portrait on a held card is a quarter of the holder's face */
        if (i != person && !o->on_document && o->box.w >= p->second_person_ratio * b.w) {
            ps_report_flag(r, PS_FLAG_MULTIPLE_PEOPLE);
            r->face.pass = 0;
            break;
        }
    }
    /* a clipped face box has no true width or centre: the distance in face
     * widths cannot be judged, and face_cut_off already asks for a retake */
    if (r->document.done && r->document.found && !ps_report_has(r, PS_FLAG_FACE_CUT_OFF)) {
        ps_point c = {0, 0};
        double fx = b.x + b.w / 2.0, fy = b.y + b.h / 2.0, d;
        for (int i = 0; i < 4; i++) {
            c.x += r->document.quad[i].x / 4;
            c.y += r->document.quad[i].y / 4;
        }
        d = hypot(c.x - fx, c.y - fy) / (b.w > 0 ? b.w : 1);
        r->proximity.done = 1;
        r->proximity.distance_faces = d;
        r->proximity.pass = d <= p->max_face_document_distance;
        if (!r->proximity.pass)
            ps_report_flag(r, PS_FLAG_FACE_DOCUMENT_APART);
    }
    return PS_OK;
}
