/* The only user of libexif. */
#include <libexif/exif-data.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decoder.h"

/* EXIF blocks larger than this are not real camera metadata (a JPEG APP1
 * segment cannot exceed 64 KiB); refusing them bounds libexif's work. */
#define PS_EXIF_MAX_BLOCK (1u << 20)

int ps__exif_orientation(const uint8_t *data, size_t len, int is_jpeg)
{
    ExifData *ed = NULL;
    ExifEntry *e;
    uint8_t *tmp = NULL;
    int orientation = 1;

    if (data == NULL || len < 8)
        return 1;
    if (is_jpeg) {
        ed = exif_data_new_from_data(data, (unsigned int)(len > UINT32_MAX ? UINT32_MAX : len));
    } else {
        if (len > PS_EXIF_MAX_BLOCK)
            return 1;
        /* libexif wants the "Exif\0\0" header before a bare TIFF block. */
        if (memcmp(data, "Exif\0\0", 6) == 0) {
            ed = exif_data_new_from_data(data, (unsigned int)len);
        } else {
            tmp = malloc(len + 6);
            if (tmp == NULL)
                return 1;
            memcpy(tmp, "Exif\0\0", 6);
            memcpy(tmp + 6, data, len);
            ed = exif_data_new_from_data(tmp, (unsigned int)(len + 6));
        }
    }
    if (ed == NULL)
        goto done;
    e = exif_content_get_entry(ed->ifd[EXIF_IFD_0], EXIF_TAG_ORIENTATION);
    if (e != NULL && e->format == EXIF_FORMAT_SHORT && e->components >= 1 && e->size >= 2) {
        int v = exif_get_short(e->data, exif_data_get_byte_order(ed));
        if (v >= 1 && v <= 8)
            orientation = v;
    }
done:
    if (ed)
        exif_data_unref(ed);
    free(tmp);
    return orientation;
}
