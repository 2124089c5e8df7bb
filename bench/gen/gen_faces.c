/* prescreen-gen — face photos to paste into selfies and print on cards.
 *
 * Sources, in order: --faces DIR (every .jpg below it), the shared corpus
 * (dlib-faces/johns/<Name>/ and the docxpand-passport-photos/ JPEGs), or, when
 * neither exists, a few procedurally drawn faces so the tool still runs.
 * Each photo's face box is found once with the Haar cascade (gen_haar.cpp);
 * for 150x150 dlib chips where the cascade finds nothing, the median box the
 * cascade gives on the other chips is used. */
#include "gen.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { MAX_FACES = 512 };

typedef struct pathlist {
    char **v;
    int n, cap;
} pathlist;

static int ends_jpg(const char *s)
{
    size_t n = strlen(s);
    return (n > 4 && !strcasecmp(s + n - 4, ".jpg")) || (n > 5 && !strcasecmp(s + n - 5, ".jpeg"));
}

static void collect(const char *dir, int recurse, pathlist *pl)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    if (!d)
        return;
    while ((e = readdir(d)) != NULL && pl->n < MAX_FACES) {
        char p[1024];
        struct stat st;
        if (e->d_name[0] == '.')
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (stat(p, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            if (recurse)
                collect(p, recurse, pl);
        } else if (ends_jpg(e->d_name)) {
            if (pl->n == pl->cap) {
                int cap = pl->cap ? pl->cap * 2 : 64;
                char **v = realloc(pl->v, sizeof *v * (size_t)cap);
                if (!v)
                    break;
                pl->v = v;
                pl->cap = cap;
            }
            pl->v[pl->n++] = strdup(p);
        }
    }
    closedir(d);
}

static int cmpstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* identity: the parent folder for johns-style trees, else the file stem */
static void identity_of(const char *path, int by_folder, char *out, size_t n)
{
    const char *slash = strrchr(path, '/');
    if (by_folder && slash && slash > path) {
        const char *p = slash - 1;
        while (p > path && *p != '/')
            p--;
        if (*p == '/')
            p++;
        snprintf(out, n, "%.*s", (int)(slash - p), p);
    } else {
        const char *base = slash ? slash + 1 : path;
        const char *dot = strrchr(base, '.');
        snprintf(out, n, "%.*s", (int)(dot ? dot - base : (long)strlen(base)), base);
    }
}

/* A simple drawn face: used only when no photos exist at all. */
static int proc_face(int i, gen_face_src *f)
{
    const int S = 256; /* source side in pixels */
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, S, S);
    cairo_t *cr = cairo_create(s);
    static const double skin[4][3] = {{0.96, 0.8, 0.68}, {0.87, 0.68, 0.52},
                                      {0.72, 0.52, 0.38}, {0.98, 0.86, 0.76}};
    const double *k = skin[i % 4];
    cairo_set_source_rgb(cr, 0.85, 0.87, 0.9);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0.12 + 0.05 * (i % 3), 0.09, 0.07);
    cairo_save(cr);
    cairo_translate(cr, S / 2.0, S * 0.42);
    cairo_scale(cr, S * 0.36, S * 0.4);
    cairo_arc(cr, 0, 0, 1, 0, 2 * M_PI);
    cairo_restore(cr);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, k[0], k[1], k[2]);
    cairo_save(cr);
    cairo_translate(cr, S / 2.0, S * 0.52);
    cairo_scale(cr, S * 0.28, S * 0.35);
    cairo_arc(cr, 0, 0, 1, 0, 2 * M_PI);
    cairo_restore(cr);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.1, 0.08, 0.06);
    for (int e = -1; e <= 1; e += 2) {
        cairo_arc(cr, S / 2.0 + e * S * 0.11, S * 0.47, S * 0.025, 0, 2 * M_PI);
        cairo_fill(cr);
    }
    cairo_set_source_rgb(cr, 0.6, 0.25, 0.25);
    cairo_set_line_width(cr, S * 0.015);
    cairo_arc(cr, S / 2.0, S * 0.62, S * 0.08, 0.2 * M_PI, 0.8 * M_PI);
    cairo_stroke(cr);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    f->w = f->h = S;
    f->rgb = malloc((size_t)S * S * 3);
    if (!f->rgb) {
        cairo_surface_destroy(s);
        return -1;
    }
    uint8_t *d = cairo_image_surface_get_data(s);
    int st = cairo_image_surface_get_stride(s);
    for (int y = 0; y < S; y++)
        for (int x = 0; x < S; x++) {
            uint32_t p = ((uint32_t *)(d + (size_t)y * st))[x];
            f->rgb[(y * S + x) * 3] = (p >> 16) & 255;
            f->rgb[(y * S + x) * 3 + 1] = (p >> 8) & 255;
            f->rgb[(y * S + x) * 3 + 2] = p & 255;
        }
    cairo_surface_destroy(s);
    f->box[0] = S * 0.22; f->box[1] = S * 0.2; f->box[2] = S * 0.56; f->box[3] = S * 0.67;
    snprintf(f->path, sizeof f->path, "(drawn face %d)", i);
    snprintf(f->identity, sizeof f->identity, "drawn_%d", i);
    return 0;
}

int gen_faces_load(const char *dir, const char *corpus, gen_faces *out)
{
    pathlist pl = {0};
    int by_folder = 1;
    memset(out, 0, sizeof *out);
    if (dir && *dir) {
        collect(dir, 1, &pl);
        snprintf(out->origin, sizeof out->origin, "%s", dir);
    } else if (corpus && *corpus) {
        char p[1024];
        snprintf(p, sizeof p, "%s/dlib-faces/johns", corpus);
        collect(p, 1, &pl);
        snprintf(p, sizeof p, "%s/docxpand-passport-photos", corpus);
        collect(p, 0, &pl);
        snprintf(out->origin, sizeof out->origin, "%s (dlib johns, docxpand photos)", corpus);
    }
    qsort(pl.v, (size_t)pl.n, sizeof *pl.v, cmpstr);
    out->v = calloc((size_t)(pl.n > 6 ? pl.n : 6), sizeof *out->v);
    if (!out->v)
        goto done;
    for (int i = 0; i < pl.n; i++) {
        gen_face_src *f = &out->v[out->n];
        if (gen_jpeg_read(pl.v[i], &f->rgb, &f->w, &f->h) != 0)
            continue;
        int found = gen_haar_face(f->rgb, f->w, f->h, f->box);
        if (found != 1) {
            if (f->w == 150 && f->h == 150) { /* dlib chip: median cascade box */
                f->box[0] = 18; f->box[1] = 3; f->box[2] = 113; f->box[3] = 113;
            } else {
                free(f->rgb);
                f->rgb = NULL;
                continue;
            }
        }
        snprintf(f->path, sizeof f->path, "%s", pl.v[i]);
        /* folder identity only inside johns-like trees (several per folder) */
        by_folder = strstr(pl.v[i], "/johns/") != NULL || (dir && *dir);
        identity_of(pl.v[i], by_folder, f->identity, sizeof f->identity);
        out->n++;
    }
    if (out->n == 0) {
        for (int i = 0; i < 6; i++) /* six drawn identities */
            if (proc_face(i, &out->v[out->n]) == 0)
                out->n++;
        snprintf(out->origin, sizeof out->origin, "drawn faces (no photos found)");
    }
done:
    for (int i = 0; i < pl.n; i++)
        free(pl.v[i]);
    free(pl.v);
    return out->n > 0 ? 0 : -1;
}

void gen_faces_free(gen_faces *f)
{
    if (!f)
        return;
    for (int i = 0; i < f->n; i++)
        free(f->v[i].rgb);
    free(f->v);
    f->v = NULL;
    f->n = 0;
}
