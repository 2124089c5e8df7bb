/* Japanese and Western date parsing for OCR text. See prescreen/date.h for
 * the contract and docs/dates.md for the accepted forms and rules.
 *
 * Shape of the parser: a scanner walks the text one code point at a time and,
 * at every position where a date may begin, tries the date grammars in a
 * fixed order (era date, English month-first, then number-first forms). Each
 * grammar works on a copy of a cursor and commits it only when the whole
 * form matched, so there is no backtracking beyond "try the next form".
 * A syntactic match is then resolved to a Gregorian date and validated; a
 * match that fails validation is still a match (its span is skipped whole),
 * so the parts of an impossible date are never re-read as some other date.
 *
 * Every loop is bounded by a field width or a small constant, and every read
 * goes through utf8_at(), which never looks past the text's length.
 */
#include "prescreen/date.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------------------ */
/* Calendar arithmetic                                                       */

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return (m == 2 && is_leap(y)) ? 29 : len[m - 1];
}

int ps_date_valid(ps_date d)
{
    /* 9999: the largest year a 4-digit ISO string can hold */
    return d.year >= 1 && d.year <= 9999 && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
           d.day <= month_days(d.year, d.month);
}

int ps_date_cmp(ps_date a, ps_date b)
{
    if (a.year != b.year)
        return a.year < b.year ? -1 : 1;
    if (a.month != b.month)
        return a.month < b.month ? -1 : 1;
    if (a.day != b.day)
        return a.day < b.day ? -1 : 1;
    return 0;
}

/* Day count with the year starting in March, so the leap day is the last day
 * of the counting year; 400-year cycles of 146097 days. The constants are the
 * standard civil-calendar ones: 153 days per 5 months March..July (the month
 * length pattern repeats), 719468 days from 0000-03-01 to 1970-01-01. */
long ps_date_days(ps_date d)
{
    long y, cyc, yoe, mp, doy, doe;
    if (!ps_date_valid(d))
        return LONG_MIN;
    y = d.year - (d.month <= 2);
    cyc = y / 400; /* y >= 0 here: years start at 1 */
    yoe = y - cyc * 400;
    mp = (d.month + 9) % 12; /* March = 0 */
    doy = (153 * mp + 2) / 5 + d.day - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return cyc * 146097 + doe - 719468;
}

ps_date ps_date_add_days(ps_date d, long n)
{
    ps_date none = {0, 0, 0}, r;
    long z, cyc, doe, yoe, doy, mp, m;
    /* 3652059: days from 0001-01-01 to 9999-12-31; a larger shift always leaves the range */
    if (!ps_date_valid(d) || n > 3652059L || n < -3652059L)
        return none;
    z = ps_date_days(d) + n + 719468;
    if (z < 0)
        return none;
    cyc = z / 146097;
    doe = z - cyc * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    m = mp < 10 ? mp + 3 : mp - 9;
    r.year = (int)(yoe + cyc * 400 + (m <= 2));
    r.month = (int)m;
    r.day = (int)(doy - (153 * mp + 2) / 5 + 1);
    return ps_date_valid(r) ? r : none;
}

int ps_date_to_iso(ps_date d, char buf[11])
{
    if (!buf)
        return 0;
    buf[0] = '\0';
    if (!ps_date_valid(d))
        return 0;
    /* fields are in range here: written digit by digit */
    buf[0] = (char)('0' + d.year / 1000);
    buf[1] = (char)('0' + d.year / 100 % 10);
    buf[2] = (char)('0' + d.year / 10 % 10);
    buf[3] = (char)('0' + d.year % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + d.month / 10);
    buf[6] = (char)('0' + d.month % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + d.day / 10);
    buf[9] = (char)('0' + d.day % 10);
    buf[10] = '\0';
    return 10;
}

ps_status ps_date_from_iso(const char *s, ps_date *out)
{
    static const char shape[] = "dddd-dd-dd";
    ps_date d = {0, 0, 0};
    int v[10] = {0};
    if (out)
        *out = d;
    if (!s || !out)
        return PS_E_ARG;
    for (int i = 0; i < 10; i++) {
        if (shape[i] == 'd') {
            if (s[i] < '0' || s[i] > '9')
                return PS_E_ARG;
            v[i] = s[i] - '0';
        } else if (s[i] != '-') {
            return PS_E_ARG;
        }
    }
    if (s[10] != '\0')
        return PS_E_ARG;
    d.year = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
    d.month = v[5] * 10 + v[6];
    d.day = v[8] * 10 + v[9];
    if (!ps_date_valid(d))
        return PS_E_ARG;
    *out = d;
    return PS_OK;
}

/* ------------------------------------------------------------------------ */
/* Eras                                                                      */

struct era_def {
    uint32_t k1, k2;  /* the two kanji of the name */
    uint32_t glyph;   /* the one-character square era name (㍻) */
    uint32_t letter;  /* the Latin abbreviation */
    ps_date first, last;
    const char *name;
};

/* Era boundaries as the Gregorian days the eras were applied from; Meiji
 * dates before 1873 were lunisolar and are mapped by plain arithmetic. */
static const struct era_def eras[] = {
    [PS_ERA_NONE] = {0, 0, 0, 0, {0, 0, 0}, {0, 0, 0}, ""},
    [PS_ERA_MEIJI] = {0x660E, 0x6CBB, 0x337E, 'M', {1868, 1, 25}, {1912, 7, 29}, "明治"},
    [PS_ERA_TAISHO] = {0x5927, 0x6B63, 0x337D, 'T', {1912, 7, 30}, {1926, 12, 24}, "大正"},
    [PS_ERA_SHOWA] = {0x662D, 0x548C, 0x337C, 'S', {1926, 12, 25}, {1989, 1, 7}, "昭和"},
    [PS_ERA_HEISEI] = {0x5E73, 0x6210, 0x337B, 'H', {1989, 1, 8}, {2019, 4, 30}, "平成"},
    [PS_ERA_REIWA] = {0x4EE4, 0x548C, 0x32FF, 'R', {2019, 5, 1}, {9999, 12, 31}, "令和"},
};
#define N_ERAS ((int)(sizeof eras / sizeof eras[0]))

const char *ps_date_era_name(int era)
{
    return (era > PS_ERA_NONE && era < N_ERAS) ? eras[era].name : "";
}

int ps_date_era_of(ps_date d, int *era_year)
{
    if (era_year)
        *era_year = 0;
    if (!ps_date_valid(d))
        return PS_ERA_NONE;
    for (int e = N_ERAS - 1; e > PS_ERA_NONE; e--) {
        if (ps_date_cmp(d, eras[e].first) >= 0) {
            if (era_year)
                *era_year = d.year - eras[e].first.year + 1;
            return e;
        }
    }
    return PS_ERA_NONE;
}

const char *ps_date_issue_name(ps_date_issue issue)
{
    static const char *const names[] = {"ok", "not_found", "bad_calendar", "before_era",
                                        "out_of_range", "need_now", "no_era_fits"};
    if ((int)issue < 0 || (size_t)issue >= sizeof names / sizeof names[0])
        return "unknown";
    return names[issue];
}

/* ------------------------------------------------------------------------ */
/* Text access                                                               */

typedef struct text {
    const unsigned char *s;
    size_t n;
} text;

/* Decodes the code point at byte i. Returns its byte length (0 at the end,
 * with *cp = 0). Malformed, overlong, surrogate or truncated sequences give
 * U+FFFD and length 1, so the next call resynchronises; NUL gives U+FFFD so
 * that 0 always means "end of text". */
static size_t utf8_at(const text *t, size_t i, uint32_t *cp)
{
    unsigned c;
    size_t len, k;
    uint32_t v, min;
    *cp = 0;
    if (i >= t->n)
        return 0;
    c = t->s[i];
    if (c < 0x80) {
        *cp = c ? c : 0xFFFD;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2, v = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, v = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, v = c & 0x07, min = 0x10000;
    } else {
        *cp = 0xFFFD;
        return 1;
    }
    if (t->n - i < len) {
        *cp = 0xFFFD;
        return 1;
    }
    for (k = 1; k < len; k++) {
        unsigned b = t->s[i + k];
        if ((b & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        v = (v << 6) | (b & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        *cp = 0xFFFD;
        return 1;
    }
    *cp = v;
    return len;
}

/* Full-width ASCII (U+FF01..U+FF5E) to ASCII; ideographic space, no-break
 * space and tab to a plain space. Everything else is unchanged. */
static uint32_t fold(uint32_t cp)
{
    if (cp >= 0xFF01 && cp <= 0xFF5E)
        return cp - 0xFEE0; /* the full-width block mirrors ASCII 0x21..0x7E */
    if (cp == 0x3000 || cp == 0xA0 || cp == '\t')
        return ' ';
    return cp;
}

typedef struct cur {
    const text *t;
    size_t pos;
    int fixes; /* OCR-confusion repairs so far on this path */
} cur;

static uint32_t peek(const cur *c)
{
    uint32_t cp;
    utf8_at(c->t, c->pos, &cp);
    return fold(cp);
}

static void next(cur *c)
{
    uint32_t cp;
    c->pos += utf8_at(c->t, c->pos, &cp);
}

static uint32_t peek2(const cur *c)
{
    cur k = *c;
    next(&k);
    return peek(&k);
}

/* ------------------------------------------------------------------------ */
/* Character classes (on folded code points)                                 */

#define CP_NEN 0x5E74    /* 年 */
#define CP_GATSU 0x6708  /* 月 */
#define CP_NICHI 0x65E5  /* 日 */
#define CP_ETSU 0x66F0   /* 曰, the glyph OCR most often reads for 日 */
#define CP_GAN 0x5143    /* 元 (first year of an era) */
#define CP_WOL 0xC6D4    /* 월, the Korean month marker on bilingual passports */

static int adigit(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') ? (int)(cp - '0') : -1;
}

static int is_alpha(uint32_t cp)
{
    return cp < 0x80 && (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
}

static int is_space(uint32_t cp)
{
    return cp == ' ';
}

/* 一 ー ｰ: the horizontal strokes OCR swaps for one another */
static int is_stroke(uint32_t cp)
{
    return cp == 0x4E00 || cp == 0x30FC || cp == 0xFF70;
}

static int is_dash(uint32_t cp)
{
    /* ASCII hyphen, U+2010..2015 hyphens and dashes, minus, box-drawing lines */
    return cp == '-' || (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0x2500 ||
           cp == 0x2501;
}

/* . 。 ｡ ・ ･ · : the separators a postmark's era-less date may use */
static int is_dot(uint32_t cp)
{
    return cp == '.' || cp == 0x3002 || cp == 0xFF61 || cp == 0x30FB || cp == 0xFF65 ||
           cp == 0xB7;
}

static int is_sep(uint32_t cp)
{
    return is_dot(cp) || cp == '/' || is_dash(cp) || is_stroke(cp);
}

/* A Latin letter OCR reads for a digit, or -1. S is 5 only after a digit of
 * the same number: a leading S is the Shōwa abbreviation. */
static int confusable(uint32_t cp, int after_digit)
{
    switch (cp) {
    case 'l':
    case 'I':
    case '|':
        return 1;
    case 'O':
    case 'o':
        return 0;
    case 'B':
        return 8;
    case 'S':
        return after_digit ? 5 : -1;
    default:
        return -1;
    }
}

/* A kanji numeral digit, or -1; *fix is set for OCR substitutes. */
static int kanji_digit(uint32_t cp, int *fix)
{
    *fix = 0;
    switch (cp) {
    case 0x3007: /* 〇 */
    case 0x96F6: /* 零 */
        return 0;
    case 0x25CB: /* ○ white circle, printed and read for 〇 */
        *fix = 1;
        return 0;
    case 0x4E00: /* 一 */
        return 1;
    case 0x30FC: /* ー */
    case 0xFF70: /* ｰ */
        *fix = 1;
        return 1;
    case 0x4E8C: /* 二 */
        return 2;
    case 0x30CB: /* ニ katakana ni, read for 二 */
        *fix = 1;
        return 2;
    case 0x4E09: /* 三 */
        return 3;
    case 0x56DB: /* 四 */
        return 4;
    case 0x4E94: /* 五 */
        return 5;
    case 0x516D: /* 六 */
        return 6;
    case 0x4E03: /* 七 */
        return 7;
    case 0x516B: /* 八 */
        return 8;
    case 0x30CF: /* ハ katakana ha, read for 八 */
        *fix = 1;
        return 8;
    case 0x4E5D: /* 九 */
        return 9;
    default:
        return -1;
    }
}

static int kanji_unit(uint32_t cp)
{
    switch (cp) {
    case 0x5341: /* 十 */
        return 10;
    case 0x767E: /* 百 */
        return 100;
    case 0x5343: /* 千 */
        return 1000;
    default:
        return 0;
    }
}

static int is_kanji_num(uint32_t cp)
{
    int f;
    return kanji_digit(cp, &f) >= 0 || kanji_unit(cp) > 0;
}

/* Skips at most 6 spaces (more than that is no longer one date). */
static void skip_sp(cur *c)
{
    for (int i = 0; i < 6 && is_space(peek(c)); i++)
        next(c);
}

/* ------------------------------------------------------------------------ */
/* Numbers                                                                   */

/* What closes a number field: nothing (the last field of a date), any
 * separator, or one of the markers 年 月 日 (passed as the code point). */
#define CL_NONE 0u
#define CL_SEP 1u

/* Whether a space inside a number is a stray OCR space: the digits after it
 * must run up to the field's closer. */
static int join_ok(const cur *c, uint32_t closer)
{
    cur k = *c;
    skip_sp(&k);
    if (adigit(peek(&k)) < 0)
        return 0;
    for (int i = 0; i < 12; i++) { /* 12: longer than any field plus spaces */
        uint32_t cp = peek(&k);
        if (adigit(cp) >= 0 || is_space(cp)) {
            next(&k);
            continue;
        }
        if (closer == CL_SEP)
            return is_sep(cp);
        return cp == closer;
    }
    return 0;
}

/* In a 年月日 date, a stroke after a digit is 1 when a digit or the field's
 * marker follows it (1ー月 = 11月, 2一日 = 21日). */
static int stroke_is_one(const cur *c, uint32_t closer)
{
    cur k = *c;
    next(&k);
    if (adigit(peek(&k)) >= 0)
        return 1;
    skip_sp(&k);
    return closer > CL_SEP && peek(&k) == closer;
}

/* Reads an arabic number of 1..maxw digits at the cursor (no leading space).
 * `strokes`: 一/ー touching a digit count as 1 (年月日 dates only).
 * `closer`: what ends the field; stray spaces are joined only when that
 * closer follows the digits after the space.
 * Letters read for digits (l I | O o B, S after a digit) are accepted unless
 * a letter follows the run (then it was a word, and the digits before the
 * first such letter are returned, as in "01OCT").
 * Returns the digit count and advances, or 0 without moving. */
static int read_arabic(cur *c, int maxw, int strokes, uint32_t closer, int *val)
{
    cur k = *c, pre = *c;
    int n = 0, real = 0, letters = 0, v = 0, pre_n = -1, pre_v = 0, guard;
    for (guard = 0; guard < 24; guard++) { /* 24: maxw <= 8 digits plus spaces */
        uint32_t cp = peek(&k);
        int d = adigit(cp);
        if (d >= 0) {
            real++;
        } else if ((d = confusable(cp, n > 0)) >= 0) {
            if (pre_n < 0)
                pre = k, pre_n = n, pre_v = v;
            letters++;
        } else if (strokes && n > 0 && is_stroke(cp) && stroke_is_one(&k, closer)) {
            d = 1;
            k.fixes++;
        } else if (n > 0 && closer != CL_NONE && is_space(cp) && join_ok(&k, closer)) {
            skip_sp(&k);
            k.fixes++;
            continue;
        } else {
            break;
        }
        if (n == maxw) {
            /* a letter after a full field ends it ("01OCT"); so does a 0 or 5
             * that starts a word, a month's O or S read as a digit ("170CT") */
            if ((adigit(cp) < 0 && !is_stroke(cp)) || ((cp == '0' || cp == '5') && is_alpha(peek2(&k))))
                break;
            return 0; /* the number runs on: not this field */
        }
        v = v * 10 + d;
        n++;
        next(&k);
    }
    if (n == 0 || guard == 24)
        return 0;
    if (letters) {
        if (is_alpha(peek(&k)) || (!real && n > 2)) {
            if (pre_n <= 0)
                return 0;
            *val = pre_v;
            *c = pre;
            return pre_n;
        }
        k.fixes += letters;
    }
    *val = v;
    *c = k;
    return n;
}

/* Reads a kanji numeral: positional (二〇二六) or with units (二十五, 千九百九十).
 * 一 ー ｰ are all 1 here. `allow_gan`: 元 alone means 1 (元年).
 * Returns 1 and advances, or 0. */
static int read_kanji(cur *c, int allow_gan, int *val)
{
    cur k = *c;
    int sym[10], ns = 0, fix = 0, genuine = 0, has_unit = 0;
    long v = 0;
    if (allow_gan && peek(&k) == CP_GAN) {
        next(&k);
        *val = 1;
        *c = k;
        return 1;
    }
    while (ns < 10) { /* 10: 千九百九十九 is 6; longer runs are not dates */
        uint32_t cp = peek(&k);
        int f, d = kanji_digit(cp, &f), u = kanji_unit(cp);
        if (d >= 0) {
            sym[ns++] = d;
            fix += f;
            genuine += !f;
        } else if (u > 0) {
            sym[ns++] = -u;
            genuine++;
            has_unit = 1;
        } else {
            break;
        }
        next(&k);
    }
    if (ns == 0 || ns == 10 || (!genuine && ns > 1))
        return 0;
    if (!has_unit) {
        if (ns > 4)
            return 0;
        for (int i = 0; i < ns; i++)
            v = v * 10 + sym[i];
    } else {
        int pending = -1, last = 10000; /* units must fall: 千 > 百 > 十 */
        for (int i = 0; i < ns; i++) {
            if (sym[i] >= 0) {
                if (pending >= 0 || sym[i] == 0)
                    return 0;
                pending = sym[i];
            } else {
                int u = -sym[i];
                if (u >= last)
                    return 0;
                v += (long)(pending < 0 ? 1 : pending) * u;
                pending = -1;
                last = u;
            }
        }
        if (pending >= 0)
            v += pending;
    }
    k.fixes += fix;
    *val = (int)v;
    *c = k;
    return 1;
}

/* Reads a field of a 年月日 date after optional spaces: arabic (with stroke
 * and stray-space rules) or kanji. *ndig is the digit count (for kanji, the
 * count of the value's decimal digits). Returns 1 and advances, or 0. */
static int read_field_marker(cur *c, int maxw, int allow_gan, uint32_t closer, int *val,
                             int *ndig)
{
    cur k = *c;
    uint32_t cp;
    skip_sp(&k);
    cp = peek(&k);
    if (adigit(cp) >= 0 || confusable(cp, 0) >= 0) {
        int n = read_arabic(&k, maxw, 1, closer, val);
        if (!n)
            return 0;
        *ndig = n;
    } else if (is_kanji_num(cp) || (allow_gan && cp == CP_GAN)) {
        if (!read_kanji(&k, allow_gan, val))
            return 0;
        *ndig = *val >= 1000 ? 4 : *val >= 100 ? 3 : *val >= 10 ? 2 : 1;
        if (*ndig > maxw)
            return 0;
    } else {
        return 0;
    }
    *c = k;
    return 1;
}

/* Reads a field of a separator date: arabic, or 元 when allow_gan. */
static int read_field_sep(cur *c, int maxw, int allow_gan, uint32_t closer, int *val)
{
    if (allow_gan && peek(c) == CP_GAN) {
        next(c);
        *val = 1;
        return 1;
    }
    return read_arabic(c, maxw, 0, closer, val);
}

/* The last field of a separator date must not run on into more digits or
 * into another separator and a short number ("1.2.3.4"); a following date
 * ("2026/11/22-2027/11/21") is fine. */
static int sep_end_ok(const cur *c)
{
    cur k = *c;
    uint32_t cp = peek(&k);
    int n = 0;
    if (adigit(cp) >= 0)
        return 0;
    if (!is_sep(cp))
        return 1;
    next(&k);
    while (n < 4 && adigit(peek(&k)) >= 0) {
        next(&k);
        n++;
    }
    return n == 0 || n >= 4;
}

/* A 1-digit last field followed by a space and one more digit is a stray OCR
 * space inside the number (2026/11/2 2 = 22): joins it. */
static void join_last(cur *c, int ndig, int *val)
{
    cur k = *c;
    int d;
    if (ndig != 1 || !is_space(peek(&k)))
        return;
    skip_sp(&k);
    d = adigit(peek(&k));
    if (d < 0)
        return;
    next(&k);
    {
        uint32_t cp = peek(&k);
        if (adigit(cp) >= 0 || is_sep(cp) || cp == ':' || is_alpha(cp))
            return;
    }
    *val = *val * 10 + d;
    k.fixes++;
    *c = k;
}

/* ------------------------------------------------------------------------ */
/* Grammars                                                                  */

enum raw_kind { RAW_NONE, RAW_WEST, RAW_ERA, RAW_ERALESS, RAW_ENG };

/* A date as printed, before resolution to the Gregorian calendar. */
typedef struct raw {
    int kind;
    int era;   /* RAW_ERA */
    int year;  /* era year for RAW_ERA / RAW_ERALESS, else Gregorian */
    int month, day;
    int month2;   /* RAW_ENG bilingual month (0 when there is one month) */
    int alt_kind; /* bracketed year: RAW_ERA or RAW_WEST, or RAW_NONE */
    int alt_era, alt_year;
} raw;

/* An era name (平成, with one stray space allowed inside), a square era
 * glyph (㍻), or a capital era letter (H) directly followed (optionally after
 * spaces) by a digit, a digit-like letter or 元. */
static int read_era(cur *c, int *era)
{
    uint32_t cp = peek(c);
    for (int e = 1; e < N_ERAS; e++) {
        if (cp == eras[e].glyph) {
            next(c);
            *era = e;
            return 1;
        }
    }
    for (int e = 1; e < N_ERAS; e++) {
        if (cp == eras[e].k1) {
            cur k = *c;
            next(&k);
            if (is_space(peek(&k))) {
                next(&k); /* a stray OCR space: 平 成 */
                k.fixes++;
            }
            if (peek(&k) == eras[e].k2) {
                next(&k);
                *c = k;
                *era = e;
                return 1;
            }
        }
    }
    for (int e = 1; e < N_ERAS; e++) {
        if (cp == eras[e].letter) {
            cur k = *c;
            uint32_t n;
            next(&k);
            skip_sp(&k);
            n = peek(&k);
            if (adigit(n) >= 0 || confusable(n, 0) >= 0 || n == CP_GAN) {
                next(c);
                *era = e;
                return 1;
            }
        }
    }
    return 0;
}

/* "(令和11年)" after a Western year, or "(2029年)" after an era year. */
static int read_bracket_year(cur *c, raw *r)
{
    cur k = *c;
    int y, nd, e;
    if (peek(&k) != '(')
        return 0;
    next(&k);
    skip_sp(&k);
    if (r->kind == RAW_WEST) {
        if (!read_era(&k, &e) || !read_field_marker(&k, 2, 1, CP_NEN, &y, &nd))
            return 0;
        r->alt_kind = RAW_ERA;
        r->alt_era = e;
    } else if (r->kind == RAW_ERA) {
        if (!read_field_marker(&k, 4, 0, CP_NEN, &y, &nd) || nd != 4)
            return 0;
        r->alt_kind = RAW_WEST;
    } else {
        return 0;
    }
    skip_sp(&k);
    if (peek(&k) == CP_NEN)
        next(&k);
    skip_sp(&k);
    if (peek(&k) != ')') {
        r->alt_kind = RAW_NONE;
        return 0;
    }
    next(&k);
    r->alt_year = y;
    *c = k;
    return 1;
}

/* After the year number of a 年月日 date: [年] [(bracketed year)] [年]
 * (exactly one 年), month 月, day [日]. */
static int marker_tail(cur *c, raw *r)
{
    cur k = *c, b;
    int have_nen = 0, m, d, nd;
    skip_sp(&k);
    if (peek(&k) == CP_NEN) {
        next(&k);
        have_nen = 1;
    }
    b = k;
    skip_sp(&b);
    if (read_bracket_year(&b, r))
        k = b;
    if (!have_nen) {
        skip_sp(&k);
        if (peek(&k) != CP_NEN)
            return 0;
        next(&k);
    }
    if (!read_field_marker(&k, 2, 0, CP_GATSU, &m, &nd))
        return 0;
    skip_sp(&k);
    if (peek(&k) != CP_GATSU)
        return 0;
    next(&k);
    if (!read_field_marker(&k, 2, 0, CP_NICHI, &d, &nd))
        return 0;
    b = k;
    skip_sp(&b);
    if (peek(&b) == CP_NICHI || peek(&b) == CP_ETSU) {
        b.fixes += peek(&b) == CP_ETSU;
        next(&b);
        k = b;
    } else if (adigit(peek(&k)) >= 0) {
        return 0;
    }
    r->month = m;
    r->day = d;
    *c = k;
    return 1;
}

/* " sep field sep field" after the first field of a separator date. The
 * middle field is 1..2 digits, the last 1..last_w. Reports the separators. */
static int sep_tail(cur *c, int last_w, int *b, int *cc, int *nc, uint32_t *s1, uint32_t *s2)
{
    cur k = *c;
    int nb;
    skip_sp(&k);
    *s1 = peek(&k);
    if (!is_sep(*s1))
        return 0;
    next(&k);
    skip_sp(&k);
    nb = read_arabic(&k, 2, 0, CL_SEP, b);
    if (!nb)
        return 0;
    skip_sp(&k);
    *s2 = peek(&k);
    if (!is_sep(*s2))
        return 0;
    next(&k);
    skip_sp(&k);
    *nc = read_arabic(&k, last_w, 0, CL_NONE, cc);
    if (!*nc)
        return 0;
    join_last(&k, *nc, cc);
    if (!sep_end_ok(&k))
        return 0;
    *c = k;
    return 1;
}

/* Era dates: 平成2年4月1日, 令和元年十二月二十五日, H2.4.1, S63/12/31,
 * 令和11年(2029年)6月15日. */
static int p_era(cur *c, raw *r)
{
    cur k = *c, m;
    int e, y, nd, b, d, nc;
    uint32_t s1, s2;
    if (!read_era(&k, &e))
        return 0;
    r->kind = RAW_ERA;
    r->era = e;
    m = k;
    if (read_field_marker(&m, 2, 1, CP_NEN, &y, &nd)) {
        r->year = y;
        if (marker_tail(&m, r)) {
            *c = m;
            return 1;
        }
        r->alt_kind = RAW_NONE;
    }
    m = k;
    skip_sp(&m);
    if (read_field_sep(&m, 2, 1, CL_SEP, &y) && sep_tail(&m, 2, &b, &d, &nc, &s1, &s2)) {
        r->year = y;
        r->month = b;
        r->day = d;
        *c = m;
        return 1;
    }
    return 0;
}

/* An English month name or abbreviation (JAN, Sept, January), with a digit
 * 0 read as the letter O inside the word (0CT, N0V) and a 5 read as the S
 * that starts one (5EP). Optional final '.'. */
static int read_month_word(cur *c, int *month)
{
    static const char *const names[12] = {"JANUARY", "FEBRUARY", "MARCH",     "APRIL",
                                          "MAY",     "JUNE",     "JULY",      "AUGUST",
                                          "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER"};
    char w[12];
    int n = 0, fix = 0;
    cur k = *c;
    while (n < 10) { /* 10: longer than SEPTEMBER */
        uint32_t cp = peek(&k);
        if (is_alpha(cp)) {
            w[n++] = (char)(cp & ~0x20u);
        } else if (cp == '0' && is_alpha(peek2(&k))) {
            w[n++] = 'O';
            fix++;
        } else if (cp == '5' && n == 0 && is_alpha(peek2(&k))) {
            w[n++] = 'S';
            fix++;
        } else {
            break;
        }
        next(&k);
    }
    if (n < 3 || n == 10)
        return 0;
    w[n] = '\0';
    for (int i = 0; i < 12; i++) {
        if ((n == 3 && strncmp(w, names[i], 3) == 0) || strcmp(w, names[i]) == 0 ||
            (i == 8 && strcmp(w, "SEPT") == 0)) {
            if (peek(&k) == '.')
                next(&k);
            k.fixes += fix;
            *month = i + 1;
            *c = k;
            return 1;
        }
    }
    return 0;
}

/* One month token: a name, or N月 / N월. */
static int read_month_one(cur *c, int *month)
{
    cur k = *c;
    int v;
    if (read_month_word(&k, month)) {
        *c = k;
        return 1;
    }
    if (read_arabic(&k, 2, 0, CL_NONE, &v)) {
        skip_sp(&k);
        if (peek(&k) == CP_GATSU || peek(&k) == CP_WOL) {
            next(&k);
            *month = v;
            *c = k;
            return 1;
        }
    }
    return 0;
}

/* A month token with an optional bilingual second one: "JAN", "1月/JAN",
 * "JAN / JAN". *month2 is 0 when there is only one. */
static int read_month_tok(cur *c, int *month, int *month2)
{
    cur k = *c, b;
    if (!read_month_one(&k, month))
        return 0;
    *month2 = 0;
    b = k;
    skip_sp(&b);
    if (peek(&b) == '/') {
        next(&b);
        skip_sp(&b);
        if (read_month_one(&b, month2))
            k = b;
    }
    *c = k;
    return 1;
}

/* st nd rd th after an English day number */
static void skip_ordinal(cur *c)
{
    uint32_t a = peek(c) | 0x20, b = peek2(c) | 0x20;
    if ((a == 's' && b == 't') || (a == 'n' && b == 'd') || (a == 'r' && b == 'd') ||
        (a == 't' && b == 'h')) {
        cur k = *c;
        next(&k);
        next(&k);
        if (!is_alpha(peek(&k)))
            *c = k;
    }
}

/* A 4-digit year ending the English forms. */
static int read_year4_end(cur *c, int *y)
{
    cur k = *c;
    if (read_arabic(&k, 4, 0, CL_NONE, y) != 4 || adigit(peek(&k)) >= 0)
        return 0;
    *c = k;
    return 1;
}

/* English day first: "01 JAN 2030", "1 Jan 2030", "01JAN2030", "01-JAN-2030",
 * "01 JAN / JAN 2030", "01 1月/JAN 2030". */
static int p_eng_day_first(cur *c, raw *r)
{
    cur k = *c;
    int d, m, m2, y;
    if (!read_arabic(&k, 2, 0, CL_NONE, &d))
        return 0;
    skip_ordinal(&k);
    skip_sp(&k);
    if (peek(&k) == '-' || peek(&k) == '.' || peek(&k) == '/') {
        next(&k);
        skip_sp(&k);
    }
    if (!read_month_tok(&k, &m, &m2))
        return 0;
    skip_sp(&k);
    if (peek(&k) == '-' || peek(&k) == '.' || peek(&k) == '/' || peek(&k) == ',')
        next(&k);
    skip_sp(&k);
    if (!read_year4_end(&k, &y))
        return 0;
    r->kind = RAW_ENG;
    r->year = y, r->month = m, r->month2 = m2, r->day = d;
    *c = k;
    return 1;
}

/* English month first: "JAN 01 2030", "Jan 1, 2030", "January 1st, 2030". */
static int p_eng_month_first(cur *c, raw *r)
{
    cur k = *c;
    int d, m, y;
    if (!read_month_word(&k, &m))
        return 0;
    skip_sp(&k);
    if (!read_arabic(&k, 2, 0, CL_NONE, &d))
        return 0;
    skip_ordinal(&k);
    skip_sp(&k);
    if (peek(&k) == ',')
        next(&k);
    skip_sp(&k);
    if (!read_year4_end(&k, &y))
        return 0;
    r->kind = RAW_ENG;
    r->year = y, r->month = m, r->day = d;
    *c = k;
    return 1;
}

/* Dates that begin with a number: 2026年11月22日, 2029年(令和11年)6月15日,
 * 二〇二六年十一月二十二日, 7年8月9日 (era-less), English day-first,
 * 2026/11/22, 22.11.2026, 7.8.9 (era-less), 20261122. */
static int p_num(cur *c, raw *r)
{
    cur k = *c;
    int y, nd, b, d, nc, a, na;
    uint32_t s1, s2;

    if (read_field_marker(&k, 4, 0, CP_NEN, &y, &nd) && nd != 3) {
        cur t = k;
        skip_sp(&t);
        if (peek(&t) == CP_NEN || peek(&t) == '(') {
            r->kind = nd == 4 ? RAW_WEST : RAW_ERALESS;
            r->year = y;
            if (marker_tail(&k, r)) {
                *c = k;
                return 1;
            }
            r->alt_kind = RAW_NONE;
        }
    }
    k = *c;
    if (p_eng_day_first(&k, r)) {
        *c = k;
        return 1;
    }
    k = *c;
    na = read_arabic(&k, 4, 0, CL_SEP, &a);
    if (na && na != 3 && sep_tail(&k, 4, &b, &d, &nc, &s1, &s2)) {
        if (na == 4 && nc <= 2) {
            r->kind = RAW_WEST;
            r->year = a, r->month = b, r->day = d;
        } else if (na <= 2 && nc == 4) {
            r->kind = RAW_WEST; /* day first, as European and ICAO documents print */
            r->year = d, r->month = b, r->day = a;
        } else if (na <= 2 && nc <= 2 && is_dot(s1) && is_dot(s2)) {
            r->kind = RAW_ERALESS;
            r->year = a, r->month = b, r->day = d;
        } else {
            return 0;
        }
        *c = k;
        return 1;
    }
    /* YYYYMMDD: exactly eight real digits */
    k = *c;
    {
        int v[8], n = 0;
        while (n < 8 && adigit(peek(&k)) >= 0) {
            v[n++] = adigit(peek(&k));
            next(&k);
        }
        if (n == 8 && adigit(peek(&k)) < 0 && !is_alpha(peek(&k))) {
            r->kind = RAW_WEST;
            r->year = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
            r->month = v[4] * 10 + v[5];
            r->day = v[6] * 10 + v[7];
            *c = k;
            return 1;
        }
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Resolution                                                                */

/* Western years a KYC document can carry: none before Meiji, and later than
 * 2199 only by OCR error. */
#define WEST_MIN 1868
#define WEST_MAX 2199

static ps_date_issue era_date(int era, int n, int m, int d, ps_date *g, int *past_end)
{
    ps_date x = {eras[era].first.year + n - 1, m, d};
    *g = x;
    *past_end = 0;
    if (n < 1)
        return PS_DATE_OUT_OF_RANGE;
    if (!ps_date_valid(x))
        return PS_DATE_BAD_CALENDAR;
    if (ps_date_cmp(x, eras[era].first) < 0)
        return PS_DATE_BEFORE_ERA;
    *past_end = ps_date_cmp(x, eras[era].last) > 0;
    return PS_DATE_OK;
}

static ps_date_issue west_date(int y, int m, int d, ps_date *g)
{
    ps_date x = {y, m, d};
    *g = x;
    if (y < WEST_MIN || y > WEST_MAX)
        return PS_DATE_OUT_OF_RANGE;
    return ps_date_valid(x) ? PS_DATE_OK : PS_DATE_BAD_CALENDAR;
}

/* Era-less: the most recent era whose real span holds the date and in which
 * the date is not after `now`. For a fixed era year, later eras give later
 * dates, so the first fit from 令和 down is the most recent. */
static ps_date_issue eraless_date(const raw *r, const ps_date *now, ps_date *g, int *era,
                                  int *ambiguous)
{
    int any_valid = 0;
    *ambiguous = 0;
    if (!now || !ps_date_valid(*now))
        return PS_DATE_NEED_NOW;
    if (r->year < 1)
        return PS_DATE_OUT_OF_RANGE;
    for (int e = N_ERAS - 1; e >= 1; e--) {
        ps_date x = {eras[e].first.year + r->year - 1, r->month, r->day};
        if (!ps_date_valid(x))
            continue;
        any_valid = 1;
        if (ps_date_cmp(x, eras[e].first) < 0 || ps_date_cmp(x, eras[e].last) > 0 ||
            ps_date_cmp(x, *now) > 0)
            continue;
        *g = x;
        *era = e;
        if (e != N_ERAS - 1 && r->year <= 99) {
            ps_date w = {2000 + r->year, r->month, r->day}; /* 26.11.22 as 2026 */
            *ambiguous = ps_date_valid(w) && ps_date_cmp(w, *now) <= 0;
        }
        return PS_DATE_OK;
    }
    return any_valid ? PS_DATE_NO_ERA_FITS : PS_DATE_BAD_CALENDAR;
}

static void resolve(const raw *r, const ps_date *now, ps_date_result *out)
{
    ps_date g = {0, 0, 0}, zero = {0, 0, 0};
    ps_date_issue is = PS_DATE_OK;
    int past = 0;
    switch (r->kind) {
    case RAW_ERA:
        out->form = PS_DATE_ERA;
        out->era = r->era;
        is = era_date(r->era, r->year, r->month, r->day, &g, &past);
        break;
    case RAW_ERALESS:
        out->form = PS_DATE_ERA_LESS;
        is = eraless_date(r, now, &g, &out->era, &out->ambiguous);
        break;
    case RAW_ENG:
        out->form = PS_DATE_ENGLISH;
        is = west_date(r->year, r->month, r->day, &g);
        break;
    default:
        out->form = PS_DATE_WESTERN;
        is = west_date(r->year, r->month, r->day, &g);
        break;
    }
    out->issue = is;
    out->past_era_end = past;
    out->date = is == PS_DATE_OK ? g : zero;
    if (is != PS_DATE_OK)
        return;

    if (r->alt_kind == RAW_ERA) {
        int p2;
        ps_date_issue i2 = era_date(r->alt_era, r->alt_year, r->month, r->day, &out->second, &p2);
        out->has_second = 1;
        out->era = r->alt_era;
        out->conflict = i2 != PS_DATE_OK || ps_date_cmp(out->second, g) != 0;
    } else if (r->alt_kind == RAW_WEST) {
        ps_date_issue i2 = west_date(r->alt_year, r->month, r->day, &out->second);
        out->has_second = 1;
        out->conflict = i2 != PS_DATE_OK || ps_date_cmp(out->second, g) != 0;
    } else if (r->kind == RAW_ENG && r->month2 != 0) {
        ps_date x = {r->year, r->month2, r->day};
        out->has_second = 1;
        out->second = x;
        out->conflict = r->month2 != r->month;
    }
}

/* Tries every grammar at byte `pos`. Returns 1 when a date-shaped text
 * matched (out->issue says whether it is a valid date), 0 when none did.
 * At depth 0 a following "(…)" holding another full date is read as the
 * bracketed alternative (令和11年6月15日(2029年6月15日)). */
static int parse_at(const text *t, size_t pos, const ps_date *now, int depth,
                    ps_date_result *out)
{
    cur c = {t, pos, 0}, k;
    raw r;
    int ok = 0;
    memset(out, 0, sizeof *out);
    memset(&r, 0, sizeof r);
    k = c;
    ok = p_era(&k, &r);
    if (!ok) {
        memset(&r, 0, sizeof r);
        k = c;
        ok = is_alpha(peek(&c)) && p_eng_month_first(&k, &r);
    }
    if (!ok) {
        memset(&r, 0, sizeof r);
        k = c;
        ok = p_num(&k, &r);
    }
    if (!ok)
        return 0;
    resolve(&r, now, out);
    out->start = pos;
    out->end = k.pos;
    out->ocr_fixes = k.fixes;
    if (depth == 0 && !out->has_second) {
        cur b = k;
        ps_date_result in;
        skip_sp(&b);
        if (peek(&b) == '(') {
            next(&b);
            skip_sp(&b);
            if (parse_at(t, b.pos, now, 1, &in) && in.issue == PS_DATE_OK) {
                cur e = {t, in.end, 0};
                skip_sp(&e);
                if (peek(&e) == ')') {
                    next(&e);
                    out->end = e.pos;
                    out->ocr_fixes += in.ocr_fixes;
                    if (out->issue == PS_DATE_OK) {
                        out->has_second = 1;
                        out->second = in.date;
                        out->conflict = ps_date_cmp(in.date, out->date) != 0;
                        if (!out->era)
                            out->era = in.era;
                    }
                }
            }
        }
    }
    return 1;
}

/* Whether a date may begin at cp, given the two code points before it: not
 * inside a number or a word, and not after "digit separator" (the middle of
 * 1.2.3.4), unless that separator directly follows a date just matched. */
static int start_ok(uint32_t pp, uint32_t p, uint32_t cp, int p_is_match_end)
{
    int numeric = adigit(cp) >= 0 || confusable(cp, 0) >= 0;
    if ((numeric || is_alpha(cp)) && (adigit(p) >= 0 || is_alpha(p)))
        return 0;
    if (numeric && is_sep(p) && adigit(pp) >= 0 && !p_is_match_end)
        return 0;
    if (is_kanji_num(cp) && (is_kanji_num(p) || adigit(p) >= 0))
        return 0;
    return numeric || is_alpha(cp) || is_kanji_num(cp) || cp == CP_GAN || cp >= 0x3000;
}

/* The scanner shared by parse and find_all. Calls `take` for every match;
 * stops when take returns 0. */
typedef int (*take_fn)(void *ctx, const ps_date_result *r);

static void scan(const text *t, const ps_date *now, take_fn take, void *ctx)
{
    size_t pos = 0, p_pos = SIZE_MAX, last_end = SIZE_MAX;
    uint32_t pp = 0, p = 0;
    while (pos < t->n) {
        uint32_t cp;
        size_t len = utf8_at(t, pos, &cp);
        ps_date_result r;
        cp = fold(cp);
        if (start_ok(pp, p, cp, p_pos == last_end) && parse_at(t, pos, now, 0, &r)) {
            size_t q = pos;
            if (!take(ctx, &r))
                return;
            /* continue after the match, with the two code points that end it
             * (decoded forwards, so malformed bytes group as in utf8_at) */
            while (q < r.end) {
                uint32_t x;
                size_t l = utf8_at(t, q, &x);
                pp = p;
                p = fold(x);
                p_pos = q;
                q += l ? l : 1;
            }
            pos = q;
            last_end = pos;
            p_pos = SIZE_MAX; /* p now ends the match: "sep after a match" uses last_end */
            if (pos < t->n) {
                /* a separator right after the match may start the next date */
                uint32_t x;
                size_t l = utf8_at(t, pos, &x);
                x = fold(x);
                if (is_sep(x)) {
                    pp = p;
                    p = x;
                    p_pos = last_end;
                    pos += l;
                }
            }
            continue;
        }
        pp = p;
        p = cp;
        p_pos = pos;
        pos += len;
    }
}

/* ------------------------------------------------------------------------ */
/* Public entry points                                                       */

struct first_ctx {
    ps_date_result *out;
    int have_issue;
    int done;
};

static int take_first(void *vctx, const ps_date_result *r)
{
    struct first_ctx *ctx = vctx;
    if (r->issue == PS_DATE_OK) {
        *ctx->out = *r;
        ctx->done = 1;
        return 0;
    }
    if (!ctx->have_issue) {
        *ctx->out = *r;
        ctx->have_issue = 1;
    }
    return 1;
}

ps_status ps_date_parse_n(const char *utf8, size_t len, const ps_date *now,
                          ps_date_result *out)
{
    text t;
    struct first_ctx ctx = {out, 0, 0};
    if (out) {
        memset(out, 0, sizeof *out);
        out->issue = PS_DATE_NOT_FOUND;
    }
    if (!utf8 || !out || len > PS_DATE_MAX_INPUT)
        return PS_E_ARG;
    t.s = (const unsigned char *)utf8;
    t.n = len;
    scan(&t, now, take_first, &ctx);
    return ctx.done ? PS_OK : PS_E_ARG;
}

ps_status ps_date_parse(const char *utf8, const ps_date *now, ps_date_result *out)
{
    if (!utf8)
        return ps_date_parse_n(NULL, 0, now, out);
    /* strnlen: never walk further than one byte past the limit */
    return ps_date_parse_n(utf8, strnlen(utf8, PS_DATE_MAX_INPUT + 1), now, out);
}

struct all_ctx {
    ps_date_result *out;
    int max, count;
};

static int take_all(void *vctx, const ps_date_result *r)
{
    struct all_ctx *ctx = vctx;
    if (r->issue != PS_DATE_OK)
        return 1;
    if (ctx->count < ctx->max)
        ctx->out[ctx->count] = *r;
    ctx->count++;
    return 1;
}

int ps_date_find_all_n(const char *utf8, size_t len, const ps_date *now, ps_date_result *out,
                       int max)
{
    text t;
    struct all_ctx ctx = {out, max, 0};
    if (!utf8 || max < 0 || (!out && max > 0) || len > PS_DATE_MAX_INPUT)
        return -1;
    t.s = (const unsigned char *)utf8;
    t.n = len;
    scan(&t, now, take_all, &ctx);
    return ctx.count;
}

int ps_date_find_all(const char *utf8, const ps_date *now, ps_date_result *out, int max)
{
    if (!utf8)
        return -1;
    return ps_date_find_all_n(utf8, strnlen(utf8, PS_DATE_MAX_INPUT + 1), now, out, max);
}

ps_status ps_date_parse_mrz(const char yymmdd[6], int is_expiry, const ps_date *now,
                            ps_date *out)
{
    ps_date none = {0, 0, 0}, limit;
    int v[6], base;
    if (out)
        *out = none;
    if (!yymmdd || !now || !out || !ps_date_valid(*now))
        return PS_E_ARG;
    for (int i = 0; i < 6; i++) {
        switch (yymmdd[i]) {
        case 'O': case 'Q': case 'D': v[i] = 0; break;
        case 'I': case 'L': case 'l': v[i] = 1; break;
        case 'Z': v[i] = 2; break;
        case 'S': v[i] = 5; break;
        case 'G': v[i] = 6; break;
        case 'B': v[i] = 8; break;
        default:
            if (yymmdd[i] < '0' || yymmdd[i] > '9')
                return PS_E_ARG;
            v[i] = yymmdd[i] - '0';
        }
    }
    limit = *now;
    if (is_expiry) {
        limit.year += 20; /* see the header: the expiry window */
        if (limit.month == 2 && limit.day == 29 && !is_leap(limit.year))
            limit.day = 28;
    }
    base = now->year / 100 * 100;
    for (int cent = base + 100; cent >= base - 100; cent -= 100) {
        ps_date g = {cent + v[0] * 10 + v[1], v[2] * 10 + v[3], v[4] * 10 + v[5]};
        if (ps_date_cmp(g, limit) <= 0) {
            if (!ps_date_valid(g))
                return PS_E_ARG;
            *out = g;
            return PS_OK;
        }
    }
    return PS_E_ARG;
}

ps_date ps_date_today(void)
{
    ps_date d;
    struct tm tm;
    time_t t = time(NULL);
    memset(&d, 0, sizeof d);
    if (gmtime_r(&t, &tm) != NULL) {
        d.year = tm.tm_year + 1900;
        d.month = tm.tm_mon + 1;
        d.day = tm.tm_mday;
    }
    return d;
}
