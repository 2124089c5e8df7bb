/* Card numbers (PAN) among digit runs.
 *
 * A PAN has 13 to 19 digits. Cards print it in a few shapes: 4-4-4-4
 * (Visa, Mastercard, JCB), 4-6-5 (Amex), 4-6-4 (Diners), 4-4-4-4-3 (19
 * digits), or one unbroken run on statements. The shape is the first
 * evidence, the Luhn check the second, the document type the third: a
 * misread digit breaks Luhn, so on a credit card any card-shaped run is
 * masked; elsewhere an unbroken run must also pass Luhn (13+ digit
 * reference numbers exist on bills). Everything but the last 4 is masked and
 * those 4 are recorded as `kept`. A number only partly read on a card front
 * (8-12 digits in 4-digit groups: a thumb, glare) is masked whole and the
 * plan is marked uncertain, since which 4 are the last cannot be known.
 */
#include <string.h>

#include "redact/redact_int.h"

/* Card-number digit counts (ISO/IEC 7812). */
#define PS__PAN_MIN 13
#define PS__PAN_MAX 19
/* A partial number on a card front: at least two 4-digit groups. */
#define PS__PARTIAL_MIN 8

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

/* A partly read number: 2-3 groups of 4 (the last may be shorter). */
static int partial_shape(const ps__run *r, int g0, int g1, int *total)
{
    int k = g1 - g0 + 1, t = 0;
    for (int g = g0; g <= g1; g++)
        t += ps__run_group_len(r, g);
    *total = t;
    if (k < 2 || t < PS__PARTIAL_MIN || t >= PS__PAN_MIN)
        return 0;
    for (int g = g0; g < g1; g++)
        if (ps__run_group_len(r, g) != 4)
            return 0;
    return 1;
}

static void add_pan(ps__run *r, int a, int n, ps_redact_plan *plan)
{
    char head[PS__PAN_MAX + 1], last[5];
    ps__run_digits(r, a, a + n - 4, head);
    ps__run_digits(r, a + n - 4, a + n, last);
    ps_redact_item *it = ps__plan_add(plan, PS_REDACT_PAN, ps__run_box(r, a, a + n - 4), head);
    if (it != NULL)
        memcpy(it->kept, last, sizeof last);
    ps__wipe(head, sizeof head);
}

void ps__find_pan(ps__runs *runs, ps_doctype type, ps_side side, ps_redact_plan *plan)
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
                if (luhn || (shape == SHAPE_GROUPED && card_or_unknown) ||
                    (shape == SHAPE_PLAIN && card_or_unknown)) {
                    add_pan(r, a, total, plan);
                    r->used = 1;
                    matched = 1;
                    g0 = g1;
                }
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
        if (!partial_shape(r, 0, r->n_groups - 1, &total))
            continue;
        ps__plan_add(plan, PS_REDACT_PAN, ps__run_box(r, 0, r->n), NULL);
        char digits[PS__RUN_MAX_DIGITS + 1];
        ps__run_digits(r, 0, r->n, digits);
        if (plan->n > 0)
            memcpy(plan->items[plan->n - 1].digits, digits,
                   (size_t)r->n < PS_REDACT_DIGITS_MAX ? (size_t)r->n + 1 : 0);
        ps__wipe(digits, sizeof digits);
        r->used = 1;
        plan->uncertain = 1;
        for (size_t j = 0; j < runs->n; j++) {
            ps__run *o = &runs->r[j];
            if (o->used || o->line != r->line || o->n != 4)
                continue;
            ps__run_digits(o, 0, o->n, digits);
            ps__plan_add(plan, PS_REDACT_PAN, ps__run_box(o, 0, o->n), digits);
            ps__wipe(digits, sizeof digits);
            o->used = 1;
        }
    }
}
