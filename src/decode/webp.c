/* WebP through libwebp: the only user of libwebp. Animated WebP is refused:
 * a document photo is one frame. */
#include <stdio.h>
#include <string.h>
#include <webp/decode.h>
#include <webp/demux.h>

#include "decode/decoder.h"

/* Peak memory per pixel: the RGB output (3) plus libwebp's YUV/ARGB scratch. */
#define PS_WEBP_BYTES_PER_PIXEL 8

/* 1 when the RIFF header declares more bytes than the upload holds: the
 * file was cut. libwebp reports a cut inside the bitstream as a bitstream
 * error; the container's size field tells the two apart. */
static int riff_cut(const uint8_t *buf, size_t len)
{
    uint32_t riff;
    if (len < 12)
        return 1;
    riff = (uint32_t)buf[4] | (uint32_t)buf[5] << 8 | (uint32_t)buf[6] << 16 |
           (uint32_t)buf[7] << 24;
    return (uint64_t)riff + 8 > len;
}

ps_status ps__decode_webp(const uint8_t *buf, size_t len, const ps_limits *lim,
                          ps__frame *f, char *msg, size_t msglen)
{
    WebPBitstreamFeatures feat;
    VP8StatusCode vs;
    ps_status st;

    memset(f, 0, sizeof *f);
    vs = WebPGetFeatures(buf, len, &feat);
    if (vs != VP8_STATUS_OK) {
        ps__msg(msg, msglen, "WebP header unreadable (libwebp status %d)", (int)vs);
        return vs == VP8_STATUS_NOT_ENOUGH_DATA || riff_cut(buf, len) ? PS_E_TRUNCATED
                                                                      : PS_E_CORRUPT;
    }
    if (feat.has_animation) {
        ps__msg(msg, msglen, "animated WebP is not accepted");
        return PS_E_UNSUPPORTED;
    }
    st = ps__check_dims(lim, (uint64_t)feat.width, (uint64_t)feat.height,
                        PS_WEBP_BYTES_PER_PIXEL, msg, msglen);
    if (st != PS_OK)
        return st;
    st = ps_image_new(feat.width, feat.height, 3, 0, &f->img);
    if (st != PS_OK)
        return st;
    if (WebPDecodeRGBInto(buf, len, f->img->data, f->img->stride * (size_t)f->img->height,
                          (int)f->img->stride) == NULL) {
        ps_image_free(&f->img);
        if (riff_cut(buf, len)) {
            ps__msg(msg, msglen, "WebP data ends early");
            return PS_E_TRUNCATED;
        }
        ps__msg(msg, msglen, "WebP data is corrupt");
        return PS_E_CORRUPT;
    }
    f->stored_w = feat.width;
    f->stored_h = feat.height;
    f->exif_orientation = 1;
    {
        WebPData data = {buf, len};
        WebPDemuxer *dmx = WebPDemux(&data);
        WebPChunkIterator it;
        if (dmx != NULL) {
            if (WebPDemuxGetChunk(dmx, "EXIF", 1, &it)) {
                f->exif_orientation = ps__exif_orientation(it.chunk.bytes, it.chunk.size, 0);
                WebPDemuxReleaseChunkIterator(&it);
            }
            WebPDemuxDelete(dmx);
        }
    }
    f->orientation = f->exif_orientation;
    return PS_OK;
}
