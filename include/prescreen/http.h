/* prescreen — the review server: reviewers' pages and the upload API
 * (SPEC §6, `prescreen serve`). See docs/review-ui.md for the routes and the
 * security model.
 *
 * The server runs its own threads (libmicrohttpd's thread pool) and keeps a
 * pool of store handles, one per thread. Everything it serves comes from
 * the store or from a fixed in-binary table of assets; no file path is ever
 * taken from a request.
 *
 * Thread rules: ps_http_start and ps_http_stop are called by one thread;
 * the server object must not be used after ps_http_stop.
 */
#ifndef PRESCREEN_HTTP_H
#define PRESCREEN_HTTP_H

#include <stdint.h>

#include "prescreen/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ps_http_server ps_http_server;

typedef struct ps_http_opts {
    const char *db_url;   /* required: the store URL (copied) */
    const char *listen;   /* "HOST:PORT" with a numeric IPv4 host or "[IPv6]"
                             host; port 0 picks a free port. NULL:
                             "127.0.0.1:8080". */
    int threads;          /* server threads = store handles; 0: 4 */
    int secure_cookies;   /* 1: cookies always carry Secure (TLS in front) */
    int trust_proxy;      /* 1: believe X-Forwarded-For (last hop) and
                             X-Forwarded-Proto from a reverse proxy */
    int session_ttl_s;    /* 0: 8 hours */
    int login_free_failures;   /* failed sign-ins per IP+name before delays; 0: 5 */
    int64_t login_base_delay_ms; /* first delay, doubling per failure; 0: 1000 */
    int64_t login_max_delay_ms;  /* cap; 0: 15 minutes */
    uint64_t max_upload_bytes;   /* the file part; 0: the decoder's byte limit */
    uint64_t max_inflight_bytes; /* all request bodies being received; 0: 512 MiB */
    int quiet;            /* 1: no access log on stderr */
} ps_http_opts;

/*! Fills `o` with the defaults above (db_url NULL). */
void ps_http_opts_default(ps_http_opts *o);

/*! ps_http_start() :
 *  Opens `threads` store handles on o->db_url, binds the listen address and
 *  starts serving. Returns once the socket is listening.
 *  @param out  set to NULL first; on PS_OK the server, stopped and freed with
 *              ps_http_stop().
 *  @param err  optional buffer for a sentence when the call fails (the URL's
 *              password is never copied into it).
 *  @return PS_OK, PS_E_ARG (bad options or listen address), PS_E_STORE,
 *          PS_E_IO (cannot bind), PS_E_NOMEM. */
ps_status ps_http_start(const ps_http_opts *o, ps_http_server **out, char *err, size_t errlen);

/*! @return the port the server listens on (useful with port 0), or 0. */
int ps_http_port(const ps_http_server *s);

/*! Stops accepting, waits for running requests, closes the store handles,
 *  frees the server and sets *s to NULL. NULL and *s == NULL are fine. */
void ps_http_stop(ps_http_server **s);

#ifdef __cplusplus
}
#endif
#endif
