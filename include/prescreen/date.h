/* prescreen — dates printed on Japanese KYC documents, read from OCR text.
 *
 * Parses Japanese era dates (平成2年4月1日, H2.4.1, 令和元年十二月二十五日),
 * Western dates (2026/11/22, 2026年11月22日, 20261122, 22.11.2026),
 * bracketed pairs (2029年(令和11年)06月15日まで有効, cross-checked), English
 * and passport dates (01 JAN 2030, JAN 01 2030, 01 1月/JAN 2030), era-less
 * postmarks (7.8.9, inferred from the upload date) and MRZ YYMMDD fields.
 * Common OCR confusions are repaired by fixed rules; an impossible date is an
 * error, never a guess. docs/dates.md lists the forms and inference rules.
 *
 * Everything here is pure computation: no allocation, no global state, no
 * locale; every function is thread-safe and reentrant. Text is UTF-8 from an
 * untrusted source: invalid or truncated sequences are read as U+FFFD and
 * never read past the given length.
 */
#ifndef PRESCREEN_DATE_H
#define PRESCREEN_DATE_H

#include <stddef.h>

#include "prescreen/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest text the parsers accept, in bytes: a whole page of OCR text is a
 * few KiB, so anything larger is not OCR output. */
#define PS_DATE_MAX_INPUT 65536

/* A proleptic Gregorian calendar date. {0,0,0} means "no date". */
typedef struct ps_date {
    int year, month, day;
} ps_date;

/* How the date was written. PS_DATE_MRZ is never returned by the text
 * parsers (MRZ fields go through ps_date_parse_mrz()); it exists so callers
 * can label a date's origin with one enum. */
typedef enum ps_date_form {
    PS_DATE_WESTERN = 0, /* 2026/11/22, 2026年11月22日, 20261122, 22.11.2026 */
    PS_DATE_ERA,         /* 平成2年4月1日, H2.4.1, ㍻2年4月1日 */
    PS_DATE_ERA_LESS,    /* 7.8.9, 7年8月9日: era inferred from `now` */
    PS_DATE_ENGLISH,     /* 01 JAN 2030, JAN 01 2030, 01 1月/JAN 2030 */
    PS_DATE_MRZ          /* YYMMDD from a machine-readable zone */
} ps_date_form;

/* Japanese eras, in order. Values are stable. */
typedef enum ps_era {
    PS_ERA_NONE = 0,
    PS_ERA_MEIJI = 1,  /* 明治 from 1868-01-25 */
    PS_ERA_TAISHO = 2, /* 大正 from 1912-07-30 */
    PS_ERA_SHOWA = 3,  /* 昭和 from 1926-12-25 */
    PS_ERA_HEISEI = 4, /* 平成 from 1989-01-08 */
    PS_ERA_REIWA = 5   /* 令和 from 2019-05-01 */
} ps_era;

/* Why a date-like text gave no date. Values are stable. */
typedef enum ps_date_issue {
    PS_DATE_OK = 0,
    PS_DATE_NOT_FOUND = 1,    /* nothing in the text has the shape of a date */
    PS_DATE_BAD_CALENDAR = 2, /* the day does not exist (2月30日, 2025-02-29) */
    PS_DATE_BEFORE_ERA = 3,   /* an era date before the era began (令和1年4月1日) */
    PS_DATE_OUT_OF_RANGE = 4, /* era year 0, or a Western year outside 1868..2199 */
    PS_DATE_NEED_NOW = 5,     /* an era-less date (7.8.9) but `now` was NULL */
    PS_DATE_NO_ERA_FITS = 6   /* an era-less date that no era up to `now` contains */
} ps_date_issue;

/* One date found in text. */
typedef struct ps_date_result {
    ps_date date;        /* Gregorian; {0,0,0} unless issue == PS_DATE_OK */
    ps_date_form form;   /* form of the first-printed value */
    int era;             /* ps_era named or inferred anywhere in the date, else 0 */
    int has_second;      /* a bracketed alternative was printed with it */
    ps_date second;      /* that alternative in Gregorian (same month/day when
                            only a year was bracketed); may be an impossible
                            date, in which case conflict is 1 */
    int conflict;        /* the two printed values disagree (years, bilingual
                            months, or the bracketed era date is impossible) */
    int past_era_end;    /* an era date after its era ended (平成33年 = 2021):
                            accepted, as licences printed before 2019 show it */
    int ambiguous;       /* era-less only: the era chosen is not the current
                            one, and the year also reads as a two-digit Western
                            year that is not in the future (26.11.22) */
    int ocr_fixes;       /* characters read through an OCR-confusion rule */
    ps_date_issue issue; /* PS_DATE_OK, or why this match is not a date */
    size_t start, end;   /* byte span of the date (and its bracket) in the input */
} ps_date_result;

/*! ps_date_parse() :
 *  Finds the first valid date in `utf8` (a NUL-terminated OCR field or line;
 *  labels and trailing words such as 生年月日, 生, まで有効, 交付 are skipped).
 *  `now` is the upload date, needed only for era-less dates; may be NULL.
 *  `out` is always written (zeroed first): on success issue == PS_DATE_OK;
 *  on failure issue and span describe the first date-shaped text, or
 *  PS_DATE_NOT_FOUND.
 *  @return PS_OK, or PS_E_ARG when an argument is NULL, the text is longer
 *          than PS_DATE_MAX_INPUT, or no valid date is found.
 *  Keeps no pointer to any argument. */
ps_status ps_date_parse(const char *utf8, const ps_date *now, ps_date_result *out);

/*! ps_date_parse_n() : as ps_date_parse() for `len` bytes that need not be
 *  NUL-terminated and may contain NUL bytes (the fuzzing entry point). */
ps_status ps_date_parse_n(const char *utf8, size_t len, const ps_date *now,
                          ps_date_result *out);

/*! ps_date_find_all() :
 *  Scans a longer OCR text left to right and stores every valid date, in
 *  order, into out[0..max-1]. Date-shaped text that is not a valid date is
 *  skipped whole (its inner parts are not re-read as other dates).
 *  `out` may be NULL when max == 0.
 *  @return the number of valid dates in the text (may exceed max: only the
 *          first max are stored), or -1 when utf8 is NULL, max < 0, out is
 *          NULL with max > 0, or the text is longer than PS_DATE_MAX_INPUT. */
int ps_date_find_all(const char *utf8, const ps_date *now, ps_date_result *out, int max);

/*! ps_date_find_all_n() : as ps_date_find_all() for `len` bytes. */
int ps_date_find_all_n(const char *utf8, size_t len, const ps_date *now,
                       ps_date_result *out, int max);

/*! ps_date_parse_mrz() :
 *  Reads a 6-character MRZ date YYMMDD (exactly 6 bytes are read; no NUL
 *  needed). OCR-B confusions O Q D→0, I L l→1, Z→2, S→5, G→6, B→8 are
 *  repaired; '<' (unknown) is an error. The century is chosen against `now`:
 *  a birth date (is_expiry == 0) is the latest reading not after `now`; an
 *  expiry date is the latest reading not after `now` + 20 years (passports
 *  are valid 10 years at most, so 20 leaves room for other documents).
 *  `now` is required (no clock is read).
 *  @return PS_OK and *out, or PS_E_ARG (NULL argument, invalid `now`, a
 *          character that is not a digit, or an impossible date). *out is
 *          {0,0,0} on failure. */
ps_status ps_date_parse_mrz(const char yymmdd[6], int is_expiry, const ps_date *now,
                            ps_date *out);

/*! ps_date_today() : today's date in UTC (the day an upload is checked
 *  when it carries no date of its own). */
ps_date ps_date_today(void);

/*! ps_date_valid() : @return 1 when `d` is a real day in years 1..9999, else 0. */
int ps_date_valid(ps_date d);

/*! ps_date_cmp() : @return -1, 0 or 1 comparing year, then month, then day
 *  (works on invalid dates too, field by field). */
int ps_date_cmp(ps_date a, ps_date b);

/*! ps_date_days() : @return days from 1970-01-01 to `d` (negative before),
 *  or LONG_MIN when `d` is not valid. */
long ps_date_days(ps_date d);

/*! ps_date_add_days() : @return `d` moved by `n` days, or {0,0,0} when `d` is
 *  invalid or the result leaves years 1..9999. */
ps_date ps_date_add_days(ps_date d, long n);

/*! ps_date_to_iso() : writes "YYYY-MM-DD" and a NUL into `buf` (11 bytes).
 *  @return 10, or 0 (and buf = "") when `d` is invalid or buf is NULL. */
int ps_date_to_iso(ps_date d, char buf[11]);

/*! ps_date_from_iso() : parses exactly "YYYY-MM-DD" (nothing before or after).
 *  @return PS_OK, or PS_E_ARG (NULL, wrong shape, impossible date; *out is
 *          then {0,0,0}). */
ps_status ps_date_from_iso(const char *s, ps_date *out);

/*! ps_date_era_name() : @return the kanji name of `era` ("令和") as a static
 *  UTF-8 string, or "" for PS_ERA_NONE and unknown values. Never NULL. */
const char *ps_date_era_name(int era);

/*! ps_date_era_of() : the Japanese era `d` falls in and, in *era_year (may
 *  be NULL), its year of that era (元年 = 1). @return a ps_era, or
 *  PS_ERA_NONE (and *era_year 0) before Meiji or for an invalid date. */
int ps_date_era_of(ps_date d, int *era_year);

/*! ps_date_issue_name() : @return the stable lower_snake_case name of
 *  `issue` ("before_era"), static, never NULL ("unknown" if out of range). */
const char *ps_date_issue_name(ps_date_issue issue);

#ifdef __cplusplus
}
#endif
#endif
