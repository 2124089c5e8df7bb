/* Private interface between the dispatcher (decode.c) and the per-format
 * decoders. Each decoder file is the only user of its library. */
#ifndef PS_DECODE_DECODER_H
#define PS_DECODE_DECODER_H

#include <stdarg.h>

#include "prescreen/decode.h"

typedef struct ps__frame {
    ps_image *img;        /* RGB as stored (before orientation); owned */
    int stored_w, stored_h; /* full size as stored in the file */
    int orientation;      /* EXIF 1..8 still to apply; 1 = upright already */
    int exif_orientation; /* what EXIF said (for the report) */
    char warning[160];
} ps__frame;

/* Each decoder: checks limits against the header before allocating, decodes
 * at full size, or for JPEG at the smallest DCT scale whose long side is at
 * least `min_long_side` (0 = full size). On failure frame->img is NULL and
 * `msg` holds a sentence. */
ps_status ps__decode_jpeg(const uint8_t *buf, size_t len, const ps_limits *lim,
                          int min_long_side, ps__frame *f, char *msg, size_t msglen);
ps_status ps__decode_png(const uint8_t *buf, size_t len, const ps_limits *lim,
                         ps__frame *f, char *msg, size_t msglen);
ps_status ps__decode_webp(const uint8_t *buf, size_t len, const ps_limits *lim,
                          ps__frame *f, char *msg, size_t msglen);
ps_status ps__decode_heic(const uint8_t *buf, size_t len, const ps_limits *lim,
                          ps__frame *f, char *msg, size_t msglen);
/* A PDF's first page, rendered on white (pdf.c): upright, at most
 * PS_PDF_LONG_SIDE pixels on its long side (at most 300 dpi). */
ps_status ps__decode_pdf(const uint8_t *buf, size_t len, const ps_limits *lim,
                         ps__frame *f, char *msg, size_t msglen);

/* Orientation (1..8) from an EXIF block: a JPEG stream, or a TIFF-header
 * block with or without the "Exif\0\0" prefix. 1 when absent or invalid. */
int ps__exif_orientation(const uint8_t *data, size_t len, int is_jpeg);

/* Shared limit check on a header's declared size; `bytes_per_pixel` is the
 * decoder's peak working memory per pixel. */
ps_status ps__check_dims(const ps_limits *lim, uint64_t w, uint64_t h,
                         uint64_t bytes_per_pixel, char *msg, size_t msglen);

/* snprintf into msg when msg is not NULL. */
void ps__msg(char *msg, size_t msglen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
