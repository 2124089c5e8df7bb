/* prescreen-gen — scene building blocks (gen_scene.c), used by gen_make.c. */
#ifndef PS_GEN_SCENE_H
#define PS_GEN_SCENE_H

#include "gen.h"

/* Where a thumb or finger touches a document edge (doc px). */
typedef struct gen_hand {
    int edge;       /* 0 left, 1 right, 2 bottom, 3 top */
    double t;       /* position along the edge */
    double depth;   /* how far the tip reaches onto the document */
    double rad;     /* half the finger width */
    int over;       /* 1 = deliberately over text/photo */
} gen_hand;

/* Exposure, light falloff, shadow edge and sensor noise. */
typedef struct gen_light {
    double gain, gx, gy, vignette;
    double shadow, snx, sny, sc, soft; /* shadow depth and its edge line */
    double noise;                      /* sigma in 8-bit levels */
} gen_light;

void gen_place_quad(double w, double h, double cx, double cy, double rot, double pitch,
                    double yaw, double f, double q[4][2]);
void gen_shadow(cairo_surface_t *scene, const double H[9], int dw, int dh, double offx,
                double offy, double soft, double strength);
void gen_warp_doc(cairo_surface_t *scene, const gen_doc *d, const double H[9]);
void gen_paste_face(cairo_surface_t *scene, const gen_face_src *f, double sc, double ox,
                    double oy, double box[4]);
void gen_table(cairo_surface_t *scene, gen_rng *r, int kind);
void gen_clutter(cairo_surface_t *scene, gen_rng *r, int n);
void gen_room(cairo_surface_t *scene, gen_rng *r);
void gen_body(cairo_surface_t *scene, gen_rng *r, const double fb[4], const double skin[3]);
void gen_skin(gen_rng *r, double skin[3]);
int gen_hand_plan(gen_rng *r, const gen_doc *d, int e, gen_hand *hp, int finger_over);
void gen_hand_on_doc(const gen_doc *d, const gen_hand *hp, double box[4]);
void gen_hand_back(cairo_surface_t *scene, const double H[9], const gen_doc *d,
                   const gen_hand *hp, const double skin[3]);
void gen_hand_front(cairo_surface_t *scene, const double H[9], const gen_doc *d,
                    const gen_hand *hp, const double skin[3], double box_img[4]);
void gen_box_blur(cairo_surface_t *s, int rad, int passes);
void gen_motion_blur(cairo_surface_t *s, double dx, double dy, int taps);
void gen_glare(cairo_surface_t *s, double cx, double cy, double rad, double strength);
void gen_light_noise(cairo_surface_t *s, gen_rng *r, const gen_light *L);
uint32_t *gen_rotate_for_exif(cairo_surface_t *s, int orientation, int *ow, int *oh);

#endif
