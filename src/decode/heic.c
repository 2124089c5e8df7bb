/* HEIC (and AVIF) through libheif: the only user of libheif. libheif applies
 * the container's irot/imir transforms itself, and by the HEIF rules those,
 * not the EXIF tag, say which way is up; EXIF orientation is only reported. */
#include <libheif/heif.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decoder.h"

/* Peak memory per pixel: YCbCr planes (1.5..3) + interleaved RGB (3) + our copy (3). */
#define PS_HEIC_BYTES_PER_PIXEL 9
/* Item references examined for cycles: a phone's grid has ~50 tiles; a file
 * with more references than this is refused rather than walked. */
#define PS_HEIC_MAX_REFS 4096

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

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Finds the child box `type` in [off, end) of buf. Returns its payload
 * offset (after the 8-byte header) and sets *pend, or 0 when absent or the
 * boxes are malformed (libheif then says what is wrong). */
static size_t find_box(const uint8_t *buf, size_t off, size_t end, const char *type, size_t *pend)
{
    while (off + 8 <= end) {
        uint64_t size = be32(buf + off);
        if (size < 8 || size > end - off)
            return 0; /* 64-bit and to-the-end sizes are not used by meta boxes */
        if (memcmp(buf + off + 4, type, 4) == 0) {
            *pend = off + (size_t)size;
            return off + 8;
        }
        off += (size_t)size;
    }
    return 0;
}

/* 1 when the item reference graph that decoding follows has a cycle.
 * libheif 1.15 decodes a derived image ('dimg': grid, overlay, identity)
 * by decoding its inputs, and an image with an alpha or depth plane
 * ('auxl') by decoding that too, recursively and without a cycle check: a
 * 1-KB file whose grid lists itself as a tile made it recurse until the
 * stack overflowed (fuzz_decode_heic). Edges: dimg from -> to; auxl
 * to -> from. Sets *too_many when the file has more than PS_HEIC_MAX_REFS. */
static int reference_cycle(const uint8_t *buf, size_t len, int *too_many)
{
    static const size_t none = (size_t)-1;
    uint32_t (*edge)[2] = NULL;
    uint8_t *color = NULL;
    size_t *stack = NULL, n = 0, meta_end, iref_end, meta, iref, off;
    int version, cycle = 0;

    *too_many = 0;
    meta = find_box(buf, 0, len, "meta", &meta_end);
    if (meta == 0 || meta + 4 > meta_end)
        return 0;
    iref = find_box(buf, meta + 4, meta_end, "iref", &iref_end); /* meta is a full box */
    if (iref == 0 || iref + 4 > iref_end)
        return 0;
    version = buf[iref];
    edge = malloc(sizeof *edge * PS_HEIC_MAX_REFS);
    if (edge == NULL)
        return 0;
    for (off = iref + 4; off + 8 <= iref_end;) {
        uint32_t size = be32(buf + off), from, count;
        size_t w = version == 0 ? 2 : 4, p = off + 8, end = off + size;
        int dimg = memcmp(buf + off + 4, "dimg", 4) == 0, auxl = memcmp(buf + off + 4, "auxl", 4) == 0;
        if (size < 8 || size > iref_end - off || p + w + 2 > end)
            break;
        from = w == 2 ? (uint32_t)buf[p] << 8 | buf[p + 1] : be32(buf + p);
        count = (uint32_t)buf[p + w] << 8 | buf[p + w + 1];
        p += w + 2;
        for (uint32_t i = 0; i < count && p + w <= end && (dimg || auxl); i++, p += w) {
            uint32_t to = w == 2 ? (uint32_t)buf[p] << 8 | buf[p + 1] : be32(buf + p);
            if (n == PS_HEIC_MAX_REFS) {
                *too_many = 1;
                goto out;
            }
            edge[n][0] = dimg ? from : to;
            edge[n][1] = dimg ? to : from;
            n++;
        }
        off = end;
    }
    /* Depth-first search over the edges themselves (a cycle of items is a
     * cycle of edges, each edge leading to the edges out of its target).
     * color: 0 unseen, 1 on the current path, 2 done. n is small, so the
     * successors are found by scanning the list. */
    color = calloc(n ? n : 1, 1);
    stack = malloc(sizeof *stack * (n ? n : 1));
    if (color == NULL || stack == NULL)
        goto out;
    for (size_t s = 0; s < n && !cycle; s++) {
        size_t top = 0;
        if (color[s] != 0)
            continue;
        stack[top++] = s;
        color[s] = 1;
        while (top > 0 && !cycle) {
            size_t e = stack[top - 1], next = none;
            for (size_t k = 0; k < n; k++) {
                if (edge[k][0] != edge[e][1])
                    continue; /* not an edge out of e's target */
                if (color[k] == 1)
                    cycle = 1;
                else if (color[k] == 0)
                    next = k;
                if (cycle || next != none)
                    break;
            }
            if (next != none) {
                color[next] = 1;
                stack[top++] = next;
            } else {
                color[e] = 2;
                top--;
            }
        }
    }
out:
    free(stack);
    free(color);
    free(edge);
    return cycle;
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
    {
        int too_many = 0;
        if (reference_cycle(buf, len, &too_many)) {
            ps__msg(msg, msglen, "HEIF image items refer to each other in a cycle");
            return PS_E_CORRUPT;
        }
        if (too_many) {
            ps__msg(msg, msglen, "HEIF file has more than %d item references",
                    PS_HEIC_MAX_REFS);
            return PS_E_UNSUPPORTED;
        }
    }
    ctx = heif_context_alloc();
    if (ctx == NULL)
        return PS_E_NOMEM;
    heif_context_set_maximum_image_size_limit(
        ctx, lim->max_width > lim->max_height ? lim->max_width : lim->max_height);
    /* Grid tiles in this thread: by default libheif starts a std::thread
     * per tile, and a 1-KB file declaring thousands of tiles made thread
     * creation fail inside libheif, which then terminated the process
     * (fuzz_decode_heic). A worker job runs on one core anyway. */
    heif_context_set_max_decoding_threads(ctx, 0);
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
