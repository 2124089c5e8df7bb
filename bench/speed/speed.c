/* ps-bench-speed [--glibc-defaults] FILE.jpg...
 *
 * For each JPEG, times (single thread, best of N runs after a warm-up) a bare
 * TurboJPEG full-resolution decode to RGB and the whole `prescreen check
 * --kind selfie` pipeline (decode at DCT scale, quality, faces) in the same
 * process, and prints the ratio. The target is ratio <= 2.0.
 * Both run with the allocator as prescreen sets it (ps_process_keep_pages:
 * freed pages kept for reuse); --glibc-defaults leaves glibc's defaults,
 * under which every big buffer is faulted in afresh, the bare decode's
 * 36 MB output most of all. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <turbojpeg.h>

#include "prescreen/engine.h"
#include "prescreen/screen.h"
#include "util.h"

/* Repeats per measurement; the minimum is reported (least disturbed run). */
#define RUNS 5

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static double bare_decode(const uint8_t *b, size_t n, int *w, int *h)
{
    tjhandle tj = tjInitDecompress();
    int ss, cs;
    uint8_t *px;
    double t0, dt;
    tjDecompressHeader3(tj, b, (unsigned long)n, w, h, &ss, &cs);
    px = malloc((size_t)*w * (size_t)*h * 3);
    t0 = now_ms();
    tjDecompress2(tj, b, (unsigned long)n, px, *w, 0, *h, TJPF_RGB, TJFLAG_ACCURATEDCT);
    dt = now_ms() - t0;
    free(px);
    tjDestroy(tj);
    return dt;
}

int main(int argc, char **argv)
{
    ps_engine *e = NULL;
    ps_ctx *c = NULL;
    char err[256];
    double sum_ratio = 0, worst = 0;
    int counted = 0, first = 1;

    if (argc > 1 && strcmp(argv[1], "--glibc-defaults") == 0)
        first = 2;
    else
        ps_process_keep_pages(); /* as prescreen runs */
    if (argc <= first) {
        fprintf(stderr, "usage: ps-bench-speed [--glibc-defaults] FILE.jpg...\n");
        return 2;
    }
    if (ps_engine_open(NULL, &e, err, sizeof err) != PS_OK || ps_ctx_open(e, &c, err, sizeof err) != PS_OK) {
        fprintf(stderr, "ps-bench-speed: %s\n", err);
        return 1;
    }
    printf("%-40s %11s %10s %10s %6s %s\n", "file", "size", "tj_full_ms", "selfie_ms", "ratio",
           "stages(ms)");
    for (int i = first; i < argc; i++) {
        size_t n;
        uint8_t *b = ps_bench_slurp(argv[i], &n);
        int w = 0, h = 0;
        double bare = 1e30, full = 1e30, ratio;
        ps_screen_result best;
        if (b == NULL)
            continue;
        memset(&best, 0, sizeof best);
        for (int r = 0; r <= RUNS; r++) {
            ps_upload up = {0};
            ps_screen_result res;
            double t0, dt, db = bare_decode(b, n, &w, &h);
            up.bytes = b;
            up.len = n;
            up.kind = PS_KIND_SELFIE;
            t0 = now_ms();
            if (ps_screen(c, &up, &res) != PS_OK) {
                fprintf(stderr, "%s: %s\n", argv[i], res.error);
                break;
            }
            dt = now_ms() - t0;
            if (r == 0) { /* warm-up */
                ps_screen_result_clear(&res);
                continue;
            }
            if (db < bare)
                bare = db;
            if (dt < full) {
                full = dt;
                best = res;
                best.redacted_jpeg = NULL;
            }
            ps_screen_result_clear(&res);
        }
        ratio = full / bare;
        {
            char wh[32];
            snprintf(wh, sizeof wh, "%dx%d", w, h);
            printf("%-40.40s %11s %10.1f %10.1f %6.2f", strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i],
                   wh, bare, full, ratio);
        }
        for (int k = 0; k < best.report.n_timings; k++)
            printf(" %s=%.1f", best.report.timings[k].stage, best.report.timings[k].ms);
        printf("\n");
        sum_ratio += ratio;
        if (ratio > worst)
            worst = ratio;
        counted++;
        free(b);
    }
    if (counted)
        printf("files=%d mean_ratio=%.2f worst_ratio=%.2f (target <= 2.00)\n", counted,
               sum_ratio / counted, worst);
    ps_ctx_close(&c);
    ps_engine_close(&e);
    return 0;
}
