/* The bench's HTML report: inline SVG charts and the worst cases as
 * thumbnails with the truth (green) and the prediction (red) drawn on them.
 * Thumbnails show only the redacted stored copy when there is one, and are
 * omitted for images that carry sensitive labels but were not stored, so
 * the report never shows an unmasked number. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/bench.h"
#include "cli/cli.h"
#include "cv/shim.h"
#include "prescreen/decode.h"

/* Worst cases shown. */
#define PSB_WORST 12
/* Thumbnail long side in pixels. */
#define PSB_THUMB 360

static void html_escape(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

static void bars_svg(FILE *f, const char *title, const char **labels, const double *a,
                     const double *b, int n, const char *la, const char *lb)
{
    int h = 22 * n + 40, w = 640;
    fprintf(f, "<h3>%s</h3><svg width='%d' height='%d' role='img'>", title, w, h);
    for (int i = 0; i < n; i++) {
        int y = 20 + i * 22;
        fprintf(f, "<text x='0' y='%d' font-size='12'>%s</text>", y + 12, labels[i]);
        if (a[i] >= 0)
            fprintf(f, "<rect x='220' y='%d' width='%.0f' height='9' fill='#3b7'/>"
                       "<text x='%.0f' y='%d' font-size='10'>%.2f</text>",
                    y, a[i] * 360, 224 + a[i] * 360, y + 8, a[i]);
        if (b && b[i] >= 0)
            fprintf(f, "<rect x='220' y='%d' width='%.0f' height='9' fill='#37b'/>"
                       "<text x='%.0f' y='%d' font-size='10'>%.2f</text>",
                    y + 10, b[i] * 360, 224 + b[i] * 360, y + 18, b[i]);
    }
    fprintf(f, "<text x='220' y='%d' font-size='11' fill='#3b7'>&#9632; %s</text>", h - 6, la);
    if (b)
        fprintf(f, "<text x='360' y='%d' font-size='11' fill='#37b'>&#9632; %s</text>", h - 6, lb);
    fputs("</svg>", f);
}

static void hist_svg(FILE *f, const char *title, const double *v, int n, double lo, double hi,
                     int bins, const char *unit)
{
    int cnt[64] = {0}, mx = 1;
    int w = 640, h = 180;
    if (bins > 64)
        bins = 64;
    for (int i = 0; i < n; i++) {
        int k = (int)((v[i] - lo) / (hi - lo) * bins);
        if (k < 0) k = 0;
        if (k >= bins) k = bins - 1;
        if (++cnt[k] > mx)
            mx = cnt[k];
    }
    fprintf(f, "<h3>%s</h3><svg width='%d' height='%d' role='img'>", title, w, h + 30);
    for (int k = 0; k < bins; k++) {
        double bh = (double)cnt[k] / mx * h;
        fprintf(f, "<rect x='%d' y='%.0f' width='%d' height='%.0f' fill='#58a'><title>%d</title></rect>",
                k * (w / bins), h - bh, w / bins - 2, bh, cnt[k]);
    }
    fprintf(f, "<text x='0' y='%d' font-size='11'>%g %s</text><text x='%d' y='%d' font-size='11' "
               "text-anchor='end'>%g %s</text></svg>",
            h + 15, lo, unit, w, h + 15, hi, unit);
}

static void put_px(ps_image *im, int x, int y, const uint8_t c[3])
{
    if (x < 0 || y < 0 || x >= im->width || y >= im->height)
        return;
    memcpy(ps_image_row(im, y) + 3 * x, c, 3);
}

static void line(ps_image *im, double x0, double y0, double x1, double y1, const uint8_t c[3])
{
    int steps = (int)(fmax(fabs(x1 - x0), fabs(y1 - y0))) + 1;
    for (int i = 0; i <= steps; i++) {
        double t = (double)i / steps;
        int x = (int)(x0 + t * (x1 - x0)), y = (int)(y0 + t * (y1 - y0));
        put_px(im, x, y, c);
        put_px(im, x + 1, y, c);
        put_px(im, x, y + 1, c);
    }
}

static void rect(ps_image *im, ps_box b, double s, const uint8_t c[3])
{
    double x0 = b.x * s, y0 = b.y * s, x1 = (b.x + b.w) * s, y1 = (b.y + b.h) * s;
    line(im, x0, y0, x1, y0, c);
    line(im, x1, y0, x1, y1, c);
    line(im, x1, y1, x0, y1, c);
    line(im, x0, y1, x0, y0, c);
}

static void quad(ps_image *im, const ps_point *q, double s, const uint8_t c[3])
{
    for (int i = 0; i < 4; i++)
        line(im, q[i].x * s, q[i].y * s, q[(i + 1) % 4].x * s, q[(i + 1) % 4].y * s, c);
}

static void base64(FILE *f, const uint8_t *d, size_t n)
{
    static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)d[i] << 16 | (i + 1 < n ? (uint32_t)d[i + 1] << 8 : 0) |
                     (i + 2 < n ? d[i + 2] : 0);
        fputc(t[v >> 18 & 63], f);
        fputc(t[v >> 12 & 63], f);
        fputc(i + 1 < n ? t[v >> 6 & 63] : '=', f);
        fputc(i + 2 < n ? t[v & 63] : '=', f);
    }
}

/* Thumbnail of an image with no sensitive labels (safe to show as is). */
static void thumbnail(FILE *f, const psb_item *it)
{
    static const uint8_t green[3] = {0, 200, 0}, red[3] = {230, 0, 0};
    size_t n = 0;
    int over = 0;
    uint8_t *bytes, *jpg = NULL;
    size_t jlen = 0;
    ps_decode_opts o;
    ps_decoded *d = NULL;
    ps_image *im;
    double s;
    if (it->truth.n_sensitive > 0) {
        fputs("<p class='muted'>(carries sensitive digits: not shown)</p>", f);
        return;
    }
    bytes = ps_cli_read_file(it->path, 64u << 20, &n, &over);
    ps_decode_opts_default(&o);
    o.work_long_side = PSB_THUMB;
    if (bytes == NULL || ps_decode(bytes, n, &o, &d, NULL, 0) != PS_OK) {
        free(bytes);
        return;
    }
    im = d->work;
    s = d->work_scale;
    if (it->truth.has_quad)
        quad(im, it->truth.quad, s, green);
    for (int i = 0; i < it->truth.n_faces; i++)
        rect(im, it->truth.faces[i], s, green);
    if (it->report.document.found)
        quad(im, it->report.document.quad, s, red);
    for (int i = 0; i < it->report.face.count; i++)
        rect(im, it->report.face.faces[i].box, s, red);
    if (ps_encode_jpeg(im, 80, &jpg, &jlen) == PS_OK) {
        fputs("<img alt='worst case' src='data:image/jpeg;base64,", f);
        base64(f, jpg, jlen);
        fputs("'>", f);
    }
    free(jpg);
    ps_decoded_free(&d);
    free(bytes);
}

static double badness(const psb_item *it)
{
    return it->leaks * 100.0 + (it->status != PS_OK) * 50.0 + it->flag_errors * 10.0 +
           (it->quad_iou >= 0 ? (1.0 - it->quad_iou) * 10.0 : 0) +
           (it->faces_truth - it->faces_matched) * 5.0 + it->faces_false * 3.0;
}

int psb_write_html(const char *path, const psb_item *items, int n, const char *summary_json)
{
    FILE *f = fopen(path, "w");
    json_t *sum = json_loads(summary_json, 0, NULL), *flags, *v;
    const char *k;
    const char *labels[PS_FLAG_COUNT_];
    double prec[PS_FLAG_COUNT_], rec[PS_FLAG_COUNT_];
    int nf = 0, order[PSB_WORST], nw = 0;
    double *lat = calloc((size_t)(n ? n : 1), sizeof(double));
    double *iou = calloc((size_t)(n ? n : 1), sizeof(double));
    int nl = 0, ni = 0;

    if (f == NULL || sum == NULL || lat == NULL || iou == NULL) {
        if (f)
            fclose(f);
        json_decref(sum);
        free(lat);
        free(iou);
        return -1;
    }
    fputs("<!doctype html><html><head><meta charset='utf-8'><title>prescreen bench</title>"
          "<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:1100px}"
          "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px}"
          ".muted{color:#777}.case{display:inline-block;vertical-align:top;width:360px;margin:8px}"
          ".bad{color:#b00;font-weight:bold}</style></head><body><h1>prescreen bench</h1>",
          f);
    v = json_object_get(sum, "leaks");
    fprintf(f, "<p>%lld images, %lld labelled, %.1f images/s on %lld thread(s), peak RSS %.0f MiB. "
               "<span class='%s'>Leaks: %lld</span>.</p>",
            (long long)json_integer_value(json_object_get(sum, "images")),
            (long long)json_integer_value(json_object_get(sum, "labelled")),
            json_real_value(json_object_get(sum, "images_per_s")),
            (long long)json_integer_value(json_object_get(sum, "threads")),
            json_real_value(json_object_get(sum, "peak_rss_mib")),
            json_integer_value(json_object_get(v, "total")) ? "bad" : "",
            (long long)json_integer_value(json_object_get(v, "total")));
    flags = json_object_get(sum, "flags");
    json_object_foreach(flags, k, v) {
        json_t *p = json_object_get(v, "precision"), *r = json_object_get(v, "recall");
        labels[nf] = k;
        prec[nf] = json_is_real(p) ? json_real_value(p) : -1;
        rec[nf] = json_is_real(r) ? json_real_value(r) : -1;
        if (++nf == PS_FLAG_COUNT_)
            break;
    }
    bars_svg(f, "Flags: precision and recall", labels, prec, rec, nf, "precision", "recall");
    for (int i = 0; i < n; i++) {
        if (items[i].status == PS_OK)
            lat[nl++] = items[i].ms;
        if (items[i].quad_iou >= 0)
            iou[ni++] = items[i].quad_iou;
    }
    {
        double mx = 1;
        for (int i = 0; i < nl; i++)
            if (lat[i] > mx)
                mx = lat[i];
        hist_svg(f, "Latency per image", lat, nl, 0, ceil(mx / 100) * 100, 40, "ms");
    }
    hist_svg(f, "Document quad IoU", iou, ni, 0, 1, 20, "");

    /* worst cases */
    for (int i = 0; i < n; i++) {
        double bi = badness(&items[i]);
        int pos;
        if (bi <= 0)
            continue;
        for (pos = nw; pos > 0 && badness(&items[order[pos - 1]]) < bi; pos--)
            if (pos < PSB_WORST)
                order[pos] = order[pos - 1];
        if (pos < PSB_WORST) {
            order[pos] = i;
            if (nw < PSB_WORST)
                nw++;
        }
    }
    fputs("<h2>Worst cases</h2><p class='muted'>green: labels; red: prediction</p>", f);
    for (int w = 0; w < nw; w++) {
        const psb_item *it = &items[order[w]];
        fputs("<div class='case'><b>", f);
        html_escape(f, strrchr(it->path, '/') ? strrchr(it->path, '/') + 1 : it->path);
        fprintf(f, "</b><br>%s%s flag errors %d, leaks %d, quad IoU %.2f, faces %d/%d (+%d false)<br>",
                it->status == PS_OK ? "" : "error ", it->error_code, it->flag_errors, it->leaks,
                it->quad_iou, it->faces_matched, it->faces_truth, it->faces_false);
        fputs("flags: ", f);
        for (int fl = 0; fl < PS_FLAG_COUNT_; fl++) {
            int got = ps_report_has(&it->report, (ps_flag)fl);
            int exp = (it->truth.expect >> fl) & 1, forb = (it->truth.forbid >> fl) & 1;
            if ((exp && !got) || (forb && got))
                fprintf(f, "<span class='bad'>%s%s</span> ", got ? "+" : "-", ps_flag_name((ps_flag)fl));
        }
        fputs("<br>", f);
        thumbnail(f, it);
        fputs("</div>", f);
    }
    fputs("<h2>Summary</h2><pre>", f);
    html_escape(f, summary_json);
    fputs("</pre></body></html>\n", f);
    free(lat);
    free(iou);
    json_decref(sum);
    return fclose(f) == 0 ? 0 : -1;
}
