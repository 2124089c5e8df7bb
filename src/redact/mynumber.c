/* My Number (個人番号), 住民票コード and health-insurance numbers.
 *
 * The My Number's check digit passes one random 12-digit string in ten,
 * so it is evidence, never proof: a 12-digit run is masked as a My Number
 * only with context. Strong context — the label 個人番号 or マイナンバー on
 * its line or just above or left of it, or a document whose main number
 * it is (a My Number card: a front read may be a back or a notification
 * card misread, and a front prints no other such run; a notification
 * card) — masks it even with a failing check digit (one misread digit),
 * and masks a partly read number (8+ digits in groups of 4) with room for
 * the digits not read on either side; the plan is then uncertain. Weak
 * context — a 住民票, which may print one, or a run printed 4-4-4 on any
 * document but a credit card (a notification card not typed) — masks a
 * check-valid run.
 *
 * 住民票コード (11 digits) is masked next to its label on certificates of
 * residence. On health insurance cards the 保険者番号 (insurer number, 6 or
 * 8 digits) and the 記号・番号 (the insured person's symbol and number,
 * which the Health Insurance Act forbids collecting) are masked after their
 * labels, the labels included, since the numbers sit between them.
 */
#include <string.h>

#include "redact/redact_int.h"

#define PS__MYNUMBER_LEN 12
#define PS__RESIDENT_CODE_LEN 11
/* A partly read My Number: two groups of 4. */
#define PS__MYNUMBER_PARTIAL 8
/* Checksum weights switch after the sixth digit (from the right). */
#define PS__MYNUMBER_WEIGHT_SPLIT 6
/* The check digit's modulus. */
#define PS__MYNUMBER_MOD 11

int ps_mynumber_check_digit(const char *base11)
{
    if (base11 == NULL || strlen(base11) != PS__MYNUMBER_LEN - 1)
        return -1;
    int sum = 0;
    for (int n = 1; n <= PS__MYNUMBER_LEN - 1; n++) {
        char c = base11[PS__MYNUMBER_LEN - 1 - n]; /* Pn counts from the right */
        if (c < '0' || c > '9')
            return -1;
        int q = n <= PS__MYNUMBER_WEIGHT_SPLIT ? n + 1 : n - 5;
        sum += (c - '0') * q;
    }
    int rem = sum % PS__MYNUMBER_MOD;
    return rem <= 1 ? 0 : PS__MYNUMBER_MOD - rem;
}

int ps_mynumber_valid(const char *digits)
{
    char base[PS__MYNUMBER_LEN];
    if (digits == NULL || strlen(digits) != PS__MYNUMBER_LEN)
        return 0;
    memcpy(base, digits, PS__MYNUMBER_LEN - 1);
    base[PS__MYNUMBER_LEN - 1] = '\0';
    int cd = ps_mynumber_check_digit(base);
    int ok = cd >= 0 && digits[PS__MYNUMBER_LEN - 1] == (char)('0' + cd);
    ps__wipe(base, sizeof base);
    return ok;
}

/* 12 digits as one group or 4-4-4 within groups [g0, g1]. */
static int mynumber_shape(const ps__run *r, int g0, int g1)
{
    int k = g1 - g0 + 1;
    if (k == 1)
        return ps__run_group_len(r, g0) == PS__MYNUMBER_LEN;
    if (k == 3)
        return ps__run_group_len(r, g0) == 4 && ps__run_group_len(r, g0 + 1) == 4 &&
               ps__run_group_len(r, g0 + 2) == 4;
    return 0;
}

/* The printed layout as context: groups [g0, g1] are 4-4-4 with no group
 * of four or more digits beside them (that is a card number's 4-4-4-4),
 * how a My Number is printed wherever it stands (a washed-out notification
 * card taken for a card's front, or not typed at all). */
static int layout_4_4_4(const ps__run *r, int g0, int g1)
{
    return g1 == g0 + 2 && (g0 == 0 || ps__run_group_len(r, g0 - 1) < 4) &&
           (g1 + 1 >= r->n_groups || ps__run_group_len(r, g1 + 1) < 4);
}

/* Masks digits [a, b) of run r as a number of type t that has `len`
 * digits: a run read shorter (its other digits too faint, or read as
 * letters) is masked wider by the missing digits' width and their group
 * gaps on both sides, since which end they stand at is not known. */
static void add_run(ps__run *r, int a, int b, int len, ps_redact_type t, int partial,
                    ps_redact_plan *plan)
{
    char d[PS__RUN_MAX_DIGITS + 1];
    ps_box box = ps__run_box(r, a, b);
    if (b > a && b - a < len) {
        /* a digit's pitch per missing digit, and one more per group of 4
         * they may form (the gap before it) */
        int missing = len - (b - a);
        int grow = (int)((double)box.w / (b - a) * (missing + (missing + 3) / 4) + 0.5);
        box.x -= grow;
        box.w += 2 * grow;
    }
    ps__run_digits(r, a, b, d);
    ps_redact_item *it = ps__plan_add(plan, t, box, d);
    if (it != NULL)
        it->partial = partial;
    if (partial)
        plan->uncertain = 1;
    ps__wipe(d, sizeof d);
}

static int mynumber_label(const ps_ocr_line *lines, size_t n_lines, const ps__run *r)
{
    ps_box b = ps__run_box(r, 0, r->n);
    return ps__label_near(lines, n_lines, r->line, b, "個人番号") ||
           ps__label_near(lines, n_lines, r->line, b, "マイナンバー");
}

/* Context: 2 = the document's own number (a My Number card either side,
 * a notification card) or a label: mask even with a failing check digit;
 * 1 = a document that may print one (a 住民票) or a run printed 4-4-4 off
 * a credit card: mask a check-valid run; 0 = none. */
static void find_mynumber(ps__runs *runs, const ps_ocr_line *lines, size_t n_lines,
                          int doc_context, int layout_context, ps_redact_plan *plan)
{
    for (size_t i = 0; i < runs->n; i++) {
        ps__run *r = &runs->r[i];
        if (r->used)
            continue;
        int ctx = mynumber_label(lines, n_lines, r) ? 2 : doc_context;
        if (ctx == 0 && !layout_context)
            continue;
        for (int g0 = 0; g0 < r->n_groups && !r->used; g0++) {
            for (int g1 = g0; g1 < r->n_groups && g1 < g0 + 3; g1++) {
                if (!mynumber_shape(r, g0, g1))
                    continue;
                if (ctx == 0 && !layout_4_4_4(r, g0, g1))
                    continue;
                int a = g0 > 0 ? r->group_end[g0 - 1] : 0;
                char d[PS__MYNUMBER_LEN + 1];
                ps__run_digits(r, a, a + PS__MYNUMBER_LEN, d);
                int bad = !ps_mynumber_valid(d); /* context says so; a digit was misread */
                ps__wipe(d, sizeof d);
                if (bad && ctx < 2)
                    continue; /* weak context, no label: the check digit must hold */
                add_run(r, a, a + PS__MYNUMBER_LEN, PS__MYNUMBER_LEN, PS_REDACT_MY_NUMBER, bad,
                        plan);
                r->used = 1;
                break;
            }
        }
        /* partly read: the whole run goes */
        if (!r->used && ctx == 2 && r->n >= PS__MYNUMBER_PARTIAL && ps__run_group_len(r, 0) == 4 &&
            r->n <= PS__MYNUMBER_LEN) {
            add_run(r, 0, r->n, PS__MYNUMBER_LEN, PS_REDACT_MY_NUMBER, 1, plan);
            r->used = 1;
        }
    }
}

/* 住民票コード: next to its label, or on a 住民票 as an unbroken 11-digit
 * run (phone numbers there are hyphenated, dates split by 年月日). */
static void find_resident_code(ps__runs *runs, const ps_ocr_line *lines, size_t n_lines,
                               int on_certificate, ps_redact_plan *plan)
{
    for (size_t i = 0; i < runs->n; i++) {
        ps__run *r = &runs->r[i];
        if (r->used || r->n < PS__MYNUMBER_PARTIAL || r->n > PS__MYNUMBER_LEN)
            continue;
        int plain11 = r->n_groups == 1 && r->n == PS__RESIDENT_CODE_LEN;
        if (!(on_certificate && plain11) &&
            !ps__label_near(lines, n_lines, r->line, ps__run_box(r, 0, r->n), "住民票コード"))
            continue;
        add_run(r, 0, r->n, PS__RESIDENT_CODE_LEN, PS_REDACT_RESIDENT_CODE,
                r->n != PS__RESIDENT_CODE_LEN, plan);
        r->used = 1;
    }
}

/* Box of the words on `line` whose text holds `label`, united with *b;
 * returns 1 when one was found. */
static int grow_by_label_words(const ps_ocr_word *words, size_t n_words, int line,
                               const char *label, ps_box *b)
{
    int found = 0;
    for (size_t i = 0; i < n_words; i++) {
        if (words[i].line != line || words[i].text == NULL || !strstr(words[i].text, label))
            continue;
        ps_box w = words[i].box;
        int x0 = b->x < w.x ? b->x : w.x, y0 = b->y < w.y ? b->y : w.y;
        int x1 = b->x + b->w > w.x + w.w ? b->x + b->w : w.x + w.w;
        int y1 = b->y + b->h > w.y + w.h ? b->y + b->h : w.y + w.h;
        *b = (ps_box){x0, y0, x1 - x0, y1 - y0};
        found = 1;
    }
    return found;
}

static int line_has(const ps_ocr_line *lines, size_t n_lines, int line, const char *label)
{
    return line >= 0 && (size_t)line < n_lines && lines[line].text != NULL &&
           strstr(lines[line].text, label) != NULL;
}

static void find_insurance(ps__runs *runs, const ps_ocr_word *words, size_t n_words,
                           const ps_ocr_line *lines, size_t n_lines, ps_redact_plan *plan)
{
    for (size_t i = 0; i < runs->n; i++) {
        ps__run *r = &runs->r[i];
        if (r->used)
            continue;
        ps_box b = ps__run_box(r, 0, r->n);
        if (ps__label_near(lines, n_lines, r->line, b, "保険者番号")) {
            add_run(r, 0, r->n, 0, PS_REDACT_INSURER_NUMBER, 0, plan);
            r->used = 1;
            continue;
        }
        if (line_has(lines, n_lines, r->line, "記号") || line_has(lines, n_lines, r->line, "番号")) {
            /* the whole 記号 … 番号 … stretch, labels included */
            char d[PS__RUN_MAX_DIGITS + 1];
            ps__run_digits(r, 0, r->n, d);
            grow_by_label_words(words, n_words, r->line, "記号", &b);
            grow_by_label_words(words, n_words, r->line, "番号", &b);
            /* on to the line's end: digits read as letters or not read as
             * a word there (a 枝番 too) are still the number */
            if (r->line >= 0 && (size_t)r->line < n_lines) {
                ps_box ln = lines[r->line].box;
                int x1 = ln.x + ln.w > b.x + b.w ? ln.x + ln.w : b.x + b.w;
                b.w = x1 - b.x;
            }
            ps__plan_add(plan, PS_REDACT_INSURED_NUMBER, b, d);
            ps__wipe(d, sizeof d);
            r->used = 1;
        }
    }
}

void ps__find_mynumber(ps__runs *runs, const ps_ocr_word *words, size_t n_words,
                       const ps_ocr_line *lines, size_t n_lines, ps_doctype type,
                       ps_side side, ps_redact_plan *plan)
{
    /* a My Number card's front prints no number, but a front may be a
     * back or a notification card misread, and it prints no other run of
     * 8 to 12 digits in groups of 4: as strong context as a back */
    (void)side;
    int doc_context = type == PS_DOC_MY_NUMBER_NOTIFICATION || type == PS_DOC_MY_NUMBER_CARD
                          ? 2
                      : type == PS_DOC_CERTIFICATE_OF_RESIDENCE ? 1
                                                                : 0;
    find_mynumber(runs, lines, n_lines, doc_context, type != PS_DOC_CREDIT_CARD, plan);
    find_resident_code(runs, lines, n_lines, type == PS_DOC_CERTIFICATE_OF_RESIDENCE, plan);
    if (type == PS_DOC_HEALTH_INSURANCE_CARD)
        find_insurance(runs, words, n_words, lines, n_lines, plan);
}
