/* ICAO 9303 TD3 / TD1 machine readable zones (see prescreen/mrz.h). */
#include "prescreen/mrz.h"

#include <stdio.h>

#include <string.h>

/* Line lengths fixed by ICAO 9303 parts 4 (TD3) and 5 (TD1). */
#define PS__TD3_LEN 44
#define PS__TD1_LEN 30
/* Most lines of OCR text examined for a zone. */
#define PS__MAX_LINES 64

static int ps__mrz_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    if (c == '<')
        return 0;
    return -1;
}

int ps_mrz_check_digit(const char *s, int len)
{
    static const int weights[3] = {7, 3, 1};
    int sum = 0;
    if (!s || len < 0)
        return -1;
    for (int i = 0; i < len; i++) {
        int v = ps__mrz_value(s[i]);
        if (v < 0)
            return -1;
        sum += v * weights[i % 3];
    }
    return sum % 10;
}

/* 1 when the check character `c` matches the digit computed over s[0..len).
 * A '<' check character stands for 0 (used for empty optional fields). */
static int ps__check_ok(const char *s, int len, char c)
{
    int want = ps_mrz_check_digit(s, len);
    int got = c == '<' ? 0 : (c >= '0' && c <= '9') ? c - '0' : -1;
    return want >= 0 && want == got;
}

/* Copies s[0..len) to dst (cap bytes), '<' -> ' ', trimmed, runs of
 * spaces collapsed. */
static void ps__field(char *dst, size_t cap, const char *s, int len)
{
    size_t o = 0;
    for (int i = 0; i < len && o + 1 < cap; i++) {
        char c = s[i] == '<' ? ' ' : s[i];
        if (c == ' ' && (o == 0 || dst[o - 1] == ' '))
            continue;
        dst[o++] = c;
    }
    while (o > 0 && dst[o - 1] == ' ')
        o--;
    dst[o] = '\0';
}

/* Splits "SURNAME<<GIVEN<NAMES<<<" into its two identifiers. */
static void ps__names(ps_mrz *m, const char *s, int len)
{
    int split = -1;
    for (int i = 0; i + 1 < len; i++)
        if (s[i] == '<' && s[i + 1] == '<') {
            split = i;
            break;
        }
    if (split < 0) {
        ps__field(m->surname, sizeof m->surname, s, len);
        return;
    }
    ps__field(m->surname, sizeof m->surname, s, split);
    ps__field(m->given_names, sizeof m->given_names, s + split + 2, len - split - 2);
    /* Japan writes names in Hepburn romanisation, which has no Q: on a
     * Japanese passport a Q is an O whose tail was OCR noise (INQUE) */
    if (strcmp(m->issuer, "JPN") == 0) {
        for (char *c = m->surname; *c; c++)
            *c = *c == 'Q' ? 'O' : *c;
        for (char *c = m->given_names; *c; c++)
            *c = *c == 'Q' ? 'O' : *c;
    }
}

/* Cleans one OCR line into MRZ characters; returns its length, or -1 when
 * it holds characters an MRZ cannot (then it is not an MRZ line). */
static int ps__clean_line(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\r')
            continue;
        if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xAB) {
            /* « is a common OCR reading of a << filler pair */
            if (o + 2 >= cap)
                return -1;
            out[o++] = '<';
            out[o++] = '<';
            i++;
            continue;
        }
        if (c >= 'a' && c <= 'z')
            c = (unsigned char)(c - 'a' + 'A');
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<'))
            return -1;
        if (o + 1 >= cap)
            return -1;
        out[o++] = (char)c;
    }
    out[o] = '\0';
    return (int)o;
}

/* Brings a line to exactly `want` characters when OCR dropped or added
 * trailing fillers; returns 0 when it is too far off. */
static int ps__fit(char *line, int len, int want)
{
    /* Up to 2 characters of slack: OCR drops or doubles filler runs. */
    if (len < want - 2 || len > want + 2)
        return 0;
    if (len > want) {
        for (int i = want; i < len; i++)
            if (line[i] != '<')
                return 0;
        line[want] = '\0';
    } else {
        if (len > 0 && line[len - 1] != '<' && len != want)
            return 0;
        for (int i = len; i < want; i++)
            line[i] = '<';
        line[want] = '\0';
    }
    return 1;
}

/* ps__fit for a line that ends in the names' filler run (TD3 line 1): OCR
 * drops any number of fillers there, and the line has no check digit for
 * the padding to upset. */
static int ps__fit_names(char *line, int len, int want)
{
    /* "P<XXXA<<" is the shortest names line worth padding */
    if (len >= 8 && len < want && line[len - 1] == '<') {
        for (int i = len; i < want; i++)
            line[i] = '<';
        line[want] = '\0';
        return 1;
    }
    return ps__fit(line, len, want);
}

static void ps__parse_td3(ps_mrz *m, const char *l1, const char *l2)
{
    m->format = PS_MRZ_TD3;
    ps__field(m->doc_code, sizeof m->doc_code, l1, 2);
    ps__field(m->issuer, sizeof m->issuer, l1 + 2, 3);
    ps__names(m, l1 + 5, PS__TD3_LEN - 5);
    ps__field(m->number, sizeof m->number, l2, 9);
    ps__field(m->nationality, sizeof m->nationality, l2 + 10, 3);
    memcpy(m->birth, l2 + 13, 6);
    m->sex = l2[20];
    memcpy(m->expiry, l2 + 21, 6);
    ps__field(m->optional1, sizeof m->optional1, l2 + 28, 14);
    if (!ps__check_ok(l2, 9, l2[9]))
        m->findings |= PS_MRZ_BAD_NUMBER;
    if (!ps__check_ok(l2 + 13, 6, l2[19]))
        m->findings |= PS_MRZ_BAD_BIRTH;
    if (!ps__check_ok(l2 + 21, 6, l2[27]))
        m->findings |= PS_MRZ_BAD_EXPIRY;
    if (!ps__check_ok(l2 + 28, 14, l2[42]))
        m->findings |= PS_MRZ_BAD_OPTIONAL;
    /* Composite: number+check, birth+check, expiry+check+personal+check. */
    char comp[40];
    memcpy(comp, l2, 10);
    memcpy(comp + 10, l2 + 13, 7);
    memcpy(comp + 17, l2 + 21, 22);
    if (!ps__check_ok(comp, 39, l2[43]))
        m->findings |= PS_MRZ_BAD_COMPOSITE;
}

static void ps__parse_td1(ps_mrz *m, const char *l1, const char *l2, const char *l3)
{
    m->format = PS_MRZ_TD1;
    ps__field(m->doc_code, sizeof m->doc_code, l1, 2);
    ps__field(m->issuer, sizeof m->issuer, l1 + 2, 3);
    ps__field(m->number, sizeof m->number, l1 + 5, 9);
    ps__field(m->optional1, sizeof m->optional1, l1 + 15, 15);
    memcpy(m->birth, l2, 6);
    m->sex = l2[7];
    memcpy(m->expiry, l2 + 8, 6);
    ps__field(m->nationality, sizeof m->nationality, l2 + 15, 3);
    ps__field(m->optional2, sizeof m->optional2, l2 + 18, 11);
    ps__names(m, l3, PS__TD1_LEN);
    if (!ps__check_ok(l1 + 5, 9, l1[14]))
        m->findings |= PS_MRZ_BAD_NUMBER;
    if (!ps__check_ok(l2, 6, l2[6]))
        m->findings |= PS_MRZ_BAD_BIRTH;
    if (!ps__check_ok(l2 + 8, 6, l2[14]))
        m->findings |= PS_MRZ_BAD_EXPIRY;
    /* Composite: line 1 from the number on, birth+check, expiry+check,
     * line 2 optional data. */
    char comp[60];
    memcpy(comp, l1 + 5, 25);
    memcpy(comp + 25, l2, 7);
    memcpy(comp + 32, l2 + 8, 7);
    memcpy(comp + 39, l2 + 18, 11);
    if (!ps__check_ok(comp, 50, l2[29]))
        m->findings |= PS_MRZ_BAD_COMPOSITE;
}

ps_status ps_mrz_parse(const char *text, ps_mrz *out)
{
    char lines[PS__MAX_LINES][64];
    int lens[PS__MAX_LINES], n = 0;
    if (out)
        memset(out, 0, sizeof *out);
    if (!text || !out)
        return PS_E_ARG;
    for (const char *p = text; *p && n < PS__MAX_LINES;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        lens[n] = ps__clean_line(p, len, lines[n], sizeof lines[n]);
        if (lens[n] > 0)
            n++;
        p += len + (e ? 1 : 0);
    }
    /* TD3: two consecutive 44-character lines, the first a passport's. */
    for (int i = 0; i + 1 < n; i++) {
        char a[64], b[64];
        memcpy(a, lines[i], sizeof a);
        memcpy(b, lines[i + 1], sizeof b);
        if (ps__fit_names(a, lens[i], PS__TD3_LEN) && ps__fit(b, lens[i + 1], PS__TD3_LEN) &&
            (a[0] == 'P' || a[0] == 'V')) {
            ps__parse_td3(out, a, b);
            memcpy(out->lines[0], a, PS__TD3_LEN + 1);
            memcpy(out->lines[1], b, PS__TD3_LEN + 1);
            return PS_OK;
        }
    }
    /* TD1: three consecutive 30-character lines starting with I, A or C. */
    for (int i = 0; i + 2 < n; i++) {
        char a[64], b[64], c[64];
        memcpy(a, lines[i], sizeof a);
        memcpy(b, lines[i + 1], sizeof b);
        memcpy(c, lines[i + 2], sizeof c);
        if (ps__fit(a, lens[i], PS__TD1_LEN) && ps__fit(b, lens[i + 1], PS__TD1_LEN) &&
            ps__fit(c, lens[i + 2], PS__TD1_LEN) && (a[0] == 'I' || a[0] == 'A' || a[0] == 'C')) {
            ps__parse_td1(out, a, b, c);
            memcpy(out->lines[0], a, PS__TD1_LEN + 1);
            memcpy(out->lines[1], b, PS__TD1_LEN + 1);
            memcpy(out->lines[2], c, PS__TD1_LEN + 1);
            return PS_OK;
        }
    }
    return PS_E_FORMAT;
}

ps_status ps_mrz_td3_names(const char *line, char *surname, size_t surname_cap, char *given,
                           size_t given_cap)
{
    char l[64];
    int n;
    if (!line || !surname || !given || surname_cap == 0 || given_cap == 0)
        return PS_E_ARG;
    surname[0] = '\0';
    given[0] = '\0';
    n = ps__clean_line(line, strlen(line), l + 2, sizeof l - 2);
    /* OCR drops the "P<" that opens the line where the zone is cut close to
     * it: a line that starts with the state ("JPNITO<<AOI") or with the
     * filler ("<JPNITO<<AOI") gets its document code back. A line that
     * starts with P keeps it as read (PRT, POL: states starting with P). */
    if (n > 0 && l[2] != 'P') {
        int lost = l[2] == '<' ? 1 : 2;
        memcpy(l + 2 - lost, "P<", (size_t)lost);
        memmove(l, l + 2 - lost, (size_t)n + (size_t)lost + 1);
        n += lost;
    } else if (n > 0) {
        memmove(l, l + 2, (size_t)n + 1);
    }
    /* the line, at most 2 characters of OCR slack either way (ps__fit) */
    /* Filler runs are where OCR drops characters: a short line still
     * qualifies when it ends in fillers. "P<XXXA<<B" is the shortest. */
    if (n < 9 || n > PS__TD3_LEN + 2 || l[0] != 'P' || (n < PS__TD3_LEN - 2 && l[n - 1] != '<'))
        return PS_E_FORMAT;
    for (int i = 0; i < n; i++) {
        /* line 1 holds letters and fillers only: a digit there is the
         * letter OCR took it for (MAKOT0) */
        static const char look[] = "OI\0\0\0S\0\0B\0"; /* 0 1 5 8 */
        if (l[i] >= '0' && l[i] <= '9' && look[l[i] - '0'])
            l[i] = look[l[i] - '0'];
        if (!((l[i] >= 'A' && l[i] <= 'Z') || l[i] == '<'))
            return PS_E_FORMAT;
    }
    for (int i = 2; i < 5; i++)
        if (l[i] == '<')
            return PS_E_FORMAT; /* the issuing state is three letters */
    ps_mrz m;
    memset(&m, 0, sizeof m);
    ps__field(m.issuer, sizeof m.issuer, l + 2, 3);
    ps__names(&m, l + 5, n - 5);
    if (!m.surname[0] || !m.given_names[0])
        return PS_E_FORMAT;
    snprintf(surname, surname_cap, "%s", m.surname);
    snprintf(given, given_cap, "%s", m.given_names);
    return PS_OK;
}

ps_status ps_mrz_td3_dates(const char *text, char birth[7], char expiry[7])
{
    /* YYMMDD, check, sex, YYMMDD, check */
    const size_t run = 15;
    if (!text || !birth || !expiry)
        return PS_E_ARG;
    birth[0] = '\0';
    expiry[0] = '\0';
    size_t n = strlen(text);
    for (size_t i = 0; i + run <= n; i++) {
        const char *p = text + i;
        int shape = 1;
        for (size_t k = 0; k < run && shape; k++) {
            if (k == 7) /* the sex: M F X <, or a letter misread for one
                           (N for M); the two check digits decide */
                shape = (p[k] >= 'A' && p[k] <= 'Z') || p[k] == '<';
            else
                shape = p[k] >= '0' && p[k] <= '9';
        }
        if (!shape || ps_mrz_check_digit(p, 6) != p[6] - '0' ||
            ps_mrz_check_digit(p + 8, 6) != p[14] - '0')
            continue;
        memcpy(birth, p, 6);
        birth[6] = '\0';
        memcpy(expiry, p + 8, 6);
        expiry[6] = '\0';
        return PS_OK;
    }
    return PS_E_FORMAT;
}
