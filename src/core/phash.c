/* The 64-bit perceptual hash (see include/prescreen/phash.h). */
#include "prescreen/phash.h"

#include <math.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

/* The luma is area-averaged to a 32 x 32 grid before the DCT: enough to
 * keep the low frequencies, small enough to ignore noise and JPEG blocks. */
#define PS_PHASH_GRID 32
/* The hash keeps the 8 x 8 lowest frequencies of the DCT: 64 bits. */
#define PS_PHASH_KEEP 8

/* Mean luma (BT.601 weights, scaled by 1000) of the pixel rectangle
 * [x0,x1) x [y0,y1); the rectangle is never empty. */
static double cell_mean(const ps_image *img, int x0, int x1, int y0, int y1)
{
    double sum = 0;
    for (int y = y0; y < y1; y++) {
        const uint8_t *row = ps_image_row(img, y);
        for (int x = x0; x < x1; x++) {
            if (img->channels == 1) {
                sum += 1000.0 * row[x];
            } else {
                const uint8_t *p = row + (size_t)x * 3;
                sum += 299.0 * p[0] + 587.0 * p[1] + 114.0 * p[2];
            }
        }
    }
    return sum / ((double)(x1 - x0) * (double)(y1 - y0));
}

/* Cell edges [*a, *b) of cell i of n over `size` pixels: a proportional
 * split that keeps at least one pixel, so tiny images still hash. */
static void edges(int i, int n, int size, int *a, int *b)
{
    *a = (int)((int64_t)i * size / n);
    *b = (int)((int64_t)(i + 1) * size / n);
    if (*a >= size)
        *a = size - 1;
    if (*b <= *a)
        *b = *a + 1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

ps_status ps_phash_image(const ps_image *img, uint64_t *out)
{
    double g[PS_PHASH_GRID][PS_PHASH_GRID];
    double rows[PS_PHASH_GRID][PS_PHASH_KEEP]; /* DCT along x, low frequencies */
    double coef[PS_PHASH_KEEP * PS_PHASH_KEEP], sorted[PS_PHASH_KEEP * PS_PHASH_KEEP - 1];
    double median;
    uint64_t h = 0;
    const double pi = 3.14159265358979323846;

    if (out == NULL)
        return PS_E_ARG;
    *out = 0;
    if (img == NULL || img->data == NULL || img->width < 1 || img->height < 1 ||
        (img->channels != 1 && img->channels != 3))
        return PS_E_ARG;
    for (int r = 0; r < PS_PHASH_GRID; r++) {
        int y0, y1;
        edges(r, PS_PHASH_GRID, img->height, &y0, &y1);
        for (int c = 0; c < PS_PHASH_GRID; c++) {
            int x0, x1;
            edges(c, PS_PHASH_GRID, img->width, &x0, &x1);
            g[r][c] = cell_mean(img, x0, x1, y0, y1);
        }
    }
    /* Separable DCT-II, only the frequencies kept (scale factors do not
     * change the comparison with the median). */
    for (int r = 0; r < PS_PHASH_GRID; r++)
        for (int u = 0; u < PS_PHASH_KEEP; u++) {
            double s = 0;
            for (int x = 0; x < PS_PHASH_GRID; x++)
                s += g[r][x] * cos(pi * (2 * x + 1) * u / (2.0 * PS_PHASH_GRID));
            rows[r][u] = s;
        }
    for (int v = 0; v < PS_PHASH_KEEP; v++)
        for (int u = 0; u < PS_PHASH_KEEP; u++) {
            double s = 0;
            for (int y = 0; y < PS_PHASH_GRID; y++)
                s += rows[y][u] * cos(pi * (2 * y + 1) * v / (2.0 * PS_PHASH_GRID));
            coef[v * PS_PHASH_KEEP + u] = s;
        }
    /* The median of the 63 AC terms (the DC term is overall brightness). */
    memcpy(sorted, coef + 1, sizeof sorted);
    qsort(sorted, sizeof sorted / sizeof sorted[0], sizeof sorted[0], cmp_double);
    median = sorted[(sizeof sorted / sizeof sorted[0]) / 2];
    for (int i = 0; i < PS_PHASH_KEEP * PS_PHASH_KEEP; i++)
        h = (h << 1) | (coef[i] > median ? 1u : 0u);
    *out = h;
    return PS_OK;
}

int ps_phash_distance(uint64_t a, uint64_t b)
{
    uint64_t x = a ^ b;
    int n = 0;
    while (x) {
        x &= x - 1;
        n++;
    }
    return n;
}
