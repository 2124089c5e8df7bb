/* JPEG through the TurboJPEG API: the only user of libjpeg-turbo. Decodes at
 * the DCT scale the checks need (reading the entropy-coded data dominates, so
 * the file is decoded once), and encodes the stored, metadata-free JPEGs. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

#include "decode/decoder.h"

/* Peak decoder memory per source pixel: a progressive JPEG keeps every DCT
 * coefficient of up to 3 components (2 bytes each) until the last scan. */
#define PS_JPEG_COEF_BYTES_PER_PIXEL 6

/* The fewest bits a Huffman-coded scan spends on one 8x8 block: its DC
 * difference is at least a 1-bit code. Every decodable image carries at
 * least one scan over its smallest component. */
#define PS_JPEG_MIN_BITS_PER_BLOCK 1

/* Reads the frame header (SOFn) before the first scan and, for Huffman
 * coding, returns in *floor the fewest bytes of entropy-coded data the
 * declared size needs: one bit per 8x8 block of the component with the
 * fewest blocks. A 500-byte file declaring 8000 x 4000 pixels cannot hold
 * them; TurboJPEG would still decode 32 megapixels of grey (seconds of
 * work) before it reported the premature end. *floor = 0 when there is no
 * frame header or the coding is arithmetic (which can go below a bit per
 * block). @return 0, or -1 when the markers run off the data. */
static int entropy_floor(const uint8_t *b, size_t n, uint64_t *floor)
{
    size_t off = 2; /* after SOI */
    *floor = 0;
    while (off + 4 <= n) {
        uint8_t m;
        size_t seg;
        if (b[off] != 0xFF)
            return 0; /* not a marker: TurboJPEG will say what is wrong */
        m = b[off + 1];
        if (m == 0xFF) {
            off++; /* fill byte */
            continue;
        }
        if (m == 0xD8 || (m >= 0xD0 && m <= 0xD7) || m == 0x01) {
            off += 2; /* markers without a length */
            continue;
        }
        seg = (size_t)b[off + 2] << 8 | b[off + 3];
        if (m == 0xDA || m == 0xD9)
            return 0; /* a scan (or the end) before any frame header */
        if (seg < 2 || seg > n - off - 2)
            return -1;
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
            const uint8_t *f = b + off + 4;
            unsigned h, w, nc, hmax = 1, vmax = 1;
            uint64_t fewest = UINT64_MAX;
            if (m >= 0xC9 || seg < 8)
                return 0; /* arithmetic coding, or a short header TurboJPEG refuses */
            h = (unsigned)f[1] << 8 | f[2];
            w = (unsigned)f[3] << 8 | f[4];
            nc = f[5];
            if (nc == 0 || seg < 8 + 3 * (size_t)nc)
                return 0;
            for (unsigned i = 0; i < nc; i++) {
                unsigned hi = f[7 + 3 * i] >> 4, vi = f[7 + 3 * i] & 15;
                hmax = hi > hmax ? hi : hmax;
                vmax = vi > vmax ? vi : vmax;
            }
            for (unsigned i = 0; i < nc; i++) {
                unsigned hi = f[7 + 3 * i] >> 4, vi = f[7 + 3 * i] & 15;
                uint64_t cw, ch;
                if (hi == 0 || vi == 0)
                    return 0;
                cw = ((uint64_t)w * hi + hmax - 1) / hmax; /* component size, rounded up */
                ch = ((uint64_t)h * vi + vmax - 1) / vmax;
                cw = (cw + 7) / 8;
                ch = (ch + 7) / 8;
                if (cw * ch < fewest)
                    fewest = cw * ch;
            }
            *floor = fewest * PS_JPEG_MIN_BITS_PER_BLOCK / 8;
            return 0;
        }
        off += 2 + seg;
    }
    return 0;
}

static int contains(const char *hay, const char *needle)
{
    return hay != NULL && strstr(hay, needle) != NULL;
}

/* Maps a TurboJPEG error string to our status: the library's messages are
 * the only signal it gives. */
static ps_status classify(const char *err)
{
    if (contains(err, "Premature end") || contains(err, "premature end"))
        return PS_E_TRUNCATED;
    if (contains(err, "scans"))
        return PS_E_SCAN_LIMIT;
    if (contains(err, "precision") || contains(err, "Unsupported") ||
        contains(err, "arithmetic"))
        return PS_E_UNSUPPORTED;
    return PS_E_CORRUPT;
}

/* Adobe CMYK JPEGs store inverted ink values; R = C * K / 255 then holds. */
static void cmyk_to_rgb(const uint8_t *src, ps_image *dst)
{
    for (int y = 0; y < dst->height; y++) {
        const uint8_t *s = src + (size_t)y * (size_t)dst->width * 4;
        uint8_t *d = ps_image_row(dst, y);
        for (int x = 0; x < dst->width; x++, s += 4, d += 3) {
            unsigned k = s[3];
            d[0] = (uint8_t)((s[0] * k + 127) / 255);
            d[1] = (uint8_t)((s[1] * k + 127) / 255);
            d[2] = (uint8_t)((s[2] * k + 127) / 255);
        }
    }
}

ps_status ps__decode_jpeg(const uint8_t *buf, size_t len, const ps_limits *lim,
                          int min_long_side, ps__frame *f, char *msg, size_t msglen)
{
    tjhandle tj = NULL;
    ps_status st = PS_OK;
    int w = 0, h = 0, subsamp = 0, cs = 0, nsf = 0;
    int ow, oh;
    tjscalingfactor *sfs, best = {1, 1};
    uint8_t *cmyk = NULL;
    uint64_t est;
    int flags = TJFLAG_ACCURATEDCT;

    memset(f, 0, sizeof *f);
    if (len > (size_t)0x7fffffff) {
        ps__msg(msg, msglen, "JPEG larger than 2 GiB");
        return PS_E_TOO_LARGE;
    }
    tj = tjInitDecompress();
    if (tj == NULL)
        return PS_E_NOMEM;

    if (tjDecompressHeader3(tj, buf, (unsigned long)len, &w, &h, &subsamp, &cs) != 0) {
        const char *e = tjGetErrorStr2(tj);
        st = classify(e);
        if (st == PS_E_CORRUPT && len < 1024)
            st = PS_E_TRUNCATED;
        ps__msg(msg, msglen, "JPEG header unreadable: %s", e);
        goto out;
    }
    if (w <= 0 || h <= 0) {
        /* TurboJPEG reports success with 0x0 when the data ends before SOF */
        ps__msg(msg, msglen, "JPEG data ends before its frame header");
        st = PS_E_TRUNCATED;
        goto out;
    }
    st = ps__check_dims(lim, (uint64_t)w, (uint64_t)h, PS_JPEG_COEF_BYTES_PER_PIXEL + 3,
                        msg, msglen);
    if (st != PS_OK)
        goto out;
    {
        uint64_t floor = 0;
        if (entropy_floor(buf, len, &floor) != 0 || floor > len) {
            ps__msg(msg, msglen, "JPEG declares %dx%d pixels but holds too few bytes for them",
                    w, h);
            st = PS_E_TRUNCATED;
            goto out;
        }
    }

    /* The smallest DCT scale whose long side still reaches min_long_side. */
    sfs = tjGetScalingFactors(&nsf);
    if (min_long_side > 0 && sfs != NULL) {
        int long_side = w > h ? w : h;
        for (int i = 0; i < nsf; i++) {
            int s = TJSCALED(long_side, sfs[i]);
            if (sfs[i].num > sfs[i].denom || s < min_long_side)
                continue;
            if (TJSCALED(long_side, sfs[i]) < TJSCALED(long_side, best))
                best = sfs[i];
        }
    }
    ow = TJSCALED(w, best);
    oh = TJSCALED(h, best);

    if (!ps_size_mul3((uint64_t)w, (uint64_t)h, PS_JPEG_COEF_BYTES_PER_PIXEL, &est)) {
        st = PS_E_MEMORY_LIMIT;
        goto out;
    }
    if (lim->max_memory && est + (uint64_t)ow * (uint64_t)oh * 4 > lim->max_memory) {
        ps__msg(msg, msglen, "decoding a %dx%d JPEG needs more memory than allowed", w, h);
        st = PS_E_MEMORY_LIMIT;
        goto out;
    }
    st = ps_image_new(ow, oh, 3, 0, &f->img);
    if (st != PS_OK)
        goto out;

    if (lim->max_scans > 0)
        flags |= TJFLAG_LIMITSCANS; /* libjpeg-turbo's fixed 500-scan ceiling */

    if (cs == TJCS_CMYK || cs == TJCS_YCCK) {
        cmyk = malloc((size_t)ow * (size_t)oh * 4);
        if (cmyk == NULL) {
            st = PS_E_NOMEM;
            goto out;
        }
        if (tjDecompress2(tj, buf, (unsigned long)len, cmyk, ow, ow * 4, oh, TJPF_CMYK, flags) != 0 &&
            tjGetErrorCode(tj) == TJERR_FATAL) {
            const char *e = tjGetErrorStr2(tj);
            st = classify(e);
            ps__msg(msg, msglen, "JPEG (CMYK) decode failed: %s", e);
            goto out;
        }
        cmyk_to_rgb(cmyk, f->img);
    } else if (tjDecompress2(tj, buf, (unsigned long)len, f->img->data, ow, (int)f->img->stride, oh,
                             TJPF_RGB, flags) != 0) {
        const char *e = tjGetErrorStr2(tj);
        int fatal = tjGetErrorCode(tj) == TJERR_FATAL;
        ps_status kind = classify(e);
        /* A truncated file decodes with a grey tail: that is not the
         * customer's picture, so it is an error, not a warning. */
        if (fatal || kind == PS_E_TRUNCATED || kind == PS_E_SCAN_LIMIT) {
            st = kind;
            ps__msg(msg, msglen, "JPEG decode failed: %s", e);
            goto out;
        }
        snprintf(f->warning, sizeof f->warning, "jpeg: %s", e);
    }

    f->stored_w = w;
    f->stored_h = h;
    f->exif_orientation = ps__exif_orientation(buf, len, 1);
    f->orientation = f->exif_orientation;
out:
    if (st != PS_OK)
        ps_image_free(&f->img);
    free(cmyk);
    tjDestroy(tj);
    return st;
}

ps_status ps_encode_jpeg(const ps_image *img, int quality, uint8_t **out, size_t *out_len)
{
    tjhandle tj = NULL;
    unsigned char *jpeg = NULL;
    unsigned long jlen = 0;
    ps_status st = PS_OK;

    if (out == NULL || out_len == NULL)
        return PS_E_ARG;
    *out = NULL;
    *out_len = 0;
    if (img == NULL || (img->channels != 1 && img->channels != 3) || quality < 1 || quality > 100)
        return PS_E_ARG;
    tj = tjInitCompress();
    if (tj == NULL)
        return PS_E_NOMEM;
    /* tjCompress2 writes only SOI, JFIF APP0, tables, frame and scan: no EXIF. */
    if (tjCompress2(tj, img->data, img->width, (int)img->stride, img->height,
                    img->channels == 3 ? TJPF_RGB : TJPF_GRAY, &jpeg, &jlen,
                    img->channels == 3 ? TJSAMP_420 : TJSAMP_GRAY, quality,
                    TJFLAG_ACCURATEDCT) != 0) {
        st = PS_E_INTERNAL;
        goto out;
    }
    *out = malloc(jlen);
    if (*out == NULL) {
        st = PS_E_NOMEM;
        goto out;
    }
    memcpy(*out, jpeg, jlen);
    *out_len = jlen;
out:
    tjFree(jpeg);
    tjDestroy(tj);
    return st;
}
