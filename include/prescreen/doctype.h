/* prescreen — which document an image shows, from its text and layout.
 *
 * Keyword scoring over the OCR text (width- and space-folded), helped by
 * the layout: the rectified document's aspect ratio (ID-1 cards 1.586,
 * passports' data page 1.42, A4 paper 0.707), whether a face is printed on
 * it, and machine-readable signals (an ICAO MRZ, Luhn-valid card numbers).
 * Pure and thread-safe.
 */
#ifndef PRESCREEN_DOCTYPE_H
#define PRESCREEN_DOCTYPE_H

#include "prescreen/report.h"
#include "prescreen/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ps_doctype {
    PS_DOC_UNKNOWN = 0,
    PS_DOC_DRIVERS_LICENSE,          /* 運転免許証 */
    PS_DOC_MY_NUMBER_CARD,           /* 個人番号カード */
    PS_DOC_MY_NUMBER_NOTIFICATION,   /* 通知カード (not a photo ID) */
    PS_DOC_RESIDENCE_CARD,           /* 在留カード */
    PS_DOC_SPECIAL_PERMANENT_RESIDENT, /* 特別永住者証明書 */
    PS_DOC_PASSPORT,                 /* 旅券 / MRZ */
    PS_DOC_HEALTH_INSURANCE_CARD,    /* 被保険者証 / 保険証 */
    PS_DOC_CERTIFICATE_OF_RESIDENCE, /* 住民票 */
    PS_DOC_POSTAL_MAIL,
    PS_DOC_UTILITY_BILL,             /* 電気 / ガス / 水道 料金 */
    PS_DOC_TAX_RECEIPT,
    PS_DOC_BANK_STATEMENT,
    PS_DOC_CREDIT_CARD,
    PS_DOC_COUNT_                    /* not a type: one past the last */
} ps_doctype;

/* The side is the report's ps_side (prescreen/report.h): NONE when unknown. */

/* What the layout stages already know; zero/negative = unknown. */
typedef struct ps_doctype_hints {
    double aspect;  /* width / height of the rectified document; 0 unknown */
    int has_face;   /* 1 a printed portrait was found, 0 none, -1 unknown */
} ps_doctype_hints;

typedef struct ps_doctype_result {
    ps_doctype type;
    ps_side side;
    double score;      /* evidence for `type` (keyword weights summed) */
    double runner_up;  /* evidence for the next best type */
} ps_doctype_result;

/*! ps_doctype_classify() :
 *  Classifies from `text` (all OCR text of the document, any width/spacing)
 *  and optional `hints` (NULL = unknown). A type needs at least
 *  PS_DOCTYPE_MIN_SCORE of evidence, else PS_DOC_UNKNOWN.
 *  @return PS_OK and *out; PS_E_ARG for NULL text/out. */
ps_status ps_doctype_classify(const char *text, const ps_doctype_hints *hints,
                              ps_doctype_result *out);

/* Evidence needed before a type is named (one strong title keyword). */
#define PS_DOCTYPE_MIN_SCORE 3.0

/*! ps_doctype_name() : the report's snake_case name ("drivers_license",
 *  "my_number_card", ...); "unknown" for out-of-range values. Static. */
const char *ps_doctype_name(ps_doctype t);

/*! ps_doctype_from_name() : inverse of ps_doctype_name(); PS_DOC_UNKNOWN
 *  for NULL or an unknown name. */
ps_doctype ps_doctype_from_name(const char *name);

/*! ps_doc_side_name() : "front", "back" or NULL for unknown. */
const char *ps_doc_side_name(ps_side s);

/*! ps_doctype_is_photo_id() : 1 for the photo IDs the photo_id kind accepts
 *  (the notification card is not one), else 0. */
int ps_doctype_is_photo_id(ps_doctype t);

/*! ps_luhn_valid() : 1 when the digits of `digits` (other characters
 *  skipped) number 12..19 and pass the Luhn check, else 0. */
int ps_luhn_valid(const char *digits);

#ifdef __cplusplus
}
#endif
#endif
