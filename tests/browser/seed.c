/* ps_http_seed: sets up a review database for the browser test and the load
 * bench, through the store and pipeline APIs only.
 *
 *   ps_http_seed URL reviewer NAME          password read from stdin
 *   ps_http_seed URL token NAME             prints a new API token
 *   ps_http_seed URL screen IMAGE TRUTH.json [APPLICANT_ID]
 *        puts the applicant of TRUTH.json (its id replaced when given),
 *        enqueues IMAGE with the truth's kind and side, then drains the queue
 *   ps_http_seed URL drain                  screens every queued job
 *
 * "drain" is a minimal worker (claim → ps_screen → complete), used until
 * `prescreen work --drain` is available on this branch. Prints job ids.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "prescreen/applicant.h"
#include "prescreen/engine.h"
#include "prescreen/screen.h"
#include "prescreen/store.h"

/* A lease long enough for one screening on a slow machine. */
#define SEED_LEASE_S 300

static int fail(const char *what, ps_store *s)
{
    fprintf(stderr, "ps_http_seed: %s: %s\n", what, s ? ps_store_errmsg(s) : "");
    return 1;
}

static int drain(ps_store *s, const char *now)
{
    ps_engine *e = NULL;
    ps_ctx *ctx = NULL;
    char err[256];
    int rc = 1;
    if (ps_engine_open(NULL, &e, err, sizeof err) != PS_OK ||
        ps_ctx_open(e, &ctx, err, sizeof err) != PS_OK) {
        fprintf(stderr, "ps_http_seed: engine: %s\n", err);
        goto out;
    }
    for (;;) {
        ps_store_job *j = NULL;
        if (ps_store_claim(s, "seed", SEED_LEASE_S, &j) != PS_OK) {
            fail("claim", s);
            goto out;
        }
        if (!j)
            break;
        ps_applicant ap;
        ps_upload up;
        ps_screen_result res;
        memset(&up, 0, sizeof up);
        memset(&res, 0, sizeof res);
        up.bytes = j->bytes;
        up.len = j->len;
        up.kind = (ps_kind)ps_kind_from_name(j->kind);
        up.side = !j->side ? PS_SIDE_NONE : strcmp(j->side, "back") == 0 ? PS_SIDE_BACK : PS_SIDE_FRONT;
        if (j->applicant_json &&
            ps_applicant_parse(j->applicant_json, strlen(j->applicant_json), &ap, err, sizeof err) == PS_OK)
            up.applicant = &ap;
        if (now)
            snprintf(up.now, sizeof up.now, "%s", now);
        up.want_redacted = 1;
        ps_status st = ps_screen(ctx, &up, &res);
        char *json = NULL;
        if (st == PS_OK && ps_report_to_json(&res.report, 0, &json) == PS_OK) {
            if (ps_store_complete(s, j->id, "seed", json, res.redacted_jpeg, res.redacted_len,
                                  res.quarantined || !res.redacted_jpeg ? PS_JOB_QUARANTINED
                                                                        : PS_JOB_DONE) != PS_OK) {
                free(json);
                ps_screen_result_clear(&res);
                ps_store_job_free(&j);
                fail("complete", s);
                goto out;
            }
        } else {
            ps_store_fail(s, j->id, "seed", 0, ps_status_code(st), res.error, NULL);
        }
        printf("%lld\n", (long long)j->id);
        free(json);
        ps_screen_result_clear(&res);
        ps_store_job_free(&j);
    }
    rc = 0;
out:
    ps_ctx_close(&ctx);
    ps_engine_close(&e);
    return rc;
}

static int screen(ps_store *s, const char *image, const char *truth_path, const char *id)
{
    json_error_t je;
    json_t *t = json_load_file(truth_path, 0, &je);
    json_t *ap = json_object_get(t, "applicant");
    int rc = 1;
    FILE *f = NULL;
    uint8_t *bytes = NULL;
    if (!json_is_object(ap)) {
        fprintf(stderr, "ps_http_seed: %s has no applicant\n", truth_path);
        goto out;
    }
    if (id)
        json_object_set_new(ap, "id", json_string(id));
    char *pj = json_dumps(ap, JSON_COMPACT);
    ps_status st = ps_store_put_applicant(s, pj);
    free(pj);
    if (st != PS_OK) {
        rc = fail("put applicant", s);
        goto out;
    }
    f = fopen(image, "rb");
    if (!f || fseek(f, 0, SEEK_END) != 0) {
        fprintf(stderr, "ps_http_seed: cannot read %s\n", image);
        goto out;
    }
    long n = ftell(f);
    rewind(f);
    bytes = malloc(n > 0 ? (size_t)n : 1);
    if (n <= 0 || !bytes || fread(bytes, 1, (size_t)n, f) != (size_t)n)
        goto out;
    const char *side = json_string_value(json_object_get(t, "side"));
    ps_upload_meta m = {.kind = json_string_value(json_object_get(t, "kind")),
                        .side = side,
                        .applicant_id = json_string_value(json_object_get(ap, "id"))};
    int64_t job = 0;
    if (ps_store_enqueue(s, &m, bytes, (size_t)n, &job) != PS_OK) {
        rc = fail("enqueue", s);
        goto out;
    }
    rc = drain(s, json_string_value(json_object_get(t, "now")));
out:
    if (f)
        fclose(f);
    free(bytes);
    json_decref(t);
    return rc;
}

int main(int argc, char **argv)
{
    ps_store *s = NULL;
    char err[512];
    int rc = 2;
    if (argc < 3) {
        fputs("usage: ps_http_seed URL reviewer NAME | token NAME | screen IMAGE TRUTH [ID] | drain\n",
              stderr);
        return 2;
    }
    if (ps_store_open(argv[1], &s, err, sizeof err) != PS_OK) {
        fprintf(stderr, "ps_http_seed: %s\n", err);
        return 1;
    }
    if (strcmp(argv[2], "reviewer") == 0 && argc == 4) {
        char pw[256];
        if (!fgets(pw, sizeof pw, stdin)) {
            rc = 2;
        } else {
            pw[strcspn(pw, "\r\n")] = '\0';
            rc = ps_store_reviewer_set(s, argv[3], pw, NULL) == PS_OK ? 0 : fail("reviewer", s);
        }
    } else if (strcmp(argv[2], "token") == 0 && argc == 4) {
        char tok[PS_STORE_TOKEN_SIZE];
        rc = ps_store_token_add(s, argv[3], tok) == PS_OK ? (printf("%s\n", tok), 0) : fail("token", s);
    } else if (strcmp(argv[2], "screen") == 0 && (argc == 5 || argc == 6)) {
        rc = screen(s, argv[3], argv[4], argc == 6 ? argv[5] : NULL);
    } else if (strcmp(argv[2], "drain") == 0 && argc == 3) {
        rc = drain(s, NULL);
    }
    ps_store_close(&s);
    return rc;
}
