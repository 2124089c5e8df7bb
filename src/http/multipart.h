/* Private to src/http/ (and its tests): a bounded multipart/form-data parser
 * (RFC 7578 over RFC 2046) for a body that is already in memory.
 *
 * Why our own and not libmicrohttpd's post processor: the upload is handed
 * to the store in one piece, so the body is buffered anyway (bounded by the
 * decoder's byte limit); a pure function over a buffer can be tested on
 * every malformed input without a server; and it reports *what* is wrong
 * (no final boundary, a part without a name, too many parts, an over-long
 * header) so the client gets a clear 400 instead of a silently truncated
 * field, which the post processor's streaming callbacks do not tell apart.
 *
 * Nothing is copied: parts point into the caller's body. Thread-safe
 * (no state). */
#ifndef PS_HTTP_MULTIPART_H
#define PS_HTTP_MULTIPART_H

#include <stddef.h>
#include <stdint.h>

/* Field names and content types longer than these are refused. */
#define PS_MP_NAME_MAX 64
#define PS_MP_TYPE_MAX 128
/* Bytes of one part's header block (browsers send < 300). */
#define PS_MP_HEADER_MAX 8192

typedef struct ps_mp_part {
    char name[PS_MP_NAME_MAX];         /* form field name (Content-Disposition) */
    int has_filename;                  /* a file part; the name itself is ignored */
    char content_type[PS_MP_TYPE_MAX]; /* "" when absent */
    const uint8_t *data;               /* points into the body */
    size_t len;
} ps_mp_part;

typedef enum ps_mp_result {
    PS_MP_OK = 0,
    PS_MP_NOT_MULTIPART,  /* Content-Type is not multipart/form-data */
    PS_MP_BAD_BOUNDARY,   /* missing, empty, > 70 chars or bad characters */
    PS_MP_MALFORMED,      /* structure broken; `err` says where */
    PS_MP_TOO_MANY_PARTS
} ps_mp_result;

/*! ps_mp_parse() :
 *  Splits `body` (len bytes) into parts.
 *  @param content_type the request's Content-Type header (may be NULL).
 *  @param parts        caller's array of `max_parts` entries.
 *  @param n_parts      receives the number of parts (0 on error).
 *  @param err          receives a short English sentence on error (no
 *                      bytes of the body are ever copied into it).
 *  @return PS_MP_OK or the reason for refusing. */
ps_mp_result ps_mp_parse(const char *content_type, const uint8_t *body, size_t len,
                         ps_mp_part *parts, size_t max_parts, size_t *n_parts, char *err,
                         size_t errlen);

/*! @return the part named `name`, or NULL. When several parts share the
 *  name, *dups is set to 1 (callers refuse that). */
const ps_mp_part *ps_mp_find(const ps_mp_part *parts, size_t n, const char *name, int *dups);

#endif
