/* Policy defaults and the operator's override file. */
#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "prescreen/policy.h"

void ps_policy_default(ps_policy *p)
{
    if (p == NULL)
        return;
    memset(p, 0, sizeof *p);
    p->blur_threshold = 8.0;         /* calibrated on kwentar-blur: bench/RESULTS.md "Blur" */
    /* a face has fewer, softer edges than print: sharp generated faces
     * scored 2.1-44 (real ones 22), defocused ones 1.0-3.4 (RESULTS) */
    p->blur_threshold_face = 4.0;
    p->dark_mean = 0.15;             /* a room-lit phone photo averages 0.35-0.6 */
    p->dark_p95 = 0.30;              /* nothing in the frame reaches mid-grey */
    p->overexposed_clipped = 0.25;   /* a quarter of the document (face, frame) at the clip */
    /* intact highlights leave 1 in 5 to 1 in 2 bright pixels in the ten
     * levels under the clip; burnt-out pages under 1 in 20 (geometry.md) */
    p->overexposed_shoulder = 0.05;
    p->overexposed_mean = 0.97;      /* nearly the whole frame white */
    p->min_short_side = 400;         /* ID-1 text needs ~300 px across the card */
    p->face_min_score = 0.8;         /* BlazeFace score: bench/RESULTS.md "Faces" */
    p->face_edge_margin = 0.005;     /* within 0.5% of the edge = touching it */
    p->second_person_ratio = 0.5;    /* a card portrait is ~1/4 of the holder's face */
    p->residence_cert_max_days = 180; /* SPEC §7 */
    p->postmark_max_days = 90;
    p->other_address_max_days = 180;
    p->min_document_area = 0.025;    /* a card under 2.5% of the frame is unreadable at 1 MP */
    /* a card beside the face at arm's length is 1-5% of a selfie, and the
     * selfie only has to show it is the same card: 0.5% is ~200 x 125 px at
     * the 1 MP minimum */
    p->min_selfie_document_area = 0.005;
    p->max_face_document_distance = 2.5; /* card centre within 2.5 face widths of the face */
    p->max_occlusion = 0.06;         /* skin over 6% of the card's printed area */
    p->max_glare = 0.01;             /* specular blobs over 1% of the card */
    p->pan_keep_last = 4;
    p->mask_registered_domicile = 0; /* optional by law: kept unless asked */
    p->mask_organ_donation = 0;
}

struct key {
    const char *name;
    int is_int;
    size_t off;
    double lo, hi; /* accepted range, inclusive */
};

#define DKEY(n, lo, hi) {#n, 0, offsetof(ps_policy, n), lo, hi}
#define IKEY(n, lo, hi) {#n, 1, offsetof(ps_policy, n), lo, hi}
/* A century of days: any age rule an operator could mean. */
#define PS_POLICY_MAX_DAYS 36500

/* Every key with the range that keeps its check meaningful: fractions and
 * scores in [0, 1], no negative sizes or ages. pan_keep_last is 4 or 0
 * (checked below): SPEC §1 needs the last four digits only, a larger value
 * would leave more of a card number readable, and redaction keeps a last
 * group whole or not at all. */
static const struct key keys[] = {
    DKEY(blur_threshold, 0, 1e6), DKEY(blur_threshold_face, 0, 1e6), DKEY(dark_mean, 0, 1), DKEY(dark_p95, 0, 1),
    DKEY(overexposed_clipped, 0, 1), DKEY(overexposed_shoulder, 0, 1), DKEY(overexposed_mean, 0, 1),
    IKEY(min_short_side, 0, 100000), DKEY(face_min_score, 0, 1), DKEY(face_edge_margin, 0, 0.5),
    DKEY(second_person_ratio, 0, 1), IKEY(residence_cert_max_days, 0, PS_POLICY_MAX_DAYS),
    IKEY(postmark_max_days, 0, PS_POLICY_MAX_DAYS),
    IKEY(other_address_max_days, 0, PS_POLICY_MAX_DAYS), IKEY(pan_keep_last, 0, 4),
    DKEY(min_document_area, 0, 1), DKEY(min_selfie_document_area, 0, 1), DKEY(max_face_document_distance, 0, 1000),
    DKEY(max_occlusion, 0, 1), DKEY(max_glare, 0, 1),
    IKEY(mask_registered_domicile, 0, 1), IKEY(mask_organ_donation, 0, 1),
};

ps_status ps_policy_load(ps_policy *p, const char *path, char *err, size_t errlen)
{
    json_error_t je;
    json_t *root;
    const char *k;
    json_t *v;
    ps_status st = PS_OK;

    if (p == NULL || path == NULL)
        return PS_E_ARG;
    root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (root == NULL) {
        if (err)
            snprintf(err, errlen, "policy %s: %s (line %d)", path, je.text, je.line);
        return strstr(je.text, "unable to open") ? PS_E_IO : PS_E_JSON;
    }
    if (!json_is_object(root)) {
        if (err)
            snprintf(err, errlen, "policy %s: not a JSON object", path);
        json_decref(root);
        return PS_E_JSON;
    }
    json_object_foreach(root, k, v) {
        const struct key *found = NULL;
        if (k[0] == '_')
            continue; /* "_comment" keys document the file */
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
            if (strcmp(keys[i].name, k) == 0)
                found = &keys[i];
        if (found == NULL || !json_is_number(v) || (found->is_int && !json_is_integer(v))) {
            if (err)
                snprintf(err, errlen, "policy %s: %s key \"%s\"", path,
                         found ? "wrong type for" : "unknown", k);
            st = PS_E_JSON;
            break;
        }
        if (!(json_number_value(v) >= found->lo && json_number_value(v) <= found->hi)) {
            if (err)
                snprintf(err, errlen, "policy %s: \"%s\" must be within %g..%g", path, k,
                         found->lo, found->hi);
            st = PS_E_JSON;
            break;
        }
        if (found->is_int && strcmp(k, "pan_keep_last") == 0 && json_integer_value(v) != 0 &&
            json_integer_value(v) != 4) {
            if (err)
                snprintf(err, errlen, "policy %s: \"pan_keep_last\" must be 4 or 0", path);
            st = PS_E_JSON;
            break;
        }
        if (found->is_int)
            *(int *)((char *)p + found->off) = (int)json_integer_value(v);
        else
            *(double *)((char *)p + found->off) = json_number_value(v);
    }
    json_decref(root);
    return st;
}
