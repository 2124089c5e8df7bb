/* Stage "document": where the document is. Finds the quadrilateral on the
 * working copy (src/cv/document.cpp), reports it in full-resolution pixels,
 * marks the faces printed on it, and flags no_document, document_cut_off
 * and document_too_small. */
#include <math.h>
#include <string.h>

#include "cv/document.h"
#include "pipeline/job.h"
#include "prescreen/geom.h"

/* A selfie's holder's face is at least this share of the frame's short
 * side (at arm's length 20-40%); the portrait on the card they hold is
 * a quarter of their face, under 10%. */
#define PS_HOLDER_FACE_SHARE 0.12
/* Largest printed portrait face box, as a share of the document's short
 * side: the photo is ~55% of an ID-1 card's height and the detector's box
 * can fill most of it (0.51 measured on a generated My Number card). */
#define PS_PORTRAIT_MAX_SHARE 0.6

/* A card scanned, or photographed and cropped to its edges, shows no
 * outline: the frame is the card. Taken so when nothing document-sized was
 * found, the upload is a card or photo ID, and the frame's long/short ratio is within
 * this share of the document's (scans cropped by hand measured 1.545-1.59
 * for ID-1's 1.586; a 3:2 camera frame is 5.4 % off, 4:3 and 16:9 further). */
#define PS_FRAME_ASPECT_TOL 0.04
/* An outline found inside a card-shaped frame and under this share of it
 * is a part of the card (measured 0.02-0.04 on the shared card scans: a
 * chip, a logo); a card photographed with room around it and cropped to
 * the card's shape would fill well over half. */
#define PS_FRAME_PART_MAX 0.25
/* An outline over this share of a card-shaped frame is the card's own edge
 * inside a scan's margin (0.75-0.96 on the shared card scans): kept, and
 * the frame still counts as the card for redaction's trust in zones. */
#define PS_FRAME_FILL 0.7
/* The confidence reported for such a frame: above the finder's floor, below
 * any outline it found itself. */
#define PS_FRAME_DOC_CONF 0.5

/* 1 when the w x h frame is the document (see above); *f then holds the
 * frame as the outline, or keeps the card's edge that fills it. */
static int frame_is_document(const ps_job *job, int w, int h, ps_doc_found *f)
{
    int fills = f->found && f->area_fraction >= PS_FRAME_FILL;
    if (f->found && !fills && f->area_fraction >= PS_FRAME_PART_MAX)
        return 0; /* an outline of a card's size inside the frame: a photo */
    static const struct { unsigned shape; double aspect; } shapes[] = {
        {PS_DOC_ID1, 85.60 / 53.98}, /* ISO/IEC 7810 ID-1 */
        {PS_DOC_TD3, 125.0 / 88.0},  /* passport data page */
    };
    ps_kind k = job->up->kind;
    if (k != PS_KIND_CREDIT_CARD && k != PS_KIND_PHOTO_ID)
        return 0;
    double a = w >= h ? (double)w / h : (double)h / w;
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        if (k == PS_KIND_CREDIT_CARD && shapes[i].shape != PS_DOC_ID1)
            continue;
        if (fabs(a / shapes[i].aspect - 1) > PS_FRAME_ASPECT_TOL)
            continue;
        if (fills)
            return 1; /* the outline found is the card's own edge */
        /* TL->TR along the long side (a portrait frame: up its left edge) */
        const ps_point land[4] = {{0, 0}, {w, 0}, {w, h}, {0, h}};
        const ps_point port[4] = {{0, h}, {0, 0}, {w, 0}, {w, h}};
        memcpy(f->quad, w >= h ? land : port, sizeof f->quad);
        f->found = 1;
        f->confidence = PS_FRAME_DOC_CONF;
        f->shape = shapes[i].shape;
        f->aspect = a;
        f->cut_off = 0;
        f->visible_fraction = 1;
        f->area_fraction = 1;
        f->count = 1;
        return 1;
    }
    return 0;
}

/* The w x h rendering of a PDF page as the outline of paper: TL->TR along
 * the short side, as the finder orders paper. */
static void pdf_page_is_document(int w, int h, ps_doc_found *f)
{
    const ps_point port[4] = {{0, 0}, {w, 0}, {w, h}, {0, h}};
    const ps_point land[4] = {{0, h}, {0, 0}, {w, 0}, {w, h}};
    memset(f, 0, sizeof *f);
    memcpy(f->quad, w <= h ? port : land, sizeof f->quad);
    f->found = 1;
    f->confidence = 1;
    f->shape = PS_DOC_PAPER;
    f->aspect = w >= h ? (double)w / h : (double)h / w;
    f->visible_fraction = 1;
    f->area_fraction = 1;
    f->count = 1;
}

ps_status ps_stage_document(ps_ctx *ctx, ps_job *job, ps_report *r)
{
    const ps_policy *p = &ctx->engine->policy;
    ps_doc_hint hint = ps_doc_hint_for_kind(ps_kind_name(job->up->kind));
    ps_doc_found f;
    ps_status st;
    int frame_short = r->image.width < r->image.height ? r->image.width : r->image.height;

    /* the faces found so far are heads, not cards: outlines around them
     * lose. In a selfie, a face too big to be a held card's portrait is a
     * holder's: no outline may hold it (they go first, see ps_doc_hint). */
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < r->face.count && hint.n_exclude_faces < PS_DOC_MAX_FACES; i++) {
            int holder = job->up->kind == PS_KIND_SELFIE &&
                         r->face.faces[i].box.w >= PS_HOLDER_FACE_SHARE * frame_short;
            if (holder == (pass == 0))
                hint.exclude_faces[hint.n_exclude_faces++] = ps_job_to_work(job, r->face.faces[i].box);
        }
        if (pass == 0)
            hint.n_holder_faces = hint.n_exclude_faces;
    }
    if (job->is_pdf) {
        /* a PDF's rendered page is the document, edge to edge: a ruled
         * table on it is no outline to look for */
        pdf_page_is_document(job->dec->work->width, job->dec->work->height, &f);
        r->document.whole_frame = 1;
    } else {
        st = ps_cv_find_document(job->dec->work, &hint, &f);
        if (st != PS_OK)
            return st;
        /* nothing, or only a part of the card (its chip, a logo, the
         * number's box, a face), or the card's own edge: a card-shaped
         * frame is the card */
        r->document.whole_frame =
            frame_is_document(job, job->dec->work->width, job->dec->work->height, &f);
    }
    r->document.done = 1;
    r->document.found = f.found;
    r->document.candidates = f.count;
    r->document.confidence = f.confidence;
    if (!f.found) {
        r->document.pass = 0;
        /* A paper proof may fill the frame edge to edge: no outline to find
         * is normal there, so only cards are flagged. */
        if (job->up->kind != PS_KIND_ADDRESS_PROOF)
            ps_report_flag(r, PS_FLAG_NO_DOCUMENT);
        return PS_OK;
    }
    memcpy(job->quad_work, f.quad, sizeof job->quad_work);
    job->has_quad = 1;
    job->doc_shape = f.shape;
    ps_quad_scale(f.quad, 1.0 / job->scale, r->document.quad);
    r->document.in_frame = !f.cut_off;
    r->document.area_fraction = f.area_fraction;
    r->document.pass = 1;
    if (f.cut_off) {
        ps_report_flag(r, PS_FLAG_DOCUMENT_CUT_OFF);
        r->document.pass = 0;
    }
    if (f.area_fraction <
        (job->up->kind == PS_KIND_SELFIE ? p->min_selfie_document_area : p->min_document_area)) {
        ps_report_flag(r, PS_FLAG_DOCUMENT_TOO_SMALL);
        r->document.pass = 0;
    }
    /* the printed portrait is small: look for it on the card itself */
    if (r->face.done) {
        ps_box c = ps_quad_bbox(f.quad, job->dec->work->width, job->dec->work->height);
        int mx = c.w / 10, my = c.h / 10; /* the outline may cut the photo's edge */
        st = ps_job_find_portraits(ctx, job, r, (ps_box){c.x - mx, c.y - my, c.w + 2 * mx, c.h + 2 * my});
        if (st != PS_OK)
            return st;
    }
    /* A face whose centre lies on the card, and that is small enough to be
     * printed on it, is the card's portrait; a bigger face "on" the outline
     * is the person in front of it. */
    {
        double short_side = 1e18;
        for (int i = 0; i < 4; i++) {
            const ps_point *a = &r->document.quad[i], *b = &r->document.quad[(i + 1) % 4];
            double len = hypot(b->x - a->x, b->y - a->y);
            if (len < short_side)
                short_side = len;
        }
        for (int i = 0; i < r->face.count; i++) {
            ps_box b = r->face.faces[i].box;
            ps_point c = {b.x + b.w / 2.0, b.y + b.h / 2.0};
            if (ps_point_in_quad(r->document.quad, c) && b.w <= PS_PORTRAIT_MAX_SHARE * short_side)
                r->face.faces[i].on_document = 1;
        }
    }
    return PS_OK;
}
