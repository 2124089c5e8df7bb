/* ps-bench-faces — compares the face detectors of src/cv/face.h.
 *
 * Usage: ps-bench-faces [-v] [-m METHOD] [-t THRESHOLD] [-s MIN_FACE_PX] [CORPUS_DIR]
 *        ps-bench-faces -d IMAGE [-m METHOD] ...   (print one image's detections)
 *   METHOD: haar, lbp, blaze, blaze+haar, or all (default all).
 *   MIN_FACE_PX: the detectors' floor (default 24); card faces below it are
 *   not counted.
 *
 * Samples (every image first brought to the working size, long side <= 1024):
 *   dlib-faces training.xml/testing.xml boxes: IoU >= 0.5 (these labels are
 *     as tight as the detectors' boxes); unlabelled faces exist there, so
 *     unmatched detections on them are not counted as false.
 *   dlib Tom_Cruise, johns/ chips, docxpand photos and templates: face
 *     counts only (no boxes): matched = min(detections, count).
 *   jp-id-specimens: the card's photo rectangle (read off the images by us;
 *     table below): centre-inside, since a photo is looser than a face box.
 *   sidtd-midv2020-templates: the `face` quad of the JSON: centre-inside.
 *   synthetic selfies: a docxpand portrait with a flat JP card pasted at a
 *     third of its width (face on the card 25-45 px): both must be found.
 *   face-free: dlib dogs and negatives/, tesseract pages, credit-card
 *     specimens, and crops of the JP cards and SIDTD documents away from
 *     the photo. Every detection there is a false face.
 * Variants: each sample also at 0.5x and 2x (when the result stays within
 * 64..1024 px) and rotated by +-15 and +-30 degrees (box labels become
 * centre-inside their rotated bounding box).
 *
 * Reports per method: recall for faces >= 60 px, recall of card faces,
 * selfies with both faces found, false faces per face-free image, and the
 * mean and worst detection time per image.
 */
#include <ctype.h>
#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cv/face.h"
#include "prescreen/image.h"

#define WORK_MAX 1024     /* working-copy long side, pixels */
#define MAX_LABELS 64     /* more than any corpus image has */
#define MAX_FACES 256     /* detections kept per image */
#define BIG_FACE 60       /* the project's recall target applies from here */
#define PI 3.14159265358979323846

/* snprintf that may truncate: names and paths here are short, and a cut
 * name only makes a report line shorter. */
__attribute__((format(printf, 3, 4))) static void fmt(char *dst, size_t n, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    vsnprintf(dst, n, f, ap);
    va_end(ap);
}

typedef enum { LB_IOU, LB_CENTRE } label_kind;

typedef struct label {
    double x, y, w, h;  /* box or loose region, pixels */
    label_kind kind;
    double face_px;     /* estimated face width, pixels */
    int card;           /* 1 = a face printed on a card */
} label;

typedef struct sample {
    char name[200];
    ps_image *img;
    label labels[MAX_LABELS];
    int n_labels;
    int count;          /* >= 0: this many faces, no boxes; -1: none */
    double count_px;    /* estimated face width of counted faces */
    int allow_extra;    /* extra detections are not errors */
    int face_free;
    int selfie;
    int approx;         /* bald_guys: count is approximate */
    int variants;       /* 0 = none, 1 = rotation only, 2 = all */
} sample;

typedef struct sample_list {
    sample *v;
    int n, cap;
} sample_list;

static sample *push(sample_list *l)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->v = realloc(l->v, (size_t)l->cap * sizeof *l->v);
        if (!l->v) {
            perror("realloc");
            exit(1);
        }
    }
    sample *s = &l->v[l->n++];
    memset(s, 0, sizeof *s);
    s->count = -1;
    s->variants = 2;
    return s;
}

/* ---- pixel helpers (bench-only: bilinear affine warp, box downsample) -- */

static ps_image *new_image(int w, int h, int c)
{
    ps_image *img = NULL;
    if (ps_image_new(w, h, c, 0, &img) != PS_OK) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    return img;
}

/* out(x, y) = src(inv * (x, y, 1)), bilinear; outside = fill. */
static ps_image *warp(const ps_image *src, const double inv[6], int ow, int oh, int fill)
{
    ps_image *o = new_image(ow, oh, src->channels);
    int c = src->channels;
    for (int y = 0; y < oh; y++) {
        uint8_t *d = ps_image_row(o, y);
        for (int x = 0; x < ow; x++) {
            double sx = inv[0] * (x + 0.5) + inv[1] * (y + 0.5) + inv[2] - 0.5;
            double sy = inv[3] * (x + 0.5) + inv[4] * (y + 0.5) + inv[5] - 0.5;
            int x0 = (int)floor(sx), y0 = (int)floor(sy);
            double fx = sx - x0, fy = sy - y0;
            for (int k = 0; k < c; k++) {
                double acc = 0, wsum = 0;
                for (int j = 0; j < 2; j++) {
                    for (int i = 0; i < 2; i++) {
                        int xx = x0 + i, yy = y0 + j;
                        double w = (i ? fx : 1 - fx) * (j ? fy : 1 - fy);
                        double v = (xx < 0 || yy < 0 || xx >= src->width || yy >= src->height)
                                       ? fill
                                       : ps_image_row(src, yy)[xx * c + k];
                        acc += w * v;
                        wsum += w;
                    }
                }
                d[x * c + k] = (uint8_t)lround(acc / wsum);
            }
        }
    }
    return o;
}

/* Box-filter downsample by an integer factor k. */
static ps_image *box_down(const ps_image *src, int k)
{
    int ow = src->width / k, oh = src->height / k, c = src->channels;
    ps_image *o = new_image(ow, oh, c);
    for (int y = 0; y < oh; y++)
        for (int x = 0; x < ow; x++)
            for (int ch = 0; ch < c; ch++) {
                int acc = 0;
                for (int j = 0; j < k; j++)
                    for (int i = 0; i < k; i++)
                        acc += ps_image_row(src, y * k + j)[(x * k + i) * c + ch];
                ps_image_row(o, y)[x * c + ch] = (uint8_t)(acc / (k * k));
            }
    return o;
}

/* Scales by s (>0); returns a new image and the actual scale factors. */
static ps_image *scale_image(const ps_image *src, double s, double *sx, double *sy)
{
    int ow = (int)lround(src->width * s), oh = (int)lround(src->height * s);
    ps_image *tmp = NULL;
    const ps_image *from = src;
    int k = s < 1.0 ? (int)floor(1.0 / s) : 1;
    if (k >= 2) {
        tmp = box_down(src, k);
        from = tmp;
    }
    double inv[6] = {(double)from->width / ow, 0, 0, 0, (double)from->height / oh, 0};
    ps_image *o = warp(from, inv, ow, oh, 0);
    ps_image_free(&tmp);
    *sx = (double)ow / src->width;
    *sy = (double)oh / src->height;
    return o;
}

static void scale_labels(sample *s, double sx, double sy)
{
    for (int i = 0; i < s->n_labels; i++) {
        label *l = &s->labels[i];
        l->x *= sx;
        l->y *= sy;
        l->w *= sx;
        l->h *= sy;
        l->face_px *= sx;
    }
    s->count_px *= sx;
}

/* Brings s->img to the working size. */
static void to_working_size(sample *s)
{
    int m = s->img->width > s->img->height ? s->img->width : s->img->height;
    if (m <= WORK_MAX)
        return;
    double sx, sy;
    ps_image *o = scale_image(s->img, (double)WORK_MAX / m, &sx, &sy);
    ps_image_free(&s->img);
    s->img = o;
    scale_labels(s, sx, sy);
}

static ps_image *crop(const ps_image *src, int x, int y, int w, int h)
{
    double inv[6] = {1, 0, x, 0, 1, y};
    return warp(src, inv, w, h, 0);
}

/* ---- sample loading ------------------------------------------------------ */

static const char *g_corpus;

static ps_image *load(const char *rel)
{
    char path[1024];
    fmt(path, sizeof path, "%s/%s", g_corpus, rel);
    ps_image *img = NULL;
    if (ps_cv_read_image_file(path, 3, &img) != PS_OK) {
        fprintf(stderr, "warning: cannot read %s\n", path);
        return NULL;
    }
    return img;
}

static int xml_attr(const char *tag, const char *name, double *out)
{
    char key[64];
    fmt(key, sizeof key, " %s='", name);
    const char *p = strstr(tag, key);
    if (!p)
        return 0;
    *out = atof(p + strlen(key));
    return 1;
}

static void load_dlib_xml(sample_list *l, const char *rel)
{
    char path[1024];
    fmt(path, sizeof path, "%s/%s", g_corpus, rel);
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    char line[1024];
    sample *s = NULL;
    while (fgets(line, sizeof line, f)) {
        char *p;
        if ((p = strstr(line, "<image file='"))) {
            char file[256], rel_img[512];
            p += strlen("<image file='");
            size_t n = strcspn(p, "'");
            fmt(file, sizeof file, "%.*s", (int)n, p);
            fmt(rel_img, sizeof rel_img, "dlib-faces/%s", file);
            ps_image *img = load(rel_img);
            s = NULL;
            if (!img)
                continue;
            s = push(l);
            fmt(s->name, sizeof s->name, "%s", rel_img);
            s->img = img;
            s->allow_extra = 1; /* dlib leaves some faces unlabelled */
        } else if (s && strstr(line, "<box ") && s->n_labels < MAX_LABELS) {
            label *b = &s->labels[s->n_labels++];
            xml_attr(line, "top", &b->y);
            xml_attr(line, "left", &b->x);
            xml_attr(line, "width", &b->w);
            xml_attr(line, "height", &b->h);
            b->kind = LB_IOU;
            b->face_px = b->w;
        }
    }
    fclose(f);
}

static sample *add_count(sample_list *l, const char *rel, int count, double face_frac)
{
    ps_image *img = load(rel);
    if (!img)
        return NULL;
    sample *s = push(l);
    fmt(s->name, sizeof s->name, "%s", rel);
    s->img = img;
    s->count = count;
    s->count_px = face_frac * (img->width < img->height ? img->width : img->height);
    return s;
}

/* Card photo rectangles, read off the images (pixels of the file). */
static const struct {
    const char *file;
    int n;
    int r[2][4];
} k_jp[] = {
    {"scene_driverslicense.png", 1, {{484, 550, 186, 235}}},
    {"scene_driverslicense_pitch.png", 1, {{476, 556, 180, 229}}},
    {"scene_driverslicense_roll.png", 1, {{360, 625, 260, 255}}},
    {"scene_driverslicense_two_cards.png", 2, {{462, 137, 156, 193}, {484, 548, 186, 234}}},
    {"scene_mynumber.png", 1, {{47, 577, 165, 205}}},
    {"flat_driverslicense.png", 1, {{460, 122, 185, 233}}},
    {"flat_mynumber.png", 1, {{28, 150, 162, 200}}},
    {"blank_driver_license_template.png", 1, {{463, 125, 187, 237}}},
    {"blank_individual_number_card_template.png", 1, {{24, 110, 125, 148}}},
};
#define PHOTO_TO_FACE 0.55 /* face width / photo width on these cards */

static void add_photo_label(sample *s, double x, double y, double w, double h)
{
    label *b = &s->labels[s->n_labels++];
    b->x = x;
    b->y = y;
    b->w = w;
    b->h = h;
    b->kind = LB_CENTRE;
    b->face_px = PHOTO_TO_FACE * w;
    b->card = 1;
}

static void load_jp(sample_list *l)
{
    for (size_t i = 0; i < sizeof k_jp / sizeof k_jp[0]; i++) {
        char rel[256];
        fmt(rel, sizeof rel, "jp-id-specimens/%s", k_jp[i].file);
        ps_image *img = load(rel);
        if (!img)
            continue;
        sample *s = push(l);
        fmt(s->name, sizeof s->name, "%s", rel);
        s->img = img;
        for (int k = 0; k < k_jp[i].n; k++)
            add_photo_label(s, k_jp[i].r[k][0], k_jp[i].r[k][1], k_jp[i].r[k][2],
                            k_jp[i].r[k][3]);
    }
}

/* SIDTD: the `face` quad of <doc>.json, found with a plain text scan. */
static int sidtd_face(const char *json_rel, double q[4])
{
    char path[1024];
    fmt(path, sizeof path, "%s/%s", g_corpus, json_rel);
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    char buf[16384];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    const char *p = strstr(buf, "\"face\"");
    if (!p || !(p = strstr(p, "\"quad\"")))
        return 0;
    double v[8];
    int k = 0;
    while (*p && k < 8) {
        if (isdigit((unsigned char)*p)) {
            v[k++] = strtod(p, (char **)&p);
        } else {
            p++;
        }
    }
    if (k < 8)
        return 0;
    q[0] = fmin(v[0], v[6]);
    q[1] = fmin(v[1], v[3]);
    q[2] = fmax(v[2], v[4]) - q[0];
    q[3] = fmax(v[5], v[7]) - q[1];
    return 1;
}

static void load_sidtd(sample_list *l)
{
    static const char *const imgs[3] = {"alb00.jpg", "aze00.jpg", "fake_alb00.jpg"};
    static const char *const jsons[3] = {"alb_0_id.json", "aze_0_passport.json",
                                         "alb_0_id.json"};
    for (int i = 0; i < 3; i++) {
        char rel[256], jrel[256];
        double q[4];
        fmt(rel, sizeof rel, "sidtd-midv2020-templates/%s", imgs[i]);
        fmt(jrel, sizeof jrel, "sidtd-midv2020-templates/%s", jsons[i]);
        if (!sidtd_face(jrel, q))
            continue;
        ps_image *img = load(rel);
        if (!img)
            continue;
        sample *s = push(l);
        fmt(s->name, sizeof s->name, "%s", rel);
        s->img = img;
        s->allow_extra = 1; /* documents may carry a ghost portrait */
        label *b = &s->labels[s->n_labels++];
        b->x = q[0];
        b->y = q[1];
        b->w = q[2];
        b->h = q[3];
        b->kind = LB_CENTRE;
        b->face_px = 0.8 * q[2]; /* the quad holds the head with some margin */
        b->card = 1;
    }
}

static void add_face_free(sample_list *l, const char *rel, int cx, int cy, int cw, int ch)
{
    ps_image *img = load(rel);
    if (!img)
        return;
    if (cw > 0) {
        ps_image *c = crop(img, cx, cy, cw, ch);
        ps_image_free(&img);
        img = c;
    }
    sample *s = push(l);
    if (cw > 0)
        fmt(s->name, sizeof s->name, "%s[crop %d,%d %dx%d]", rel, cx, cy, cw, ch);
    else
        fmt(s->name, sizeof s->name, "%s", rel);
    s->img = img;
    s->face_free = 1;
}

static void load_face_free(sample_list *l)
{
    add_face_free(l, "dlib-faces/dogs.jpg", 0, 0, 0, 0);
    static const char *const neg[] = {"dog.jpg", "eagle.jpg", "giraffe.jpg", "horses.jpg",
                                      "mmod_cars_test_image.jpg"};
    for (size_t i = 0; i < sizeof neg / sizeof neg[0]; i++) {
        char rel[256];
        fmt(rel, sizeof rel, "dlib-faces/negatives/%s", neg[i]);
        add_face_free(l, rel, 0, 0, 0, 0);
    }
    add_face_free(l, "tesseract-testing/phototest.tif", 0, 0, 0, 0);
    add_face_free(l, "tesseract-testing/eurotext.tif", 0, 0, 0, 0);
    char path[1024];
    fmt(path, sizeof path, "%s/creditcard-specimens", g_corpus);
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        char names[32][256];
        int n = 0;
        while ((e = readdir(d)) && n < 32)
            if (strstr(e->d_name, ".png"))
                fmt(names[n++], sizeof names[0], "%s", e->d_name);
        closedir(d);
        qsort(names, (size_t)n, sizeof names[0], (int (*)(const void *, const void *))strcmp);
        for (int i = 0; i < n; i++) {
            char rel[512];
            fmt(rel, sizeof rel, "creditcard-specimens/%s", names[i]);
            add_face_free(l, rel, 0, 0, 0, 0);
        }
    }
    /* Card and document parts away from the photo (coordinates of the files). */
    add_face_free(l, "jp-id-specimens/flat_driverslicense.png", 0, 0, 445, 425);
    add_face_free(l, "jp-id-specimens/flat_mynumber.png", 205, 0, 469, 425);
    add_face_free(l, "jp-id-specimens/blank_driver_license_template.png", 0, 0, 448, 432);
    add_face_free(l, "jp-id-specimens/blank_individual_number_card_template.png", 160, 0,
                  346, 315);
    /* alb00 has a ghost portrait right of x = 1860: stop before it. */
    add_face_free(l, "sidtd-midv2020-templates/alb00.jpg", 640, 0, 1180, 1360);
    add_face_free(l, "sidtd-midv2020-templates/aze00.jpg", 600, 0, 1567, 1525);
}

/* A docxpand portrait with a flat JP card pasted at its lower right. */
static void add_selfie(sample_list *l, const char *portrait, const char *card_rel,
                       const int photo[4])
{
    ps_image *p = load(portrait);
    ps_image *card = load(card_rel);
    if (!p || !card) {
        ps_image_free(&p);
        ps_image_free(&card);
        return;
    }
    sample *s = push(l);
    fmt(s->name, sizeof s->name, "selfie(%s + %s)", portrait, card_rel);
    s->img = p;
    s->selfie = 1;
    to_working_size(s);
    p = s->img;
    double cw = 0.36 * p->width; /* card a third of the frame: hand-held */
    double k = cw / card->width;
    double ch = card->height * k;
    double ox = p->width - cw - 0.04 * p->width, oy = p->height - ch - 0.04 * p->height;
    double sx, sy;
    ps_image *small = scale_image(card, k, &sx, &sy);
    for (int y = 0; y < small->height && oy + y < p->height; y++)
        memcpy(ps_image_row(p, (int)oy + y) + (int)ox * 3, ps_image_row(small, y),
               (size_t)small->width * 3);
    ps_image_free(&small);
    ps_image_free(&card);
    /* The portrait's own face: passport framing puts it in this region. */
    label *b = &s->labels[s->n_labels++];
    b->x = 0.2 * p->width;
    b->y = 0.05 * p->height;
    b->w = 0.6 * p->width;
    b->h = 0.6 * p->height;
    b->kind = LB_CENTRE;
    b->face_px = 0.35 * p->width;
    add_photo_label(s, (int)ox + photo[0] * sx, (int)oy + photo[1] * sy, photo[2] * sx,
                    photo[3] * sy);
}

static void load_all(sample_list *l)
{
    load_dlib_xml(l, "dlib-faces/training.xml");
    load_dlib_xml(l, "dlib-faces/testing.xml");
    add_count(l, "dlib-faces/Tom_Cruise_avp_2014_4.jpg", 1, 0.4);
    sample *b = add_count(l, "dlib-faces/bald_guys.jpg", 27, 0.05);
    if (b) {
        b->approx = 1;
        b->allow_extra = 1;
        b->variants = 0;
    }
    char path[1024];
    fmt(path, sizeof path, "%s/dlib-faces/johns", g_corpus);
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        char dirs[16][256];
        int nd = 0;
        while ((e = readdir(d)) && nd < 16)
            if (e->d_name[0] != '.')
                fmt(dirs[nd++], sizeof dirs[0], "%s", e->d_name);
        closedir(d);
        qsort(dirs, (size_t)nd, sizeof dirs[0], (int (*)(const void *, const void *))strcmp);
        for (int i = 0; i < nd; i++) {
            char sub[1400];
            fmt(sub, sizeof sub, "%s/%s", path, dirs[i]);
            DIR *d2 = opendir(sub);
            if (!d2)
                continue;
            char files[64][256];
            int nf = 0;
            while ((e = readdir(d2)) && nf < 64)
                if (strstr(e->d_name, ".jpg"))
                    fmt(files[nf++], sizeof files[0], "%s", e->d_name);
            closedir(d2);
            qsort(files, (size_t)nf, sizeof files[0],
                  (int (*)(const void *, const void *))strcmp);
            for (int j = 0; j < nf; j++) {
                char rel[800];
                fmt(rel, sizeof rel, "dlib-faces/johns/%s/%s", dirs[i], files[j]);
                sample *s = add_count(l, rel, 1, 0.7); /* aligned chips: face fills it */
                if (s)
                    s->variants = 1;
            }
        }
    }
    static const char *const photos[] = {"man_1.jpg", "man_2.jpg", "woman_1.jpg",
                                         "woman_2.jpg"};
    for (int i = 0; i < 4; i++) {
        char rel[256];
        fmt(rel, sizeof rel, "docxpand-passport-photos/%s", photos[i]);
        add_count(l, rel, 1, 0.4);
    }
    static const char *const tpl[] = {"id_card_td1_a_front.png", "pp_td3_a_front.png"};
    for (int i = 0; i < 2; i++) {
        char rel[256];
        fmt(rel, sizeof rel, "docxpand-passport-photos/templates/%s", tpl[i]);
        sample *s = add_count(l, rel, 1, 0.15);
        if (s)
            s->allow_extra = 1; /* the passport page has a ghost portrait */
    }
    load_jp(l);
    load_sidtd(l);
    load_face_free(l);
    static const int dl_photo[4] = {460, 122, 185, 233};
    static const int mn_photo[4] = {28, 150, 162, 200};
    for (int i = 0; i < 4; i++) {
        char rel[256];
        fmt(rel, sizeof rel, "docxpand-passport-photos/%s", photos[i]);
        add_selfie(l, rel, "jp-id-specimens/flat_driverslicense.png", dl_photo);
        if (i % 2 == 0)
            add_selfie(l, rel, "jp-id-specimens/flat_mynumber.png", mn_photo);
    }
    for (int i = 0; i < l->n; i++)
        to_working_size(&l->v[i]);
}

/* Adds scaled and rotated copies of every sample that allows them. */
static void add_variants(sample_list *l)
{
    int n0 = l->n;
    static const double scales[2] = {0.5, 2.0};
    static const double angles[4] = {15, -15, 30, -30};
    for (int i = 0; i < n0; i++) {
        if (l->v[i].variants == 0)
            continue;
        for (int k = 0; k < 2 && l->v[i].variants == 2; k++) {
            const ps_image *im = l->v[i].img;
            int m = im->width > im->height ? im->width : im->height;
            int mn = im->width < im->height ? im->width : im->height;
            if (m * scales[k] > WORK_MAX || mn * scales[k] < 64)
                continue;
            sample *s = push(l);
            sample *src = &l->v[i];
            *s = *src;
            fmt(s->name, sizeof s->name, "%s@x%.1f", src->name, scales[k]);
            double sx, sy;
            s->img = scale_image(src->img, scales[k], &sx, &sy);
            scale_labels(s, sx, sy);
        }
        for (int k = 0; k < 4; k++) {
            if (l->v[i].variants == 1 && k > 0)
                continue;
            sample *s = push(l);
            sample *src = &l->v[i];
            *s = *src;
            fmt(s->name, sizeof s->name, "%s@rot%+.0f", src->name, angles[k]);
            double a = angles[k] * PI / 180, ca = cos(a), sa = sin(a);
            int w = src->img->width, h = src->img->height;
            int ow = (int)ceil(fabs(w * ca) + fabs(h * sa));
            int oh = (int)ceil(fabs(w * sa) + fabs(h * ca));
            /* forward: p' = R (p - c) + c'; inverse: p = R^T (p' - c') + c */
            double cx = w / 2.0, cy = h / 2.0, cx2 = ow / 2.0, cy2 = oh / 2.0;
            double inv[6] = {ca, sa, cx - ca * cx2 - sa * cy2, -sa, ca, cy + sa * cx2 - ca * cy2};
            s->img = warp(src->img, inv, ow, oh, 0);
            for (int j = 0; j < s->n_labels; j++) {
                label *b = &s->labels[j];
                double xs[4] = {b->x, b->x + b->w, b->x + b->w, b->x};
                double ys[4] = {b->y, b->y, b->y + b->h, b->y + b->h};
                double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
                for (int c = 0; c < 4; c++) {
                    double px = ca * (xs[c] - cx) - sa * (ys[c] - cy) + cx2;
                    double py = sa * (xs[c] - cx) + ca * (ys[c] - cy) + cy2;
                    x0 = fmin(x0, px);
                    y0 = fmin(y0, py);
                    x1 = fmax(x1, px);
                    y1 = fmax(y1, py);
                }
                b->x = x0;
                b->y = y0;
                b->w = x1 - x0;
                b->h = y1 - y0;
                b->kind = LB_CENTRE;
            }
        }
    }
}

/* ---- scoring -------------------------------------------------------------- */

typedef struct stats {
    int big_total, big_found;       /* labels with face >= 60 px */
    int card_total, card_found;     /* faces printed on cards, any size */
    int selfie_total, selfie_both;
    int ff_images, ff_false, ff_images_hit;
    int extra_total;                /* extra detections on count-labelled images */
    int bald_found, bald_images;
    double ms_total, ms_max;
    int images;
} stats;

static double box_iou(const label *l, const ps_box *b)
{
    double x0 = fmax(l->x, b->x), y0 = fmax(l->y, b->y);
    double x1 = fmin(l->x + l->w, b->x + b->w), y1 = fmin(l->y + l->h, b->y + b->h);
    double inter = fmax(0, x1 - x0) * fmax(0, y1 - y0);
    double u = l->w * l->h + (double)b->w * b->h - inter;
    return u > 0 ? inter / u : 0;
}

static int matches(const label *l, const ps_box *b)
{
    if (l->kind == LB_IOU)
        return box_iou(l, b) >= 0.5;
    double cx = b->x + b->w / 2.0, cy = b->y + b->h / 2.0;
    return cx >= l->x && cx <= l->x + l->w && cy >= l->y && cy <= l->y + l->h;
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int run_method(ps_face_method m, const char *model_dir, float thr, int min_face,
                      const sample_list *l, int verbose, stats *st)
{
    ps_cv_faces *fd = NULL;
    ps_status rc = ps_cv_faces_open(model_dir, m, &fd);
    if (rc != PS_OK) {
        fprintf(stderr, "%s: cannot open (%s); run scripts/install-models.sh\n",
                ps_cv_face_method_name(m), ps_status_code(rc));
        return 0;
    }
    if (thr >= 0)
        ps_cv_faces_set_threshold(fd, thr);
    memset(st, 0, sizeof *st);
    static ps_face faces[MAX_FACES];
    for (int i = 0; i < l->n; i++) {
        const sample *s = &l->v[i];
        int n = 0;
        double t0 = now_ms();
        rc = ps_cv_faces_detect(fd, s->img, min_face, faces, MAX_FACES, &n);
        double ms = now_ms() - t0;
        if (rc != PS_OK) {
            fprintf(stderr, "%s: %s: %s\n", s->name, ps_status_code(rc), ps_cv_faces_error(fd));
            ps_cv_faces_close(&fd);
            return 0;
        }
        st->images++;
        st->ms_total += ms;
        if (ms > st->ms_max)
            st->ms_max = ms;
        if (s->face_free) {
            st->ff_images++;
            st->ff_false += n;
            st->ff_images_hit += n > 0;
            if (verbose && n > 0)
                for (int j = 0; j < n; j++)
                    printf("  FALSE %s: [%d %d %d %d] %.2f\n", s->name, faces[j].box.x,
                           faces[j].box.y, faces[j].box.w, faces[j].box.h, faces[j].score);
            continue;
        }
        if (s->approx) {
            st->bald_images++;
            st->bald_found += n;
            continue;
        }
        if (s->count >= 0) {
            int found = n < s->count ? n : s->count;
            if (s->count_px >= BIG_FACE) {
                st->big_total += s->count;
                st->big_found += found;
            }
            if (!s->allow_extra && n > s->count)
                st->extra_total += n - s->count;
            if (verbose && n != s->count)
                printf("  COUNT %s: %d found, %d expected\n", s->name, n, s->count);
            continue;
        }
        int used[MAX_FACES] = {0};
        int all = 1;
        for (int k = 0; k < s->n_labels; k++) {
            const label *b = &s->labels[k];
            int hit = 0;
            for (int j = 0; j < n && !hit; j++)
                if (!used[j] && matches(b, &faces[j].box))
                    hit = used[j] = 1;
            if (b->face_px >= min_face)
                all &= hit; /* a card face below the floor is not asked for */
            if (b->face_px >= BIG_FACE) {
                st->big_total++;
                st->big_found += hit;
            }
            if (b->card && b->face_px >= min_face) {
                st->card_total++;
                st->card_found += hit;
            }
            if (verbose && !hit)
                printf("  MISS %s: label [%.0f %.0f %.0f %.0f] face~%.0fpx%s\n", s->name, b->x,
                       b->y, b->w, b->h, b->face_px, b->card ? " (card)" : "");
        }
        if (s->selfie) {
            st->selfie_total++;
            st->selfie_both += all;
        }
    }
    ps_cv_faces_close(&fd);
    return 1;
}

/* -d FILE: prints the detections of one file (any size), for inspection. */
static int dump_file(const char *path, const char *only, const char *model_dir, float thr,
                     int min_face)
{
    ps_image *img = NULL;
    if (ps_cv_read_image_file(path, 3, &img) != PS_OK) {
        fprintf(stderr, "cannot read %s\n", path);
        return 1;
    }
    static ps_face faces[MAX_FACES];
    for (int m = 0; m < PS_FACE_METHOD_END_; m++) {
        if (strcmp(only, "all") && strcmp(only, ps_cv_face_method_name((ps_face_method)m)))
            continue;
        ps_cv_faces *fd = NULL;
        int n = 0;
        if (ps_cv_faces_open(model_dir, (ps_face_method)m, &fd) != PS_OK)
            continue;
        if (thr >= 0)
            ps_cv_faces_set_threshold(fd, thr);
        double t0 = now_ms();
        ps_status rc = ps_cv_faces_detect(fd, img, min_face, faces, MAX_FACES, &n);
        printf("%s %dx%d: %s, %d faces, %.1f ms\n", ps_cv_face_method_name((ps_face_method)m),
               img->width, img->height, ps_status_code(rc), n, now_ms() - t0);
        for (int j = 0; j < n; j++)
        {
            printf("  [%d %d %d %d] %.3f", faces[j].box.x, faces[j].box.y, faces[j].box.w,
                   faces[j].box.h, faces[j].score);
            for (int k = 0; k < faces[j].n_landmarks; k++)
                printf(" (%.2f,%.2f)", (faces[j].landmarks[k].x - faces[j].box.x) / faces[j].box.w,
                       (faces[j].landmarks[k].y - faces[j].box.y) / faces[j].box.h);
            printf("\n");
        }
        ps_cv_faces_close(&fd);
    }
    ps_image_free(&img);
    return 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: ps-bench-faces [-v] [-m haar|lbp|blaze|blaze+haar|all] "
                    "[-t THRESHOLD] [-s MIN_FACE_PX] [CORPUS_DIR]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    int verbose = 0, min_face = 24; /* 24: faces printed on a hand-held card */
    float thr = -1;
    const char *only = "all";
    const char *dump = NULL;
    const char *model_dir = getenv("PS_MODEL_DIR") ? getenv("PS_MODEL_DIR")
                                                   : PS_BENCH_MODEL_DIR;
    g_corpus = PS_BENCH_CORPUS_DIR;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-v"))
            verbose = 1;
        else if (!strcmp(argv[i], "-m") && i + 1 < argc)
            only = argv[++i];
        else if (!strcmp(argv[i], "-t") && i + 1 < argc)
            thr = (float)atof(argv[++i]);
        else if (!strcmp(argv[i], "-s") && i + 1 < argc)
            min_face = atoi(argv[++i]);
        else if (!strcmp(argv[i], "-d") && i + 1 < argc)
            dump = argv[++i];
        else if (argv[i][0] == '-')
            usage();
        else
            g_corpus = argv[i];
    }
    if (dump)
        return dump_file(dump, only, model_dir, thr, min_face);
    sample_list l = {0};
    load_all(&l);
    int base = l.n;
    add_variants(&l);
    if (l.n == 0) {
        fprintf(stderr, "no samples under %s\n", g_corpus);
        return 1;
    }
    int ff = 0;
    for (int i = 0; i < l.n; i++)
        ff += l.v[i].face_free;
    printf("corpus %s: %d images (%d originals + variants), %d face-free; "
           "working size <= %d px; min_face_px %d\n\n",
           g_corpus, l.n, base, ff, WORK_MAX, min_face);
    printf("| method | thr | recall >=60px | card faces | selfie both | false/face-free img "
           "| face-free imgs hit | extra on 1-face imgs | bald_guys (~27) | ms/img mean | ms/img max |\n");
    printf("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (int m = 0; m < PS_FACE_METHOD_END_; m++) {
        if (strcmp(only, "all") && strcmp(only, ps_cv_face_method_name((ps_face_method)m)))
            continue;
        stats st;
        if (!run_method((ps_face_method)m, model_dir, thr, min_face, &l, verbose, &st))
            continue;
        printf("| %s | %s | %.3f (%d/%d) | %.3f (%d/%d) | %d/%d | %.3f (%d/%d) | %d | %d | %d "
               "| %.1f | %.1f |\n",
               ps_cv_face_method_name((ps_face_method)m), thr >= 0 ? "set" : "default",
               st.big_total ? (double)st.big_found / st.big_total : 0, st.big_found,
               st.big_total, st.card_total ? (double)st.card_found / st.card_total : 0,
               st.card_found, st.card_total, st.selfie_both, st.selfie_total,
               st.ff_images ? (double)st.ff_false / st.ff_images : 0, st.ff_false, st.ff_images,
               st.ff_images_hit, st.extra_total, st.bald_found, st.ms_total / st.images,
               st.ms_max);
        fflush(stdout);
    }
    for (int i = 0; i < l.n; i++)
        ps_image_free(&l.v[i].img);
    free(l.v);
    return 0;
}
