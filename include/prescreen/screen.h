/* prescreen — one upload in, one report (and a redacted image) out. */
#ifndef PRESCREEN_SCREEN_H
#define PRESCREEN_SCREEN_H

#include <stddef.h>
#include <stdint.h>

#include "prescreen/applicant.h"
#include "prescreen/engine.h"
#include "prescreen/report.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ps_upload {
    const uint8_t *bytes;            /* not kept after ps_screen returns */
    size_t len;
    ps_kind kind;
    ps_side side;
    const ps_applicant *applicant;   /* NULL: nothing to compare with */
    char now[11];                    /* upload date YYYY-MM-DD; "" = today (UTC) */
    int want_redacted;               /* produce *redacted_jpeg */
    int64_t deadline_ms;             /* 0: none. Else a ps_screen_clock_ms()
                                        time: the pipeline checks it before
                                        every stage and stops with
                                        PS_E_DEADLINE once it has passed,
                                        and the OCR calls inside a stage get
                                        no more than the time left */
    const char *last_stage;          /* NULL: every stage. Else the name of
                                        a stage (src/checks/table.c) after
                                        which the pipeline stops, with no
                                        verdict and nothing stored: for
                                        measuring the stages up to it
                                        (bench/speed/geometry.c) */
} ps_upload;

typedef struct ps_screen_result {
    ps_report report;
    uint8_t *redacted_jpeg;   /* malloc'd, caller frees; NULL when not asked
                                 or when the image could not be made safe */
    size_t redacted_len;
    int quarantined;          /* 1: the image could not be made safe */
    int has_phash;            /* 1 when the upload was decoded */
    uint64_t phash;           /* its 64-bit perceptual hash (prescreen/phash.h)
                                 of the upright working copy */
    char error[256];          /* for a non-OK return: a sentence with no
                                 personal data */
} ps_screen_result;

/*! ps_screen() :
 *  Runs every stage of the pipeline that applies to `up->kind` on `ctx`
 *  (one thread at a time per ctx). `res` is filled (caller owns
 *  res->redacted_jpeg).
 *  @return PS_OK when a report was produced (whatever it flags), an input
 *  error (ps_status_is_input_error) when the upload was rejected — then
 *  res->error says why — or another error. For a PDF uploaded as an
 *  address proof PS_OK is returned with the `digital_document` flag. */
ps_status ps_screen(ps_ctx *ctx, const ps_upload *up, ps_screen_result *res);

/*! ps_screen_result_clear() : frees res->redacted_jpeg and zeroes res. */
void ps_screen_result_clear(ps_screen_result *res);

/*! ps_screen_clock_ms() : the clock of ps_upload.deadline_ms (monotonic,
 *  milliseconds, arbitrary origin). Thread-safe. */
int64_t ps_screen_clock_ms(void);

/* The memory one ps_screen call needs, as budgeted by the worker's per-job
 * ceiling: a fixed part (the per-thread detectors and tesseract, measured
 * at ~130 MiB, with margin) plus a multiple of the decoded full-resolution
 * pixel count. The multiple covers the largest decoder's buffers (a
 * progressive JPEG keeps 6 bytes of coefficients per pixel next to the
 * 3-byte RGB result) and, after decoding, the full image, its upright copy
 * and the redaction's copy and encoder (measured: 48-MP credit card ~4.6,
 * 64-MP PNG ~3.5 bytes per pixel, bench/RESULTS.md "Hostile input"). */
#define PS_SCREEN_BASE_MB 256
#define PS_SCREEN_BYTES_PER_PIXEL 12

/*! ps_screen_limits_for_memory() :
 *  Narrows the decoder limits `l` so that one job fits in `job_mb` MiB:
 *  max_memory becomes at most (job_mb - PS_SCREEN_BASE_MB) MiB and
 *  bytes_per_pixel PS_SCREEN_BYTES_PER_PIXEL, so a larger image is refused
 *  with PS_E_MEMORY_LIMIT from its header, before any pixel is allocated.
 *  @return PS_OK, or PS_E_ARG when `l` is NULL or job_mb <= PS_SCREEN_BASE_MB
 *          (`l` unchanged). */
ps_status ps_screen_limits_for_memory(ps_limits *l, uint64_t job_mb);

#ifdef __cplusplus
}
#endif
#endif
