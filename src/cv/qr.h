/* prescreen — QR codes behind the OpenCV shim (the My Number card's back).
 *
 * Finds a QR code and returns where it is. When OpenCV's QRCodeDetector can
 * also decode it, the payload is only compared against the My Number's
 * shape (12 digits with a valid check digit) and then overwritten: it is
 * never returned, stored or logged. When the code cannot be decoded (blur,
 * glare, a small code), three nested-square finder patterns in the right
 * geometry are evidence enough and give the quad.
 *
 * Thread rules: reentrant; no state is kept between calls. No C++
 * exception crosses this boundary: OpenCV errors become PS_E_CV.
 */
#ifndef PS_CV_QR_H
#define PS_CV_QR_H

#include "prescreen/image.h"
#include "prescreen/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ps_cv_qr {
    int found;            /* 1 when a QR code was located */
    int decoded;          /* 1 when its payload was decoded */
    int payload_mynumber; /* 1 when the decoded payload holds a 12-digit
                             run with a valid My Number check digit */
    int finder_patterns;  /* nested-square finder patterns seen (0..) */
    ps_point quad[4];     /* TL, TR, BR, BL in the input's pixels, when found */
} ps_cv_qr;

/*! ps_cv_qr_find() :
 *  Looks for one QR code in `img` (gray or RGB) inside `roi` (NULL = the
 *  whole image). *out is zeroed first. Keeps no pointer to img.
 *  @return PS_OK (out->found says whether one was seen); PS_E_ARG for NULL
 *          img/out or a bad image; PS_E_NOMEM; PS_E_CV. */
ps_status ps_cv_qr_find(const ps_image *img, const ps_box *roi, ps_cv_qr *out);

#ifdef __cplusplus
}
#endif
#endif
