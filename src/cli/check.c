/* prescreen check: one image in, the report JSON on stdout. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "prescreen/applicant.h"
#include "prescreen/decode.h"
#include "prescreen/engine.h"
#include "prescreen/screen.h"

/* Applicant files are a few hundred bytes; 64 KiB is generous. */
#define PS_APPLICANT_MAX_BYTES (64u << 10)

static int valid_date(const char *s)
{
    int y, m, d;
    char tail;
    return strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && m >= 1 &&
           m <= 12 && d >= 1 && d <= 31;
}

int ps_cli_check(int argc, char **argv)
{
    const char *kind = NULL, *side = NULL, *applicant_path = NULL, *now = NULL;
    const char *out_path = NULL, *policy_path = NULL, *image_path = NULL;
    ps_engine_opts eo = {0};
    ps_engine *engine = NULL;
    ps_ctx *ctx = NULL;
    ps_applicant applicant;
    ps_upload up;
    ps_screen_result res;
    ps_limits lim;
    uint8_t *bytes = NULL;
    size_t len = 0;
    int over = 0, rc = PS_EXIT_INTERNAL;
    char err[256] = "";
    ps_status st;
    char *json = NULL;

    memset(&up, 0, sizeof up);
    memset(&res, 0, sizeof res);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = NULL;
        if (strcmp(a, "--kind") == 0) slot = &kind;
        else if (strcmp(a, "--side") == 0) slot = &side;
        else if (strcmp(a, "--applicant") == 0) slot = &applicant_path;
        else if (strcmp(a, "--now") == 0) slot = &now;
        else if (strcmp(a, "--redacted-out") == 0) slot = &out_path;
        else if (strcmp(a, "--policy") == 0) slot = &policy_path;
        else if (a[0] == '-' && a[1] != '\0')
            return ps_cli_usage("check: unknown option %s", a);
        else if (image_path == NULL) {
            image_path = a;
            continue;
        } else
            return ps_cli_usage("check: more than one IMAGE given");
        if (i + 1 >= argc)
            return ps_cli_usage("check: %s needs a value", a);
        *slot = argv[++i];
    }
    if (kind == NULL || image_path == NULL)
        return ps_cli_usage("check: --kind and IMAGE are required");
    if (ps_kind_from_name(kind) < 0)
        return ps_cli_usage("check: unknown kind \"%s\"", kind);
    up.kind = (ps_kind)ps_kind_from_name(kind);
    if (side == NULL)
        up.side = PS_SIDE_NONE;
    else if (strcmp(side, "front") == 0)
        up.side = PS_SIDE_FRONT;
    else if (strcmp(side, "back") == 0)
        up.side = PS_SIDE_BACK;
    else
        return ps_cli_usage("check: --side must be front or back");
    if (now != NULL) {
        if (!valid_date(now))
            return ps_cli_usage("check: --now must be YYYY-MM-DD");
        memcpy(up.now, now, 11);
    }
    if (applicant_path != NULL) {
        char *text = (char *)ps_cli_read_file(applicant_path, PS_APPLICANT_MAX_BYTES, &len, &over);
        if (text == NULL || over) {
            free(text);
            snprintf(err, sizeof err, "cannot read the applicant file %s%s", applicant_path,
                     over ? " (too large)" : "");
            return ps_cli_fail(PS_E_IO, err);
        }
        st = ps_applicant_parse(text, len, &applicant, err, sizeof err);
        free(text);
        if (st != PS_OK)
            return ps_cli_fail(st, err);
        up.applicant = &applicant;
    }

    eo.policy_path = policy_path;
    st = ps_engine_open(&eo, &engine, err, sizeof err);
    if (st != PS_OK) {
        rc = ps_cli_fail(st, err);
        goto out;
    }
    st = ps_ctx_open(engine, &ctx, err, sizeof err);
    if (st != PS_OK) {
        rc = ps_cli_fail(st, err);
        goto out;
    }

    ps_limits_default(&lim);
    bytes = ps_cli_read_file(image_path, lim.max_bytes, &len, &over);
    if (bytes == NULL) {
        snprintf(err, sizeof err, "cannot read %s: %s", image_path, strerror(errno));
        rc = ps_cli_fail(PS_E_IO, err);
        goto out;
    }
    if (over) {
        snprintf(err, sizeof err, "the upload is over the %llu-byte limit",
                 (unsigned long long)lim.max_bytes);
        rc = ps_cli_fail(PS_E_TOO_LARGE, err);
        goto out;
    }
    up.bytes = bytes;
    up.len = len;
    up.want_redacted = out_path != NULL;

    st = ps_screen(ctx, &up, &res);
    if (st != PS_OK) {
        rc = ps_cli_fail(st, res.error);
        goto out;
    }
    if (out_path != NULL && res.redacted_jpeg != NULL) {
        FILE *f = fopen(out_path, "wb");
        if (f == NULL || fwrite(res.redacted_jpeg, 1, res.redacted_len, f) != res.redacted_len ||
            fclose(f) != 0) {
            snprintf(err, sizeof err, "cannot write %s", out_path);
            rc = ps_cli_fail(PS_E_IO, err);
            goto out;
        }
    }
    st = ps_report_to_json(&res.report, 1, &json);
    if (st != PS_OK) {
        rc = ps_cli_fail(st, NULL);
        goto out;
    }
    puts(json);
    rc = PS_EXIT_OK;
out:
    free(json);
    free(bytes);
    ps_screen_result_clear(&res);
    ps_ctx_close(&ctx);
    ps_engine_close(&engine);
    return rc;
}
