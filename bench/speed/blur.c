/* ps-bench-blur DIR
 *
 * Scores every image of a folder whose names end in _S (sharp), _F (defocus)
 * or _M (motion), as in the kwentar-blur corpus, with the pipeline's blur
 * check, and prints each score, the verdict against the policy threshold,
 * and the margin between the weakest sharp and the strongest blurred image. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prescreen/engine.h"
#include "prescreen/screen.h"
#include "util.h"

int main(int argc, char **argv)
{
    ps_engine *e = NULL;
    ps_ctx *c = NULL;
    char err[256];
    DIR *d;
    struct dirent *de;
    double min_sharp = 1e30, max_blur = 0;
    int right = 0, total = 0;

    if (argc != 2) {
        fprintf(stderr, "usage: ps-bench-blur DIR\n");
        return 2;
    }
    if (ps_engine_open(NULL, &e, err, sizeof err) != PS_OK || ps_ctx_open(e, &c, err, sizeof err) != PS_OK) {
        fprintf(stderr, "ps-bench-blur: %s\n", err);
        return 1;
    }
    d = opendir(argv[1]);
    if (d == NULL) {
        perror(argv[1]);
        return 1;
    }
    printf("%-32s %-6s %8s %s\n", "file", "truth", "score", "verdict");
    while ((de = readdir(d)) != NULL) {
        char path[4096];
        const char *dot = strrchr(de->d_name, '.');
        size_t n;
        uint8_t *b;
        int sharp;
        ps_upload up = {0};
        ps_screen_result res;
        if (dot == NULL || dot - de->d_name < 2 || dot[-2] != '_' || !strchr("SFM", dot[-1]))
            continue;
        sharp = dot[-1] == 'S';
        snprintf(path, sizeof path, "%s/%s", argv[1], de->d_name);
        b = ps_bench_slurp(path, &n);
        if (b == NULL)
            continue;
        up.bytes = b;
        up.len = n;
        up.kind = PS_KIND_OTHER;
        if (ps_screen(c, &up, &res) == PS_OK) {
            int says_blurry = ps_report_has(&res.report, PS_FLAG_BLURRY);
            total++;
            right += says_blurry != sharp;
            if (sharp && res.report.blur.score < min_sharp)
                min_sharp = res.report.blur.score;
            if (!sharp && res.report.blur.score > max_blur)
                max_blur = res.report.blur.score;
            printf("%-32s %-6s %8.2f %s\n", de->d_name, sharp ? "sharp" : dot[-1] == 'F' ? "defocus" : "motion",
                   res.report.blur.score, says_blurry ? "blurry" : "sharp");
        }
        ps_screen_result_clear(&res);
        free(b);
    }
    closedir(d);
    printf("classified right: %d/%d; threshold %.2f; weakest sharp %.2f; strongest blurred %.2f\n",
           right, total, ps_engine_policy(e)->blur_threshold, min_sharp, max_blur);
    ps_ctx_close(&c);
    ps_engine_close(&e);
    return right == total ? 0 : 1;
}
