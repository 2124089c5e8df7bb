/* A bounded multipart/form-data parser (see multipart.h for why it exists).
 *
 * Grammar followed (RFC 2046 §5.1.1, as browsers and curl send it):
 *   [preamble CRLF] "--" boundary *LWSP CRLF
 *   ( part-headers CRLF part-body CRLF "--" boundary *LWSP CRLF )*
 *   ... CRLF "--" boundary "--" [epilogue]
 * Every search is bounded by the body length; nothing is copied. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "http/multipart.h"

/* RFC 2046: a boundary has 1 to 70 characters. */
#define PS_MP_BOUNDARY_MAX 70

static void set_err(char *err, size_t errlen, const char *msg)
{
    if (err && errlen)
        snprintf(err, errlen, "%s", msg);
}

/* RFC 2046 bchars. */
static int bchar(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           strchr("'()+_,-./:=? ", c) != NULL;
}

/* Extracts the boundary parameter of a Content-Type header into out. */
static ps_mp_result get_boundary(const char *ct, char *out, size_t outlen)
{
    static const char mt[] = "multipart/form-data";
    if (!ct)
        return PS_MP_NOT_MULTIPART;
    while (*ct == ' ' || *ct == '\t')
        ct++;
    if (strncasecmp(ct, mt, sizeof mt - 1) != 0 ||
        (ct[sizeof mt - 1] != ';' && ct[sizeof mt - 1] != ' ' && ct[sizeof mt - 1] != '\0'))
        return PS_MP_NOT_MULTIPART;
    const char *p = ct + sizeof mt - 1;
    while (*p) {
        while (*p == ';' || *p == ' ' || *p == '\t')
            p++;
        const char *key = p;
        while (*p && *p != '=' && *p != ';')
            p++;
        size_t klen = (size_t)(p - key);
        while (klen > 0 && (key[klen - 1] == ' ' || key[klen - 1] == '\t'))
            klen--;
        if (*p != '=')
            continue;
        p++;
        size_t n = 0;
        int quoted = *p == '"';
        if (quoted)
            p++;
        const char *v = p;
        while (*p && (quoted ? *p != '"' : (*p != ';' && *p != ' ' && *p != '\t')))
            p++;
        n = (size_t)(p - v);
        if (quoted) {
            if (*p != '"')
                return PS_MP_BAD_BOUNDARY;
            p++;
        }
        if (klen == 8 && strncasecmp(key, "boundary", 8) == 0) {
            if (n == 0 || n > PS_MP_BOUNDARY_MAX || n >= outlen)
                return PS_MP_BAD_BOUNDARY;
            for (size_t i = 0; i < n; i++)
                if (!bchar(v[i]))
                    return PS_MP_BAD_BOUNDARY;
            if (v[n - 1] == ' ')
                return PS_MP_BAD_BOUNDARY; /* RFC 2046: no trailing space */
            memcpy(out, v, n);
            out[n] = '\0';
            return PS_MP_OK;
        }
    }
    return PS_MP_BAD_BOUNDARY;
}

/* Like memmem (a GNU extension) over [p, end) for `needle` of nlen bytes; NULL when absent. */
static const uint8_t *find(const uint8_t *p, const uint8_t *end, const char *needle, size_t nlen)
{
    if (p > end || nlen == 0 || (size_t)(end - p) < nlen)
        return NULL;
    const uint8_t *last = end - nlen; /* the last place a match can start */
    while (p <= last) {
        p = memchr(p, (unsigned char)needle[0], (size_t)(last - p) + 1);
        if (!p)
            return NULL;
        if (memcmp(p, needle, nlen) == 0)
            return p;
        p++;
    }
    return NULL;
}

/* Reads the value of parameter `param` (e.g. "name") from a
 * Content-Disposition value [v, vend) into out. @return 1 found, 0 absent,
 * -1 malformed or too long. */
static int disposition_param(const char *v, const char *vend, const char *param, char *out,
                             size_t outlen)
{
    size_t plen = strlen(param);
    const char *p = v;
    /* Skip the disposition type ("form-data"). */
    while (p < vend && *p != ';')
        p++;
    while (p < vend) {
        p++; /* the ';' */
        while (p < vend && (*p == ' ' || *p == '\t'))
            p++;
        const char *key = p;
        while (p < vend && *p != '=' && *p != ';')
            p++;
        size_t klen = (size_t)(p - key);
        while (klen > 0 && (key[klen - 1] == ' ' || key[klen - 1] == '\t'))
            klen--;
        if (p >= vend || *p == ';')
            continue; /* a parameter without a value: ignored */
        p++;
        size_t n = 0;
        int match = klen == plen && strncasecmp(key, param, plen) == 0;
        if (p < vend && *p == '"') {
            p++;
            while (p < vend && *p != '"') {
                if (*p == '\\' && p + 1 < vend)
                    p++;
                if (match) {
                    if (n + 1 >= outlen)
                        return -1;
                    out[n++] = *p;
                }
                p++;
            }
            if (p >= vend)
                return -1; /* unterminated quoted string */
            p++;
        } else {
            while (p < vend && *p != ';' && *p != ' ' && *p != '\t') {
                if (match) {
                    if (n + 1 >= outlen)
                        return -1;
                    out[n++] = *p;
                }
                p++;
            }
        }
        while (p < vend && *p != ';')
            p++;
        if (match) {
            out[n] = '\0';
            return 1;
        }
    }
    return 0;
}

/* Parses one part's header block [h, hend) (lines separated by CRLF, no
 * final blank line) into `part`. */
static int parse_headers(const uint8_t *h, const uint8_t *hend, ps_mp_part *part, char *err,
                         size_t errlen)
{
    int have_disp = 0;
    const uint8_t *line = h;
    while (line < hend) {
        const uint8_t *eol = find(line, hend, "\r\n", 2);
        if (!eol)
            eol = hend;
        const char *l = (const char *)line, *le = (const char *)eol;
        if (memchr(l, '\0', (size_t)(le - l)) != NULL) {
            set_err(err, errlen, "a part header contains a NUL byte");
            return -1;
        }
        const char *colon = memchr(l, ':', (size_t)(le - l));
        if (!colon || colon == l) {
            set_err(err, errlen, "a part header line has no name");
            return -1;
        }
        size_t nlen = (size_t)(colon - l);
        const char *v = colon + 1;
        while (v < le && (*v == ' ' || *v == '\t'))
            v++;
        if (nlen == 19 && strncasecmp(l, "Content-Disposition", 19) == 0) {
            if (have_disp) {
                set_err(err, errlen, "a part has two Content-Disposition headers");
                return -1;
            }
            have_disp = 1;
            if ((size_t)(le - v) < 9 || strncasecmp(v, "form-data", 9) != 0 ||
                (v + 9 < le && v[9] != ';' && v[9] != ' ')) {
                set_err(err, errlen, "a part is not form-data");
                return -1;
            }
            int got = disposition_param(v, le, "name", part->name, sizeof part->name);
            if (got != 1 || part->name[0] == '\0') {
                set_err(err, errlen,
                        got < 0 ? "a part's field name is malformed or too long"
                                : "a part has no field name");
                return -1;
            }
            char fname[256];
            int fgot = disposition_param(v, le, "filename", fname, sizeof fname);
            /* The file name is never used (nor stored): only its presence. */
            part->has_filename = fgot != 0;
        } else if (nlen == 12 && strncasecmp(l, "Content-Type", 12) == 0) {
            size_t tlen = (size_t)(le - v);
            if (tlen >= sizeof part->content_type) {
                set_err(err, errlen, "a part's Content-Type is too long");
                return -1;
            }
            memcpy(part->content_type, v, tlen);
            part->content_type[tlen] = '\0';
        }
        /* Other part headers (Content-Transfer-Encoding etc.) are ignored:
         * RFC 7578 §4.7 deprecates them and browsers do not send them. */
        line = eol + 2;
    }
    if (!have_disp) {
        set_err(err, errlen, "a part has no Content-Disposition header");
        return -1;
    }
    return 0;
}

ps_mp_result ps_mp_parse(const char *content_type, const uint8_t *body, size_t len,
                         ps_mp_part *parts, size_t max_parts, size_t *n_parts, char *err,
                         size_t errlen)
{
    char boundary[PS_MP_BOUNDARY_MAX + 1];
    char delim[PS_MP_BOUNDARY_MAX + 5]; /* CRLF "--" boundary */
    size_t n = 0;
    ps_mp_result res;

    if (n_parts)
        *n_parts = 0;
    set_err(err, errlen, "");
    if ((res = get_boundary(content_type, boundary, sizeof boundary)) != PS_MP_OK) {
        set_err(err, errlen,
                res == PS_MP_NOT_MULTIPART ? "Content-Type must be multipart/form-data"
                                           : "the multipart boundary is missing or invalid");
        return res;
    }
    if (!body || !parts || !n_parts) {
        set_err(err, errlen, "the body is empty");
        return PS_MP_MALFORMED;
    }
    size_t blen = strlen(boundary);
    int dlen = snprintf(delim, sizeof delim, "\r\n--%s", boundary);
    const uint8_t *end = body + len, *p;

    /* The first delimiter: at the very start, or after a preamble + CRLF. */
    if (len >= blen + 2 && memcmp(body, delim + 2, blen + 2) == 0)
        p = body + blen + 2;
    else {
        p = find(body, end, delim, (size_t)dlen);
        if (!p) {
            set_err(err, errlen, "the body does not start with the multipart boundary");
            return PS_MP_MALFORMED;
        }
        p += dlen;
    }

    for (;;) {
        /* After a delimiter: "--" closes, else LWSP* CRLF opens a part. */
        if (end - p >= 2 && p[0] == '-' && p[1] == '-') {
            *n_parts = n;
            return PS_MP_OK; /* the epilogue is ignored */
        }
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n') {
            set_err(err, errlen,
                    p >= end ? "the body ends without the final multipart boundary"
                             : "garbage after a multipart boundary");
            return PS_MP_MALFORMED;
        }
        p += 2;
        if (n == max_parts) {
            set_err(err, errlen, "too many parts in the multipart body");
            return PS_MP_TOO_MANY_PARTS;
        }
        ps_mp_part *part = &parts[n];
        memset(part, 0, sizeof *part);

        /* Headers end at the first blank line; an empty header block is
         * CRLF right away, which parse_headers refuses (no disposition). */
        const uint8_t *hend;
        if (end - p >= 2 && p[0] == '\r' && p[1] == '\n')
            hend = p;
        else {
            const uint8_t *limit = (size_t)(end - p) > PS_MP_HEADER_MAX ? p + PS_MP_HEADER_MAX : end;
            hend = find(p, limit, "\r\n\r\n", 4);
            if (!hend) {
                set_err(err, errlen,
                        limit < end ? "a part's headers are longer than 8 KiB"
                                    : "the body ends inside a part's headers");
                return PS_MP_MALFORMED;
            }
        }
        if (parse_headers(p, hend, part, err, errlen) != 0)
            return PS_MP_MALFORMED;
        p = hend + (hend == p ? 2 : 4);

        const uint8_t *next = find(p, end, delim, (size_t)dlen);
        if (!next) {
            set_err(err, errlen, "the body ends inside a part (no closing boundary)");
            return PS_MP_MALFORMED;
        }
        part->data = p;
        part->len = (size_t)(next - p);
        n++;
        p = next + dlen;
    }
}

const ps_mp_part *ps_mp_find(const ps_mp_part *parts, size_t n, const char *name, int *dups)
{
    const ps_mp_part *hit = NULL;
    if (dups)
        *dups = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(parts[i].name, name) != 0)
            continue;
        if (hit && dups)
            *dups = 1;
        if (!hit)
            hit = &parts[i];
    }
    return hit;
}
