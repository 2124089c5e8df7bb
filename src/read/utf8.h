/* Private UTF-8 helpers shared by the text modules of src/read/. */
#ifndef PS_READ_UTF8_H
#define PS_READ_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Decodes one code point at s[*i] (advancing *i); invalid or overlong
 * sequences give 0xFFFD and advance one byte. s must be NUL-terminated. */
static inline uint32_t ps__utf8_next(const char *s, size_t *i)
{
    const unsigned char *p = (const unsigned char *)s + *i;
    uint32_t c = p[0];
    int n = 0;
    if (c < 0x80) {
        *i += 1;
        return c;
    } else if ((c & 0xE0) == 0xC0) {
        c &= 0x1F;
        n = 1;
    } else if ((c & 0xF0) == 0xE0) {
        c &= 0x0F;
        n = 2;
    } else if ((c & 0xF8) == 0xF0) {
        c &= 0x07;
        n = 3;
    } else {
        *i += 1;
        return 0xFFFD;
    }
    for (int k = 1; k <= n; k++) {
        if ((p[k] & 0xC0) != 0x80) {
            *i += 1;
            return 0xFFFD;
        }
        c = (c << 6) | (p[k] & 0x3F);
    }
    /* Smallest value each length may encode: rejects overlong forms. */
    static const uint32_t min_cp[4] = {0, 0x80, 0x800, 0x10000};
    if (c < min_cp[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        *i += 1;
        return 0xFFFD;
    }
    *i += (size_t)n + 1;
    return c;
}

/* Encodes c into buf (at least 4 bytes); returns the byte count. */
static inline size_t ps__utf8_put(uint32_t c, char *buf)
{
    unsigned char *b = (unsigned char *)buf;
    if (c < 0x80) {
        b[0] = (unsigned char)c;
        return 1;
    } else if (c < 0x800) {
        b[0] = (unsigned char)(0xC0 | (c >> 6));
        b[1] = (unsigned char)(0x80 | (c & 0x3F));
        return 2;
    } else if (c < 0x10000) {
        b[0] = (unsigned char)(0xE0 | (c >> 12));
        b[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
        b[2] = (unsigned char)(0x80 | (c & 0x3F));
        return 3;
    }
    b[0] = (unsigned char)(0xF0 | (c >> 18));
    b[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
    b[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
    b[3] = (unsigned char)(0x80 | (c & 0x3F));
    return 4;
}

/* ---- script classes of a code point --------------------------------------
 * One set of predicates for every text module (src/read/, src/rules/). The
 * callers draw the kana boundaries differently on purpose, so each variant
 * is its own predicate rather than a flag: name the one whose range you
 * mean. */

/* Kanji in the Basic Multilingual Plane: CJK Unified Ideographs, Extension
 * A, the compatibility ideographs, and the repetition mark 々. */
static inline int ps__cp_is_kanji_bmp(uint32_t c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0xF900 && c <= 0xFAFF) || c == 0x3005;
}

/* Kanji in any plane: the BMP ones plus Extensions B-F and the
 * compatibility supplement (U+20000..U+2FA1F: 𠮷 of 𠮷野). */
static inline int ps__cp_is_kanji(uint32_t c)
{
    return ps__cp_is_kanji_bmp(c) || (c >= 0x20000 && c <= 0x2FA1F);
}

/* The whole Hiragana block U+3041..U+309F: letters, the combining and
 * spacing (han)dakuten, the iteration marks ゝゞ and ゟ. */
static inline int ps__cp_is_hiragana(uint32_t c)
{
    return c >= 0x3041 && c <= 0x309F;
}

/* A hiragana with a katakana twin 0x60 above it (ぁ..ゖ, ゝ, ゞ). */
static inline int ps__cp_is_hiragana_twin(uint32_t c)
{
    return (c >= 0x3041 && c <= 0x3096) || c == 0x309D || c == 0x309E;
}

/* Katakana letters ァ..ヺ only: no middle dot ・, no long-vowel mark ー. */
static inline int ps__cp_is_katakana_letter(uint32_t c)
{
    return c >= 0x30A1 && c <= 0x30FA;
}

/* Katakana as a name may print it: the letters plus ー and ・. */
static inline int ps__cp_is_katakana_word(uint32_t c)
{
    return ps__cp_is_katakana_letter(c) || c == 0x30FC || c == 0x30FB;
}

/* Any kana: U+3041..U+30FF, both blocks with their marks (・ ー ヽ ヾ ヿ). */
static inline int ps__cp_is_kana(uint32_t c)
{
    return c >= 0x3041 && c <= 0x30FF;
}

/* Japanese script at all: any kana or any kanji. */
static inline int ps__cp_is_japanese(uint32_t c)
{
    return ps__cp_is_kana(c) || ps__cp_is_kanji(c);
}

/* How many kana and kanji `s` holds. */
static inline int ps__count_japanese(const char *s)
{
    int n = 0;
    for (size_t i = 0; s[i];)
        n += ps__cp_is_japanese(ps__utf8_next(s, &i));
    return n;
}

/* ASCII letters. */
static inline int ps__cp_is_latin(uint32_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

#endif
