/* Card numbers (PAN) among digit runs.
 *
 * A PAN has 13 to 19 digits. Cards print it in a few shapes: 4-4-4-4
 * (Visa, Mastercard, JCB), 4-6-5 (Amex), 4-6-4 (Diners), 4-4-4-4-3 (19
 * digits), or one unbroken run on statements. The shape is the first
 * evidence, the Luhn check the second, the document type the third: a
 * misread digit breaks Luhn, so on a credit card any card-shaped run is
 * masked; elsewhere an unbroken run must also pass Luhn (13+ digit
 * reference numbers exist on bills). Everything but the last 4 is masked and
 * those 4 are recorded as `kept`. A number only partly or oddly read on a
 * card front (6+ digits in 2+ groups, 5+ in one, a 4-4-4-x with a short
 * tail, 13+ digits in no card shape: a thumb, glare, embossing) is masked
 * whole and the plan is marked uncertain, since which 4 are the last cannot
 * be known; the fail-closed zone then covers the rest of the number's line.
 */
#include <stdio.h>
#include <string.h>

#include "prescreen/geom.h"
#include "redact/redact_int.h"

/* Card-number digit counts (ISO/IEC 7812). */
#define PS__PAN_MIN 13
#define PS__PAN_MAX 19
/* A partial number on a card front: this many digits in 2+ groups, or in
 * one group (longer than any date or year printed on a card). */
#define PS__PARTIAL_MIN 6
#define PS__PARTIAL_ONE 5

enum { SHAPE_NONE = 0, SHAPE_PLAIN, SHAPE_GROUPED };

/* The shape of groups [g0, g1] of run r, or SHAPE_NONE. */
static int card_shape(const ps__run *r, int g0, int g1, int *total)
{
    int k = g1 - g0 + 1, t = 0, lens[PS__RUN_MAX_GROUPS];
    for (int g = g0; g <= g1; g++) {
        lens[g - g0] = ps__run_group_len(r, g);
        t += lens[g - g0];
    }
    *total = t;
    if (t < PS__PAN_MIN || t > PS__PAN_MAX)
        return SHAPE_NONE;
    if (k == 1)
        return SHAPE_PLAIN;
    if (k == 3 && lens[0] == 4 && lens[1] == 6 && (lens[2] == 5 || lens[2] == 4))
        return SHAPE_GROUPED; /* Amex 4-6-5, Diners 4-6-4 */
    if (lens[0] != 4)
        return SHAPE_NONE;
    for (int i = 1; i < k - 1; i++)
        if (lens[i] != 4)
            return SHAPE_NONE;
    return lens[k - 1] >= 1 && lens[k - 1] <= 4 ? SHAPE_GROUPED : SHAPE_NONE;
}

/* A partly read number on a card front: 6 to 12 digits in two or more
 * groups, or one group of 5 to 12 (the embossed digits that were read; a
 * date or a 4-digit year stays out: they are one short group). */
static int partial_shape(const ps__run *r, int *total)
{
    *total = r->n;
    if (r->n >= PS__PAN_MIN)
        return 1; /* long but not card-shaped: misread grouping */
    if (r->n_groups >= 2)
        return r->n >= PS__PARTIAL_MIN;
    return r->n >= PS__PARTIAL_ONE;
}

/* A grouped 4-4-4-x run whose last group is short of 4 and whose total is
 * short of 16: the tail of the number was lost. */
static int incomplete(const ps__run *r, int g0, int g1, int total)
{
    if (g1 == g0 || total >= 16 || ps__run_group_len(r, g1) >= 4)
        return 0;
    return !(g1 - g0 == 2 && ps__run_group_len(r, g0 + 1) == 6); /* Amex/Diners are whole */
}

/* Masks digits [a, b) of r whole (a partly read number). */
static void add_whole(ps__run *r, int a, int b, ps_redact_plan *plan)
{
    char d[PS__RUN_MAX_DIGITS + 1];
    ps__run_digits(r, a, b, d);
    ps_redact_item *it = ps__plan_add(plan, PS_REDACT_PAN, ps__run_box(r, a, b), d);
    if (it != NULL)
        it->partial = 1;
    plan->uncertain = 1;
    ps__wipe(d, sizeof d);
}

static void add_pan(ps__run *r, int a, int n, int whole, ps_redact_plan *plan)
{
    if (whole) { /* the policy keeps no last 4: masked whole, and sure */
        char d[PS__RUN_MAX_DIGITS + 1];
        ps__run_digits(r, a, a + n, d);
        ps__plan_add(plan, PS_REDACT_PAN, ps__run_box(r, a, a + n), d);
        ps__wipe(d, sizeof d);
        return;
    }
    char head[PS__PAN_MAX + 1], last[5];
    ps__run_digits(r, a, a + n - 4, head);
    ps__run_digits(r, a + n - 4, a + n, last);
    ps_redact_item *it = ps__plan_add(plan, PS_REDACT_PAN, ps__run_box(r, a, a + n - 4), head);
    if (it != NULL)
        memcpy(it->kept, last, sizeof last);
    ps__wipe(head, sizeof head);
}

int ps__pan_unchecked(const ps_redact_item *it)
{
    if (it->type != PS_REDACT_PAN || it->zone || it->partial || !it->kept[0])
        return 0;
    char all[PS_REDACT_DIGITS_MAX + sizeof it->kept];
    snprintf(all, sizeof all, "%s%s", it->digits, it->kept);
    int luhn = ps_luhn_valid(all);
    ps__wipe(all, sizeof all);
    return !luhn;
}

void ps__pan_distrust(ps_redact_item *it, ps_box more)
{
    ps__wipe(it->kept, sizeof it->kept);
    it->partial = 1;
    it->box = ps_box_union(it->box, more);
}

void ps__find_pan(ps__runs *runs, ps_doctype type, ps_side side, int whole, ps_redact_plan *plan)
{
    int card = type == PS_DOC_CREDIT_CARD;
    int card_or_unknown = card || type == PS_DOC_UNKNOWN;
    for (size_t i = 0; i < runs->n; i++) {
        ps__run *r = &runs->r[i];
        if (r->used)
            continue;
        for (int g0 = 0; g0 < r->n_groups; g0++) {
            int matched = 0;
            for (int g1 = r->n_groups - 1; g1 >= g0 && !matched; g1--) {
                int total, shape = card_shape(r, g0, g1, &total);
                int a = g0 > 0 ? r->group_end[g0 - 1] : 0;
                if (shape == SHAPE_NONE)
                    continue;
                char digits[PS__PAN_MAX + 1];
                ps__run_digits(r, a, a + total, digits);
                int luhn = ps_luhn_valid(digits);
                ps__wipe(digits, sizeof digits);
                if (!(luhn || card_or_unknown))
                    continue;
                if (incomplete(r, g0, g1, total)) {
                    /* 4-4-4-x with x < 4: the number's end was not read,
                     * so its last 4 are not these; hide all of it */
                    add_whole(r, a, a + total, plan);
                } else {
                    add_pan(r, a, total, whole, plan);
                }
                r->used = 1;
                matched = 1;
                g0 = g1;
            }
        }
    }
    if (!card || side == PS_SIDE_BACK)
        return;
    /* Partly read numbers on a card front, and then every 4-digit group on
     * the same line: the unread rest of that number. */
    for (size_t i = 0; i < runs->n; i++) {
        ps__run *r = &runs->r[i];
        if (r->used)
            continue;
        int total;
        if (!partial_shape(r, &total))
            continue;
        add_whole(r, 0, r->n, plan);
        r->used = 1;
        plan->uncertain = 1;
        for (size_t j = 0; j < runs->n; j++) {
            ps__run *o = &runs->r[j];
            if (o->used || o->line != r->line || o->n != 4)
                continue;
            add_whole(o, 0, o->n, plan);
            o->used = 1;
        }
    }
}
