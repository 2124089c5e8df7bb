/* Date parser suite: a table of real-world printed forms with the ISO date
 * (or the failure) each must give, generated round trips over every day of a
 * century, day arithmetic, MRZ centuries, find_all, and truncation/mutation
 * robustness. Run with `--corpus` (tests/date.cmake) it checks the dates of
 * the shared corpus labels instead, exiting 77 when the corpus is absent. */
#include "testutil.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "prescreen/date.h"

/* Check's ck_assert records every passing call (a write per call); the hot
 * loops below use this, which only reaches Check on failure. */
#define REQUIRE(cond, ...)                                                           \
    do {                                                                             \
        if (!(cond))                                                                 \
            ck_abort_msg(__VA_ARGS__);                                               \
    } while (0)

/* The upload date every table row is parsed against (unless it says NONOW). */
static const ps_date NOW = {2026, 11, 22};

enum {
    F_FIX = 1,   /* ocr_fixes > 0 (otherwise it must be 0) */
    F_PAST = 2,  /* past_era_end */
    F_AMB = 4,   /* ambiguous */
    F_NONOW = 8  /* parse with now == NULL */
};

typedef struct row {
    const char *in;
    const char *iso;    /* expected date, or NULL for a failure */
    ps_date_issue issue;
    ps_date_form form;
    int era;
    const char *second; /* expected bracketed alternative, or NULL */
    int conflict;
    int flags;
} row;

#define W(in, iso) {in, iso, PS_DATE_OK, PS_DATE_WESTERN, 0, NULL, 0, 0}
#define WF(in, iso, fl) {in, iso, PS_DATE_OK, PS_DATE_WESTERN, 0, NULL, 0, fl}
#define E(in, iso, era) {in, iso, PS_DATE_OK, PS_DATE_ERA, era, NULL, 0, 0}
#define EF(in, iso, era, fl) {in, iso, PS_DATE_OK, PS_DATE_ERA, era, NULL, 0, fl}
#define L(in, iso, era) {in, iso, PS_DATE_OK, PS_DATE_ERA_LESS, era, NULL, 0, 0}
#define LF(in, iso, era, fl) {in, iso, PS_DATE_OK, PS_DATE_ERA_LESS, era, NULL, 0, fl}
#define N(in, iso) {in, iso, PS_DATE_OK, PS_DATE_ENGLISH, 0, NULL, 0, 0}
#define NF(in, iso, fl) {in, iso, PS_DATE_OK, PS_DATE_ENGLISH, 0, NULL, 0, fl}
#define B2(in, iso, form, era, second, conflict) {in, iso, PS_DATE_OK, form, era, second, conflict, 0}
#define X(in, issue) {in, NULL, issue, PS_DATE_WESTERN, -1, NULL, 0, 0}
#define XF(in, issue, fl) {in, NULL, issue, PS_DATE_WESTERN, -1, NULL, 0, fl}

enum { MEIJI = PS_ERA_MEIJI, TAISHO = PS_ERA_TAISHO, SHOWA = PS_ERA_SHOWA,
       HEISEI = PS_ERA_HEISEI, REIWA = PS_ERA_REIWA };
#define WEST PS_DATE_WESTERN
#define ERA PS_DATE_ERA
#define ENG PS_DATE_ENGLISH

static const row table[] = {
    /* ---- era dates, kanji era names ---- */
    E("平成2年4月1日", "1990-04-01", HEISEI),
    E("平成2年4月1日生", "1990-04-01", HEISEI),
    E("昭和61年5月1日生", "1986-05-01", SHOWA), /* corpus: licence specimen */
    E("平成元年3月31日", "1989-03-31", HEISEI), /* corpus: My Number specimen */
    E("令和元年5月1日", "2019-05-01", REIWA),
    E("令和元年5月7日", "2019-05-07", REIWA),
    E("令和01年05月07日 12345", "2019-05-07", REIWA), /* corpus: licence issue line */
    E("令和7年8月9日", "2025-08-09", REIWA),
    E("令和7年08月09日まで有効", "2025-08-09", REIWA),
    E("令和9年05月01日まで有効", "2027-05-01", REIWA),
    EF("平成33年06月01日まで有効", "2021-06-01", HEISEI, F_PAST),
    EF("平成31年5月1日", "2019-05-01", HEISEI, F_PAST),
    E("平成31年4月30日", "2019-04-30", HEISEI),
    EF("平成32年3月31日", "2020-03-31", HEISEI, F_PAST),
    E("昭和64年1月7日", "1989-01-07", SHOWA),
    EF("昭和64年1月8日", "1989-01-08", SHOWA, F_PAST),
    E("昭和元年12月25日", "1926-12-25", SHOWA),
    E("昭和元年12月31日", "1926-12-31", SHOWA),
    E("昭和2年1月1日", "1927-01-01", SHOWA),
    E("昭和20年8月15日", "1945-08-15", SHOWA),
    E("昭和39年10月10日", "1964-10-10", SHOWA),
    E("昭和63年12月31日", "1988-12-31", SHOWA),
    E("大正元年7月30日", "1912-07-30", TAISHO),
    E("大正15年12月24日", "1926-12-24", TAISHO),
    E("大正12年9月1日", "1923-09-01", TAISHO),
    E("明治元年1月25日", "1868-01-25", MEIJI),
    E("明治45年7月29日", "1912-07-29", MEIJI),
    E("明治33年1月1日", "1900-01-01", MEIJI),
    E("平成元年1月8日", "1989-01-08", HEISEI),
    E("平成12年2月29日", "2000-02-29", HEISEI),
    E("平成8年2月29日", "1996-02-29", HEISEI),
    E("令和2年2月29日", "2020-02-29", REIWA),
    E("令和6年2月29日", "2024-02-29", REIWA),
    E("平成30年12月31日", "2018-12-31", HEISEI),
    E("令和8年11月22日", "2026-11-22", REIWA),
    E("令和10年1月1日", "2028-01-01", REIWA),
    E("令和11年6月15日", "2029-06-15", REIWA),
    E("平成 2年 4月 1日", "1990-04-01", HEISEI),
    E("令和 7年 8月 9日", "2025-08-09", REIWA),
    E("令和　７年　８月　９日", "2025-08-09", REIWA),
    EF("平 成2年4月1日", "1990-04-01", HEISEI, F_FIX),
    E("昭和 61 年 5 月 1 日", "1986-05-01", SHOWA),
    E("㍻2年4月1日", "1990-04-01", HEISEI),
    E("㋿7年8月9日", "2025-08-09", REIWA),
    E("㍼50年1月1日", "1975-01-01", SHOWA),
    E("㍽10年5月5日", "1921-05-05", TAISHO),
    E("㍾40年3月3日", "1907-03-03", MEIJI),
    E("平成2年4月1", "1990-04-01", HEISEI),

    /* ---- era abbreviations ---- */
    E("H2.4.1", "1990-04-01", HEISEI),
    E("S63/12/31", "1988-12-31", SHOWA),
    E("R7.08.09", "2025-08-09", REIWA),
    E("H02.04.01", "1990-04-01", HEISEI),
    E("H2/4/1", "1990-04-01", HEISEI),
    E("H2-4-1", "1990-04-01", HEISEI),
    E("R1.5.1", "2019-05-01", REIWA),
    E("R元.5.1", "2019-05-01", REIWA),
    E("S64.1.7", "1989-01-07", SHOWA),
    E("T12.9.1", "1923-09-01", TAISHO),
    E("M45.7.29", "1912-07-29", MEIJI),
    E("H31.4.30", "2019-04-30", HEISEI),
    E("H 2.4.1", "1990-04-01", HEISEI),
    E("H2年4月1日", "1990-04-01", HEISEI),
    E("R7・8・9", "2025-08-09", REIWA),
    E("Ｈ２．４．１", "1990-04-01", HEISEI),
    E("R07.08.09", "2025-08-09", REIWA),
    E("S40.11.3", "1965-11-03", SHOWA),
    E("平成2.4.1", "1990-04-01", HEISEI),
    E("令和7/8/9", "2025-08-09", REIWA),
    E("令和元.5.1", "2019-05-01", REIWA),
    E("R 7. 8. 9", "2025-08-09", REIWA),
    E("R7ー8ー9", "2025-08-09", REIWA), /* a stroke in a separator date separates */

    /* ---- full-width digits ---- */
    W("１９９０年４月１日", "1990-04-01"),
    E("平成２年４月１日", "1990-04-01", HEISEI),
    E("令和７年８月９日", "2025-08-09", REIWA),
    W("２０２６／１１／２２", "2026-11-22"),
    W("２０２６－１１－２２", "2026-11-22"),
    W("２０２６．１１．２２", "2026-11-22"),
    B2("２０２９年（令和１１年）０６月１５日まで有効", "2029-06-15", WEST, REIWA, "2029-06-15", 0),
    N("０１　ＪＡＮ　２０３０", "2030-01-01"),
    N("ＪＡＮ　０１　２０３０", "2030-01-01"),
    E("昭和６１年５月１日生", "1986-05-01", SHOWA),

    /* ---- kanji numerals ---- */
    E("平成二年四月一日", "1990-04-01", HEISEI),
    E("令和元年十二月二十五日", "2019-12-25", REIWA),
    W("二〇二六年十一月二十二日", "2026-11-22"),
    E("昭和六十一年五月一日", "1986-05-01", SHOWA),
    E("平成三十一年四月三十日", "2019-04-30", HEISEI),
    E("令和七年八月九日", "2025-08-09", REIWA),
    E("平成十年十月十日", "1998-10-10", HEISEI),
    E("昭和二十年八月十五日", "1945-08-15", SHOWA),
    E("大正十二年九月一日", "1923-09-01", TAISHO),
    W("二千二十六年十一月二十二日", "2026-11-22"),
    W("千九百九十年四月一日", "1990-04-01"),
    W("一九九〇年四月一日", "1990-04-01"),
    E("令和二年二月二十九日", "2020-02-29", REIWA),
    E("平成元年一月八日", "1989-01-08", HEISEI),
    E("昭和六十四年一月七日", "1989-01-07", SHOWA),
    E("令和七年十二月三十一日", "2025-12-31", REIWA),
    E("平成二十年十一月二十一日", "2008-11-21", HEISEI),
    W("二〇一九年五月一日", "2019-05-01"),
    E("令和七年一月十一日", "2025-01-11", REIWA),

    /* ---- zero and space padding ---- */
    E("令和 7年 8月 9日交付", "2025-08-09", REIWA),
    W("2026年06月15日", "2026-06-15"),
    E("令和07年06月05日", "2025-06-05", REIWA),
    W("2026年 6月 5日", "2026-06-05"),
    W("2026 年 11 月 22 日", "2026-11-22"),
    W("2026/06/05", "2026-06-05"),
    W("2026/6/5", "2026-06-05"),
    W("2026 / 11 / 22", "2026-11-22"),
    E("令和　元年　５月　１日", "2019-05-01", REIWA),
    W("2026年　6月　5日", "2026-06-05"),

    /* ---- separators ---- */
    W("2026-11-22", "2026-11-22"),
    W("2026.11.22", "2026-11-22"),
    W("2026/11/22", "2026-11-22"),
    W("2026・11・22", "2026-11-22"),
    W("2026－11－22", "2026-11-22"),
    W("2026／11／22", "2026-11-22"),
    W("2026ー11ー22", "2026-11-22"),
    W("2026一11一22", "2026-11-22"),
    W("2026−11−22", "2026-11-22"),
    W("2026‐11‐22", "2026-11-22"),
    W("2026。11。22", "2026-11-22"),
    W("2026年11月22日", "2026-11-22"),
    W("20261122", "2026-11-22"),
    W("2026/11.22", "2026-11-22"),
    W("2026 . 11 . 22", "2026-11-22"),

    /* ---- labels before, words after ---- */
    E("生年月日 平成2年4月1日", "1990-04-01", HEISEI),
    E("生年月日：昭和61年5月1日生", "1986-05-01", SHOWA),
    E("令和7年8月9日交付", "2025-08-09", REIWA),
    E("令和7年8月9日発行", "2025-08-09", REIWA),
    W("2025年3月31日まで有効", "2025-03-31"), /* corpus: My Number specimen */
    W("有効期限 2030年01月01日", "2030-01-01"),
    E("交付 令和01年05月07日 12345", "2019-05-07", REIWA),
    W("発行日:2026/11/01", "2026-11-01"),
    W("2026年11月22日(日)", "2026-11-22"),
    W("2026年11月22日（日）", "2026-11-22"),
    E("証明日 令和8年11月1日", "2026-11-01", REIWA),
    N("Date of birth: 01 JAN 1990", "1990-01-01"),
    L("郵便 7.8.9 12-18", "2025-08-09", REIWA),
    E("平成2年4月1日生まれ", "1990-04-01", HEISEI),
    E("有効期間の末日 令和9年5月1日", "2027-05-01", REIWA),
    W("2026年11月22日 12時30分", "2026-11-22"),
    W("2026/11/22 12:30", "2026-11-22"),
    W("2026/11/2 12:30", "2026-11-02"),
    E("令和7年8月9日 12時", "2025-08-09", REIWA),

    /* ---- bracketed pairs, cross-checked ---- */
    B2("2029年(令和11年)06月15日まで有効", "2029-06-15", WEST, REIWA, "2029-06-15", 0),
    B2("2029年（令和11年）06月15日まで有効", "2029-06-15", WEST, REIWA, "2029-06-15", 0),
    B2("2024年(令和06年)06月01日まで有効", "2024-06-01", WEST, REIWA, "2024-06-01", 0),
    B2("2029年(令和12年)06月15日", "2029-06-15", WEST, REIWA, "2030-06-15", 1),
    B2("2021年(平成33年)06月01日まで有効", "2021-06-01", WEST, HEISEI, "2021-06-01", 0),
    B2("令和11年(2029年)6月15日", "2029-06-15", ERA, REIWA, "2029-06-15", 0),
    B2("平成2年(1990年)4月1日", "1990-04-01", ERA, HEISEI, "1990-04-01", 0),
    B2("平成2年(1991年)4月1日", "1990-04-01", ERA, HEISEI, "1991-04-01", 1),
    B2("2029(令和11)年6月15日", "2029-06-15", WEST, REIWA, "2029-06-15", 0),
    B2("令和11年6月15日(2029年6月15日)", "2029-06-15", ERA, REIWA, "2029-06-15", 0),
    B2("2029年6月15日（令和11年6月15日）", "2029-06-15", WEST, REIWA, "2029-06-15", 0),
    B2("令和11年6月15日(2029年6月16日)", "2029-06-15", ERA, REIWA, "2029-06-16", 1),
    B2("2019年(令和1年)4月1日", "2019-04-01", WEST, REIWA, "2019-04-01", 1),
    B2("2029年 ( R11 ) 06月15日", "2029-06-15", WEST, REIWA, "2029-06-15", 0),
    B2("2029年(令和十一年)六月十五日", "2029-06-15", WEST, REIWA, "2029-06-15", 0),
    B2("1990年(平成2年)4月1日生", "1990-04-01", WEST, HEISEI, "1990-04-01", 0),
    B2("2029年(令和11年)06月15日(金)", "2029-06-15", WEST, REIWA, "2029-06-15", 0),

    /* ---- era-less postmarks, inferred from NOW = 2026-11-22 ---- */
    L("7.8.9", "2025-08-09", REIWA),
    L("8.11.22", "2026-11-22", REIWA),
    LF("8.11.23", "1996-11-23", HEISEI, F_AMB), /* 令和8.11.23 is tomorrow */
    L("1.5.1", "2019-05-01", REIWA),
    L("31.4.30", "2019-04-30", HEISEI),
    L("31.5.1", "1956-05-01", SHOWA),
    LF("26.11.22", "2014-11-22", HEISEI, F_AMB),
    L("7年8月9日", "2025-08-09", REIWA),
    L("七年八月九日", "2025-08-09", REIWA),
    L("7．8．9", "2025-08-09", REIWA),
    L("7・8・9", "2025-08-09", REIWA),
    L("07.08.09", "2025-08-09", REIWA),
    L("64.1.7", "1989-01-07", SHOWA),
    L("７.８.９", "2025-08-09", REIWA),

    /* ---- Western ---- */
    W("1990/04/01", "1990-04-01"),
    W("1868/01/01", "1868-01-01"),
    W("2199/12/31", "2199-12-31"),
    W("2000/02/29", "2000-02-29"),
    W("14.08.1994", "1994-08-14"), /* corpus: SIDTD passport, day first */
    W("20-11-1991", "1991-11-20"), /* corpus: SIDTD id card */
    W("13-04-2019", "2019-04-13"),
    W("16.08.2018", "2018-08-16"),
    W("1/4/1990", "1990-04-01"),
    W("19900401", "1990-04-01"),
    W("1990年4月1日", "1990-04-01"),
    W("1990/4/1生", "1990-04-01"),
    W("2026/11/22-2027/11/21", "2026-11-22"),

    /* ---- English and passport ---- */
    N("01 JAN 2030", "2030-01-01"),
    N("1 Jan 2030", "2030-01-01"),
    N("JAN 01 2030", "2030-01-01"),
    N("Jan 1, 2030", "2030-01-01"),
    N("January 1, 2030", "2030-01-01"),
    N("1 January 2030", "2030-01-01"),
    B2("01 JAN / JAN 2030", "2030-01-01", ENG, 0, "2030-01-01", 0),
    B2("01 1月/JAN 2030", "2030-01-01", ENG, 0, "2030-01-01", 0),
    B2("15 6月/JUN 1990", "1990-06-15", ENG, 0, "1990-06-15", 0),
    B2("12 1월/JAN 2030", "2030-01-12", ENG, 0, "2030-01-12", 0),
    B2("01 2月/JAN 2030", "2030-02-01", ENG, 0, "2030-01-01", 1),
    N("01JAN2030", "2030-01-01"),
    N("01-JAN-2030", "2030-01-01"),
    N("01.JAN.2030", "2030-01-01"),
    N("29 FEB 2028", "2028-02-29"),
    N("31 DEC 2030", "2030-12-31"),
    N("Sept 9, 2030", "2030-09-09"),
    N("09 SEP 2030", "2030-09-09"),
    N("23 Jul 2031", "2031-07-23"),
    N("01 Oct 2030", "2030-10-01"),
    N("1st Jan 2030", "2030-01-01"),
    N("December 25th, 2029", "2029-12-25"),
    N("15 JUN 1990", "1990-06-15"),
    N("01 may 2030", "2030-05-01"),
    N("MAY 5 2030", "2030-05-05"),
    N("01OCT2030", "2030-10-01"),

    /* ---- OCR confusions ---- */
    WF("2O26/11/22", "2026-11-22", F_FIX),
    WF("2026/l1/22", "2026-11-22", F_FIX),
    WF("2026/I1/22", "2026-11-22", F_FIX),
    WF("2026/|1/22", "2026-11-22", F_FIX),
    WF("2026/11/2l", "2026-11-21", F_FIX),
    WF("199O年4月1日", "1990-04-01", F_FIX),
    EF("平成2年4月l日", "1990-04-01", HEISEI, F_FIX),
    EF("令和7年ー月ー日", "2025-01-01", REIWA, F_FIX),
    EF("令和7年十ー月二十ー日", "2025-11-21", REIWA, F_FIX),
    WF("2026年1ー月2ー日", "2026-11-21", F_FIX),
    WF("2026年1一月 22日", "2026-11-22", F_FIX),
    WF("20一6年4月1日", "2016-04-01", F_FIX),
    WF("2025年3月3l日", "2025-03-31", F_FIX),
    WF("2O25年O3月31日", "2025-03-31", F_FIX),
    WF("2026/11/2S", "2026-11-25", F_FIX),
    WF("1B.0B.2030", "2030-08-18", F_FIX),
    WF("19B8/12/31", "1988-12-31", F_FIX),
    WF("20 26/11/22", "2026-11-22", F_FIX),
    WF("2026/1 1/22", "2026-11-22", F_FIX),
    WF("1 990年4月1日", "1990-04-01", F_FIX),
    EF("平成 1 0年4月1日", "1998-04-01", HEISEI, F_FIX),
    NF("O1 JAN 2O30", "2030-01-01", F_FIX),
    NF("01 0CT 2030", "2030-10-01", F_FIX),
    NF("01 N0V 2030", "2030-11-01", F_FIX),
    NF("170CT2029", "2029-10-17", F_FIX),   /* passport expiry read with its O as 0 and no spaces */
    NF("05 5EP 2030", "2030-09-05", F_FIX), /* the S of SEP read as 5 */
    NF("175EP2029", "2029-09-17", F_FIX),
    EF("平成ニ年四月一日", "1990-04-01", HEISEI, F_FIX),
    EF("平成二年ハ月一日", "1990-08-01", HEISEI, F_FIX),
    WF("二○二六年十一月二十二日", "2026-11-22", F_FIX),
    EF("Hl.4.l", "1989-04-01", HEISEI, F_FIX),
    EF("S6O.1.1", "1985-01-01", SHOWA, F_FIX),
    WF("2026/11/2 2", "2026-11-22", F_FIX),
    EF("R7.O8.O9", "2025-08-09", REIWA, F_FIX),
    EF("平成2年4月1曰生", "1990-04-01", HEISEI, F_FIX),

    /* ---- invalid dates are errors ---- */
    X("令和1年4月1日", PS_DATE_BEFORE_ERA),
    X("令和元年4月30日", PS_DATE_BEFORE_ERA),
    X("平成元年1月7日", PS_DATE_BEFORE_ERA),
    X("昭和元年12月24日", PS_DATE_BEFORE_ERA),
    X("大正元年7月29日", PS_DATE_BEFORE_ERA),
    X("明治元年1月24日", PS_DATE_BEFORE_ERA),
    X("R1.4.1", PS_DATE_BEFORE_ERA),
    X("令和1年(2019年)4月1日", PS_DATE_BEFORE_ERA),
    X("2026/02/29", PS_DATE_BAD_CALENDAR),
    X("2026年2月30日", PS_DATE_BAD_CALENDAR),
    X("2026/04/31", PS_DATE_BAD_CALENDAR),
    X("2026/13/01", PS_DATE_BAD_CALENDAR),
    X("2026/00/10", PS_DATE_BAD_CALENDAR),
    X("2026/10/00", PS_DATE_BAD_CALENDAR),
    X("1900/02/29", PS_DATE_BAD_CALENDAR),
    X("平成5年2月29日", PS_DATE_BAD_CALENDAR),
    X("31 APR 2030", PS_DATE_BAD_CALENDAR),
    X("29 FEB 2031", PS_DATE_BAD_CALENDAR),
    X("20260230", PS_DATE_BAD_CALENDAR),
    X("2026年11月32日", PS_DATE_BAD_CALENDAR),
    X("2026年(令和8年)2月29日", PS_DATE_BAD_CALENDAR),
    X("7.13.1", PS_DATE_BAD_CALENDAR),
    X("平成0年1月1日", PS_DATE_OUT_OF_RANGE),
    X("1867/12/31", PS_DATE_OUT_OF_RANGE),
    X("2200/01/01", PS_DATE_OUT_OF_RANGE),
    X("0001/01/01", PS_DATE_OUT_OF_RANGE),
    X("64.1.8", PS_DATE_NO_ERA_FITS),
    XF("7.8.9", PS_DATE_NEED_NOW, F_NONOW),
    XF("7年8月9日", PS_DATE_NEED_NOW, F_NONOW),
    X("hello", PS_DATE_NOT_FOUND),
    X("", PS_DATE_NOT_FOUND),
    X("2026", PS_DATE_NOT_FOUND),
    X("2026年", PS_DATE_NOT_FOUND),
    X("2026年11月", PS_DATE_NOT_FOUND),
    X("11月22日", PS_DATE_NOT_FOUND),
    X("06月15日", PS_DATE_NOT_FOUND),
    X("令和元年", PS_DATE_NOT_FOUND),
    X("1.2.3.4", PS_DATE_NOT_FOUND),
    X("192.168.1.1", PS_DATE_NOT_FOUND),
    X("東京都千代田区千代田1-1-1", PS_DATE_NOT_FOUND),
    X("東京都千代田区霞が関2-1-2", PS_DATE_NOT_FOUND),
    X("7-8-9", PS_DATE_NOT_FOUND), /* hyphens: an address, not a postmark */
    X("7/8/9", PS_DATE_NOT_FOUND),
    X("12/25/2030", PS_DATE_BAD_CALENDAR), /* day first: month 25 */
    X("03-1234-5678", PS_DATE_NOT_FOUND),
    X("2026/11/223", PS_DATE_NOT_FOUND),
    X("12026/11/22", PS_DATE_NOT_FOUND),
    X("2026/11/22/5", PS_DATE_NOT_FOUND),
    X("令和100年1月1日", PS_DATE_NOT_FOUND),
    X("昭和区", PS_DATE_NOT_FOUND),
    X("4111 1111 1111 1111", PS_DATE_NOT_FOUND),
    X("123456789012", PS_DATE_NOT_FOUND),
    X("S5", PS_DATE_NOT_FOUND),
    X("15 JUN/JUIN", PS_DATE_NOT_FOUND),
    X("2026年１１月", PS_DATE_NOT_FOUND),
    X("\xe5\xb9\xb3\xe6\x88", PS_DATE_NOT_FOUND), /* 平 and a truncated 成 */
};

#define N_ROWS ((int)(sizeof table / sizeof table[0]))

START_TEST(table_has_enough_forms)
{
    ck_assert_int_ge(N_ROWS, 200);
}
END_TEST

/* Checks one row; returns NULL when it holds, else a description of the
 * difference (in a static buffer: the suite is single-threaded). */
static const char *check_row(const row *t)
{
    static char why[512];
    ps_date_result r;
    char iso[11], iso2[11];
    const ps_date *now = (t->flags & F_NONOW) ? NULL : &NOW;
    ps_status st = ps_date_parse(t->in, now, &r);
    ps_date_to_iso(r.date, iso);
    ps_date_to_iso(r.second, iso2);
#define DIFF(cond, ...)                                                                  \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            snprintf(why, sizeof why, __VA_ARGS__);                                      \
            return why;                                                                  \
        }                                                                                \
    } while (0)
    if (t->iso) {
        DIFF(st == PS_OK && r.issue == PS_DATE_OK, "status %d issue %s", st,
             ps_date_issue_name(r.issue));
        DIFF(strcmp(iso, t->iso) == 0, "got %s want %s", iso, t->iso);
        DIFF(r.form == t->form, "form %d want %d", r.form, t->form);
        DIFF(r.era == t->era, "era %d want %d", r.era, t->era);
        DIFF(r.has_second == (t->second != NULL), "has_second %d", r.has_second);
        DIFF(!t->second || strcmp(iso2, t->second) == 0, "second %s want %s", iso2, t->second);
        DIFF(r.conflict == t->conflict, "conflict %d", r.conflict);
        DIFF((r.ocr_fixes > 0) == !!(t->flags & F_FIX), "ocr_fixes %d", r.ocr_fixes);
        DIFF(r.past_era_end == !!(t->flags & F_PAST), "past_era_end %d", r.past_era_end);
        DIFF(r.ambiguous == !!(t->flags & F_AMB), "ambiguous %d", r.ambiguous);
        DIFF(r.start < r.end && r.end <= strlen(t->in), "span %zu..%zu", r.start, r.end);
    } else {
        DIFF(st == PS_E_ARG, "status %d, date %s", st, iso);
        DIFF(r.issue == t->issue, "issue %s want %s", ps_date_issue_name(r.issue),
             ps_date_issue_name(t->issue));
        DIFF(iso[0] == '\0', "a failure carries the date %s", iso);
    }
#undef DIFF
    return NULL;
}

/* All rows in one test (one fork), every failing row reported. */
START_TEST(table_rows)
{
    int failed = 0;
    for (int i = 0; i < N_ROWS; i++) {
        const char *why = check_row(&table[i]);
        if (why) {
            fprintf(stderr, "row %d [%s]: %s\n", i, table[i].in, why);
            failed++;
        }
    }
    ck_assert_msg(failed == 0, "%d of %d rows failed (listed on stderr)", failed, N_ROWS);
}
END_TEST

/* ---------------------------------------------------------------------- */

START_TEST(span_covers_only_the_date)
{
    const char *s = "生年月日 平成2年4月1日生";
    ps_date_result r;
    ck_assert_int_eq(ps_date_parse(s, NULL, &r), PS_OK);
    ck_assert_uint_eq(r.start, strlen("生年月日 "));
    ck_assert_uint_eq(r.end, strlen("生年月日 平成2年4月1日"));
    s = "2029年(令和11年)06月15日まで有効";
    ck_assert_int_eq(ps_date_parse(s, NULL, &r), PS_OK);
    ck_assert_uint_eq(r.start, 0);
    ck_assert_uint_eq(r.end, strlen("2029年(令和11年)06月15日"));
    s = "x 令和11年6月15日（2029年6月15日） y";
    ck_assert_int_eq(ps_date_parse(s, NULL, &r), PS_OK);
    ck_assert_uint_eq(r.start, 2);
    ck_assert_uint_eq(r.end, strlen("x 令和11年6月15日（2029年6月15日）"));
}
END_TEST

START_TEST(eraless_follows_now)
{
    ps_date_result r;
    ps_date before = {2025, 8, 1}, at = {2019, 5, 1}, prior = {2019, 4, 30}, bad = {2026, 2, 30};
    char iso[11];
    ck_assert_int_eq(ps_date_parse("7.8.9", &before, &r), PS_OK);
    ps_date_to_iso(r.date, iso);
    ck_assert_str_eq(iso, "1995-08-09");
    ck_assert_int_eq(r.era, PS_ERA_HEISEI);
    ck_assert_int_eq(r.ambiguous, 1);
    ck_assert_int_eq(ps_date_parse("1.5.1", &at, &r), PS_OK);
    ps_date_to_iso(r.date, iso);
    ck_assert_str_eq(iso, "2019-05-01");
    ck_assert_int_eq(ps_date_parse("1.5.1", &prior, &r), PS_OK);
    ps_date_to_iso(r.date, iso);
    ck_assert_str_eq(iso, "1989-05-01");
    ck_assert_int_eq(ps_date_parse("7.8.9", &bad, &r), PS_E_ARG);
    ck_assert_int_eq(r.issue, PS_DATE_NEED_NOW);
    /* an explicit era never needs now */
    ck_assert_int_eq(ps_date_parse("R7.8.9", NULL, &r), PS_OK);
}
END_TEST

START_TEST(null_and_limits)
{
    ps_date_result r, many[2];
    char *big;
    size_t n = PS_DATE_MAX_INPUT + 1;
    ck_assert_int_eq(ps_date_parse(NULL, &NOW, &r), PS_E_ARG);
    ck_assert_int_eq(r.issue, PS_DATE_NOT_FOUND);
    ck_assert_int_eq(ps_date_parse("2026/11/22", &NOW, NULL), PS_E_ARG);
    ck_assert_int_eq(ps_date_find_all(NULL, &NOW, many, 2), -1);
    ck_assert_int_eq(ps_date_find_all("2026/11/22", &NOW, NULL, 1), -1);
    ck_assert_int_eq(ps_date_find_all("2026/11/22", &NOW, many, -1), -1);
    ck_assert_int_eq(ps_date_find_all("2026/11/22", &NOW, NULL, 0), 1);
    big = malloc(n + 1);
    ck_assert_ptr_nonnull(big);
    memset(big, ' ', n);
    memcpy(big, "2026/11/22", 10);
    big[n] = '\0';
    ck_assert_int_eq(ps_date_parse(big, &NOW, &r), PS_E_ARG);
    ck_assert_int_eq(ps_date_find_all(big, &NOW, many, 2), -1);
    big[n - 1] = '\0'; /* exactly at the limit: accepted */
    ck_assert_int_eq(ps_date_parse(big, &NOW, &r), PS_OK);
    free(big);
    ck_assert_str_eq(ps_date_era_name(PS_ERA_REIWA), "令和");
    ck_assert_str_eq(ps_date_era_name(0), "");
    ck_assert_str_eq(ps_date_era_name(99), "");
    ck_assert_str_eq(ps_date_issue_name(PS_DATE_BEFORE_ERA), "before_era");
    ck_assert_str_eq(ps_date_issue_name((ps_date_issue)42), "unknown");
}
END_TEST

START_TEST(embedded_nul_is_not_the_end)
{
    static const char s[] = "xx\0 2026/11/22";
    ps_date_result r;
    ck_assert_int_eq(ps_date_parse_n(s, sizeof s - 1, &NOW, &r), PS_OK);
    ck_assert_uint_eq(r.start, 4);
    ck_assert_int_eq(ps_date_parse(s, &NOW, &r), PS_E_ARG); /* the C string ends at NUL */
}
END_TEST

START_TEST(find_all_in_a_licence)
{
    const char *s = "氏名 日本花子 昭和61年5月1日生 住所 東京都千代田区霞が関2-1-2 "
                    "交付 令和01年05月07日 12345 2024年(令和06年)06月01日まで有効 "
                    "令和1年4月1日 H2.2.30 1.2.3.4 有効期間 2026.11.22〜2027.11.21";
    const char *want[] = {"1986-05-01", "2019-05-07", "2024-06-01", "2026-11-22", "2027-11-21"};
    ps_date_result r[8];
    char iso[11];
    int n = ps_date_find_all(s, &NOW, r, 8);
    ck_assert_int_eq(n, 5);
    for (int i = 0; i < n; i++) {
        ps_date_to_iso(r[i].date, iso);
        ck_assert_str_eq(iso, want[i]);
        if (i > 0)
            ck_assert_uint_ge(r[i].start, r[i - 1].end);
    }
    ck_assert_int_eq(r[2].has_second, 1);
    /* more dates than room: the count is still the total */
    ck_assert_int_eq(ps_date_find_all(s, &NOW, r, 2), 5);
    ps_date_to_iso(r[1].date, iso);
    ck_assert_str_eq(iso, "2019-05-07");
    /* an invalid era date is skipped whole: 1年4月1日 inside it is not era-less */
    ck_assert_int_eq(ps_date_find_all("令和1年4月1日", &NOW, r, 8), 0);
    ck_assert_int_eq(ps_date_find_all("2026/11/22-2027/11/21", &NOW, r, 8), 2);
    ck_assert_int_eq(ps_date_find_all("no dates here", &NOW, r, 8), 0);
}
END_TEST

START_TEST(find_all_long_text)
{
    /* 4000 dates in about 48 KiB: count, order, and bounded work */
    size_t cap = 4000 * 12 + 1, len = 0;
    char *s = malloc(cap);
    ps_date_result r[4];
    ck_assert_ptr_nonnull(s);
    for (int i = 0; i < 4000; i++) {
        ps_date d = ps_date_add_days((ps_date){2000, 1, 1}, i);
        char iso[11];
        ps_date_to_iso(d, iso);
        iso[4] = iso[7] = '/';
        memcpy(s + len, iso, 10);
        s[len + 10] = ';';
        s[len + 11] = ' ';
        len += 12;
    }
    s[len] = '\0';
    ck_assert_int_eq(ps_date_find_all(s, &NOW, r, 4), 4000);
    ck_assert_int_eq(r[3].date.day, 4);
    free(s);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Generated round trips: every day, printed the ways documents print it. */

static const char *kanji_digits[] = {"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"};

/* 1..99 the way documents write it: 十, 二十五 */
static void kanji_num(int v, char *out, size_t cap)
{
    out[0] = '\0';
    if (v >= 20)
        snprintf(out + strlen(out), cap - strlen(out), "%s", kanji_digits[v / 10]);
    if (v >= 10)
        snprintf(out + strlen(out), cap - strlen(out), "十");
    if (v % 10 || v < 10)
        snprintf(out + strlen(out), cap - strlen(out), "%s", kanji_digits[v % 10]);
}

static int era_of(ps_date d)
{
    static const ps_date first[] = {{0, 0, 0},       {1868, 1, 25}, {1912, 7, 30},
                                    {1926, 12, 25}, {1989, 1, 8},  {2019, 5, 1}};
    for (int e = 5; e >= 1; e--)
        if (ps_date_cmp(d, first[e]) >= 0)
            return e;
    return 0;
}

static void expect(const char *s, ps_date want)
{
    ps_date_result r;
    char a[11], b[11];
    ps_status st = ps_date_parse(s, &NOW, &r);
    ps_date_to_iso(r.date, a);
    ps_date_to_iso(want, b);
    REQUIRE(st == PS_OK && ps_date_cmp(r.date, want) == 0, "[%s]: got %s want %s", s, a, b);
}

START_TEST(every_day_round_trips)
{
    static const char *const names[] = {"", "明治", "大正", "昭和", "平成", "令和"};
    static const char letters[] = " MTSHR";
    static const char *const mon[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                      "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
    ps_date d = {1900, 1, 1}, end = {2040, 12, 31};
    char s[160], y[16], m[16], dd[16];
    long count = 0;
    for (; ps_date_cmp(d, end) <= 0; d = ps_date_add_days(d, 1), count++) {
        int e = era_of(d);
        int ey = d.year - (e == 1 ? 1868 : e == 2 ? 1912 : e == 3 ? 1926 : e == 4 ? 1989 : 2019) + 1;
        snprintf(s, sizeof s, "%04d/%02d/%02d", d.year, d.month, d.day);
        expect(s, d);
        snprintf(s, sizeof s, "%d年%d月%d日", d.year, d.month, d.day);
        expect(s, d);
        snprintf(s, sizeof s, "%02d %s %04d", d.day, mon[d.month - 1], d.year);
        expect(s, d);
        if (ey == 1)
            snprintf(s, sizeof s, "%s元年%d月%d日生", names[e], d.month, d.day);
        else
            snprintf(s, sizeof s, "%s%02d年%02d月%02d日まで有効", names[e], ey, d.month, d.day);
        expect(s, d);
        snprintf(s, sizeof s, "%c%d.%d.%d", letters[e], ey, d.month, d.day);
        expect(s, d);
        if (count % 3 == 0) {
            kanji_num(ey, y, sizeof y);
            kanji_num(d.month, m, sizeof m);
            kanji_num(d.day, dd, sizeof dd);
            snprintf(s, sizeof s, "%s%s年%s月%s日", names[e], ey == 1 ? "元" : y, m, dd);
            expect(s, d);
        }
        if (e == PS_ERA_REIWA && ps_date_cmp(d, NOW) <= 0) {
            snprintf(s, sizeof s, "%d.%d.%d", ey, d.month, d.day);
            expect(s, d);
        }
    }
    ck_assert_int_gt(count, 51000);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Arithmetic */

START_TEST(day_arithmetic)
{
    ps_date epoch = {1970, 1, 1}, d = {1600, 1, 1}, stop = {2400, 12, 31}, out;
    char iso[11];
    long prev = ps_date_days(d) - 1;
    ck_assert_int_eq(ps_date_days(epoch), 0);
    ck_assert_int_eq(ps_date_days((ps_date){2000, 3, 1}), 11017);
    ck_assert_int_eq(ps_date_days((ps_date){1969, 12, 31}), -1);
    ck_assert_int_eq(ps_date_days((ps_date){2026, 11, 22}), 20779);
    ck_assert_int_eq(ps_date_days((ps_date){2026, 2, 29}), LONG_MIN);
    /* every day for 800 years: consecutive counts, add_days inverse, ISO round trip */
    while (ps_date_cmp(d, stop) <= 0) {
        long n = ps_date_days(d);
        REQUIRE(n == prev + 1, "day count jumps at %d-%d-%d", d.year, d.month, d.day);
        REQUIRE(ps_date_cmp(ps_date_add_days(epoch, n), d) == 0, "add_days(%ld)", n);
        REQUIRE(ps_date_to_iso(d, iso) == 10, "to_iso %ld", n);
        REQUIRE(ps_date_from_iso(iso, &out) == PS_OK && ps_date_cmp(out, d) == 0, "[%s]", iso);
        prev = n;
        d = ps_date_add_days(d, 1);
    }
    ck_assert_int_eq(ps_date_cmp(ps_date_add_days((ps_date){2024, 2, 28}, 1),
                                 (ps_date){2024, 2, 29}), 0);
    ck_assert_int_eq(ps_date_cmp(ps_date_add_days((ps_date){2023, 2, 28}, 1),
                                 (ps_date){2023, 3, 1}), 0);
    ck_assert_int_eq(ps_date_cmp(ps_date_add_days((ps_date){2026, 11, 22}, -180),
                                 (ps_date){2026, 5, 26}), 0);
    /* out of range and invalid inputs give the zero date */
    ck_assert_int_eq(ps_date_add_days((ps_date){9999, 12, 31}, 1).year, 0);
    ck_assert_int_eq(ps_date_add_days((ps_date){1, 1, 1}, -1).year, 0);
    ck_assert_int_eq(ps_date_add_days((ps_date){2026, 2, 30}, 1).year, 0);
    ck_assert_int_eq(ps_date_add_days((ps_date){2026, 1, 1}, LONG_MAX).year, 0);
    ck_assert_int_eq(ps_date_add_days((ps_date){2026, 1, 1}, LONG_MIN).year, 0);
    ck_assert_int_eq(ps_date_valid((ps_date){2000, 2, 29}), 1);
    ck_assert_int_eq(ps_date_valid((ps_date){2100, 2, 29}), 0);
    ck_assert_int_eq(ps_date_valid((ps_date){INT_MAX, 1, 1}), 0);
    ck_assert_int_eq(ps_date_cmp((ps_date){2026, 1, 2}, (ps_date){2026, 1, 1}), 1);
    ck_assert_int_eq(ps_date_cmp((ps_date){2025, 12, 31}, (ps_date){2026, 1, 1}), -1);
    ck_assert_int_eq(ps_date_to_iso((ps_date){2026, 2, 29}, iso), 0);
    ck_assert_str_eq(iso, "");
    ck_assert_int_eq(ps_date_to_iso((ps_date){2026, 1, 1}, NULL), 0);
}
END_TEST

/* Today (UTC) is a real day, and the same day the C library gives. */
START_TEST(today_is_a_real_day)
{
    ps_date d = ps_date_today();
    time_t t = time(NULL);
    struct tm tm;
    ck_assert(ps_date_valid(d));
    gmtime_r(&t, &tm);
    /* a run across midnight may see tomorrow here */
    long gap = ps_date_days((ps_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday}) -
               ps_date_days(d);
    ck_assert(gap == 0 || gap == 1);
}
END_TEST

START_TEST(iso_is_strict)
{
    static const char *bad[] = {"2026-1-01",   "2026-02-30", " 2026-01-01", "2026-01-01x",
                                "2026/01/01",  "20260101",   "2026-01-0",   "",
                                "0000-01-01",  "2026-13-01", "2026-00-10",  "２０２６-01-01"};
    ps_date out = {1, 1, 1};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_msg(ps_date_from_iso(bad[i], &out) == PS_E_ARG, "[%s] accepted", bad[i]);
        ck_assert_int_eq(out.year, 0);
    }
    ck_assert_int_eq(ps_date_from_iso(NULL, &out), PS_E_ARG);
    ck_assert_int_eq(ps_date_from_iso("2026-01-01", NULL), PS_E_ARG);
    ck_assert_int_eq(ps_date_from_iso("2024-02-29", &out), PS_OK);
    ck_assert_int_eq(out.day, 29);
}
END_TEST

/* ---------------------------------------------------------------------- */
/* MRZ */

static void mrz(const char *f, int exp, ps_date now, ps_status want_st, const char *want)
{
    ps_date out;
    char iso[11];
    ps_status st = ps_date_parse_mrz(f, exp, &now, &out);
    ps_date_to_iso(out, iso);
    ck_assert_msg(st == want_st, "[%s/%d]: status %d", f, exp, st);
    if (want)
        ck_assert_msg(strcmp(iso, want) == 0, "[%s/%d]: got %s want %s", f, exp, iso, want);
    else
        ck_assert_int_eq(out.year, 0);
}

START_TEST(mrz_centuries)
{
    ps_date now = {2026, 11, 22}, late = {2090, 6, 1}, leap = {2024, 2, 29};
    mrz("900401", 0, now, PS_OK, "1990-04-01");
    mrz("261122", 0, now, PS_OK, "2026-11-22"); /* born today */
    mrz("261123", 0, now, PS_OK, "1926-11-23"); /* a birth date is never in the future */
    mrz("000229", 0, now, PS_OK, "2000-02-29");
    mrz("150101", 0, now, PS_OK, "2015-01-01");
    mrz("300101", 1, now, PS_OK, "2030-01-01");
    mrz("461122", 1, now, PS_OK, "2046-11-22"); /* now + 20 years: still ahead */
    mrz("461123", 1, now, PS_OK, "1946-11-23");
    mrz("200101", 1, now, PS_OK, "2020-01-01"); /* expired, still this century */
    mrz("050101", 1, late, PS_OK, "2105-01-01");
    mrz("950101", 0, late, PS_OK, "1995-01-01");
    mrz("440229", 1, leap, PS_OK, "2044-02-29");
    mrz("O1O1O1", 0, now, PS_OK, "2001-01-01"); /* OCR-B confusions */
    mrz("9OO4OI", 0, now, PS_OK, "1990-04-01");
    mrz("B5l2Z5", 0, now, PS_OK, "1985-12-25");
    mrz("<<<<<<", 0, now, PS_E_ARG, NULL);
    mrz("901301", 0, now, PS_E_ARG, NULL);
    mrz("900230", 0, now, PS_E_ARG, NULL);
    mrz("900 01", 0, now, PS_E_ARG, NULL);
    mrz("900100", 1, now, PS_E_ARG, NULL);
    {
        ps_date out, bad = {2026, 2, 30};
        ck_assert_int_eq(ps_date_parse_mrz("900401", 0, NULL, &out), PS_E_ARG);
        ck_assert_int_eq(ps_date_parse_mrz("900401", 0, &bad, &out), PS_E_ARG);
        ck_assert_int_eq(ps_date_parse_mrz(NULL, 0, &now, &out), PS_E_ARG);
        ck_assert_int_eq(ps_date_parse_mrz("900401", 0, &now, NULL), PS_E_ARG);
        /* only 6 bytes are read: no NUL needed */
        ck_assert_int_eq(ps_date_parse_mrz("9004019999", 0, &now, &out), PS_OK);
        ck_assert_int_eq(out.day, 1);
    }
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Robustness: every truncation and random mutations must not crash, and
 * every answer must stay self-consistent. Under -DPS_SANITIZE=ON any
 * overread is fatal. */

static uint64_t rng_state = 0x9E3779B97F4A7C15ull; /* fixed seed: reproducible */

static uint64_t rng(void)
{
    /* xorshift64 */
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void check_consistent(const char *buf, size_t len)
{
    ps_date_result r, all[4];
    ps_status st = ps_date_parse_n(buf, len, &NOW, &r);
    int n;
    if (st == PS_OK) {
        REQUIRE(r.issue == PS_DATE_OK && ps_date_valid(r.date), "ok without a valid date");
        REQUIRE(r.start < r.end && r.end <= len, "span %zu..%zu of %zu", r.start, r.end, len);
    } else {
        REQUIRE(st == PS_E_ARG && r.issue != PS_DATE_OK, "status %d issue %d", st, r.issue);
        REQUIRE(r.start <= r.end && r.end <= len, "span %zu..%zu of %zu", r.start, r.end, len);
    }
    n = ps_date_find_all_n(buf, len, &NOW, all, 4);
    REQUIRE(n >= 0, "find_all %d", n);
    REQUIRE((n > 0) == (st == PS_OK), "find_all %d vs parse %d", n, st);
    for (int i = 0; i < n && i < 4; i++) {
        REQUIRE(ps_date_valid(all[i].date), "find_all date %d invalid", i);
        REQUIRE(all[i].start < all[i].end && all[i].end <= len, "find_all span %d", i);
        REQUIRE(i == 0 || all[i].start >= all[i - 1].end, "find_all overlap %d", i);
    }
    /* parse returns the first date find_all finds */
    REQUIRE(n == 0 || ps_date_cmp(all[0].date, r.date) == 0, "parse and find_all differ");
}

START_TEST(truncations_and_mutations)
{
    static const char *const seeds[] = {
        "2029年(令和11年)06月15日まで有効",
        "令和元年十二月二十五日",
        "生年月日 平成2年4月1日生 交付 令和01年05月07日 12345",
        "01 1月/JAN 2030",
        "Ｈ２．４．１ 7.8.9 2026ー11ー22 20261122",
        "令和11年6月15日（2029年6月16日）",
        "O1 N0V 2O30 1 990年4月1日",
        "㍻2年4月1日 二〇二六年十一月二十二日",
    };
    /* bytes the mutator inserts: parser-relevant ASCII, and lead or
     * continuation bytes of the UTF-8 characters the grammar knows */
    static const unsigned char pool[] = {'0', '1', '9', '.', '/', '-', '(', ')', ' ', 'S',
                                         'O', 'l', 'J', 'A', 'N', 0xE5, 0xE6, 0xE4, 0xE3,
                                         0xEF, 0xBC, 0x80, 0xBF, 0xB9, 0xB4, 0x00, 0xF0, 0xC2};
    char buf[256];
    for (size_t s = 0; s < sizeof seeds / sizeof seeds[0]; s++) {
        size_t n = strlen(seeds[s]);
        /* every truncation, into a buffer of exactly that size so ASan sees overreads */
        for (size_t k = 0; k <= n; k++) {
            char *exact = malloc(k ? k : 1);
            REQUIRE(exact, "malloc");
            memcpy(exact, seeds[s], k);
            check_consistent(exact, k);
            free(exact);
        }
        for (int it = 0; it < 3000; it++) {
            size_t len = n, edits = 1 + rng() % 4;
            char *exact;
            memcpy(buf, seeds[s], n);
            for (size_t e = 0; e < edits; e++) {
                size_t at = len ? rng() % len : 0;
                switch (rng() % 4) {
                case 0: /* replace with any byte */
                    if (len)
                        buf[at] = (char)(rng() & 0xFF);
                    break;
                case 1: /* replace from the pool */
                    if (len)
                        buf[at] = (char)pool[rng() % sizeof pool];
                    break;
                case 2: /* insert */
                    if (len < sizeof buf - 1) {
                        memmove(buf + at + 1, buf + at, len - at);
                        buf[at] = (char)pool[rng() % sizeof pool];
                        len++;
                    }
                    break;
                default: /* delete */
                    if (len) {
                        memmove(buf + at, buf + at + 1, len - at - 1);
                        len--;
                    }
                }
            }
            exact = malloc(len ? len : 1);
            REQUIRE(exact, "malloc");
            memcpy(exact, buf, len);
            check_consistent(exact, len);
            free(exact);
        }
    }
    /* pure noise */
    for (int it = 0; it < 2000; it++) {
        size_t len = rng() % 64;
        char *exact = malloc(len ? len : 1);
        REQUIRE(exact, "malloc");
        for (size_t i = 0; i < len; i++)
            exact[i] = (char)(rng() & 0xFF);
        check_consistent(exact, len);
        free(exact);
    }
}
END_TEST

/* ---------------------------------------------------------------------- */
/* Corpus mode: the dates of the shared corpus labels. */

static int corpus_pairs(json_t *obj, const char *text_key, const char *iso_key, int *checked)
{
    json_t *tv = json_object_get(obj, text_key), *iv = json_object_get(obj, iso_key);
    ps_date_result r;
    char iso[11];
    if (!json_is_string(tv) || !json_is_string(iv))
        return 0;
    (*checked)++;
    if (ps_date_parse(json_string_value(tv), &NOW, &r) != PS_OK)
        return 1;
    ps_date_to_iso(r.date, iso);
    if (strcmp(iso, json_string_value(iv)) != 0) {
        fprintf(stderr, "corpus: [%s] -> %s, label %s\n", json_string_value(tv), iso,
                json_string_value(iv));
        return 1;
    }
    return 0;
}

static int run_corpus(void)
{
    char *path = ps_test_corpus_path("jp-id-specimens/labels.json");
    json_t *root;
    const char *key;
    json_t *val;
    int bad = 0, checked = 0;
    if (!path) {
        fprintf(stderr, "corpus absent: skipped\n");
        return 77;
    }
    root = json_load_file(path, 0, NULL);
    free(path);
    if (!root) {
        fprintf(stderr, "corpus labels missing: skipped\n");
        return 77;
    }
    json_object_foreach(root, key, val) {
        bad += corpus_pairs(val, "birthday", "birthday_iso", &checked);
        bad += corpus_pairs(val, "expiryDate", "expiry_iso", &checked);
    }
    json_decref(root);
    printf("corpus dates: %d checked, %d wrong\n", checked, bad);
    return (bad == 0 && checked > 0) ? 0 : 1;
}

int main(int argc, char **argv)
{
    Suite *s;
    TCase *tc;
    if (argc > 1 && strcmp(argv[1], "--corpus") == 0)
        return run_corpus();
    s = suite_create("date");
    tc = tcase_create("forms");
    tcase_add_test(tc, table_has_enough_forms);
    tcase_add_test(tc, table_rows);
    tcase_add_test(tc, span_covers_only_the_date);
    tcase_add_test(tc, eraless_follows_now);
    tcase_add_test(tc, null_and_limits);
    tcase_add_test(tc, embedded_nul_is_not_the_end);
    tcase_add_test(tc, find_all_in_a_licence);
    tcase_add_test(tc, find_all_long_text);
    suite_add_tcase(s, tc);
    tc = tcase_create("arithmetic");
    tcase_add_test(tc, every_day_round_trips);
    tcase_add_test(tc, day_arithmetic);
    tcase_add_test(tc, iso_is_strict);
    tcase_add_test(tc, today_is_a_real_day);
    tcase_add_test(tc, mrz_centuries);
    suite_add_tcase(s, tc);
    tc = tcase_create("robustness");
    tcase_add_test(tc, truncations_and_mutations);
    suite_add_tcase(s, tc);
    return ps_test_run(s);
}
