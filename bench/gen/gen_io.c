/* prescreen-gen — JPEG files (libjpeg-turbo lives only here) and a
 * hand-built EXIF APP1 segment (orientation, camera, date, optional GPS). */
#include "gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

int gen_jpeg_read(const char *path, uint8_t **rgb, int *w, int *h)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    tjhandle tj = NULL;
    long n = 0;
    int rc = -1, ss = 0, cs = 0;
    *rgb = NULL;
    if (!f)
        return -1;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) != 0)
        goto done;
    if (n > 64L * 1024 * 1024) /* face photos are small; refuse anything huge */
        goto done;
    buf = malloc((size_t)n);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
        goto done;
    tj = tjInitDecompress();
    if (!tj || tjDecompressHeader3(tj, buf, (unsigned long)n, w, h, &ss, &cs) != 0)
        goto done;
    if (*w <= 0 || *h <= 0 || (long)*w * *h > 40L * 1000 * 1000) /* 40 MP cap */
        goto done;
    *rgb = malloc((size_t)*w * *h * 3);
    if (!*rgb || tjDecompress2(tj, buf, (unsigned long)n, *rgb, *w, 0, *h, TJPF_RGB, 0) != 0) {
        free(*rgb);
        *rgb = NULL;
        goto done;
    }
    rc = 0;
done:
    if (tj)
        tjDestroy(tj);
    free(buf);
    fclose(f);
    return rc;
}

/* ---- EXIF (TIFF little-endian) builder --------------------------------- */

typedef struct xb {
    uint8_t b[1024];
    size_t n;
} xb;

static void put16(uint8_t *p, unsigned v) { p[0] = v & 255; p[1] = (v >> 8) & 255; }
static void put32(uint8_t *p, uint32_t v)
{
    p[0] = v & 255; p[1] = (v >> 8) & 255; p[2] = (v >> 16) & 255; p[3] = (v >> 24) & 255;
}

typedef struct tag {
    unsigned id, type;  /* TIFF types: 1 BYTE, 2 ASCII, 3 SHORT, 4 LONG, 5 RATIONAL */
    uint32_t count;
    const uint8_t *data; /* raw little-endian value bytes */
} tag;

static size_t type_size(unsigned t)
{
    return t == 3 ? 2 : t == 4 ? 4 : t == 5 ? 8 : 1;
}

/* Writes an IFD at x->n (offsets relative to the TIFF header at `base`).
 * Values over 4 bytes go right after the IFD. Returns the IFD offset. */
static uint32_t write_ifd(xb *x, size_t base, const tag *t, int n)
{
    uint32_t ifd = (uint32_t)(x->n - base);
    size_t data = x->n + 2 + 12 * (size_t)n + 4;
    put16(x->b + x->n, (unsigned)n);
    for (int i = 0; i < n; i++) {
        uint8_t *e = x->b + x->n + 2 + 12 * i;
        size_t sz = type_size(t[i].type) * t[i].count;
        put16(e, t[i].id);
        put16(e + 2, t[i].type);
        put32(e + 4, t[i].count);
        memset(e + 8, 0, 4);
        if (sz <= 4) {
            memcpy(e + 8, t[i].data, sz);
        } else {
            put32(e + 8, (uint32_t)(data - base));
            memcpy(x->b + data, t[i].data, sz);
            data += sz + (sz & 1); /* keep word alignment */
        }
    }
    put32(x->b + x->n + 2 + 12 * n, 0);
    x->n = data;
    return ifd;
}

static size_t build_exif(uint8_t *out, int orientation, int gps, const char *datetime)
{
    xb x;
    memset(&x, 0, sizeof x);
    memcpy(x.b, "Exif\0\0", 6);
    size_t base = 6;
    memcpy(x.b + 6, "II", 2);
    put16(x.b + 8, 42); /* TIFF magic */
    put32(x.b + 10, 8); /* IFD0 right after the header */
    x.n = 14;
    uint8_t ori[2], gptr[4] = {0};
    put16(ori, (unsigned)orientation);
    static const char make[] = "GenPhone";
    static const char model[] = "GP-12 Pro";
    char dt[20];
    snprintf(dt, sizeof dt, "%.19s", datetime);
    tag t0[5] = {
        {0x010F, 2, sizeof make, (const uint8_t *)make},
        {0x0110, 2, sizeof model, (const uint8_t *)model},
        {0x0112, 3, 1, ori},
        {0x0132, 2, 20, (const uint8_t *)dt},
        {0x8825, 4, 1, gptr},
    };
    int n0 = gps ? 5 : 4;
    /* IFD0 size is known in advance: patch the GPS pointer after writing */
    size_t ifd0_at = x.n;
    write_ifd(&x, base, t0, n0);
    if (gps) {
        uint8_t ver[4] = {2, 3, 0, 0}, lat[24], lon[24];
        /* somewhere in Tokyo: 35°41'N 139°45'E, as degree/minute/second rationals */
        uint32_t v[6] = {35, 41, 2213, 139, 45, 3187};
        uint32_t den[6] = {1, 1, 100, 1, 1, 100};
        for (int i = 0; i < 3; i++) {
            put32(lat + 8 * i, v[i]); put32(lat + 8 * i + 4, den[i]);
            put32(lon + 8 * i, v[3 + i]); put32(lon + 8 * i + 4, den[3 + i]);
        }
        tag tg[5] = {
            {0x0000, 1, 4, ver}, {0x0001, 2, 2, (const uint8_t *)"N"},
            {0x0002, 5, 3, lat}, {0x0003, 2, 2, (const uint8_t *)"E"},
            {0x0004, 5, 3, lon},
        };
        uint32_t gifd = write_ifd(&x, base, tg, 5);
        put32(x.b + ifd0_at + 2 + 12 * 4 + 8, gifd);
    }
    out[0] = 0xFF;
    out[1] = 0xE1; /* APP1 */
    put16(out + 2, 0);
    out[2] = (uint8_t)(((x.n + 2) >> 8) & 255); /* segment length is big-endian */
    out[3] = (uint8_t)((x.n + 2) & 255);
    memcpy(out + 4, x.b, x.n);
    return x.n + 4;
}

int gen_jpeg_write(const char *path, const uint32_t *px, int w, int h, int stride_px,
                   int quality, int orientation, int gps, const char *datetime)
{
    tjhandle tj = tjInitCompress();
    unsigned char *jpg = NULL;
    unsigned long jn = 0;
    FILE *f = NULL;
    int rc = -1;
    uint8_t app1[1100];
    if (!tj)
        return -1;
    if (tjCompress2(tj, (const unsigned char *)px, w, stride_px * 4, h, TJPF_BGRX, &jpg, &jn,
                    TJSAMP_420, quality, 0) != 0)
        goto done;
    size_t an = build_exif(app1, orientation, gps, datetime ? datetime : "2026:01:01 12:00:00");
    f = fopen(path, "wb");
    if (!f)
        goto done;
    /* SOI, then our APP1, then the rest (JFIF APP0 and the image) */
    if (fwrite(jpg, 1, 2, f) != 2 || fwrite(app1, 1, an, f) != an ||
        fwrite(jpg + 2, 1, jn - 2, f) != jn - 2)
        goto done;
    rc = 0;
done:
    if (f && fclose(f) != 0)
        rc = -1;
    if (jpg)
        tjFree(jpg);
    tjDestroy(tj);
    return rc;
}
