/* Helpers shared by the fuzz targets (see fuzz.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static void fail(const char *what)
{
    fprintf(stderr, "fuzz invariant broken: %s\n", what);
    abort();
}

void ps_fuzz_check_decoded(ps_status st, const ps_decoded *d, const char *msg, int want_full)
{
    if (st != PS_OK) {
        if (d != NULL)
            fail("a failed decode returned an image");
        if (!ps_status_is_input_error(st) && st != PS_E_NOMEM)
            fail("a failed decode returned a non-input error");
        if (msg == NULL || msg[0] == '\0')
            fail("a failed decode gave no message");
        return;
    }
    if (d == NULL || d->work == NULL)
        fail("a successful decode has no working copy");
    if (d->width <= 0 || d->height <= 0 || d->work->width <= 0 || d->work->height <= 0)
        fail("a successful decode has an empty size");
    if (d->work->width > d->width || d->work->height > d->height)
        fail("the working copy is larger than the image");
    if (d->work_scale <= 0 || d->work_scale > 1.0)
        fail("work_scale is out of (0, 1]");
    if (d->exif_orientation < 1 || d->exif_orientation > 8)
        fail("exif_orientation is out of 1..8");
    if (want_full && (d->full == NULL || d->full->width != d->width || d->full->height != d->height))
        fail("the full image does not have the reported size");
    if (!want_full && d->full != NULL)
        fail("a full image was returned when not asked for");
}

void ps_fuzz_decode_as(const uint8_t *data, size_t size, ps_format fmt)
{
    ps_decode_opts o;
    ps_decoded *d = NULL;
    uint8_t *buf;
    char msg[256];
    ps_status st;

    buf = malloc(size ? size : 1);
    if (buf == NULL)
        return;
    if (size)
        memcpy(buf, data, size);
    switch (fmt) {
    case PS_FMT_JPEG:
        if (size >= 3)
            memcpy(buf, "\xFF\xD8\xFF", 3);
        break;
    case PS_FMT_PNG:
        if (size >= 8)
            memcpy(buf, "\x89PNG\r\n\x1a\n", 8);
        break;
    case PS_FMT_WEBP:
        if (size >= 12) {
            memcpy(buf, "RIFF", 4);
            memcpy(buf + 8, "WEBP", 4);
        }
        break;
    case PS_FMT_HEIC:
        /* keep the brand the mutation chose when it is a HEIF one */
        if (size >= 12) {
            memcpy(buf + 4, "ftyp", 4);
            if (ps_sniff(buf, size) != PS_FMT_HEIC)
                memcpy(buf + 8, "heic", 4);
        }
        break;
    case PS_FMT_PDF:
        if (size >= 5)
            memcpy(buf, "%PDF-", 5);
        break;
    default:
        break;
    }
    ps_decode_opts_default(&o);
    o.want_full = 1;
    o.render_pdf = fmt == PS_FMT_PDF;
    st = ps_decode(buf, size, &o, &d, msg, sizeof msg);
    ps_fuzz_check_decoded(st, d, msg, 1);
    ps_decoded_free(&d);
    if (fmt == PS_FMT_JPEG) {
        /* the DCT-scaled path (a selfie's working copy) */
        o.want_full = 0;
        st = ps_decode(buf, size, &o, &d, msg, sizeof msg);
        ps_fuzz_check_decoded(st, d, msg, 0);
        ps_decoded_free(&d);
    }
    free(buf);
}
