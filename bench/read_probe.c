/* read_probe: measures reading alone on a labelled (generated) corpus.
 *
 * usage: read_probe DIR [--quiet] [--all] [--only NAME_SUBSTRING]
 * (--all: a line for every image, not only those with a miss)
 *
 * For every X.jpg/X.png with an X.truth.json in DIR, the label's true
 * document outline is handed to the reader (read/reader.c) — so the numbers
 * are about reading, not about finding the outline — and the document type
 * and each labelled field are compared with the label after folding (spaces
 * dropped, full-width ASCII folded). Prints one line per image that has a
 * mismatch and totals per document type and field, plus reading time and
 * the OCR calls made (title bands + all-lines fallback + field zones).
 * Only `fields` of the labels are printed; they never hold card numbers or
 * My Numbers. */
#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cv/document.h"
#include "prescreen/decode.h"
#include "prescreen/doctype.h"
#include "read/reader.h"

/* Most labelled images one run takes. */
#define MAX_ITEMS 4096

static void fold(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)in;
    while (*p && n + 4 < cap) {
        if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) { /* U+3000 */
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

static unsigned shape_of(const char *doc_type)
{
    if (strcmp(doc_type, "passport") == 0)
        return PS_DOC_TD3;
    if (strcmp(doc_type, "certificate_of_residence") == 0 || strcmp(doc_type, "postal_mail") == 0 ||
        strcmp(doc_type, "utility_bill") == 0 || strcmp(doc_type, "my_number_notification_card") == 0)
        return PS_DOC_PAPER;
    return PS_DOC_ID1;
}

static ps_kind kind_of(const char *k)
{
    if (strcmp(k, "credit_card") == 0)
        return PS_KIND_CREDIT_CARD;
    if (strcmp(k, "address_proof") == 0)
        return PS_KIND_ADDRESS_PROOF;
    if (strcmp(k, "selfie") == 0)
        return PS_KIND_SELFIE;
    return PS_KIND_PHOTO_ID;
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static double ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) * 1e3 + (t.tv_nsec - t0->tv_nsec) / 1e6;
}

int main(int argc, char **argv)
{
    const char *dir = NULL, *only = NULL, *dump = NULL;
    int quiet = 0, all_lines = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quiet") == 0)
            quiet = 1;
        else if (strcmp(argv[i], "--all") == 0)
            all_lines = 1;
        else if (strcmp(argv[i], "--dump") == 0 && i + 1 < argc)
            dump = argv[++i];
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
            only = argv[++i];
        else
            dir = argv[i];
    }
    if (!dir) {
        fprintf(stderr, "usage: read_probe DIR [--quiet] [--all] [--only SUBSTRING]\n");
        return 2;
    }
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "cannot open %s\n", dir);
        return 1;
    }
    char **names = calloc(MAX_ITEMS, sizeof *names);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < MAX_ITEMS) {
        size_t l = strlen(e->d_name);
        if (l > 11 && strcmp(e->d_name + l - 11, ".truth.json") == 0 &&
            (!only || strstr(e->d_name, only)))
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, (size_t)n, sizeof *names, cmp);

    ps_ocr *ocr = NULL;
    if (ps_ocr_new(NULL, "jpn+eng", &ocr) != PS_OK) {
        fprintf(stderr, "no tesseract\n");
        return 1;
    }
    /* totals[doc type][field]: exact, labelled */
    int tot[PS_DOC_COUNT_][PS_FIELD_COUNT_][2];
    int dt_ok = 0, dt_n = 0;
    double ms_sum = 0, ms_max = 0;
    int ms_n = 0;
    long calls[3] = {0, 0, 0}; /* bands, lines, fields */
    memset(tot, 0, sizeof tot);
    for (int i = 0; i < n; i++) {
        char path[4096], img[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        json_error_t err;
        json_t *t = json_load_file(path, 0, &err);
        if (!t)
            continue;
        const char *dts = json_string_value(json_object_get(t, "doc_type"));
        const char *ks = json_string_value(json_object_get(t, "kind"));
        const char *ss = json_string_value(json_object_get(t, "side"));
        const char *nows = json_string_value(json_object_get(t, "now"));
        json_t *jq = json_object_get(t, "document_quad");
        if (!dts || !ks || !json_is_array(jq) || json_array_size(jq) != 4) {
            json_decref(t);
            continue;
        }
        size_t bl = strlen(names[i]) - 11;
        FILE *f = NULL;
        for (int x = 0; x < 2 && !f; x++) {
            snprintf(img, sizeof img, "%s/%.*s%s", dir, (int)bl, names[i], x ? ".png" : ".jpg");
            f = fopen(img, "rb");
        }
        if (!f) {
            json_decref(t);
            continue;
        }
        fseek(f, 0, SEEK_END);
        long len = ftell(f);
        fseek(f, 0, SEEK_SET);
        uint8_t *buf = malloc((size_t)len);
        if (fread(buf, 1, (size_t)len, f) != (size_t)len)
            len = 0;
        fclose(f);
        ps_decode_opts o;
        ps_decode_opts_default(&o);
        o.want_full = 1;
        ps_decoded *dec = NULL;
        char msg[160];
        if (ps_decode(buf, (size_t)len, &o, &dec, msg, sizeof msg) != PS_OK) {
            free(buf);
            json_decref(t);
            continue;
        }
        free(buf);
        ps_point q[4];
        for (int k = 0; k < 4; k++) {
            json_t *p = json_array_get(jq, (size_t)k);
            q[k].x = json_number_value(json_array_get(p, 0));
            q[k].y = json_number_value(json_array_get(p, 1));
        }
        ps_read_request rq;
        ps_read_result res;
        ps_date now;
        memset(&rq, 0, sizeof rq);
        rq.full = dec->full;
        rq.quad = q;
        rq.shape = shape_of(dts);
        rq.kind = kind_of(ks);
        rq.side = ss && strcmp(ss, "back") == 0 ? PS_SIDE_BACK
                  : ss && strcmp(ss, "front") == 0 ? PS_SIDE_FRONT : PS_SIDE_NONE;
        rq.has_face = -1;
        if (nows && ps_date_from_iso(nows, &now) == PS_OK)
            rq.now = &now;
        if (dump) {
            /* the document as the reader first sees it (turn 0), as PPM/PGM */
            ps_image *card = NULL;
            unsigned sh = rq.shape;
            int w = sh == PS_DOC_TD3 ? 1476 : 1011, h = sh == PS_DOC_TD3 ? 1039 : 638;
            if (sh == PS_DOC_PAPER) {
                double tw = hypot(q[1].x - q[0].x, q[1].y - q[0].y);
                double th = hypot(q[3].x - q[0].x, q[3].y - q[0].y);
                w = (int)(1200 * tw / fmax(tw, th));
                h = (int)(1200 * th / fmax(tw, th));
            }
            if (ps_cv_rectify(dec->full, q, w, h, &card) == PS_OK) {
                char dp[4200];
                snprintf(dp, sizeof dp, "%s/%.*s.pnm", dump, (int)bl, names[i]);
                FILE *pf = fopen(dp, "wb");
                if (pf) {
                    fprintf(pf, "P%d\n%d %d\n255\n", card->channels == 1 ? 5 : 6, card->width,
                            card->height);
                    for (int y = 0; y < card->height; y++)
                        fwrite(card->data + (size_t)y * card->stride, 1,
                               (size_t)card->width * card->channels, pf);
                    fclose(pf);
                }
            }
            ps_image_free(&card);
        }
        struct timespec t0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        ps_status st = ps_read_document(ocr, &rq, &res);
        double ms = ms_since(&t0);
        ms_sum += ms;
        ms_max = fmax(ms_max, ms);
        ms_n++;
        calls[0] += res.calls_bands;
        calls[1] += res.calls_lines;
        calls[2] += res.calls_fields;
        ps_doctype want = ps_doctype_from_name(dts);
        char line[8192];
        int bad = 0;
        size_t pos = (size_t)snprintf(line, sizeof line, "%.*s [%s rot %d %.0f ms, ocr %d+%d+%d]:",
                                      (int)bl, names[i], dts, res.rotation, ms, res.calls_bands,
                                      res.calls_lines, res.calls_fields);
        dt_n++;
        if (st != PS_OK) {
            pos += (size_t)snprintf(line + pos, sizeof line - pos, " status %d;", (int)st);
            bad = 1;
        }
        if (res.type == want) {
            dt_ok++;
        } else {
            pos += (size_t)snprintf(line + pos, sizeof line - pos, " doc_type got %s;",
                                    ps_doctype_name(res.type));
            bad = 1;
        }
        json_t *fields = json_object_get(t, "fields");
        const char *key;
        json_t *val;
        json_object_foreach(fields, key, val)
        {
            int fid = -1;
            for (int k = 0; k < PS_FIELD_COUNT_; k++)
                if (strcmp(ps_field_name((ps_field_id)k), key) == 0)
                    fid = k;
            if (fid < 0 || !json_is_string(val))
                continue;
            char a[1024], b[1024];
            const ps_field *fl = &res.fs.f[fid];
            fold(json_string_value(val), a, sizeof a);
            fold(fl->present ? (fl->iso[0] ? fl->iso : fl->text) : "", b, sizeof b);
            int ok = fl->present && strcmp(a, b) == 0;
            tot[want][fid][0] += ok;
            tot[want][fid][1]++;
            if (!ok && pos + 200 < sizeof line) {
                pos += (size_t)snprintf(line + pos, sizeof line - pos, " %s: want %s got %s;", key,
                                        json_string_value(val),
                                        fl->present ? (fl->iso[0] ? fl->iso : fl->text) : "-");
                bad = 1;
            }
        }
        if ((bad && !quiet) || all_lines)
            printf("%s\n", line);
        ps_decoded_free(&dec);
        json_decref(t);
    }
    printf("== doc_type %d/%d = %.3f; read ms mean %.0f max %.0f; OCR calls per image: "
           "bands %.1f, all lines %.1f, fields %.1f\n",
           dt_ok, dt_n, dt_n ? (double)dt_ok / dt_n : 0.0, ms_n ? ms_sum / ms_n : 0.0, ms_max,
           ms_n ? (double)calls[0] / ms_n : 0.0, ms_n ? (double)calls[1] / ms_n : 0.0,
           ms_n ? (double)calls[2] / ms_n : 0.0);
    int all[PS_FIELD_COUNT_][2];
    memset(all, 0, sizeof all);
    for (int t = 0; t < PS_DOC_COUNT_; t++)
        for (int f = 0; f < PS_FIELD_COUNT_; f++) {
            if (!tot[t][f][1])
                continue;
            all[f][0] += tot[t][f][0];
            all[f][1] += tot[t][f][1];
            printf("   %-30s %-12s %3d/%3d = %.3f\n", ps_doctype_name((ps_doctype)t),
                   ps_field_name((ps_field_id)f), tot[t][f][0], tot[t][f][1],
                   (double)tot[t][f][0] / tot[t][f][1]);
        }
    for (int f = 0; f < PS_FIELD_COUNT_; f++)
        if (all[f][1])
            printf("   %-30s %-12s %3d/%3d = %.3f\n", "ALL", ps_field_name((ps_field_id)f),
                   all[f][0], all[f][1], (double)all[f][0] / all[f][1]);
    ps_ocr_free(&ocr);
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return 0;
}
