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

#ifdef __cplusplus
}
#endif
#endif
