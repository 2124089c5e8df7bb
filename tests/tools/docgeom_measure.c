/* ps_docgeom_measure: document-quad IoU, cut-off, candidate count,
 * occlusion, glare and time per image, over synthetic scenes (always) and
 * the shared corpus (when PS_CORPUS_DIR is set). Output is a Markdown table
 * for docs/geometry.md.
 * Usage: ps_docgeom_measure [repeats [DIR]] — DIR: images with SPEC
 * sidecars X.truth.json ("kind", "document_quad"), e.g. a generated corpus. */
#include "cv/document.h"
#include "scene.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
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
        ps_cv_glare(img, f.quad, &g);
    }
    double t_og = now_ms() - t0;
    char ious[16] = "-";
    if (truth)
        snprintf(ious, sizeof ious, "%.3f", iou);
    printf("| %s | %dx%d | %d | %.2f | %s | %d | %d | %.3f | %.4f | %.1f | %.1f |\n", name, img->width, img->height,
           f.found, f.confidence, ious, f.cut_off, f.count, o.fraction, g.fraction, best, t_og);
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
    for (size_t i = 0; i < sizeof sc / sizeof sc[0]; i++) {
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
        DIR *d = opendir(argv[2]);
        struct dirent *e;
        g_iou_sum = 0;
        g_iou_n = g_iou_90 = 0;
        while (d && (e = readdir(d)) != NULL) {
            size_t n = strlen(e->d_name);
            if (n < 5 || strcmp(e->d_name + n - 4, ".jpg") != 0)
                continue;
            char path[2048], tp[2048];
            snprintf(path, sizeof path, "%s/%s", argv[2], e->d_name);
            snprintf(tp, sizeof tp, "%s/%.*s.truth.json", argv[2], (int)(n - 4), e->d_name);
            json_t *t = json_load_file(tp, 0, NULL);
            json_t *jq = t ? json_object_get(t, "document_quad") : NULL;
            ps_point q[4];
            int have = json_is_array(jq) && json_array_size(jq) == 4;
            for (int i = 0; have && i < 4; i++) {
                q[i].x = json_number_value(json_array_get(json_array_get(jq, (size_t)i), 0));
                q[i].y = json_number_value(json_array_get(json_array_get(jq, (size_t)i), 1));
            }
            const char *kind = t ? json_string_value(json_object_get(t, "kind")) : NULL;
            ps_image *img = NULL;
            if (ps_cv_read_trusted(path, &img) == PS_OK)
                measure(e->d_name, img, kind, have ? q : NULL, reps);
            ps_image_free(&img);
            json_decref(t);
        }
        if (d)
            closedir(d);
        if (g_iou_n)
            printf("\nmean IoU %.3f over %d images with a truth quad; IoU >= 0.9: %d\n", g_iou_sum / g_iou_n,
                   g_iou_n, g_iou_90);
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
        if (ps_cv_read_trusted(path, &img) != PS_OK)
            continue;
        measure(files[i], img, "photo_id", NULL, reps);
        ps_image_free(&img);
    }
    return 0;
}
