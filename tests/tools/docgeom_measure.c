/* ps_docgeom_measure: document-quad IoU, cut-off, candidate count,
 * occlusion, glare and time per image, over synthetic scenes (always) and
 * the shared corpus (when PS_CORPUS_DIR is set). Output is a Markdown table
 * for docs/geometry.md.
 * Usage: ps_docgeom_measure [repeats [DIR...]] — DIR: images with SPEC
 * sidecars X.truth.json ("kind", "document_quad"), e.g. a generated corpus.
 * Corpus images are first area-resized to the pipeline's working copy (long
 * side PS_MEASURE_WORK px, default 1000; 0 = full size) and the truth quad
 * with them. PS_MEASURE_FACES=1 passes the label's faces as the hint's
 * exclude_faces (a stand-in for the pipeline's face detector).
 * PS_MEASURE_LIST=all prints every image, otherwise only the misses. */
#include "cv/document.h"
#include "cv/face.h"
#include "cv/shim.h"
#include "scene.h"

#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* CPU time of this thread: with OPENCV_FOR_THREADS_NUM=1 all the work runs
 * on it, and on a shared, overloaded machine wall time measures the others */
static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double g_iou_sum;
static int g_iou_n, g_iou_90;

static void measure(const char *name, const ps_image *img, const char *kind, const ps_point *truth, int reps)
{
    ps_doc_hint h = ps_doc_hint_for_kind(kind);
    ps_doc_found f;
    double best = 1e18;
    for (int r = 0; r < reps; r++) {
        double t0 = now_ms();
        ps_cv_find_document(img, &h, &f);
        double t = now_ms() - t0;
        if (t < best)
            best = t;
    }
    double iou = -1;
    if (truth) {
        ps_cv_quad_iou(f.quad, truth, &iou);
        if (!f.found)
            iou = 0;
        g_iou_sum += iou;
        g_iou_n++;
        g_iou_90 += iou >= 0.9;
    }
    ps_occlusion o;
    ps_glare g;
    memset(&o, 0, sizeof o);
    memset(&g, 0, sizeof g);
    double t0 = now_ms();
    if (f.found && img->channels == 3) {
        ps_cv_skin_occlusion(img, f.quad, NULL, NULL, -1, &o);
        ps_cv_glare(img, f.quad, NULL, &g);
    }
    double t_og = now_ms() - t0;
    char ious[16] = "-";
    if (truth)
        snprintf(ious, sizeof ious, "%.3f", iou);
    printf("| %s | %dx%d | %d | %.2f | %s | %d | %d | %.3f | %.4f | %.1f | %.1f |\n", name, img->width, img->height,
           f.found, f.confidence, ious, f.cut_off, f.count, o.fraction, g.fraction, best, t_og);
}

/* ---- labelled corpus ------------------------------------------------------ */

enum { K_SELFIE, K_PHOTO_ID, K_CREDIT, K_ADDRESS, K_OTHER, K_N };
static const char *KIND_NAMES[K_N] = {"selfie", "photo_id", "credit_card", "address_proof", "other"};

typedef struct {
    int in_frame, in_frame_90, truth_cut, pred_cut, cut_tp, no_doc, no_doc_false, images;
    double iou_sum;
} kind_stats;

static kind_stats g_k[K_N];
static double *g_times, *g_og_times;
static size_t g_nt, g_cap;

static int kind_index(const char *k)
{
    for (int i = 0; i < K_OTHER; i++)
        if (k && !strcmp(k, KIND_NAMES[i]))
            return i;
    return K_OTHER;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void draw_line(ps_image *img, ps_point a, ps_point b, int r, int g, int bl)
{
    double len = fabs(b.x - a.x) + fabs(b.y - a.y);
    int n = (int)len + 1;
    for (int i = 0; i <= n; i++) {
        double t = (double)i / n;
        int x = (int)(a.x + (b.x - a.x) * t + 0.5), y = (int)(a.y + (b.y - a.y) * t + 0.5);
        for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++) {
                int xx = x + dx, yy = y + dy;
                if (xx < 0 || yy < 0 || xx >= img->width || yy >= img->height || img->channels != 3)
                    continue;
                uint8_t *p = ps_image_row(img, yy) + 3 * xx;
                p[0] = (uint8_t)r;
                p[1] = (uint8_t)g;
                p[2] = (uint8_t)bl;
            }
    }
}

/* Writes IMG with the truth quad (green) and the found one (red, second
 * candidate magenta) to DIR/NAME.jpg for looking at misses. */
static void draw_miss(const char *dir, const char *name, ps_image *img, const ps_point *truth,
                      const ps_doc_found *f)
{
    for (int i = 0; truth && i < 4; i++)
        draw_line(img, truth[i], truth[(i + 1) % 4], 0, 255, 0);
    for (int i = 0; i < 4; i++)
        draw_line(img, f->quad[i], f->quad[(i + 1) % 4], f->found ? 255 : 128, 0, 0);
    for (int i = 0; f->count >= 2 && i < 4; i++)
        draw_line(img, f->second_quad[i], f->second_quad[(i + 1) % 4], 255, 0, 255);
    char path[2048];
    snprintf(path, sizeof path, "%s/%s.png", dir, name);
    png_image pi;
    memset(&pi, 0, sizeof pi);
    pi.version = PNG_IMAGE_VERSION;
    pi.width = (png_uint_32)img->width;
    pi.height = (png_uint_32)img->height;
    pi.format = PNG_FORMAT_RGB;
    png_image_write_to_file(&pi, path, 0, img->data, (png_int_32)img->stride, NULL);
}

static void measure_file(const char *dir, const char *name, int reps)
{
    size_t n = strlen(name);
    const char *dot = strrchr(name, '.');
    char path[2048], tp[2048];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(tp, sizeof tp, "%s/%.*s.truth.json", dir, (int)(dot - name), name);
    (void)n;
    json_t *t = json_load_file(tp, 0, NULL);
    if (!t)
        return;
    json_t *jq = json_object_get(t, "document_quad");
    ps_point q[4];
    int have = json_is_array(jq) && json_array_size(jq) == 4;
    for (int i = 0; have && i < 4; i++) {
        q[i].x = json_number_value(json_array_get(json_array_get(jq, (size_t)i), 0));
        q[i].y = json_number_value(json_array_get(json_array_get(jq, (size_t)i), 1));
    }
    const char *kind = json_string_value(json_object_get(t, "kind"));
    ps_image *full = NULL, *img = NULL;
    if (ps_cv_read_image_file(path, 3, &full) != PS_OK) {
        json_decref(t);
        return;
    }
    const char *ws = getenv("PS_MEASURE_WORK");
    int work = ws ? atoi(ws) : 1000;
    int lng = full->width > full->height ? full->width : full->height;
    double sc = 1.0;
    if (work > 0 && lng > work) {
        sc = (double)work / lng;
        int w = (int)(full->width * sc + 0.5), h = (int)(full->height * sc + 0.5);
        sc = (double)w / full->width;
        if (ps_cv_resize(full, w, h, &img) != PS_OK) {
            ps_image_free(&full);
            json_decref(t);
            return;
        }
        ps_image_free(&full);
    } else {
        img = full;
    }
    for (int i = 0; have && i < 4; i++) {
        q[i].x = (q[i].x + 0.5) * sc - 0.5;
        q[i].y = (q[i].y + 0.5) * sc - 0.5;
    }
    ps_doc_hint h = ps_doc_hint_for_kind(kind);
    const char *fs = getenv("PS_MEASURE_FACES");
    json_t *jf = json_object_get(t, "faces");
    for (size_t i = 0; fs && atoi(fs) && json_is_array(jf) && i < json_array_size(jf) && h.n_exclude_faces < PS_DOC_MAX_FACES; i++) {
        json_t *b = json_array_get(jf, i);
        ps_box *o = &h.exclude_faces[h.n_exclude_faces++];
        o->x = (int)(json_number_value(json_array_get(b, 0)) * sc);
        o->y = (int)(json_number_value(json_array_get(b, 1)) * sc);
        o->w = (int)(json_number_value(json_array_get(b, 2)) * sc);
        o->h = (int)(json_number_value(json_array_get(b, 3)) * sc);
    }
    ps_doc_found f;
    double best = 1e18;
    for (int r = 0; r < reps; r++) {
        double t0 = now_ms();
        ps_cv_find_document(img, &h, &f);
        double dt = now_ms() - t0;
        if (dt < best)
            best = dt;
    }
    ps_occlusion o;
    ps_glare g;
    memset(&o, 0, sizeof o);
    memset(&g, 0, sizeof g);
    double t0 = now_ms();
    if (f.found) {
        ps_cv_skin_occlusion(img, f.quad, NULL, NULL, -1, &o);
        ps_cv_glare(img, f.quad, NULL, &g);
    }
    double t_og = now_ms() - t0;
    if (g_nt == g_cap) {
        g_cap = g_cap ? 2 * g_cap : 256;
        g_times = realloc(g_times, g_cap * sizeof *g_times);
        g_og_times = realloc(g_og_times, g_cap * sizeof *g_og_times);
    }
    g_times[g_nt] = best;
    g_og_times[g_nt++] = best + t_og;

    kind_stats *k = &g_k[kind_index(kind)];
    k->images++;
    const char *miss = NULL;
    double iou = -1;
    int truth_cut = 0;
    if (have) {
        /* 2 px of slack: the label rounds, the pixel grid starts at -0.5 */
        for (int i = 0; i < 4; i++)
            if (q[i].x < -2 || q[i].y < -2 || q[i].x > img->width + 1 || q[i].y > img->height + 1)
                truth_cut = 1;
        ps_cv_quad_iou(f.quad, q, &iou);
        if (!f.found)
            iou = 0;
        k->truth_cut += truth_cut;
        k->pred_cut += f.found && f.cut_off;
        k->cut_tp += truth_cut && f.found && f.cut_off;
        if (!truth_cut) {
            k->in_frame++;
            k->iou_sum += iou;
            k->in_frame_90 += iou >= 0.9;
            if (iou < 0.9)
                miss = "iou";
        }
        if (truth_cut != (f.found && f.cut_off))
            miss = truth_cut ? "cut missed" : "false cut";
    } else {
        k->no_doc++;
        k->no_doc_false += f.found;
        if (f.found)
            miss = "false doc";
        k->pred_cut += f.found && f.cut_off;
    }
    const char *ls = getenv("PS_MEASURE_LIST");
    if (miss || (ls && !strcmp(ls, "all")))
        printf("| %s/%s | %s | %dx%d | %d | %.2f | %.3f | %d/%d | %d | %.1f | %.1f |\n", dir, name, miss ? miss : "",
               img->width, img->height, f.found, f.confidence, iou, f.cut_off, truth_cut, f.count, best, t_og);
    const char *dd = getenv("PS_MEASURE_DRAW");
    if (dd && miss)
        draw_miss(dd, name, img, have ? q : NULL, &f);
    ps_image_free(&img);
    json_decref(t);
}

static void measure_dir(const char *dir, int reps)
{
    struct dirent **list = NULL;
    int n = scandir(dir, &list, NULL, alphasort);
    for (int i = 0; i < n; i++) {
        const char *e = list[i]->d_name;
        size_t l = strlen(e);
        int img = l > 4 && (!strcmp(e + l - 4, ".jpg") || !strcmp(e + l - 4, ".png"));
        if (img && !strstr(e, ".overlay."))
            measure_file(dir, e, reps);
        free(list[i]);
    }
    free(list);
}

static void print_summary(void)
{
    printf("\n| kind | images | in frame | IoU >= 0.9 | mean IoU | cut truth | cut said | cut right | "
           "no-doc images | false doc |\n|---|---|---|---|---|---|---|---|---|---|\n");
    kind_stats tot;
    memset(&tot, 0, sizeof tot);
    for (int i = 0; i <= K_N; i++) {
        kind_stats *k = i < K_N ? &g_k[i] : &tot;
        if (i < K_N) {
            if (!k->images)
                continue;
            tot.images += k->images;
            tot.in_frame += k->in_frame;
            tot.in_frame_90 += k->in_frame_90;
            tot.iou_sum += k->iou_sum;
            tot.truth_cut += k->truth_cut;
            tot.pred_cut += k->pred_cut;
            tot.cut_tp += k->cut_tp;
            tot.no_doc += k->no_doc;
            tot.no_doc_false += k->no_doc_false;
        }
        printf("| %s | %d | %d | %d (%.1f%%) | %.3f | %d | %d | %d | %d | %d |\n", i < K_N ? KIND_NAMES[i] : "**all**",
               k->images, k->in_frame, k->in_frame_90, k->in_frame ? 100.0 * k->in_frame_90 / k->in_frame : 0,
               k->in_frame ? k->iou_sum / k->in_frame : 0, k->truth_cut, k->pred_cut, k->cut_tp, k->no_doc,
               k->no_doc_false);
    }
    printf("\ncut_off precision %.3f recall %.3f\n", tot.pred_cut ? (double)tot.cut_tp / tot.pred_cut : 0,
           tot.truth_cut ? (double)tot.cut_tp / tot.truth_cut : 0);
    if (g_nt) {
        qsort(g_times, g_nt, sizeof *g_times, cmp_d);
        qsort(g_og_times, g_nt, sizeof *g_og_times, cmp_d);
        double sum = 0, sum2 = 0;
        for (size_t i = 0; i < g_nt; i++) {
            sum += g_times[i];
            sum2 += g_og_times[i];
        }
        printf("find ms: mean %.1f median %.1f p95 %.1f max %.1f; find+occlusion+glare ms: mean %.1f p95 %.1f max "
               "%.1f (%zu images)\n",
               sum / g_nt, g_times[g_nt / 2], g_times[g_nt * 95 / 100], g_times[g_nt - 1], sum2 / g_nt,
               g_og_times[g_nt * 95 / 100], g_og_times[g_nt - 1], g_nt);
    }
}

int main(int argc, char **argv)
{
    int reps = argc > 1 ? atoi(argv[1]) : 3;
    printf("| image | size | found | conf | IoU | cut_off | count | occlusion | glare | find ms | occl+glare ms |\n");
    printf("|---|---|---|---|---|---|---|---|---|---|---|\n");
    struct {
        const char *name;
        int w, h;
        ps_scene_bg bg;
        int cards;
        double cx, cy, cw, deg, tilt;
        int white, thumb, glare;
    } sc[] = {
        {"syn upright wood", 1200, 900, PS_BG_WOOD, 1, 600, 450, 560, 0, 0, 0, 0, 0},
        {"syn rot27 tilt clutter", 1000, 800, PS_BG_CLUTTER, 1, 520, 400, 520, 27, 0.12, 0, 0, 0},
        {"syn white on white", 1000, 750, PS_BG_WHITE, 1, 480, 380, 520, -8, 0.05, 1, 0, 0},
        {"syn cut off right", 1050, 800, PS_BG_PLAIN, 1, 900, 420, 500, 4, 0, 0, 0, 0},
        {"syn thumb", 1200, 900, PS_BG_PLAIN, 1, 600, 420, 640, 6, 0.05, 0, 1, 0},
        {"syn glare", 1200, 900, PS_BG_PLAIN, 1, 600, 420, 640, 6, 0.05, 0, 0, 1},
        {"syn 12MP wood", 4000, 3000, PS_BG_WOOD, 1, 2100, 1400, 1700, -12, 0.08, 0, 0, 0},
        {"syn 12MP small card clutter", 4000, 3000, PS_BG_CLUTTER, 1, 1500, 1800, 900, 15, 0.05, 0, 0, 0},
        {"syn no card plain", 1000, 750, PS_BG_PLAIN, 0, 0, 0, 0, 0, 0, 0, 0, 0},
        {"syn no card wood", 1000, 750, PS_BG_WOOD, 0, 0, 0, 0, 0, 0, 0, 0, 0},
        {"syn no card clutter", 1000, 750, PS_BG_CLUTTER, 0, 0, 0, 0, 0, 0, 0, 0, 0},
        {"syn no card clutter 12MP", 4000, 3000, PS_BG_CLUTTER, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    };
    /* with corpus directories, only those (the synthetic rows are the default run) */
    for (size_t i = 0; argc <= 2 && i < sizeof sc / sizeof sc[0]; i++) {
        ps_scene s;
        memset(&s, 0, sizeof s);
        s.width = sc[i].w;
        s.height = sc[i].h;
        s.bg = sc[i].bg;
        s.seed = 100 + (unsigned)i;
        s.n_cards = sc[i].cards;
        s.thumb = sc[i].thumb;
        s.glare = sc[i].glare;
        if (sc[i].cards)
            ps_scene_card_quad(sc[i].cx, sc[i].cy, sc[i].cw, sc[i].deg, sc[i].tilt, s.quad[0]);
        s.card_rgb[0] = sc[i].white ? 248 : 214;
        s.card_rgb[1] = sc[i].white ? 248 : 222;
        s.card_rgb[2] = sc[i].white ? 245 : 234;
        ps_image *img = ps_scene_render(&s);
        if (!img)
            return 1;
        measure(sc[i].name, img, "selfie", sc[i].cards ? s.quad[0] : NULL, reps);
        ps_image_free(&img);
    }
    if (argc > 2) {
        printf("| image | miss | size | found | conf | IoU | cut said/truth | count | find ms | occl+glare ms |\n"
               "|---|---|---|---|---|---|---|---|---|---|\n");
        for (int a = 2; a < argc; a++)
            measure_dir(argv[a], reps);
        print_summary();
        return 0;
    }
    const char *dir = getenv("PS_CORPUS_DIR");
    if (!dir)
        return 0;
    const char *files[] = {
        "jp-id-specimens/scene_driverslicense.png", "jp-id-specimens/scene_driverslicense_pitch.png",
        "jp-id-specimens/scene_driverslicense_roll.png", "jp-id-specimens/scene_driverslicense_two_cards.png",
        "jp-id-specimens/scene_mynumber.png", "seczetta-id-capture-guidance/iddw-license-1.png",
        "seczetta-id-capture-guidance/iddw-license-2.png", "seczetta-id-capture-guidance/iddw-license-3.png",
        "seczetta-id-capture-guidance/iddw-license-4.png", "seczetta-id-capture-guidance/iddw-license-5.png",
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        ps_image *img = NULL;
        if (ps_cv_read_image_file(path, 3, &img) != PS_OK)
            continue;
        measure(files[i], img, "photo_id", NULL, reps);
        ps_image_free(&img);
    }
    return 0;
}
