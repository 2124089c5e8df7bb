/* PNG through libpng: the only user of libpng. Every colour type, bit depth,
 * palette, transparency and interlacing is expanded to 8-bit RGB(A) by
 * libpng's transforms; alpha is composited over white (a transparent
 * background in a screenshot reads as paper). */
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decoder.h"

/* Largest ancillary chunk libpng may allocate (iCCP, zTXt, eXIf...): text
 * and profile bombs stop here. 8 MiB is far above any real profile. */
#define PS_PNG_CHUNK_MALLOC_MAX (8u << 20)
/* Most ancillary chunks kept: a file with thousands of tEXt chunks is hostile. */
#define PS_PNG_CHUNK_CACHE_MAX 256
/* Deflate's largest expansion: a 258-byte match costs at least 2 bits, so
 * no stream inflates more than ~1032 times its size. */
#define PS_PNG_DEFLATE_MAX_RATIO 1032
/* Largest chunk length the PNG specification allows (2^31 - 1). */
#define PS_PNG_MAX_CHUNK 0x7fffffffu
/* Peak memory per pixel: with alpha, the RGBA rows (4) plus the RGB result
 * (3); without, the result alone. */
#define PS_PNG_BYTES_PER_PIXEL 7

struct png_src {
    const uint8_t *buf;
    size_t len, pos;
    int truncated;
    int over_limit;   /* libpng warned that IHDR exceeds our user limits */
    char *warning;
    size_t warning_len;
    char err[128];
};

static void on_read(png_structp png, png_bytep out, size_t n)
{
    struct png_src *s = png_get_io_ptr(png);
    if (n > s->len - s->pos) {
        s->truncated = 1;
        png_error(png, "unexpected end of PNG data");
    }
    memcpy(out, s->buf + s->pos, n);
    s->pos += n;
}

static void on_error(png_structp png, png_const_charp m)
{
    struct png_src *s = png_get_error_ptr(png);
    snprintf(s->err, sizeof s->err, "%s", m);
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp m)
{
    struct png_src *s = png_get_error_ptr(png);
    if (strstr(m, "exceeds user limit"))
        s->over_limit = 1;
    if (s->warning[0] == '\0')
        snprintf(s->warning, s->warning_len, "png: %s", m);
}

static ps_status classify(const struct png_src *s)
{
    if (s->truncated)
        return PS_E_TRUNCATED;
    /* libpng warns "exceeds user limit" and then fails with "Invalid IHDR". */
    if (s->over_limit)
        return PS_E_DIMENSIONS;
    if (strstr(s->err, "out of memory") || strstr(s->err, "Out of memory") ||
        strstr(s->err, "chunk data is too large"))
        return PS_E_MEMORY_LIMIT;
    return PS_E_CORRUPT;
}

/* Walks the chunk list before libpng sees it. The whole upload is in
 * memory, so a chunk whose declared length runs past the end of the data
 * is a cut file (or a lie): it is refused here, before libpng allocates a
 * buffer of that length and zeroes it (libpng 1.6 does, up to 2 GiB, for an
 * ancillary chunk such as tEXt). Stops at IEND. Sets *short_data when the
 * IDAT chunks cannot hold the rows IHDR declares even at deflate's best
 * ratio (the caller refuses that after the size limits, which say more). */
static ps_status walk_chunks(const uint8_t *buf, size_t len, int *short_data, char *msg,
                             size_t msglen)
{
    size_t off = 8; /* after the signature */
    uint64_t idat = 0, raw = 0;
    while (off < len) {
        uint32_t n;
        if (len - off < 12) {
            ps__msg(msg, msglen, "PNG data ends inside a chunk header");
            return PS_E_TRUNCATED;
        }
        n = (uint32_t)buf[off] << 24 | (uint32_t)buf[off + 1] << 16 |
            (uint32_t)buf[off + 2] << 8 | buf[off + 3];
        if (n > PS_PNG_MAX_CHUNK) {
            ps__msg(msg, msglen, "PNG chunk declares an invalid length");
            return PS_E_CORRUPT;
        }
        if ((uint64_t)n + 12 > len - off) {
            ps__msg(msg, msglen, "PNG chunk of %u bytes runs past the end of the data", n);
            return PS_E_TRUNCATED;
        }
        if (memcmp(buf + off + 4, "IHDR", 4) == 0 && n >= 13 && raw == 0) {
            /* the image data's size: rows of ceil(w * channels * depth / 8) */
            static const unsigned channels[7] = {1, 0, 3, 1, 2, 0, 4};
            const uint8_t *d = buf + off + 8;
            uint64_t w = (uint64_t)d[0] << 24 | (uint64_t)d[1] << 16 | (uint64_t)d[2] << 8 | d[3];
            uint64_t h = (uint64_t)d[4] << 24 | (uint64_t)d[5] << 16 | (uint64_t)d[6] << 8 | d[7];
            unsigned ch = d[9] < 7 ? channels[d[9]] : 0;
            raw = ch ? h * ((w * ch * d[8] + 7) / 8) : 0;
        }
        if (memcmp(buf + off + 4, "IDAT", 4) == 0)
            idat += n;
        if (memcmp(buf + off + 4, "IEND", 4) == 0) {
            /* IDAT cannot hold the declared rows even at deflate's best
             * ratio: the data was cut (or the size is a lie). libpng would
             * find out only after the full image buffer was allocated. */
            *short_data = idat * PS_PNG_DEFLATE_MAX_RATIO < raw;
            return PS_OK;
        }
        off += (size_t)n + 12;
    }
    ps__msg(msg, msglen, "PNG data ends before its IEND chunk");
    return PS_E_TRUNCATED;
}

/* The one function with setjmp: every libpng call that can fail is here, and
 * only plain locals that are not modified after setjmp are read after a
 * longjmp (`rows` and `rgba` are volatile; the image is reached through
 * `f`, which does not change). */
ps_status ps__decode_png(const uint8_t *buf, size_t len, const ps_limits *lim,
                         ps__frame *f, char *msg, size_t msglen)
{
    png_structp png = NULL;
    png_infop info = NULL;
    struct png_src src = {buf, len, 0, 0, 0, f->warning, sizeof f->warning, {0}};
    uint8_t *volatile rgba = NULL;
    png_bytep *volatile rows = NULL;
    ps_status st = PS_OK;
    png_uint_32 w = 0, h = 0;
    int depth = 0, ctype = 0, interlace = 0, opaque = 0, short_data = 0;
    png_uint_32 exif_len = 0;
    png_bytep exif = NULL;

    memset(f, 0, sizeof *f);
    src.warning = f->warning;
    st = walk_chunks(buf, len, &short_data, msg, msglen);
    if (st != PS_OK)
        return st;
    png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &src, on_error, on_warning);
    if (png == NULL)
        return PS_E_NOMEM;
    info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        return PS_E_NOMEM;
    }
    if (setjmp(png_jmpbuf(png))) {
        st = classify(&src);
        if (st == PS_E_DIMENSIONS)
            ps__msg(msg, msglen, "PNG declares a size over the %dx%d limit", lim->max_width,
                    lim->max_height);
        else
            ps__msg(msg, msglen, "PNG decode failed: %s", src.err);
        goto out;
    }
    png_set_read_fn(png, &src, on_read);
    png_set_user_limits(png, (png_uint_32)lim->max_width, (png_uint_32)lim->max_height);
    png_set_chunk_malloc_max(png, PS_PNG_CHUNK_MALLOC_MAX);
    png_set_chunk_cache_max(png, PS_PNG_CHUNK_CACHE_MAX);
    png_read_info(png, info);
    png_get_IHDR(png, info, &w, &h, &depth, &ctype, &interlace, NULL, NULL);

    st = ps__check_dims(lim, w, h, PS_PNG_BYTES_PER_PIXEL, msg, msglen);
    if (st != PS_OK)
        goto out;
    if (short_data) {
        /* IDAT cannot hold the declared rows even at deflate's best ratio:
         * cut (or a lie); found before the image buffer is allocated */
        ps__msg(msg, msglen, "PNG image data is too short for its %ux%u size", (unsigned)w,
                (unsigned)h);
        st = PS_E_TRUNCATED;
        goto out;
    }

    /* Without alpha (no alpha channel, no tRNS) libpng writes RGB straight
     * into the result's rows: no RGBA copy, no compositing pass. */
    opaque = !(ctype & PNG_COLOR_MASK_ALPHA) && !png_get_valid(png, info, PNG_INFO_tRNS);
    png_set_expand(png);                   /* palette, gray < 8 bit, tRNS -> RGB(A) 8 */
    png_set_scale_16(png);                 /* 16-bit -> 8-bit, rounded */
    png_set_gray_to_rgb(png);
    if (!opaque)
        png_set_filler(png, 0xff, PNG_FILLER_AFTER); /* 4 channels to composite */
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    if (png_get_rowbytes(png, info) != (size_t)w * (opaque ? 3 : 4)) {
        ps__msg(msg, msglen, "PNG transform produced an unexpected row size");
        st = PS_E_CORRUPT;
        goto out;
    }

    st = ps_image_new((int)w, (int)h, 3, 0, &f->img);
    if (st != PS_OK)
        goto out;
    rows = malloc(sizeof(png_bytep) * h);
    if (!opaque)
        rgba = malloc((size_t)w * (size_t)h * 4);
    if (rows == NULL || (!opaque && rgba == NULL)) {
        st = PS_E_NOMEM;
        goto out;
    }
    for (png_uint_32 y = 0; y < h; y++)
        rows[y] = opaque ? ps_image_row(f->img, (int)y) : rgba + (size_t)y * (size_t)w * 4;
    png_read_image(png, rows);
    png_read_end(png, info);
    if (png_get_eXIf_1(png, info, &exif_len, &exif) != 0 && exif != NULL)
        f->exif_orientation = ps__exif_orientation(exif, exif_len, 0);
    else
        f->exif_orientation = 1;

    for (png_uint_32 y = 0; !opaque && y < h; y++) {
        const uint8_t *s = rows[y];
        uint8_t *d = ps_image_row(f->img, (int)y);
        for (png_uint_32 x = 0; x < w; x++, s += 4, d += 3) {
            unsigned a = s[3], ia = 255 - a;
            /* composite over white */
            d[0] = (uint8_t)((s[0] * a + 255 * ia + 127) / 255);
            d[1] = (uint8_t)((s[1] * a + 255 * ia + 127) / 255);
            d[2] = (uint8_t)((s[2] * a + 255 * ia + 127) / 255);
        }
    }
    f->stored_w = (int)w;
    f->stored_h = (int)h;
    f->orientation = f->exif_orientation;
out:
    if (st != PS_OK)
        ps_image_free(&f->img);
    free(rows);
    free(rgba);
    png_destroy_read_struct(&png, &info, NULL);
    return st;
}
