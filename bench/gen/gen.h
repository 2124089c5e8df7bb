/* prescreen-gen — internal interface of the labelled upload generator.
 *
 * The generator is a bench tool, not part of libprescreen. Everything an
 * image needs is derived from (seed, index) through gen_rng, so output does
 * not depend on the number of threads. Rendering uses cairo + pango, QR codes
 * libqrencode, JPEG libjpeg-turbo (only in gen_io.c), faces are located once
 * with OpenCV's Haar cascade (only in gen_haar.cpp).
 *
 * Coordinates: documents are rendered flat in "doc pixels" (origin top-left
 * of the document); scenes are in upright full-resolution image pixels.
 * Structures returned by gen_* calls are owned by the caller and released with
 * the matching *_free() call, which accepts NULL.
 */
#ifndef PS_GEN_H
#define PS_GEN_H

#include <cairo.h>
#include <stddef.h>
#include <stdint.h>

/* ---- deterministic random numbers (xoshiro256**) ---------------------- */

typedef struct gen_rng {
    uint64_t s[4];
} gen_rng;

/* Seeds from (seed, stream): different streams give independent sequences. */
void gen_rng_seed(gen_rng *r, uint64_t seed, uint64_t stream);
uint64_t gen_rng_u64(gen_rng *r);
double gen_rng_unit(gen_rng *r);                  /* [0, 1) */
int gen_rng_int(gen_rng *r, int lo, int hi);      /* lo..hi inclusive */
double gen_rng_range(gen_rng *r, double lo, double hi);
double gen_rng_gauss(gen_rng *r);                 /* N(0, 1) */
int gen_rng_chance(gen_rng *r, double p);         /* 1 with probability p */

/* ---- dates ------------------------------------------------------------ */

typedef struct gen_date {
    int y, m, d;
} gen_date;

long gen_date_days(gen_date d);                   /* days since 1970-01-01 */
gen_date gen_date_from_days(long days);
gen_date gen_date_add(gen_date d, long days);
void gen_date_iso(gen_date d, char *buf, size_t n); /* YYYY-MM-DD */

/* Japanese era of `d`: kanji name ("令和"), one-letter code ("R") and year
 * within the era; returns 0 for dates before 明治. */
int gen_era(gen_date d, const char **kanji, char *letter, int *year);

/* "平成2年4月1日" (元年 for year 1); zero_pad pads month/day to 2 digits. */
void gen_era_text(gen_date d, int zero_pad, char *buf, size_t n);

/* ---- check digits ----------------------------------------------------- */

int gen_luhn_check_digit(const char *digits_without_check);
int gen_luhn_valid(const char *digits);
/* My Number: check digit of 11 base digits (see README for the formula). */
int gen_mynumber_check_digit(const char *eleven);
int gen_mynumber_valid(const char *twelve);
/* ICAO 9303 7-3-1 check digit of an MRZ field ('<' = 0, A = 10 ...). */
int gen_mrz_check_digit(const char *field, size_t len);

/* ---- people ----------------------------------------------------------- */

typedef struct gen_person {
    char family_kanji[32], given_kanji[32];
    char family_kana[64], given_kana[64];
    char family_latin[32], given_latin[32];
    int foreign;            /* residence-card holder: name is Latin only */
    int female;
    gen_date birth;
    char postal[16];        /* "123-4567" */
    char address[256];      /* as printed, e.g. 東京都千代田区千代田1丁目1番1号 */
    char address_short[256];/* the same place written 1-1-1 (applicant form) */
    char nationality[32];   /* foreign holders */
} gen_person;

void gen_person_random(gen_rng *r, gen_person *p, int foreign);
/* Printed names: "山田 太郎" / "ヤマダ タロウ" / "TARO YAMADA". */
void gen_person_name(const gen_person *p, char *buf, size_t n);
void gen_person_kana(const gen_person *p, char *buf, size_t n);
void gen_person_latin(const gen_person *p, char *buf, size_t n);
/* Another person of the same household (same family name and address). */
void gen_person_relative(gen_rng *r, const gen_person *p, gen_person *out);

/* ---- rendered documents ----------------------------------------------- */

enum {
    GEN_MAX_FIELDS = 16,
    GEN_MAX_SENS = 8,
    GEN_MAX_FLAGS = 12
};

typedef struct gen_fbox {
    char key[16];           /* name, birth_date, expiry, issue_date, address */
    char text[256];         /* as printed */
    double x, y, w, h;      /* ink box in doc pixels */
} gen_fbox;

typedef struct gen_sbox {
    char type[24];          /* pan, pan_last4, cvv, my_number, ... */
    char text[64];          /* the digits (labels only, never logged) */
    double x, y, w, h;
} gen_sbox;

typedef enum gen_doctype {
    GEN_DL, GEN_MYNUMBER, GEN_NOTIFICATION, GEN_RESIDENCE, GEN_PASSPORT,
    GEN_HEALTH, GEN_JUMINHYO, GEN_MAIL, GEN_UTILITY, GEN_CREDIT,
    GEN_DOCTYPE_COUNT
} gen_doctype;

const char *gen_doctype_name(gen_doctype t);

/* What to put on a document. Filled by the scenario code, read by renderers. */
typedef struct gen_docspec {
    gen_doctype type;
    int back;               /* 1 = back side */
    gen_person holder;
    gen_date now;
    gen_date issue;         /* issue / postmark / billing date */
    gen_date expiry;
    int variant;            /* renderer-specific style choice */
    int with_mynumber;      /* 住民票 carries 個人番号 */
    int with_resident_code; /* 住民票 carries 住民票コード */
    int digital;            /* screenshot-like render */
    const uint8_t *photo;   /* portrait RGB (3 bytes/px) or NULL */
    int photo_w, photo_h;
    double photo_face[4];   /* face box within the portrait, source pixels */
    int hide_sensitive;     /* test hook: lay out sensitive items, draw none */
} gen_docspec;

typedef struct gen_doc {
    cairo_surface_t *surf;  /* ARGB32, transparent outside the document */
    int w, h;               /* doc pixels */
    double px_per_mm;
    gen_fbox fields[GEN_MAX_FIELDS];
    int nfields;
    gen_sbox sens[GEN_MAX_SENS];
    int nsens;
    int has_face;
    double face[4];         /* printed portrait face box, doc pixels */
    /* rectangles (doc px) a thumb may not cover: text, photo, numbers */
    double keep[48][4];
    int nkeep;
    /* the field values as ISO (labels "fields") */
    char name[128], address[256];
    char birth_iso[16], expiry_iso[16], issue_iso[16];
    const char *expect[GEN_MAX_FLAGS];
    int nexpect;
    uint32_t bg_rgb;        /* dominant background colour of the document */
} gen_doc;

/* Physical size of a document in millimetres. */
void gen_doc_size_mm(const gen_docspec *s, double *w_mm, double *h_mm);

/* Renders `s` at `px_per_mm`. @return 0 and *out filled, -1 on failure.
 * The caller releases it with gen_doc_free(). */
int gen_doc_render(gen_rng *r, const gen_docspec *s, double px_per_mm,
                   gen_doc *out);
void gen_doc_free(gen_doc *d);

/* Writes a tiny PDF of `s` (a digital document) to `path`; 0 on success. */
int gen_doc_write_pdf(gen_rng *r, const gen_docspec *s, const char *path);

/* ---- faces ------------------------------------------------------------ */

typedef struct gen_face_src {
    char path[512];
    char identity[128];     /* folder name or file stem */
    int w, h;
    uint8_t *rgb;           /* w*h*3 */
    double box[4];          /* face box x, y, w, h in source pixels */
} gen_face_src;

typedef struct gen_faces {
    gen_face_src *v;
    int n;
    char origin[600];       /* where they came from, for the README/log */
} gen_faces;

/* Loads face photos from `dir` (recursively, *.jpg), else the shared corpus,
 * else none (procedural faces are drawn then). 0 on success. */
int gen_faces_load(const char *dir, const char *corpus_dir, gen_faces *out);
void gen_faces_free(gen_faces *f);

/* Haar-cascade face box of an RGB image: 1 found, 0 none, -1 error. */
int gen_haar_face(const uint8_t *rgb, int w, int h, double box[4]);

/* ---- image files ------------------------------------------------------ */

/* Decodes a JPEG file to RGB (malloc'd, caller frees); 0 on success. */
int gen_jpeg_read(const char *path, uint8_t **rgb, int *w, int *h);
/* Encodes xRGB (cairo RGB24) pixels to a JPEG file; `orientation` 1 writes
 * no EXIF orientation, 3/6/8 write the tag (pixels must already be stored
 * rotated). `gps` adds a fake GPS block. 0 on success. */
int gen_jpeg_write(const char *path, const uint32_t *px, int w, int h,
                   int stride_px, int quality, int orientation, int gps,
                   const char *datetime);

/* ---- one labelled image ------------------------------------------------ */

typedef enum gen_set {
    GEN_SET_ALL, GEN_SET_SELFIE, GEN_SET_PHOTO_ID, GEN_SET_CREDIT, GEN_SET_ADDRESS
} gen_set;

typedef struct gen_opts {
    uint64_t seed;
    gen_set set;
    double min_mp, max_mp;
    const gen_faces *faces;
    int flat;               /* test mode: no effects, no hand, plain table */
    int cycle;              /* variants in turn by index instead of at random */
    double max_rot_deg;     /* > 0: documents turned in-plane up to this, both
                             * ways, instead of each scene's own limit (a
                             * harder corpus than the default) */
} gen_opts;

typedef struct gen_result {
    cairo_surface_t *img;   /* RGB24 upright scene */
    char *label_json;       /* malloc'd */
    char stem[64];          /* file name stem */
    int orientation;        /* EXIF orientation to store with */
    int quality;            /* JPEG quality */
    int png;                /* 1 = write PNG (screenshot) */
    int pdf;                /* 1 = also/only write a PDF */
    gen_docspec pdf_spec;   /* when pdf */
    gen_rng pdf_rng;        /* rng state the PDF's numbers are drawn from */
    int gps;
    char datetime[24];
    /* for tests: the document as placed */
    int has_doc;
    double quad[4][2];
    double H[9];            /* doc px -> image px homography */
    gen_doc doc;            /* labels in doc pixels (surface released) */
    double doc_boxes[GEN_MAX_SENS][4]; /* sensitive boxes in image px */
    double field_boxes[GEN_MAX_FIELDS][4];
    int finger_over;
} gen_result;

/* Generates image `index`. 0 on success; release with gen_result_free(). */
int gen_make(const gen_opts *o, long index, gen_result *out);
void gen_result_free(gen_result *r);
/* Draws the labels of `label_json` over the upright image, scaled to at most
 * max_side px, into a PNG at `path`; 0 on success. */
int gen_overlay_png(cairo_surface_t *img, const char *label_json, int max_side, const char *path);
/* Writes X.jpg/X.png/X.pdf and X.truth.json under `dir`; 0 on success. */
int gen_result_write(const gen_result *r, const char *dir);

/* ---- geometry helpers (gen_scene.c) ----------------------------------- */

/* Homography mapping src[i] to dst[i] (4 points): 0 ok, -1 degenerate. */
int gen_homography(const double src[4][2], const double dst[4][2], double H[9]);
void gen_apply_h(const double H[9], double x, double y, double *ox, double *oy);
/* Axis-aligned bounds of a doc box mapped through H (outward rounded). */
void gen_map_box(const double H[9], const double in[4], double out[4]);

#endif
