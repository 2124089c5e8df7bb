/* prescreen — printed number lines on a rectified card (OpenCV shim).
 *
 * Card numbers are printed or embossed with wide letter-spacing, often
 * light on a dark or patterned face. Tesseract's LSTM reads such a line
 * badly as it is (it drops digits between wide gaps), and reads it well
 * once the glyphs are cut out and set again at normal spacing, dark on
 * white. These two calls do that: find the bands of text lines in a zone,
 * then re-set one band's glyphs, remembering where each came from so the
 * words read can be mapped back to the card.
 *
 * Thread rules: reentrant; nothing is kept between calls. No C++ exception
 * crosses this boundary.
 */
#ifndef PS_CV_TEXTLINE_H
#define PS_CV_TEXTLINE_H

#include "prescreen/image.h"
#include "prescreen/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Most glyphs one re-set line keeps (a PAN has 19 digits; room for noise). */
#define PS_CV_LINE_MAX_GLYPHS 48

/*! ps_cv_text_bands() :
 *  Horizontal bands of `zone` of `img` (gray or RGB) where vertical strokes
 *  are dense: text lines. Bands shorter than min_h rows are dropped; the
 *  rest are returned strongest first (at most `max`), each as a box of the
 *  zone's full width.
 *  @return PS_OK with *n set (0..max); PS_E_ARG; PS_E_NOMEM; PS_E_CV. */
ps_status ps_cv_text_bands(const ps_image *img, ps_box zone, int min_h, ps_box *bands, int max,
                           int *n);

/* One re-set line. glyph_src[i] is the i-th glyph's box in the input image;
 * it was drawn at columns [dst_x0[i], dst_x1[i]) of `line`. */
typedef struct ps_cv_line {
    ps_image *line;                      /* gray, dark glyphs on white; owned */
    int n;
    ps_box glyph_src[PS_CV_LINE_MAX_GLYPHS];
    int dst_x0[PS_CV_LINE_MAX_GLYPHS], dst_x1[PS_CV_LINE_MAX_GLYPHS];
} ps_cv_line;

/*! ps_cv_line_reset() :
 *  Cuts the glyphs of `band` out of `img` (light text when `light_text`,
 *  else dark): divides out the background, thresholds (Otsu), keeps
 *  connected components between 35% and 95% of the band's height, merges
 *  those that overlap in x, and sets them again left to right with gaps of
 *  a quarter glyph height (word gaps, over 1.8x the median gap, of 0.6).
 *  @return PS_OK and out->line (NULL with n 0 when no glyph was found; the
 *          caller frees out->line with ps_image_free); PS_E_ARG; PS_E_NOMEM;
 *          PS_E_CV. */
ps_status ps_cv_line_reset(const ps_image *img, ps_box band, int light_text, ps_cv_line *out);

/*! ps_cv_line_edge_glyphs() :
 *  The glyph boxes of `band` of `img` found by their edges rather than their
 *  tone: embossed digits on a card of their own colour show only as a light
 *  and a dark rim, which a threshold on tone breaks into pieces. The gradient
 *  magnitude is thresholded (Otsu), closed over a sixth of the band's height
 *  (a glyph's rims join, neighbours a letter gap apart stay apart), and
 *  components between 35% and 100% of the band's height, no wider than
 *  tall, are the glyphs, left to right (those overlapping in x merged).
 *  @return PS_OK with *n set (0..max; 0 when more than max were found);
 *          PS_E_ARG; PS_E_NOMEM; PS_E_CV. */
ps_status ps_cv_line_edge_glyphs(const ps_image *img, ps_box band, ps_box *glyphs, int max, int *n);

/*! ps_cv_line_group_blobs() :
 *  The blobs of `band` of `img` where a blurred line's groups of digits
 *  run together (light print when `light_text`, else dark): the band's ink
 *  over its own tone (a Gaussian of twice the band's height taken away),
 *  Otsu, closed along the line over `close` (0..1) of the band's height,
 *  components at least 35% of the band's height tall and 0.8 of their
 *  height wide (single digits are narrower), left to right. A motion- or
 *  focus-blurred card number shows its groups so when no digit can be cut
 *  out alone; how far its gaps are blurred shut decides the closing that
 *  joins a group's pieces and keeps the groups apart.
 *  @return PS_OK with *n set (0..max; 0 when more than max were found);
 *          PS_E_ARG; PS_E_NOMEM; PS_E_CV. */
ps_status ps_cv_line_group_blobs(const ps_image *img, ps_box band, int light_text, double close,
                                 ps_box *blobs, int max, int *n);

/* A bright panel of a card back (the signature panel, a CVV box) and the
 * dark print inside it. */
#define PS_CV_PANEL_MAX 8
typedef struct ps_cv_panel {
    ps_box box;  /* the panel, in img's pixels */
    ps_box ink;  /* all its print (w 0 when none) */
    ps_box last; /* its rightmost group of print */
    int n_ink;   /* groups of print */
    int paper;   /* the panel's tone under its print, 0..255 */
} ps_cv_panel;

/*! ps_cv_light_panels() :
 *  The bright rectangles of `zone` of `img` about `panel_h` px tall (0.5 to
 *  1.8 of it) and at least half that wide, filled for 75 % of their box:
 *  the zone's Otsu threshold, opened over 0.15 panel_h (thin light print
 *  goes) and closed over 0.6 panel_h down the columns (the print inside a
 *  panel no longer splits it). Inside each (a rim of 0.2 of its height
 *  left out): its paper's tone (a closing over 0.6 of the inside's height,
 *  so a shadow's or a glare's slope goes with it), and the print darker
 *  than that, less what darkens whole columns or rows (the panel's edge
 *  smeared in by a blur), by Otsu and at least 7 % of the paper's tone,
 *  closed along the line over a third of the inside's height (a blurred
 *  group's digits join), in components at least a quarter of the inside
 *  tall. Left to right. Blur leaves a panel and its print where no digit
 *  can be cut out alone.
 *  @return PS_OK with *n set (0..max; the first max by x); PS_E_ARG;
 *          PS_E_NOMEM; PS_E_CV. */
ps_status ps_cv_light_panels(const ps_image *img, ps_box zone, int panel_h, ps_cv_panel *panels,
                             int max, int *n);

/*! ps_cv_digit_blobs() :
 *  How many digits the pixels of `zone` of `img` could show outside the
 *  masks (`masks`: boxes whose pixels of value 0 are a mask's fill): the
 *  ink components, light or dark, under the zone's Otsu threshold with and
 *  without the masks' pixels, of a digit's height (0.35 to 1.6 glyph_h);
 *  one wider than a digit counts a digit per 0.75 glyph_h of its width.
 *  With `line` (x0, y0, x1, y1 in img's pixels) only components whose
 *  centre lies within `reach` px of that line count. The most of the four
 *  counts goes to *count. Looked at with glyphs about 20 px tall.
 *  @return PS_OK; PS_E_ARG; PS_E_NOMEM; PS_E_CV. */
ps_status ps_cv_digit_blobs(const ps_image *img, ps_box zone, const ps_box *masks, int n_masks,
                            double glyph_h, const double line[4], double reach, int *count);

#ifdef __cplusplus
}
#endif
#endif
