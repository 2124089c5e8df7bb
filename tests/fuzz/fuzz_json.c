/* Fuzz target: the JSON a stranger (or an operator's typo) controls.
 *  - ps_applicant_parse on the input; when it parses, the profile must
 *    survive ps_applicant_to_json and a second parse unchanged;
 *  - ps_policy_load on the same bytes written to a private temporary file
 *    (the policy is only ever read from a path); on success the values it
 *    accepted must be numbers in their keys' ranges (no NaN, never more
 *    than the last four card digits kept).
 * Seeds: testdata/fuzz/json/. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "prescreen/applicant.h"
#include "prescreen/policy.h"

static char g_path[64];
static int g_fd = -1;

static void cleanup(void)
{
    if (g_fd >= 0) {
        close(g_fd);
        unlink(g_path);
    }
}

static void open_tmp(void)
{
    snprintf(g_path, sizeof g_path, "/tmp/ps-fuzz-policy-XXXXXX");
    g_fd = mkstemp(g_path);
    if (g_fd < 0)
        abort();
    atexit(cleanup);
}

static void applicant(const uint8_t *data, size_t size)
{
    ps_applicant a, b;
    char err[256];
    char *json = NULL;
    if (ps_applicant_parse((const char *)data, size, &a, err, sizeof err) != PS_OK) {
        if (err[0] == '\0')
            abort(); /* a refusal always says why */
        return;
    }
    if (ps_applicant_to_json(&a, &json) != PS_OK)
        abort();
    if (ps_applicant_parse(json, strlen(json), &b, err, sizeof err) != PS_OK)
        abort();
    if (strcmp(a.id, b.id) || strcmp(a.name, b.name) || strcmp(a.name_kana, b.name_kana) ||
        strcmp(a.name_latin, b.name_latin) || strcmp(a.birth_date, b.birth_date) ||
        strcmp(a.address, b.address) || a.card_deposit != b.card_deposit)
        abort();
    free(json);
}

static void policy(const uint8_t *data, size_t size)
{
    ps_policy p;
    char err[256];
    if (g_fd < 0)
        open_tmp();
    if (ftruncate(g_fd, 0) != 0 || pwrite(g_fd, data, size, 0) != (ssize_t)size)
        abort();
    ps_policy_default(&p);
    if (ps_policy_load(&p, g_path, err, sizeof err) != PS_OK) {
        if (err[0] == '\0')
            abort();
        return;
    }
    if (isnan(p.blur_threshold) || isnan(p.dark_mean) || isnan(p.face_min_score) ||
        isnan(p.max_glare) || isnan(p.min_document_area))
        abort();
    /* never more of a card number readable than the last four digits */
    if (p.pan_keep_last < 0 || p.pan_keep_last > 4 || p.min_short_side < 0 ||
        p.postmark_max_days < 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    applicant(data, size);
    policy(data, size);
    return 0;
}
