/* The 64-bit difference hash (see include/prescreen/phash.h). */
#include "prescreen/phash.h"

#include <stddef.h>

/* dHash grid: 9 columns give 8 left/right comparisons per row, 8 rows. */
#define PS_DHASH_COLS 9
#define PS_DHASH_ROWS 8

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

ps_status ps_phash_image(const ps_image *img, uint64_t *out)
{
    double cells[PS_DHASH_ROWS][PS_DHASH_COLS];
    uint64_t h = 0;

    if (out == NULL)
        return PS_E_ARG;
    *out = 0;
    if (img == NULL || img->data == NULL || img->width < 1 || img->height < 1 ||
        (img->channels != 1 && img->channels != 3))
        return PS_E_ARG;
    for (int r = 0; r < PS_DHASH_ROWS; r++) {
        /* Cell edges by proportional split; a cell keeps at least one pixel
         * so images smaller than the grid still hash (by repeating pixels). */
        int y0 = (int)((int64_t)r * img->height / PS_DHASH_ROWS);
        int y1 = (int)((int64_t)(r + 1) * img->height / PS_DHASH_ROWS);
        if (y1 <= y0)
            y1 = y0 + 1;
        for (int c = 0; c < PS_DHASH_COLS; c++) {
            int x0 = (int)((int64_t)c * img->width / PS_DHASH_COLS);
            int x1 = (int)((int64_t)(c + 1) * img->width / PS_DHASH_COLS);
            if (x1 <= x0)
                x1 = x0 + 1;
            if (x0 >= img->width)
                x0 = img->width - 1, x1 = img->width;
            if (y0 >= img->height)
                y0 = img->height - 1, y1 = img->height;
            cells[r][c] = cell_mean(img, x0, x1, y0, y1);
        }
    }
    for (int r = 0; r < PS_DHASH_ROWS; r++)
        for (int c = 0; c + 1 < PS_DHASH_COLS; c++)
            h = (h << 1) | (cells[r][c] > cells[r][c + 1] ? 1u : 0u);
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
