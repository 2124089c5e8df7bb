/* Fuzz target: EXIF metadata. The input is an EXIF block (a TIFF header and
 * IFDs, with or without the "Exif\0\0" prefix). It is read twice:
 *  - alone, as the PNG eXIf / WebP EXIF / HEIF paths hand it over;
 *  - inside a real JPEG, as an APP1 segment after SOI, through the whole
 *    decode step, which must still decode the pixels whatever the EXIF
 *    says (loops, offsets out of range, absurd counts are ignored) and
 *    apply only a valid orientation.
 * Seeds: testdata/fuzz/exif/. */
#include <stdlib.h>
#include <string.h>

#include "decode/decoder.h"
#include "fuzz.h"

/* APP1 payload limit: a segment length is 16 bits and counts itself. */
#define APP1_MAX (65535 - 2)
/* The carrier image: 16x8 pixels, so the orientation visibly swaps axes. */
#define CARRIER_W 16
#define CARRIER_H 8

static uint8_t *g_jpeg;
static size_t g_jpeg_len;

static void make_carrier(void)
{
    ps_image *img = NULL;
    if (ps_image_new(CARRIER_W, CARRIER_H, 3, 0, &img) != PS_OK)
        abort();
    for (int y = 0; y < CARRIER_H; y++)
        memset(ps_image_row(img, y), 40 + 10 * y, (size_t)CARRIER_W * 3);
    if (ps_encode_jpeg(img, 90, &g_jpeg, &g_jpeg_len) != PS_OK)
        abort();
    ps_image_free(&img);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *jpeg;
    size_t n, pre, len;
    ps_decoded *d = NULL;
    char msg[256];
    ps_status st;
    int o;

    if (g_jpeg == NULL)
        make_carrier();
    o = ps__exif_orientation(data, size, 0);
    if (o < 1 || o > 8)
        abort();

    /* SOI, APP1 "Exif\0\0" + block (unless the block has the prefix), rest */
    pre = (size >= 6 && memcmp(data, "Exif\0\0", 6) == 0) ? 0 : 6;
    n = size > APP1_MAX - pre ? APP1_MAX - pre : size;
    len = g_jpeg_len + 4 + pre + n;
    jpeg = malloc(len);
    if (jpeg == NULL)
        return 0;
    memcpy(jpeg, g_jpeg, 2);
    jpeg[2] = 0xFF;
    jpeg[3] = 0xE1;
    jpeg[4] = (uint8_t)((2 + pre + n) >> 8);
    jpeg[5] = (uint8_t)(2 + pre + n);
    memcpy(jpeg + 6, "Exif\0\0", pre);
    if (n)
        memcpy(jpeg + 6 + pre, data, n);
    memcpy(jpeg + 6 + pre + n, g_jpeg + 2, g_jpeg_len - 2);
    st = ps_decode(jpeg, len, NULL, &d, msg, sizeof msg);
    /* the pixels are fine: no EXIF content may make the image undecodable */
    if (st != PS_OK || d == NULL)
        abort();
    ps_fuzz_check_decoded(st, d, msg, 0);
    if (d->exif_orientation >= 5 ? (d->width != CARRIER_H || d->height != CARRIER_W)
                                 : (d->width != CARRIER_W || d->height != CARRIER_H))
        abort();
    ps_decoded_free(&d);
    free(jpeg);
    return 0;
}
