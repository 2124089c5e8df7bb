/* ocr_fields: reads the template fields of rectified card images and
 * compares the time with one full tesseract pass over the same crop.
 * usage: ocr_fields DOC_TYPE IMAGE [WIDTH HEIGHT]
 *   WIDTH HEIGHT: resample the image first (e.g. 1011 638, the rectified
 *   ID-1 size the pipeline produces). Prints each field, then the best of
 *   3 timings: one full-layout pass over the crop vs the zone reading. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prescreen/fields.h"

/* Bilinear resample for the bench only (the pipeline rectifies in cv/). */
static ps_image *resample(const ps_image *src, int w, int h)
{
    ps_image *dst = NULL;
    if (ps_image_new(w, h, src->channels, 0, &dst) != PS_OK)
        return NULL;
    for (int y = 0; y < h; y++) {
        double sy = (y + 0.5) * src->height / h - 0.5;
        int y0 = sy < 0 ? 0 : (int)sy;
        int y1 = y0 + 1 < src->height ? y0 + 1 : y0;
        double fy = sy - y0 < 0 ? 0 : sy - y0;
        for (int x = 0; x < w; x++) {
            double sx = (x + 0.5) * src->width / w - 0.5;
            int x0 = sx < 0 ? 0 : (int)sx;
            int x1 = x0 + 1 < src->width ? x0 + 1 : x0;
            double fx = sx - x0 < 0 ? 0 : sx - x0;
            for (int c = 0; c < src->channels; c++) {
                double a = ps_image_row(src, y0)[x0 * src->channels + c];
                double b = ps_image_row(src, y0)[x1 * src->channels + c];
                double d = ps_image_row(src, y1)[x0 * src->channels + c];
                double e = ps_image_row(src, y1)[x1 * src->channels + c];
                double v = (a * (1 - fx) + b * fx) * (1 - fy) + (d * (1 - fx) + e * fx) * fy;
                ps_image_row(dst, y)[x * dst->channels + c] = (uint8_t)(v + 0.5);
            }
        }
    }
    return dst;
}

int main(int argc, char **argv)
{
    ps_image *img = NULL;
    ps_ocr *ocr = NULL;
    ps_template *tpl = NULL;
    if (argc != 3 && argc != 5) {
        fprintf(stderr, "usage: ocr_fields DOC_TYPE IMAGE [WIDTH HEIGHT]\n");
        return 2;
    }
    ps_doctype type = ps_doctype_from_name(argv[1]);
    if (ps_ocr_load_trusted_file(argv[2], &img) != PS_OK) {
        fprintf(stderr, "cannot read %s\n", argv[2]);
        return 1;
    }
    if (argc == 5) {
        ps_image *r = resample(img, atoi(argv[3]), atoi(argv[4]));
        ps_image_free(&img);
        img = r;
        if (!img)
            return 1;
    }
    if (ps_ocr_new(NULL, NULL, &ocr) != PS_OK ||
        ps_template_load_for(NULL, type, PS_SIDE_FRONT, &tpl) != PS_OK) {
        fprintf(stderr, "no engine or template\n");
        return 1;
    }
    /* Warm-up read: loads the per-zone language engines once, as a worker
     * does on its first job. Then the best of 3 runs of each. */
    ps_fields fs;
    ps_status st = ps_fields_read(ocr, img, type, tpl, NULL, 0, &fs);
    double full_ms = 1e30, zone_ms = 1e30;
    for (int rep = 0; rep < 3 && st == PS_OK; rep++) {
        ps_ocr_params full = {0};
        ps_ocr_result *res = NULL;
        if (ps_ocr_read(ocr, img, &full, &res) != PS_OK)
            return 1;
        if (res->elapsed_ms < full_ms)
            full_ms = res->elapsed_ms;
        ps_ocr_result_free(&res);
        st = ps_fields_read(ocr, img, type, tpl, NULL, 0, &fs);
        if (st == PS_OK && fs.ocr_ms < zone_ms)
            zone_ms = fs.ocr_ms;
    }
    if (st != PS_OK) {
        fprintf(stderr, "fields: %s\n", ps_strerror(st));
        return 1;
    }
    for (int i = 0; i < PS_FIELD_COUNT_; i++) {
        const ps_field *f = &fs.f[i];
        if (f->present)
            printf("%-16s %.2f %-10s %s\n", ps_field_name((ps_field_id)i), f->confidence,
                   f->iso[0] ? f->iso : "-", f->text);
    }
    printf("%dx%d full_pass_ms %.1f zone_ms %.1f (%d reads) ratio %.2f\n", img->width,
           img->height, full_ms, zone_ms, fs.zones_read, zone_ms / full_ms);
    ps_template_free(&tpl);
    ps_ocr_free(&ocr);
    ps_image_free(&img);
    return 0;
}
