/* Document type from keywords and layout (see prescreen/doctype.h). */
#include "prescreen/doctype.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "prescreen/mrz.h"
#include "prescreen/normalize.h"
#include "prescreen/redact.h"
#include "read/utf8.h"

static const char *const ps__names[PS_DOC_COUNT_] = {
    "unknown", "drivers_license", "my_number_card", "my_number_notification_card",
    "residence_card", "special_permanent_resident_certificate", "passport",
    "health_insurance_card", "certificate_of_residence", "postal_mail", "utility_bill",
    "tax_receipt", "bank_statement", "credit_card"};

const char *ps_doctype_name(ps_doctype t)
{
    return (t >= 0 && t < PS_DOC_COUNT_) ? ps__names[t] : "unknown";
}

ps_doctype ps_doctype_from_name(const char *name)
{
    if (!name)
        return PS_DOC_UNKNOWN;
    for (int i = 0; i < PS_DOC_COUNT_; i++)
        if (strcmp(name, ps__names[i]) == 0)
            return (ps_doctype)i;
    return PS_DOC_UNKNOWN;
}

const char *ps_doc_side_name(ps_side s)
{
    return s == PS_SIDE_FRONT ? "front" : s == PS_SIDE_BACK ? "back" : NULL;
}

int ps_doctype_is_photo_id(ps_doctype t)
{
    return t == PS_DOC_DRIVERS_LICENSE || t == PS_DOC_MY_NUMBER_CARD ||
           t == PS_DOC_RESIDENCE_CARD || t == PS_DOC_SPECIAL_PERMANENT_RESIDENT ||
           t == PS_DOC_PASSPORT;
}

int ps_luhn_valid(const char *digits)
{
    int d[32], n = 0;
    if (!digits)
        return 0;
    for (const char *p = digits; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (n == 32)
                return 0;
            d[n++] = *p - '0';
        }
    }
    /* Payment card numbers are 12 to 19 digits (ISO/IEC 7812). */
    if (n < 12 || n > 19)
        return 0;
    int sum = 0;
    for (int i = 0; i < n; i++) {
        int v = d[n - 1 - i];
        if (i % 2 == 1) {
            v *= 2;
            if (v > 9)
                v -= 9;
        }
        sum += v;
    }
    return sum % 10 == 0;
}

/* A keyword in the folded text, the type it is evidence for, its weight
 * (3 = a title that alone names the document; 1 = supporting word) and
 * the side it indicates (0 = either). Keys are upper-case, no spaces. */
typedef struct ps__kw {
    const char *key;
    ps_doctype type;
    double weight;
    ps_side side;
} ps__kw;

static const ps__kw ps__keywords[] = {
    {"運転免許証", PS_DOC_DRIVERS_LICENSE, 4, PS_SIDE_FRONT},
    {"免許証", PS_DOC_DRIVERS_LICENSE, 1, 0},
    {"公安委員会", PS_DOC_DRIVERS_LICENSE, 2, PS_SIDE_FRONT},
    {"免許の条件", PS_DOC_DRIVERS_LICENSE, 2, PS_SIDE_FRONT},
    {"眼鏡等", PS_DOC_DRIVERS_LICENSE, 1, PS_SIDE_FRONT},
    {"二・小・原", PS_DOC_DRIVERS_LICENSE, 1, PS_SIDE_FRONT},
    {"大型", PS_DOC_DRIVERS_LICENSE, 0.5, PS_SIDE_FRONT},
    {"普通", PS_DOC_DRIVERS_LICENSE, 0.5, PS_SIDE_FRONT},
    {"備考", PS_DOC_DRIVERS_LICENSE, 1, PS_SIDE_BACK},
    /* A licence names itself only at the bottom, in small print: the words
     * around its fields have to add up (交付 top, 条件等 and 公安 below). */
    {"交付", PS_DOC_DRIVERS_LICENSE, 1.5, PS_SIDE_FRONT},
    {"条件等", PS_DOC_DRIVERS_LICENSE, 2, PS_SIDE_FRONT},
    {"公安", PS_DOC_DRIVERS_LICENSE, 2, PS_SIDE_FRONT},
    {"種類", PS_DOC_DRIVERS_LICENSE, 1, PS_SIDE_FRONT},
    {"二種", PS_DOC_DRIVERS_LICENSE, 1, PS_SIDE_FRONT},
    {"優良", PS_DOC_DRIVERS_LICENSE, 1, PS_SIDE_FRONT}, /* 優良運転者: the gold band */
    {"個人番号カード", PS_DOC_MY_NUMBER_CARD, 4, 0},
    /* the back prints the number under 個人番号 (the notification card too,
     * which its own title overrides) */
    {"個人番号", PS_DOC_MY_NUMBER_CARD, 1, 0},
    {"電子証明書", PS_DOC_MY_NUMBER_CARD, 2, PS_SIDE_FRONT},
    {"臓器提供", PS_DOC_MY_NUMBER_CARD, 0.5, 0},
    {"署名欄", PS_DOC_MY_NUMBER_CARD, 0.5, PS_SIDE_FRONT},
    {"通知カード", PS_DOC_MY_NUMBER_NOTIFICATION, 6, PS_SIDE_FRONT},
    {"在留カード", PS_DOC_RESIDENCE_CARD, 4, PS_SIDE_FRONT},
    {"RESIDENCECARD", PS_DOC_RESIDENCE_CARD, 3, PS_SIDE_FRONT},
    {"在留資格", PS_DOC_RESIDENCE_CARD, 2, PS_SIDE_FRONT},
    {"在留期間", PS_DOC_RESIDENCE_CARD, 1, 0},
    /* the front's other printed labels (faint titles get missed) */
    {"住居地", PS_DOC_RESIDENCE_CARD, 1.5, PS_SIDE_FRONT},
    {"国籍", PS_DOC_RESIDENCE_CARD, 1, PS_SIDE_FRONT},
    {"NATIONALITY", PS_DOC_RESIDENCE_CARD, 1, PS_SIDE_FRONT},
    {"PERIODOFSTAY", PS_DOC_RESIDENCE_CARD, 1.5, PS_SIDE_FRONT},
    {"許可の種類", PS_DOC_RESIDENCE_CARD, 1.5, PS_SIDE_FRONT},
    {"就労制限", PS_DOC_RESIDENCE_CARD, 2, PS_SIDE_FRONT},
    {"住居地記載欄", PS_DOC_RESIDENCE_CARD, 3, PS_SIDE_BACK},
    {"資格外活動許可欄", PS_DOC_RESIDENCE_CARD, 3, PS_SIDE_BACK},
    {"在留期間更新等許可申請欄", PS_DOC_RESIDENCE_CARD, 3, PS_SIDE_BACK},
    {"特別永住者証明書", PS_DOC_SPECIAL_PERMANENT_RESIDENT, 6, PS_SIDE_FRONT},
    {"SPECIALPERMANENTRESIDENT", PS_DOC_SPECIAL_PERMANENT_RESIDENT, 5, PS_SIDE_FRONT},
    {"特別永住者", PS_DOC_SPECIAL_PERMANENT_RESIDENT, 2, 0},
    {"PASSPORT", PS_DOC_PASSPORT, 3, PS_SIDE_FRONT},
    /* the Japanese data page's English labels no card prints (NATIONALITY
     * is a residence card's too; Surname / Given name are on foreign ID
     * cards, an Albanian one of the shared corpus among them): they name
     * a page whose outline lost its title band */
    {"ISSUINGCOUNTRY", PS_DOC_PASSPORT, 2, PS_SIDE_FRONT},
    {"REGISTEREDDOMICILE", PS_DOC_PASSPORT, 2, PS_SIDE_FRONT},
    {"MINISTRYOFFOREIGNAFFAIRS", PS_DOC_PASSPORT, 3, PS_SIDE_FRONT},
    {"旅券", PS_DOC_PASSPORT, 3, PS_SIDE_FRONT},
    {"日本国旅券", PS_DOC_PASSPORT, 2, PS_SIDE_FRONT},
    {"被保険者証", PS_DOC_HEALTH_INSURANCE_CARD, 4, PS_SIDE_FRONT},
    {"保険証", PS_DOC_HEALTH_INSURANCE_CARD, 3, PS_SIDE_FRONT},
    {"保険者番号", PS_DOC_HEALTH_INSURANCE_CARD, 2, PS_SIDE_FRONT},
    {"被保険者", PS_DOC_HEALTH_INSURANCE_CARD, 1, 0},
    {"健康保険", PS_DOC_HEALTH_INSURANCE_CARD, 1, 0},
    {"住民票", PS_DOC_CERTIFICATE_OF_RESIDENCE, 4, PS_SIDE_FRONT},
    /* the title as printed: long enough to be found with a slip (佳民票の写し) */
    {"住民票の写し", PS_DOC_CERTIFICATE_OF_RESIDENCE, 4, PS_SIDE_FRONT},
    {"本籍", PS_DOC_CERTIFICATE_OF_RESIDENCE, 1, 0},
    {"住民となった年月日", PS_DOC_CERTIFICATE_OF_RESIDENCE, 2, PS_SIDE_FRONT},
    {"世帯主", PS_DOC_CERTIFICATE_OF_RESIDENCE, 1, 0},
    {"続柄", PS_DOC_CERTIFICATE_OF_RESIDENCE, 1, 0},
    {"原本と相違ない", PS_DOC_CERTIFICATE_OF_RESIDENCE, 2, 0},
    {"郵便はがき", PS_DOC_POSTAL_MAIL, 4, PS_SIDE_FRONT},
    {"料金後納", PS_DOC_POSTAL_MAIL, 3, PS_SIDE_FRONT},
    {"料金別納", PS_DOC_POSTAL_MAIL, 3, PS_SIDE_FRONT},
    {"郵便", PS_DOC_POSTAL_MAIL, 1, 0},
    {"様", PS_DOC_POSTAL_MAIL, 0.5, 0},
    {"〒", PS_DOC_POSTAL_MAIL, 0.5, 0},
    {"親展", PS_DOC_POSTAL_MAIL, 2, 0},
    {"日本郵便", PS_DOC_POSTAL_MAIL, 1, 0},
    {"電気料金", PS_DOC_UTILITY_BILL, 4, 0},
    {"ガス料金", PS_DOC_UTILITY_BILL, 4, 0},
    {"水道料金", PS_DOC_UTILITY_BILL, 4, 0},
    {"電気ご使用量", PS_DOC_UTILITY_BILL, 3, 0},
    {"ご使用量", PS_DOC_UTILITY_BILL, 2, 0},
    {"ガスご使用量", PS_DOC_UTILITY_BILL, 2, 0},
    {"ご請求", PS_DOC_UTILITY_BILL, 1, 0},
    {"お客さま番号", PS_DOC_UTILITY_BILL, 1, 0},
    {"検針", PS_DOC_UTILITY_BILL, 2, 0},
    {"領収証", PS_DOC_UTILITY_BILL, 1, 0},
    {"KWH", PS_DOC_UTILITY_BILL, 1, 0},
    {"納税", PS_DOC_TAX_RECEIPT, 2, 0},
    {"住民税", PS_DOC_TAX_RECEIPT, 3, 0},
    {"固定資産税", PS_DOC_TAX_RECEIPT, 3, 0},
    {"軽自動車税", PS_DOC_TAX_RECEIPT, 3, 0},
    {"納付書", PS_DOC_TAX_RECEIPT, 2, 0},
    {"社会保険料", PS_DOC_TAX_RECEIPT, 3, 0},
    {"国民年金", PS_DOC_TAX_RECEIPT, 2, 0},
    {"源泉徴収票", PS_DOC_TAX_RECEIPT, 4, 0},
    {"取引明細", PS_DOC_BANK_STATEMENT, 3, 0},
    {"入出金明細", PS_DOC_BANK_STATEMENT, 4, 0},
    {"残高", PS_DOC_BANK_STATEMENT, 1, 0},
    {"預金", PS_DOC_BANK_STATEMENT, 1, 0},
    {"口座番号", PS_DOC_BANK_STATEMENT, 1, 0},
    {"ご利用明細", PS_DOC_BANK_STATEMENT, 3, 0},
    {"銀行", PS_DOC_BANK_STATEMENT, 1, 0},
    {"VALIDTHRU", PS_DOC_CREDIT_CARD, 3, PS_SIDE_FRONT},
    {"GOODTHRU", PS_DOC_CREDIT_CARD, 3, PS_SIDE_FRONT},
    {"VALIDDATES", PS_DOC_CREDIT_CARD, 2, PS_SIDE_FRONT},
    {"MONTH/YEAR", PS_DOC_CREDIT_CARD, 2, PS_SIDE_FRONT},
    {"MEMBERSINCE", PS_DOC_CREDIT_CARD, 2, PS_SIDE_FRONT},
    {"VISA", PS_DOC_CREDIT_CARD, 1, 0},
    {"MASTERCARD", PS_DOC_CREDIT_CARD, 1, 0},
    {"JCB", PS_DOC_CREDIT_CARD, 1, 0},
    {"AMERICANEXPRESS", PS_DOC_CREDIT_CARD, 1, 0},
    {"DINERSCLUB", PS_DOC_CREDIT_CARD, 1, 0},
    {"AUTHORIZEDSIGNATURE", PS_DOC_CREDIT_CARD, 3, PS_SIDE_BACK},
    {"NOTVALIDUNLESSSIGNED", PS_DOC_CREDIT_CARD, 3, PS_SIDE_BACK},
    {"CUSTOMERSERVICE", PS_DOC_CREDIT_CARD, 1, PS_SIDE_BACK},
};

/* Evidence of card numbers: digit groups separated by single spaces or
 * hyphens, 2 per Luhn-valid 13..19-digit number, 1 per 4-4-4-4 group. */
static int ps__luhn_numbers(const char *t)
{
    int found = 0;
    const char *p = t;
    while (*p) {
        if (!(*p >= '0' && *p <= '9')) {
            p++;
            continue;
        }
        char digits[24];
        int n = 0;
        const char *q = p;
        while (*q) {
            if (*q >= '0' && *q <= '9') {
                if (n < 23)
                    digits[n++] = *q;
                q++;
            } else if ((*q == ' ' || *q == '-') && q[1] >= '0' && q[1] <= '9') {
                q++;
            } else {
                break;
            }
        }
        digits[n] = '\0';
        /* 13 digits is the shortest payment card number still issued.
         * Luhn-valid counts 2, a 4-4-4-4 look-alike (specimens) 1. */
        if (n >= 13 && n <= 19 && ps_luhn_valid(digits))
            found += 2;
        else if (n == 16 && q - p == 19)
            found += 1;
        p = q;
    }
    return found;
}

/* 1 when keyword `k` occurs in `t` at least once outside every longer
 * keyword of another type (種類 inside 許可の種類 is no licence word). */
static int ps__found_alone(const char *t, size_t k)
{
    const ps__kw *kw = &ps__keywords[k];
    size_t len = strlen(kw->key), n_kw = sizeof ps__keywords / sizeof ps__keywords[0];
    for (const char *p = strstr(t, kw->key); p; p = strstr(p + 1, kw->key)) {
        int inside = 0;
        for (size_t j = 0; j < n_kw && !inside; j++) {
            const ps__kw *o = &ps__keywords[j];
            size_t ol = strlen(o->key);
            if (o->type == kw->type || ol <= len)
                continue;
            /* every start of `o` that would cover p .. p+len */
            for (size_t back = 0; back <= ol - len && !inside; back++)
                inside = (size_t)(p - t) >= back && strncmp(p - back, o->key, ol) == 0;
        }
        if (!inside)
            return 1;
    }
    return 0;
}

/* ---- keywords read with OCR slips ------------------------------------------
 * A title read with one character wrong (佳民票の写し, 運転免許詐) or one
 * dropped (住民となった年月 where a table cell cut 日) is still that title:
 * a keyword long enough that a slip cannot turn it into another word counts
 * when some stretch of the text is within its edit allowance. Short keys
 * (住民票, VISA) never do: one slip makes them common words. */

/* Keywords with at least this many kanji/kana may carry one slip, twice as
 * many two; Latin keys need twice the length (a letter carries less). */
#define PS__FUZZY_MIN_CJK 4
#define PS__FUZZY_MIN_LATIN 8
/* A keyword found with slips counts this share of its weight. */
#define PS__FUZZY_WEIGHT 0.75
/* Longest keyword and text (code points) the approximate search handles. */
#define PS__KEY_CP_MAX 32

/* How many slips keyword `key` (n code points) may carry: 0 = exact only. */
static int ps__slips_allowed(const uint32_t *key, size_t n)
{
    int latin = 1;
    for (size_t i = 0; i < n; i++)
        latin = latin && key[i] < 0x80;
    size_t min = latin ? PS__FUZZY_MIN_LATIN : PS__FUZZY_MIN_CJK;
    if (n < min || n > PS__KEY_CP_MAX)
        return 0;
    return n >= 2 * min ? 2 : 1;
}

/* The fewest edits (insert, delete, substitute) that turn `key` into some
 * stretch of `t` (Sellers' approximate substring search: a match may start
 * anywhere at no cost). */
static int ps__min_edits(const uint32_t *key, size_t n, const uint32_t *t, size_t m)
{
    int col[PS__KEY_CP_MAX + 1];
    int best = (int)n;
    for (size_t i = 0; i <= n; i++)
        col[i] = (int)i;
    for (size_t j = 0; j < m; j++) {
        int diag = col[0]; /* D[i-1][j-1] */
        col[0] = 0;        /* a match may start after any character */
        for (size_t i = 1; i <= n; i++) {
            int up = col[i]; /* D[i][j-1] */
            int v = diag + (key[i - 1] != t[j]);
            if (up + 1 < v)
                v = up + 1;
            if (col[i - 1] + 1 < v)
                v = col[i - 1] + 1;
            diag = up;
            col[i] = v;
        }
        if (col[n] < best)
            best = col[n];
    }
    return best;
}

/* Decodes UTF-8 `s` into at most `cap` code points; returns the count. */
static size_t ps__decode(const char *s, uint32_t *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; s[i] && n < cap;)
        out[n++] = ps__utf8_next(s, &i);
    return n;
}

/* Runs of exactly `len` ASCII digits in folded text (no spaces), each
 * preceded by `before` and followed by `after` when those are not NULL
 * (UTF-8 strings matched right next to the run). When `check` is set a run
 * must pass it. Returns how many runs qualify. */
static int ps__digit_runs(const char *t, size_t len, const char *before, const char *after,
                          int (*check)(const char *))
{
    int found = 0;
    const char *p = t;
    while (*p) {
        if (!(*p >= '0' && *p <= '9')) {
            p++;
            continue;
        }
        const char *q = p;
        while (*q >= '0' && *q <= '9')
            q++;
        size_t n = (size_t)(q - p);
        int ok = n == len;
        if (ok && before) {
            size_t b = strlen(before);
            ok = (size_t)(p - t) >= b && memcmp(p - b, before, b) == 0;
        }
        if (ok && after)
            ok = strncmp(q, after, strlen(after)) == 0;
        if (ok && check) {
            char run[32];
            if (n >= sizeof run)
                ok = 0;
            else {
                memcpy(run, p, n);
                run[n] = '\0';
                ok = check(run);
            }
        }
        found += ok;
        p = q;
    }
    return found;
}

/* A TD3 machine-readable zone's first line: P, a type letter or <, the
 * issuing state's three letters, then names and fillers — a run of MRZ
 * characters holding "<<" (ICAO 9303). OCR rarely gets both lines' check
 * digits right on a photo, but this shape survives. */
static int ps__td3_first_line(const char *t)
{
    /* 44 characters printed; OCR drops filler runs, but a run this long of
     * MRZ characters is no word of prose */
    const size_t min_run = 20;
    for (const char *p = t; (p = strchr(p, 'P')) != NULL; p++) {
        int start = p == t || p[-1] == '\n' || p[-1] == ' ';
        if (!start || !(p[1] == '<' || (p[1] >= 'A' && p[1] <= 'Z')))
            continue;
        int state = 1;
        for (int i = 2; i < 5; i++)
            state = state && p[i] >= 'A' && p[i] <= 'Z';
        size_t n = 0;
        int pair = 0;
        while ((p[n] >= 'A' && p[n] <= 'Z') || (p[n] >= '0' && p[n] <= '9') || p[n] == '<') {
            pair = pair || (n > 0 && p[n] == '<' && p[n - 1] == '<');
            n++;
        }
        if (state && pair && n >= min_run)
            return 1;
    }
    return 0;
}

/* 1 when s (folded: widths and dashes, no spaces) holds 〒 and a postcode
 * after it, NNN-NNNN. */
static int ps__postcode(const char *s)
{
    for (const char *p = strstr(s, "〒"); p; p = strstr(p + 1, "〒")) {
        const char *d = p + strlen("〒");
        int ok = 1;
        for (int i = 0; i < 8 && ok; i++)
            ok = i == 3 ? d[i] == '-' : d[i] >= '0' && d[i] <= '9';
        if (ok)
            return 1;
    }
    return 0;
}

/* An addressee block: a line with 〒 and a postcode, and an addressee's
 * line (ps_ends_in_sama(), the test the field reader takes the name by)
 * with a name of two or more characters before its 様. Mailed paper
 * carries one: postal mail, and bills or statements whose own words then
 * outscore it. */
static int ps__addressee_block(const char *text)
{
    int post = 0, sama = 0;
    char line[512], key[1024];
    for (const char *p = text; *p && !(post && sama);) {
        size_t n = strcspn(p, "\n");
        if (n < sizeof line) {
            memcpy(line, p, n);
            line[n] = '\0';
            if (ps_norm_text(line, PS_NORM_WIDTH | PS_NORM_NOSPACE | PS_NORM_DASH, key, sizeof key) ==
                PS_OK) {
                post |= ps__postcode(key);
                /* at least two characters (6 bytes of kanji) besides 様 */
                sama |= ps_ends_in_sama(line) && strlen(key) >= strlen("様") + 6;
            }
        }
        p += n;
        if (*p == '\n')
            p++;
    }
    return post && sama;
}
/* What an addressee block adds to postal mail: with its 〒 and 様 (0.5
 * each) it reaches PS_DOCTYPE_MIN_SCORE alone, so an envelope whose 郵便
 * words did not read is still mail. */
#define PS__ADDRESSEE_WEIGHT 2.0

/* Largest folded text we scan; a document page fits easily. */
#define PS__TEXT_CAP 65536

ps_status ps_doctype_classify(const char *text, const ps_doctype_hints *hints,
                              ps_doctype_result *out)
{
    double score[PS_DOC_COUNT_] = {0}, front = 0, back = 0;
    double side_score[PS_DOC_COUNT_][3] = {{0}};
    char *folded = NULL, *spaced = NULL;
    uint32_t *cps = NULL; /* the folded text's code points */
    ps_status st = PS_OK;

    if (out)
        memset(out, 0, sizeof *out);
    if (!text || !out)
        return PS_E_ARG;
    folded = malloc(PS__TEXT_CAP);
    spaced = malloc(PS__TEXT_CAP);
    if (!folded || !spaced) {
        st = PS_E_NOMEM;
        goto done;
    }
    const unsigned base = PS_NORM_WIDTH | PS_NORM_OLDKANJI | PS_NORM_UPPER | PS_NORM_DASH;
    if (ps_norm_text(text, base | PS_NORM_NOSPACE, folded, PS__TEXT_CAP) != PS_OK ||
        ps_norm_text(text, base, spaced, PS__TEXT_CAP) != PS_OK) {
        st = PS_E_ARG; /* text beyond PS__TEXT_CAP */
        goto done;
    }
    size_t n_cp = 0;
    cps = malloc(sizeof *cps * PS__TEXT_CAP);
    if (!cps) {
        st = PS_E_NOMEM;
        goto done;
    }
    n_cp = ps__decode(folded, cps, PS__TEXT_CAP);
    for (size_t k = 0; k < sizeof ps__keywords / sizeof ps__keywords[0]; k++) {
        const ps__kw *kw = &ps__keywords[k];
        double w = 0;
        if (ps__found_alone(folded, k)) {
            w = kw->weight;
        } else if (!strstr(folded, kw->key)) { /* found only inside another type's title: none */
            uint32_t key[PS__KEY_CP_MAX + 1];
            size_t n = ps__decode(kw->key, key, PS__KEY_CP_MAX + 1);
            int slips = ps__slips_allowed(key, n);
            if (slips > 0 && ps__min_edits(key, n, cps, n_cp) <= slips)
                w = kw->weight * PS__FUZZY_WEIGHT;
        }
        score[kw->type] += w;
        side_score[kw->type][kw->side] += w;
    }
    /* 通知カード also prints 個人番号: the notification card wins. */
    if (score[PS_DOC_MY_NUMBER_NOTIFICATION] > 0)
        score[PS_DOC_MY_NUMBER_CARD] = 0;
    /* 特別永住者証明書 is not a residence card although it shares words. */
    if (score[PS_DOC_SPECIAL_PERMANENT_RESIDENT] >= 5)
        score[PS_DOC_RESIDENCE_CARD] *= 0.5;

    ps_mrz mrz;
    if (ps_mrz_parse(text, &mrz) == PS_OK) {
        if (mrz.format == PS_MRZ_TD3 && mrz.doc_code[0] == 'P')
            score[PS_DOC_PASSPORT] += 5;
        else if (mrz.format == PS_MRZ_TD1)
            score[PS_DOC_RESIDENCE_CARD] += 1; /* TD1 IDs: weak evidence only */
    }
    /* A My Number (12 digits, its check digit holds): a My Number card's
     * back, or a notification card (whose title wins above). */
    /* A licence number: 第 + 12 digits + 号. */
    int licence_no = ps__digit_runs(folded, 12, "第", "号", NULL);
    if (licence_no) {
        score[PS_DOC_DRIVERS_LICENSE] += 3;
        side_score[PS_DOC_DRIVERS_LICENSE][PS_SIDE_FRONT] += 3;
    }
    /* ...whose 12 digits pass the My Number check about one time in ten:
     * only 12-digit runs beyond the licence numbers count */
    /* A 住民票 may print the holder's My Number in its 個人番号 row: with
     * the certificate's own words the number is no card's. */
    if (score[PS_DOC_MY_NUMBER_NOTIFICATION] == 0 && score[PS_DOC_CERTIFICATE_OF_RESIDENCE] == 0 &&
        ps__digit_runs(folded, 12, NULL, NULL, ps_mynumber_valid) > licence_no) {
        score[PS_DOC_MY_NUMBER_CARD] += 3;
        side_score[PS_DOC_MY_NUMBER_CARD][PS_SIDE_BACK] += 3;
    }
    if (ps__addressee_block(text)) {
        score[PS_DOC_POSTAL_MAIL] += PS__ADDRESSEE_WEIGHT;
        side_score[PS_DOC_POSTAL_MAIL][PS_SIDE_FRONT] += PS__ADDRESSEE_WEIGHT;
    }
    if (ps__td3_first_line(spaced))
        score[PS_DOC_PASSPORT] += 3;
    int luhn = ps__luhn_numbers(spaced);
    if (luhn) {
        double w = luhn >= 2 ? 3 : 2; /* valid number : grouped digits only */
        score[PS_DOC_CREDIT_CARD] += w;
        side_score[PS_DOC_CREDIT_CARD][PS_SIDE_FRONT] += w;
    }

    if (hints) {
        /* ID-1 cards are 85.60 x 53.98 mm: aspect 1.586. */
        int card = hints->aspect > 0 && fabs(hints->aspect - 1.586) < 0.12;
        /* Paper (A4 0.707, letters, receipts) is portrait or much wider. */
        int paper = hints->aspect > 0 && (hints->aspect < 1.0 || hints->aspect > 1.9);
        for (int t = 1; t < PS_DOC_COUNT_; t++) {
            int is_card = t == PS_DOC_DRIVERS_LICENSE || t == PS_DOC_MY_NUMBER_CARD ||
                          t == PS_DOC_RESIDENCE_CARD || t == PS_DOC_SPECIAL_PERMANENT_RESIDENT ||
                          t == PS_DOC_HEALTH_INSURANCE_CARD || t == PS_DOC_CREDIT_CARD;
            if (score[t] <= 0)
                continue;
            if (card && is_card)
                score[t] += 0.5;
            if (paper && is_card)
                score[t] -= 1.0;
            if (hints->has_face == 1 && ps_doctype_is_photo_id((ps_doctype)t))
                score[t] += 1.0;
            if (hints->has_face == 0 && ps_doctype_is_photo_id((ps_doctype)t) &&
                t != PS_DOC_PASSPORT)
                side_score[t][PS_SIDE_BACK] += 0.5; /* a card without portrait: its back */
        }
    }

    int best = 0, second = 0;
    for (int t = 1; t < PS_DOC_COUNT_; t++) {
        if (score[t] > score[best]) {
            second = best;
            best = t;
        } else if (score[t] > score[second]) {
            second = t;
        }
    }
    out->score = score[best];
    out->runner_up = second != best ? score[second] : 0;
    if (best == 0 || score[best] < PS_DOCTYPE_MIN_SCORE) {
        out->type = PS_DOC_UNKNOWN;
        goto done;
    }
    out->type = (ps_doctype)best;
    front = side_score[best][PS_SIDE_FRONT];
    back = side_score[best][PS_SIDE_BACK];
    out->side = back > front ? PS_SIDE_BACK : front > 0 ? PS_SIDE_FRONT : PS_SIDE_NONE;
done:
    free(cps);
    free(folded);
    free(spaced);
    return st;
}
