/* Field extraction per document type (see prescreen/fields.h). */
#include "prescreen/fields.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sodium.h>
#include <string.h>
#include <time.h>

#include "cv/stamp.h"
#include "cv/textline.h"
#include "prescreen/geom.h"
#include "prescreen/normalize.h"
#include "read/utf8.h"

#ifndef PS_DEFAULT_MODEL_DIR
#define PS_DEFAULT_MODEL_DIR "models"
#endif

static ps_field_id ps__field_from_name(const char *s)
{
    for (int i = 0; i < PS_FIELD_COUNT_; i++)
        if (strcmp(s, ps_field_name((ps_field_id)i)) == 0)
            return (ps_field_id)i;
    return PS_FIELD_COUNT_;
}

/* ---- templates -------------------------------------------------------- */

/* Most scale variants tried per zone, zones per template, and alternative
 * boxes per zone (one card type printed in more than one layout). */
#define PS__MAX_TRIES 4
#define PS__MAX_ZONES 16
#define PS__MAX_BOXES 3

typedef struct ps__try {
    double glyph_mult; /* times the zone's glyph height */
    double x_stretch;
    int flatten;       /* -1 = the zone's setting */
} ps__try;

typedef struct ps__zone {
    ps_field_id field;
    double box[PS__MAX_BOXES][4]; /* x, y, w, h as fractions of the card */
    int layout[PS__MAX_BOXES];    /* which printed layout each box belongs to */
    int n_boxes;
    double glyph;      /* glyph height as a fraction of card height */
    int psm;
    int flatten;
    int polarity;      /* ps_ocr_polarity: "polarity": "dark"|"light"|"auto" */
    int digits;        /* document numbers: digit count, 0 = any */
    char langs[16];    /* tesseract languages for this zone, "" = engine's */
    char whitelist[64]; /* only these characters, "" = all */
    ps__try tries[PS__MAX_TRIES];
    int n_tries;
} ps__zone;

struct ps_template {
    ps__zone zones[PS__MAX_ZONES];
    int n_zones;
};

void ps_template_free(ps_template **t)
{
    if (!t || !*t)
        return;
    free(*t);
    *t = NULL;
}

static double ps__num(json_t *o, const char *key, double def)
{
    json_t *v = json_object_get(o, key);
    return json_is_number(v) ? json_number_value(v) : def;
}

ps_status ps_template_load(const char *path, ps_template **out)
{
    ps_status st = PS_OK;
    json_error_t err;
    json_t *root = NULL;
    ps_template *t = NULL;
    if (out)
        *out = NULL;
    if (!path || !out)
        return PS_E_ARG;
    FILE *f = fopen(path, "rb");
    if (!f)
        return PS_E_IO;
    root = json_loadf(f, 0, &err);
    fclose(f);
    if (!root)
        return PS_E_MODEL;
    t = calloc(1, sizeof *t);
    if (!t) {
        st = PS_E_NOMEM;
        goto done;
    }
    json_t *zones = json_object_get(root, "zones");
    if (!json_is_array(zones) || json_array_size(zones) > PS__MAX_ZONES) {
        st = PS_E_MODEL;
        goto done;
    }
    for (size_t i = 0; i < json_array_size(zones); i++) {
        json_t *z = json_array_get(zones, i), *box = json_object_get(z, "box");
        json_t *boxes = json_object_get(z, "boxes");
        ps__zone *zz = &t->zones[t->n_zones];
        const char *fname = json_string_value(json_object_get(z, "field"));
        if (!fname || (zz->field = ps__field_from_name(fname)) == PS_FIELD_COUNT_) {
            st = PS_E_MODEL;
            goto done;
        }
        /* "box": one box; "boxes": alternatives read in order */
        size_t nb = json_is_array(boxes) ? json_array_size(boxes) : 1;
        if (nb < 1 || nb > PS__MAX_BOXES) {
            st = PS_E_MODEL;
            goto done;
        }
        for (size_t j = 0; j < nb; j++) {
            json_t *bx = json_is_array(boxes) ? json_array_get(boxes, j) : box;
            double *zb = zz->box[j];
            if (!json_is_array(bx) || json_array_size(bx) != 4) {
                st = PS_E_MODEL;
                goto done;
            }
            for (int k = 0; k < 4; k++) {
                json_t *v = json_array_get(bx, (size_t)k);
                zb[k] = json_is_number(v) ? json_number_value(v) : -1;
            }
            if (zb[0] < 0 || zb[1] < 0 || zb[2] <= 0 || zb[3] <= 0 || zb[0] + zb[2] > 1.0001 ||
                zb[1] + zb[3] > 1.0001) {
                st = PS_E_MODEL;
                goto done;
            }
        }
        zz->n_boxes = (int)nb;
        /* "layouts": the layout each box belongs to (default: its index), so
         * that a card whose layout one zone has shown is read in it first */
        json_t *lays = json_object_get(z, "layouts");
        for (size_t j = 0; j < nb; j++) {
            json_t *v = json_is_array(lays) ? json_array_get(lays, j) : NULL;
            zz->layout[j] = json_is_integer(v) ? (int)json_integer_value(v) : (int)j;
        }
        zz->glyph = ps__num(z, "glyph", 0);
        zz->psm = (int)ps__num(z, "psm", PS_OCR_PSM_LINE);
        zz->flatten = json_is_false(json_object_get(z, "flatten")) ? 0 : 1;
        zz->digits = (int)ps__num(z, "digits", 0);
        const char *pol = json_string_value(json_object_get(z, "polarity"));
        zz->polarity = pol == NULL || !strcmp(pol, "dark") ? PS_OCR_DARK_TEXT
                       : !strcmp(pol, "light")             ? PS_OCR_LIGHT_TEXT
                       : !strcmp(pol, "auto")              ? PS_OCR_AUTO_TEXT
                                                           : -1;
        if (zz->polarity < 0) {
            st = PS_E_MODEL;
            goto done;
        }
        const char *lg = json_string_value(json_object_get(z, "langs"));
        if (lg && strlen(lg) < sizeof zz->langs)
            strcpy(zz->langs, lg);
        const char *wl = json_string_value(json_object_get(z, "whitelist"));
        if (wl && strlen(wl) < sizeof zz->whitelist)
            strcpy(zz->whitelist, wl);
        json_t *tries = json_object_get(z, "tries");
        if (json_is_array(tries)) {
            for (size_t k = 0; k < json_array_size(tries) && zz->n_tries < PS__MAX_TRIES; k++) {
                json_t *tr = json_array_get(tries, k);
                zz->tries[zz->n_tries].glyph_mult = ps__num(tr, "glyph_mult", 1.0);
                zz->tries[zz->n_tries].x_stretch = ps__num(tr, "x_stretch", 1.0);
                json_t *fl = json_object_get(tr, "flatten");
                zz->tries[zz->n_tries].flatten = json_is_boolean(fl) ? json_is_true(fl) : -1;
                zz->n_tries++;
            }
        }
        if (zz->n_tries == 0) {
            zz->tries[0].glyph_mult = 1.0;
            zz->tries[0].x_stretch = 1.0;
            zz->tries[0].flatten = -1;
            zz->n_tries = 1;
        }
        t->n_zones++;
    }
    *out = t;
    t = NULL;
done:
    json_decref(root);
    free(t);
    return st;
}

ps_status ps_template_load_for(const char *model_dir, ps_doctype type, ps_side side,
                               ps_template **out)
{
    char path[1024];
    if (out)
        *out = NULL;
    if (!out || type == PS_DOC_UNKNOWN)
        return PS_E_ARG;
    if (!model_dir)
        model_dir = PS_DEFAULT_MODEL_DIR;
    const char *sn = side == PS_SIDE_BACK ? "back" : "front";
    if (snprintf(path, sizeof path, "%s/templates/%s_%s.json", model_dir, ps_doctype_name(type),
                 sn) >= (int)sizeof path)
        return PS_E_ARG;
    return ps_template_load(path, out);
}

/* ---- text clean-up ---------------------------------------------------- */


/* Removes the first occurrence of each label in `labels` from s. */
static void ps__strip_labels(char *s, const char *const *labels)
{
    for (; *labels; labels++) {
        char *p = strstr(s, *labels);
        if (p)
            memmove(p, p + strlen(*labels), strlen(p + strlen(*labels)) + 1);
    }
}

/* Drops era names (and spaces, ruling) at the end of a name: the start of
 * a date printed after it. */
static void ps__strip_era_tail(char *s)
{
    /* an era's first year printed 元 (平成元年): its 年 may be cut off too */
    static const char *const tails[] = {"明治元", "大正元", "昭和元", "平成元", "令和元", "明治",
                                        "大正",   "昭和",   "平成",   "令和",   "元年",   NULL};
    size_t n = strlen(s);
    for (int again = 1; again;) {
        again = 0;
        while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '|'))
            s[--n] = '\0';
        for (int k = 0; tails[k]; k++) {
            size_t l = strlen(tails[k]);
            if (n >= l && memcmp(s + n - l, tails[k], l) == 0) {
                n -= l;
                s[n] = '\0';
                again = 1;
            }
        }
    }
}

/* Keeps CJK characters (and Latin letters, as capitals, when there is no CJK), single
 * spaces between groups; drops digits, punctuation and ruling read as '|'. */
static void ps__clean_name(char *s)
{
    /* 民名 and 兵名: 氏名 as OCR reads it on notification cards */
    static const char *const labels[] = {"氏名", "氏 名", "民名", "兵名", "NAME", "Name", "様", NULL};
    char folded[PS_FIELD_TEXT_MAX];
    if (ps_norm_text(s, PS_NORM_WIDTH, folded, sizeof folded) != PS_OK)
        return;
    ps__strip_labels(folded, labels);
    /* A name holds no digits: what follows the first one is a date printed
     * beside it (a licence prints 昭和27年6月25日生 on the name's line). */
    for (size_t i = 0; folded[i]; i++)
        if (folded[i] >= '0' && folded[i] <= '9') {
            folded[i] = '\0';
            break;
        }
    ps__strip_era_tail(folded);
    int any_cjk = 0;
    for (size_t i = 0; folded[i];)
        if (ps__cp_is_japanese(ps__utf8_next(folded, &i)))
            any_cjk = 1;
    size_t o = 0;
    char buf[4];
    for (size_t i = 0; folded[i];) {
        uint32_t c = ps__utf8_next(folded, &i);
        int keep = ps__cp_is_japanese(c) || (!any_cjk && ps__cp_is_latin(c));
        if (!keep) {
            if (o > 0 && s[o - 1] != ' ')
                s[o++] = ' ';
            continue;
        }
        /* Japanese documents print Latin names in capitals: a small
         * letter is OCR's reading of a capital (LiMEI for LI MEI) */
        if (c >= 'a' && c <= 'z')
            c -= 'a' - 'A';
        size_t k = ps__utf8_put(c, buf);
        memcpy(s + o, buf, k);
        o += k;
    }
    s[o] = '\0';
    /* again once punctuation is gone: 長谷川太郎 平成… read as 平成S */
    ps__strip_era_tail(s);
}

/* 1 when one of 都 道 府 県 is among the first five characters: a
 * prefecture OCR misread (神奈川県 as 神奈州県) or a specimen's ○○県. */
static int ps__pref_shaped(const char *s)
{
    size_t i = 0;
    for (int k = 0; k < 5 && s[i]; k++) {
        uint32_t c = ps__utf8_next(s, &i);
        if (c == 0x90FD || c == 0x9053 || c == 0x5E9C || c == 0x770C)
            return 1;
    }
    return 0;
}

/* Address: label dropped, width and dashes folded, spaces removed, leading
 * ruling/punctuation dropped. */
static void ps__clean_address(char *s)
{
    static const char *const labels[] = {"住所", "住 所", NULL};
    char folded[PS_FIELD_TEXT_MAX];
    ps__strip_labels(s, labels);
    if (ps_norm_text(s, PS_NORM_WIDTH | PS_NORM_DASH | PS_NORM_NOSPACE, folded,
                     sizeof folded) != PS_OK)
        return;
    size_t i = 0, start = 0;
    while (folded[i]) {
        size_t at = i;
        uint32_t c = ps__utf8_next(folded, &i);
        if (ps__cp_is_japanese(c) || (c >= '0' && c <= '9') || c == 0x3007 || c == 0x25CB ||
            c == 0x25A1 || c == 0x25B3 || c == 0x25C7 || c == 0x25BD) {
            start = at; /* first character an address can start with */
            break;
        }
        start = i;
    }
    /* A printed prefecture is where the address starts: what comes before
     * it is a label or ruling read as text. */
    for (size_t j = start; folded[j];) {
        if (ps_prefecture_of(folded + j)) {
            start = j;
            break;
        }
        (void)ps__utf8_next(folded, &j);
    }
    memmove(s, folded + start, strlen(folded + start) + 1);
    /* Trailing ruling and punctuation. */
    size_t n = strlen(s);
    while (n > 0 && strchr("|!l[]()_-.,:;'\"` ", s[n - 1]))
        s[--n] = '\0';
}

/* Longest run of digits (width folded) into s. Returns its length. */
static int ps__clean_number(char *s)
{
    char folded[PS_FIELD_TEXT_MAX];
    if (ps_norm_text(s, PS_NORM_WIDTH | PS_NORM_NOSPACE, folded, sizeof folded) != PS_OK)
        return 0;
    size_t best = 0, best_at = 0;
    for (size_t i = 0; folded[i];) {
        size_t j = i;
        while (folded[j] >= '0' && folded[j] <= '9')
            j++;
        if (j - i > best) {
            best = j - i;
            best_at = i;
        }
        i = j > i ? j : i + 1;
    }
    memcpy(s, folded + best_at, best);
    s[best] = '\0';
    return (int)best;
}

/* A payment card's MM/YY (good through the month's last day). Returns 1
 * and fills f when `text` holds one. */
static int ps__card_expiry(const char *text, ps_field *f)
{
    char t[PS_FIELD_TEXT_MAX];
    if (ps_norm_text(text, PS_NORM_WIDTH | PS_NORM_NOSPACE, t, sizeof t) != PS_OK)
        return 0;
    for (size_t i = 0; t[i]; i++) {
        const char *p = t + i;
        int d = p[0] >= '0' && p[0] <= '9' && p[1] >= '0' && p[1] <= '9' && p[2] == '/' &&
                p[3] >= '0' && p[3] <= '9' && p[4] >= '0' && p[4] <= '9';
        if (!d || (i > 0 && t[i - 1] >= '0' && t[i - 1] <= '9') || (p[5] >= '0' && p[5] <= '9'))
            continue;
        int m = (p[0] - '0') * 10 + (p[1] - '0');
        /* cards printed this century: YY is 20YY */
        int y = 2000 + (p[3] - '0') * 10 + (p[4] - '0');
        if (m < 1 || m > 12)
            continue;
        ps_date last = {y, m, 31};
        while (!ps_date_valid(last))
            last.day--;
        snprintf(f->text, sizeof f->text, "%.5s", p);
        ps_date_to_iso(last, f->iso);
        f->present = 1;
        return 1;
    }
    return 0;
}

static int ps__is_date_field(ps_field_id id)
{
    return id == PS_FIELD_BIRTH_DATE || id == PS_FIELD_EXPIRY || id == PS_FIELD_ISSUE_DATE ||
           id == PS_FIELD_POSTMARK_DATE;
}

/* Characters of `s` other than spaces. */
static int ps__visible_chars(const char *s)
{
    int n = 0;
    for (size_t i = 0; s[i];)
        n += ps__utf8_next(s, &i) != ' ';
    return n;
}

/* Turns raw zone text into the field; returns 1 when it validates (a date
 * that parses, a plausible name/address, the expected digit count). */
static int ps__finish_field(ps_field_id id, const char *raw, double conf, int digits,
                            const ps_date *now, ps_field *f)
{
    char text[PS_FIELD_TEXT_MAX];
    snprintf(text, sizeof text, "%s", raw);
    f->confidence = conf;
    f->iso[0] = '\0';
    if (ps__is_date_field(id)) {
        ps_date_result r;
        /* Only a postmark prints a date without its era (7.8.9); elsewhere
         * an era-less reading is a date whose era was cut off by the zone. */
        /* a birth, an issue or a postmark lies before the upload: one after
         * it (令和68年 for 令和8年) is a misreading, not that date */
        int past_only = id == PS_FIELD_BIRTH_DATE || id == PS_FIELD_ISSUE_DATE || id == PS_FIELD_POSTMARK_DATE;
        if (ps_date_parse(text, now, &r) == PS_OK && r.issue == PS_DATE_OK &&
            (r.form != PS_DATE_ERA_LESS || id == PS_FIELD_POSTMARK_DATE) &&
            !(past_only && now && ps_date_valid(*now) && ps_date_days(r.date) > ps_date_days(*now) + 1)) {
            size_t len = r.end - r.start;
            if (len >= sizeof f->text)
                len = sizeof f->text - 1;
            memcpy(f->text, text + r.start, len);
            f->text[len] = '\0';
            ps_date_to_iso(r.date, f->iso);
            f->present = 1;
            return 1;
        }
        if (id == PS_FIELD_EXPIRY && ps__card_expiry(text, f))
            return 1;
        snprintf(f->text, sizeof f->text, "%s", text);
        f->present = text[0] != '\0';
        return 0;
    }
    int chars = 0;
    switch (id) {
    case PS_FIELD_NAME:
        ps__clean_name(text);
        chars = ps__visible_chars(text);
        snprintf(f->text, sizeof f->text, "%s", text);
        f->present = chars > 0;
        /* A label or a title read in the name's place is not a name (the
         * row under a 氏名 read at low confidence is 生年月日's). */
        if (strstr(text, "カード") || strstr(text, "個人番号") || strstr(text, "氏名") ||
            strstr(text, "住所") || strstr(text, "年月日") || strstr(text, "性別")) {
            f->present = 0;
            return 0;
        }
        /* Two characters is the shortest Japanese full name; OCR below
         * 0.75 on a name zone is mostly noise. */
        return chars >= 2 && conf >= 0.75;
    case PS_FIELD_ADDRESS: {
        ps__clean_address(text);
        int digit = 0;
        for (size_t i = 0; text[i];) {
            uint32_t c = ps__utf8_next(text, &i);
            chars++;
            digit |= (c >= '0' && c <= '9') || c == 0x756A || c == 0x4E01;
        }
        snprintf(f->text, sizeof f->text, "%s", text);
        /* Every address on a Japanese document starts with its prefecture:
         * a line without one is another field read in the address's place. */
        f->present = chars > 0 && (ps_prefecture_of(text) != NULL || ps__pref_shaped(text));
        /* Six characters is about the shortest address with a block number. */
        return f->present && chars >= 6 && digit && conf >= 0.75;
    }
    case PS_FIELD_DOCUMENT_NUMBER: {
        int n = ps__clean_number(text);
        snprintf(f->text, sizeof f->text, "%s", text);
        f->present = n > 0;
        return n > 0 && (digits == 0 || n == digits);
    }
    default:
        return 0;
    }
}

static int ps__has_cjk(const char *s)
{
    for (size_t i = 0; s[i];)
        if (ps__cp_is_japanese(ps__utf8_next(s, &i)))
            return 1;
    return 0;
}

/* Joins the words of a result, dropping low-confidence words at both ends
 * (ruling and stamp fragments) and putting a space only where the gap
 * between two words is wide. Returns the mean confidence of what is kept. */
static double ps__join_words(const ps_ocr_result *r, char *out, size_t cap)
{
    /* Edge words under this confidence are usually ruling or seal marks. */
    const double edge_min = 0.5;
    size_t a = 0, b = r->n_words;
    out[0] = '\0';
    while (a < b && r->words[a].confidence < edge_min && !ps__has_cjk(r->words[a].text))
        a++;
    while (b > a && r->words[b - 1].confidence < edge_min && !ps__has_cjk(r->words[b - 1].text))
        b--;
    double sum = 0;
    size_t pos = 0;
    for (size_t i = a; i < b; i++) {
        const ps_ocr_word *w = &r->words[i];
        size_t len = strlen(w->text);
        int space = 0;
        if (i > a) {
            const ps_ocr_word *p = &r->words[i - 1];
            int gap = w->box.x - (p->box.x + p->box.w);
            int h = w->box.h > p->box.h ? w->box.h : p->box.h;
            /* A gap over half a glyph height separates words. */
            space = w->line != p->line || gap * 2 > h;
        }
        if (pos + len + (size_t)space + 1 > cap)
            break;
        if (space)
            out[pos++] = ' ';
        memcpy(out + pos, w->text, len);
        pos += len;
        out[pos] = '\0';
        sum += w->confidence;
    }
    return b > a ? sum / (double)(b - a) : 0.0;
}

static double ps__ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) * 1000.0 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

/* A name reading with a word under this confidence is not taken on its
 * own: one kanji in a name is often misread for a look-alike (郎/朗) by
 * one scale and not by the others. */
#define PS__SURE_GLYPH 0.9

/* 1 when two cleaned names are the same but for spaces. */
static int ps__same_name(const char *a, const char *b)
{
    for (;;) {
        while (*a == ' ')
            a++;
        while (*b == ' ')
            b++;
        if (*a != *b)
            return 0;
        if (!*a)
            return 1;
        a++;
        b++;
    }
}

/* Reads one template zone, trying its scale variants until one validates;
 * keeps the best reading (validated first, then confidence). */
static ps_status ps__read_zone(ps_ocr *ocr, const ps_image *card, const ps__zone *z,
                               const ps_date *now, int deadline_ms,
                               const struct timespec *t0, int *layout, ps_fields *out)
{
    ps_field best;
    int best_ok = -1, order[PS__MAX_BOXES], n_order = 0;
    /* a name read with an unsure glyph: the box's other tries are read too
     * and the reading most of them agree on (summed confidence) is kept */
    ps_field votes[PS__MAX_TRIES];
    int n_votes = 0;
    memset(&best, 0, sizeof best);
    /* the boxes of the layout earlier zones validated in first, then the
     * others in the template's order */
    for (int bi = 0; bi < z->n_boxes; bi++)
        if (z->layout[bi] == *layout)
            order[n_order++] = bi;
    for (int bi = 0; bi < z->n_boxes; bi++)
        if (z->layout[bi] != *layout)
            order[n_order++] = bi;
    /* Reading order as (box, first try, end of tries) runs. While no zone
     * has shown the layout, the first box gets only its first try before
     * the other boxes get theirs: a card printed in another layout then
     * costs one read of the wrong box, not all its scale variants. */
    int run_box[PS__MAX_BOXES + 1], run_k0[PS__MAX_BOXES + 1], run_k1[PS__MAX_BOXES + 1];
    int n_runs = 0, probe = *layout < 0 && z->n_boxes > 1 && z->n_tries > 1;
    for (int oi = 0; oi < n_order; oi++) {
        run_box[n_runs] = order[oi];
        run_k0[n_runs] = 0;
        run_k1[n_runs++] = probe && oi == 0 ? 1 : z->n_tries;
    }
    if (probe) {
        run_box[n_runs] = order[0];
        run_k0[n_runs] = 1;
        run_k1[n_runs++] = z->n_tries;
    }
    for (int ri = 0; ri < n_runs && best_ok < 1; ri++) {
        int bi = run_box[ri], k_end = run_k1[ri];
        const double *fb = z->box[bi];
        ps_box zb = {(int)lround(fb[0] * card->width), (int)lround(fb[1] * card->height),
                     (int)lround(fb[2] * card->width), (int)lround(fb[3] * card->height)};
        for (int k = run_k0[ri]; k < k_end; k++) {
            ps_ocr_params p;
            ps_ocr_result *r = NULL;
            memset(&p, 0, sizeof p);
            p.zone = zb;
            p.glyph_height = (int)lround(z->glyph * z->tries[k].glyph_mult * card->height);
            if (p.glyph_height < 1)
                p.glyph_height = 0;
            p.x_stretch = z->tries[k].x_stretch;
            p.psm = (ps_ocr_psm)z->psm;
            p.langs = z->langs[0] ? z->langs : NULL;
            p.whitelist = z->whitelist[0] ? z->whitelist : NULL;
            p.flatten = z->tries[k].flatten >= 0 ? z->tries[k].flatten : z->flatten;
            p.polarity = (ps_ocr_polarity)z->polarity;
            if (deadline_ms > 0) {
                p.deadline_ms = deadline_ms - (int)ps__ms_since(t0);
                if (p.deadline_ms <= 0)
                    return PS_E_DEADLINE;
            }
            ps_status st = ps_ocr_read(ocr, card, &p, &r);
            out->zones_read++;
            if (st == PS_E_DEADLINE && n_votes > 0)
                break; /* the readings so far decide */
            if (st != PS_OK)
                return st;
            out->ocr_ms += r->elapsed_ms;
            char raw[PS_FIELD_TEXT_MAX];
            double conf = ps__join_words(r, raw, sizeof raw), min_word = 1;
            for (size_t i = 0; i < r->n_words; i++)
                min_word = fmin(min_word, r->words[i].confidence);
            ps_field f;
            memset(&f, 0, sizeof f);
            int ok = ps__finish_field(z->field, raw, conf, z->digits, now, &f);
            f.box = zb;
            if (r->n_lines > 0) {
                /* the box of what was read, within the zone */
                int x0 = r->lines[0].box.x, y0 = r->lines[0].box.y;
                int x1 = x0 + r->lines[0].box.w, y1 = y0 + r->lines[0].box.h;
                for (size_t i = 1; i < r->n_lines; i++) {
                    const ps_box *b = &r->lines[i].box;
                    x0 = b->x < x0 ? b->x : x0;
                    y0 = b->y < y0 ? b->y : y0;
                    x1 = b->x + b->w > x1 ? b->x + b->w : x1;
                    y1 = b->y + b->h > y1 ? b->y + b->h : y1;
                }
                f.box.x = x0;
                f.box.y = y0;
                f.box.w = x1 - x0;
                f.box.h = y1 - y0;
            }
            ps_ocr_result_free(&r);
            if (f.present && (ok > best_ok || (ok == best_ok && f.confidence > best.confidence))) {
                best = f;
                best_ok = ok;
            }
            if (ok && z->field == PS_FIELD_NAME && (n_votes > 0 || min_word < PS__SURE_GLYPH)) {
                votes[n_votes++] = f;
                k_end = z->n_tries; /* a probe's box gets all its tries to vote */
            }
            if (ok) {
                if (z->n_boxes > 1)
                    *layout = z->layout[bi];
                if (n_votes == 0)
                    break;
            }
        }
        if (n_votes > 1) {
            /* the reading with the most confidence summed over the tries
             * that gave it; its most confident instance stands */
            double top = -1;
            int pick = 0;
            for (int i = 0; i < n_votes; i++) {
                double sum = 0;
                for (int j = 0; j < n_votes; j++)
                    if (ps__same_name(votes[i].text, votes[j].text))
                        sum += votes[j].confidence;
                if (sum > top + 1e-9 ||
                    (fabs(sum - top) < 1e-9 && votes[i].confidence > votes[pick].confidence)) {
                    top = sum;
                    pick = i;
                }
            }
            best = votes[pick];
        }
    }
    ps_field *dst = &out->f[z->field];
    if (best.present && (!dst->present || best.confidence > dst->confidence))
        *dst = best;
    return PS_OK;
}

ps_status ps_fields_read(ps_ocr *ocr, const ps_image *card, ps_doctype type,
                         const ps_template *tpl, const ps_date *now, int deadline_ms,
                         ps_fields *out)
{
    ps_status st = PS_OK;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (out)
        memset(out, 0, sizeof *out);
    if (!ocr || !card || !out)
        return PS_E_ARG;
    if (tpl) {
        int layout = -1; /* not known until a zone with alternatives validates */
        for (int i = 0; i < tpl->n_zones && st == PS_OK; i++)
            st = ps__read_zone(ocr, card, &tpl->zones[i], now, deadline_ms, &t0, &layout, out);
        return st;
    }
    /* No template: find the text lines, read each at its own scale. */
    ps_ocr_line *lines = NULL;
    size_t nl = 0;
    st = ps_fields_read_lines(ocr, card, 1, deadline_ms, &lines, &nl, out);
    if (st == PS_OK || st == PS_E_DEADLINE) {
        ps_status s2 = ps_fields_from_lines(type, lines, nl, now, out);
        if (st == PS_OK)
            st = s2;
    }
    ps_ocr_lines_free(&lines, nl);
    return st;
}

void ps_ocr_lines_free(ps_ocr_line **lines, size_t n)
{
    if (!lines || !*lines)
        return;
    for (size_t i = 0; i < n; i++) {
        /* a page's line may hold a My Number: wiped, not only freed */
        if ((*lines)[i].text != NULL)
            sodium_memzero((*lines)[i].text, strlen((*lines)[i].text));
        free((*lines)[i].text);
    }
    free(*lines);
    *lines = NULL;
}

/* Shortest line box worth reading: glyphs under ~8 px do not read. */
#define PS__MIN_LINE_PX 10

/* Kana and kanji in `s`. */
/* 1 when `s` holds a run of two or more ASCII letters. */
static int ps__has_latin_word(const char *s)
{
    int run = 0;
    for (; *s; s++) {
        int letter = (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z');
        run = letter ? run + 1 : 0;
        if (run >= 2)
            return 1;
    }
    return 0;
}

/* Fewer text lines than this on a card: it is looked for again with the
 * light divided out (every ID card prints a title, a name, an address and
 * a date). */
#define PS__FEW_LINES 3
/* Most stroke bands read as a card's lines, and the smallest line height
 * as a share of the card's (a card prints about a dozen lines). */
#define PS__MAX_BANDS 16
#define PS__BAND_MIN_DIV 40

/* qsort order: the box higher on the card first. */
static int ps__box_above(const void *a, const void *b)
{
    int ya = ((const ps_box *)a)->y, yb = ((const ps_box *)b)->y;
    return (ya > yb) - (ya < yb);
}

ps_status ps_fields_read_lines(ps_ocr *ocr, const ps_image *card, int paper, int deadline_ms,
                               ps_ocr_line **lines_out, size_t *n_out, ps_fields *stats)
{
    ps_status st = PS_OK;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (lines_out)
        *lines_out = NULL;
    if (n_out)
        *n_out = 0;
    if (!ocr || !card || !lines_out || !n_out || !stats)
        return PS_E_ARG;
    ps_box *boxes = NULL;
    size_t n = 0;
    st = ps_ocr_find_lines_ex(ocr, card, NULL, paper, &boxes, &n);
    if (st != PS_OK)
        return st;
    if (!paper && n < PS__FEW_LINES) {
        /* a washed-out or dim card: its faint print shows as lines only
         * with the light divided out */
        ps_box *flat = NULL;
        size_t nf = 0;
        st = ps_ocr_find_lines_ex(ocr, card, NULL, 1, &flat, &nf);
        if (st != PS_OK) {
            free(boxes);
            return st;
        }
        if (nf > n) {
            free(boxes);
            boxes = flat;
            n = nf;
        } else {
            free(flat);
        }
    }
    if (n < PS__FEW_LINES) {
        /* layout analysis still found next to nothing (print washed out to
         * near-white lines): the card's rows dense in vertical strokes are
         * its lines, each read across the card's width */
        ps_box bands[PS__MAX_BANDS];
        int nb = 0;
        ps_box all = {0, 0, card->width, card->height};
        int min_h = card->height / PS__BAND_MIN_DIV;
        st = ps_cv_text_bands(card, all, min_h > 4 ? min_h : 4, bands, PS__MAX_BANDS, &nb);
        if (st != PS_OK) {
            free(boxes);
            return st;
        }
        if ((size_t)nb > n) {
            ps_box *nbx = malloc((size_t)nb * sizeof *nbx);
            if (!nbx) {
                free(boxes);
                return PS_E_NOMEM;
            }
            /* top to bottom, as the layout's lines come */
            memcpy(nbx, bands, (size_t)nb * sizeof *nbx);
            qsort(nbx, (size_t)nb, sizeof *nbx, ps__box_above);
            free(boxes);
            boxes = nbx;
            n = (size_t)nb;
        }
    }
    ps_ocr_line *lines = calloc(n ? n : 1, sizeof *lines);
    size_t nl = 0;
    if (!lines) {
        free(boxes);
        return PS_E_NOMEM;
    }
    for (size_t i = 0; i < n && st == PS_OK; i++) {
        ps_ocr_params p;
        ps_ocr_result *r = NULL;
        memset(&p, 0, sizeof p);
        /* A box too thin for a legible glyph is ruling, an edge or noise;
         * upscaled to the target glyph size it costs seconds for nothing. */
        if (boxes[i].h < PS__MIN_LINE_PX)
            continue;
        /* Table ruling found as a "line": far longer than any printed line
         * of its height. */
        if (boxes[i].w > PS_OCR_RULING_ASPECT * boxes[i].h)
            continue;
        /* A little margin around the detected line: ascenders get clipped. */
        int m = boxes[i].h / 4;
        p.zone.x = boxes[i].x - m;
        p.zone.y = boxes[i].y - m;
        p.zone.w = boxes[i].w + 2 * m;
        p.zone.h = boxes[i].h + 2 * m;
        if (p.zone.x < 0)
            p.zone.x = 0;
        if (p.zone.y < 0)
            p.zone.y = 0;
        if (p.zone.x + p.zone.w > card->width)
            p.zone.w = card->width - p.zone.x;
        if (p.zone.y + p.zone.h > card->height)
            p.zone.h = card->height - p.zone.y;
        if (p.zone.w < 4 || p.zone.h < 4)
            continue;
        /* Glyphs fill about 80% of a detected line box. */
        p.glyph_height = boxes[i].h * 4 / 5;
        p.psm = PS_OCR_PSM_LINE;
        p.flatten = 1;
        if (deadline_ms > 0) {
            p.deadline_ms = deadline_ms - (int)ps__ms_since(&t0);
            if (p.deadline_ms <= 0) {
                st = PS_E_DEADLINE;
                break;
            }
        }
        st = ps_ocr_read(ocr, card, &p, &r);
        stats->zones_read++;
        if (st != PS_OK)
            break;
        stats->ocr_ms += r->elapsed_ms;
        char raw[PS_FIELD_TEXT_MAX];
        double conf = ps__join_words(r, raw, sizeof raw);
        if (paper && ps__has_latin_word(raw)) {
            /* jpn+eng reads large or bold kanji as Latin words (岡本 隆 様 as
             * "WAS WE", 様 as "ER"): Japanese paper's line is read again with
             * the Japanese model alone, which is kept when it is surer or
             * reads more Japanese (the two models' confidences do not
             * compare: "WAS" at 0.65 against 岡本際 様 at 0.32) */
            ps_ocr_result *rj = NULL;
            p.langs = "jpn";
            if (deadline_ms > 0)
                p.deadline_ms = deadline_ms - (int)ps__ms_since(&t0);
            if (deadline_ms <= 0 || p.deadline_ms > 0) {
                ps_status sj = ps_ocr_read(ocr, card, &p, &rj);
                stats->zones_read++;
                if (sj == PS_OK) {
                    char rawj[PS_FIELD_TEXT_MAX];
                    double cj = ps__join_words(rj, rawj, sizeof rawj);
                    stats->ocr_ms += rj->elapsed_ms;
                    if (rawj[0] &&
                        (cj > conf || ps__count_japanese(rawj) > ps__count_japanese(raw))) {
                        memcpy(raw, rawj, sizeof raw);
                        conf = cj;
                    }
                } else if (sj != PS_E_DEADLINE) {
                    st = sj;
                }
                ps_ocr_result_free(&rj);
            }
            if (st != PS_OK) {
                ps_ocr_result_free(&r);
                break;
            }
        }
        if (raw[0]) {
            lines[nl].text = strdup(raw);
            if (!lines[nl].text) {
                ps_ocr_result_free(&r);
                st = PS_E_NOMEM;
                break;
            }
            lines[nl].confidence = conf;
            lines[nl].box = boxes[i];
            nl++;
        }
        ps_ocr_result_free(&r);
    }
    free(boxes);
    if (st == PS_E_NOMEM) {
        ps_ocr_lines_free(&lines, nl);
        return st;
    }
    *lines_out = lines;
    *n_out = nl;
    return st;
}

/* ---- label-based extraction ------------------------------------------- */

/* Labels that introduce each field on documents without a template. */
typedef struct ps__label {
    ps_field_id field;
    const char *label;
} ps__label;

static const ps__label ps__labels[] = {
    {PS_FIELD_NAME, "氏名"},         {PS_FIELD_NAME, "お名前"},
    /* 氏名 with its first glyph misread (seen on notification cards) */
    {PS_FIELD_NAME, "民名"},         {PS_FIELD_NAME, "兵名"},
    {PS_FIELD_NAME, "NAME"},         {PS_FIELD_ADDRESS, "住所"},
    {PS_FIELD_ADDRESS, "住居地"},     {PS_FIELD_ADDRESS, "ご住所"},
    {PS_FIELD_BIRTH_DATE, "生年月日"}, {PS_FIELD_BIRTH_DATE, "日生"},
    {PS_FIELD_BIRTH_DATE, "DATEOFBIRTH"},
    {PS_FIELD_EXPIRY, "まで有効"},     {PS_FIELD_EXPIRY, "有効期限"},
    {PS_FIELD_EXPIRY, "有効期間"},     {PS_FIELD_EXPIRY, "DATEOFEXPIRY"},
    {PS_FIELD_EXPIRY, "VALIDTHRU"},  {PS_FIELD_ISSUE_DATE, "交付"},
    {PS_FIELD_ISSUE_DATE, "発行"},    {PS_FIELD_ISSUE_DATE, "証明"},
    {PS_FIELD_ISSUE_DATE, "DATEOFISSUE"},
    /* bills are dated by their meter reading or billing date */
    {PS_FIELD_ISSUE_DATE, "検針日"},  {PS_FIELD_ISSUE_DATE, "請求日"},
};

/* 1 when the line holds a label of its own: one of the table's, or a
 * date's label (年月日 runs together only in labels: 生年月日, 住民となった
 * 年月日; a date prints 年, 月 and 日 apart). */
static int ps__holds_label(const char *text)
{
    if (text == NULL)
        return 0;
    if (strstr(text, "年月日"))
        return 1;
    for (size_t k = 0; k < sizeof ps__labels / sizeof ps__labels[0]; k++)
        if (strstr(text, ps__labels[k].label))
            return 1;
    return 0;
}

/* 1 when box b lies on the printed row of box a: they share more than
 * 1/share of the shorter height, and b is under three times a's height (a
 * table's vertical rule found as a "line" is no line of any row: it took a
 * 住民票's statement's date, and joined its name row under the kana). */
static int ps__same_row(const ps_box *a, const ps_box *b, int share)
{
    int top = a->y > b->y ? a->y : b->y;
    int bot = a->y + a->h < b->y + b->h ? a->y + a->h : b->y + b->h;
    return (bot - top) * share > (a->h < b->h ? a->h : b->h) && b->h < 3 * a->h;
}

/* The line holding the value of the label on line `i`: the nearest line to
 * its right whose box shares most of its height, else the next line below
 * unless that line is another label's row (a 住民票's lone 生年月日 whose
 * value did not read would take the 住民となった年月日 row's date).
 * Returns n when there is none. */
static size_t ps__value_line(const ps_ocr_line *lines, size_t n, size_t i)
{
    const ps_box *a = &lines[i].box;
    size_t best = n;
    int best_dx = 0;
    for (size_t j = 0; j < n; j++) {
        const ps_box *b = &lines[j].box;
        int dx = b->x - (a->x + a->w);
        int same_row = ps__same_row(a, b, 3);
        /* among values starting at about the same x, the taller line is
         * the value (the smaller one above a name is its reading, in kana) */
        int better = best == n || dx < best_dx - a->h ||
                     (abs(dx - best_dx) <= a->h && b->h > lines[best].box.h);
        if (j != i && same_row && dx > -a->h && better) {
            best = j;
            best_dx = dx;
        }
    }
    if (best == n && i + 1 < n && !ps__holds_label(lines[i + 1].text))
        best = i + 1;
    return best;
}


/* Characters of label debris an unlabelled address may follow. */
#define PS__ADDRESS_DEBRIS 3

/* Byte offset of the prefecture `key` starts with, or that follows at
 * most PS__ADDRESS_DEBRIS characters with a digit after it; else
 * (size_t)-1. */
static size_t ps__prefecture_after_debris(const char *key)
{
    size_t i = 0;
    for (int k = 0; k <= PS__ADDRESS_DEBRIS && key[i]; k++) {
        /* after debris, only an address with its numbers (not 東京都公安
         * 委員会 after a label) */
        if (ps_prefecture_of(key + i) && (i == 0 || strpbrk(key + i, "0123456789")))
            return i;
        ps__utf8_next(key, &i);
    }
    return (size_t)-1;
}

/* Photo IDs that print the holder's sex on the birth date's line. */
static int ps__id_with_sex(ps_doctype t)
{
    return t == PS_DOC_MY_NUMBER_NOTIFICATION || t == PS_DOC_MY_NUMBER_CARD ||
           t == PS_DOC_RESIDENCE_CARD || t == PS_DOC_SPECIAL_PERMANENT_RESIDENT;
}

/* Paper sent to the holder, addressed to 〇〇 様. */
static int ps__addressed_paper(ps_doctype t)
{
    return t == PS_DOC_POSTAL_MAIL || t == PS_DOC_UTILITY_BILL || t == PS_DOC_TAX_RECEIPT ||
           t == PS_DOC_BANK_STATEMENT;
}

/* 1 when the line is a kana reading (フリガナ): kana, long-vowel marks and
 * spaces only, at least two kana, at least half of them katakana. The
 * reading is printed small and OCR takes some of its katakana for
 * hiragana (タナカ オサム read as すオサム); a line of hiragana words
 * (ください) is no reading. */
static int ps__is_furigana(const char *text)
{
    size_t i = 0, kana = 0, kata = 0;
    while (text[i]) {
        uint32_t c = ps__utf8_next(text, &i);
        if (c == ' ' || c == 0x3000 || c == 0x30FC)
            continue;
        if (!ps__cp_is_katakana_letter(c) && !ps__cp_is_hiragana(c))
            return 0;
        kana++;
        kata += ps__cp_is_katakana_letter(c);
    }
    return kana >= 2 && 2 * kata >= kana;
}

/* 1 when a kana reading can be the reading of `name`: a kanji reads as one
 * to three kana, so a reading over three kana per character belongs to a
 * longer name (a family name read alone, 橋本 under ハシモト マユミ). */
static int ps__kana_fits(const char *kana, const char *name)
{
    size_t i = 0, nk = 0, nn = 0;
    while (kana[i]) {
        uint32_t c = ps__utf8_next(kana, &i);
        nk += c != ' ' && c != 0x3000;
    }
    i = 0;
    while (name[i]) {
        uint32_t c = ps__utf8_next(name, &i);
        nn += c != ' ' && c != 0x3000;
    }
    return nn > 0 && nk <= 3 * nn;
}

/* Confidence from which a row under a kana reading is taken as the name
 * (rows read at 0.6-0.7 were the right name on 住民票 with a ruled label
 * column; noise under 0.5 was not). */
#define PS__KANA_NAME_MIN_CONF 0.5

/* The value part of a row: what follows its last gap of two or more spaces
 * (tesseract keeps wide gaps between a label column and its value) or its
 * last cell rule read as '|' (名 |池田 太郎: the label 氏名 half read), else
 * the whole text. */
static const char *ps__after_gap(const char *text)
{
    const char *v = text;
    for (const char *p = text; *p; p++) {
        if (*p != '|' && !(p[0] == ' ' && p[1] == ' '))
            continue;
        const char *q = p + 1;
        while (*q == ' ' || *q == '|')
            q++;
        if (*q)
            v = q;
    }
    return v;
}

/* A name whose label did not read (氏名 read as "BP"): Japanese documents
 * print the name's kana reading just above it, so the row right under a
 * katakana-only line, starting under it, is the name when it validates as
 * one. Fills out->f[PS_FIELD_NAME]; leaves it unset when no such row. */
static void ps__name_under_furigana(const ps_ocr_line *lines, size_t n, const ps_date *now,
                                    ps_fields *out)
{
    for (size_t i = 0; i < n && !out->f[PS_FIELD_NAME].present; i++) {
        const ps_box *k = &lines[i].box;
        size_t best = n;
        if (!lines[i].text || !ps__is_furigana(lines[i].text))
            continue;
        for (size_t j = 0; j < n; j++) {
            const ps_box *b = &lines[j].box;
            int gap = b->y - (k->y + k->h);
            /* below, within two of the name's own line heights (the kana
             * is smaller), and reaching under the kana's start */
            if (j == i || !lines[j].text || b->y <= k->y || gap > 2 * b->h ||
                gap < -k->h / 2 || b->x > k->x + k->w / 2 || b->x + b->w < k->x)
                continue;
            if (best == n || b->y < lines[best].box.y)
                best = j;
        }
        if (best == n)
            continue;
        /* a row of another field (世帯主 is the head of the household, not
         * the holder) */
        static const char *const other[] = {"世帯", "年月日", "住所", "本籍", "続柄", NULL};
        int taken = 0;
        for (int o = 0; other[o]; o++)
            taken |= strstr(lines[best].text, other[o]) != NULL;
        if (taken)
            continue;
        /* The family and given names are spaced wide and may come as two
         * lines: the row's lines that start under the kana, left to right. */
        char row[PS_FIELD_TEXT_MAX];
        double conf = lines[best].confidence;
        int parts = 1, last_x = lines[best].box.x;
        snprintf(row, sizeof row, "%s", ps__after_gap(lines[best].text));
        for (;;) {
            const ps_box *a = &lines[best].box;
            size_t next = n;
            for (size_t j = 0; j < n; j++) {
                const ps_box *b = &lines[j].box;
                if (!lines[j].text || !ps__same_row(a, b, 2) || b->x <= last_x ||
                    b->x > k->x + k->w)
                    continue;
                if (next == n || b->x < lines[next].box.x)
                    next = j;
            }
            if (next == n || strlen(row) + strlen(lines[next].text) + 2 > sizeof row)
                break;
            strcat(row, " ");
            strcat(row, lines[next].text);
            conf += lines[next].confidence;
            parts++;
            last_x = lines[next].box.x;
        }
        ps_field f;
        memset(&f, 0, sizeof f);
        /* the kana above vouches for the row as a label would: a name read
         * at under the zones' 0.75 is kept from this much on */
        int ok = ps__finish_field(PS_FIELD_NAME, row, conf / parts, 0, now, &f);
        if (!ok && f.present && ps__visible_chars(f.text) >= 2 && conf / parts >= PS__KANA_NAME_MIN_CONF)
            ok = 1;
        if (ok && ps__kana_fits(lines[i].text, f.text)) {
            f.box = lines[best].box;
            out->f[PS_FIELD_NAME] = f;
        }
    }
}

/* 1 when `s` holds Latin capitals, and spaces or hyphens between them. */
static int ps__latin_caps(const char *s)
{
    int letters = 0;
    for (; *s; s++) {
        if (*s >= 'A' && *s <= 'Z')
            letters++;
        else if (*s != ' ' && *s != '-')
            return 0;
    }
    return letters > 0;
}

/* A passport's data page prints the surname and the given names under two
 * labels (姓/Surname, 名/Given name); both labels hold NAME, so the name
 * field took the surname's row alone. The given names' row, in Latin
 * capitals as the surname's is, goes after it: the order the page's zone
 * and the applicant's Latin name use. */
static void ps__join_given_names(const ps_ocr_line *lines, size_t n, ps_fields *out)
{
    ps_field *f = &out->f[PS_FIELD_NAME];
    if (!f->present || !ps__latin_caps(f->text) || strchr(f->text, ' '))
        return;
    for (size_t i = 0; i < n; i++) {
        char key[PS_FIELD_TEXT_MAX], given[PS_FIELD_TEXT_MAX];
        if (!lines[i].text ||
            ps_norm_text(lines[i].text, PS_NORM_WIDTH | PS_NORM_NOSPACE | PS_NORM_UPPER, key,
                         sizeof key) != PS_OK ||
            !strstr(key, "GIVENNAME"))
            continue;
        size_t v = ps__value_line(lines, n, i);
        if (v == n || !lines[v].text ||
            ps_norm_text(lines[v].text, PS_NORM_WIDTH, given, sizeof given) != PS_OK)
            return;
        ps__clean_name(given);
        if (!ps__latin_caps(given) || strlen(f->text) + strlen(given) + 2 > sizeof f->text)
            return;
        strcat(f->text, " ");
        strcat(f->text, given);
        if (lines[v].confidence < f->confidence)
            f->confidence = lines[v].confidence;
        f->box = ps_box_union(f->box, lines[v].box);
        return;
    }
}

ps_status ps_fields_from_lines(ps_doctype type, const ps_ocr_line *lines, size_t n,
                               const ps_date *now, ps_fields *out)
{
    if (!out || (!lines && n))
        return PS_E_ARG;
    for (size_t i = 0; i < n; i++) {
        char key[PS_FIELD_TEXT_MAX];
        if (!lines[i].text || ps_norm_text(lines[i].text,
                                           PS_NORM_WIDTH | PS_NORM_NOSPACE | PS_NORM_UPPER,
                                           key, sizeof key) != PS_OK)
            continue;
        for (size_t k = 0; k < sizeof ps__labels / sizeof ps__labels[0]; k++) {
            ps_field_id id = ps__labels[k].field;
            if (out->f[id].present || !strstr(key, ps__labels[k].label))
                continue;
            ps_field f;
            memset(&f, 0, sizeof f);
            const char *raw = lines[i].text;
            /* A label alone on its line: the value is the line to its right
             * on the same row, else the next line. */
            if (strlen(key) <= strlen(ps__labels[k].label) + 1) {
                size_t v = ps__value_line(lines, n, i);
                if (v == n)
                    continue;
                raw = lines[v].text;
            }
            int ok = ps__finish_field(id, raw, lines[i].confidence, 0, now, &f);
            if (!ok && raw == lines[i].text) {
                /* a label inside a sentence (…証明する。): the value is on
                 * the line beside or below it */
                size_t v = ps__value_line(lines, n, i);
                ps_field g;
                memset(&g, 0, sizeof g);
                if (v < n && ps__finish_field(id, lines[v].text, lines[v].confidence, 0, now, &g)) {
                    f = g;
                    ok = 1;
                }
            }
            if (ok || f.present) {
                f.box = lines[i].box;
                if (!ps__is_date_field(id) || f.iso[0])
                    out->f[id] = f;
            }
        }
        /* Addresses without a label: a line that starts with a prefecture,
         * or whose prefecture follows a few characters of a label read as
         * debris (性 人 千葉県… for 住所 千葉県… on a washed-out card). */
        size_t pref_at = ps__prefecture_after_debris(key);
        if (!out->f[PS_FIELD_ADDRESS].present && pref_at != (size_t)-1) {
            ps_field f;
            memset(&f, 0, sizeof f);
            if (ps__finish_field(PS_FIELD_ADDRESS, pref_at ? key + pref_at : lines[i].text,
                                 lines[i].confidence, 0, now, &f)) {
                f.box = lines[i].box;
                out->f[PS_FIELD_ADDRESS] = f;
            }
        }
        /* An ID's birth date without its label: the date on the line that
         * also gives the holder's sex (昭和39年10月31日 性別 女). */
        if (!out->f[PS_FIELD_BIRTH_DATE].present && ps__id_with_sex(type) &&
            (strstr(key, "男") || strstr(key, "女"))) {
            ps_field f;
            memset(&f, 0, sizeof f);
            if (ps__finish_field(PS_FIELD_BIRTH_DATE, lines[i].text, lines[i].confidence, 0, now,
                                 &f)) {
                f.box = lines[i].box;
                out->f[PS_FIELD_BIRTH_DATE] = f;
            }
        }
        /* Mail, bills, tax notices and statements: the addressee's name
         * ends in 様. */
        int sama = ps__addressed_paper(type) && !out->f[PS_FIELD_NAME].present
                       ? ps_ends_in_sama(lines[i].text)
                       : 0;
        if (sama) {
            ps_field f;
            char name[PS_FIELD_TEXT_MAX];
            if (ps_norm_text(lines[i].text, PS_NORM_WIDTH, name, sizeof name) != PS_OK)
                continue;
            if (sama == 2) { /* 様 read as another kanji: that last word goes */
                size_t len = strlen(name);
                while (len > 0 && name[len - 1] == ' ')
                    name[--len] = '\0';
                char *sp = strrchr(name, ' ');
                if (sp)
                    *sp = '\0';
            }
            memset(&f, 0, sizeof f);
            /* the 様 vouches for the line as a labelled name's would:
             * kept like one, whatever the confidence */
            if (ps__finish_field(PS_FIELD_NAME, name, lines[i].confidence, 0, now, &f) ||
                f.present) {
                f.box = lines[i].box;
                out->f[PS_FIELD_NAME] = f;
            }
        }
        /* Postal mail: the first date is the postmark. */
        if (type == PS_DOC_POSTAL_MAIL) {
            if (!out->f[PS_FIELD_POSTMARK_DATE].present) {
                ps_field f;
                memset(&f, 0, sizeof f);
                if (ps__finish_field(PS_FIELD_POSTMARK_DATE, lines[i].text, lines[i].confidence,
                                     0, now, &f)) {
                    f.box = lines[i].box;
                    out->f[PS_FIELD_POSTMARK_DATE] = f;
                }
            }
        }
    }
    ps__join_given_names(lines, n, out);
    if (!out->f[PS_FIELD_NAME].present)
        ps__name_under_furigana(lines, n, now, out);
    /* A notification card prints the name on the line above the address:
     * when its label did not read at all, that line (no digits, a name that
     * validates) is the name. */
    if (type == PS_DOC_MY_NUMBER_NOTIFICATION && !out->f[PS_FIELD_NAME].present &&
        out->f[PS_FIELD_ADDRESS].present) {
        const ps_box *a = &out->f[PS_FIELD_ADDRESS].box;
        size_t best = n;
        for (size_t i = 0; i < n; i++) {
            const ps_box *b = &lines[i].box;
            int gap = a->y - (b->y + b->h);
            /* above the address, within three of its line heights */
            if (!lines[i].text || gap < -a->h / 4 || gap > 3 * a->h || b->y >= a->y)
                continue;
            if (best == n || b->y > lines[best].box.y)
                best = i;
        }
        int digit = 0;
        for (const char *c = best < n ? lines[best].text : ""; *c; c++)
            digit |= *c >= '0' && *c <= '9';
        ps_field f;
        memset(&f, 0, sizeof f);
        if (best < n && !digit &&
            ps__finish_field(PS_FIELD_NAME, lines[best].text, lines[best].confidence, 0, now, &f)) {
            f.box = lines[best].box;
            out->f[PS_FIELD_NAME] = f;
        }
    }
    return PS_OK;
}

/* A stamp's band read less surely than this is the ring's debris or a
 * stamp upside down (its dots then stand above the digits and are gone):
 * clean bands read at 0.9 and more. */
#define PS__POSTMARK_MIN_CONF 0.6

ps_status ps_fields_read_postmark(ps_ocr *ocr, const ps_image *page, const ps_date *now,
                                  int deadline_ms, ps_fields *out)
{
    ps_cv_stamp stamps[PS_CV_STAMP_MAX];
    int n = 0;
    struct timespec t0;
    ps_status st;
    if (!ocr || !page || !out)
        return PS_E_ARG;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    st = ps_cv_find_date_stamps(page, stamps, PS_CV_STAMP_MAX, &n);
    if (st != PS_OK)
        return st;
    for (int i = 0; i < n && st == PS_OK; i++) {
        ps_ocr_params p;
        ps_ocr_result *r = NULL;
        memset(&p, 0, sizeof p);
        p.psm = PS_OCR_PSM_LINE;
        p.glyph_height = stamps[i].glyph_h;
        p.langs = "eng";
        p.whitelist = "0123456789.";
        if (deadline_ms > 0) {
            p.deadline_ms = deadline_ms - (int)ps__ms_since(&t0);
            if (p.deadline_ms <= 0) {
                st = PS_E_DEADLINE;
                break;
            }
        }
        st = ps_ocr_read(ocr, stamps[i].band, &p, &r);
        if (st != PS_OK)
            break;
        out->zones_read++;
        out->ocr_ms += r->elapsed_ms;
        char raw[PS_FIELD_TEXT_MAX];
        double conf = ps__join_words(r, raw, sizeof raw);
        ps_ocr_result_free(&r);
        ps_field f;
        memset(&f, 0, sizeof f);
        if (conf >= PS__POSTMARK_MIN_CONF &&
            ps__finish_field(PS_FIELD_POSTMARK_DATE, raw, conf, 0, now, &f)) {
            f.box = stamps[i].circle;
            out->f[PS_FIELD_POSTMARK_DATE] = f;
            break;
        }
    }
    ps_cv_stamps_free(stamps, n);
    return st;
}
