/* The store: URL dispatch, schema migration and all queue / review logic,
 * written once against the backend interface in backend.h.
 *
 * Every state change of a job happens inside one write transaction that
 * first reads the job's row (locked on PostgreSQL; the whole database is
 * locked by BEGIN IMMEDIATE on SQLite), checks that the caller may make the
 * change, and only then writes. That check is what makes complete()
 * idempotent and keeps a worker whose lease was lost from storing anything.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>

#include "prescreen/store.h"
#include "store/backend.h"

#define SCHEMA_VERSION 1
#define DEFAULT_MAX_ATTEMPTS 5
#define DEFAULT_BACKOFF_BASE_MS 2000   /* first retry after 2 s */
#define DEFAULT_BACKOFF_CAP_MS 300000  /* never wait more than 5 min */
#define REAP_BATCH 1000                /* expired leases handled per reap */
#define CLAIM_SKIP_MAX 100             /* broken rows skipped per claim */
#define WAIT_IDLE_MS 5000              /* longest sleep between queue checks */

static const char *const kinds[PS_STORE_KIND_COUNT] = {
    "photo_id", "selfie", "address_proof", "credit_card", "other",
};
static const char *const state_names[PS_JOB_STATE_COUNT_] = {
    "queued", "running", "done", "quarantined", "dead",
};
static const char *const review_names[] = {
    "in_process", "not_submitted", "checking", "rejected", "approved",
};

/* A valid Argon2id hash of a random password nobody knows: checking an
 * unknown reviewer verifies against it so both failures cost the same. */
static const char dummy_pwhash[crypto_pwhash_STRBYTES] =
    "$argon2id$v=19$m=65536,t=2,p=1$zTd1XcenDFGZ8lb47PBB4Q$"
    "7jEuJZYpMxwXXW+AwGCSx5JWKbLncDk958x7EJzOy2o";

/* ---- schema --------------------------------------------------------------- */

static const char *const schema_v1[] = {
    "CREATE TABLE applicants ("
    " id TEXT PRIMARY KEY, profile TEXT NOT NULL,"
    " card_deposit INTEGER NOT NULL DEFAULT 0,"
    " created BIGINT NOT NULL, updated BIGINT NOT NULL)",
    "CREATE TABLE jobs ("
    " id @ID@,"
    " applicant_id TEXT REFERENCES applicants(id),"
    " kind TEXT NOT NULL, side TEXT,"
    " created BIGINT NOT NULL, sha256 TEXT NOT NULL, phash BIGINT,"
    " byte_len BIGINT NOT NULL,"
    " state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
    " lease_owner TEXT, lease_expires BIGINT, next_run BIGINT NOT NULL,"
    " last_error_code TEXT, last_error_message TEXT, finished BIGINT)",
    "CREATE INDEX jobs_runnable ON jobs(state, next_run)",
    "CREATE INDEX jobs_applicant ON jobs(applicant_id, kind)",
    "CREATE INDEX jobs_phash ON jobs(phash)",
    /* originals live apart from jobs so deleting them is one DELETE and
     * no query that lists jobs ever reads the bytes */
    "CREATE TABLE originals ("
    " job_id BIGINT PRIMARY KEY REFERENCES jobs(id),"
    " len BIGINT NOT NULL, bytes @BLOB@ NOT NULL)",
    "CREATE TABLE reports ("
    " job_id BIGINT PRIMARY KEY REFERENCES jobs(id),"
    " report TEXT NOT NULL, verdict TEXT, flags TEXT NOT NULL, created BIGINT NOT NULL)",
    "CREATE TABLE redacted ("
    " job_id BIGINT PRIMARY KEY REFERENCES jobs(id),"
    " sha256 TEXT NOT NULL, bytes @BLOB@ NOT NULL)",
    "CREATE TABLE reviewers ("
    " id @ID@, name TEXT NOT NULL UNIQUE, pwhash TEXT NOT NULL, created BIGINT NOT NULL)",
    "CREATE TABLE reviews ("
    " applicant_id TEXT NOT NULL REFERENCES applicants(id), kind TEXT NOT NULL,"
    " decision TEXT NOT NULL, reason TEXT,"
    " reviewer_id BIGINT NOT NULL REFERENCES reviewers(id),"
    " last_job_id BIGINT NOT NULL, decided BIGINT NOT NULL,"
    " PRIMARY KEY (applicant_id, kind))",
    "CREATE TABLE audit_log ("
    " id @ID@, at BIGINT NOT NULL,"
    " reviewer_id BIGINT NOT NULL REFERENCES reviewers(id),"
    " applicant_id TEXT NOT NULL, kind TEXT NOT NULL,"
    " decision TEXT NOT NULL, reason TEXT)",
    "CREATE INDEX audit_log_applicant ON audit_log(applicant_id)",
    "CREATE TABLE api_tokens ("
    " id @ID@, name TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE, created BIGINT NOT NULL)",
    "CREATE TABLE sessions ("
    " token_hash TEXT PRIMARY KEY,"
    " reviewer_id BIGINT NOT NULL REFERENCES reviewers(id),"
    " created BIGINT NOT NULL, expires BIGINT NOT NULL, csrf TEXT NOT NULL)",
    NULL,
};

/* ---- small helpers -------------------------------------------------------- */

void ps__store_seterr(ps_store *s, const char *fmt, ...)
{
    va_list ap;
    if (!s)
        return;
    va_start(ap, fmt);
    vsnprintf(s->err, sizeof s->err, fmt, ap);
    va_end(ap);
    /* libpq messages end with a newline */
    size_t n = strlen(s->err);
    while (n > 0 && (s->err[n - 1] == '\n' || s->err[n - 1] == '\r'))
        s->err[--n] = '\0';
}

void ps__rows_free(ps__rows *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < (size_t)r->nrows * (size_t)r->ncols; i++)
        free(r->cells[i].data);
    free(r->cells);
    free(r);
}

static const ps__cell *cell(const ps__rows *r, int row, int col)
{
    return &r->cells[(size_t)row * (size_t)r->ncols + (size_t)col];
}

static const char *cell_text(const ps__rows *r, int row, int col)
{
    const ps__cell *c = cell(r, row, col);
    return c->is_null ? NULL : c->data;
}

static int64_t cell_int(const ps__rows *r, int row, int col)
{
    const ps__cell *c = cell(r, row, col);
    return c->is_null ? 0 : strtoll(c->data, NULL, 10);
}

static char *xstrdup(const char *p)
{
    return p ? strdup(p) : NULL;
}

static ps__val V_INT(int64_t x)
{
    return (ps__val){.t = PS__INT, .i = x};
}

/* NULL gives SQL NULL */
static ps__val V_TEXT(const char *x)
{
    return (ps__val){.t = x ? PS__TEXT : PS__NULL, .s = x};
}

static ps__val V_BLOB(const uint8_t *bytes, size_t len)
{
    return (ps__val){.t = PS__BLOB, .b = bytes, .n = len};
}

static ps_status run(ps_store *s, const char *sql, const ps__val *p, int np, ps__rows **out,
                     int64_t *changes)
{
    if (s->poisoned) {
        if (out)
            *out = NULL;
        ps__store_seterr(s, "%s: the connection was lost; reopen the store", s->be->name);
        return PS_E_STORE;
    }
    return s->be->exec(s, sql, p, np, out, changes);
}

static ps_status begin(ps_store *s)
{
    if (s->poisoned) {
        ps__store_seterr(s, "%s: the connection was lost; reopen the store", s->be->name);
        return PS_E_STORE;
    }
    return s->be->begin(s);
}

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t ps_store_now_ms(const ps_store *s)
{
    return wall_ms() + (s ? s->clock_offset_ms : 0);
}

static void sha256_hex(const uint8_t *p, size_t n, char out[65])
{
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(d, p ? p : (const uint8_t *)"", (unsigned long long)n);
    sodium_bin2hex(out, 65, d, sizeof d);
}

static void random_hex(char out[PS_STORE_TOKEN_SIZE])
{
    unsigned char r[32]; /* 256 bits */
    randombytes_buf(r, sizeof r);
    sodium_bin2hex(out, PS_STORE_TOKEN_SIZE, r, sizeof r);
    sodium_memzero(r, sizeof r);
}

static int is_token(const char *t)
{
    if (!t || strlen(t) != PS_STORE_TOKEN_SIZE - 1)
        return 0;
    for (const char *p = t; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return 0;
    return 1;
}

static int kind_index(const char *k)
{
    for (int i = 0; k && i < PS_STORE_KIND_COUNT; i++)
        if (strcmp(k, kinds[i]) == 0)
            return i;
    return -1;
}

static int parse_state(const char *t)
{
    for (int i = 0; t && i < PS_JOB_STATE_COUNT_; i++)
        if (strcmp(t, state_names[i]) == 0)
            return i;
    return -1;
}

const char *ps_job_state_name(ps_job_state st)
{
    return (int)st >= 0 && st < PS_JOB_STATE_COUNT_ ? state_names[st] : "unknown";
}

const char *ps_review_status_name(ps_review_status st)
{
    return (int)st >= 0 && st <= PS_REVIEW_APPROVED ? review_names[st] : "unknown";
}

const char *ps_store_kind_name(int index)
{
    return index >= 0 && index < PS_STORE_KIND_COUNT ? kinds[index] : NULL;
}

/* Returns malloc'd compact JSON of `j` (stolen reference) or NULL. */
static ps_status dump_json(ps_store *s, json_t *j, char **out)
{
    *out = j ? json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(j);
    if (!*out) {
        ps__store_seterr(s, "out of memory building JSON");
        return PS_E_NOMEM;
    }
    return PS_OK;
}

/* ---- open, migrate, close -------------------------------------------------- */

/* Replaces @ID@ and @BLOB@ in a DDL statement; malloc'd result. */
static char *ddl(const ps__backend *be, const char *src)
{
    size_t cap = strlen(src) * 2 + 128, o = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    while (*src) {
        const char *rep = NULL;
        size_t skip = 0;
        if (strncmp(src, "@ID@", 4) == 0) {
            rep = be->id_type;
            skip = 4;
        } else if (strncmp(src, "@BLOB@", 6) == 0) {
            rep = be->blob_type;
            skip = 6;
        }
        if (rep) {
            size_t rl = strlen(rep);
            if (o + rl + 1 > cap) {
                cap = (o + rl + 1) * 2;
                char *n = realloc(out, cap);
                if (!n) {
                    free(out);
                    return NULL;
                }
                out = n;
            }
            memcpy(out + o, rep, rl);
            o += rl;
            src += skip;
        } else {
            if (o + 2 > cap) {
                cap *= 2;
                char *n = realloc(out, cap);
                if (!n) {
                    free(out);
                    return NULL;
                }
                out = n;
            }
            out[o++] = *src++;
        }
    }
    out[o] = '\0';
    return out;
}

static ps_status migrate(ps_store *s)
{
    ps__rows *r = NULL;
    ps_status st;
    int have = 0;

    if ((st = begin(s)) != PS_OK)
        return st;
    if (s->be->migrate_lock && (st = run(s, s->be->migrate_lock, NULL, 0, NULL, NULL)) != PS_OK)
        goto out;
    if ((st = run(s, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", NULL,
                  0, NULL, NULL)) != PS_OK)
        goto out;
    if ((st = run(s, "SELECT MAX(version) FROM schema_version", NULL, 0, &r, NULL)) != PS_OK)
        goto out;
    have = r->nrows ? (int)cell_int(r, 0, 0) : 0;
    if (have > SCHEMA_VERSION) {
        ps__store_seterr(s, "%s: database schema version %d is newer than this program's %d",
                         s->be->name, have, SCHEMA_VERSION);
        st = PS_E_STORE;
        goto out;
    }
    if (have < 1) {
        for (int pass = 0; pass < 2; pass++) {
            const char *const *list = pass == 0 ? schema_v1 : s->be->extra_v1;
            for (int i = 0; list && list[i]; i++) {
                char *q = ddl(s->be, list[i]);
                if (!q) {
                    st = PS_E_NOMEM;
                    goto out;
                }
                st = run(s, q, NULL, 0, NULL, NULL);
                free(q);
                if (st != PS_OK)
                    goto out;
            }
        }
        if ((st = run(s, "INSERT INTO schema_version (version) VALUES (1)", NULL, 0, NULL,
                      NULL)) != PS_OK)
            goto out;
    }
    /* later versions: "if (have < 2) { ALTER ...; INSERT 2 }" */
    st = s->be->commit(s);
out:
    if (st != PS_OK)
        s->be->rollback(s);
    ps__rows_free(r);
    return st;
}

ps_status ps_store_open(const char *url, ps_store **out, char *err, size_t errlen)
{
    ps_store *s = NULL;
    const ps__backend *be = NULL;
    ps_status st = PS_OK;

    if (out)
        *out = NULL;
    if (err && errlen)
        err[0] = '\0';
    if (!url || !out) {
        if (err && errlen)
            snprintf(err, errlen, "store: NULL argument");
        return PS_E_ARG;
    }
    if (strncmp(url, "sqlite:", 7) == 0)
        be = &ps__sqlite_backend;
    else if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0)
        be = &ps__pg_backend;
    else {
        if (err && errlen)
            snprintf(err, errlen, "store: URL must start with sqlite: or postgresql://");
        return PS_E_ARG;
    }
    if (sodium_init() < 0) {
        if (err && errlen)
            snprintf(err, errlen, "store: libsodium failed to initialise");
        return PS_E_INTERNAL;
    }
    s = calloc(1, sizeof *s);
    if (!s)
        return PS_E_NOMEM;
    s->be = be;
    s->max_attempts = DEFAULT_MAX_ATTEMPTS;
    s->backoff_base_ms = DEFAULT_BACKOFF_BASE_MS;
    s->backoff_cap_ms = DEFAULT_BACKOFF_CAP_MS;
    if ((st = be->open(s, url)) != PS_OK)
        goto out;
    st = migrate(s);
out:
    if (st != PS_OK) {
        if (err && errlen)
            snprintf(err, errlen, "%s", s->err[0] ? s->err : ps_strerror(st));
        ps_store_close(&s);
    }
    *out = s;
    return st;
}

void ps_store_close(ps_store **sp)
{
    if (!sp || !*sp)
        return;
    (*sp)->be->close(*sp);
    free(*sp);
    *sp = NULL;
}

const char *ps_store_errmsg(const ps_store *s)
{
    return s ? s->err : "";
}

const char *ps_store_backend(const ps_store *s)
{
    return s ? s->be->name : "";
}

void ps_store_set_retry(ps_store *s, int max_attempts, int64_t base_ms, int64_t cap_ms)
{
    if (!s)
        return;
    if (max_attempts > 0)
        s->max_attempts = max_attempts;
    if (base_ms >= 0)
        s->backoff_base_ms = base_ms;
    if (cap_ms > 0)
        s->backoff_cap_ms = cap_ms;
}

void ps_store_set_clock_offset(ps_store *s, int64_t offset_ms)
{
    if (s)
        s->clock_offset_ms = offset_ms;
}

/* Delay before retry number `attempts` (1-based): base * 2^(attempts-1),
 * capped. */
static int64_t backoff_ms(const ps_store *s, int attempts)
{
    int64_t d = s->backoff_base_ms;
    for (int i = 1; i < attempts && d < s->backoff_cap_ms; i++)
        d *= 2;
    return d < s->backoff_cap_ms ? d : s->backoff_cap_ms;
}

/* ---- applicants ----------------------------------------------------------- */

ps_status ps_store_put_applicant(ps_store *s, const char *profile_json)
{
    json_t *root = NULL;
    json_error_t jerr;
    char *canon = NULL;
    ps_status st = PS_OK;

    if (!s || !profile_json)
        return PS_E_ARG;
    root = json_loads(profile_json, JSON_REJECT_DUPLICATES, &jerr);
    if (!root || !json_is_object(root)) {
        ps__store_seterr(s, "applicant: not a JSON object (%s)", root ? "wrong type" : jerr.text);
        st = PS_E_JSON;
        goto out;
    }
    const char *id = json_string_value(json_object_get(root, "id"));
    json_t *cd = json_object_get(root, "card_deposit");
    if (!id || !*id || strlen(id) >= sizeof(((ps_similar *)0)->applicant_id)) {
        ps__store_seterr(s, "applicant: \"id\" must be a non-empty string under 128 bytes");
        st = PS_E_JSON;
        goto out;
    }
    if (cd && !json_is_boolean(cd)) {
        ps__store_seterr(s, "applicant: \"card_deposit\" must be true or false");
        st = PS_E_JSON;
        goto out;
    }
    canon = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (!canon) {
        st = PS_E_NOMEM;
        goto out;
    }
    int64_t now = ps_store_now_ms(s);
    ps__val p[] = {V_TEXT(id), V_TEXT(canon), V_INT(json_is_true(cd) ? 1 : 0), V_INT(now)};
    st = run(s,
             "INSERT INTO applicants (id, profile, card_deposit, created, updated) "
             "VALUES ($1, $2, $3, $4, $4) ON CONFLICT (id) DO UPDATE SET "
             "profile = excluded.profile, card_deposit = excluded.card_deposit, "
             "updated = excluded.updated",
             p, 4, NULL, NULL);
out:
    free(canon);
    json_decref(root);
    return st;
}

ps_status ps_store_get_applicant(ps_store *s, const char *id, char **json_out)
{
    ps__rows *r = NULL;
    ps_status st;
    if (json_out)
        *json_out = NULL;
    if (!s || !id || !json_out)
        return PS_E_ARG;
    ps__val p[] = {V_TEXT(id)};
    if ((st = run(s, "SELECT profile FROM applicants WHERE id = $1", p, 1, &r, NULL)) != PS_OK)
        return st;
    if (r->nrows == 0) {
        ps__store_seterr(s, "applicant not found");
        st = PS_E_NOT_FOUND;
    } else if (!(*json_out = xstrdup(cell_text(r, 0, 0)))) {
        st = PS_E_NOMEM;
    }
    ps__rows_free(r);
    return st;
}

/* ---- jobs ------------------------------------------------------------------ */

void ps_store_job_free(ps_store_job **jp)
{
    if (!jp || !*jp)
        return;
    ps_store_job *j = *jp;
    free(j->kind);
    free(j->side);
    free(j->applicant_id);
    free(j->applicant_json);
    free(j->last_error_code);
    free(j->last_error_message);
    if (j->bytes) {
        sodium_memzero(j->bytes, j->len); /* an identity document */
        free(j->bytes);
    }
    free(j);
    *jp = NULL;
}

/* Columns read by row_to_job, in order; `extra` columns may follow. */
#define JOB_COLS                                                                     \
    "j.id, j.kind, j.side, j.applicant_id, j.state, j.attempts, j.created,"          \
    " j.finished, j.lease_expires, j.next_run, j.sha256, j.phash,"                   \
    " j.last_error_code, j.last_error_message,"                                      \
    " (SELECT o.len FROM originals o WHERE o.job_id = j.id)"
#define JOB_NCOLS 15

static ps_status row_to_job(const ps__rows *r, int row, ps_store_job **out)
{
    ps_store_job *j = calloc(1, sizeof *j);
    *out = NULL;
    if (!j)
        return PS_E_NOMEM;
    j->id = cell_int(r, row, 0);
    j->kind = xstrdup(cell_text(r, row, 1));
    j->side = xstrdup(cell_text(r, row, 2));
    j->applicant_id = xstrdup(cell_text(r, row, 3));
    int stt = parse_state(cell_text(r, row, 4));
    j->state = stt < 0 ? PS_JOB_DEAD : (ps_job_state)stt;
    j->attempts = (int)cell_int(r, row, 5);
    j->created_ms = cell_int(r, row, 6);
    j->finished_ms = cell_int(r, row, 7);
    j->lease_expires_ms = cell_int(r, row, 8);
    j->next_run_ms = cell_int(r, row, 9);
    snprintf(j->sha256, sizeof j->sha256, "%s", cell_text(r, row, 10) ? cell_text(r, row, 10) : "");
    j->has_phash = !cell(r, row, 11)->is_null;
    j->phash = (uint64_t)cell_int(r, row, 11);
    j->last_error_code = xstrdup(cell_text(r, row, 12));
    j->last_error_message = xstrdup(cell_text(r, row, 13));
    j->original_len = cell_int(r, row, 14);
    if (!j->kind || (cell_text(r, row, 2) && !j->side) || (cell_text(r, row, 3) && !j->applicant_id) ||
        (cell_text(r, row, 12) && !j->last_error_code) ||
        (cell_text(r, row, 13) && !j->last_error_message)) {
        ps_store_job_free(&j);
        return PS_E_NOMEM;
    }
    *out = j;
    return PS_OK;
}

ps_status ps_store_enqueue(ps_store *s, const ps_upload_meta *meta, const uint8_t *bytes,
                           size_t len, int64_t *job_id)
{
    ps__rows *r = NULL;
    ps_status st;
    char digest[65];
    int began = 0;

    if (job_id)
        *job_id = 0;
    if (!s || !meta || !bytes || len == 0 || !job_id)
        return PS_E_ARG;
    if (kind_index(meta->kind) < 0) {
        ps__store_seterr(s, "enqueue: unknown kind");
        return PS_E_ARG;
    }
    if (meta->side && strcmp(meta->side, "front") != 0 && strcmp(meta->side, "back") != 0) {
        ps__store_seterr(s, "enqueue: side must be front or back");
        return PS_E_ARG;
    }
    sha256_hex(bytes, len, digest);
    int64_t now = ps_store_now_ms(s);
    if ((st = begin(s)) != PS_OK)
        goto out;
    began = 1;
    if (meta->applicant_id) {
        ps__val p[] = {V_TEXT(meta->applicant_id)};
        if ((st = run(s, "SELECT 1 FROM applicants WHERE id = $1", p, 1, &r, NULL)) != PS_OK)
            goto out;
        if (r->nrows == 0) {
            ps__store_seterr(s, "enqueue: applicant not found");
            st = PS_E_NOT_FOUND;
            goto out;
        }
        ps__rows_free(r);
        r = NULL;
    }
    {
        ps__val p[] = {V_TEXT(meta->applicant_id), V_TEXT(meta->kind), V_TEXT(meta->side),
                       V_INT(now), V_TEXT(digest), V_INT((int64_t)len)};
        if ((st = run(s,
                      "INSERT INTO jobs (applicant_id, kind, side, created, sha256, byte_len,"
                      " state, attempts, next_run) "
                      "VALUES ($1, $2, $3, $4, $5, $6, 'queued', 0, $4) RETURNING id",
                      p, 6, &r, NULL)) != PS_OK)
            goto out;
        if (r->nrows != 1) {
            ps__store_seterr(s, "enqueue: no id returned");
            st = PS_E_STORE;
            goto out;
        }
        *job_id = cell_int(r, 0, 0);
    }
    {
        ps__val p[] = {V_INT(*job_id), V_INT((int64_t)len), V_BLOB(bytes, len)};
        if ((st = run(s, "INSERT INTO originals (job_id, len, bytes) VALUES ($1, $2, $3)", p, 3,
                      NULL, NULL)) != PS_OK)
            goto out;
    }
    if (s->be->notify && (st = s->be->notify(s)) != PS_OK)
        goto out;
    st = s->be->commit(s);
    began = 0;
out:
    if (began)
        s->be->rollback(s);
    if (st != PS_OK)
        *job_id = 0;
    ps__rows_free(r);
    return st;
}

/* Ends a job without a report: dead with an error, original deleted. Runs
 * inside the caller's transaction. */
static ps_status mark_dead(ps_store *s, int64_t id, const char *code, const char *msg, int64_t now)
{
    ps_status st;
    ps__val p[] = {V_INT(id), V_TEXT(code), V_TEXT(msg), V_INT(now)};
    st = run(s,
             "UPDATE jobs SET state = 'dead', lease_owner = NULL, lease_expires = NULL,"
             " last_error_code = $2, last_error_message = $3, finished = $4 WHERE id = $1",
             p, 4, NULL, NULL);
    if (st == PS_OK)
        st = run(s, "DELETE FROM originals WHERE job_id = $1", p, 1, NULL, NULL);
    return st;
}

ps_status ps_store_reap(ps_store *s, int *n_reaped)
{
    ps__rows *r = NULL;
    ps_status st;
    char sql[256];
    int began = 0, n = 0;

    if (n_reaped)
        *n_reaped = 0;
    if (!s)
        return PS_E_ARG;
    int64_t now = ps_store_now_ms(s);
    snprintf(sql, sizeof sql,
             "SELECT id, attempts FROM jobs WHERE state = 'running' AND lease_expires < $1"
             " ORDER BY id LIMIT %d%s",
             REAP_BATCH, s->be->skip_locked);
    if ((st = begin(s)) != PS_OK)
        goto out;
    began = 1;
    ps__val p[] = {V_INT(now)};
    if ((st = run(s, sql, p, 1, &r, NULL)) != PS_OK)
        goto out;
    for (int i = 0; i < r->nrows; i++) {
        int64_t id = cell_int(r, i, 0);
        int attempts = (int)cell_int(r, i, 1);
        if (attempts >= s->max_attempts) {
            st = mark_dead(s, id, "lease_expired",
                           "the worker's lease expired on the last allowed attempt", now);
        } else {
            ps__val q[] = {V_INT(id), V_INT(now + backoff_ms(s, attempts))};
            st = run(s,
                     "UPDATE jobs SET state = 'queued', lease_owner = NULL, lease_expires = NULL,"
                     " next_run = $2, last_error_code = 'lease_expired',"
                     " last_error_message = 'the worker''s lease expired' WHERE id = $1",
                     q, 2, NULL, NULL);
        }
        if (st != PS_OK)
            goto out;
        n++;
    }
    st = s->be->commit(s);
    began = 0;
out:
    if (began)
        s->be->rollback(s);
    ps__rows_free(r);
    if (n_reaped && st == PS_OK)
        *n_reaped = n;
    return st;
}

ps_status ps_store_claim(ps_store *s, const char *worker, int lease_seconds, ps_store_job **out)
{
    ps__rows *r = NULL;
    ps_store_job *j = NULL;
    ps_status st;
    char sql[256];
    int began = 0;

    if (out)
        *out = NULL;
    if (!s || !worker || !*worker || lease_seconds <= 0 || !out)
        return PS_E_ARG;
    if ((st = ps_store_reap(s, NULL)) != PS_OK)
        return st;
    int64_t now = ps_store_now_ms(s);
    snprintf(sql, sizeof sql,
             "SELECT id FROM jobs WHERE state = 'queued' AND next_run <= $1"
             " ORDER BY next_run, id LIMIT 1%s",
             s->be->skip_locked);
    if ((st = begin(s)) != PS_OK)
        goto out;
    began = 1;
    for (int tries = 0; tries < CLAIM_SKIP_MAX; tries++) {
        ps__val p[] = {V_INT(now)};
        ps__rows_free(r);
        r = NULL;
        if ((st = run(s, sql, p, 1, &r, NULL)) != PS_OK)
            goto out;
        if (r->nrows == 0)
            break; /* no work */
        int64_t id = cell_int(r, 0, 0);
        ps__val u[] = {V_INT(id), V_TEXT(worker), V_INT(now + (int64_t)lease_seconds * 1000)};
        if ((st = run(s,
                      "UPDATE jobs SET state = 'running', attempts = attempts + 1,"
                      " lease_owner = $2, lease_expires = $3 WHERE id = $1",
                      u, 3, NULL, NULL)) != PS_OK)
            goto out;
        ps__rows_free(r);
        r = NULL;
        if ((st = run(s,
                      "SELECT " JOB_COLS ", o.bytes, a.profile FROM jobs j"
                      " LEFT JOIN originals o ON o.job_id = j.id"
                      " LEFT JOIN applicants a ON a.id = j.applicant_id WHERE j.id = $1",
                      u, 1, &r, NULL)) != PS_OK)
            goto out;
        if (r->nrows != 1) {
            ps__store_seterr(s, "claim: job vanished");
            st = PS_E_STORE;
            goto out;
        }
        if (cell(r, 0, JOB_NCOLS)->is_null) {
            /* a queued job must have its original; never hand out nothing */
            if ((st = mark_dead(s, id, "original_missing", "the uploaded bytes are missing",
                                now)) != PS_OK)
                goto out;
            continue;
        }
        if ((st = row_to_job(r, 0, &j)) != PS_OK)
            goto out;
        ps__cell *b = &r->cells[JOB_NCOLS];
        j->bytes = (uint8_t *)b->data; /* take ownership */
        j->len = b->len;
        b->data = NULL;
        b->is_null = 1;
        if (cell_text(r, 0, JOB_NCOLS + 1) &&
            !(j->applicant_json = xstrdup(cell_text(r, 0, JOB_NCOLS + 1)))) {
            st = PS_E_NOMEM;
            goto out;
        }
        break;
    }
    st = s->be->commit(s);
    began = 0;
out:
    if (began)
        s->be->rollback(s);
    if (r && r->nrows > 0 && r->ncols > JOB_NCOLS && r->cells[JOB_NCOLS].data)
        sodium_memzero(r->cells[JOB_NCOLS].data, r->cells[JOB_NCOLS].len);
    ps__rows_free(r);
    if (st == PS_OK)
        *out = j;
    else
        ps_store_job_free(&j);
    return st;
}

/* Inside a transaction: locks job `id` and checks it is running under
 * `worker`. Fills *attempts. PS_E_NOT_FOUND / PS_E_CONFLICT otherwise. */
static ps_status hold_lease(ps_store *s, int64_t id, const char *worker, int *attempts)
{
    ps__rows *r = NULL;
    ps_status st;
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT state, lease_owner, attempts FROM jobs WHERE id = $1%s",
             s->be->lock_row);
    ps__val p[] = {V_INT(id)};
    if ((st = run(s, sql, p, 1, &r, NULL)) != PS_OK)
        return st;
    if (r->nrows == 0) {
        ps__store_seterr(s, "job %lld not found", (long long)id);
        st = PS_E_NOT_FOUND;
    } else if (!cell_text(r, 0, 0) || strcmp(cell_text(r, 0, 0), "running") != 0 ||
               !cell_text(r, 0, 1) || strcmp(cell_text(r, 0, 1), worker) != 0) {
        ps__store_seterr(s, "job %lld is %s and not held by this worker", (long long)id,
                         cell_text(r, 0, 0) ? cell_text(r, 0, 0) : "?");
        st = PS_E_CONFLICT;
    } else if (attempts) {
        *attempts = (int)cell_int(r, 0, 2);
    }
    ps__rows_free(r);
    return st;
}

ps_status ps_store_heartbeat(ps_store *s, int64_t job_id, const char *worker, int lease_seconds)
{
    ps_status st;
    int began = 0;
    if (!s || !worker || lease_seconds <= 0)
        return PS_E_ARG;
    if ((st = begin(s)) != PS_OK)
        goto out;
    began = 1;
    if ((st = hold_lease(s, job_id, worker, NULL)) != PS_OK)
        goto out;
    ps__val p[] = {V_INT(job_id), V_INT(ps_store_now_ms(s) + (int64_t)lease_seconds * 1000)};
    if ((st = run(s, "UPDATE jobs SET lease_expires = $2 WHERE id = $1", p, 2, NULL, NULL)) !=
        PS_OK)
        goto out;
    st = s->be->commit(s);
    began = 0;
out:
    if (began)
        s->be->rollback(s);
    return st;
}

ps_status ps_store_complete(ps_store *s, int64_t job_id, const char *worker,
                            const char *report_json, const uint8_t *jpeg, size_t jpeg_len,
                            ps_job_state final_state)
{
    json_t *root = NULL;
    char *flags = NULL;
    char digest[65];
    ps_status st;
    int began = 0;

    if (!s || !worker || !report_json ||
        (final_state != PS_JOB_DONE && final_state != PS_JOB_QUARANTINED) ||
        (jpeg && jpeg_len == 0))
        return PS_E_ARG;
    root = json_loads(report_json, 0, NULL);
    if (!json_is_object(root)) {
        ps__store_seterr(s, "complete: the report is not a JSON object");
        st = PS_E_JSON;
        goto out;
    }
    json_t *fl = json_object_get(root, "flags");
    flags = json_is_array(fl) ? json_dumps(fl, JSON_COMPACT) : strdup("[]");
    if (!flags) {
        st = PS_E_NOMEM;
        goto out;
    }
    const char *verdict = json_string_value(json_object_get(root, "verdict"));
    int64_t now = ps_store_now_ms(s);
    if ((st = begin(s)) != PS_OK)
        goto out;
    began = 1;
    if ((st = hold_lease(s, job_id, worker, NULL)) != PS_OK)
        goto out;
    {
        ps__val p[] = {V_INT(job_id), V_TEXT(report_json), V_TEXT(verdict), V_TEXT(flags),
                       V_INT(now)};
        if ((st = run(s,
                      "INSERT INTO reports (job_id, report, verdict, flags, created)"
                      " VALUES ($1, $2, $3, $4, $5)",
                      p, 5, NULL, NULL)) != PS_OK)
            goto out; /* a second report hits the primary key: PS_E_CONFLICT */
    }
    if (jpeg) {
        sha256_hex(jpeg, jpeg_len, digest);
        ps__val p[] = {V_INT(job_id), V_TEXT(digest), V_BLOB(jpeg, jpeg_len)};
        if ((st = run(s, "INSERT INTO redacted (job_id, sha256, bytes) VALUES ($1, $2, $3)", p, 3,
                      NULL, NULL)) != PS_OK)
            goto out;
    }
    {
        ps__val p[] = {V_INT(job_id), V_TEXT(state_names[final_state]), V_INT(now)};
        if ((st = run(s, "DELETE FROM originals WHERE job_id = $1", p, 1, NULL, NULL)) != PS_OK)
            goto out;
        if ((st = run(s,
                      "UPDATE jobs SET state = $2, lease_owner = NULL, lease_expires = NULL,"
                      " finished = $3 WHERE id = $1",
                      p, 3, NULL, NULL)) != PS_OK)
            goto out;
    }
    st = s->be->commit(s);
    began = 0;
out:
    if (began)
        s->be->rollback(s);
    free(flags);
    json_decref(root);
    return st;
}

ps_status ps_store_fail(ps_store *s, int64_t job_id, const char *worker, int retryable,
                        const char *code, const char *message, ps_job_state *new_state)
{
    ps_status st;
    int began = 0, attempts = 0;
    ps_job_state to = PS_JOB_DEAD;

    if (!s || !worker || !code)
        return PS_E_ARG;
    int64_t now = ps_store_now_ms(s);
    if ((st = begin(s)) != PS_OK)
        goto out;
    began = 1;
    if ((st = hold_lease(s, job_id, worker, &attempts)) != PS_OK)
        goto out;
    if (retryable && attempts < s->max_attempts) {
        to = PS_JOB_QUEUED;
        ps__val p[] = {V_INT(job_id), V_INT(now + backoff_ms(s, attempts)), V_TEXT(code),
                       V_TEXT(message)};
        st = run(s,
                 "UPDATE jobs SET state = 'queued', lease_owner = NULL, lease_expires = NULL,"
                 " next_run = $2, last_error_code = $3, last_error_message = $4 WHERE id = $1",
                 p, 4, NULL, NULL);
    } else {
        st = mark_dead(s, job_id, code, message, now);
    }
    if (st != PS_OK)
        goto out;
    st = s->be->commit(s);
    began = 0;
out:
    if (began)
        s->be->rollback(s);
    if (new_state && st == PS_OK)
        *new_state = to;
    return st;
}

ps_status ps_store_set_phash(ps_store *s, int64_t job_id, uint64_t phash)
{
    int64_t n = 0;
    ps_status st;
    if (!s)
        return PS_E_ARG;
    ps__val p[] = {V_INT(job_id), V_INT((int64_t)phash)};
    if ((st = run(s, "UPDATE jobs SET phash = $2 WHERE id = $1", p, 2, NULL, &n)) != PS_OK)
        return st;
    if (n == 0) {
        ps__store_seterr(s, "job %lld not found", (long long)job_id);
        return PS_E_NOT_FOUND;
    }
    return PS_OK;
}

ps_status ps_store_find_similar(ps_store *s, uint64_t phash, int max_distance,
                                int64_t exclude_job_id, ps_similar *out, size_t max, size_t *n)
{
    ps__rows *r = NULL;
    ps_status st;
    if (n)
        *n = 0;
    if (!s || !n || (!out && max) || max_distance < 0 || max_distance > 64)
        return PS_E_ARG;
    if (max == 0)
        return PS_OK;
    /* A full scan with a cheap function; see docs/storage.md for scale. */
    ps__val p[] = {V_INT((int64_t)phash), V_INT(exclude_job_id), V_INT(max_distance),
                   V_INT(max > 100000 ? 100000 : (int64_t)max)};
    if ((st = run(s,
                  "SELECT id, applicant_id, ps_hamming(phash, $1) AS d FROM jobs"
                  " WHERE phash IS NOT NULL AND id <> $2 AND ps_hamming(phash, $1) <= $3"
                  " ORDER BY d, id LIMIT $4",
                  p, 4, &r, NULL)) != PS_OK)
        return st;
    for (int i = 0; i < r->nrows && (size_t)i < max; i++) {
        out[i].job_id = cell_int(r, i, 0);
        snprintf(out[i].applicant_id, sizeof out[i].applicant_id, "%s",
                 cell_text(r, i, 1) ? cell_text(r, i, 1) : "");
        out[i].distance = (int)cell_int(r, i, 2);
        *n = (size_t)i + 1;
    }
    ps__rows_free(r);
    return PS_OK;
}

ps_status ps_store_counts(ps_store *s, int64_t counts[PS_JOB_STATE_COUNT_])
{
    ps__rows *r = NULL;
    ps_status st;
    if (!s || !counts)
        return PS_E_ARG;
    for (int i = 0; i < PS_JOB_STATE_COUNT_; i++)
        counts[i] = 0;
    if ((st = run(s, "SELECT state, COUNT(*) FROM jobs GROUP BY state", NULL, 0, &r, NULL)) !=
        PS_OK)
        return st;
    for (int i = 0; i < r->nrows; i++) {
        int k = parse_state(cell_text(r, i, 0));
        if (k >= 0)
            counts[k] = cell_int(r, i, 1);
    }
    ps__rows_free(r);
    return PS_OK;
}

ps_status ps_store_status_json(ps_store *s, char **json_out)
{
    int64_t c[PS_JOB_STATE_COUNT_], total = 0;
    ps_status st;
    if (json_out)
        *json_out = NULL;
    if (!json_out)
        return PS_E_ARG;
    if ((st = ps_store_counts(s, c)) != PS_OK)
        return st;
    json_t *o = json_object();
    for (int i = 0; o && i < PS_JOB_STATE_COUNT_; i++) {
        json_object_set_new(o, state_names[i], json_integer(c[i]));
        total += c[i];
    }
    if (o)
        json_object_set_new(o, "total", json_integer(total));
    return dump_json(s, o, json_out);
}

ps_status ps_store_get_job(ps_store *s, int64_t job_id, ps_store_job **out)
{
    ps__rows *r = NULL;
    ps_status st;
    if (out)
        *out = NULL;
    if (!s || !out)
        return PS_E_ARG;
    ps__val p[] = {V_INT(job_id)};
    if ((st = run(s, "SELECT " JOB_COLS " FROM jobs j WHERE j.id = $1", p, 1, &r, NULL)) != PS_OK)
        return st;
    if (r->nrows == 0) {
        ps__store_seterr(s, "job %lld not found", (long long)job_id);
        st = PS_E_NOT_FOUND;
    } else {
        st = row_to_job(r, 0, out);
    }
    ps__rows_free(r);
    return st;
}

ps_status ps_store_get_result(ps_store *s, int64_t job_id, char **json_out)
{
    ps__rows *r = NULL;
    ps_status st;
    if (json_out)
        *json_out = NULL;
    if (!s || !json_out)
        return PS_E_ARG;
    ps__val p[] = {V_INT(job_id)};
    if ((st = run(s, "SELECT report FROM reports WHERE job_id = $1", p, 1, &r, NULL)) != PS_OK)
        return st;
    if (r->nrows == 0) {
        ps__store_seterr(s, "no report for job %lld", (long long)job_id);
        st = PS_E_NOT_FOUND;
    } else if (!(*json_out = xstrdup(cell_text(r, 0, 0)))) {
        st = PS_E_NOMEM;
    }
    ps__rows_free(r);
    return st;
}

ps_status ps_store_get_redacted(ps_store *s, int64_t job_id, uint8_t **bytes, size_t *len)
{
    ps__rows *r = NULL;
    ps_status st;
    if (bytes)
        *bytes = NULL;
    if (len)
        *len = 0;
    if (!s || !bytes || !len)
        return PS_E_ARG;
    ps__val p[] = {V_INT(job_id)};
    if ((st = run(s, "SELECT bytes FROM redacted WHERE job_id = $1", p, 1, &r, NULL)) != PS_OK)
        return st;
    if (r->nrows == 0 || r->cells[0].is_null) {
        ps__store_seterr(s, "no redacted image for job %lld", (long long)job_id);
        st = PS_E_NOT_FOUND;
    } else {
        *bytes = (uint8_t *)r->cells[0].data;
        *len = r->cells[0].len;
        r->cells[0].data = NULL;
    }
    ps__rows_free(r);
    return st;
}

/* Sleeps in slices: returns as soon as a job is runnable, a notification
 * arrives, or the timeout passes. The slice also ends when the earliest
 * backoff or lease deadline comes due, since nothing notifies about that. */
ps_status ps_store_wait_for_work(ps_store *s, int timeout_ms)
{
    ps__rows *r = NULL;
    ps_status st = PS_OK;
    if (!s)
        return PS_E_ARG;
    int64_t deadline = ps_store_now_ms(s) + (timeout_ms > 0 ? timeout_ms : 0);
    for (;;) {
        int64_t now = ps_store_now_ms(s);
        if ((st = run(s,
                      "SELECT (SELECT MIN(next_run) FROM jobs WHERE state = 'queued'),"
                      " (SELECT MIN(lease_expires) FROM jobs WHERE state = 'running')",
                      NULL, 0, &r, NULL)) != PS_OK)
            break;
        int64_t due = deadline;
        for (int c = 0; c < 2; c++)
            if (!cell(r, 0, c)->is_null && cell_int(r, 0, c) + (c == 1) < due)
                due = cell_int(r, 0, c) + (c == 1); /* a lease is reapable just after expiry */
        ps__rows_free(r);
        r = NULL;
        int64_t slice = due - now;
        if (slice <= 0 || now >= deadline)
            break;
        if (slice > WAIT_IDLE_MS)
            slice = WAIT_IDLE_MS;
        if (s->be->wait(s, (int)slice))
            break;
        if (s->poisoned) {
            st = PS_E_STORE;
            break;
        }
    }
    ps__rows_free(r);
    return st;
}

ps_status ps_store_applicant_jobs_json(ps_store *s, const char *applicant_id, char **json_out)
{
    ps__rows *r = NULL;
    ps_status st;
    if (json_out)
        *json_out = NULL;
    if (!s || !applicant_id || !json_out)
        return PS_E_ARG;
    ps__val p[] = {V_TEXT(applicant_id)};
    if ((st = run(s,
                  "SELECT j.id, j.kind, j.side, j.state, j.created, r.verdict, r.flags"
                  " FROM jobs j LEFT JOIN reports r ON r.job_id = j.id"
                  " WHERE j.applicant_id = $1 ORDER BY j.id DESC",
                  p, 1, &r, NULL)) != PS_OK)
        return st;
    json_t *a = json_array();
    for (int i = 0; a && i < r->nrows; i++) {
        json_t *flags = cell_text(r, i, 6) ? json_loads(cell_text(r, i, 6), 0, NULL) : NULL;
        json_t *o = json_pack("{s:I,s:s?,s:s?,s:s?,s:I,s:s?,s:o}", "job_id",
                              (json_int_t)cell_int(r, i, 0), "kind", cell_text(r, i, 1), "side",
                              cell_text(r, i, 2), "state", cell_text(r, i, 3), "created_ms",
                              (json_int_t)cell_int(r, i, 4), "verdict", cell_text(r, i, 5),
                              "flags", flags ? flags : json_null());
        if (!o || json_array_append_new(a, o) != 0) {
            json_decref(a);
            a = NULL;
        }
    }
    ps__rows_free(r);
    return dump_json(s, a, json_out);
}

/* ---- review ------------------------------------------------------------------ */

/* Status of one kind. Uploads newer than the last decision ("uncovered")
 * decide first: any finished → checking, else any still in the queue →
 * in_process. With no uncovered upload the decision stands; with neither,
 * not_submitted. */
ps_status ps_store_review_status(ps_store *s, const char *applicant_id, ps_review *out)
{
    ps__rows *r = NULL;
    ps_status st;
    int finished[PS_STORE_KIND_COUNT] = {0}, pending[PS_STORE_KIND_COUNT] = {0};
    int decided[PS_STORE_KIND_COUNT];

    if (!s || !applicant_id || !out)
        return PS_E_ARG;
    memset(out, 0, sizeof *out);
    for (int k = 0; k < PS_STORE_KIND_COUNT; k++)
        decided[k] = -1;
    ps__val p[] = {V_TEXT(applicant_id)};
    if ((st = run(s, "SELECT card_deposit FROM applicants WHERE id = $1", p, 1, &r, NULL)) != PS_OK)
        goto out;
    if (r->nrows == 0) {
        ps__store_seterr(s, "applicant not found");
        st = PS_E_NOT_FOUND;
        goto out;
    }
    out->card_deposit = cell_int(r, 0, 0) != 0;
    ps__rows_free(r);
    r = NULL;
    if ((st = run(s,
                  "SELECT j.kind, j.state, COUNT(*) FROM jobs j LEFT JOIN reviews v"
                  " ON v.applicant_id = j.applicant_id AND v.kind = j.kind"
                  " WHERE j.applicant_id = $1 AND (v.last_job_id IS NULL OR j.id > v.last_job_id)"
                  " GROUP BY j.kind, j.state",
                  p, 1, &r, NULL)) != PS_OK)
        goto out;
    for (int i = 0; i < r->nrows; i++) {
        int k = kind_index(cell_text(r, i, 0));
        int stt = parse_state(cell_text(r, i, 1));
        if (k < 0)
            continue;
        if (stt == PS_JOB_QUEUED || stt == PS_JOB_RUNNING)
            pending[k] = 1;
        else
            finished[k] = 1;
    }
    ps__rows_free(r);
    r = NULL;
    if ((st = run(s, "SELECT kind, decision FROM reviews WHERE applicant_id = $1", p, 1, &r,
                  NULL)) != PS_OK)
        goto out;
    for (int i = 0; i < r->nrows; i++) {
        int k = kind_index(cell_text(r, i, 0));
        const char *d = cell_text(r, i, 1);
        if (k >= 0 && d)
            decided[k] = strcmp(d, "approved") == 0 ? PS_REVIEW_APPROVED : PS_REVIEW_REJECTED;
    }
    out->verified = 1;
    for (int k = 0; k < PS_STORE_KIND_COUNT; k++) {
        if (finished[k])
            out->status[k] = PS_REVIEW_CHECKING;
        else if (pending[k])
            out->status[k] = PS_REVIEW_IN_PROCESS;
        else if (decided[k] >= 0)
            out->status[k] = (ps_review_status)decided[k];
        else
            out->status[k] = PS_REVIEW_NOT_SUBMITTED;
        int required = k <= 2 || (k == 3 && out->card_deposit); /* photo_id, selfie, address_proof */
        if (required && out->status[k] != PS_REVIEW_APPROVED)
            out->verified = 0;
    }
out:
    ps__rows_free(r);
    return st;
}

ps_status ps_store_review_status_json(ps_store *s, const char *applicant_id, char **json_out)
{
    ps_review rv;
    ps_status st;
    if (json_out)
        *json_out = NULL;
    if (!json_out)
        return PS_E_ARG;
    if ((st = ps_store_review_status(s, applicant_id, &rv)) != PS_OK)
        return st;
    json_t *o = json_object(), *statuses = json_object(), *req = json_array();
    if (!o || !statuses || !req) {
        json_decref(o);
        json_decref(statuses);
        json_decref(req);
        return dump_json(s, NULL, json_out);
    }
    for (int k = 0; k < PS_STORE_KIND_COUNT; k++) {
        json_object_set_new(statuses, kinds[k], json_string(ps_review_status_name(rv.status[k])));
        if (k <= 2 || (k == 3 && rv.card_deposit))
            json_array_append_new(req, json_string(kinds[k]));
    }
    json_object_set_new(o, "applicant_id", json_string(applicant_id));
    json_object_set_new(o, "statuses", statuses);
    json_object_set_new(o, "required", req);
    json_object_set_new(o, "verified", json_boolean(rv.verified));
    json_object_set_new(o, "ready_for_withdrawal", json_boolean(rv.verified));
    return dump_json(s, o, json_out);
}

ps_status ps_store_review_decide(ps_store *s, const char *applicant_id, const char *kind,
                                 int64_t reviewer_id, const char *decision, const char *reason)
{
    ps__rows *r = NULL;
    ps_status st;
    int began = 0;

    if (!s || !applicant_id || kind_index(kind) < 0 || !decision ||
        (strcmp(decision, "approved") != 0 && strcmp(decision, "rejected") != 0)) {
        if (s)
            ps__store_seterr(s, "decide: bad kind or decision (approved|rejected)");
        return PS_E_ARG;
    }
    int64_t now = ps_store_now_ms(s);
    if ((st = begin(s)) != PS_OK)
        goto out;
    began = 1;
    ps__val p[] = {V_TEXT(applicant_id), V_TEXT(kind), V_INT(reviewer_id)};
    if ((st = run(s,
                  "SELECT (SELECT COUNT(*) FROM applicants WHERE id = $1),"
                  " (SELECT COUNT(*) FROM reviewers WHERE id = $3),"
                  " (SELECT MAX(id) FROM jobs WHERE applicant_id = $1 AND kind = $2)",
                  p, 3, &r, NULL)) != PS_OK)
        goto out;
    if (cell_int(r, 0, 0) == 0 || cell_int(r, 0, 1) == 0) {
        ps__store_seterr(s, "decide: %s not found", cell_int(r, 0, 0) == 0 ? "applicant" : "reviewer");
        st = PS_E_NOT_FOUND;
        goto out;
    }
    int64_t last_job = cell_int(r, 0, 2);
    ps__val q[] = {V_TEXT(applicant_id), V_TEXT(kind), V_TEXT(decision), V_TEXT(reason),
                   V_INT(reviewer_id), V_INT(last_job), V_INT(now)};
    if ((st = run(s,
                  "INSERT INTO reviews (applicant_id, kind, decision, reason, reviewer_id,"
                  " last_job_id, decided) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                  " ON CONFLICT (applicant_id, kind) DO UPDATE SET decision = excluded.decision,"
                  " reason = excluded.reason, reviewer_id = excluded.reviewer_id,"
                  " last_job_id = excluded.last_job_id, decided = excluded.decided",
                  q, 7, NULL, NULL)) != PS_OK)
        goto out;
    ps__val a[] = {V_INT(now), V_INT(reviewer_id), V_TEXT(applicant_id), V_TEXT(kind),
                   V_TEXT(decision), V_TEXT(reason)};
    if ((st = run(s,
                  "INSERT INTO audit_log (at, reviewer_id, applicant_id, kind, decision, reason)"
                  " VALUES ($1, $2, $3, $4, $5, $6)",
                  a, 6, NULL, NULL)) != PS_OK)
        goto out;
    st = s->be->commit(s);
    began = 0;
out:
    if (began)
        s->be->rollback(s);
    ps__rows_free(r);
    return st;
}

static void add_unique(json_t *arr, json_t *v)
{
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e) if (json_equal(e, v)) return;
    json_array_append(arr, v);
}

ps_status ps_store_review_queue_json(ps_store *s, int limit, char **json_out)
{
    ps__rows *r = NULL;
    ps_status st;
    json_t *list = NULL, *index = NULL;
    if (json_out)
        *json_out = NULL;
    if (!s || !json_out)
        return PS_E_ARG;
    if (limit <= 0)
        limit = 100;
    if ((st = run(s,
                  "SELECT j.applicant_id, j.kind, j.id, j.created, r.flags FROM jobs j"
                  " LEFT JOIN reports r ON r.job_id = j.id"
                  " LEFT JOIN reviews v ON v.applicant_id = j.applicant_id AND v.kind = j.kind"
                  " WHERE j.applicant_id IS NOT NULL"
                  " AND j.state IN ('done', 'quarantined', 'dead')"
                  " AND (v.last_job_id IS NULL OR j.id > v.last_job_id)"
                  " ORDER BY j.created, j.id",
                  NULL, 0, &r, NULL)) != PS_OK)
        return st;
    list = json_array();
    index = json_object();
    for (int i = 0; list && index && i < r->nrows; i++) {
        const char *aid = cell_text(r, i, 0);
        json_t *e = json_object_get(index, aid);
        if (!e) {
            if (json_array_size(list) >= (size_t)limit)
                continue;
            e = json_pack("{s:s,s:I,s:[],s:[],s:[]}", "applicant_id", aid, "waiting_since_ms",
                          (json_int_t)cell_int(r, i, 3), "kinds", "job_ids", "flags");
            if (!e)
                break;
            json_array_append_new(list, e);
            json_object_set(index, aid, e);
        }
        json_t *k = json_string(cell_text(r, i, 1));
        add_unique(json_object_get(e, "kinds"), k);
        json_decref(k);
        json_array_append_new(json_object_get(e, "job_ids"), json_integer(cell_int(r, i, 2)));
        json_t *fl = cell_text(r, i, 4) ? json_loads(cell_text(r, i, 4), 0, NULL) : NULL;
        size_t fi;
        json_t *f;
        json_array_foreach(fl, fi, f) add_unique(json_object_get(e, "flags"), f);
        json_decref(fl);
    }
    json_decref(index);
    ps__rows_free(r);
    return dump_json(s, list, json_out);
}

ps_status ps_store_audit_json(ps_store *s, const char *applicant_id, char **json_out)
{
    ps__rows *r = NULL;
    ps_status st;
    if (json_out)
        *json_out = NULL;
    if (!s || !json_out)
        return PS_E_ARG;
    ps__val p[] = {V_TEXT(applicant_id)};
    if ((st = run(s,
                  "SELECT a.id, a.at, w.name, a.applicant_id, a.kind, a.decision, a.reason"
                  " FROM audit_log a LEFT JOIN reviewers w ON w.id = a.reviewer_id"
                  " WHERE CAST($1 AS TEXT) IS NULL OR a.applicant_id = $1 ORDER BY a.id",
                  p, 1, &r, NULL)) != PS_OK)
        return st;
    json_t *a = json_array();
    for (int i = 0; a && i < r->nrows; i++) {
        json_t *o = json_pack("{s:I,s:I,s:s?,s:s?,s:s?,s:s?,s:s?}", "id",
                              (json_int_t)cell_int(r, i, 0), "at_ms", (json_int_t)cell_int(r, i, 1),
                              "reviewer", cell_text(r, i, 2), "applicant_id", cell_text(r, i, 3),
                              "kind", cell_text(r, i, 4), "decision", cell_text(r, i, 5), "reason",
                              cell_text(r, i, 6));
        if (!o || json_array_append_new(a, o) != 0) {
            json_decref(a);
            a = NULL;
        }
    }
    ps__rows_free(r);
    return dump_json(s, a, json_out);
}

/* ---- reviewers, tokens, sessions -------------------------------------------- */

ps_status ps_store_reviewer_set(ps_store *s, const char *name, const char *password,
                                int64_t *reviewer_id)
{
    char hash[crypto_pwhash_STRBYTES];
    ps__rows *r = NULL;
    ps_status st;
    if (reviewer_id)
        *reviewer_id = 0;
    if (!s || !name || !*name || !password || !*password)
        return PS_E_ARG;
    if (crypto_pwhash_str(hash, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        ps__store_seterr(s, "reviewer: password hashing ran out of memory");
        return PS_E_NOMEM;
    }
    ps__val p[] = {V_TEXT(name), V_TEXT(hash), V_INT(ps_store_now_ms(s))};
    st = run(s,
             "INSERT INTO reviewers (name, pwhash, created) VALUES ($1, $2, $3)"
             " ON CONFLICT (name) DO UPDATE SET pwhash = excluded.pwhash RETURNING id",
             p, 3, &r, NULL);
    if (st == PS_OK && reviewer_id && r->nrows == 1)
        *reviewer_id = cell_int(r, 0, 0);
    ps__rows_free(r);
    sodium_memzero(hash, sizeof hash);
    return st;
}

ps_status ps_store_reviewer_check(ps_store *s, const char *name, const char *password,
                                  int64_t *reviewer_id)
{
    ps__rows *r = NULL;
    ps_status st;
    if (reviewer_id)
        *reviewer_id = 0;
    if (!s || !name || !password)
        return PS_E_ARG;
    ps__val p[] = {V_TEXT(name)};
    if ((st = run(s, "SELECT id, pwhash FROM reviewers WHERE name = $1", p, 1, &r, NULL)) != PS_OK)
        return st;
    int found = r->nrows == 1 && cell_text(r, 0, 1);
    /* the API takes a crypto_pwhash_STRBYTES array; the row may be shorter */
    char hash[crypto_pwhash_STRBYTES] = {0};
    snprintf(hash, sizeof hash, "%s", found ? cell_text(r, 0, 1) : dummy_pwhash);
    int ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
    if (found && ok) {
        if (reviewer_id)
            *reviewer_id = cell_int(r, 0, 0);
    } else {
        ps__store_seterr(s, "unknown reviewer or wrong password");
        st = PS_E_DENIED;
    }
    ps__rows_free(r);
    return st;
}

ps_status ps_store_token_add(ps_store *s, const char *name, char token_out[PS_STORE_TOKEN_SIZE])
{
    char hash[65];
    ps_status st;
    if (token_out)
        token_out[0] = '\0';
    if (!s || !name || !*name || !token_out)
        return PS_E_ARG;
    random_hex(token_out);
    sha256_hex((const uint8_t *)token_out, strlen(token_out), hash);
    ps__val p[] = {V_TEXT(name), V_TEXT(hash), V_INT(ps_store_now_ms(s))};
    st = run(s, "INSERT INTO api_tokens (name, token_hash, created) VALUES ($1, $2, $3)", p, 3,
             NULL, NULL);
    if (st != PS_OK)
        sodium_memzero(token_out, PS_STORE_TOKEN_SIZE);
    return st;
}

ps_status ps_store_token_check(ps_store *s, const char *token, char *name_out, size_t name_len)
{
    char hash[65];
    ps__rows *r = NULL;
    ps_status st;
    if (name_out && name_len)
        name_out[0] = '\0';
    if (!s)
        return PS_E_ARG;
    if (!is_token(token)) {
        ps__store_seterr(s, "malformed token");
        return PS_E_DENIED;
    }
    sha256_hex((const uint8_t *)token, strlen(token), hash);
    ps__val p[] = {V_TEXT(hash)};
    if ((st = run(s, "SELECT name FROM api_tokens WHERE token_hash = $1", p, 1, &r, NULL)) != PS_OK)
        return st;
    if (r->nrows == 0) {
        ps__store_seterr(s, "unknown token");
        st = PS_E_DENIED;
    } else if (name_out && name_len) {
        snprintf(name_out, name_len, "%s", cell_text(r, 0, 0) ? cell_text(r, 0, 0) : "");
    }
    ps__rows_free(r);
    return st;
}

ps_status ps_store_session_create(ps_store *s, int64_t reviewer_id, int ttl_seconds,
                                  char token_out[PS_STORE_TOKEN_SIZE],
                                  char csrf_out[PS_STORE_TOKEN_SIZE])
{
    char hash[65];
    ps_status st;
    if (token_out)
        token_out[0] = '\0';
    if (csrf_out)
        csrf_out[0] = '\0';
    if (!s || ttl_seconds <= 0 || !token_out || !csrf_out)
        return PS_E_ARG;
    int64_t now = ps_store_now_ms(s);
    random_hex(token_out);
    random_hex(csrf_out);
    sha256_hex((const uint8_t *)token_out, strlen(token_out), hash);
    ps__val old[] = {V_INT(now)};
    /* housekeeping: expired sessions are useless */
    if ((st = run(s, "DELETE FROM sessions WHERE expires <= $1", old, 1, NULL, NULL)) != PS_OK)
        goto out;
    ps__val p[] = {V_TEXT(hash), V_INT(reviewer_id), V_INT(now),
                   V_INT(now + (int64_t)ttl_seconds * 1000), V_TEXT(csrf_out)};
    st = run(s,
             "INSERT INTO sessions (token_hash, reviewer_id, created, expires, csrf)"
             " VALUES ($1, $2, $3, $4, $5)",
             p, 5, NULL, NULL);
    if (st == PS_E_CONFLICT) {
        ps__store_seterr(s, "session: reviewer not found");
        st = PS_E_NOT_FOUND;
    }
out:
    if (st != PS_OK) {
        sodium_memzero(token_out, PS_STORE_TOKEN_SIZE);
        sodium_memzero(csrf_out, PS_STORE_TOKEN_SIZE);
    }
    return st;
}

ps_status ps_store_session_lookup(ps_store *s, const char *token, ps_session *out)
{
    char hash[65];
    ps__rows *r = NULL;
    ps_status st;
    if (out)
        memset(out, 0, sizeof *out);
    if (!s || !out)
        return PS_E_ARG;
    if (!is_token(token)) {
        ps__store_seterr(s, "session not found");
        return PS_E_NOT_FOUND;
    }
    sha256_hex((const uint8_t *)token, strlen(token), hash);
    ps__val p[] = {V_TEXT(hash)};
    if ((st = run(s,
                  "SELECT s.reviewer_id, w.name, s.csrf, s.expires FROM sessions s"
                  " JOIN reviewers w ON w.id = s.reviewer_id WHERE s.token_hash = $1",
                  p, 1, &r, NULL)) != PS_OK)
        return st;
    if (r->nrows == 0) {
        ps__store_seterr(s, "session not found");
        st = PS_E_NOT_FOUND;
    } else if (cell_int(r, 0, 3) <= ps_store_now_ms(s)) {
        run(s, "DELETE FROM sessions WHERE token_hash = $1", p, 1, NULL, NULL);
        ps__store_seterr(s, "session expired");
        st = PS_E_NOT_FOUND;
    } else {
        out->reviewer_id = cell_int(r, 0, 0);
        snprintf(out->reviewer, sizeof out->reviewer, "%s", cell_text(r, 0, 1) ? cell_text(r, 0, 1) : "");
        snprintf(out->csrf, sizeof out->csrf, "%s", cell_text(r, 0, 2) ? cell_text(r, 0, 2) : "");
        out->expires_ms = cell_int(r, 0, 3);
    }
    ps__rows_free(r);
    return st;
}

ps_status ps_store_session_delete(ps_store *s, const char *token)
{
    char hash[65];
    if (!s)
        return PS_E_ARG;
    if (!is_token(token))
        return PS_OK;
    sha256_hex((const uint8_t *)token, strlen(token), hash);
    ps__val p[] = {V_TEXT(hash)};
    return run(s, "DELETE FROM sessions WHERE token_hash = $1", p, 1, NULL, NULL);
}
