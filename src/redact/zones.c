/* Fail-closed template zones: where each document type prints the numbers
 * that must go, as fractions of the rectified document (x, y, w, h; 0..1,
 * upright). They stand in for digits that could not be located with
 * confidence, so they are generous: they cover the printed band with room
 * for the tilt a rectification from a rough quad leaves, and the plan that
 * uses one is marked `redaction_uncertain`.
 *
 * Positions: ID-1 cards after ISO/IEC 7811-1 and 7813 (the embossed card
 * number's line sits at about 55% of the card's height from the top; the
 * signature panel spans the back below the magnetic stripe, the CVV at its
 * right end), the My Number card after the published card face (個人番号
 * across the top of the back, the QR code in the lower right corner), and
 * checked against the labelled corpus (bench/gen draws the same layout).
 */
#include "redact/redact_int.h"

static const ps__zone cc_front[] = {
    {PS_REDACT_PAN, 0.03, 0.36, 0.94, 0.44, 0}, /* the number's line and tilt */
    {PS_REDACT_CVV, 0.70, 0.36, 0.22, 0.14, 0}, /* Amex CID above the number's end */
};
static const ps__zone cc_back[] = {
    {PS_REDACT_CVV, 0.56, 0.32, 0.43, 0.32, 1}, /* right end of the signature panel */
};
static const ps__zone mn_back[] = {
    {PS_REDACT_MY_NUMBER, 0.12, 0.00, 0.56, 0.33, 0},    /* 個人番号 band across the top */
    {PS_REDACT_MY_NUMBER_QR, 0.60, 0.36, 0.40, 0.64, 0}, /* QR code, lower right */
};
static const ps__zone mn_notice[] = {
    {PS_REDACT_MY_NUMBER, 0.08, 0.04, 0.40, 0.44, 0}, /* 個人番号 box, upper left */
};
static const ps__zone health[] = {
    {PS_REDACT_INSURED_NUMBER, 0.00, 0.10, 0.45, 0.28, 0}, /* 記号・番号 line */
    {PS_REDACT_INSURER_NUMBER, 0.15, 0.64, 0.35, 0.24, 0}, /* 保険者番号 line */
};

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static int pick(const ps__zone *z, int nz, ps_redact_type what, ps__zone *out, int max)
{
    int k = 0;
    for (int i = 0; i < nz && k < max; i++)
        if (z[i].type == what)
            out[k++] = z[i];
    return k;
}

int ps__zones_for(ps_doctype type, ps_side side, ps_redact_type what, ps__zone *out, int max)
{
    int k = 0;
    switch (type) {
    case PS_DOC_CREDIT_CARD:
        if (side != PS_SIDE_BACK)
            k += pick(cc_front, N(cc_front), what, out + k, max - k);
        if (side != PS_SIDE_FRONT)
            k += pick(cc_back, N(cc_back), what, out + k, max - k);
        return k;
    case PS_DOC_MY_NUMBER_CARD:
        return side == PS_SIDE_FRONT ? 0 : pick(mn_back, N(mn_back), what, out, max);
    case PS_DOC_MY_NUMBER_NOTIFICATION:
        return pick(mn_notice, N(mn_notice), what, out, max);
    case PS_DOC_HEALTH_INSURANCE_CARD:
        return pick(health, N(health), what, out, max);
    default:
        return 0;
    }
}

#define BIT(t) (1u << (t))

unsigned ps__expected_types(ps_doctype type, ps_side side)
{
    switch (type) {
    case PS_DOC_CREDIT_CARD:
        if (side == PS_SIDE_FRONT)
            return BIT(PS_REDACT_PAN);
        if (side == PS_SIDE_BACK)
            return BIT(PS_REDACT_CVV);
        return BIT(PS_REDACT_PAN) | BIT(PS_REDACT_CVV);
    case PS_DOC_MY_NUMBER_CARD:
        return side == PS_SIDE_FRONT ? 0 : BIT(PS_REDACT_MY_NUMBER) | BIT(PS_REDACT_MY_NUMBER_QR);
    case PS_DOC_MY_NUMBER_NOTIFICATION:
        return BIT(PS_REDACT_MY_NUMBER);
    case PS_DOC_HEALTH_INSURANCE_CARD:
        return BIT(PS_REDACT_INSURER_NUMBER) | BIT(PS_REDACT_INSURED_NUMBER);
    default:
        return 0;
    }
}

/* ID-1 card at 300 dpi: 85.60 x 53.98 mm. */
#define PS__ID1_W 1011
#define PS__ID1_H 638
/* Paper (A4 at 150 dpi) and other documents: this long side. */
#define PS__PAPER_LONG 1600

int ps__card_type(ps_doctype type)
{
    return type == PS_DOC_CREDIT_CARD || type == PS_DOC_MY_NUMBER_CARD ||
           type == PS_DOC_DRIVERS_LICENSE || type == PS_DOC_RESIDENCE_CARD ||
           type == PS_DOC_HEALTH_INSURANCE_CARD || type == PS_DOC_SPECIAL_PERMANENT_RESIDENT;
}

void ps__rectified_size(ps_doctype type, double quad_aspect, int *w, int *h)
{
    if (ps__card_type(type)) {
        *w = PS__ID1_W;
        *h = PS__ID1_H;
        return;
    }
    if (quad_aspect <= 0)
        quad_aspect = 1;
    if (quad_aspect >= 1) {
        *w = PS__PAPER_LONG;
        *h = (int)(PS__PAPER_LONG / quad_aspect);
    } else {
        *h = PS__PAPER_LONG;
        *w = (int)(PS__PAPER_LONG * quad_aspect);
    }
    if (*w < 1) *w = 1;
    if (*h < 1) *h = 1;
}
