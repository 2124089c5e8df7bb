/* prescreen — ICAO 9303 machine readable zones (passports, residence cards).
 *
 * Parses TD3 (passport: 2 lines x 44) and TD1 (ID card: 3 lines x 30) zones
 * from OCR text, checks every check digit, and reports each failed check
 * digit as a finding instead of rejecting: a misread character and a forged
 * field look alike here, and the policy decides. Pure and thread-safe.
 */
#ifndef PRESCREEN_MRZ_H
#define PRESCREEN_MRZ_H

#include <stddef.h>

#include "prescreen/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ps_mrz_format {
    PS_MRZ_NONE = 0,
    PS_MRZ_TD1 = 1, /* 3 x 30 */
    PS_MRZ_TD3 = 3  /* 2 x 44 */
} ps_mrz_format;

/* Findings: one bit per failed check digit. */
#define PS_MRZ_BAD_NUMBER    0x01u /* document number */
#define PS_MRZ_BAD_BIRTH     0x02u /* date of birth */
#define PS_MRZ_BAD_EXPIRY    0x04u /* date of expiry */
#define PS_MRZ_BAD_OPTIONAL  0x08u /* personal number (TD3 only) */
#define PS_MRZ_BAD_COMPOSITE 0x10u /* the whole-zone check digit */

typedef struct ps_mrz {
    ps_mrz_format format;
    char doc_code[3];      /* "P", "ID", "IR"..., fillers removed */
    char issuer[4];        /* ICAO state code, "JPN" */
    char surname[40];      /* primary identifier, '<' -> ' ' */
    char given_names[40];  /* secondary identifier, '<' -> ' ' */
    char number[10];       /* document number, fillers removed */
    char nationality[4];
    char birth[7];         /* YYMMDD as printed (century is the caller's) */
    char sex;              /* 'M', 'F' or '<' */
    char expiry[7];        /* YYMMDD */
    char optional1[16];    /* TD3 personal number / TD1 line 1 optional */
    char optional2[12];    /* TD1 line 2 optional */
    unsigned findings;     /* PS_MRZ_BAD_* bits */
    char lines[3][45];     /* the cleaned lines that were parsed */
} ps_mrz;

/*! ps_mrz_check_digit() : the ICAO 9303 check digit (weights 7,3,1; digits
 *  as themselves, A-Z as 10-35, '<' as 0) of the first `len` characters of
 *  `s`, or -1 if one of them is not a valid MRZ character. */
int ps_mrz_check_digit(const char *s, int len);

/*! ps_mrz_parse() :
 *  Finds a TD3 or TD1 zone in `text` (OCR lines separated by '\n'; spaces
 *  inside lines, lower case and '«' are tolerated) and parses it into *out
 *  (zeroed first).
 *  @return PS_OK (check findings in out->findings); PS_E_ARG for NULL;
 *          PS_E_FORMAT when no zone of either shape is found. */
ps_status ps_mrz_parse(const char *text, ps_mrz *out);

/*! ps_mrz_td3_names() :
 *  The holder's names from one OCR line that should be a TD3 zone's first
 *  line (P, type letter or '<', issuing state, SURNAME<<GIVEN<NAMES<<<...).
 *  Line 1 has no check digit, so the line is only accepted when it holds
 *  nothing but A-Z and '<' (spaces ignored) — read it with that whitelist —
 *  starts with P, names a three-letter state and separates the two names
 *  with "<<". A line that opens with the state or with '<' is taken to
 *  have lost its "P<" (OCR drops it at a zone's edge). Writes the surname
 *  and given names with '<' as spaces.
 *  @return PS_OK; PS_E_ARG for NULL; PS_E_FORMAT when the line does not
 *          qualify (outputs are then empty strings). */
ps_status ps_mrz_td3_names(const char *line, char *surname, size_t surname_cap, char *given,
                           size_t given_cap);

/*! ps_mrz_td3_dates() :
 *  The birth and expiry dates of a TD3 zone's second line found in `text`
 *  even when OCR dropped fillers or the line's start, so that the line is
 *  not 44 characters and ps_mrz_parse() does not take it: the run birth
 *  YYMMDD, its check digit, the sex (any letter: M, F, X, or one misread
 *  for them such as N for M; or '<'), expiry YYMMDD and its
 *  check digit, with both check digits holding (spaces are not skipped).
 *  Writes both as YYMMDD into `birth` and `expiry` (7 bytes each).
 *  @return PS_OK; PS_E_ARG for NULL; PS_E_FORMAT when no such run is found
 *          (outputs are then empty strings). */
ps_status ps_mrz_td3_dates(const char *text, char birth[7], char expiry[7]);

#ifdef __cplusplus
}
#endif
#endif
