/* The policy: built-in defaults, the shipped file that documents them, and
 * the override file's refusals (unknown keys, wrong types, values out of
 * range, a pan_keep_last redaction cannot honour). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prescreen/policy.h"
#include "testutil.h"

/* Writes `json` to a temporary file; returns its malloc'd path. */
static char *temp_policy(const char *json)
{
    char *path = strdup("/tmp/ps_policy_XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    ck_assert_ptr_nonnull(f);
    fputs(json, f);
    fclose(f);
    return path;
}

static ps_status load_text(const char *json, ps_policy *p, char *err, size_t errlen)
{
    char *path = temp_policy(json);
    ps_status st = ps_policy_load(p, path, err, errlen);
    remove(path);
    free(path);
    return st;
}

/* models/policy.json holds every key, at the built-in default. */
START_TEST(shipped_file_is_the_defaults)
{
    ps_policy def, file;
    char err[256] = "";
    ps_policy_default(&def);
    memset(&file, 0, sizeof file);
    char *path = ps_test_src_path("models/policy.json");
    ck_assert_msg(ps_policy_load(&file, path, err, sizeof err) == PS_OK, "%s", err);
    free(path);
    ck_assert_msg(memcmp(&def, &file, sizeof def) == 0, "models/policy.json differs from ps_policy_default");
    ck_assert_int_eq(def.pan_keep_last, 4);
    ck_assert_int_eq(def.mask_registered_domicile, 0);
    ck_assert_int_eq(def.mask_organ_donation, 0);
}
END_TEST

START_TEST(overrides_a_subset)
{
    ps_policy p;
    char err[256] = "";
    ps_policy_default(&p);
    ck_assert_int_eq(load_text("{\"_comment\": \"x\", \"pan_keep_last\": 0, \"mask_organ_donation\": 1,"
                               " \"max_glare\": 0.02}", &p, err, sizeof err), PS_OK);
    ck_assert_int_eq(p.pan_keep_last, 0);
    ck_assert_int_eq(p.mask_organ_donation, 1);
    ck_assert_int_eq(p.mask_registered_domicile, 0);
    ck_assert_double_eq(p.max_glare, 0.02);
    ck_assert_double_eq(p.blur_threshold, 8.0); /* untouched */
}
END_TEST

START_TEST(refusals_say_why)
{
    static const struct {
        const char *json, *says;
        ps_status st;
    } cases[] = {
        {"{\"pan_keep_last\": 2}", "4 or 0", PS_E_JSON},
        {"{\"pan_keep_last\": 5}", "pan_keep_last", PS_E_JSON},
        {"{\"mask_registered_domicile\": 2}", "mask_registered_domicile", PS_E_JSON},
        {"{\"mask_organ_donation\": 0.5}", "wrong type", PS_E_JSON},
        {"{\"max_glare\": 1.5}", "max_glare", PS_E_JSON},
        {"{\"max_glaer\": 0.1}", "unknown key", PS_E_JSON},
        {"[1, 2]", "not a JSON object", PS_E_JSON},
        {"{\"a\": ", "policy", PS_E_JSON},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ps_policy p;
        char err[256] = "";
        ps_policy_default(&p);
        ck_assert_int_eq(load_text(cases[i].json, &p, err, sizeof err), cases[i].st);
        ck_assert_msg(strstr(err, cases[i].says) != NULL, "case %zu: \"%s\"", i, err);
        ck_assert_int_eq(p.pan_keep_last, 4); /* the refused value was not taken */
    }
    ps_policy p;
    char err[256] = "";
    ck_assert_int_eq(ps_policy_load(&p, "/nonexistent/policy.json", err, sizeof err), PS_E_IO);
    ck_assert_int_eq(ps_policy_load(&p, NULL, err, sizeof err), PS_E_ARG);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("policy");
    TCase *tc = tcase_create("policy");
    tcase_add_test(tc, shipped_file_is_the_defaults);
    tcase_add_test(tc, overrides_a_subset);
    tcase_add_test(tc, refusals_say_why);
    suite_add_tcase(s, tc);
    return ps_test_run(s);
}
