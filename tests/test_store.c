/* The store contract suite: every test runs against every available backend
 * (loop index 0 = SQLite, always; 1 = PostgreSQL when a server URL is given
 * by PS_PG_URL or the file named by PS_PG_URL_FILE, which the CTest fixture
 * in tests/store.cmake writes). Each test gets a fresh database: a new
 * SQLite file, or a new PostgreSQL schema (the "schema=" URL parameter). */
#include "testutil.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "prescreen/store.h"

static int n_backends = 1;
static char pg_url[512];
static int url_counter;
static char sqlite_dir[600]; /* this run's SQLite files; removed at the end */

/* A fresh database URL for backend `b`. */
static void fresh_url(int b, char *out, size_t n)
{
    url_counter++;
    if (b == 0) {
        snprintf(out, n, "sqlite:%s/t_%ld_%d.db", sqlite_dir, (long)getpid(), url_counter);
        unlink(out + 7);
    } else {
        snprintf(out, n, "%s%cschema=t_%ld_%d_%ld", pg_url, strchr(pg_url, '?') ? '&' : '?',
                 (long)getpid(), url_counter, (long)time(NULL) % 100000);
    }
}

static ps_store *open_url(const char *url)
{
    ps_store *s = NULL;
    char err[512];
    ps_status st = ps_store_open(url, &s, err, sizeof err);
    ck_assert_msg(st == PS_OK, "open %s: %s", url, err);
    return s;
}

static ps_store *open_fresh(int b, char *url_out, size_t n)
{
    char url[700];
    fresh_url(b, url, sizeof url);
    if (url_out)
        snprintf(url_out, n, "%s", url);
    return open_url(url);
}

#define OK(call)                                                                        \
    do {                                                                                \
        ps_status st_ = (call);                                                         \
        ck_assert_msg(st_ == PS_OK, "%s -> %s: %s", #call, ps_status_code(st_),         \
                      ps_store_errmsg(s));                                              \
    } while (0)

static const char applicant_json[] =
    "{\"id\":\"A-1001\",\"name\":\"山田 太郎\",\"name_kana\":\"ヤマダ タロウ\","
    "\"birth_date\":\"1990-04-01\",\"address\":\"東京都千代田区千代田1-1-1\","
    "\"card_deposit\":true}";

static const uint8_t upload[] = "\xff\xd8\xff\xe0 pretend jpeg bytes of a photo ID";

static int64_t enqueue(ps_store *s, const char *kind, const char *applicant)
{
    int64_t id = 0;
    ps_upload_meta m = {.kind = kind, .side = NULL, .applicant_id = applicant};
    OK(ps_store_enqueue(s, &m, upload, sizeof upload, &id));
    ck_assert_int_gt(id, 0);
    return id;
}

static ps_job_state state_of(ps_store *s, int64_t id)
{
    ps_store_job *j = NULL;
    OK(ps_store_get_job(s, id, &j));
    ps_job_state st = j->state;
    ps_store_job_free(&j);
    return st;
}

/* Claims and completes one job as `worker` with the given flags. */
static int64_t run_one(ps_store *s, const char *worker, const char *flags)
{
    ps_store_job *j = NULL;
    char report[256];
    OK(ps_store_claim(s, worker, 60, &j));
    ck_assert_ptr_nonnull(j);
    int64_t id = j->id;
    snprintf(report, sizeof report,
             "{\"schema\":\"prescreen.report/1\",\"flags\":%s,\"verdict\":\"review\"}", flags);
    OK(ps_store_complete(s, id, worker, report, (const uint8_t *)"JPEG", 4, PS_JOB_DONE));
    ps_store_job_free(&j);
    return id;
}

/* ---- opening ------------------------------------------------------------ */

START_TEST(open_creates_and_reopens_schema)
{
    char url[700];
    ps_store *s = open_fresh(_i, url, sizeof url);
    char *json = NULL;
    ck_assert_str_eq(ps_store_backend(s), _i == 0 ? "sqlite" : "postgresql");
    OK(ps_store_status_json(s, &json));
    ck_assert_str_eq(json, "{\"queued\":0,\"running\":0,\"done\":0,\"quarantined\":0,\"dead\":0,"
                           "\"total\":0}");
    free(json);
    OK(ps_store_put_applicant(s, applicant_json));
    ps_store_close(&s);
    ck_assert_ptr_null(s);
    s = open_url(url); /* migration finds version 1 and keeps the data */
    OK(ps_store_get_applicant(s, "A-1001", &json));
    ck_assert_ptr_nonnull(strstr(json, "山田 太郎"));
    free(json);
    ps_store_close(&s);
    ps_store_close(NULL);

    char err[256];
    ck_assert_int_eq(ps_store_open("mysql://x", &s, err, sizeof err), PS_E_ARG);
    ck_assert_ptr_null(s);
    ck_assert_int_gt(strlen(err), 0);
    ck_assert_int_eq(ps_store_open("sqlite:/nonexistent-dir/x/y.db", &s, err, sizeof err),
                     PS_E_STORE);
    ck_assert_ptr_null(s);
    /* nothing listens on port 1: the error names the server, never the password */
    ck_assert_int_eq(ps_store_open("postgresql://u:s3cretPW@127.0.0.1:1/db?connect_timeout=5"
                                   "&schema=x",
                                   &s, err, sizeof err),
                     PS_E_STORE);
    ck_assert_ptr_null(s);
    ck_assert_ptr_nonnull(strstr(err, "127.0.0.1"));
    ck_assert_ptr_null(strstr(err, "s3cretPW"));
    ck_assert_int_eq(ps_store_open("postgresql://u@127.0.0.1:1/db?schema=Bad-Name", &s, err,
                                   sizeof err),
                     PS_E_ARG);
}
END_TEST

START_TEST(applicants_upsert_and_validate)
{
    ps_store *s = open_fresh(_i, NULL, 0);
    char *json = NULL;
    OK(ps_store_put_applicant(s, applicant_json));
    OK(ps_store_put_applicant(s, "{\"id\":\"A-1001\",\"name\":\"山田 花子\",\"card_deposit\":false}"));
    OK(ps_store_get_applicant(s, "A-1001", &json));
    ck_assert_ptr_nonnull(strstr(json, "花子"));
    ck_assert_ptr_null(strstr(json, "太郎"));
    free(json);
    ck_assert_int_eq(ps_store_get_applicant(s, "nobody", &json), PS_E_NOT_FOUND);
    ck_assert_ptr_null(json);
    ck_assert_int_eq(ps_store_put_applicant(s, "{\"name\":\"x\"}"), PS_E_JSON);
    ck_assert_int_eq(ps_store_put_applicant(s, "[1,2]"), PS_E_JSON);
    ck_assert_int_eq(ps_store_put_applicant(s, "{\"id\":\"B\",\"card_deposit\":\"yes\"}"), PS_E_JSON);
    ck_assert_int_eq(ps_store_put_applicant(s, "{"), PS_E_JSON);
    ps_store_close(&s);
}
END_TEST

/* ---- the queue ---------------------------------------------------------- */

START_TEST(enqueue_validates)
{
    ps_store *s = open_fresh(_i, NULL, 0);
    int64_t id = 7;
    ps_upload_meta m = {.kind = "passport"};
    ck_assert_int_eq(ps_store_enqueue(s, &m, upload, sizeof upload, &id), PS_E_ARG);
    ck_assert_int_eq(id, 0);
    m.kind = "photo_id";
    m.side = "left";
    ck_assert_int_eq(ps_store_enqueue(s, &m, upload, sizeof upload, &id), PS_E_ARG);
    m.side = "front";
    ck_assert_int_eq(ps_store_enqueue(s, &m, upload, 0, &id), PS_E_ARG);
    m.applicant_id = "nobody";
    ck_assert_int_eq(ps_store_enqueue(s, &m, upload, sizeof upload, &id), PS_E_NOT_FOUND);
    int64_t c[PS_JOB_STATE_COUNT_];
    OK(ps_store_counts(s, c));
    ck_assert_int_eq(c[PS_JOB_QUEUED], 0);
    ps_store_close(&s);
}
END_TEST

START_TEST(lifecycle_claim_complete_is_idempotent)
{
    ps_store *s = open_fresh(_i, NULL, 0);
    ps_store_job *j = NULL;
    char *json = NULL;
    uint8_t *img = NULL;
    size_t img_len = 0;
    OK(ps_store_put_applicant(s, applicant_json));
    ps_upload_meta m = {.kind = "credit_card", .side = "back", .applicant_id = "A-1001"};
    int64_t id = 0;
    OK(ps_store_enqueue(s, &m, upload, sizeof upload, &id));
    ck_assert_int_eq(state_of(s, id), PS_JOB_QUEUED);

    OK(ps_store_claim(s, "w1", 60, &j));
    ck_assert_ptr_nonnull(j);
    ck_assert_int_eq(j->id, id);
    ck_assert_int_eq(j->state, PS_JOB_RUNNING);
    ck_assert_int_eq(j->attempts, 1);
    ck_assert_str_eq(j->kind, "credit_card");
    ck_assert_str_eq(j->side, "back");
    ck_assert_str_eq(j->applicant_id, "A-1001");
    ck_assert_ptr_nonnull(strstr(j->applicant_json, "ヤマダ"));
    ck_assert_uint_eq(j->len, sizeof upload);
    ck_assert_mem_eq(j->bytes, upload, sizeof upload);
    ck_assert_int_eq(strlen(j->sha256), 64);
    ck_assert_int_eq(j->original_len, (int64_t)sizeof upload);
    ps_store_job_free(&j);
    ck_assert_ptr_null(j);
    ps_store_job_free(NULL);

    OK(ps_store_claim(s, "w2", 60, &j));
    ck_assert_ptr_null(j); /* the only job is taken */
    OK(ps_store_heartbeat(s, id, "w1", 60));
    ck_assert_int_eq(ps_store_heartbeat(s, id, "w2", 60), PS_E_CONFLICT);
    ck_assert_int_eq(ps_store_heartbeat(s, id + 100, "w1", 60), PS_E_NOT_FOUND);
    ck_assert_int_eq(ps_store_get_result(s, id, &json), PS_E_NOT_FOUND);

    const char *report = "{\"schema\":\"prescreen.report/1\",\"flags\":[\"blurry\"],"
                         "\"verdict\":\"review\"}";
    ck_assert_int_eq(ps_store_complete(s, id, "w2", report, (const uint8_t *)"X", 1, PS_JOB_DONE),
                     PS_E_CONFLICT);
    ck_assert_int_eq(ps_store_complete(s, id, "w1", "not json", NULL, 0, PS_JOB_DONE), PS_E_JSON);
    ck_assert_int_eq(ps_store_complete(s, id, "w1", report, NULL, 0, PS_JOB_RUNNING), PS_E_ARG);
    OK(ps_store_complete(s, id, "w1", report, (const uint8_t *)"REDACTED-JPEG", 13, PS_JOB_DONE));
    /* the second complete is refused and stores nothing */
    ck_assert_int_eq(ps_store_complete(s, id, "w1", "{\"flags\":[],\"second\":true}",
                                       (const uint8_t *)"OTHER", 5, PS_JOB_DONE),
                     PS_E_CONFLICT);
    ck_assert_int_eq(ps_store_heartbeat(s, id, "w1", 60), PS_E_CONFLICT);
    ck_assert_int_eq(ps_store_fail(s, id, "w1", 1, "x", "y", NULL), PS_E_CONFLICT);

    OK(ps_store_get_result(s, id, &json));
    ck_assert_str_eq(json, report);
    free(json);
    OK(ps_store_get_redacted(s, id, &img, &img_len));
    ck_assert_uint_eq(img_len, 13);
    ck_assert_mem_eq(img, "REDACTED-JPEG", 13);
    free(img);
    OK(ps_store_get_job(s, id, &j));
    ck_assert_int_eq(j->state, PS_JOB_DONE);
    ck_assert_int_eq(j->original_len, 0); /* original deleted in the same transaction */
    ck_assert_ptr_null(j->bytes);
    ck_assert_int_gt(j->finished_ms, 0);
    ps_store_job_free(&j);
    OK(ps_store_claim(s, "w1", 60, &j));
    ck_assert_ptr_null(j);
    OK(ps_store_status_json(s, &json));
    ck_assert_str_eq(json, "{\"queued\":0,\"running\":0,\"done\":1,\"quarantined\":0,\"dead\":0,"
                           "\"total\":1}");
    free(json);
    OK(ps_store_applicant_jobs_json(s, "A-1001", &json));
    ck_assert_ptr_nonnull(strstr(json, "\"flags\":[\"blurry\"]"));
    ck_assert_ptr_nonnull(strstr(json, "\"state\":\"done\""));
    free(json);
    ck_assert_int_eq(ps_store_get_job(s, 999999, &j), PS_E_NOT_FOUND);
    ps_store_close(&s);
}
END_TEST

START_TEST(quarantine_stores_report_without_image)
{
    ps_store *s = open_fresh(_i, NULL, 0);
    ps_store_job *j = NULL;
    uint8_t *img = NULL;
    size_t n = 0;
    int64_t id = enqueue(s, "credit_card", NULL);
    OK(ps_store_claim(s, "w", 60, &j));
    OK(ps_store_complete(s, id, "w", "{\"flags\":[\"redaction_uncertain\"]}", NULL, 0,
                         PS_JOB_QUARANTINED));
    ps_store_job_free(&j);
    ck_assert_int_eq(state_of(s, id), PS_JOB_QUARANTINED);
    ck_assert_int_eq(ps_store_get_redacted(s, id, &img, &n), PS_E_NOT_FOUND);
    ck_assert_ptr_null(img);
    OK(ps_store_get_job(s, id, &j));
    ck_assert_int_eq(j->original_len, 0);
    ps_store_job_free(&j);
    ps_store_close(&s);
}
END_TEST

START_TEST(lease_expiry_requeues_with_backoff_and_reclaims)
{
    ps_store *s = open_fresh(_i, NULL, 0);
    ps_store_job *j = NULL;
    int n = -1;
    ps_store_set_retry(s, 5, 1000, 60000);
    int64_t id = enqueue(s, "selfie", NULL);
    OK(ps_store_claim(s, "w1", 30, &j));
    ck_assert_ptr_nonnull(j);
    ps_store_job_free(&j);
    OK(ps_store_reap(s, &n));
    ck_assert_int_eq(n, 0); /* lease still valid */
    ps_store_set_clock_offset(s, 31000);
    OK(ps_store_reap(s, &n));
    ck_assert_int_eq(n, 1);
    OK(ps_store_get_job(s, id, &j));
    ck_assert_int_eq(j->state, PS_JOB_QUEUED);
    ck_assert_str_eq(j->last_error_code, "lease_expired");
    ck_assert_int_ge(j->next_run_ms, ps_store_now_ms(s) + 500); /* backoff 1000 ms */
    ps_store_job_free(&j);
    OK(ps_store_claim(s, "w2", 30, &j));
    ck_assert_ptr_null(j); /* still backing off */
    ck_assert_int_eq(ps_store_heartbeat(s, id, "w1", 30), PS_E_CONFLICT);
    ps_store_set_clock_offset(s, 32100);
    OK(ps_store_claim(s, "w2", 30, &j));
    ck_assert_ptr_nonnull(j);
    ck_assert_int_eq(j->id, id);
    ck_assert_int_eq(j->attempts, 2);
    ck_assert_mem_eq(j->bytes, upload, sizeof upload);
    ps_store_job_free(&j);
    /* the first worker wakes up and tries to finish: refused */
    ck_assert_int_eq(ps_store_complete(s, id, "w1", "{\"flags\":[]}", NULL, 0, PS_JOB_DONE),
                     PS_E_CONFLICT);
    OK(ps_store_complete(s, id, "w2", "{\"flags\":[]}", (const uint8_t *)"J", 1, PS_JOB_DONE));
    ck_assert_int_eq(state_of(s, id), PS_JOB_DONE);

    /* claim itself reaps: an expired lease is taken over without a reap call */
    int64_t id2 = enqueue(s, "selfie", NULL);
    ps_store_set_retry(s, 5, 0, 0);
    OK(ps_store_claim(s, "w3", 10, &j));
    ck_assert_int_eq(j->id, id2);
    ps_store_job_free(&j);
    ps_store_set_clock_offset(s, 32100 + 11000);
    OK(ps_store_claim(s, "w4", 10, &j));
    ck_assert_ptr_nonnull(j);
    ck_assert_int_eq(j->id, id2);
    ps_store_job_free(&j);
    ps_store_close(&s);
}
END_TEST

START_TEST(retries_then_dead_keeps_last_error)
{
    ps_store *s = open_fresh(_i, NULL, 0);
    ps_store_job *j = NULL;
    ps_job_state to = PS_JOB_DONE;
    ps_store_set_retry(s, 3, 1000, 60000);
    int64_t id = enqueue(s, "photo_id", NULL);
    int64_t offset = 0;
    for (int attempt = 1; attempt <= 3; attempt++) {
        OK(ps_store_claim(s, "w", 60, &j));
        ck_assert_ptr_nonnull(j);
        ck_assert_int_eq(j->attempts, attempt);
        ps_store_job_free(&j);
        char msg[64];
        snprintf(msg, sizeof msg, "ocr crashed on attempt %d", attempt);
        OK(ps_store_fail(s, id, "w", 1, "ocr_error", msg, &to));
        OK(ps_store_get_job(s, id, &j));
        if (attempt < 3) {
            ck_assert_int_eq(to, PS_JOB_QUEUED);
            /* exponential backoff: 1 s, then 2 s */
            int64_t wait = j->next_run_ms - ps_store_now_ms(s);
            int64_t want = attempt == 1 ? 1000 : 2000;
            ck_assert_msg(wait > want / 2 && wait <= want, "backoff %lld", (long long)wait);
            ps_store_job_free(&j);
            OK(ps_store_claim(s, "w", 60, &j));
            ck_assert_ptr_null(j); /* not yet */
            offset += want + 1;
            ps_store_set_clock_offset(s, offset);
        } else {
            ck_assert_int_eq(to, PS_JOB_DEAD);
            ck_assert_int_eq(j->state, PS_JOB_DEAD);
            ck_assert_str_eq(j->last_error_code, "ocr_error");
            ck_assert_str_eq(j->last_error_message, "ocr crashed on attempt 3");
            ck_assert_int_eq(j->original_len, 0); /* poison input is not kept */
            ps_store_job_free(&j);
        }
    }
    OK(ps_store_claim(s, "w", 60, &j));
    ck_assert_ptr_null(j);

    /* a non-retryable error is dead at once */
    int64_t id2 = enqueue(s, "photo_id", NULL);
    OK(ps_store_claim(s, "w", 60, &j));
    ck_assert_int_eq(j->id, id2);
    ps_store_job_free(&j);
    OK(ps_store_fail(s, id2, "w", 0, "corrupt", "bad huffman table", &to));
    ck_assert_int_eq(to, PS_JOB_DEAD);
    ck_assert_int_eq(ps_store_fail(s, id2, "w", 0, "corrupt", "again", &to), PS_E_CONFLICT);

    /* a lease that expires on the last attempt is dead too */
    ps_store_set_retry(s, 1, 0, 0);
    int64_t id3 = enqueue(s, "photo_id", NULL);
    OK(ps_store_claim(s, "w", 5, &j));
    ck_assert_int_eq(j->id, id3);
    ps_store_job_free(&j);
    ps_store_set_clock_offset(s, offset + 6000);
    int n = 0;
    OK(ps_store_reap(s, &n));
    ck_assert_int_eq(n, 1);
    OK(ps_store_get_job(s, id3, &j));
    ck_assert_int_eq(j->state, PS_JOB_DEAD);
    ck_assert_str_eq(j->last_error_code, "lease_expired");
    ps_store_job_free(&j);
    int64_t c[PS_JOB_STATE_COUNT_];
    OK(ps_store_counts(s, c));
    ck_assert_int_eq(c[PS_JOB_DEAD], 3);
    ck_assert_int_eq(c[PS_JOB_QUEUED] + c[PS_JOB_RUNNING] + c[PS_JOB_DONE], 0);
    ps_store_close(&s);
}
END_TEST

/* ---- concurrency ---------------------------------------------------------- */

#define CONC_WORKERS 4
#define CONC_JOBS 800 /* 4 workers x 200 jobs */

struct worker_arg {
    const char *url;
    int index;
    int64_t *claimed; /* CONC_JOBS slots */
    int n;
    int errors;
    char err[256];
};

static void *worker_main(void *p)
{
    struct worker_arg *a = p;
    ps_store *s = NULL;
    char name[32];
    snprintf(name, sizeof name, "worker-%d", a->index);
    if (ps_store_open(a->url, &s, a->err, sizeof a->err) != PS_OK) {
        a->errors++;
        return NULL;
    }
    for (;;) {
        ps_store_job *j = NULL;
        ps_status st = ps_store_claim(s, name, 60, &j);
        if (st != PS_OK) {
            snprintf(a->err, sizeof a->err, "claim: %s", ps_store_errmsg(s));
            a->errors++;
            break;
        }
        if (!j)
            break;
        if (a->n < CONC_JOBS)
            a->claimed[a->n++] = j->id;
        st = ps_store_complete(s, j->id, name, "{\"flags\":[]}", (const uint8_t *)"J", 1,
                               PS_JOB_DONE);
        if (st != PS_OK) {
            snprintf(a->err, sizeof a->err, "complete: %s", ps_store_errmsg(s));
            a->errors++;
        }
        ps_store_job_free(&j);
    }
    ps_store_close(&s);
    return NULL;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Every job id in [first, first+CONC_JOBS) claimed exactly once. */
static void check_each_once(const int64_t *ids, int n, int64_t first)
{
    static unsigned char seen[CONC_JOBS];
    memset(seen, 0, sizeof seen);
    ck_assert_int_eq(n, CONC_JOBS);
    for (int i = 0; i < n; i++) {
        int64_t k = ids[i] - first;
        ck_assert_msg(k >= 0 && k < CONC_JOBS, "unexpected job id %lld", (long long)ids[i]);
        ck_assert_msg(!seen[k], "job %lld claimed twice", (long long)ids[i]);
        seen[k] = 1;
    }
}

static int64_t fill_queue(ps_store *s)
{
    int64_t first = 0;
    for (int i = 0; i < CONC_JOBS; i++) {
        int64_t id = enqueue(s, "other", NULL);
        if (i == 0)
            first = id;
        ck_assert_int_eq(id, first + i);
    }
    return first;
}

START_TEST(concurrent_threads_never_share_a_job)
{
    char url[700];
    ps_store *s = open_fresh(_i, url, sizeof url);
    int64_t first = fill_queue(s);
    pthread_t th[CONC_WORKERS];
    struct worker_arg args[CONC_WORKERS];
    int64_t *all = calloc(CONC_JOBS * CONC_WORKERS, sizeof *all);
    ck_assert_ptr_nonnull(all);
    double t0 = now_s();
    for (int w = 0; w < CONC_WORKERS; w++) {
        args[w] = (struct worker_arg){.url = url, .index = w, .claimed = all + w * CONC_JOBS};
        ck_assert_int_eq(pthread_create(&th[w], NULL, worker_main, &args[w]), 0);
    }
    for (int w = 0; w < CONC_WORKERS; w++)
        pthread_join(th[w], NULL);
    double dt = now_s() - t0;
    int64_t *flat = calloc(CONC_JOBS * CONC_WORKERS, sizeof *flat);
    int n = 0;
    for (int w = 0; w < CONC_WORKERS; w++) {
        ck_assert_msg(args[w].errors == 0, "worker %d: %s", w, args[w].err);
        for (int i = 0; i < args[w].n && n < CONC_JOBS * CONC_WORKERS; i++)
            flat[n++] = args[w].claimed[i];
    }
    printf("store[%s]: %d threads claimed+completed %d jobs in %.2f s (%.0f jobs/s; per thread",
           ps_store_backend(s), CONC_WORKERS, n, dt, n / dt);
    for (int w = 0; w < CONC_WORKERS; w++)
        printf(" %d", args[w].n);
    printf(")\n");
    check_each_once(flat, n, first);
    int64_t c[PS_JOB_STATE_COUNT_];
    OK(ps_store_counts(s, c));
    ck_assert_int_eq(c[PS_JOB_DONE], CONC_JOBS);
    free(all);
    free(flat);
    ps_store_close(&s);
}
END_TEST

START_TEST(concurrent_processes_never_share_a_job)
{
    char url[700];
    ps_store *s = open_fresh(_i, url, sizeof url);
    int64_t first = fill_queue(s);
    ps_store_close(&s); /* no handle crosses fork() */
    int fds[CONC_WORKERS][2];
    pid_t pids[CONC_WORKERS];
    double t0 = now_s();
    for (int w = 0; w < CONC_WORKERS; w++) {
        ck_assert_int_eq(pipe(fds[w]), 0);
        pids[w] = fork();
        ck_assert_int_ge(pids[w], 0);
        if (pids[w] == 0) {
            close(fds[w][0]);
            struct worker_arg a = {.url = url, .index = 100 + w};
            a.claimed = calloc(CONC_JOBS, sizeof *a.claimed);
            worker_main(&a);
            if (write(fds[w][1], a.claimed, sizeof *a.claimed * (size_t)a.n) < 0)
                _exit(3);
            _exit(a.errors ? 2 : 0);
        }
        close(fds[w][1]);
    }
    int64_t *flat = calloc(CONC_JOBS * CONC_WORKERS, sizeof *flat);
    size_t got = 0;
    for (int w = 0; w < CONC_WORKERS; w++) {
        ssize_t r;
        while ((r = read(fds[w][0], (char *)flat + got,
                         sizeof *flat * CONC_JOBS * CONC_WORKERS - got)) > 0)
            got += (size_t)r;
        close(fds[w][0]);
        int status = 0;
        waitpid(pids[w], &status, 0);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "worker process %d failed", w);
    }
    double dt = now_s() - t0;
    printf("store[%s]: %d processes claimed+completed %zu jobs in %.2f s (%.0f jobs/s)\n",
           _i == 0 ? "sqlite" : "postgresql", CONC_WORKERS, got / sizeof *flat, dt,
           (double)(got / sizeof *flat) / dt);
    check_each_once(flat, (int)(got / sizeof *flat), first);
    free(flat);
    s = open_url(url);
    int64_t c[PS_JOB_STATE_COUNT_];
    OK(ps_store_counts(s, c));
    ck_assert_int_eq(c[PS_JOB_DONE], CONC_JOBS);
    ps_store_close(&s);
}
END_TEST

/* ---- no raw upload bytes after complete ------------------------------------- */

static int file_contains(const char *path, const uint8_t *needle, size_t n)
{
    size_t len = 0;
    uint8_t *buf = ps_test_read_file(path, &len);
    int found = 0;
    for (size_t i = 0; buf && i + n <= len && !found; i++)
        found = memcmp(buf + i, needle, n) == 0;
    free(buf);
    return found;
}

START_TEST(original_bytes_gone_after_complete)
{
    char url[700];
    ps_store *s = open_fresh(_i, url, sizeof url);
    /* a recognisable 4 KiB upload (spans pages, so it lives in overflow pages) */
    size_t n = 4096;
    uint8_t *bytes = malloc(n);
    for (size_t i = 0; i < n; i++)
        bytes[i] = (uint8_t)("ORIGINAL-UPLOAD-MARKER-"[i % 23]);
    ps_upload_meta m = {.kind = "photo_id"};
    int64_t done_id = 0, dead_id = 0;
    OK(ps_store_enqueue(s, &m, bytes, n, &done_id));
    OK(ps_store_enqueue(s, &m, bytes, n, &dead_id));
    const char *path = url + 7;
    if (_i == 0) {
        /* the scan can see the bytes while they are meant to be there */
        ps_store_close(&s); /* the last connection checkpoints the WAL */
        ck_assert(file_contains(path, bytes, 64));
        s = open_url(url);
    }
    ps_store_job *j = NULL;
    OK(ps_store_claim(s, "w", 60, &j));
    ck_assert_int_eq(j->id, done_id);
    ck_assert_mem_eq(j->bytes, bytes, n);
    ps_store_job_free(&j);
    OK(ps_store_complete(s, done_id, "w", "{\"flags\":[]}", (const uint8_t *)"REDACTED", 8,
                         PS_JOB_DONE));
    OK(ps_store_claim(s, "w", 60, &j));
    ck_assert_int_eq(j->id, dead_id);
    ps_store_job_free(&j);
    OK(ps_store_fail(s, dead_id, "w", 0, "corrupt", "bad data", NULL));
    OK(ps_store_get_job(s, done_id, &j));
    ck_assert_int_eq(j->original_len, 0);
    ps_store_job_free(&j);
    OK(ps_store_get_job(s, dead_id, &j));
    ck_assert_int_eq(j->original_len, 0);
    ps_store_job_free(&j);
    ps_store_close(&s);
    if (_i == 0) {
        char p2[800];
        ck_assert(!file_contains(path, bytes, 64)); /* secure_delete zeroed the pages */
        snprintf(p2, sizeof p2, "%s-wal", path);
        ck_assert(!file_contains(p2, bytes, 64));
    }
    free(bytes);
}
END_TEST

/* ---- duplicates ------------------------------------------------------------ */

START_TEST(perceptual_hash_hamming_query)
{
    ps_store *s = open_fresh(_i, NULL, 0);
    ps_similar found[8];
    size_t n = 99;
    OK(ps_store_put_applicant(s, applicant_json));
    OK(ps_store_put_applicant(s, "{\"id\":\"B-2\",\"card_deposit\":false}"));
    const uint64_t h = 0xF123456789ABCDEFull; /* top bit set: stored as a negative BIGINT */
    int64_t a = enqueue(s, "selfie", "A-1001");
    int64_t b = enqueue(s, "selfie", "B-2");
    int64_t c = enqueue(s, "selfie", NULL);
    int64_t d = enqueue(s, "selfie", "B-2"); /* no hash yet */
    (void)d;
    OK(ps_store_set_phash(s, a, h));
    OK(ps_store_set_phash(s, b, h ^ 0x8000000000000007ull)); /* distance 4 */
    OK(ps_store_set_phash(s, c, ~h));                       /* distance 64 */
    ck_assert_int_eq(ps_store_set_phash(s, 999999, h), PS_E_NOT_FOUND);

    OK(ps_store_find_similar(s, h, 4, a, found, 8, &n));
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(found[0].job_id, b);
    ck_assert_str_eq(found[0].applicant_id, "B-2");
    ck_assert_int_eq(found[0].distance, 4);
    OK(ps_store_find_similar(s, h, 3, a, found, 8, &n));
    ck_assert_uint_eq(n, 0);
    OK(ps_store_find_similar(s, h, 64, 0, found, 8, &n));
    ck_assert_uint_eq(n, 3);
    ck_assert_int_eq(found[0].job_id, a);
    ck_assert_int_eq(found[0].distance, 0);
    ck_assert_int_eq(found[1].job_id, b);
    ck_assert_int_eq(found[2].job_id, c);
    ck_assert_int_eq(found[2].distance, 64);
    ck_assert_str_eq(found[2].applicant_id, "");
    OK(ps_store_find_similar(s, h, 64, 0, found, 2, &n));
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(ps_store_find_similar(s, h, 65, 0, found, 8, &n), PS_E_ARG);
    ps_store_job *j = NULL;
    OK(ps_store_get_job(s, b, &j));
    ck_assert(j->has_phash);
    ck_assert_uint_eq(j->phash, h ^ 0x8000000000000007ull);
    ps_store_job_free(&j);
    ps_store_close(&s);
}
END_TEST

/* ---- review ---------------------------------------------------------------- */

static void expect_statuses(ps_store *s, const char *applicant, const char *const want[5],
                            int verified)
{
    ps_review rv;
    OK(ps_store_review_status(s, applicant, &rv));
    for (int k = 0; k < PS_STORE_KIND_COUNT; k++)
        ck_assert_msg(strcmp(ps_review_status_name(rv.status[k]), want[k]) == 0,
                      "%s: %s is %s, want %s", applicant, ps_store_kind_name(k),
                      ps_review_status_name(rv.status[k]), want[k]);
    ck_assert_int_eq(rv.verified, verified);
}

START_TEST(review_statuses_and_verification)
{
    ps_store *s = open_fresh(_i, NULL, 0);
    int64_t rid = 0;
    char *json = NULL;
    OK(ps_store_put_applicant(s, applicant_json)); /* card_deposit: true */
    OK(ps_store_reviewer_set(s, "suzuki", "correct horse battery", &rid));
    ck_assert_int_gt(rid, 0);
    const char *none[5] = {"not_submitted", "not_submitted", "not_submitted", "not_submitted",
                           "not_submitted"};
    expect_statuses(s, "A-1001", none, 0);
    ps_review rv;
    ck_assert_int_eq(ps_store_review_status(s, "nobody", &rv), PS_E_NOT_FOUND);

    enqueue(s, "photo_id", "A-1001");
    const char *st1[5] = {"in_process", "not_submitted", "not_submitted", "not_submitted",
                          "not_submitted"};
    expect_statuses(s, "A-1001", st1, 0);
    run_one(s, "w", "[\"blurry\"]");
    const char *st2[5] = {"checking", "not_submitted", "not_submitted", "not_submitted",
                          "not_submitted"};
    expect_statuses(s, "A-1001", st2, 0);
    OK(ps_store_review_queue_json(s, 0, &json));
    ck_assert_ptr_nonnull(strstr(json, "\"applicant_id\":\"A-1001\""));
    ck_assert_ptr_nonnull(strstr(json, "\"flags\":[\"blurry\"]"));
    free(json);

    OK(ps_store_review_decide(s, "A-1001", "photo_id", rid, "rejected", "blurry photo"));
    const char *st3[5] = {"rejected", "not_submitted", "not_submitted", "not_submitted",
                          "not_submitted"};
    expect_statuses(s, "A-1001", st3, 0);
    OK(ps_store_review_queue_json(s, 0, &json));
    ck_assert_str_eq(json, "[]");
    free(json);

    /* resubmission: a new upload supersedes the rejection */
    enqueue(s, "photo_id", "A-1001");
    const char *st4[5] = {"in_process", "not_submitted", "not_submitted", "not_submitted",
                          "not_submitted"};
    expect_statuses(s, "A-1001", st4, 0);
    run_one(s, "w", "[]");
    for (int k = 1; k <= 3; k++) {
        enqueue(s, ps_store_kind_name(k), "A-1001");
        run_one(s, "w", "[]");
    }
    const char *st5[5] = {"checking", "checking", "checking", "checking", "not_submitted"};
    expect_statuses(s, "A-1001", st5, 0);
    for (int k = 0; k <= 2; k++)
        OK(ps_store_review_decide(s, "A-1001", ps_store_kind_name(k), rid, "approved", NULL));
    const char *st6[5] = {"approved", "approved", "approved", "checking", "not_submitted"};
    expect_statuses(s, "A-1001", st6, 0); /* card deposits: credit_card is required */
    OK(ps_store_review_decide(s, "A-1001", "credit_card", rid, "approved", "name matches"));
    const char *st7[5] = {"approved", "approved", "approved", "approved", "not_submitted"};
    expect_statuses(s, "A-1001", st7, 1);
    OK(ps_store_review_status_json(s, "A-1001", &json));
    ck_assert_ptr_nonnull(strstr(json, "\"ready_for_withdrawal\":true"));
    ck_assert_ptr_nonnull(strstr(json, "\"credit_card\":\"approved\""));
    free(json);

    /* without card deposits three approvals are enough */
    OK(ps_store_put_applicant(s, "{\"id\":\"C-3\",\"card_deposit\":false}"));
    for (int k = 0; k <= 2; k++) {
        enqueue(s, ps_store_kind_name(k), "C-3");
        run_one(s, "w", "[]");
        OK(ps_store_review_decide(s, "C-3", ps_store_kind_name(k), rid, "approved", NULL));
    }
    const char *st8[5] = {"approved", "approved", "approved", "not_submitted", "not_submitted"};
    expect_statuses(s, "C-3", st8, 1);
    OK(ps_store_review_status_json(s, "C-3", &json));
    ck_assert_ptr_nonnull(strstr(json, "\"required\":[\"photo_id\",\"selfie\",\"address_proof\"]"));
    free(json);
    /* a new upload after approval goes back to review and un-verifies */
    enqueue(s, "selfie", "C-3");
    run_one(s, "w", "[]");
    const char *st9[5] = {"approved", "checking", "approved", "not_submitted", "not_submitted"};
    expect_statuses(s, "C-3", st9, 0);

    ck_assert_int_eq(ps_store_review_decide(s, "A-1001", "photo_id", rid, "maybe", NULL), PS_E_ARG);
    ck_assert_int_eq(ps_store_review_decide(s, "A-1001", "visa", rid, "approved", NULL), PS_E_ARG);
    ck_assert_int_eq(ps_store_review_decide(s, "nobody", "photo_id", rid, "approved", NULL),
                     PS_E_NOT_FOUND);
    ck_assert_int_eq(ps_store_review_decide(s, "A-1001", "photo_id", rid + 50, "approved", NULL),
                     PS_E_NOT_FOUND);

    /* the audit log keeps every decision, in order */
    OK(ps_store_audit_json(s, "A-1001", &json));
    ck_assert_ptr_nonnull(strstr(json, "\"decision\":\"rejected\",\"reason\":\"blurry photo\""));
    ck_assert_ptr_nonnull(strstr(json, "\"reviewer\":\"suzuki\""));
    const char *p = json;
    int entries = 0;
    while ((p = strstr(p, "\"at_ms\"")) != NULL) {
        entries++;
        p++;
    }
    ck_assert_int_eq(entries, 5);
    ck_assert(strstr(json, "rejected") < strstr(json, "approved"));
    free(json);
    OK(ps_store_audit_json(s, NULL, &json));
    p = json;
    entries = 0;
    while ((p = strstr(p, "\"at_ms\"")) != NULL) {
        entries++;
        p++;
    }
    ck_assert_int_eq(entries, 8);
    free(json);
    ps_store_close(&s);
}
END_TEST

START_TEST(review_queue_oldest_first)
{
    ps_store *s = open_fresh(_i, NULL, 0);
    int64_t rid = 0;
    char *json = NULL;
    OK(ps_store_reviewer_set(s, "tanaka", "pw-1", &rid));
    OK(ps_store_put_applicant(s, "{\"id\":\"OLD\"}"));
    OK(ps_store_put_applicant(s, "{\"id\":\"NEW\"}"));
    enqueue(s, "selfie", "OLD");
    ps_store_set_clock_offset(s, 5000);
    enqueue(s, "photo_id", "NEW");
    enqueue(s, "selfie", "OLD"); /* OLD still waits since its first upload */
    run_one(s, "w", "[\"no_face\"]");
    run_one(s, "w", "[\"expired_document\"]");
    OK(ps_store_review_queue_json(s, 10, &json));
    char *o = strstr(json, "\"OLD\""), *n = strstr(json, "\"NEW\"");
    ck_assert_ptr_nonnull(o);
    ck_assert_ptr_nonnull(n);
    ck_assert(o < n);
    free(json);
    OK(ps_store_review_queue_json(s, 1, &json));
    ck_assert_ptr_nonnull(strstr(json, "\"OLD\""));
    ck_assert_ptr_null(strstr(json, "\"NEW\""));
    free(json);
    /* OLD's second selfie is still queued; only the finished one is listed */
    run_one(s, "w", "[\"glare_on_document\"]");
    OK(ps_store_review_decide(s, "OLD", "selfie", rid, "approved", NULL));
    OK(ps_store_review_queue_json(s, 10, &json));
    ck_assert_ptr_null(strstr(json, "\"OLD\""));
    ck_assert_ptr_nonnull(strstr(json, "\"flags\":[\"expired_document\"]"));
    free(json);
    ps_store_close(&s);
}
END_TEST

/* ---- reviewers, tokens, sessions ------------------------------------------- */

START_TEST(reviewer_passwords)
{
    ps_store *s = open_fresh(_i, NULL, 0);
    int64_t id = 0, got = 0;
    OK(ps_store_reviewer_set(s, "sato", "first password", &id));
    OK(ps_store_reviewer_check(s, "sato", "first password", &got));
    ck_assert_int_eq(got, id);
    ck_assert_int_eq(ps_store_reviewer_check(s, "sato", "First password", &got), PS_E_DENIED);
    ck_assert_int_eq(got, 0);
    ck_assert_int_eq(ps_store_reviewer_check(s, "nobody", "first password", &got), PS_E_DENIED);
    ck_assert_int_eq(ps_store_reviewer_check(s, "sato", "", &got), PS_E_DENIED);
    int64_t id2 = 0;
    OK(ps_store_reviewer_set(s, "sato", "second password", &id2));
    ck_assert_int_eq(id2, id); /* same reviewer, new password */
    ck_assert_int_eq(ps_store_reviewer_check(s, "sato", "first password", NULL), PS_E_DENIED);
    OK(ps_store_reviewer_check(s, "sato", "second password", NULL));
    ck_assert_int_eq(ps_store_reviewer_set(s, "x", "", NULL), PS_E_ARG);
    ps_store_close(&s);
}
END_TEST

START_TEST(api_tokens)
{
    ps_store *s = open_fresh(_i, NULL, 0);
    char t1[PS_STORE_TOKEN_SIZE], t2[PS_STORE_TOKEN_SIZE], name[64];
    OK(ps_store_token_add(s, "mobile-app", t1));
    OK(ps_store_token_add(s, "web-upload", t2));
    ck_assert_int_eq(strlen(t1), 64);
    ck_assert_str_ne(t1, t2);
    OK(ps_store_token_check(s, t1, name, sizeof name));
    ck_assert_str_eq(name, "mobile-app");
    OK(ps_store_token_check(s, t2, name, sizeof name));
    ck_assert_str_eq(name, "web-upload");
    t1[10] = t1[10] == 'a' ? 'b' : 'a';
    ck_assert_int_eq(ps_store_token_check(s, t1, name, sizeof name), PS_E_DENIED);
    ck_assert_str_eq(name, "");
    ck_assert_int_eq(ps_store_token_check(s, "short", NULL, 0), PS_E_DENIED);
    ck_assert_int_eq(ps_store_token_check(s, NULL, NULL, 0), PS_E_DENIED);
    ps_store_close(&s);
}
END_TEST

START_TEST(sessions_create_lookup_expire)
{
    ps_store *s = open_fresh(_i, NULL, 0);
    int64_t rid = 0;
    char tok[PS_STORE_TOKEN_SIZE], csrf[PS_STORE_TOKEN_SIZE], tok2[PS_STORE_TOKEN_SIZE],
        csrf2[PS_STORE_TOKEN_SIZE];
    ps_session se;
    OK(ps_store_reviewer_set(s, "ito", "pw", &rid));
    OK(ps_store_session_create(s, rid, 3600, tok, csrf));
    OK(ps_store_session_create(s, rid, 7200, tok2, csrf2));
    ck_assert_str_ne(tok, csrf);
    OK(ps_store_session_lookup(s, tok, &se));
    ck_assert_int_eq(se.reviewer_id, rid);
    ck_assert_str_eq(se.reviewer, "ito");
    ck_assert_str_eq(se.csrf, csrf);
    ck_assert_int_gt(se.expires_ms, ps_store_now_ms(s));
    ck_assert_int_eq(ps_store_session_lookup(s, csrf, &se), PS_E_NOT_FOUND);
    ck_assert_int_eq(ps_store_session_create(s, rid + 99, 60, tok, csrf), PS_E_NOT_FOUND);
    OK(ps_store_session_create(s, rid, 3600, tok, csrf));

    ps_store_set_clock_offset(s, 3601 * 1000);
    ck_assert_int_eq(ps_store_session_lookup(s, tok, &se), PS_E_NOT_FOUND);
    OK(ps_store_session_lookup(s, tok2, &se)); /* the longer one lives on */
    ps_store_set_clock_offset(s, 0);
    ck_assert_int_eq(ps_store_session_lookup(s, tok, &se), PS_E_NOT_FOUND); /* deleted */
    OK(ps_store_session_delete(s, tok2));
    ck_assert_int_eq(ps_store_session_lookup(s, tok2, &se), PS_E_NOT_FOUND);
    OK(ps_store_session_delete(s, "garbage"));
    ps_store_close(&s);
}
END_TEST

/* ---- waiting for work ------------------------------------------------------ */

struct delayed {
    const char *url;
    int delay_ms;
};

static void *enqueue_later(void *p)
{
    struct delayed *d = p;
    ps_store *s = NULL;
    struct timespec ts = {0, (long)d->delay_ms * 1000000L};
    nanosleep(&ts, NULL);
    if (ps_store_open(d->url, &s, NULL, 0) == PS_OK) {
        int64_t id;
        ps_upload_meta m = {.kind = "other"};
        ps_store_enqueue(s, &m, upload, sizeof upload, &id);
    }
    ps_store_close(&s);
    return NULL;
}

START_TEST(wait_for_work_sleeps_and_wakes)
{
    char url[700];
    ps_store *s = open_fresh(_i, url, sizeof url);
    double t0 = now_s();
    OK(ps_store_wait_for_work(s, 400)); /* nothing to do: sleeps the whole time */
    double idle = now_s() - t0;
    ck_assert_msg(idle >= 0.35, "returned after %.3f s with an empty queue", idle);

    pthread_t th;
    struct delayed d = {url, 200};
    ck_assert_int_eq(pthread_create(&th, NULL, enqueue_later, &d), 0);
    t0 = now_s();
    OK(ps_store_wait_for_work(s, 10000));
    double woke = now_s() - t0;
    pthread_join(th, NULL);
    printf("store[%s]: idle wait 400 ms took %.0f ms; woke %.0f ms after a 200 ms-delayed enqueue\n",
           ps_store_backend(s), idle * 1000, woke * 1000);
    ck_assert_msg(woke < 3.0, "woke after %.3f s", woke);
    ck_assert_msg(woke >= 0.15, "woke before the enqueue (%.3f s)", woke);
    ps_store_job *j = NULL;
    OK(ps_store_claim(s, "w", 60, &j));
    ck_assert_ptr_nonnull(j);
    ps_store_job_free(&j);
    /* runnable work: returns at once */
    enqueue(s, "other", NULL);
    t0 = now_s();
    OK(ps_store_wait_for_work(s, 10000));
    ck_assert(now_s() - t0 < 1.0);
    ps_store_close(&s);
}
END_TEST

/* ---- suite ------------------------------------------------------------------ */

static void find_pg(void)
{
    const char *env = getenv("PS_PG_URL");
    const char *file = getenv("PS_PG_URL_FILE");
    if (env && *env) {
        snprintf(pg_url, sizeof pg_url, "%s", env);
    } else if (file && *file) {
        size_t len = 0;
        uint8_t *b = ps_test_read_file(file, &len);
        if (b) {
            while (len > 0 && (b[len - 1] == '\n' || b[len - 1] == '\r'))
                len--;
            snprintf(pg_url, sizeof pg_url, "%.*s", (int)len, (const char *)b);
            free(b);
        }
    }
    if (pg_url[0]) {
        n_backends = 2;
        printf("store: running the contract suite on SQLite and PostgreSQL (%s)\n", pg_url);
    } else {
        printf("store: PostgreSQL part SKIPPED: no server (set PS_PG_URL, or run through ctest "
               "so scripts/pg-test-server.sh starts one); running on SQLite only\n");
    }
    fflush(stdout);
}

static void remove_sqlite_dir(void)
{
    DIR *d = opendir(sqlite_dir);
    struct dirent *e;
    char p[900];
    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(p, sizeof p, "%s/%s", sqlite_dir, e->d_name);
        unlink(p);
    }
    if (d)
        closedir(d);
    rmdir(sqlite_dir);
}

int main(void)
{
    const char *build = getenv("PS_BUILD_DIR");
    snprintf(sqlite_dir, sizeof sqlite_dir, "%s/store-test-%ld", build ? build : "/tmp",
             (long)getpid());
    if (mkdir(sqlite_dir, 0700) != 0) {
        perror(sqlite_dir);
        return 1;
    }
    find_pg();
    Suite *su = suite_create("store");
    TCase *tc = tcase_create("contract");
    tcase_set_timeout(tc, 240);
    tcase_add_loop_test(tc, open_creates_and_reopens_schema, 0, n_backends);
    tcase_add_loop_test(tc, applicants_upsert_and_validate, 0, n_backends);
    tcase_add_loop_test(tc, enqueue_validates, 0, n_backends);
    tcase_add_loop_test(tc, lifecycle_claim_complete_is_idempotent, 0, n_backends);
    tcase_add_loop_test(tc, quarantine_stores_report_without_image, 0, n_backends);
    tcase_add_loop_test(tc, lease_expiry_requeues_with_backoff_and_reclaims, 0, n_backends);
    tcase_add_loop_test(tc, retries_then_dead_keeps_last_error, 0, n_backends);
    tcase_add_loop_test(tc, concurrent_threads_never_share_a_job, 0, n_backends);
    tcase_add_loop_test(tc, concurrent_processes_never_share_a_job, 0, n_backends);
    tcase_add_loop_test(tc, original_bytes_gone_after_complete, 0, n_backends);
    tcase_add_loop_test(tc, perceptual_hash_hamming_query, 0, n_backends);
    tcase_add_loop_test(tc, review_statuses_and_verification, 0, n_backends);
    tcase_add_loop_test(tc, review_queue_oldest_first, 0, n_backends);
    tcase_add_loop_test(tc, reviewer_passwords, 0, n_backends);
    tcase_add_loop_test(tc, api_tokens, 0, n_backends);
    tcase_add_loop_test(tc, sessions_create_lookup_expire, 0, n_backends);
    tcase_add_loop_test(tc, wait_for_work_sleeps_and_wakes, 0, n_backends);
    suite_add_tcase(su, tc);
    int rc = ps_test_run(su);
    remove_sqlite_dir();
    return rc;
}
