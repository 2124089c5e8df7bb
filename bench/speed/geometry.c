/* ps-bench-geometry: the document outline alone, scored against labels.
 *
 *   ps-bench-geometry FILE...    (each FILE with FILE-minus-extension.truth.json)
 *
 * Runs the pipeline's own stages up to and including "document" (decode,
 * resolution, face: the faces the finder must not take for cards) on each
 * labelled upload of a photo ID, address proof, card or selfie, and prints
 * the IoU of the outline found with the label's document_quad. A tenth of
 * the time of `prescreen bench` (no reading, no redaction), for measuring
 * the finder on hundreds of uploads. The summary counts, per true document
 * type, the uploads whose labelled outline lies wholly in the frame and
 * those found at IoU >= 0.9 (as `prescreen bench` scores document_quad). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cv/document.h"
#include "prescreen/engine.h"
#include "prescreen/screen.h"
#include "util.h"

#define MAX_TYPES 32

typedef struct {
    char type[48];
    int in_frame, good;
} tally;

static tally *tally_for(tally *t, int *n, const char *type)
{
    for (int i = 0; i < *n; i++)
        if (strcmp(t[i].type, type) == 0)
            return &t[i];
    if (*n >= MAX_TYPES)
        return &t[MAX_TYPES - 1];
    snprintf(t[*n].type, sizeof t[*n].type, "%s", type);
    return &t[(*n)++];
}

/* By type name, "ALL" last. */
static int by_type(const void *a, const void *b)
{
    const tally *x = a, *y = b;
    int ax = strcmp(x->type, "ALL") == 0, ay = strcmp(y->type, "ALL") == 0;
    return ax != ay ? ax - ay : strcmp(x->type, y->type);
}

/* The label beside an upload: the upload's path without its extension. */
static json_t *label_of(const char *path)
{
    char lp[4096];
    const char *dot = strrchr(path, '.');
    size_t stem = dot ? (size_t)(dot - path) : strlen(path);
    if (stem + 12 >= sizeof lp)
        return NULL;
    memcpy(lp, path, stem);
    strcpy(lp + stem, ".truth.json");
    return json_load_file(lp, 0, NULL);
}

/* The document outline ps_screen reports for `bytes`, the stages after
 * "document" not run; 0 none. */
static int outline(ps_ctx *ctx, ps_kind kind, const uint8_t *bytes, size_t len, ps_report *r)
{
    ps_upload up;
    ps_screen_result res;
    memset(&up, 0, sizeof up);
    up.kind = kind;
    up.bytes = bytes;
    up.len = len;
    up.last_stage = "document";
    ps_status st = ps_screen(ctx, &up, &res);
    *r = res.report;
    ps_screen_result_clear(&res);
    return st == PS_OK && r->document.found;
}

int main(int argc, char **argv)
{
    ps_engine *e = NULL;
    ps_ctx *ctx = NULL;
    char err[256];
    tally t[MAX_TYPES];
    int nt = 0;
    double iou_sum = 0;
    if (argc < 2) {
        fprintf(stderr, "usage: ps-bench-geometry FILE...\n");
        return 2;
    }
    ps_process_keep_pages(); /* as prescreen runs */
    if (ps_engine_open(NULL, &e, err, sizeof err) != PS_OK || ps_ctx_open(e, &ctx, err, sizeof err) != PS_OK) {
        fprintf(stderr, "ps-bench-geometry: %s\n", err);
        return 1;
    }
    printf("file\tkind\ttrue_type\tin_frame\tconfidence\tiou\n");
    for (int i = 1; i < argc; i++) {
        json_t *lab = label_of(argv[i]);
        json_t *jq = lab ? json_object_get(lab, "document_quad") : NULL;
        const char *kind = lab ? json_string_value(json_object_get(lab, "kind")) : NULL;
        const char *type = lab ? json_string_value(json_object_get(lab, "doc_type")) : NULL;
        size_t len = 0;
        uint8_t *bytes = NULL;
        ps_report r;
        ps_point truth[4];
        if (!json_is_array(jq) || json_array_size(jq) != 4 || !kind || ps_kind_from_name(kind) < 0 ||
            (bytes = ps_bench_slurp(argv[i], &len)) == NULL) {
            json_decref(lab);
            continue; /* no outline labelled: nothing to score */
        }
        for (int k = 0; k < 4; k++) {
            truth[k].x = json_number_value(json_array_get(json_array_get(jq, k), 0));
            truth[k].y = json_number_value(json_array_get(json_array_get(jq, k), 1));
        }
        int found = outline(ctx, (ps_kind)ps_kind_from_name(kind), bytes, len, &r);
        int in_frame = r.image.width > 0;
        for (int k = 0; k < 4; k++)
            if (truth[k].x < 0 || truth[k].y < 0 || truth[k].x > r.image.width || truth[k].y > r.image.height)
                in_frame = 0;
        double iou = 0;
        if (found && ps_cv_quad_iou(r.document.quad, truth, &iou) != PS_OK)
            iou = 0;
        const char *base = strrchr(argv[i], '/');
        printf("%s\t%s\t%s\t%d\t%.3f\t%.3f\n", base ? base + 1 : argv[i], kind, type ? type : "", in_frame,
               r.document.confidence, iou);
        if (in_frame) {
            tally *a = tally_for(t, &nt, type ? type : "");
            tally *all = tally_for(t, &nt, "ALL");
            a->in_frame++;
            all->in_frame++;
            a->good += iou >= 0.9;
            all->good += iou >= 0.9;
            iou_sum += iou;
        }
        free(bytes);
        json_decref(lab);
    }
    qsort(t, (size_t)nt, sizeof t[0], by_type);
    for (int i = 0; i < nt; i++)
        printf("# %-36s in_frame %4d  iou>=0.9 %4d  %5.1f %%\n", t[i].type, t[i].in_frame, t[i].good,
               t[i].in_frame ? 100.0 * t[i].good / t[i].in_frame : 0);
    for (int i = 0; i < nt; i++)
        if (strcmp(t[i].type, "ALL") == 0 && t[i].in_frame)
            printf("# mean IoU of in-frame outlines %.3f\n", iou_sum / t[i].in_frame);
    ps_ctx_close(&ctx);
    ps_engine_close(&e);
    return 0;
}
