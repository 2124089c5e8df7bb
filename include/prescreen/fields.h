/* prescreen — field extraction: names, dates, addresses, numbers.
 *
 * Two ways in. ps_fields_read() OCRs only the zones a document type's
 * template names (models/templates/<doc_type>_<side>.json, card-relative
 * boxes 0..1) on the rectified document, trying a short list of scales per
 * zone and keeping the first reading that validates (a date that parses, a
 * name that is not noise); without a template it falls back to line
 * detection on the crop. ps_fields_from_lines() extracts fields from OCR
 * lines by their labels (氏名, 住所, 生年月日, まで有効 ...), for documents
 * without a fixed layout. Dates are converted through prescreen/date.h.
 */
#ifndef PRESCREEN_FIELDS_H
#define PRESCREEN_FIELDS_H

#include "prescreen/date.h"
#include "prescreen/doctype.h"
#include "prescreen/image.h"
#include "prescreen/ocr.h"
#include "prescreen/report.h"
#include "prescreen/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ps_field_id and ps_field (text, confidence, box, iso, present) are the
 * report's own (prescreen/report.h): a reading goes to the report as is. */

typedef struct ps_fields {
    ps_field f[PS_FIELD_COUNT_];
    int zones_read;                 /* OCR calls made */
    double ocr_ms;                  /* time spent in OCR */
} ps_fields;

typedef struct ps_template ps_template;

/*! ps_template_load() : parses a zone template JSON file.
 *  @return PS_OK and *out (caller frees with ps_template_free());
 *          PS_E_IO; PS_E_MODEL when the JSON is invalid or a box is
 *          outside 0..1. */
ps_status ps_template_load(const char *path, ps_template **out);

/*! ps_template_load_for() : loads `<model_dir>/templates/<doc_type>_<side>
 *  .json` (side "front" when unknown); model_dir NULL = the build's
 *  models/ directory. @return as ps_template_load(); PS_E_IO when the type
 *  has no template. */
ps_status ps_template_load_for(const char *model_dir, ps_doctype type, ps_side side,
                               ps_template **out);

/*! ps_template_free() : releases `*t`, sets it to NULL; accepts NULL. */
void ps_template_free(ps_template **t);

/*! ps_fields_read() :
 *  OCRs the template's zones of `card` (the rectified document; zones scale
 *  with its size) and fills *out (zeroed first). With `tpl` NULL the text
 *  lines of the whole crop are found and read one by one, then passed to
 *  ps_fields_from_lines(). `now` (upload date) helps era-less dates; may be
 *  NULL. `deadline_ms` bounds the whole call (0 = none). Keeps no pointer.
 *  @return PS_OK (fields not found are left found = 0); PS_E_DEADLINE;
 *          PS_E_OCR; PS_E_ARG; PS_E_NOMEM. */
ps_status ps_fields_read(ps_ocr *ocr, const ps_image *card, ps_doctype type,
                         const ps_template *tpl, const ps_date *now, int deadline_ms,
                         ps_fields *out);

/*! ps_fields_read_lines() :
 *  Finds the text lines of `card` and reads each once at its own scale.
 *  `paper` 1: a page (a 住民票, a bill, mail) — its background is divided
 *  out before the lines are found (a tinted anti-copy pattern hides table
 *  rows otherwise), and a line read with Latin words is read again with
 *  the Japanese model alone (jpn+eng turns large kanji into Latin). When
 *  layout analysis finds fewer than three lines (print washed out to
 *  near-white), a card's lines are looked for again with the light divided
 *  out, then taken from its rows dense in vertical strokes, each read
 *  across the whole width.
 *  *lines_out (caller frees with ps_ocr_lines_free()) and *n_out are set
 *  even when the deadline ran out (what was read so far); `stats` gets the
 *  OCR call count and time added (its fields are not touched).
 *  @return PS_OK; PS_E_DEADLINE; PS_E_OCR; PS_E_ARG; PS_E_NOMEM (then
 *          *lines_out is NULL). */
ps_status ps_fields_read_lines(ps_ocr *ocr, const ps_image *card, int paper, int deadline_ms,
                               ps_ocr_line **lines_out, size_t *n_out, ps_fields *stats);

/*! ps_fields_read_postmark() :
 *  Finds the round date stamps (丸型日付印) on `page` (a rectified piece of
 *  mail, upright) and reads the era-less date between each one's bars
 *  (`7.10.30`; the era comes from `now`, the upload date) until one reads
 *  surely (an upside-down stamp does not) and parses as a date not after
 *  `now`. Sets out->f[PS_FIELD_POSTMARK_DATE], its box
 *  the stamp's ring in `page`'s pixels; leaves *out as it was when none
 *  reads. `deadline_ms` bounds the call (0 = none). Keeps no pointer.
 *  @return PS_OK (also when no stamp is found); PS_E_DEADLINE; PS_E_OCR;
 *          PS_E_ARG; PS_E_NOMEM; PS_E_CV. */
ps_status ps_fields_read_postmark(ps_ocr *ocr, const ps_image *page, const ps_date *now,
                                  int deadline_ms, ps_fields *out);

/*! ps_ocr_lines_free() : wipes and frees `n` lines from
 *  ps_fields_read_lines() and their array, sets *lines to NULL; accepts
 *  NULL. */
void ps_ocr_lines_free(ps_ocr_line **lines, size_t n);

/*! ps_fields_from_lines() :
 *  Extracts fields from OCR lines by their labels; fields already found in
 *  *out are kept (call with a zeroed *out to start afresh). The My Number
 *  itself is never extracted. @return PS_OK; PS_E_ARG for NULL. */
ps_status ps_fields_from_lines(ps_doctype type, const ps_ocr_line *lines, size_t n,
                               const ps_date *now, ps_fields *out);

#ifdef __cplusplus
}
#endif
#endif
