#include "prescreen/image.h"

#include <stdlib.h>
#include <string.h>

int ps_size_mul(uint64_t a, uint64_t b, uint64_t *out)
{
    if (a != 0 && b > UINT64_MAX / a)
        return 0;
    *out = a * b;
    return 1;
}

int ps_size_mul3(uint64_t a, uint64_t b, uint64_t c, uint64_t *out)
{
    uint64_t ab;
    return ps_size_mul(a, b, &ab) && ps_size_mul(ab, c, out);
}

ps_status ps_image_new(int width, int height, int channels, uint64_t max_bytes,
                       ps_image **out)
{
    ps_image *img = NULL;
    uint64_t bytes;

    if (out == NULL)
        return PS_E_ARG;
    *out = NULL;
    if (width <= 0 || height <= 0 || (channels != 1 && channels != 3))
        return PS_E_ARG;
    if (!ps_size_mul3((uint64_t)width, (uint64_t)height, (uint64_t)channels, &bytes) ||
        bytes > SIZE_MAX)
        return PS_E_MEMORY_LIMIT;
    if (max_bytes != 0 && bytes > max_bytes)
        return PS_E_MEMORY_LIMIT;

    img = calloc(1, sizeof *img);
    if (img == NULL)
        return PS_E_NOMEM;
    img->data = calloc(1, (size_t)bytes);
    if (img->data == NULL) {
        free(img);
        return PS_E_NOMEM;
    }
    img->width = width;
    img->height = height;
    img->channels = channels;
    img->stride = (size_t)width * (size_t)channels;
    *out = img;
    return PS_OK;
}

void ps_image_free(ps_image **img)
{
    if (img == NULL || *img == NULL)
        return;
    free((*img)->data);
    free(*img);
    *img = NULL;
}

ps_status ps_image_clone(const ps_image *src, ps_image **out)
{
    ps_status st;
    if (out == NULL)
        return PS_E_ARG;
    *out = NULL;
    if (src == NULL)
        return PS_E_ARG;
    st = ps_image_new(src->width, src->height, src->channels, 0, out);
    if (st != PS_OK)
        return st;
    for (int y = 0; y < src->height; y++)
        memcpy(ps_image_row(*out, y), ps_image_row(src, y), (*out)->stride);
    return PS_OK;
}

uint64_t ps_image_hist(const ps_image *img, ps_box zone, unsigned hist[256])
{
    uint64_t n = 0;
    memset(hist, 0, 256 * sizeof hist[0]);
    if (img == NULL)
        return 0;
    int x0 = zone.x < 0 ? 0 : zone.x, y0 = zone.y < 0 ? 0 : zone.y;
    int x1 = zone.x + zone.w > img->width ? img->width : zone.x + zone.w;
    int y1 = zone.y + zone.h > img->height ? img->height : zone.y + zone.h;
    for (int y = y0; y < y1; y++) {
        const uint8_t *row = ps_image_row(img, y);
        for (int x = x0; x < x1; x++, n++) {
            const uint8_t *p = row + (size_t)x * img->channels;
            /* BT.601 luma in 16.16 fixed point, as ps_image_to_gray */
            int v = img->channels == 3 ? (19595 * p[0] + 38470 * p[1] + 7471 * p[2] + 32768) >> 16
                                       : p[0];
            hist[v]++;
        }
    }
    return n;
}

int ps_image_light_text(const ps_image *img, ps_box zone)
{
    unsigned hist[256];
    uint64_t n = ps_image_hist(img, zone, hist);
    return ps_hist_light_tail(hist, n) > 0;
}

void ps_hist_levels(const unsigned hist[256], uint64_t n, int q[3])
{
    uint64_t acc = 0;
    q[0] = q[1] = q[2] = -1;
    for (int v = 0; v < 256; v++) {
        acc += hist[v];
        if (q[0] < 0 && acc * 20 >= n)
            q[0] = v;
        if (q[1] < 0 && acc * 2 >= n)
            q[1] = v;
        if (q[2] < 0 && acc * 20 >= n * 19)
            q[2] = v;
    }
}

int ps_hist_light_tail(const unsigned hist[256], uint64_t n)
{
    int q[3];
    if (n == 0)
        return 0;
    ps_hist_levels(hist, n, q);
    return (q[2] - q[1]) - (q[1] - q[0]);
}

ps_status ps_image_to_gray(const ps_image *src, ps_image **out)
{
    ps_status st;
    if (out == NULL)
        return PS_E_ARG;
    *out = NULL;
    if (src == NULL)
        return PS_E_ARG;
    st = ps_image_new(src->width, src->height, 1, 0, out);
    if (st != PS_OK)
        return st;
    for (int y = 0; y < src->height; y++) {
        const uint8_t *s = ps_image_row(src, y);
        uint8_t *d = ps_image_row(*out, y);
        if (src->channels == 1) {
            memcpy(d, s, (size_t)src->width);
            continue;
        }
        for (int x = 0; x < src->width; x++, s += 3)
            /* BT.601 luma in 16.16 fixed point: 0.299, 0.587, 0.114 */
            d[x] = (uint8_t)((19595u * s[0] + 38470u * s[1] + 7471u * s[2] + 32768u) >> 16);
    }
    return PS_OK;
}
