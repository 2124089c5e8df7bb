/* Private: what the redaction files share. Digit runs read from OCR lines,
 * the geometry helpers, the template zones and the rule sets (pan.c,
 * mynumber.c, cvv.c). Nothing here is exported from the library's API. */
#ifndef PS_REDACT_INT_H
#define PS_REDACT_INT_H

#include "prescreen/redact.h"
#include "cv/textline.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- digit runs ---------------------------------------------------------- */

/* Longest run of digit characters one line is split into; longer numbers
 * are cut (a PAN has 19 digits at most, a household 住民票 line a few more). */
#define PS__RUN_MAX_DIGITS 40
#define PS__RUN_MAX_GROUPS 12

/* One digit as read: its value and its box (the word's box split evenly
 * over the word's characters). */
typedef struct ps__dchar {
    char d;          /* '0'..'9' */
    int confusable;  /* 1 when read from a letter (O->0, l->1, ...) */
    ps_box box;
} ps__dchar;

/* A run: digit groups on one line, separated by a space-sized gap or a
 * hyphen, with nothing else in between. */
typedef struct ps__run {
    ps__dchar c[PS__RUN_MAX_DIGITS];
    int n;                          /* digits */
    int group_end[PS__RUN_MAX_GROUPS]; /* exclusive end index of each group */
    int n_groups;
    int line;                       /* index into the OCR lines */
    int first_word, last_word;      /* word indexes it came from */
    int used;                       /* digits already claimed: bitmask-free,
                                       a claimed run is skipped */
} ps__run;

/* The runs of all lines, in reading order. */
typedef struct ps__runs {
    ps__run *r;
    size_t n, cap;
} ps__runs;

/* Splits the words into runs; *out must be zeroed. @return PS_OK or
 * PS_E_NOMEM. Free with ps__runs_free(). */
ps_status ps__runs_build(const ps_ocr_word *words, size_t n_words, ps__runs *out);
void ps__runs_free(ps__runs *runs);

/* Digits [a, b) of run `r` as a string into buf (size >= b - a + 1). */
void ps__run_digits(const ps__run *r, int a, int b, char *buf);
/* Group index holding digit i. */
int ps__run_group_of(const ps__run *r, int i);
/* Length of group g. */
int ps__run_group_len(const ps__run *r, int g);
/* Box around digits [a, b). */
ps_box ps__run_box(const ps__run *r, int a, int b);

/* 1 when `text` holds `label` once spaces are skipped. */
int ps__has_label(const char *text, const char *label);

/* 1 when the OCR line `line` (or a line just above or beside the box `near`
 * in `lines`) contains `label` once spaces are removed. */
int ps__label_near(const ps_ocr_line *lines, size_t n_lines, int line, ps_box near,
                   const char *label);

/* Appends an item (quad = box) to the plan; sets plan->unsafe when full.
 * `digits` (may be NULL) is remembered for verify. Returns the item or NULL. */
ps_redact_item *ps__plan_add(ps_redact_plan *plan, ps_redact_type type, ps_box box,
                             const char *digits);

/* ---- the rule sets (each claims the runs it masks: run->used = 1) ------- */

/* 1 when `it` is a whole card number read keeping a last 4 whose digits
 * fail the Luhn check: misread somewhere (a digit, its glyphs split or
 * joined by a blur, or the whole line read upside down), so its last 4
 * may not be the number's. Pure. */
int ps__pan_unchecked(const ps_redact_item *it);

/* Such a reading keeps nothing: its kept digits are wiped, it is partial
 * (the plan uncertain), and its box grows over `more` (the last group). */
void ps__pan_distrust(ps_redact_item *it, ps_box more);

/* whole: the policy keeps no last 4 (pan_keep_last 0): a number read
 * whole is masked whole, not recorded as kept. */
void ps__find_pan(ps__runs *runs, ps_doctype type, ps_side side, int whole, ps_redact_plan *plan);
void ps__find_mynumber(ps__runs *runs, const ps_ocr_word *words, size_t n_words,
                       const ps_ocr_line *lines, size_t n_lines, ps_doctype type,
                       ps_side side, ps_redact_plan *plan);
/* amex_front: treat a card front as Amex even when its number is not in
 * the plan (a close reading of the CID zone). */
void ps__find_cvv(ps__runs *runs, ps_doctype type, ps_side side, int amex_front,
                  ps_redact_plan *plan);
/* The Amex PAN item of a plan (15 digits, 34/37), or NULL. */
const ps_redact_item *ps__amex_pan(const ps_redact_plan *plan);

/* ps_redact_find() with the CVV rule's amex_front switch and the PAN
 * rule's whole switch. */
ps_status ps__find_all(const ps_ocr_word *words, size_t n_words, const ps_ocr_line *lines,
                       size_t n_lines, ps_doctype type, ps_side side, int amex_front,
                       int whole_pan, ps_redact_plan *plan);

/* Fields masked only when the policy asks (ps_redact_opts.optional): the
 * value of a 本籍 (registered domicile) line and its 筆頭者 line, and the
 * organ-donation field (its 臓器提供 label's line and the block below it,
 * across the document). Found by their labels in a whole reading's lines
 * (doc_w x doc_h: the reading's pixels); appended to plan. Pure. */
void ps__find_optional(const ps_ocr_line *lines, size_t n_lines, unsigned optional, int doc_w,
                       int doc_h, ps_redact_plan *plan);

/* 1 when one of the n words is a label or brand word printed on card
 * fronts (VALID, THRU, CARD, ...) read whole with confidence: the reading
 * was made at the document's reading order. Pure. */
int ps__upright_words(const ps_ocr_word *w, size_t n);

/* Where the photo ends, seen from the rectified document: h maps document
 * pixels to the planned image, scale planned to full pixels, w x h the full
 * photo. NULL stands for a document wholly in the photo. */
typedef struct ps__frame {
    const double *h;
    double scale;
    int w, ht;
} ps__frame;

/* 1 when the rectified document's point (x, y) lies inside the photo. */
int ps__frame_has(const ps__frame *f, double x, double y);

/* A card number's last group told by its glyphs' geometry (panline.c),
 * whether or not its digits were read: the glyphs of one line sit on one
 * lattice of letter pitches and group gaps that spells a whole card shape
 * (4-4-4-4, or Amex 4-6-5) ending in a complete group, so the rightmost 4
 * glyphs are the number's last 4. Boxes in the rectified card's pixels. */
typedef struct ps__pan_geo {
    int ok;
    ps_box line;  /* every glyph of the number that was found */
    ps_box kept;  /* the last 4 */
    int pitch;    /* letter pitch (centre to centre) */
    double gap;   /* what a group gap adds to a pitch */
    int amex;     /* 4-6-5: an Amex, whose CID is printed on the front */
    int n_kept;   /* glyphs in kept: 4, fewer when the line runs out of the
                     photo inside its last group */
    unsigned open; /* PS__GEO_OPEN_* the lattice was found with */
    int left_lost; /* digits of the number left of the first glyph found
                      (not cut out, or out of the photo at an open end) */
    int turned;   /* ok 0, and the glyphs spell an Amex seen a half turn
                     round (5-6-4): the card lies upside down */
} ps__pan_geo;

/* Ends of a number's line that run out of the photo (a cut card): glyphs
 * beyond them are missing because the photo does not show them. */
#define PS__GEO_OPEN_LEFT 1u  /* any number of glyphs lost at the left end */
#define PS__GEO_OPEN_RIGHT 2u /* a 4-4-4-4 that ends inside its fourth
                                 group: the glyphs of that group found (1 to
                                 4, the number's digits 13 on) are kept */

/* The geometry test alone, on glyph boxes left to right (n of them, in any
 * pixels): 1 and *out filled when they spell a card number's lattice. Pure;
 * tested on drawn lattices. */
int ps__pan_geometry(const ps_box *glyphs, int n, ps__pan_geo *out);
/* The same with ends that run out of the photo (PS__GEO_OPEN_* bits; not
 * both): at an open left end any number of glyphs may be lost, at an open
 * right end the last group may be begun rather than complete. */
int ps__pan_geometry_ex(const ps_box *glyphs, int n, unsigned open, ps__pan_geo *out);
/* The lattice of a line's glyphs (n of them, left to right, card pixels)
 * as the plan looks for it: glyphs at either end of another height or off
 * the line left out, then, when no lattice fits, one glyph at either end
 * (or both) whose step from its neighbour fits no pitch-and-gap of the
 * lattice the rest spell (a thumb's edge or a hologram beside the number,
 * of the digits' height). A number's own last digit is never dropped this
 * way: without it the last group is short and no shape fits. `fr` (may be
 * NULL) opens the ends that run out of the photo. [*i0, *i1) are the
 * glyphs the lattice was found on. Neighbours cut apart inside one digit
 * are joined first. No lattice, but the glyphs spell an Amex seen a half
 * turn round: out->turned. Pure. */
int ps__pan_lattice(const ps_box *glyphs, int n, const ps__frame *fr, ps__pan_geo *out, int *i0,
                    int *i1);

/* 1 when the words of a digits-only reading show a bare card number: 2 or
 * more words of 3-5 digits on one row (centres within half a height plus
 * 0.18 of the distance between them, for a tilted card; heights within
 * 1.5x; within 20 heights) holding 8 digits or more. Pure; tested on
 * made-up words (ps_redact_bare_number() reads the photo for them). */
int ps__bare_words(const ps_ocr_result *res);

/* The digits a reading of a kept group's window (and beside it) shows
 * beyond the kept 4: words on the group's row (their middle within half
 * a glyph height, glyph_h, of the window's) and within its columns are the
 * kept glyphs themselves, however many digits tesseract makes of them
 * (gc99 000017: 5 off 4), and count 4 at most; every other digit counts.
 * Pure. */
int ps__window_digits(const ps_ocr_result *res, ps_box window, double glyph_h);

/* A blurred card number by its groups (ps_cv_line_group_blobs(): each
 * group's digits run together in one blob), on one straight line, clear
 * of each other, of one height (within 25 %), spanning 0.5-0.95 of the
 * card's width `doc_w`: a 4-4-4-4 as exactly 4 blobs of one width (within
 * 25 %), evenly spaced (centre steps within 15 % of their median), the
 * last kept, the pitch a step over 4.6; an Amex as exactly 3 blobs 4, 6
 * and 5 digits wide over the blur they share (the widths' differences give
 * one pitch, 0.03-0.07 of the card; the centre steps 5 and 5.5 pitches
 * and one group gap), the right 4 digits of the last kept (amex 1: the
 * shape tells the turn); 5-6-4 sets out->turned. Pure; tested on drawn
 * blobs. */
int ps__pan_groups(const ps_box *blobs, int n, int doc_w, ps__pan_geo *out);

/* The close reading of a card front's number line (panline.c): finds the
 * text bands of the number's zone of the rectified card `doc`, re-sets
 * their glyphs and reads them; what the finders accept goes to `into`, OCR
 * counts and time to `local`. *found = 1 once a whole PAN was read. `geo`
 * (may be NULL) receives the first line whose glyphs pass
 * ps__pan_geometry(), or ps__pan_geometry_ex() with the ends that run out
 * of the photo `frame` open (frame NULL: the whole card is shown). */
ps_status ps__read_pan_lines(ps_ocr *ocr, const ps_image *doc, const ps_redact_opts *opts,
                             const ps__frame *frame, ps_redact_plan *local, ps_redact_plan *into,
                             int *found, ps__pan_geo *geo);
/* The same close reading in any zone of `doc` (lines of at least
 * min_glyphs glyphs; amex_front as for the CVV rule); *found = 1 once a
 * whole number of type `want` was read; geo as above (NULL: not looked at). */
ps_status ps__read_lines(ps_ocr *ocr, const ps_image *doc, ps_box zone, ps_redact_type want,
                         int min_glyphs, int amex_front, const ps_redact_opts *opts,
                         ps_redact_plan *local, ps_redact_plan *into, int *found,
                         ps__pan_geo *geo);

/* A card back's last 4 printed beside its CVV (panline.c): on the signature
 * panel's line of the rectified back `doc`, a group of 4 glyphs and, right
 * of it and last on the line, a group of 3. *found = 1 and *kept = the 4's
 * box. No OCR. @return PS_OK, PS_E_NOMEM, PS_E_CV. */
ps_status ps__back_last4(const ps_image *doc, ps_box *kept, int *found);

/* The same on a back whose CVV is not seen past its last 4 (fr: where the
 * photo ends): the n glyphs g of a line of the rectified back `doc` end in
 * a group of 4 (or 3, print of their contrast a pitch before them: the
 * first digit run into the signature), standing apart from the print
 * before them, in the right part of `zone` (the panel's line), and the
 * line past them runs out of the photo or lies under glare. Pure. */
int ps__back_lone_group(const ps_image *doc, const ps_box *g, int n, ps_box zone,
                        const ps__frame *fr, ps_box *kept);
/* What one look at a rectified back's panel found: its last 4 before a
 * CVV (ps__back_last4()'s), and a lone last group (ps__back_lone_group()). */
typedef struct ps__back_seen {
    ps_box kept;
    int found;
    ps_box lone;
    int lone_found;
} ps__back_seen;

/* One pass over the lines of the rectified back's panel for both: the
 * lone group only with a frame `fr`, and looked for past a found last 4
 * only when `lone_past` (a cut card, whose found 4 may not stand).
 * @return PS_OK, PS_E_NOMEM, PS_E_CV. */
ps_status ps__back_look(const ps_image *doc, const ps__frame *fr, int lone_past, ps__back_seen *out);

/* A blurred card back's last 4 by its panels (ps_cv_light_panels(), left to
 * right): a long panel and, just right of it, a box of its height and of
 * paper as light (70 % of the panel's tone at least, not a hologram's
 * grey) holding one group of print (the CVV: at least 0.8 of its height
 * wide, short of the box's inside), while the panel's last print, in its
 * right half, is wider than the code's by 15 % (4 digits, or 4 run into
 * the signature; a code of 3 at the panel's end is not). 1 and *kept =
 * that last print to the panel's end (no print there; a blurred digit's
 * faint end may be). Pure; tested on drawn panels. */
int ps__back_panels(const ps_cv_panel *panels, int n, ps_box *kept);

/* ---- template zones (card-relative, 0..1 of the rectified document) ----- */

typedef struct ps__zone {
    ps_redact_type type;
    double x, y, w, h; /* fractions of the rectified document */
    int always;        /* 1: masking it hides nothing a reviewer needs, so it
                          is applied even when the number was found */
} ps__zone;

/* The fail-closed zones of `type`/`side` that stand in for `what` when it
 * was not found. Returns how many were written to out (at most max). */
int ps__zones_for(ps_doctype type, ps_side side, ps_redact_type what, ps__zone *out, int max);

/* The types a document of `type`/`side` is expected to carry (the ones
 * whose absence triggers the zones). Returns a bitmask of 1 << type. */
unsigned ps__expected_types(ps_doctype type, ps_side side);

/* 1 when documents of `type` are ID-1 cards (else paper: A4, A5, mail). */
int ps__card_type(ps_doctype type);

/* Rectified size (pixels) for a document type: ID-1 cards 1011 x 638. */
void ps__rectified_size(ps_doctype type, double quad_aspect, int *w, int *h);

/* ---- geometry ------------------------------------------------------------ */

/* Homography mapping src[i] to dst[i]. Returns 0 for a degenerate quad. */
int ps__homography(const ps_point src[4], const ps_point dst[4], double h[9]);
ps_point ps__hmap(const double h[9], ps_point p);
/* Warps src into a new w x h image; h_dst_to_src maps output pixels to src. */
ps_status ps__warp(const ps_image *src, const double h_dst_to_src[9], int w, int h,
                   ps_image **out);
ps_box ps__quad_bbox(const ps_point q[4]);
void ps__box_quad(ps_box b, ps_point q[4]);
ps_box ps__box_clip(ps_box b, int w, int h);

/* PS_REDACT_SPARE_* bits of the sides of the item's quad that border a
 * PAN's visible last 4 (kept[] implies the right side). */
int ps__item_spare(const ps_redact_item *it);

/* The item's quad grown by its mask margin (mask.c): TL, TR, BR, BL. */
void ps__item_grown_quad(const ps_redact_item *it, ps_point out[4]);
/* The region verify re-reads for `it` on a img_w x img_h image (verify.c):
 * its grown mask, PS__READ_MARGIN heights above and below, and sideways the
 * document's row (plan->doc_box; the image's without one), or only
 * PS__GLYPH_ROW heights beside a mask on its own glyphs (it->glyphs); never
 * past a spared side. *glyph_h (may be NULL) receives the item's height.
 * Pure. */
ps_box ps__verify_row(const ps_redact_plan *plan, const ps_redact_item *it, int img_w, int img_h,
                      double *glyph_h);

/* Overwrites n bytes with zeros in a way the compiler keeps. */
void ps__wipe(void *p, size_t n);

#ifdef __cplusplus
}
#endif
#endif
