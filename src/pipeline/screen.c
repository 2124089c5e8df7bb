/* ps_screen(): runs the stage table on one upload; engine and context setup. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "cv/face.h"
#include "prescreen/fields.h"
#include "prescreen/ocr.h"
#include "pipeline/job.h"

/* Chosen by bench/faces (see bench/RESULTS.md, "Faces"). */
#define PS_FACE_PIPELINE_METHOD PS_FACE_DEFAULT

#ifndef PS_DEFAULT_MODEL_DIR
#define PS_DEFAULT_MODEL_DIR "models"
#endif

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

int64_t ps_screen_clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

ps_status ps_screen_limits_for_memory(ps_limits *l, uint64_t job_mb)
{
    uint64_t budget;
    if (l == NULL || job_mb <= PS_SCREEN_BASE_MB)
        return PS_E_ARG;
    budget = (job_mb - PS_SCREEN_BASE_MB) << 20;
    if (l->max_memory == 0 || l->max_memory > budget)
        l->max_memory = budget;
    if (l->bytes_per_pixel < PS_SCREEN_BYTES_PER_PIXEL)
        l->bytes_per_pixel = PS_SCREEN_BYTES_PER_PIXEL;
    return PS_OK;
}

int ps_job_time_left_ms(const ps_job *job, int cap_ms)
{
    int64_t left;
    if (job == NULL || job->up == NULL || job->up->deadline_ms <= 0)
        return cap_ms;
    left = job->up->deadline_ms - ps_screen_clock_ms();
    if (left < 1)
        return 1;
    return left < cap_ms ? (int)left : cap_ms;
}

void ps_process_keep_pages(void)
{
#ifdef __GLIBC__
    const char *env = getenv("PRESCREEN_KEEP_PAGES");
    if (env && strcmp(env, "0") == 0)
        return; /* glibc's defaults, for comparison */
    /* 32 MiB is glibc's ceiling for the mmap threshold (half its arena
     * heap); setting it also ends the dynamic threshold, so the other two
     * hold. A failed call leaves glibc's defaults: slower, not wrong. */
    (void)mallopt(M_MMAP_THRESHOLD, 32 << 20);
    (void)mallopt(M_TRIM_THRESHOLD, 512 << 20);
    (void)mallopt(M_TOP_PAD, 64 << 20);
#endif
}

ps_status ps_engine_open(const ps_engine_opts *opts, ps_engine **out, char *err, size_t errlen)
{
    ps_engine *e;
    const char *dir = NULL;
    ps_status st;

    if (err && errlen)
        err[0] = '\0';
    if (out == NULL)
        return PS_E_ARG;
    *out = NULL;
    e = calloc(1, sizeof *e);
    if (e == NULL)
        return PS_E_NOMEM;
    if (opts && opts->model_dir)
        dir = opts->model_dir;
    else if (getenv("PRESCREEN_MODELS"))
        dir = getenv("PRESCREEN_MODELS");
    else
        dir = PS_DEFAULT_MODEL_DIR;
    if (strlen(dir) >= sizeof e->model_dir) {
        free(e);
        return PS_E_ARG;
    }
    snprintf(e->model_dir, sizeof e->model_dir, "%s", dir);
    if (access(e->model_dir, R_OK | X_OK) != 0) {
        if (err)
            snprintf(err, errlen, "model directory %s is not readable", e->model_dir);
        free(e);
        return PS_E_MODEL;
    }
    ps_policy_default(&e->policy);
    if (opts && opts->policy_path) {
        st = ps_policy_load(&e->policy, opts->policy_path, err, errlen);
        if (st != PS_OK) {
            free(e);
            return st;
        }
    }
    if (opts && opts->limits)
        e->limits = *opts->limits;
    else
        ps_limits_default(&e->limits);
    *out = e;
    return PS_OK;
}

void ps_engine_close(ps_engine **e)
{
    if (e == NULL || *e == NULL)
        return;
    free(*e);
    *e = NULL;
}

const ps_policy *ps_engine_policy(const ps_engine *e)
{
    return e ? &e->policy : NULL;
}

ps_status ps_ctx_open(ps_engine *e, ps_ctx **out, char *err, size_t errlen)
{
    ps_ctx *c;
    ps_status st;
    if (err && errlen)
        err[0] = '\0';
    if (out == NULL || e == NULL)
        return PS_E_ARG;
    *out = NULL;
    c = calloc(1, sizeof *c);
    if (c == NULL)
        return PS_E_NOMEM;
    c->engine = e;
    st = ps_cv_faces_open(e->model_dir, PS_FACE_PIPELINE_METHOD, &c->faces);
    if (st == PS_OK)
        st = ps_cv_faces_set_threshold(c->faces, (float)e->policy.face_min_score);
    if (st != PS_OK) {
        if (err)
            snprintf(err, errlen, "face detector: %s", ps_strerror(st));
        free(c);
        return st;
    }
    *out = c;
    return PS_OK;
}

void ps_ctx_close(ps_ctx **c)
{
    if (c == NULL || *c == NULL)
        return;
    ps_cv_faces_close(&(*c)->faces);
    ps_ocr_free(&(*c)->ocr);
    free(*c);
    *c = NULL;
}

ps_box ps_job_to_full(const ps_job *job, ps_box b)
{
    double s = job->scale > 0 ? job->scale : 1.0;
    ps_box o = {(int)(b.x / s + 0.5), (int)(b.y / s + 0.5), (int)(b.w / s + 0.5),
                (int)(b.h / s + 0.5)};
    return o;
}

ps_box ps_job_to_work(const ps_job *job, ps_box b)
{
    double s = job->scale > 0 ? job->scale : 1.0;
    ps_box o = {(int)(b.x * s + 0.5), (int)(b.y * s + 0.5), (int)(b.w * s + 0.5),
                (int)(b.h * s + 0.5)};
    return o;
}

void ps_screen_result_clear(ps_screen_result *res)
{
    if (res == NULL)
        return;
    free(res->redacted_jpeg);
    memset(res, 0, sizeof *res);
}

ps_status ps_screen(ps_ctx *ctx, const ps_upload *up, ps_screen_result *res)
{
    ps_job job;
    ps_status st = PS_OK;
    ps_report *r;
    double t0 = now_ms();

    if (res == NULL)
        return PS_E_ARG;
    memset(res, 0, sizeof *res);
    if (ctx == NULL || up == NULL || (int)up->kind < 0 || up->kind >= PS_KIND_COUNT_)
        return PS_E_ARG;
    r = &res->report;
    ps_report_init(r, up->kind, up->side);
    memset(&job, 0, sizeof job);
    job.up = up;
    job.res = res;
    job.error = res->error;
    job.error_len = sizeof res->error;

    for (int i = 0; i < ps_stage_count; i++) {
        const ps_stage *s = &ps_stages[i];
        double t;
        if (!(s->kinds & PS_KIND_BIT(up->kind)) || (job.stop && !s->always))
            continue;
        /* The stage check of the job's time budget: one slow image must not
         * hold a worker past its deadline (the OCR calls inside a stage are
         * bounded by ps_job_time_left_ms). Nothing half-done is returned:
         * the redacted copy is dropped below. */
        if (up->deadline_ms > 0 && ps_screen_clock_ms() >= up->deadline_ms) {
            snprintf(res->error, sizeof res->error,
                     "the job's time budget ran out before the %s stage", s->name);
            st = PS_E_DEADLINE;
            break;
        }
        t = now_ms();
        st = s->run(ctx, &job, r);
        if (r->n_timings < PS_MAX_TIMINGS) {
            r->timings[r->n_timings].stage = s->name;
            r->timings[r->n_timings].ms = now_ms() - t;
            r->n_timings++;
        }
        if (st != PS_OK || (up->last_stage && strcmp(s->name, up->last_stage) == 0))
            break;
    }
    r->total_ms = now_ms() - t0;
    ps_decoded_free(&job.dec);
    ps_image_free(&job.gray);
    ps_ocr_result_free(&job.doc_read);
    ps_ocr_lines_free(&job.page_lines, job.n_page_lines);
    ps_image_free(&job.doc_image);
    if (st != PS_OK) {
        free(res->redacted_jpeg);
        res->redacted_jpeg = NULL;
        res->redacted_len = 0;
        if (res->error[0] == '\0')
            snprintf(res->error, sizeof res->error, "%s", ps_strerror(st));
    }
    return st;
}
