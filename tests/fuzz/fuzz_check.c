/* Fuzz target: the whole screening pipeline, as `prescreen check` runs it:
 * decode, quality, faces, document, OCR, fields, verification against a
 * profile, redaction (a re-encoded JPEG is asked for) and the report JSON.
 *
 * Input: one control byte, then the image. The control byte picks the kind
 * (low 3 bits, modulo the five kinds) and the side (next 2 bits). The
 * engine and context are opened once. To keep each run small the engine's
 * limits are lowered to 320 x 320 pixels, so larger images stop at the
 * decoder's dimension check (which fuzz_decode_* covers at full limits).
 *
 * Promises checked: PS_OK gives a report that serialises to valid JSON
 * with the image's size, and a redacted JPEG (unless quarantined) that
 * decodes to that size and carries no EXIF; a refusal is an input error
 * with a message. Seeds: testdata/fuzz/check/. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "prescreen/applicant.h"
#include "prescreen/screen.h"

/* Side limit for the fuzzed images: a card photo at 320 px still has every
 * stage run (face, document, OCR zones) in tens of milliseconds. */
#define FUZZ_MAX_SIDE 320

static ps_engine *g_engine;
static ps_ctx *g_ctx;
static ps_applicant g_applicant;

static void close_all(void)
{
    ps_ctx_close(&g_ctx);
    ps_engine_close(&g_engine);
}

static void open_all(void)
{
    static const char profile[] =
        "{\"id\":\"A-1001\",\"name\":\"山田 太郎\",\"name_kana\":\"ヤマダ タロウ\","
        "\"name_latin\":\"TARO YAMADA\",\"birth_date\":\"1990-04-01\","
        "\"address\":\"東京都千代田区千代田1-1-1\",\"card_deposit\":true}";
    ps_engine_opts eo = {0};
    ps_limits lim;
    char err[256];
    ps_limits_default(&lim);
    lim.max_width = lim.max_height = FUZZ_MAX_SIDE;
    lim.max_pixels = (uint64_t)FUZZ_MAX_SIDE * FUZZ_MAX_SIDE;
    eo.limits = &lim;
    if (ps_engine_open(&eo, &g_engine, err, sizeof err) != PS_OK ||
        ps_ctx_open(g_engine, &g_ctx, err, sizeof err) != PS_OK ||
        ps_applicant_parse(profile, sizeof profile - 1, &g_applicant, err, sizeof err) != PS_OK) {
        fprintf(stderr, "fuzz_check: %s\n", err);
        abort();
    }
    atexit(close_all);
}

static void check_redacted(const ps_screen_result *res)
{
    ps_decoded *d = NULL;
    char msg[200];
    if (res->quarantined) {
        if (res->redacted_jpeg != NULL)
            abort(); /* an unsafe image must never come out */
        return;
    }
    if (res->redacted_jpeg == NULL) {
        if (res->report.image.format != PS_FMT_PDF)
            abort();
        return;
    }
    /* re-encoded from pixels: no APP1 (EXIF, XMP) at all */
    for (size_t i = 0; i + 1 < res->redacted_len; i++)
        if (res->redacted_jpeg[i] == 0xFF && res->redacted_jpeg[i + 1] == 0xE1)
            abort();
    if (ps_decode(res->redacted_jpeg, res->redacted_len, NULL, &d, msg, sizeof msg) != PS_OK ||
        d->width != res->report.image.width || d->height != res->report.image.height)
        abort();
    ps_decoded_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ps_upload up;
    ps_screen_result res;
    ps_status st;
    char *json = NULL;
    json_t *root;
    json_error_t je;

    if (size < 1)
        return 0;
    if (g_ctx == NULL)
        open_all();
    memset(&up, 0, sizeof up);
    up.kind = (ps_kind)((data[0] & 7) % PS_KIND_COUNT_);
    up.side = (ps_side)(((data[0] >> 3) & 3) % 3);
    up.applicant = &g_applicant;
    memcpy(up.now, "2026-11-22", 11);
    up.want_redacted = 1;
    up.bytes = data + 1;
    up.len = size - 1;

    st = ps_screen(g_ctx, &up, &res);
    if (st != PS_OK) {
        if (res.redacted_jpeg != NULL || res.error[0] == '\0')
            abort();
        /* OpenCV, tesseract or an invariant failing on some image is a bug
         * to fix, not an answer to the customer */
        if (!ps_status_is_input_error(st) && st != PS_E_NOMEM) {
            fprintf(stderr, "fuzz_check: %s\n", ps_status_code(st));
            abort();
        }
        ps_screen_result_clear(&res);
        return 0;
    }
    if (res.report.image.format != PS_FMT_PDF &&
        (res.report.image.width <= 0 || res.report.image.height <= 0))
        abort();
    check_redacted(&res);
    if (ps_report_to_json(&res.report, 0, &json) != PS_OK)
        abort();
    root = json_loads(json, 0, &je);
    if (root == NULL || !json_is_object(root))
        abort();
    json_decref(root);
    free(json);
    ps_screen_result_clear(&res);
    return 0;
}
