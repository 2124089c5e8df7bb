/* prescreen — storage: applicants, the upload/job queue, reports, redacted
 * images, review decisions, audit log, reviewers, API tokens and sessions.
 *
 * One interface, two backends chosen by the URL scheme:
 *   "sqlite:PATH"         embedded; WAL, busy timeout, foreign keys, secure_delete.
 *                         Several processes may share one file.
 *   "postgresql://..." or "postgres://..."
 *                         a libpq URI. Extension: a query parameter
 *                         "schema=NAME" ([a-z0-9_], at most 48 chars) makes the
 *                         store create and use that schema (it is removed
 *                         before the URI is handed to libpq).
 * The schema is created or migrated on open (table schema_version).
 *
 * Thread rules: a ps_store handle is used by one thread at a time. Open one
 * handle per thread (or per process); handles on the same database may be
 * used concurrently from any number of threads and processes.
 *
 * Errors: every call returns a ps_status; on failure a message is kept in the
 * handle (ps_store_errmsg). PS_E_STORE means the database failed; if the
 * connection itself is lost the handle is poisoned and every later call
 * returns PS_E_STORE.
 *
 * Times are milliseconds since the Unix epoch, taken from the caller's clock
 * (CLOCK_REALTIME), not the database's, so both backends behave the same.
 *
 * Nothing here sanitises text: callers must never pass a card number, CVV or
 * My Number in a message, report or name. Original upload bytes are deleted
 * when the job ends (done, quarantined or dead).
 */
#ifndef PRESCREEN_STORE_H
#define PRESCREEN_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "prescreen/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ps_store ps_store;

/* ---- job states (SPEC §6) --------------------------------------------- */
typedef enum ps_job_state {
    PS_JOB_QUEUED = 0,
    PS_JOB_RUNNING = 1,
    PS_JOB_DONE = 2,
    PS_JOB_QUARANTINED = 3,
    PS_JOB_DEAD = 4,
    PS_JOB_STATE_COUNT_ /* not a state */
} ps_job_state;

/*! @return the stable lower-case name ("queued", ...); static, never NULL
 *          ("unknown" for out-of-range values). */
const char *ps_job_state_name(ps_job_state s);

/* ---- review statuses (SPEC §6), per applicant and kind ------------------ */
typedef enum ps_review_status {
    PS_REVIEW_IN_PROCESS = 0,    /* uploaded, pre-screen not finished yet */
    PS_REVIEW_NOT_SUBMITTED = 1, /* nothing uploaded for this kind */
    PS_REVIEW_CHECKING = 2,      /* pre-screened, awaiting a reviewer */
    PS_REVIEW_REJECTED = 3,      /* reviewer rejected: must be resubmitted */
    PS_REVIEW_APPROVED = 4
} ps_review_status;

/*! @return "in_process", "not_submitted", "checking", "rejected",
 *          "approved"; static, "unknown" for other values. */
const char *ps_review_status_name(ps_review_status s);

/* The upload kinds, in SPEC order. */
#define PS_STORE_KIND_COUNT 5
/*! @return kind name by index 0..4 (photo_id, selfie, address_proof,
 *          credit_card, other) or NULL. Static. */
const char *ps_store_kind_name(int index);

/* ---- open / close -------------------------------------------------------- */

/*! ps_store_open() :
 *  Opens (creating or migrating the schema) the store named by `url`.
 *  @param out    set to NULL first; on success the new handle, which the
 *                caller frees with ps_store_close().
 *  @param err    optional buffer (may be NULL) that receives a message when
 *                the call fails; the URL's password is never copied into it.
 *  @return PS_OK, PS_E_ARG (NULL/unknown scheme), PS_E_NOMEM, PS_E_STORE. */
ps_status ps_store_open(const char *url, ps_store **out, char *err, size_t errlen);

/*! Closes the handle and sets *s to NULL. NULL and *s == NULL are fine. */
void ps_store_close(ps_store **s);

/*! @return the last error message of `s` ("" when none); owned by the handle,
 *          valid until the next call on it. NULL `s` gives "". */
const char *ps_store_errmsg(const ps_store *s);

/*! @return "sqlite" or "postgresql"; static. */
const char *ps_store_backend(const ps_store *s);

/*! Queue policy. Defaults: 5 attempts, backoff 2000 ms doubling per attempt,
 *  capped at 300000 ms. Values <= 0 keep the current setting, except
 *  base_ms == 0 which disables backoff (tests). */
void ps_store_set_retry(ps_store *s, int max_attempts, int64_t base_ms, int64_t cap_ms);

/*! Adds `offset_ms` to the clock of this handle (tests use it to let leases
 *  and backoffs expire without sleeping). */
void ps_store_set_clock_offset(ps_store *s, int64_t offset_ms);

/*! @return the handle's notion of now (epoch ms, including the offset). */
int64_t ps_store_now_ms(const ps_store *s);

/* ---- applicants ---------------------------------------------------------- */

/*! Creates or replaces the applicant whose profile is `profile_json` (SPEC §3
 *  applicant object; "id" is a required non-empty string, "card_deposit" an
 *  optional boolean). The JSON is copied; not kept.
 *  @return PS_OK, PS_E_ARG, PS_E_JSON, PS_E_STORE. */
ps_status ps_store_put_applicant(ps_store *s, const char *profile_json);

/*! Gets an applicant's profile JSON.
 *  @param json_out set to NULL first; on PS_OK a malloc'd string the caller
 *                  frees. @return PS_OK, PS_E_NOT_FOUND, PS_E_STORE. */
ps_status ps_store_get_applicant(ps_store *s, const char *id, char **json_out);

/* ---- the job queue -------------------------------------------------------- */

/* Upload metadata for ps_store_enqueue. Strings are copied. */
typedef struct ps_upload_meta {
    const char *kind;         /* required: one of the five kinds */
    const char *side;         /* NULL, "front" or "back" */
    const char *applicant_id; /* NULL or an existing applicant */
} ps_upload_meta;

/* A job record. Returned by ps_store_claim (with the original bytes) and
 * ps_store_get_job (without). Every pointer is owned by the record; free the
 * whole record with ps_store_job_free. */
typedef struct ps_store_job {
    int64_t id;
    char *kind;
    char *side;             /* NULL when none */
    char *applicant_id;     /* NULL when none */
    char *applicant_json;   /* the profile at claim time; NULL when none
                               (only filled by ps_store_claim) */
    ps_job_state state;
    int attempts;           /* claims so far, including the current one */
    int64_t created_ms;
    int64_t finished_ms;    /* 0 while not finished */
    int64_t lease_expires_ms; /* 0 when not running */
    int64_t next_run_ms;
    char sha256[65];        /* hex digest of the original bytes */
    int has_phash;
    uint64_t phash;
    char *last_error_code;  /* NULL when none */
    char *last_error_message;
    int64_t original_len;   /* bytes of the original still held; 0 once deleted */
    uint8_t *bytes;         /* original bytes (claim only), else NULL */
    size_t len;
} ps_store_job;

/*! Frees a job record and sets *j to NULL; NULL is fine. */
void ps_store_job_free(ps_store_job **j);

/*! ps_store_enqueue() :
 *  Stores the upload bytes (copied) and queues a job. Wakes waiting workers.
 *  @param job_id  receives the new id (set to 0 first).
 *  @return PS_OK, PS_E_ARG (bad kind/side, NULL, len 0), PS_E_NOT_FOUND
 *          (applicant_id unknown), PS_E_STORE. */
ps_status ps_store_enqueue(ps_store *s, const ps_upload_meta *meta,
                           const uint8_t *bytes, size_t len, int64_t *job_id);

/*! ps_store_claim() :
 *  Atomically takes the oldest runnable queued job (state queued, next run
 *  time reached) for `worker`, sets it running with a lease of
 *  `lease_seconds` and attempts+1. Expired leases are reaped first. A job is
 *  never handed to two workers at once.
 *  @param out  set to NULL first; NULL on PS_OK means no work; otherwise a
 *              record with the original bytes, freed with ps_store_job_free.
 *  @return PS_OK, PS_E_ARG, PS_E_STORE. */
ps_status ps_store_claim(ps_store *s, const char *worker, int lease_seconds, ps_store_job **out);

/*! Extends the lease of a running job held by `worker` to now+lease_seconds.
 *  @return PS_OK, PS_E_CONFLICT (not running or not held by `worker`: the
 *          lease was lost; stop working on it), PS_E_NOT_FOUND, PS_E_STORE. */
ps_status ps_store_heartbeat(ps_store *s, int64_t job_id, const char *worker, int lease_seconds);

/*! ps_store_complete() :
 *  In ONE transaction: stores the report (and the redacted image when
 *  `jpeg` is not NULL), deletes the original bytes and sets the final state.
 *  @param report_json  required; copied. Its "flags" and "verdict" are
 *                      indexed for the review queue.
 *  @param final_state  PS_JOB_DONE or PS_JOB_QUARANTINED (a quarantined job
 *                      normally has no image: it could not be made safe).
 *  @return PS_OK; PS_E_CONFLICT when the job is not running under `worker`
 *          (already completed, or the lease was lost and the job requeued or
 *          reclaimed) — nothing is written; PS_E_NOT_FOUND; PS_E_ARG;
 *          PS_E_JSON (report not an object); PS_E_STORE. */
ps_status ps_store_complete(ps_store *s, int64_t job_id, const char *worker,
                            const char *report_json, const uint8_t *jpeg, size_t jpeg_len,
                            ps_job_state final_state);

/*! ps_store_fail() :
 *  Records an error for a running job held by `worker`. Retryable and
 *  attempts < limit: back to queued after the backoff. Otherwise dead, the
 *  original bytes are deleted and the error is kept. `code` and `message`
 *  are stored verbatim: the caller must not pass sensitive text.
 *  @param new_state  optional; receives the resulting state.
 *  @return PS_OK, PS_E_CONFLICT (lease lost), PS_E_NOT_FOUND, PS_E_ARG,
 *          PS_E_STORE. */
ps_status ps_store_fail(ps_store *s, int64_t job_id, const char *worker, int retryable,
                        const char *code, const char *message, ps_job_state *new_state);

/*! Requeues (or kills, at the attempt limit) every running job whose lease
 *  has expired. @param n_reaped optional count. */
ps_status ps_store_reap(ps_store *s, int *n_reaped);

/*! Records the 64-bit perceptual hash of a job's upload (set by the worker
 *  after decoding). @return PS_OK, PS_E_NOT_FOUND, PS_E_STORE. */
ps_status ps_store_set_phash(ps_store *s, int64_t job_id, uint64_t phash);

/* One near-duplicate found by ps_store_find_similar. */
typedef struct ps_similar {
    int64_t job_id;
    char applicant_id[128]; /* "" when the upload had no applicant */
    int distance;           /* Hamming distance, 0..64 */
} ps_similar;

/*! ps_store_find_similar() :
 *  Uploads whose perceptual hash is within Hamming distance `max_distance`
 *  (0..64) of `phash`, excluding job `exclude_job_id` (0: none), nearest
 *  first, at most `max` results.
 *  @param out  caller's array of `max` entries; @param n receives the count.
 *  @return PS_OK, PS_E_ARG, PS_E_STORE. */
ps_status ps_store_find_similar(ps_store *s, uint64_t phash, int max_distance,
                                int64_t exclude_job_id, ps_similar *out, size_t max,
                                size_t *n);

/*! Counts per job state as JSON, e.g.
 *  {"queued":1,"running":0,"done":3,"quarantined":0,"dead":0,"total":4}.
 *  @param json_out set to NULL first; malloc'd, caller frees. */
ps_status ps_store_status_json(ps_store *s, char **json_out);

/*! Counts per state into counts[PS_JOB_STATE_COUNT_]. */
ps_status ps_store_counts(ps_store *s, int64_t counts[PS_JOB_STATE_COUNT_]);

/*! A job record without the bytes (for GET /api/jobs/ID).
 *  @param out set to NULL first; free with ps_store_job_free.
 *  @return PS_OK, PS_E_NOT_FOUND, PS_E_STORE. */
ps_status ps_store_get_job(ps_store *s, int64_t job_id, ps_store_job **out);

/*! The stored report of a finished job.
 *  @param json_out set to NULL first; malloc'd, caller frees.
 *  @return PS_OK, PS_E_NOT_FOUND (no such job or no report yet), PS_E_STORE. */
ps_status ps_store_get_result(ps_store *s, int64_t job_id, char **json_out);

/*! The stored redacted image of a finished job.
 *  @param bytes set to NULL first; malloc'd, caller frees.
 *  @return PS_OK, PS_E_NOT_FOUND, PS_E_STORE. */
ps_status ps_store_get_redacted(ps_store *s, int64_t job_id, uint8_t **bytes, size_t *len);

/*! Sleeps until work may be available or `timeout_ms` passes (PostgreSQL:
 *  LISTEN/NOTIFY on enqueue plus the next backoff/lease deadline; SQLite: a
 *  short poll). Returns PS_OK either way; callers then try ps_store_claim. */
ps_status ps_store_wait_for_work(ps_store *s, int timeout_ms);

/*! Jobs of one applicant, newest first, as a JSON array of
 *  {"job_id","kind","side","state","created_ms","verdict","flags"}.
 *  @param json_out malloc'd, caller frees. */
ps_status ps_store_applicant_jobs_json(ps_store *s, const char *applicant_id, char **json_out);

/* ---- review ---------------------------------------------------------------- */

typedef struct ps_review {
    ps_review_status status[PS_STORE_KIND_COUNT]; /* indexed like ps_store_kind_name */
    int card_deposit;  /* from the profile */
    int verified;      /* every required kind approved: ready for withdrawal */
} ps_review;

/*! Review statuses of one applicant (see docs/storage.md for the rules).
 *  @return PS_OK, PS_E_NOT_FOUND (no such applicant), PS_E_STORE. */
ps_status ps_store_review_status(ps_store *s, const char *applicant_id, ps_review *out);

/*! The same as JSON: {"applicant_id":..,"statuses":{"photo_id":"approved",..},
 *  "required":[..],"verified":true,"ready_for_withdrawal":true}.
 *  @param json_out malloc'd, caller frees. */
ps_status ps_store_review_status_json(ps_store *s, const char *applicant_id, char **json_out);

/*! ps_store_review_decide() :
 *  Records a reviewer's decision ("approved" or "rejected") for an applicant
 *  and kind, covering every upload of that kind so far, and appends it to
 *  the audit log, in one transaction. `reason` may be NULL.
 *  @return PS_OK, PS_E_ARG, PS_E_NOT_FOUND (applicant or reviewer),
 *          PS_E_STORE. */
ps_status ps_store_review_decide(ps_store *s, const char *applicant_id, const char *kind,
                                 int64_t reviewer_id, const char *decision, const char *reason);

/*! Applicants waiting for review (some kind is "checking"), oldest waiting
 *  first, at most `limit` (<= 0: 100), as a JSON array of
 *  {"applicant_id","waiting_since_ms","kinds":[..],"job_ids":[..],"flags":[..]}.
 *  @param json_out malloc'd, caller frees. */
ps_status ps_store_review_queue_json(ps_store *s, int limit, char **json_out);

/*! The audit log (append-only; no API changes or deletes it), oldest first,
 *  for one applicant or all (NULL), as a JSON array of
 *  {"id","at_ms","reviewer","applicant_id","kind","decision","reason"}. */
ps_status ps_store_audit_json(ps_store *s, const char *applicant_id, char **json_out);

/* ---- reviewers, tokens, sessions ------------------------------------------ */

/*! Creates a reviewer or replaces its password. The password is hashed with
 *  Argon2id (crypto_pwhash_str); neither is kept in memory after the call.
 *  @param reviewer_id optional, receives the id. */
ps_status ps_store_reviewer_set(ps_store *s, const char *name, const char *password,
                                int64_t *reviewer_id);

/*! Checks a reviewer's password.
 *  @return PS_OK (and *reviewer_id, optional), PS_E_DENIED (unknown name or
 *          wrong password; the two take the same path), PS_E_STORE. */
ps_status ps_store_reviewer_check(ps_store *s, const char *name, const char *password,
                                  int64_t *reviewer_id);

/* Token buffers: 64 hex characters + NUL. */
#define PS_STORE_TOKEN_SIZE 65

/*! Creates an API token for an upload client called `name`. The token is 32
 *  random bytes in hex, written to `token_out`; only its SHA-256 is stored.
 *  Show it once to the operator. */
ps_status ps_store_token_add(ps_store *s, const char *name, char token_out[PS_STORE_TOKEN_SIZE]);

/*! Checks an API token. @param name_out optional buffer for the client name.
 *  @return PS_OK, PS_E_DENIED, PS_E_STORE. */
ps_status ps_store_token_check(ps_store *s, const char *token, char *name_out, size_t name_len);

typedef struct ps_session {
    int64_t reviewer_id;
    char reviewer[128];
    char csrf[PS_STORE_TOKEN_SIZE];
    int64_t expires_ms;
} ps_session;

/*! Creates a login session for a reviewer lasting `ttl_seconds`. Writes the
 *  session token (for the cookie; only its SHA-256 is stored) and a CSRF
 *  token (stored) into the caller's buffers. */
ps_status ps_store_session_create(ps_store *s, int64_t reviewer_id, int ttl_seconds,
                                  char token_out[PS_STORE_TOKEN_SIZE],
                                  char csrf_out[PS_STORE_TOKEN_SIZE]);

/*! Looks up a session by its token. @return PS_OK (fills *out),
 *  PS_E_NOT_FOUND (unknown or expired; expired sessions are deleted),
 *  PS_E_STORE. */
ps_status ps_store_session_lookup(ps_store *s, const char *token, ps_session *out);

/*! Deletes a session (logout). Unknown tokens are PS_OK. */
ps_status ps_store_session_delete(ps_store *s, const char *token);

#ifdef __cplusplus
}
#endif
#endif
