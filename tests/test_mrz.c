/* MRZ parsing: the ICAO 9303 specimen zones, OCR noise, and every check
 * digit broken one at a time. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "prescreen/mrz.h"

/* ICAO 9303 part 4 / part 5 specimen zones (Anna Maria Eriksson, Utopia). */
static const char *td3_l1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<";
static const char *td3_l2 = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
static const char *td1_l1 = "I<UTOD231458907<<<<<<<<<<<<<<<";
static const char *td1_l2 = "7408122F1204159UTO<<<<<<<<<<<6";
static const char *td1_l3 = "ERIKSSON<<ANNA<MARIA<<<<<<<<<<";

START_TEST(check_digit_values)
{
    ck_assert_int_eq(ps_mrz_check_digit("L898902C3", 9), 6);
    ck_assert_int_eq(ps_mrz_check_digit("740812", 6), 2);
    ck_assert_int_eq(ps_mrz_check_digit("120415", 6), 9);
    ck_assert_int_eq(ps_mrz_check_digit("D23145890", 9), 7);
    ck_assert_int_eq(ps_mrz_check_digit("<<<", 3), 0);
    ck_assert_int_eq(ps_mrz_check_digit("ab", 2), -1);
    ck_assert_int_eq(ps_mrz_check_digit(NULL, 2), -1);
}
END_TEST

START_TEST(td3_valid)
{
    char text[256];
    ps_mrz m;
    snprintf(text, sizeof text, "PASSPORT\n%s\n%s\n", td3_l1, td3_l2);
    ck_assert_int_eq(ps_mrz_parse(text, &m), PS_OK);
    ck_assert_int_eq(m.format, PS_MRZ_TD3);
    ck_assert_uint_eq(m.findings, 0);
    ck_assert_str_eq(m.doc_code, "P");
    ck_assert_str_eq(m.issuer, "UTO");
    ck_assert_str_eq(m.surname, "ERIKSSON");
    ck_assert_str_eq(m.given_names, "ANNA MARIA");
    ck_assert_str_eq(m.number, "L898902C3");
    ck_assert_str_eq(m.nationality, "UTO");
    ck_assert_str_eq(m.birth, "740812");
    ck_assert_str_eq(m.expiry, "120415");
    ck_assert_int_eq(m.sex, 'F');
    ck_assert_str_eq(m.optional1, "ZE184226B");
}
END_TEST

START_TEST(td3_ocr_noise)
{
    /* spaces, lower case, « for <<, one trailing filler lost */
    ps_mrz m;
    const char *text = "p<utoeriksson«anna<maria<<<<<<<<<<<<<<<<<<\n"
                       "L898902C3 6UTO7408122F1204159ZE184226B<<<<<10\n";
    ck_assert_int_eq(ps_mrz_parse(text, &m), PS_OK);
    ck_assert_int_eq(m.format, PS_MRZ_TD3);
    ck_assert_uint_eq(m.findings, 0);
    ck_assert_str_eq(m.surname, "ERIKSSON");
    ck_assert_str_eq(m.given_names, "ANNA MARIA");
}
END_TEST

/* Changes position `pos` of TD3 line 2 to `c` and returns the findings. */
static unsigned td3_findings_with(int pos, char c)
{
    char l2[64], text[128];
    ps_mrz m;
    strcpy(l2, td3_l2);
    l2[pos] = c;
    snprintf(text, sizeof text, "%s\n%s", td3_l1, l2);
    ck_assert_int_eq(ps_mrz_parse(text, &m), PS_OK);
    return m.findings;
}

START_TEST(td3_broken_check_digits)
{
    /* a wrong check digit flags its field and (it is inside) the composite */
    ck_assert_uint_eq(td3_findings_with(9, '5'), PS_MRZ_BAD_NUMBER | PS_MRZ_BAD_COMPOSITE);
    ck_assert_uint_eq(td3_findings_with(19, '3'), PS_MRZ_BAD_BIRTH | PS_MRZ_BAD_COMPOSITE);
    ck_assert_uint_eq(td3_findings_with(27, '0'), PS_MRZ_BAD_EXPIRY | PS_MRZ_BAD_COMPOSITE);
    ck_assert_uint_eq(td3_findings_with(42, '7'), PS_MRZ_BAD_OPTIONAL | PS_MRZ_BAD_COMPOSITE);
    ck_assert_uint_eq(td3_findings_with(43, '1'), PS_MRZ_BAD_COMPOSITE);
    /* an altered birth date fails its own digit */
    ck_assert_uint_eq(td3_findings_with(14, '5') & PS_MRZ_BAD_BIRTH, PS_MRZ_BAD_BIRTH);
    /* an OCR 'O' for a check digit '0' is a finding, not a silent fix */
    ck_assert_uint_eq(td3_findings_with(43, 'O'), PS_MRZ_BAD_COMPOSITE);
}
END_TEST

START_TEST(td1_valid_and_broken)
{
    char text[256];
    ps_mrz m;
    snprintf(text, sizeof text, "%s\n%s\n%s", td1_l1, td1_l2, td1_l3);
    ck_assert_int_eq(ps_mrz_parse(text, &m), PS_OK);
    ck_assert_int_eq(m.format, PS_MRZ_TD1);
    ck_assert_uint_eq(m.findings, 0);
    ck_assert_str_eq(m.doc_code, "I");
    ck_assert_str_eq(m.number, "D23145890");
    ck_assert_str_eq(m.birth, "740812");
    ck_assert_str_eq(m.expiry, "120415");
    ck_assert_str_eq(m.nationality, "UTO");
    ck_assert_str_eq(m.surname, "ERIKSSON");
    ck_assert_str_eq(m.given_names, "ANNA MARIA");

    char l1[40], l2[40];
    strcpy(l1, td1_l1);
    l1[14] = '1';
    snprintf(text, sizeof text, "%s\n%s\n%s", l1, td1_l2, td1_l3);
    ck_assert_int_eq(ps_mrz_parse(text, &m), PS_OK);
    ck_assert_uint_eq(m.findings, PS_MRZ_BAD_NUMBER | PS_MRZ_BAD_COMPOSITE);

    strcpy(l2, td1_l2);
    l2[14] = '8';
    snprintf(text, sizeof text, "%s\n%s\n%s", td1_l1, l2, td1_l3);
    ck_assert_int_eq(ps_mrz_parse(text, &m), PS_OK);
    ck_assert_uint_eq(m.findings, PS_MRZ_BAD_EXPIRY | PS_MRZ_BAD_COMPOSITE);

    strcpy(l2, td1_l2);
    l2[29] = '2';
    snprintf(text, sizeof text, "%s\n%s\n%s", td1_l1, l2, td1_l3);
    ck_assert_int_eq(ps_mrz_parse(text, &m), PS_OK);
    ck_assert_uint_eq(m.findings, PS_MRZ_BAD_COMPOSITE);
}
END_TEST

/* OCR drops fillers at the end of line 1 (any number of them): the line is
 * padded back, and line 2's check digits still vouch for the zone. */
START_TEST(td3_short_names_line)
{
    char text[256];
    ps_mrz m;
    snprintf(text, sizeof text, "P<UTOERIKSSON<<ANNA<MARIA<<<<<\n%s", td3_l2);
    ck_assert_int_eq(ps_mrz_parse(text, &m), PS_OK);
    ck_assert_int_eq(m.format, PS_MRZ_TD3);
    ck_assert_uint_eq(m.findings, 0);
    ck_assert_str_eq(m.surname, "ERIKSSON");
    ck_assert_str_eq(m.given_names, "ANNA MARIA");
    /* a short line 1 that does not end in a filler is no MRZ line */
    snprintf(text, sizeof text, "P<UTOERIKSSON<<ANNA<MARIA\n%s", td3_l2);
    ck_assert_int_eq(ps_mrz_parse(text, &m), PS_E_FORMAT);
}
END_TEST

/* Line 1 read alone: the line, and the names it must give ("" = none). */
static const struct {
    const char *line;
    ps_status want;
    const char *surname, *given;
} td3_name_rows[] = {
    /* spaces and dropped fillers are tolerated */
    {" P<JPN ITO<<AOI<<<<<<<", PS_OK, "ITO", "AOI"},
    /* line 1 holds no digits: 0 1 5 8 are the letters O I S B misread,
     * any other digit means the line is not read as a name line */
    {"P<JPNIT0<<AOI<<<<<<<", PS_OK, "ITO", "AOI"},
    {"P<JPNIT7<<AOI<<<<<<<", PS_E_FORMAT, "", ""},
    /* Hepburn has no Q: on a Japanese passport it is an O; elsewhere a Q */
    {"P<JPNINQUE<<TARQ<<<<<<", PS_OK, "INOUE", "TARO"},
    {"P<IRLQUINN<<AOIFE<<<<<", PS_OK, "QUINN", "AOIFE"},
    /* the "P<" lost at the zone's edge, or only its P */
    {"JPNOKAMOTO<<MISAKI<<<<<<<<<<<", PS_OK, "OKAMOTO", "MISAKI"},
    {"<JPNMURAKAMI<<MAKOT0<<<<<<<<", PS_OK, "MURAKAMI", "MAKOTO"},
    /* no issuing state, not a passport, no << between the names, short */
    {"P<<<<ITO<<AOI<<<<<<<", PS_E_FORMAT, "", ""},
    {"<<<<ITO<<AOI<<<<<<<", PS_E_FORMAT, "", ""},
    {"JP<ITO<<AOI<<<<<<<", PS_E_FORMAT, "", ""},
    {"I<JPNITO<<AOI<<<<<<<", PS_E_FORMAT, "", ""},
    {"P<JPNITO<AOI<<<<<<<<", PS_E_FORMAT, "", ""},
    {"P<JPNITO<<AOI", PS_E_FORMAT, "", ""},
};

START_TEST(td3_names_line)
{
    char sur[32], given[32];
    ck_assert_int_eq(ps_mrz_td3_names(td3_l1, sur, sizeof sur, given, sizeof given), PS_OK);
    ck_assert_str_eq(sur, "ERIKSSON");
    ck_assert_str_eq(given, "ANNA MARIA");
    for (size_t i = 0; i < sizeof td3_name_rows / sizeof td3_name_rows[0]; i++) {
        ps_status st = ps_mrz_td3_names(td3_name_rows[i].line, sur, sizeof sur, given, sizeof given);
        ck_assert_msg(st == td3_name_rows[i].want, "%s: status %d", td3_name_rows[i].line, (int)st);
        ck_assert_str_eq(sur, td3_name_rows[i].surname);
        ck_assert_str_eq(given, td3_name_rows[i].given);
    }
    ck_assert_int_eq(ps_mrz_td3_names(NULL, sur, sizeof sur, given, sizeof given), PS_E_ARG);
}
END_TEST

/* OCR dropped line 2's fillers (and line 1's): no 44-character line, but
 * the birth and expiry dates still check and are found. */
START_TEST(td3_dates_short_line)
{
    char b[7], e[7];
    ps_mrz m;
    const char *text = "P<UTOERIKSSON<<ANNA\nL898902C36UTO7408122F1204159ZE184226B10";
    ck_assert_int_eq(ps_mrz_parse(text, &m), PS_E_FORMAT);
    ck_assert_int_eq(ps_mrz_td3_dates(text, b, e), PS_OK);
    ck_assert_str_eq(b, "740812");
    ck_assert_str_eq(e, "120415");
    /* one check digit wrong: nothing */
    ck_assert_int_eq(ps_mrz_td3_dates("UTO7408123F1204159", b, e), PS_E_FORMAT);
    ck_assert_str_eq(b, "");
    ck_assert_int_eq(ps_mrz_td3_dates("UTO7408122F1204158", b, e), PS_E_FORMAT);
    /* a letter or a filler sits between them (M F X <, or M misread as N:
     * the two check digits hold); a digit there is no sex */
    ck_assert_int_eq(ps_mrz_td3_dates("UTO7408122X1204159", b, e), PS_OK);
    ck_assert_int_eq(ps_mrz_td3_dates("UTO7408122N1204159", b, e), PS_OK);
    ck_assert_int_eq(ps_mrz_td3_dates("UTO7408122<1204159", b, e), PS_OK);
    ck_assert_int_eq(ps_mrz_td3_dates("UTO740812201204159", b, e), PS_E_FORMAT);
    ck_assert_int_eq(ps_mrz_td3_dates(NULL, b, e), PS_E_ARG);
}
END_TEST

START_TEST(not_an_mrz)
{
    ps_mrz m;
    ck_assert_int_eq(ps_mrz_parse("運転免許証\n東京都千代田区", &m), PS_E_FORMAT);
    ck_assert_int_eq(m.format, PS_MRZ_NONE);
    ck_assert_int_eq(ps_mrz_parse("P<UTOERIKSSON\nL898902C3", &m), PS_E_FORMAT);
    ck_assert_int_eq(ps_mrz_parse(NULL, &m), PS_E_ARG);
    ck_assert_int_eq(ps_mrz_parse("x", NULL), PS_E_ARG);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("mrz");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, check_digit_values);
    tcase_add_test(tc, td3_valid);
    tcase_add_test(tc, td3_ocr_noise);
    tcase_add_test(tc, td3_broken_check_digits);
    tcase_add_test(tc, td1_valid_and_broken);
    tcase_add_test(tc, td3_short_names_line);
    tcase_add_test(tc, td3_names_line);
    tcase_add_test(tc, td3_dates_short_line);
    tcase_add_test(tc, not_an_mrz);
    suite_add_tcase(s, tc);
    return ps_test_run(s);
}
