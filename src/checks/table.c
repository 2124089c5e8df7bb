/* The pipeline, in order. Adding a check is adding a file and a row. */
#include "pipeline/job.h"

#define ALL PS_KINDS_ALL
#define PHOTO_ID PS_KIND_BIT(PS_KIND_PHOTO_ID)
#define SELFIE PS_KIND_BIT(PS_KIND_SELFIE)
#define CARD PS_KIND_BIT(PS_KIND_CREDIT_CARD)
#define PAPER PS_KIND_BIT(PS_KIND_ADDRESS_PROOF)
#define CARDS (SELFIE | PHOTO_ID | CARD)

const ps_stage ps_stages[] = {
    {"decode", ps_stage_decode, ALL, 0},         /* bytes -> upright working copy */
    {"resolution", ps_stage_resolution, ALL, 0},
    {"face", ps_stage_face, SELFIE | PHOTO_ID, 0}, /* the person, and the ID's portrait */
    {"document", ps_stage_document, CARDS | PAPER, 0}, /* the outline; marks printed portraits */
    {"people", ps_stage_people, SELFIE | PHOTO_ID, 0}, /* no_face, cut off, two people, apart */
    {"occlusion", ps_stage_occlusion, CARDS, 0},   /* fingers over the card */
    {"glare", ps_stage_glare, CARDS | PAPER, 0},
    {"digital", ps_stage_digital, PAPER, 0},      /* a screenshot, not a photo of paper */
    {"read", ps_stage_read, PHOTO_ID | CARD | PAPER, 0}, /* rectify, type, template zones */
    {"verify", ps_stage_verify, PHOTO_ID | CARD | PAPER, 0}, /* profile and policy */
    {"exposure", ps_stage_exposure, ALL, 0},     /* after detection: measured on the subject */
    {"blur", ps_stage_blur, ALL, 0},             /* after detection: measured where it matters */
    {"redact", ps_stage_redact, ALL, 1},      /* fail closed: nothing unsafe leaves */
    {"store", ps_stage_store, ALL, 1},        /* the stored copy, from pixels */
    {"verdict", ps_stage_verdict, ALL, 1},     /* flags -> verdict */
};

const int ps_stage_count = (int)(sizeof ps_stages / sizeof ps_stages[0]);
