/* Writes the seed corpora of the fuzz targets (testdata/fuzz/<target>/):
 * small valid inputs of every shape each parser accepts, so libFuzzer
 * starts from deep coverage. Deterministic: the same bytes on every run
 * (the encoders are given fixed pictures; no time or randomness).
 * Usage: ps_make_fuzz_seeds SOURCE_DIR   (writes under SOURCE_DIR/testdata/fuzz)
 * The outputs are checked in; the tests only read them. */
#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <webp/encode.h>

#include "fixtures.h"
#include "prescreen/decode.h"

/* Long side of the pictures fed to the whole pipeline (fuzz_check caps
 * images at 320 px). */
#define CHECK_SIDE 300

static char g_root[4096];

static void put(const char *target, const char *name, const void *data, size_t len)
{
    char path[4400];
    FILE *f;
    snprintf(path, sizeof path, "%s/%s", g_root, target);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/%s/%s", g_root, target, name);
    f = fopen(path, "wb");
    if (f == NULL || (len && fwrite(data, 1, len, f) != len) || fclose(f) != 0) {
        fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
        exit(1);
    }
}

static void put_str(const char *target, const char *name, const char *s)
{
    put(target, name, s, strlen(s));
}

/* put() and free() */
static void put_owned(const char *target, const char *name, uint8_t *data, size_t len)
{
    if (data == NULL) {
        fprintf(stderr, "%s/%s: encoder failed\n", target, name);
        exit(1);
    }
    put(target, name, data, len);
    free(data);
}

/* Encodes first, then writes: `n` is set by the encoder call, and C leaves
 * the order of a call's argument evaluation unspecified. */
#define PUT_ENC(target, name, expr)                                            \
    do {                                                                       \
        uint8_t *enc_ = (expr);                                                \
        put_owned((target), (name), enc_, n);                                  \
    } while (0)

/* A gradient with some structure, so every encoder emits real entropy data. */
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

static void jpeg_seeds(void)
{
    ps_image *img = picture(48, 32);
    size_t n;
    uint8_t *b;
    PUT_ENC("decode_jpeg", "baseline444.jpg", fx_jpeg(img, 80, 0, 0, 0, &n));
    PUT_ENC("decode_jpeg", "progressive.jpg", fx_jpeg(img, 80, 0, 1, 0, &n));
    PUT_ENC("decode_jpeg", "cmyk.jpg", fx_jpeg(img, 80, 0, 0, 1, &n));
    PUT_ENC("decode_jpeg", "exif_orient6.jpg", fx_jpeg(img, 80, 6, 0, 0, &n));
    PUT_ENC("decode_jpeg", "progressive_exif3.jpg", fx_jpeg(img, 60, 3, 1, 0, &n));
    if (ps_encode_jpeg(img, 75, &b, &n) != PS_OK)
        exit(1);
    put_owned("decode_jpeg", "baseline420.jpg", b, n);
    {
        ps_image *g = NULL;
        ps_image_to_gray(img, &g);
        if (ps_encode_jpeg(g, 75, &b, &n) != PS_OK)
            exit(1);
        put_owned("decode_jpeg", "gray.jpg", b, n);
        ps_image_free(&g);
    }
    ps_image_free(&img);
    img = picture(17, 9); /* sizes that are not a multiple of the MCU */
    PUT_ENC("decode_jpeg", "odd_size.jpg", fx_jpeg(img, 90, 0, 0, 0, &n));
    ps_image_free(&img);
}

static void png_seeds(void)
{
    static const struct { int type, depth, interlace, orient; const char *name; } v[] = {
        {PNG_COLOR_TYPE_RGB, 8, 0, 0, "rgb8.png"},
        {PNG_COLOR_TYPE_RGB, 16, 0, 0, "rgb16.png"},
        {PNG_COLOR_TYPE_RGB_ALPHA, 8, 0, 0, "rgba8.png"},
        {PNG_COLOR_TYPE_GRAY, 1, 0, 0, "gray1.png"},
        {PNG_COLOR_TYPE_GRAY, 4, 0, 0, "gray4.png"},
        {PNG_COLOR_TYPE_GRAY, 16, 0, 0, "gray16.png"},
        {PNG_COLOR_TYPE_GRAY_ALPHA, 8, 0, 0, "graya8.png"},
        {PNG_COLOR_TYPE_PALETTE, 8, 0, 0, "palette8.png"},
        {PNG_COLOR_TYPE_PALETTE, 2, 0, 0, "palette2.png"},
        {PNG_COLOR_TYPE_RGB, 8, 1, 0, "rgb8_interlaced.png"},
        {PNG_COLOR_TYPE_RGB, 8, 0, 6, "rgb8_exif6.png"},
    };
    ps_image *img = picture(24, 16);
    size_t n;
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        PUT_ENC("decode_png", v[i].name, fx_png(img, v[i].type, v[i].depth, v[i].interlace, v[i].orient, &n));
    ps_image_free(&img);
}

static void webp_seeds(void)
{
    ps_image *img = picture(32, 24);
    size_t n;
    uint8_t *out = NULL;
    PUT_ENC("decode_webp", "lossy.webp", fx_webp(img, &n));
    n = WebPEncodeLosslessRGB(img->data, img->width, img->height, (int)img->stride, &out);
    if (n == 0)
        exit(1);
    put("decode_webp", "lossless.webp", out, n);
    WebPFree(out);
    ps_image_free(&img);
}

static void heic_seeds(void)
{
    ps_image *img = picture(64, 48);
    size_t n = 0;
    uint8_t *b = fx_heic(img, &n);
    if (b == NULL || n == 0)
        fprintf(stderr, "no HEVC encoder: decode_heic gets no HEIC seed\n");
    else
        put_owned("decode_heic", "small.heic", b, n);
    ps_image_free(&img);
}

/* A TIFF block: header, IFD0 with `n` entries written by the caller. */
static size_t tiff(uint8_t *b, int big, uint32_t ifd0)
{
    if (big) {
        memcpy(b, "MM\0*", 4);
        b[4] = (uint8_t)(ifd0 >> 24); b[5] = (uint8_t)(ifd0 >> 16);
        b[6] = (uint8_t)(ifd0 >> 8); b[7] = (uint8_t)ifd0;
    } else {
        memcpy(b, "II*\0", 4);
        b[4] = (uint8_t)ifd0; b[5] = (uint8_t)(ifd0 >> 8);
        b[6] = (uint8_t)(ifd0 >> 16); b[7] = (uint8_t)(ifd0 >> 24);
    }
    return 8;
}

static void le16(uint8_t *p, unsigned v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void le32(uint8_t *p, uint32_t v) { le16(p, v & 0xffff); le16(p + 2, v >> 16); }

/* IFD entry (little-endian): tag, type, count, value/offset. */
static void entry(uint8_t *p, unsigned tag, unsigned type, uint32_t count, uint32_t value)
{
    le16(p, tag); le16(p + 2, type); le32(p + 4, count); le32(p + 8, value);
}

static void exif_seeds(void)
{
    uint8_t b[256];
    size_t n;
    /* little-endian, orientation 6, then an Exif sub-IFD with a date */
    memset(b, 0, sizeof b);
    n = tiff(b, 0, 8);
    le16(b + n, 2); n += 2;
    entry(b + n, 0x0112, 3, 1, 6); n += 12;        /* Orientation SHORT 6 */
    entry(b + n, 0x8769, 4, 1, 8 + 2 + 24 + 4); n += 12; /* ExifIFD pointer */
    le32(b + n, 0); n += 4;                        /* no IFD1 */
    le16(b + n, 1); n += 2;
    entry(b + n, 0x9003, 2, 20, (uint32_t)(n + 12 + 4)); n += 12; /* DateTimeOriginal */
    le32(b + n, 0); n += 4;
    memcpy(b + n, "2024:01:02 03:04:05", 20); n += 20;
    put("exif", "le_orient6_subifd.tif", b, n);
    /* big-endian orientation 8 with the "Exif\0\0" prefix */
    memcpy(b, "Exif\0\0", 6);
    n = 6 + tiff(b + 6, 1, 8);
    b[n++] = 0; b[n++] = 1;
    b[n++] = 0x01; b[n++] = 0x12; b[n++] = 0; b[n++] = 3;
    b[n++] = 0; b[n++] = 0; b[n++] = 0; b[n++] = 1;
    b[n++] = 0; b[n++] = 8; b[n++] = 0; b[n++] = 0;
    b[n++] = 0; b[n++] = 0; b[n++] = 0; b[n++] = 0;
    put("exif", "be_orient8_prefixed.tif", b, n);
    /* IFD0 whose next-IFD pointer points back at itself: a loop */
    memset(b, 0, sizeof b);
    n = tiff(b, 0, 8);
    le16(b + n, 1); n += 2;
    entry(b + n, 0x0112, 3, 1, 3); n += 12;
    le32(b + n, 8); n += 4;
    put("exif", "ifd_loop.tif", b, n);
    /* an entry whose data offset is far outside the block */
    memset(b, 0, sizeof b);
    n = tiff(b, 0, 8);
    le16(b + n, 2); n += 2;
    entry(b + n, 0x010f, 2, 64, 0x7ffffff0u); n += 12; /* Make, out of range */
    entry(b + n, 0x0112, 3, 1, 5); n += 12;
    le32(b + n, 0xfffffff0u); n += 4;
    put("exif", "offset_out_of_range.tif", b, n);
}

/* The shared corpus pictures scaled down to CHECK_SIDE, re-encoded, with
 * the control byte of fuzz_check (kind | side << 3) in front. */
static void check_seed(const char *src, int kind, int side, const char *name)
{
    char path[4400];
    FILE *f;
    long len;
    uint8_t *buf, *jpg = NULL, *out;
    size_t jn;
    ps_decode_opts o;
    ps_decoded *d = NULL;
    snprintf(path, sizeof path, "%s/../corpus/%s", g_root, src);
    f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(1);
    }
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)len);
    if (fread(buf, 1, (size_t)len, f) != (size_t)len)
        exit(1);
    fclose(f);
    ps_decode_opts_default(&o);
    o.work_long_side = CHECK_SIDE;
    if (ps_decode(buf, (size_t)len, &o, &d, NULL, 0) != PS_OK ||
        ps_encode_jpeg(d->work, 70, &jpg, &jn) != PS_OK)
        exit(1);
    out = malloc(jn + 1);
    out[0] = (uint8_t)(kind | side << 3);
    memcpy(out + 1, jpg, jn);
    put_owned("check", name, out, jn + 1);
    free(jpg);
    free(buf);
    ps_decoded_free(&d);
}

static void check_seeds(void)
{
    static const char pdf[] = "\x02%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
    ps_image *img = picture(40, 30);
    size_t n;
    uint8_t *b, *c;
    /* kinds: 0 photo_id, 1 selfie, 2 address_proof, 3 credit_card, 4 other */
    check_seed("000000_selfie_clean.jpg", 1, 0, "selfie.bin");
    check_seed("000000_photo_id_clean.jpg", 0, 1, "photo_id_front.bin");
    check_seed("000000_credit_card_clean.jpg", 3, 1, "credit_card_front.bin");
    check_seed("000001_credit_card_clean.jpg", 3, 2, "credit_card_back.bin");
    check_seed("000000_address_proof_clean.jpg", 2, 0, "address_proof.bin");
    put("check", "address_proof_pdf.bin", pdf, sizeof pdf - 1);
    b = fx_png(img, PNG_COLOR_TYPE_RGB, 8, 0, 6, &n);
    c = malloc(n + 1);
    c[0] = 4;
    memcpy(c + 1, b, n);
    put_owned("check", "other_png_exif.bin", c, n + 1);
    free(b);
    ps_image_free(&img);
}

static void json_seeds(void)
{
    put_str("json", "applicant.json",
            "{\"id\":\"A-1001\",\"name\":\"山田 太郎\",\"name_kana\":\"ヤマダ タロウ\","
            "\"name_latin\":\"TARO YAMADA\",\"birth_date\":\"1990-04-01\","
            "\"address\":\"東京都千代田区千代田1-1-1\",\"card_deposit\":true}");
    put_str("json", "applicant_min.json", "{\"id\":\"B-7\"}");
    put_str("json", "applicant_escapes.json",
            "{\"id\":\"C\\u0031\",\"name\":\"\\u5c71\\u7530\",\"card_deposit\":false,"
            "\"birth_date\":\"2000-02-29\"}");
    put_str("json", "policy.json",
            "{\"_comment\":\"x\",\"blur_threshold\":120.5,\"dark_mean\":0.2,\"dark_p95\":0.4,"
            "\"min_short_side\":600,\"face_min_score\":0.6,\"residence_cert_max_days\":180,"
            "\"postmark_max_days\":90,\"pan_keep_last\":4,\"max_glare\":0.05}");
    put_str("json", "nested.json", "[[[[{\"a\":[1,2.5e3,-0,true,null,\"\\ud83d\\ude00\"]}]]]]");
}

static void date_seeds(void)
{
    static const char *d[] = {
        "平成2年4月1日", "令和9年05月01日まで有効", "H2.4.1", "㍻2年4月1日", "2026/11/22",
        "2026年11月22日", "20261122", "22.11.2026", "01 JAN 2030", "JAN 01 2030",
        "01 1月/JAN 2030", "7.8.9", "生年月日 昭和60年(1985年)12月31日生",
        "平成33年1月1日", "令和1年4月1日", "2025-02-29", "交付 令和元年5月1日 12345",
        "有効期限 2031年(令和13年)01月02日", "S60.12.31 H1.1.8 R1.5.1",
    };
    char name[32];
    for (size_t i = 0; i < sizeof d / sizeof d[0]; i++) {
        snprintf(name, sizeof name, "date%02zu.txt", i);
        put_str("date", name, d[i]);
    }
    put("date", "mrz_birth.txt", "900401", 6);
    put("date", "mrz_expiry.txt", "3O05O1\x01", 7);
}

static const char k_body[] =
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"kind\"\r\n\r\n"
    "selfie\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"applicant_id\"\r\n\r\n"
    "A-1001\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n"
    "Content-Type: image/jpeg\r\n\r\n"
    "\xff\xd8\xff\xe0 not really a jpeg\r\n"
    "--XyZ--\r\n";

static void multipart_seeds(void)
{
    char buf[2048];
    snprintf(buf, sizeof buf, "multipart/form-data; boundary=XyZ\n%s", k_body);
    put_str("multipart", "upload.txt", buf);
    snprintf(buf, sizeof buf,
             "multipart/form-data; boundary=\"q u o t e d\"\n"
             "preamble\r\n--q u o t e d\r\nContent-Disposition: form-data; name=side\r\n\r\n"
             "front\r\n--q u o t e d--\r\nepilogue");
    put_str("multipart", "quoted_boundary.txt", buf);
    put_str("multipart", "not_multipart.txt", "application/json\n{}");
}

/* A request with a body: the Content-Length counts the body as the target
 * sends it, after @CSRF@ (6 bytes) becomes the 64-hex-digit token. */
static void http_body(const char *name, const char *head, const char *body)
{
    char buf[4096];
    size_t len = strlen(body);
    for (const char *p = strstr(body, "@CSRF@"); p; p = strstr(p + 1, "@CSRF@"))
        len += 64 - 6;
    snprintf(buf, sizeof buf, "%sContent-Length: %zu\r\n\r\n%s", head, len, body);
    put_str("http", name, buf);
}

static void http_seeds(void)
{
    put_str("http", "healthz.txt", "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    put_str("http", "static.txt", "GET /static/style.css HTTP/1.1\r\nHost: x\r\n\r\n");
    put_str("http", "login_page.txt", "GET /login HTTP/1.1\r\nHost: x\r\n\r\n");
    http_body("login_post.txt",
              "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n",
              "csrf=00&name=fuzz&password=wrong+password");
    put_str("http", "queue.txt", "GET / HTTP/1.1\r\nHost: x\r\nCookie: ps_session=@SESSION@\r\n\r\n");
    put_str("http", "applicant_page.txt",
            "GET /applicants/A-1001 HTTP/1.1\r\nHost: x\r\nCookie: ps_session=@SESSION@\r\n\r\n");
    put_str("http", "upload_page.txt",
            "GET /uploads/1 HTTP/1.1\r\nHost: x\r\nCookie: ps_session=@SESSION@\r\n\r\n");
    put_str("http", "upload_image.txt",
            "GET /uploads/1/image HTTP/1.1\r\nHost: x\r\nCookie: ps_session=@SESSION@\r\n\r\n");
    http_body("decision.txt",
              "POST /applicants/A-1001/decision HTTP/1.1\r\nHost: x\r\n"
              "Cookie: ps_session=@SESSION@\r\nOrigin: http://x\r\n"
              "Content-Type: application/x-www-form-urlencoded\r\n",
              "csrf=@CSRF@&kind=selfie&decision=rejected&preset=finger_over_document");
    http_body("put_applicant.txt",
              "PUT /api/applicants/A-1001 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer @TOKEN@\r\n"
              "Content-Type: application/json\r\n",
              "{\"name\":\"山田 太郎\",\"birth_date\":\"1990-04-01\",\"card_deposit\":true}");
    put_str("http", "get_applicant.txt",
            "GET /api/applicants/A-1001 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer @TOKEN@\r\n\r\n");
    put_str("http", "get_job.txt",
            "GET /api/jobs/1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer @TOKEN@\r\n\r\n");
    http_body("upload.txt",
              "POST /api/uploads HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer @TOKEN@\r\n"
              "Content-Type: multipart/form-data; boundary=XyZ\r\n",
              k_body);
    put_str("http", "chunked.txt",
            "PUT /api/applicants/B-2 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer @TOKEN@\r\n"
            "Transfer-Encoding: chunked\r\n\r\n6\r\n{\"id\":\r\n6\r\n\"B-2\"}\r\n0\r\n\r\n");
    put_str("http", "http10.txt", "GET /healthz HTTP/1.0\r\n\r\n");
    http_body("logout.txt",
              "POST /logout HTTP/1.1\r\nHost: x\r\nCookie: ps_session=@SESSION@\r\n"
              "Content-Type: application/x-www-form-urlencoded\r\n",
              "csrf=@CSRF@");
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s SOURCE_DIR\n", argv[0]);
        return 2;
    }
    snprintf(g_root, sizeof g_root, "%s/testdata/fuzz", argv[1]);
    mkdir(g_root, 0755);
    jpeg_seeds();
    png_seeds();
    webp_seeds();
    heic_seeds();
    exif_seeds();
    check_seeds();
    json_seeds();
    date_seeds();
    multipart_seeds();
    http_seeds();
    return 0;
}
