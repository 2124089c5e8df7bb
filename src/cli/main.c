/* prescreen: the command-line front end (SPEC §3). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "prescreen/engine.h"
#include "prescreen/report.h"

static const char usage_text[] =
    "usage:\n"
    "  prescreen check  --kind KIND [--side front|back] [--applicant FILE.json]\n"
    "                   [--now YYYY-MM-DD] [--redacted-out OUT.jpg] [--policy FILE] IMAGE\n"
    "  prescreen bench  CORPUS_DIR [--report OUT.html] [--json OUT.json] [--threads N]\n"
    "                   [--compare-tesseract N] [--timeout S] [--ocr-leaks] [--items OUT.tsv]\n"
    "  prescreen serve  --db URL [--listen 127.0.0.1:8080] [--threads N]\n"
    "                   [--secure-cookies] [--trust-proxy] [--quiet]\n"
    "  prescreen enqueue --db URL --kind KIND [--side front|back] [--applicant-id ID]\n"
    "                   [--applicant FILE.json] FILE...            # prints the job ids\n"
    "  prescreen work   --db URL [--threads N] [--drain] [--lease SECONDS]\n"
    "                   [--job-timeout SECONDS] [--max-attempts N] [--backoff-ms MS]\n"
    "                   [--dup-distance D|off] [--job-memory-mb MB|off] [--policy FILE]\n"
    "  prescreen status --db URL                                   # counts per job state\n"
    "  prescreen result --db URL JOB_ID                            # the stored report\n"
    "  prescreen reviewer add --db URL NAME                        # password on stdin\n"
    "  prescreen token add    --db URL NAME                        # prints an API token\n"
    "URL is sqlite:PATH or postgresql://...\n"
    "KIND is photo_id, selfie, address_proof, credit_card or other.\n";

int ps_cli_usage(const char *fmt, ...)
{
    va_list ap;
    fputs("prescreen: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\n", stderr);
    fputs(usage_text, stderr);
    return PS_EXIT_USAGE;
}

int ps_cli_fail(ps_status st, const char *message)
{
    char *json = NULL;
    if (ps_error_json(st, message, &json) == PS_OK) {
        puts(json);
        free(json);
    }
    if (ps_status_is_input_error(st))
        return PS_EXIT_REJECTED;
    if (st == PS_E_USAGE)
        return PS_EXIT_USAGE;
    return PS_EXIT_INTERNAL;
}

uint8_t *ps_cli_read_file(const char *path, uint64_t max, size_t *len, int *over)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t cap = 1 << 16, n = 0;
    *len = 0;
    *over = 0;
    if (f == NULL)
        return NULL;
    buf = malloc(cap);
    while (buf != NULL) {
        size_t got;
        if (n == cap) {
            uint8_t *nb;
            if ((uint64_t)cap > max) {
                *over = 1;
                break;
            }
            cap *= 2;
            nb = realloc(buf, cap);
            if (nb == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
        if ((uint64_t)n > max) {
            *over = 1;
            break;
        }
    }
    if (buf && ferror(f)) {
        free(buf);
        buf = NULL;
        errno = EIO;
    }
    fclose(f);
    if (buf)
        *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(usage_text, argc < 2 ? stderr : stdout);
        return argc < 2 ? PS_EXIT_USAGE : PS_EXIT_OK;
    }
    ps_process_keep_pages();
    if (strcmp(argv[1], "check") == 0)
        return ps_cli_check(argc - 1, argv + 1);
    if (strcmp(argv[1], "bench") == 0)
        return ps_cli_bench(argc - 1, argv + 1);
    if (strcmp(argv[1], "serve") == 0)
        return ps_cli_serve(argc - 1, argv + 1);
    if (strcmp(argv[1], "enqueue") == 0)
        return ps_cli_enqueue(argc - 1, argv + 1);
    if (strcmp(argv[1], "work") == 0)
        return ps_cli_work(argc - 1, argv + 1);
    if (strcmp(argv[1], "status") == 0)
        return ps_cli_status(argc - 1, argv + 1);
    if (strcmp(argv[1], "result") == 0)
        return ps_cli_result(argc - 1, argv + 1);
    if (strcmp(argv[1], "reviewer") == 0)
        return ps_cli_reviewer(argc - 1, argv + 1);
    if (strcmp(argv[1], "token") == 0)
        return ps_cli_token(argc - 1, argv + 1);
    return ps_cli_usage("unknown command \"%s\"", argv[1]);
}
