/* HEIC (and AVIF) through libheif: the only user of libheif. libheif applies
 * the container's irot/imir transforms itself, and by the HEIF rules those,
 * not the EXIF tag, say which way is up; EXIF orientation is only reported. */
#include <libheif/heif.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decoder.h"

/* Peak memory per pixel: YCbCr planes (1.5..3) + interleaved RGB (3) + our copy (3). */
#define PS_HEIC_BYTES_PER_PIXEL 9

static ps_status map_err(struct heif_error e)
{
    switch (e.code) {
    case heif_error_Ok: return PS_OK;
    case heif_error_Memory_allocation_error: return PS_E_MEMORY_LIMIT;
    case heif_error_Unsupported_filetype:
    case heif_error_Unsupported_feature: return PS_E_UNSUPPORTED;
    case heif_error_Invalid_input:
        return e.subcode == heif_suberror_End_of_data ? PS_E_TRUNCATED : PS_E_CORRUPT;
    case heif_error_Decoder_plugin_error: return PS_E_CORRUPT;
    default: return PS_E_CORRUPT;
    }
}

static int exif_from_handle(struct heif_image_handle *h)
{
    heif_item_id id;
    size_t size;
    uint8_t *data;
    int o = 1;
    if (heif_image_handle_get_list_of_metadata_block_IDs(h, "Exif", &id, 1) != 1)
        return 1;
    size = heif_image_handle_get_metadata_size(h, id);
    /* HEIF prefixes the TIFF block with a 4-byte offset; 1 MiB bounds a sane block. */
    if (size < 8 || size > (1u << 20))
        return 1;
    data = malloc(size);
    if (data == NULL)
        return 1;
    if (heif_image_handle_get_metadata(h, id, data).code == heif_error_Ok) {
        uint32_t off = ((uint32_t)data[0] << 24) | ((uint32_t)data[1] << 16) |
                       ((uint32_t)data[2] << 8) | data[3];
        if (off < size - 4)
            o = ps__exif_orientation(data + 4 + off, size - 4 - off, 0);
    }
    free(data);
    return o;
}

/* 1 when a top-level ISO-BMFF box runs past the end of the upload: the
 * file was cut (libheif reports most cuts as invalid input of some kind).
 * Box sizes: 32-bit, or 1 = a 64-bit size follows, or 0 = to the end. */
static int boxes_cut(const uint8_t *buf, size_t len)
{
    size_t off = 0;
    while (off < len) {
        uint64_t size;
        if (len - off < 8)
            return 1;
        size = (uint64_t)buf[off] << 24 | (uint64_t)buf[off + 1] << 16 |
               (uint64_t)buf[off + 2] << 8 | buf[off + 3];
        if (size == 1) {
            if (len - off < 16)
                return 1;
            size = 0;
            for (int i = 8; i < 16; i++)
                size = size << 8 | buf[off + (size_t)i];
        } else if (size == 0) {
            return 0;
        }
        if (size < 8)
            return 0; /* malformed, not cut: libheif's verdict stands */
        if (size > len - off)
            return 1;
        off += (size_t)size;
    }
    return 0;
}

ps_status ps__decode_heic(const uint8_t *buf, size_t len, const ps_limits *lim,
                          ps__frame *f, char *msg, size_t msglen)
{
    struct heif_context *ctx = NULL;
    struct heif_image_handle *h = NULL;
    struct heif_image *img = NULL;
    struct heif_error e;
    ps_status st = PS_OK;
    int w, hh, stride = 0;
    const uint8_t *plane;

    memset(f, 0, sizeof *f);
    ctx = heif_context_alloc();
    if (ctx == NULL)
        return PS_E_NOMEM;
    heif_context_set_maximum_image_size_limit(
        ctx, lim->max_width > lim->max_height ? lim->max_width : lim->max_height);
    e = heif_context_read_from_memory_without_copy(ctx, buf, len, NULL);
    if (e.code != heif_error_Ok) {
        st = map_err(e);
        if (e.subcode == heif_suberror_Security_limit_exceeded)
            st = PS_E_DIMENSIONS;
        ps__msg(msg, msglen, "HEIF container unreadable: %s", e.message);
        goto out;
    }
    e = heif_context_get_primary_image_handle(ctx, &h);
    if (e.code != heif_error_Ok) {
        st = map_err(e);
        ps__msg(msg, msglen, "HEIF has no primary image: %s", e.message);
        goto out;
    }
    w = heif_image_handle_get_width(h);
    hh = heif_image_handle_get_height(h);
    st = ps__check_dims(lim, (uint64_t)(w > 0 ? w : 0), (uint64_t)(hh > 0 ? hh : 0),
                        PS_HEIC_BYTES_PER_PIXEL, msg, msglen);
    if (st != PS_OK)
        goto out;
    e = heif_decode_image(h, &img, heif_colorspace_RGB, heif_chroma_interleaved_RGB, NULL);
    if (e.code != heif_error_Ok) {
        st = map_err(e);
        ps__msg(msg, msglen, "HEIF decode failed: %s", e.message);
        goto out;
    }
    w = heif_image_get_width(img, heif_channel_interleaved);
    hh = heif_image_get_height(img, heif_channel_interleaved);
    plane = heif_image_get_plane_readonly(img, heif_channel_interleaved, &stride);
    if (plane == NULL || w <= 0 || hh <= 0 || stride < w * 3) {
        st = PS_E_CORRUPT;
        ps__msg(msg, msglen, "HEIF decoder returned no RGB plane");
        goto out;
    }
    st = ps_image_new(w, hh, 3, 0, &f->img);
    if (st != PS_OK)
        goto out;
    for (int y = 0; y < hh; y++)
        memcpy(ps_image_row(f->img, y), plane + (size_t)y * (size_t)stride, (size_t)w * 3);
    f->stored_w = w;
    f->stored_h = hh;
    f->exif_orientation = exif_from_handle(h);
    f->orientation = 1; /* libheif already applied irot/imir */
out:
    if (st == PS_E_CORRUPT && boxes_cut(buf, len)) {
        ps__msg(msg, msglen, "HEIF data ends early");
        st = PS_E_TRUNCATED;
    }
    heif_image_release(img);
    heif_image_handle_release(h);
    heif_context_free(ctx);
    return st;
}
