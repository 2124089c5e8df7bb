/* Private to `prescreen bench`: labelled-corpus scoring (bench.c), the
 * geometry and leak measures (bench_score.c) and the HTML report
 * (bench_html.c). */
#ifndef PS_CLI_BENCH_H
#define PS_CLI_BENCH_H

#include <stddef.h>

#include "prescreen/report.h"

#define PSB_MAX_FACES 16
#define PSB_MAX_SENSITIVE 16
#define PSB_MAX_STAGES PS_MAX_TIMINGS

/* One SPEC §5 label file. */
typedef struct psb_truth {
    int has_kind;
    ps_kind kind;
    ps_side side;
    char doc_type[48];
    char now[11];
    char applicant_json[2048]; /* "" when absent */
    int faces_labelled;           /* "faces" or "document_faces" is present */
    int n_faces;
    ps_box faces[PSB_MAX_FACES];  /* "faces" and "document_faces" */
    int has_quad;
    ps_point quad[4];
    char fields[PS_FIELD_COUNT_][256]; /* "" when not labelled */
    int n_sensitive;
    struct {
        char type[20];
        char digits[32];  /* digits only; never printed */
        int has_box;      /* 0: only string leaks are scored */
        int cut;          /* "cut": true, the frame cuts it (its box is the part inside) */
        ps_box box;
    } sensitive[PSB_MAX_SENSITIVE];
    int last4_apart;      /* a pan_last4 entry, boxed or not: a pan box holds the masked part only */
    ps_flagset expect, forbid;
} psb_truth;

/* One scored image. */
typedef struct psb_item {
    char path[1024];
    int has_truth;
    psb_truth truth;
    ps_status status;
    char error_code[32];
    ps_report report;
    int stored;            /* a redacted copy was produced */
    int leaks;             /* sensitive boxes still readable + strings found */
    int string_leaks;
    int sensitive_boxes;   /* boxes that had to be masked */
    int last4_total, last4_kept; /* last fours wholly in the frame: labelled, kept */
    int last4_cut;               /* last fours the frame cuts: not scored */
    int ocr_leaks;         /* --ocr-leaks: masked digits tesseract still read */
    int last4_ocr_total, last4_ocr_kept; /* --ocr-leaks: last four read back */
    double overmask;       /* fraction of masked area outside sensitive boxes */
    double quad_iou;       /* -1 when not scored */
    int quad_in_frame;
    int faces_matched, faces_truth, faces_false;
    unsigned field_labelled, field_ok; /* bit f: field f labelled / read exactly */
    int flag_errors;       /* FN + FP against the labels */
    double ms;
} psb_item;

/* Parses a label file; 0 on success, -1 with `err` set. */
int psb_truth_load(const char *path, psb_truth *t, char *err, size_t errlen);

/* IoU of two convex quadrilaterals (any vertex order, clockwise or not). */
double psb_quad_iou(const ps_point a[4], const ps_point b[4]);

/* 1 when `hay` contains 6 or more consecutive digits of `digits`, ignoring
 * spaces and hyphens between digits in `hay`. */
int psb_contains_digits(const char *hay, const char *digits);

/* A labelled line of digits as a band in the image: centre, unit reading
 * direction u, length along u and thickness across it (pixels). Labels
 * give axis-aligned boxes; on a card turned in the photo the box is the
 * bounding box of the tilted line, mostly card around it, so the measures
 * look at the band the digits lie in. */
typedef struct psb_band {
    double cx, cy, ux, uy, len, thick;
} psb_band;

/* The band inside `box` of a line of `n_chars` characters read along
 * (ux, uy) (any length; (0, 0): along the box's long side). The line's
 * length and thickness come from the box's size and the direction; near
 * 45 degrees, where they cannot, from a character's usual shape. */
psb_band psb_band_of(ps_box box, double ux, double uy, int n_chars);

/* The reading direction of a document from its labelled quad (top-left,
 * top-right, bottom-right, bottom-left in the document's own order): the
 * mean of its top and bottom sides, as a unit vector. */
void psb_quad_direction(const ps_point q[4], double *ux, double *uy);

/* Leak measure on a band: it is cut into cells about as long as it is
 * thick (one or two digits each); a cell leaks when the redacted copy still
 * shows the original's content there (textured and correlated). `orig` and
 * `red` are gray images of the same size. Returns the number of leaking
 * cells; *cells gets the number of cells. */
int psb_band_leaks(const ps_image *orig, const ps_image *red, psb_band band, int *cells);

/* psb_band_leaks() over an axis-aligned box, cut along its long side. */
int psb_box_leaks(const ps_image *orig, const ps_image *red, ps_box box, int *cells);

/* 1 when the band still shows the upload's content (for the kept last
 * four) in each of its PSB_KEPT_CELLS cells, one per digit: textured and
 * correlated with the upload, or within re-encoding noise of it (a faint
 * or blurred digit has no texture to correlate, and left alone is as
 * readable as it was). */
#define PSB_KEPT_CELLS 4
int psb_band_readable(const ps_image *orig, const ps_image *red, psb_band band);

/* Where digit i of a whole card number of n_digits is printed, in digit
 * pitches from the line's start, from where the number's length puts the
 * gaps (4-6-5 for 15 digits, 4-6-4 for 14, groups of 4 from the left
 * otherwise); *pitches gets the line's length in pitches. */
int psb_pan_slot(int n_digits, int i, int *pitches);

/* Leak measure on a whole card number's line: one cell per digit but the
 * last 4, at its place on the line (cells between digits would straddle a
 * mask's end and a gap). Returns the leaking cells; *cells gets their count. */
int psb_pan_leaks(const ps_image *orig, const ps_image *red, psb_band line, int n_digits,
                  int *cells);

/* The part of a whole number's line that holds its last 4. */
psb_band psb_pan_last4_band(psb_band line, int n_digits);

/* 1 when a sensitive label is a whole card number ("pan" with 13 or more
 * digits, as SPEC §5's example). Its box holds the last 4 too when the
 * label has no "pan_last4" entry (psb_whole_number()). */
int psb_full_pan(const char *type, const char *digits);

/* 1 when sensitive entry s is a whole card number whose box holds its
 * last 4 too: a label with no "pan_last4" entry at all (SPEC §5's example;
 * with one, as prescreen-gen writes, the number's box holds the masked
 * part, even when the last 4 lie outside the frame and have no box). */
int psb_whole_number(const psb_truth *t, int s);

/* 1 when sensitive entry s labels a last 4 wholly in the frame, the ones
 * the bench scores as kept or not: its own box, or a whole number's. A
 * last 4 the frame cuts ("cut") cannot stay readable; it is counted apart. */
int psb_last4_scored(const psb_truth *t, int s);

/* Writes the HTML report. */
int psb_write_html(const char *path, const psb_item *items, int n, const char *summary_json);

#endif
