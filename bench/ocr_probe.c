/* ocr_probe: reads one zone of an image and prints what tesseract saw.
 * usage: ocr_probe IMAGE [x0 y0 x1 y1 (fractions 0..1)] [glyph_px] [psm] [bin] [flatten]
 *        [langs] [x_stretch] [whitelist]
 * A tool for tuning zone templates; prints timings in ms. */
#include <stdio.h>
#include <stdlib.h>

#include "prescreen/ocr.h"

int main(int argc, char **argv)
{
    ps_image *img = NULL;
    ps_ocr *ocr = NULL;
    ps_ocr_result *res = NULL;
    if (argc < 2) {
        fprintf(stderr, "usage: ocr_probe IMAGE [x0 y0 x1 y1] [glyph_px] [psm] [bin] [flatten] [langs] [x_stretch] [whitelist]\n");
        return 2;
    }
    if (ps_ocr_load_trusted_file(argv[1], &img) != PS_OK) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 1;
    }
    ps_ocr_params p = {0};
    if (argc >= 6) {
        double x0 = atof(argv[2]), y0 = atof(argv[3]), x1 = atof(argv[4]), y1 = atof(argv[5]);
        p.zone.x = (int)(x0 * img->width);
        p.zone.y = (int)(y0 * img->height);
        p.zone.w = (int)((x1 - x0) * img->width);
        p.zone.h = (int)((y1 - y0) * img->height);
    }
    if (argc >= 7)
        p.glyph_height = atoi(argv[6]);
    if (argc >= 8)
        p.psm = (ps_ocr_psm)atoi(argv[7]);
    if (argc >= 9)
        p.binarize = (ps_ocr_binarize)atoi(argv[8]);
    if (argc >= 10)
        p.flatten = atoi(argv[9]);
    if (argc >= 11)
        p.langs = argv[10];
    if (argc >= 12)
        p.x_stretch = atof(argv[11]);
    if (argc >= 13)
        p.whitelist = argv[12];
    if (ps_ocr_new(NULL, NULL, &ocr) != PS_OK) {
        fprintf(stderr, "no engine\n");
        return 1;
    }
    ps_status st = ps_ocr_read(ocr, img, &p, &res);
    if (st != PS_OK) {
        fprintf(stderr, "ocr: %s\n", ps_strerror(st));
        return 1;
    }
    for (size_t i = 0; i < res->n_lines; i++) {
        ps_ocr_line *l = &res->lines[i];
        printf("%.2f [%d %d %d %d] %s\n", l->confidence, l->box.x, l->box.y, l->box.w,
               l->box.h, l->text);
    }
    printf("scale %.2f  %.1f ms\n", res->scale, res->elapsed_ms);
    ps_ocr_result_free(&res);
    ps_ocr_free(&ocr);
    ps_image_free(&img);
    return 0;
}
