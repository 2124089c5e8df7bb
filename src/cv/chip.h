/* prescreen — a card's fixed features: the EMV chip on the front, the
 * magnetic stripe on the back (OpenCV shim).
 *
 * A card front whose print reads nothing (blurred, glared) still shows its
 * chip: ISO/IEC 7816-2 puts the contact plate at a fixed place, its centre
 * about 17 % of the card's width from the left edge and 42 % of its height
 * from the top. A half turn puts it at 83 % / 58 %. Finding a plate at one
 * of the two places and not at the other tells the card's turn; the
 * redaction keeps a number's last group by geometry only once the turn is
 * known (a wrong turn would keep the first group instead).
 *
 * Thread rules: reentrant; nothing is kept between calls. No C++ exception
 * crosses this boundary.
 */
#ifndef PS_CV_CHIP_H
#define PS_CV_CHIP_H

#include "prescreen/image.h"
#include "prescreen/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/*! ps_cv_card_chip_turn() :
 *  Looks for the chip's plate on a rectified ID-1 card (RGB, landscape, at
 *  least 200 px wide) at its upright place and a half turn round.
 *  *turn = 1: a plate at the upright place only; -1: at the turned place
 *  only; 0: at neither or both (a design that tells nothing).
 *  @return PS_OK; PS_E_ARG (NULL, not RGB, too small, portrait); PS_E_NOMEM;
 *          PS_E_CV. */
ps_status ps_cv_card_chip_turn(const ps_image *card, int *turn);

/*! ps_cv_card_stripe() :
 *  Looks for the magnetic stripe on a rectified ID-1 card back (RGB,
 *  landscape, at least 200 px wide): a band of one colour across the whole
 *  card along a long edge, 9-36 % of its height, standing apart from the
 *  card's ground (ISO/IEC 7811-2 puts it along the top edge, down to about
 *  30 % of the height). A back outline that shows none is not the card
 *  back, or not all of it: a sheet of paper, another card's front.
 *  *turn = 1: a stripe at the top only; -1: at the bottom only (a half
 *  turn); 2: at both; 0: at neither.
 *  @return PS_OK; PS_E_ARG (NULL, not RGB, too small, portrait); PS_E_NOMEM;
 *          PS_E_CV. */
ps_status ps_cv_card_stripe(const ps_image *card, int *turn);

#ifdef __cplusplus
}
#endif
#endif
