/* Private: reading one document from its outline — rectify, orient, classify,
 * read the fields. The read stage (checks/read.c) calls it with the outline
 * the document stage found; bench/read_probe.c calls it with a label's true
 * outline, so reading can be measured apart from outline finding. */
#ifndef PS_READ_READER_H
#define PS_READ_READER_H

#include "prescreen/date.h"
#include "prescreen/doctype.h"
#include "prescreen/fields.h"
#include "prescreen/geom.h"
#include "prescreen/image.h"
#include "prescreen/ocr.h"
#include "prescreen/report.h"

typedef struct ps_read_request {
    const ps_image *full;   /* upright full-resolution image; not kept */
    const ps_point *quad;   /* TL, TR, BR, BL in `full` pixels; NULL = the
                               whole frame is the page */
    unsigned shape;         /* PS_DOC_ID1 / PS_DOC_TD3 / PS_DOC_PAPER (cv/document.h) */
    ps_kind kind;           /* the upload's kind */
    ps_side side;           /* the side the customer named; PS_SIDE_NONE */
    int has_face;           /* printed portrait found: 1, 0, -1 unknown */
    const ps_date *now;     /* upload date; may be NULL */
    const char *model_dir;  /* NULL = the build's models/ */
    int deadline_ms;        /* whole-read budget; 0 = none */
    /* A credit-card back carries no fields to read zone by zone, and the
     * redaction plan reads it whole anyway: it is read once, whole, with
     * ps_redact_read_params(), and that reading is handed here (caller
     * frees it with ps_ocr_result_free(), which wipes its text) for
     * the plan to reuse. NULL = dropped by the reader. */
    ps_ocr_result **doc_read_out;
    /* A document read line by line (no field template):
     * its lines, in the pixels of the rectified document (doc_width x
     * doc_height at `rotation`), handed to the caller (free with
     * ps_ocr_lines_free(), which wipes their text) for the plan's label
     * checks. NULL = dropped. */
    ps_ocr_line **lines_out;
    size_t *n_lines_out;
    /* The rectified document the result was read on (doc_width x
     * doc_height at `rotation`; ps_cv_rectify() of the outline), handed to
     * the caller (free with ps_image_free()) so the redaction plan need not
     * rectify it again. Only when reading succeeded; NULL = freed here. */
    ps_image **card_out;
} ps_read_request;

typedef struct ps_read_result {
    ps_doctype type;
    ps_side side;
    int rotation;           /* degrees clockwise the outline was turned: 0, 90, 180, 270 */
    ps_fields fs;           /* boxes in `full` pixels */
    int doc_width, doc_height; /* the rectified document read (at `rotation`) */
    /* OCR calls made, by what they were for (bench/read_probe counts them) */
    int calls_bands;        /* title/bottom/middle bands: orientation and type */
    int calls_lines;        /* every text line, when no band named the type */
    int calls_fields;       /* template zones, MRZ, label-driven line reading */
} ps_read_result;

/* Reads the document of `rq` with `ocr` (the caller's per-thread engine) into
 * *out (zeroed first). Returns PS_OK (what could not be read is left absent,
 * type PS_DOC_UNKNOWN when nothing named it), PS_E_ARG for a degenerate
 * outline, PS_E_OCR, PS_E_NOMEM. A deadline that runs out keeps what was read. */
ps_status ps_read_document(ps_ocr *ocr, const ps_read_request *rq, ps_read_result *out);

#endif
