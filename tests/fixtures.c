#include "fixtures.h"

#include <libheif/heif.h>
#include <png.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>
#include <webp/encode.h>
#include <zlib.h>

ps_image *fx_corners(int w, int h, int block)
{
    ps_image *img = NULL;
    static const uint8_t col[4][3] = {{230, 20, 20}, {20, 200, 20}, {20, 20, 230}, {250, 250, 250}};
    if (ps_image_new(w, h, 3, 0, &img) != PS_OK)
        return NULL;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint8_t *p = ps_image_row(img, y) + 3 * x;
            int q = -1;
            if (y < block && x < block) q = 0;
            else if (y < block && x >= w - block) q = 1;
            else if (y >= h - block && x < block) q = 2;
            else if (y >= h - block && x >= w - block) q = 3;
            for (int c = 0; c < 3; c++)
                p[c] = q < 0 ? 128 : col[q][c];
        }
    return img;
}

/* A minimal little-endian TIFF block with one IFD0 entry: Orientation. */
static size_t tiff_orientation(uint8_t *b, int o)
{
    static const uint8_t head[] = {'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0};
    memcpy(b, head, sizeof head);
    b[18] = (uint8_t)o;
    b[19] = 0;
    b[20] = b[21] = 0;
    memset(b + 22, 0, 4); /* next IFD: none */
    return 26;
}

uint8_t *fx_jpeg(const ps_image *img, int quality, int orientation, int progressive, int cmyk,
                 size_t *len)
{
    tjhandle tj = tjInitCompress();
    unsigned char *jpeg = NULL;
    unsigned long jlen = 0;
    uint8_t *out = NULL, *src = img->data, *conv = NULL;
    int flags = TJFLAG_ACCURATEDCT | (progressive ? TJFLAG_PROGRESSIVE : 0);
    int pf = TJPF_RGB, pitch = (int)img->stride;
    if (cmyk) {
        conv = malloc((size_t)img->width * img->height * 4);
        for (int y = 0; y < img->height; y++)
            for (int x = 0; x < img->width; x++) {
                const uint8_t *p = ps_image_row(img, y) + 3 * x;
                uint8_t *q = conv + ((size_t)y * img->width + x) * 4;
                /* inverted (Adobe) CMYK with K = 255: C = R etc. */
                q[0] = p[0]; q[1] = p[1]; q[2] = p[2]; q[3] = 255;
            }
        src = conv;
        pf = TJPF_CMYK;
        pitch = img->width * 4;
    }
    if (tjCompress2(tj, src, img->width, pitch, img->height, pf, &jpeg, &jlen,
                    cmyk ? TJSAMP_444 : TJSAMP_444, quality, flags) != 0)
        goto out;
    if (orientation > 0) {
        uint8_t app1[64];
        size_t tl = tiff_orientation(app1 + 10, orientation);
        size_t seg = 2 + 6 + tl; /* length field counts itself */
        app1[0] = 0xFF; app1[1] = 0xE1;
        app1[2] = (uint8_t)(seg >> 8); app1[3] = (uint8_t)seg;
        memcpy(app1 + 4, "Exif\0\0", 6);
        out = malloc(jlen + 2 + seg);
        memcpy(out, jpeg, 2);                       /* SOI */
        memcpy(out + 2, app1, 2 + seg);
        memcpy(out + 4 + seg, jpeg + 2, jlen - 2);
        *len = jlen + 2 + seg;
    } else {
        out = malloc(jlen);
        memcpy(out, jpeg, jlen);
        *len = jlen;
    }
out:
    tjFree(jpeg);
    tjDestroy(tj);
    free(conv);
    return out;
}

struct membuf {
    uint8_t *p;
    size_t n, cap;
};

static void mem_write(png_structp png, png_bytep d, size_t n)
{
    struct membuf *m = png_get_io_ptr(png);
    if (m->n + n > m->cap) {
        m->cap = (m->n + n) * 2;
        m->p = realloc(m->p, m->cap);
    }
    memcpy(m->p + m->n, d, n);
    m->n += n;
}

static void mem_flush(png_structp png)
{
    (void)png;
}

uint8_t *fx_png(const ps_image *img, int ct, int depth, int interlace, int orientation,
                size_t *len)
{
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    struct membuf m = {0};
    int w = img->width, h = img->height;
    int ch = (ct == PNG_COLOR_TYPE_GRAY || ct == PNG_COLOR_TYPE_PALETTE) ? 1
             : ct == PNG_COLOR_TYPE_GRAY_ALPHA ? 2 : ct == PNG_COLOR_TYPE_RGB ? 3 : 4;
    int bps = depth == 16 ? 2 : 1;
    png_bytep *rows = malloc(sizeof(png_bytep) * h);
    uint8_t *pix = calloc((size_t)w * h * ch * bps + 16, 1);
    if (setjmp(png_jmpbuf(png))) {
        free(m.p);
        m.p = NULL;
        goto out;
    }
    png_set_write_fn(png, &m, mem_write, mem_flush);
    png_set_IHDR(png, info, w, h, depth, ct, interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (ct == PNG_COLOR_TYPE_PALETTE) {
        png_color pal[4] = {{128, 128, 128}, {230, 20, 20}, {20, 200, 20}, {20, 20, 230}};
        png_byte trns[1] = {255};
        png_set_PLTE(png, info, pal, 4);
        png_set_tRNS(png, info, trns, 1, NULL);
    }
    if (orientation > 0) {
        uint8_t t[32];
        size_t tl = tiff_orientation(t, orientation);
        png_set_eXIf_1(png, info, (png_uint_32)tl, t);
    }
    png_write_info(png, info);
    if (depth < 8)
        png_set_packing(png);
    for (int y = 0; y < h; y++) {
        rows[y] = pix + (size_t)y * w * ch * bps;
        for (int x = 0; x < w; x++) {
            const uint8_t *s = ps_image_row(img, y) + 3 * x;
            uint8_t gray = (uint8_t)((s[0] * 77 + s[1] * 150 + s[2] * 29) >> 8);
            uint8_t v[4];
            int n = 0;
            if (ct == PNG_COLOR_TYPE_PALETTE) {
                v[n++] = s[0] > 200 && s[1] < 100 ? 1 : s[1] > 150 && s[0] < 100 ? 2
                         : s[2] > 200 && s[0] < 100 ? 3 : 0;
            } else if (ch <= 2) {
                v[n++] = depth < 8 ? (uint8_t)(gray >> (8 - depth)) : gray;
            } else {
                v[n++] = s[0]; v[n++] = s[1]; v[n++] = s[2];
            }
            if (ch == 2 || ch == 4)
                v[n++] = 128;
            for (int k = 0; k < n; k++) {
                uint8_t *d = rows[y] + ((size_t)x * ch + k) * bps;
                d[0] = v[k];
                if (bps == 2)
                    d[1] = v[k];
            }
        }
    }
    png_write_image(png, rows);
    png_write_end(png, info);
out:
    png_destroy_write_struct(&png, &info);
    free(rows);
    free(pix);
    *len = m.n;
    return m.p;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

uint8_t *fx_png_header_only(uint32_t w, uint32_t h, size_t *len)
{
    uint8_t *b = calloc(1, 8 + 25 + 12 + 12);
    size_t n = 0;
    memcpy(b, "\x89PNG\r\n\x1a\n", 8);
    n = 8;
    put32(b + n, 13);
    memcpy(b + n + 4, "IHDR", 4);
    put32(b + n + 8, w);
    put32(b + n + 12, h);
    b[n + 16] = 8; b[n + 17] = 2; b[n + 18] = 0; b[n + 19] = 0; b[n + 20] = 0;
    put32(b + n + 21, (uint32_t)crc32(0, b + n + 4, 17));
    n += 25;
    put32(b + n, 0);
    memcpy(b + n + 4, "IDAT", 4);
    put32(b + n + 8, (uint32_t)crc32(0, b + n + 4, 4));
    n += 12;
    put32(b + n, 0);
    memcpy(b + n + 4, "IEND", 4);
    put32(b + n + 8, (uint32_t)crc32(0, b + n + 4, 4));
    n += 12;
    *len = n;
    return b;
}

uint8_t *fx_webp(const ps_image *img, size_t *len)
{
    uint8_t *out = NULL, *copy;
    size_t n = WebPEncodeRGB(img->data, img->width, img->height, (int)img->stride, 90, &out);
    if (n == 0)
        return NULL;
    copy = malloc(n);
    memcpy(copy, out, n);
    WebPFree(out);
    *len = n;
    return copy;
}

static struct heif_error heif_write(struct heif_context *ctx, const void *data, size_t size,
                                    void *userdata)
{
    struct membuf *m = userdata;
    struct heif_error ok = {heif_error_Ok, heif_suberror_Unspecified, ""};
    (void)ctx;
    m->p = malloc(size);
    memcpy(m->p, data, size);
    m->n = size;
    return ok;
}

uint8_t *fx_heic(const ps_image *img, size_t *len)
{
    struct heif_context *ctx = heif_context_alloc();
    struct heif_encoder *enc = NULL;
    struct heif_image *hi = NULL;
    struct heif_writer wr = {1, heif_write};
    struct membuf m = {0};
    int stride;
    uint8_t *p;
    if (heif_context_get_encoder_for_format(ctx, heif_compression_HEVC, &enc).code != heif_error_Ok)
        goto out;
    heif_encoder_set_lossy_quality(enc, 90);
    if (heif_image_create(img->width, img->height, heif_colorspace_RGB,
                          heif_chroma_interleaved_RGB, &hi).code != heif_error_Ok)
        goto out;
    heif_image_add_plane(hi, heif_channel_interleaved, img->width, img->height, 8);
    p = heif_image_get_plane(hi, heif_channel_interleaved, &stride);
    for (int y = 0; y < img->height; y++)
        memcpy(p + (size_t)y * stride, ps_image_row(img, y), (size_t)img->width * 3);
    if (heif_context_encode_image(ctx, hi, enc, NULL, NULL).code != heif_error_Ok)
        goto out;
    heif_context_write(ctx, &wr, &m);
out:
    if (enc)
        heif_encoder_release(enc);
    heif_image_release(hi);
    heif_context_free(ctx);
    *len = m.n;
    return m.p;
}
