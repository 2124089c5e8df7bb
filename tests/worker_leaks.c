/* The worker's leak test (LeakSanitizer, sanitizer build only).
 *
 *   worker_leaks JOBS...        e.g. worker_leaks 5 40
 *
 * For each count N: a fresh SQLite queue with N uploads of every outcome
 * (selfies and ID photos that are screened and stored, address proofs that
 * are quarantined, truncated files that end unreadable, a PNG, a PDF that
 * does not open and one that is rendered and read), then
 * one `prescreen work --drain` process under LeakSanitizer
 * (detect_leaks=1). LSan runs when the process exits and makes the exit
 * status non-zero on any leak not matched by tests/lsan.supp, which names
 * only the process-lifetime caches of third-party libraries (fontconfig,
 * OpenCV, tesseract), never prescreen's code. The test fails when
 *   - a run reports a leak (exit status, or a LeakSanitizer report in its
 *     log) or leaves a job unfinished;
 *   - the suppressed (third-party) bytes grow with N: a per-job leak that
 *     a suppression happened to match would show up as growth between the
 *     5-job and the 40-job run.
 * Without the sanitizer build (PS_SANITIZED unset) it is skipped (77). */
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"
#include "testutil.h"
#include "proc.h"
#include "prescreen/decode.h"
#include "prescreen/store.h"

/* Most job counts on one command line. */
#define MAX_RUNS 8
/* Slack on the suppressed bytes between runs: caches sized by what they
 * have seen (a font, a model's tables) may differ a little between inputs,
 * but not by a per-job amount times 35 jobs. */
#define SUPPRESSED_SLACK_BYTES 65536

#define FAIL(...)                                                                  \
    do {                                                                           \
        fprintf(stderr, "worker_leaks: " __VA_ARGS__);                             \
        fputc('\n', stderr);                                                       \
        rc = 1;                                                                    \
        goto out;                                                                  \
    } while (0)

static uint8_t *picture_jpeg(int seed, size_t *len)
{
    ps_image *img = fx_corners(96 + seed % 7 * 8, 64 + seed % 5 * 8, 12);
    uint8_t *jpg = NULL;
    for (int y = 0; y < img->height; y++)
        for (int x = 0; x < img->width; x++)
            ps_image_row(img, y)[3 * x + 1] = (uint8_t)((x * seed + y) & 255);
    if (ps_encode_jpeg(img, 80, &jpg, len) != PS_OK)
        jpg = NULL;
    ps_image_free(&img);
    return jpg;
}

/* A photo of the checked-in corpus (malloc'd), or NULL. */
static uint8_t *corpus_photo(const char *name, size_t *len)
{
    char path[4096];
    FILE *f;
    long n;
    uint8_t *b = NULL;
    snprintf(path, sizeof path, "%s/testdata/corpus/%s", getenv("PS_SOURCE_DIR"), name);
    f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
        b = malloc((size_t)n);
        if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
            free(b);
            b = NULL;
        }
        *len = (size_t)n;
    }
    fclose(f);
    return b;
}

/* Enqueues N uploads cycling through the outcomes. Jobs 1 and 3 of every
 * 20 are real photos (an ID, a credit card) so that the OCR, field reading
 * and redaction paths (tesseract) run too. */
static int fill(const char *url, int n)
{
    static const char pdf[] = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
    static const char *const kinds[] = {"selfie", "photo_id", "address_proof", "credit_card",
                                        "selfie", "other", "address_proof"};
    ps_store *db = NULL;
    int bad = 0;
    if (ps_store_open(url, &db, NULL, 0) != PS_OK)
        return -1;
    for (int i = 0; i < n && !bad; i++) {
        ps_upload_meta m = {kinds[i % 7], NULL, NULL};
        size_t len = 0;
        uint8_t *b = NULL;
        int64_t id;
        if (i % 7 == 6) {
            /* a PDF that does not open: reported as digital, not rendered */
            bad |= ps_store_enqueue(db, &m, (const uint8_t *)pdf, sizeof pdf - 1, &id) != PS_OK;
            continue;
        }
        if (i % 14 == 2) {
            /* a one-page PDF with text: poppler renders it, the page is read */
            char *path = ps_test_src_path("testdata/fuzz/decode_pdf/text_page.pdf");
            b = ps_test_read_file(path, &len);
            free(path);
            if (b == NULL)
                return -1;
            bad |= ps_store_enqueue(db, &m, b, len, &id) != PS_OK;
            free(b);
            continue;
        }
        if (i % 20 == 1 || i % 20 == 3) {
            m.kind = i % 20 == 1 ? "photo_id" : "credit_card";
            b = corpus_photo(i % 20 == 1 ? "000000_photo_id_clean.jpg"
                                         : "000000_credit_card_clean.jpg", &len);
        } else if (i % 7 == 5) {
            ps_image *img = fx_corners(80, 60, 10);
            b = fx_png(img, 2 /* RGB */, 8, 0, 0, &len);
            ps_image_free(&img);
        } else {
            b = picture_jpeg(i, &len);
        }
        if (b == NULL)
            return -1;
        if (i % 7 == 4)
            len = len / 2; /* truncated: done, unreadable */
        m.side = strcmp(m.kind, "credit_card") == 0 ? "front" : NULL;
        bad |= ps_store_enqueue(db, &m, b, len, &id) != PS_OK;
        free(b);
    }
    ps_store_close(&db);
    return bad ? -1 : 0;
}

/* Sum of the "bytes" column of LSan's "Suppressions used:" table. */
static long long suppressed_bytes(const char *log)
{
    const char *p = strstr(log, "Suppressions used:");
    long long total = 0;
    if (p == NULL)
        return 0;
    p = strchr(p, '\n');
    while (p != NULL && *++p != '\0') {
        long long count, bytes;
        char name[256];
        if (sscanf(p, " %lld %lld %255s", &count, &bytes, name) == 3)
            total += bytes;
        else if (strncmp(p, " count", 6) != 0 && strncmp(p, "count", 5) != 0)
            break;
        p = strchr(p, '\n');
    }
    return total;
}

int main(int argc, char **argv)
{
    const char *src = getenv("PS_SOURCE_DIR");
    char tmp[64] = "/tmp/ps-leaks-XXXXXX", url[256], log[256], opts[4200];
    long long supp[MAX_RUNS] = {0};
    int runs = 0, rc = 0;

    if (getenv("PS_SANITIZED") == NULL || strcmp(getenv("PS_SANITIZED"), "1") != 0) {
        printf("worker_leaks: not a sanitizer build; skipped\n");
        return 77;
    }
    if (argc < 2 || src == NULL) {
        fprintf(stderr, "usage: worker_leaks JOBS... (PS_SOURCE_DIR set)\n");
        return 2;
    }
    if (mkdtemp(tmp) == NULL)
        return 1;
    /* for the children only: this process keeps the options it started with */
    setenv("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=0", 1);
    snprintf(opts, sizeof opts,
             "suppressions=%s/tests/lsan.supp:print_suppressions=1:exitcode=23", src);
    setenv("LSAN_OPTIONS", opts, 1);
    for (int a = 1; a < argc && runs < MAX_RUNS; a++, runs++) {
        int n = atoi(argv[a]), st;
        char *argv_w[12], *text;
        int64_t counts[PS_JOB_STATE_COUNT_];
        ps_store *db = NULL;
        double t0 = pt_now();
        snprintf(url, sizeof url, "sqlite:%s/q%d.db", tmp, n);
        snprintf(log, sizeof log, "%s/work%d.log", tmp, n);
        if (n < 1 || fill(url, n) != 0)
            FAIL("could not enqueue %d jobs", n);
        argv_w[0] = "prescreen";
        argv_w[1] = "work";
        argv_w[2] = "--db";
        argv_w[3] = url;
        argv_w[4] = "--drain";
        argv_w[5] = "--backoff-ms";
        argv_w[6] = "0";
        argv_w[7] = NULL;
        st = pt_run(argv_w, tmp, NULL, log, NULL);
        text = pt_slurp(log);
        if (text == NULL)
            FAIL("no log from the %d-job run", n);
        if (strstr(text, "ERROR: LeakSanitizer") != NULL || st != 0) {
            const char *leak = strstr(text, "ERROR: LeakSanitizer");
            /* the report names allocation stacks only: no upload content */
            fprintf(stderr, "%s\n", leak ? leak : text);
            free(text);
            FAIL("%d jobs: exit status %d (LeakSanitizer exits 23 on a leak)", n, st);
        }
        supp[runs] = suppressed_bytes(text);
        free(text);
        if (ps_store_open(url, &db, NULL, 0) != PS_OK || ps_store_counts(db, counts) != PS_OK)
            FAIL("cannot read the %d-job queue", n);
        ps_store_close(&db);
        if (counts[PS_JOB_QUEUED] || counts[PS_JOB_RUNNING] ||
            counts[PS_JOB_DONE] + counts[PS_JOB_QUARANTINED] != n)
            FAIL("%d jobs: %lld done, %lld quarantined, %lld dead, %lld unfinished", n,
                 (long long)counts[PS_JOB_DONE], (long long)counts[PS_JOB_QUARANTINED],
                 (long long)counts[PS_JOB_DEAD],
                 (long long)(counts[PS_JOB_QUEUED] + counts[PS_JOB_RUNNING]));
        printf("worker_leaks: %d jobs: no leak; %lld bytes of third-party caches suppressed; "
               "%.1f s\n", n, supp[runs], pt_now() - t0);
    }
    for (int i = 1; i < runs; i++)
        if (supp[i] > supp[0] + SUPPRESSED_SLACK_BYTES)
            FAIL("suppressed third-party bytes grow with the job count: %lld (%s jobs) vs "
                 "%lld (%s jobs)", supp[i], argv[i + 1], supp[0], argv[1]);
out:
    {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
        if (system(cmd) != 0)
            fprintf(stderr, "worker_leaks: could not remove %s\n", tmp);
    }
    return rc;
}
