/* Text helpers for the HTTP server: a growable buffer, HTML escaping, form
 * decoding and identifier checks. No third-party library. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/internal.h"

/* Largest page or JSON body the server builds (pages are tens of KB). */
#define PS__BUF_MAX ((size_t)64 << 20)

static int grow(ps__buf *b, size_t extra)
{
    if (b->failed)
        return -1;
    if (extra > PS__BUF_MAX || b->len + extra + 1 > PS__BUF_MAX) {
        b->failed = 1;
        return -1;
    }
    if (b->len + extra + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 1024; /* most fragments are small */
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *d = realloc(b->data, cap);
    if (!d) {
        b->failed = 1;
        return -1;
    }
    b->data = d;
    b->cap = cap;
    return 0;
}

void ps__buf_put(ps__buf *b, const char *s, size_t n)
{
    if (n == 0 || grow(b, n) != 0)
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void ps__buf_puts(ps__buf *b, const char *s)
{
    if (s)
        ps__buf_put(b, s, strlen(s));
}

void ps__buf_printf(ps__buf *b, const char *fmt, ...)
{
    va_list ap;
    char small[256];
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        ps__buf_put(b, small, (size_t)n);
        return;
    }
    if (grow(b, (size_t)n) != 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void ps__buf_html(ps__buf *b, const char *s)
{
    if (!s)
        return;
    const char *run = s;
    for (; *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        ps__buf_put(b, run, (size_t)(s - run));
        ps__buf_puts(b, rep);
        run = s + 1;
    }
    ps__buf_put(b, run, (size_t)(s - run));
}

char *ps__buf_take(ps__buf *b, size_t *len)
{
    char *d = b->data;
    if (b->failed) {
        free(d);
        d = NULL;
    } else if (!d) {
        d = calloc(1, 1);
    }
    if (len)
        *len = d ? b->len : 0;
    memset(b, 0, sizeof *b);
    return d;
}

void ps__buf_free(ps__buf *b)
{
    if (!b)
        return;
    free(b->data);
    memset(b, 0, sizeof *b);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int ps__url_decode(char *s)
{
    char *w = s;
    for (const char *r = s; *r; r++) {
        if (*r == '+') {
            *w++ = ' ';
        } else if (*r == '%') {
            int hi = hexval(r[1]), lo = hi < 0 ? -1 : hexval(r[2]);
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
                return -1;
            *w++ = (char)(hi * 16 + lo);
            r += 2;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
    return 0;
}

int ps__form_get(const char *body, size_t len, const char *name, char *out, size_t outlen)
{
    size_t nlen = strlen(name), i = 0;
    if (outlen == 0)
        return -1;
    out[0] = '\0';
    while (i < len) {
        size_t end = i;
        while (end < len && body[end] != '&')
            end++;
        if (end - i > nlen && memcmp(body + i, name, nlen) == 0 && body[i + nlen] == '=') {
            size_t vlen = end - i - nlen - 1;
            if (vlen >= outlen)
                return -1;
            memcpy(out, body + i + nlen + 1, vlen);
            out[vlen] = '\0';
            if (memchr(out, '\0', vlen) != NULL || ps__url_decode(out) != 0) {
                out[0] = '\0';
                return -1;
            }
            return 1;
        }
        i = end + 1;
    }
    return 0;
}

int ps__valid_id(const char *s)
{
    size_t n = 0;
    if (!s || s[0] == '.' || s[0] == '\0')
        return 0;
    for (; s[n]; n++) {
        char c = s[n];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return 0;
        if (n >= 63) /* applicant ids are short; 63 keeps URLs and logs small */
            return 0;
    }
    return 1;
}

int64_t ps__parse_job_id(const char *s)
{
    int64_t v = 0;
    if (!s || !*s || *s == '0')
        return 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return 0;
        v = v * 10 + (*s - '0');
        if (v > ((int64_t)1 << 53)) /* JSON-safe integer range */
            return 0;
    }
    return v;
}
