/* Private: what the stages share while one upload goes through the pipeline.
 * The stage table (checks/table.c) lists every stage in order with the kinds
 * it applies to; ps_screen() (pipeline/screen.c) runs it and times it. */
#ifndef PS_PIPELINE_JOB_H
#define PS_PIPELINE_JOB_H

#include <limits.h>

#include "prescreen/decode.h"
#include "prescreen/engine.h"
#include "prescreen/report.h"
#include "prescreen/screen.h"

struct ps_cv_faces;
struct ps_ocr;

struct ps_engine {
    char model_dir[PATH_MAX];
    ps_policy policy;
    ps_limits limits;
};

struct ps_ctx {
    ps_engine *engine;
    struct ps_cv_faces *faces;   /* per-thread face detector */
    struct ps_ocr *ocr;          /* per-thread tesseract engine, made on first use */
};

typedef struct ps_job {
    const ps_upload *up;
    ps_decoded *dec;          /* upright image: dec->work always, dec->full when redacting */
    ps_image *gray;           /* gray working copy, same size as dec->work */
    double scale;             /* working pixels per full-resolution pixel */
    int is_pdf;               /* a PDF address proof: flagged digital, its
                                 first page rendered to be read, never stored */
    int stop;                 /* a stage decided nothing further can run */
    int has_quad;             /* the document stage found an outline */
    ps_point quad_work[4];    /* its corners in working-copy pixels */
    unsigned doc_shape;       /* PS_DOC_* shape bit that fitted best */
    int doctype;              /* ps_doctype from the read stage (0 = unknown) */
    ps_side doc_side;
    int doc_turns;            /* quarter turns (clockwise) from the outline's
                                 corner order to the document's upright one,
                                 as the read stage found them */
    int store_ready;          /* the redact stage made the full image safe
                                 to store (masked and verified, or nothing
                                 to mask): the store stage encodes it */
    int doc_turns_confirmed;  /* text read at that turn confirms it (a valid
                                 expiry, a two-word name); see
                                 ps_redact_opts.upright_known */
    struct ps_ocr_result *doc_read; /* a credit-card back's whole reading by the
                                 read stage, reused by the redaction plan
                                 (wiped and freed by ps_ocr_result_free()) */
    int doc_read_width, doc_read_height; /* the rectified card it was read on */
    ps_image *doc_image;      /* that rectified card itself (the read stage's,
                                 owned; the redaction plan reuses it) */
    struct ps_ocr_line *page_lines; /* a document without a field template
                                 read line by line by the read stage, in
                                 that rectified card's pixels, for the
                                 redaction plan (ps_ocr_lines_free()) */
    size_t n_page_lines;
    ps_screen_result *res;
    char *error;              /* res->error, for a stage's input error message */
    size_t error_len;
} ps_job;

typedef ps_status (*ps_stage_fn)(ps_ctx *ctx, ps_job *job, ps_report *r);

/* Bit for a kind in ps_stage.kinds. */
#define PS_KIND_BIT(k) (1u << (k))
#define PS_KINDS_ALL ((1u << PS_KIND_COUNT_) - 1u)

typedef struct ps_stage {
    const char *name;   /* the key in timings_ms */
    ps_stage_fn run;
    unsigned kinds;     /* PS_KIND_BIT mask of the kinds it applies to */
    int always;         /* runs even after a stage stopped the job */
} ps_stage;

/* The ordered stage table and its length (checks/table.c). */
extern const ps_stage ps_stages[];
extern const int ps_stage_count;

/* Searches the working-copy region `crop` (the document) for small faces
 * — the printed portrait — and adds new ones to the report. */
ps_status ps_job_find_portraits(ps_ctx *ctx, ps_job *job, ps_report *r, ps_box crop);

/* Index of the person's face (largest face not on the document), or -1. */
int ps_job_person(const ps_report *r);

/* The printed portrait's box in card coordinates (0..1): the face box
 * marked on_document, in card coordinates, grown to start `left` face
 * widths left of it and `above` face heights above it, and to span
 * `width` x `height` face boxes (each stage grows it to what it must
 * spare); 0 when there is none (src/checks/occlusion.c). Needs
 * job->quad_work. */
struct ps_doc_rect;
int ps_job_portrait_rect(const ps_job *job, const ps_report *r, double left, double above, double width,
                         double height, struct ps_doc_rect *out);

/* Milliseconds a stage may still spend: `cap_ms`, or less when the job's
 * deadline (up->deadline_ms) is nearer; at least 1 (an OCR call given 1 ms
 * returns PS_E_DEADLINE at once). */
int ps_job_time_left_ms(const ps_job *job, int cap_ms);

/* Full-resolution box from a working-copy box. */
ps_box ps_job_to_full(const ps_job *job, ps_box b);
/* Working-copy box from a full-resolution box. */
ps_box ps_job_to_work(const ps_job *job, ps_box b);

/* Stages (one file each under checks/ and rules/). */
ps_status ps_stage_decode(ps_ctx *, ps_job *, ps_report *);
ps_status ps_stage_resolution(ps_ctx *, ps_job *, ps_report *);
ps_status ps_stage_exposure(ps_ctx *, ps_job *, ps_report *);
ps_status ps_stage_face(ps_ctx *, ps_job *, ps_report *);
ps_status ps_stage_document(ps_ctx *, ps_job *, ps_report *);
ps_status ps_stage_people(ps_ctx *, ps_job *, ps_report *);
ps_status ps_stage_occlusion(ps_ctx *, ps_job *, ps_report *);
ps_status ps_stage_glare(ps_ctx *, ps_job *, ps_report *);
ps_status ps_stage_digital(ps_ctx *, ps_job *, ps_report *);
ps_status ps_stage_read(ps_ctx *, ps_job *, ps_report *);
ps_status ps_stage_verify(ps_ctx *, ps_job *, ps_report *);
ps_status ps_stage_blur(ps_ctx *, ps_job *, ps_report *);
ps_status ps_stage_redact(ps_ctx *, ps_job *, ps_report *);
ps_status ps_stage_store(ps_ctx *, ps_job *, ps_report *);
ps_status ps_stage_verdict(ps_ctx *, ps_job *, ps_report *);

#endif
