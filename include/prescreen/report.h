/* prescreen — the pre-flag report (SPEC §4, "prescreen.report/1").
 *
 * A ps_report is a plain struct filled by the pipeline stages and read by the
 * rules, the bench and the JSON writer. It holds no pointers: copying it is
 * safe, and freeing it is free(). Text fields never hold a full card number,
 * CVV or My Number: the redaction stage masks them before they are copied in.
 */
#ifndef PRESCREEN_REPORT_H
#define PRESCREEN_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "prescreen/decode.h"
#include "prescreen/image.h"
#include "prescreen/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define PS_REPORT_SCHEMA "prescreen.report/1"

typedef enum ps_kind {
    PS_KIND_PHOTO_ID = 0,
    PS_KIND_SELFIE,
    PS_KIND_ADDRESS_PROOF,
    PS_KIND_CREDIT_CARD,
    PS_KIND_OTHER,
    PS_KIND_COUNT_
} ps_kind;

typedef enum ps_side { PS_SIDE_NONE = 0, PS_SIDE_FRONT, PS_SIDE_BACK } ps_side;

/* SPEC §4 flags, in the SPEC's order. The names are the contract. */
typedef enum ps_flag {
    PS_FLAG_UNREADABLE_IMAGE = 0,
    PS_FLAG_LOW_RESOLUTION,
    PS_FLAG_BLURRY,
    PS_FLAG_TOO_DARK,
    PS_FLAG_OVEREXPOSED,
    PS_FLAG_GLARE_ON_DOCUMENT,
    PS_FLAG_NO_FACE,
    PS_FLAG_FACE_CUT_OFF,
    PS_FLAG_MULTIPLE_PEOPLE,
    PS_FLAG_NO_DOCUMENT,
    PS_FLAG_DOCUMENT_CUT_OFF,
    PS_FLAG_DOCUMENT_TOO_SMALL,
    PS_FLAG_FINGER_OVER_DOCUMENT,
    PS_FLAG_FACE_DOCUMENT_APART,
    PS_FLAG_DOCUMENT_TYPE_NOT_ACCEPTED,
    PS_FLAG_EXPIRED_DOCUMENT,
    PS_FLAG_NAME_MISMATCH,
    PS_FLAG_BIRTH_DATE_MISMATCH,
    PS_FLAG_ADDRESS_MISMATCH,
    PS_FLAG_NAME_NOT_FOUND,
    PS_FLAG_ADDRESS_NOT_FOUND,
    PS_FLAG_DATE_NOT_FOUND,
    PS_FLAG_DOCUMENT_TOO_OLD,
    PS_FLAG_DIGITAL_DOCUMENT,
    PS_FLAG_CARD_NOT_IN_HOLDER_NAME,
    PS_FLAG_REDACTION_UNCERTAIN,
    PS_FLAG_DUPLICATE_UPLOAD,
    PS_FLAG_COUNT_
} ps_flag;

typedef uint64_t ps_flagset; /* bit (1 << ps_flag) */

typedef enum ps_verdict {
    PS_VERDICT_CLEAR = 0,      /* no flags */
    PS_VERDICT_REVIEW,         /* a human should look */
    PS_VERDICT_REJECT_SUGGESTED
} ps_verdict;

/* Fields read from the document (SPEC §4 "fields"). */
typedef enum ps_field_id {
    PS_FIELD_NAME = 0,
    PS_FIELD_BIRTH_DATE,
    PS_FIELD_ADDRESS,
    PS_FIELD_EXPIRY,
    PS_FIELD_ISSUE_DATE,
    PS_FIELD_POSTMARK_DATE,
    PS_FIELD_DOCUMENT_NUMBER,
    PS_FIELD_COUNT_
} ps_field_id;

#define PS_MATCH_UNKNOWN (-1)
/* Longest field text kept, in bytes (a long address is ~150). */
#define PS_FIELD_TEXT_MAX 256

typedef struct ps_field {
    int present;
    char text[PS_FIELD_TEXT_MAX]; /* as read, masked where sensitive */
    double confidence;  /* 0..1, < 0 when not measured */
    char iso[11];       /* YYYY-MM-DD for dates, "" otherwise */
    int match;          /* 1, 0, or PS_MATCH_UNKNOWN (no profile value) */
    ps_box box;         /* full-resolution upright pixels; w == 0 when unknown */
} ps_field;

#define PS_MAX_FACES 16
#define PS_MAX_REGIONS 16
#define PS_MAX_REDACTIONS 32
#define PS_MAX_TIMINGS 32

typedef struct ps_face_found {
    ps_box box;        /* full-resolution upright pixels; may extend past the edge */
    float score;
    int on_document;   /* the portrait printed on the ID */
    int cut_off;       /* the frame's edge cuts the face (its box is clipped) */
} ps_face_found;

typedef struct ps_redaction {
    char type[20];     /* "pan", "cvv", "my_number", "my_number_qr", ... */
    ps_box box;
    char kept[8];      /* the last four of a PAN, else "" */
    int last4_visible; /* PAN: its last four were left visible without being
                          read (kept ""): JSON "last4_visible": true */
} ps_redaction;

typedef struct ps_timing {
    const char *stage; /* static stage name */
    double ms;
} ps_timing;

typedef struct ps_report {
    ps_kind kind;
    ps_side side;
    char doc_type[48];          /* "" until classified ("unknown" then) */

    struct {
        int width, height;      /* upright full resolution */
        ps_format format;
        int exif_orientation;
        char warning[160];      /* a recovered decoder problem, or "" */
    } image;

    struct { int done; double score, threshold; int pass; char where[16]; } blur;
    /* mean and dark_fraction: the face (selfie) or frame; clipped_fraction and
     * shoulder_share: `region` ("face", "document" or "frame") */
    struct { int done; double mean, clipped_fraction, dark_fraction, shoulder_share; char region[12]; int pass; } exposure;
    struct { int done; int count; ps_face_found faces[PS_MAX_FACES]; int pass; } face;
    struct {
        int done, found;
        ps_point quad[4];
        int in_frame;
        double area_fraction, confidence;
        int candidates;
        int whole_frame;  /* the frame has the document's shape and is the
                             document (a scan, or a photo cropped to the
                             card's edges): the quad is the frame's, or
                             the card's edge found filling it */
        int pass;
    } document;
    struct { int done; double fraction; ps_box regions[PS_MAX_REGIONS]; int n_regions; int pass; } occlusion;
    struct { int done; double distance_faces; int pass; } proximity;
    struct { int done; double fraction; int pass; } glare;

    ps_field fields[PS_FIELD_COUNT_];
    ps_redaction redactions[PS_MAX_REDACTIONS];
    int n_redactions;

    ps_flagset flags;
    ps_verdict verdict;

    ps_timing timings[PS_MAX_TIMINGS];
    int n_timings;
    double total_ms;
} ps_report;

/*! ps_report_init() : zeroes `r` and sets kind/side; fields' match = unknown. */
void ps_report_init(ps_report *r, ps_kind kind, ps_side side);

/*! ps_report_flag() / ps_report_has() : set / test a flag.
 *  ps_report_unflag() : clears it (a later stage's evidence overrules an
 *  earlier stage's guess). */
void ps_report_flag(ps_report *r, ps_flag f);
void ps_report_unflag(ps_report *r, ps_flag f);
int ps_report_has(const ps_report *r, ps_flag f);

/*! ps_flag_name() : the SPEC name ("blurry"), or NULL for an invalid value. */
const char *ps_flag_name(ps_flag f);
/*! ps_flag_from_name() : the flag for a SPEC name, or -1. */
int ps_flag_from_name(const char *name);

const char *ps_kind_name(ps_kind k);
/*! ps_kind_from_name() : -1 when unknown. */
int ps_kind_from_name(const char *name);
const char *ps_side_name(ps_side s);   /* NULL for PS_SIDE_NONE */
const char *ps_verdict_name(ps_verdict v);
/*! ps_field_name() : the report key ("name", ...); "unknown" out of range. */
const char *ps_field_name(ps_field_id f);

/*! ps_report_to_json() :
 *  Serialises `r` as SPEC §4 JSON (UTF-8, compact when `pretty` is 0).
 *  @return PS_OK and *out malloc'd (caller frees with free()). */
ps_status ps_report_to_json(const ps_report *r, int pretty, char **out);

/*! ps_error_json() :
 *  {"error":{"code":...,"message":...}} for `st`; `message` may be NULL
 *  (then ps_strerror(st) is used). *out malloc'd, caller frees. */
ps_status ps_error_json(ps_status st, const char *message, char **out);

#ifdef __cplusplus
}
#endif
#endif
