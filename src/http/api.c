/* The upload API (SPEC §6) for the broker's upload client. Every route here
 * runs after server.c has checked "Authorization: Bearer TOKEN" against the
 * store's API tokens; reviewers' sessions are not accepted here, and API
 * tokens are not accepted by the pages.
 *
 *   PUT  /api/applicants/ID   the profile JSON (SPEC §3) → the statuses
 *   GET  /api/applicants/ID   statuses of the required kinds + ready_for_withdrawal
 *   POST /api/uploads         multipart: file, kind, side, applicant_id → {"job_id":N}
 *   GET  /api/jobs/ID         the job's state (and verdict and flags once screened)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "http/internal.h"
#include "prescreen/report.h"
#include "http/multipart.h"
#include "prescreen/applicant.h"

/* An upload has 4 fields; a few more parts are tolerated to say which one
 * is unknown, then the parse stops. */
#define PS__API_MAX_PARTS 8
/* Text fields (kind, side, applicant id) are short. */
#define PS__API_FIELD_MAX 64

static void store_error(ps__resp *r, ps_status st, const char *what)
{
    if (st == PS_E_NOT_FOUND)
        ps__resp_error(r, 404, "not_found", what);
    else if (st == PS_E_ARG || st == PS_E_JSON)
        ps__resp_error(r, 400, ps_status_code(st), what);
    else
        ps__resp_error(r, 503, "store_unavailable", "the database failed; try again");
}

static void send_json(ps__resp *r, int status, char *json)
{
    r->status = status;
    r->content_type = "application/json";
    r->body = json;
    r->len = json ? strlen(json) : 0;
}

static void get_applicant(ps__req *q, ps__resp *r, const char *id)
{
    char *json = NULL;
    ps_status st = ps_store_review_status_json(q->store, id, &json);
    if (st != PS_OK)
        store_error(r, st, "no such applicant");
    else
        send_json(r, 200, json);
}

/* The profile is validated by the applicant parser (types, lengths, dates)
 * before it reaches the store; the URL's id wins and must agree with the
 * body's when both are given. */
static void put_applicant(ps__req *q, ps__resp *r, const char *id)
{
    json_error_t jerr;
    ps_applicant a;
    char err[200] = "";
    json_t *o = json_loadb((const char *)q->body, q->body_len, JSON_REJECT_DUPLICATES, &jerr);
    char *text = NULL;
    if (!o || !json_is_object(o)) {
        ps__resp_error(r, 400, "invalid_json", "the body must be one JSON object (SPEC §3 applicant)");
        goto out;
    }
    json_t *jid = json_object_get(o, "id");
    if (jid && (!json_is_string(jid) || strcmp(json_string_value(jid), id) != 0)) {
        ps__resp_error(r, 400, "invalid_json", "\"id\" in the body differs from the URL");
        goto out;
    }
    json_object_set_new(o, "id", json_string(id));
    text = json_dumps(o, JSON_COMPACT);
    if (!text) {
        ps__resp_error(r, 500, "out_of_memory", "out of memory");
        goto out;
    }
    if (ps_applicant_parse(text, strlen(text), &a, err, sizeof err) != PS_OK) {
        ps__resp_error(r, 400, "invalid_json", err);
        goto out;
    }
    ps_status st = ps_store_put_applicant(q->store, text);
    if (st != PS_OK) {
        store_error(r, st, "the profile was refused");
        goto out;
    }
    get_applicant(q, r, id);
out:
    free(text);
    json_decref(o);
}

/* Copies a short text part into out. @return 1 ok, 0 absent, -1 bad. */
static int text_part(const ps_mp_part *parts, size_t n, const char *name, char *out, size_t outlen,
                     ps__resp *r)
{
    int dups = 0;
    char msg[120];
    const ps_mp_part *p = ps_mp_find(parts, n, name, &dups);
    out[0] = '\0';
    if (!p)
        return 0;
    if (dups || p->has_filename || p->len >= outlen || memchr(p->data, '\0', p->len)) {
        snprintf(msg, sizeof msg, "field \"%s\" is %s", name,
                 dups ? "given twice" : p->has_filename ? "a file, not text" : "too long or binary");
        ps__resp_error(r, 400, "bad_request", msg);
        return -1;
    }
    memcpy(out, p->data, p->len);
    out[p->len] = '\0';
    return 1;
}

static void post_upload(ps__req *q, ps__resp *r)
{
    ps_mp_part parts[PS__API_MAX_PARTS];
    size_t n = 0;
    char err[160];
    char kind[PS__API_FIELD_MAX], side[PS__API_FIELD_MAX], applicant[PS__API_FIELD_MAX];
    static const char *const known[] = {"file", "kind", "side", "applicant_id"};

    ps_mp_result mr = ps_mp_parse(q->content_type, q->body, q->body_len, parts,
                                  PS__API_MAX_PARTS, &n, err, sizeof err);
    if (mr != PS_MP_OK) {
        ps__resp_error(r, mr == PS_MP_NOT_MULTIPART ? 415 : 400,
                       mr == PS_MP_NOT_MULTIPART ? "unsupported_media_type" : "bad_multipart", err);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        int ok = 0;
        for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
            ok |= strcmp(parts[i].name, known[k]) == 0;
        if (!ok) {
            ps__resp_error(r, 400, "bad_request",
                           "unknown field; expected file, kind, side, applicant_id");
            return;
        }
    }
    if (text_part(parts, n, "kind", kind, sizeof kind, r) < 0 ||
        text_part(parts, n, "side", side, sizeof side, r) < 0 ||
        text_part(parts, n, "applicant_id", applicant, sizeof applicant, r) < 0)
        return;
    if (ps_kind_from_name(kind) < 0) {
        ps__resp_error(r, 400, "bad_request",
                       "kind must be photo_id, selfie, address_proof, credit_card or other");
        return;
    }
    if (side[0] && strcmp(side, "front") != 0 && strcmp(side, "back") != 0) {
        ps__resp_error(r, 400, "bad_request", "side must be front, back or empty");
        return;
    }
    if (!ps__valid_id(applicant)) {
        ps__resp_error(r, 400, "bad_request", "applicant_id is required ([A-Za-z0-9._-], 1-63 chars)");
        return;
    }
    int dups = 0;
    const ps_mp_part *file = ps_mp_find(parts, n, "file", &dups);
    if (!file || dups) {
        ps__resp_error(r, 400, "bad_request", dups ? "more than one file part" : "the file part is missing");
        return;
    }
    if (file->len == 0) {
        ps__resp_error(r, 400, "empty_input", "the file is empty");
        return;
    }
    if (file->len > q->h->opts.max_upload_bytes) {
        snprintf(err, sizeof err, "the file is over the %llu-byte limit",
                 (unsigned long long)q->h->opts.max_upload_bytes);
        ps__resp_error(r, 413, "too_many_bytes", err);
        return;
    }
    ps_upload_meta meta = {.kind = kind, .side = side[0] ? side : NULL, .applicant_id = applicant};
    int64_t job = 0;
    ps_status st = ps_store_enqueue(q->store, &meta, file->data, file->len, &job);
    if (st != PS_OK) {
        store_error(r, st, st == PS_E_NOT_FOUND ? "unknown applicant_id; PUT /api/applicants/ID first"
                                                : "the upload was refused");
        return;
    }
    char *json = NULL;
    json_t *o = json_pack("{s:I,s:s}", "job_id", (json_int_t)job, "state", "queued");
    json = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    if (!json) {
        ps__resp_error(r, 500, "out_of_memory", "out of memory");
        return;
    }
    send_json(r, 202, json);
    snprintf(r->location, sizeof r->location, "/api/jobs/%lld", (long long)job);
}

static void get_job(ps__req *q, ps__resp *r, int64_t id)
{
    ps_store_job *j = NULL;
    char *report = NULL;
    ps_status st = ps_store_get_job(q->store, id, &j);
    if (st != PS_OK) {
        store_error(r, st, "no such job");
        return;
    }
    json_t *o = json_pack("{s:I,s:s,s:s?,s:s?,s:s,s:i,s:I}", "job_id", (json_int_t)j->id, "kind",
                          j->kind, "side", j->side, "applicant_id", j->applicant_id, "state",
                          ps_job_state_name(j->state), "attempts", j->attempts, "created_ms",
                          (json_int_t)j->created_ms);
    if (o && j->finished_ms)
        json_object_set_new(o, "finished_ms", json_integer(j->finished_ms));
    if (o && j->last_error_code)
        json_object_set_new(o, "error",
                            json_pack("{s:s,s:s?}", "code", j->last_error_code, "message",
                                      j->last_error_message));
    /* Only the verdict and the flags: the upload client does not need the
     * fields read from the document. */
    if (o && ps_store_get_result(q->store, id, &report) == PS_OK) {
        json_t *rep = json_loads(report, 0, NULL);
        json_t *v = json_object_get(rep, "verdict"), *f = json_object_get(rep, "flags");
        if (json_is_string(v))
            json_object_set(o, "verdict", v);
        if (json_is_array(f))
            json_object_set(o, "flags", f);
        json_decref(rep);
    }
    char *json = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    free(report);
    ps_store_job_free(&j);
    if (!json)
        ps__resp_error(r, 500, "out_of_memory", "out of memory");
    else
        send_json(r, 200, json);
}

void ps__api_handle(ps__req *q, ps__resp *r)
{
    const char *p = q->path;
    int get = strcmp(q->method, "GET") == 0;
    if (strncmp(p, "/api/applicants/", 16) == 0) {
        const char *id = p + 16;
        if (!ps__valid_id(id)) {
            ps__resp_error(r, 404, "not_found", "bad applicant id");
            return;
        }
        if (get)
            get_applicant(q, r, id);
        else if (strcmp(q->method, "PUT") == 0)
            put_applicant(q, r, id);
        else
            ps__resp_error(r, 405, "method_not_allowed", "use GET or PUT");
        return;
    }
    if (strcmp(p, "/api/uploads") == 0) {
        if (strcmp(q->method, "POST") == 0)
            post_upload(q, r);
        else
            ps__resp_error(r, 405, "method_not_allowed", "use POST");
        return;
    }
    if (strncmp(p, "/api/jobs/", 10) == 0) {
        int64_t id = ps__parse_job_id(p + 10);
        if (!id)
            ps__resp_error(r, 404, "not_found", "bad job id");
        else if (!get)
            ps__resp_error(r, 405, "method_not_allowed", "use GET");
        else
            get_job(q, r, id);
        return;
    }
    ps__resp_error(r, 404, "not_found", "no such API route");
}
