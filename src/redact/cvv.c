/* Card verification codes among digit runs.
 *
 * On a card back the CVV/CVC is 3 digits printed on or beside the
 * signature panel, often right after the last 4 of the card number
 * ("1234 567"). Nothing else on a back stands as a lone 3-digit group: the
 * service phone numbers are hyphenated groups (0120-000-000) and are read
 * as one run. A lone 4-digit group on a back is the last 4 (kept); 4 digits
 * followed by 3 are the last 4 and the CVV. On an Amex front the 4-digit
 * CID is printed apart from the number, above it: any lone 4-digit group
 * above a 15-digit number starting 34/37 is masked.
 */
#include <string.h>

#include "redact/redact_int.h"

/* CVV/CVC length on the back; Amex's CID on the front. */
#define PS__CVV_LEN 3
#define PS__CID_LEN 4

static void add_cvv(ps__run *r, int a, int b, ps_redact_plan *plan)
{
    char d[PS__CID_LEN + 1];
    ps__run_digits(r, a, b, d);
    ps__plan_add(plan, PS_REDACT_CVV, ps__run_box(r, a, b), d);
    ps__wipe(d, sizeof d);
}

/* The PAN item of an Amex front (15 digits = 11 masked, starting 34/37). */
const ps_redact_item *ps__amex_pan(const ps_redact_plan *plan)
{
    for (size_t i = 0; i < plan->n; i++) {
        const ps_redact_item *it = &plan->items[i];
        if (it->type == PS_REDACT_PAN && it->kept[0] && strlen(it->digits) == 11 &&
            it->digits[0] == '3' && (it->digits[1] == '4' || it->digits[1] == '7'))
            return it;
    }
    return NULL;
}

void ps__find_cvv(ps__runs *runs, ps_doctype type, ps_side side, int amex_front,
                  ps_redact_plan *plan)
{
    if (type != PS_DOC_CREDIT_CARD)
        return;
    if (side == PS_SIDE_BACK) {
        for (size_t i = 0; i < runs->n; i++) {
            ps__run *r = &runs->r[i];
            if (r->used)
                continue;
            if (r->n_groups == 1 && r->n == PS__CVV_LEN) {
                add_cvv(r, 0, r->n, plan);
                r->used = 1;
            } else if (r->n_groups == 2 && ps__run_group_len(r, 0) == 4 &&
                       ps__run_group_len(r, 1) == PS__CVV_LEN) {
                add_cvv(r, 4, r->n, plan); /* "last4 CVV" on the panel */
                r->used = 1;
            }
        }
        return;
    }
    const ps_redact_item *amex = ps__amex_pan(plan);
    if (amex == NULL && !amex_front)
        return;
    for (size_t i = 0; i < runs->n; i++) {
        ps__run *r = &runs->r[i];
        if (r->used || r->n_groups != 1 || r->n != PS__CID_LEN)
            continue;
        ps_box b = ps__run_box(r, 0, r->n);
        /* above the number's line (in the words' pixels, before mapping) */
        if (amex == NULL || b.y + b.h <= amex->box.y + amex->box.h / 2) {
            add_cvv(r, 0, r->n, plan);
            r->used = 1;
        }
    }
}
