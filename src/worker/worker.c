/* Queue workers: N screening threads and one supervisor per process (see
 * include/prescreen/worker.h and docs/operations.md). */
#include "prescreen/worker.h"

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cv/shim.h"
#include "pipeline/job.h"
#include "prescreen/applicant.h"
#include "prescreen/engine.h"
#include "prescreen/phash.h"
#include "prescreen/decode.h"
#include "prescreen/screen.h"
#include "prescreen/store.h"

/* Most threads one process runs: beyond this, run more processes. */
#define PS_WORKER_MAX_THREADS 64
/* How long an idle thread sleeps in ps_store_wait_for_work before it looks
 * at the stop flag and the drain condition again. */
#define PS_WORKER_IDLE_WAIT_MS 500
/* Supervisor tick: signal, watchdog and heartbeat latency. */
#define PS_WORKER_TICK_MS 100
/* Pause before reopening a store whose connection failed. */
#define PS_WORKER_REOPEN_PAUSE_MS 1000
/* Near-duplicates recorded in a report ("duplicate_of"). */
#define PS_WORKER_MAX_SIMILAR 8
/* Default lease: long enough to ride out a slow heartbeat, short enough
 * that a killed worker's job is taken over within half a minute. */
#define PS_WORKER_DEFAULT_LEASE_S 30
/* Default per-job limit: a 50-MP upload takes a few seconds; two minutes
 * means something is stuck. */
#define PS_WORKER_DEFAULT_TIMEOUT_MS 120000
/* Default per-job memory ceiling: with PS_SCREEN_BASE_MB for the models it
 * leaves room for the decoder's 64-megapixel limit at
 * PS_SCREEN_BYTES_PER_PIXEL, so it refuses nothing the decoder accepts by
 * default, and two threads stay within a 2 GiB container. */
#define PS_WORKER_DEFAULT_JOB_MB 1024
/* The pipeline's own deadline, as a share of the watchdog's limit: stages
 * stop cleanly (PS_E_DEADLINE, retried) before the process must exit. */
#define PS_WORKER_STAGE_DEADLINE_NUM 3
#define PS_WORKER_STAGE_DEADLINE_DEN 4

static atomic_int g_stop;

typedef struct slot {
    struct worker *w;
    pthread_t tid;
    int started;         /* the thread was created */
    char name[96];       /* lease owner: HOST:PID:T */
    /* guarded by w->mu */
    int64_t job_id;      /* 0 while idle */
    int64_t began_ms;    /* monotonic start of the current job */
    int64_t beat_ms;     /* monotonic time of the last lease extension */
    char kind[24];
    int exited;          /* the thread returned */
    ps_status failure;   /* why it returned early (PS_OK: it did not) */
} slot;

typedef struct worker {
    const ps_worker_opts *o;
    ps_engine *engine;
    FILE *log;
    char name[80];         /* the supervisor in logs: HOST:PID */
    pthread_mutex_t mu;
    slot *slots;
    ps_worker_stats stats; /* guarded by mu */
} worker;

void ps_worker_opts_default(ps_worker_opts *o)
{
    if (o == NULL)
        return;
    memset(o, 0, sizeof *o);
    o->threads = 1;
    o->lease_seconds = PS_WORKER_DEFAULT_LEASE_S;
    o->job_timeout_ms = PS_WORKER_DEFAULT_TIMEOUT_MS;
    o->job_memory_mb = PS_WORKER_DEFAULT_JOB_MB;
    o->backoff_ms = -1;
    o->dup_distance = PS_PHASH_DUPLICATE_DISTANCE;
    o->handle_signals = 1;
}

void ps_worker_request_stop(void)
{
    atomic_store(&g_stop, 1);
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* One logfmt line: ts, level, worker, job (0: none), event, then `fmt`.
 * Built in one buffer and written with one call so lines from several
 * threads and processes never interleave. */
#if defined(__GNUC__)
__attribute__((format(printf, 6, 7)))
#endif
static void wlog(worker *w, const char *level, const char *who, int64_t job, const char *event,
                 const char *fmt, ...)
{
    char line[768];
    struct timespec ts;
    struct tm tm;
    size_t n;
    va_list ap;

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    n = strftime(line, sizeof line, "ts=%Y-%m-%dT%H:%M:%S", &tm);
    n += (size_t)snprintf(line + n, sizeof line - n, ".%03ldZ level=%s worker=%s", ts.tv_nsec / 1000000L,
                          level, who);
    if (job > 0 && n < sizeof line)
        n += (size_t)snprintf(line + n, sizeof line - n, " job=%lld", (long long)job);
    if (n < sizeof line)
        n += (size_t)snprintf(line + n, sizeof line - n, " event=%s", event);
    if (fmt != NULL && fmt[0] != '\0' && n + 1 < sizeof line) {
        line[n++] = ' ';
        va_start(ap, fmt);
        n += (size_t)vsnprintf(line + n, sizeof line - n, fmt, ap);
        va_end(ap);
    }
    if (n >= sizeof line - 1)
        n = sizeof line - 2;
    line[n++] = '\n';
    line[n] = '\0';
    flockfile(w->log);
    fputs(line, w->log);
    fflush(w->log);
    funlockfile(w->log);
}

/* Comma-separated flag names of `r` into buf ("-" when none). */
static void flag_list(const ps_report *r, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int f = 0; f < PS_FLAG_COUNT_; f++) {
        if (!ps_report_has(r, (ps_flag)f))
            continue;
        n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s", n ? "," : "",
                              ps_flag_name((ps_flag)f));
        if (n >= len)
            break;
    }
    if (buf[0] == '\0')
        snprintf(buf, len, "-");
}

static void count(worker *w, int64_t *field)
{
    pthread_mutex_lock(&w->mu);
    (*field)++;
    pthread_mutex_unlock(&w->mu);
}

/* The upload date (UTC) of a job, for expiry and age rules. */
static void upload_date(int64_t created_ms, char out[11])
{
    time_t t = (time_t)(created_ms / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

static ps_status open_store(worker *w, ps_store **out, char *err, size_t errlen)
{
    const ps_worker_opts *o = w->o;
    ps_status st = ps_store_open(o->db_url, out, err, errlen);
    if (st == PS_OK)
        ps_store_set_retry(*out, o->max_attempts, o->backoff_ms < 0 ? -1 : o->backoff_ms, 0);
    return st;
}

/* Adds "error" (and, for duplicates, "duplicate_of") to the report JSON.
 * `json` is replaced by a new malloc'd string. */
static ps_status decorate(char **json, ps_status error, const char *message,
                          const ps_similar *sim, size_t n_sim)
{
    json_error_t je;
    json_t *root = json_loads(*json, 0, &je);
    char *out = NULL;
    ps_status st = PS_E_NOMEM;

    if (root == NULL)
        return PS_E_INTERNAL;
    if (error != PS_OK) {
        json_t *e = json_pack("{s:s,s:s}", "code", ps_status_code(error), "message",
                              message && message[0] ? message : ps_strerror(error));
        if (e == NULL || json_object_set_new(root, "error", e) != 0)
            goto out;
    }
    if (n_sim > 0) {
        json_t *a = json_array();
        if (a == NULL || json_object_set_new(root, "duplicate_of", a) != 0)
            goto out;
        for (size_t i = 0; i < n_sim; i++)
            if (json_array_append_new(a, json_integer(sim[i].job_id)) != 0)
                goto out;
    }
    /* The same precision as ps_report_to_json, so numbers read back unchanged. */
    out = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
    if (out != NULL) {
        free(*json);
        *json = out;
        st = PS_OK;
    }
out:
    json_decref(root);
    return st;
}

static void slot_set(slot *s, int64_t job_id, const char *kind)
{
    int64_t now = mono_ms();
    pthread_mutex_lock(&s->w->mu);
    s->job_id = job_id;
    s->began_ms = now;
    s->beat_ms = now;
    snprintf(s->kind, sizeof s->kind, "%s", kind ? kind : "");
    pthread_mutex_unlock(&s->w->mu);
}

/* Fails the job (retryable or not) and logs what became of it. */
static ps_status fail_job(slot *s, ps_store *db, const ps_store_job *j, int retryable,
                          ps_status why, const char *message, int64_t t0)
{
    worker *w = s->w;
    ps_job_state ns = PS_JOB_QUEUED;
    ps_status st = ps_store_fail(db, j->id, s->name, retryable, ps_status_code(why),
                                 message && message[0] ? message : ps_strerror(why), &ns);
    long long ms = (long long)(mono_ms() - t0);
    if (st == PS_OK && ns == PS_JOB_DEAD) {
        count(w, &w->stats.dead);
        wlog(w, "error", s->name, j->id, "dead", "kind=%s ms=%lld code=%s attempts=%d", j->kind,
             ms, ps_status_code(why), j->attempts);
    } else if (st == PS_OK) {
        count(w, &w->stats.retried);
        wlog(w, "warn", s->name, j->id, "retry", "kind=%s ms=%lld code=%s attempts=%d", j->kind,
             ms, ps_status_code(why), j->attempts);
    } else if (st == PS_E_CONFLICT) {
        count(w, &w->stats.lost);
        wlog(w, "warn", s->name, j->id, "lost", "kind=%s ms=%lld", j->kind, ms);
    }
    return st;
}

/* Screens one claimed job and stores its outcome. Returns PS_E_STORE when
 * the thread's store handle should be reopened, else PS_OK. */
static ps_status run_job(slot *s, ps_ctx *ctx, ps_store *db, ps_store_job *j)
{
    worker *w = s->w;
    const ps_worker_opts *o = w->o;
    ps_applicant applicant;
    ps_upload up;
    ps_screen_result res;
    ps_similar sim[PS_WORKER_MAX_SIMILAR];
    size_t n_sim = 0;
    char *json = NULL, flags[512], err[256] = "";
    int64_t t0 = mono_ms();
    ps_job_state final_state = PS_JOB_DONE;
    ps_status st, rst = PS_OK;
    int kind;

    memset(&up, 0, sizeof up);
    memset(&res, 0, sizeof res);
    slot_set(s, j->id, j->kind);
    count(w, &w->stats.claimed);
    wlog(w, "info", s->name, j->id, "claimed", "kind=%s attempt=%d", j->kind, j->attempts);

    kind = ps_kind_from_name(j->kind);
    if (kind < 0) {
        /* The store only accepts the five kinds; this is a schema bug. */
        st = fail_job(s, db, j, 0, PS_E_INTERNAL, "unknown kind in the queue", t0);
        goto out;
    }
    up.kind = (ps_kind)kind;
    up.side = j->side == NULL ? PS_SIDE_NONE
              : strcmp(j->side, "front") == 0 ? PS_SIDE_FRONT : PS_SIDE_BACK;
    if (j->applicant_json != NULL) {
        st = ps_applicant_parse(j->applicant_json, strlen(j->applicant_json), &applicant, err,
                                sizeof err);
        if (st != PS_OK) {
            /* The profile will not parse on a retry either: dead, kept error. */
            st = fail_job(s, db, j, 0, st, "the applicant profile is not valid", t0);
            goto out;
        }
        up.applicant = &applicant;
    }
    upload_date(j->created_ms, up.now);
    up.bytes = j->bytes;
    up.len = j->len;
    up.want_redacted = 1;
    up.deadline_ms = ps_screen_clock_ms() +
                     o->job_timeout_ms * PS_WORKER_STAGE_DEADLINE_NUM / PS_WORKER_STAGE_DEADLINE_DEN;

    st = ps_screen(ctx, &up, &res);
    if (st == PS_OK && res.has_phash && o->dup_distance >= 0) {
        /* Hash first, then search: of two copies screened at once, at least
         * the later one sees the earlier one. */
        st = ps_store_set_phash(db, j->id, res.phash);
        if (st == PS_OK)
            st = ps_store_find_similar(db, res.phash, o->dup_distance, j->id, sim,
                                       PS_WORKER_MAX_SIMILAR, &n_sim);
        if (st != PS_OK) {
            snprintf(res.error, sizeof res.error, "duplicate search: %s", ps_strerror(st));
        } else if (n_sim > 0) {
            ps_report_flag(&res.report, PS_FLAG_DUPLICATE_UPLOAD);
            ps_stage_verdict(ctx, NULL, &res.report); /* the verdict sees the new flag */
        }
    }
    if (st == PS_OK) {
        final_state = res.quarantined ? PS_JOB_QUARANTINED : PS_JOB_DONE;
    } else if (ps_status_is_input_error(st) && st != PS_E_DEADLINE) {
        /* The upload was screened and found unreadable: that is a result
         * for the reviewer, not a failure to retry. An image that could not
         * be made safe is quarantined instead. */
        if (st == PS_E_UNSAFE) {
            ps_report_flag(&res.report, PS_FLAG_REDACTION_UNCERTAIN);
            final_state = PS_JOB_QUARANTINED;
        } else {
            ps_report_flag(&res.report, PS_FLAG_UNREADABLE_IMAGE);
        }
        ps_stage_verdict(ctx, NULL, &res.report);
        free(res.redacted_jpeg);
        res.redacted_jpeg = NULL;
        res.redacted_len = 0;
    } else {
        /* Out of memory, the store, a deadline, OpenCV...: try again later,
         * maybe elsewhere; the attempt limit turns poison into dead. */
        rst = fail_job(s, db, j, 1, st, res.error, t0);
        goto out;
    }

    rst = ps_report_to_json(&res.report, 0, &json);
    if (rst == PS_OK && (st != PS_OK || n_sim > 0))
        rst = decorate(&json, st, res.error, sim, n_sim);
    if (rst != PS_OK) {
        rst = fail_job(s, db, j, 1, rst, NULL, t0);
        goto out;
    }
    rst = ps_store_complete(db, j->id, s->name, json,
                            final_state == PS_JOB_QUARANTINED ? NULL : res.redacted_jpeg,
                            final_state == PS_JOB_QUARANTINED ? 0 : res.redacted_len, final_state);
    flag_list(&res.report, flags, sizeof flags);
    if (rst == PS_OK) {
        int q = final_state == PS_JOB_QUARANTINED;
        count(w, q ? &w->stats.quarantined : &w->stats.done);
        wlog(w, "info", s->name, j->id, q ? "quarantined" : "done",
             "kind=%s ms=%lld verdict=%s flags=%s%s%s", j->kind, (long long)(mono_ms() - t0),
             ps_verdict_name(res.report.verdict), flags, st != PS_OK ? " code=" : "",
             st != PS_OK ? ps_status_code(st) : "");
    } else if (rst == PS_E_CONFLICT) {
        /* The lease expired and someone else took the job: our result is
         * dropped, theirs is the one stored. */
        count(w, &w->stats.lost);
        wlog(w, "warn", s->name, j->id, "lost", "kind=%s ms=%lld", j->kind,
             (long long)(mono_ms() - t0));
    } else {
        wlog(w, "error", s->name, j->id, "store_error", "kind=%s code=%s", j->kind,
             ps_status_code(rst));
    }
out:
    slot_set(s, 0, NULL);
    free(json);
    ps_screen_result_clear(&res);
    if (rst == PS_E_STORE || st == PS_E_STORE)
        return PS_E_STORE;
    return PS_OK;
}

/* 1 when nothing is queued or running (the --drain exit condition). */
static int queue_idle(ps_store *db, ps_status *st)
{
    int64_t c[PS_JOB_STATE_COUNT_];
    *st = ps_store_counts(db, c);
    return *st == PS_OK && c[PS_JOB_QUEUED] == 0 && c[PS_JOB_RUNNING] == 0;
}

static void *thread_main(void *arg)
{
    slot *s = arg;
    worker *w = s->w;
    ps_store *db = NULL;
    ps_ctx *ctx = NULL;
    char err[256];
    ps_status st;

    st = ps_ctx_open(w->engine, &ctx, err, sizeof err);
    if (st == PS_OK)
        st = open_store(w, &db, err, sizeof err);
    if (st != PS_OK) {
        wlog(w, "error", s->name, 0, "start_failed", "code=%s", ps_status_code(st));
        pthread_mutex_lock(&w->mu);
        s->failure = st;
        pthread_mutex_unlock(&w->mu);
        ps_worker_request_stop();
        goto out;
    }
    while (!atomic_load(&g_stop)) {
        ps_store_job *j = NULL;
        if (db == NULL) {
            sleep_ms(PS_WORKER_REOPEN_PAUSE_MS);
            if (open_store(w, &db, err, sizeof err) != PS_OK) {
                wlog(w, "error", s->name, 0, "store_error", "code=store_error what=reopen");
                continue;
            }
        }
        st = ps_store_claim(db, s->name, w->o->lease_seconds, &j);
        if (st == PS_OK && j == NULL) {
            if (w->o->drain && queue_idle(db, &st))
                break;
            if (st == PS_OK) {
                ps_store_wait_for_work(db, PS_WORKER_IDLE_WAIT_MS);
                continue;
            }
        }
        if (st == PS_OK)
            st = run_job(s, ctx, db, j);
        ps_store_job_free(&j);
        if (st != PS_OK) {
            /* The connection may be gone: start a fresh handle. Any job we
             * held comes back when its lease expires. */
            wlog(w, "error", s->name, 0, "store_error", "code=%s what=reconnect",
                 ps_status_code(st));
            ps_store_close(&db);
        }
    }
out:
    ps_store_close(&db);
    ps_ctx_close(&ctx);
    pthread_mutex_lock(&w->mu);
    s->exited = 1;
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

/* The watchdog: a job past its wall-clock limit is failed (retryable) on
 * the supervisor's handle, then the process exits so that a supervisor
 * restarts it; a thread stuck in a decoder cannot be cancelled safely. */
static void watchdog(worker *w, ps_store **sup, int n)
{
    int64_t now = mono_ms();
    for (int i = 0; i < n; i++) {
        slot *s = &w->slots[i];
        int64_t job;
        char kind[24];
        ps_job_state ns = PS_JOB_QUEUED;
        ps_status st;

        pthread_mutex_lock(&w->mu);
        job = s->job_id;
        snprintf(kind, sizeof kind, "%s", s->kind);
        if (job == 0 || now - s->began_ms <= w->o->job_timeout_ms)
            job = 0;
        pthread_mutex_unlock(&w->mu);
        if (job == 0)
            continue;
        if (*sup == NULL) {
            char err[256];
            (void)open_store(w, sup, err, sizeof err);
        }
        st = *sup ? ps_store_fail(*sup, job, s->name, 1, ps_status_code(PS_E_DEADLINE),
                                  "the job ran past the worker's time limit", &ns)
                  : PS_E_STORE;
        if (st == PS_E_CONFLICT)
            continue; /* it finished (or was lost) just now: nothing is stuck */
        wlog(w, "error", s->name, job, ns == PS_JOB_DEAD ? "dead" : "retry",
             "kind=%s ms=%lld code=deadline%s", kind, (long long)(now - s->began_ms),
             st == PS_OK ? "" : " store=unreachable");
        wlog(w, "error", w->name, job, "watchdog", "exit=%d", PS_WORKER_EXIT_WATCHDOG);
        _exit(PS_WORKER_EXIT_WATCHDOG);
    }
}

/* Extends the lease of every running job whose last extension is a third
 * of a lease old, so that two missed beats still leave it held. */
static void heartbeats(worker *w, ps_store **sup, int n)
{
    int64_t every = (int64_t)w->o->lease_seconds * 1000 / 3;
    for (int i = 0; i < n; i++) {
        slot *s = &w->slots[i];
        int64_t job, now = mono_ms();
        ps_status st;

        pthread_mutex_lock(&w->mu);
        job = (s->job_id != 0 && now - s->beat_ms >= every) ? s->job_id : 0;
        pthread_mutex_unlock(&w->mu);
        if (job == 0)
            continue;
        if (*sup == NULL) {
            char err[256];
            if (open_store(w, sup, err, sizeof err) != PS_OK)
                return;
        }
        st = ps_store_heartbeat(*sup, job, s->name, w->o->lease_seconds);
        pthread_mutex_lock(&w->mu);
        if (s->job_id == job)
            s->beat_ms = now;
        pthread_mutex_unlock(&w->mu);
        if (st == PS_E_STORE) {
            wlog(w, "error", w->name, job, "store_error", "code=store_error what=heartbeat");
            ps_store_close(sup);
        }
        /* PS_E_CONFLICT: the lease is gone (or the job just finished); the
         * thread learns it from ps_store_complete and drops its result. */
    }
}

static ps_status check_opts(const ps_worker_opts *o, char *err, size_t errlen)
{
    const char *why = NULL;
    if (o == NULL || o->db_url == NULL)
        why = "a database URL is required";
    else if (o->threads < 1 || o->threads > PS_WORKER_MAX_THREADS)
        why = "threads must be 1..64";
    else if (o->lease_seconds < 1)
        why = "the lease must be at least 1 second";
    else if (o->job_timeout_ms <= 0)
        why = "the job time limit must be positive";
    else if (o->dup_distance > 64)
        why = "the duplicate distance must be 0..64";
    else if (o->job_memory_mb < 0 || (o->job_memory_mb > 0 && o->job_memory_mb <= PS_SCREEN_BASE_MB))
        why = "the job memory ceiling must be 0 (none) or above 256 MiB";
    if (why && err)
        snprintf(err, errlen, "%s", why);
    return why ? PS_E_ARG : PS_OK;
}

ps_status ps_worker_run(const ps_worker_opts *opts, ps_worker_stats *stats, char *err,
                        size_t errlen)
{
    worker w;
    ps_engine_opts eo = {0};
    ps_limits lim;
    ps_store *sup = NULL;
    sigset_t sigs, old;
    char host[64] = "host";
    int n = 0, masked = 0, stopping = 0;
    int64_t t0 = mono_ms();
    ps_status st;

    memset(&w, 0, sizeof w);
    if (stats)
        memset(stats, 0, sizeof *stats);
    if (err && errlen)
        err[0] = '\0';
    st = check_opts(opts, err, errlen);
    if (st != PS_OK)
        return st;
    w.o = opts;
    w.log = opts->log ? opts->log : stderr;
    pthread_mutex_init(&w.mu, NULL);
    atomic_store(&g_stop, 0);

    /* Before any thread exists: tesseract's OpenMP and OpenCV's pool would
     * otherwise start a thread per core inside every worker thread. */
    setenv("OMP_THREAD_LIMIT", "1", 0);
    (void)ps_cv_set_threads(1);

    eo.model_dir = opts->model_dir;
    eo.policy_path = opts->policy_path;
    ps_limits_default(&lim);
    if (opts->job_memory_mb > 0)
        (void)ps_screen_limits_for_memory(&lim, (uint64_t)opts->job_memory_mb); /* checked above */
    eo.limits = &lim;
    st = ps_engine_open(&eo, &w.engine, err, errlen);
    if (st != PS_OK)
        goto out;
    /* The supervisor's handle also proves the URL works before threads start. */
    st = open_store(&w, &sup, err, errlen);
    if (st != PS_OK)
        goto out;
    w.slots = calloc((size_t)opts->threads, sizeof *w.slots);
    if (w.slots == NULL) {
        st = PS_E_NOMEM;
        goto out;
    }
    if (gethostname(host, sizeof host) != 0)
        snprintf(host, sizeof host, "host");
    host[sizeof host - 1] = '\0';
    snprintf(w.name, sizeof w.name, "%s:%ld", host, (long)getpid());
    if (opts->handle_signals) {
        sigemptyset(&sigs);
        sigaddset(&sigs, SIGTERM);
        sigaddset(&sigs, SIGINT);
        pthread_sigmask(SIG_BLOCK, &sigs, &old); /* inherited by the threads */
        masked = 1;
    }
    wlog(&w, "info", w.name, 0, "start", "threads=%d backend=%s lease_s=%d drain=%d",
         opts->threads, ps_store_backend(sup), opts->lease_seconds, opts->drain);
    for (n = 0; n < opts->threads; n++) {
        slot *s = &w.slots[n];
        s->w = &w;
        snprintf(s->name, sizeof s->name, "%s:%ld:%d", host, (long)getpid(), n);
        if (pthread_create(&s->tid, NULL, thread_main, s) != 0) {
            st = PS_E_NOMEM;
            ps_worker_request_stop();
            break;
        }
        s->started = 1;
    }

    for (;;) {
        int all_exited = 1;
        if (masked) {
            struct timespec tick = {0, PS_WORKER_TICK_MS * 1000000L};
            int sig = sigtimedwait(&sigs, NULL, &tick);
            if (sig == SIGTERM || sig == SIGINT) {
                if (stopping) {
                    /* A second signal: leave now; the leases bring the
                     * current jobs back to the queue. */
                    wlog(&w, "warn", w.name, 0, "abort", "signal=%d", sig);
                    _exit(128 + sig);
                }
                stopping = 1;
                ps_worker_request_stop();
                wlog(&w, "info", w.name, 0, "stopping", "signal=%d", sig);
            }
        } else {
            sleep_ms(PS_WORKER_TICK_MS);
        }
        pthread_mutex_lock(&w.mu);
        for (int i = 0; i < n; i++)
            all_exited &= w.slots[i].exited;
        pthread_mutex_unlock(&w.mu);
        if (all_exited)
            break;
        watchdog(&w, &sup, n);
        heartbeats(&w, &sup, n);
    }
    for (int i = 0; i < n; i++) {
        pthread_join(w.slots[i].tid, NULL);
        if (w.slots[i].failure != PS_OK && st == PS_OK) {
            st = w.slots[i].failure;
            if (err)
                snprintf(err, errlen, "a worker thread could not start: %s", ps_strerror(st));
        }
    }
out:
    pthread_mutex_lock(&w.mu);
    w.stats.seconds = (mono_ms() - t0) / 1000.0;
    if (stats)
        *stats = w.stats;
    pthread_mutex_unlock(&w.mu);
    if (w.slots != NULL)
        wlog(&w, "info", w.name, 0, "exit",
             "claimed=%lld done=%lld quarantined=%lld retried=%lld dead=%lld lost=%lld s=%.1f",
             (long long)w.stats.claimed, (long long)w.stats.done, (long long)w.stats.quarantined,
             (long long)w.stats.retried, (long long)w.stats.dead, (long long)w.stats.lost,
             w.stats.seconds);
    if (masked)
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    free(w.slots);
    ps_store_close(&sup);
    ps_engine_close(&w.engine);
    pthread_mutex_destroy(&w.mu);
    return st;
}
