#include "testutil.h"

#include <string.h>

#include "prescreen/image.h"
#include "prescreen/status.h"

START_TEST(every_status_has_a_unique_code)
{
    for (int a = 0; a < PS_STATUS_END_; a++) {
        const char *ca = ps_status_code((ps_status)a);
        if (strcmp(ca, "unknown") == 0)
            continue;
        ck_assert_str_ne(ps_strerror((ps_status)a), "unknown status");
        for (int b = a + 1; b < PS_STATUS_END_; b++)
            ck_assert_str_ne(ca, ps_status_code((ps_status)b));
    }
    ck_assert_str_eq(ps_status_code(PS_E_TRUNCATED), "truncated");
    ck_assert_str_eq(ps_status_code((ps_status)-5), "unknown");
    ck_assert_str_eq(ps_status_code((ps_status)9999), "unknown");
    ck_assert_int_eq(ps_status_is_input_error(PS_E_TRUNCATED), 1);
    ck_assert_int_eq(ps_status_is_input_error(PS_E_NOMEM), 0);
}
END_TEST

START_TEST(size_arithmetic_detects_overflow)
{
    uint64_t out = 7;
    ck_assert_int_eq(ps_size_mul(UINT64_MAX / 2, 3, &out), 0);
    ck_assert_uint_eq(out, 7);
    ck_assert_int_eq(ps_size_mul3(60000, 60000, 3, &out), 1);
    ck_assert_uint_eq(out, 10800000000ull);
    ck_assert_int_eq(ps_size_mul3(1ull << 32, 1ull << 32, 2, &out), 0);
}
END_TEST

START_TEST(image_new_respects_limits)
{
    ps_image *img = NULL;
    ck_assert_int_eq(ps_image_new(100, 100, 3, 1000, &img), PS_E_MEMORY_LIMIT);
    ck_assert_ptr_null(img);
    ck_assert_int_eq(ps_image_new(0, 10, 3, 0, &img), PS_E_ARG);
    ck_assert_int_eq(ps_image_new(10, 10, 2, 0, &img), PS_E_ARG);
    ck_assert_int_eq(ps_image_new(4, 2, 3, 0, &img), PS_OK);
    ps_image_row(img, 1)[0] = 255;
    ps_image *g = NULL;
    ck_assert_int_eq(ps_image_to_gray(img, &g), PS_OK);
    ck_assert_int_eq(g->channels, 1);
    ck_assert_int_eq(ps_image_row(g, 1)[0], 76); /* 0.299 * 255 */
    ps_image_free(&img);
    ps_image_free(&g);
    ck_assert_ptr_null(img);
    ps_image_free(NULL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("status");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, every_status_has_a_unique_code);
    tcase_add_test(tc, size_arithmetic_detects_overflow);
    tcase_add_test(tc, image_new_respects_limits);
    suite_add_tcase(s, tc);
    return ps_test_run(s);
}
