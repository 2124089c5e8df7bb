/* prescreen — the acceptance policy and check thresholds (SPEC §7).
 *
 * Defaults are compiled in (ps_policy_default) and documented in
 * models/policy.json, which is the same values as a file; an operator's
 * --policy FILE overrides any subset of keys. A ps_policy is plain data.
 */
#ifndef PRESCREEN_POLICY_H
#define PRESCREEN_POLICY_H

#include <stddef.h>

#include "prescreen/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ps_policy {
    /* quality */
    double blur_threshold;          /* normalised Laplacian score below = blurry */
    double blur_threshold_face;     /* the same, judged on the face (no document) */
    double dark_mean;               /* mean luma (0..1) below = too dark */
    double dark_p95;                /* ... or 95th percentile luma below this */
    double overexposed_clipped;     /* clipped-white fraction of the judged region above ... */
    double overexposed_shoulder;    /* ... with the band under the clip holding less than this
                                     * share of the bright tones = overexposed */
    double overexposed_mean;        /* ... or mean luma of the face or frame above this */
    int min_short_side;             /* px of the upright image below = low_resolution */
    /* faces */
    double face_min_score;          /* detector score to count a face */
    double face_edge_margin;        /* fraction of the image side: a box this close is cut off */
    double second_person_ratio;     /* a face this big vs the largest is another person */
    /* documents */
    double min_document_area;       /* document area / image area below = too small */
    double min_selfie_document_area; /* the same for the card held in a selfie */
    double max_face_document_distance; /* selfie: card centre to face centre, face widths */
    double max_occlusion;           /* skin fraction of the card above = fingers over it */
    double max_glare;               /* glare fraction of the card above = glare */
    /* ages */
    int residence_cert_max_days;    /* 住民票 issued within */
    int postmark_max_days;          /* mail postmarked within */
    int other_address_max_days;     /* other address proofs issued within */
    /* redaction */
    int pan_keep_last;              /* digits of a card number left readable:
                                       4 (SPEC §7) or 0 (none) */
    int mask_registered_domicile;   /* 1: mask 本籍 and 筆頭者 too (default 0) */
    int mask_organ_donation;        /* 1: mask the organ-donation field (0) */
} ps_policy;

/*! ps_policy_default() : fills `p` with the built-in defaults. */
void ps_policy_default(ps_policy *p);

/*! ps_policy_load() :
 *  Starts from `p`'s current values and overrides the keys present in the
 *  JSON file `path` (unknown keys are an error, to catch typos; so is a
 *  value out of its key's range, e.g. a fraction outside 0..1, a
 *  pan_keep_last other than 0 or 4, a mask_* switch other than 0 or 1).
 *  @return PS_OK, PS_E_IO, or PS_E_JSON with a sentence in `err`. */
ps_status ps_policy_load(ps_policy *p, const char *path, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
