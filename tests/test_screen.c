#define _GNU_SOURCE 1
/* Pipeline suite: ps_screen() on real images from the checked-in generated
 * corpus, the report's JSON schema, PDF handling, fail-closed storage, and
 * the command line's exit codes and error JSON. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cv/shim.h"
#include "fixtures.h"
#include "prescreen/decode.h"
#include "prescreen/engine.h"
#include "prescreen/geom.h"
#include "prescreen/screen.h"
#include "testutil.h"

static ps_engine *engine;
static ps_ctx *ctx;

static void setup(void)
{
    char err[256];
    ck_assert_msg(ps_engine_open(NULL, &engine, err, sizeof err) == PS_OK, "%s", err);
    ck_assert_msg(ps_ctx_open(engine, &ctx, err, sizeof err) == PS_OK, "%s", err);
}

static void teardown(void)
{
    ps_ctx_close(&ctx);
    ps_engine_close(&engine);
}

static uint8_t *corpus_file(const char *name, size_t *len)
{
    char rel[256], *path;
    uint8_t *b;
    snprintf(rel, sizeof rel, "testdata/corpus/%s", name);
    path = ps_test_src_path(rel);
    b = ps_test_read_file(path, len);
    ck_assert_msg(b != NULL, "cannot read %s", path);
    free(path);
    return b;
}

static json_t *label(const char *name)
{
    char rel[256], *path;
    json_t *j;
    snprintf(rel, sizeof rel, "testdata/corpus/%s", name);
    path = ps_test_src_path(rel);
    j = json_load_file(path, 0, NULL);
    ck_assert_ptr_nonnull(j);
    free(path);
    return j;
}

/* A credit-card front upload of `n` bytes at `b`, a redacted copy wanted. */
static ps_upload card_front(const uint8_t *b, size_t n)
{
    ps_upload up = {0};
    up.bytes = b;
    up.len = n;
    up.kind = PS_KIND_CREDIT_CARD;
    up.side = PS_SIDE_FRONT;
    up.want_redacted = 1;
    return up;
}

START_TEST(exif_rotated_selfie_is_reported_upright_with_its_face)
{
    /* stored with EXIF orientation 8; the label is in upright pixels */
    size_t n;
    uint8_t *b = corpus_file("000008_selfie_no_card.jpg", &n);
    json_t *t = label("000008_selfie_no_card.truth.json");
    json_t *fb = json_array_get(json_object_get(t, "faces"), 0);
    ps_box truth = {(int)json_integer_value(json_array_get(fb, 0)),
                    (int)json_integer_value(json_array_get(fb, 1)),
                    (int)json_integer_value(json_array_get(fb, 2)),
                    (int)json_integer_value(json_array_get(fb, 3))};
    ps_upload up = {0};
    ps_screen_result res;
    double best = 0;
    up.bytes = b;
    up.len = n;
    up.kind = PS_KIND_SELFIE;
    ck_assert_int_eq(ps_screen(ctx, &up, &res), PS_OK);
    ck_assert_int_eq(res.report.image.exif_orientation, 8);
    ck_assert_int_eq(res.report.image.width,
                     (int)json_integer_value(json_object_get(json_object_get(t, "generator"), "width")));
    for (int i = 0; i < res.report.face.count; i++)
        if (ps_box_iou(res.report.face.faces[i].box, truth) > best)
            best = ps_box_iou(res.report.face.faces[i].box, truth);
    ck_assert_msg(best >= 0.5, "face IoU %.2f", best);
    ck_assert(!ps_report_has(&res.report, PS_FLAG_NO_FACE));
    ps_screen_result_clear(&res);
    json_decref(t);
    free(b);
}
END_TEST

START_TEST(report_json_follows_the_schema)
{
    size_t n;
    uint8_t *b = corpus_file("000000_selfie_clean.jpg", &n);
    ps_upload up = {0};
    ps_screen_result res;
    char *js = NULL;
    json_t *j, *checks, *flags;
    const char *required[] = {"schema", "kind", "side", "doc_type", "image", "checks", "fields",
                              "redactions", "flags", "verdict", "timings_ms"};
    up.bytes = b;
    up.len = n;
    up.kind = PS_KIND_SELFIE;
    ck_assert_int_eq(ps_screen(ctx, &up, &res), PS_OK);
    ck_assert_int_eq(ps_report_to_json(&res.report, 0, &js), PS_OK);
    j = json_loads(js, 0, NULL);
    ck_assert_ptr_nonnull(j);
    for (size_t i = 0; i < sizeof required / sizeof *required; i++)
        ck_assert_msg(json_object_get(j, required[i]) != NULL, "missing %s", required[i]);
    ck_assert_str_eq(json_string_value(json_object_get(j, "schema")), "prescreen.report/1");
    ck_assert_str_eq(json_string_value(json_object_get(j, "kind")), "selfie");
    checks = json_object_get(j, "checks");
    ck_assert(json_is_number(json_object_get(json_object_get(checks, "blur"), "score")));
    ck_assert(json_is_boolean(json_object_get(json_object_get(checks, "blur"), "pass")));
    ck_assert(json_is_integer(json_object_get(json_object_get(checks, "face"), "count")));
    ck_assert(json_is_number(json_object_get(json_object_get(checks, "exposure"), "mean")));
    flags = json_object_get(j, "flags");
    ck_assert(json_is_array(flags));
    for (size_t i = 0; i < json_array_size(flags); i++)
        ck_assert_int_ge(ps_flag_from_name(json_string_value(json_array_get(flags, i))), 0);
    ck_assert(json_is_number(json_object_get(json_object_get(j, "timings_ms"), "total")));
    ck_assert(json_is_number(json_object_get(json_object_get(j, "timings_ms"), "decode")));
    {
        const char *v = json_string_value(json_object_get(j, "verdict"));
        ck_assert(strcmp(v, "clear") == 0 || strcmp(v, "review") == 0 ||
                  strcmp(v, "reject_suggested") == 0);
        ck_assert_int_eq(strcmp(v, "clear") == 0, json_array_size(flags) == 0);
    }
    json_decref(j);
    free(js);
    ps_screen_result_clear(&res);
    free(b);
}
END_TEST

START_TEST(pdf_is_digital_for_address_proof_and_an_error_elsewhere)
{
    size_t n;
    uint8_t *b = corpus_file("000006_address_proof_pdf.pdf", &n);
    ps_upload up = {0};
    ps_screen_result res;
    up.bytes = b;
    up.len = n;
    up.kind = PS_KIND_ADDRESS_PROOF;
    up.want_redacted = 1;
    ck_assert_int_eq(ps_screen(ctx, &up, &res), PS_OK);
    ck_assert(ps_report_has(&res.report, PS_FLAG_DIGITAL_DOCUMENT));
    ck_assert_int_eq(res.report.verdict, PS_VERDICT_REJECT_SUGGESTED);
    ck_assert_int_eq(res.report.image.format, PS_FMT_PDF);
    /* its page is read: the type and the holder's address (a 住民票) ... */
    ck_assert_str_eq(res.report.doc_type, "certificate_of_residence");
    ck_assert(res.report.fields[PS_FIELD_ADDRESS].present);
    ck_assert_str_eq(res.report.fields[PS_FIELD_ADDRESS].text, "東京都杉並区阿佐谷南4丁目2番6号");
    /* ... but no image of it is kept, masked or not */
    ck_assert_ptr_null(res.redacted_jpeg);
    ck_assert(!res.quarantined);
    ps_screen_result_clear(&res);
    up.kind = PS_KIND_SELFIE;
    up.want_redacted = 0;
    ck_assert_int_eq(ps_screen(ctx, &up, &res), PS_E_PDF);
    ck_assert_ptr_nonnull(strstr(res.error, "PDF"));
    ps_screen_result_clear(&res);
    free(b);
}
END_TEST

START_TEST(redacted_copy_fails_closed)
{
    size_t n;
    uint8_t *b = corpus_file("000000_credit_card_clean.jpg", &n);
    ps_upload up = {0};
    ps_screen_result res;
    up.bytes = b;
    up.len = n;
    up.kind = PS_KIND_CREDIT_CARD;
    up.want_redacted = 1;
    ck_assert_int_eq(ps_screen(ctx, &up, &res), PS_OK);
    /* a card is never written unless its numbers were found and masked */
    if (res.redacted_jpeg == NULL) {
        ck_assert_int_eq(res.quarantined, 1);
        ck_assert(ps_report_has(&res.report, PS_FLAG_REDACTION_UNCERTAIN));
    } else {
        ck_assert_int_gt(res.report.n_redactions, 0);
    }
    ps_screen_result_clear(&res);
    free(b);
    /* a selfie is stored, re-encoded: no EXIF survives */
    b = corpus_file("000008_selfie_no_card.jpg", &n);
    up.bytes = b;
    up.len = n;
    up.kind = PS_KIND_SELFIE;
    ck_assert_int_eq(ps_screen(ctx, &up, &res), PS_OK);
    ck_assert_ptr_nonnull(res.redacted_jpeg);
    ck_assert_ptr_nonnull(memmem(b, n, "Exif", 4));
    ck_assert_ptr_null(memmem(res.redacted_jpeg, res.redacted_len, "Exif", 4));
    {
        ps_decoded *d = NULL;
        ck_assert_int_eq(ps_decode(res.redacted_jpeg, res.redacted_len, NULL, &d, NULL, 0), PS_OK);
        ck_assert_int_eq(d->width, res.report.image.width); /* upright pixels, full size */
        ck_assert_int_eq(d->exif_orientation, 1);
        ps_decoded_free(&d);
    }
    ps_screen_result_clear(&res);
    free(b);
}
END_TEST

/* testdata/redact/000030, a clean card front: its full-size pixels (the
 * caller frees them) and its label (*lab, the caller's). */
static ps_decoded *card30(json_t **lab)
{
    size_t n;
    char *path = ps_test_src_path("testdata/redact/000030_credit_card_clean.jpg");
    char *lpath = ps_test_src_path("testdata/redact/000030_credit_card_clean.truth.json");
    uint8_t *b = ps_test_read_file(path, &n);
    ps_decoded *d = NULL;
    ps_decode_opts o;
    ck_assert_ptr_nonnull(b);
    *lab = json_load_file(lpath, 0, NULL);
    ck_assert_ptr_nonnull(*lab);
    ps_decode_opts_default(&o);
    o.want_full = 1;
    ck_assert_int_eq(ps_decode(b, n, &o, &d, NULL, 0), PS_OK);
    free(b);
    free(lpath);
    free(path);
    return d;
}

/* A card photographed upside down: the read stage finds the half turn, and
 * redaction places its number line and zones in the card's own reading
 * order, so the number is read, masked and its last 4 kept. */
START_TEST(upside_down_card_is_read_and_masked)
{
    size_t jn;
    json_t *lab = NULL;
    ps_decoded *d = card30(&lab);
    ps_image *rot = NULL;
    ps_screen_result res;
    const char *last4 = NULL;
    for (size_t i = 0; i < json_array_size(json_object_get(lab, "sensitive")); i++) {
        json_t *it = json_array_get(json_object_get(lab, "sensitive"), i);
        if (!strcmp(json_string_value(json_object_get(it, "type")), "pan_last4"))
            last4 = json_string_value(json_object_get(it, "text"));
    }
    ck_assert_ptr_nonnull(last4);
    ck_assert_int_eq(ps_image_orient(d->full, 3, &rot), PS_OK); /* a half turn */
    uint8_t *j = fx_jpeg(rot, 92, 0, 0, 0, &jn);
    ps_upload up = card_front(j, jn);
    ck_assert_int_eq(ps_screen(ctx, &up, &res), PS_OK);
    ck_assert_ptr_nonnull(res.redacted_jpeg);
    ck_assert_msg(res.report.fields[PS_FIELD_NAME].present &&
                      !strcmp(res.report.fields[PS_FIELD_NAME].text,
                              json_string_value(json_object_get(json_object_get(lab, "fields"), "name"))),
                  "name not read upside down");
    int kept = 0;
    for (int i = 0; i < res.report.n_redactions; i++)
        kept |= !strcmp(res.report.redactions[i].kept, last4);
    ck_assert_msg(kept, "the last 4 were not kept");
    ck_assert(!ps_report_has(&res.report, PS_FLAG_REDACTION_UNCERTAIN));
    ps_screen_result_clear(&res);
    free(j);
    ps_image_free(&rot);
    ps_decoded_free(&d);
    json_decref(lab);
}
END_TEST

/* A card scanned to its edges (the labelled card cut out of a photo and
 * stretched to the frame): there is no outline to find, so the frame is
 * the card; it is neither missing nor cut off, and its number is masked
 * and the copy stored. A 4:3 frame of the same pixels is not taken whole. */
START_TEST(card_scanned_to_its_edges_is_the_whole_frame)
{
    json_t *lab = NULL;
    ps_decoded *d = card30(&lab);
    ps_point q[4];
    for (int i = 0; i < 4; i++) {
        json_t *pt = json_array_get(json_object_get(lab, "document_quad"), (size_t)i);
        q[i] = (ps_point){json_number_value(json_array_get(pt, 0)), json_number_value(json_array_get(pt, 1))};
    }
    for (int run = 0; run < 2; run++) {
        int w = 1011, h = run == 0 ? 638 : 758; /* ID-1, then 4:3 */
        ps_point c[4] = {{0, 0}, {w, 0}, {w, h}, {0, h}};
        ps_homography H;
        ck_assert(ps_homography_between(c, q, &H));
        ps_image *scan = NULL;
        ck_assert_int_eq(ps_cv_warp_back(d->full, H.h, w, h, &scan), PS_OK);
        size_t jn;
        uint8_t *j = fx_jpeg(scan, 92, 0, 0, 0, &jn);
        ps_upload up = card_front(j, jn);
        ps_screen_result res;
        ck_assert_int_eq(ps_screen(ctx, &up, &res), PS_OK);
        ck_assert_int_eq(res.report.document.whole_frame, run == 0);
        if (run == 0) {
            ck_assert(res.report.document.found && res.report.document.in_frame);
            ck_assert(!ps_report_has(&res.report, PS_FLAG_NO_DOCUMENT));
            ck_assert(!ps_report_has(&res.report, PS_FLAG_DOCUMENT_CUT_OFF));
            ck_assert_ptr_nonnull(res.redacted_jpeg);
            ck_assert_int_gt(res.report.n_redactions, 0);
        }
        ps_screen_result_clear(&res);
        free(j);
        ps_image_free(&scan);
    }
    ps_decoded_free(&d);
    json_decref(lab);
}
END_TEST

/* Screens `img`, encoded as a JPEG, as an upload of `kind` into *res (the
 * caller clears it). */
static void screen_image(const ps_image *img, ps_kind kind, ps_screen_result *res)
{
    size_t n;
    uint8_t *j = fx_jpeg(img, 92, 0, 0, 0, &n);
    ps_upload up = {0};
    up.bytes = j;
    up.len = n;
    up.kind = kind;
    ck_assert_int_eq(ps_screen(ctx, &up, res), PS_OK);
    free(j);
}

/* Screens `img` as a selfie; returns the report's blur verdict and copies
 * where it was judged into where[16]. */
static int selfie_blurry(const ps_image *img, char where[16], double *threshold)
{
    ps_screen_result res;
    int blurry;
    screen_image(img, PS_KIND_SELFIE, &res);
    ck_assert(res.report.blur.done);
    blurry = ps_report_has(&res.report, PS_FLAG_BLURRY);
    memcpy(where, res.report.blur.where, 16);
    *threshold = res.report.blur.threshold;
    ps_screen_result_clear(&res);
    return blurry;
}

START_TEST(selfie_without_card_is_judged_sharp_on_the_face)
{
    /* the person's face, close up, with no card: focus is judged on the
     * face, not on a background a phone may have thrown out of focus */
    size_t n;
    uint8_t *b = corpus_file("000008_selfie_no_card.jpg", &n);
    json_t *t = label("000008_selfie_no_card.truth.json");
    json_t *fb = json_array_get(json_object_get(t, "faces"), 0);
    ps_decoded *d = NULL;
    ps_image *crop = NULL, *small = NULL, *soft = NULL;
    char where[16];
    double thr = 0;
    ck_assert_int_eq(ps_decode(b, n, NULL, &d, NULL, 0), PS_OK);
    {
        double s = d->work_scale;
        int fx = (int)(json_integer_value(json_array_get(fb, 0)) * s),
            fy = (int)(json_integer_value(json_array_get(fb, 1)) * s),
            fw = (int)(json_integer_value(json_array_get(fb, 2)) * s),
            fh = (int)(json_integer_value(json_array_get(fb, 3)) * s);
        /* the face and half its size around it: no room for a card */
        ps_box c = ps_box_clip((ps_box){fx - fw / 2, fy - fh / 2, 2 * fw, 2 * fh}, d->work->width,
                               d->work->height);
        ck_assert_int_eq(ps_image_new(c.w, c.h, 3, 0, &crop), PS_OK);
        for (int y = 0; y < c.h; y++)
            memcpy(ps_image_row(crop, y), ps_image_row(d->work, c.y + y) + 3 * c.x, 3 * (size_t)c.w);
    }
    ck_assert(!selfie_blurry(crop, where, &thr));
    ck_assert_str_eq(where, "face");
    ck_assert(thr < 8.0); /* the face threshold, not the document's */
    /* the same face defocused: an eighth of the size and back */
    ck_assert_int_eq(ps_cv_resize(crop, crop->width / 8, crop->height / 8, &small), PS_OK);
    ck_assert_int_eq(ps_cv_resize(small, crop->width, crop->height, &soft), PS_OK);
    ck_assert(selfie_blurry(soft, where, &thr));
    ck_assert_str_eq(where, "face");
    ps_image_free(&soft);
    ps_image_free(&small);
    ps_image_free(&crop);
    ps_decoded_free(&d);
    json_decref(t);
    free(b);
}
END_TEST

START_TEST(dark_and_blurred_uploads_are_flagged)
{
    ps_image *img = fx_corners(800, 600, 100);
    size_t n;
    uint8_t *j;
    ps_upload up = {0};
    ps_screen_result res;
    /* a uniformly dark frame */
    for (size_t i = 0; i < img->stride * (size_t)img->height; i++)
        img->data[i] /= 12;
    j = fx_jpeg(img, 90, 0, 0, 0, &n);
    up.bytes = j;
    up.len = n;
    up.kind = PS_KIND_OTHER;
    ck_assert_int_eq(ps_screen(ctx, &up, &res), PS_OK);
    ck_assert(ps_report_has(&res.report, PS_FLAG_TOO_DARK));
    ck_assert(ps_report_has(&res.report, PS_FLAG_BLURRY)); /* flat: nothing in focus */
    ck_assert_int_ne(res.report.verdict, PS_VERDICT_CLEAR);
    ps_screen_result_clear(&res);
    free(j);
    ps_image_free(&img);
}
END_TEST

/* Screens `img` as `kind` and says whether it came out overexposed; the
 * region judged is copied to `region`. */
static int overexposed(const ps_image *img, ps_kind kind, char *region, size_t cap)
{
    ps_screen_result res;
    int hit;
    screen_image(img, kind, &res);
    ck_assert(res.report.exposure.done);
    hit = ps_report_has(&res.report, PS_FLAG_OVEREXPOSED);
    snprintf(region, cap, "%s", res.report.exposure.region);
    ps_screen_result_clear(&res);
    return hit;
}

START_TEST(white_page_is_not_overexposed_until_its_highlights_clip)
{
    /* a printed page over most of a grey table, lit from one side: its
     * paper runs from 255 down to 236, so half the frame sits at the clip.
     * Its highlights are intact (the falloff shows), so no flag; the same
     * page with the exposure pushed 1.4x is burnt out */
    const int W = 800, H = 600;
    ps_image *img = NULL;
    char region[16];
    ck_assert_int_eq(ps_image_new(W, H, 3, 0, &img), PS_OK);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            uint8_t *p = ps_image_row(img, y) + 3 * x;
            int v = 110; /* the table */
            if (x >= 60 && x < W - 60 && y >= 30 && y < H - 30) {
                int px = x - 60;
                v = px < 340 ? 255 : 255 - (px - 340) * 19 / 340; /* light falls off */
                if ((y - 30) % 40 >= 20 && (y - 30) % 40 < 26 && px % 60 < 48 && px > 30)
                    v = 40; /* lines of print */
            }
            p[0] = p[1] = p[2] = (uint8_t)v;
        }
    ck_assert(!overexposed(img, PS_KIND_OTHER, region, sizeof region));
    ck_assert_str_eq(region, "frame");
    for (size_t i = 0; i < img->stride * (size_t)img->height; i++) {
        int v = img->data[i] * 14 / 10;
        img->data[i] = (uint8_t)(v > 255 ? 255 : v);
    }
    ck_assert(overexposed(img, PS_KIND_OTHER, region, sizeof region));
    ps_image_free(&img);
}
END_TEST

START_TEST(photo_id_is_judged_overexposed_on_its_card)
{
    /* a generated photo ID as shot, then with the exposure pushed until
     * the card's pale print and the paper's falloff clip together */
    size_t n;
    uint8_t *b = corpus_file("000000_photo_id_clean.jpg", &n);
    ps_decoded *d = NULL;
    char region[16];
    ck_assert_int_eq(ps_decode(b, n, NULL, &d, NULL, 0), PS_OK);
    ck_assert(!overexposed(d->work, PS_KIND_PHOTO_ID, region, sizeof region));
    ck_assert_str_eq(region, "document");
    for (int y = 0; y < d->work->height; y++) {
        uint8_t *p = ps_image_row(d->work, y);
        for (int x = 0; x < 3 * d->work->width; x++) {
            int v = p[x] * 17 / 10;
            p[x] = (uint8_t)(v > 255 ? 255 : v);
        }
    }
    ck_assert(overexposed(d->work, PS_KIND_PHOTO_ID, region, sizeof region));
    ck_assert_str_eq(region, "document");
    ps_decoded_free(&d);
    free(b);
}
END_TEST

START_TEST(table_outline_reads_the_certification_date_below)
{
    /* a 住民票 whose outline the finder takes for its ruled table (its
     * page edge is faint on a white table): the certification statement
     * and its date lie under the table, outside the crop, and are read */
    char *path = ps_test_src_path("testdata/read/g7_000290_address_proof_clean.jpg");
    char *lpath = ps_test_src_path("testdata/read/g7_000290_address_proof_clean.truth.json");
    size_t n;
    uint8_t *b = ps_test_read_file(path, &n);
    json_t *t = json_load_file(lpath, 0, NULL);
    ps_upload up = {0};
    ps_screen_result res;
    ck_assert_ptr_nonnull(b);
    ck_assert_ptr_nonnull(t);
    up.bytes = b;
    up.len = n;
    up.kind = PS_KIND_ADDRESS_PROOF;
    snprintf(up.now, sizeof up.now, "%s", json_string_value(json_object_get(t, "now")));
    ck_assert_int_eq(ps_screen(ctx, &up, &res), PS_OK);
    ck_assert_str_eq(res.report.doc_type, "certificate_of_residence");
    ck_assert(res.report.fields[PS_FIELD_ISSUE_DATE].present);
    ck_assert_str_eq(res.report.fields[PS_FIELD_ISSUE_DATE].iso,
                     json_string_value(json_object_get(json_object_get(t, "fields"), "issue_date")));
    /* the outline found is the table: the date's box lies below it */
    {
        double bottom = 0;
        for (int k = 0; k < 4; k++)
            bottom = fmax(bottom, res.report.document.quad[k].y);
        ck_assert_int_gt(res.report.fields[PS_FIELD_ISSUE_DATE].box.y, (int)bottom - 40);
    }
    ps_screen_result_clear(&res);
    json_decref(t);
    free(b);
    free(lpath);
    free(path);
}
END_TEST

/* Screens testdata/read/`name` as `kind` (and `side`) on the seed-7
 * corpus's upload date, a redacted copy wanted or not, into *res. */
static void screen_read_testdata(const char *name, ps_kind kind, ps_side side, int want_redacted,
                                 ps_screen_result *res)
{
    char rel[160];
    snprintf(rel, sizeof rel, "testdata/read/%s", name);
    char *path = ps_test_src_path(rel);
    size_t n;
    uint8_t *b = ps_test_read_file(path, &n);
    ps_upload up = {0};
    ck_assert_ptr_nonnull(b);
    up.bytes = b;
    up.len = n;
    up.kind = kind;
    up.side = side;
    up.want_redacted = want_redacted;
    snprintf(up.now, sizeof up.now, "2025-06-15");
    ck_assert_int_eq(ps_screen(ctx, &up, res), PS_OK);
    free(b);
    free(path);
}

START_TEST(edgeless_page_named_by_its_title_is_no_missing_document)
{
    /* a notification card on a blown-out white ground: no edge for the
     * finder, but the frame read as a page names the document by its
     * title; the ID was photographed, so `no_document` does not stand */
    ps_screen_result res;
    screen_read_testdata("g7_000219_photo_id_bright_045.jpg", PS_KIND_PHOTO_ID, PS_SIDE_NONE, 0, &res);
    ck_assert_int_eq(res.report.document.found, 0);
    ck_assert_str_eq(res.report.doc_type, "my_number_notification_card");
    ck_assert(!ps_report_has(&res.report, PS_FLAG_NO_DOCUMENT));
    ck_assert(ps_report_has(&res.report, PS_FLAG_DOCUMENT_TYPE_NOT_ACCEPTED));
    ps_screen_result_clear(&res);
}
END_TEST

START_TEST(portrait_backdrop_is_no_glare)
{
    /* the pale backdrop round the printed portrait's head is print, not a
     * reflection (testdata/read/README.md) */
    ps_screen_result res;
    int on_card = 0;
    screen_read_testdata("g7_000526_photo_id_name_mismatch_0435.jpg", PS_KIND_PHOTO_ID, PS_SIDE_NONE, 0, &res);
    for (int i = 0; i < res.report.face.count; i++)
        on_card |= res.report.face.faces[i].on_document;
    ck_assert_int_eq(on_card, 1);
    ck_assert_int_eq(res.report.glare.done, 1);
    ck_assert_msg(!ps_report_has(&res.report, PS_FLAG_GLARE_ON_DOCUMENT), "glare %.3f",
                  res.report.glare.fraction);
    ps_screen_result_clear(&res);
}
END_TEST

START_TEST(last_stage_stops_the_pipeline)
{
    /* ps_upload.last_stage: the stages up to "document" run, none after */
    char *path = ps_test_src_path("testdata/read/g7_000526_photo_id_name_mismatch_0435.jpg");
    size_t n;
    uint8_t *b = ps_test_read_file(path, &n);
    ps_upload up = {0};
    ps_screen_result res;
    ck_assert_ptr_nonnull(b);
    up.bytes = b;
    up.len = n;
    up.kind = PS_KIND_PHOTO_ID;
    up.last_stage = "document";
    ck_assert_int_eq(ps_screen(ctx, &up, &res), PS_OK);
    ck_assert_int_eq(res.report.document.done, 1);
    ck_assert_int_eq(res.report.document.found, 1);
    ck_assert_int_eq(res.report.glare.done, 0);
    ck_assert_int_gt(res.report.n_timings, 0);
    ck_assert_str_eq(res.report.timings[res.report.n_timings - 1].stage, "document");
    ck_assert_str_eq(res.report.doc_type, "");
    ps_screen_result_clear(&res);
    free(b);
    free(path);
}
END_TEST

START_TEST(certificate_without_numbers_is_stored)
{
    /* a 住民票 that prints neither 住民票コード nor 個人番号 (most do not):
     * its lines, read one by one, name its rows down to the certification
     * statement under the table and hold no number, so the page is safe
     * to store as it is; before, every such page was quarantined */
    ps_screen_result res;
    screen_read_testdata("g7_000542_address_proof_clean_060.jpg", PS_KIND_ADDRESS_PROOF, PS_SIDE_NONE, 1,
                         &res);
    ck_assert_str_eq(res.report.doc_type, "certificate_of_residence");
    ck_assert_int_eq(res.quarantined, 0);
    ck_assert_ptr_nonnull(res.redacted_jpeg);
    ck_assert(!ps_report_has(&res.report, PS_FLAG_REDACTION_UNCERTAIN));
    ps_screen_result_clear(&res);
}
END_TEST

START_TEST(card_back_outline_without_stripe_is_quarantined)
{
    /* a card back cut by the frame, a ruled sheet behind it: the outline
     * finder takes the sheet (confident, an eighth of the frame), and the
     * CVV's template zones would lie on it while the printed CVV stayed
     * bare. The sheet shows no magnetic stripe, so the zones are not
     * trusted and the image is not written. */
    ps_screen_result res;
    screen_read_testdata("g7_000220_credit_card_cut_060.jpg", PS_KIND_CREDIT_CARD, PS_SIDE_BACK, 1,
                         &res);
    ck_assert_int_eq(res.report.document.found, 1);
    ck_assert_int_eq(res.quarantined, 1);
    ck_assert_ptr_null(res.redacted_jpeg);
    ck_assert(ps_report_has(&res.report, PS_FLAG_REDACTION_UNCERTAIN));
    ps_screen_result_clear(&res);
}
END_TEST

START_TEST(cut_my_number_back_is_quarantined)
{
    /* a My Number card's back cut by the frame through its QR code: the
     * outline's hidden part is a guess, and the code's zone placed on it
     * left the strip of the code the photo shows at its edge bare. Nothing
     * proves a mask covers it, so the image is not written. */
    ps_screen_result res;
    screen_read_testdata("g7_000743_photo_id_cut.jpg", PS_KIND_PHOTO_ID, PS_SIDE_BACK, 1, &res);
    ck_assert_str_eq(res.report.doc_type, "my_number_card");
    ck_assert(ps_report_has(&res.report, PS_FLAG_DOCUMENT_CUT_OFF));
    ck_assert_int_eq(res.quarantined, 1);
    ck_assert_ptr_null(res.redacted_jpeg);
    ck_assert(ps_report_has(&res.report, PS_FLAG_REDACTION_UNCERTAIN));
    ps_screen_result_clear(&res);
}
END_TEST

START_TEST(card_number_beside_the_outline_is_quarantined)
{
    /* a card front cut by the frame beside a white sheet: the outline
     * found is the sheet's, the zones go on it, and the card's number (12
     * digits in the photo) was stored bare. A reading of the masked photo
     * finds its groups, so the image is not written. */
    ps_screen_result res;
    screen_read_testdata("g41_000040_credit_card_cut.jpg", PS_KIND_CREDIT_CARD, PS_SIDE_FRONT, 1, &res);
    ck_assert_int_eq(res.quarantined, 1);
    ck_assert_ptr_null(res.redacted_jpeg);
    ck_assert(ps_report_has(&res.report, PS_FLAG_REDACTION_UNCERTAIN));
    ps_screen_result_clear(&res);
    /* the same with a dark card's light digits beside a ruled sheet: the
     * masks' black fill and the grey ground hid them from the photo's one
     * threshold; read again for light print under local thresholds */
    screen_read_testdata("g77_000021_credit_card_cut.jpg", PS_KIND_CREDIT_CARD, PS_SIDE_FRONT, 1, &res);
    ck_assert_int_eq(res.quarantined, 1);
    ck_assert_ptr_null(res.redacted_jpeg);
    ps_screen_result_clear(&res);
}
END_TEST

/* 1 when a redaction of `type` in the report covers the point (x, y). */
static int masked_at(const ps_report *r, const char *type, int x, int y)
{
    for (int i = 0; i < r->n_redactions; i++) {
        const ps_box *b = &r->redactions[i].box;
        if (strcmp(r->redactions[i].type, type) == 0 && x >= b->x && x < b->x + b->w && y >= b->y &&
            y < b->y + b->h)
            return 1;
    }
    return 0;
}

START_TEST(card_front_handed_in_as_back_is_masked)
{
    /* an Amex front uploaded as a back (the customer's slip): no magnetic
     * stripe on it, so it is planned as either side and its number and
     * CID are masked. Before, only a back's CVV zone was planned and the
     * number was stored bare. Boxes: the label's, in this image. */
    ps_screen_result res;
    screen_read_testdata("g21_000010_credit_card_clean_060.jpg", PS_KIND_CREDIT_CARD, PS_SIDE_BACK, 1,
                         &res);
    if (!res.quarantined) {
        ck_assert_ptr_nonnull(res.redacted_jpeg);
        ck_assert(masked_at(&res.report, "pan", 316 + 505 / 2, 488 + 46 / 2)); /* the number */
        ck_assert(masked_at(&res.report, "cvv", 942 + 48 / 2, 419 + 21 / 2));  /* the CID */
    }
    ps_screen_result_clear(&res);
}
END_TEST

START_TEST(truncated_upload_is_rejected_with_a_message)
{
    size_t n;
    uint8_t *b = corpus_file("000000_selfie_clean.jpg", &n);
    ps_upload up = {0};
    ps_screen_result res;
    up.bytes = b;
    up.len = n / 3;
    up.kind = PS_KIND_SELFIE;
    ck_assert_int_eq(ps_screen(ctx, &up, &res), PS_E_TRUNCATED);
    ck_assert(ps_status_is_input_error(PS_E_TRUNCATED));
    ck_assert_int_gt((int)strlen(res.error), 10);
    ps_screen_result_clear(&res);
    free(b);
}
END_TEST

/* The job's deadline is checked before every stage: one already past stops
 * the pipeline with PS_E_DEADLINE and nothing (no redacted copy) comes out;
 * one an hour away changes nothing. */
START_TEST(deadline_stops_between_stages)
{
    size_t n;
    uint8_t *b = corpus_file("000000_credit_card_clean.jpg", &n);
    ps_upload up = card_front(b, n);
    ps_screen_result res;
    up.deadline_ms = ps_screen_clock_ms() - 1;
    ck_assert_int_eq(ps_screen(ctx, &up, &res), PS_E_DEADLINE);
    ck_assert_ptr_null(res.redacted_jpeg);
    ck_assert_ptr_nonnull(strstr(res.error, "time budget"));
    ck_assert_int_eq(res.report.n_timings, 0); /* not even the decode ran */
    ps_screen_result_clear(&res);

    up.deadline_ms = ps_screen_clock_ms() + 3600 * 1000;
    ck_assert_int_eq(ps_screen(ctx, &up, &res), PS_OK);
    ck_assert_ptr_nonnull(res.redacted_jpeg);
    ps_screen_result_clear(&res);
    free(b);
}
END_TEST

/* The per-job memory ceiling: limits narrowed by ps_screen_limits_for_memory
 * refuse an image from its header when the pipeline's estimated peak
 * (PS_SCREEN_BYTES_PER_PIXEL per pixel) exceeds the ceiling's share, and
 * leave a smaller one alone. */
START_TEST(memory_ceiling_refuses_from_the_header)
{
    ps_image *img = fx_corners(640, 480, 40);
    ps_decode_opts o;
    ps_decoded *d = NULL;
    uint8_t *jpg = NULL;
    size_t n = 0;
    char msg[200];
    ck_assert_int_eq(ps_encode_jpeg(img, 80, &jpg, &n), PS_OK);
    ps_decode_opts_default(&o);
    ck_assert_int_eq(ps_screen_limits_for_memory(&o.limits, PS_SCREEN_BASE_MB), PS_E_ARG);
    ck_assert_int_eq(ps_screen_limits_for_memory(NULL, 1024), PS_E_ARG);
    /* 1 MiB for pixels: 640 x 480 x 12 bytes is 3.5 MiB */
    ck_assert_int_eq(ps_screen_limits_for_memory(&o.limits, PS_SCREEN_BASE_MB + 1), PS_OK);
    ck_assert_int_eq(o.limits.max_memory, 1u << 20);
    ck_assert_int_eq(o.limits.bytes_per_pixel, PS_SCREEN_BYTES_PER_PIXEL);
    ck_assert_int_eq(ps_decode(jpg, n, &o, &d, msg, sizeof msg), PS_E_MEMORY_LIMIT);
    ck_assert_ptr_null(d);
    /* 64 MiB for pixels: it fits */
    ps_decode_opts_default(&o);
    ck_assert_int_eq(ps_screen_limits_for_memory(&o.limits, PS_SCREEN_BASE_MB + 64), PS_OK);
    ck_assert_int_eq(ps_decode(jpg, n, &o, &d, msg, sizeof msg), PS_OK);
    ps_decoded_free(&d);
    /* the default ceiling (1 GiB) refuses nothing the decoder's defaults accept */
    ps_decode_opts_default(&o);
    ck_assert_int_eq(ps_screen_limits_for_memory(&o.limits, 1024), PS_OK);
    ck_assert_uint_ge(o.limits.max_memory,
                      o.limits.max_pixels * (uint64_t)PS_SCREEN_BYTES_PER_PIXEL);
    free(jpg);
    ps_image_free(&img);
}
END_TEST

/* Runs build/prescreen with args; returns the exit code and stdout. */
static int run_cli(char *const argv[], char *out, size_t cap)
{
    int pfd[2], st = 0;
    pid_t pid;
    size_t n = 0;
    ssize_t r;
    ck_assert_int_eq(pipe(pfd), 0);
    pid = fork();
    if (pid == 0) {
        dup2(pfd[1], 1);
        close(pfd[0]);
        if (freopen("/dev/null", "w", stderr) == NULL)
            _exit(127);
        execv(argv[0], argv);
        _exit(127);
    }
    close(pfd[1]);
    while (n + 1 < cap && (r = read(pfd[0], out + n, cap - 1 - n)) > 0)
        n += (size_t)r;
    out[n] = '\0';
    close(pfd[0]);
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

START_TEST(cli_exit_codes_and_error_json)
{
    char bin[1024], img[1024], cut[] = "/tmp/ps_test_cut_XXXXXX", out[1 << 16];
    const char *bd = getenv("PS_BUILD_DIR");
    char *src = ps_test_src_path("testdata/corpus/000000_selfie_clean.jpg");
    size_t n;
    uint8_t *b = ps_test_read_file(src, &n);
    int fd = mkstemp(cut);
    json_t *j;
    ck_assert_ptr_nonnull(bd);
    snprintf(bin, sizeof bin, "%s/prescreen", bd);
    snprintf(img, sizeof img, "%s", src);
    ck_assert_int_eq((int)write(fd, b, n / 2), (int)(n / 2));
    close(fd);
    {
        char *a[] = {bin, "check", "--kind", "selfie", img, NULL};
        ck_assert_int_eq(run_cli(a, out, sizeof out), 0);
        j = json_loads(out, 0, NULL);
        ck_assert_ptr_nonnull(j);
        json_decref(j);
    }
    {
        char *a[] = {bin, "check", "--kind", "selfie", cut, NULL};
        ck_assert_int_eq(run_cli(a, out, sizeof out), 3);
        j = json_loads(out, 0, NULL);
        ck_assert_ptr_nonnull(j);
        ck_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "error"), "code")),
                         "truncated");
        json_decref(j);
    }
    {
        char *a[] = {bin, "check", "--kind", "passport_photo", img, NULL};
        ck_assert_int_eq(run_cli(a, out, sizeof out), 2);
    }
    {
        char *a[] = {bin, "check", "--kind", "selfie", "/nonexistent/x.jpg", NULL};
        ck_assert_int_eq(run_cli(a, out, sizeof out), 1);
        ck_assert_ptr_nonnull(strstr(out, "io_error"));
    }
    unlink(cut);
    free(b);
    free(src);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("screen");
    TCase *tc = tcase_create("screen");
    tcase_set_timeout(tc, 300);
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_add_test(tc, exif_rotated_selfie_is_reported_upright_with_its_face);
    tcase_add_test(tc, report_json_follows_the_schema);
    tcase_add_test(tc, card_scanned_to_its_edges_is_the_whole_frame);
    tcase_add_test(tc, pdf_is_digital_for_address_proof_and_an_error_elsewhere);
    tcase_add_test(tc, redacted_copy_fails_closed);
    tcase_add_test(tc, upside_down_card_is_read_and_masked);
    tcase_add_test(tc, dark_and_blurred_uploads_are_flagged);
    tcase_add_test(tc, white_page_is_not_overexposed_until_its_highlights_clip);
    tcase_add_test(tc, photo_id_is_judged_overexposed_on_its_card);
    tcase_add_test(tc, table_outline_reads_the_certification_date_below);
    tcase_add_test(tc, edgeless_page_named_by_its_title_is_no_missing_document);
    tcase_add_test(tc, portrait_backdrop_is_no_glare);
    tcase_add_test(tc, last_stage_stops_the_pipeline);
    tcase_add_test(tc, certificate_without_numbers_is_stored);
    tcase_add_test(tc, selfie_without_card_is_judged_sharp_on_the_face);
    tcase_add_test(tc, card_back_outline_without_stripe_is_quarantined);
    tcase_add_test(tc, cut_my_number_back_is_quarantined);
    tcase_add_test(tc, card_number_beside_the_outline_is_quarantined);
    tcase_add_test(tc, card_front_handed_in_as_back_is_masked);
    tcase_add_test(tc, truncated_upload_is_rejected_with_a_message);
    tcase_add_test(tc, cli_exit_codes_and_error_json);
    tcase_add_test(tc, deadline_stops_between_stages);
    tcase_add_test(tc, memory_ceiling_refuses_from_the_header);
    suite_add_tcase(s, tc);
    return ps_test_run(s);
}
