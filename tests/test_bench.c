/* `prescreen bench` against a hand count: a tiny corpus made here with known
 * answers, including one planted leak (a stored image whose labelled
 * sensitive box still shows the original pixels) that must be caught. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/bench.h"
#include "fixtures.h"
#include "testutil.h"

static char dir[] = "/tmp/ps_bench_XXXXXX";

static void write_file(const char *name, const void *data, size_t n)
{
    char path[256];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq((int)fwrite(data, 1, n, f), (int)n);
    fclose(f);
}

/* A textured image: stripes in both directions, so every cell is busy. */
static ps_image *texture(int w, int h, int dim)
{
    ps_image *img = NULL;
    ck_assert_int_eq(ps_image_new(w, h, 3, 0, &img), PS_OK);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint8_t v = (uint8_t)((((x / 3) ^ (y / 5)) & 1) ? 220 : 40);
            if (dim)
                v /= 10;
            memset(ps_image_row(img, y) + 3 * x, v, 3);
        }
    return img;
}

static void add(const char *name, ps_image *img, const char *label)
{
    size_t n;
    uint8_t *j = fx_jpeg(img, 92, 0, 0, 0, &n);
    char lname[128];
    write_file(name, j, n);
    snprintf(lname, sizeof lname, "%.*s.truth.json", (int)(strrchr(name, '.') - name), name);
    write_file(lname, label, strlen(label));
    free(j);
    ps_image_free(&img);
}

START_TEST(bench_matches_a_hand_count)
{
    char bin[1024], jout[300], cmd[2048];
    const char *bd = getenv("PS_BUILD_DIR");
    json_t *j, *td, *leaks;
    int st;
    ck_assert_ptr_nonnull(mkdtemp(dir));
    /* 1: dark, labelled too_dark (a true positive) */
    add("a_dark.jpg", texture(640, 480, 1),
        "{\"kind\":\"other\",\"expect_flags\":[\"too_dark\"],\"forbid_flags\":[]}");
    /* 2: bright, too_dark forbidden (a true negative) */
    add("b_bright.jpg", texture(640, 480, 0),
        "{\"kind\":\"other\",\"expect_flags\":[],\"forbid_flags\":[\"too_dark\"]}");
    /* 3: the planted leak — a selfie is stored as it is, and its label says a
     * card number sits in a textured box: the bench must count it */
    add("c_leak.jpg", texture(640, 480, 0),
        "{\"kind\":\"selfie\",\"doc_type\":\"passport\",\"sensitive\":[{\"type\":\"pan\","
        "\"text\":\"4111 1111 1111 1111\",\"box\":[100,100,240,40]}],\"forbid_flags\":[\"too_dark\"]}");
    /* 4: a card with a number: quarantined, never stored, so no leak */
    add("d_card.jpg", texture(640, 480, 0),
        "{\"kind\":\"credit_card\",\"doc_type\":\"credit_card\",\"sensitive\":[{\"type\":\"pan\","
        "\"text\":\"4111 1111 1111 1111\",\"box\":[100,100,240,40]}]}");
    /* 5: a worker crashes on it (the bench's fault hook): counted, and the
     * run goes on with a new worker */
    add("e_crash.jpg", texture(320, 240, 0),
        "{\"kind\":\"other\",\"expect_flags\":[\"too_dark\"]}");
    ck_assert_ptr_nonnull(bd);
    snprintf(bin, sizeof bin, "%s/prescreen", bd);
    snprintf(jout, sizeof jout, "%s/out.json", dir);
    snprintf(cmd, sizeof cmd,
             "PS_BENCH_FAULT_INJECT=e_crash.jpg '%s' bench '%s' --threads 2 --json '%s' >/dev/null 2>&1",
             bin, dir, jout);
    st = system(cmd);
    ck_assert_int_eq(WEXITSTATUS(st), 0);
    j = json_load_file(jout, 0, NULL);
    ck_assert_ptr_nonnull(j);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "images")), 5);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "labelled")), 5);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "reports")), 4);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "crashes")), 1);
    /* the card's label names its type: the kind makes the reader call it a
     * credit card; the selfie's label names a wrong one */
    json_t *dt = json_object_get(j, "doc_type");
    ck_assert_int_eq(json_integer_value(json_object_get(dt, "labelled")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(dt, "exact")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(j, "errors"), "crash")), 1);
    td = json_object_get(json_object_get(j, "flags"), "too_dark");
    ck_assert_int_eq(json_integer_value(json_object_get(td, "tp")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(td, "fn")), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(td, "tn")), 2);
    ck_assert_int_eq(json_integer_value(json_object_get(td, "fp")), 0);
    leaks = json_object_get(j, "leaks");
    ck_assert_int_eq(json_integer_value(json_object_get(leaks, "total")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(leaks, "strings")), 0);
    /* the two "other" images (no digits found) and the selfie are stored;
     * the card, whose number cannot be located, fails closed */
    ck_assert_int_eq(json_integer_value(json_object_get(leaks, "stored_images")), 3);
    /* what redaction adds to the one card check: its stage over the rest */
    json_t *rs = json_object_get(j, "redaction_share");
    ck_assert_int_eq(json_integer_value(json_object_get(rs, "card_checks")), 1);
    double med = json_real_value(json_object_get(rs, "median"));
    ck_assert(med > 0);
    ck_assert_double_eq_tol(json_real_value(json_object_get(rs, "of_sums")), med, 1e-9);
    json_decref(j);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* Label rules the shared-corpus importer relies on: no "faces" key leaves
 * faces unscored, "faces": [] says none; a boxless sensitive entry is kept
 * for the string-leak check, a boxless pan_last4 (needs pixels) is not. */
START_TEST(truth_without_boxes)
{
    char tmp[] = "/tmp/ps_truth_XXXXXX", path[300], err[256];
    const char *a = "{\"kind\":\"credit_card\",\"sensitive\":[{\"type\":\"pan\",\"text\":\"4111 1111 1111\"},"
                    "{\"type\":\"pan_last4\",\"text\":\"1111\"}]}";
    const char *b = "{\"kind\":\"selfie\",\"faces\":[]}";
    FILE *f;
    psb_truth t;
    ck_assert_ptr_nonnull(mkdtemp(tmp));
    snprintf(path, sizeof path, "%s/a.truth.json", tmp);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(a, f);
    fclose(f);
    ck_assert_int_eq(psb_truth_load(path, &t, err, sizeof err), 0);
    unlink(path);
    ck_assert_int_eq(t.faces_labelled, 0);
    ck_assert_int_eq(t.n_sensitive, 1);
    ck_assert_int_eq(t.sensitive[0].has_box, 0);
    ck_assert_str_eq(t.sensitive[0].type, "pan");
    ck_assert_int_eq((int)strlen(t.sensitive[0].digits), 12);
    snprintf(path, sizeof path, "%s/b.truth.json", tmp);
    f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(b, f);
    fclose(f);
    ck_assert_int_eq(psb_truth_load(path, &t, err, sizeof err), 0);
    unlink(path);
    rmdir(tmp);
    ck_assert_int_eq(t.faces_labelled, 1);
    ck_assert_int_eq(t.n_faces, 0);
}
END_TEST

/* prescreen-gen's labels of a card the frame cuts: "cut" on an entry the
 * frame cuts (its box is the part inside), no box on one wholly outside.
 * A number whose last 4 lie outside the frame is not a whole number (its
 * box holds only the masked digits), and no last 4 of it is scored; a last
 * 4 the frame cuts is not scored either; a whole last 4 and SPEC §5's
 * whole-number label are. */
START_TEST(cut_last4_is_not_scored)
{
    static const struct {
        const char *label;
        int whole, scored; /* of entry 0 */
    } cases[] = {
        {"{\"sensitive\":[{\"type\":\"pan\",\"text\":\"4111111111111111\",\"box\":[10,10,90,20]},"
         "{\"type\":\"pan_last4\",\"text\":\"1111\",\"cut\":true}]}", 0, 0},
        {"{\"sensitive\":[{\"type\":\"pan_last4\",\"text\":\"1111\",\"box\":[0,10,20,20],\"cut\":true},"
         "{\"type\":\"pan\",\"text\":\"4111111111111111\",\"box\":[30,10,90,20]}]}", 0, 0},
        {"{\"sensitive\":[{\"type\":\"pan_last4\",\"text\":\"1111\",\"box\":[5,10,20,20]},"
         "{\"type\":\"pan\",\"text\":\"4111111111111111\",\"box\":[30,10,90,20]}]}", 0, 1},
        {"{\"sensitive\":[{\"type\":\"pan\",\"text\":\"4111111111111111\",\"box\":[10,10,90,20]}]}", 1, 1},
        {"{\"sensitive\":[{\"type\":\"pan\",\"text\":\"4111111111111111\",\"box\":[0,10,90,20],"
         "\"cut\":true}]}", 1, 0},
    };
    char tmp[] = "/tmp/ps_truth_XXXXXX", path[300], err[256];
    ck_assert_ptr_nonnull(mkdtemp(tmp));
    snprintf(path, sizeof path, "%s/c.truth.json", tmp);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        psb_truth t;
        FILE *f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fputs(cases[i].label, f);
        fclose(f);
        ck_assert_int_eq(psb_truth_load(path, &t, err, sizeof err), 0);
        ck_assert_msg(psb_whole_number(&t, 0) == cases[i].whole, "case %zu: whole number", i);
        ck_assert_msg(psb_last4_scored(&t, 0) == cases[i].scored, "case %zu: last 4 scored", i);
        /* the other entry, a number or a last 4 inside the frame, is never a
         * whole number: the label has a last 4 apart */
        if (t.n_sensitive > 1)
            ck_assert_int_eq(psb_whole_number(&t, 1), 0);
    }
    unlink(path);
    rmdir(tmp);
}
END_TEST

/* 1 when (x, y) lies in the rectangle of length len along (c, s) and
 * thickness th across it, centred at (cx, cy). */
static int in_rect(double x, double y, double cx, double cy, double c, double s, double len,
                   double th)
{
    double a = (x - cx) * c + (y - cy) * s, b = -(x - cx) * s + (y - cy) * c;
    return fabs(a) <= len / 2 && fabs(b) <= th / 2;
}

/* A card number's line turned 30 degrees, labelled as SPEC §5's example
 * does (the whole number in one "pan" box, the box axis-aligned around the
 * turned line). Masking all but the last 4 glyphs is no leak and keeps the
 * last 4 readable; leaving the 12th glyph too is a leak; masking the 4 too
 * leaves nothing readable. The band is recovered from the box and the
 * document's labelled quad. */
START_TEST(whole_number_label_on_a_turned_card)
{
    const double deg = 30, c = cos(deg * M_PI / 180), s = sin(deg * M_PI / 180);
    const double cx = 300, cy = 200, pitch = 24, glyph = 16, th = 30;
    const int n = 16;
    double len = (n + 3) * pitch; /* 4 groups of 4, a space between groups */
    ps_image *orig = NULL;
    ck_assert_int_eq(ps_image_new(600, 400, 1, 0, &orig), PS_OK);
    for (int y = 0; y < 400; y++)
        for (int x = 0; x < 600; x++) {
            int ink = 0;
            for (int k = 0; k < n; k++) {
                double a = -len / 2 + (k + k / 4 + 0.5) * pitch;
                ink |= in_rect(x, y, cx + a * c, cy + a * s, c, s, glyph, th * 0.8);
            }
            ps_image_row(orig, y)[x] = ink ? 30 : 210;
        }
    /* the axis-aligned label box of the turned line */
    double W = len * c + th * s, H = len * s + th * c;
    ps_box box = {(int)(cx - W / 2), (int)(cy - H / 2), (int)W, (int)H};
    ps_point quad[4] = {{0, 0}, {100 * c, 100 * s}, {100 * c - 60 * s, 100 * s + 60 * c}, {-60 * s, 60 * c}};
    double ux, uy;
    psb_quad_direction(quad, &ux, &uy);
    int pitches = 0;
    psb_pan_slot(n, 0, &pitches);
    ck_assert_int_eq(pitches, n + 3);
    psb_band line = psb_band_of(box, ux, uy, pitches);
    ck_assert(fabs(line.len - len) < 3 && fabs(line.thick - th) < 3);
    ck_assert(psb_full_pan("pan", "4111111111111111") && !psb_full_pan("pan", "411111111111") &&
              !psb_full_pan("cvv", "4111111111111111"));
    /* 19 digits, 4-4-4-4-3 (23 pitches): the 17th digit after the 4th gap;
     * Amex 4-6-5 (17): the 11th after the 2nd */
    ck_assert(psb_pan_slot(19, 16, &pitches) == 20 && pitches == 23);
    ck_assert(psb_pan_slot(15, 10, &pitches) == 12 && pitches == 17);
    ck_assert(psb_pan_slot(16, 12, &pitches) == 15 && pitches == 19);

    for (int run = 0; run < 3; run++) {
        /* masked: the first 12 glyphs (run 0), the first 11 (1), all 16 (2) */
        int masked = run == 0 ? 12 : run == 1 ? 11 : 16;
        double end = -len / 2 + (masked + (masked - 1) / 4) * pitch + 2;
        ps_image *red = NULL;
        ck_assert_int_eq(ps_image_clone(orig, &red), PS_OK);
        for (int y = 0; y < 400; y++)
            for (int x = 0; x < 600; x++) {
                double a = (x - cx) * c + (y - cy) * s, b = -(x - cx) * s + (y - cy) * c;
                if (a <= end && a >= -len / 2 - 4 && fabs(b) <= th / 2 + 3)
                    ps_image_row(red, y)[x] = 0;
            }
        int cells = 0;
        int leaks = psb_pan_leaks(orig, red, line, n, &cells);
        int kept = psb_band_readable(orig, red, psb_pan_last4_band(line, n));
        ck_assert_int_eq(cells, 12);
        ck_assert_msg((leaks > 0) == (run == 1), "run %d: %d leaking cells", run, leaks);
        ck_assert_int_eq(kept, run != 2);
        ps_image_free(&red);
    }
    ps_image_free(&orig);
}
END_TEST

/* A last 4 too faint or blurred to have texture (its digits 8 levels over
 * the card) is kept when the stored copy leaves it as it was, re-encoding
 * noise and all; a fill over one of its digits loses it. */
START_TEST(faint_last4_left_alone_is_kept)
{
    ps_image *orig = NULL, *red = NULL;
    ck_assert_int_eq(ps_image_new(200, 60, 1, 0, &orig), PS_OK);
    for (int y = 0; y < 60; y++)
        for (int x = 0; x < 200; x++)
            ps_image_row(orig, y)[x] = (uint8_t)(((x % 40) > 10 && (x % 40) < 30 && y > 15 && y < 45) ? 128 : 120);
    ps_box box = {20, 10, 160, 40};
    psb_band band = psb_band_of(box, 1, 0, 4);
    ck_assert_int_eq(ps_image_clone(orig, &red), PS_OK);
    for (int y = 0; y < 60; y++) /* re-encoding noise: +-3 levels */
        for (int x = 0; x < 200; x++)
            ps_image_row(red, y)[x] = (uint8_t)(ps_image_row(red, y)[x] + ((x * 7 + y * 13) % 7) - 3);
    ck_assert_int_eq(psb_band_readable(orig, red, band), 1);
    for (int y = 10; y < 50; y++) /* the last digit filled */
        memset(ps_image_row(red, y) + 140, 0, 40);
    ck_assert_int_eq(psb_band_readable(orig, red, band), 0);
    ps_image_free(&red);
    ps_image_free(&orig);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("bench");
    TCase *tc = tcase_create("bench");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, bench_matches_a_hand_count);
    tcase_add_test(tc, truth_without_boxes);
    tcase_add_test(tc, cut_last4_is_not_scored);
    tcase_add_test(tc, faint_last4_left_alone_is_kept);
    tcase_add_test(tc, whole_number_label_on_a_turned_card);
    suite_add_tcase(s, tc);
    return ps_test_run(s);
}
