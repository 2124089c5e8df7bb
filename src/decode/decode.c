/* The dispatcher: sniff, limits, per-format decode, orientation, working copy. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cv/shim.h"
#include "decode/decoder.h"

/* 40 MiB: a 50-MP phone JPEG at high quality is about 25 MiB. */
#define PS_DEFAULT_MAX_BYTES (40ull << 20)
/* 16384 px per side: above every phone sensor (8160 px) and below the
 * sizes that only decompression bombs declare. */
#define PS_DEFAULT_MAX_SIDE 16384
/* 64 megapixels: 50-MP sensors plus margin. */
#define PS_DEFAULT_MAX_PIXELS (64ull * 1000 * 1000)
/* 768 MiB of decoder buffers: a 64-MP progressive JPEG needs ~580 MiB. */
#define PS_DEFAULT_MAX_MEMORY (768ull << 20)
/* libjpeg-turbo's scan limit (TJFLAG_LIMITSCANS caps at 500). */
#define PS_DEFAULT_MAX_SCANS 500
/* A working copy of ~1000 px on the long side keeps a 60-px face at 12 MP
 * above 15 px, enough for the detectors, and costs ~1/16 of full decoding. */
#define PS_DEFAULT_WORK_LONG_SIDE 1024
/* Accept a DCT-scaled size down to 90% of the wanted long side: 4032/4 =
 * 1008 serves a 1024 request without decoding at 3/8. */
#define PS_WORK_SLACK 0.9
/* Resample the working copy only when the decoder gave us over 1.5x. */
#define PS_WORK_MAX_OVERSHOOT 1.5

void ps_limits_default(ps_limits *l)
{
    if (l == NULL)
        return;
    l->max_bytes = PS_DEFAULT_MAX_BYTES;
    l->max_width = PS_DEFAULT_MAX_SIDE;
    l->max_height = PS_DEFAULT_MAX_SIDE;
    l->max_pixels = PS_DEFAULT_MAX_PIXELS;
    l->max_memory = PS_DEFAULT_MAX_MEMORY;
    l->max_scans = PS_DEFAULT_MAX_SCANS;
    l->bytes_per_pixel = 0;
}

void ps_decode_opts_default(ps_decode_opts *o)
{
    if (o == NULL)
        return;
    memset(o, 0, sizeof *o);
    ps_limits_default(&o->limits);
    o->work_long_side = PS_DEFAULT_WORK_LONG_SIDE;
}

void ps__msg(char *msg, size_t msglen, const char *fmt, ...)
{
    va_list ap;
    if (msg == NULL || msglen == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, msglen, fmt, ap);
    va_end(ap);
}

ps_status ps__check_dims(const ps_limits *lim, uint64_t w, uint64_t h,
                         uint64_t bytes_per_pixel, char *msg, size_t msglen)
{
    uint64_t px, mem;
    if (lim->bytes_per_pixel > 0 && (uint64_t)lim->bytes_per_pixel > bytes_per_pixel)
        bytes_per_pixel = (uint64_t)lim->bytes_per_pixel; /* the caller's peak is larger */
    if (w == 0 || h == 0) {
        ps__msg(msg, msglen, "image declares a zero dimension (%llux%llu)",
                (unsigned long long)w, (unsigned long long)h);
        return PS_E_CORRUPT;
    }
    if ((lim->max_width && w > (uint64_t)lim->max_width) ||
        (lim->max_height && h > (uint64_t)lim->max_height)) {
        ps__msg(msg, msglen, "image is %llux%llu, over the %dx%d limit",
                (unsigned long long)w, (unsigned long long)h, lim->max_width, lim->max_height);
        return PS_E_DIMENSIONS;
    }
    if (!ps_size_mul(w, h, &px) || (lim->max_pixels && px > lim->max_pixels)) {
        ps__msg(msg, msglen, "image has %llux%llu pixels, over the %llu-pixel limit",
                (unsigned long long)w, (unsigned long long)h,
                (unsigned long long)lim->max_pixels);
        return PS_E_DIMENSIONS;
    }
    if (!ps_size_mul(px, bytes_per_pixel, &mem) || (lim->max_memory && mem > lim->max_memory)) {
        ps__msg(msg, msglen, "decoding %llux%llu pixels needs more than the %llu-byte memory limit",
                (unsigned long long)w, (unsigned long long)h,
                (unsigned long long)lim->max_memory);
        return PS_E_MEMORY_LIMIT;
    }
    return PS_OK;
}

ps_status ps_image_orient(const ps_image *src, int o, ps_image **out)
{
    ps_status st;
    int W, H, ow, oh, c;
    if (out == NULL)
        return PS_E_ARG;
    *out = NULL;
    if (src == NULL)
        return PS_E_ARG;
    if (o < 2 || o > 8)
        return ps_image_clone(src, out);
    W = src->width;
    H = src->height;
    c = src->channels;
    ow = (o >= 5) ? H : W; /* 5..8 swap the axes */
    oh = (o >= 5) ? W : H;
    st = ps_image_new(ow, oh, c, 0, out);
    if (st != PS_OK)
        return st;
    for (int y = 0; y < oh; y++) {
        uint8_t *d = ps_image_row(*out, y);
        for (int x = 0; x < ow; x++, d += c) {
            int xi, yi;
            switch (o) {
            case 2: xi = W - 1 - x; yi = y; break;
            case 3: xi = W - 1 - x; yi = H - 1 - y; break;
            case 4: xi = x; yi = H - 1 - y; break;
            case 5: xi = y; yi = x; break;
            case 6: xi = y; yi = H - 1 - x; break;
            case 7: xi = W - 1 - y; yi = H - 1 - x; break;
            default: xi = W - 1 - y; yi = x; break; /* 8 */
            }
            memcpy(d, ps_image_row(src, yi) + (size_t)xi * (size_t)c, (size_t)c);
        }
    }
    return PS_OK;
}

void ps_decoded_free(ps_decoded **d)
{
    if (d == NULL || *d == NULL)
        return;
    ps_image_free(&(*d)->full);
    ps_image_free(&(*d)->work);
    free(*d);
    *d = NULL;
}

static ps_status make_work(const ps_image *src, int target, ps_image **out)
{
    int lw = src->width > src->height ? src->width : src->height;
    if (target <= 0 || lw <= (int)(target * PS_WORK_MAX_OVERSHOOT))
        return ps_image_clone(src, out);
    {
        double s = (double)target / lw;
        int w = (int)(src->width * s + 0.5), h = (int)(src->height * s + 0.5);
        return ps_cv_resize(src, w < 1 ? 1 : w, h < 1 ? 1 : h, out);
    }
}

ps_status ps_decode(const uint8_t *buf, size_t len, const ps_decode_opts *opts,
                    ps_decoded **out, char *msg, size_t msglen)
{
    ps_decode_opts def;
    ps__frame fr;
    ps_decoded *d = NULL;
    ps_image *upright = NULL;
    ps_status st;
    ps_format fmt;

    if (msg && msglen)
        msg[0] = '\0';
    if (out == NULL)
        return PS_E_ARG;
    *out = NULL;
    memset(&fr, 0, sizeof fr);
    if (opts == NULL) {
        ps_decode_opts_default(&def);
        opts = &def;
    }
    if (buf == NULL || len == 0) {
        ps__msg(msg, msglen, "the upload is empty (0 bytes)");
        return PS_E_EMPTY;
    }
    if (opts->limits.max_bytes && len > opts->limits.max_bytes) {
        ps__msg(msg, msglen, "the upload is %zu bytes, over the %llu-byte limit", len,
                (unsigned long long)opts->limits.max_bytes);
        return PS_E_TOO_LARGE;
    }
    fmt = ps_sniff(buf, len);
    switch (fmt) {
    case PS_FMT_JPEG: {
        int min_long = 0;
        if (!opts->want_full && opts->work_long_side > 0)
            min_long = (int)(opts->work_long_side * PS_WORK_SLACK);
        st = ps__decode_jpeg(buf, len, &opts->limits, min_long, &fr, msg, msglen);
        break;
    }
    case PS_FMT_PNG: st = ps__decode_png(buf, len, &opts->limits, &fr, msg, msglen); break;
    case PS_FMT_WEBP: st = ps__decode_webp(buf, len, &opts->limits, &fr, msg, msglen); break;
    case PS_FMT_HEIC: st = ps__decode_heic(buf, len, &opts->limits, &fr, msg, msglen); break;
    case PS_FMT_PDF:
        if (opts->render_pdf) {
            st = ps__decode_pdf(buf, len, &opts->limits, &fr, msg, msglen);
            break;
        }
        ps__msg(msg, msglen, "the upload is a PDF document, not a photo");
        return PS_E_PDF;
    case PS_FMT_GIF:
    case PS_FMT_TIFF:
    case PS_FMT_BMP:
        ps__msg(msg, msglen, "%s images are not accepted; upload a JPEG, PNG, WebP or HEIC photo",
                ps_format_name(fmt));
        return PS_E_UNSUPPORTED;
    default:
        ps__msg(msg, msglen, "the upload is not a JPEG, PNG, WebP or HEIC image");
        return PS_E_FORMAT;
    }
    if (st != PS_OK)
        goto fail;

    d = calloc(1, sizeof *d);
    if (d == NULL) {
        st = PS_E_NOMEM;
        goto fail;
    }
    d->format = fmt;
    d->exif_orientation = fr.exif_orientation ? fr.exif_orientation : 1;
    memcpy(d->warning, fr.warning, sizeof d->warning);
    {
        int swap = fr.orientation >= 5 && fr.orientation <= 8;
        d->width = swap ? fr.stored_h : fr.stored_w;
        d->height = swap ? fr.stored_w : fr.stored_h;
    }
    if (fr.orientation >= 2 && fr.orientation <= 8) {
        st = ps_image_orient(fr.img, fr.orientation, &upright);
        if (st != PS_OK)
            goto fail;
        ps_image_free(&fr.img);
    } else {
        upright = fr.img;
        fr.img = NULL;
    }
    if (opts->want_full) {
        d->full = upright;
        upright = NULL;
        st = make_work(d->full, opts->work_long_side, &d->work);
    } else {
        st = make_work(upright, opts->work_long_side, &d->work);
    }
    if (st != PS_OK)
        goto fail;
    d->work_scale = (double)d->work->width / (double)d->width;
    ps_image_free(&upright);
    *out = d;
    return PS_OK;
fail:
    ps_image_free(&fr.img);
    ps_image_free(&upright);
    ps_decoded_free(&d);
    if (st == PS_E_NOMEM && msg && msg[0] == '\0')
        ps__msg(msg, msglen, "out of memory while decoding");
    return st;
}
