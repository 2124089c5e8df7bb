/* Masking: solid fill of the planned quads on the full-resolution image.
 *
 * A solid fill removes the pixels; a blur or mosaic keeps enough of them to
 * be undone (deblurring, or matching a 10-digit candidate set against the
 * mosaic). Each quad is grown by a margin along its own axes (a fifth of
 * its height plus 2 px, and more for each widening round verify asked
 * for), except on the side of a PAN's kept last 4, which must stay
 * readable.
 *
 * What is filled is the upright bounding box of the grown quad, not the
 * quad: a number on a tilted card is labelled, audited and judged by its
 * upright box, and a tilted quad leaves that box's corners showing (at 10
 * degrees, over half of a card number's box). Only a kept last 4 is spared:
 * a PAN's box stops at its quad's right edge.
 */
#include <math.h>

#include "redact/redact_int.h"

/* Margin: this fraction of the quad's height, plus PS__MARGIN_PX. */
#define PS__MARGIN_FRAC 0.2
#define PS__MARGIN_PX 2.0
/* Extra margin per verify round, as a fraction of the height, plus px. */
#define PS__GROW_FRAC 0.35
#define PS__GROW_PX 4.0
/* Fill value: black, the usual redaction bar. */
#define PS__FILL 0

int ps__item_spare(const ps_redact_item *it)
{
    return it->spare | (it->type == PS_REDACT_PAN && it->kept[0] ? PS_REDACT_SPARE_RIGHT : 0);
}

/* The item's quad grown by its margin: out = TL, TR, BR, BL. */
void ps__item_grown_quad(const ps_redact_item *it, ps_point out[4])
{
    const ps_point *q = it->quad;
    double ux = q[1].x - q[0].x, uy = q[1].y - q[0].y; /* along the top edge */
    double vx = q[3].x - q[0].x, vy = q[3].y - q[0].y; /* down the left edge */
    double lu = hypot(ux, uy), lv = hypot(vx, vy);
    if (lu < 1e-9) { ux = 1; uy = 0; lu = 1; }
    if (lv < 1e-9) { vx = 0; vy = 1; lv = 1; }
    ux /= lu; uy /= lu;
    vx /= lv; vy /= lv;
    double height = lv;
    double m = PS__MARGIN_FRAC * height + PS__MARGIN_PX +
               it->grow * (PS__GROW_FRAC * height + PS__GROW_PX);
    /* A PAN's kept digits follow its right edge (or, for the part of a line
     * right of them, its left edge): 1 px there, always. */
    int spare = ps__item_spare(it);
    double mr = (spare & PS_REDACT_SPARE_RIGHT) ? 1.0 : m;
    double ml = (spare & PS_REDACT_SPARE_LEFT) ? 1.0 : m;
    double mb = (spare & PS_REDACT_SPARE_BOTTOM) ? 1.0 : m;
    double mt = (spare & PS_REDACT_SPARE_TOP) ? 1.0 : m;
    out[0] = (ps_point){q[0].x - ml * ux - mt * vx, q[0].y - ml * uy - mt * vy};
    out[1] = (ps_point){q[1].x + mr * ux - mt * vx, q[1].y + mr * uy - mt * vy};
    out[2] = (ps_point){q[2].x + mr * ux + mb * vx, q[2].y + mr * uy + mb * vy};
    out[3] = (ps_point){q[3].x - ml * ux + mb * vx, q[3].y - ml * uy + mb * vy};
}

/* Which side of the edge a -> b the point p lies on. */
static double side_of(ps_point a, ps_point b, double px, double py)
{
    return (b.x - a.x) * (py - a.y) - (b.y - a.y) * (px - a.x);
}

/* Fills the upright bounding box of q; with PS_REDACT_SPARE_RIGHT in
 * `spare`, not the pixels wholly beyond q's right edge (q[1] -> q[2]), where
 * a PAN's kept digits are; with PS_REDACT_SPARE_LEFT, not those wholly
 * beyond its left edge (q[3] -> q[0]); with PS_REDACT_SPARE_BOTTOM, not
 * those wholly below its bottom edge (q[2] -> q[3]); with
 * PS_REDACT_SPARE_TOP, not those wholly above its top edge (q[0] -> q[1]). */
static void fill_box(ps_image *img, const ps_point q[4], int spare)
{
    ps_box b = ps__box_clip(ps__quad_bbox(q), img->width, img->height);
    double orient = side_of(q[0], q[1], q[2].x, q[2].y) >= 0 ? 1.0 : -1.0;
    for (int y = b.y; y < b.y + b.h; y++) {
        uint8_t *row = ps_image_row(img, y);
        for (int x = b.x; x < b.x + b.w; x++) {
            /* beyond a spared edge at all four corners: a kept pixel */
            static const double off[4][2] = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};
            int right = (spare & PS_REDACT_SPARE_RIGHT) != 0, left = (spare & PS_REDACT_SPARE_LEFT) != 0;
            int bottom = (spare & PS_REDACT_SPARE_BOTTOM) != 0, top = (spare & PS_REDACT_SPARE_TOP) != 0;
            for (int c = 0; c < 4 && right; c++)
                right = orient * side_of(q[1], q[2], x + off[c][0], y + off[c][1]) < 0;
            for (int c = 0; c < 4 && left; c++)
                left = orient * side_of(q[3], q[0], x + off[c][0], y + off[c][1]) < 0;
            for (int c = 0; c < 4 && bottom; c++)
                bottom = orient * side_of(q[2], q[3], x + off[c][0], y + off[c][1]) < 0;
            for (int c = 0; c < 4 && top; c++)
                top = orient * side_of(q[0], q[1], x + off[c][0], y + off[c][1]) < 0;
            if (right || left || bottom || top)
                continue;
            for (int k = 0; k < img->channels; k++)
                row[(size_t)x * img->channels + k] = PS__FILL;
        }
    }
}

ps_status ps_redact_apply(ps_image *full, const ps_redact_plan *plan)
{
    if (full == NULL || plan == NULL || full->data == NULL)
        return PS_E_ARG;
    if (full->width != plan->full_width || full->height != plan->full_height)
        return PS_E_ARG;
    for (size_t i = 0; i < plan->n; i++) {
        ps_point g[4];
        const ps_redact_item *it = &plan->items[i];
        ps__item_grown_quad(it, g);
        fill_box(full, g, ps__item_spare(it));
    }
    return PS_OK;
}
