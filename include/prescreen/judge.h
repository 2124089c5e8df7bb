/* prescreen — judging a field read from a document against the applicant's
 * registered value.
 *
 * ps_name_compare() and ps_address_compare() (prescreen/normalize.h) say
 * whether two values are the same. A mismatch flag needs more: the reading
 * must show ANOTHER value, not merely fail to show the registered one. OCR
 * misreads a kanji now and then (藤田太郎 read 藤田太朗), cuts the first
 * character of a line (大阪府 read 阪府) or reads noise where glare or a
 * finger hides the zone ("Cm"); none of that is evidence of another person
 * or another address, and a reviewer chasing it wastes time. So each judge
 * returns one of three answers: same, different, or unsure (too little was
 * read, or the difference is what misreading at the reading's confidence
 * explains). Only "different" raises a mismatch flag.
 *
 * All functions are pure, thread-safe and keep no pointer.
 */
#ifndef PRESCREEN_JUDGE_H
#define PRESCREEN_JUDGE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ps_judgement {
    PS_JUDGE_DIFFERENT = 0, /* the reading shows another value */
    PS_JUDGE_SAME = 1,      /* the reading is the registered value */
    PS_JUDGE_UNSURE = 2     /* too little read, or misreading explains the difference */
} ps_judgement;

/*! ps_misread_allowance() : how many character edits misreading can explain
 *  in a value of `len` characters read at `confidence` (0..1; < 0 = not
 *  measured, treated as sure): none at 0.9 or above (the reader re-reads
 *  names under 0.9, so above it tesseract is sure), one at 0.7..0.9, and up
 *  to half the characters below 0.7. Never more than len - 2, so a short
 *  value keeps two characters that must agree. @return >= 0. */
int ps_misread_allowance(size_t len, double confidence);

/*! ps_text_distance() : Levenshtein distance between two UTF-8 strings in
 *  code points. With `b_tail_free` set, characters missing from the end of
 *  `a` cost nothing (the distance of `a` to the closest prefix of `b`: a
 *  reading cut short). Strings longer than 256 code points are compared on
 *  their first 256. @return the distance, or -1 for NULL. */
int ps_text_distance(const char *a, const char *b, int b_tail_free);

/*! ps_name_judge() :
 *  Judges the name read from a document (`doc_name`, read at `confidence`)
 *  against the registered kanji, kana and Latin names (any may be NULL or
 *  empty). SAME when ps_name_compare() matches. UNSURE when the reading is
 *  not a plausible name (under 2 kanji/kana or 4 Latin letters, digits, a
 *  word that starts with ン/ー/a small kana, hiragana and katakana mixed in
 *  one word), or when it is within ps_misread_allowance() edits of one of
 *  the registered forms (with a stray one-character word before or after it
 *  dropped: a label glyph read with the name). Otherwise DIFFERENT.
 *  @return the judgement; UNSURE when doc_name is NULL or no form given. */
ps_judgement ps_name_judge(const char *doc_name, double confidence, const char *name,
                           const char *name_kana, const char *name_latin);

/*! ps_address_judge() :
 *  Judges an address read from a document against the registered one, on
 *  their ps_norm_address() keys. SAME when the keys are equal. UNSURE when
 *  the reading's key is under 6 characters, when a misread prefecture
 *  (up to 4 characters ending in 都/道/府/県 that name no prefecture: 阪府,
 *  埼球県) explains it, when it is the registered key cut short, or when it
 *  is within the misreading allowance (at least one edit below 0.9
 *  confidence, and one per 8 characters). Otherwise DIFFERENT.
 *  @return the judgement; UNSURE for NULL. */
ps_judgement ps_address_judge(const char *doc_address, double confidence,
                              const char *registered);

/*! ps_date_judge() :
 *  Judges a date read from a document (`text` as printed, `iso` the date it
 *  parsed to, read at `confidence`) against a registered YYYY-MM-DD date.
 *  SAME when the dates are equal; UNSURE when `iso` is empty or invalid, or
 *  when the reading is under 0.9 confidence and its digits are one edit
 *  from the registered date's digits as printed in any usual form (era year
 *  or Western year, with or without zero padding, year first or day first:
 *  a dropped or misread digit); otherwise DIFFERENT.
 *  @return the judgement; UNSURE for NULL or an invalid registered date. */
ps_judgement ps_date_judge(const char *text, const char *iso, double confidence,
                           const char *registered_iso);

#ifdef __cplusplus
}
#endif
#endif
