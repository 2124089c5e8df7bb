/* prescreen-gen — one labelled upload: pick a scenario from (seed, index),
 * build the scene, apply the phone's faults, write the SPEC §5 label.
 *
 * Every random choice comes from one gen_rng seeded with (seed, index), in a
 * fixed order, so image N is the same whatever the thread count. */
#include "gen.h"
#include "gen_scene.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_FLAGS = 24, MAX_FACE_BOXES = 4, MAX_OCC = 4 };

typedef struct flagset {
    const char *v[MAX_FLAGS];
    int n;
} flagset;

static void fadd(flagset *f, const char *name)
{
    for (int i = 0; i < f->n; i++)
        if (!strcmp(f->v[i], name))
            return;
    if (f->n < MAX_FLAGS)
        f->v[f->n++] = name;
}

static void fdel(flagset *f, const char *name)
{
    for (int i = 0; i < f->n; i++)
        if (!strcmp(f->v[i], name)) {
            f->v[i] = f->v[--f->n];
            return;
        }
}

static int fhas(const flagset *f, const char *name)
{
    for (int i = 0; i < f->n; i++)
        if (!strcmp(f->v[i], name))
            return 1;
    return 0;
}

/* Everything decided about one image before drawing. */
typedef struct scen {
    const char *kind, *side, *variant;
    gen_docspec spec;
    int has_doc;
    gen_person applicant;
    int card_deposit;
    flagset expect, forbid;
    /* conditions */
    int selfie, cut, small, finger, thumb, blur, motion, glare, dark, bright;
    int face_cut, far, two, no_card, no_face;
    int screenshot, pdf;
} scen;

/* ---- scenario choice ----------------------------------------------------- */

static gen_date random_now(gen_rng *r)
{
    /* uploads happen between 2025-01-01 and 2026-12-31 */
    return gen_date_add((gen_date){2025, 1, 1}, gen_rng_int(r, 0, 729));
}

static void id_dates(gen_rng *r, scen *s, int expired)
{
    gen_docspec *d = &s->spec;
    long now = gen_date_days(d->now);
    int life = 5 * 365; /* licences and residence cards: up to 5 years */
    if (d->type == GEN_MYNUMBER)
        life = 3652; /* 10 years for adults */
    if (d->type == GEN_PASSPORT)
        life = gen_rng_chance(r, 0.5) ? 3652 : 1826;
    if (d->type == GEN_RESIDENCE)
        life = 365 * gen_rng_int(r, 1, 5);
    if (expired)
        d->expiry = gen_date_from_days(now - gen_rng_int(r, 30, 1200));
    else
        d->expiry = gen_date_from_days(now + gen_rng_int(r, 60, life - 40));
    d->issue = gen_date_from_days(gen_date_days(d->expiry) - life + gen_rng_int(r, 0, 40));
    if (gen_date_days(d->issue) > now - 10)
        d->issue = gen_date_from_days(now - gen_rng_int(r, 10, 60));
    if (d->type == GEN_NOTIFICATION) /* notification cards: Oct 2015 to May 2020 */
        d->issue = gen_date_add((gen_date){2015, 10, 5}, gen_rng_int(r, 0, 1680));
}

static void choose_photo_doc(gen_rng *r, scen *s, int for_selfie)
{
    static const gen_doctype ids[] = {GEN_DL, GEN_DL, GEN_MYNUMBER, GEN_MYNUMBER, GEN_RESIDENCE,
                                      GEN_PASSPORT, GEN_NOTIFICATION};
    static const gen_doctype selfie_ids[] = {GEN_DL, GEN_DL, GEN_MYNUMBER, GEN_RESIDENCE};
    gen_doctype t = for_selfie ? selfie_ids[gen_rng_int(r, 0, 3)] : ids[gen_rng_int(r, 0, 6)];
    s->spec.type = t;
    s->spec.back = (!for_selfie && t == GEN_MYNUMBER && gen_rng_chance(r, 0.4));
    s->side = (t == GEN_DL || t == GEN_MYNUMBER || t == GEN_RESIDENCE) ? (s->spec.back ? "back" : "front") : NULL;
}

/* Variant number v of n: random, or with --cycle the index walks them all. */
static int pick_variant(gen_rng *r, const gen_opts *o, long index, int n)
{
    int v = gen_rng_int(r, 0, n - 1); /* always drawn, so the stream stays aligned */
    return o->cycle ? (int)((o->set == GEN_SET_ALL ? index / 4 : index) % n) : v;
}

static void choose(gen_rng *r, const gen_opts *o, long index, scen *s)
{
    gen_set set = o->set;
    if (set == GEN_SET_ALL) {
        double u = gen_rng_unit(r);
        set = u < 0.3 ? GEN_SET_SELFIE : u < 0.6 ? GEN_SET_PHOTO_ID : u < 0.8 ? GEN_SET_CREDIT : GEN_SET_ADDRESS;
        if (o->cycle) {
            static const gen_set order[4] = {GEN_SET_SELFIE, GEN_SET_PHOTO_ID, GEN_SET_CREDIT, GEN_SET_ADDRESS};
            set = order[index % 4];
        }
    }
    s->spec.now = random_now(r);
    s->spec.variant = gen_rng_int(r, 0, 1 << 20);
    s->has_doc = 1;
    if (set == GEN_SET_SELFIE) {
        static const char *vs[] = {"clean", "clean", "card_cut", "face_cut", "finger", "blur",
                                   "far", "two_people", "no_card", "no_face"};
        s->kind = "selfie";
        s->selfie = 1;
        s->variant = vs[pick_variant(r, o, index, 10)];
        choose_photo_doc(r, s, 1);
        s->side = NULL;
        id_dates(r, s, 0);
    } else if (set == GEN_SET_PHOTO_ID) {
        static const char *vs[] = {"clean", "clean", "expired", "blur", "glare", "cut", "small",
                                   "dark", "bright", "finger", "name_mismatch", "birth_mismatch"};
        s->kind = "photo_id";
        s->variant = vs[pick_variant(r, o, index, 12)];
        choose_photo_doc(r, s, 0);
        if (!strcmp(s->variant, "expired") && s->spec.back) { /* the expiry is on the front */
            s->spec.back = 0;
            s->side = "front";
        }
        id_dates(r, s, !strcmp(s->variant, "expired"));
    } else if (set == GEN_SET_CREDIT) {
        static const char *vs[] = {"clean", "clean", "family", "blur", "glare", "cut"};
        s->kind = "credit_card";
        s->variant = vs[pick_variant(r, o, index, 6)];
        s->spec.type = GEN_CREDIT;
        s->spec.back = gen_rng_chance(r, 0.35) && (s->spec.variant % 4) != 3; /* no Amex backs */
        s->side = s->spec.back ? "back" : "front";
        s->spec.expiry = gen_date_add(s->spec.now, gen_rng_int(r, 60, 1800));
        s->spec.issue = gen_date_add(s->spec.expiry, -1826);
    } else {
        static const char *vs[] = {"clean", "clean", "too_old", "address_mismatch", "name_mismatch",
                                   "screenshot", "pdf", "clean"};
        static const gen_doctype ts[] = {GEN_JUMINHYO, GEN_JUMINHYO, GEN_MAIL, GEN_UTILITY, GEN_HEALTH};
        s->kind = "address_proof";
        s->variant = vs[pick_variant(r, o, index, 8)];
        s->spec.type = ts[gen_rng_int(r, 0, 4)];
        if (!strcmp(s->variant, "screenshot") || !strcmp(s->variant, "pdf"))
            s->spec.type = gen_rng_chance(r, 0.5) ? GEN_UTILITY : GEN_JUMINHYO;
        if (s->spec.type == GEN_HEALTH && !strcmp(s->variant, "too_old"))
            s->variant = "clean"; /* an insurance card has no issue-age limit */
        long now = gen_date_days(s->spec.now);
        int old = !strcmp(s->variant, "too_old");
        int limit = s->spec.type == GEN_MAIL ? 90 : 180;
        s->spec.issue = gen_date_from_days(old ? now - gen_rng_int(r, limit + 20, limit + 500)
                                               : now - gen_rng_int(r, 1, limit - 15));
        if (s->spec.type == GEN_HEALTH) {
            s->spec.issue = gen_date_from_days(now - gen_rng_int(r, 30, 2000));
            s->spec.expiry = gen_date_from_days(now + gen_rng_int(r, 30, 360));
            s->side = "front";
        }
        s->spec.with_mynumber = s->spec.type == GEN_JUMINHYO && gen_rng_chance(r, 0.35);
        s->spec.with_resident_code = s->spec.type == GEN_JUMINHYO && gen_rng_chance(r, 0.35);
        s->screenshot = !strcmp(s->variant, "screenshot");
        s->pdf = !strcmp(s->variant, "pdf");
    }
    gen_person_random(r, &s->spec.holder, s->spec.type == GEN_RESIDENCE);
    s->applicant = s->spec.holder;
    s->card_deposit = !strcmp(s->kind, "credit_card") || gen_rng_chance(r, 0.4);
    if (!strcmp(s->variant, "family")) {
        gen_person_relative(r, &s->applicant, &s->spec.holder);
    } else if (!strcmp(s->variant, "name_mismatch")) {
        gen_person other;
        /* a different registered name: redraw until it differs */
        for (int tries = 0; tries < 16; tries++) {
            gen_person_random(r, &other, s->applicant.foreign);
            if (strcmp(other.family_latin, s->applicant.family_latin) ||
                strcmp(other.given_latin, s->applicant.given_latin))
                break;
        }
        memcpy(s->applicant.given_kanji, other.given_kanji, sizeof other.given_kanji);
        memcpy(s->applicant.given_kana, other.given_kana, sizeof other.given_kana);
        memcpy(s->applicant.given_latin, other.given_latin, sizeof other.given_latin);
        memcpy(s->applicant.family_kanji, other.family_kanji, sizeof other.family_kanji);
        memcpy(s->applicant.family_kana, other.family_kana, sizeof other.family_kana);
        memcpy(s->applicant.family_latin, other.family_latin, sizeof other.family_latin);
    } else if (!strcmp(s->variant, "birth_mismatch")) {
        s->applicant.birth = gen_date_add(s->applicant.birth, gen_rng_chance(r, 0.5) ? 365 * gen_rng_int(r, 1, 9)
                                                                                     : gen_rng_int(r, 3, 200));
    } else if (!strcmp(s->variant, "address_mismatch")) {
        gen_person other;
        gen_person_random(r, &other, 0);
        memcpy(s->applicant.address, other.address, sizeof other.address);
        memcpy(s->applicant.address_short, other.address_short, sizeof other.address_short);
        memcpy(s->applicant.postal, other.postal, sizeof other.postal);
    }
}

/* ---- helpers ------------------------------------------------------------- */

static void pick_size(gen_rng *r, const gen_opts *o, int portrait, int *W, int *H)
{
    double lo = log(o->min_mp), hi = log(o->max_mp);
    double mp = exp(gen_rng_range(r, lo, hi));
    double aspect = gen_rng_chance(r, 0.85) ? 4.0 / 3.0 : 16.0 / 9.0; /* phone sensors */
    int longer = (int)lround(sqrt(mp * 1e6 * aspect)), shorter = (int)lround(longer / aspect);
    longer &= ~1;
    shorter &= ~1;
    *W = portrait ? shorter : longer;
    *H = portrait ? longer : shorter;
}

static int quad_inside(const double q[4][2], int W, int H, double margin)
{
    for (int i = 0; i < 4; i++)
        if (q[i][0] < margin || q[i][1] < margin || q[i][0] > W - margin || q[i][1] > H - margin)
            return 0;
    return 1;
}

static double quad_area(const double q[4][2])
{
    double a = 0;
    for (int i = 0; i < 4; i++)
        a += q[i][0] * q[(i + 1) % 4][1] - q[(i + 1) % 4][0] * q[i][1];
    return fabs(a) / 2;
}

static double dist(double ax, double ay, double bx, double by)
{
    return hypot(ax - bx, ay - by);
}

static void clip_box(double b[4], int W, int H)
{
    double x0 = fmax(0, b[0]), y0 = fmax(0, b[1]);
    double x1 = fmin(W, b[0] + b[2]), y1 = fmin(H, b[1] + b[3]);
    b[0] = floor(x0); b[1] = floor(y0);
    b[2] = fmax(0, ceil(x1) - floor(x0));
    b[3] = fmax(0, ceil(y1) - floor(y0));
}

static int box_inside(const double b[4], int W, int H)
{
    return b[0] >= 0 && b[1] >= 0 && b[0] + b[2] <= W && b[1] + b[3] <= H;
}

/* Picks two photos of one identity (live + card) and one of another. */
static void pick_faces(gen_rng *r, const gen_faces *f, int *live, int *card, int *other)
{
    *live = gen_rng_int(r, 0, f->n - 1);
    *card = *live;
    int same[64], ns = 0;
    for (int i = 0; i < f->n && ns < 64; i++)
        if (i != *live && !strcmp(f->v[i].identity, f->v[*live].identity))
            same[ns++] = i;
    if (ns)
        *card = same[gen_rng_int(r, 0, ns - 1)];
    *other = *live;
    for (int tries = 0; tries < 32 && !strcmp(f->v[*other].identity, f->v[*live].identity); tries++)
        *other = gen_rng_int(r, 0, f->n - 1);
    if (*other == *live) /* one identity only: any other photo */
        *other = (*live + 1) % f->n;
}

/* ---- the label ------------------------------------------------------------- */

static json_t *jbox(const double b[4])
{
    return json_pack("[iiii]", (int)b[0], (int)b[1], (int)b[2], (int)b[3]);
}

static json_t *jflags(const flagset *f)
{
    json_t *a = json_array();
    for (int i = 0; i < f->n; i++)
        json_array_append_new(a, json_string(f->v[i]));
    return a;
}

typedef struct placed {
    double faces[MAX_FACE_BOXES][4];
    int nfaces;
    double docfaces[2][4];
    int ndocfaces;
    double occ[MAX_OCC][4];
    const char *occ_type[MAX_OCC];
    int nocc;
    int W, H;
    double face_doc_dist;  /* centre distance in face widths, <0 unknown */
    double doc_area_frac;
    double mp;
    int blur_rad, motion_len, quality, orientation, gps;
    double gain, noise, shadow;
    int glare_on_doc, glare_off_doc;
    int table;
} placed;

static char *make_label(const gen_opts *o, long index, const scen *s, const gen_result *res,
                        const placed *p)
{
    char buf[64];
    json_t *root = json_object();
    json_object_set_new(root, "kind", json_string(s->kind));
    json_object_set_new(root, "side", s->side ? json_string(s->side) : json_null());
    json_object_set_new(root, "doc_type",
                        s->has_doc ? json_string(gen_doctype_name(s->spec.type)) : json_string("unknown"));
    gen_date_iso(s->spec.now, buf, sizeof buf);
    json_object_set_new(root, "now", json_string(buf));
    char name[128], kana[128], latin[128];
    gen_person_name(&s->applicant, name, sizeof name);
    gen_person_kana(&s->applicant, kana, sizeof kana);
    gen_person_latin(&s->applicant, latin, sizeof latin);
    gen_date_iso(s->applicant.birth, buf, sizeof buf);
    char aid[32];
    snprintf(aid, sizeof aid, "G-%llu-%ld", (unsigned long long)o->seed, index);
    json_object_set_new(root, "applicant",
                        json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:b}", "id", aid, "name", name, "name_kana", kana,
                                  "name_latin", latin, "birth_date", buf, "address",
                                  s->applicant.address_short, "card_deposit", s->card_deposit));
    json_t *faces = json_array();
    for (int i = 0; i < p->nfaces; i++)
        json_array_append_new(faces, jbox(p->faces[i]));
    json_object_set_new(root, "faces", faces);
    json_t *dfaces = json_array();
    for (int i = 0; i < p->ndocfaces; i++)
        json_array_append_new(dfaces, jbox(p->docfaces[i]));
    json_object_set_new(root, "document_faces", dfaces);
    if (res->has_doc) {
        json_t *q = json_array();
        for (int i = 0; i < 4; i++)
            json_array_append_new(q, json_pack("[ff]", round(res->quad[i][0] * 10) / 10,
                                               round(res->quad[i][1] * 10) / 10));
        json_object_set_new(root, "document_quad", q);
    } else {
        json_object_set_new(root, "document_quad", json_null());
    }
    json_t *fields = json_object(), *fboxes = json_object();
    const gen_doc *d = &res->doc;
    if (res->has_doc || s->pdf) {
        for (int i = 0; i < d->nfields; i++) {
            const gen_fbox *f = &d->fields[i];
            const double *b = res->field_boxes[i];
            int visible = s->pdf || (b[2] > 0 && box_inside(b, p->W, p->H));
            if (!visible)
                continue;
            const char *val = NULL;
            if (!strcmp(f->key, "name")) val = d->name;
            else if (!strcmp(f->key, "address")) val = d->address;
            else if (!strcmp(f->key, "birth_date")) val = d->birth_iso;
            else if (!strcmp(f->key, "expiry")) val = d->expiry_iso;
            else if (!strcmp(f->key, "issue_date")) val = d->issue_iso;
            if (val && *val)
                json_object_set_new(fields, f->key, json_string(val));
            json_t *fb = json_pack("{s:s}", "text", f->text);
            if (!s->pdf)
                json_object_set_new(fb, "box", jbox(b));
            json_object_set_new(fboxes, f->key, fb);
        }
    }
    json_object_set_new(root, "fields", fields);
    json_object_set_new(root, "field_boxes", fboxes);
    json_t *sens = json_array();
    for (int i = 0; i < d->nsens; i++) {
        double b[4];
        int cut = 0;
        memcpy(b, res->doc_boxes[i], sizeof b);
        if (!s->pdf) {
            cut = !box_inside(b, p->W, p->H);
            clip_box(b, p->W, p->H);
        }
        json_t *e = json_pack("{s:s,s:s}", "type", d->sens[i].type, "text", d->sens[i].text);
        /* "cut": the frame cuts the item; wholly outside it, it has no box
         * (its text still counts as a string leak) */
        if (!s->pdf && b[2] > 0 && b[3] > 0)
            json_object_set_new(e, "box", jbox(b));
        if (cut)
            json_object_set_new(e, "cut", json_true());
        json_array_append_new(sens, e);
    }
    json_object_set_new(root, "sensitive", sens);
    json_t *occ = json_array();
    for (int i = 0; i < p->nocc; i++)
        json_array_append_new(occ, json_pack("{s:s,s:o}", "type", p->occ_type[i], "box", jbox(p->occ[i])));
    json_object_set_new(root, "occluders", occ);
    json_object_set_new(root, "expect_flags", jflags(&s->expect));
    json_object_set_new(root, "forbid_flags", jflags(&s->forbid));
    json_t *g = json_object();
    json_object_set_new(g, "tool", json_string("prescreen-gen/1"));
    json_object_set_new(g, "seed", json_integer((json_int_t)o->seed));
    json_object_set_new(g, "index", json_integer(index));
    json_object_set_new(g, "variant", json_string(s->variant));
    if (!s->pdf) {
        json_object_set_new(g, "width", json_integer(p->W));
        json_object_set_new(g, "height", json_integer(p->H));
        json_object_set_new(g, "exif_orientation", json_integer(p->orientation));
        json_object_set_new(g, "gps", json_boolean(p->gps));
        json_object_set_new(g, "format", json_string(res->png ? "png" : "jpeg"));
        if (!res->png)
            json_object_set_new(g, "jpeg_quality", json_integer(p->quality));
        json_object_set_new(g, "exposure_gain", json_real(round(p->gain * 1000) / 1000));
        json_object_set_new(g, "noise_sigma", json_real(round(p->noise * 100) / 100));
        json_object_set_new(g, "shadow", json_real(round(p->shadow * 100) / 100));
        json_object_set_new(g, "defocus_radius", json_integer(p->blur_rad));
        json_object_set_new(g, "motion_length", json_integer(p->motion_len));
        json_object_set_new(g, "glare_on_document", json_boolean(p->glare_on_doc));
        json_object_set_new(g, "table", json_integer(p->table));
        if (res->has_doc)
            json_object_set_new(g, "document_area_fraction", json_real(round(p->doc_area_frac * 10000) / 10000));
        if (p->face_doc_dist >= 0)
            json_object_set_new(g, "face_document_distance", json_real(round(p->face_doc_dist * 100) / 100));
    }
    json_object_set_new(root, "generator", g);
    char *out = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(8));
    json_decref(root);
    return out;
}

/* ---- flags that follow from the document and the applicant ------------------ */

static void doc_flags(scen *s, const gen_doc *d, const gen_result *res, int W, int H)
{
    long now = gen_date_days(s->spec.now);
    gen_doctype t = s->spec.type;
    int photo_kind = !strcmp(s->kind, "photo_id") || s->selfie;
    if (t == GEN_NOTIFICATION)
        fadd(&s->expect, "document_type_not_accepted");
    else if (photo_kind || !strcmp(s->kind, "address_proof") || !strcmp(s->kind, "credit_card"))
        fadd(&s->forbid, "document_type_not_accepted");
    if (photo_kind && d->expiry_iso[0]) {
        long ex = gen_date_days(s->spec.expiry);
        if (ex < now)
            fadd(&s->expect, "expired_document");
        else if (ex > now + 30)
            fadd(&s->forbid, "expired_document");
    }
    if (!strcmp(s->kind, "address_proof")) {
        if (t == GEN_MAIL && !d->issue_iso[0]) {
            fadd(&s->expect, "date_not_found");
        } else if (t != GEN_HEALTH) {
            long age = now - gen_date_days(s->spec.issue);
            int limit = t == GEN_MAIL ? 90 : 180;
            if (age > limit)
                fadd(&s->expect, "document_too_old");
            else if (age < limit - 10)
                fadd(&s->forbid, "document_too_old");
        }
        if (!d->address[0])
            fadd(&s->expect, "address_not_found");
        if (s->screenshot || s->pdf)
            fadd(&s->expect, "digital_document");
        else
            fadd(&s->forbid, "digital_document");
    }
    if (!strcmp(s->kind, "credit_card")) {
        if (!strcmp(s->variant, "family"))
            fadd(&s->expect, "card_not_in_holder_name");
        else if (!s->spec.back)
            fadd(&s->forbid, "card_not_in_holder_name");
    }
    /* mismatches: only judged where the field is printed and visible */
    int vis_name = 0, vis_birth = 0, vis_addr = 0;
    for (int i = 0; i < d->nfields; i++) {
        const double *b = res->field_boxes[i];
        int v = s->pdf || (b[2] > 0 && box_inside(b, W, H));
        if (!v)
            continue;
        if (!strcmp(d->fields[i].key, "name")) vis_name = 1;
        if (!strcmp(d->fields[i].key, "birth_date")) vis_birth = 1;
        if (!strcmp(d->fields[i].key, "address")) vis_addr = 1;
    }
    if (!strcmp(s->variant, "name_mismatch") && vis_name)
        fadd(&s->expect, "name_mismatch");
    else if (vis_name && strcmp(s->kind, "credit_card"))
        fadd(&s->forbid, "name_mismatch");
    if (!strcmp(s->variant, "birth_mismatch") && vis_birth)
        fadd(&s->expect, "birth_date_mismatch");
    else if (vis_birth)
        fadd(&s->forbid, "birth_date_mismatch");
    if (!strcmp(s->variant, "address_mismatch") && vis_addr)
        fadd(&s->expect, "address_mismatch");
    else if (vis_addr)
        fadd(&s->forbid, "address_mismatch");
}

/* ---- the scene ----------------------------------------------------------------- */

static int render_doc_for(gen_rng *r, const gen_docspec *spec, const double q[4][2], gen_doc *d)
{
    double wmm, hmm;
    gen_doc_size_mm(spec, &wmm, &hmm);
    double e = fmax(dist(q[0][0], q[0][1], q[1][0], q[1][1]), dist(q[3][0], q[3][1], q[2][0], q[2][1]));
    double e2 = fmax(dist(q[0][0], q[0][1], q[3][0], q[3][1]), dist(q[1][0], q[1][1], q[2][0], q[2][1]));
    double k = fmax(e / wmm, e2 / hmm) * 1.15; /* slight supersampling */
    k = fmin(fmax(k, 3.0), 40.0);              /* 3..40 px/mm keeps text legible and memory sane */
    if (wmm * hmm * k * k > 16e6)              /* at most 16 MP for the flat document */
        k = sqrt(16e6 / (wmm * hmm));
    return gen_doc_render(r, spec, k, d);
}

static void set_h(gen_result *res, const gen_doc *d, const double q[4][2])
{
    const double src[4][2] = {{0, 0}, {d->w, 0}, {d->w, d->h}, {0, d->h}};
    memcpy(res->quad, q, sizeof res->quad);
    gen_homography(src, q, res->H);
    for (int i = 0; i < d->nsens; i++) {
        double b[4] = {d->sens[i].x, d->sens[i].y, d->sens[i].w, d->sens[i].h};
        gen_map_box(res->H, b, res->doc_boxes[i]);
    }
    for (int i = 0; i < d->nfields; i++) {
        double b[4] = {d->fields[i].x, d->fields[i].y, d->fields[i].w, d->fields[i].h};
        gen_map_box(res->H, b, res->field_boxes[i]);
    }
}

/* The in-plane turn limit (radians): the scene's own, or the caller's. */
static double rot_limit(const gen_opts *o, double scene_max)
{
    return o->max_rot_deg > 0 ? o->max_rot_deg * M_PI / 180.0 : scene_max;
}

/* Places a doc of w x h mm with its width target_w px around (cx, cy). */
static void make_quad(gen_rng *r, const gen_docspec *spec, double target_w, double cx, double cy,
                      double max_rot, double max_tilt, int W, int H, double q[4][2])
{
    double wmm, hmm;
    gen_doc_size_mm(spec, &wmm, &hmm);
    double rot = gen_rng_range(r, -max_rot, max_rot);
    double pitch = gen_rng_range(r, -max_tilt, max_tilt), yaw = gen_rng_range(r, -max_tilt, max_tilt);
    gen_place_quad(target_w, target_w * hmm / wmm, cx, cy, rot, pitch, yaw, 1.1 * fmax(W, H), q);
}

static void choose_light(gen_rng *r, scen *s, gen_light *L, placed *p)
{
    memset(L, 0, sizeof *L);
    L->gain = gen_rng_range(r, 0.88, 1.08);
    if (s->dark)
        L->gain = gen_rng_range(r, 0.14, 0.2);
    if (s->bright)
        L->gain = gen_rng_range(r, 2.4, 3.0);
    L->gx = gen_rng_range(r, -0.25, 0.25);
    L->gy = gen_rng_range(r, -0.25, 0.25);
    L->vignette = gen_rng_range(r, 0.0, 0.25);
    if (!s->dark && !s->bright && gen_rng_chance(r, 0.3)) {
        double a = gen_rng_range(r, 0, 2 * M_PI);
        L->shadow = gen_rng_range(r, 0.2, 0.4);
        L->snx = cos(a);
        L->sny = sin(a);
        double px = gen_rng_range(r, 0.2, 0.8) * p->W, py = gen_rng_range(r, 0.2, 0.8) * p->H;
        L->sc = px * L->snx + py * L->sny;
        L->soft = gen_rng_range(r, 0.01, 0.06) * fmax(p->W, p->H);
    }
    L->noise = gen_rng_range(r, 0.8, 4.5);
    p->gain = L->gain;
    p->noise = L->noise;
    p->shadow = L->shadow;
}

static int build_scene(gen_rng *r, const gen_opts *o, scen *s, gen_result *res, placed *p)
{
    const gen_faces *F = o->faces;
    int live = 0, cardf = 0, other = 0;
    double skin[3];
    gen_hand hand;
    int use_hand = 0;
    double q[4][2];
    int portrait;
    int rc = -1;

    if (F && F->n)
        pick_faces(r, F, &live, &cardf, &other);
    if (F && F->n) {
        const gen_face_src *fs = &F->v[cardf];
        s->spec.photo = fs->rgb;
        s->spec.photo_w = fs->w;
        s->spec.photo_h = fs->h;
        memcpy(s->spec.photo_face, fs->box, sizeof fs->box);
    }
    gen_skin(r, skin);
    double wmm, hmm;
    gen_doc_size_mm(&s->spec, &wmm, &hmm);
    int paper = wmm > 100;
    portrait = s->selfie ? gen_rng_chance(r, 0.8) : paper ? (hmm > wmm) : gen_rng_chance(r, 0.35);
    pick_size(r, o, portrait, &p->W, &p->H);
    int W = p->W, H = p->H;
    p->mp = W * (double)H / 1e6;
    p->face_doc_dist = -1;
    res->img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    if (cairo_surface_status(res->img) != CAIRO_STATUS_SUCCESS)
        return -1;

    if (s->selfie) {
        /* ---- selfie: wall, person, card in hand ---- */
        const char *v = s->variant;
        s->face_cut = !strcmp(v, "face_cut");
        s->cut = !strcmp(v, "card_cut");
        s->finger = !strcmp(v, "finger");
        s->blur = !strcmp(v, "blur");
        s->far = !strcmp(v, "far");
        s->two = !strcmp(v, "two_people");
        s->no_card = !strcmp(v, "no_card");
        s->no_face = !strcmp(v, "no_face");
        if (!o->flat)
            gen_room(res->img, r);
        else {
            cairo_t *cr = cairo_create(res->img);
            cairo_set_source_rgb(cr, 0.55, 0.6, 0.65);
            cairo_paint(cr);
            cairo_destroy(cr);
        }
        const gen_face_src *fs = &F->v[live];
        double Fw = gen_rng_range(r, 0.2, 0.28) * W; /* face box width */
        if (s->far || s->two)
            Fw = gen_rng_range(r, 0.14, 0.17) * W;
        int side = gen_rng_chance(r, 0.5) ? 1 : -1; /* card right (+1) or left of the face */
        double fcx = W * (0.5 - side * gen_rng_range(r, 0.1, 0.18)), fcy = H * gen_rng_range(r, 0.26, 0.36);
        if (s->no_card)
            fcx = W * gen_rng_range(r, 0.4, 0.6);
        if (s->far) {
            fcx = W * (0.5 - side * 0.3);
            fcy = H * 0.2;
        }
        if (s->two) {
            fcx = W * (0.5 - side * 0.25);
            fcy = H * 0.3;
        }
        if (s->face_cut) { /* 30-50% of the face box beyond the top or a side edge */
            double out = gen_rng_range(r, 0.3, 0.5);
            if (gen_rng_chance(r, 0.5))
                fcy = Fw * (0.5 - out);
            else
                fcx = side > 0 ? Fw * (0.5 - out) : W - Fw * (0.5 - out);
        }
        double sc = Fw / fs->box[2];
        double fb[4];
        double ox = fcx - (fs->box[0] + fs->box[2] / 2) * sc, oy = fcy - (fs->box[1] + fs->box[3] / 2) * sc;
        if (!s->no_face) {
            double est[4] = {ox + fs->box[0] * sc, oy + fs->box[1] * sc, fs->box[2] * sc, fs->box[3] * sc};
            gen_body(res->img, r, est, skin);
            gen_paste_face(res->img, fs, sc, ox, oy, fb);
            memcpy(p->faces[p->nfaces++], fb, sizeof fb);
        } else {
            /* headless: shoulders below the top edge, the head outside */
            double est[4] = {W * 0.5 - Fw / 2, -Fw * 1.6, Fw, Fw};
            gen_body(res->img, r, est, skin);
        }
        if (s->two) {
            const gen_face_src *f2 = &F->v[other];
            double F2 = Fw * gen_rng_range(r, 0.85, 1.05), sc2 = F2 / f2->box[2];
            double c2x = W * (0.5 + side * 0.25), c2y = H * gen_rng_range(r, 0.26, 0.34);
            double ox2 = c2x - (f2->box[0] + f2->box[2] / 2) * sc2, oy2 = c2y - (f2->box[1] + f2->box[3] / 2) * sc2;
            double est[4] = {ox2 + f2->box[0] * sc2, oy2 + f2->box[1] * sc2, F2, f2->box[3] * sc2};
            gen_body(res->img, r, est, skin);
            gen_paste_face(res->img, f2, sc2, ox2, oy2, fb);
            memcpy(p->faces[p->nfaces++], fb, sizeof fb);
        }
        if (!s->no_card) {
            double Cw = Fw * gen_rng_range(r, 1.1, 1.45); /* held closer than the face */
            if (s->far || s->two)
                Cw = Fw * gen_rng_range(r, 1.2, 1.5);
            double Ch = Cw * hmm / wmm;
            double ccx = fcx + side * (Fw * 0.55 + Cw * 0.6), ccy = fcy + Fw * gen_rng_range(r, 0.35, 0.8);
            if (s->no_face) {
                ccx = W * 0.5;
                ccy = H * 0.5;
            }
            if (s->far) {
                ccx = side > 0 ? W - Cw * 0.65 : Cw * 0.65;
                ccy = H - Ch * 1.1;
            }
            if (s->two) {
                ccx = W * 0.5;
                ccy = H * 0.62;
            }
            if (s->face_cut) { /* keep the card fully in frame */
                ccx = W * 0.5 + side * W * 0.12;
                ccy = H * 0.6;
            }
            if (s->cut) { /* 20-40% of the card beyond a side edge */
                double out = gen_rng_range(r, 0.2, 0.4);
                ccx = side > 0 ? W - Cw * (0.5 - out) : Cw * (0.5 - out);
            }
            for (int tries = 0; tries < 30; tries++) {
                make_quad(r, &s->spec, Cw, ccx, ccy, rot_limit(o, 0.25), 0.3, W, H, q);
                if (s->cut || quad_inside(q, W, H, 0.02 * W))
                    break;
                Cw *= 0.93;
                if (!s->cut) {
                    ccx = fmin(fmax(ccx, Cw * 0.6), W - Cw * 0.6);
                    ccy = fmin(fmax(ccy, Ch * 0.7), H - Ch * 0.7);
                }
            }
            if (render_doc_for(r, &s->spec, q, &res->doc) != 0)
                goto done;
            set_h(res, &res->doc, q);
            res->has_doc = 1;
            /* held from the bottom edge (arm goes down) or the outer side */
            int e = gen_rng_chance(r, 0.5) ? 2 : (side > 0 ? 1 : 0);
            use_hand = gen_hand_plan(r, &res->doc, e, &hand, s->finger);
            if (use_hand)
                gen_hand_back(res->img, res->H, &res->doc, &hand, skin);
            gen_warp_doc(res->img, &res->doc, res->H);
        }
    } else {
        /* ---- document on a table ---- */
        p->table = gen_rng_int(r, 0, 4);
        gen_doctype t = s->spec.type;
        int whitish = t == GEN_MYNUMBER || t == GEN_RESIDENCE || t == GEN_PASSPORT || paper;
        if (whitish && gen_rng_chance(r, 0.2))
            p->table = 3; /* a white document on a white table, sometimes */
        if (o->flat)
            p->table = 4;
        gen_table(res->img, r, p->table);
        if (!o->flat)
            gen_clutter(res->img, r, gen_rng_int(r, 0, 5));
        const char *v = s->variant;
        s->cut = !strcmp(v, "cut");
        s->small = !strcmp(v, "small");
        s->finger = !strcmp(v, "finger");
        s->blur = !strcmp(v, "blur");
        s->glare = !strcmp(v, "glare");
        s->dark = !strcmp(v, "dark");
        s->bright = !strcmp(v, "bright");
        double frac = paper ? gen_rng_range(r, 0.8, 0.92) : gen_rng_range(r, 0.55, 0.8);
        if (s->small)
            frac = gen_rng_range(r, 0.12, 0.16);
        double tw = frac * W;
        if (paper && hmm > wmm) /* portrait paper: fit the height */
            tw = frac * H * wmm / hmm;
        double cx = W * gen_rng_range(r, 0.45, 0.55), cy = H * gen_rng_range(r, 0.45, 0.55);
        if (s->small) {
            cx = W * gen_rng_range(r, 0.3, 0.7);
            cy = H * gen_rng_range(r, 0.3, 0.7);
        }
        double out = gen_rng_range(r, 0.2, 0.35);
        int dir = gen_rng_int(r, 0, 3);
        for (int tries = 0; tries < 30; tries++) {
            if (s->cut) {
                double th = tw * hmm / wmm;
                if (dir == 0) cx = tw * (0.5 - out);
                else if (dir == 1) cx = W - tw * (0.5 - out);
                else if (dir == 2) cy = th * (0.5 - out);
                else cy = H - th * (0.5 - out);
            }
            make_quad(r, &s->spec, tw, cx, cy, rot_limit(o, o->flat ? 0.15 : 0.3), o->flat ? 0.15 : 0.35,
                      W, H, q);
            if (s->cut || quad_inside(q, W, H, 0.015 * fmin(W, H)))
                break;
            tw *= 0.94;
        }
        if (render_doc_for(r, &s->spec, q, &res->doc) != 0)
            goto done;
        set_h(res, &res->doc, q);
        res->has_doc = 1;
        double k = res->doc.px_per_mm;
        double sh = k * gen_rng_range(r, 0.6, 1.5); /* shadow offset ~1 mm */
        if (o->flat) {
            /* test mode: a plain table that contrasts with the document */
            uint32_t bg = res->doc.bg_rgb;
            double lum = 0.3 * ((bg >> 16) & 255) + 0.59 * ((bg >> 8) & 255) + 0.11 * (bg & 255);
            cairo_t *cr = cairo_create(res->img);
            if (lum > 128) /* light document, dark table and the reverse */
                cairo_set_source_rgb(cr, 0.12, 0.12, 0.14);
            else
                cairo_set_source_rgb(cr, 0.92, 0.92, 0.9);
            cairo_paint(cr);
            cairo_destroy(cr);
        } else {
            gen_shadow(res->img, res->H, res->doc.w, res->doc.h, sh, sh * 1.2, k * 2.0,
                       paper ? 0.18 : 0.3);
        }
        use_hand = 0;
        if (s->finger)
            use_hand = gen_hand_plan(r, &res->doc, 0, &hand, 1);
        else if (!o->flat && gen_rng_chance(r, 0.3))
            use_hand = gen_hand_plan(r, &res->doc, gen_rng_int(r, 0, 2), &hand, 0);
        if (use_hand)
            gen_hand_back(res->img, res->H, &res->doc, &hand, skin);
        gen_warp_doc(res->img, &res->doc, res->H);
    }
    if (use_hand && res->has_doc) {
        double ob[4];
        gen_hand_front(res->img, res->H, &res->doc, &hand, skin, ob);
        clip_box(ob, W, H);
        if (ob[2] > 0 && ob[3] > 0 && p->nocc < MAX_OCC) {
            p->occ_type[p->nocc] = hand.over ? "finger" : "thumb_margin";
            memcpy(p->occ[p->nocc++], ob, sizeof ob);
        }
        res->finger_over = hand.over;
    }
    if (res->has_doc) {
        if (res->doc.has_face && p->ndocfaces < 2) {
            gen_map_box(res->H, res->doc.face, p->docfaces[p->ndocfaces]);
            clip_box(p->docfaces[p->ndocfaces], W, H);
            if (p->docfaces[p->ndocfaces][2] > 0)
                p->ndocfaces++;
        }
        p->doc_area_frac = quad_area(res->quad) / ((double)W * H);
    }
    for (int i = 0; i < p->nfaces; i++)
        clip_box(p->faces[i], W, H);
    if (p->nfaces && res->has_doc) {
        double fcx = p->faces[0][0] + p->faces[0][2] / 2, fcy = p->faces[0][1] + p->faces[0][3] / 2;
        double dcx = 0, dcy = 0;
        for (int i = 0; i < 4; i++) {
            dcx += res->quad[i][0] / 4;
            dcy += res->quad[i][1] / 4;
        }
        p->face_doc_dist = dist(fcx, fcy, dcx, dcy) / fmax(1, p->faces[0][2]);
    }
    rc = 0;
done:
    return rc;
}

static void photo_faults(gen_rng *r, const gen_opts *o, scen *s, gen_result *res, placed *p)
{
    int W = p->W, H = p->H;
    gen_light L;
    if (o->flat) {
        p->gain = 1;
        p->quality = 95;
        p->orientation = 1;
        return;
    }
    /* glare: on the document for the glare variant, elsewhere sometimes */
    if (res->has_doc && s->glare) {
        double u = gen_rng_range(r, 0.25, 0.75) * res->doc.w, v = gen_rng_range(r, 0.25, 0.75) * res->doc.h;
        double X, Y, e = dist(res->quad[0][0], res->quad[0][1], res->quad[1][0], res->quad[1][1]);
        gen_apply_h(res->H, u, v, &X, &Y);
        gen_glare(res->img, X, Y, e * gen_rng_range(r, 0.12, 0.22), gen_rng_range(r, 0.9, 1.3));
        p->glare_on_doc = 1;
    } else if (gen_rng_chance(r, 0.15)) {
        double X = gen_rng_range(r, 0, W), Y = gen_rng_range(r, 0, H), R = 0.05 * fmin(W, H);
        int clear = 1; /* keep it off the document */
        if (res->has_doc) {
            double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
            for (int i = 0; i < 4; i++) {
                x0 = fmin(x0, res->quad[i][0]); x1 = fmax(x1, res->quad[i][0]);
                y0 = fmin(y0, res->quad[i][1]); y1 = fmax(y1, res->quad[i][1]);
            }
            clear = X + R < x0 || X - R > x1 || Y + R < y0 || Y - R > y1;
        }
        if (clear) {
            gen_glare(res->img, X, Y, R, 0.5);
            p->glare_off_doc = 1;
        }
    }
    choose_light(r, s, &L, p);
    if (s->blur) {
        if (gen_rng_chance(r, 0.4)) {
            double len = gen_rng_range(r, 0.012, 0.025) * fmax(W, H), a = gen_rng_range(r, 0, M_PI);
            p->motion_len = (int)lround(len);
            gen_motion_blur(res->img, len * cos(a), len * sin(a), (int)fmin(48, fmax(6, len / 2)));
        } else {
            p->blur_rad = (int)fmax(3, lround(gen_rng_range(r, 0.004, 0.008) * fmax(W, H)));
            gen_box_blur(res->img, p->blur_rad, 3);
        }
    } else if (gen_rng_chance(r, 0.35)) {
        p->blur_rad = 1; /* a slightly soft lens */
        gen_box_blur(res->img, 1, 1);
    }
    gen_light_noise(res->img, r, &L);
    p->quality = gen_rng_int(r, 60, 95);
    double u = gen_rng_unit(r);
    p->orientation = u < 0.7 ? 1 : u < 0.8 ? 6 : u < 0.9 ? 8 : 3;
    p->gps = gen_rng_chance(r, 0.3);
}

static void scene_flags(scen *s, const gen_result *res, const placed *p, const gen_opts *o)
{
    (void)o;
    fadd(&s->forbid, "unreadable_image");
    fadd(&s->forbid, "duplicate_upload");
    if (p->mp >= 2.0 && !s->small)
        fadd(&s->forbid, "low_resolution");
    if (s->blur)
        fadd(&s->expect, "blurry");
    else if (p->blur_rad <= 1 && p->motion_len == 0)
        fadd(&s->forbid, "blurry");
    if (s->dark)
        fadd(&s->expect, "too_dark");
    else if (p->gain > 0.8 && p->shadow < 0.05)
        fadd(&s->forbid, "too_dark");
    if (s->bright)
        fadd(&s->expect, "overexposed");
    else if (p->gain < 1.15)
        fadd(&s->forbid, "overexposed");
    if (p->glare_on_doc)
        fadd(&s->expect, "glare_on_document");
    else if (!p->glare_off_doc && !s->bright)
        fadd(&s->forbid, "glare_on_document");
    int on_doc_occ = 0;
    for (int i = 0; i < p->nocc; i++)
        on_doc_occ |= !strcmp(p->occ_type[i], "finger");
    if (on_doc_occ)
        fadd(&s->expect, "finger_over_document");
    else
        fadd(&s->forbid, "finger_over_document");
    if (res->has_doc) {
        fadd(&s->forbid, "no_document");
        int inside = quad_inside(res->quad, p->W, p->H, 0);
        if (!inside)
            fadd(&s->expect, "document_cut_off");
        else if (quad_inside(res->quad, p->W, p->H, 0.01 * fmin(p->W, p->H)))
            fadd(&s->forbid, "document_cut_off");
        if (p->doc_area_frac < 0.03 && !s->selfie)
            fadd(&s->expect, "document_too_small");
        else if (p->doc_area_frac > 0.06 || s->selfie)
            fadd(&s->forbid, "document_too_small");
    } else if (s->selfie) {
        fadd(&s->expect, "no_document");
    }
    if (s->selfie) {
        if (p->nfaces == 0)
            fadd(&s->expect, "no_face");
        else
            fadd(&s->forbid, "no_face");
        if (p->nfaces > 1)
            fadd(&s->expect, "multiple_people");
        else
            fadd(&s->forbid, "multiple_people");
        if (s->face_cut)
            fadd(&s->expect, "face_cut_off");
        else
            fadd(&s->forbid, "face_cut_off");
        if (p->face_doc_dist >= 3.0 && !s->face_cut) /* a clipped face box skews the distance */
            fadd(&s->expect, "face_document_apart");
        else if (p->face_doc_dist >= 0 && p->face_doc_dist < 2.0)
            fadd(&s->forbid, "face_document_apart");
    }
    /* a flag cannot be both expected and forbidden */
    for (int i = 0; i < s->expect.n; i++)
        fdel(&s->forbid, s->expect.v[i]);
    (void)fhas;
}

/* The screenshot variant: the bill or certificate as a phone displays it. */
static int build_screenshot(gen_rng *r, scen *s, gen_result *res, placed *p)
{
    int W = gen_rng_chance(r, 0.5) ? 1080 : 1170, H = W == 1080 ? 2340 : 2532; /* phone screens */
    double wmm, hmm;
    p->W = W;
    p->H = H;
    p->mp = W * (double)H / 1e6;
    p->face_doc_dist = -1;
    p->gain = 1;
    p->orientation = 1;
    gen_doc_size_mm(&s->spec, &wmm, &hmm);
    res->img = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    cairo_t *cr = cairo_create(res->img);
    cairo_set_source_rgb(cr, 0.96, 0.96, 0.97);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0.12, 0.35, 0.65);
    cairo_rectangle(cr, 0, 0, W, 260);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 1, 1, 1); /* status bar: clock and battery */
    cairo_rectangle(cr, 60, 40, 110, 34);
    cairo_fill(cr);
    cairo_rectangle(cr, W - 150, 44, 80, 30);
    cairo_fill(cr);
    cairo_destroy(cr);
    double margin = 30, dw = W - 2 * margin, k = dw / wmm;
    if (gen_doc_render(r, &s->spec, k, &res->doc) != 0)
        return -1;
    double q[4][2] = {{margin, 300}, {margin + res->doc.w, 300}, {margin + res->doc.w, 300 + res->doc.h},
                      {margin, 300 + res->doc.h}};
    set_h(res, &res->doc, q);
    res->has_doc = 1;
    gen_warp_doc(res->img, &res->doc, res->H);
    res->png = 1;
    p->doc_area_frac = quad_area(res->quad) / ((double)W * H);
    return 0;
}

int gen_make(const gen_opts *o, long index, gen_result *out)
{
    gen_rng r;
    scen s;
    placed p;
    int rc = -1;
    memset(out, 0, sizeof *out);
    memset(&s, 0, sizeof s);
    memset(&p, 0, sizeof p);
    gen_rng_seed(&r, o->seed, (uint64_t)index);
    choose(&r, o, index, &s);
    if (s.selfie && (!o->faces || o->faces->n == 0))
        return -1;
    if (s.pdf) {
        out->pdf = 1;
        out->pdf_spec = s.spec;
        out->pdf_rng = r; /* the PDF is drawn with the same draws as the label */
        /* the values the PDF shows: render once at 1 px/mm to get them */
        if (gen_doc_render(&r, &s.spec, 1.0, &out->doc) != 0)
            return -1;
        gen_doc_free(&out->doc);
        doc_flags(&s, &out->doc, out, 0, 0);
        fadd(&s.forbid, "unreadable_image");
        p.face_doc_dist = -1;
    } else if (s.screenshot) {
        if (build_screenshot(&r, &s, out, &p) != 0)
            goto done;
        doc_flags(&s, &out->doc, out, p.W, p.H);
        fadd(&s.forbid, "blurry");
        fadd(&s.forbid, "unreadable_image");
    } else {
        if (build_scene(&r, o, &s, out, &p) != 0)
            goto done;
        photo_faults(&r, o, &s, out, &p);
        if (out->has_doc)
            doc_flags(&s, &out->doc, out, p.W, p.H);
        scene_flags(&s, out, &p, o);
    }
    gen_doc_free(&out->doc); /* keep the labels, drop the pixels */
    out->orientation = p.orientation ? p.orientation : 1;
    out->quality = p.quality ? p.quality : 92;
    out->gps = p.gps;
    snprintf(out->datetime, sizeof out->datetime, "%04d:%02d:%02d %02d:%02d:%02d", s.spec.now.y,
             s.spec.now.m, s.spec.now.d, (int)(index % 12) + 8, (int)(index * 7 % 60), (int)(index * 13 % 60));
    snprintf(out->stem, sizeof out->stem, "%06ld_%s_%s", index, s.kind, s.variant);
    out->label_json = make_label(o, index, &s, out, &p);
    if (!out->label_json)
        goto done;
    rc = 0;
done:
    if (rc != 0)
        gen_result_free(out);
    return rc;
}

void gen_result_free(gen_result *r)
{
    if (!r)
        return;
    if (r->img)
        cairo_surface_destroy(r->img);
    r->img = NULL;
    gen_doc_free(&r->doc);
    free(r->label_json);
    r->label_json = NULL;
}

int gen_result_write(const gen_result *r, const char *dir)
{
    char path[1024];
    int rc = 0;
    if (r->pdf) {
        gen_rng pr = r->pdf_rng;
        snprintf(path, sizeof path, "%s/%s.pdf", dir, r->stem);
        rc = gen_doc_write_pdf(&pr, &r->pdf_spec, path);
    } else if (r->png) {
        snprintf(path, sizeof path, "%s/%s.png", dir, r->stem);
        rc = cairo_surface_write_to_png(r->img, path) == CAIRO_STATUS_SUCCESS ? 0 : -1;
    } else {
        int w, h;
        snprintf(path, sizeof path, "%s/%s.jpg", dir, r->stem);
        if (r->orientation == 1) { /* stored as shown: no copy */
            cairo_surface_flush(r->img);
            rc = gen_jpeg_write(path, (const uint32_t *)cairo_image_surface_get_data(r->img),
                                cairo_image_surface_get_width(r->img), cairo_image_surface_get_height(r->img),
                                cairo_image_surface_get_stride(r->img) / 4, r->quality, 1, r->gps, r->datetime);
        } else {
            uint32_t *px = gen_rotate_for_exif(r->img, r->orientation, &w, &h);
            if (!px)
                return -1;
            rc = gen_jpeg_write(path, px, w, h, w, r->quality, r->orientation, r->gps, r->datetime);
            free(px);
        }
    }
    if (rc != 0)
        return -1;
    snprintf(path, sizeof path, "%s/%s.truth.json", dir, r->stem);
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t n = strlen(r->label_json);
    if (fwrite(r->label_json, 1, n, f) != n || fputc('\n', f) == EOF)
        rc = -1;
    if (fclose(f) != 0)
        rc = -1;
    return rc;
}
