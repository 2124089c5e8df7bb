/* Synthetic phone-photo scenes with a known document quadrilateral, for the
 * document-geometry tests and the measurement tool. Everything is drawn
 * here, deterministically from a seed: a card with rounded corners, text-like
 * bars and a portrait box, mapped into the image by the homography of the
 * unit square onto `quad`, over one of several backgrounds, optionally with
 * a thumb and a glare spot. */
#ifndef PS_TEST_SCENE_H
#define PS_TEST_SCENE_H

#include "prescreen/image.h"

typedef enum ps_scene_bg {
    PS_BG_PLAIN,   /* grey desk with sensor noise */
    PS_BG_WOOD,    /* brown stripes with grain */
    PS_BG_CLUTTER, /* blobs and strokes of many colours */
    PS_BG_WHITE    /* white table: a low-contrast border for a white card */
} ps_scene_bg;

typedef struct ps_scene {
    int width, height;
    ps_scene_bg bg;
    unsigned seed;
    int n_cards;             /* 0, 1 or 2 */
    ps_point quad[2][4];     /* TL, TR, BR, BL of each card, image pixels */
    unsigned char card_rgb[3];
    int thumb;               /* 1: a thumb over the bottom edge of card 0 */
    int glare;               /* 1: a specular spot on card 0 */
} ps_scene;

/* Renders the scene into a new RGB image (caller frees), NULL on OOM. */
ps_image *ps_scene_render(const ps_scene *s);

/* Fills quad with an ID-1 card of width w (px) centred at (cx, cy), rotated
 * by `deg` and with a perspective `tilt` (0 = none, 0.15 = the far edge 15%
 * shorter). */
void ps_scene_card_quad(double cx, double cy, double w, double deg, double tilt, ps_point quad[4]);

#endif
