/* Tests for prescreen-gen: check digits, era dates, label exactness (sensitive
 * boxes hold all of their ink, quads sit on the document edges), label
 * vocabulary, determinism and the EXIF orientation round trip.
 *
 * Label texts may hold fake card numbers and My Numbers; nothing here prints
 * them. Drawn-back images go to $GEN_TEST_OUT for people to look at. */
#include "gen.h"
#include "gen_scene.h"

#include <check.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static gen_faces g_faces;

static const char *out_dir(void)
{
    const char *d = getenv("GEN_TEST_OUT");
    if (!d || !*d)
        d = "gen_test_out";
    mkdir(d, 0777);
    return d;
}

static double lum_at(cairo_surface_t *s, int x, int y)
{
    int W = cairo_image_surface_get_width(s), H = cairo_image_surface_get_height(s);
    if (x < 0 || y < 0 || x >= W || y >= H)
        return -1;
    uint32_t p = ((uint32_t *)(cairo_image_surface_get_data(s) +
                               (size_t)y * cairo_image_surface_get_stride(s)))[x];
    return 0.299 * ((p >> 16) & 255) + 0.587 * ((p >> 8) & 255) + 0.114 * (p & 255);
}

/* ---- check digits and dates ------------------------------------------------ */

START_TEST(test_check_digits)
{
    ck_assert_int_eq(gen_mynumber_check_digit("12345678901"), 8);
    ck_assert(gen_mynumber_valid("123456789018"));
    ck_assert(!gen_mynumber_valid("123456789017"));
    ck_assert(!gen_mynumber_valid("12345678901"));
    ck_assert(gen_luhn_valid("4111111111111111"));
    ck_assert(!gen_luhn_valid("4111111111111112"));
    ck_assert(gen_luhn_valid("378282246310005")); /* a 15-digit Amex test number */
    ck_assert_int_eq(gen_luhn_check_digit("411111111111111"), 1);
    /* ICAO 9303 part 4 specimen: L898902C3<6, 740812<2, 120415<9, composite 0 */
    ck_assert_int_eq(gen_mrz_check_digit("L898902C3", 9), 6);
    ck_assert_int_eq(gen_mrz_check_digit("740812", 6), 2);
    ck_assert_int_eq(gen_mrz_check_digit("120415", 6), 9);
    const char *l2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<1";
    char comp[64];
    memcpy(comp, l2, 10);
    memcpy(comp + 10, l2 + 13, 7);
    memcpy(comp + 17, l2 + 21, 22);
    ck_assert_int_eq(gen_mrz_check_digit(comp, 39), 0);
    ck_assert_int_eq(gen_mrz_check_digit("ZE184226B<<<<<", 14), 1);
}
END_TEST

START_TEST(test_era_dates)
{
    char b[64];
    gen_era_text((gen_date){1990, 4, 1}, 0, b, sizeof b);
    ck_assert_str_eq(b, "平成2年4月1日");
    gen_era_text((gen_date){2019, 5, 1}, 1, b, sizeof b);
    ck_assert_str_eq(b, "令和元年05月01日");
    gen_era_text((gen_date){2019, 4, 30}, 0, b, sizeof b);
    ck_assert_str_eq(b, "平成31年4月30日");
    gen_era_text((gen_date){1989, 1, 7}, 0, b, sizeof b);
    ck_assert_str_eq(b, "昭和64年1月7日");
    gen_era_text((gen_date){1989, 1, 8}, 0, b, sizeof b);
    ck_assert_str_eq(b, "平成元年1月8日");
    gen_date d = gen_date_add((gen_date){2024, 2, 28}, 1);
    ck_assert(d.y == 2024 && d.m == 2 && d.d == 29);
    d = gen_date_from_days(gen_date_days((gen_date){2026, 12, 31}) + 1);
    ck_assert(d.y == 2027 && d.m == 1 && d.d == 1);
}
END_TEST

/* ---- every sensitive item's ink lies inside its box ------------------------ */

static void diff_check(const gen_docspec *spec, const char *what)
{
    gen_rng r1, r2;
    gen_doc a, b;
    gen_docspec s1 = *spec, s2 = *spec;
    s2.hide_sensitive = 1;
    gen_rng_seed(&r1, 7, 7);
    r2 = r1;
    ck_assert_int_eq(gen_doc_render(&r1, &s1, 12.0, &a), 0); /* 12 px/mm ~ 300 dpi */
    ck_assert_int_eq(gen_doc_render(&r2, &s2, 12.0, &b), 0);
    ck_assert_int_eq(a.nsens, b.nsens);
    ck_assert_msg(a.nsens > 0, "%s has no sensitive items", what);
    const uint8_t *pa = cairo_image_surface_get_data(a.surf), *pb = cairo_image_surface_get_data(b.surf);
    int st = cairo_image_surface_get_stride(a.surf);
    long outside = 0, total = 0;
    long *inside = calloc((size_t)a.nsens, sizeof *inside);
    for (int y = 0; y < a.h; y++)
        for (int x = 0; x < a.w; x++) {
            uint32_t u = ((const uint32_t *)(pa + (size_t)y * st))[x];
            uint32_t v = ((const uint32_t *)(pb + (size_t)y * st))[x];
            if (u == v)
                continue;
            total++;
            int hit = 0;
            for (int i = 0; i < a.nsens; i++) {
                const gen_sbox *s = &a.sens[i];
                if (x >= s->x && x < s->x + s->w && y >= s->y && y < s->y + s->h) {
                    inside[i]++;
                    hit = 1;
                }
            }
            outside += !hit;
        }
    ck_assert_msg(outside == 0, "%s: %ld of %ld sensitive ink pixels outside the boxes", what, outside, total);
    for (int i = 0; i < a.nsens; i++) {
        const gen_sbox *s = &a.sens[i];
        /* ink fills a fair part of a tight box: at least 5% of its area */
        ck_assert_msg(inside[i] >= 0.05 * s->w * s->h, "%s: box %s is mostly empty (%ld px of %.0f)",
                      what, s->type, inside[i], s->w * s->h);
        if (!strcmp(s->type, "my_number") || !strcmp(s->type, "my_number_qr"))
            ck_assert_msg(gen_mynumber_valid(s->text), "%s: bad My Number check digit", what);
        if (!strcmp(s->type, "pan"))
            ck_assert_msg(gen_luhn_valid(s->text), "%s: PAN fails Luhn", what);
    }
    free(inside);
    gen_doc_free(&a);
    gen_doc_free(&b);
}

START_TEST(test_sensitive_boxes_hold_all_ink)
{
    gen_rng r;
    gen_docspec s;
    gen_rng_seed(&r, 3, 3);
    memset(&s, 0, sizeof s);
    gen_person_random(&r, &s.holder, 0);
    s.now = (gen_date){2026, 6, 1};
    s.issue = (gen_date){2026, 3, 1};
    s.expiry = (gen_date){2029, 6, 15};
    s.type = GEN_MYNUMBER;
    s.back = 1;
    diff_check(&s, "my_number back");
    s.back = 0;
    s.type = GEN_NOTIFICATION;
    diff_check(&s, "notification");
    s.type = GEN_HEALTH;
    for (s.variant = 0; s.variant < 2; s.variant++)
        diff_check(&s, "health");
    s.type = GEN_JUMINHYO;
    s.with_mynumber = s.with_resident_code = 1;
    diff_check(&s, "juminhyo");
    s.type = GEN_CREDIT;
    for (s.variant = 0; s.variant < 48; s.variant += 5) { /* brands x emboss x colours */
        s.back = 0;
        diff_check(&s, "credit front");
        if (s.variant % 4 != 3) {
            s.back = 1;
            diff_check(&s, "credit back");
        }
    }
}
END_TEST

/* ---- flat scenes: quads on the edges, text inside the boxes ------------------ */

static void check_quad_edges(const gen_result *res, const char *stem)
{
    cairo_surface_t *img = res->img;
    double cx = 0, cy = 0;
    for (int i = 0; i < 4; i++) {
        cx += res->quad[i][0] / 4;
        cy += res->quad[i][1] / 4;
    }
    for (int i = 0; i < 4; i++) {
        const double *a = res->quad[i], *b = res->quad[(i + 1) % 4];
        /* three points per edge, away from the rounded corners */
        for (int k = 1; k <= 3; k++) {
            double t = k / 4.0;
            double mx = a[0] + (b[0] - a[0]) * t, my = a[1] + (b[1] - a[1]) * t;
            double ex = b[0] - a[0], ey = b[1] - a[1], L = hypot(ex, ey);
            double nx = -ey / L, ny = ex / L;
            if ((cx - mx) * nx + (cy - my) * ny < 0) {
                nx = -nx;
                ny = -ny;
            }
            /* 3 px in and 3 px out of the labelled edge */
            double in = lum_at(img, (int)lround(mx + 3 * nx), (int)lround(my + 3 * ny));
            double out = lum_at(img, (int)lround(mx - 3 * nx), (int)lround(my - 3 * ny));
            if (in < 0 || out < 0)
                continue; /* outside the image (cut-off variants) */
            ck_assert_msg(fabs(in - out) > 25, "%s: edge %d point %d: inside %.0f outside %.0f", stem, i,
                          k, in, out);
        }
    }
}

static void check_boxes_have_ink(const gen_result *res, const char *stem)
{
    int W = cairo_image_surface_get_width(res->img), H = cairo_image_surface_get_height(res->img);
    for (int i = 0; i < res->doc.nsens; i++) {
        const double *b = res->doc_boxes[i];
        double lo = 1e9, hi = -1e9;
        int n = 0;
        for (int y = (int)b[1]; y < b[1] + b[3]; y++)
            for (int x = (int)b[0]; x < b[0] + b[2]; x++) {
                if (x < 0 || y < 0 || x >= W || y >= H)
                    continue;
                double l = lum_at(res->img, x, y);
                lo = fmin(lo, l);
                hi = fmax(hi, l);
                n++;
            }
        if (n == 0)
            continue;
        ck_assert_msg(hi - lo > 60, "%s: sensitive box %s shows no text (contrast %.0f)", stem,
                      res->doc.sens[i].type, hi - lo);
    }
}

START_TEST(test_flat_scene_labels)
{
    gen_opts o = {.seed = 11, .set = GEN_SET_ALL, .min_mp = 1.0, .max_mp = 2.0, .faces = &g_faces, .flat = 1};
    int checked = 0, saved = 0;
    const gen_set sets[3] = {GEN_SET_PHOTO_ID, GEN_SET_CREDIT, GEN_SET_ADDRESS};
    for (int si = 0; si < 3; si++) {
        o.set = sets[si];
        for (long i = 0; i < 12; i++) {
            gen_result res;
            ck_assert_int_eq(gen_make(&o, i, &res), 0);
            if (res.img && res.has_doc && !res.png) {
                if (!res.finger_over) { /* a finger hides text and an edge */
                    check_boxes_have_ink(&res, res.stem);
                    check_quad_edges(&res, res.stem);
                }
                checked++;
                if (saved < 6 && i % 4 == 0) {
                    char p[1024];
                    snprintf(p, sizeof p, "%s/flat_%s.overlay.png", out_dir(), res.stem);
                    ck_assert_int_eq(gen_overlay_png(res.img, res.label_json, 1000, p), 0);
                    saved++;
                }
            }
            gen_result_free(&res);
        }
    }
    ck_assert_int_ge(checked, 25);
}
END_TEST

/* ---- the label files of ordinary (phone-like) images ------------------------ */

static const char *FLAGS[] = {
    "unreadable_image", "low_resolution", "blurry", "too_dark", "overexposed", "glare_on_document",
    "no_face", "face_cut_off", "multiple_people", "no_document", "document_cut_off",
    "document_too_small", "finger_over_document", "face_document_apart",
    "document_type_not_accepted", "expired_document", "name_mismatch", "birth_date_mismatch",
    "address_mismatch", "name_not_found", "address_not_found", "date_not_found",
    "document_too_old", "digital_document", "card_not_in_holder_name", "redaction_uncertain",
    "duplicate_upload"};

static int known_flag(const char *f)
{
    for (size_t i = 0; i < sizeof FLAGS / sizeof FLAGS[0]; i++)
        if (!strcmp(FLAGS[i], f))
            return 1;
    return 0;
}

static int has_flag(json_t *arr, const char *f)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) if (!strcmp(json_string_value(v), f)) return 1;
    return 0;
}

START_TEST(test_labels_valid)
{
    gen_opts o = {.seed = 5, .set = GEN_SET_ALL, .min_mp = 1.0, .max_mp = 1.6, .faces = &g_faces};
    int kinds[4] = {0, 0, 0, 0}, saved = 0;
    for (long i = 0; i < 40; i++) {
        gen_result res;
        ck_assert_int_eq(gen_make(&o, i, &res), 0);
        json_error_t err;
        json_t *j = json_loads(res.label_json, 0, &err);
        ck_assert_msg(j != NULL, "%s: label is not JSON", res.stem);
        const char *kind = json_string_value(json_object_get(j, "kind"));
        ck_assert(kind);
        if (!strcmp(kind, "selfie")) kinds[0]++;
        else if (!strcmp(kind, "photo_id")) kinds[1]++;
        else if (!strcmp(kind, "credit_card")) kinds[2]++;
        else if (!strcmp(kind, "address_proof")) kinds[3]++;
        else ck_abort_msg("%s: unknown kind", res.stem);
        ck_assert(json_is_string(json_object_get(j, "doc_type")));
        ck_assert(json_is_string(json_object_get(j, "now")));
        json_t *ap = json_object_get(j, "applicant");
        ck_assert(json_is_string(json_object_get(ap, "name")) && json_is_string(json_object_get(ap, "birth_date")));
        json_t *ex = json_object_get(j, "expect_flags"), *fb = json_object_get(j, "forbid_flags");
        size_t k;
        json_t *v;
        json_array_foreach(ex, k, v) {
            ck_assert_msg(known_flag(json_string_value(v)), "%s: unknown flag", res.stem);
            ck_assert_msg(!has_flag(fb, json_string_value(v)), "%s: flag both expected and forbidden", res.stem);
        }
        json_array_foreach(fb, k, v) ck_assert_msg(known_flag(json_string_value(v)), "%s: unknown flag", res.stem);
        int W = 0, H = 0;
        if (res.img) {
            W = cairo_image_surface_get_width(res.img);
            H = cairo_image_surface_get_height(res.img);
            ck_assert(W * (double)H >= 0.9e6);
        }
        json_array_foreach(json_object_get(j, "sensitive"), k, v) {
            const char *type = json_string_value(json_object_get(v, "type"));
            const char *text = json_string_value(json_object_get(v, "text"));
            ck_assert(type && text);
            if (!strcmp(type, "pan"))
                ck_assert_msg(gen_luhn_valid(text), "%s: PAN fails Luhn", res.stem);
            if (!strcmp(type, "my_number"))
                ck_assert_msg(gen_mynumber_valid(text), "%s: bad My Number", res.stem);
            json_t *b = json_object_get(v, "box");
            if (b) {
                int x = (int)json_integer_value(json_array_get(b, 0)), y = (int)json_integer_value(json_array_get(b, 1));
                int w = (int)json_integer_value(json_array_get(b, 2)), h = (int)json_integer_value(json_array_get(b, 3));
                ck_assert_msg(x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= W && y + h <= H,
                              "%s: sensitive box outside the image", res.stem);
            }
        }
        json_t *faces = json_object_get(j, "faces");
        if (!strcmp(kind, "selfie") && has_flag(ex, "no_face"))
            ck_assert_int_eq(json_array_size(faces), 0);
        if (has_flag(ex, "multiple_people"))
            ck_assert_int_ge(json_array_size(faces), 2);
        if (res.img && saved < 12 && (i % 3 == 0)) {
            char p[1024];
            snprintf(p, sizeof p, "%s/%s.overlay.png", out_dir(), res.stem);
            ck_assert_int_eq(gen_overlay_png(res.img, res.label_json, 1000, p), 0);
            saved++;
        }
        json_decref(j);
        gen_result_free(&res);
    }
    for (int i = 0; i < 4; i++)
        ck_assert_msg(kinds[i] > 0, "kind %d never generated", i);
}
END_TEST

/* ---- same (seed, index), same bytes --------------------------------------------- */

START_TEST(test_deterministic)
{
    gen_opts o = {.seed = 99, .set = GEN_SET_ALL, .min_mp = 1.0, .max_mp = 1.5, .faces = &g_faces};
    for (long i = 0; i < 6; i++) {
        gen_result a, b, c;
        gen_opts o2 = o;
        o2.seed = 100;
        ck_assert_int_eq(gen_make(&o, i, &a), 0);
        ck_assert_int_eq(gen_make(&o, i, &b), 0);
        ck_assert_int_eq(gen_make(&o2, i, &c), 0);
        ck_assert_str_eq(a.label_json, b.label_json);
        ck_assert_str_ne(a.label_json, c.label_json);
        if (a.img) {
            int H = cairo_image_surface_get_height(a.img), st = cairo_image_surface_get_stride(a.img);
            ck_assert_int_eq(H, cairo_image_surface_get_height(b.img));
            ck_assert(memcmp(cairo_image_surface_get_data(a.img), cairo_image_surface_get_data(b.img),
                             (size_t)st * H) == 0);
        }
        gen_result_free(&a);
        gen_result_free(&b);
        gen_result_free(&c);
    }
}
END_TEST

/* ---- EXIF orientation: stored turned, shown upright ----------------------------- */

static int exif_orientation(const uint8_t *b, size_t n)
{
    for (size_t i = 2; i + 10 < n; i++) {
        if (b[i] == 0xFF && b[i + 1] == 0xE1 && !memcmp(b + i + 4, "Exif\0\0", 6)) {
            const uint8_t *t = b + i + 10;
            uint32_t ifd = t[4] | t[5] << 8 | t[6] << 16 | (uint32_t)t[7] << 24;
            int cnt = t[ifd] | t[ifd + 1] << 8;
            for (int e = 0; e < cnt; e++) {
                const uint8_t *en = t + ifd + 2 + 12 * e;
                if ((en[0] | en[1] << 8) == 0x0112)
                    return en[8] | en[9] << 8;
            }
        }
    }
    return 0;
}

START_TEST(test_exif_orientation)
{
    const int ors[3] = {6, 8, 3};
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 320, 200);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_set_source_rgb(cr, 0, 0, 0); /* a black block in the upright top-left */
    cairo_rectangle(cr, 0, 0, 80, 50);
    cairo_fill(cr);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    for (int i = 0; i < 3; i++) {
        int w, h, rw, rh;
        uint32_t *px = gen_rotate_for_exif(s, ors[i], &w, &h);
        char p[1024];
        snprintf(p, sizeof p, "%s/exif_%d.jpg", out_dir(), ors[i]);
        ck_assert_int_eq(gen_jpeg_write(p, px, w, h, w, 90, ors[i], 1, "2026:01:02 03:04:05"), 0);
        free(px);
        FILE *f = fopen(p, "rb");
        uint8_t buf[4096];
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        ck_assert_int_eq(exif_orientation(buf, n), ors[i]);
        uint8_t *rgb;
        ck_assert_int_eq(gen_jpeg_read(p, &rgb, &rw, &rh), 0);
        ck_assert_int_eq(rw, ors[i] == 3 ? 320 : 200);
        /* where the black block is stored: 6 -> bottom-left, 8 -> top-right, 3 -> bottom-right */
        int bx = ors[i] == 8 ? rw - 10 : ors[i] == 3 ? rw - 10 : 10;
        int by = ors[i] == 6 ? rh - 10 : ors[i] == 3 ? rh - 10 : 10;
        ck_assert_int_lt(rgb[((size_t)by * rw + bx) * 3], 40);
        ck_assert_int_gt(rgb[((size_t)10 * rw + (ors[i] == 8 ? 10 : rw - 10)) * 3], 200);
        free(rgb);
    }
    cairo_surface_destroy(s);
}
END_TEST

/* ---- pasted faces are where the label says (needs the photo corpus) ------------- */

START_TEST(test_selfie_face_boxes)
{
    if (strstr(g_faces.origin, "drawn"))
        return; /* drawn faces are not Haar faces: nothing to compare */
    gen_opts o = {.seed = 3, .set = GEN_SET_SELFIE, .min_mp = 1.0, .max_mp = 2.0, .faces = &g_faces, .flat = 1};
    int tried = 0, hits = 0;
    for (long i = 0; i < 16; i++) {
        gen_result res;
        ck_assert_int_eq(gen_make(&o, i, &res), 0);
        json_t *j = json_loads(res.label_json, 0, NULL);
        json_t *faces = json_object_get(j, "faces");
        if (json_array_size(faces) == 1 && !has_flag(json_object_get(j, "expect_flags"), "face_cut_off")) {
            json_t *b = json_array_get(faces, 0);
            double lb[4], db[4];
            for (int k = 0; k < 4; k++)
                lb[k] = (double)json_integer_value(json_array_get(b, k));
            int W = cairo_image_surface_get_width(res.img), H = cairo_image_surface_get_height(res.img);
            uint8_t *rgb = malloc((size_t)W * H * 3);
            for (int y = 0; y < H; y++)
                for (int x = 0; x < W; x++) {
                    uint32_t p = ((uint32_t *)(cairo_image_surface_get_data(res.img) +
                                               (size_t)y * cairo_image_surface_get_stride(res.img)))[x];
                    rgb[((size_t)y * W + x) * 3] = (p >> 16) & 255;
                    rgb[((size_t)y * W + x) * 3 + 1] = (p >> 8) & 255;
                    rgb[((size_t)y * W + x) * 3 + 2] = p & 255;
                }
            tried++;
            if (gen_haar_face(rgb, W, H, db) == 1) {
                double ix = fmax(0, fmin(lb[0] + lb[2], db[0] + db[2]) - fmax(lb[0], db[0]));
                double iy = fmax(0, fmin(lb[1] + lb[3], db[1] + db[3]) - fmax(lb[1], db[1]));
                double iou = ix * iy / (lb[2] * lb[3] + db[2] * db[3] - ix * iy);
                hits += iou > 0.5;
            }
            free(rgb);
        }
        json_decref(j);
        gen_result_free(&res);
    }
    ck_assert_int_ge(tried, 4);
    /* the cascade misses some pasted chips; most must agree with the label */
    ck_assert_msg(hits * 10 >= tried * 6, "Haar agrees with %d of %d face labels", hits, tried);
}
END_TEST

int main(void)
{
    const char *corpus = getenv("PS_CORPUS_DIR");
    struct stat st;
    if (!corpus || stat(corpus, &st) != 0)
        corpus = NULL;
    if (gen_faces_load(NULL, corpus, &g_faces) != 0)
        return 1;
    Suite *s = suite_create("gen");
    TCase *tc = tcase_create("gen");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, test_check_digits);
    tcase_add_test(tc, test_era_dates);
    tcase_add_test(tc, test_sensitive_boxes_hold_all_ink);
    tcase_add_test(tc, test_flat_scene_labels);
    tcase_add_test(tc, test_labels_valid);
    tcase_add_test(tc, test_deterministic);
    tcase_add_test(tc, test_exif_orientation);
    tcase_add_test(tc, test_selfie_face_boxes);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    gen_faces_free(&g_faces);
    return failed ? 1 : 0;
}
