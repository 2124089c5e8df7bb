/* prescreen-gen — command line: renders --count labelled uploads into --out.
 *
 *   prescreen-gen --out DIR --seed N --count N [--start I]
 *                 [--set all|selfie|photo_id|credit_card|address_proof]
 *                 [--threads N] [--faces DIR] [--corpus DIR]
 *                 [--min-mp 1] [--max-mp 12] [--max-rot DEG] [--overlay] [--cycle]
 *
 * Image i (start <= i < start+count) depends only on (seed, i, set, mp
 * range, max-rot, faces), never on --threads. --max-rot turns documents
 * in-plane up to DEG both ways (default: each scene's own limit, 9-17). Prints one summary line at the end;
 * never prints label contents (they hold fake card and My Number digits). */
#include "gen.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#ifndef GEN_DEFAULT_CORPUS
#define GEN_DEFAULT_CORPUS "../shared/corpus"
#endif

typedef struct job {
    gen_opts opts;
    const char *out;
    long start, count;
    int overlay;
    atomic_long next;
    atomic_int failed;
} job;

static void *worker(void *arg)
{
    job *j = arg;
    for (;;) {
        long i = atomic_fetch_add(&j->next, 1);
        if (i >= j->count)
            break;
        long idx = j->start + i;
        gen_result res;
        if (gen_make(&j->opts, idx, &res) != 0) {
            fprintf(stderr, "prescreen-gen: image %ld could not be made\n", idx);
            atomic_fetch_add(&j->failed, 1);
            continue;
        }
        if (gen_result_write(&res, j->out) != 0) {
            fprintf(stderr, "prescreen-gen: writing image %ld into %s failed\n", idx, j->out);
            atomic_fetch_add(&j->failed, 1);
        } else if (j->overlay && res.img) {
            char p[1024];
            snprintf(p, sizeof p, "%s/%s.overlay.png", j->out, res.stem);
            gen_overlay_png(res.img, res.label_json, 1200, p); /* 1200 px: enough to look at */
        }
        gen_result_free(&res);
    }
    return NULL;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: prescreen-gen --out DIR --seed N --count N [--start I]\n"
               "       [--set all|selfie|photo_id|credit_card|address_proof] [--threads N]\n"
               "       [--faces DIR] [--corpus DIR] [--min-mp X] [--max-mp X] [--max-rot DEG]\n"
               "       [--overlay] [--cycle]\n");
}

static int parse_set(const char *s, gen_set *out)
{
    static const struct { const char *n; gen_set v; } t[] = {
        {"all", GEN_SET_ALL}, {"selfie", GEN_SET_SELFIE}, {"photo_id", GEN_SET_PHOTO_ID},
        {"credit_card", GEN_SET_CREDIT}, {"address_proof", GEN_SET_ADDRESS}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(s, t[i].n)) {
            *out = t[i].v;
            return 0;
        }
    return -1;
}

int main(int argc, char **argv)
{
    job j;
    const char *faces_dir = NULL, *corpus = getenv("PS_CORPUS_DIR");
    int threads = 1;
    gen_faces faces;
    memset(&j, 0, sizeof j);
    j.opts.set = GEN_SET_ALL;
    j.opts.min_mp = 1.0;
    j.opts.max_mp = 12.0;
    j.count = -1;
    int have_seed = 0;
    if (!corpus || !*corpus)
        corpus = GEN_DEFAULT_CORPUS;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--overlay")) {
            j.overlay = 1;
            continue;
        } else if (!strcmp(a, "--cycle")) {
            j.opts.cycle = 1;
            continue;
        }
        if (!v) {
            usage(stderr);
            return 2;
        }
        i++;
        if (!strcmp(a, "--out")) j.out = v;
        else if (!strcmp(a, "--seed")) { j.opts.seed = strtoull(v, NULL, 10); have_seed = 1; }
        else if (!strcmp(a, "--count")) j.count = strtol(v, NULL, 10);
        else if (!strcmp(a, "--start")) j.start = strtol(v, NULL, 10);
        else if (!strcmp(a, "--threads")) threads = atoi(v);
        else if (!strcmp(a, "--faces")) faces_dir = v;
        else if (!strcmp(a, "--corpus")) corpus = v;
        else if (!strcmp(a, "--min-mp")) j.opts.min_mp = atof(v);
        else if (!strcmp(a, "--max-mp")) j.opts.max_mp = atof(v);
        else if (!strcmp(a, "--max-rot")) j.opts.max_rot_deg = atof(v);
        else if (!strcmp(a, "--set")) {
            if (parse_set(v, &j.opts.set) != 0) {
                fprintf(stderr, "prescreen-gen: unknown set '%s'\n", v);
                return 2;
            }
        } else {
            fprintf(stderr, "prescreen-gen: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        }
    }
    /* 0.3..40 MP: below that nothing is legible, above it phones do not go */
    if (!j.out || !have_seed || j.count < 0 || threads < 1 || threads > 256 || j.start < 0 ||
        j.opts.min_mp < 0.3 || j.opts.max_mp > 40 || j.opts.min_mp > j.opts.max_mp ||
        j.opts.max_rot_deg < 0 || j.opts.max_rot_deg > 180) {
        usage(stderr);
        return 2;
    }
    if (mkdir(j.out, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "prescreen-gen: cannot create %s: %s\n", j.out, strerror(errno));
        return 1;
    }
    if (gen_faces_load(faces_dir, corpus, &faces) != 0) {
        fprintf(stderr, "prescreen-gen: no face photos could be loaded\n");
        return 1;
    }
    j.opts.faces = &faces;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pthread_t *tid = calloc((size_t)threads, sizeof *tid);
    int started = 0;
    for (int t = 0; tid && t < threads; t++)
        if (pthread_create(&tid[t], NULL, worker, &j) == 0)
            started++;
    if (started == 0)
        worker(&j);
    for (int t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    free(tid);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double sec = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    int failed = atomic_load(&j.failed);
    printf("prescreen-gen: %ld images (%d failed) in %.1f s with %d threads; faces: %d from %s\n",
           j.count - failed, failed, sec, threads, faces.n, faces.origin);
    gen_faces_free(&faces);
    return failed ? 1 : 0;
}
