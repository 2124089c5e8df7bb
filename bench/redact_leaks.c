/* redact_leaks: plan + apply + verify over a labelled corpus and count
 * leaks (SPEC §5 `sensitive` boxes whose pixels still show the original),
 * the last-4 kept rate and the time redaction adds per image.
 *
 * usage: redact_leaks DIR [--no-quad] [--no-verify] [--own-read] [--flip] [--kind KIND] [--out DIR2]
 *   --no-quad   do not pass the labelled document quad (the detector's
 *               stand-in): the whole image is read, no zone can be placed
 *   --no-verify skip ps_redact_verify()
 *   --own-read  a credit-card back's plan reads the card itself (by default,
 *               as in the pipeline, the reader reads it whole once and the
 *               plan reuses that reading; the reader's time is not counted)
 *   --flip      pass the labelled quad a half turn off (as a read stage
 *               that took the card for upside down would) with its turn not
 *               confirmed: a card front that still keeps a last 4 (read or
 *               by geometry) trusted a wrong reading order, and is counted
 *               as "kept on flipped fronts" (its zones are upside down too,
 *               so leaks are expected; that count must be 0). A plan that
 *               turns the card back itself (an Amex number seen 5-6-4) is
 *               counted apart: its zones are upright again, so its leaked
 *               boxes are counted and must be 0
 *   --kind      only uploads of this kind (credit_card, photo_id, ...)
 *   --out DIR2  write each redacted image there (JPEG) for inspection
 *
 * A box leaks when one of its cells (squares along the box) is textured in
 * the redacted image (std-dev >= 12, above JPEG noise on a flat fill) and
 * correlates with the original (NCC >= 0.5). A pan_last4 box is "kept" when
 * it passes that same test as a whole. Printed per image: type, side, the
 * plan's item count, flags, whether its last 4 stay readable (cells that
 * show / cells; -1: no pan_last4 label) and times, never a digit of a
 * label; with REDACT_LEAKS_ITEMS set in the environment also each plan
 * item's type, flags and box (never its digits).
 */
#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cv/document.h"
#include "prescreen/decode.h"
#include "prescreen/redact.h"
#include "read/reader.h"

#define TEXTURE_SD 12.0 /* JPEG noise on a flat fill stays below this */
#define SAME_NCC 0.5    /* correlation that means "the same pixels" */

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

static double luma(const ps_image *im, int x, int y)
{
    const uint8_t *p = ps_image_row(im, y) + (size_t)x * im->channels;
    return im->channels == 3 ? 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2] : p[0];
}

static ps_box clip(ps_box b, const ps_image *im)
{
    if (b.x < 0) { b.w += b.x; b.x = 0; }
    if (b.y < 0) { b.h += b.y; b.y = 0; }
    if (b.x + b.w > im->width) b.w = im->width - b.x;
    if (b.y + b.h > im->height) b.h = im->height - b.y;
    if (b.w < 0) b.w = 0;
    if (b.h < 0) b.h = 0;
    return b;
}

/* 1 when the redacted cell still shows the original. */
static int cell_shows(const ps_image *o, const ps_image *r, ps_box c)
{
    double so = 0, sr = 0, soo = 0, srr = 0, sor = 0;
    int n = 0;
    for (int y = c.y; y < c.y + c.h; y++)
        for (int x = c.x; x < c.x + c.w; x++) {
            double a = luma(o, x, y), b = luma(r, x, y);
            so += a; sr += b; soo += a * a; srr += b * b; sor += a * b;
            n++;
        }
    if (n < 4)
        return 0;
    double mo = so / n, mr = sr / n;
    double vo = soo / n - mo * mo, vr = srr / n - mr * mr, cov = sor / n - mo * mr;
    double sd = vr > 0 ? sqrt(vr) : 0;
    double ncc = (vo > 1 && vr > 1) ? cov / sqrt(vo * vr) : 0;
    return sd >= TEXTURE_SD && ncc >= SAME_NCC;
}

/* A box is judged in square cells along its long side (about a glyph
 * each): their count, and the i-th of n. */
static int n_cells(ps_box b)
{
    int horiz = b.w >= b.h, len = horiz ? b.w : b.h, thick = horiz ? b.h : b.w;
    int n = len / (thick > 0 ? thick : 1);
    return n < 1 ? 1 : n;
}

static ps_box nth_cell(ps_box b, int i, int n)
{
    ps_box c = b;
    if (b.w >= b.h) {
        c.x = b.x + i * b.w / n;
        c.w = (i + 1) * b.w / n - i * b.w / n;
    } else {
        c.y = b.y + i * b.h / n;
        c.h = (i + 1) * b.h / n - i * b.h / n;
    }
    return c;
}

static int box_leaks(const ps_image *o, const ps_image *r, ps_box b, int *cells)
{
    b = clip(b, r);
    *cells = 0;
    if (b.w < 2 || b.h < 2)
        return 0;
    int n = n_cells(b), leaks = 0;
    for (int i = 0; i < n; i++)
        leaks += cell_shows(o, r, nth_cell(b, i, n));
    *cells = n;
    return leaks;
}

/* Why a last 4 is not readable. Cells of the box whose original is itself
 * flat (std-dev under TEXTURE_SD: blur, glare, a low-contrast emboss) can
 * never pass the readable test, whatever the redaction does: *flat counts
 * them. *masked = share of the box's pixels turned to the fill (0) that
 * were not 0 before. */
static void last4_why(const ps_image *o, const ps_image *r, ps_box b, int *flat, double *masked)
{
    b = clip(b, r);
    *flat = 0;
    *masked = 0;
    if (b.w < 2 || b.h < 2)
        return;
    int n = n_cells(b);
    for (int i = 0; i < n; i++) {
        ps_box c = nth_cell(b, i, n);
        double s = 0, ss = 0;
        int m = 0;
        for (int y = c.y; y < c.y + c.h; y++)
            for (int x = c.x; x < c.x + c.w; x++) {
                double a = luma(o, x, y);
                s += a;
                ss += a * a;
                m++;
            }
        double v = m ? ss / m - (s / m) * (s / m) : 0;
        *flat += !(m >= 4 && v > 0 && sqrt(v) >= TEXTURE_SD);
    }
    long changed = 0;
    for (int y = b.y; y < b.y + b.h; y++)
        for (int x = b.x; x < b.x + b.w; x++)
            changed += luma(r, x, y) < 0.5 && luma(o, x, y) >= 0.5;
    *masked = (double)changed / ((double)b.w * b.h);
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = n > 0 ? malloc((size_t)n) : NULL;
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return b;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct totals {
    int images, boxes, leaked_boxes, leaked_cells, last4, last4_kept, last4_text_ok;
    /* misses: original flat (whatever was masked), masked over, masked over
     * with a sharp original, neither */
    int last4_flat, last4_masked, last4_masked_sharp, last4_other;
    int uncertain, unsafe, verify_unsafe, errors, zones;
    double plan_ms, apply_ms, verify_ms, cc_ms;
    int cc_images;
} totals;

int main(int argc, char **argv)
{
    const char *dir = NULL, *kind = NULL, *outdir = NULL;
    int use_quad = 1, verify = 1, own_read = 0, flip = 0, flipped_kept = 0;
    int flipped_turned = 0, turned_leaks = 0; /* plans that turned the card back */
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--no-quad")) use_quad = 0;
        else if (!strcmp(argv[i], "--no-verify")) verify = 0;
        else if (!strcmp(argv[i], "--own-read")) own_read = 1;
        else if (!strcmp(argv[i], "--flip")) flip = 1;
        else if (!strcmp(argv[i], "--kind") && i + 1 < argc) kind = argv[++i];
        else if (!strcmp(argv[i], "--out") && i + 1 < argc) outdir = argv[++i];
        else dir = argv[i];
    }
    if (dir == NULL) {
        fprintf(stderr, "usage: redact_leaks DIR [--no-quad] [--no-verify] [--own-read] [--flip] [--kind K] [--out D]\n");
        return 2;
    }
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "cannot open %s\n", dir);
        return 1;
    }
    char **names = NULL;
    size_t nn = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l > 11 && !strcmp(e->d_name + l - 11, ".truth.json")) {
            names = realloc(names, (nn + 1) * sizeof *names);
            names[nn++] = strdup(e->d_name);
        }
    }
    closedir(d);
    qsort(names, nn, sizeof *names, cmp_str);

    ps_ocr *ocr = NULL;
    if (ps_ocr_new(NULL, NULL, &ocr) != PS_OK) {
        fprintf(stderr, "tesseract did not start\n");
        return 1;
    }
    totals t;
    memset(&t, 0, sizeof t);
    for (size_t i = 0; i < nn; i++) {
        char path[4096], stem[1024];
        snprintf(stem, sizeof stem, "%.*s", (int)(strlen(names[i]) - 11), names[i]);
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        json_t *lab = json_load_file(path, 0, NULL);
        if (!lab)
            continue;
        const char *k = json_string_value(json_object_get(lab, "kind"));
        const char *dt = json_string_value(json_object_get(lab, "doc_type"));
        const char *sd = json_string_value(json_object_get(lab, "side"));
        json_t *sens = json_object_get(lab, "sensitive");
        if ((kind && (!k || strcmp(k, kind))) || !k || !strcmp(k, "selfie")) {
            json_decref(lab);
            continue;
        }
        uint8_t *buf = NULL;
        size_t len = 0;
        static const char *exts[] = {".jpg", ".png"};
        for (int x = 0; x < 2 && !buf; x++) {
            snprintf(path, sizeof path, "%s/%s%s", dir, stem, exts[x]);
            buf = slurp(path, &len);
        }
        if (!buf) { /* a PDF: not an image */
            json_decref(lab);
            continue;
        }
        ps_decode_opts o;
        ps_decode_opts_default(&o);
        o.want_full = 1;
        ps_decoded *dec = NULL;
        char msg[200];
        if (ps_decode(buf, len, &o, &dec, msg, sizeof msg) != PS_OK) {
            free(buf);
            json_decref(lab);
            t.errors++;
            continue;
        }
        free(buf);
        ps_point quad[4];
        json_t *q = json_object_get(lab, "document_quad");
        int have_quad = use_quad && json_array_size(q) == 4;
        for (int c = 0; have_quad && c < 4; c++) {
            int from = flip ? (c + 2) % 4 : c;
            quad[c].x = json_number_value(json_array_get(json_array_get(q, from), 0));
            quad[c].y = json_number_value(json_array_get(json_array_get(q, from), 1));
        }
        ps_redact_opts ro;
        memset(&ro, 0, sizeof ro);
        ro.type = ps_doctype_from_name(dt);
        ro.side = sd && !strcmp(sd, "front") ? PS_SIDE_FRONT
                  : sd && !strcmp(sd, "back") ? PS_SIDE_BACK : PS_SIDE_NONE;
        ro.doc_quad = have_quad ? quad : NULL;
        /* the label's outline is in the card's reading order */
        ro.upright_known = have_quad && !flip;
        /* As the pipeline does: a credit-card back is read whole once by
         * the reader, and the plan reuses that reading (--own-read: the
         * plan reads for itself). Not counted in the plan's time. */
        ps_ocr_result *whole = NULL;
        if (!own_read && have_quad && ro.type == PS_DOC_CREDIT_CARD && ro.side == PS_SIDE_BACK) {
            ps_read_request rq;
            ps_read_result *rr = calloc(1, sizeof *rr);
            memset(&rq, 0, sizeof rq);
            rq.full = dec->full;
            rq.quad = quad;
            rq.shape = PS_DOC_ID1;
            rq.kind = PS_KIND_CREDIT_CARD;
            rq.side = PS_SIDE_BACK;
            rq.has_face = -1;
            rq.doc_read_out = &whole;
            if (rr != NULL && ps_read_document(ocr, &rq, rr) == PS_OK && whole != NULL) {
                ro.doc_read = whole;
                ro.doc_read_width = rr->doc_width;
                ro.doc_read_height = rr->doc_height;
            }
            free(rr);
        }
        ps_redact_plan *plan = calloc(1, sizeof *plan);
        ps_image *red = NULL;
        ps_image_clone(dec->full, &red);
        double t0 = now_ms();
        ps_status st = ps_redact_plan_make(ocr, dec->full, &ro, plan);
        double t1 = now_ms();
        ps_ocr_result_free(&whole);
        if (st == PS_OK)
            st = ps_redact_apply(red, plan);
        double t2 = now_ms();
        ps_status vs = PS_OK;
        if (st == PS_OK && verify)
            vs = ps_redact_verify(ocr, red, plan, 0);
        double t3 = now_ms();
        t.images++;
        t.plan_ms += t1 - t0;
        t.apply_ms += t2 - t1;
        t.verify_ms += t3 - t2;
        if (ro.type == PS_DOC_CREDIT_CARD) {
            t.cc_ms += t3 - t0;
            t.cc_images++;
        }
        if (st != PS_OK)
            t.errors++;
        flipped_turned += flip && plan->turned;
        if (flip && ro.side != PS_SIDE_BACK && !plan->turned)
            for (size_t z = 0; z < plan->n; z++)
                if (plan->items[z].type == PS_REDACT_PAN && (plan->items[z].kept[0] || plan->items[z].spare)) {
                    flipped_kept++;
                    printf("  FLIPPED KEPT %s\n", stem);
                    break;
                }
        t.uncertain += plan->uncertain;
        t.unsafe += plan->unsafe;
        t.verify_unsafe += vs == PS_E_UNSAFE;
        int zones = 0, img_leaks = 0, img_last4 = -1, l4_shows = 0, l4_cells = 0;
        const char *why = "-";
        for (size_t z = 0; z < plan->n; z++)
            zones += plan->items[z].zone;
        t.zones += zones > 0;
        for (size_t s = 0; s < json_array_size(sens); s++) {
            json_t *it = json_array_get(sens, s);
            json_t *b = json_object_get(it, "box");
            const char *ty = json_string_value(json_object_get(it, "type"));
            const char *tx = json_string_value(json_object_get(it, "text"));
            if (json_array_size(b) != 4 || !ty)
                continue;
            ps_box bx = {(int)json_integer_value(json_array_get(b, 0)),
                         (int)json_integer_value(json_array_get(b, 1)),
                         (int)json_integer_value(json_array_get(b, 2)),
                         (int)json_integer_value(json_array_get(b, 3))};
            if (!strcmp(ty, "pan_last4")) {
                t.last4++;
                int cells, shows = box_leaks(dec->full, red, bx, &cells);
                img_last4 = cells > 0 && shows == cells;
                l4_shows = shows;
                l4_cells = cells;
                t.last4_kept += img_last4;
                if (!img_last4) {
                    int flat;
                    double masked;
                    last4_why(dec->full, red, bx, &flat, &masked);
                    /* over 5% of the box filled: a mask reaches into it */
                    int over = masked > 0.05;
                    why = over ? (flat > 0 ? "mask+flat" : "masked") : flat > 0 ? "flat" : "other";
                    t.last4_flat += flat > 0;
                    t.last4_masked += over;
                    t.last4_masked_sharp += over && flat == 0;
                    t.last4_other += !over && flat == 0;
                }
                for (size_t z = 0; z < plan->n; z++)
                    if (plan->items[z].kept[0] && tx && !strcmp(plan->items[z].kept, tx)) {
                        t.last4_text_ok++;
                        break;
                    }
                continue;
            }
            t.boxes++;
            int cells, l = box_leaks(dec->full, red, bx, &cells);
            if (l > 0) {
                turned_leaks += plan->turned;
                t.leaked_boxes++;
                t.leaked_cells += l;
                img_leaks++;
                if (st == PS_OK && vs == PS_OK && !plan->unsafe)
                    printf("  LEAK %s %s (%d cells)\n", stem, ty, l);
            }
        }
        printf("%-44s %-28s %-5s items %2zu zone %d uncertain %d unsafe %d verify %-8s "
               "leaks %d last4 %2d (%d/%d cells) %-9s plan %6.0f ms verify %5.0f ms ocr %d\n",
               stem, dt ? dt : "-", sd ? sd : "-", plan->n, zones > 0, plan->uncertain,
               plan->unsafe, ps_status_code(vs), img_leaks, img_last4, l4_shows, l4_cells, why, t1 - t0,
               t3 - t2, plan->ocr_calls);
        if (getenv("REDACT_LEAKS_ITEMS"))
            for (size_t z = 0; z < plan->n; z++)
                printf("    item %s zone %d partial %d spare %d kept %d box %d %d %d %d\n",
                       ps_redact_type_name(plan->items[z].type), plan->items[z].zone,
                       plan->items[z].partial, plan->items[z].spare, plan->items[z].kept[0] != 0,
                       plan->items[z].box.x, plan->items[z].box.y, plan->items[z].box.w,
                       plan->items[z].box.h);
        if (outdir) {
            uint8_t *jpg = NULL;
            size_t jl = 0;
            if (ps_encode_jpeg(red, 85, &jpg, &jl) == PS_OK) {
                snprintf(path, sizeof path, "%s/%s.redacted.jpg", outdir, stem);
                FILE *f = fopen(path, "wb");
                if (f) {
                    fwrite(jpg, 1, jl, f);
                    fclose(f);
                }
                free(jpg);
            }
        }
        ps_redact_plan_clear(plan);
        free(plan);
        ps_image_free(&red);
        ps_decoded_free(&dec);
        json_decref(lab);
    }
    printf("\nimages %d  sensitive boxes %d  leaked boxes %d (cells %d)\n", t.images, t.boxes,
           t.leaked_boxes, t.leaked_cells);
    printf("pan_last4 boxes %d  still readable %d  kept text exact %d\n", t.last4, t.last4_kept,
           t.last4_text_ok);
    printf("last4 not readable: original itself flat (fails the test untouched) %d; masked over %d "
           "(of them original textured %d); neither %d\n",
           t.last4_flat, t.last4_masked, t.last4_masked_sharp, t.last4_other);
    if (flip)
        printf("kept on flipped fronts %d (not turned back); turned back by the plan %d, "
               "leaked boxes on them %d\n", flipped_kept, flipped_turned, turned_leaks);
    printf("uncertain %d  zones used %d  plan unsafe %d  verify unsafe %d  errors %d\n",
           t.uncertain, t.zones, t.unsafe, t.verify_unsafe, t.errors);
    if (t.images)
        printf("mean ms per image: plan %.0f  apply %.1f  verify %.0f\n", t.plan_ms / t.images,
               t.apply_ms / t.images, t.verify_ms / t.images);
    if (t.cc_images)
        printf("credit cards: %d images, mean redaction time %.0f ms\n", t.cc_images,
               t.cc_ms / t.cc_images);
    for (size_t i = 0; i < nn; i++)
        free(names[i]);
    free(names);
    ps_ocr_free(&ocr);
    return 0;
}
