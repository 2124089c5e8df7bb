/* The report type, its names, and its JSON form (through jansson). */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "prescreen/report.h"

static const char *const flag_names[PS_FLAG_COUNT_] = {
    "unreadable_image", "low_resolution", "blurry", "too_dark", "overexposed",
    "glare_on_document", "no_face", "face_cut_off", "multiple_people", "no_document",
    "document_cut_off", "document_too_small", "finger_over_document",
    "face_document_apart", "document_type_not_accepted", "expired_document",
    "name_mismatch", "birth_date_mismatch", "address_mismatch", "name_not_found",
    "address_not_found", "date_not_found", "document_too_old", "digital_document",
    "card_not_in_holder_name", "redaction_uncertain", "duplicate_upload",
};

static const char *const kind_names[PS_KIND_COUNT_] = {
    "photo_id", "selfie", "address_proof", "credit_card", "other",
};

static const char *const field_names[PS_FIELD_COUNT_] = {
    "name", "birth_date", "address", "expiry", "issue_date", "postmark_date", "document_number",
};

void ps_report_init(ps_report *r, ps_kind kind, ps_side side)
{
    if (r == NULL)
        return;
    memset(r, 0, sizeof *r);
    r->kind = kind;
    r->side = side;
    r->image.exif_orientation = 1;
    for (int i = 0; i < PS_FIELD_COUNT_; i++) {
        r->fields[i].match = PS_MATCH_UNKNOWN;
        r->fields[i].confidence = -1;
    }
}

void ps_report_flag(ps_report *r, ps_flag f)
{
    if (r != NULL && (int)f >= 0 && f < PS_FLAG_COUNT_)
        r->flags |= (ps_flagset)1 << f;
}

void ps_report_unflag(ps_report *r, ps_flag f)
{
    if (r != NULL && (int)f >= 0 && f < PS_FLAG_COUNT_)
        r->flags &= ~((ps_flagset)1 << f);
}

int ps_report_has(const ps_report *r, ps_flag f)
{
    return r != NULL && (int)f >= 0 && f < PS_FLAG_COUNT_ && ((r->flags >> f) & 1u);
}

const char *ps_flag_name(ps_flag f)
{
    return ((int)f >= 0 && f < PS_FLAG_COUNT_) ? flag_names[f] : NULL;
}

int ps_flag_from_name(const char *name)
{
    for (int i = 0; name && i < PS_FLAG_COUNT_; i++)
        if (strcmp(flag_names[i], name) == 0)
            return i;
    return -1;
}

const char *ps_kind_name(ps_kind k)
{
    return ((int)k >= 0 && k < PS_KIND_COUNT_) ? kind_names[k] : "other";
}

int ps_kind_from_name(const char *name)
{
    for (int i = 0; name && i < PS_KIND_COUNT_; i++)
        if (strcmp(kind_names[i], name) == 0)
            return i;
    return -1;
}

const char *ps_side_name(ps_side s)
{
    return s == PS_SIDE_FRONT ? "front" : s == PS_SIDE_BACK ? "back" : NULL;
}

const char *ps_verdict_name(ps_verdict v)
{
    return v == PS_VERDICT_CLEAR ? "clear" : v == PS_VERDICT_REVIEW ? "review" : "reject_suggested";
}

const char *ps_field_name(ps_field_id f)
{
    return ((int)f >= 0 && f < PS_FIELD_COUNT_) ? field_names[f] : "unknown";
}

/* Three decimals are enough for scores and milliseconds and keep the JSON
 * stable across platforms. */
static json_t *num(double v)
{
    return json_real((double)(long long)(v * 1000.0 + (v < 0 ? -0.5 : 0.5)) / 1000.0);
}

static json_t *box(ps_box b)
{
    return json_pack("[iiii]", b.x, b.y, b.w, b.h);
}

static json_t *checks_json(const ps_report *r)
{
    json_t *c = json_object();
    if (r->blur.done)
        json_object_set_new(c, "blur", json_pack("{s:o,s:o,s:b,s:s}", "score", num(r->blur.score),
                                                 "threshold", num(r->blur.threshold), "pass",
                                                 r->blur.pass, "where", r->blur.where));
    if (r->exposure.done)
        json_object_set_new(c, "exposure",
                            json_pack("{s:o,s:o,s:o,s:o,s:s,s:b}", "mean", num(r->exposure.mean),
                                      "clipped_fraction", num(r->exposure.clipped_fraction),
                                      "dark_fraction", num(r->exposure.dark_fraction), "shoulder_share",
                                      num(r->exposure.shoulder_share), "region", r->exposure.region,
                                      "pass", r->exposure.pass));
    if (r->face.done) {
        json_t *faces = json_array();
        for (int i = 0; i < r->face.count && i < PS_MAX_FACES; i++)
            json_array_append_new(faces, json_pack("{s:o,s:o,s:b,s:b}", "box", box(r->face.faces[i].box),
                                                   "score", num(r->face.faces[i].score),
                                                   "on_document", r->face.faces[i].on_document,
                                                   "cut_off", r->face.faces[i].cut_off));
        json_object_set_new(c, "face", json_pack("{s:i,s:o,s:b}", "count", r->face.count, "faces",
                                                 faces, "pass", r->face.pass));
    }
    if (r->document.done) {
        json_t *d = json_pack("{s:b}", "found", r->document.found);
        if (r->document.found) {
            json_t *q = json_array();
            for (int i = 0; i < 4; i++)
                json_array_append_new(q, json_pack("[ii]", (int)(r->document.quad[i].x + 0.5),
                                                   (int)(r->document.quad[i].y + 0.5)));
            json_object_set_new(d, "quad", q);
            json_object_set_new(d, "in_frame", json_boolean(r->document.in_frame));
            json_object_set_new(d, "area_fraction", num(r->document.area_fraction));
            json_object_set_new(d, "confidence", num(r->document.confidence));
            json_object_set_new(d, "candidates", json_integer(r->document.candidates));
            json_object_set_new(d, "whole_frame", json_boolean(r->document.whole_frame));
        }
        json_object_set_new(d, "pass", json_boolean(r->document.pass));
        json_object_set_new(c, "document", d);
    }
    if (r->occlusion.done) {
        json_t *regs = json_array();
        for (int i = 0; i < r->occlusion.n_regions && i < PS_MAX_REGIONS; i++)
            json_array_append_new(regs, box(r->occlusion.regions[i]));
        json_object_set_new(c, "occlusion", json_pack("{s:o,s:o,s:b}", "fraction",
                                                      num(r->occlusion.fraction), "regions", regs,
                                                      "pass", r->occlusion.pass));
    }
    if (r->proximity.done)
        json_object_set_new(c, "proximity", json_pack("{s:o,s:b}", "distance_faces",
                                                      num(r->proximity.distance_faces), "pass",
                                                      r->proximity.pass));
    if (r->glare.done)
        json_object_set_new(c, "glare", json_pack("{s:o,s:b}", "fraction", num(r->glare.fraction),
                                                  "pass", r->glare.pass));
    return c;
}

static json_t *fields_json(const ps_report *r)
{
    json_t *o = json_object();
    for (int i = 0; i < PS_FIELD_COUNT_; i++) {
        const ps_field *f = &r->fields[i];
        json_t *j;
        if (!f->present)
            continue;
        j = json_pack("{s:s}", "text", f->text);
        if (f->confidence >= 0)
            json_object_set_new(j, "confidence", num(f->confidence));
        if (f->iso[0])
            json_object_set_new(j, "iso", json_string(f->iso));
        if (f->match != PS_MATCH_UNKNOWN)
            json_object_set_new(j, "match", json_boolean(f->match));
        if (f->box.w > 0)
            json_object_set_new(j, "box", box(f->box));
        json_object_set_new(o, field_names[i], j);
    }
    return o;
}

ps_status ps_report_to_json(const ps_report *r, int pretty, char **out)
{
    json_t *root, *img, *flags, *reds, *times;
    const char *side;

    if (out == NULL)
        return PS_E_ARG;
    *out = NULL;
    if (r == NULL)
        return PS_E_ARG;
    side = ps_side_name(r->side);
    img = json_pack("{s:i,s:i,s:s,s:i}", "width", r->image.width, "height", r->image.height,
                    "format", ps_format_name(r->image.format), "exif_orientation",
                    r->image.exif_orientation);
    if (r->image.warning[0])
        json_object_set_new(img, "warning", json_string(r->image.warning));
    flags = json_array();
    for (int i = 0; i < PS_FLAG_COUNT_; i++)
        if (ps_report_has(r, (ps_flag)i))
            json_array_append_new(flags, json_string(flag_names[i]));
    reds = json_array();
    for (int i = 0; i < r->n_redactions && i < PS_MAX_REDACTIONS; i++) {
        json_t *j = json_pack("{s:s,s:o}", "type", r->redactions[i].type, "box",
                              box(r->redactions[i].box));
        if (r->redactions[i].kept[0])
            json_object_set_new(j, "kept", json_string(r->redactions[i].kept));
        else if (r->redactions[i].last4_visible)
            json_object_set_new(j, "last4_visible", json_true());
        json_array_append_new(reds, j);
    }
    times = json_object();
    for (int i = 0; i < r->n_timings && i < PS_MAX_TIMINGS; i++)
        json_object_set_new(times, r->timings[i].stage, num(r->timings[i].ms));
    json_object_set_new(times, "total", num(r->total_ms));

    root = json_object();
    if (root == NULL)
        return PS_E_NOMEM;
    /* Key order as in SPEC §4; jansson keeps insertion order. */
    json_object_set_new(root, "schema", json_string(PS_REPORT_SCHEMA));
    json_object_set_new(root, "kind", json_string(ps_kind_name(r->kind)));
    json_object_set_new(root, "side", side ? json_string(side) : json_null());
    json_object_set_new(root, "doc_type", r->doc_type[0] ? json_string(r->doc_type) : json_null());
    json_object_set_new(root, "image", img);
    json_object_set_new(root, "checks", checks_json(r));
    json_object_set_new(root, "fields", fields_json(r));
    json_object_set_new(root, "redactions", reds);
    json_object_set_new(root, "flags", flags);
    json_object_set_new(root, "verdict", json_string(ps_verdict_name(r->verdict)));
    json_object_set_new(root, "timings_ms", times);
    *out = json_dumps(root, (pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
    json_decref(root);
    return *out ? PS_OK : PS_E_NOMEM;
}

ps_status ps_error_json(ps_status st, const char *message, char **out)
{
    json_t *root;
    if (out == NULL)
        return PS_E_ARG;
    root = json_pack("{s:{s:s,s:s}}", "error", "code", ps_status_code(st), "message",
                     message && message[0] ? message : ps_strerror(st));
    if (root == NULL)
        return PS_E_NOMEM;
    *out = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(root);
    return *out ? PS_OK : PS_E_NOMEM;
}
