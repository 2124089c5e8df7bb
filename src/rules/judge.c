/* Judging a reading against the registered value (see prescreen/judge.h). */
#include "prescreen/judge.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "prescreen/date.h"
#include "prescreen/normalize.h"
#include "read/utf8.h"

/* Longest value compared, in code points: a name or an address is far
 * shorter; longer OCR noise is compared on its start. */
#define PS__JUDGE_MAX 256
/* Key buffers: PS__JUDGE_MAX code points of up to 4 UTF-8 bytes. */
#define PS__JUDGE_BUF (4 * PS__JUDGE_MAX + 8)
/* Confidence at or above which a reading is taken as read: the reader
 * re-reads a name word under 0.9 at other scales (docs/reading.md). */
#define PS__SURE 0.9
/* Under this, tesseract's reading of a field is often half noise. */
#define PS__UNSURE 0.7
/* Under this a reading that does not match is noise, not another name (an
 * envelope's addressee read as three unrelated kanji at 0.0). A reading
 * barely over it may still show another person's name among noise
 * ("時 山田隆" at 0.19): only a reading tesseract itself gives up on says
 * nothing. */
#define PS__NOISE 0.15
/* A family member's name (family_member()) is told from readings at least
 * this sure: under it a reading may be noise in either word. */
#define PS__FAMILY_MIN_CONF 0.5
/* A registered form keeps at least this many characters that must agree:
 * a two-kanji name differing in one kanji is half the name. */
#define PS__KEEP 2
/* Shortest address key (after the prefecture) worth judging: 区 + a town. */
#define PS__MIN_ADDRESS 6
/* A misread prefecture is at most 4 characters (神奈川県, 鹿児島県). */
#define PS__PREF_MAX 4
/* Address allowance: one edit per this many characters (a slip in a kanji
 * of the town or a dropped digit). */
#define PS__ADDR_PER_EDIT 8

typedef struct {
    uint32_t c[PS__JUDGE_MAX];
    size_t n;
} cps;

static void decode(const char *s, cps *o)
{
    size_t i = 0;
    o->n = 0;
    while (s && s[i] && o->n < PS__JUDGE_MAX)
        o->c[o->n++] = ps__utf8_next(s, &i);
}

static size_t cp_len(const char *s)
{
    cps t;
    decode(s, &t);
    return t.n;
}

/* Edits turning a into b; with LEV_TAIL_FREE in `b_free` into any prefix
 * of b, with LEV_HEAD_FREE too into any run inside b. */
#define LEV_TAIL_FREE 1
#define LEV_HEAD_FREE 2
static int lev(const cps *a, const cps *b, int b_free)
{
    int row[PS__JUDGE_MAX + 1], prev[PS__JUDGE_MAX + 1];
    /* rows over a, columns over b */
    for (size_t j = 0; j <= b->n; j++)
        prev[j] = (b_free & LEV_HEAD_FREE) ? 0 : (int)j;
    for (size_t i = 1; i <= a->n; i++) {
        row[0] = (int)i;
        for (size_t j = 1; j <= b->n; j++) {
            int sub = prev[j - 1] + (a->c[i - 1] != b->c[j - 1]);
            int del = prev[j] + 1, ins = row[j - 1] + 1;
            row[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, row, (b->n + 1) * sizeof row[0]);
    }
    if (!(b_free & LEV_TAIL_FREE))
        return prev[b->n];
    int best = prev[0];
    for (size_t j = 1; j <= b->n; j++)
        best = prev[j] < best ? prev[j] : best;
    return best;
}

int ps_text_distance(const char *a, const char *b, int b_tail_free)
{
    cps x, y;
    if (a == NULL || b == NULL)
        return -1;
    decode(a, &x);
    decode(b, &y);
    return lev(&x, &y, b_tail_free ? LEV_TAIL_FREE : 0);
}

int ps_misread_allowance(size_t len, double confidence)
{
    int k;
    if (confidence < 0 || confidence >= PS__SURE)
        k = 0;
    else if (confidence >= PS__UNSURE)
        k = 1;
    else
        k = (int)(len / 2);
    if (len < PS__KEEP)
        return 0;
    if ((size_t)k > len - PS__KEEP)
        k = (int)(len - PS__KEEP);
    return k;
}

/* ---- names -------------------------------------------------------------- */

/* Script classes come from read/utf8.h: BMP kanji (as before: a name with
 * a supplementary-plane kanji is not judged), the whole hiragana block, and
 * katakana counting ・ and ー. */
static int is_space(uint32_t c) { return c == ' ' || c == 0x3000 || c == '\t'; }

/* No Japanese word starts with ン, a long-vowel mark or a small kana. */
static int bad_word_start(uint32_t c)
{
    static const uint32_t bad[] = {0x30F3, 0x3093, 0x30FC, 0x30A1, 0x30A3, 0x30A5, 0x30A7,
                                   0x30A9, 0x30C3, 0x30E3, 0x30E5, 0x30E7, 0x30EE, 0x3041,
                                   0x3043, 0x3045, 0x3047, 0x3049, 0x3063, 0x3083, 0x3085,
                                   0x3087, 0x308E};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (c == bad[i])
            return 1;
    return 0;
}

/* 1 Latin, 0 Japanese, -1 not a plausible name. */
static int name_script(const cps *s)
{
    size_t latin = 0, jp = 0;
    int word_start = 1, hira = 0, kata = 0;
    for (size_t i = 0; i < s->n; i++) {
        uint32_t c = s->c[i];
        if (c >= 0xFF01 && c <= 0xFF5E)
            c -= 0xFEE0; /* full-width ASCII */
        if (is_space(c)) {
            word_start = 1;
            hira = kata = 0;
            continue;
        }
        if (ps__cp_is_latin(c)) {
            latin++;
        } else if (ps__cp_is_kanji_bmp(c) || ps__cp_is_hiragana(c) || ps__cp_is_katakana_word(c)) {
            if (word_start && bad_word_start(c))
                return -1;
            hira |= ps__cp_is_hiragana(c);
            kata |= ps__cp_is_katakana_word(c) && c != 0x30FC;
            if (hira && kata)
                return -1; /* にロートー: one word in two kana scripts */
            jp++;
        } else if (c == '<' || c == '\'' || c == '-' || c == '.' || c == ',' || c == 0x30FB) {
            /* separators a printed or MRZ name may carry */
        } else {
            return -1; /* digits, brackets, bars: not a name */
        }
        word_start = 0;
    }
    if (latin > 0 && jp > 0)
        return -1;
    if (latin > 0)
        return latin >= 4 ? 1 : -1; /* WU LI; "US", "Cm" are noise */
    return jp >= 2 ? 0 : -1;        /* family and given name: two kanji at least */
}

/* `s` with widths folded, split at spaces in `buf`: its first `max`
 * words in w. @return how many (0 when it cannot be folded). */
static int words_of(const char *s, char *buf, size_t cap, char **w, int max)
{
    int n = 0;
    if (ps_norm_text(s, PS_NORM_WIDTH, buf, cap) != PS_OK)
        return 0;
    for (char *t = strtok(buf, " "); t && n < max; t = strtok(NULL, " "))
        w[n++] = t;
    return n;
}

/* The reading as candidate name strings: whole, and with a stray
 * one-character word before or after it dropped. Writes up to 4. */
static int name_variants(const char *doc, char out[4][PS__JUDGE_BUF])
{
    char w[PS__JUDGE_BUF];
    char *words[PS__JUDGE_MAX];
    int nw = words_of(doc, w, sizeof w, words, PS__JUDGE_MAX), n = 0;
    for (int drop_first = 0; drop_first < 2; drop_first++) {
        for (int drop_last = 0; drop_last < 2; drop_last++) {
            int lo = drop_first, hi = nw - drop_last;
            size_t kept = 0, pos = 0;
            if ((drop_first && (nw < 2 || cp_len(words[0]) != 1)) ||
                (drop_last && (nw < 2 || cp_len(words[nw - 1]) != 1)))
                continue;
            for (int i = lo; i < hi; i++)
                kept += cp_len(words[i]);
            if (kept < PS__KEEP)
                continue;
            out[n][0] = '\0';
            for (int i = lo; i < hi; i++) {
                size_t l = strlen(words[i]);
                if (pos + l + 2 > PS__JUDGE_BUF)
                    break;
                if (pos)
                    out[n][pos++] = ' ';
                memcpy(out[n] + pos, words[i], l + 1);
                pos += l;
            }
            n++;
        }
    }
    return n;
}

/* 1 when the reading x is only a part of the registered form y (both
 * normalised): x, less at most one stray character at each end (a label's
 * tail or a frame line read into the zone), is at least PS__KEEP
 * characters, shorter than y, and found inside it. A name cut by its zone
 * says nothing against the person. */
static int name_part_of(const cps *x, const cps *y)
{
    if (x->n >= y->n)
        return 0;
    for (size_t lo = 0; lo < 2; lo++)
        for (size_t hi = 0; hi < 2; hi++) {
            if (x->n < lo + hi + PS__KEEP)
                continue;
            size_t n = x->n - lo - hi;
            for (size_t at = 0; at + n <= y->n; at++)
                if (memcmp(x->c + lo, y->c + at, n * sizeof x->c[0]) == 0)
                    return 1;
        }
    return 0;
}

/* Edits between a reading variant and a registered kanji/kana form (and
 * that form with its two parts swapped), on ps_norm_name() keys; -1 when a
 * key cannot be made. *len gets the registered key's length, *part 1 when
 * the reading is only a part of the form (name_part_of()), or, read
 * unsurely (`unsure`), a shorter reading one edit from a part of it (直美
 * for 近藤 由美 with its family name cut off: a part with a slip says
 * nothing against the person). */
static int name_edits(const char *variant, const char *form, int unsure, size_t *len, int *part)
{
    char a[PS__JUDGE_BUF], b[PS__JUDGE_BUF], sw[PS__JUDGE_BUF];
    cps x, y;
    int d;
    *part = 0;
    if (ps_norm_name(variant, a, sizeof a) != PS_OK || ps_norm_name(form, b, sizeof b) != PS_OK)
        return -1;
    decode(a, &x);
    decode(b, &y);
    *len = y.n;
    *part = name_part_of(&x, &y) || (unsure && x.n >= PS__KEEP && x.n < y.n &&
                                     lev(&x, &y, LEV_TAIL_FREE | LEV_HEAD_FREE) <= 1);
    d = lev(&x, &y, 0);
    /* family and given name swapped */
    if (ps_norm_text(form, PS_NORM_WIDTH, sw, sizeof sw) == PS_OK) {
        char *sp = strchr(sw, ' ');
        if (sp) {
            char swapped[PS__JUDGE_BUF];
            *sp = '\0';
            if (snprintf(swapped, sizeof swapped, "%s %s", sp + 1, sw) < (int)sizeof swapped &&
                ps_norm_name(swapped, b, sizeof b) == PS_OK) {
                int d2;
                decode(b, &y);
                d2 = lev(&x, &y, 0);
                d = d2 < d ? d2 : d;
            }
        }
    }
    return d;
}

/* Three of the same character in a row: no name is written so; a zone of
 * noise read as one kana over and over is. */
static int repeats_thrice(const cps *s)
{
    for (size_t i = 2; i < s->n; i++)
        if (s->c[i] == s->c[i - 1] && s->c[i] == s->c[i - 2] && !is_space(s->c[i]))
            return 1;
    return 0;
}

/* Letters of a Latin name in order, no separators. */
static void latin_letters(const char *s, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; s[i] && o + 1 < cap; i++) {
        char c = s[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (c >= 'A' && c <= 'Z')
            out[o++] = c;
    }
    out[o] = '\0';
}

/* Words of a Latin name after ps_norm_latin_name(); 0 when it fails. */
static int latin_word_count(const char *s)
{
    char k[PS__JUDGE_BUF];
    int n = 0;
    if (ps_norm_latin_name(s, k, sizeof k) != PS_OK)
        return 0;
    for (const char *p = k; *p; p++)
        n += *p != ' ' && (p == k || p[-1] == ' ');
    return n;
}

/* 1 when the reading's words are fewer than the registered Latin name's
 * and each of them is one of its words (Hepburn-folded keys): the zone or
 * the outline cut the name short. */
static int latin_part_of(const char *doc, const char *form)
{
    char a[PS__JUDGE_BUF], b[PS__JUDGE_BUF];
    int na = 0, nb = latin_word_count(form), all = 1;
    if (ps_norm_latin_name(doc, a, sizeof a) != PS_OK ||
        ps_norm_latin_name(form, b, sizeof b) != PS_OK || a[0] == '\0')
        return 0;
    for (char *t = strtok(a, " "); t; t = strtok(NULL, " ")) {
        size_t l = strlen(t);
        const char *hit = NULL;
        na++;
        for (const char *q = strstr(b, t); q && !hit; q = strstr(q + 1, t))
            if ((q == b || q[-1] == ' ') && (q[l] == ' ' || q[l] == '\0'))
                hit = q;
        all &= hit != NULL;
    }
    return all && na < nb;
}

static int latin_edits(const char *doc, const char *form, size_t *len)
{
    char a[PS__JUDGE_BUF], b[PS__JUDGE_BUF], rev[PS__JUDGE_BUF];
    int best;
    /* sorted Hepburn-folded words, and the letters in either word order */
    if (ps_norm_latin_name(doc, a, sizeof a) != PS_OK ||
        ps_norm_latin_name(form, b, sizeof b) != PS_OK)
        return -1;
    best = ps_text_distance(a, b, 0);
    latin_letters(doc, a, sizeof a);
    latin_letters(form, b, sizeof b);
    *len = strlen(b);
    {
        int d = ps_text_distance(a, b, 0);
        best = d < best ? d : best;
    }
    /* the registered words reversed: TARO YAMADA vs YAMADA TARO */
    {
        const char *sp = strrchr(form, ' ');
        if (sp) {
            /* letters only: the order of the parts is all that differs */
            char tail[PS__JUDGE_BUF], head[PS__JUDGE_BUF];
            latin_letters(sp + 1, tail, sizeof tail);
            latin_letters(form, head, sizeof head);
            head[strlen(head) - strlen(tail)] = '\0';
            snprintf(rev, sizeof rev, "%s", tail);
            strncat(rev, head, sizeof rev - strlen(rev) - 1);
            memcpy(b, rev, strlen(rev) + 1);
            int d = ps_text_distance(a, b, 0);
            best = d < best ? d : best;
        }
    }
    return best;
}

/* 1 when the reading has as many words as the registered Latin name, one
 * of them the same and each other one letter off its counterpart (MAL ENDO
 * for MAI ENDO): embossed I/L, O/Q, U/V misread at high confidence. A
 * family member's card differs in a whole given name. */
static int latin_words_near(const char *doc, const char *form)
{
    char ka[PS__JUDGE_BUF], kb[PS__JUDGE_BUF], a[PS__JUDGE_BUF], b[PS__JUDGE_BUF], *wa[3], *wb[3];
    if (ps_norm_latin_name(doc, ka, sizeof ka) != PS_OK ||
        ps_norm_latin_name(form, kb, sizeof kb) != PS_OK ||
        words_of(ka, a, sizeof a, wa, 3) != 2 || words_of(kb, b, sizeof b, wb, 3) != 2)
        return 0;
    for (int swap = 0; swap < 2; swap++) {
        int d0 = ps_text_distance(wa[0], wb[swap], 0), d1 = ps_text_distance(wa[1], wb[1 - swap], 0);
        if (d0 >= 0 && d1 >= 0 && d0 + d1 == 1)
            return 1;
    }
    return 0;
}

/* A family member's document: the reading's two words and the registered
 * kanji name's agree in the family name (keys equal) while the given names,
 * two or more kanji each, share no character. A misreading changes a
 * character or two, rarely every kanji of one word while the other reads
 * true; a parent's or sibling's ID (池田 太郎 for 池田 拓也) does exactly
 * that. */
static int family_member(const char *doc, const char *form)
{
    char a[PS__JUDGE_BUF], b[PS__JUDGE_BUF], ka[2][PS__JUDGE_BUF], kb[2][PS__JUDGE_BUF];
    char *wa[3], *wb[3];
    cps ga, gb;
    /* up to 3 words each, so that a third one shows */
    if (words_of(doc, a, sizeof a, wa, 3) != 2 || words_of(form, b, sizeof b, wb, 3) != 2)
        return 0;
    for (int i = 0; i < 2; i++)
        if (ps_norm_name(wa[i], ka[i], sizeof ka[i]) != PS_OK ||
            ps_norm_name(wb[i], kb[i], sizeof kb[i]) != PS_OK)
            return 0;
    if (strcmp(ka[0], kb[0]) != 0)
        return 0;
    decode(ka[1], &ga);
    decode(kb[1], &gb);
    if (ga.n < 2 || gb.n < 2)
        return 0;
    for (size_t i = 0; i < ga.n; i++) {
        if (!ps__cp_is_kanji_bmp(ga.c[i]))
            return 0;
        for (size_t j = 0; j < gb.n; j++)
            if (ga.c[i] == gb.c[j] || !ps__cp_is_kanji_bmp(gb.c[j]))
                return 0;
    }
    return 1;
}

ps_judgement ps_name_judge(const char *doc_name, double confidence, const char *name,
                           const char *name_kana, const char *name_latin)
{
    char var[4][PS__JUDGE_BUF];
    cps s;
    int script, nv;
    const char *forms[2] = {name, name_kana};
    int any = (name && name[0]) || (name_kana && name_kana[0]) || (name_latin && name_latin[0]);

    if (doc_name == NULL || !any)
        return PS_JUDGE_UNSURE;
    if (ps_name_compare(doc_name, name && name[0] ? name : NULL,
                        name_kana && name_kana[0] ? name_kana : NULL,
                        name_latin && name_latin[0] ? name_latin : NULL) != PS_NAME_NO_MATCH)
        return PS_JUDGE_SAME;
    if (confidence >= 0 && confidence < PS__NOISE)
        return PS_JUDGE_UNSURE;
    decode(doc_name, &s);
    script = name_script(&s);
    if (script < 0)
        return PS_JUDGE_UNSURE;
    if (script == 1) {
        size_t len = 0;
        int d;
        if (!(name_latin && name_latin[0]))
            return PS_JUDGE_UNSURE; /* nothing registered to compare Latin with */
        if (latin_part_of(doc_name, name_latin))
            return PS_JUDGE_UNSURE; /* INOUE for TARO INOUE: a name cut short */
        if (confidence < PS__SURE && latin_word_count(name_latin) >= 2 &&
            latin_word_count(doc_name) == 1)
            return PS_JUDGE_UNSURE; /* one unsure word for a name of two: cut or noise */
        if (latin_words_near(doc_name, name_latin))
            return PS_JUDGE_UNSURE;
        d = latin_edits(doc_name, name_latin, &len);
        /* two Latin letters carry about what one kanji does */
        return d >= 0 && d <= ps_misread_allowance(len / 2, confidence) ? PS_JUDGE_UNSURE
                                                                         : PS_JUDGE_DIFFERENT;
    }
    if (!((name && name[0]) || (name_kana && name_kana[0])))
        return PS_JUDGE_UNSURE; /* a kanji reading, only a Latin name registered */
    if (!(name_kana && name_kana[0])) {
        /* a kana reading (フリガナ) says nothing against a kanji name */
        int kanji = 0;
        for (size_t i = 0; i < s.n; i++)
            kanji |= ps__cp_is_kanji_bmp(s.c[i]);
        if (!kanji)
            return PS_JUDGE_UNSURE;
    }
    if (repeats_thrice(&s))
        return PS_JUDGE_UNSURE;
    if (confidence >= PS__FAMILY_MIN_CONF && name && name[0] && family_member(doc_name, name))
        return PS_JUDGE_DIFFERENT;
    nv = name_variants(doc_name, var);
    for (int v = 0; v < nv; v++) {
        for (int f = 0; f < 2; f++) {
            size_t len = 0;
            int d, part;
            if (forms[f] == NULL || forms[f][0] == '\0')
                continue;
            d = name_edits(var[v], forms[f], confidence >= 0 && confidence < PS__UNSURE, &len,
                           &part);
            if ((d >= 0 && d <= ps_misread_allowance(len, confidence)) || part)
                return PS_JUDGE_UNSURE;
        }
    }
    return PS_JUDGE_DIFFERENT;
}

/* ---- addresses ---------------------------------------------------------- */

static int pref_end(uint32_t c)
{
    return c == 0x90FD || c == 0x9053 || c == 0x5E9C || c == 0x770C; /* 都 道 府 県 */
}

static void digits_of(const char *s, char *out, size_t cap);

ps_judgement ps_address_judge(const char *doc_address, double confidence,
                              const char *registered)
{
    char ka[PS__JUDGE_BUF], kb[PS__JUDGE_BUF];
    cps a, b, cut;
    int d, allow;

    if (doc_address == NULL || registered == NULL)
        return PS_JUDGE_UNSURE;
    if (ps_norm_address(doc_address, ka, sizeof ka) != PS_OK ||
        ps_norm_address(registered, kb, sizeof kb) != PS_OK || kb[0] == '\0')
        return PS_JUDGE_UNSURE;
    if (strcmp(ka, kb) == 0)
        return PS_JUDGE_SAME;
    decode(ka, &a);
    decode(kb, &b);
    /* A prefecture the key kept because it names none (阪府, 埼球県,
     * 海道): drop it when that brings the reading closer. */
    d = lev(&a, &b, 0);
    cut.n = 0;
    if (ps_prefecture_of(doc_address) == NULL) {
        for (size_t i = 1; i < a.n && i < PS__PREF_MAX; i++) {
            if (!pref_end(a.c[i]))
                continue;
            cut.n = a.n - i - 1;
            memcpy(cut.c, a.c + i + 1, cut.n * sizeof cut.c[0]);
            if (lev(&cut, &b, 0) < d) {
                d = lev(&cut, &b, 0);
                a = cut;
            }
            break;
        }
    }
    if (d == 0)
        return PS_JUDGE_SAME; /* the key leaves the prefecture out anyway */
    if (a.n < PS__MIN_ADDRESS)
        return PS_JUDGE_UNSURE;
    allow = 0;
    if (confidence >= 0 && confidence < PS__SURE) {
        allow = (int)(b.n / PS__ADDR_PER_EDIT);
        if (allow < 1)
            allow = 1;
        if (confidence < PS__UNSURE)
            allow *= 2;
    }
    {
        /* The block numbers read are the registered ones: one character
         * more off is a misreading, at any confidence. A line's confidence
         * is the mean of its words, and one kanji misread in a 20-character
         * address hardly moves it (葵区 as 鞭区, 青葉 as 言葉, 左京 as た京,
         * read at 0.91-0.92), while a move to the same town name and block
         * numbers in another ward is far rarer. */
        char da[64], db[64];
        digits_of(ka, da, sizeof da);
        digits_of(kb, db, sizeof db);
        if (da[0] && strcmp(da, db) == 0)
            allow += 1;
    }
    if (d <= allow)
        return PS_JUDGE_UNSURE;
    /* the reading stops early (a cut line, a finger over the end) */
    if (a.n < b.n && lev(&a, &b, LEV_TAIL_FREE) <= allow)
        return PS_JUDGE_UNSURE;
    return PS_JUDGE_DIFFERENT;
}

/* ---- dates --------------------------------------------------------------- */

/* ASCII digits of `s` (full-width folded), at most cap - 1. */
static void digits_of(const char *s, char *out, size_t cap)
{
    size_t i = 0, o = 0;
    while (s[i] && o + 1 < cap) {
        uint32_t c = ps__utf8_next(s, &i);
        if (c >= 0xFF10 && c <= 0xFF19)
            c -= 0xFEE0;
        if (c >= '0' && c <= '9')
            out[o++] = (char)c;
    }
    out[o] = '\0';
}

ps_judgement ps_date_judge(const char *text, const char *iso, double confidence,
                           const char *registered_iso)
{
    ps_date got, reg;
    char dg[64];
    int years[3], ny = 0, era_year = 0, letters = 0;

    if (text == NULL || iso == NULL || registered_iso == NULL ||
        ps_date_from_iso(registered_iso, &reg) != PS_OK)
        return PS_JUDGE_UNSURE;
    if (ps_date_from_iso(iso, &got) != PS_OK)
        return PS_JUDGE_UNSURE;
    if (ps_date_cmp(got, reg) == 0)
        return PS_JUDGE_SAME;
    if (confidence >= 0 && confidence >= PS__SURE)
        return PS_JUDGE_DIFFERENT;
    digits_of(text, dg, sizeof dg);
    for (const char *p = text; *p; p++)
        letters |= (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z');
    years[ny++] = reg.year;
    if (ps_date_era_of(reg, &era_year) != PS_ERA_NONE)
        years[ny++] = era_year;
    years[ny++] = reg.year % 100;
    /* The registered date printed every usual way: year first (2024年1月2日,
     * 平成2年1月2日, 240102) or day first (02 JAN 2024, where the month is
     * letters: no month digits), padded or not. */
    for (int y = 0; y < ny; y++) {
        for (int pad = 0; pad < 2; pad++) {
            char c[4][48];
            char ys[16], ms[16], ds[16];
            if (y == ny - 1)
                snprintf(ys, sizeof ys, "%02d", years[y]); /* two-digit year: always padded */
            else
                snprintf(ys, sizeof ys, "%d", years[y]);
            if (pad) {
                snprintf(ms, sizeof ms, "%02d", reg.month);
                snprintf(ds, sizeof ds, "%02d", reg.day);
            } else {
                snprintf(ms, sizeof ms, "%d", reg.month);
                snprintf(ds, sizeof ds, "%d", reg.day);
            }
            snprintf(c[0], sizeof c[0], "%s%s%s", ys, ms, ds);
            snprintf(c[1], sizeof c[1], "%s%s%s", ds, ms, ys);
            snprintf(c[2], sizeof c[2], "%s%s", ds, ys);
            snprintf(c[3], sizeof c[3], "%s%s", ys, ds);
            /* day and year alone only where the month is written in letters
             * (and read as the registered month) */
            for (int k = 0; k < (letters && got.month == reg.month ? 4 : 2); k++)
                if (ps_text_distance(dg, c[k], 0) <= 1)
                    return PS_JUDGE_UNSURE;
        }
    }
    return PS_JUDGE_DIFFERENT;
}
