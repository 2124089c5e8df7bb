/* prescreen — the applicant's registered profile (SPEC §3 applicant file). */
#ifndef PRESCREEN_APPLICANT_H
#define PRESCREEN_APPLICANT_H

#include <stddef.h>

#include "prescreen/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ps_applicant {
    char id[64];
    char name[128];        /* kanji, as registered: "山田 太郎" */
    char name_kana[128];
    char name_latin[128];
    char birth_date[11];   /* YYYY-MM-DD or "" */
    char address[384];
    int card_deposit;      /* 1 when credit_card is a required kind */
} ps_applicant;

/*! ps_applicant_parse() :
 *  Parses the SPEC applicant JSON (`json`, `len` bytes, not kept) into `out`.
 *  Missing optional keys stay empty; wrong types, over-long values and a bad
 *  birth_date are errors. @return PS_OK or PS_E_JSON with a sentence in `err`. */
ps_status ps_applicant_parse(const char *json, size_t len, ps_applicant *out, char *err,
                             size_t errlen);

/*! ps_applicant_to_json() : *out malloc'd (caller frees). */
ps_status ps_applicant_to_json(const ps_applicant *a, char **out);

#ifdef __cplusplus
}
#endif
#endif
