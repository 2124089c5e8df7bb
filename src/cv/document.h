/* prescreen — where the document is in a photo, and what covers it.
 *
 * C face of src/cv/document.cpp (OpenCV inside, nothing OpenCV crosses this
 * header). Every function is extern "C", catches every C++ exception and
 * returns a ps_status (PS_E_CV when OpenCV raised one). No function keeps a
 * pointer to its arguments; no global state: all calls are thread-safe on
 * distinct outputs, and reading one input image from several threads is safe.
 *
 * Coordinates are pixels of the image passed in (x right, y down, the centre
 * of the top-left pixel is (0, 0)). A document quadrilateral is given as four
 * corners in the order TL, TR, BR, BL (clockwise on screen); corners may lie
 * outside the image when the document crosses the image edge.
 */
#ifndef PS_CV_DOCUMENT_H
#define PS_CV_DOCUMENT_H

#include "prescreen/image.h"
#include "prescreen/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- shapes ------------------------------------------------------------ */

/* Document shapes, as bits of ps_doc_hint.shapes. */
enum {
    PS_DOC_ID1 = 1u << 0,   /* ID-1 card 85.60 x 53.98 mm: licences, My Number,
                               residence and credit cards */
    PS_DOC_TD3 = 1u << 1,   /* passport data page 125 x 88 mm */
    PS_DOC_PAPER = 1u << 2, /* A4, US letter, postcard (portrait or landscape) */
    PS_DOC_STRIP = 1u << 3, /* My Number notification card, a paper strip
                               about 205 x 85 mm */
    PS_DOC_ANY = PS_DOC_ID1 | PS_DOC_TD3 | PS_DOC_PAPER | PS_DOC_STRIP
};

/* Most faces a hint can carry (a selfie has one or two people). */
#define PS_DOC_MAX_FACES 4

/* What to look for. Zero-initialise for the defaults. */
typedef struct ps_doc_hint {
    unsigned shapes;          /* PS_DOC_* bits; 0 = PS_DOC_ANY */
    double min_area_fraction; /* smallest document area / image area worth
                                 reporting; 0 = default (0.02) */
    int n_exclude_faces;      /* entries used in exclude_faces[] (0..4) */
    ps_box exclude_faces[PS_DOC_MAX_FACES]; /* faces found in the image (the
                                 pixels of the image passed to the finder):
                                 a candidate that holds one of them whole and
                                 is not several times the face's size is a
                                 head or torso outline, not a card (a card's
                                 printed portrait is far smaller than the
                                 card) and is rejected */
    double min_confidence;    /* found below this = not found; 0 = default
                                 (PS_DOC_MIN_CONFIDENCE) */
    int n_holder_faces;       /* the first n_holder_faces of exclude_faces[]
                                 are people holding the document (a selfie):
                                 a candidate holding most of one is rejected
                                 whatever its size, as a card is held beside
                                 the face, never around it */
    int print_by_contrast;    /* the inside must also show print by local
                                 contrast, not only by edges: a selfie's
                                 wall panels, doors and necks beside the face
                                 have edges on their sides and across them,
                                 but no print */
    int faint_sides;          /* also look for sides too faint for the main
                                 edge map (a pale page on a pale desk, a
                                 screenshot's page): a second line search,
                                 about 15 ms on an 800-px working copy */
} ps_doc_hint;

/*! ps_doc_hint_for_kind() :
 *  The expected shapes for an upload kind (SPEC "kind": "photo_id", "selfie",
 *  "address_proof", "credit_card", "other"); unknown or NULL kinds expect any
 *  shape. Never fails. */
ps_doc_hint ps_doc_hint_for_kind(const char *kind);

/* The answer of ps_cv_find_document(). */
typedef struct ps_doc_found {
    int found;               /* 1 when a document-like quadrilateral was found */
    ps_point quad[4];        /* TL, TR, BR, BL, sub-pixel, input-image pixels.
                                TL->TR is the long side for ID-1/TD3 and the
                                short side for paper; of the two orderings
                                that satisfy this, TL->TR is the higher edge
                                (an upside-down card is not told apart: the
                                layout stage decides by content). */
    double confidence;       /* 0..1; found is 1 when >= the hint's
                                min_confidence (PS_DOC_MIN_CONFIDENCE) */
    unsigned shape;          /* the PS_DOC_* bit whose aspect fits best */
    double aspect;           /* measured long/short side ratio of the quad */
    int cut_off;             /* 1 when a corner lies outside the image: the
                                quad was extrapolated past the edge */
    double visible_fraction; /* quad area inside the image / quad area */
    double area_fraction;    /* quad area inside the image / image area */
    int count;               /* distinct (non-nested, non-overlapping)
                                document-like candidates; >= 2 means "two
                                cards in frame" */
    ps_point second_quad[4]; /* the best other candidate when count >= 2 */
    double second_confidence;
} ps_doc_found;

/* Confidence at and above which ps_doc_found.found is set (chosen on the
 * negatives of the synthetic tests and the corpus; see docs/geometry.md). */
#define PS_DOC_MIN_CONFIDENCE 0.35

/*! ps_cv_find_document() :
 *  Finds the document's quadrilateral in `img` (gray or RGB, any size; work
 *  is done on a copy whose long side is at most 800 px). `hint` may be NULL
 *  (any shape). Candidates come from line fitting on colour edges and from
 *  colour segmentation against the border background; each is refined to
 *  the sub-pixel edge and scored by aspect fit, edge support along its
 *  sides, contrast across its border, corner angles and area.
 *  @return PS_OK with *out filled (out->found may be 0); PS_E_ARG for NULL or
 *          malformed arguments; PS_E_CV if OpenCV failed. *out is zeroed
 *          first. */
ps_status ps_cv_find_document(const ps_image *img, const ps_doc_hint *hint,
                              ps_doc_found *out);

/*! ps_cv_rectify() :
 *  Perspective-warps the quadrilateral `quad` (TL, TR, BR, BL in `img`
 *  pixels; may extend past the image, those pixels come out black) onto an
 *  out_w x out_h image with the same channel count as `img` (e.g. 1011 x 638
 *  for an ID-1 card at 300 dpi). Large reductions are pre-filtered so the
 *  result is not aliased.
 *  @return PS_OK and *out (caller frees with ps_image_free); PS_E_ARG for bad
 *          arguments (sizes outside 1..16384, degenerate quad); PS_E_NOMEM;
 *          PS_E_CV. *out is NULL on failure. */
ps_status ps_cv_rectify(const ps_image *img, const ps_point quad[4], int out_w,
                        int out_h, ps_image **out);

/* A box in card coordinates: fractions of the rectified card's width (x, w)
 * and height (y, h), TL corner = (0, 0). */
typedef struct ps_doc_rect {
    double x, y, w, h;
} ps_doc_rect;

#define PS_DOC_MAX_REGIONS 8

/* The answer of ps_cv_skin_occlusion(). */
typedef struct ps_occlusion {
    double fraction;     /* skin-covered share of the card's inner area (card
                            minus margin band minus the excluded box) */
    int n_regions;       /* entries used in regions[] */
    ps_box regions[PS_DOC_MAX_REGIONS]; /* largest covering blobs, input-image
                            pixels (bounding boxes, clipped to the image) */
    int reaches_content; /* 1 when fingers reach past the margin band into the
                            printed area by a meaningful amount */
    int calibrated;      /* 1 when the face sample set the skin model */
} ps_occlusion;

/*! ps_cv_skin_occlusion() :
 *  Skin-coloured blobs over the card `quad` that continue outside the card
 *  (a hand reaches in from the edge; the card's own beige print does not).
 *  `face` (input pixels, may be NULL) calibrates the skin colour from the
 *  face's central cheek area, otherwise a general YCrCb skin model is used.
 *  `exclude` (card coordinates, may be NULL) is ignored, normally the card's
 *  printed portrait. `margin` is the ignored band along the card edges as a
 *  fraction of the card's short side; < 0 selects the default (0.08).
 *  @return PS_OK and *out; PS_E_ARG; PS_E_CV. *out is zeroed first. */
ps_status ps_cv_skin_occlusion(const ps_image *img, const ps_point quad[4],
                               const ps_box *face, const ps_doc_rect *exclude,
                               double margin, ps_occlusion *out);

/* The answer of ps_cv_glare(). */
typedef struct ps_glare {
    double fraction;  /* share of the card area under specular glare */
    int n_regions;
    ps_box regions[PS_DOC_MAX_REGIONS]; /* largest blobs, input-image pixels */
} ps_glare;

/*! ps_cv_glare() :
 *  Specular glare on the card `quad`: near-white, unsaturated blobs clearly
 *  brighter than the card around them, above a minimum area. A blob lying
 *  (nine tenths or more) inside `exclude` (card coordinates, may be NULL;
 *  normally the printed portrait, whose whites are print) is not counted.
 *  `img` must be RGB (a gray image has no saturation: PS_E_ARG).
 *  @return PS_OK and *out; PS_E_ARG; PS_E_CV. *out is zeroed first. */
ps_status ps_cv_glare(const ps_image *img, const ps_point quad[4], const ps_doc_rect *exclude,
                      ps_glare *out);

/*! ps_cv_window_percentile() :
 *  The glare stage's paper level, for tests: for each cell of the w x h
 *  grid `val` (values 0..256, row-major), the pct-th percentile (the
 *  element at n * pct / 100 of the n sorted values) of the cells with `ok`
 *  set in the (2r+1)-square window round it, clipped to the grid; 0 where
 *  none is set. Exact to 1/128. `out` holds w * h floats (caller's).
 *  @return PS_OK; PS_E_ARG; PS_E_NOMEM; PS_E_CV. */
ps_status ps_cv_window_percentile(const float *val, const uint8_t *ok, int w, int h, int r, int pct, float *out);

/*! ps_cv_quad_iou() :
 *  Intersection over union of two convex quadrilaterals (any corner order
 *  that walks the boundary). Used by tests and the bench.
 *  @return PS_OK and *iou in 0..1; PS_E_ARG for NULL; PS_E_CV. */
ps_status ps_cv_quad_iou(const ps_point a[4], const ps_point b[4], double *iou);


#ifdef __cplusplus
}
#endif
#endif
