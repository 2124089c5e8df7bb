/* Text normalisation for matching (see prescreen/normalize.h).
 *
 * Everything works on arrays of code points: the input is decoded once,
 * each folding step rewrites the array, and the result is encoded once. */
#include "prescreen/normalize.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "read/utf8.h"

typedef struct ps__cps {
    uint32_t *c;
    size_t n, cap;
} ps__cps;

static int ps__cps_decode(const char *in, ps__cps *o)
{
    size_t len = strlen(in), i = 0;
    /* Numeral expansion can turn one code point into up to 4 digits. */
    o->cap = 4 * len + 8;
    o->c = malloc(o->cap * sizeof *o->c);
    o->n = 0;
    if (!o->c)
        return 0;
    while (in[i]) {
        uint32_t c = ps__utf8_next(in, &i);
        if (c != 0xFFFD)
            o->c[o->n++] = c;
    }
    return 1;
}

static ps_status ps__cps_encode(const ps__cps *s, char *out, size_t cap)
{
    size_t pos = 0;
    char buf[4];
    for (size_t i = 0; i < s->n; i++) {
        size_t k = ps__utf8_put(s->c[i], buf);
        if (pos + k + 1 > cap) {
            out[0] = '\0';
            return PS_E_ARG;
        }
        memcpy(out + pos, buf, k);
        pos += k;
    }
    out[pos] = '\0';
    return PS_OK;
}

/* ---- width ------------------------------------------------------------ */

/* Half-width katakana U+FF66..U+FF9D to full-width, in code point order. */
static const uint16_t ps__hw_kana[] = {
    0x30F2, 0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9, 0x30E3, 0x30E5, 0x30E7, 0x30C3,
    0x30FC, 0x30A2, 0x30A4, 0x30A6, 0x30A8, 0x30AA, 0x30AB, 0x30AD, 0x30AF, 0x30B1,
    0x30B3, 0x30B5, 0x30B7, 0x30B9, 0x30BB, 0x30BD, 0x30BF, 0x30C1, 0x30C4, 0x30C6,
    0x30C8, 0x30CA, 0x30CB, 0x30CC, 0x30CD, 0x30CE, 0x30CF, 0x30D2, 0x30D5, 0x30D8,
    0x30DB, 0x30DE, 0x30DF, 0x30E0, 0x30E1, 0x30E2, 0x30E4, 0x30E6, 0x30E8, 0x30E9,
    0x30EA, 0x30EB, 0x30EC, 0x30ED, 0x30EF, 0x30F3};

/* Katakana that take the voicing mark (+1) : カ..ト, ハ..ホ; ウ -> ヴ. */
static uint32_t ps__voiced(uint32_t k)
{
    if ((k >= 0x30AB && k <= 0x30C2 && (k - 0x30AB) % 2 == 0) ||
        (k >= 0x30C4 && k <= 0x30C8 && (k - 0x30C4) % 2 == 0) ||
        (k >= 0x30CF && k <= 0x30DB && (k - 0x30CF) % 3 == 0))
        return k + 1;
    if (k == 0x30A6)
        return 0x30F4;
    /* Hiragana か..と, は..ほ take it the same way. */
    if ((k >= 0x304B && k <= 0x3062 && (k - 0x304B) % 2 == 0) ||
        (k >= 0x3064 && k <= 0x3068 && (k - 0x3064) % 2 == 0) ||
        (k >= 0x306F && k <= 0x307B && (k - 0x306F) % 3 == 0))
        return k + 1;
    return 0;
}

/* ハ..ホ / は..ほ with the semi-voicing mark (+2). */
static uint32_t ps__semivoiced(uint32_t k)
{
    if ((k >= 0x30CF && k <= 0x30DB && (k - 0x30CF) % 3 == 0) ||
        (k >= 0x306F && k <= 0x307B && (k - 0x306F) % 3 == 0))
        return k + 2;
    return 0;
}

static void ps__fold_width(ps__cps *s)
{
    size_t o = 0;
    for (size_t i = 0; i < s->n; i++) {
        uint32_t c = s->c[i];
        if (c >= 0xFF01 && c <= 0xFF5E) {
            c -= 0xFEE0; /* full-width ASCII block sits 0xFEE0 above ASCII */
        } else if (c == 0x3000) {
            c = ' ';
        } else if (c >= 0xFF61 && c <= 0xFF65) {
            static const uint16_t punct[] = {0x3002, 0x300C, 0x300D, 0x3001, 0x30FB};
            c = punct[c - 0xFF61];
        } else if (c >= 0xFF66 && c <= 0xFF9D) {
            c = ps__hw_kana[c - 0xFF66];
        } else if (c == 0xFF9E || c == 0x3099 || c == 0x309B) {
            /* voicing mark: compose with the previous kana when possible */
            uint32_t v = o ? ps__voiced(s->c[o - 1]) : 0;
            if (v) {
                s->c[o - 1] = v;
                continue;
            }
            c = 0x309B;
        } else if (c == 0xFF9F || c == 0x309A || c == 0x309C) {
            uint32_t v = o ? ps__semivoiced(s->c[o - 1]) : 0;
            if (v) {
                s->c[o - 1] = v;
                continue;
            }
            c = 0x309C;
        } else if (c == 0xFFE5) {
            c = 0x00A5; /* full-width yen sign */
        }
        s->c[o++] = c;
    }
    s->n = o;
}

static int ps__is_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x3000 || c == 0xA0;
}

static void ps__drop_spaces(ps__cps *s)
{
    size_t o = 0;
    for (size_t i = 0; i < s->n; i++)
        if (!ps__is_space(s->c[i]))
            s->c[o++] = s->c[i];
    s->n = o;
}

/* ---- old-form kanji --------------------------------------------------- */

/* Old-form and variant kanji seen in names and addresses, with the common
 * form registries and profiles use. UTF-8 pairs, decoded on lookup. */
static const char *const ps__oldkanji[][2] = {
    {"髙", "高"}, {"﨑", "崎"}, {"嵜", "崎"}, {"碕", "崎"}, {"邊", "辺"}, {"邉", "辺"},
    {"齋", "斎"}, {"齊", "斎"}, {"斉", "斎"}, {"澤", "沢"}, {"濱", "浜"}, {"濵", "浜"},
    {"廣", "広"}, {"櫻", "桜"}, {"國", "国"}, {"嶋", "島"}, {"嶌", "島"}, {"德", "徳"},
    {"惠", "恵"}, {"榮", "栄"}, {"藏", "蔵"}, {"壽", "寿"}, {"眞", "真"}, {"實", "実"},
    {"條", "条"}, {"圓", "円"}, {"淵", "渕"}, {"峯", "峰"}, {"槇", "槙"}, {"冨", "富"},
    {"區", "区"}, {"縣", "県"}, {"黑", "黒"}, {"萬", "万"}, {"學", "学"}, {"檜", "桧"},
    {"穗", "穂"}, {"兒", "児"}, {"瀨", "瀬"}, {"曾", "曽"}, {"增", "増"}, {"彌", "弥"},
    {"禮", "礼"}, {"關", "関"}, {"靜", "静"}, {"戶", "戸"}, {"淺", "浅"}, {"𠮷", "吉"},
    {"塚", "塚"}, {"神", "神"}, {"福", "福"}, {"都", "都"}, {"廰", "庁"}, {"驛", "駅"},
    {"舊", "旧"}, {"亞", "亜"}, {"惡", "悪"}, {"來", "来"}, {"與", "与"}, {"團", "団"},
    {"狹", "狭"}, {"澁", "渋"}, {"溪", "渓"}, {"莊", "荘"}, {"龜", "亀"}, {"晉", "晋"},
};

static uint32_t ps__first_cp(const char *s)
{
    size_t i = 0;
    return ps__utf8_next(s, &i);
}

static uint32_t ps__fold_kanji(uint32_t c)
{
    /* Every entry is a CJK (compatibility) ideograph: skip the lookup for
     * anything below the CJK block. */
    if (c < 0x4E00)
        return c;
    for (size_t k = 0; k < sizeof ps__oldkanji / sizeof ps__oldkanji[0]; k++)
        if (ps__first_cp(ps__oldkanji[k][0]) == c)
            return ps__first_cp(ps__oldkanji[k][1]);
    return c;
}

/* ---- the generic entry point ------------------------------------------ */

static int ps__is_dash(uint32_t c)
{
    return c == '-' || c == 0x30FC || c == 0xFF0D || c == 0x2010 || c == 0x2011 ||
           c == 0x2012 || c == 0x2013 || c == 0x2014 || c == 0x2015 || c == 0x2212 ||
           c == 0xFF70 || c == 0x2500 || c == 0x4E00 /* 一, read for a dash */;
}

static int ps__is_digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}

static void ps__apply(ps__cps *s, unsigned flags)
{
    if (flags & PS_NORM_WIDTH)
        ps__fold_width(s);
    if (flags & PS_NORM_NOSPACE)
        ps__drop_spaces(s);
    for (size_t i = 0; i < s->n; i++) {
        uint32_t c = s->c[i];
        if (flags & PS_NORM_OLDKANJI)
            c = ps__fold_kanji(c);
        if ((flags & PS_NORM_KATAKANA) &&
            ps__cp_is_hiragana_twin(c))
            c += 0x60; /* hiragana sits 0x60 below katakana */
        if ((flags & PS_NORM_UPPER) && c >= 'a' && c <= 'z')
            c -= 'a' - 'A';
        /* 一 is a dash only between digits; other dashes after a digit. */
        if ((flags & PS_NORM_DASH) && ps__is_dash(c) && i > 0 && ps__is_digit(s->c[i - 1]) &&
            (c != 0x4E00 || (i + 1 < s->n && ps__is_digit(s->c[i + 1]))))
            c = '-';
        s->c[i] = c;
    }
}

ps_status ps_norm_text(const char *in, unsigned flags, char *out, size_t cap)
{
    ps__cps s;
    if (out && cap)
        out[0] = '\0';
    if (!in || !out || !cap)
        return PS_E_ARG;
    if (!ps__cps_decode(in, &s))
        return PS_E_NOMEM;
    ps__apply(&s, flags);
    ps_status st = ps__cps_encode(&s, out, cap);
    free(s.c);
    return st;
}

/* ---- names ------------------------------------------------------------ */

ps_status ps_norm_name(const char *in, char *out, size_t cap)
{
    ps__cps s;
    if (out && cap)
        out[0] = '\0';
    if (!in || !out || !cap)
        return PS_E_ARG;
    if (!ps__cps_decode(in, &s))
        return PS_E_NOMEM;
    ps__apply(&s, PS_NORM_WIDTH | PS_NORM_NOSPACE | PS_NORM_OLDKANJI | PS_NORM_KATAKANA |
                      PS_NORM_UPPER);
    size_t o = 0;
    for (size_t i = 0; i < s.n; i++) {
        uint32_t c = s.c[i];
        if (c == 0x30C2)
            c = 0x30B8; /* ヂ -> ジ */
        else if (c == 0x30C5)
            c = 0x30BA; /* ヅ -> ズ */
        else if (c == 0x30FB || c == 0x00B7 || c == '.' || c == ',')
            continue; /* name separators: ・ · . , */
        s.c[o++] = c;
    }
    s.n = o;
    ps_status st = ps__cps_encode(&s, out, cap);
    free(s.c);
    return st;
}

static int ps__is_vowel(char c)
{
    return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U';
}

/* Folds one upper-case romanised word in place (see ps_norm_latin_name). */
static void ps__fold_hepburn(char *w)
{
    size_t o = 0, n = strlen(w);
    for (size_t i = 0; i < n; i++) {
        char c = w[i], nx = i + 1 < n ? w[i + 1] : '\0';
        if ((c == 'O' && (nx == 'U' || nx == 'O')) || (c == 'U' && nx == 'U')) {
            w[o++] = c;
            i++; /* long vowel written twice */
            continue;
        }
        if (c == 'O' && nx == 'H' && (i + 2 >= n || !ps__is_vowel(w[i + 2]))) {
            w[o++] = c;
            i++; /* OH before a consonant: a long O (OHNO = ONO) */
            continue;
        }
        if (c == 'M' && (nx == 'B' || nx == 'P' || nx == 'M')) {
            w[o++] = 'N'; /* SHIMBASHI = SHINBASHI */
            continue;
        }
        w[o++] = c;
    }
    w[o] = '\0';
}

static int ps__cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Most words a Latin name is split into; more are ignored. */
#define PS__MAX_NAME_WORDS 8

ps_status ps_norm_latin_name(const char *in, char *out, size_t cap)
{
    ps_status st = PS_OK;
    char *buf = NULL, *words[PS__MAX_NAME_WORDS];
    size_t nw = 0, len, pos = 0;
    if (out && cap)
        out[0] = '\0';
    if (!in || !out || !cap)
        return PS_E_ARG;
    len = strlen(in);
    buf = malloc(len + 1);
    if (!buf)
        return PS_E_NOMEM;
    /* ASCII upper-case with macron/circumflex vowels folded; everything
     * else becomes a separator. */
    size_t i = 0, o = 0;
    while (in[i]) {
        uint32_t c = ps__utf8_next(in, &i);
        if (c >= 0xFF01 && c <= 0xFF5E)
            c -= 0xFEE0; /* full-width ASCII */
        if (c >= 'a' && c <= 'z')
            c -= 'a' - 'A';
        if (c == 0x14C || c == 0x14D || c == 0xD4 || c == 0xF4)
            c = 'O'; /* Ō ō Ô ô */
        else if (c == 0x16A || c == 0x16B || c == 0xDB || c == 0xFB)
            c = 'U'; /* Ū ū Û û */
        else if (c == 0x100 || c == 0x101 || c == 0xC2 || c == 0xE2)
            c = 'A';
        else if (c == 0x112 || c == 0x113 || c == 0xCA || c == 0xEA)
            c = 'E';
        else if (c == 0x12A || c == 0x12B || c == 0xCE || c == 0xEE)
            c = 'I';
        buf[o++] = (c >= 'A' && c <= 'Z') || c == '-' || c == '\'' ? (char)c : ' ';
    }
    buf[o] = '\0';
    for (char *tok = strtok(buf, " "); tok && nw < PS__MAX_NAME_WORDS; tok = strtok(NULL, " ")) {
        ps__fold_hepburn(tok);
        if (*tok)
            words[nw++] = tok;
    }
    qsort(words, nw, sizeof words[0], ps__cmp_str);
    for (size_t k = 0; k < nw; k++) {
        size_t wl = strlen(words[k]);
        if (pos + wl + (k ? 1 : 0) + 1 > cap) {
            out[0] = '\0';
            st = PS_E_ARG;
            break;
        }
        if (k)
            out[pos++] = ' ';
        memcpy(out + pos, words[k], wl);
        pos += wl;
        out[pos] = '\0';
    }
    free(buf);
    return st;
}

/* Largest normalised name we compare; longer names do not match. */
#define PS__NAME_CAP 512

/* 1 when `a` and `b` are equal names, also with two space-separated parts
 * swapped on one side ("花子 日本" vs "日本 花子"). */
static int ps__same_name(const char *doc, const char *prof)
{
    char a[PS__NAME_CAP], b[PS__NAME_CAP];
    if (ps_norm_name(doc, a, sizeof a) != PS_OK || ps_norm_name(prof, b, sizeof b) != PS_OK)
        return 0;
    if (!a[0])
        return 0;
    if (strcmp(a, b) == 0)
        return 1;
    /* Swapped order: split the profile at its first space. */
    char w[PS__NAME_CAP];
    if (ps_norm_text(prof, PS_NORM_WIDTH, w, sizeof w) != PS_OK)
        return 0;
    char *sp = strchr(w, ' ');
    if (!sp)
        return 0;
    *sp = '\0';
    char swapped[PS__NAME_CAP];
    size_t l1 = strlen(sp + 1), l2 = strlen(w);
    if (l1 + l2 + 2 > sizeof swapped)
        return 0;
    memcpy(swapped, sp + 1, l1);
    swapped[l1] = ' ';
    memcpy(swapped + l1 + 1, w, l2 + 1);
    return ps_norm_name(swapped, b, sizeof b) == PS_OK && strcmp(a, b) == 0;
}

/* Copies `s` without ASCII and ideographic spaces: OCR often drops the
 * gap between embossed words (TAROHAYASHI). 0 when it does not fit. */
static int ps__unspaced(const char *s, char *out, size_t cap)
{
    size_t o = 0, i = 0;
    while (s[i]) {
        size_t at = i;
        uint32_t c = ps__utf8_next(s, &i);
        if (c == ' ' || c == 0x3000)
            continue;
        if (o + (i - at) + 1 > cap)
            return 0;
        memcpy(out + o, s + at, i - at);
        o += i - at;
    }
    out[o] = '\0';
    return 1;
}

/* 1 when the reading, its spaces dropped, is the registered Latin words
 * run together in their order or with the last word first (HAYASHI TARO).
 * Both sides are folded as one word, so a vowel pair across the join
 * folds alike on each. */
static int ps__latin_joined_same(const char *doc, const char *form)
{
    char d[PS__NAME_CAP], f[PS__NAME_CAP], rot[PS__NAME_CAP], a[PS__NAME_CAP], b[PS__NAME_CAP];
    const char *last;
    if (!ps__unspaced(doc, d, sizeof d) || !ps__unspaced(form, f, sizeof f) ||
        ps_norm_latin_name(d, a, sizeof a) != PS_OK || a[0] == '\0')
        return 0;
    if (ps_norm_latin_name(f, b, sizeof b) == PS_OK && strcmp(a, b) == 0)
        return 1;
    last = strrchr(form, ' ');
    if (last == NULL || (size_t)snprintf(rot, sizeof rot, "%s%.*s", last + 1,
                                         (int)(last - form), form) >= sizeof rot)
        return 0;
    return ps__unspaced(rot, f, sizeof f) && ps_norm_latin_name(f, b, sizeof b) == PS_OK &&
           strcmp(a, b) == 0;
}

ps_name_match ps_name_compare(const char *doc_name, const char *name,
                              const char *name_kana, const char *name_latin)
{
    if (!doc_name)
        return PS_NAME_NO_MATCH;
    if (name && ps__same_name(doc_name, name))
        return PS_NAME_MATCH_KANJI;
    if (name_kana && ps__same_name(doc_name, name_kana))
        return PS_NAME_MATCH_KANA;
    if (name_latin) {
        char a[PS__NAME_CAP], b[PS__NAME_CAP];
        if (ps_norm_latin_name(doc_name, a, sizeof a) == PS_OK &&
            ps_norm_latin_name(name_latin, b, sizeof b) == PS_OK && a[0] &&
            (strcmp(a, b) == 0 || ps__latin_joined_same(doc_name, name_latin)))
            return PS_NAME_MATCH_LATIN;
    }
    return PS_NAME_NO_MATCH;
}

/* ---- addresses -------------------------------------------------------- */

static const char *const ps__prefectures[] = {
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県",
    "栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県",
    "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県",
    "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県",
    "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
    "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県"};

/* What OCR reads for 様 standing alone after a name: 欄 棟 標 模 槙, and
 * 樣, its old form (欄 seen on envelopes at confidence 0.5). */
static int ps__sama_like(uint32_t c)
{
    return c == 0x6B04 || c == 0x68DF || c == 0x6A19 || c == 0x6A21 || c == 0x69D9 ||
           c == 0x6A23;
}

int ps_ends_in_sama(const char *line)
{
    char key[1024];
    const char *p = NULL;
    if (line == NULL ||
        ps_norm_text(line, PS_NORM_WIDTH | PS_NORM_NOSPACE, key, sizeof key) != PS_OK)
        return 0;
    for (const char *q = strstr(key, "様"); q; q = strstr(q + 1, "様"))
        p = q;
    if (p) {
        size_t i = (size_t)(p - key) + strlen("様"), after = 0;
        while (key[i] && after <= 2) {
            ps__utf8_next(key, &i);
            after++;
        }
        if (after <= 2)
            return 1;
    }
    /* a look-alike counts only as a word of its own after three or more
     * Japanese characters (a name, not 記入 欄): 木村 千尋 欄 */
    if (ps_norm_text(line, PS_NORM_WIDTH, key, sizeof key) != PS_OK)
        return 0;
    size_t n = strlen(key), i = 0;
    while (n > 0 && key[n - 1] == ' ')
        key[--n] = '\0';
    int japanese = 0;
    uint32_t c = 0, prev = 0; /* the last character, and the one before it */
    while (i < n) {
        prev = c;
        c = ps__utf8_next(key, &i);
        if (i < n)
            japanese += ps__cp_is_japanese(c);
    }
    return prev == ' ' && japanese >= 3 && ps__sama_like(c) ? 2 : 0;
}

const char *ps_prefecture_of(const char *address)
{
    if (!address)
        return NULL;
    while (*address == ' ')
        address++;
    if (strncmp(address, "\xE3\x80\x80", 3) == 0) /* leading U+3000 */
        address += 3;
    for (size_t k = 0; k < sizeof ps__prefectures / sizeof ps__prefectures[0]; k++)
        if (strncmp(address, ps__prefectures[k], strlen(ps__prefectures[k])) == 0)
            return ps__prefectures[k];
    return NULL;
}

/* Value of a kanji digit, or -1. */
static int ps__kdigit(uint32_t c)
{
    switch (c) {
    case 0x3007: return 0; /* 〇 */
    case 0x96F6: return 0; /* 零 */
    case 0x4E00: return 1; /* 一 */
    case 0x4E8C: return 2; /* 二 */
    case 0x4E09: return 3; /* 三 */
    case 0x56DB: return 4; /* 四 */
    case 0x4E94: return 5; /* 五 */
    case 0x516D: return 6; /* 六 */
    case 0x4E03: return 7; /* 七 */
    case 0x516B: return 8; /* 八 */
    case 0x4E5D: return 9; /* 九 */
    default: return -1;
    }
}

/* Multiplier of a kanji unit (十 百 千), or 0. */
static int ps__kunit(uint32_t c)
{
    return c == 0x5341 ? 10 : c == 0x767E ? 100 : c == 0x5343 ? 1000 : 0;
}

static int ps__is_kanji_numeral(uint32_t c)
{
    return ps__kdigit(c) >= 0 || ps__kunit(c) > 0;
}

/* Code points used below. */
#define CP_CHOU 0x4E01  /* 丁 */
#define CP_ME 0x76EE    /* 目 */
#define CP_BAN 0x756A   /* 番 */
#define CP_CHI 0x5730   /* 地 */
#define CP_GOU 0x53F7   /* 号 */
#define CP_NO 0x306E    /* の */
#define CP_KNO 0x30CE   /* ノ */
#define CP_MACHI 0x753A /* 町 */
#define CP_SHITSU 0x5BA4 /* 室 */
#define CP_KE 0x30B1    /* ケ */

/* 1 when a kanji numeral run ending before index j is an address number:
 * it is followed by 丁, 番, 号, の, 条, 線, a dash, a digit or the end. */
static int ps__numeral_context(const ps__cps *s, size_t j)
{
    if (j >= s->n)
        return 1;
    uint32_t c = s->c[j], nx = j + 1 < s->n ? s->c[j + 1] : 0;
    if (c == CP_NO) /* 五番地の三, but not 三の丸 */
        return ps__is_digit(nx) || ps__is_kanji_numeral(nx);
    return c == CP_CHOU || c == CP_BAN || c == CP_GOU || c == '-' ||
           c == 0x6761 /* 条 */ || c == 0x7DDA /* 線 */ ||
           ps__is_dash(c) || ps__is_digit(c);
}

/* Rewrites kanji numeral runs in address-number position as decimal
 * digits: 二十三 -> 23, 二〇三 -> 203, 十 -> 10. */
static void ps__kanji_numbers(ps__cps *s)
{
    ps__cps d = {malloc(s->cap * sizeof(uint32_t)), 0, s->cap};
    if (!d.c)
        return;
    for (size_t i = 0; i < s->n;) {
        size_t j = i;
        while (j < s->n && ps__is_kanji_numeral(s->c[j]))
            j++;
        /* 一 between digits is a dash misread, handled by the dash rule. */
        if (j > i && ps__numeral_context(s, j) &&
            !(j - i == 1 && s->c[i] == 0x4E00 && i > 0 && ps__is_digit(s->c[i - 1]))) {
            long total = 0, cur = 0;
            for (size_t k = i; k < j; k++) {
                int dg = ps__kdigit(s->c[k]), un = ps__kunit(s->c[k]);
                if (un) {
                    total += (cur ? cur : 1) * un;
                    cur = 0;
                } else {
                    cur = cur * 10 + dg; /* 二〇三 reads digit by digit */
                }
            }
            total += cur;
            char num[24];
            int len = 0;
            long v = total;
            do {
                num[len++] = (char)('0' + v % 10);
                v /= 10;
            } while (v && len < 20);
            while (len)
                d.c[d.n++] = (uint32_t)num[--len];
            i = j;
            continue;
        }
        d.c[d.n++] = s->c[i++];
    }
    free(s->c);
    *s = d;
}

/* 1 when c looks like the start of a building name or room number. */
static int ps__building_char(uint32_t c)
{
    if (ps__cp_is_katakana_letter(c) && c != CP_KE && c != 0x30F6)
        return 1; /* katakana (ビル, ハイツ, マンション) */
    if (ps__cp_is_latin(c) || c == '#')
        return 1;
    /* 階 棟 館 荘 室 */
    return c == 0x968E || c == 0x68DF || c == 0x9928 || c == 0x8358 || c == CP_SHITSU;
}

ps_status ps_norm_address(const char *in, char *out, size_t cap)
{
    ps__cps s;
    if (out && cap)
        out[0] = '\0';
    if (!in || !out || !cap)
        return PS_E_ARG;
    const char *pref = ps_prefecture_of(in);
    if (pref) {
        const char *p = strstr(in, pref);
        in = p + strlen(pref);
    }
    if (!ps__cps_decode(in, &s))
        return PS_E_NOMEM;
    ps__apply(&s, PS_NORM_WIDTH | PS_NORM_OLDKANJI | PS_NORM_UPPER);
    size_t o = 0;
    /* Fold ヶ ヵ が ガ -> ケ and ノ -> の; drop 大字. */
    for (size_t i = 0; i < s.n; i++) {
        uint32_t c = s.c[i];
        if (c == 0x30F6 || c == 0x30F5 || c == 0x304C || c == 0x30AC)
            c = CP_KE;
        else if (c == CP_KNO)
            c = CP_NO;
        if (c == 0x5927 && i + 1 < s.n && s.c[i + 1] == 0x5B57) { /* 大字 */
            i++;
            continue;
        }
        s.c[o++] = c;
    }
    s.n = o;
    /* Leading spaces never matter. */
    while (s.n && ps__is_space(s.c[0])) {
        memmove(s.c, s.c + 1, (s.n - 1) * sizeof *s.c);
        s.n--;
    }
    ps__kanji_numbers(&s);
    /* Number markers and dashes to '-', building part cut. */
    ps__cps d = {malloc(s.cap * sizeof(uint32_t)), 0, s.cap};
    if (!d.c) {
        free(s.c);
        return PS_E_NOMEM;
    }
    int groups = 0;
    for (size_t i = 0; i < s.n; i++) {
        uint32_t c = s.c[i], nx = i + 1 < s.n ? s.c[i + 1] : 0;
        int after_num = d.n > 0 && (ps__is_digit(d.c[d.n - 1]) || d.c[d.n - 1] == '-');
        if (ps__is_digit(c)) {
            if (d.n == 0 || !ps__is_digit(d.c[d.n - 1])) {
                /* a number before 条 or 線 names the town (北3条西,
                 * 東5線, 七条通): it is no block number, and counting it
                 * cut 札幌市中央区北3条西1-15-25 to 1-15 as if 25 were
                 * a room, so 25 and 26 compared equal */
                size_t j = i;
                while (j < s.n && ps__is_digit(s.c[j]))
                    j++;
                int town = j < s.n && (s.c[j] == 0x6761 /* 条 */ || s.c[j] == 0x7DDA /* 線 */);
                if (!town && groups == 3)
                    break; /* a fourth number: the room */
                groups += !town;
            }
            d.c[d.n++] = c;
            continue;
        }
        if (groups > 0 && after_num) {
            /* 丁目, also with its 丁 misread (十目, ]目, 」目, T目): after a
             * number, no other character stands before 目 in an address */
            if (nx == CP_ME) {
                d.c[d.n++] = '-';
                i++;
                continue;
            }
            if (c == CP_BAN && nx == CP_CHI) { /* 番地 */
                d.c[d.n++] = '-';
                i++;
                continue;
            }
            if (c == CP_GOU && nx == CP_SHITSU)
                break; /* 号室: a room number */
            if ((c == CP_BAN && nx != CP_MACHI) || c == CP_GOU) {
                d.c[d.n++] = '-';
                continue;
            }
            if ((c == CP_NO && (ps__is_digit(nx) || ps__is_kanji_numeral(nx))) ||
                ps__is_dash(c)) {
                d.c[d.n++] = '-';
                continue;
            }
        }
        /* Kyoto's 上ル / 下ル (go north / south) is street direction, not a
         * katakana building name. */
        int kyoto = c == 0x30EB && d.n > 0 && (d.c[d.n - 1] == 0x4E0A || d.c[d.n - 1] == 0x4E0B);
        if (groups > 0 && (ps__is_space(c) || (ps__building_char(c) && !kyoto)))
            break;
        /* Two numbers read (丁目-番): any other text is a building name;
         * one number may still be part of the town (北1条西2). */
        if (groups >= 2 && after_num)
            break;
        if (ps__is_space(c))
            continue;
        d.c[d.n++] = c;
    }
    /* Collapse repeated dashes and drop trailing ones. */
    o = 0;
    for (size_t i = 0; i < d.n; i++) {
        if (d.c[i] == '-' && o > 0 && d.c[o - 1] == '-')
            continue;
        d.c[o++] = d.c[i];
    }
    while (o > 0 && d.c[o - 1] == '-')
        o--;
    d.n = o;
    ps_status st = ps__cps_encode(&d, out, cap);
    free(d.c);
    free(s.c);
    return st;
}

/* Largest normalised address we compare. */
#define PS__ADDR_CAP 1024

int ps_address_compare(const char *a, const char *b)
{
    char na[PS__ADDR_CAP], nb[PS__ADDR_CAP];
    if (!a || !b)
        return 0;
    if (ps_norm_address(a, na, sizeof na) != PS_OK || ps_norm_address(b, nb, sizeof nb) != PS_OK)
        return 0;
    return na[0] && strcmp(na, nb) == 0;
}
