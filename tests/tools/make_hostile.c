/* Writes the crafted hostile uploads of testdata/hostile/ and their
 * manifest expected.tsv (file, expected code of `prescreen check`, kind).
 * Every file is made here from a small picture by a stated edit, so the
 * folder can be regenerated and each case says how it was made.
 * Deterministic: the same bytes on every run.
 * Usage: ps_make_hostile SOURCE_DIR   (writes SOURCE_DIR/testdata/hostile/)
 * The outputs are checked in; tests/hostile_files.c runs them.
 *
 * The expected codes are what the decoders must say (ps_status_code names):
 * a file that is cut short is "truncated" wherever the decoder can tell that
 * the data ended (JPEG and PNG always can; WebP and HEIF report a cut inside
 * their compressed payload as corrupt data, see the rows), a broken
 * structure is "corrupt", a declared size over the limits is
 * "dimensions_over_limit" before any pixel memory is allocated, and a file
 * whose pixels are fine is "ok" whatever its name, metadata or trailer. */
#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <webp/encode.h>
#include <zlib.h>

#include "fixtures.h"
#include "prescreen/decode.h"

static char g_dir[4096];
static FILE *g_manifest;

static void put(const char *name, const void *data, size_t len, const char *code,
                const char *kind)
{
    char path[4400];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", g_dir, name);
    f = fopen(path, "wb");
    if (f == NULL || (len && fwrite(data, 1, len, f) != len) || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
        exit(1);
    }
    fprintf(g_manifest, "%s\t%s\t%s\n", name, code, kind ? kind : "selfie");
}

/* ---- a growable buffer ---------------------------------------------------- */

typedef struct buf {
    uint8_t *p;
    size_t n, cap;
} buf;

static void add(buf *b, const void *d, size_t n)
{
    if (b->n + n > b->cap) {
        b->cap = (b->n + n) * 2 + 64;
        b->p = realloc(b->p, b->cap);
        if (b->p == NULL)
            exit(1);
    }
    memcpy(b->p + b->n, d, n);
    b->n += n;
}

static void add_str(buf *b, const char *s)
{
    add(b, s, strlen(s));
}

static void add_be32(buf *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    add(b, x, 4);
}

static void be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

static uint32_t get_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* ---- pictures -------------------------------------------------------------- */

static ps_image *picture(int w, int h)
{
    ps_image *img = fx_corners(w, h, w / 6 > 0 ? w / 6 : 1);
    for (int y = 0; y < h; y++) {
        uint8_t *p = ps_image_row(img, y);
        for (int x = w / 4; x < 3 * w / 4; x++)
            p[3 * x + 1] = (uint8_t)(x * 255 / w);
    }
    return img;
}

/* ---- PNG chunks -------------------------------------------------------------- */

/* A chunk with its length and CRC. */
static void png_chunk(buf *b, const char *type, const void *data, uint32_t len)
{
    uint32_t crc = (uint32_t)crc32(0, (const Bytef *)type, 4);
    if (len)
        crc = (uint32_t)crc32(crc, data, len);
    add_be32(b, len);
    add(b, type, 4);
    if (len)
        add(b, data, len);
    add_be32(b, crc);
}

static void png_ihdr(buf *b, uint32_t w, uint32_t h, int depth, int ctype)
{
    uint8_t d[13];
    be32(d, w);
    be32(d + 4, h);
    d[8] = (uint8_t)depth; d[9] = (uint8_t)ctype; d[10] = 0; d[11] = 0; d[12] = 0;
    add(b, "\x89PNG\r\n\x1a\n", 8);
    png_chunk(b, "IHDR", d, 13);
}

/* Offset of the first chunk of `type` in a PNG, or 0. */
static size_t png_find(const uint8_t *p, size_t n, const char *type)
{
    size_t off = 8;
    while (off + 12 <= n) {
        uint32_t len = get_be32(p + off);
        if (memcmp(p + off + 4, type, 4) == 0)
            return off;
        off += 12 + (size_t)len;
    }
    return 0;
}

/* Image rows (filter byte 0 + gray bytes) deflated into one IDAT. */
static void png_idat_gray(buf *b, uint32_t w, uint32_t h, uint8_t value)
{
    size_t raw_n = (size_t)h * (w + 1);
    uint8_t *raw = malloc(raw_n);
    uLongf zn = compressBound(raw_n);
    uint8_t *z = malloc(zn);
    if (raw == NULL || z == NULL)
        exit(1);
    for (size_t y = 0; y < h; y++) {
        raw[y * (w + 1)] = 0;
        memset(raw + y * (w + 1) + 1, value, w);
    }
    if (compress2(z, &zn, raw, raw_n, 9) != Z_OK)
        exit(1);
    png_chunk(b, "IDAT", z, (uint32_t)zn);
    free(raw);
    free(z);
}

/* ---- JPEG markers -------------------------------------------------------------- */

/* Offset of the first marker 0xFF `m` found by walking the segments before
 * the first scan (or the first SOS itself), or 0. */
static size_t jpeg_find(const uint8_t *p, size_t n, uint8_t m)
{
    size_t off = 2;
    while (off + 4 <= n && p[off] == 0xFF) {
        uint8_t k = p[off + 1];
        size_t seg = (size_t)p[off + 2] << 8 | p[off + 3];
        if (k == m)
            return off;
        if (k == 0xDA)
            return 0;
        off += 2 + seg;
    }
    return 0;
}

/* Sets the declared size in the SOFn segment. */
static void jpeg_set_size(uint8_t *p, size_t n, unsigned w, unsigned h)
{
    size_t sof = jpeg_find(p, n, 0xC0);
    if (sof == 0)
        sof = jpeg_find(p, n, 0xC2);
    if (sof == 0)
        exit(1);
    p[sof + 5] = (uint8_t)(h >> 8); p[sof + 6] = (uint8_t)h;
    p[sof + 7] = (uint8_t)(w >> 8); p[sof + 8] = (uint8_t)w;
}

/* A JPEG with an APP1 "Exif\0\0" segment holding `tiff` inserted after SOI. */
static void jpeg_with_exif(buf *out, const uint8_t *jpeg, size_t n, const uint8_t *tiff, size_t tn)
{
    uint8_t h[10] = {0xFF, 0xE1, (uint8_t)((tn + 8) >> 8), (uint8_t)(tn + 8), 'E', 'x', 'i', 'f', 0, 0};
    add(out, jpeg, 2);
    add(out, h, 10);
    add(out, tiff, tn);
    add(out, jpeg + 2, n - 2);
}

/* ---- EXIF blocks -------------------------------------------------------------- */

static void le16(uint8_t *p, unsigned v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void le32(uint8_t *p, uint32_t v) { le16(p, v & 0xffff); le16(p + 2, v >> 16); }
static void entry(uint8_t *p, unsigned tag, unsigned type, uint32_t count, uint32_t value)
{
    le16(p, tag); le16(p + 2, type); le32(p + 4, count); le32(p + 8, value);
}

/* IFD0 -> Exif IFD -> back to IFD0 through the Exif pointer, and IFD0's
 * next-IFD link pointing at itself: every walk that follows offsets loops. */
static size_t exif_loop(uint8_t *b)
{
    memset(b, 0, 64);
    memcpy(b, "II*\0", 4);
    le32(b + 4, 8);
    le16(b + 8, 2);
    entry(b + 10, 0x0112, 3, 1, 6);       /* orientation 6 */
    entry(b + 22, 0x8769, 4, 1, 38);      /* Exif IFD at 38 */
    le32(b + 34, 8);                      /* next IFD: itself */
    le16(b + 38, 1);
    entry(b + 40, 0x8769, 4, 1, 8);       /* Exif IFD's own pointer back to IFD0 */
    le32(b + 52, 38);                     /* and its next IFD: itself */
    return 56;
}

/* Offsets and counts far outside the block. */
static size_t exif_out_of_range(uint8_t *b)
{
    memset(b, 0, 64);
    memcpy(b, "II*\0", 4);
    le32(b + 4, 8);
    le16(b + 8, 3);
    entry(b + 10, 0x010f, 2, 0x40000000u, 0x7ffffff0u); /* Make: 1 GiB at 2 GiB */
    entry(b + 22, 0x0112, 3, 1, 6);
    entry(b + 34, 0x8825, 4, 1, 0xfffffff0u);            /* GPS IFD beyond the end */
    le32(b + 46, 0xffffff00u);                           /* next IFD beyond the end */
    return 50;
}

/* An IFD0 claiming 65535 entries in a 30-byte block. */
static size_t exif_huge_count(uint8_t *b)
{
    memset(b, 0, 64);
    memcpy(b, "MM\0*", 4);
    b[7] = 8;
    b[8] = 0xFF; b[9] = 0xFF;
    b[10] = 0x01; b[11] = 0x12; b[12] = 0; b[13] = 3; b[17] = 1; b[18] = 0; b[19] = 3;
    return 30;
}

/* ---- the cases ------------------------------------------------------------------- */

static void truncations(const char *stem, const char *ext, const uint8_t *p, size_t n,
                        const size_t *offs, const char *const *codes, size_t count)
{
    char name[128];
    for (size_t i = 0; i < count; i++) {
        if (offs[i] >= n)
            exit(1);
        snprintf(name, sizeof name, "%s_trunc_%05zu.%s", stem, offs[i], ext);
        put(name, p, offs[i], codes[i], NULL);
    }
}

static void jpeg_cases(void)
{
    ps_image *img = picture(64, 48);
    size_t n, pn;
    uint8_t *jpg = fx_jpeg(img, 85, 0, 0, 0, &n);
    uint8_t *prog = fx_jpeg(img, 85, 0, 1, 0, &pn);
    size_t sof = jpeg_find(jpg, n, 0xC0), sos = jpeg_find(jpg, n, 0xDA);
    uint8_t *c;
    buf b = {0};

    if (jpg == NULL || prog == NULL || sof == 0 || sos == 0)
        exit(1);
    {
        /* cut inside the markers, the frame header, the scan and before EOI */
        const size_t offs[] = {2, 3, 11, 40, sof + 6, sos + 4, sos + 40, n / 2, n - 30, n - 2};
        /* two bytes (SOI alone) do not yet say "JPEG": the sniffer needs FF D8 FF */
        const char *const codes[] = {"unsupported_format", "truncated", "truncated", "truncated",
                                     "truncated", "truncated", "truncated", "truncated",
                                     "truncated", "truncated"};
        truncations("jpeg", "jpg", jpg, n, offs, codes, sizeof offs / sizeof offs[0]);
    }
    /* declared sizes: over the side limit, over the pixel limit, and a
     * 64-MP frame whose scan data holds a 64x48 picture */
    c = malloc(n);
    memcpy(c, jpg, n);
    jpeg_set_size(c, n, 65000, 65000);
    put("jpeg_bomb_65000x65000.jpg", c, n, "dimensions_over_limit", NULL);
    jpeg_set_size(c, n, 16000, 16000);
    put("jpeg_bomb_16000x16000.jpg", c, n, "dimensions_over_limit", NULL);
    jpeg_set_size(c, n, 8000, 8000);
    put("jpeg_bomb_8000x8000_short_scan.jpg", c, n, "truncated", NULL);
    jpeg_set_size(c, n, 1, 100000);
    put("jpeg_1x100000.jpg", c, n, "dimensions_over_limit", NULL);
    free(c);

    /* a progressive JPEG whose last scan (with the tables before it) is
     * repeated until there are 3000 scans */
    {
        size_t last = 0, tables;
        for (size_t i = 2; i + 1 < pn; i++)
            if (prog[i] == 0xFF && prog[i + 1] == 0xDA)
                last = i;
        tables = last;
        /* include the DHT segment right before it, when there is one */
        for (size_t i = 2; i + 3 < last; i++)
            if (prog[i] == 0xFF && prog[i + 1] == 0xC4 &&
                i + 2 + ((size_t)prog[i + 2] << 8 | prog[i + 3]) == last)
                tables = i;
        add(&b, prog, pn - 2);
        for (int k = 0; k < 3000; k++)
            add(&b, prog + tables, pn - 2 - tables);
        add(&b, "\xFF\xD9", 2);
        put("jpeg_progressive_3000_scans.jpg", b.p, b.n, "too_many_scans", NULL);
        b.n = 0;
    }

    /* CMYK (Adobe, inverted) decodes to RGB */
    {
        size_t cn;
        uint8_t *cm = fx_jpeg(img, 85, 0, 0, 1, &cn);
        put("jpeg_cmyk.jpg", cm, cn, "ok", NULL);
        free(cm);
    }
    /* 12-bit precision in an extended-sequential frame */
    c = malloc(n);
    memcpy(c, jpg, n);
    c[sof + 1] = 0xC1;
    c[sof + 4] = 12;
    put("jpeg_12bit.jpg", c, n, "unsupported_variant", NULL);
    free(c);

    /* EXIF that loops, points outside itself, or claims 65535 entries: the
     * picture decodes and the EXIF is ignored */
    {
        uint8_t t[64];
        size_t tn = exif_loop(t);
        jpeg_with_exif(&b, jpg, n, t, tn);
        put("jpeg_exif_ifd_loop.jpg", b.p, b.n, "ok", NULL);
        b.n = 0;
        tn = exif_out_of_range(t);
        jpeg_with_exif(&b, jpg, n, t, tn);
        put("jpeg_exif_offsets_out_of_range.jpg", b.p, b.n, "ok", NULL);
        b.n = 0;
        tn = exif_huge_count(t);
        jpeg_with_exif(&b, jpg, n, t, tn);
        put("jpeg_exif_huge_count.jpg", b.p, b.n, "ok", NULL);
        b.n = 0;
        /* an APP1 segment whose length runs past the end of the file */
        add(&b, jpg, 2);
        add(&b, "\xFF\xE1\xFF\xF0" "Exif\0\0II*\0", 14);
        put("jpeg_app1_past_end.jpg", b.p, b.n, "truncated", NULL);
        b.n = 0;
    }

    /* polyglots: a JPEG with a ZIP archive or a PDF appended decodes as the
     * JPEG it starts with; the stored copy is re-encoded from pixels, so
     * the trailer never reaches the store */
    {
        /* a one-file stored ZIP: local header, data, central directory, end */
        static const uint8_t zip[] = {
            'P', 'K', 3, 4, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x3b, 0x36, 0x0d, 0x86, 5, 0, 0, 0,
            5, 0, 0, 0, 1, 0, 0, 0, 'a', 'h', 'e', 'l', 'l', 'o',
            'P', 'K', 1, 2, 20, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x3b, 0x36, 0x0d, 0x86, 5, 0,
            0, 0, 5, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 'a',
            'P', 'K', 5, 6, 0, 0, 0, 0, 1, 0, 1, 0, 47, 0, 0, 0, 36, 0, 0, 0, 0, 0};
        static const char pdf[] = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
        add(&b, jpg, n);
        add(&b, zip, sizeof zip);
        put("polyglot_jpeg_zip.jpg", b.p, b.n, "ok", NULL);
        b.n = 0;
        add(&b, jpg, n);
        add(&b, pdf, sizeof pdf - 1);
        put("polyglot_jpeg_pdf.jpg", b.p, b.n, "ok", NULL);
        b.n = 0;
        /* a PDF with the JPEG inside an image stream: a PDF, never decoded */
        add_str(&b, "%PDF-1.4\n1 0 obj<</Type/XObject/Subtype/Image/Filter/DCTDecode>>stream\n");
        add(&b, jpg, n);
        add_str(&b, "\nendstream endobj\n%%EOF\n");
        put("polyglot_pdf_with_jpeg.pdf", b.p, b.n, "pdf_document", NULL);
        /* an address proof may be a PDF: reported (digital_document), not decoded */
        put("polyglot_pdf_as_address_proof.pdf", b.p, b.n, "ok", "address_proof");
        b.n = 0;
        /* a ZIP whose first file is the JPEG */
        add(&b, zip, 30);
        add(&b, jpg, n);
        put("zip_holding_jpeg.jpg", b.p, b.n, "unsupported_format", NULL);
        b.n = 0;
    }
    /* wrong extensions: the format is sniffed from the bytes */
    put("jpeg_named.png", jpg, n, "ok", NULL);
    put("jpeg_named.webp", jpg, n, "ok", NULL);
    free(b.p);
    free(jpg);
    free(prog);
    ps_image_free(&img);
}

static void png_cases(void)
{
    ps_image *img = picture(64, 48);
    size_t n, n16, np;
    uint8_t *png = fx_png(img, PNG_COLOR_TYPE_RGB, 8, 0, 0, &n);
    uint8_t *p16 = fx_png(img, PNG_COLOR_TYPE_RGB, 16, 0, 0, &n16);
    uint8_t *pal = fx_png(img, PNG_COLOR_TYPE_PALETTE, 8, 0, 0, &np);
    size_t idat = png_find(png, n, "IDAT"), plte = png_find(pal, np, "PLTE");
    uint8_t *c;
    buf b = {0};

    if (png == NULL || p16 == NULL || pal == NULL || idat == 0 || plte == 0)
        exit(1);
    {
        /* signature, inside IHDR, after IHDR, inside IDAT, before IEND, inside IEND */
        const size_t offs[] = {4, 8, 20, 33, idat + 8, idat + 30, n / 2, n - 12, n - 6};
        const char *const codes[] = {"unsupported_format", "truncated", "truncated", "truncated",
                                     "truncated", "truncated", "truncated", "truncated",
                                     "truncated"};
        truncations("png", "png", png, n, offs, codes, sizeof offs / sizeof offs[0]);
    }
    /* declared sizes over the limits (no pixel data needed to refuse) */
    {
        size_t hn;
        uint8_t *h = fx_png_header_only(100000, 100000, &hn);
        put("png_bomb_100000x100000.png", h, hn, "dimensions_over_limit", NULL);
        free(h);
        h = fx_png_header_only(16000, 16000, &hn);
        put("png_bomb_16000x16000.png", h, hn, "dimensions_over_limit", NULL);
        free(h);
        h = fx_png_header_only(1, 100000, &hn);
        put("png_1x100000.png", h, hn, "dimensions_over_limit", NULL);
        free(h);
        h = fx_png_header_only(100000, 1, &hn);
        put("png_100000x1.png", h, hn, "dimensions_over_limit", NULL);
        free(h);
    }
    /* a real zlib bomb inside the limits: 64 MB of gray pixels in ~60 KB */
    png_ihdr(&b, 8000, 8000, 8, PNG_COLOR_TYPE_GRAY);
    png_idat_gray(&b, 8000, 8000, 0xE0);
    png_chunk(&b, "IEND", NULL, 0);
    put("png_zlib_bomb_8000x8000.png", b.p, b.n, "ok", NULL);
    b.n = 0;
    /* extreme aspect ratios inside the limits */
    png_ihdr(&b, 16384, 1, 8, PNG_COLOR_TYPE_GRAY);
    png_idat_gray(&b, 16384, 1, 0x80);
    png_chunk(&b, "IEND", NULL, 0);
    put("png_16384x1.png", b.p, b.n, "ok", NULL);
    put("png_16384x1_paper.png", b.p, b.n, "ok", "address_proof");
    b.n = 0;
    png_ihdr(&b, 1, 16384, 8, PNG_COLOR_TYPE_GRAY);
    png_idat_gray(&b, 1, 16384, 0x80);
    png_chunk(&b, "IEND", NULL, 0);
    put("png_1x16384.png", b.p, b.n, "ok", NULL);
    put("png_1x16384_card.png", b.p, b.n, "ok", "credit_card");
    put("png_1x16384_id.png", b.p, b.n, "ok", "photo_id");
    b.n = 0;

    /* 16-bit decodes; with a broken IDAT CRC it is corrupt */
    put("png_16bit_rgb.png", p16, n16, "ok", NULL);
    {
        size_t gn;
        uint8_t *g16 = fx_png(img, PNG_COLOR_TYPE_GRAY_ALPHA, 16, 1, 0, &gn);
        put("png_16bit_gray_alpha_interlaced.png", g16, gn, "ok", NULL);
        free(g16);
    }
    c = malloc(n16);
    memcpy(c, p16, n16);
    {
        size_t i16 = png_find(c, n16, "IDAT");
        c[i16 + 8 + get_be32(c + i16) + 3] ^= 0x55; /* last CRC byte */
    }
    put("png_16bit_idat_crc.png", c, n16, "corrupt", NULL);
    free(c);
    /* IDAT that is not zlib data */
    c = malloc(n);
    memcpy(c, png, n);
    for (uint32_t i = 0; i < get_be32(c + idat) && i < 16; i++)
        c[idat + 8 + i] = (uint8_t)(0xA5 ^ i);
    {
        uint32_t len = get_be32(c + idat);
        be32(c + idat + 8 + len, (uint32_t)crc32(0, c + idat + 4, len + 4)); /* fix the CRC */
    }
    put("png_idat_not_zlib.png", c, n, "corrupt", NULL);
    free(c);
    /* IHDR CRC */
    c = malloc(n);
    memcpy(c, png, n);
    c[8 + 8 + 13] ^= 1;
    put("png_ihdr_crc.png", c, n, "corrupt", NULL);
    free(c);

    /* palette PNGs with broken chunks */
    put("png_palette_ok.png", pal, np, "ok", NULL);
    c = malloc(np);
    memcpy(c, pal, np);
    c[plte + 8 + get_be32(c + plte)] ^= 0xFF; /* PLTE CRC */
    put("png_palette_plte_crc.png", c, np, "corrupt", NULL);
    free(c);
    {
        /* PLTE of 7 bytes (not a multiple of 3), CRC valid */
        add(&b, pal, plte);
        png_chunk(&b, "PLTE", "\0\0\0\xff\xff\xff\x80", 7);
        add(&b, pal + plte + 12 + get_be32(pal + plte), np - plte - 12 - get_be32(pal + plte));
        put("png_palette_plte_length7.png", b.p, b.n, "corrupt", NULL);
        b.n = 0;
        /* no PLTE at all */
        add(&b, pal, plte);
        add(&b, pal + plte + 12 + get_be32(pal + plte), np - plte - 12 - get_be32(pal + plte));
        put("png_palette_missing_plte.png", b.p, b.n, "corrupt", NULL);
        b.n = 0;
        /* a one-entry palette while the pixels use indices 0..3 */
        add(&b, pal, plte);
        png_chunk(&b, "PLTE", "\x10\x20\x30", 3);
        add(&b, pal + plte + 12 + get_be32(pal + plte), np - plte - 12 - get_be32(pal + plte));
        put("png_palette_index_out_of_range.png", b.p, b.n, "ok", NULL);
        b.n = 0;
        /* an ancillary chunk declaring 2 GiB - 1 in a 50-byte file */
        add(&b, pal, plte);
        add(&b, "\x7f\xff\xff\xfftEXt", 8);
        add(&b, "Comment\0x", 9);
        put("png_chunk_length_2gib.png", b.p, b.n, "truncated", NULL);
        b.n = 0;
        /* a chunk length over 2^31 - 1, which the format forbids */
        add(&b, pal, plte);
        add(&b, "\xff\xff\xff\xf0tEXt", 8);
        add(&b, "Comment\0x", 9);
        put("png_chunk_length_invalid.png", b.p, b.n, "corrupt", NULL);
        b.n = 0;
    }
    /* eXIf that loops: the picture decodes */
    {
        uint8_t t[64];
        size_t tn = exif_loop(t);
        add(&b, png, idat);
        png_chunk(&b, "eXIf", t, (uint32_t)tn);
        add(&b, png + idat, n - idat);
        put("png_exif_ifd_loop.png", b.p, b.n, "ok", NULL);
        b.n = 0;
    }
    /* wrong extensions */
    put("png_named.jpg", png, n, "ok", NULL);
    put("png_named.heic", png, n, "ok", NULL);
    free(b.p);
    free(png);
    free(p16);
    free(pal);
    ps_image_free(&img);
}

static void webp_cases(void)
{
    ps_image *img = picture(64, 48);
    size_t n, ln;
    uint8_t *w = fx_webp(img, &n), *lossless = NULL;
    buf b = {0};
    if (w == NULL)
        exit(1);
    {
        const size_t offs[] = {4, 12, 20, 30, n / 2, n - 10};
        const char *const codes[] = {"unsupported_format", "truncated", "truncated", "truncated",
                                     "truncated", "truncated"};
        truncations("webp", "webp", w, n, offs, codes, sizeof offs / sizeof offs[0]);
    }
    ln = WebPEncodeLosslessRGB(img->data, img->width, img->height, (int)img->stride, &lossless);
    if (ln == 0)
        exit(1);
    {
        const size_t offs[] = {25, ln / 2, ln - 4};
        const char *const codes[] = {"truncated", "truncated", "truncated"};
        truncations("webp_lossless", "webp", lossless, ln, offs, codes, 3);
    }
    /* VP8X declaring an animation: refused before decoding */
    {
        uint8_t x[10] = {0x02, 0, 0, 0, 63, 0, 0, 47, 0, 0};
        add(&b, "RIFF\0\0\0\0WEBP", 12);
        add(&b, "VP8X\x0a\0\0\0", 8);
        add(&b, x, 10);
        add(&b, "ANIM\x06\0\0\0\xff\xff\xff\xff\0\0", 14);
        b.p[4] = (uint8_t)(b.n - 8);
        put("webp_animated.webp", b.p, b.n, "unsupported_variant", NULL);
        b.n = 0;
    }
    put("webp_named.jpg", w, n, "ok", NULL);
    free(b.p);
    free(w);
    WebPFree(lossless);
    ps_image_free(&img);
}

static void heic_cases(void)
{
    ps_image *img = picture(64, 48);
    size_t n = 0;
    uint8_t *h = fx_heic(img, &n), *c;
    if (h == NULL) {
        fprintf(stderr, "no HEVC encoder: no HEIC cases\n");
        ps_image_free(&img);
        return;
    }
    put("heic_ok.heic", h, n, "ok", NULL);
    {
        const size_t offs[] = {8, 24, 100, n / 2, n - 10};
        /* 8 bytes end before the ftyp brand: not yet recognisable as HEIF */
        const char *const codes[] = {"unsupported_format", "truncated", "truncated", "truncated",
                                     "truncated"};
        truncations("heic", "heic", h, n, offs, codes, 5);
    }
    /* the image's spatial extent (ispe) claims 100000 x 100000 */
    c = malloc(n);
    memcpy(c, h, n);
    for (size_t i = 0; i + 16 <= n; i++)
        if (memcmp(c + i, "ispe", 4) == 0) {
            be32(c + i + 8, 100000);
            be32(c + i + 12, 100000);
        }
    put("heic_ispe_100000x100000.heic", c, n, "dimensions_over_limit", NULL);
    free(c);
    put("heic_named.jpg", h, n, "ok", NULL);
    /* a grid image whose tile is the grid itself (iref dimg 1 -> 1): libheif
     * 1.15 recursed until the stack overflowed */
    {
        buf b = {0};
        static const uint8_t ftyp[] = {0, 0, 0, 24, 'f', 't', 'y', 'p', 'h', 'e', 'i', 'c', 0, 0, 0, 0,
                                       'm', 'i', 'f', '1', 'h', 'e', 'i', 'c'};
        static const uint8_t inner[] = {
            0, 0, 0, 33, 'h', 'd', 'l', 'r', 0, 0, 0, 0, 0, 0, 0, 0, 'p', 'i', 'c', 't',
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,                      /* hdlr */
            0, 0, 0, 14, 'p', 'i', 't', 'm', 0, 0, 0, 0, 0, 1,          /* pitm: item 1 */
            0, 0, 0, 35, 'i', 'i', 'n', 'f', 0, 0, 0, 0, 0, 1,          /* iinf: 1 entry */
            0, 0, 0, 21, 'i', 'n', 'f', 'e', 2, 0, 0, 0, 0, 1, 0, 0, 'g', 'r', 'i', 'd', 0,
            0, 0, 0, 26, 'i', 'r', 'e', 'f', 0, 0, 0, 0,                /* iref v0 */
            0, 0, 0, 14, 'd', 'i', 'm', 'g', 0, 1, 0, 1, 0, 1};         /* dimg 1 -> 1 */
        uint8_t mh[12] = {0, 0, 0, 0, 'm', 'e', 't', 'a', 0, 0, 0, 0};
        be32(mh, (uint32_t)(sizeof mh + sizeof inner));
        add(&b, ftyp, sizeof ftyp);
        add(&b, mh, sizeof mh);
        add(&b, inner, sizeof inner);
        put("heic_grid_refers_to_itself.heic", b.p, b.n, "corrupt", NULL);
        free(b.p);
    }
    free(h);
    ps_image_free(&img);
}

static void other_cases(void)
{
    put("empty.jpg", "", 0, "empty_input", NULL);
    put("one_byte_ff.jpg", "\xFF", 1, "unsupported_format", NULL);
    put("one_byte_89.png", "\x89", 1, "unsupported_format", NULL);
    put("two_bytes_soi.jpg", "\xFF\xD8", 2, "unsupported_format", NULL);
    put("gif.gif", "GIF89a\x01\0\x01\0\0\0\0;", 13, "unsupported_variant", NULL);
    put("tiff.tif", "II*\0\x08\0\0\0\0\0\0\0\0\0", 14, "unsupported_variant", NULL);
    put("html_named.jpg", "<html><body>not a photo</body></html>\n", 38, "unsupported_format",
        NULL);
}

int main(int argc, char **argv)
{
    char path[4400];
    if (argc != 2) {
        fprintf(stderr, "usage: %s SOURCE_DIR\n", argv[0]);
        return 2;
    }
    snprintf(g_dir, sizeof g_dir, "%s/testdata/hostile", argv[1]);
    mkdir(g_dir, 0755);
    snprintf(path, sizeof path, "%s/expected.tsv", g_dir);
    g_manifest = fopen(path, "w");
    if (g_manifest == NULL)
        return 1;
    fprintf(g_manifest, "# file\tcode (ps_status_code of `prescreen check`)\tkind\n");
    other_cases();
    jpeg_cases();
    png_cases();
    webp_cases();
    heic_cases();
    return fclose(g_manifest) == 0 ? 0 : 1;
}
