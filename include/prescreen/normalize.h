/* prescreen — text normalisation for matching document text to a profile.
 *
 * OCR output and customers' registered profiles spell the same thing in
 * different ways: full- or half-width digits and kana, old-form kanji in
 * family names (髙 for 高), given/family order in Latin names, kanji numerals
 * and 丁目/番地 in addresses against hyphens. These functions fold such
 * variants so that equal things compare equal. They are pure, allocate only
 * temporaries, and are thread-safe. All strings are UTF-8; invalid bytes are
 * dropped. Output goes to a caller buffer of `cap` bytes and is always
 * NUL-terminated when cap > 0.
 */
#ifndef PRESCREEN_NORMALIZE_H
#define PRESCREEN_NORMALIZE_H

#include <stddef.h>

#include "prescreen/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Folding steps for ps_norm_text(), or-ed together. */
#define PS_NORM_WIDTH    0x01u /* full-width ASCII/digits/space -> ASCII,
                                  half-width kana -> full-width (voicing
                                  marks composed) */
#define PS_NORM_NOSPACE  0x02u /* drop ASCII and ideographic spaces, tabs */
#define PS_NORM_OLDKANJI 0x04u /* old-form / variant kanji -> common form */
#define PS_NORM_KATAKANA 0x08u /* hiragana -> katakana */
#define PS_NORM_UPPER    0x10u /* ASCII a-z -> A-Z */
#define PS_NORM_DASH     0x20u /* dash look-alikes (ー－‐―−–—) after a digit
                                  -> '-' */

/*! ps_norm_text() : applies the `flags` foldings to `in`.
 *  @return PS_OK; PS_E_ARG for NULL or when `cap` is too small (out then
 *          holds ""); PS_E_NOMEM. */
ps_status ps_norm_text(const char *in, unsigned flags, char *out, size_t cap);

/*! ps_norm_name() : the matching key of a kanji or kana name: width folded,
 *  spaces removed, old kanji folded, hiragana -> katakana, ヂ/ヅ -> ジ/ズ,
 *  upper-case. Return as ps_norm_text(). */
ps_status ps_norm_name(const char *in, char *out, size_t cap);

/*! ps_norm_latin_name() : the matching key of a romanised name: upper-case
 *  words (split on space, comma, '<', '.'), Hepburn variants folded (Ō/OU/OO
 *  -> O, UU -> U, OH before a consonant -> O, M before B/P/M -> N), sorted,
 *  joined by one space; so "Yamada, Tarou" and "TARO YAMADA" give the same.
 *  Return as ps_norm_text(). */
ps_status ps_norm_latin_name(const char *in, char *out, size_t cap);

/* How a name on a document matched the profile. */
typedef enum ps_name_match {
    PS_NAME_NO_MATCH = 0,
    PS_NAME_MATCH_KANJI = 1, /* against the profile's name */
    PS_NAME_MATCH_KANA = 2,  /* against name_kana */
    PS_NAME_MATCH_LATIN = 3  /* against name_latin */
} ps_name_match;

/*! ps_name_compare() : compares the name read from a document with the
 *  profile's three forms (any may be NULL). Kanji and kana compare after
 *  ps_norm_name(), also with family and given name swapped when both have
 *  two space-separated parts; Latin compares order-insensitively after
 *  ps_norm_latin_name(), and also with the reading's spaces dropped
 *  (TAROHAYASHI, HAYASHITARO for TARO HAYASHI).
 *  @return the first form that matched, or PS_NAME_NO_MATCH. */
ps_name_match ps_name_compare(const char *doc_name, const char *name,
                              const char *name_kana, const char *name_latin);

/*! ps_norm_address() : the matching key of a Japanese address: width and
 *  old kanji folded, spaces removed, the leading prefecture dropped (it is
 *  often omitted), が/ヶ/ケ/ガ -> ケ, ノ -> の, 大字 dropped, kanji numerals
 *  before 丁目/番/号/の/a dash -> digits, 丁目/番地/番/号/の and dashes
 *  between numbers -> '-', and whatever follows the block number (a space,
 *  a building name, a room number, a fourth number group) cut off.
 *  "東京都千代田区霞が関二丁目一番二号 霞ビル301" -> "千代田区霞ケ関2-1-2".
 *  Return as ps_norm_text(). */
ps_status ps_norm_address(const char *in, char *out, size_t cap);

/*! ps_address_compare() : 1 when both addresses have the same, non-empty
 *  ps_norm_address() key, else 0. NULL gives 0. */
int ps_address_compare(const char *a, const char *b);

/*! ps_ends_in_sama() : the addressee's line of mailed paper, not
 *  お客様番号 or a sentence. `line` as read (spaces and widths as printed).
 *  @return 1 when 様 ends it, give or take two characters of OCR debris;
 *  2 when a character OCR reads for 様 (欄, 棟, 標 …) stands as its last
 *  word after three or more Japanese characters (that word is no part of
 *  the name); 0 otherwise and for NULL. */
int ps_ends_in_sama(const char *line);

/*! ps_prefecture_of() : the prefecture `address` starts with ("東京都"),
 *  as a static string, or NULL. */
const char *ps_prefecture_of(const char *address);

#ifdef __cplusplus
}
#endif
#endif
