/* prescreen — redaction: card numbers, CVVs, My Numbers and the other
 * numbers a stored image or report must never show.
 *
 * Three steps, run on one upload by one thread:
 *
 *   ps_redact_plan_make()  OCR the document (rectified when its quad is
 *                          known), find the sensitive digit runs and the My
 *                          Number QR code, fall back to fail-closed template
 *                          zones where an expected number was not located;
 *   ps_redact_apply()      fill every planned quad solid (no blur: blur can
 *                          be undone) on the full-resolution image;
 *   ps_redact_verify()     re-OCR every filled region and its surroundings;
 *                          widen and retry while any 4-digit piece of a
 *                          masked number is still readable; give up = unsafe
 *                          (and ps_redact_bare_number() for a card whose
 *                          outline located no number).
 *
 * The plan is computed on whatever copy the caller chooses (the working
 * copy for speed, or the full image for small print): `scale` says how many
 * of its pixels make one full-resolution pixel, and every quad in the plan
 * is in full-resolution upright pixels, as the report's boxes are.
 *
 * ps_redact_find() is the pure part (digit runs from OCR words, with their
 * labels and the document type as context) and ps_redact_text() masks
 * numbers in strings going into reports and logs.
 *
 * Secrets: a plan holds the digits it masked (items[].digits) in memory so
 * that verify can look for them. They must never be stored, logged or
 * printed; ps_redact_plan_clear() wipes them. Nothing else in this module
 * keeps, returns or prints a sensitive number. Error messages never hold
 * recognised text.
 *
 * Thread rules: every function is reentrant; the ps_ocr engine passed in
 * belongs to the calling thread (see prescreen/ocr.h).
 */
#ifndef PRESCREEN_REDACT_H
#define PRESCREEN_REDACT_H

#include <stddef.h>

#include "prescreen/doctype.h"
#include "prescreen/image.h"
#include "prescreen/ocr.h"
#include "prescreen/report.h"
#include "prescreen/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a planned mask hides. The names are SPEC §5's sensitive types. */
typedef enum ps_redact_type {
    PS_REDACT_PAN = 0,        /* card number, all digits but the last 4 */
    PS_REDACT_CVV,            /* CVV/CVC (3 digits, back) or Amex CID (4, front) */
    PS_REDACT_MY_NUMBER,      /* 12-digit individual number (個人番号) */
    PS_REDACT_MY_NUMBER_QR,   /* the QR code on the My Number card's back */
    PS_REDACT_RESIDENT_CODE,  /* 住民票コード (11 digits) on a 住民票 */
    PS_REDACT_INSURER_NUMBER, /* 保険者番号 on a health insurance card */
    PS_REDACT_INSURED_NUMBER, /* 記号・番号 on a health insurance card */
    PS_REDACT_DOMICILE,       /* 本籍 (and 筆頭者): only when the policy asks */
    PS_REDACT_ORGAN_DONATION, /* the organ-donation field: only by policy */
    PS_REDACT_TYPE_COUNT_     /* not a type: one past the last */
} ps_redact_type;

/*! ps_redact_type_name() : "pan", "cvv", "my_number", "my_number_qr",
 *  "resident_code", "insurer_number", "insured_number",
 *  "registered_domicile", "organ_donation"; "unknown" for out-of-range
 *  values. Static, thread-safe. */
const char *ps_redact_type_name(ps_redact_type t);

/* Most masks one plan holds (a 住民票 of a household lists a few people). */
#define PS_REDACT_MAX_ITEMS 32
/* Longest digit run a plan item remembers (a PAN is at most 19). */
#define PS_REDACT_DIGITS_MAX 24

typedef struct ps_redact_item {
    ps_redact_type type;
    ps_point quad[4];     /* TL, TR, BR, BL: the area to fill, before the
                             margin, in full-resolution upright pixels */
    ps_box box;           /* bounding box of quad (same pixels) */
    char kept[8];         /* PAN: the last 4 digits left visible ("" when the
                             number was not fully read); else "" */
    int zone;             /* 1: a fail-closed template zone (or the line of a
                             number's label), not located digits */
    int partial;          /* 1: digits located but read only in part (or a
                             check digit failed): masked whole, uncertain */
    int grow;             /* extra margin rounds added by verify */
    int glyphs;           /* 1: quad is the box of the digits' own glyphs,
                             cut out on the card and read one digit per
                             glyph (a number line's close reading); 0: a
                             word box from a reading, which may sit beside
                             its digits (see ps_redact_verify()) */
    int spare;            /* sides of the quad that border a PAN's last 4
                             left visible (PS_REDACT_SPARE_* bits): the mask
                             keeps a 1 px margin there and spares what lies
                             wholly beyond. A PAN read whole has kept[] and
                             spares its right side; a PAN whose last group
                             was told by its glyphs' geometry but not read
                             has kept "" and spare set on the four masks
                             around the group (verify fills the window
                             when more than 4 digits read there); a CVV zone may
                             spare the side toward the last 4 (a card back's
                             panel, an Amex CID above the number's end).
                             A band masked by policy (registered_domicile,
                             organ_donation) spares its top and bottom so
                             that it is filled as itself on a tilted card,
                             not as its upright box (src/redact/optional.c). */
    char digits[PS_REDACT_DIGITS_MAX]; /* PRIVATE SECRET: the digits under
                             the mask, for verify only. Never store, log or
                             print; wiped by ps_redact_plan_clear(). "" for
                             zones and QR codes. */
} ps_redact_item;

/* ps_redact_item.spare bits. */
#define PS_REDACT_SPARE_RIGHT 1
#define PS_REDACT_SPARE_LEFT 2
#define PS_REDACT_SPARE_BOTTOM 4
#define PS_REDACT_SPARE_TOP 8

typedef struct ps_redact_plan {
    ps_redact_item items[PS_REDACT_MAX_ITEMS];
    size_t n;
    int full_width, full_height; /* the image the quads refer to */
    ps_box doc_box;   /* the document outline's upright box in full pixels,
                         every digit read by the plan lies inside it; w = 0
                         when there was no outline (the whole image read) */
    int uncertain;    /* report `redaction_uncertain`: a template zone stood
                         in for digits that were not read with confidence,
                         or a number was only partly read */
    int unsafe;       /* the plan cannot make the image safe (expected
                         numbers on a document with no quad and no reading,
                         or more items than fit): do not store the image */
    int anchored;     /* a card number's lattice was found on the outline
                         and masked around its last group: the masks sit
                         on the number's own glyphs, so they do not depend
                         on the outline being exact (see checks/redact.c) */
    int located;      /* a card number was read whole or its lattice
                         found on the outline, or a front's EMV chip
                         stands at its place on it: the outline is a
                         card's, whatever zones stand in for
                         (checks/redact.c) */
    int outline_doubt; /* the outline lacks what its document must show
                         (a card back's magnetic stripe): zones placed on
                         it may lie on another object (checks/redact.c) */
    int page_read;    /* a page (paper) the caller read line by line
                         (ps_redact_opts.page_lines) shows no number left
                         bare: every line holding a run of 8 or more digits
                         lies under an item, and the reading named enough
                         of a 住民票's row labels to stand for the page */
    int turned;       /* planned a half turn from the outline's order: the
                         number's glyphs showed the card upside down (an
                         Amex's 5-6-4), and zones follow the true order */
    int ocr_calls;    /* tesseract calls made by plan and verify */
    double ocr_ms;    /* time spent in them */
    int verify_skipped; /* verify readings not needed: a mask on its
                           digits' glyphs whose row shows no ink of 4
                           digits outside the masks (ps_redact_verify()) */
} ps_redact_plan;

/*! ps_redact_plan_clear() : wipes the plan (secrets included, with writes
 *  the compiler may not drop) and leaves it empty. Accepts NULL. */
void ps_redact_plan_clear(ps_redact_plan *plan);

/* What the caller knows about the image being planned. Zero-initialise,
 * then set what is known. */
typedef struct ps_redact_opts {
    ps_doctype type;          /* PS_DOC_UNKNOWN = unknown: every rule applies */
    ps_side side;             /* PS_SIDE_NONE = unknown */
    const ps_point *doc_quad; /* 4 corners TL, TR, BR, BL of the document in
                                 the planned image's pixels (upright reading
                                 order); NULL = not found. Not kept. */
    double scale;             /* planned-image pixels per full-resolution
                                 pixel (the job's work_scale); 0 = 1 */
    int full_width, full_height; /* full-resolution size; 0 = the planned
                                 image's size divided by scale */
    int deadline_ms;          /* budget for the OCR of the plan; 0 = none */
    int upright_known;        /* text read on the document (a card's expiry,
                                 its holder's name) confirms doc_quad's
                                 reading order; without it a 4-4-4-4 number
                                 upside down looks the same, and a last group
                                 told by geometry alone may be the first:
                                 none is kept then */
    /* A whole-document reading the caller already made (the read stage on
     * a credit-card back): words and lines in the pixels of the document
     * rectified from doc_quad to doc_read_width x doc_read_height, read with
     * ps_redact_read_params(). It stands in for the plan's own first
     * whole-document reading when a quad is given and the plan rectifies to
     * that same size; otherwise it is ignored and the plan reads itself.
     * NULL = read here. Not kept. */
    const ps_ocr_result *doc_read;
    int doc_read_width, doc_read_height;
    /* A page the read stage read line by line (paper without a field
     * template): its lines, in the pixels of that same doc_read_width x
     * doc_read_height document. A number's label among them whose number
     * the plan did not find has its row masked, and they tell whether the
     * page shows a number left bare (plan.page_read). NULL = none. Not kept. */
    const ps_ocr_line *page_lines;
    size_t n_page_lines;
    /* The document the caller rectified from doc_quad (the read stage's,
     * corners on the pixel centres of its doc_read_width x doc_read_height
     * pixels, as ps_cv_rectify() maps them): stands in for the plan's own
     * rectification when the plan rectifies to that same size. NULL =
     * rectified here. Not kept. */
    const ps_image *doc_image;
    /* The policy (SPEC §7, prescreen/policy.h): */
    int mask_whole_pan;       /* pan_keep_last 0: no last 4 is kept, a card
                                 number is masked whole */
    unsigned optional;        /* PS_REDACT_OPT_* fields masked too, found by
                                 their labels in a whole-document reading */
} ps_redact_opts;

/* ps_redact_opts.optional bits. */
#define PS_REDACT_OPT_DOMICILE 1u       /* 本籍 and 筆頭者 */
#define PS_REDACT_OPT_ORGAN_DONATION 2u /* 臓器提供意思表示欄 */

/*! ps_redact_read_params() :
 *  The OCR settings of the plan's first whole-document reading for a
 *  document of `type` (sparse text, Otsu; English only on a credit card;
 *  the background divided out first on paper),
 *  with `deadline_ms` (0 = none): what a reading handed in as
 *  ps_redact_opts.doc_read must have been made with. */
void ps_redact_read_params(ps_doctype type, int deadline_ms, ps_ocr_params *p);

/*! ps_redact_plan_make() :
 *  Plans the masks for `img` (gray or RGB; the working copy or the full
 *  image). With a quad, the document is rectified and read there, and the
 *  fail-closed zones of its type apply when an expected number is not
 *  found; without one, the whole image is read. The My Number QR code is
 *  looked for on My Number card backs and on unknown documents.
 *  *out is cleared first. Keeps no pointer to img or opts.
 *  @return PS_OK (read out->uncertain and out->unsafe); PS_E_ARG for NULL
 *          arguments or a bad scale; PS_E_DEADLINE (then out->unsafe = 1);
 *          PS_E_OCR; PS_E_CV; PS_E_NOMEM. */
ps_status ps_redact_plan_make(ps_ocr *ocr, const ps_image *img, const ps_redact_opts *opts,
                              ps_redact_plan *out);

/*! ps_redact_find() :
 *  The pure finder: sensitive runs among OCR `words` (their `line` indexes
 *  point into `lines`, whose text gives the labels) for a document of
 *  `type` and `side`. Appends items to *plan with quads equal to the word
 *  boxes' digit parts, in the words' own pixels (the caller maps them).
 *  Digit runs are read through common OCR confusions (O→0, l→1, ...), one
 *  group may be split across words, and a run may be partly hidden.
 *   - PAN: 13–19 digits grouped like a card (4-4-4-4, 4-6-5, 4-4-4-4-3,
 *     one run), Luhn-valid or on a credit card; 8–12 digits in 4-groups on
 *     a credit card are masked whole (partly hidden; uncertain).
 *   - My Number: 12 digits (4-4-4 or one run) with a valid check digit AND
 *     context (label 個人番号/マイナンバー nearby, or a My Number card back /
 *     notification card); with the label, an invalid check digit is still
 *     masked (an OCR slip), and uncertain is set.
 *   - 住民票コード: 11 digits next to its label; 保険者番号 and 記号・番号:
 *     the digits after those labels on a health insurance card.
 *   - CVV: on a card back a lone 3-4 digit group (or the 3 after the last
 *     4); on an Amex front, a lone 4-digit group off the PAN line.
 *  @return PS_OK; PS_E_ARG for NULL plan or words with n_words > 0. */
ps_status ps_redact_find(const ps_ocr_word *words, size_t n_words, const ps_ocr_line *lines,
                         size_t n_lines, ps_doctype type, ps_side side, ps_redact_plan *plan);

/*! ps_redact_apply() :
 *  Fills every item's quad, grown by a margin (a fifth of its height plus
 *  2 px, more for each verify `grow` round), with solid black on `full`
 *  (gray or RGB), which must be plan->full_width x full_height. A PAN's
 *  kept last 4 are outside its quad and stay visible.
 *  @return PS_OK; PS_E_ARG for NULL arguments or a size mismatch. */
ps_status ps_redact_apply(ps_image *full, const ps_redact_plan *plan);

/*! ps_redact_verify() :
 *  After ps_redact_apply(): re-reads each masked region and a margin
 *  around it with tesseract (digits only): the row through the mask across
 *  the document's outline box, or, for a mask on its digits' own glyphs
 *  (item.glyphs), 8 of its heights either side of it. If any 4-digit piece of the
 *  item's digits is still readable, the item's margin grows (item->grow),
 *  the mask is applied again and the region is read again, up to
 *  PS_REDACT_VERIFY_ROUNDS times. Updates plan->ocr_calls/ocr_ms.
 *  @return PS_OK when nothing is readable; PS_E_UNSAFE when a piece was
 *          still readable after the last round (the image must not be
 *          stored) or when plan->unsafe is set; PS_E_DEADLINE; PS_E_ARG;
 *          PS_E_OCR; PS_E_NOMEM. */
ps_status ps_redact_verify(ps_ocr *ocr, ps_image *full, ps_redact_plan *plan, int deadline_ms);

/*! ps_redact_bare_number() :
 *  After ps_redact_apply(), for a card front whose masks stand on template
 *  zones and whose outline located no number nor chip (!plan->located): reads the
 *  whole masked image once more, digits only (longest side at most 1600
 *  px), and sets *bare = 1 when a row still shows a card number's groups
 *  (two or more of 3-5 digits side by side, 8 digits together). The
 *  outline may then be another object than the card (a sheet beside it,
 *  gc41 000040) and the image must not be stored. Counted in
 *  plan->ocr_calls/ocr_ms; the digits read are freed, never kept.
 *  @return PS_OK; PS_E_ARG; PS_E_DEADLINE; PS_E_OCR; PS_E_NOMEM. */
ps_status ps_redact_bare_number(ps_ocr *ocr, const ps_image *full, ps_redact_plan *plan, int deadline_ms,
                                int *bare);

/* Widening rounds verify tries before it declares the image unsafe. */
#define PS_REDACT_VERIFY_ROUNDS 3

/*! ps_redact_to_report() :
 *  Copies the plan into the report's `redactions` (type name, box, kept;
 *  never the digits), up to PS_MAX_REDACTIONS, and returns how many were
 *  written. Sets nothing else. Accepts NULL (returns 0). */
int ps_redact_to_report(const ps_redact_plan *plan, ps_report *r);

/*! ps_redact_upright_text() :
 *  1 when a word of `text` (words split by spaces) is a label or brand word
 *  printed on cards (VALID, THRU, CARD, VISA, ...), or two of them run
 *  together (VALIDTHRU), in letters with punctuation after it at most.
 *  Read surely at a turn, such a word shows the turn is the card's reading
 *  order: upside-down text never reads as one. Pure; NULL gives 0. */
int ps_redact_upright_text(const char *text);

/*! ps_redact_text() :
 *  Masks, in place, in the NUL-terminated UTF-8 string `s`: every run of
 *  13 or more digits (ASCII or full-width) except its last 4, and every
 *  12-digit run with a valid My Number check digit. Groups joined by one
 *  space or hyphen form one run when shaped like a card number or a My
 *  Number (4-4-4-4, 4-6-5, 4-4-4, ...); otherwise (a phone number beside a
 *  date) each group is judged alone. ASCII digits become '*', full-width
 *  digits '＊' (same byte length). Returns the number of digits masked.
 *  Accepts NULL (returns 0). */
int ps_redact_text(char *s);

/*! ps_mynumber_check_digit() :
 *  The check digit of the 11 base digits in `base11` (exactly 11 ASCII
 *  digits, nothing else): with P1..P11 counted from the rightmost digit and
 *  weights Qn = n+1 (n <= 6) or n-5 (n >= 7), 11 - (sum Pn*Qn mod 11), or 0
 *  when the remainder is 0 or 1. @return 0..9, or -1 for malformed input. */
int ps_mynumber_check_digit(const char *base11);

/*! ps_mynumber_valid() : 1 when `digits` is exactly 12 ASCII digits whose
 *  last is the check digit of the first 11, else 0. */
int ps_mynumber_valid(const char *digits);

#ifdef __cplusplus
}
#endif
#endif
