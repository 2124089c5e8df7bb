/* Decoder suite: every format and PNG colour type, EXIF orientations 1-8,
 * truncated/corrupt/empty/wrong-magic input and over-limit headers. */
#define _GNU_SOURCE 1
#include <png.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "fixtures.h"
#include "prescreen/decode.h"
#include "testutil.h"

static ps_decoded *decode_ok(const uint8_t *b, size_t n, const ps_decode_opts *o)
{
    ps_decoded *d = NULL;
    char msg[200];
    ps_status st = ps_decode(b, n, o, &d, msg, sizeof msg);
    ck_assert_msg(st == PS_OK, "decode failed: %s (%s)", ps_status_code(st), msg);
    return d;
}

static ps_status decode_err(const uint8_t *b, size_t n, const ps_decode_opts *o, char *msg,
                            size_t msglen)
{
    ps_decoded *d = NULL;
    ps_status st = ps_decode(b, n, o, &d, msg, msglen);
    ck_assert_ptr_null(d);
    return st;
}

static void px(const ps_image *im, int x, int y, int *r, int *g, int *b)
{
    const uint8_t *p = ps_image_row(im, y) + 3 * x;
    *r = p[0]; *g = p[1]; *b = p[2];
}

/* Dominant channel at (x, y): 0 red, 1 green, 2 blue, 3 white/grey. */
static int dominant(const ps_image *im, int x, int y)
{
    int r, g, b;
    px(im, x, y, &r, &g, &b);
    if (r > 150 && g < 100 && b < 100) return 0;
    if (g > 150 && r < 100 && b < 100) return 1;
    if (b > 150 && r < 100 && g < 100) return 2;
    return 3;
}

START_TEST(sniff_by_magic_not_name)
{
    ck_assert_int_eq(ps_sniff((const uint8_t *)"\xff\xd8\xff\xe0", 4), PS_FMT_JPEG);
    ck_assert_int_eq(ps_sniff((const uint8_t *)"\x89PNG\r\n\x1a\n", 8), PS_FMT_PNG);
    ck_assert_int_eq(ps_sniff((const uint8_t *)"RIFF\0\0\0\0WEBPVP8 ", 16), PS_FMT_WEBP);
    ck_assert_int_eq(ps_sniff((const uint8_t *)"\0\0\0\x18" "ftypheic\0\0\0\0", 16), PS_FMT_HEIC);
    ck_assert_int_eq(ps_sniff((const uint8_t *)"%PDF-1.7\n", 9), PS_FMT_PDF);
    ck_assert_int_eq(ps_sniff((const uint8_t *)"GIF89a", 6), PS_FMT_GIF);
    ck_assert_int_eq(ps_sniff((const uint8_t *)"PK\3\4", 4), PS_FMT_UNKNOWN);
    ck_assert_int_eq(ps_sniff(NULL, 0), PS_FMT_UNKNOWN);
    ck_assert_int_eq(ps_sniff((const uint8_t *)"\xff\xd8", 2), PS_FMT_UNKNOWN);
}
END_TEST

/* Where the visual top-left, top-right and bottom-left corners are stored,
 * for each EXIF orientation, from the EXIF 2.3 definitions ("the 0th row
 * is the visual ..., the 0th column is the visual ..."). 0 = low end of the
 * axis, 1 = high end. Indexed [o][corner][x|y]. */
static const int stored_corner[9][3][2] = {
    [1] = {{0, 0}, {1, 0}, {0, 1}}, [2] = {{1, 0}, {0, 0}, {1, 1}},
    [3] = {{1, 1}, {0, 1}, {1, 0}}, [4] = {{0, 1}, {1, 1}, {0, 0}},
    [5] = {{0, 0}, {0, 1}, {1, 0}}, [6] = {{0, 1}, {0, 0}, {1, 1}},
    [7] = {{1, 1}, {1, 0}, {0, 1}}, [8] = {{1, 0}, {1, 1}, {0, 0}},
};

/* Upright 64x32 with red TL, green TR, blue BL, stored per orientation o. */
static ps_image *stored_for(int o)
{
    int ws = o >= 5 ? 32 : 64, hs = o >= 5 ? 64 : 32, blk = 8;
    ps_image *img = NULL;
    static const uint8_t col[3][3] = {{230, 20, 20}, {20, 200, 20}, {20, 20, 230}};
    ck_assert_int_eq(ps_image_new(ws, hs, 3, 0, &img), PS_OK);
    memset(img->data, 128, img->stride * (size_t)hs);
    for (int c = 0; c < 3; c++) {
        int x0 = stored_corner[o][c][0] ? ws - blk : 0, y0 = stored_corner[o][c][1] ? hs - blk : 0;
        for (int y = y0; y < y0 + blk; y++)
            for (int x = x0; x < x0 + blk; x++)
                memcpy(ps_image_row(img, y) + 3 * x, col[c], 3);
    }
    return img;
}

START_TEST(jpeg_exif_orientation_is_applied)
{
    int o = _i;
    ps_image *s = stored_for(o);
    size_t n;
    uint8_t *jpg = fx_jpeg(s, 95, o, 0, 0, &n);
    ps_decoded *d = decode_ok(jpg, n, NULL);
    ck_assert_int_eq(d->exif_orientation, o);
    ck_assert_int_eq(d->width, 64);
    ck_assert_int_eq(d->height, 32);
    ck_assert_int_eq(d->work->width, 64);
    ck_assert_int_eq(dominant(d->work, 3, 3), 0);
    ck_assert_int_eq(dominant(d->work, 60, 3), 1);
    ck_assert_int_eq(dominant(d->work, 3, 28), 2);
    ps_decoded_free(&d);
    free(jpg);
    ps_image_free(&s);
}
END_TEST

START_TEST(png_exif_orientation_is_applied)
{
    ps_image *s = stored_for(6);
    size_t n;
    uint8_t *p = fx_png(s, PNG_COLOR_TYPE_RGB, 8, 0, 6, &n);
    ps_decoded *d = decode_ok(p, n, NULL);
    ck_assert_int_eq(d->exif_orientation, 6);
    ck_assert_int_eq(d->width, 64);
    ck_assert_int_eq(dominant(d->work, 3, 3), 0);
    ck_assert_int_eq(dominant(d->work, 60, 3), 1);
    ps_decoded_free(&d);
    free(p);
    ps_image_free(&s);
}
END_TEST

struct png_case {
    int ct, depth, interlace;
};

static const struct png_case png_cases[] = {
    {PNG_COLOR_TYPE_GRAY, 1, 0},       {PNG_COLOR_TYPE_GRAY, 2, 0},
    {PNG_COLOR_TYPE_GRAY, 4, 0},       {PNG_COLOR_TYPE_GRAY, 8, 0},
    {PNG_COLOR_TYPE_GRAY, 16, 1},      {PNG_COLOR_TYPE_GRAY_ALPHA, 8, 0},
    {PNG_COLOR_TYPE_GRAY_ALPHA, 16, 0}, {PNG_COLOR_TYPE_RGB, 8, 0},
    {PNG_COLOR_TYPE_RGB, 8, 1},        {PNG_COLOR_TYPE_RGB, 16, 0},
    {PNG_COLOR_TYPE_RGB_ALPHA, 8, 1},  {PNG_COLOR_TYPE_RGB_ALPHA, 16, 0},
    {PNG_COLOR_TYPE_PALETTE, 2, 0},    {PNG_COLOR_TYPE_PALETTE, 4, 1},
    {PNG_COLOR_TYPE_PALETTE, 8, 0},
};

START_TEST(png_every_colour_type)
{
    const struct png_case *c = &png_cases[_i];
    ps_image *src = fx_corners(40, 24, 6);
    size_t n;
    uint8_t *p = fx_png(src, c->ct, c->depth, c->interlace, 0, &n);
    ps_decoded *d;
    int r, g, b;
    ck_assert_ptr_nonnull(p);
    d = decode_ok(p, n, NULL);
    ck_assert_int_eq(d->format, PS_FMT_PNG);
    ck_assert_int_eq(d->width, 40);
    ck_assert_int_eq(d->height, 24);
    px(d->work, 1, 1, &r, &g, &b);
    if (c->ct & PNG_COLOR_MASK_COLOR) {
        /* red corner; with alpha 128 it is composited over white */
        ck_assert_int_gt(r, g + 60);
        ck_assert_int_gt(r, b + 60);
        if (c->ct & PNG_COLOR_MASK_ALPHA)
            ck_assert_int_gt(g, 100);
    } else {
        ck_assert_int_eq(r, g);
        ck_assert_int_eq(g, b);
    }
    ps_decoded_free(&d);
    free(p);
    ps_image_free(&src);
}
END_TEST

START_TEST(cmyk_and_progressive_jpeg)
{
    ps_image *src = fx_corners(64, 48, 16);
    size_t n;
    uint8_t *j = fx_jpeg(src, 92, 0, 0, 1, &n);
    ps_decoded *d = decode_ok(j, n, NULL);
    ck_assert_int_eq(dominant(d->work, 4, 4), 0);
    ck_assert_int_eq(dominant(d->work, 60, 44), 3);
    ps_decoded_free(&d);
    free(j);
    j = fx_jpeg(src, 92, 0, 1, 0, &n);
    d = decode_ok(j, n, NULL);
    ck_assert_int_eq(dominant(d->work, 60, 4), 1);
    ps_decoded_free(&d);
    free(j);
    ps_image_free(&src);
}
END_TEST

START_TEST(webp_and_heic)
{
    ps_image *src = fx_corners(96, 64, 16);
    size_t n = 0;
    uint8_t *w = fx_webp(src, &n);
    ps_decoded *d = decode_ok(w, n, NULL);
    ck_assert_int_eq(d->format, PS_FMT_WEBP);
    ck_assert_int_eq(dominant(d->work, 4, 4), 0);
    ps_decoded_free(&d);
    ck_assert_int_ne(decode_err(w, n / 2, NULL, NULL, 0), PS_OK);
    free(w);
    w = fx_heic(src, &n);
    if (w != NULL) {
        d = decode_ok(w, n, NULL);
        ck_assert_int_eq(d->format, PS_FMT_HEIC);
        ck_assert_int_eq(d->width, 96);
        ck_assert_int_eq(dominant(d->work, 4, 4), 0);
        ck_assert_int_eq(dominant(d->work, 90, 4), 1);
        ps_decoded_free(&d);
        /* truncated HEIC */
        ck_assert_int_ne(decode_err(w, n / 2, NULL, NULL, 0), PS_OK);
        free(w);
    }
    ps_image_free(&src);
}
END_TEST

START_TEST(dct_scaling_gives_the_working_copy)
{
    ps_image *src = fx_corners(4000, 3000, 200);
    size_t n;
    uint8_t *j = fx_jpeg(src, 80, 0, 0, 0, &n);
    ps_decode_opts o;
    ps_decoded *d;
    ps_decode_opts_default(&o);
    o.work_long_side = 1024;
    d = decode_ok(j, n, &o);
    ck_assert_int_eq(d->width, 4000);
    ck_assert_int_eq(d->work->width, 1000); /* 1/4 DCT scale, no resampling */
    ck_assert_ptr_null(d->full);
    ck_assert_int_eq(dominant(d->work, 10, 10), 0);
    ps_decoded_free(&d);
    o.want_full = 1;
    d = decode_ok(j, n, &o);
    ck_assert_int_eq(d->full->width, 4000);
    ck_assert_int_eq(d->work->width, 1024);
    ck_assert_int_eq(d->work->height, 768);
    ps_decoded_free(&d);
    free(j);
    ps_image_free(&src);
}
END_TEST

START_TEST(truncated_files_fail_cleanly)
{
    ps_image *src = fx_corners(200, 150, 20);
    size_t n, pn;
    uint8_t *j = fx_jpeg(src, 90, 0, 0, 0, &n);
    uint8_t *p = fx_png(src, PNG_COLOR_TYPE_RGB, 8, 0, 0, &pn);
    char msg[200];
    /* every cut of the JPEG and PNG: an error or (rarely) OK, never a crash */
    for (size_t cut = 0; cut < n; cut += 7) {
        ps_decoded *d = NULL;
        ps_status st = ps_decode(j, cut, NULL, &d, msg, sizeof msg);
        if (cut > 0 && cut < n - 2)
            ck_assert_msg(st != PS_OK, "JPEG cut at %zu decoded", cut);
        ps_decoded_free(&d);
    }
    for (size_t cut = 0; cut < pn - 12; cut += 5) {
        ps_decoded *d = NULL;
        ck_assert_int_ne(ps_decode(p, cut, NULL, &d, msg, sizeof msg), PS_OK);
        ps_decoded_free(&d);
    }
    ck_assert_int_eq(decode_err(j, n / 2, NULL, msg, sizeof msg), PS_E_TRUNCATED);
    ck_assert_ptr_nonnull(strstr(msg, "JPEG"));
    ck_assert_int_eq(decode_err(p, pn / 2, NULL, msg, sizeof msg), PS_E_TRUNCATED);
    /* a corrupt PNG: flip bytes inside IDAT */
    p[pn / 2] ^= 0xff;
    p[pn / 2 + 1] ^= 0xff;
    ck_assert_int_eq(decode_err(p, pn, NULL, msg, sizeof msg), PS_E_CORRUPT);
    free(j);
    free(p);
    ps_image_free(&src);
}
END_TEST

START_TEST(empty_tiny_and_foreign_files)
{
    char msg[200];
    ck_assert_int_eq(decode_err((const uint8_t *)"", 0, NULL, msg, sizeof msg), PS_E_EMPTY);
    ck_assert_int_eq(decode_err((const uint8_t *)"\xff", 1, NULL, msg, sizeof msg), PS_E_FORMAT);
    ck_assert_int_eq(decode_err((const uint8_t *)"hello world, not an image", 25, NULL, msg,
                                sizeof msg), PS_E_FORMAT);
    ck_assert_int_eq(decode_err((const uint8_t *)"%PDF-1.4\n%\xe2\xe3\n", 14, NULL, msg, sizeof msg),
                     PS_E_PDF);
    ck_assert_int_eq(decode_err((const uint8_t *)"GIF89a\1\0\1\0", 10, NULL, msg, sizeof msg),
                     PS_E_UNSUPPORTED);
    ck_assert_int_eq(decode_err((const uint8_t *)"\xff\xd8\xff", 3, NULL, msg, sizeof msg),
                     PS_E_TRUNCATED);
    /* RIFF size 4 cannot hold a WEBP chunk: malformed, not short */
    ck_assert_int_eq(decode_err((const uint8_t *)"RIFF\4\0\0\0WEBPVP8 ", 16, NULL, msg, sizeof msg),
                     PS_E_CORRUPT);
}
END_TEST

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

/* A one-page PDF of `objects` (numbered from 1; object 1 the catalog),
 * with a correct cross-reference table and `trailer_extra` in its trailer.
 * Returns malloc'd bytes. */
static uint8_t *pdf_of(const char *const *objects, int n, const char *trailer_extra, size_t *len)
{
    size_t cap = 4096, at = 0;
    long offs[8];
    char *b = malloc(cap);
    ck_assert_ptr_nonnull(b);
    ck_assert_int_le(n, 8);
    at += (size_t)snprintf(b + at, cap - at, "%%PDF-1.4\n");
    for (int i = 0; i < n; i++) {
        offs[i] = (long)at;
        at += (size_t)snprintf(b + at, cap - at, "%d 0 obj\n%s\nendobj\n", i + 1, objects[i]);
    }
    long xref = (long)at;
    at += (size_t)snprintf(b + at, cap - at, "xref\n0 %d\n0000000000 65535 f \n", n + 1);
    for (int i = 0; i < n; i++)
        at += (size_t)snprintf(b + at, cap - at, "%010ld 00000 n \n", offs[i]);
    at += (size_t)snprintf(b + at, cap - at,
                           "trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%ld\n%%%%EOF\n",
                           n + 1, trailer_extra, xref);
    ck_assert_uint_lt(at, cap);
    *len = at;
    return (uint8_t *)b;
}

/* A PDF is refused unless rendering is asked for (address proofs): then
 * its first page comes back upright on white, 2400 px on its long side,
 * and a locked or damaged PDF is a clear error. */
START_TEST(pdf_first_page_rendered_on_request)
{
    char msg[200];
    size_t n;
    char *path = ps_test_src_path("testdata/corpus/000006_address_proof_pdf.pdf");
    uint8_t *b = ps_test_read_file(path, &n);
    ck_assert_ptr_nonnull(b);
    ck_assert_int_eq(decode_err(b, n, NULL, msg, sizeof msg), PS_E_PDF);

    ps_decode_opts o;
    ps_decode_opts_default(&o);
    o.render_pdf = 1;
    o.want_full = 1;
    ps_decoded *d = decode_ok(b, n, &o);
    ck_assert_int_eq(d->format, PS_FMT_PDF);
    /* an A4 page, portrait: 1754 x 1240 */
    ck_assert_int_eq(d->height, 1754);
    ck_assert_int_ge(d->width, 1238);
    ck_assert_int_le(d->width, 1242);
    ck_assert_int_eq(d->full->width, d->width);
    ck_assert_int_le(d->work->height, 1100);
    /* paper at the corner, printed text in the page (dark pixels) */
    int r, g, bl, dark = 0;
    px(d->full, 2, 2, &r, &g, &bl);
    ck_assert_int_ge(r + g + bl, 3 * 230);
    for (int y = 0; y < d->full->height; y += 3)
        for (int x = 0; x < d->full->width; x += 3) {
            px(d->full, x, y, &r, &g, &bl);
            dark += r + g + bl < 3 * 80;
        }
    ck_assert_int_gt(dark, 1000);
    ps_decoded_free(&d);
    free(b);
    free(path);

    /* the standard security handler with a user password: locked */
    const char *locked[] = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        "<< /Filter /Standard /V 1 /R 2 /P -4"
        " /O <1111111111111111111111111111111111111111111111111111111111111111>"
        " /U <2222222222222222222222222222222222222222222222222222222222222222> >>",
    };
    b = pdf_of(locked, 4,
               "/Encrypt 4 0 R /ID [<00112233445566778899aabbccddeeff>"
               "<00112233445566778899aabbccddeeff>]",
               &n);
    ck_assert_int_eq(decode_err(b, n, &o, msg, sizeof msg), PS_E_UNSUPPORTED);
    ck_assert_ptr_nonnull(strstr(msg, "password"));
    free(b);
    /* a page of impossible size, and no PDF body at all */
    const char *huge[] = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 90000 200] >>",
    };
    b = pdf_of(huge, 3, "", &n);
    ck_assert_int_eq(decode_err(b, n, &o, msg, sizeof msg), PS_E_DIMENSIONS);
    free(b);
    ck_assert_int_eq(decode_err((const uint8_t *)"%PDF-1.4\n%\xe2\xe3\n", 14, &o, msg, sizeof msg),
                     PS_E_CORRUPT);
    ck_assert_ptr_nonnull(strstr(msg, "PDF"));
}
END_TEST

/* A page whose image declares 20000 x 20000 grey pixels in about 400 KB of
 * deflate: poppler alone held 1.6 GB to draw it. It is drawn in a child
 * process under the decoder's memory budget, where the image cannot be
 * had: the page is refused, or comes back without it (white where the
 * image would be grey); the caller's process is untouched. (Not under the
 * sanitizers, which cannot cap a process's address space.) */
START_TEST(pdf_image_bomb_is_refused)
{
#if defined(__SANITIZE_ADDRESS__)
    return;
#else
    enum { side = 20000 };
    z_stream z;
    memset(&z, 0, sizeof z);
    ck_assert_int_eq(deflateInit(&z, 1), Z_OK);
    size_t cap = 4u << 20, n;
    uint8_t *img = malloc(cap), *row = malloc(side);
    ck_assert_ptr_nonnull(img);
    ck_assert_ptr_nonnull(row);
    memset(row, 0x80, side);
    z.next_out = img;
    z.avail_out = (uInt)cap;
    for (int y = 0; y < side; y++) {
        z.next_in = row;
        z.avail_in = side;
        ck_assert_int_eq(deflate(&z, y + 1 == side ? Z_FINISH : Z_NO_FLUSH),
                         y + 1 == side ? Z_STREAM_END : Z_OK);
    }
    n = cap - z.avail_out;
    deflateEnd(&z);
    free(row);

    char head[512];
    const char *content = "q 595 0 0 842 0 0 cm /Im1 Do Q";
    size_t total = n + 4096, at = 0;
    uint8_t *b = malloc(total);
    ck_assert_ptr_nonnull(b);
    /* no cross-reference table: poppler rebuilds it, as for a damaged file */
    at += (size_t)snprintf((char *)b, total,
                           "%%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
                           "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
                           "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                           "/Contents 4 0 R /Resources << /XObject << /Im1 5 0 R >> >> >>\nendobj\n"
                           "4 0 obj\n<< /Length %zu >>\nstream\n%s\nendstream\nendobj\n",
                           strlen(content), content);
    snprintf(head, sizeof head,
             "5 0 obj\n<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace "
             "/DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /Length %zu >>\nstream\n",
             side, side, n);
    memcpy(b + at, head, strlen(head));
    at += strlen(head);
    memcpy(b + at, img, n);
    at += n;
    at += (size_t)snprintf((char *)b + at, total - at,
                           "\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%%%EOF\n");
    free(img);

    char msg[200];
    ps_decode_opts o;
    ps_decode_opts_default(&o);
    o.render_pdf = 1;
    o.want_full = 1;
    ps_decoded *d = NULL;
    ps_status st = ps_decode(b, at, &o, &d, msg, sizeof msg);
    if (st == PS_OK) {
        int r, g, bl;
        px(d->full, d->full->width / 2, d->full->height / 2, &r, &g, &bl);
        ck_assert_msg(r > 240 && g > 240 && bl > 240, "the image was drawn (%d %d %d)", r, g, bl);
        ps_decoded_free(&d);
    } else {
        ck_assert_int_eq(st, PS_E_MEMORY_LIMIT);
        ck_assert_ptr_nonnull(strstr(msg, "memory limit"));
    }
    free(b);
#endif
}
END_TEST

START_TEST(bombs_are_refused_before_allocating)
{
    size_t n;
    char msg[200];
    uint8_t *p = fx_png_header_only(40000, 40000, &n);
    ps_image *src = fx_corners(64, 64, 8);
    uint8_t *j = fx_jpeg(src, 90, 0, 0, 0, &n);
    double t0 = seconds();
    ck_assert_int_eq(decode_err(p, n, NULL, msg, sizeof msg), PS_E_DIMENSIONS);
    ck_assert_ptr_nonnull(strstr(msg, "limit"));
    /* patch the JPEG's SOF0 to claim 60000 x 60000 */
    for (size_t i = 2; i + 8 < n; i++)
        if (j[i] == 0xFF && j[i + 1] == 0xC0) {
            j[i + 5] = 60000 >> 8; j[i + 6] = 60000 & 0xff;
            j[i + 7] = 60000 >> 8; j[i + 8] = 60000 & 0xff;
            break;
        }
    ck_assert_int_eq(decode_err(j, n, NULL, msg, sizeof msg), PS_E_DIMENSIONS);
    /* these are behaviour checks (refused from the header), not timing: a
     * decoder that allocated 10 GB would not return at all on this machine */
    ck_assert(seconds() - t0 < 5.0);
    free(p);
    free(j);
    ps_image_free(&src);
}
END_TEST

START_TEST(limits_are_configurable)
{
    ps_image *src = fx_corners(300, 200, 10);
    size_t n;
    uint8_t *j = fx_jpeg(src, 90, 0, 0, 0, &n);
    ps_decode_opts o;
    char msg[200];
    ps_decode_opts_default(&o);
    o.limits.max_bytes = n - 1;
    ck_assert_int_eq(decode_err(j, n, &o, msg, sizeof msg), PS_E_TOO_LARGE);
    ps_decode_opts_default(&o);
    o.limits.max_width = 299;
    ck_assert_int_eq(decode_err(j, n, &o, msg, sizeof msg), PS_E_DIMENSIONS);
    ps_decode_opts_default(&o);
    o.limits.max_pixels = 300 * 200 - 1;
    ck_assert_int_eq(decode_err(j, n, &o, msg, sizeof msg), PS_E_DIMENSIONS);
    ps_decode_opts_default(&o);
    o.limits.max_memory = 300 * 200;
    ck_assert_int_eq(decode_err(j, n, &o, msg, sizeof msg), PS_E_MEMORY_LIMIT);
    free(j);
    ps_image_free(&src);
}
END_TEST

START_TEST(encoder_writes_no_metadata)
{
    ps_image *src = stored_for(6);
    size_t n, en;
    uint8_t *j = fx_jpeg(src, 90, 6, 0, 0, &n), *enc = NULL;
    ps_decoded *d = decode_ok(j, n, NULL);
    ck_assert_ptr_nonnull(memmem(j, n, "Exif", 4));
    ck_assert_int_eq(ps_encode_jpeg(d->work, 90, &enc, &en), PS_OK);
    ck_assert_ptr_null(memmem(enc, en, "Exif", 4));
    for (size_t i = 2; i + 1 < en; i++)
        ck_assert_msg(!(enc[i] == 0xFF && enc[i + 1] == 0xE1), "APP1 segment in stored JPEG");
    free(enc);
    ps_decoded_free(&d);
    free(j);
    ps_image_free(&src);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("decode");
    TCase *tc = tcase_create("decode");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, sniff_by_magic_not_name);
    tcase_add_loop_test(tc, jpeg_exif_orientation_is_applied, 1, 9);
    tcase_add_test(tc, png_exif_orientation_is_applied);
    tcase_add_loop_test(tc, png_every_colour_type, 0,
                        (int)(sizeof png_cases / sizeof png_cases[0]));
    tcase_add_test(tc, cmyk_and_progressive_jpeg);
    tcase_add_test(tc, webp_and_heic);
    tcase_add_test(tc, dct_scaling_gives_the_working_copy);
    tcase_add_test(tc, truncated_files_fail_cleanly);
    tcase_add_test(tc, empty_tiny_and_foreign_files);
    tcase_add_test(tc, pdf_first_page_rendered_on_request);
    tcase_add_test(tc, pdf_image_bomb_is_refused);
    tcase_add_test(tc, bombs_are_refused_before_allocating);
    tcase_add_test(tc, limits_are_configurable);
    tcase_add_test(tc, encoder_writes_no_metadata);
    suite_add_tcase(s, tc);
    return ps_test_run(s);
}
