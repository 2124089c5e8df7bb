/* Digit runs from OCR words.
 *
 * Tesseract returns words with boxes. A card number comes back as four
 * words ("4111" "1111" ...), as one ("4111111111111111"), or with a group
 * torn in two ("41" "11") when the glyphs of an embossed digit sit apart;
 * it reads 0 as O and 1 as l now and then. This file turns the words of each
 * line into runs: digit groups separated by a space-sized gap or a hyphen,
 * with nothing else between them. A letter that is not a known confusion,
 * a slash, a colon or a wide gap ends the run. Each digit gets a box: its
 * word's box split evenly over the word's characters (tesseract does not
 * give glyph boxes through our API, and the even split is right for the
 * monospaced fonts card numbers are printed in).
 */
#include <stdlib.h>
#include <string.h>

#include "read/utf8.h"
#include "redact/redact_int.h"

/* Word gap, in character widths, under which two words are one group
 * (a torn group); card groups are about 1.2 widths apart. */
#define PS__SPLIT_GAP_CW 0.6
/* Word gap, in character widths, over which two words are different
 * numbers (the CVV box sits 8 widths from the last 4 on a card back). */
#define PS__RUN_GAP_CW 3.0

/* One code point at *p, advancing *p (src/read/utf8.h's decoder). */
static unsigned next_cp(const char **p)
{
    size_t i = 0;
    unsigned c = ps__utf8_next(*p, &i);
    *p += i;
    return c;
}

/* '0'..'9' for a digit (ASCII or full-width), else 0. */
static char real_digit(unsigned cp)
{
    if (cp >= '0' && cp <= '9')
        return (char)cp;
    if (cp >= 0xFF10 && cp <= 0xFF19) /* full-width ０..９ */
        return (char)('0' + (cp - 0xFF10));
    return 0;
}

/* The digit a letter is commonly misread from, else 0. */
static char confusion(unsigned cp)
{
    switch (cp) {
    case 'O': case 'o': case 'D': case 'Q': return '0';
    case 'I': case 'l': case '|': case 'i': case '!': return '1';
    case 'Z': case 'z': return '2';
    case 'S': case 's': return '5';
    case 'G': case 'b': return '6';
    case 'B': return '8';
    case 'g': case 'q': return '9';
    default: return 0;
    }
}

/* Hyphens and dashes that separate groups (OCR of Japanese text turns a
 * hyphen into the long-vowel mark or a full-width minus). */
static int is_group_sep(unsigned cp)
{
    return cp == '-' || cp == 0x2010 || cp == 0x2011 || cp == 0x2012 || cp == 0x2013 ||
           cp == 0x2212 || cp == 0xFF0D || cp == 0x30FC || cp == 0x2015;
}

typedef struct builder {
    ps__runs *out;
    ps__run cur;
    int open_group; /* the current group has digits */
    int failed;
} builder;

static void close_group(builder *b)
{
    if (b->open_group && b->cur.n_groups < PS__RUN_MAX_GROUPS) {
        b->cur.group_end[b->cur.n_groups++] = b->cur.n;
    }
    b->open_group = 0;
}

static void close_run(builder *b)
{
    close_group(b);
    if (b->cur.n > 0 && b->cur.n_groups > 0) {
        ps__runs *rs = b->out;
        if (rs->n == rs->cap) {
            size_t cap = rs->cap ? rs->cap * 2 : 16;
            ps__run *nr = realloc(rs->r, cap * sizeof *nr);
            if (nr == NULL) {
                b->failed = 1;
                return;
            }
            rs->r = nr;
            rs->cap = cap;
        }
        rs->r[rs->n++] = b->cur;
    }
    ps__wipe(&b->cur, sizeof b->cur);
    b->open_group = 0;
}

static void add_digit(builder *b, char d, int conf, ps_box box, int word, int line)
{
    if (b->cur.n == 0) {
        b->cur.line = line;
        b->cur.first_word = word;
    }
    if (b->cur.n >= PS__RUN_MAX_DIGITS || (!b->open_group && b->cur.n_groups >= PS__RUN_MAX_GROUPS)) {
        close_run(b);
        b->cur.line = line;
        b->cur.first_word = word;
    }
    ps__dchar *c = &b->cur.c[b->cur.n++];
    c->d = d;
    c->confusable = conf;
    c->box = box;
    b->cur.last_word = word;
    b->open_group = 1;
}

static int count_cps(const char *s)
{
    int n = 0;
    while (*s) {
        next_cp(&s);
        n++;
    }
    return n;
}

ps_status ps__runs_build(const ps_ocr_word *words, size_t n_words, ps__runs *out)
{
    builder b;
    memset(&b, 0, sizeof b);
    b.out = out;
    const ps_ocr_word *prev = NULL;
    double prev_cw = 0;
    for (size_t wi = 0; wi < n_words && !b.failed; wi++) {
        const ps_ocr_word *w = &words[wi];
        const char *t = w->text ? w->text : "";
        int ncp = count_cps(t);
        if (ncp == 0)
            continue;
        double cw = (double)w->box.w / ncp;
        /* Between words: same line, close vertically, gap decides. */
        if (prev != NULL) {
            int same_line = prev->line == w->line;
            double gap = w->box.x - (prev->box.x + prev->box.w);
            double acw = (cw + prev_cw) / 2;
            double cy0 = prev->box.y + prev->box.h / 2.0, cy1 = w->box.y + w->box.h / 2.0;
            int hmax = prev->box.h > w->box.h ? prev->box.h : w->box.h;
            int hmin = prev->box.h < w->box.h ? prev->box.h : w->box.h;
            int aligned = (cy1 - cy0 < 0.6 * hmax && cy0 - cy1 < 0.6 * hmax) &&
                          hmin * 2 >= hmax; /* heights within 2x: same print size */
            if (!same_line || !aligned || gap > PS__RUN_GAP_CW * acw || gap < -acw)
                close_run(&b);
            else if (gap >= PS__SPLIT_GAP_CW * acw)
                close_group(&b);
        }
        /* A word is numeric when its real digits outnumber its confusable
         * letters; only then are the confusions read as digits. */
        int nd = 0, nc = 0;
        for (const char *p = t; *p;) {
            unsigned cp = next_cp(&p);
            if (real_digit(cp))
                nd++;
            else if (confusion(cp))
                nc++;
        }
        int numeric = nd >= 2 && nd >= nc;
        int k = 0;
        for (const char *p = t; *p; k++) {
            unsigned cp = next_cp(&p);
            char d = real_digit(cp);
            int conf = 0;
            if (!d && numeric) {
                d = confusion(cp);
                conf = d != 0;
            }
            ps_box cb = {w->box.x + (int)(k * cw), w->box.y, (int)(cw + 0.999), w->box.h};
            if (d)
                add_digit(&b, d, conf, cb, (int)wi, w->line);
            else if (is_group_sep(cp))
                close_group(&b);
            else
                close_run(&b);
        }
        prev = w;
        prev_cw = cw;
    }
    close_run(&b);
    return b.failed ? PS_E_NOMEM : PS_OK;
}

void ps__runs_free(ps__runs *runs)
{
    if (runs == NULL)
        return;
    if (runs->r != NULL) {
        ps__wipe(runs->r, runs->cap * sizeof *runs->r);
        free(runs->r);
    }
    runs->r = NULL;
    runs->n = runs->cap = 0;
}

void ps__run_digits(const ps__run *r, int a, int b, char *buf)
{
    int k = 0;
    for (int i = a; i < b; i++)
        buf[k++] = r->c[i].d;
    buf[k] = '\0';
}

int ps__run_group_of(const ps__run *r, int i)
{
    for (int g = 0; g < r->n_groups; g++)
        if (i < r->group_end[g])
            return g;
    return r->n_groups - 1;
}

int ps__run_group_len(const ps__run *r, int g)
{
    return r->group_end[g] - (g > 0 ? r->group_end[g - 1] : 0);
}

ps_box ps__run_box(const ps__run *r, int a, int b)
{
    int x0 = r->c[a].box.x, y0 = r->c[a].box.y;
    int x1 = x0 + r->c[a].box.w, y1 = y0 + r->c[a].box.h;
    for (int i = a + 1; i < b; i++) {
        const ps_box *c = &r->c[i].box;
        if (c->x < x0) x0 = c->x;
        if (c->y < y0) y0 = c->y;
        if (c->x + c->w > x1) x1 = c->x + c->w;
        if (c->y + c->h > y1) y1 = c->y + c->h;
    }
    return (ps_box){x0, y0, x1 - x0, y1 - y0};
}

/* 1 when `text` holds `label` once ASCII and ideographic spaces are skipped. */
int ps__has_label(const char *text, const char *label)
{
    char buf[1024];
    size_t k = 0;
    for (const char *p = text; *p && k + 1 < sizeof buf; p++) {
        if (*p == ' ' || *p == '\t')
            continue;
        if ((unsigned char)p[0] == 0xE3 && (unsigned char)p[1] == 0x80 &&
            (unsigned char)p[2] == 0x80) { /* U+3000 ideographic space */
            p += 2;
            continue;
        }
        buf[k++] = *p;
    }
    buf[k] = '\0';
    return strstr(buf, label) != NULL;
}

/* Lines whose box ends at most this many number heights above the number
 * still label it (a label printed over the number, as on the My Number
 * card's back). */
#define PS__LABEL_ABOVE_H 2.5

int ps__label_near(const ps_ocr_line *lines, size_t n_lines, int line, ps_box near,
                   const char *label)
{
    if (lines == NULL)
        return 0;
    for (size_t i = 0; i < n_lines; i++) {
        const ps_ocr_line *l = &lines[i];
        if (l->text == NULL || !ps__has_label(l->text, label))
            continue;
        if ((int)i == line)
            return 1;
        /* same row (a table cell to the left) */
        double cy = l->box.y + l->box.h / 2.0;
        if (cy >= near.y - near.h * 0.5 && cy <= near.y + near.h * 1.5 &&
            l->box.x + l->box.w <= near.x + near.w)
            return 1;
        /* just above, overlapping horizontally or starting left of it */
        int bottom = l->box.y + l->box.h;
        if (bottom <= near.y + near.h / 2 && bottom >= near.y - PS__LABEL_ABOVE_H * near.h &&
            l->box.x <= near.x + near.w && l->box.x + l->box.w >= near.x - 2 * near.h)
            return 1;
    }
    return 0;
}

ps_redact_item *ps__plan_add(ps_redact_plan *plan, ps_redact_type type, ps_box box,
                             const char *digits)
{
    if (plan->n >= PS_REDACT_MAX_ITEMS) {
        plan->unsafe = 1;
        return NULL;
    }
    ps_redact_item *it = &plan->items[plan->n++];
    memset(it, 0, sizeof *it);
    it->type = type;
    it->box = box;
    ps__box_quad(box, it->quad);
    if (digits != NULL) {
        size_t n = strlen(digits);
        if (n >= sizeof it->digits)
            n = sizeof it->digits - 1;
        memcpy(it->digits, digits, n);
        it->digits[n] = '\0';
    }
    return it;
}

void ps__wipe(void *p, size_t n)
{
    volatile unsigned char *v = p;
    while (n--)
        *v++ = 0;
}
