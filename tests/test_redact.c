/* Redaction: check digits, digit-run finding on synthetic OCR words, text
 * masking, solid fills, and plan + apply + verify on labelled images from
 * testdata/ (tesseract runs for real). Messages never show a planted number
 * beyond its last 4 digits. */
#include "testutil.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cv/document.h"
#include "prescreen/decode.h"
#include "prescreen/redact.h"
#include "read/reader.h"
#include "redact/redact_int.h"

/* ---- check digits -------------------------------------------------------- */

START_TEST(mynumber_check_digit_table)
{
    /* Expected values worked out by hand from the published formula. */
    static const struct { const char *base; int cd; } tab[] = {
        {"12345678901", 8}, /* the specification's own example */
        {"00000000000", 0}, /* remainder 0 -> 0 */
        {"00000071271", 0}, /* remainder 1 -> 0 */
        {"98765432109", 3}, {"11111111111", 8}, {"31415926535", 2}, {"55555555555", 7},
    };
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
        ck_assert_msg(ps_mynumber_check_digit(tab[i].base) == tab[i].cd, "row %zu", i);
    ck_assert_int_eq(ps_mynumber_check_digit("1234567890"), -1);   /* 10 digits */
    ck_assert_int_eq(ps_mynumber_check_digit("1234567890a"), -1);
    ck_assert_int_eq(ps_mynumber_check_digit(NULL), -1);
    ck_assert_int_eq(ps_mynumber_valid("123456789018"), 1);
    ck_assert_int_eq(ps_mynumber_valid("123456789017"), 0);
    ck_assert_int_eq(ps_mynumber_valid("12345678901"), 0);
    ck_assert_int_eq(ps_mynumber_valid("1234567890188"), 0);
    ck_assert_int_eq(ps_mynumber_valid(NULL), 0);
}
END_TEST

START_TEST(luhn_table)
{
    static const struct { const char *pan; int ok; } tab[] = {
        {"4111111111111111", 1}, {"4111111111111112", 0}, {"378282246310005", 1},
        {"378282246310006", 0},  {"5555555555554444", 1}, {"4111 1111 1111 1111", 1},
        {"411111111111", 0},     /* 12 digits: not a PAN length */
    };
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
        ck_assert_msg(ps_luhn_valid(tab[i].pan) == tab[i].ok, "row %zu (...%s)", i,
                      tab[i].pan + strlen(tab[i].pan) - 4);
}
END_TEST

/* ---- synthetic OCR words ------------------------------------------------- */

/* A line of words at height y: texts laid out left to right, each glyph
 * `cw` wide, words separated by `gap` glyph widths (negative entries in
 * gaps[] override it per word). */
typedef struct words {
    ps_ocr_word w[64];
    ps_ocr_line l[16];
    size_t nw, nl;
} words;

static void add_line(words *ws, const char *label, int y, int h, double cw, double gap,
                     const char *const *texts, const double *gaps, int n)
{
    int line = (int)ws->nl++;
    ps_ocr_line *l = &ws->l[line];
    static char buf[16][512];
    buf[line][0] = '\0';
    double x = 10;
    l->first_word = ws->nw;
    if (label) {
        strcat(buf[line], label);
        strcat(buf[line], " ");
    }
    for (int i = 0; i < n; i++) {
        ps_ocr_word *w = &ws->w[ws->nw++];
        int len = (int)strlen(texts[i]);
        if (i > 0)
            x += (gaps ? gaps[i] : gap) * cw;
        w->text = (char *)texts[i];
        w->confidence = 0.9;
        w->box = (ps_box){(int)x, y, (int)(len * cw), h};
        w->line = line;
        x += len * cw;
        strcat(buf[line], texts[i]);
        if (i + 1 < n)
            strcat(buf[line], " ");
    }
    l->n_words = ws->nw - l->first_word;
    l->text = buf[line];
    l->box = (ps_box){label ? 0 : 10, y, (int)x, h};
    l->confidence = 0.9;
}

static int count_type(const ps_redact_plan *p, ps_redact_type t)
{
    int n = 0;
    for (size_t i = 0; i < p->n; i++)
        n += p->items[i].type == t;
    return n;
}

static const ps_redact_item *first_of(const ps_redact_plan *p, ps_redact_type t)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->items[i].type == t)
            return &p->items[i];
    return NULL;
}

static void find(words *ws, ps_doctype type, ps_side side, ps_redact_plan *p)
{
    ps_redact_plan_clear(p);
    ck_assert_int_eq(ps_redact_find(ws->w, ws->nw, ws->l, ws->nl, type, side, p), PS_OK);
}

START_TEST(pan_grouped_keeps_last4)
{
    words ws = {0};
    const char *t[] = {"4111", "1111", "1111", "1111"};
    add_line(&ws, NULL, 100, 30, 20, 1.2, t, NULL, 4);
    ps_redact_plan p;
    find(&ws, PS_DOC_CREDIT_CARD, PS_SIDE_FRONT, &p);
    ck_assert_int_eq(count_type(&p, PS_REDACT_PAN), 1);
    const ps_redact_item *it = first_of(&p, PS_REDACT_PAN);
    ck_assert_str_eq(it->kept, "1111");
    ck_assert_int_eq((int)strlen(it->digits), 12);
    ck_assert_int_eq(it->partial, 0);
    /* the mask ends where the fourth group begins */
    ck_assert_int_eq(it->box.x, ws.w[0].box.x);
    ck_assert_int_le(it->box.x + it->box.w, ws.w[3].box.x);
    ck_assert_int_ge(it->box.x + it->box.w, ws.w[2].box.x + ws.w[2].box.w - 1);
    ck_assert_int_eq(p.uncertain, 0);
    ps_redact_plan_clear(&p);
}
END_TEST

/* The policy's pan_keep_last 0: the number read whole is masked whole,
 * surely (no last 4 recorded, nothing partial). */
START_TEST(pan_policy_keeps_no_last4)
{
    words ws = {0};
    const char *t[] = {"4111", "1111", "1111", "1111"};
    add_line(&ws, NULL, 100, 30, 20, 1.2, t, NULL, 4);
    ps_redact_plan p;
    ps_redact_plan_clear(&p);
    ck_assert_int_eq(ps__find_all(ws.w, ws.nw, ws.l, ws.nl, PS_DOC_CREDIT_CARD, PS_SIDE_FRONT, 0, 1, &p),
                     PS_OK);
    ck_assert_int_eq(count_type(&p, PS_REDACT_PAN), 1);
    const ps_redact_item *it = first_of(&p, PS_REDACT_PAN);
    ck_assert_str_eq(it->kept, "");
    ck_assert_int_eq((int)strlen(it->digits), 16);
    ck_assert_int_eq(it->partial, 0);
    ck_assert_int_eq(it->box.x + it->box.w, ws.w[3].box.x + ws.w[3].box.w);
    ck_assert_int_eq(p.uncertain, 0);
    ps_redact_plan_clear(&p);
}
END_TEST

/* 本籍 / 筆頭者 rows and the organ-donation block, by their labels, only
 * when the policy asks; other rows untouched. */
START_TEST(optional_fields_by_label)
{
    words ws = {0};
    const char *name[] = {"山田"}, *dom[] = {"東京都千代田区一番町1"}, *head[] = {"山田太郎"};
    const char *val[] = {"大阪府大阪市北区2"}, *organ[] = {"以下の部分を使用して"};
    add_line(&ws, "氏名", 50, 20, 20, 1, name, NULL, 1);
    add_line(&ws, "本籍", 100, 20, 20, 1, dom, NULL, 1);
    add_line(&ws, "筆頭者", 140, 20, 20, 1, head, NULL, 1);
    add_line(&ws, NULL, 340, 20, 20, 1, val, NULL, 1);
    add_line(&ws, "臓器提供意思表示欄", 500, 20, 20, 1, organ, NULL, 1);
    /* a lone label row: its value (the row at 340) is below it */
    ws.l[ws.nl] = (ps_ocr_line){(char *)"本籍", 0.9, {10, 300, 40, 20}, ws.nw, 0};
    ws.nl++;
    ps_redact_plan p;
    ps_redact_plan_clear(&p);
    ps__find_optional(ws.l, ws.nl, 0, 1000, 600, &p);
    ck_assert_int_eq((int)p.n, 0); /* the default: nothing */
    ps__find_optional(ws.l, ws.nl, PS_REDACT_OPT_DOMICILE, 1000, 600, &p);
    ck_assert_int_eq(count_type(&p, PS_REDACT_DOMICILE), 4); /* 2 rows, a lone label and its value */
    ck_assert_int_eq(count_type(&p, PS_REDACT_ORGAN_DONATION), 0);
    int rows[4] = {0};
    for (size_t i = 0; i < p.n; i++) {
        const ps_box *b = &p.items[i].box;
        ck_assert_int_eq(b->x + b->w, 1000); /* to the right edge */
        ck_assert_msg(b->y > 60 || b->y + b->h < 50, "the name row is not masked");
        rows[0] |= b->y <= 100 && b->y + b->h >= 120;
        rows[1] |= b->y <= 140 && b->y + b->h >= 160;
        rows[2] |= b->y <= 300 && b->y + b->h >= 320;
        rows[3] |= b->y <= 340 && b->y + b->h >= 360;
        ck_assert_str_eq(ps_redact_type_name(p.items[i].type), "registered_domicile");
    }
    ck_assert(rows[0] && rows[1] && rows[2] && rows[3]);
    ps_redact_plan_clear(&p);
    ps__find_optional(ws.l, ws.nl, PS_REDACT_OPT_ORGAN_DONATION, 1000, 600, &p);
    ck_assert_int_eq((int)p.n, 1);
    const ps_redact_item *o = first_of(&p, PS_REDACT_ORGAN_DONATION);
    ck_assert_int_eq(o->box.x, 0);
    ck_assert_int_eq(o->box.w, 1000);
    ck_assert_int_le(o->box.y, 500);
    ck_assert_int_eq(o->box.y + o->box.h, 600); /* 7 rows below, clipped to the page */
    ck_assert_str_eq(ps_redact_type_name(o->type), "organ_donation");
    ps_redact_plan_clear(&p);
}
END_TEST

START_TEST(pan_one_word_and_split_groups)
{
    words ws = {0};
    const char *one[] = {"5555555555554444"};
    add_line(&ws, NULL, 50, 30, 20, 1.2, one, NULL, 1);
    ps_redact_plan p;
    find(&ws, PS_DOC_UNKNOWN, PS_SIDE_NONE, &p);
    const ps_redact_item *it = first_of(&p, PS_REDACT_PAN);
    ck_assert_ptr_nonnull(it);
    ck_assert_str_eq(it->kept, "4444");
    ck_assert_int_eq(it->box.w, 12 * 20); /* 12 of 16 even glyph slots */

    /* a group torn in two ("11" "11", 0.2 glyphs apart) is still one group */
    words ws2 = {0};
    const char *split[] = {"4111", "1111", "11", "11", "1111"};
    const double gaps[] = {0, 1.2, 1.2, 0.2, 1.2};
    add_line(&ws2, NULL, 50, 30, 20, 1.2, split, gaps, 5);
    find(&ws2, PS_DOC_CREDIT_CARD, PS_SIDE_FRONT, &p);
    it = first_of(&p, PS_REDACT_PAN);
    ck_assert_ptr_nonnull(it);
    ck_assert_str_eq(it->kept, "1111");
    ck_assert_int_eq(it->partial, 0);
    ps_redact_plan_clear(&p);
}
END_TEST

START_TEST(pan_ocr_confusions)
{
    words ws = {0};
    /* l for 1, O for 0, S for 5: a Luhn-valid number as tesseract misreads it */
    const char *t[] = {"4l11", "1111", "1111", "1111"};
    add_line(&ws, NULL, 50, 30, 20, 1.2, t, NULL, 4);
    ps_redact_plan p;
    find(&ws, PS_DOC_UNKNOWN, PS_SIDE_NONE, &p);
    ck_assert_int_eq(count_type(&p, PS_REDACT_PAN), 1);
    ck_assert_str_eq(first_of(&p, PS_REDACT_PAN)->kept, "1111");

    words ws2 = {0};
    const char *t2[] = {"SSSS", "SSSS", "SSSS", "4444"}; /* letters only: not numeric */
    add_line(&ws2, NULL, 50, 30, 20, 1.2, t2, NULL, 4);
    find(&ws2, PS_DOC_UNKNOWN, PS_SIDE_NONE, &p);
    ck_assert_int_eq(count_type(&p, PS_REDACT_PAN), 0);

    words ws3 = {0};
    const char *t3[] = {"3782", "822463", "10O05"}; /* Amex 4-6-5, O for 0 */
    add_line(&ws3, NULL, 50, 30, 20, 1.2, t3, NULL, 3);
    find(&ws3, PS_DOC_CREDIT_CARD, PS_SIDE_FRONT, &p);
    const ps_redact_item *it = first_of(&p, PS_REDACT_PAN);
    ck_assert_ptr_nonnull(it);
    ck_assert_str_eq(it->kept, "0005");
    ck_assert_int_eq((int)strlen(it->digits), 11);
    /* the mask stops after the first digit of the 5-digit group */
    ck_assert_int_eq(it->box.x + it->box.w, ws3.w[2].box.x + 20);
    ps_redact_plan_clear(&p);
}
END_TEST

/* A whole number read with digits that fail the Luhn check (a line read
 * upside down, glyphs a blur split) keeps nothing until its turn is known:
 * the rule that tells it, and what distrusting it does. */
START_TEST(pan_unchecked_reading_keeps_nothing)
{
    ps_redact_plan *plan = calloc(1, sizeof *plan);
    ck_assert_ptr_nonnull(plan);
    ps_redact_item *ok = ps__plan_add(plan, PS_REDACT_PAN, (ps_box){100, 300, 500, 40}, "411111111111");
    ps_redact_item *bad = ps__plan_add(plan, PS_REDACT_PAN, (ps_box){100, 400, 500, 40}, "411111111111");
    ck_assert(ok != NULL && bad != NULL);
    memcpy(ok->kept, "1111", 5);  /* 4111 1111 1111 1111: passes */
    memcpy(bad->kept, "1112", 5); /* one digit off: fails */
    ck_assert_int_eq(ps__pan_unchecked(ok), 0);
    ck_assert_int_eq(ps__pan_unchecked(bad), 1);
    ps__pan_distrust(bad, (ps_box){640, 400, 160, 40});
    ck_assert_str_eq(bad->kept, "");
    ck_assert_int_eq(bad->partial, 1);
    ck_assert_int_eq(bad->box.x, 100);
    ck_assert_int_eq(bad->box.x + bad->box.w, 800); /* the last group masked too */
    ck_assert_int_eq(ps__pan_unchecked(bad), 0);   /* nothing kept any more */
    /* a zone or a partial reading keeps nothing anyway */
    memcpy(bad->kept, "1112", 5);
    ck_assert_int_eq(ps__pan_unchecked(bad), 0);
    bad->partial = 0;
    bad->zone = 1;
    ck_assert_int_eq(ps__pan_unchecked(bad), 0);
    ps_redact_plan_clear(plan);
    free(plan);
}
END_TEST

START_TEST(pan_half_covered_still_masked)
{
    /* A thumb hides the second half; what is left fails Luhn and is short,
     * but on a card front it is still masked, whole, and flagged. */
    words ws = {0};
    const char *t[] = {"4111", "1111"};
    add_line(&ws, NULL, 50, 30, 20, 1.2, t, NULL, 2);
    ps_redact_plan p;
    find(&ws, PS_DOC_CREDIT_CARD, PS_SIDE_FRONT, &p);
    const ps_redact_item *it = first_of(&p, PS_REDACT_PAN);
    ck_assert_ptr_nonnull(it);
    ck_assert_int_eq(it->partial, 1);
    ck_assert_str_eq(it->kept, "");
    ck_assert_int_eq(it->box.x + it->box.w, ws.w[1].box.x + ws.w[1].box.w);
    ck_assert_int_eq(p.uncertain, 1);

    /* 4-4-4-1: the end was lost, the last group is not the last 4 */
    words ws2 = {0};
    const char *t2[] = {"4111", "1111", "1111", "1"};
    add_line(&ws2, NULL, 50, 30, 20, 1.2, t2, NULL, 4);
    find(&ws2, PS_DOC_CREDIT_CARD, PS_SIDE_FRONT, &p);
    it = first_of(&p, PS_REDACT_PAN);
    ck_assert_ptr_nonnull(it);
    ck_assert_int_eq(it->partial, 1);
    ck_assert_str_eq(it->kept, "");
    ps_redact_plan_clear(&p);
}
END_TEST

START_TEST(pan_not_phone_or_date)
{
    words ws = {0};
    const char *phone[] = {"TEL", "03-1234-5678", "2026-11-22"};
    add_line(&ws, NULL, 50, 30, 20, 1.0, phone, NULL, 3);
    const char *date[] = {"2026/11/22", "12:30", "0120-000-000"};
    add_line(&ws, NULL, 120, 30, 20, 1.0, date, NULL, 3);
    const char *amount[] = {"1,234,567,890,123"};
    add_line(&ws, NULL, 190, 30, 20, 1.0, amount, NULL, 1);
    /* a 16-digit reference number failing Luhn on a bill is not a PAN */
    const char *ref[] = {"1234567890123456"};
    add_line(&ws, NULL, 260, 30, 20, 1.0, ref, NULL, 1);
    ps_redact_plan p;
    find(&ws, PS_DOC_UTILITY_BILL, PS_SIDE_NONE, &p);
    ck_assert_msg(p.n == 0, "%zu items on a phone/date/amount page", p.n);
    /* ... but a Luhn-valid one is */
    words ws2 = {0};
    const char *pan[] = {"4111111111111111"};
    add_line(&ws2, NULL, 50, 30, 20, 1.0, pan, NULL, 1);
    find(&ws2, PS_DOC_UTILITY_BILL, PS_SIDE_NONE, &p);
    ck_assert_int_eq(count_type(&p, PS_REDACT_PAN), 1);
    ps_redact_plan_clear(&p);
}
END_TEST

START_TEST(mynumber_needs_context)
{
    ps_redact_plan p;
    /* check-valid, unbroken, no label, no document context: left alone */
    words ws = {0};
    const char *n[] = {"1234", "5678", "9018"};
    const char *whole[] = {"123456789018"};
    add_line(&ws, NULL, 50, 30, 20, 1.0, whole, NULL, 1);
    find(&ws, PS_DOC_UNKNOWN, PS_SIDE_NONE, &p);
    ck_assert_int_eq(count_type(&p, PS_REDACT_MY_NUMBER), 0);
    ck_assert_int_eq(p.n, 0);
    /* on a My Number card's front (a notification card or a back
     * misread): masked, unbroken too, and with a failing check digit (the
     * plan then uncertain) */
    find(&ws, PS_DOC_MY_NUMBER_CARD, PS_SIDE_FRONT, &p);
    ck_assert_int_eq(count_type(&p, PS_REDACT_MY_NUMBER), 1);
    ck_assert_int_eq(p.uncertain, 0);
    words wb = {0};
    const char *failing[] = {"1234", "5678", "9017"};
    add_line(&wb, NULL, 50, 30, 20, 1.0, failing, NULL, 3);
    find(&wb, PS_DOC_MY_NUMBER_CARD, PS_SIDE_FRONT, &p);
    ck_assert_int_eq(count_type(&p, PS_REDACT_MY_NUMBER), 1);
    ck_assert_int_eq(p.uncertain, 1);
    ps_redact_plan_clear(&p);
    /* printed 4-4-4, the My Number's layout: masked on any document but a
     * credit card (a notification card not typed) */
    words wl = {0};
    add_line(&wl, NULL, 50, 30, 20, 1.0, n, NULL, 3);
    find(&wl, PS_DOC_UNKNOWN, PS_SIDE_NONE, &p);
    ck_assert_int_eq(count_type(&p, PS_REDACT_MY_NUMBER), 1);
    ps_redact_plan_clear(&p);
    find(&wl, PS_DOC_CREDIT_CARD, PS_SIDE_FRONT, &p);
    ck_assert_int_eq(count_type(&p, PS_REDACT_MY_NUMBER), 0);
    ps_redact_plan_clear(&p);
    /* ... and not when it fails its check digit */
    find(&wb, PS_DOC_UNKNOWN, PS_SIDE_NONE, &p);
    ck_assert_int_eq(count_type(&p, PS_REDACT_MY_NUMBER), 0);
    ps_redact_plan_clear(&p);

    /* the same with 個人番号 on its line: masked */
    words ws2 = {0};
    add_line(&ws2, "個人番号", 50, 30, 20, 1.0, n, NULL, 3);
    find(&ws2, PS_DOC_UNKNOWN, PS_SIDE_NONE, &p);
    ck_assert_int_eq(count_type(&p, PS_REDACT_MY_NUMBER), 1);
    ck_assert_int_eq((int)strlen(first_of(&p, PS_REDACT_MY_NUMBER)->digits), 12);
    ck_assert_int_eq(p.uncertain, 0);

    /* label on the line above (the card back's layout) */
    words ws3 = {0};
    const char *lab[] = {"マイナンバー"};
    add_line(&ws3, NULL, 10, 20, 20, 1.0, lab, NULL, 1);
    const char *one[] = {"123456789018"};
    add_line(&ws3, NULL, 40, 30, 20, 1.0, one, NULL, 1);
    find(&ws3, PS_DOC_UNKNOWN, PS_SIDE_NONE, &p);
    ck_assert_int_eq(count_type(&p, PS_REDACT_MY_NUMBER), 1);

    /* a failing check digit: masked only with context, then uncertain */
    words ws4 = {0};
    const char *bad[] = {"123456789017"};
    add_line(&ws4, NULL, 50, 30, 20, 1.0, bad, NULL, 1);
    find(&ws4, PS_DOC_CERTIFICATE_OF_RESIDENCE, PS_SIDE_NONE, &p);
    ck_assert_int_eq(count_type(&p, PS_REDACT_MY_NUMBER), 0);
    find(&ws4, PS_DOC_MY_NUMBER_CARD, PS_SIDE_BACK, &p);
    ck_assert_int_eq(count_type(&p, PS_REDACT_MY_NUMBER), 1);
    ck_assert_int_eq(p.uncertain, 1);

    /* a check-valid one on a 住民票 is masked without its label */
    words ws5 = {0};
    add_line(&ws5, NULL, 50, 30, 20, 1.0, one, NULL, 1);
    find(&ws5, PS_DOC_CERTIFICATE_OF_RESIDENCE, PS_SIDE_NONE, &p);
    ck_assert_int_eq(count_type(&p, PS_REDACT_MY_NUMBER), 1);
    ps_redact_plan_clear(&p);

    /* 8 of its 12 digits read on a My Number card (the rest washed out):
     * masked with room for the 4 not read at either end */
    words ws6 = {0};
    const char *eight[] = {"1234", "5678"};
    add_line(&ws6, NULL, 500, 30, 20, 1.0, eight, NULL, 2);
    find(&ws6, PS_DOC_MY_NUMBER_CARD, PS_SIDE_FRONT, &p);
    ck_assert_int_eq(count_type(&p, PS_REDACT_MY_NUMBER), 1);
    ck_assert_int_eq(p.uncertain, 1);
    {
        const ps_redact_item *it = first_of(&p, PS_REDACT_MY_NUMBER);
        ps_box read = {ws6.w[0].box.x, ws6.w[0].box.y,
                       ws6.w[1].box.x + ws6.w[1].box.w - ws6.w[0].box.x, ws6.w[0].box.h};
        ck_assert_int_ge(read.x - it->box.x, read.w / 2 - 1);
        ck_assert_int_ge(it->box.x + it->box.w - (read.x + read.w), read.w / 2 - 1);
    }
    ps_redact_plan_clear(&p);
}
END_TEST

START_TEST(resident_code_and_insurance)
{
    ps_redact_plan p;
    words ws = {0};
    const char *code[] = {"12345678901"};
    add_line(&ws, "住民票コード", 50, 30, 20, 1.0, code, NULL, 1);
    find(&ws, PS_DOC_UNKNOWN, PS_SIDE_NONE, &p);
    ck_assert_int_eq(count_type(&p, PS_REDACT_RESIDENT_CODE), 1);
    /* without the label on an unknown document: nothing */
    words ws1 = {0};
    add_line(&ws1, NULL, 50, 30, 20, 1.0, code, NULL, 1);
    find(&ws1, PS_DOC_UNKNOWN, PS_SIDE_NONE, &p);
    ck_assert_int_eq(p.n, 0);

    words ws2 = {0};
    const char *sym[] = {"記号", "25163", "番号", "845"};
    add_line(&ws2, NULL, 50, 30, 20, 1.0, sym, NULL, 4);
    const char *ins[] = {"保険者番号", "00418957"};
    add_line(&ws2, NULL, 200, 30, 20, 1.0, ins, NULL, 2);
    find(&ws2, PS_DOC_HEALTH_INSURANCE_CARD, PS_SIDE_FRONT, &p);
    ck_assert_int_eq(count_type(&p, PS_REDACT_INSURER_NUMBER), 1);
    ck_assert_int_eq(count_type(&p, PS_REDACT_INSURED_NUMBER), 2);
    /* the 記号 … 番号 stretch includes its labels */
    const ps_redact_item *it = first_of(&p, PS_REDACT_INSURED_NUMBER);
    ck_assert_int_le(it->box.x, ws2.w[0].box.x);
    /* ... and runs to the line's end: the number's last digits read as
     * letters are still masked */
    words ws3 = {0};
    const char *tail[] = {"記号", "25163", "番号", "845", "2AA"};
    add_line(&ws3, NULL, 50, 30, 20, 1.0, tail, NULL, 5);
    find(&ws3, PS_DOC_HEALTH_INSURANCE_CARD, PS_SIDE_FRONT, &p);
    int reach = 0;
    for (size_t i = 0; i < p.n; i++)
        if (p.items[i].type == PS_REDACT_INSURED_NUMBER &&
            p.items[i].box.x + p.items[i].box.w >= ws3.w[4].box.x + ws3.w[4].box.w)
            reach = 1;
    ck_assert_msg(reach, "the 記号・番号 line's last word is not masked");
    ps_redact_plan_clear(&p);
}
END_TEST

START_TEST(cvv_back_and_amex_front)
{
    ps_redact_plan p;
    words ws = {0};
    const char *panel[] = {"1234", "567"};
    const double far[] = {0, 8.0};
    add_line(&ws, NULL, 100, 30, 20, 1.0, panel, far, 2);
    const char *phone[] = {"0120-000-000"};
    add_line(&ws, NULL, 200, 20, 14, 1.0, phone, NULL, 1);
    find(&ws, PS_DOC_CREDIT_CARD, PS_SIDE_BACK, &p);
    ck_assert_int_eq(count_type(&p, PS_REDACT_CVV), 1);
    ck_assert_int_eq(p.n, 1); /* the last 4 and the phone number stay */
    ck_assert_int_eq(first_of(&p, PS_REDACT_CVV)->box.x, ws.w[1].box.x);

    /* "last4 CVV" printed together */
    words ws2 = {0};
    const char *tog[] = {"1234", "567"};
    add_line(&ws2, NULL, 100, 30, 20, 1.0, tog, NULL, 2);
    find(&ws2, PS_DOC_CREDIT_CARD, PS_SIDE_BACK, &p);
    ck_assert_int_eq(count_type(&p, PS_REDACT_CVV), 1);
    ck_assert_int_eq(first_of(&p, PS_REDACT_CVV)->box.x, ws2.w[1].box.x);

    /* Amex: the CID above the number */
    words ws3 = {0};
    const char *cid[] = {"4321"};
    add_line(&ws3, NULL, 40, 20, 14, 1.0, cid, NULL, 1);
    const char *amex[] = {"3782", "822463", "10005"};
    add_line(&ws3, NULL, 100, 30, 20, 1.2, amex, NULL, 3);
    const char *exp[] = {"12/28"};
    add_line(&ws3, NULL, 160, 20, 14, 1.0, exp, NULL, 1);
    find(&ws3, PS_DOC_CREDIT_CARD, PS_SIDE_FRONT, &p);
    ck_assert_int_eq(count_type(&p, PS_REDACT_PAN), 1);
    ck_assert_int_eq(count_type(&p, PS_REDACT_CVV), 1);
    ck_assert_int_eq(p.n, 2);
    ps_redact_plan_clear(&p);
}
END_TEST

/* ---- text ---------------------------------------------------------------- */

START_TEST(text_table)
{
    static const struct { const char *in, *out; int n; } tab[] = {
        {"card 4111111111111111 ok", "card ************1111 ok", 12},
        {"4111 1111 1111 1111", "**** **** **** 1111", 12},
        {"4111-1111-1111-1111.", "****-****-****-1111.", 12},
        {"mn=123456789018;", "mn=************;", 12},
        {"mn 1234 5678 9018", "mn **** **** ****", 12},
        {"id 123456789017", "id 123456789017", 0},      /* check digit fails */
        {"tel 03-1234-5678 2026-11-22", "tel 03-1234-5678 2026-11-22", 0},
        {"ts 20261122 123456", "ts 20261122 123456", 0}, /* 8 + 6: not card-shaped */
        {"amount 1,234,567", "amount 1,234,567", 0},
        {"１２３４５６７８９０１８", "＊＊＊＊＊＊＊＊＊＊＊＊", 12},
        {"", "", 0},
    };
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
        char buf[128];
        snprintf(buf, sizeof buf, "%s", tab[i].in);
        int n = ps_redact_text(buf);
        ck_assert_msg(strcmp(buf, tab[i].out) == 0, "row %zu: output differs", i);
        ck_assert_msg(n == tab[i].n, "row %zu: %d digits masked, want %d", i, n, tab[i].n);
    }
    ck_assert_int_eq(ps_redact_text(NULL), 0);
}
END_TEST

/* No run of 5+ digits of `secret` (a planted number) is left in `s`. */
static int shows_piece(const char *s, const char *secret)
{
    char digits[512];
    size_t k = 0;
    for (const char *p = s; *p && k + 1 < sizeof digits; p++)
        if (*p >= '0' && *p <= '9')
            digits[k++] = *p;
    digits[k] = '\0';
    size_t n = strlen(secret);
    for (size_t i = 0; i + 5 <= n; i++) {
        char piece[6];
        memcpy(piece, secret + i, 5);
        piece[5] = '\0';
        if (strstr(digits, piece))
            return 1;
    }
    return 0;
}

START_TEST(text_report_and_log_line)
{
    const char *pan = "4012888888881881", *mn = "987654321093";
    char report[512], log[256];
    snprintf(report, sizeof report,
             "{\"fields\":{\"document_number\":{\"text\":\"%s\"},\"name\":{\"text\":\"個人番号 %.4s %.4s %.4s\"}}}",
             pan, mn, mn + 4, mn + 8);
    snprintf(log, sizeof log, "2026-11-22T10:00:00Z job 42 read card %.4s-%.4s-%.4s-%.4s and %s",
             pan, pan + 4, pan + 8, pan + 12, mn);
    ck_assert_int_eq(ps_mynumber_valid(mn), 1); /* the plant is a real-shaped one */
    ck_assert_int_eq(ps_redact_text(report), 24);
    ck_assert_int_eq(ps_redact_text(log), 24);
    ck_assert_msg(!shows_piece(report, pan) && !shows_piece(report, mn), "report still shows digits");
    ck_assert_msg(!shows_piece(log, pan) && !shows_piece(log, mn), "log still shows digits");
    ck_assert_ptr_nonnull(strstr(report, "1881"));                 /* last 4 kept */
    ck_assert_ptr_nonnull(strstr(log, "2026-11-22T10:00:00Z job 42")); /* the rest intact */
}
END_TEST


/* ---- the last group by geometry ----------------------------------------- */

/* Glyph boxes of a number line: `groups` digit counts (0-terminated) at
 * pitch 46 with group gaps of 28 more, 26 x 40 each; glyphs whose index is
 * in `lost` (-1-terminated) are left out (smudged beyond segmentation). */
static int lattice(const int *groups, const int *lost, ps_box *out)
{
    int n = 0, slot = 0, x = 100;
    for (int g = 0; groups[g]; g++) {
        for (int k = 0; k < groups[g]; k++, slot++) {
            int gone = 0;
            for (int i = 0; lost && lost[i] >= 0; i++)
                gone |= lost[i] == slot;
            if (!gone)
                out[n++] = (ps_box){x, 300, 26, 40};
            x += 46;
        }
        x += 28;
    }
    return n;
}

START_TEST(geometry_finds_the_last_group)
{
    ps_box g[32];
    ps__pan_geo geo;
    static const int g4444[] = {4, 4, 4, 4, 0}, g465[] = {4, 6, 5, 0};
    /* whole 4-4-4-4: the last 4 boxes */
    int n = lattice(g4444, NULL, g);
    ck_assert_int_eq(ps__pan_geometry(g, n, &geo), 1);
    ck_assert_int_eq(geo.kept.x, g[12].x);
    ck_assert_int_eq(geo.kept.x + geo.kept.w, g[15].x + g[15].w);
    ck_assert_int_eq(geo.amex, 0);
    ck_assert_int_eq(geo.line.x, g[0].x);
    /* smudged digits in the first three groups and at the left end */
    static const int lost1[] = {0, 5, 6, 10, -1};
    n = lattice(g4444, lost1, g);
    ck_assert_int_eq(n, 12);
    ck_assert_int_eq(ps__pan_geometry(g, n, &geo), 1);
    ck_assert_int_eq(geo.kept.x, g[8].x);
    /* one digit lost inside the last group (a pale embossed 1): the group
     * is still told from its first and last glyphs, the window spans it */
    static const int lost13[] = {13, -1};
    n = lattice(g4444, lost13, g);
    ck_assert_int_eq(n, 15);
    ck_assert_int_eq(ps__pan_geometry(g, n, &geo), 1);
    ck_assert_int_eq(geo.kept.x, g[12].x);
    ck_assert_int_eq(geo.kept.x + geo.kept.w, g[14].x + g[14].w);
    /* the third group's last two lost to glare: the step over them fits
     * 3 pitches and a gap, the last group starts at its slot */
    static const int lost1011[] = {10, 11, -1};
    n = lattice(g4444, lost1011, g);
    ck_assert_int_eq(n, 14);
    ck_assert_int_eq(ps__pan_geometry(g, n, &geo), 1);
    ck_assert_int_eq(geo.kept.x, g[10].x);
    ck_assert_int_eq(geo.n_kept, 4);
    /* Amex 4-6-5: the last 4 of the 5 */
    n = lattice(g465, NULL, g);
    ck_assert_int_eq(ps__pan_geometry(g, n, &geo), 1);
    ck_assert_int_eq(geo.amex, 1);
    ck_assert_int_eq(geo.kept.x, g[11].x);
    ck_assert_int_eq(geo.kept.x + geo.kept.w, g[14].x + g[14].w);
}
END_TEST

START_TEST(geometry_refuses_what_it_cannot_tell)
{
    ps_box g[32];
    ps__pan_geo geo;
    static const int g4444[] = {4, 4, 4, 4, 0}, g3544[] = {3, 5, 4, 4, 0};
    static const int g44443[] = {4, 4, 4, 4, 3, 0}, g4443[] = {4, 4, 4, 3, 0};
    /* the last glyph lost: the group found is not the last 4 */
    static const int lost_end[] = {15, -1}, lost_last_first[] = {12, -1};
    int n = lattice(g4444, lost_end, g);
    ck_assert_int_eq(ps__pan_geometry(g, n, &geo), 0);
    ck_assert_int_eq(geo.ok, 0);
    /* the last group's first glyph lost: its start is not known */
    n = lattice(g4444, lost_last_first, g);
    ck_assert_int_eq(ps__pan_geometry(g, n, &geo), 0);
    /* groups that spell no card: 3-5-4-4, 4-4-4-3, 19 digits */
    n = lattice(g3544, NULL, g);
    ck_assert_int_eq(ps__pan_geometry(g, n, &geo), 0);
    n = lattice(g4443, NULL, g);
    ck_assert_int_eq(ps__pan_geometry(g, n, &geo), 0);
    n = lattice(g44443, NULL, g);
    ck_assert_int_eq(ps__pan_geometry(g, n, &geo), 0);
    /* two lost inside the last group: too little of it to stand for it */
    static const int lost_two_inside[] = {13, 14, -1};
    n = lattice(g4444, lost_two_inside, g);
    ck_assert_int_eq(ps__pan_geometry(g, n, &geo), 0);
    /* one lost inside an Amex's last group of 5: which glyph starts its
     * last 4 is not known */
    static const int g465[] = {4, 6, 5, 0}, lost_amex_inside[] = {12, -1};
    n = lattice(g465, lost_amex_inside, g);
    ck_assert_int_eq(ps__pan_geometry(g, n, &geo), 0);
    /* an Amex whose group of 6 lost its last three (gc2 000364, blurred):
     * its group of 5 still starts at its slot, its last 4 are kept */
    static const int lost_amex_before[] = {7, 8, 9, -1};
    n = lattice(g465, lost_amex_before, g);
    ck_assert_int_eq(ps__pan_geometry(g, n, &geo), 1);
    ck_assert_int_eq(geo.amex, 1);
    ck_assert_int_eq(geo.kept.x, g[8].x);
    ck_assert_int_eq(geo.n_kept, 4);
    /* an Amex whose group of 5 lost its first glyph and the group of 6 its
     * last two (gcc 000023, glare): the 4 at the group's last slots are
     * its last 4; one of them lost too, nothing is kept */
    static const int lost_amex_head[] = {8, 9, 10, -1}, lost_amex_tail[] = {8, 9, 10, 12, -1};
    n = lattice(g465, lost_amex_head, g);
    ck_assert_int_eq(n, 12);
    ck_assert_int_eq(ps__pan_geometry(g, n, &geo), 1);
    ck_assert_int_eq(geo.amex, 1);
    ck_assert_int_eq(geo.kept.x, g[8].x);
    ck_assert_int_eq(geo.kept.x + geo.kept.w, g[11].x + g[11].w);
    ck_assert_int_eq(geo.n_kept, 4);
    n = lattice(g465, lost_amex_tail, g);
    ck_assert_int_eq(ps__pan_geometry(g, n, &geo), 0);
    /* ... but not over a whole lost group: that step holds two gaps,
     * which no fit allows */
    static const int lost_third[] = {8, 9, 10, 11, -1};
    n = lattice(g4444, lost_third, g);
    ck_assert_int_eq(ps__pan_geometry(g, n, &geo), 0);
    /* a whole last group lost: 4-4-4 */
    static const int lost_group[] = {12, 13, 14, 15, -1};
    n = lattice(g4444, lost_group, g);
    ck_assert_int_eq(ps__pan_geometry(g, n, &geo), 0);
    /* a glyph of another size among them (a logo, a thumb's edge) */
    n = lattice(g4444, NULL, g);
    g[14].h = 60;
    ck_assert_int_eq(ps__pan_geometry(g, n, &geo), 0);
    /* too few glyphs to trust a lattice */
    ck_assert_int_eq(ps__pan_geometry(g + 8, 8, &geo), 0);
    ck_assert_int_eq(ps__pan_geometry(NULL, 16, &geo), 0);
}
END_TEST


/* The plan's lattice search (ps__pan_lattice): a glyph of the digits'
 * height beside the number (a thumb's edge) but off its lattice is left
 * out, a glyph on the lattice is not; a digit cut in two is joined; a
 * digit partly under glare keeps its place inside the line, not at its
 * ends; a number's own displaced last digit is never dropped into a
 * lattice; an Amex seen a half turn round says so and keeps nothing. */
START_TEST(lattice_search_drops_joins_and_turns)
{
    ps_box g[32];
    ps__pan_geo geo;
    int i0 = 0, i1 = 0;
    static const int g4444[] = {4, 4, 4, 4, 0}, g465[] = {4, 6, 5, 0}, g564[] = {5, 6, 4, 0};
    /* a thumb's edge 2.3 pitches after the last digit, of the same height */
    int n = lattice(g4444, NULL, g);
    g[n++] = (ps_box){g[15].x + 106, 300, 16, 40};
    ck_assert_int_eq(ps__pan_geometry(g, n, &geo), 0);
    ck_assert_int_eq(ps__pan_lattice(g, n, NULL, &geo, &i0, &i1), 1);
    ck_assert_int_eq(i0, 0);
    ck_assert_int_eq(i1, 16);
    ck_assert_int_eq(geo.kept.x, g[12].x);
    ck_assert_int_eq(geo.kept.x + geo.kept.w, g[15].x + g[15].w);
    /* one pitch after the last digit it would be a 17th digit: refused */
    g[16].x = g[15].x + 46;
    ck_assert_int_eq(ps__pan_lattice(g, n, NULL, &geo, &i0, &i1), 0);
    ck_assert_int_eq(geo.ok, 0);
    /* the last digit itself pushed off its place: no lattice without it */
    n = lattice(g4444, NULL, g);
    g[15].x += 20;
    ck_assert_int_eq(ps__pan_lattice(g, n, NULL, &geo, &i0, &i1), 0);
    /* a 0 cut in two by a highlight (glyph 6: two halves 4 px apart) */
    n = lattice(g4444, NULL, g);
    memmove(&g[7], &g[6], (size_t)(n - 6) * sizeof g[0]);
    g[6] = (ps_box){g[7].x, 300, 11, 40};
    g[7] = (ps_box){g[7].x + 15, 300, 11, 40};
    n++;
    ck_assert_int_eq(ps__pan_lattice(g, n, NULL, &geo, &i0, &i1), 1);
    ck_assert_int_eq(i1, n);
    ck_assert_int_eq(geo.kept.x, g[13].x);
    /* digits under glare: the bottom half left of glyphs 9 and 12 */
    n = lattice(g4444, NULL, g);
    g[9] = (ps_box){g[9].x, 324, 26, 16};
    ck_assert_int_eq(ps__pan_lattice(g, n, NULL, &geo, &i0, &i1), 0); /* a speck: 0.4 of a glyph */
    g[9] = (ps_box){g[9].x, 320, 26, 20};
    g[12] = (ps_box){g[12].x, 320, 26, 20};
    ck_assert_int_eq(ps__pan_lattice(g, n, NULL, &geo, &i0, &i1), 1);
    ck_assert_int_eq(geo.kept.x, g[12].x);
    /* ... but not the last digit: it may be a speck past the number */
    n = lattice(g4444, NULL, g);
    g[15] = (ps_box){g[15].x, 320, 26, 20};
    ck_assert_int_eq(ps__pan_geometry(g, n, &geo), 0);
    /* an Amex a half turn round: turned, nothing kept; upright: not turned */
    n = lattice(g564, NULL, g);
    ck_assert_int_eq(ps__pan_lattice(g, n, NULL, &geo, &i0, &i1), 0);
    ck_assert_int_eq(geo.ok, 0);
    ck_assert_int_eq(geo.turned, 1);
    n = lattice(g465, NULL, g);
    ck_assert_int_eq(ps__pan_lattice(g, n, NULL, &geo, &i0, &i1), 1);
    ck_assert_int_eq(geo.turned, 0);
    ck_assert_int_eq(geo.amex, 1);
    /* a 4-4-4-4 reads the same both ways: never "turned" */
    static const int lost_end[] = {15, -1};
    n = lattice(g4444, lost_end, g);
    ck_assert_int_eq(ps__pan_lattice(g, n, NULL, &geo, &i0, &i1), 0);
    ck_assert_int_eq(geo.turned, 0);
}
END_TEST

/* A line that runs out of the photo (a cut card): at an open left end any
 * number of glyphs may be missing; at an open right end a 4-4-4-4 may end
 * inside its fourth group, whose glyphs found are kept (digits 13 on).
 * Neither without the open end, nor a line cut at both ends, nor an Amex
 * cut at the right (its last group's start is not its last 4). */
START_TEST(geometry_open_ends)
{
    ps_box g[32];
    ps__pan_geo geo;
    static const int g4444[] = {4, 4, 4, 4, 0}, g465[] = {4, 6, 5, 0};
    static const int cut_right2[] = {14, 15, -1}, cut_group[] = {12, 13, 14, 15, -1};
    int n = lattice(g4444, cut_right2, g);
    ck_assert_int_eq(ps__pan_geometry(g, n, &geo), 0);
    ck_assert_int_eq(ps__pan_geometry_ex(g, n, PS__GEO_OPEN_LEFT, &geo), 0);
    ck_assert_int_eq(ps__pan_geometry_ex(g, n, PS__GEO_OPEN_RIGHT, &geo), 1);
    ck_assert_int_eq(geo.n_kept, 2);
    ck_assert_int_eq(geo.kept.x, g[12].x);
    ck_assert_int_eq(geo.kept.x + geo.kept.w, g[13].x + g[13].w);
    ck_assert_int_eq(geo.open, PS__GEO_OPEN_RIGHT);
    ck_assert_int_eq(ps__pan_geometry_ex(g, n, PS__GEO_OPEN_LEFT | PS__GEO_OPEN_RIGHT, &geo), 0);
    /* the fourth group wholly cut off: the last group found is the third */
    n = lattice(g4444, cut_group, g);
    ck_assert_int_eq(ps__pan_geometry_ex(g, n, PS__GEO_OPEN_RIGHT, &geo), 0);
    /* an Amex cut at the right inside its last group */
    static const int amex_cut[] = {13, 14, -1};
    n = lattice(g465, amex_cut, g);
    ck_assert_int_eq(ps__pan_geometry_ex(g, n, PS__GEO_OPEN_RIGHT, &geo), 0);
    /* an Amex whose first 5 digits are out of the photo at the left */
    static const int amex_left[] = {0, 1, 2, 3, 4, -1};
    n = lattice(g465, amex_left, g);
    ck_assert_int_eq(n, 10);
    ck_assert_int_eq(ps__pan_geometry(g, n, &geo), 0);
    ck_assert_int_eq(ps__pan_geometry_ex(g, n, PS__GEO_OPEN_RIGHT, &geo), 0);
    ck_assert_int_eq(ps__pan_geometry_ex(g, n, PS__GEO_OPEN_LEFT, &geo), 1);
    ck_assert_int_eq(geo.amex, 1);
    ck_assert_int_eq(geo.n_kept, 4);
    ck_assert_int_eq(geo.kept.x, g[6].x);
    /* an Amex upside down spells 5-6-4, which no shape fits, open or not */
    static const int g564[] = {5, 6, 4, 0};
    n = lattice(g564, NULL, g);
    ck_assert_int_eq(ps__pan_geometry(g, n, &geo), 0);
    ck_assert_int_eq(ps__pan_geometry_ex(g, n, PS__GEO_OPEN_LEFT, &geo), 0);
    ck_assert_int_eq(ps__pan_geometry_ex(g, n, PS__GEO_OPEN_RIGHT, &geo), 0);
}
END_TEST

/* A number line tilted on the rectified card (an outline extrapolated
 * past the photo's edge, a loose corner): its glyphs on one straight line
 * that falls 0.05 per pixel, a glyph height over the line, still spell
 * the card, in the lattice search too (whose end trimming judged them
 * against a level line); a glyph off that tilted line does not; a line
 * steeper than a card's tilt is judged level, and refused. */
START_TEST(geometry_slanted_line)
{
    ps_box g[32];
    ps__pan_geo geo;
    int i0 = 0, i1 = 0;
    static const int g4444[] = {4, 4, 4, 4, 0};
    int n = lattice(g4444, NULL, g);
    for (int i = 0; i < n; i++)
        g[i].y += (int)lround(0.05 * (g[i].x - g[0].x));
    ck_assert_int_ge(g[n - 1].y - g[0].y, 39);
    ck_assert_int_eq(ps__pan_geometry(g, n, &geo), 1);
    ck_assert_int_eq(geo.kept.x, g[12].x);
    ck_assert_int_eq(ps__pan_lattice(g, n, NULL, &geo, &i0, &i1), 1);
    ck_assert_int_eq(i0, 0);
    ck_assert_int_eq(i1, 16);
    /* one glyph 0.4 of a height off the tilted line */
    g[6].y += 16;
    ck_assert_int_eq(ps__pan_geometry(g, n, &geo), 0);
    /* 0.2 per pixel: no card's tilt */
    n = lattice(g4444, NULL, g);
    for (int i = 0; i < n; i++)
        g[i].y += (int)lround(0.2 * (g[i].x - g[0].x));
    ck_assert_int_eq(ps__pan_geometry(g, n, &geo), 0);
}
END_TEST

/* A label or brand word printed on card fronts, read whole and surely,
 * confirms the reading's turn; what cards read upside down give (letters
 * in another order, a brand's letters mirrored, unsure words) does not. */
/* Words of a digits-only reading: `n` groups of `text` 20 px tall, 100 px
 * apart centre to centre, the row falling `slope` px per px. */
static void bare_row(ps_ocr_result *r, ps_ocr_word *w, int n, const char *text, double slope)
{
    memset(r, 0, sizeof *r);
    for (int i = 0; i < n; i++)
        w[i] = (ps_ocr_word){(char *)text, 0.9, {100 + 100 * i, 300 + (int)lround(slope * 100 * i), 70, 20}, 0};
    r->words = w;
    r->n_words = (size_t)n;
}

/* The bare-number rule: groups of 3-5 digits side by side, 8 digits or
 * more, on a row level or tilted as a card in a photo is (7 degrees), not
 * on a diagonal of other lines' words; one group (a kept last 4) or short
 * runs are no number. */
START_TEST(bare_words_on_a_tilted_row)
{
    ps_ocr_result r;
    ps_ocr_word w[4];
    bare_row(&r, w, 4, "4000", 0);
    ck_assert_int_eq(ps__bare_words(&r), 1);
    bare_row(&r, w, 4, "4000", 0.12); /* 7 degrees: 12 px a group, over half a height */
    ck_assert_int_eq(ps__bare_words(&r), 1);
    bare_row(&r, w, 3, "4000", 0.12);
    ck_assert_int_eq(ps__bare_words(&r), 1);
    bare_row(&r, w, 4, "4000", 0.5); /* 27 degrees: words of lines apart */
    ck_assert_int_eq(ps__bare_words(&r), 0);
    bare_row(&r, w, 1, "4000", 0); /* a kept last 4 */
    ck_assert_int_eq(ps__bare_words(&r), 0);
    bare_row(&r, w, 4, "40", 0); /* two digits a word: a date's parts */
    ck_assert_int_eq(ps__bare_words(&r), 0);
    bare_row(&r, w, 2, "400", 0); /* 6 digits */
    ck_assert_int_eq(ps__bare_words(&r), 0);
}
END_TEST

/* The digits a reading of a kept group's window shows beyond the kept 4
 * (ps__window_digits): a window of 110 x 65 over glyphs 23 px tall. */
START_TEST(window_digits_beyond_the_kept_four)
{
    ps_ocr_result r;
    ps_ocr_word w[3];
    memset(&r, 0, sizeof r);
    memset(w, 0, sizeof w);
    r.words = w;
    const ps_box win = {227, 642, 110, 65};
    /* the 4 kept glyphs read as 5 digits (gc99 000017): only the 4 */
    w[0] = (ps_ocr_word){"36355", 0.7, {235, 662, 93, 23}, 0};
    r.n_words = 1;
    ck_assert_int_eq(ps__window_digits(&r, win, 65 / 2.8), 4);
    /* a word reaching past the window's side: every digit counts */
    w[0].box.x = 200;
    ck_assert_int_eq(ps__window_digits(&r, win, 65 / 2.8), 5);
    /* digits of another line inside the window count too */
    w[0] = (ps_ocr_word){"3635", 0.9, {235, 662, 93, 23}, 0};
    w[1] = (ps_ocr_word){"12", 0.9, {240, 690, 40, 15}, 0};
    r.n_words = 2;
    ck_assert_int_eq(ps__window_digits(&r, win, 65 / 2.8), 6);
    /* nothing but the kept 4 */
    r.n_words = 1;
    ck_assert_int_eq(ps__window_digits(&r, win, 65 / 2.8), 4);
    ck_assert_int_eq(ps__window_digits(NULL, win, 65 / 2.8), 0);
}
END_TEST

/* Group blobs of a blurred line: `n` boxes of w x 46 starting at x0 with
 * centre steps `step` (rectified card pixels, 1011 wide). */
static int blobs(int n, int x0, int w, int step, ps_box *out)
{
    for (int i = 0; i < n; i++)
        out[i] = (ps_box){x0 + i * step, 300, w, 46};
    return n;
}

/* A blurred 4-4-4-4 told by its groups' blobs (ps__pan_groups): 4 of one
 * size evenly spaced across most of the card keep the last; anything else
 * that a blurred line, a logo or another line might show keeps nothing. */
START_TEST(groups_find_the_last_of_four)
{
    ps_box b[8];
    ps__pan_geo geo;
    int n = blobs(4, 98, 193, 207, b); /* gc2 000424's, as found */
    ck_assert_int_eq(ps__pan_groups(b, n, 1011, &geo), 1);
    ck_assert_int_eq(geo.ok, 1);
    ck_assert_int_eq(geo.kept.x, b[3].x);
    ck_assert_int_eq(geo.kept.w, b[3].w);
    ck_assert_int_eq(geo.line.x, b[0].x);
    ck_assert_int_eq(geo.line.x + geo.line.w, b[3].x + b[3].w);
    ck_assert_int_eq(geo.n_kept, 4);
    ck_assert_int_eq(geo.amex, 0);
    ck_assert_int_eq(geo.pitch, 45); /* 207 / 4.6 */
    /* tilted a little on the rectified card: still one line */
    for (int i = 0; i < 4; i++)
        b[i].y += (int)lround(0.05 * (b[i].x - b[0].x));
    ck_assert_int_eq(ps__pan_groups(b, 4, 1011, &geo), 1);
    /* 3 or 5 blobs: an Amex, a 19-digit number, a logo beside the line */
    n = blobs(3, 98, 193, 207, b);
    ck_assert_int_eq(ps__pan_groups(b, n, 1011, &geo), 0);
    ck_assert_int_eq(geo.ok, 0);
    n = blobs(5, 60, 150, 170, b);
    ck_assert_int_eq(ps__pan_groups(b, n, 1011, &geo), 0);
    /* one blob a third wider (a group and a logo run together) */
    n = blobs(4, 98, 193, 207, b);
    b[3].w = 260;
    ck_assert_int_eq(ps__pan_groups(b, n, 1011, &geo), 0);
    /* one blob half as tall (the expiry's slash, a speck) */
    n = blobs(4, 98, 193, 207, b);
    b[1].h = 23;
    ck_assert_int_eq(ps__pan_groups(b, n, 1011, &geo), 0);
    /* one step a fifth longer: not evenly spaced */
    n = blobs(4, 98, 193, 207, b);
    b[3].x += 45;
    ck_assert_int_eq(ps__pan_groups(b, n, 1011, &geo), 0);
    /* blobs that touch: no gap between the groups */
    n = blobs(4, 98, 207, 207, b);
    ck_assert_int_eq(ps__pan_groups(b, n, 1011, &geo), 0);
    /* one blob off the line (the next line's word) */
    n = blobs(4, 98, 193, 207, b);
    b[2].y += 30;
    ck_assert_int_eq(ps__pan_groups(b, n, 1011, &geo), 0);
    /* a short line: the 4 span under half the card (a date, a phone number) */
    n = blobs(4, 98, 90, 110, b);
    ck_assert_int_eq(ps__pan_groups(b, n, 1011, &geo), 0);
}
END_TEST

/* A blurred card back by its panels (ps__back_panels), as gc2 000208's
 * were found: the signature panel (its print the signature run into the
 * last 4) and the CVV's box right of it. The last 4 are the panel's last
 * print, kept to the panel's end; a box whose print is no code's, a grey
 * box, a code of 3 at the panel's end, a box far off or of another height,
 * or a box left of the panel keep nothing. */
START_TEST(back_panels_keep_the_last4_left_of_the_box)
{
    const ps_cv_panel panel = {{303, 251, 389, 107}, {324, 281, 321, 56}, {324, 281, 321, 56}, 1, 174};
    const ps_cv_panel box = {{714, 250, 141, 109}, {735, 284, 62, 44}, {735, 284, 62, 44}, 1, 178};
    ps_cv_panel p[3] = {panel, box};
    ps_box kept = {0, 0, 0, 0};
    ck_assert_int_eq(ps__back_panels(p, 2, &kept), 1);
    ck_assert_int_eq(kept.x, 324);
    ck_assert_int_eq(kept.x + kept.w, 692); /* to the panel's end */
    /* a third panel after the box changes nothing */
    p[2] = (ps_cv_panel){{870, 250, 100, 109}, {0, 0, 0, 0}, {0, 0, 0, 0}, 0, 200};
    ck_assert_int_eq(ps__back_panels(p, 3, &kept), 1);
    /* each one change to the pair that keeps nothing */
    enum { LAST, INK, PAPER, N_INK, X, H, Y, BOX };
    static const struct {
        int panel, what; /* 0: the panel, 1: the box */
        ps_box b;
        int v;
        const char *why;
    } bad[] = {
        {0, LAST, {580, 284, 64, 44}, 0, "the panel's last print no wider than the code's: a code of 3"},
        {0, LAST, {324, 281, 150, 56}, 0, "the panel's last print in its left half (the signature)"},
        {1, INK, {720, 262, 121, 88}, 0, "the box's print fills it (a hologram)"},
        {1, INK, {735, 270, 40, 60}, 0, "the box's print taller than wide"},
        {1, N_INK, {0, 0, 0, 0}, 2, "the box's print in two groups"},
        {1, N_INK, {0, 0, 0, 0}, 0, "no print in the box"},
        {1, PAPER, {0, 0, 0, 0}, 110, "a box far greyer than the panel (a hologram)"},
        {1, X, {0, 0, 0, 0}, 80, "the box far from the panel"},
        {1, H, {0, 0, 0, 0}, 60, "a box of another height"},
        {1, Y, {0, 0, 0, 0}, 40, "a box off the panel's line"},
        {1, BOX, {700, 251, 389, 107}, 0, "two panels of one length: no box"},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        p[0] = panel;
        p[1] = box;
        ps_cv_panel *q = &p[bad[k].panel];
        switch (bad[k].what) {
        case LAST: q->last = bad[k].b; break;
        case INK: q->ink = q->last = bad[k].b; break;
        case PAPER: q->paper = bad[k].v; break;
        case N_INK: q->n_ink = bad[k].v; break;
        case X: q->box.x += bad[k].v; break;
        case H: q->box.h = bad[k].v; break;
        case Y: q->box.y += bad[k].v; break;
        case BOX: q->box = bad[k].b; break;
        }
        ck_assert_msg(ps__back_panels(p, 2, &kept) == 0, "kept: %s", bad[k].why);
    }
    ck_assert_int_eq(ps__back_panels(NULL, 2, &kept), 0);
}
END_TEST

/* Box b of img (clipped) set to grey level v. */
static void fill_box(ps_image *img, ps_box b, uint8_t v)
{
    for (int y = b.y < 0 ? 0 : b.y; y < b.y + b.h && y < img->height; y++)
        for (int x = b.x < 0 ? 0 : b.x; x < b.x + b.w && x < img->width; x++)
            memset(ps_image_row(img, y) + (size_t)x * img->channels, v, img->channels);
}

/* A card back's last 4 whose CVV is not seen: out of the photo (gc2
 * 000638: glyphs as the panel's line gave them on the rectified 1011 x 638
 * back, the first digit run into the signature, the photo ending at
 * x = 700) or under glare. */
START_TEST(back_keeps_the_last4_when_its_cvv_is_not_seen)
{
    ps_image *doc = NULL;
    ck_assert_int_eq(ps_image_new(1011, 638, 3, 0, &doc), PS_OK);
    memset(doc->data, 235, (size_t)doc->stride * doc->height);
    /* the three digits found, and the first run into the signature: ink
     * a pitch before them */
    ps_box g[4] = {{529, 262, 18, 25}, {554, 262, 16, 24}, {573, 262, 17, 25}};
    for (int k = 0; k < 3; k++) /* a stroke in each glyph's box */
        fill_box(doc, (ps_box){g[k].x + 5, g[k].y, 7, g[k].h}, 30);
    ps_box merged = {300, 255, 225, 35};
    fill_box(doc, merged, 30);
    const double id[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    ps__frame cut = {id, 1.0, 700, 638}, whole = {id, 1.0, 1011, 638};
    ps_box zone = {303, 191, 697, 230}, kept;
    ck_assert_int_eq(ps__back_lone_group(doc, g, 3, zone, &cut, &kept), 1);
    ck_assert_int_eq(kept.x, 529);
    ck_assert_int_eq(kept.x + kept.w, 590);
    /* the card's panel whole in the photo: its CVV should have shown */
    ck_assert_int_eq(ps__back_lone_group(doc, g, 3, zone, &whole, &kept), 0);
    /* ... unless glare covers the line past them (gc99 000090) */
    ps_box glare = {650, 240, 300, 70};
    fill_box(doc, glare, 255);
    ck_assert_int_eq(ps__back_lone_group(doc, g, 3, zone, &whole, &kept), 1);
    fill_box(doc, glare, 235);
    /* paper a pitch before them: they may be a CVV after a gap */
    ps_box gap = {505, 250, 20, 45};
    fill_box(doc, gap, 235);
    ck_assert_int_eq(ps__back_lone_group(doc, g, 3, zone, &cut, &kept), 0);
    /* ... whose last 4 show before it: digits before them */
    ps_box four[5] = {{470, 262, 17, 25}, {529, 262, 18, 25}, {554, 262, 16, 24},
                      {573, 262, 17, 25}};
    ck_assert_int_eq(ps__back_lone_group(doc, four, 4, zone, &cut, &kept), 0);
    /* a group of 4 found whole needs no print before it */
    ps_box g4[4] = {{537, 262, 17, 25}, {559, 262, 18, 25}, {584, 262, 16, 24},
                    {603, 262, 17, 25}};
    ck_assert_int_eq(ps__back_lone_group(doc, g4, 4, zone, &cut, &kept), 1);
    ck_assert_int_eq(kept.x, 537);
    /* glyphs not at one pitch, or in the panel's left part */
    g4[2].x = 590;
    ck_assert_int_eq(ps__back_lone_group(doc, g4, 4, zone, &cut, &kept), 0);
    ps_box left[3] = {{329, 262, 18, 25}, {354, 262, 16, 24}, {373, 262, 17, 25}};
    ck_assert_int_eq(ps__back_lone_group(doc, left, 3, zone, &cut, &kept), 0);
    ck_assert_int_eq(ps__back_lone_group(doc, g, 2, zone, &cut, &kept), 0);
    ck_assert_int_eq(ps__back_lone_group(NULL, g, 3, zone, &cut, &kept), 0);
    ps_image_free(&doc);
}
END_TEST

/* A blurred Amex by its 3 group blobs: 4, 6 and 5 digits at a 48-px pitch
 * over a 30-px blur (widths 3.4, 5.4 and 4.4 pitches plus the blur; centre
 * steps 5.6 and 6.1 pitches with a gap of 0.6). Its last 4 are the group
 * of 5 but its first digit and the blur that digit spreads; the shape
 * tells the turn, so 5-6-4 is a card seen a half turn round. Widths that
 * grow by no one pitch spell no Amex. */
START_TEST(groups_find_an_amex_and_its_turn)
{
    ps_box b[3] = {{60, 300, 193, 46}, {281, 300, 289, 46}, {598, 300, 241, 46}};
    ps__pan_geo geo;
    ck_assert_int_eq(ps__pan_groups(b, 3, 1011, &geo), 1);
    ck_assert_int_eq(geo.amex, 1);
    ck_assert_int_eq(geo.pitch, 48);
    ck_assert_int_eq(geo.kept.x, 598 + 63); /* half the blur and a pitch in */
    ck_assert_int_eq(geo.kept.x + geo.kept.w, 598 + 241);
    ck_assert_int_eq(geo.turned, 0);
    /* seen a half turn round: 5-6-4 */
    ps_box t[3] = {{60, 300, 241, 46}, {60 + 241 / 2 + 293 - 289 / 2, 300, 289, 46}, {0, 300, 193, 46}};
    t[2].x = t[1].x + 289 / 2 + 269 - 193 / 2;
    ck_assert_int_eq(ps__pan_groups(t, 3, 1011, &geo), 0);
    ck_assert_int_eq(geo.ok, 0);
    ck_assert_int_eq(geo.turned, 1);
    /* three words of one width: no pitch between them */
    ps_box w[3] = {{60, 300, 200, 46}, {330, 300, 200, 46}, {600, 300, 200, 46}};
    ck_assert_int_eq(ps__pan_groups(w, 3, 1011, &geo), 0);
    ck_assert_int_eq(geo.turned, 0);
    /* the group of 5 as wide as the group of 6 */
    b[2].w = 289;
    ck_assert_int_eq(ps__pan_groups(b, 3, 1011, &geo), 0);
}
END_TEST

START_TEST(upright_words_confirm_the_turn)
{
    ps_ocr_word w[3];
    memset(w, 0, sizeof w);
    w[0] = (ps_ocr_word){"SAKURA", 0.97, {0, 0, 10, 10}, 0};
    w[1] = (ps_ocr_word){"VALID", 0.96, {0, 0, 10, 10}, 0};
    ck_assert_int_eq(ps__upright_words(w, 2), 1);
    ck_assert_int_eq(ps__upright_words(w, 1), 0);
    w[1].confidence = 0.5; /* unsure */
    ck_assert_int_eq(ps__upright_words(w, 2), 0);
    w[1] = (ps_ocr_word){"thru,", 0.9, {0, 0, 10, 10}, 0};
    ck_assert_int_eq(ps__upright_words(w, 2), 1);
    w[1] = (ps_ocr_word){"VALIDATED", 0.95, {0, 0, 10, 10}, 0}; /* a longer word */
    ck_assert_int_eq(ps__upright_words(w, 2), 0);
    w[1] = (ps_ocr_word){"(CARD", 0.95, {0, 0, 10, 10}, 0};
    ck_assert_int_eq(ps__upright_words(w, 2), 0);
    /* read off upside-down generated fronts at confidence 0.87-0.96 */
    static const char *const flipped[] = {"VSIA", "NZIWIHS", "STES", "CCS", "OLVS", "TELE", "LOSV"};
    for (size_t i = 0; i < sizeof flipped / sizeof flipped[0]; i++) {
        w[1] = (ps_ocr_word){(char *)flipped[i], 0.96, {0, 0, 10, 10}, 0};
        ck_assert_int_eq(ps__upright_words(w, 2), 0);
    }
    ck_assert_int_eq(ps__upright_words(NULL, 0), 0);
    /* a label's two words read as one (gc99 000096), a brand */
    w[1] = (ps_ocr_word){"VALIDTHRU", 0.95, {0, 0, 10, 10}, 0};
    ck_assert_int_eq(ps__upright_words(w, 2), 1);
    w[1] = (ps_ocr_word){"Visa", 0.96, {0, 0, 10, 10}, 0};
    ck_assert_int_eq(ps__upright_words(w, 2), 1);
    /* three run together, or a listed word and more letters: no */
    static const char *const not_words[] = {"VALIDTHRUCARD", "VALIDTHRUX", "XVISA", "THRUVALIDATED",
                                            "VISA2", "VI.SA", "ABCDEFGHIJKLMNOPQRSTUVWXYZVISA"};
    for (size_t i = 0; i < sizeof not_words / sizeof not_words[0]; i++) {
        w[1] = (ps_ocr_word){(char *)not_words[i], 0.96, {0, 0, 10, 10}, 0};
        ck_assert_msg(ps__upright_words(w, 2) == 0, "%s", not_words[i]);
    }
    /* a field's text: any of its words */
    ck_assert_int_eq(ps_redact_upright_text("03/29 VALID THRU"), 1);
    ck_assert_int_eq(ps_redact_upright_text("GOOD: 03/29"), 1);
    ck_assert_int_eq(ps_redact_upright_text("HAYASAL"), 0);
    ck_assert_int_eq(ps_redact_upright_text(""), 0);
    ck_assert_int_eq(ps_redact_upright_text(NULL), 0);
}
END_TEST

/* ---- masking ------------------------------------------------------------- */

/* The rectifying warp: pixel centres map through h (a shift by whole
 * pixels copies pixels exactly, half a pixel averages neighbours) and the
 * edge repeats beyond the image. */
START_TEST(warp_maps_pixel_centres_and_repeats_edges)
{
    ps_image *src = NULL, *out = NULL;
    ck_assert_int_eq(ps_image_new(8, 6, 1, 0, &src), PS_OK);
    for (int y = 0; y < 6; y++)
        for (int x = 0; x < 8; x++)
            ps_image_row(src, y)[x] = (uint8_t)(10 * x + y);
    const double shift[9] = {1, 0, 2, 0, 1, 1, 0, 0, 1}; /* dst (x, y) <- src (x + 2, y + 1) */
    ck_assert_int_eq(ps__warp(src, shift, 8, 6, &out), PS_OK);
    ck_assert_int_eq(out->width, 8);
    ck_assert_int_eq(ps_image_row(out, 0)[0], ps_image_row(src, 1)[2]);
    ck_assert_int_eq(ps_image_row(out, 3)[4], ps_image_row(src, 4)[6]);
    ck_assert_int_eq(ps_image_row(out, 5)[7], ps_image_row(src, 5)[7]); /* beyond: edge */
    ps_image_free(&out);
    const double half[9] = {1, 0, 0.5, 0, 1, 0, 0, 0, 1};
    ck_assert_int_eq(ps__warp(src, half, 8, 6, &out), PS_OK);
    int want = (ps_image_row(src, 2)[3] + ps_image_row(src, 2)[4] + 1) / 2;
    ck_assert_int_le(abs(ps_image_row(out, 2)[3] - want), 1);
    ps_image_free(&out);
    ps_image_free(&src);
}
END_TEST

/* A dotted zero's dot, parted from its ring by a resampling, was read by
 * tesseract as one more digit (gc2 000504 on the read stage's anti-aliased
 * card): the re-set line keeps each glyph's rings and strokes and drops
 * only marks standing alone in a glyph's holes, and is as wide as the
 * glyphs set need. */
START_TEST(line_reset_drops_a_zeros_inner_dot)
{
    ps_image *img = NULL;
    ck_assert_int_eq(ps_image_new(400, 100, 1, 0, &img), PS_OK);
    memset(img->data, 230, img->stride * (size_t)img->height);
    /* glyph 0: a bar (a 1); glyph 1: a ring with a dot in its hole (a
     * dotted 0); glyph 2: a ring with a bar across that touches it (a
     * slashed 0); glyph 3: a bar */
    for (int y = 30; y < 70; y++) {
        uint8_t *row = ps_image_row(img, y);
        memset(row + 40, 20, 8);
        for (int g = 1; g <= 2; g++) {
            int x0 = 40 + 50 * g;
            if (y < 34 || y >= 66)
                memset(row + x0, 20, 24);
            else {
                memset(row + x0, 20, 4);
                memset(row + x0 + 20, 20, 4);
            }
        }
        memset(row + 240, 20, 8);
    }
    for (int y = 46; y < 54; y++) {
        memset(ps_image_row(img, y) + 90 + 10, 20, 4); /* the dot: 6 px clear of the ring */
        memset(ps_image_row(img, y) + 140 + 4, 20, 16); /* the bar, joined to the ring */
    }
    ps_cv_line ln;
    ck_assert_int_eq(ps_cv_line_reset(img, (ps_box){0, 10, 400, 80}, 0, &ln), PS_OK);
    ck_assert_ptr_nonnull(ln.line);
    ck_assert_int_eq(ln.n, 4);
    int y0 = 0; /* the glyphs' top row in the line */
    while (y0 < ln.line->height && ps_image_row(ln.line, y0)[ln.dst_x0[0] + 2] == 255)
        y0++;
    /* the dot's place inside the dotted ring is white, its ring dark */
    ck_assert_int_eq(ps_image_row(ln.line, y0 + 18)[ln.dst_x0[1] + 11], 255);
    ck_assert_int_eq(ps_image_row(ln.line, y0 + 18)[ln.dst_x0[1] + 1], 0);
    /* the slashed ring keeps its bar */
    ck_assert_int_eq(ps_image_row(ln.line, y0 + 18)[ln.dst_x0[2] + 11], 0);
    /* no blank run past the last glyph wider than half a glyph's height */
    ck_assert_int_le(ln.line->width - ln.dst_x1[3], 20);
    ps_image_free(&ln.line);
    ps_image_free(&img);
}
END_TEST

START_TEST(apply_fills_solid_and_spares_kept_side)
{
    ps_image *img = NULL;
    ck_assert_int_eq(ps_image_new(200, 100, 3, 0, &img), PS_OK);
    memset(img->data, 200, img->stride * (size_t)img->height);
    ps_redact_plan *p = calloc(1, sizeof *p);
    p->full_width = 200;
    p->full_height = 100;
    p->n = 1;
    p->items[0].type = PS_REDACT_PAN;
    p->items[0].box = (ps_box){40, 40, 80, 20};
    p->items[0].quad[0] = (ps_point){40, 40};
    p->items[0].quad[1] = (ps_point){120, 40};
    p->items[0].quad[2] = (ps_point){120, 60};
    p->items[0].quad[3] = (ps_point){40, 60};
    snprintf(p->items[0].kept, sizeof p->items[0].kept, "1111");
    ck_assert_int_eq(ps_redact_apply(img, p), PS_OK);
    /* inside: 0; the margin (0.2*20+2 = 6 px) on three sides, 1 px right */
    for (int y = 34; y < 66; y++)
        for (int x = 34; x < 121; x++)
            ck_assert_msg(ps_image_row(img, y)[x * 3] == 0, "pixel %d,%d not filled", x, y);
    ck_assert_int_eq(ps_image_row(img, 50)[122 * 3], 200);
    ck_assert_int_eq(ps_image_row(img, 50)[32 * 3], 200);
    ck_assert_int_eq(ps_image_row(img, 30)[60 * 3], 200);
    /* a size mismatch is refused */
    p->full_width = 199;
    ck_assert_int_eq(ps_redact_apply(img, p), PS_E_ARG);
    free(p);
    ps_image_free(&img);
}
END_TEST

/* What verify re-reads beside a mask: the document's row for a word box
 * (it may sit a label away from its digits), only PS__GLYPH_ROW (8) of its
 * heights either side for a mask on its digits' own glyphs, and never past
 * a spared side (where kept digits begin). */
START_TEST(verify_row_of_a_glyph_mask_is_its_neighbourhood)
{
    ps_redact_plan *p = calloc(1, sizeof *p);
    p->full_width = 3000;
    p->full_height = 2000;
    p->doc_box = (ps_box){100, 300, 2800, 1400};
    ps_redact_item *it = &p->items[0];
    p->n = 1;
    it->type = PS_REDACT_CVV;
    it->box = (ps_box){1500, 800, 80, 20};
    it->quad[0] = (ps_point){1500, 800};
    it->quad[1] = (ps_point){1580, 800};
    it->quad[2] = (ps_point){1580, 820};
    it->quad[3] = (ps_point){1500, 820};
    double h = 0;
    /* a word box: the document's row, 1.5 heights + 2 px past its outline,
     * 1.5 heights + 2 px above and below the grown mask (margin 6 px) */
    ps_box r = ps__verify_row(p, it, 3000, 2000, &h);
    ck_assert(fabs(h - 20) < 1e-9);
    ck_assert_int_eq(r.x, 100 - 32);
    ck_assert_int_eq(r.x + r.w, 2900 + 32);
    ck_assert_int_eq(r.y, 800 - 6 - 32);
    ck_assert_int_eq(r.y + r.h, 820 + 6 + 32);
    /* on its own glyphs: 8 heights + 2 px beside the grown mask */
    it->glyphs = 1;
    r = ps__verify_row(p, it, 3000, 2000, NULL);
    ck_assert_int_eq(r.x, 1500 - 6 - 162);
    ck_assert_int_eq(r.x + r.w, 1580 + 6 + 162);
    ck_assert_int_eq(r.y, 800 - 6 - 32);
    /* never wider than the document's row: near its edge the row stops there */
    it->quad[0].x = it->quad[3].x = 150;
    it->quad[1].x = it->quad[2].x = 230;
    it->box.x = 150;
    r = ps__verify_row(p, it, 3000, 2000, NULL);
    ck_assert_int_eq(r.x, 100 - 32);
    ck_assert_int_eq(r.x + r.w, 230 + 6 + 162);
    /* a PAN whose last 4 are kept right of it: the row ends at its mask */
    it->type = PS_REDACT_PAN;
    snprintf(it->kept, sizeof it->kept, "1111");
    r = ps__verify_row(p, it, 3000, 2000, NULL);
    ck_assert_int_eq(r.x + r.w, 230 + 1);
    /* without an outline, a word box's row is the image's */
    it->glyphs = 0;
    it->kept[0] = '\0';
    p->doc_box = (ps_box){0, 0, 0, 0};
    r = ps__verify_row(p, it, 3000, 2000, NULL);
    ck_assert_int_eq(r.x, 0);
    ck_assert_int_eq(r.w, 3000);
    free(p);
}
END_TEST

/* A tilted number: its whole upright box is filled (labels and audits judge
 * that box), except what lies wholly beyond the right edge, where the kept
 * last 4 are. */
START_TEST(apply_fills_upright_box_of_tilted_quad)
{
    ps_image *img = NULL;
    ck_assert_int_eq(ps_image_new(300, 200, 3, 0, &img), PS_OK);
    memset(img->data, 200, img->stride * (size_t)img->height);
    ps_redact_plan *p = calloc(1, sizeof *p);
    p->full_width = 300;
    p->full_height = 200;
    p->n = 1;
    p->items[0].type = PS_REDACT_PAN;
    /* 10 degrees: a 100 x 20 line rising to the right */
    p->items[0].quad[0] = (ps_point){100, 117};
    p->items[0].quad[1] = (ps_point){198, 100};
    p->items[0].quad[2] = (ps_point){202, 120};
    p->items[0].quad[3] = (ps_point){104, 137};
    p->items[0].box = (ps_box){100, 100, 102, 37};
    snprintf(p->items[0].kept, sizeof p->items[0].kept, "1111");
    ck_assert_int_eq(ps_redact_apply(img, p), PS_OK);
    /* the corners of the upright box, outside the tilted quad: filled */
    ck_assert_int_eq(ps_image_row(img, 101)[101 * 3], 0);
    ck_assert_int_eq(ps_image_row(img, 136)[190 * 3], 0);
    /* beyond the right edge (where the last 4 are): untouched */
    ck_assert_int_eq(ps_image_row(img, 101)[205 * 3], 200);
    ck_assert_int_eq(ps_image_row(img, 110)[230 * 3], 200);
    /* without a kept part, the whole grown box goes */
    p->items[0].kept[0] = '\0';
    ck_assert_int_eq(ps_redact_apply(img, p), PS_OK);
    ck_assert_int_eq(ps_image_row(img, 101)[205 * 3], 0);
    free(p);
    ps_image_free(&img);
}
END_TEST

/* ---- real images --------------------------------------------------------- */

typedef struct labelled {
    ps_decoded *dec;
    json_t *lab;
    ps_point quad[4];
    ps_redact_opts opts;
} labelled;

static int load_labelled(const char *stem, labelled *L)
{
    memset(L, 0, sizeof *L);
    char rel[256];
    snprintf(rel, sizeof rel, "testdata/%s.jpg", stem);
    char *path = ps_test_src_path(rel);
    size_t len = 0;
    uint8_t *buf = ps_test_read_file(path, &len);
    free(path);
    if (!buf)
        return 0;
    ps_decode_opts o;
    ps_decode_opts_default(&o);
    o.want_full = 1;
    char msg[160];
    ps_status st = ps_decode(buf, len, &o, &L->dec, msg, sizeof msg);
    free(buf);
    if (st != PS_OK)
        return 0;
    snprintf(rel, sizeof rel, "testdata/%s.truth.json", stem);
    path = ps_test_src_path(rel);
    L->lab = json_load_file(path, 0, NULL);
    free(path);
    if (!L->lab)
        return 0;
    json_t *q = json_object_get(L->lab, "document_quad");
    for (int c = 0; c < 4; c++) {
        L->quad[c].x = json_number_value(json_array_get(json_array_get(q, c), 0));
        L->quad[c].y = json_number_value(json_array_get(json_array_get(q, c), 1));
    }
    const char *side = json_string_value(json_object_get(L->lab, "side"));
    L->opts.type = ps_doctype_from_name(json_string_value(json_object_get(L->lab, "doc_type")));
    L->opts.side = side && !strcmp(side, "front") ? PS_SIDE_FRONT
                   : side && !strcmp(side, "back") ? PS_SIDE_BACK : PS_SIDE_NONE;
    L->opts.doc_quad = L->quad;
    return 1;
}

static void free_labelled(labelled *L)
{
    ps_decoded_free(&L->dec);
    json_decref(L->lab);
}

/* Loads a labelled upload, opens an engine and plans it: the plan is the
 * caller's to clear and free, with ps_ocr_free(ocr) and free_labelled(L). */
static ps_redact_plan *planned(const char *stem, labelled *L, ps_ocr **ocr)
{
    ck_assert_msg(load_labelled(stem, L), "cannot load %s", stem);
    ck_assert_int_eq(ps_ocr_new(NULL, NULL, ocr), PS_OK);
    ps_redact_plan *plan = calloc(1, sizeof *plan);
    ck_assert(plan != NULL);
    ck_assert_int_eq(ps_redact_plan_make(*ocr, L->dec->full, &L->opts, plan), PS_OK);
    return plan;
}

/* Frees what planned() made, and the redacted copy `red`. */
static void unplanned(ps_redact_plan *plan, ps_ocr **ocr, labelled *L, ps_image **red)
{
    ps_redact_plan_clear(plan);
    free(plan);
    ps_image_free(red);
    ps_ocr_free(ocr);
    free_labelled(L);
}

static ps_box label_box(json_t *it)
{
    json_t *b = json_object_get(it, "box");
    return (ps_box){(int)json_integer_value(json_array_get(b, 0)),
                    (int)json_integer_value(json_array_get(b, 1)),
                    (int)json_integer_value(json_array_get(b, 2)),
                    (int)json_integer_value(json_array_get(b, 3))};
}

/* Standard deviation of luma over box b of img. */
static double box_sd(const ps_image *img, ps_box b)
{
    double s = 0, ss = 0;
    int n = 0;
    for (int y = b.y; y < b.y + b.h; y++)
        for (int x = b.x; x < b.x + b.w; x++) {
            const uint8_t *p = ps_image_row(img, y) + (size_t)x * img->channels;
            double v = 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];
            s += v;
            ss += v * v;
            n++;
        }
    if (n == 0)
        return 0;
    double m = s / n;
    return sqrt(fmax(0, ss / n - m * m));
}

/* Fraction of box b's pixels identical in a and b2. */
static double same_fraction(const ps_image *a, const ps_image *b2, ps_box b)
{
    int same = 0, n = 0;
    for (int y = b.y; y < b.y + b.h; y++)
        for (int x = b.x; x < b.x + b.w; x++) {
            size_t o = (size_t)x * 3;
            same += memcmp(ps_image_row(a, y) + o, ps_image_row(b2, y) + o, 3) == 0;
            n++;
        }
    return n ? (double)same / n : 0;
}

/* Solid: the box's central band (`shrink` of its height off the top and
 * the bottom; labels are ink boxes mapped through the photo's perspective,
 * so their corners hold background) varies by less than 2 grey levels. */
#define SOLID_SD 2.0

static void check_upload(const char *stem, double shrink, int want_kept, int want_qr)
{
    labelled L;
    ck_assert_msg(load_labelled(stem, &L), "cannot load %s", stem);
    ps_ocr *ocr = NULL;
    ck_assert_int_eq(ps_ocr_new(NULL, NULL, &ocr), PS_OK);
    ps_redact_plan *plan = calloc(1, sizeof *plan);
    ck_assert_int_eq(ps_redact_plan_make(ocr, L.dec->full, &L.opts, plan), PS_OK);
    ck_assert_int_eq(plan->unsafe, 0);
    ps_image *red = NULL;
    ck_assert_int_eq(ps_image_clone(L.dec->full, &red), PS_OK);
    ck_assert_int_eq(ps_redact_apply(red, plan), PS_OK);
    ck_assert_int_eq(ps_redact_verify(ocr, red, plan, 0), PS_OK);
    json_t *sens = json_object_get(L.lab, "sensitive");
    int kept_seen = 0;
    for (size_t i = 0; i < json_array_size(sens); i++) {
        json_t *it = json_array_get(sens, i);
        const char *type = json_string_value(json_object_get(it, "type"));
        ps_box b = label_box(it);
        if (!strcmp(type, "pan_last4")) {
            if (want_kept) {
                double same = same_fraction(L.dec->full, red, b);
                ck_assert_msg(same > 0.95, "%s: last 4 covered (%.2f unchanged)", stem, same);
                const char *text = json_string_value(json_object_get(it, "text"));
                int match = 0;
                for (size_t k = 0; k < plan->n; k++)
                    match |= plan->items[k].kept[0] && !strcmp(plan->items[k].kept, text);
                ck_assert_msg(match, "%s: kept last 4 not recorded", stem);
                kept_seen = 1;
            }
            continue;
        }
        /* the label's central band: all of its length, the middle of its
         * height (a tilted line of digits crosses the box diagonally);
         * shrink < 0: only a square at its centre (strongly tilted) */
        ps_box in = {b.x + (int)(b.w * 0.05), b.y + (int)(b.h * shrink), b.w - 2 * (int)(b.w * 0.05),
                     b.h - 2 * (int)(b.h * shrink)};
        if (shrink < 0) {
            int side = (int)(0.25 * (b.w < b.h ? b.w : b.h));
            in = (ps_box){b.x + b.w / 2 - side / 2, b.y + b.h / 2 - side / 2, side, side};
        }
        double sd = box_sd(red, in);
        ck_assert_msg(sd < SOLID_SD, "%s: %s box not solid (sd %.1f)", stem, type, sd);
        ck_assert_msg(box_sd(L.dec->full, b) > 2 * SOLID_SD, "%s: %s box was blank before",
                      stem, type);
    }
    ck_assert_int_eq(kept_seen, want_kept);
    if (want_qr) {
        const ps_redact_item *qr = first_of(plan, PS_REDACT_MY_NUMBER_QR);
        ck_assert_msg(qr && !qr->zone, "%s: QR code not detected", stem);
    }
    unplanned(plan, &ocr, &L, &red);
}

START_TEST(image_credit_card_front)
{
    check_upload("redact/000030_credit_card_clean", 0.3, 1, 0);
}
END_TEST

START_TEST(image_credit_card_back)
{
    check_upload("redact/000087_credit_card_clean", 0.3, 0, 0);
}
END_TEST

/* A card back whose panel's last 4 show no glyphs to the line finder
 * (here painted out in the panel's colour; on photos glare or a signature
 * over them): the CVV read on its own glyphs in its box keeps the zone that
 * always goes to one code's width left of it, so the panel left of that
 * stays as photographed, and the code is still filled. */
START_TEST(back_code_read_alone_spares_the_panel)
{
    labelled L;
    ck_assert(load_labelled("redact/000087_credit_card_clean", &L));
    ps_box last4 = {0, 0, 0, 0}, code = {0, 0, 0, 0};
    json_t *sens = json_object_get(L.lab, "sensitive");
    for (size_t i = 0; i < json_array_size(sens); i++) {
        json_t *it = json_array_get(sens, i);
        const char *type = json_string_value(json_object_get(it, "type"));
        if (!strcmp(type, "pan_last4"))
            last4 = label_box(it);
        else if (!strcmp(type, "cvv"))
            code = label_box(it);
    }
    ck_assert_int_gt(last4.w, 0);
    ck_assert_int_gt(code.w, 0);
    ps_image *img = L.dec->full;
    /* the panel's ground just right of the signature's end */
    uint8_t ground[3];
    memcpy(ground, ps_image_row(img, last4.y - 6) + (size_t)(last4.x + last4.w / 2) * 3, 3);
    for (int y = last4.y - 4; y < last4.y + last4.h + 4; y++)
        for (int x = last4.x - 4; x < last4.x + last4.w + 4; x++)
            memcpy(ps_image_row(img, y) + (size_t)x * 3, ground, 3);
    ps_ocr *ocr = NULL;
    ck_assert_int_eq(ps_ocr_new(NULL, NULL, &ocr), PS_OK);
    ps_redact_plan *plan = calloc(1, sizeof *plan);
    ck_assert_int_eq(ps_redact_plan_make(ocr, img, &L.opts, plan), PS_OK);
    ck_assert_int_eq(plan->unsafe, 0);
    ps_image *red = NULL;
    ck_assert_int_eq(ps_image_clone(img, &red), PS_OK);
    ck_assert_int_eq(ps_redact_apply(red, plan), PS_OK);
    ck_assert_int_eq(ps_redact_verify(ocr, red, plan, 0), PS_OK);
    ps_box code_in = {code.x + code.w / 10, code.y + code.h / 3, code.w - code.w / 5, code.h / 3};
    ck_assert_double_lt(box_sd(red, code_in), SOLID_SD);
    ck_assert_double_eq(same_fraction(img, red, last4), 1.0);
    unplanned(plan, &ocr, &L, &red);
}
END_TEST

START_TEST(image_my_number_back)
{
    check_upload("redact/000037_photo_id_clean", 0.3, 0, 1);
}
END_TEST

START_TEST(image_certificate_with_my_number)
{
    check_upload("redact/000021_address_proof_address_mismatch", 0.3, 0, 0);
}
END_TEST

/* A 住民票 under a shadow that falls across its 個人番号 row: one global
 * threshold read 5 of the number's 12 digits and lost its label, so the
 * number stayed clear while its 住民票コード above was masked. */
START_TEST(image_shadowed_certificate)
{
    check_upload("redact/000561_address_proof_clean", 0.3, 0, 0);
}
END_TEST

/* The same page with its 個人番号 scratched out past reading (ink strokes
 * over the digits): the label still names the row, and the row is masked
 * from the label to the page's edge, wherever in it the number stands. */
START_TEST(certificate_label_without_number_masks_its_row)
{
    labelled L;
    ck_assert(load_labelled("redact/000561_address_proof_clean", &L));
    json_t *sens = json_object_get(L.lab, "sensitive");
    ps_box nb = {0, 0, 0, 0};
    for (size_t i = 0; i < json_array_size(sens); i++)
        if (!strcmp(json_string_value(json_object_get(json_array_get(sens, i), "type")), "my_number"))
            nb = label_box(json_array_get(sens, i));
    ck_assert_int_gt(nb.w, 0);
    /* dense dark strokes, 3 px apart, over the digits */
    ps_image *img = L.dec->full;
    for (int y = nb.y; y < nb.y + nb.h; y++)
        for (int x = nb.x; x < nb.x + nb.w; x++)
            if ((x + y) % 3 == 0 || (x - y + 3000) % 5 == 0)
                memset(ps_image_row(img, y) + (size_t)x * img->channels, 40, img->channels);
    ps_ocr *ocr = NULL;
    ck_assert_int_eq(ps_ocr_new(NULL, NULL, &ocr), PS_OK);
    ps_redact_plan *plan = calloc(1, sizeof *plan);
    ck_assert_int_eq(ps_redact_plan_make(ocr, img, &L.opts, plan), PS_OK);
    int covered = 0;
    double cx = nb.x + nb.w * 0.9, cy = nb.y + nb.h / 2.0; /* the number's far end */
    for (size_t i = 0; i < plan->n; i++) {
        const ps_box *b = &plan->items[i].box;
        covered |= plan->items[i].type == PS_REDACT_MY_NUMBER && cx >= b->x && cx <= b->x + b->w &&
                   cy >= b->y && cy <= b->y + b->h;
    }
    ck_assert_msg(covered, "the 個人番号 row was not masked");
    ck_assert_int_eq(plan->uncertain, 1);
    ps_redact_plan_clear(plan);
    free(plan);
    ps_ocr_free(&ocr);
    free_labelled(&L);
}
END_TEST

/* The read stage's line-by-line reading of a page (ps_redact_opts.
 * page_lines): a page is read (page_read) when its lines hold enough of a
 * 住民票's row labels with the certification statement below them and no
 * number left bare; a number label there whose number nothing found has
 * its row masked. The lines are made up; the page is testdata's 住民票. */
static int plan_with_lines(const labelled *L, ps_ocr *ocr, const ps_ocr_line *lines, size_t n,
                           ps_redact_plan *plan)
{
    ps_redact_opts o = L->opts;
    o.page_lines = lines;
    o.n_page_lines = n;
    o.doc_read_width = 1000; /* the lines' frame: scaled to the plan's */
    o.doc_read_height = 1400;
    ck_assert_int_eq(ps_redact_plan_make(ocr, L->dec->full, &o, plan), PS_OK);
    return plan->page_read;
}

START_TEST(page_lines_tell_a_page_read_and_mask_labelled_rows)
{
    labelled L;
    ck_assert(load_labelled("redact/000561_address_proof_clean", &L));
    ps_ocr *ocr = NULL;
    ck_assert_int_eq(ps_ocr_new(NULL, NULL, &ocr), PS_OK);
    ps_redact_plan *plan = calloc(1, sizeof *plan);
    char t[8][128] = {"住所 東京都", "世帯主 山田", "氏名 山田 太郎", "生年月日 平成1年1月1日",
                     "住民となった年月日 令和2年", "この写しは、住民票の原本と相違ないことを証明する。",
                     "備考 0000 0000 0000", "個人番号"};
    ps_ocr_line l[8];
    memset(l, 0, sizeof l);
    for (int i = 0; i < 8; i++) {
        l[i].text = t[i];
        l[i].confidence = 0.9;
        l[i].box = (ps_box){60, 150 + 60 * i, 500, 24};
    }
    l[5].box.y = 1100; /* the statement, under the table */
    l[6].box.y = 1200; /* a number's line where the page prints none */
    l[7].box.y = 1300;
    /* five labels, the statement below them, no number left bare */
    ck_assert_int_eq(plan_with_lines(&L, ocr, l, 6, plan), 1);
    /* the statement above the labels (the outline is the table's top) */
    l[5].box.y = 100;
    ck_assert_int_eq(plan_with_lines(&L, ocr, l, 6, plan), 0);
    l[5].box.y = 1100;
    /* four labels */
    ck_assert_int_eq(plan_with_lines(&L, ocr, l + 1, 5, plan), 0);
    /* a line holding 12 digits that no item covers */
    ck_assert_int_eq(plan_with_lines(&L, ocr, l, 7, plan), 0);
    /* a 個人番号 label with no number read beside it: its row is masked
     * from the label to the page's edge, and the plan is uncertain */
    ck_assert_int_eq(plan_with_lines(&L, ocr, l, 6, plan), 1);
    plan_with_lines(&L, ocr, l, 8, plan);
    {
        int row = 0;
        double page_w = (double)L.dec->full->width;
        for (size_t i = 0; i < plan->n; i++)
            row |= plan->items[i].type == PS_REDACT_MY_NUMBER && plan->items[i].zone &&
                   plan->items[i].box.x + plan->items[i].box.w > 0.5 * page_w;
        ck_assert_msg(row, "the labelled row was not masked");
        ck_assert_int_eq(plan->uncertain, 1);
    }
    ps_redact_plan_clear(plan);
    free(plan);
    ps_ocr_free(&ocr);
    free_labelled(&L);
}
END_TEST

START_TEST(image_health_insurance)
{
    check_upload("redact/000031_address_proof_clean", 0.3, 0, 0);
}
END_TEST

/* Cards tilted by 10-15 degrees from testdata/corpus: the label boxes hold
 * much background, so only a square at each box's centre is checked. The
 * clean front's letter-spaced number is read on its line (panline.c), so
 * its last 4 are kept. */
START_TEST(image_corpus_credit_cards)
{
    check_upload("corpus/000001_credit_card_clean", -1, 1, 0);
    check_upload("corpus/000003_credit_card_blur", -1, 0, 0);
}
END_TEST

/* A card cut by the frame (its outline leaves the photo): the last group
 * read may not be the last group printed, so no last 4 is kept and the
 * number's whole line is masked. */
START_TEST(cut_card_keeps_no_last4)
{
    labelled L;
    ck_assert(load_labelled("corpus/000005_credit_card_cut", &L));
    ps_ocr *ocr = NULL;
    ck_assert_int_eq(ps_ocr_new(NULL, NULL, &ocr), PS_OK);
    ps_redact_plan *plan = calloc(1, sizeof *plan);
    ck_assert_int_eq(ps_redact_plan_make(ocr, L.dec->full, &L.opts, plan), PS_OK);
    ck_assert_int_gt((int)plan->n, 0);
    for (size_t i = 0; i < plan->n; i++)
        ck_assert_msg(plan->items[i].kept[0] == '\0', "a last 4 was kept on a cut card");
    ck_assert_int_eq(plan->uncertain, 1);
    ps_redact_plan_clear(plan);
    free(plan);
    ps_ocr_free(&ocr);
    free_labelled(&L);
    check_upload("corpus/000005_credit_card_cut", -1, 0, 0);
}
END_TEST

START_TEST(verify_widens_a_missed_number)
{
    /* Plan, but skip the fill: verify must see the digits, grow the mask,
     * apply it and find the region clean afterwards. */
    labelled L;
    ps_ocr *ocr = NULL;
    ps_redact_plan *plan = planned("redact/000030_credit_card_clean", &L, &ocr);
    ps_image *red = NULL;
    ck_assert_int_eq(ps_image_clone(L.dec->full, &red), PS_OK);
    ps_status st = ps_redact_verify(ocr, red, plan, 0);
    int grown = 0;
    for (size_t i = 0; i < plan->n; i++)
        grown += plan->items[i].grow;
    ck_assert_msg(grown > 0, "verify did not notice the unmasked number");
    ck_assert_int_eq(st, PS_OK);
    ck_assert_int_eq(ps_redact_verify(ocr, red, plan, 0), PS_OK);
    unplanned(plan, &ocr, &L, &red);
}
END_TEST

/* A mask on its digits' own glyphs that landed a group of digits to the
 * right of them (as a bad mapping would put it): the quick look for bare
 * digit ink beside it must not wave verification through. The first group
 * shows, verify reads it, grows the mask and ends clean. A mask in its
 * place needs no reading (the look finds no bare digits). */
START_TEST(verify_reads_a_glyph_mask_that_slid)
{
    labelled L;
    ps_ocr *ocr = NULL;
    ps_redact_plan *plan = planned("redact/000030_credit_card_clean", &L, &ocr);
    ps_redact_item *pan = NULL;
    for (size_t i = 0; i < plan->n; i++)
        if (plan->items[i].type == PS_REDACT_PAN && plan->items[i].kept[0])
            pan = &plan->items[i];
    ck_assert_msg(pan != NULL && pan->glyphs, "the number was not read on its glyphs");
    ck_assert_int_eq(plan->located, 1);
    ps_image *red = NULL;
    ck_assert_int_eq(ps_image_clone(L.dec->full, &red), PS_OK);
    ck_assert_int_eq(ps_redact_apply(red, plan), PS_OK);
    ck_assert_int_eq(ps_redact_verify(ocr, red, plan, 0), PS_OK);
    ck_assert_int_eq(pan->grow, 0);
    ck_assert_int_ge(plan->verify_skipped, 1);
    ps_image_free(&red);
    /* slid right by a third of the number's length (its right side is
     * spared: the slid mask stops where it stopped) */
    double dx = (pan->quad[1].x - pan->quad[0].x) / 3, dy = (pan->quad[1].y - pan->quad[0].y) / 3;
    for (int k = 0; k < 4; k++) {
        pan->quad[k].x += dx;
        pan->quad[k].y += dy;
    }
    ps_point moved[4];
    memcpy(moved, pan->quad, sizeof moved);
    pan->box = ps__quad_bbox(moved);
    ck_assert_int_eq(ps_image_clone(L.dec->full, &red), PS_OK);
    ck_assert_int_eq(ps_redact_apply(red, plan), PS_OK);
    ck_assert_int_eq(ps_redact_verify(ocr, red, plan, 0), PS_OK);
    ck_assert_msg(pan->grow > 0, "verify did not read the digits the slid mask left bare");
    unplanned(plan, &ocr, &L, &red);
}
END_TEST

/* The read stage reads a credit-card back whole, once, with the plan's own
 * settings (ps_redact_read_params) and hands the reading on; the plan given
 * it must plan as it would have itself, one OCR call fewer. A front read as
 * a back stands for a back with a full card number printed on it: the
 * handed-on reading must still find that number (masked, last 4 kept). A
 * reading of another size is ignored (the plan reads for itself). */
START_TEST(back_plan_reuses_the_read_stage_reading)
{
    labelled L;
    ck_assert(load_labelled("redact/000030_credit_card_clean", &L));
    L.opts.side = PS_SIDE_BACK;
    ps_ocr *ocr = NULL;
    ck_assert_int_eq(ps_ocr_new(NULL, NULL, &ocr), PS_OK);
    ps_redact_plan *own = calloc(1, sizeof *own), *reused = calloc(1, sizeof *reused);
    ck_assert(own != NULL && reused != NULL);
    ck_assert_int_eq(ps_redact_plan_make(ocr, L.dec->full, &L.opts, own), PS_OK);

    /* the read stage's reading of the same card, the way the pipeline makes it */
    ps_read_request rq;
    ps_read_result *res = calloc(1, sizeof *res);
    ps_ocr_result *whole = NULL;
    memset(&rq, 0, sizeof rq);
    rq.full = L.dec->full;
    rq.quad = L.quad;
    rq.shape = PS_DOC_ID1;
    rq.kind = PS_KIND_CREDIT_CARD;
    rq.side = PS_SIDE_BACK;
    rq.has_face = -1;
    rq.doc_read_out = &whole;
    ck_assert_int_eq(ps_read_document(ocr, &rq, res), PS_OK);
    ck_assert_msg(whole != NULL, "a credit-card back's whole reading was not handed on");
    ck_assert_int_eq(res->rotation, 0);
    ck_assert_int_eq(res->doc_width, 1011);
    ck_assert_int_eq(res->doc_height, 638);

    ps_redact_opts o = L.opts;
    o.doc_read = whole;
    o.doc_read_width = res->doc_width;
    o.doc_read_height = res->doc_height;
    ck_assert_int_eq(ps_redact_plan_make(ocr, L.dec->full, &o, reused), PS_OK);
    ck_assert_int_eq(reused->ocr_calls, own->ocr_calls - 1);
    /* the number printed on the "back" is found by either reading, read
     * whole (not a zone), with the same last 4 kept */
    const ps_redact_item *a = NULL, *b = NULL;
    for (size_t i = 0; i < own->n; i++)
        if (own->items[i].type == PS_REDACT_PAN && !own->items[i].zone && own->items[i].kept[0])
            a = &own->items[i];
    for (size_t i = 0; i < reused->n; i++)
        if (reused->items[i].type == PS_REDACT_PAN && !reused->items[i].zone &&
            reused->items[i].kept[0])
            b = &reused->items[i];
    ck_assert_msg(a != NULL, "the plan's own reading missed the number on the back");
    ck_assert_msg(b != NULL, "the handed-on reading missed the number on the back");
    ck_assert_msg(strcmp(a->kept, b->kept) == 0, "the two readings kept different last 4");
    /* the same masks, to a few pixels (the two warps round differently) */
    ck_assert_int_eq(reused->n, own->n);
    ck_assert_int_eq(reused->unsafe, own->unsafe);
    ck_assert_int_eq(reused->uncertain, own->uncertain);
    for (size_t i = 0; i < own->n; i++) {
        ck_assert_int_eq(reused->items[i].type, own->items[i].type);
        ck_assert_int_eq(reused->items[i].zone, own->items[i].zone);
        ck_assert_int_le(abs(reused->items[i].box.x - own->items[i].box.x), 6);
        ck_assert_int_le(abs(reused->items[i].box.y - own->items[i].box.y), 6);
        ck_assert_int_le(abs(reused->items[i].box.w - own->items[i].box.w), 12);
        ck_assert_int_le(abs(reused->items[i].box.h - own->items[i].box.h), 12);
    }
    /* masked and verified like any plan */
    ps_image *red = NULL;
    ck_assert_int_eq(ps_image_clone(L.dec->full, &red), PS_OK);
    ck_assert_int_eq(ps_redact_apply(red, reused), PS_OK);
    ck_assert_int_eq(ps_redact_verify(ocr, red, reused, 0), PS_OK);

    /* a reading of another rectified size is not this card's: ignored */
    o.doc_read_width = res->doc_width + 1;
    ck_assert_int_eq(ps_redact_plan_make(ocr, L.dec->full, &o, reused), PS_OK);
    ck_assert_int_eq(reused->ocr_calls, own->ocr_calls);

    /* a front is read zone by zone: nothing is handed on */
    rq.side = PS_SIDE_FRONT;
    ps_ocr_result_free(&whole);
    ck_assert_int_eq(ps_read_document(ocr, &rq, res), PS_OK);
    ck_assert(whole == NULL);

    ps_image_free(&red);
    ps_redact_plan_clear(own);
    ps_redact_plan_clear(reused);
    free(own);
    free(reused);
    free(res);
    ps_ocr_free(&ocr);
    free_labelled(&L);
}
END_TEST

/* Verify reads a masked number's row across the document's outline box,
 * not only the mask: a mask put beside its digits (shifted right by its own
 * width, still on the card) leaves them readable, and verify must see them
 * and grow the mask. The plan records the outline's box. */
START_TEST(verify_reads_the_row_beside_a_misplaced_mask)
{
    labelled L;
    ps_ocr *ocr = NULL;
    ps_redact_plan *plan = planned("redact/000030_credit_card_clean", &L, &ocr);
    ck_assert_int_gt(plan->doc_box.w, 0);
    ps_redact_item *pan = NULL;
    for (size_t i = 0; i < plan->n && !pan; i++)
        if (plan->items[i].type == PS_REDACT_PAN && strlen(plan->items[i].digits) >= 4)
            pan = &plan->items[i];
    ck_assert_msg(pan != NULL, "no card number read on the test card");
    /* read on its number line: the mask is its glyphs', and verify's row
     * beside it is the narrower one (ps__verify_row) */
    ck_assert_msg(pan->glyphs, "the number line's reading is not marked as its glyphs");
    /* the outline's box holds every digit the plan read */
    ck_assert_int_ge(pan->box.x, plan->doc_box.x - 2);
    ck_assert_int_le(pan->box.x + pan->box.w, plan->doc_box.x + plan->doc_box.w + 2);
    /* move the mask a width to the right, off its digits, and drop the
     * other items so nothing else covers them */
    ps_redact_item moved = *pan;
    int dx = moved.box.w;
    for (int k = 0; k < 4; k++)
        moved.quad[k].x += dx;
    moved.box.x += dx;
    moved.spare = 0;
    moved.kept[0] = '\0';
    for (size_t i = 0; i < plan->n; i++)
        ps__wipe(&plan->items[i], sizeof plan->items[i]);
    plan->items[0] = moved;
    plan->n = 1;
    ps_image *red = NULL;
    ck_assert_int_eq(ps_image_clone(L.dec->full, &red), PS_OK);
    ck_assert_int_eq(ps_redact_apply(red, plan), PS_OK);
    (void)ps_redact_verify(ocr, red, plan, 0);
    ck_assert_msg(plan->items[0].grow > 0 || plan->unsafe,
                  "verify did not see digits left beside a misplaced mask");
    ps__wipe(&moved, sizeof moved);
    unplanned(plan, &ocr, &L, &red);
}
END_TEST

START_TEST(plan_without_quad_is_unsafe_when_nothing_found)
{
    /* A flat grey "card" with no digits: without a quad no zone can be
     * placed, so an expected PAN that was not read makes the plan unsafe. */
    ps_image *img = NULL;
    ck_assert_int_eq(ps_image_new(320, 200, 3, 0, &img), PS_OK);
    memset(img->data, 128, img->stride * (size_t)img->height);
    ps_ocr *ocr = NULL;
    ck_assert_int_eq(ps_ocr_new(NULL, NULL, &ocr), PS_OK);
    ps_redact_plan *plan = calloc(1, sizeof *plan);
    ps_redact_opts o = {0};
    o.type = PS_DOC_CREDIT_CARD;
    o.side = PS_SIDE_FRONT;
    ck_assert_int_eq(ps_redact_plan_make(ocr, img, &o, plan), PS_OK);
    ck_assert_int_eq(plan->unsafe, 1);
    ck_assert_int_eq(ps_redact_verify(ocr, img, plan, 0), PS_E_UNSAFE);
    /* with a quad, the zone goes in and the plan is merely uncertain */
    ps_point q[4] = {{10, 10}, {310, 10}, {310, 190}, {10, 190}};
    o.doc_quad = q;
    o.scale = 0.5; /* planned on a half-size copy: quads double */
    ck_assert_int_eq(ps_redact_plan_make(ocr, img, &o, plan), PS_OK);
    ck_assert_int_eq(plan->unsafe, 0);
    ck_assert_int_eq(plan->uncertain, 1);
    ck_assert_int_eq(plan->located, 0); /* nothing found on the outline */
    ck_assert_int_eq(plan->full_width, 640);
    const ps_redact_item *z = first_of(plan, PS_REDACT_PAN);
    ck_assert(z && z->zone);
    ck_assert_int_ge(z->box.x, 20);
    ck_assert_int_le(z->box.x + z->box.w, 620);
    ck_assert_int_gt(z->box.w, 400); /* most of the card's width, at full size */
    ps_redact_plan_clear(plan);
    free(plan);
    ps_ocr_free(&ocr);
    ps_image_free(&img);
}
END_TEST


/* A drawn card front (1011 x 638, light) on a dark photo, its number line
 * of smudged digits (solid dark blocks no reader takes for digits) in the
 * groups `groups` (0-terminated) at the ISO line's height. Returns the
 * photo; *kept = the last group's box, *head = the box of the rest. */
static ps_image *drawn_card_ex(const int *groups, double slope, ps_box *kept, ps_box *head,
                               ps_point quad[4]);

static ps_image *drawn_card(const int *groups, ps_box *kept, ps_box *head, ps_point quad[4])
{
    return drawn_card_ex(groups, 0, kept, head, quad);
}

/* The same, the line falling `slope` px per px to the right on the card
 * (kept and head then span the glyphs' rows). */
static ps_image *drawn_card_ex(const int *groups, double slope, ps_box *kept, ps_box *head,
                               ps_point quad[4])
{
    ps_image *img = NULL;
    ck_assert_int_eq(ps_image_new(1211, 838, 3, 0, &img), PS_OK);
    memset(img->data, 50, img->stride * (size_t)img->height);
    for (int y = 100; y < 738; y++)
        memset(ps_image_row(img, y) + 100 * 3, 225, 1011 * 3);
    int x = 100 + 90, n = 0, total = 0;
    for (int g = 0; groups[g]; g++)
        total += groups[g];
    ps_box glyph[32];
    for (int g = 0; groups[g]; g++) {
        for (int k = 0; k < groups[g]; k++) {
            int y0 = 100 + 330 + (int)lround(slope * (x - 190));
            glyph[n++] = (ps_box){x, y0, 26, 40};
            for (int y = y0; y < y0 + 40; y++)
                memset(ps_image_row(img, y) + (size_t)x * 3, 40, 26 * 3);
            x += 46;
        }
        x += 28;
    }
    *kept = ps_box_union(glyph[total - 4], glyph[total - 1]);
    *head = ps_box_union(glyph[0], glyph[total - 5]);
    quad[0] = (ps_point){100, 100};
    quad[1] = (ps_point){1111, 100};
    quad[2] = (ps_point){1111, 738};
    quad[3] = (ps_point){100, 738};
    return img;
}

/* Fraction of box b's pixels filled black. */
static double filled_fraction(const ps_image *img, ps_box b)
{
    int f = 0, n = 0;
    for (int y = b.y; y < b.y + b.h; y++)
        for (int x = b.x; x < b.x + b.w; x++) {
            f += ps_image_row(img, y)[(size_t)x * 3] == 0;
            n++;
        }
    return n ? (double)f / n : 0;
}

/* Plans, fills and verifies a drawn card's `side`; returns the redacted
 * copy. */
static ps_image *redact_drawn_side(ps_ocr *ocr, const ps_image *img, const ps_point quad[4], ps_side side,
                                   int upright_known, ps_redact_plan *plan)
{
    ps_redact_opts o = {0};
    o.type = PS_DOC_CREDIT_CARD;
    o.side = side;
    o.doc_quad = quad;
    o.upright_known = upright_known;
    ck_assert_int_eq(ps_redact_plan_make(ocr, img, &o, plan), PS_OK);
    ck_assert_int_eq(plan->unsafe, 0);
    ps_image *red = NULL;
    ck_assert_int_eq(ps_image_clone(img, &red), PS_OK);
    ck_assert_int_eq(ps_redact_apply(red, plan), PS_OK);
    ck_assert_int_eq(ps_redact_verify(ocr, red, plan, 0), PS_OK);
    return red;
}

/* The same for a front. */
static ps_image *redact_drawn_as(ps_ocr *ocr, const ps_image *img, ps_point quad[4], int upright_known,
                                 ps_redact_plan *plan)
{
    return redact_drawn_side(ocr, img, quad, PS_SIDE_FRONT, upright_known, plan);
}

/* The same, the card's reading order confirmed by text read on it. */
static ps_image *redact_drawn(ps_ocr *ocr, const ps_image *img, ps_point quad[4], ps_redact_plan *plan)
{
    return redact_drawn_as(ocr, img, quad, 1, plan);
}

/* Frees what a drawn-card test planned with: the engine, the plan, the
 * redacted copy and the drawn card. */
static void drawn_free(ps_ocr **ocr, ps_redact_plan *plan, ps_image **red, ps_image **img)
{
    ps_redact_plan_clear(plan);
    free(plan);
    ps_image_free(red);
    ps_image_free(img);
    ps_ocr_free(ocr);
}

/* The redacted copy of a drawn card whose reading order text confirmed,
 * planned, filled and verified with an engine and a plan of its own. */
static ps_image *drawn_redacted(const ps_image *img, ps_point quad[4])
{
    ps_ocr *ocr = NULL;
    ck_assert_int_eq(ps_ocr_new(NULL, NULL, &ocr), PS_OK);
    ps_redact_plan *plan = calloc(1, sizeof *plan);
    ck_assert(plan != NULL);
    ps_image *red = redact_drawn(ocr, img, quad, plan);
    ps_redact_plan_clear(plan);
    free(plan);
    ps_ocr_free(&ocr);
    return red;
}

/* A horizontal motion blur over a drawn card: each pixel the mean of `len`
 * pixels along its row (RGB). */
static void motion_blur(ps_image *img, int len)
{
    uint8_t *row = malloc((size_t)img->width * 3);
    ck_assert_ptr_nonnull(row);
    for (int y = 0; y < img->height; y++) {
        uint8_t *p = ps_image_row(img, y);
        memcpy(row, p, (size_t)img->width * 3);
        for (int x = 0; x < img->width; x++)
            for (int c = 0; c < 3; c++) {
                int s = 0, n = 0;
                for (int k = x - len / 2; k <= x + len / 2; k++)
                    if (k >= 0 && k < img->width) {
                        s += row[(size_t)k * 3 + c];
                        n++;
                    }
                p[(size_t)x * 3 + c] = (uint8_t)(s / n);
            }
    }
    free(row);
}

/* The drawn 4-4-4-4 card moved while the photo was taken (a 31-px motion
 * blur: the letter gaps close, the group gaps do not): no digit can be cut
 * out alone, but the groups show as 4 blobs. The last group stays in a
 * window, every other group is filled, the plan is uncertain and says the
 * last 4 are visible; with the reading order unknown, nothing is kept. */
/* The drawn 4-4-4-4 card; in loop 1 moved while the photo was taken (a
 * 31-px motion blur: the letter gaps close, the group gaps do not, so no
 * digit can be cut out alone and the groups show as 4 blobs). */
static ps_image *drawn_4444(int loop, ps_box *kept, ps_box *head, ps_point q[4])
{
    static const int g4444[] = {4, 4, 4, 4, 0};
    ps_image *img = drawn_card(g4444, kept, head, q);
    if (loop == 1)
        motion_blur(img, 31);
    return img;
}

/* Digits that cannot be read on a line whose glyphs spell 4-4-4-4 (or,
 * blurred, whose group blobs do): the last group stays, every other glyph
 * is filled, the report says the last 4 are visible without saying which
 * digits they are, and the plan is uncertain (nothing was read). */
START_TEST(drawn_card_keeps_last_group_by_geometry)
{
    ps_box kept, head;
    ps_point q[4];
    ps_image *img = drawn_4444(_i, &kept, &head, q);
    ps_ocr *ocr = NULL;
    ck_assert_int_eq(ps_ocr_new(NULL, NULL, &ocr), PS_OK);
    ps_redact_plan *plan = calloc(1, sizeof *plan);
    ps_image *red = redact_drawn(ocr, img, q, plan);
    ck_assert_double_eq(filled_fraction(red, kept), 0.0);
    ck_assert_double_eq(filled_fraction(red, head), 1.0);
    ck_assert_int_eq(plan->uncertain, 1);
    ck_assert_int_eq(plan->anchored, 1); /* the masks sit on the glyphs found */
    ck_assert_int_eq(plan->located, 1);
    ck_assert_int_eq(plan->turned, 0);
    int spared = 0;
    for (size_t i = 0; i < plan->n; i++) {
        ck_assert_msg(plan->items[i].kept[0] == '\0', "digits recorded that were not read");
        spared += plan->items[i].spare != 0;
    }
    ck_assert_int_eq(spared, 4); /* the masks left, right, above and below the group */
    ps_report *r = calloc(1, sizeof *r);
    ck_assert_int_gt(ps_redact_to_report(plan, r), 0);
    int visible = 0;
    for (int i = 0; i < r->n_redactions; i++)
        visible += r->redactions[i].last4_visible;
    ck_assert_int_gt(visible, 0);
    free(r);
    ps_redact_plan_clear(plan);
    ps_image_free(&red);
    /* the policy keeps no last 4: the group goes too, the masks still on
     * the glyphs */
    ps_redact_opts o = {0};
    o.type = PS_DOC_CREDIT_CARD;
    o.side = PS_SIDE_FRONT;
    o.doc_quad = q;
    o.upright_known = 1;
    o.mask_whole_pan = 1;
    ck_assert_int_eq(ps_redact_plan_make(ocr, img, &o, plan), PS_OK);
    ck_assert_int_eq(ps_image_clone(img, &red), PS_OK);
    ck_assert_int_eq(ps_redact_apply(red, plan), PS_OK);
    ck_assert_double_eq(filled_fraction(red, kept), 1.0);
    ck_assert_double_eq(filled_fraction(red, head), 1.0);
    ck_assert_int_eq(plan->anchored, 1);
    for (size_t i = 0; i < plan->n; i++)
        ck_assert_int_eq(plan->items[i].spare, 0);
    drawn_free(&ocr, plan, &red, &img);
}
END_TEST

/* The plan on the read stage's own rectification of the card (corners on
 * its corner pixels' centres, anti-aliased) instead of its own: the same
 * masks, within a pixel or two; a rectification of another size is not
 * used. */
START_TEST(plan_reuses_the_callers_rectified_card)
{
    ps_box kept, head;
    ps_point q[4];
    ps_image *img = drawn_4444(_i, &kept, &head, q);
    ps_ocr *ocr = NULL;
    ck_assert_int_eq(ps_ocr_new(NULL, NULL, &ocr), PS_OK);
    ps_redact_plan *own = calloc(1, sizeof *own), *plan = calloc(1, sizeof *plan);
    ck_assert(own != NULL && plan != NULL);
    ps_redact_opts o = {0};
    o.type = PS_DOC_CREDIT_CARD;
    o.side = PS_SIDE_FRONT;
    o.doc_quad = q;
    o.upright_known = 1;
    ck_assert_int_eq(ps_redact_plan_make(ocr, img, &o, own), PS_OK);
    for (int size = 0; size < 2; size++) {
        ps_image *card = NULL;
        ck_assert_int_eq(ps_cv_rectify(img, q, size ? 505 : 1011, size ? 319 : 638, &card), PS_OK);
        o.doc_image = card;
        ck_assert_int_eq(ps_redact_plan_make(ocr, img, &o, plan), PS_OK);
        ck_assert_int_eq(plan->n, own->n);
        for (size_t i = 0; i < plan->n; i++) {
            const ps_redact_item *a = &plan->items[i], *b = &own->items[i];
            ck_assert_int_eq(a->type, b->type);
            ck_assert_int_le(abs(a->box.x - b->box.x), 2);
            ck_assert_int_le(abs(a->box.x + a->box.w - b->box.x - b->box.w), 2);
            ck_assert_int_le(abs(a->box.y - b->box.y), 2);
            ck_assert_int_le(abs(a->box.y + a->box.h - b->box.y - b->box.h), 2);
        }
        ps_image *red = NULL;
        ck_assert_int_eq(ps_image_clone(img, &red), PS_OK);
        ck_assert_int_eq(ps_redact_apply(red, plan), PS_OK);
        ck_assert_double_eq(filled_fraction(red, kept), 0.0);
        ck_assert_double_eq(filled_fraction(red, head), 1.0);
        ps_image_free(&red);
        ps_image_free(&card);
        ps_redact_plan_clear(plan);
    }
    ps_redact_plan_clear(own);
    free(own);
    free(plan);
    ps_image_free(&img);
    ps_ocr_free(&ocr);
}
END_TEST

/* The same cards when nothing read on them confirms their reading order:
 * a 4-4-4-4 line upside down spells 4-4-4-4 too, and the group kept would
 * be the first. Nothing is kept; the whole number is filled, on its glyphs
 * or blobs (the plan is anchored). */
START_TEST(drawn_card_keeps_nothing_when_its_turn_is_unknown)
{
    ps_box kept, head;
    ps_point q[4];
    ps_image *img = drawn_4444(_i, &kept, &head, q);
    ps_ocr *ocr = NULL;
    ck_assert_int_eq(ps_ocr_new(NULL, NULL, &ocr), PS_OK);
    ps_redact_plan *plan = calloc(1, sizeof *plan);
    ps_image *red = redact_drawn_as(ocr, img, q, 0, plan);
    ck_assert_double_eq(filled_fraction(red, kept), 1.0);
    ck_assert_double_eq(filled_fraction(red, head), 1.0);
    ck_assert_int_eq(plan->uncertain, 1);
    ck_assert_int_eq(plan->anchored, 1); /* the whole line masked on its glyphs */
    drawn_free(&ocr, plan, &red, &img);
}
END_TEST

/* The same card with groups that spell no card number (3-5-4-4): which 4
 * are the last cannot be told, so the whole line's zone is filled and the
 * plan is uncertain. */
START_TEST(drawn_card_inconsistent_groups_fill_all)
{
    static const int g3544[] = {3, 5, 4, 4, 0};
    ps_box kept, head;
    ps_point q[4];
    ps_image *img = drawn_card(g3544, &kept, &head, q);
    ps_ocr *ocr = NULL;
    ck_assert_int_eq(ps_ocr_new(NULL, NULL, &ocr), PS_OK);
    ps_redact_plan *plan = calloc(1, sizeof *plan);
    ps_image *red = redact_drawn(ocr, img, q, plan);
    ck_assert_double_eq(filled_fraction(red, kept), 1.0);
    ck_assert_double_eq(filled_fraction(red, head), 1.0);
    ck_assert_int_eq(plan->uncertain, 1);
    ck_assert_int_eq(plan->anchored, 0); /* no lattice: the zone stands on the outline */
    const ps_redact_item *z = first_of(plan, PS_REDACT_PAN);
    ck_assert(z != NULL && z->zone && z->spare == 0);
    drawn_free(&ocr, plan, &red, &img);
}
END_TEST

/* The columns [x0, x1) of img as a new photo. */
static ps_image *crop_cols(const ps_image *img, int x0, int x1)
{
    ps_image *c = NULL;
    ck_assert_int_eq(ps_image_new(x1 - x0, img->height, 3, 0, &c), PS_OK);
    for (int y = 0; y < img->height; y++)
        memcpy(ps_image_row(c, y), ps_image_row(img, y) + (size_t)x0 * 3, (size_t)(x1 - x0) * 3);
    return c;
}

/* A 4-4-4-4 card cut by the photo's right edge inside its fourth group:
 * the two glyphs of that group still in the photo stay, every glyph before
 * is filled; with the card's turn unknown nothing stays. */
START_TEST(drawn_card_cut_inside_last_group_keeps_its_start)
{
    static const int g4444[] = {4, 4, 4, 4, 0};
    ps_box kept, head;
    ps_point q[4];
    ps_image *whole = drawn_card(g4444, &kept, &head, q);
    /* the photo ends 7 px right of the fourth group's second glyph */
    ps_box two = {kept.x, kept.y, 46 + 26, kept.h};
    ps_image *img = crop_cols(whole, 0, two.x + two.w + 7);
    ps_ocr *ocr = NULL;
    ck_assert_int_eq(ps_ocr_new(NULL, NULL, &ocr), PS_OK);
    for (int up = 1; up >= 0; up--) {
        ps_redact_plan *plan = calloc(1, sizeof *plan);
        ps_image *red = redact_drawn_as(ocr, img, q, up, plan);
        ck_assert_double_eq(filled_fraction(red, two), up ? 0.0 : 1.0);
        ck_assert_double_eq(filled_fraction(red, head), 1.0);
        ps_redact_plan_clear(plan);
        free(plan);
        ps_image_free(&red);
    }
    ps_image_free(&img);
    ps_image_free(&whole);
    ps_ocr_free(&ocr);
}
END_TEST

/* A 4-4-4-4 card cut at the left inside its first group's last digit
 * (2 px of it left in the photo): the whole first group is lost, the line
 * still starts out of the photo (one pitch left of the second group lies
 * in the photo, a pitch and a gap does not), and the last group stays. */
START_TEST(drawn_card_cut_through_first_group_keeps_last4)
{
    static const int g4444[] = {4, 4, 4, 4, 0};
    ps_box kept, head;
    ps_point q[4];
    ps_image *whole = drawn_card(g4444, &kept, &head, q);
    int x0 = 190 + 3 * 46 + 24;
    ps_image *img = crop_cols(whole, x0, whole->width);
    for (int i = 0; i < 4; i++)
        q[i].x -= x0;
    kept.x -= x0;
    ps_box rest = {0, head.y, head.x + head.w - x0, head.h};
    ps_image *red = drawn_redacted(img, q);
    ck_assert_double_eq(filled_fraction(red, kept), 0.0);
    ck_assert_double_eq(filled_fraction(red, rest), 1.0);
    ps_image_free(&red);
    ps_image_free(&img);
    ps_image_free(&whole);
}
END_TEST

/* An Amex's 4-6-5 is not the same upside down (5-6-4): its lattice shows
 * the reading order, so its last 4 stay even when no text confirmed the
 * card's turn. An Amex lying upside down (5-6-4 as rectified) is planned
 * again a half turn round: its last 4, the left 4 glyphs as drawn, stay
 * and the rest of its number is filled. The same Amex with its first five
 * digits out of the photo at the left keeps its last 4 too. */
START_TEST(drawn_amex_lattice_confirms_its_turn)
{
    static const int g465[] = {4, 6, 5, 0}, g564[] = {5, 6, 4, 0};
    ps_box kept, head;
    ps_point q[4];
    ps_ocr *ocr = NULL;
    ck_assert_int_eq(ps_ocr_new(NULL, NULL, &ocr), PS_OK);
    for (int flip = 0; flip < 2; flip++) {
        ps_image *img = drawn_card(flip ? g564 : g465, &kept, &head, q);
        ps_redact_plan *plan = calloc(1, sizeof *plan);
        ps_image *red = redact_drawn_as(ocr, img, q, 0, plan);
        if (!flip) {
            ck_assert_double_eq(filled_fraction(red, kept), 0.0);
            ck_assert_double_eq(filled_fraction(red, head), 1.0);
        } else {
            /* its true last 4: drawn glyphs 0-3; glyph 4 on is its head */
            ps_box last4 = {head.x, head.y, 3 * 46 + 26, head.h};
            ps_box rest = {head.x + 4 * 46, head.y, kept.x + kept.w - (head.x + 4 * 46), head.h};
            ck_assert_double_eq(filled_fraction(red, last4), 0.0);
            ck_assert_double_eq(filled_fraction(red, rest), 1.0);
        }
        ck_assert_int_eq(plan->turned, flip);
        ck_assert_int_eq(plan->anchored, 0); /* an Amex's CID zone stands on the outline */
        ps_redact_plan_clear(plan);
        free(plan);
        ps_image_free(&red);
        ps_image_free(&img);
    }
    /* cut at the left: the photo starts 20 px left of the sixth glyph */
    ps_image *whole = drawn_card(g465, &kept, &head, q);
    int x0 = 190 + 5 * 46 + 28 - 20;
    ps_image *img = crop_cols(whole, x0, whole->width);
    for (int i = 0; i < 4; i++)
        q[i].x -= x0;
    kept.x -= x0;
    ps_box rest = {0, head.y, head.x + head.w - x0, head.h};
    ps_redact_plan *plan = calloc(1, sizeof *plan);
    ps_image *red = redact_drawn_as(ocr, img, q, 1, plan);
    ck_assert_double_eq(filled_fraction(red, kept), 0.0);
    ck_assert_double_eq(filled_fraction(red, rest), 1.0);
    ps_redact_plan_clear(plan);
    free(plan);
    ps_image_free(&red);
    ps_image_free(&img);
    ps_image_free(&whole);
    ps_ocr_free(&ocr);
}
END_TEST

/* An Amex whose number line falls to the right on the rectified card
 * (0.04 px per px: its left end half a glyph height above its last 4),
 * its CID printed as on the card 0.6 glyph heights above the number's
 * end, below the zone's own bottom: the last 4 stay, the CID is filled
 * (its zone is drawn down to 0.45 heights above the kept group: gcc
 * 000052 showed its CID). */
START_TEST(drawn_amex_tilted_hides_its_cid)
{
    static const int g465[] = {4, 6, 5, 0};
    ps_box kept, head;
    ps_point q[4];
    ps_image *img = drawn_card_ex(g465, 0.04, &kept, &head, q);
    /* the CID: 4 glyphs 14 x 20 over the number's end */
    ps_box cid = {kept.x + kept.w - 80, kept.y - 24 - 20, 4 * 20 - 6, 20};
    for (int k = 0; k < 4; k++)
        for (int y = cid.y; y < cid.y + 20; y++)
            memset(ps_image_row(img, y) + (size_t)(cid.x + 20 * k) * 3, 40, 14 * 3);
    ps_image *red = drawn_redacted(img, q);
    ck_assert_double_eq(filled_fraction(red, head), 1.0);
    ck_assert_double_eq(filled_fraction(red, cid), 1.0);
    ck_assert_double_eq(filled_fraction(red, kept), 0.0);
    ps_image_free(&red);
    ps_image_free(&img);
}
END_TEST

/* A drawn card back: the signature panel's line holds a group of 4 glyphs
 * (the last 4) and, apart and last on the line, a group of 3 (the CVV).
 * The CVV's zone then starts right of the 4, which stay; with the 3 drawn
 * as 4 (no CVV shape) the zone covers the panel's end as before. Each
 * also with the outline's corners given a half turn round (the card
 * upside down to the finder): the magnetic stripe, then at the bottom,
 * tells the turn and the plan is made again. */
START_TEST(drawn_card_back_keeps_last4_beside_cvv)
{
    for (int run = 0; run < 4; run++) {
        int cvv = 3 + run % 2, turn = run / 2 * 2;
        ps_image *img = NULL;
        ck_assert_int_eq(ps_image_new(1211, 838, 3, 0, &img), PS_OK);
        memset(img->data, 50, img->stride * (size_t)img->height);
        for (int y = 100; y < 738; y++)
            memset(ps_image_row(img, y) + 100 * 3, y >= 153 && y < 298 ? 30 : 225, 1011 * 3);
        /* (the magnetic stripe above: 8-31 % of the height) 4 glyphs at
         * 0.45-0.53 of the width, the CVV at 0.72 (as printed) */
        int x0[8], n = 0;
        for (int k = 0; k < 4; k++)
            x0[n++] = 100 + 455 + 20 * k;
        for (int k = 0; k < cvv; k++)
            x0[n++] = 100 + 728 + 20 * k;
        for (int i = 0; i < n; i++)
            for (int y = 100 + 286; y < 100 + 310; y++)
                memset(ps_image_row(img, y) + (size_t)x0[i] * 3, 40, 14 * 3);
        ps_box last4 = {x0[0], 100 + 286, x0[3] + 14 - x0[0], 24};
        ps_box code = {x0[4], 100 + 286, x0[n - 1] + 14 - x0[4], 24};
        const ps_point c[4] = {{100, 100}, {1111, 100}, {1111, 738}, {100, 738}};
        ps_point q[4];
        for (int i = 0; i < 4; i++)
            q[i] = c[(i + turn) % 4];
        ps_ocr *ocr = NULL;
        ck_assert_int_eq(ps_ocr_new(NULL, NULL, &ocr), PS_OK);
        ps_redact_plan *plan = calloc(1, sizeof *plan);
        ps_redact_opts o = {0};
        o.type = PS_DOC_CREDIT_CARD;
        o.side = PS_SIDE_BACK;
        o.doc_quad = q;
        ck_assert_int_eq(ps_redact_plan_make(ocr, img, &o, plan), PS_OK);
        ps_image *red = NULL;
        ck_assert_int_eq(ps_image_clone(img, &red), PS_OK);
        ck_assert_int_eq(ps_redact_apply(red, plan), PS_OK);
        ck_assert_msg(filled_fraction(red, code) == 1.0, "cvv %d turn %d: code not masked", cvv, turn);
        if (cvv == 3) {
            ck_assert_double_eq(filled_fraction(red, last4), 0.0);
            ck_assert_int_eq(plan->turned, turn != 0);
        } else {
            ck_assert_double_gt(filled_fraction(red, last4), 0.0);
        }
        drawn_free(&ocr, plan, &red, &img);
    }
}
END_TEST

/* A drawn card back (dark, 1011 x 638 on a darker photo) as bench/gen
 * prints one: the signature panel at 7-68 % of the width, the CVV's white
 * box at 70-84 %, both at 39-56 % of the height; the last 4 (4 blocks) at
 * the panel's end, the code (3 blocks) in the box, or (`on_panel`) both on
 * the panel with the box left empty. Moved while the photo was taken (a
 * 31-px motion blur), so no digit can be cut out alone. */
static ps_image *drawn_back(int on_panel, ps_box *last4, ps_box *code)
{
    ps_image *img = NULL;
    ck_assert_int_eq(ps_image_new(1211, 838, 3, 0, &img), PS_OK);
    memset(img->data, 30, img->stride * (size_t)img->height);
    for (int y = 100; y < 738; y++) {
        uint8_t *row = ps_image_row(img, y);
        memset(row + 100 * 3, y >= 153 && y < 298 ? 15 : 90, 1011 * 3);
        if (y >= 348 && y < 455) {
            memset(row + (100 + 71) * 3, 240, 615 * 3);
            memset(row + (100 + 707) * 3, 250, 142 * 3);
        }
    }
    int x4 = 100 + 472, xc = on_panel ? 100 + 572 : 100 + 740;
    for (int y = 390; y < 414; y++) {
        for (int k = 0; k < 4; k++)
            memset(ps_image_row(img, y) + (size_t)(x4 + 20 * k) * 3, 40, 14 * 3);
        for (int k = 0; k < 3; k++)
            memset(ps_image_row(img, y) + (size_t)(xc + 20 * k) * 3, 40, 14 * 3);
    }
    *last4 = (ps_box){x4, 390, 74, 24};
    *code = (ps_box){xc, 390, 54, 24};
    motion_blur(img, 31);
    return img;
}

/* A card front whose number shows nothing to read or measure: its
 * outline is a card's when the EMV chip's plate stands at its place on
 * it (plan->located: the bare-number check is not needed), and nothing
 * says so without the plate. */
START_TEST(chip_says_the_outline_is_a_card)
{
    for (int chip = 0; chip < 2; chip++) {
        ps_image *img = NULL;
        ck_assert_int_eq(ps_image_new(1211, 838, 3, 0, &img), PS_OK);
        memset(img->data, 50, img->stride * (size_t)img->height);
        fill_box(img, (ps_box){100, 100, 1011, 638}, 225);
        if (chip) /* a gold plate, its contacts cut in it */
            for (int y = 315; y < 425; y++)
                for (int x = 215; x < 345; x++) {
                    uint8_t *p = ps_image_row(img, y) + (size_t)x * 3;
                    int cut = x == 258 || x == 301 || y == 370;
                    p[0] = cut ? 150 : 205;
                    p[1] = cut ? 130 : 170;
                    p[2] = 80;
                }
        const ps_point q[4] = {{100, 100}, {1111, 100}, {1111, 738}, {100, 738}};
        ps_redact_opts o = {0};
        o.type = PS_DOC_CREDIT_CARD;
        o.side = PS_SIDE_FRONT;
        o.doc_quad = q;
        ps_ocr *ocr = NULL;
        ck_assert_int_eq(ps_ocr_new(NULL, NULL, &ocr), PS_OK);
        ps_redact_plan *plan = calloc(1, sizeof *plan);
        ck_assert_ptr_nonnull(plan);
        ck_assert_int_eq(ps_redact_plan_make(ocr, img, &o, plan), PS_OK);
        ck_assert_int_eq(plan->uncertain, 1);
        ck_assert_int_eq(plan->located, chip);
        ps_redact_plan_clear(plan);
        free(plan);
        ps_ocr_free(&ocr);
        ps_image_free(&img);
    }
}
END_TEST

/* A rectified back whose panel's line tilts as a rough outline leaves it
 * (gc41 000073: the code 10 px above the last 4, 230 px on): the last 4
 * and the code by their glyphs still. */
START_TEST(back_last4_on_a_tilted_line)
{
    for (int tilt = 0; tilt < 2; tilt++) {
        ps_image *doc = NULL;
        ck_assert_int_eq(ps_image_new(1011, 638, 3, 0, &doc), PS_OK);
        memset(doc->data, 90, doc->stride * (size_t)doc->height);
        fill_box(doc, (ps_box){0, 60, 1011, 145}, 15);   /* the stripe */
        fill_box(doc, (ps_box){71, 248, 700, 107}, 240); /* the panel */
        double slope = tilt ? -0.045 : 0;
        for (int k = 0; k < 7; k++) {
            int x = k < 4 ? 472 + 20 * k : 700 + 20 * (k - 4);
            int y = 290 + (int)lround(slope * (x - 472));
            fill_box(doc, (ps_box){x, y, 14, 24}, 40);
        }
        ps_box kept = {0, 0, 0, 0};
        int found = 0;
        ck_assert_int_eq(ps__back_last4(doc, &kept, &found), PS_OK);
        ck_assert_msg(found == 1, "tilt %d: not found", tilt);
        ck_assert_int_eq(kept.x, 472);
        ck_assert_int_eq(kept.x + kept.w, 472 + 74);
        ps_image_free(&doc);
    }
}
END_TEST

/* A blurred back keeps its last 4 by its panels: the code's box is masked
 * from the panel's last print on, the last 4 left as they are. With the
 * code on the panel beside the last 4 and an empty box, the panel does
 * not say where the code ends: the zone covers both. */
START_TEST(blurred_back_keeps_last4_by_its_panels)
{
    for (int on_panel = 0; on_panel < 2; on_panel++) {
        ps_box last4, code;
        ps_image *img = drawn_back(on_panel, &last4, &code);
        const ps_point q[4] = {{100, 100}, {1111, 100}, {1111, 738}, {100, 738}};
        ps_ocr *ocr = NULL;
        ck_assert_int_eq(ps_ocr_new(NULL, NULL, &ocr), PS_OK);
        ps_redact_plan *plan = calloc(1, sizeof *plan);
        ck_assert_ptr_nonnull(plan);
        ps_image *red = redact_drawn_side(ocr, img, q, PS_SIDE_BACK, 0, plan);
        /* the code and the blur it spreads */
        ps_box smear = {code.x - 15, code.y, code.w + 30, code.h};
        ck_assert_msg(filled_fraction(red, smear) == 1.0, "on_panel %d: code not masked", on_panel);
        if (on_panel)
            ck_assert_double_gt(filled_fraction(red, last4), 0.0);
        else
            ck_assert_msg(filled_fraction(red, last4) == 0.0, "last 4 masked");
        drawn_free(&ocr, plan, &red, &img);
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("redact");
    TCase *pure = tcase_create("pure");
    tcase_add_test(pure, mynumber_check_digit_table);
    tcase_add_test(pure, luhn_table);
    tcase_add_test(pure, pan_grouped_keeps_last4);
    tcase_add_test(pure, pan_one_word_and_split_groups);
    tcase_add_test(pure, pan_ocr_confusions);
    tcase_add_test(pure, pan_half_covered_still_masked);
    tcase_add_test(pure, pan_unchecked_reading_keeps_nothing);
    tcase_add_test(pure, pan_not_phone_or_date);
    tcase_add_test(pure, mynumber_needs_context);
    tcase_add_test(pure, resident_code_and_insurance);
    tcase_add_test(pure, cvv_back_and_amex_front);
    tcase_add_test(pure, geometry_finds_the_last_group);
    tcase_add_test(pure, geometry_refuses_what_it_cannot_tell);
    tcase_add_test(pure, geometry_open_ends);
    tcase_add_test(pure, geometry_slanted_line);
    tcase_add_test(pure, groups_find_the_last_of_four);
    tcase_add_test(pure, bare_words_on_a_tilted_row);
    tcase_add_test(pure, groups_find_an_amex_and_its_turn);
    tcase_add_test(pure, back_panels_keep_the_last4_left_of_the_box);
    tcase_add_test(pure, back_keeps_the_last4_when_its_cvv_is_not_seen);
    tcase_add_test(pure, back_last4_on_a_tilted_line);
    tcase_add_test(pure, window_digits_beyond_the_kept_four);
    tcase_add_test(pure, pan_policy_keeps_no_last4);
    tcase_add_test(pure, optional_fields_by_label);
    tcase_add_test(pure, lattice_search_drops_joins_and_turns);
    tcase_add_test(pure, upright_words_confirm_the_turn);
    tcase_add_test(pure, text_table);
    tcase_add_test(pure, text_report_and_log_line);
    tcase_add_test(pure, warp_maps_pixel_centres_and_repeats_edges);
    tcase_add_test(pure, apply_fills_solid_and_spares_kept_side);
    tcase_add_test(pure, line_reset_drops_a_zeros_inner_dot);
    tcase_add_test(pure, apply_fills_upright_box_of_tilted_quad);
    tcase_add_test(pure, verify_row_of_a_glyph_mask_is_its_neighbourhood);
    suite_add_tcase(s, pure);
    TCase *img = tcase_create("images");
    tcase_set_timeout(img, 300);
    tcase_add_test(img, image_credit_card_front);
    tcase_add_test(img, image_credit_card_back);
    tcase_add_test(img, back_code_read_alone_spares_the_panel);
    tcase_add_test(img, blurred_back_keeps_last4_by_its_panels);
    tcase_add_test(img, chip_says_the_outline_is_a_card);
    tcase_add_test(img, verify_reads_a_glyph_mask_that_slid);
    tcase_add_test(img, image_my_number_back);
    tcase_add_test(img, back_plan_reuses_the_read_stage_reading);
    tcase_add_test(img, verify_reads_the_row_beside_a_misplaced_mask);
    tcase_add_test(img, image_certificate_with_my_number);
    tcase_add_test(img, image_shadowed_certificate);
    tcase_add_test(img, certificate_label_without_number_masks_its_row);
    tcase_add_test(img, page_lines_tell_a_page_read_and_mask_labelled_rows);
    tcase_add_test(img, image_health_insurance);
    tcase_add_test(img, image_corpus_credit_cards);
    tcase_add_test(img, cut_card_keeps_no_last4);
    tcase_add_loop_test(img, plan_reuses_the_callers_rectified_card, 0, 2);
    tcase_add_loop_test(img, drawn_card_keeps_last_group_by_geometry, 0, 2);
    tcase_add_loop_test(img, drawn_card_keeps_nothing_when_its_turn_is_unknown, 0, 2);
    tcase_add_test(img, drawn_card_inconsistent_groups_fill_all);
    tcase_add_test(img, drawn_card_cut_inside_last_group_keeps_its_start);
    tcase_add_test(img, drawn_amex_lattice_confirms_its_turn);
    tcase_add_test(img, drawn_card_cut_through_first_group_keeps_last4);
    tcase_add_test(img, drawn_amex_tilted_hides_its_cid);
    tcase_add_test(img, drawn_card_back_keeps_last4_beside_cvv);
    tcase_add_test(img, verify_widens_a_missed_number);
    tcase_add_test(img, plan_without_quad_is_unsafe_when_nothing_found);
    suite_add_tcase(s, img);
    return s;
}

int main(void)
{
    return ps_test_run(suite());
}
