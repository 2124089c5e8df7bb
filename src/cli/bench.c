/* prescreen bench CORPUS_DIR [--report OUT.html] [--json OUT.json] [--threads N]
 *                  [--compare-tesseract N] [--timeout S] [--ocr-leaks] [--items OUT.tsv]
 *
 * Runs the pipeline over every image under CORPUS_DIR (recursively), scores
 * it against the SPEC §5 sidecar labels (X.truth.json), and reports per-flag
 * precision/recall, face recall and false faces, document-quad IoU, field
 * exact-match rates, leaks (pixels and strings), errors, per-stage p50/p95,
 * throughput and peak memory. Sensitive label strings are never printed. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/bench.h"
#include "cli/cli.h"
#include "prescreen/applicant.h"
#include "prescreen/decode.h"
#include "prescreen/engine.h"
#include "prescreen/geom.h"
#include "prescreen/ocr.h"
#include "prescreen/screen.h"

/* Gray-level change that re-encoding cannot cause: a mask was drawn there. */
#define PSB_MASK_DIFF 48
/* A corpus bigger than this is a mistake in the path. */
#define PSB_MAX_ITEMS 100000

/* Most worker processes a run starts (--threads). */
#define PSB_MAX_WORKERS 64
/* Default wall-clock limit per image before its worker is killed and the
 * image is counted as a timeout (the product's own watchdog default). */
#define PSB_DEFAULT_TIMEOUT_S 120
/* Supervisor tick: progress bar and timeout latency. */
#define PSB_TICK_MS 100

/* State the worker processes share with the supervisor (MAP_SHARED): the
 * next image to take, how many are finished, and what each worker holds, so
 * an image whose worker crashed or hung is counted, not lost. */
typedef struct shared_state {
    atomic_int next;
    atomic_int done;
    atomic_int current[PSB_MAX_WORKERS]; /* item index, -1 when idle */
    _Atomic double started[PSB_MAX_WORKERS]; /* now_s() when it was taken */
} shared_state;

typedef struct bench {
    psb_item *items;     /* MAP_SHARED while the workers run */
    int n, cap;
    shared_state *sh;    /* MAP_SHARED */
    int progress;        /* stderr is a terminal */
    int ocr_leaks;       /* --ocr-leaks: re-read stored images with tesseract */
    double timeout_s;
    double t0;
} bench;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int is_image_name(const char *n)
{
    const char *dot = strrchr(n, '.');
    static const char *ext[] = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".avif", ".pdf"};
    if (dot == NULL || strstr(n, ".overlay.") || strstr(n, ".redacted."))
        return 0;
    for (size_t i = 0; i < sizeof ext / sizeof *ext; i++)
        if (strcasecmp(dot, ext[i]) == 0)
            return 1;
    return 0;
}

static int cmp_items(const void *a, const void *b)
{
    return strcmp(((const psb_item *)a)->path, ((const psb_item *)b)->path);
}

static int collect(bench *b, const char *dir, int depth)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    if (d == NULL)
        return -1;
    while ((de = readdir(d)) != NULL) {
        char path[1024];
        struct stat st;
        if (de->d_name[0] == '.')
            continue;
        if (snprintf(path, sizeof path, "%s/%s", dir, de->d_name) >= (int)sizeof path)
            continue;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode) && depth < 8) {
            collect(b, path, depth + 1);
            continue;
        }
        if (!S_ISREG(st.st_mode) || !is_image_name(de->d_name) || b->n >= PSB_MAX_ITEMS)
            continue;
        if (b->n == b->cap) {
            int nc = b->cap ? b->cap * 2 : 256;
            psb_item *ni = realloc(b->items, sizeof *ni * (size_t)nc);
            if (ni == NULL)
                break;
            b->items = ni;
            b->cap = nc;
        }
        memset(&b->items[b->n], 0, sizeof b->items[0]);
        snprintf(b->items[b->n].path, sizeof b->items[0].path, "%s", path);
        b->n++;
    }
    closedir(d);
    return 0;
}

static uint8_t *slurp(const char *path, size_t *n)
{
    int over = 0;
    ps_limits l;
    ps_limits_default(&l);
    return ps_cli_read_file(path, l.max_bytes, n, &over);
}

/* Upright full-resolution gray image of an encoded file, or NULL. */
static ps_image *gray_full(const uint8_t *b, size_t n)
{
    ps_decode_opts o;
    ps_decoded *d = NULL;
    ps_image *g = NULL;
    ps_decode_opts_default(&o);
    o.want_full = 1;
    o.work_long_side = 64; /* the working copy is not used here */
    if (ps_decode(b, n, &o, &d, NULL, 0) == PS_OK)
        ps_image_to_gray(d->full, &g);
    ps_decoded_free(&d);
    return g;
}

static int label_path(const char *img, char *out, size_t cap)
{
    const char *dot = strrchr(img, '.');
    int len = (int)(dot - img);
    return snprintf(out, cap, "%.*s.truth.json", len, img) < (int)cap;
}

/* Normalises a label or a read field for comparison: ASCII-folds full-width
 * forms and drops spaces (the project's name/address normalisers refine this
 * in the verify stage; the bench measures exact reading). */
static void fold(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)in;
    while (*p && n + 4 < cap) {
        if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) { /* U+3000 ideographic space */
            p += 3;
            continue;
        }
        if (p[0] == 0xEF && (p[1] == 0xBC || p[1] == 0xBD)) { /* U+FF01..FF5E */
            unsigned cp = ((p[1] & 0x3F) << 6 | (p[2] & 0x3F)) + 0xF000;
            if (cp >= 0xFF01 && cp <= 0xFF5E) {
                out[n++] = (char)(cp - 0xFF01 + 0x21);
                p += 3;
                continue;
            }
        }
        if (*p == ' ' || *p == '\t') {
            p++;
            continue;
        }
        out[n++] = (char)*p++;
    }
    out[n] = '\0';
}

/* Digits of `text`, in order, at most cap-1. */
static void digits_of(const char *text, char *out, size_t cap)
{
    size_t n = 0;
    for (; text && *text && n + 1 < cap; text++)
        if (*text >= '0' && *text <= '9')
            out[n++] = *text;
    out[n] = '\0';
}

/* 1 when OCR digits `got` reveal the secret: some run of min(4, len)
 * consecutive digits read is also a run of the secret's digits. */
static int reveals(const char *got, const char *secret)
{
    size_t ng = strlen(got), ns = strlen(secret), k = ns < 4 ? ns : 4;
    if (k == 0 || ng < k)
        return 0;
    for (size_t i = 0; i + k <= ng; i++)
        for (size_t j = 0; j + k <= ns; j++)
            if (memcmp(got + i, secret + j, k) == 0)
                return 1;
    return 0;
}

/* What tesseract reads in one box of the stored copy: digits only. */
static void ocr_digits(ps_ocr *ocr, const ps_image *red, ps_box box, ps_ocr_psm psm, char *out,
                       size_t cap)
{
    ps_ocr_params p;
    ps_ocr_result *r = NULL;
    memset(&p, 0, sizeof p);
    p.zone = ps_box_clip(box, red->width, red->height);
    p.glyph_height = box.h * 7 / 10; /* the label box is a little taller than the glyphs */
    if (psm == PS_OCR_PSM_SPARSE)
        p.glyph_height = 0;
    p.psm = psm;
    p.deadline_ms = 5000;
    p.whitelist = "0123456789";
    p.langs = "eng";
    out[0] = '\0';
    if (p.zone.w > 0 && p.zone.h > 0 && ps_ocr_read(ocr, red, &p, &r) == PS_OK)
        digits_of(r->text, out, cap);
    ps_ocr_result_free(&r);
}

/* The independent re-read (--ocr-leaks): a fresh tesseract pass over every
 * labelled box of the stored copy, and over the area around all of them,
 * must not read a run of the masked digits; the kept last four should read. */
static void ocr_recheck(ps_ocr *ocr, psb_item *it, const ps_image *red)
{
    const psb_truth *t = &it->truth;
    char got[256];
    int any = 0, x0 = 0, y0 = 0, x1 = 0, y1 = 0, hmax = 0;
    for (int s = 0; s < t->n_sensitive; s++) {
        ps_box b = t->sensitive[s].box;
        int last4 = strcmp(t->sensitive[s].type, "pan_last4") == 0;
        if (!t->sensitive[s].has_box)
            continue;
        ocr_digits(ocr, red, b, PS_OCR_PSM_LINE, got, sizeof got);
        if (last4) {
            if (!psb_last4_scored(t, s))
                continue;
            it->last4_ocr_total++;
            it->last4_ocr_kept += strstr(got, t->sensitive[s].digits) != NULL;
            continue;
        }
        /* a whole number read in its box: the kept last 4 are no leak */
        char secret[32];
        snprintf(secret, sizeof secret, "%s", t->sensitive[s].digits);
        if (psb_whole_number(t, s))
            secret[strlen(secret) - 4] = '\0';
        if (reveals(got, secret)) {
            it->ocr_leaks++;
            continue;
        }
        if (!any || b.x < x0) x0 = b.x;
        if (!any || b.y < y0) y0 = b.y;
        if (!any || b.x + b.w > x1) x1 = b.x + b.w;
        if (!any || b.y + b.h > y1) y1 = b.y + b.h;
        if (b.h > hmax) hmax = b.h;
        any = 1;
    }
    if (any) { /* the neighbourhood: digits printed twice, or a mask that slipped */
        ps_box area = {x0 - 2 * hmax, y0 - 2 * hmax, x1 - x0 + 4 * hmax, y1 - y0 + 4 * hmax};
        ocr_digits(ocr, red, area, PS_OCR_PSM_SPARSE, got, sizeof got);
        for (int s = 0; s < t->n_sensitive; s++)
            if (strcmp(t->sensitive[s].type, "pan_last4") != 0 &&
                strlen(t->sensitive[s].digits) >= 6 && psb_contains_digits(got, t->sensitive[s].digits)) {
                it->ocr_leaks++;
                break;
            }
    }
    it->leaks += it->ocr_leaks;
}

/* One labelled last 4 of a stored copy: kept when its band's pixels are
 * those of the upload. A last 4 the frame cuts cannot stay readable: it
 * is counted apart. */
static void score_last4(psb_item *it, int s, const ps_image *orig, const ps_image *red,
                        psb_band band)
{
    if (!psb_last4_scored(&it->truth, s)) {
        it->last4_cut++;
        return;
    }
    it->last4_total++;
    it->last4_kept += psb_band_readable(orig, red, band);
}

static void score_item(psb_item *it, const uint8_t *bytes, size_t len, const ps_screen_result *res,
                       ps_ocr *ocr)
{
    const psb_truth *t = &it->truth;
    const ps_report *r = &res->report;
    char *json = NULL;
    int boxed = 0;

    it->quad_iou = -1;
    if (it->status == PS_OK)
        ps_report_to_json(r, 0, &json);
    /* strings: the report, the error, nothing else leaves the pipeline */
    for (int s = 0; s < t->n_sensitive; s++) {
        if (strcmp(t->sensitive[s].type, "pan_last4") == 0)
            continue;
        if ((json && psb_contains_digits(json, t->sensitive[s].digits)) ||
            psb_contains_digits(res->error, t->sensitive[s].digits))
            it->string_leaks++;
    }
    free(json);
    it->leaks = it->string_leaks;
    if (!it->has_truth || it->status != PS_OK)
        return;

    /* pixels of the stored copy (entries without a box: strings only) */
    for (int s = 0; s < t->n_sensitive; s++)
        boxed += t->sensitive[s].has_box;
    if (res->redacted_jpeg != NULL && boxed > 0) {
        ps_image *orig = gray_full(bytes, len);
        ps_image *red = gray_full(res->redacted_jpeg, res->redacted_len);
        if (orig && red && orig->width == red->width && orig->height == red->height) {
            /* over-masking: pixels changed far beyond re-encoding noise
             * outside every labelled sensitive box, as a share of that area
             * (every 2nd pixel both ways is enough for a share) */
            uint64_t changed = 0, outside = 0;
            for (int y = 0; y < orig->height; y += 2) {
                const uint8_t *ro = ps_image_row(orig, y), *rr = ps_image_row(red, y);
                for (int x = 0; x < orig->width; x += 2) {
                    int in = 0;
                    for (int s = 0; s < t->n_sensitive && !in; s++) {
                        ps_box b = t->sensitive[s].box;
                        in = x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h;
                    }
                    if (in)
                        continue;
                    outside++;
                    changed += abs((int)ro[x] - (int)rr[x]) > PSB_MASK_DIFF;
                }
            }
            it->overmask = outside ? (double)changed / (double)outside : 0;
            /* the lines run along the document's top side (axis-aligned
             * without a labelled quad) */
            double ux = 0, uy = 0;
            if (t->has_quad)
                psb_quad_direction(t->quad, &ux, &uy);
            for (int s = 0; s < t->n_sensitive; s++) {
                int cells = 0;
                if (!t->sensitive[s].has_box)
                    continue;
                if (strcmp(t->sensitive[s].type, "pan_last4") == 0) {
                    psb_band band = psb_band_of(t->sensitive[s].box, ux, uy, 4);
                    score_last4(it, s, orig, red, band);
                    continue;
                }
                it->sensitive_boxes++;
                if (psb_whole_number(t, s)) {
                    /* a whole number's box: its last 4 stay, the rest must go */
                    int nd = (int)strlen(t->sensitive[s].digits), pitches = 0;
                    psb_pan_slot(nd, 0, &pitches);
                    psb_band line = psb_band_of(t->sensitive[s].box, ux, uy, pitches);
                    if (psb_pan_leaks(orig, red, line, nd, &cells) > 0)
                        it->leaks++;
                    score_last4(it, s, orig, red, psb_pan_last4_band(line, nd));
                    continue;
                }
                if (psb_box_leaks(orig, red, t->sensitive[s].box, &cells) > 0)
                    it->leaks++;
            }
            if (ocr)
                ocr_recheck(ocr, it, red);
        } else {
            it->leaks += boxed; /* stored but not comparable: assume the worst */
        }
        ps_image_free(&orig);
        ps_image_free(&red);
    }

    /* document quad */
    if (t->has_quad) {
        it->quad_in_frame = 1;
        for (int i = 0; i < 4; i++)
            if (t->quad[i].x < 0 || t->quad[i].y < 0 || t->quad[i].x > r->image.width ||
                t->quad[i].y > r->image.height)
                it->quad_in_frame = 0;
        it->quad_iou = (r->document.done && r->document.found) ? psb_quad_iou(t->quad, r->document.quad)
                                                                : 0.0;
    }

    /* faces: greedy one-to-one matching at IoU >= 0.5 */
    if (r->face.done && t->faces_labelled) {
        int used[PS_MAX_FACES] = {0};
        it->faces_truth = t->n_faces;
        for (int i = 0; i < t->n_faces; i++) {
            int best = -1;
            double bi = 0.5;
            for (int j = 0; j < r->face.count; j++) {
                double iou = ps_box_iou(t->faces[i], r->face.faces[j].box);
                if (!used[j] && iou >= bi) {
                    bi = iou;
                    best = j;
                }
            }
            if (best >= 0) {
                used[best] = 1;
                it->faces_matched++;
            }
        }
        for (int j = 0; j < r->face.count; j++)
            it->faces_false += !used[j];
    }

    /* fields */
    for (int f = 0; f < PS_FIELD_COUNT_; f++) {
        char a[512], b[512];
        if (!t->fields[f][0])
            continue;
        it->field_labelled |= 1u << f;
        if (!r->fields[f].present)
            continue;
        fold(t->fields[f], a, sizeof a);
        fold(r->fields[f].iso[0] ? r->fields[f].iso : r->fields[f].text, b, sizeof b);
        if (strcmp(a, b) == 0)
            it->field_ok |= 1u << f;
    }

    for (int f = 0; f < PS_FLAG_COUNT_; f++) {
        int got = ps_report_has(r, (ps_flag)f);
        if (((t->expect >> f) & 1) && !got)
            it->flag_errors++;
        if (((t->forbid >> f) & 1) && got)
            it->flag_errors++;
    }
}

/* Milliseconds the report gives stage `name` of item it; -1 when it did
 * not run. */
static double stage_ms(const psb_item *it, const char *name)
{
    for (int s = 0; s < it->report.n_timings; s++)
        if (strcmp(it->report.timings[s].stage, name) == 0)
            return it->report.timings[s].ms;
    return -1;
}

/* One tab-separated line per image, for chasing failures: file, status,
 * milliseconds, quad IoU (-1 unscored), in frame, leaks, the read and
 * redact stages' milliseconds (-1 not run), labelled last fours still
 * readable in the stored copy (kept/total), the labelled and the reported
 * document type and the reported side ("-" when none), and the flags
 * expected but missing (-) and raised but forbidden (+), and the labelled
 * fields not read exactly (names only). No field text. */
static int write_items(const char *path, const psb_item *items, int n)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    fputs("file\tstatus\tms\tquad_iou\tin_frame\tleaks\tdoc_conf\tread_ms\tredact_ms\tlast4\ttrue_type\ttype\t"
          "side\tflag_errors\tfield_misses\n", f);
    for (int i = 0; i < n; i++) {
        const psb_item *it = &items[i];
        const char *base = strrchr(it->path, '/');
        fprintf(f, "%s\t%s\t%.0f\t%.3f\t%d\t%d\t%.2f\t", base ? base + 1 : it->path,
                it->status == PS_OK ? "ok" : it->error_code, it->ms, it->quad_iou, it->quad_in_frame,
                it->leaks, it->report.document.confidence);
        /* the two stages that read the document, for chasing latency */
        fprintf(f, "%.0f\t%.0f\t", stage_ms(it, "read"), stage_ms(it, "redact"));
        fprintf(f, "%d/%d\t", it->last4_kept, it->last4_total);
        const char *rs = ps_side_name(it->report.side);
        fprintf(f, "%s\t%s\t%s\t",
                it->has_truth && it->truth.doc_type[0] ? it->truth.doc_type : "-",
                it->report.doc_type[0] ? it->report.doc_type : "-", rs ? rs : "-");
        for (int fl = 0; fl < PS_FLAG_COUNT_ && it->has_truth; fl++) {
            int got = ps_report_has(&it->report, (ps_flag)fl);
            if (((it->truth.expect >> fl) & 1) && !got)
                fprintf(f, " -%s", ps_flag_name((ps_flag)fl));
            if (((it->truth.forbid >> fl) & 1) && got)
                fprintf(f, " +%s", ps_flag_name((ps_flag)fl));
        }
        fputc('\t', f);
        for (int fi = 0; fi < PS_FIELD_COUNT_; fi++)
            if (((it->field_labelled & ~it->field_ok) >> fi) & 1)
                fprintf(f, " %s", ps_field_name((ps_field_id)fi));
        fputc('\n', f);
    }
    return fclose(f) == 0 ? 0 : -1;
}

static void progress(bench *b)
{
    int done = atomic_load(&b->sh->done);
    double el = now_s() - b->t0, rate = el > 0 ? done / el : 0;
    double eta = rate > 0 ? (b->n - done) / rate : 0;
    int w = 30, fill = b->n ? done * w / b->n : w;
    fprintf(stderr, "\r[%.*s%*s] %d/%d %.1f img/s ETA %.0fs ", fill,
            "##############################", w - fill, "", done, b->n, rate, eta);
    if (done == b->n)
        fputc('\n', stderr);
}

/* Test hook: a worker aborts on the image whose file name is exactly
 * $PS_BENCH_FAULT_INJECT, so a test can prove a crash is counted and the run
 * goes on. Unset in every real run. */
static void fault_inject(const char *path)
{
    const char *want = getenv("PS_BENCH_FAULT_INJECT");
    const char *base = strrchr(path, '/');
    if (want && *want && strcmp(base ? base + 1 : path, want) == 0)
        abort();
}

static void screen_item(bench *b, ps_ctx *ctx, ps_ocr *ocr, psb_item *it)
{
    uint8_t *bytes;
    size_t len = 0;
    char lp[1100], err[256];
    ps_applicant ap;
    ps_upload up;
    ps_screen_result res;
    double t0;

    memset(&up, 0, sizeof up);
    if (label_path(it->path, lp, sizeof lp) && access(lp, R_OK) == 0 &&
        psb_truth_load(lp, &it->truth, err, sizeof err) == 0)
        it->has_truth = 1;
    up.kind = it->truth.has_kind ? it->truth.kind : PS_KIND_OTHER;
    up.side = it->truth.side;
    if (it->truth.now[0])
        snprintf(up.now, sizeof up.now, "%s", it->truth.now);
    if (it->truth.applicant_json[0] &&
        ps_applicant_parse(it->truth.applicant_json, strlen(it->truth.applicant_json), &ap, err,
                           sizeof err) == PS_OK)
        up.applicant = &ap;
    up.want_redacted = 1;
    bytes = slurp(it->path, &len);
    up.bytes = bytes;
    up.len = len;
    fault_inject(it->path);
    t0 = now_s();
    it->status = bytes ? ps_screen(ctx, &up, &res) : PS_E_IO;
    it->ms = (now_s() - t0) * 1e3;
    if (bytes == NULL)
        memset(&res, 0, sizeof res);
    snprintf(it->error_code, sizeof it->error_code, "%s",
             it->status == PS_OK ? "" : ps_status_code(it->status));
    it->report = res.report;
    it->stored = res.redacted_jpeg != NULL;
    score_item(it, bytes, len, &res, b->ocr_leaks ? ocr : NULL);
    ps_screen_result_clear(&res);
    free(bytes);
}

/* One worker process: takes images until none is left. Its own engine and
 * context (nothing of the supervisor's OpenCV or tesseract state crosses the
 * fork). Exit 0, or 1 when the engine cannot be opened. */
static int worker_main(bench *b, int slot)
{
    ps_engine *engine = NULL;
    ps_ctx *ctx = NULL;
    ps_ocr *ocr = NULL;
    char err[256];
    if (ps_engine_open(NULL, &engine, err, sizeof err) != PS_OK ||
        ps_ctx_open(engine, &ctx, err, sizeof err) != PS_OK) {
        fprintf(stderr, "bench: %s\n", err);
        ps_engine_close(&engine);
        return 1;
    }
    if (b->ocr_leaks && ps_ocr_new(NULL, "eng", &ocr) != PS_OK) {
        fprintf(stderr, "bench: --ocr-leaks: the eng traineddata cannot be loaded\n");
        ps_ctx_close(&ctx);
        ps_engine_close(&engine);
        return 1;
    }
    for (;;) {
        int i = atomic_fetch_add(&b->sh->next, 1);
        if (i >= b->n)
            break;
        atomic_store(&b->sh->started[slot], now_s());
        atomic_store(&b->sh->current[slot], i);
        screen_item(b, ctx, ocr, &b->items[i]);
        atomic_store(&b->sh->current[slot], -1);
        atomic_fetch_add(&b->sh->done, 1);
    }
    ps_ocr_free(&ocr);
    ps_ctx_close(&ctx);
    ps_engine_close(&engine);
    return 0;
}

static pid_t spawn(bench *b, int slot)
{
    pid_t pid;
    atomic_store(&b->sh->current[slot], -1);
    fflush(NULL);
    pid = fork();
    if (pid == 0)
        _exit(worker_main(b, slot));
    return pid;
}

/* The image a dead or killed worker held is finished as an error. */
static void count_lost(bench *b, int slot, const char *code)
{
    int i = atomic_exchange(&b->sh->current[slot], -1);
    if (i < 0 || i >= b->n)
        return;
    b->items[i].status = PS_E_INTERNAL;
    snprintf(b->items[i].error_code, sizeof b->items[i].error_code, "%s", code);
    b->items[i].ms = (now_s() - atomic_load(&b->sh->started[slot])) * 1e3;
    atomic_fetch_add(&b->sh->done, 1);
}

/* The supervisor: `threads` worker processes, restarted after a crash; a
 * worker past the per-image limit is killed. Returns 0 when every image was
 * finished (screened, or counted as a crash or timeout). */
static int run_workers(bench *b, int threads)
{
    pid_t pids[PSB_MAX_WORKERS];
    int killed[PSB_MAX_WORKERS] = {0};
    int live = 0, failed_starts = 0;
    for (int s = 0; s < threads; s++) {
        pids[s] = spawn(b, s);
        live += pids[s] > 0;
    }
    while (live > 0) {
        int st = 0;
        pid_t pid = waitpid(-1, &st, WNOHANG);
        if (pid > 0) {
            int s = 0;
            while (s < threads && pids[s] != pid)
                s++;
            if (s == threads)
                continue;
            pids[s] = -1;
            live--;
            if (WIFSIGNALED(st) || (WIFEXITED(st) && WEXITSTATUS(st) != 0)) {
                int held = atomic_load(&b->sh->current[s]) >= 0;
                count_lost(b, s, killed[s] ? "timeout" : "crash");
                /* a worker that dies before taking any image cannot start */
                if (!held && ++failed_starts > threads)
                    return -1;
            }
            killed[s] = 0;
            if (atomic_load(&b->sh->next) < b->n) {
                pids[s] = spawn(b, s);
                live += pids[s] > 0;
            }
            continue;
        }
        for (int s = 0; s < threads; s++)
            if (pids[s] > 0 && atomic_load(&b->sh->current[s]) >= 0 &&
                now_s() - atomic_load(&b->sh->started[s]) > b->timeout_s && !killed[s]) {
                killed[s] = 1;
                kill(pids[s], SIGKILL);
            }
        if (b->progress)
            progress(b);
        struct timespec ts = {0, PSB_TICK_MS * 1000000L};
        nanosleep(&ts, NULL);
    }
    if (b->progress)
        progress(b);
    return atomic_load(&b->sh->done) == b->n ? 0 : -1;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double pct(double *v, int n, double p)
{
    if (n == 0)
        return 0;
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    return v[(int)((n - 1) * p + 0.5)];
}

static json_t *ratio(int num, int den)
{
    return den ? json_real((double)num / den) : json_null();
}

/* Times `tesseract FILE stdout -l jpn+eng` on the first n images: the naive
 * redactor's approach (whole full-resolution image through OCR). */
static double time_tesseract(const char *path)
{
    double t0 = now_s();
    pid_t pid = fork();
    int st = 0;
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        execlp("tesseract", "tesseract", path, "stdout", "-l", "jpn+eng", (char *)NULL);
        _exit(127);
    }
    if (pid < 0 || waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        return -1;
    return (now_s() - t0) * 1e3;
}

static json_t *summarise(bench *b, double wall, int threads, int compare_n)
{
    json_t *root = json_object(), *flags = json_object(), *errors = json_object();
    json_t *stages = json_object();
    int n_ok = 0, faces_t = 0, faces_m = 0, faces_false = 0, face_free = 0, face_free_false = 0;
    int quads = 0, quads_inframe = 0, quads_inframe_good = 0, leaks = 0, str_leaks = 0, boxes = 0;
    int l4t = 0, l4k = 0, l4all = 0, stored = 0, labelled = 0, crashes = 0, timeouts = 0;
    int ocr_leaks = 0, l4ot = 0, l4ok = 0, dt_total = 0, dt_exact = 0;
    int l4cut = 0;
    double iou_sum = 0, overmask_sum = 0;
    int overmask_n = 0;
    int ftot[PS_FIELD_COUNT_] = {0}, fmatch[PS_FIELD_COUNT_] = {0};
    double *ms = malloc(sizeof(double) * (size_t)(b->n ? b->n : 1));
    /* what redaction adds to a credit-card check: its stage's time over
     * the rest of the check, per check and of the sums */
    double *share = malloc(sizeof(double) * (size_t)(b->n ? b->n : 1));
    double share_red = 0, share_rest = 0;
    int n_share = 0;
    struct rusage ru;

    for (int f = 0; f < PS_FLAG_COUNT_; f++) {
        int tp = 0, fp = 0, fn = 0, tn = 0;
        for (int i = 0; i < b->n; i++) {
            const psb_item *it = &b->items[i];
            int got;
            if (!it->has_truth || it->status != PS_OK)
                continue;
            got = ps_report_has(&it->report, (ps_flag)f);
            if ((it->truth.expect >> f) & 1)
                got ? tp++ : fn++;
            else if ((it->truth.forbid >> f) & 1)
                got ? fp++ : tn++;
        }
        if (tp + fp + fn + tn == 0)
            continue;
        json_object_set_new(flags, ps_flag_name((ps_flag)f),
                            json_pack("{s:i,s:i,s:i,s:i,s:o,s:o}", "tp", tp, "fp", fp, "fn", fn,
                                      "tn", tn, "precision", ratio(tp, tp + fp), "recall",
                                      ratio(tp, tp + fn)));
    }
    for (int i = 0; i < b->n; i++) {
        const psb_item *it = &b->items[i];
        labelled += it->has_truth;
        /* every labelled last 4, stored or not: a quarantined card keeps none */
        for (int s = 0; it->has_truth && s < it->truth.n_sensitive; s++)
            l4all += psb_last4_scored(&it->truth, s);
        if (it->status != PS_OK) {
            json_t *c = json_object_get(errors, it->error_code);
            crashes += strcmp(it->error_code, "crash") == 0;
            timeouts += strcmp(it->error_code, "timeout") == 0;
            json_object_set_new(errors, it->error_code, json_integer(c ? json_integer_value(c) + 1 : 1));
            leaks += it->leaks;
            str_leaks += it->string_leaks;
            continue;
        }
        ms[n_ok++] = it->ms;
        double red = stage_ms(it, "redact");
        if (share != NULL && it->report.kind == PS_KIND_CREDIT_CARD && red >= 0 && it->ms > red) {
            share[n_share++] = red / (it->ms - red);
            share_red += red;
            share_rest += it->ms - red;
        }
        stored += it->stored;
        leaks += it->leaks;
        str_leaks += it->string_leaks;
        boxes += it->sensitive_boxes;
        l4t += it->last4_total;
        if (it->stored && it->truth.n_sensitive > 0) {
            overmask_sum += it->overmask;
            overmask_n++;
        }
        l4k += it->last4_kept;
        ocr_leaks += it->ocr_leaks;
        if (it->has_truth && it->truth.doc_type[0]) {
            dt_total++;
            dt_exact += strcmp(it->truth.doc_type, it->report.doc_type) == 0;
        }
        l4ot += it->last4_ocr_total;
        l4ok += it->last4_ocr_kept;
        l4cut += it->last4_cut;
        if (it->has_truth && it->report.face.done && it->truth.faces_labelled) {
            faces_t += it->faces_truth;
            faces_m += it->faces_matched;
            faces_false += it->faces_false;
            if (it->truth.n_faces == 0) {
                face_free++;
                face_free_false += it->faces_false;
            }
        }
        if (it->quad_iou >= 0) {
            quads++;
            iou_sum += it->quad_iou;
            if (it->quad_in_frame) {
                quads_inframe++;
                quads_inframe_good += it->quad_iou >= 0.9;
            }
        }
        for (int f = 0; f < PS_FIELD_COUNT_; f++) {
            ftot[f] += (it->field_labelled >> f) & 1;
            fmatch[f] += (it->field_ok >> f) & 1;
        }
    }
    /* per stage p50 / p95, by stage name (kinds run different stages) */
    {
        double *v = malloc(sizeof(double) * (size_t)(b->n ? b->n : 1));
        for (int i = 0; i < b->n; i++) {
            const ps_report *r0 = &b->items[i].report;
            for (int s = 0; s < r0->n_timings; s++) {
                const char *name = r0->timings[s].stage;
                int m = 0;
                if (b->items[i].status != PS_OK || json_object_get(stages, name) != NULL)
                    continue;
                for (int j = i; j < b->n; j++) {
                    const ps_report *r = &b->items[j].report;
                    if (b->items[j].status != PS_OK)
                        continue;
                    for (int k = 0; k < r->n_timings; k++)
                        if (strcmp(r->timings[k].stage, name) == 0)
                            v[m++] = r->timings[k].ms;
                }
                json_object_set_new(stages, name, json_pack("{s:f,s:f,s:i}", "p50", pct(v, m, 0.5),
                                                            "p95", pct(v, m, 0.95), "n", m));
            }
        }
        free(v);
    }
    {
        json_t *fields = json_object();
        for (int f = 0; f < PS_FIELD_COUNT_; f++)
            if (ftot[f])
                json_object_set_new(fields, ps_field_name((ps_field_id)f),
                                    json_pack("{s:i,s:i,s:o}", "labelled", ftot[f], "exact",
                                              fmatch[f], "rate", ratio(fmatch[f], ftot[f])));
        json_object_set_new(root, "fields", fields);
    }
    getrusage(RUSAGE_CHILDREN, &ru); /* the largest worker process */
    json_object_set_new(root, "images", json_integer(b->n));
    json_object_set_new(root, "labelled", json_integer(labelled));
    json_object_set_new(root, "reports", json_integer(n_ok));
    json_object_set_new(root, "errors", errors);
    json_object_set_new(root, "flags", flags);
    json_object_set_new(root, "faces",
                        json_pack("{s:i,s:i,s:o,s:i,s:i,s:i}", "labelled", faces_t, "found", faces_m,
                                  "recall", ratio(faces_m, faces_t), "false_faces", faces_false,
                                  "face_free_images", face_free, "false_on_face_free",
                                  face_free_false));
    json_object_set_new(root, "document_quad",
                        json_pack("{s:i,s:o,s:i,s:o}", "scored", quads, "mean_iou",
                                  quads ? json_real(iou_sum / quads) : json_null(), "in_frame",
                                  quads_inframe, "share_iou_ge_0_9",
                                  ratio(quads_inframe_good, quads_inframe)));
    json_object_set_new(root, "leaks",
                        json_pack("{s:i,s:i,s:i,s:i,s:i,s:o,s:i,s:o,s:i,s:o}", "total", leaks, "strings",
                                  str_leaks, "sensitive_boxes_checked", boxes, "stored_images", stored,
                                  "last4_labelled", l4t, "last4_kept_rate", ratio(l4k, l4t),
                                  "last4_labelled_all", l4all, "last4_kept_rate_all", ratio(l4k, l4all),
                                  "last4_cut", l4cut,
                                  "overmask_mean", overmask_n ? json_real(overmask_sum / overmask_n)
                                                              : json_null()));
    if (b->ocr_leaks)
        json_object_set_new(json_object_get(root, "leaks"), "ocr_recheck",
                            json_pack("{s:i,s:i,s:o}", "leaks", ocr_leaks, "last4_labelled", l4ot,
                                      "last4_read_rate", ratio(l4ok, l4ot)));
    json_object_set_new(root, "doc_type", json_pack("{s:i,s:i,s:o}", "labelled", dt_total, "exact",
                                                    dt_exact, "rate", ratio(dt_exact, dt_total)));
    json_object_set_new(root, "crashes", json_integer(crashes));
    json_object_set_new(root, "timeouts", json_integer(timeouts));
    json_object_set_new(root, "latency_ms", json_pack("{s:f,s:f,s:f}", "p50", pct(ms, n_ok, 0.5),
                                                      "p95", pct(ms, n_ok, 0.95), "max",
                                                      pct(ms, n_ok, 1.0)));
    json_object_set_new(root, "stages_ms", stages);
    if (n_share > 0) {
        double med = pct(share, n_share, 0.5), p90 = pct(share, n_share, 0.9);
        json_object_set_new(root, "redaction_share",
                            json_pack("{s:i,s:f,s:f,s:f}", "card_checks", n_share, "median", med,
                                      "p90", p90, "of_sums", share_red / share_rest));
    }
    json_object_set_new(root, "threads", json_integer(threads));
    json_object_set_new(root, "wall_s", json_real(wall));
    json_object_set_new(root, "images_per_s", json_real(wall > 0 ? b->n / wall : 0));
    json_object_set_new(root, "peak_rss_mib", json_real(ru.ru_maxrss / 1024.0));
    if (compare_n > 0) {
        double ours = 0, theirs = 0;
        int m = 0;
        for (int i = 0; i < b->n && m < compare_n; i++) {
            double tt;
            if (b->items[i].status != PS_OK)
                continue;
            tt = time_tesseract(b->items[i].path);
            if (tt < 0)
                continue;
            ours += b->items[i].ms;
            theirs += tt;
            m++;
        }
        json_object_set_new(root, "compare_tesseract",
                            json_pack("{s:i,s:f,s:f,s:o}", "images", m, "prescreen_ms_mean",
                                      m ? ours / m : 0.0, "tesseract_ms_mean", m ? theirs / m : 0.0,
                                      "speedup", m && ours > 0 ? json_real(theirs / ours) : json_null()));
    }
    free(ms);
    free(share);
    return root;
}

/* Moves the item list into memory the worker processes share. */
static int share_items(bench *b)
{
    size_t bytes = sizeof(psb_item) * (size_t)(b->n ? b->n : 1);
    psb_item *m = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    shared_state *sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED || sh == MAP_FAILED) {
        if (m != MAP_FAILED)
            munmap(m, bytes);
        if (sh != MAP_FAILED)
            munmap(sh, sizeof *sh);
        return -1;
    }
    if (b->n)
        memcpy(m, b->items, sizeof(psb_item) * (size_t)b->n);
    free(b->items);
    b->items = m;
    memset(sh, 0, sizeof *sh);
    b->sh = sh;
    return 0;
}

static void unshare(bench *b)
{
    if (b->sh) {
        munmap(b->items, sizeof(psb_item) * (size_t)(b->n ? b->n : 1));
        munmap(b->sh, sizeof *b->sh);
    } else {
        free(b->items);
    }
    b->items = NULL;
    b->sh = NULL;
}

int ps_cli_bench(int argc, char **argv)
{
    const char *dir = NULL, *html = NULL, *jout = NULL, *items = NULL;
    int threads = 1, compare = 0, rc = PS_EXIT_INTERNAL;
    bench b;
    json_t *sum = NULL;
    char *text = NULL;
    double t0;

    memset(&b, 0, sizeof b);
    b.timeout_s = PSB_DEFAULT_TIMEOUT_S;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if ((strcmp(a, "--report") == 0 || strcmp(a, "--json") == 0 || strcmp(a, "--threads") == 0 ||
             strcmp(a, "--compare-tesseract") == 0 || strcmp(a, "--timeout") == 0 ||
             strcmp(a, "--items") == 0) && i + 1 >= argc)
            return ps_cli_usage("bench: %s needs a value", a);
        if (strcmp(a, "--report") == 0) html = argv[++i];
        else if (strcmp(a, "--json") == 0) jout = argv[++i];
        else if (strcmp(a, "--items") == 0) items = argv[++i];
        else if (strcmp(a, "--threads") == 0) threads = atoi(argv[++i]);
        else if (strcmp(a, "--compare-tesseract") == 0) compare = atoi(argv[++i]);
        else if (strcmp(a, "--timeout") == 0) b.timeout_s = atof(argv[++i]);
        else if (strcmp(a, "--ocr-leaks") == 0) b.ocr_leaks = 1;
        else if (a[0] == '-') return ps_cli_usage("bench: unknown option %s", a);
        else if (dir == NULL) dir = a;
        else return ps_cli_usage("bench: one CORPUS_DIR only");
    }
    if (dir == NULL)
        return ps_cli_usage("bench: CORPUS_DIR is required");
    if (threads < 1 || threads > PSB_MAX_WORKERS)
        return ps_cli_usage("bench: --threads must be 1..64");
    if (!(b.timeout_s > 0))
        return ps_cli_usage("bench: --timeout must be a positive number of seconds");
    if (collect(&b, dir, 0) != 0) {
        fprintf(stderr, "bench: cannot read %s: %s\n", dir, strerror(errno));
        return PS_EXIT_INTERNAL;
    }
    qsort(b.items, (size_t)b.n, sizeof *b.items, cmp_items);
    if (share_items(&b) != 0) {
        fprintf(stderr, "bench: cannot map shared memory: %s\n", strerror(errno));
        goto out;
    }
    b.progress = isatty(2);
    b.t0 = t0 = now_s();
    if (run_workers(&b, threads) != 0) {
        fprintf(stderr, "bench: %d of %d images were not processed (the workers cannot start)\n",
                b.n - atomic_load(&b.sh->done), b.n);
        goto out;
    }
    sum = summarise(&b, now_s() - t0, threads, compare);
    text = json_dumps(sum, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(5));
    puts(text);
    if (jout) {
        FILE *f = fopen(jout, "w");
        if (f == NULL || fputs(text, f) < 0 || fclose(f) != 0) {
            fprintf(stderr, "bench: cannot write %s\n", jout);
            goto out;
        }
    }
    if (html && psb_write_html(html, b.items, b.n, text) != 0) {
        fprintf(stderr, "bench: cannot write %s\n", html);
        goto out;
    }
    if (items && write_items(items, b.items, b.n) != 0) {
        fprintf(stderr, "bench: cannot write %s\n", items);
        goto out;
    }
    rc = PS_EXIT_OK;
out:
    free(text);
    json_decref(sum);
    unshare(&b);
    return rc;
}
