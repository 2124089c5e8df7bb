/* PDF through poppler-glib: the only user of poppler and of its cairo
 * rendering. A PDF address proof is digital data, flagged and never stored
 * as an image; its first page is drawn only so that the reviewer still gets
 * its type, name, address and dates read (docs/reading.md).
 *
 * PDF is a language, and a page is drawn by poppler alone: a page whose
 * image declares 20000 x 20000 px in 400 KB of deflate made poppler hold
 * 1.6 GB, and drawing cannot be interrupted. So the page is opened and
 * drawn in a child process under an address-space limit (the decoder's
 * memory budget) and a wall-clock limit; the pixels come back through a
 * shared mapping. The worker never runs poppler itself: a page that
 * exhausts its budget or its time ends the child, not the job's process. */
#include <cairo.h>
#include <errno.h>
#include <fcntl.h>
#include <poppler.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "decode/decoder.h"
#include "prescreen/ocr.h" /* PS_TIME_SCALE */

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
/* Address space the drawing child may add to what it inherits, when the
 * limits set no memory budget; else the budget (ps_limits.max_memory). */
#define PS_PDF_DEFAULT_MEMORY (768ull << 20)
/* Wall-clock time the drawing may take: the generated pages draw in
 * 30-60 ms; a page still drawing after this is refused. */
#define PS_PDF_DRAW_MS (20000 * PS_TIME_SCALE)

/* What the child hands back, at the start of the shared mapping; the RGB
 * rows follow. */
typedef struct ps__pdf_reply {
    ps_status status;
    int width, height;
    char msg[160];
} ps__pdf_reply;

/* The child's work: open, measure, draw page 1 into `px` (RGB, at most
 * PS_PDF_LONG_SIDE^2 pixels). */
static void ps__draw(const uint8_t *buf, size_t len, const ps_limits *lim, ps__pdf_reply *r,
                     uint8_t *px)
{
    GError *err = NULL;
    GBytes *bytes = g_bytes_new_static(buf, len);
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &err);
    PopplerPage *page = NULL;
    r->status = PS_E_CORRUPT;
    if (doc == NULL) {
        int locked = err && err->domain == POPPLER_ERROR && err->code == POPPLER_ERROR_ENCRYPTED;
        ps__msg(r->msg, sizeof r->msg,
                locked ? "the PDF is password-protected" : "the PDF is damaged or not a PDF");
        r->status = locked ? PS_E_UNSUPPORTED : PS_E_CORRUPT;
        return;
    }
    if (poppler_document_get_n_pages(doc) < 1 || (page = poppler_document_get_page(doc, 0)) == NULL) {
        ps__msg(r->msg, sizeof r->msg, "the PDF has no page that opens");
        return;
    }
    double wpt = 0, hpt = 0;
    poppler_page_get_size(page, &wpt, &hpt);
    if (!(wpt >= 1 && hpt >= 1 && wpt <= PS_PDF_MAX_PAGE_PT && hpt <= PS_PDF_MAX_PAGE_PT)) {
        ps__msg(r->msg, sizeof r->msg, "the PDF's first page has an impossible size");
        r->status = PS_E_DIMENSIONS;
        return;
    }
    double s = PS_PDF_LONG_SIDE / (wpt > hpt ? wpt : hpt);
    if (s > PS_PDF_MAX_SCALE)
        s = PS_PDF_MAX_SCALE;
    int w = (int)(wpt * s + 0.5), h = (int)(hpt * s + 0.5);
    w = w < 1 ? 1 : w > PS_PDF_LONG_SIDE ? PS_PDF_LONG_SIDE : w;
    h = h < 1 ? 1 : h > PS_PDF_LONG_SIDE ? PS_PDF_LONG_SIDE : h;
    r->status = ps__check_dims(lim, (uint64_t)w, (uint64_t)h, PS_PDF_BYTES_PER_PIXEL, r->msg,
                               sizeof r->msg);
    if (r->status != PS_OK)
        return;
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(surf);
    cairo_set_source_rgb(cr, 1, 1, 1); /* paper: transparent areas read as white */
    cairo_paint(cr);
    cairo_scale(cr, s, s);
    poppler_page_render(page, cr);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        ps__msg(r->msg, sizeof r->msg, "the PDF's first page could not be drawn");
        r->status = PS_E_CORRUPT;
        return;
    }
    cairo_surface_flush(surf);
    const uint8_t *data = cairo_image_surface_get_data(surf);
    int stride = cairo_image_surface_get_stride(surf);
    for (int y = 0; y < h; y++) {
        /* RGB24: one native-endian 32-bit word per pixel, 0x00RRGGBB */
        const uint32_t *src = (const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride);
        uint8_t *dst = px + (size_t)y * (size_t)w * 3;
        for (int x = 0; x < w; x++, dst += 3) {
            dst[0] = (uint8_t)(src[x] >> 16);
            dst[1] = (uint8_t)(src[x] >> 8);
            dst[2] = (uint8_t)src[x];
        }
    }
    r->width = w;
    r->height = h;
    r->status = PS_OK;
    /* the child exits next: nothing is freed one by one */
}

/* Bytes of address space the process maps now (/proc/self/statm), or 0. */
static unsigned long long ps__mapped_bytes(void)
{
    unsigned long long pages = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%llu", &pages) != 1)
            pages = 0;
        fclose(f);
    }
    return pages * (unsigned long long)sysconf(_SC_PAGESIZE);
}

static double ps__now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1000.0 + (double)t.tv_nsec / 1e6;
}

ps_status ps__decode_pdf(const uint8_t *buf, size_t len, const ps_limits *lim, ps__frame *f,
                         char *msg, size_t msglen)
{
    size_t px_bytes = (size_t)PS_PDF_LONG_SIDE * PS_PDF_LONG_SIDE * 3;
    size_t map_len = sizeof(ps__pdf_reply) + px_bytes;
    ps_status st;
    if (len > (size_t)INT32_MAX) {
        ps__msg(msg, msglen, "the PDF is too large to open");
        return PS_E_TOO_LARGE;
    }
    void *map = mmap(NULL, map_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED)
        return PS_E_NOMEM;
    ps__pdf_reply *reply = map;
    uint8_t *px = (uint8_t *)map + sizeof *reply;
    reply->status = PS_E_INTERNAL;
    unsigned long long budget = lim->max_memory ? lim->max_memory : PS_PDF_DEFAULT_MEMORY;
    unsigned long long cap = ps__mapped_bytes() + budget;
    pid_t pid = fork();
    if (pid < 0) {
        munmap(map, map_len);
        ps__msg(msg, msglen, "the PDF could not be opened (no process to draw it in)");
        return PS_E_INTERNAL;
    }
    if (pid == 0) {
        /* poppler prints its syntax errors with the offending tokens: none
         * of the document's text may reach the worker's log */
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0) {
            dup2(devnull, STDOUT_FILENO);
            dup2(devnull, STDERR_FILENO);
            close(devnull);
        }
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
        /* sanitizers reserve terabytes of shadow memory: no cap under them */
        struct rlimit rl = {(rlim_t)cap, (rlim_t)cap};
        setrlimit(RLIMIT_AS, &rl);
#else
        (void)cap;
#endif
        ps__draw(buf, len, lim, reply, px);
        _exit(0);
    }
    int wst = 0, done = 0;
    double t0 = ps__now_ms();
    while (!done) {
        pid_t r = waitpid(pid, &wst, WNOHANG);
        if (r == pid || (r < 0 && errno != EINTR)) {
            done = 1;
        } else if (ps__now_ms() - t0 > PS_PDF_DRAW_MS) {
            kill(pid, SIGKILL);
            waitpid(pid, &wst, 0);
            munmap(map, map_len);
            ps__msg(msg, msglen, "the PDF's first page took over %d s to draw",
                    PS_PDF_DRAW_MS / 1000);
            return PS_E_UNSUPPORTED;
        } else {
            struct timespec nap = {0, 5 * 1000 * 1000};
            nanosleep(&nap, NULL);
        }
    }
    if (WIFSIGNALED(wst) && WTERMSIG(wst) == SIGABRT) {
        /* poppler and glib abort when an allocation fails under the cap */
        munmap(map, map_len);
        ps__msg(msg, msglen, "drawing the PDF's first page needs more than the %llu-byte memory limit",
                budget);
        return PS_E_MEMORY_LIMIT;
    }
    if (!WIFEXITED(wst) || WEXITSTATUS(wst) != 0) {
        munmap(map, map_len);
        ps__msg(msg, msglen, "the PDF's first page could not be drawn (its drawing process failed)");
        return PS_E_CORRUPT;
    }
    st = reply->status;
    if (st != PS_OK) {
        reply->msg[sizeof reply->msg - 1] = '\0';
        ps__msg(msg, msglen, "%s", reply->msg);
    } else if (reply->width < 1 || reply->height < 1 || reply->width > PS_PDF_LONG_SIDE ||
               reply->height > PS_PDF_LONG_SIDE) {
        st = PS_E_INTERNAL;
    } else if ((st = ps_image_new(reply->width, reply->height, 3, 0, &f->img)) == PS_OK) {
        for (int y = 0; y < reply->height; y++)
            memcpy(ps_image_row(f->img, y), px + (size_t)y * (size_t)reply->width * 3,
                   (size_t)reply->width * 3);
        f->stored_w = reply->width;
        f->stored_h = reply->height;
        f->orientation = 1;
        f->exif_orientation = 1;
    }
    munmap(map, map_len);
    return st;
}
