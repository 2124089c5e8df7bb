/* OCR of document zones through tesseract's C API (see prescreen/ocr.h).
 * This file is the only one in the tree that includes tesseract or
 * leptonica. */
#include "prescreen/ocr.h"

#include <leptonica/allheaders.h>
#include <tesseract/capi.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Debian's tessdata directory for tesseract 5. */
#define PS__DEFAULT_TESSDATA "/usr/share/tesseract-ocr/5/tessdata"
/* Tesseract's OEM numbers: 0 = legacy only (needed by OSD), 1 = LSTM only. */
#define PS__OEM_LEGACY 0
#define PS__OEM_LSTM 1
/* Resolution we claim for every crop: it only tunes tesseract's noise
 * filters; 300 dpi is what its models assume for body text. */
#define PS__CLAIMED_DPI 300
/* White margin added around a crop: tesseract misses glyphs touching the
 * edge of its image. */
#define PS__BORDER_PX 12
/* Largest resampled crop side: bounds layout analysis, which the deadline
 * monitor does not interrupt. */
#define PS__MAX_SIDE 4000
/* Largest resampled crop area (12 MP), for the same reason. */
#define PS__MAX_AREA 12000000.0
/* Bounds of the automatic scale: beyond 4x upsampling adds blur, not detail;
 * below 1/4 thin strokes vanish. */
#define PS__MIN_AUTO_SCALE 0.25
#define PS__MAX_AUTO_SCALE 4.0

/* Language sets kept besides the engine's own: the templates ask for
 * "jpn" and "eng"; a third set replaces the least recently used. */
#define PS__ALT_SETS 2

typedef struct ps__tess {
    TessBaseAPI *api;
    char langs[64]; /* the languages it was initialised with */
} ps__tess;

struct ps_ocr {
    char tessdata[512];
    ps__tess main;     /* the engine's languages */
    /* other language sets (a zone read "jpn" only, the MRZ "eng" only),
     * each created on first use and kept: re-initialising one costs
     * 150-300 ms, more than most zones take to read */
    ps__tess alt[PS__ALT_SETS];
    unsigned alt_used[PS__ALT_SETS]; /* last use, for replacing the stalest */
    unsigned alt_clock;
    TessBaseAPI *osd;  /* legacy OSD engine, created on first use */
    const char *error; /* static sentence, never recognised text */
    size_t calls;      /* recognitions run (ps_ocr_stats) */
    double calls_ms;   /* their summed wall time */
};

static double ps__now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void ps__tess_end(ps__tess *t)
{
    if (t->api) {
        TessBaseAPIEnd(t->api);
        TessBaseAPIDelete(t->api);
    }
    t->api = NULL;
    t->langs[0] = '\0';
}

static ps_status ps__tess_init(ps__tess *t, const char *dir, const char *langs, int oem)
{
    if (strlen(langs) >= sizeof t->langs)
        return PS_E_ARG;
    t->api = TessBaseAPICreate();
    if (!t->api)
        return PS_E_NOMEM;
    if (TessBaseAPIInit2(t->api, dir, langs, (TessOcrEngineMode)oem) != 0) {
        TessBaseAPIDelete(t->api);
        t->api = NULL;
        return PS_E_MODEL;
    }
    /* Keep tesseract quiet on stderr; failures come back as status codes. */
    TessBaseAPISetVariable(t->api, "debug_file", "/dev/null");
    strcpy(t->langs, langs);
    return PS_OK;
}

ps_status ps_ocr_new(const char *tessdata_dir, const char *langs, ps_ocr **out)
{
    ps_status st = PS_OK;
    ps_ocr *o = NULL;
    if (out)
        *out = NULL;
    if (!out)
        return PS_E_ARG;
    if (!tessdata_dir)
        tessdata_dir = getenv("PS_TESSDATA");
    if (!tessdata_dir || !*tessdata_dir)
        tessdata_dir = PS__DEFAULT_TESSDATA;
    if (!langs)
        langs = "jpn+eng";
    /* leptonica prints recoverable conditions (a zone too small to scale) on
     * stderr; errors reach us as return values, and worker logs stay clean */
    setMsgSeverity(L_SEVERITY_NONE);
    if (strlen(tessdata_dir) >= sizeof o->tessdata)
        return PS_E_ARG;
    o = calloc(1, sizeof *o);
    if (!o)
        return PS_E_NOMEM;
    strcpy(o->tessdata, tessdata_dir);
    o->error = "no error";
    st = ps__tess_init(&o->main, o->tessdata, langs, PS__OEM_LSTM);
    if (st != PS_OK) {
        free(o);
        return st;
    }
    *out = o;
    return PS_OK;
}

void ps_ocr_free(ps_ocr **ocr)
{
    if (!ocr || !*ocr)
        return;
    ps_ocr *o = *ocr;
    ps__tess_end(&o->main);
    for (int i = 0; i < PS__ALT_SETS; i++)
        ps__tess_end(&o->alt[i]);
    if (o->osd) {
        TessBaseAPIEnd(o->osd);
        TessBaseAPIDelete(o->osd);
    }
    free(o);
    *ocr = NULL;
}

const char *ps_ocr_last_error(const ps_ocr *ocr)
{
    return ocr ? ocr->error : "no engine";
}

/* The API object for `langs`: the main one, or a kept alternate one; when
 * none has these languages the least recently used slot is re-initialised. */
static ps_status ps__api_for(ps_ocr *o, const char *langs, TessBaseAPI **api)
{
    *api = NULL;
    if (!langs || strcmp(langs, o->main.langs) == 0) {
        *api = o->main.api;
        return PS_OK;
    }
    int slot = -1;
    for (int i = 0; i < PS__ALT_SETS && slot < 0; i++)
        if (o->alt[i].api && strcmp(langs, o->alt[i].langs) == 0)
            slot = i;
    if (slot < 0) {
        slot = 0;
        for (int i = 1; i < PS__ALT_SETS; i++)
            if (!o->alt[i].api || (o->alt[slot].api && o->alt_used[i] < o->alt_used[slot]))
                slot = i;
        ps__tess_end(&o->alt[slot]);
        ps_status st = ps__tess_init(&o->alt[slot], o->tessdata, langs, PS__OEM_LSTM);
        if (st != PS_OK) {
            o->error = "could not load the requested OCR languages";
            return st;
        }
    }
    o->alt_used[slot] = ++o->alt_clock;
    *api = o->alt[slot].api;
    return PS_OK;
}

/* Clamps `zone` (or the whole image when zone is NULL/empty) to the image.
 * Returns 0 when nothing of it lies inside. */
static int ps__clamp_zone(const ps_image *img, const ps_box *zone, ps_box *out)
{
    ps_box z = {0, 0, img->width, img->height};
    if (zone && zone->w > 0 && zone->h > 0) {
        int x0 = zone->x < 0 ? 0 : zone->x;
        int y0 = zone->y < 0 ? 0 : zone->y;
        long x1 = (long)zone->x + zone->w, y1 = (long)zone->y + zone->h;
        if (x1 > img->width)
            x1 = img->width;
        if (y1 > img->height)
            y1 = img->height;
        if (x1 <= x0 || y1 <= y0)
            return 0;
        z.x = x0;
        z.y = y0;
        z.w = (int)(x1 - x0);
        z.h = (int)(y1 - y0);
    }
    *out = z;
    return 1;
}

/* Copies `z` of `img` into a new 8-bit gray Pix (BT.601 luma for RGB). */
static PIX *ps__crop_gray(const ps_image *img, const ps_box *z, int darkest)
{
    PIX *pix = pixCreate(z->w, z->h, 8);
    if (!pix)
        return NULL;
    l_uint32 *data = pixGetData(pix);
    int wpl = pixGetWpl(pix);
    for (int y = 0; y < z->h; y++) {
        const uint8_t *src = ps_image_row(img, z->y + y) + (size_t)z->x * img->channels;
        l_uint32 *line = data + (size_t)y * wpl;
        for (int x = 0; x < z->w; x++) {
            int v;
            if (img->channels == 3) {
                const uint8_t *p = src + 3 * x;
                if (darkest) {
                    v = p[0] < p[1] ? p[0] : p[1];
                    v = p[2] < v ? p[2] : v;
                } else {
                    /* BT.601 luma in 16.16 fixed point: 0.299, 0.587, 0.114. */
                    v = (19595 * p[0] + 38470 * p[1] + 7471 * p[2] + 32768) >> 16;
                }
            } else {
                v = src[x];
            }
            SET_DATA_BYTE(line, x, v);
        }
    }
    return pix;
}

static double ps__choose_scale(const ps_ocr_params *p, const ps_box *z)
{
    double s = 1.0;
    if (p->scale > 0) {
        s = p->scale;
    } else if (p->glyph_height > 0) {
        s = (double)PS_OCR_TARGET_GLYPH_PX / p->glyph_height;
        if (s < PS__MIN_AUTO_SCALE)
            s = PS__MIN_AUTO_SCALE;
        if (s > PS__MAX_AUTO_SCALE)
            s = PS__MAX_AUTO_SCALE;
    }
    /* Cap the resampled size (see PS__MAX_SIDE / PS__MAX_AREA). */
    if (z->w * s > PS__MAX_SIDE)
        s = PS__MAX_SIDE / (double)z->w;
    if (z->h * s > PS__MAX_SIDE)
        s = PS__MAX_SIDE / (double)z->h;
    if ((double)z->w * z->h * s * s > PS__MAX_AREA)
        s = sqrt(PS__MAX_AREA / ((double)z->w * z->h));
    return s;
}

/* Divides out the background: a grey closing wider than any stroke erases
 * the ink and leaves the local paper/band tone, and each pixel is scaled so
 * that tone becomes white. Text on tinted bands, guilloche and shadow then
 * thresholds like black on white paper. */
static PIX *ps__flatten(PIX *gray)
{
    /* Closing size in resampled pixels: wider than a bold stroke at the
     * target glyph height (about 1/5 of it), odd as leptonica requires. */
    const int k = 2 * (PS_OCR_TARGET_GLYPH_PX / 3) + 1;
    PIX *bg = pixCloseGray(gray, k, k);
    if (!bg)
        return NULL;
    PIX *out = pixCreateTemplate(gray);
    if (!out) {
        pixDestroy(&bg);
        return NULL;
    }
    int w = pixGetWidth(gray), h = pixGetHeight(gray);
    int wg = pixGetWpl(gray), wb = pixGetWpl(bg), wo = pixGetWpl(out);
    l_uint32 *dg = pixGetData(gray), *db = pixGetData(bg), *dout = pixGetData(out);
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            int v = GET_DATA_BYTE(dg + (size_t)y * wg, x);
            int b = GET_DATA_BYTE(db + (size_t)y * wb, x);
            int o = b > 0 ? v * 255 / b : 255;
            SET_DATA_BYTE(dout + (size_t)y * wo, x, o > 255 ? 255 : o);
        }
    }
    pixDestroy(&bg);
    return out;
}

/* Light text on a dark ground, judged tile by tile. ps_image_light_text()
 * reads one histogram for the whole zone: a shadow or a glare patch over
 * part of a band makes that histogram two-humped (the shaded half and the
 * lit half), and the median then sits in the wrong hump (a notification
 * card's title read as light-on-dark under a hand's shadow). Square tiles
 * the zone's height wide each hold one ground and a little ink; each votes
 * with how lopsided its histogram is, so blank tiles hardly count. A zone
 * no wider than two tiles is judged whole, as before. */
static int ps__light_text(const ps_image *img, ps_box z, int darkest)
{
    long vote = 0;
    int side = z.h > 0 ? z.h : 1;
    int nt = z.w / side;
    if (nt < 3 && !darkest)
        return ps_image_light_text(img, z);
    if (nt < 1)
        nt = 1;
    for (int t = 0; t < nt; t++) {
        unsigned hist[256] = {0};
        uint64_t n = 0;
        int x0 = z.x + (int)((long)z.w * t / nt), x1 = z.x + (int)((long)z.w * (t + 1) / nt);
        x0 = x0 < 0 ? 0 : x0;
        x1 = x1 > img->width ? img->width : x1;
        for (int y = z.y < 0 ? 0 : z.y; y < z.y + z.h && y < img->height; y++) {
            const uint8_t *row = ps_image_row(img, y);
            for (int x = x0; x < x1; x++, n++) {
                const uint8_t *q = row + (size_t)x * img->channels;
                /* the grey ps__crop_gray makes: luma (BT.601, 16.16) or the darkest channel */
                int v = q[0];
                if (img->channels == 3 && darkest)
                    v = q[1] < v ? (q[2] < q[1] ? q[2] : q[1]) : (q[2] < v ? q[2] : v);
                else if (img->channels == 3)
                    v = (19595 * q[0] + 38470 * q[1] + 7471 * q[2] + 32768) >> 16;
                hist[v]++;
            }
        }
        vote += ps_hist_light_tail(hist, n);
    }
    return vote > 0;
}

/* Crops, resamples and pads the zone; *scale receives the factor used. */
static PIX *ps__prepare(const ps_image *img, const ps_box *z, const ps_ocr_params *p,
                        double *scale, double *xscale)
{
    PIX *crop = ps__crop_gray(img, z, p->darkest_channel), *scaled = NULL, *padded = NULL;
    if (!crop)
        return NULL;
    if (p->polarity == PS_OCR_LIGHT_TEXT ||
        (p->polarity == PS_OCR_AUTO_TEXT && ps__light_text(img, *z, p->darkest_channel)))
        pixInvert(crop, crop);
    double s = ps__choose_scale(p, z);
    double xs = p->x_stretch > 0 ? p->x_stretch : 1.0;
    if (s > 0.98 && s < 1.02 && xs > 0.98 && xs < 1.02) { /* within 2%: resampling would only blur */
        s = 1.0;
        xs = 1.0;
        scaled = pixClone(crop);
    } else {
        scaled = pixScale(crop, (l_float32)(s * xs), (l_float32)s);
    }
    pixDestroy(&crop);
    if (!scaled)
        return NULL;
    if (p->flatten) {
        PIX *flat = ps__flatten(scaled);
        if (flat) {
            pixDestroy(&scaled);
            scaled = flat;
        }
    }
    padded = pixAddBorder(scaled, PS__BORDER_PX, 255); /* 255 = white */
    pixDestroy(&scaled);
    *scale = s;
    *xscale = s * xs;
    return padded;
}

/* Maps a box in the padded, resampled crop back to input pixels. */
static ps_box ps__unmap(int l, int t, int r, int b, const ps_box *z, double sx,
                        double s, const ps_image *img)
{
    double x0 = z->x + (l - PS__BORDER_PX) / sx, y0 = z->y + (t - PS__BORDER_PX) / s;
    double x1 = z->x + (r - PS__BORDER_PX) / sx, y1 = z->y + (b - PS__BORDER_PX) / s;
    ps_box o;
    o.x = (int)floor(x0 < 0 ? 0 : x0);
    o.y = (int)floor(y0 < 0 ? 0 : y0);
    int xe = (int)ceil(x1 > img->width ? img->width : x1);
    int ye = (int)ceil(y1 > img->height ? img->height : y1);
    o.w = xe > o.x ? xe - o.x : 0;
    o.h = ye > o.y ? ye - o.y : 0;
    return o;
}

static char *ps__strdup_trim(const char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\r'))
        n--;
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* Zeroes a string before it is freed; volatile so the stores stay. */
static void ps__wipe_free(char *s)
{
    for (volatile char *c = s; c && *c; c++)
        *c = 0;
    free(s);
}

void ps_ocr_result_free(ps_ocr_result **res)
{
    if (!res || !*res)
        return;
    ps_ocr_result *r = *res;
    for (size_t i = 0; i < r->n_words; i++)
        ps__wipe_free(r->words[i].text);
    for (size_t i = 0; i < r->n_lines; i++)
        ps__wipe_free(r->lines[i].text);
    free(r->words);
    free(r->lines);
    ps__wipe_free(r->text);
    free(r);
    *res = NULL;
}

static int ps__grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 1;
    size_t nc = *cap ? *cap * 2 : 16;
    while (nc < need)
        nc *= 2;
    void *p = realloc(*arr, nc * elem);
    if (!p)
        return 0;
    *arr = p;
    *cap = nc;
    return 1;
}

/* Walks tesseract's result into `r`: words and the lines they belong to. */
static ps_status ps__collect(TessBaseAPI *api, const ps_box *z, double sx, double s,
                             const ps_image *img, ps_ocr_result *r)
{
    ps_status st = PS_OK;
    size_t wcap = 0, lcap = 0, tlen = 0;
    int line_open = 0;
    TessResultIterator *ri = TessBaseAPIGetIterator(api);
    if (!ri)
        return PS_OK; /* nothing recognised */
    TessPageIterator *pi = TessResultIteratorGetPageIterator(ri);
    do {
        char *wt = TessResultIteratorGetUTF8Text(ri, RIL_WORD);
        if (!wt)
            continue;
        int l, t, rr, b;
        if (!TessPageIteratorBoundingBox(pi, RIL_WORD, &l, &t, &rr, &b)) {
            TessDeleteText(wt);
            continue;
        }
        if (TessPageIteratorIsAtBeginningOf(pi, RIL_TEXTLINE))
            line_open = 0;
        if (!wt[0] || wt[0] == ' ' || wt[0] == '\n') { /* a blank "word": ruling */
            TessDeleteText(wt);
            continue;
        }
        if (!line_open) {
            line_open = 1;
            char *lt = TessResultIteratorGetUTF8Text(ri, RIL_TEXTLINE);
            int ll, lt2, lr, lb;
            if (!ps__grow((void **)&r->lines, &lcap, r->n_lines + 1, sizeof *r->lines)) {
                TessDeleteText(lt);
                TessDeleteText(wt);
                st = PS_E_NOMEM;
                break;
            }
            ps_ocr_line *ln = &r->lines[r->n_lines];
            memset(ln, 0, sizeof *ln);
            ln->text = ps__strdup_trim(lt ? lt : "");
            TessDeleteText(lt);
            if (!ln->text) {
                TessDeleteText(wt);
                st = PS_E_NOMEM;
                break;
            }
            if (TessPageIteratorBoundingBox(pi, RIL_TEXTLINE, &ll, &lt2, &lr, &lb))
                ln->box = ps__unmap(ll, lt2, lr, lb, z, sx, s, img);
            ln->first_word = r->n_words;
            r->n_lines++;
            tlen += strlen(ln->text) + 1;
        }
        if (!ps__grow((void **)&r->words, &wcap, r->n_words + 1, sizeof *r->words)) {
            TessDeleteText(wt);
            st = PS_E_NOMEM;
            break;
        }
        ps_ocr_word *w = &r->words[r->n_words];
        w->text = ps__strdup_trim(wt);
        TessDeleteText(wt);
        if (!w->text) {
            st = PS_E_NOMEM;
            break;
        }
        /* Tesseract reports 0..100. */
        w->confidence = TessResultIteratorConfidence(ri, RIL_WORD) / 100.0;
        w->box = ps__unmap(l, t, rr, b, z, sx, s, img);
        w->line = (int)r->n_lines - 1;
        ps_ocr_line *ln = &r->lines[r->n_lines - 1];
        ln->confidence += w->confidence;
        ln->n_words++;
        r->n_words++;
    } while (TessResultIteratorNext(ri, RIL_WORD));
    TessResultIteratorDelete(ri);
    if (st != PS_OK)
        return st;
    r->text = malloc(tlen + 1);
    if (!r->text)
        return PS_E_NOMEM;
    r->text[0] = '\0';
    size_t pos = 0;
    for (size_t i = 0; i < r->n_lines; i++) {
        ps_ocr_line *ln = &r->lines[i];
        if (ln->n_words)
            ln->confidence /= (double)ln->n_words;
        size_t n = strlen(ln->text);
        memcpy(r->text + pos, ln->text, n);
        pos += n;
        if (i + 1 < r->n_lines)
            r->text[pos++] = '\n';
    }
    r->text[pos] = '\0';
    return PS_OK;
}

/* Sets the per-call variables, restoring defaults for what is not asked. */
static void ps__configure(TessBaseAPI *api, const ps_ocr_params *p)
{
    char buf[16];
    TessBaseAPISetPageSegMode(api, (TessPageSegMode)(p->psm ? p->psm : PS_OCR_PSM_AUTO));
    TessBaseAPISetVariable(api, "tessedit_char_whitelist", p->whitelist ? p->whitelist : "");
    snprintf(buf, sizeof buf, "%d", (int)p->binarize);
    TessBaseAPISetVariable(api, "thresholding_method", buf);
}

ps_status ps_ocr_read(ps_ocr *ocr, const ps_image *img, const ps_ocr_params *params,
                      ps_ocr_result **out)
{
    ps_status st = PS_OK;
    ps_ocr_result *r = NULL;
    PIX *pix = NULL;
    ETEXT_DESC *mon = NULL;
    TessBaseAPI *api = NULL;
    ps_box z;
    double s = 1.0, sx = 1.0, t0 = ps__now_ms();
    ps_ocr_params def;

    if (out)
        *out = NULL;
    if (!ocr || !img || !out || !img->data || (img->channels != 1 && img->channels != 3))
        return PS_E_ARG;
    if (!params) {
        memset(&def, 0, sizeof def);
        params = &def;
    }
    if (!ps__clamp_zone(img, &params->zone, &z)) {
        ocr->error = "OCR zone lies outside the image";
        return PS_E_ARG;
    }
    st = ps__api_for(ocr, params->langs, &api);
    if (st != PS_OK)
        return st;
    r = calloc(1, sizeof *r);
    if (!r)
        return PS_E_NOMEM;
    pix = ps__prepare(img, &z, params, &s, &sx);
    if (!pix) {
        st = PS_E_NOMEM;
        goto done;
    }
    r->scale = s;
    ps__configure(api, params);
    TessBaseAPISetImage2(api, pix);
    TessBaseAPISetSourceResolution(api, PS__CLAIMED_DPI);
    mon = TessMonitorCreate();
    if (!mon) {
        st = PS_E_NOMEM;
        goto done;
    }
    if (params->deadline_ms > 0) {
        double left = params->deadline_ms - (ps__now_ms() - t0);
        if (left <= 0) {
            st = PS_E_DEADLINE;
            goto done;
        }
        TessMonitorSetDeadlineMSecs(mon, (int)left);
    }
    int rc = TessBaseAPIRecognize(api, mon);
    ocr->calls++;
    ocr->calls_ms += ps__now_ms() - t0;
    /* Tesseract stops recognising words once the monitor's deadline passes
     * but still returns success; the clock tells whether that happened. */
    if (params->deadline_ms > 0 && ps__now_ms() - t0 >= params->deadline_ms) {
        ocr->error = "OCR deadline exceeded";
        st = PS_E_DEADLINE;
        goto done;
    }
    if (rc != 0) {
        ocr->error = "tesseract failed to recognise the zone";
        st = PS_E_OCR;
        goto done;
    }
    st = ps__collect(api, &z, sx, s, img, r);

done:
    if (api)
        TessBaseAPIClear(api);
    TessMonitorDelete(mon);
    pixDestroy(&pix);
    if (st != PS_OK) {
        ps_ocr_result_free(&r);
    } else {
        r->elapsed_ms = ps__now_ms() - t0;
        *out = r;
    }
    return st;
}

size_t ps_ocr_stats(const ps_ocr *ocr, double *ms)
{
    if (ms)
        *ms = ocr ? ocr->calls_ms : 0;
    return ocr ? ocr->calls : 0;
}

ps_status ps_ocr_find_lines(ps_ocr *ocr, const ps_image *img, const ps_box *zone,
                            ps_box **boxes, size_t *n)
{
    return ps_ocr_find_lines_ex(ocr, img, zone, 0, boxes, n);
}

ps_status ps_ocr_find_lines_ex(ps_ocr *ocr, const ps_image *img, const ps_box *zone,
                               int flatten, ps_box **boxes, size_t *n)
{
    ps_status st = PS_OK;
    ps_box z, *arr = NULL;
    size_t cnt = 0, cap = 0;
    PIX *pix = NULL;
    ps_ocr_params p;

    if (boxes)
        *boxes = NULL;
    if (n)
        *n = 0;
    if (!ocr || !img || !boxes || !n || !img->data ||
        (img->channels != 1 && img->channels != 3))
        return PS_E_ARG;
    if (!ps__clamp_zone(img, zone, &z))
        return PS_E_ARG;
    memset(&p, 0, sizeof p);
    p.scale = 1.0;
    p.flatten = flatten != 0;
    double s = 1.0, sx = 1.0;
    pix = ps__prepare(img, &z, &p, &s, &sx);
    if (!pix)
        return PS_E_NOMEM;
    TessBaseAPI *api = ocr->main.api;
    ps__configure(api, &p);
    TessBaseAPISetImage2(api, pix);
    TessBaseAPISetSourceResolution(api, PS__CLAIMED_DPI);
    TessPageIterator *it = TessBaseAPIAnalyseLayout(api);
    if (it) {
        do {
            int l, t, r, b;
            if (!TessPageIteratorBoundingBox(it, RIL_TEXTLINE, &l, &t, &r, &b))
                continue;
            if (!ps__grow((void **)&arr, &cap, cnt + 1, sizeof *arr)) {
                st = PS_E_NOMEM;
                break;
            }
            arr[cnt++] = ps__unmap(l, t, r, b, &z, sx, s, img);
        } while (TessPageIteratorNext(it, RIL_TEXTLINE));
        TessPageIteratorDelete(it);
    }
    TessBaseAPIClear(api);
    pixDestroy(&pix);
    if (st != PS_OK) {
        free(arr);
        return st;
    }
    /* Top to bottom (insertion sort: a card has a few dozen lines). */
    for (size_t i = 1; i < cnt; i++) {
        ps_box k = arr[i];
        size_t j = i;
        while (j > 0 && arr[j - 1].y > k.y) {
            arr[j] = arr[j - 1];
            j--;
        }
        arr[j] = k;
    }
    *boxes = arr;
    *n = cnt;
    return PS_OK;
}

ps_status ps_ocr_orientation(ps_ocr *ocr, const ps_image *img, const ps_box *zone,
                             int *degrees, double *confidence)
{
    ps_status st = PS_OK;
    ps_box z;
    PIX *pix = NULL;
    ps_ocr_params p;

    if (degrees)
        *degrees = 0;
    if (confidence)
        *confidence = 0;
    if (!ocr || !img || !degrees || !confidence || !img->data ||
        (img->channels != 1 && img->channels != 3))
        return PS_E_ARG;
    if (!ps__clamp_zone(img, zone, &z))
        return PS_E_ARG;
    if (!ocr->osd) {
        ocr->osd = TessBaseAPICreate();
        if (!ocr->osd)
            return PS_E_NOMEM;
        if (TessBaseAPIInit2(ocr->osd, ocr->tessdata, "osd", (TessOcrEngineMode)PS__OEM_LEGACY)) {
            TessBaseAPIDelete(ocr->osd);
            ocr->osd = NULL;
            ocr->error = "orientation data (osd.traineddata) could not be loaded";
            return PS_E_MODEL;
        }
        TessBaseAPISetVariable(ocr->osd, "debug_file", "/dev/null");
    }
    memset(&p, 0, sizeof p);
    p.scale = 1.0;
    double s = 1.0, sx = 1.0;
    pix = ps__prepare(img, &z, &p, &s, &sx);
    if (!pix)
        return PS_E_NOMEM;
    TessBaseAPISetPageSegMode(ocr->osd, PSM_OSD_ONLY);
    TessBaseAPISetImage2(ocr->osd, pix);
    TessBaseAPISetSourceResolution(ocr->osd, PS__CLAIMED_DPI);
    int deg = 0;
    float oconf = 0, sconf = 0;
    const char *script = NULL;
    if (TessBaseAPIDetectOrientationScript(ocr->osd, &deg, &oconf, &script, &sconf)) {
        /* Tesseract gives the page's rotation counter-clockwise; the
         * correcting rotation clockwise is the same angle. */
        *degrees = ((deg % 360) + 360) % 360;
        *confidence = oconf;
    } else {
        ocr->error = "orientation could not be detected (too little text)";
        st = PS_E_OCR;
    }
    TessBaseAPIClear(ocr->osd);
    pixDestroy(&pix);
    return st;
}

ps_status ps_ocr_load_trusted_file(const char *path, ps_image **out)
{
    ps_status st = PS_OK;
    PIX *pix = NULL, *rgb = NULL;
    if (out)
        *out = NULL;
    if (!path || !out)
        return PS_E_ARG;
    pix = pixRead(path);
    if (!pix)
        return PS_E_IO;
    int gray = pixGetDepth(pix) <= 8 && !pixGetColormap(pix);
    if (gray)
        rgb = pixConvertTo8(pix, 0);
    else
        rgb = pixConvertTo32(pix);
    pixDestroy(&pix);
    if (!rgb)
        return PS_E_NOMEM;
    int w = pixGetWidth(rgb), h = pixGetHeight(rgb);
    st = ps_image_new(w, h, gray ? 1 : 3, 0, out);
    if (st != PS_OK) {
        pixDestroy(&rgb);
        return st;
    }
    l_uint32 *data = pixGetData(rgb);
    int wpl = pixGetWpl(rgb);
    for (int y = 0; y < h; y++) {
        l_uint32 *line = data + (size_t)y * wpl;
        uint8_t *dst = ps_image_row(*out, y);
        for (int x = 0; x < w; x++) {
            if (gray) {
                dst[x] = (uint8_t)GET_DATA_BYTE(line, x);
            } else {
                l_int32 rv, gv, bv;
                extractRGBValues(line[x], &rv, &gv, &bv);
                dst[3 * x] = (uint8_t)rv;
                dst[3 * x + 1] = (uint8_t)gv;
                dst[3 * x + 2] = (uint8_t)bv;
            }
        }
    }
    pixDestroy(&rgb);
    return PS_OK;
}
