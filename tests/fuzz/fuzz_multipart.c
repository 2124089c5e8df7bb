/* Fuzz target: the multipart/form-data parser of POST /api/uploads.
 * Input: the Content-Type header value, a newline, then the body. Parts
 * must lie inside the body, names and types must be NUL-terminated, and
 * a refusal must say why. Seeds: testdata/fuzz/multipart/. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "http/multipart.h"

/* More parts than an upload form has (file, kind, side, applicant_id). */
#define MAX_PARTS 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ps_mp_part parts[MAX_PARTS];
    char ct[512], err[256];
    const uint8_t *nl = memchr(data, '\n', size < sizeof ct ? size : sizeof ct - 1);
    const uint8_t *body;
    size_t ctlen, blen, n = 99;
    ps_mp_result r;
    int dups = 0;

    if (nl == NULL)
        return 0;
    ctlen = (size_t)(nl - data);
    memcpy(ct, data, ctlen);
    ct[ctlen] = '\0';
    /* the body in its own allocation, so ASan sees any read past its end */
    blen = size - ctlen - 1;
    body = malloc(blen ? blen : 1);
    if (body == NULL)
        return 0;
    memcpy((void *)body, nl + 1, blen);
    err[0] = '\0';
    r = ps_mp_parse(ct, body, blen, parts, MAX_PARTS, &n, err, sizeof err);
    if (r != PS_MP_OK) {
        if (n != 0 || err[0] == '\0')
            abort();
    } else {
        if (n > MAX_PARTS)
            abort();
        for (size_t i = 0; i < n; i++) {
            if (memchr(parts[i].name, '\0', sizeof parts[i].name) == NULL ||
                memchr(parts[i].content_type, '\0', sizeof parts[i].content_type) == NULL)
                abort();
            if (parts[i].len > blen || (parts[i].len > 0 && (parts[i].data < body ||
                parts[i].data + parts[i].len > body + blen)))
                abort();
        }
        (void)ps_mp_find(parts, n, "file", &dups);
        (void)ps_mp_find(parts, n, "kind", &dups);
    }
    free((void *)body);
    return 0;
}
