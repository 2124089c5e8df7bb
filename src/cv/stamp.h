/* prescreen — round date stamps on a rectified page (OpenCV shim).
 *
 * Japanese mail is dated by its postmark, the round 丸型日付印: a ring with
 * the post office's name at the top, two bars across the middle and the
 * era-less date between them (`7.10.30` = 令和7年10月30日), the hour band
 * below. Read with the rest of an envelope, the date is lost: the ring and
 * the bars run through it, it often overlaps the postage stamp, and it may
 * be stamped askew. This call finds such stamps (a ring whose inside holds
 * two dark parallel bars at some turn) and cuts out the date band between
 * the bars, set upright with the ring, the bars and any stamp colour
 * removed, ready to be read as one line.
 *
 * Thread rules: reentrant; nothing is kept between calls. No C++ exception
 * crosses this boundary.
 */
#ifndef PS_CV_STAMP_H
#define PS_CV_STAMP_H

#include "prescreen/image.h"
#include "prescreen/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Most stamps one call returns (a letter rarely carries more than two). */
#define PS_CV_STAMP_MAX 4

typedef struct ps_cv_stamp {
    ps_box circle;   /* the ring's bounding box in the page's pixels */
    double score;    /* 0..1: ink along the weaker of its two bars */
    int glyph_h;     /* tallest glyph of the band, in the band's pixels */
    ps_image *band;  /* gray, dark glyphs on white, upright; owned */
} ps_cv_stamp;

/*! ps_cv_find_date_stamps() :
 *  Round stamps with two bars on `page` (gray or RGB, upright), strongest
 *  first, at most `max` (<= PS_CV_STAMP_MAX). Rings are looked for with a
 *  radius between 2% and 10% of the page's long side; bars up to 40° off
 *  the horizontal. Stamps whose band holds no glyph are left out; a page
 *  under 64 px a side has none.
 *  @return PS_OK with *n set (0..max); PS_E_ARG (NULL, max out of range, a
 *          channel count other than 1 or 3); PS_E_NOMEM; PS_E_CV.
 *  The caller frees the bands with ps_cv_stamps_free(), also on error
 *  (nothing is left allocated then). */
ps_status ps_cv_find_date_stamps(const ps_image *page, ps_cv_stamp *out, int max, int *n);

/*! ps_cv_stamps_free() : frees the bands of `n` stamps; accepts NULL. */
void ps_cv_stamps_free(ps_cv_stamp *stamps, int n);

#ifdef __cplusplus
}
#endif
#endif
