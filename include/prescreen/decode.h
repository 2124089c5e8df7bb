/* prescreen — decoding untrusted uploads.
 *
 * The only entry point for bytes from a user. The format is sniffed from
 * magic bytes (never from a file name); every decoder checks explicit limits
 * (bytes, width, height, pixel count, memory, progressive scans) from the
 * header before it allocates pixel memory. The result is upright: the EXIF
 * orientation (JPEG, PNG eXIf, WebP EXIF) or the HEIF irot/imir transforms
 * are applied, so every coordinate downstream is in the upright frame.
 *
 * Thread rules: all functions are reentrant; nothing is shared.
 */
#ifndef PRESCREEN_DECODE_H
#define PRESCREEN_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "prescreen/image.h"
#include "prescreen/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ps_format {
    PS_FMT_UNKNOWN = 0,
    PS_FMT_JPEG,
    PS_FMT_PNG,
    PS_FMT_WEBP,
    PS_FMT_HEIC,  /* HEIF container: HEIC and AVIF brands */
    PS_FMT_PDF,   /* recognised; its first page rendered only on request
                     (ps_decode_opts.render_pdf) */
    PS_FMT_GIF,   /* recognised, not accepted */
    PS_FMT_TIFF,  /* recognised, not accepted */
    PS_FMT_BMP    /* recognised, not accepted */
} ps_format;

/* Decoder limits. Defaults (ps_limits_default) are strict but fit every
 * phone camera we know of: the largest common sensors are 48-50 MP in
 * full-resolution mode (8160 x 6120). */
typedef struct ps_limits {
    uint64_t max_bytes;    /* input size */
    int max_width;         /* pixels */
    int max_height;        /* pixels */
    uint64_t max_pixels;   /* width * height */
    uint64_t max_memory;   /* bytes of pixel + coefficient buffers */
    int max_scans;         /* progressive JPEG scans (0 = library default) */
    int bytes_per_pixel;   /* the caller's own peak memory per decoded pixel
                              (e.g. the whole screening pipeline's, see
                              ps_screen_limits_for_memory): an image whose
                              width * height * this exceeds max_memory is
                              refused with PS_E_MEMORY_LIMIT before decoding,
                              like the decoder's own buffers; 0 = only the
                              decoder's (the default) */
} ps_limits;

/*! ps_limits_default() : fills `l` with the defaults (see README). */
void ps_limits_default(ps_limits *l);

/*! ps_sniff() : the format named by the leading magic bytes, or
 *  PS_FMT_UNKNOWN. Reads at most the first 32 bytes of `buf`. */
ps_format ps_sniff(const uint8_t *buf, size_t len);

/*! ps_format_name() : "jpeg", "png", "webp", "heic", "pdf", ... ("unknown"). */
const char *ps_format_name(ps_format f);

typedef struct ps_decode_opts {
    ps_limits limits;
    /* Long side, in pixels, wanted for the working copy. JPEG uses the DCT
     * scaling of libjpeg-turbo to decode straight at (or just above) this
     * size; other formats decode fully and are area-resampled. */
    int work_long_side;
    /* 1 to keep the full-resolution upright image too (redaction needs it).
     * Then the JPEG is decoded once at full size and the working copy is
     * resampled from it. */
    int want_full;
    /* 1 to render a PDF's first page (1754 px on its long side, on
     * white) instead of refusing it with PS_E_PDF: for reading a PDF
     * address proof, which is flagged as digital and never stored. An
     * encrypted PDF gives PS_E_UNSUPPORTED, a damaged one PS_E_CORRUPT. */
    int render_pdf;
} ps_decode_opts;

/*! ps_decode_opts_default() : default limits, work_long_side 1024, no full,
 *  PDFs refused. */
void ps_decode_opts_default(ps_decode_opts *o);

typedef struct ps_decoded {
    ps_format format;
    int width, height;       /* upright full-resolution size */
    int exif_orientation;    /* 1..8 as found in EXIF, 1 when absent */
    ps_image *full;          /* upright RGB, full size; NULL unless want_full */
    ps_image *work;          /* upright RGB working copy; never NULL */
    double work_scale;       /* work pixels per full pixel (<= 1) */
    char warning[160];       /* a problem the decoder recovered from, or "" */
} ps_decoded;

/*! ps_decode() :
 *  Decodes `buf` (len bytes, not kept) within `opts` (NULL = defaults).
 *  @return PS_OK with *out set (caller frees with ps_decoded_free), or an
 *          input error (PS_E_EMPTY, PS_E_FORMAT, PS_E_PDF, PS_E_TRUNCATED,
 *          PS_E_CORRUPT, PS_E_TOO_LARGE, PS_E_DIMENSIONS, PS_E_MEMORY_LIMIT,
 *          PS_E_SCAN_LIMIT, PS_E_UNSUPPORTED) with a human sentence in `msg`
 *          (may be NULL; never contains image content), or PS_E_NOMEM/PS_E_ARG.
 *  *out is NULL on failure. For PS_E_PDF, `*format_out` (optional) says so. */
ps_status ps_decode(const uint8_t *buf, size_t len, const ps_decode_opts *opts,
                    ps_decoded **out, char *msg, size_t msglen);

/*! ps_decoded_free() : releases *d and sets it to NULL; accepts NULL. */
void ps_decoded_free(ps_decoded **d);

/*! ps_encode_jpeg() :
 *  Encodes an RGB or gray image as a baseline JPEG with no metadata at all
 *  (no EXIF, no thumbnail, no GPS): stored images are re-encoded from
 *  pixels. `quality` 1..100. *out is malloc'd (caller frees with free()). */
ps_status ps_encode_jpeg(const ps_image *img, int quality, uint8_t **out, size_t *out_len);

/*! ps_image_orient() :
 *  Returns in *out a new image that is `src` transformed by EXIF orientation
 *  `o` (1..8) to upright. For o == 1 (or out of range) a copy is made.
 *  The caller owns *out. */
ps_status ps_image_orient(const ps_image *src, int o, ps_image **out);

#ifdef __cplusplus
}
#endif
#endif
