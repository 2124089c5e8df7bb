/* prescreen — queue workers (`prescreen work`, SPEC §6).
 *
 * ps_worker_run() runs N screening threads in the calling process. Each
 * thread has its own ps_ctx and its own ps_store handle and loops:
 *   claim (a lease) -> ps_screen (redacted copy wanted, the applicant's
 *   profile from the store) -> perceptual hash and duplicate search ->
 *   ONE store call that writes the report (and the redacted JPEG) and sets
 *   the final state -> next.
 * The calling thread becomes the supervisor: it extends the leases of the
 * running jobs (heartbeats, on its own store handle), enforces the per-job
 * wall-clock limit (watchdog) and handles SIGTERM/SIGINT.
 *
 * Outcomes per job (docs/operations.md has the table):
 *   report produced            -> done, or quarantined when the image could
 *                                 not be made safe (no image is stored)
 *   upload rejected (an input  -> done, with a minimal report: the flag
 *   error: truncated, ...)        unreadable_image, verdict reject_suggested
 *                                 and "error":{"code","message"}
 *   anything else (out of      -> failed, retryable: queued again after the
 *   memory, store, deadline,      store's backoff; dead after the attempt
 *   OpenCV, ...)                  limit with the last error kept
 *
 * The watchdog: a job running longer than job_timeout_ms is failed
 * (retryable, code "deadline") by the supervisor and the whole process then
 * exits with PS_WORKER_EXIT_WATCHDOG, because a thread stuck inside a
 * decoder or OpenCV cannot be cancelled safely. A supervisor (systemd,
 * a container runtime, a shell loop) restarts the process; the other jobs it
 * held come back when their leases expire. Nothing is lost.
 *
 * Logs: one line per event on `log` (stderr by default), logfmt:
 *   ts=... level=... worker=HOST:PID:T job=ID event=EVENT kind=... ms=... flags=...
 * They never carry personal data: no names, no file names, no numbers read
 * from documents, no error messages (only stable error codes).
 */
#ifndef PRESCREEN_WORKER_H
#define PRESCREEN_WORKER_H

#include <stdint.h>
#include <stdio.h>

#include "prescreen/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Exit status of a process whose watchdog fired (EX_TEMPFAIL: restart me). */
#define PS_WORKER_EXIT_WATCHDOG 75

typedef struct ps_worker_opts {
    const char *db_url;      /* required: "sqlite:PATH" or "postgresql://..." */
    int threads;             /* screening threads, 1..64 */
    int drain;               /* 1: return when no job is queued or running */
    int lease_seconds;       /* lease per claim and per heartbeat, >= 1 */
    int64_t job_timeout_ms;  /* watchdog: wall-clock limit per job, > 0. The
                                pipeline itself stops a job with
                                PS_E_DEADLINE between stages at 3/4 of
                                it, so the watchdog only fires for a
                                thread stuck inside one call */
    int job_memory_mb;       /* per-job memory ceiling in MiB: an upload
                                whose decoded size would take one job above
                                it is refused from its header (done, with
                                code memory_over_limit) rather than
                                starving the other threads; see
                                ps_screen_limits_for_memory. 0: only the
                                decoder's own limits; else > 256 */
    int max_attempts;        /* claims before a job is dead; <= 0: store default */
    int64_t backoff_ms;      /* first retry delay (doubling); < 0: store default,
                                0: no backoff */
    int dup_distance;        /* duplicate_upload at Hamming distance <= this,
                                0..64; < 0: no duplicate search */
    int handle_signals;      /* 1: SIGTERM/SIGINT stop the workers (they are
                                blocked in every thread and taken by the
                                supervisor); 0: use ps_worker_request_stop */
    const char *model_dir;   /* NULL: as ps_engine_open */
    const char *policy_path; /* NULL: built-in policy */
    FILE *log;               /* NULL: stderr */
} ps_worker_opts;

/*! ps_worker_opts_default() : 1 thread, no drain, 30 s leases, 120 s job
 *  limit, a 1024 MiB job memory ceiling, store defaults for retries, PS_PHASH_DUPLICATE_DISTANCE, signals
 *  handled, log to stderr; db_url NULL (the caller sets it). */
void ps_worker_opts_default(ps_worker_opts *o);

/* What a run did (counted by this process only). */
typedef struct ps_worker_stats {
    int64_t claimed;
    int64_t done;         /* finished done (including unreadable uploads) */
    int64_t quarantined;
    int64_t retried;      /* failed and queued again */
    int64_t dead;
    int64_t lost;         /* lease lost: the result was not stored */
    double seconds;       /* wall time of the run */
} ps_worker_stats;

/*! ps_worker_run() :
 *  Opens the engine, the store and the threads, and works until stopped
 *  (a signal when opts->handle_signals, ps_worker_request_stop()) or, with
 *  opts->drain, until no job is queued or running. Current jobs are finished
 *  before it returns. Sets OMP_THREAD_LIMIT=1 in the environment when it is
 *  not set (before any thread starts): each job runs on one core, and the
 *  threads give the parallelism. Call from one thread at a time.
 *  @param stats  optional; filled on return.
 *  @param err    optional buffer for a sentence when it fails (no secrets:
 *                the URL's password is never copied).
 *  @return PS_OK after a clean stop; PS_E_ARG (bad options), PS_E_MODEL,
 *          PS_E_STORE, PS_E_NOMEM when it could not start or a thread could
 *          not keep its store open. Never returns when the watchdog fires
 *          (the process exits with PS_WORKER_EXIT_WATCHDOG). */
ps_status ps_worker_run(const ps_worker_opts *opts, ps_worker_stats *stats, char *err,
                        size_t errlen);

/*! ps_worker_request_stop() : asks a running ps_worker_run to stop claiming
 *  and return after the current jobs. Async-signal-safe; any thread. */
void ps_worker_request_stop(void);

#ifdef __cplusplus
}
#endif
#endif
