/* PDF through poppler-glib: the only user of poppler and of its cairo
 * rendering. A PDF address proof is digital data, flagged and never stored
 * as an image; its first page is rendered only so that the reviewer still
 * gets its type, name, address and dates read (docs/reading.md). */
#include <cairo.h>
#include <poppler.h>
#include <pthread.h>
#include <string.h>

#include "decode/decoder.h"

/* Long side of the rendered page, in pixels: the size the reader
 * rectifies paper to (PS_PAPER_LONG, src/read/reader.c; A4 at 150 dpi), so
 * the page is read as drawn, not resampled. Drawn at 2400 px and brought
 * down by the rectification's bilinear warp, 4 more of the 21 generated
 * PDFs lost their name (docs/reading.md). */
#define PS_PDF_LONG_SIDE 1754
/* Most pixels per point: 300 dpi. A postcard-sized page is not blown up
 * past what any printer would use. */
#define PS_PDF_MAX_SCALE (300.0 / 72.0)
/* Largest page side PDF allows (ISO 32000: 14400 units of 1/72 inch). */
#define PS_PDF_MAX_PAGE_PT 14400.0
/* Peak memory per rendered pixel: the cairo surface (4) and the RGB copy (3). */
#define PS_PDF_BYTES_PER_PIXEL 7

/* Poppler keeps process-wide state (its GlobalParams, font caches) that
 * not every version guards for concurrent documents: one page is rendered
 * at a time. PDFs are a rare upload; the queue never waits on this long. */
static pthread_mutex_t ps__pdf_lock = PTHREAD_MUTEX_INITIALIZER;

static ps_status ps__render(PopplerPage *page, const ps_limits *lim, ps__frame *f, char *msg,
                            size_t msglen)
{
    double wpt = 0, hpt = 0;
    poppler_page_get_size(page, &wpt, &hpt);
    if (!(wpt >= 1 && hpt >= 1 && wpt <= PS_PDF_MAX_PAGE_PT && hpt <= PS_PDF_MAX_PAGE_PT)) {
        ps__msg(msg, msglen, "the PDF's first page has an impossible size");
        return PS_E_DIMENSIONS;
    }
    double s = PS_PDF_LONG_SIDE / (wpt > hpt ? wpt : hpt);
    if (s > PS_PDF_MAX_SCALE)
        s = PS_PDF_MAX_SCALE;
    int w = (int)(wpt * s + 0.5), h = (int)(hpt * s + 0.5);
    w = w < 1 ? 1 : w;
    h = h < 1 ? 1 : h;
    ps_status st = ps__check_dims(lim, (uint64_t)w, (uint64_t)h, PS_PDF_BYTES_PER_PIXEL, msg,
                                  msglen);
    if (st != PS_OK)
        return st;
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surf);
        return PS_E_NOMEM;
    }
    cairo_t *cr = cairo_create(surf);
    cairo_set_source_rgb(cr, 1, 1, 1); /* paper: transparent areas read as white */
    cairo_paint(cr);
    cairo_scale(cr, s, s);
    poppler_page_render(page, cr);
    st = cairo_status(cr) == CAIRO_STATUS_SUCCESS ? PS_OK : PS_E_CORRUPT;
    cairo_destroy(cr);
    cairo_surface_flush(surf);
    if (st == PS_OK)
        st = ps_image_new(w, h, 3, 0, &f->img);
    if (st == PS_OK) {
        const uint8_t *data = cairo_image_surface_get_data(surf);
        int stride = cairo_image_surface_get_stride(surf);
        for (int y = 0; y < h; y++) {
            /* RGB24: one native-endian 32-bit word per pixel, 0x00RRGGBB */
            const uint32_t *src = (const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride);
            uint8_t *dst = ps_image_row(f->img, y);
            for (int x = 0; x < w; x++, dst += 3) {
                dst[0] = (uint8_t)(src[x] >> 16);
                dst[1] = (uint8_t)(src[x] >> 8);
                dst[2] = (uint8_t)src[x];
            }
        }
        f->stored_w = w;
        f->stored_h = h;
        f->orientation = 1;
        f->exif_orientation = 1;
    } else if (st == PS_E_CORRUPT) {
        ps__msg(msg, msglen, "the PDF's first page could not be drawn");
    }
    cairo_surface_destroy(surf);
    return st;
}

ps_status ps__decode_pdf(const uint8_t *buf, size_t len, const ps_limits *lim, ps__frame *f,
                         char *msg, size_t msglen)
{
    GError *err = NULL;
    ps_status st;
    if (len > (size_t)INT32_MAX) {
        ps__msg(msg, msglen, "the PDF is too large to open");
        return PS_E_TOO_LARGE;
    }
    pthread_mutex_lock(&ps__pdf_lock);
    /* the bytes are borrowed: the document is gone before this returns */
    GBytes *bytes = g_bytes_new_static(buf, len);
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &err);
    if (doc == NULL) {
        int locked = err && err->domain == POPPLER_ERROR && err->code == POPPLER_ERROR_ENCRYPTED;
        ps__msg(msg, msglen, locked ? "the PDF is password-protected"
                                    : "the PDF is damaged or not a PDF");
        st = locked ? PS_E_UNSUPPORTED : PS_E_CORRUPT;
    } else if (poppler_document_get_n_pages(doc) < 1) {
        ps__msg(msg, msglen, "the PDF has no page");
        st = PS_E_CORRUPT;
    } else {
        PopplerPage *page = poppler_document_get_page(doc, 0);
        if (page == NULL) {
            ps__msg(msg, msglen, "the PDF's first page could not be opened");
            st = PS_E_CORRUPT;
        } else {
            st = ps__render(page, lim, f, msg, msglen);
            g_object_unref(page);
        }
    }
    if (doc)
        g_object_unref(doc);
    g_bytes_unref(bytes);
    if (err)
        g_error_free(err);
    pthread_mutex_unlock(&ps__pdf_lock);
    return st;
}
