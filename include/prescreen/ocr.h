/* prescreen — optical character recognition of document zones.
 *
 * The only module that talks to tesseract and leptonica. One ps_ocr engine
 * is created per worker thread (tesseract's API objects are not thread-safe)
 * and reused for every zone that thread reads: initialising jpn+eng costs
 * hundreds of milliseconds, a zone costs tens.
 *
 * Callers hand in the rectified document (for an ID-1 card about 1011x638)
 * and a zone in its pixels; the engine crops, rescales so the glyphs have
 * the height tesseract reads best, recognises under a deadline, and returns
 * words and lines with boxes mapped back to the input image's pixels.
 */
#ifndef PRESCREEN_OCR_H
#define PRESCREEN_OCR_H

#include <stddef.h>

#include "prescreen/image.h"
#include "prescreen/status.h"

/* Multiplier of every reading and redaction time budget (the stages'
 * deadlines and the time a step needs left before it starts). 1 for the
 * optimised build they are measured on; sanitizer builds set more. */
#ifndef PS_TIME_SCALE
#define PS_TIME_SCALE 1
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ps_ocr ps_ocr;

/* Page segmentation modes (values are tesseract's PSM numbers). */
typedef enum ps_ocr_psm {
    PS_OCR_PSM_AUTO = 3,   /* full layout analysis: blocks, lines, words */
    PS_OCR_PSM_BLOCK = 6,  /* one uniform block of text */
    PS_OCR_PSM_LINE = 7,   /* exactly one text line */
    PS_OCR_PSM_WORD = 8,   /* one word */
    PS_OCR_PSM_SPARSE = 11 /* as much text as possible, in no order */
} ps_ocr_psm;

/* How the crop is binarised before recognition. */
typedef enum ps_ocr_binarize {
    PS_OCR_BIN_OTSU = 0,   /* tesseract's global Otsu (plain paper) */
    PS_OCR_BIN_SAUVOLA = 2 /* local threshold: patterned card backgrounds */
} ps_ocr_binarize;

/* Which way the ink goes. */
typedef enum ps_ocr_polarity {
    PS_OCR_DARK_TEXT = 0,  /* dark ink on light paper (tesseract's model) */
    PS_OCR_LIGHT_TEXT = 1, /* light print on a dark face: inverted first */
    PS_OCR_AUTO_TEXT = 2   /* decided per crop: the ink is the minority, so
                              the far tail of the grey histogram is the text */
} ps_ocr_polarity;

/* What to read and how. Zero-initialise, then set what matters:
 * a zeroed struct reads the whole image at scale 1 with full layout. */
typedef struct ps_ocr_params {
    ps_box zone;           /* pixels of the input; w or h <= 0 = whole image */
    double scale;          /* > 0: resample by this factor; 0: automatic */
    int glyph_height;      /* expected glyph height in input pixels, drives
                              the automatic scale; 0 = unknown (scale 1) */
    double x_stretch;      /* extra horizontal factor on top of the scale;
                              0 = 1. Condensed card fonts (licence dates,
                              My Number dates) read far better widened
                              1.3-1.6x: jpn was trained on square glyphs */
    ps_ocr_psm psm;        /* 0 = PS_OCR_PSM_AUTO */
    ps_ocr_binarize binarize;
    ps_ocr_polarity polarity; /* 0 = dark text */
    int flatten;           /* 1: divide out the background (tinted bands,
                              guilloche patterns, uneven light) first */
    int deadline_ms;       /* wall-clock budget for this call; 0 = none */
    const char *whitelist; /* only these characters (UTF-8); NULL = all */
    const char *langs;     /* "eng" to read Latin-only zones (MRZ, card
                              numbers) with the English model only; NULL =
                              the engine's languages. Must be a subset of
                              the languages the engine was created with. */
    int darkest_channel;   /* 1: grey = the darkest of R, G, B instead of
                              luma, so coloured ink (a pale green title
                              under bright light) stays dark against white
                              paper; grey input is unchanged */
} ps_ocr_params;

/* One recognised word. Confidence is tesseract's, mapped to 0..1. */
typedef struct ps_ocr_word {
    char *text;            /* UTF-8, owned by the result */
    double confidence;     /* 0..1 */
    ps_box box;            /* input-image pixels */
    int line;              /* index into ps_ocr_result.lines */
} ps_ocr_word;

/* One text line: its words joined as tesseract printed them. */
typedef struct ps_ocr_line {
    char *text;            /* UTF-8 without the trailing newline; owned */
    double confidence;     /* mean of its words, 0..1 */
    ps_box box;            /* input-image pixels */
    size_t first_word;     /* index of its first word */
    size_t n_words;
} ps_ocr_line;

typedef struct ps_ocr_result {
    ps_ocr_word *words;
    size_t n_words;
    ps_ocr_line *lines;
    size_t n_lines;
    char *text;            /* all lines joined with '\n'; owned */
    double scale;          /* the resampling factor that was used */
    double elapsed_ms;     /* wall time of this call */
} ps_ocr_result;

/*! ps_ocr_new() :
 *  Creates an engine for one thread. `tessdata_dir` NULL = the PS_TESSDATA
 *  environment variable, else Debian's /usr/share/tesseract-ocr/5/tessdata.
 *  `langs` NULL = "jpn+eng". Orientation detection loads osd.traineddata
 *  from the same directory the first time it is asked for.
 *  @return PS_OK and *out; PS_E_MODEL when the traineddata cannot be loaded;
 *          PS_E_NOMEM. *out is NULL on failure. The caller owns *out and frees
 *          it with ps_ocr_free() on the thread that uses it. */
ps_status ps_ocr_new(const char *tessdata_dir, const char *langs, ps_ocr **out);

/*! ps_ocr_free() : releases `*ocr` and sets it to NULL; accepts NULL. */
void ps_ocr_free(ps_ocr **ocr);

/*! ps_ocr_last_error() : a static or engine-owned sentence about the last
 *  failure of this engine (never NULL; valid until the next call on it).
 *  Never contains recognised text. */
const char *ps_ocr_last_error(const ps_ocr *ocr);

/*! ps_ocr_read() :
 *  Recognises `params->zone` of `img` (gray or RGB). The input is not kept.
 *  With scale 0 and a glyph_height the zone is resampled so glyphs are about
 *  PS_OCR_TARGET_GLYPH_PX tall; the resampled zone is capped in size so a
 *  huge zone cannot stall layout analysis.
 *  @return PS_OK and *out (caller frees with ps_ocr_result_free(); an empty
 *          zone gives a result with no lines); PS_E_ARG for NULL arguments or
 *          a zone outside the image; PS_E_DEADLINE when deadline_ms ran out
 *          (no partial result); PS_E_OCR when tesseract failed; PS_E_NOMEM.
 *          *out is NULL on failure. */
ps_status ps_ocr_read(ps_ocr *ocr, const ps_image *img,
                      const ps_ocr_params *params, ps_ocr_result **out);

/* Glyph height in pixels the automatic scale aims for: tesseract's LSTM
 * models were trained on lines of roughly this size. */
#define PS_OCR_TARGET_GLYPH_PX 36

/*! ps_ocr_stats() :
 *  How many recognitions (ps_ocr_read calls that reached tesseract) this
 *  engine has run since it was created, and their summed wall time in ms
 *  (`ms` may be NULL). For bench programs that count OCR calls per image.
 *  Returns 0 for NULL. */
size_t ps_ocr_stats(const ps_ocr *ocr, double *ms);

/*! ps_ocr_result_free() : zeroes the recognised text (a reading may hold a
 *  card number), releases `*res` and sets it to NULL; accepts NULL. */
void ps_ocr_result_free(ps_ocr_result **res);

/*! ps_ocr_find_lines() :
 *  Layout analysis only (no recognition, a few ms): the text-line boxes of
 *  `zone` (NULL or empty = whole image) in input pixels, top to bottom.
 *  @return PS_OK, *boxes (caller frees with free()) and *n; *boxes is NULL
 *          when no line was found. PS_E_ARG, PS_E_OCR, PS_E_NOMEM. */
ps_status ps_ocr_find_lines(ps_ocr *ocr, const ps_image *img, const ps_box *zone,
                            ps_box **boxes, size_t *n);

/* A line box this many times longer than thick is table ruling, not
 * print: a printed line of text stays under about 45. */
#define PS_OCR_RULING_ASPECT 64

/*! ps_ocr_find_lines_ex() :
 *  ps_ocr_find_lines() with the background divided out first when `flatten`
 *  is 1: paper printed on a tinted anti-copy pattern (a 住民票's pale
 *  squares) otherwise thresholds the pattern as ink, and layout analysis
 *  then loses whole table rows. Same returns. */
ps_status ps_ocr_find_lines_ex(ps_ocr *ocr, const ps_image *img, const ps_box *zone,
                               int flatten, ps_box **boxes, size_t *n);

/*! ps_ocr_orientation() :
 *  Tesseract's orientation detection (OSD) on `zone` (NULL = whole image).
 *  *degrees is the clockwise rotation that makes the page upright: 0, 90,
 *  180 or 270. *confidence is OSD's own score (about 0..30; under ~2 means
 *  "not sure"). Needs osd.traineddata.
 *  @return PS_OK; PS_E_MODEL when OSD data is missing; PS_E_OCR when OSD
 *          could not decide (too little text); PS_E_ARG. */
ps_status ps_ocr_orientation(ps_ocr *ocr, const ps_image *img, const ps_box *zone,
                             int *degrees, double *confidence);

/*! ps_ocr_load_trusted_file() :
 *  Decodes an image file with leptonica into a gray or RGB ps_image. For
 *  tests, bench programs and model files only: it sets no decoding limits,
 *  so it must never see an upload (uploads go through the decoders).
 *  @return PS_OK and *out (caller owns); PS_E_IO; PS_E_NOMEM. */
ps_status ps_ocr_load_trusted_file(const char *path, ps_image **out);

#ifdef __cplusplus
}
#endif
#endif
