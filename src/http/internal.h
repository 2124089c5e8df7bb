/* Private to src/http/: the request/response types the route files share,
 * so that only server.c includes microhttpd.h.
 *
 * Thread rules: one ps__req / ps__resp per request, used by the one server
 * thread that handles it. The ps__http object is shared: its options are
 * read-only after start, the store pool and the login limiter lock
 * themselves.
 */
#ifndef PS_HTTP_INTERNAL_H
#define PS_HTTP_INTERNAL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "prescreen/http.h"
#include "prescreen/store.h"

/* ---- a growable byte buffer (text.c) ------------------------------------ */

typedef struct ps__buf {
    char *data; /* malloc'd, always NUL-terminated when len > 0 */
    size_t len, cap;
    int failed; /* an allocation failed: the content is incomplete */
} ps__buf;

void ps__buf_put(ps__buf *b, const char *s, size_t n);
void ps__buf_puts(ps__buf *b, const char *s);
void ps__buf_printf(ps__buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends `s` with & < > " ' escaped; NULL appends nothing. */
void ps__buf_html(ps__buf *b, const char *s);
/* Hands over the data (malloc'd, caller frees) and resets the buffer. */
char *ps__buf_take(ps__buf *b, size_t *len);
void ps__buf_free(ps__buf *b);

/* Decodes %XX and '+' in place (form encoding). @return 0, or -1 on a bad
 * escape or an embedded NUL. */
int ps__url_decode(char *s);

/* Finds `name` in an application/x-www-form-urlencoded body (not
 * NUL-terminated) and decodes its value into `out` (NUL-terminated).
 * @return 1 found, 0 absent, -1 malformed or longer than outlen-1. */
int ps__form_get(const char *body, size_t len, const char *name, char *out, size_t outlen);

/* 1 when `s` is a safe identifier for an applicant: 1..63 bytes of
 * [A-Za-z0-9._-], not starting with '.'. */
int ps__valid_id(const char *s);

/* Parses a decimal job id (1..2^53). @return the id or 0. */
int64_t ps__parse_job_id(const char *s);

/* ---- the server object (server.c) ------------------------------------- */

typedef struct ps__limiter ps__limiter;

typedef struct ps__http {
    ps_http_opts opts;
    char db_url[1024];
    /* The store pool: one handle per server thread; a thread takes one for
     * the length of a request (ps__store_get / ps__store_put). */
    pthread_mutex_t pool_mu;
    pthread_cond_t pool_cv;
    ps_store **pool;
    int pool_n, pool_free;
    /* Bytes of request bodies being received right now (bounded). */
    pthread_mutex_t mem_mu;
    uint64_t inflight_bytes;
    ps__limiter *limiter;
} ps__http;

ps_store *ps__store_get(ps__http *h);
void ps__store_put(ps__http *h, ps_store *s);

/* ---- one request and its response ------------------------------------- */

typedef enum ps__auth { PS_AUTH_NONE = 0, PS_AUTH_SESSION, PS_AUTH_TOKEN } ps__auth;

typedef struct ps__req {
    ps__http *h;
    const char *method;       /* "GET", "POST", ... */
    const char *path;         /* decoded by the HTTP library, no query */
    const char *content_type; /* NULL when absent */
    const char *authorization;
    const char *cookie;
    const char *origin;
    const char *host;
    const char *fetch_site;   /* Sec-Fetch-Site */
    char client_ip[64];
    int secure;               /* served over TLS (option or trusted proxy) */
    const uint8_t *body;
    size_t body_len;
    ps_store *store;          /* a pooled handle for this request */
    ps__auth auth;
    ps_session session;       /* when auth == PS_AUTH_SESSION */
    char session_token[PS_STORE_TOKEN_SIZE];
    char client_name[128];    /* when auth == PS_AUTH_TOKEN */
} ps__req;

#define PS__MAX_COOKIES 2

typedef struct ps__resp {
    int status;
    const char *content_type; /* static */
    char *body;               /* malloc'd (freed by the server) or NULL */
    size_t len;
    int is_page;              /* HTML: add the CSP and frame headers */
    int cacheable;            /* static assets: may be cached */
    char location[512];       /* "" or a same-site path for a redirect */
    char set_cookie[PS__MAX_COOKIES][256];
    int retry_after;          /* seconds, 0: none */
    int www_auth_bearer;      /* add WWW-Authenticate: Bearer */
} ps__resp;

/* Fills a response with a JSON error {"error":{"code","message"}}. */
void ps__resp_error(ps__resp *r, int status, const char *code, const char *message);
/* Takes the text in `b` as the body. */
void ps__resp_buf(ps__resp *r, int status, const char *content_type, ps__buf *b);
/* Copies `text` as the body. */
void ps__resp_text(ps__resp *r, int status, const char *content_type, const char *text);
/* 303 See Other to `path` (a same-site path). */
void ps__resp_redirect(ps__resp *r, const char *path);

/* ---- auth.c --------------------------------------------------------------- */

#define PS__SESSION_COOKIE "ps_session"
#define PS__PRELOGIN_COOKIE "ps_login"

/* Looks up the session cookie of `q` and fills q->session / q->auth.
 * @return 1 when a valid session was found. */
int ps__auth_session(ps__req *q);
/* Checks "Authorization: Bearer TOKEN". @return 1 when valid (q->auth). */
int ps__auth_bearer(ps__req *q);
/* 1 when the form body carries the session's CSRF token ("csrf" field) and
 * the request did not come from another site (Origin / Sec-Fetch-Site). */
int ps__auth_csrf_ok(const ps__req *q);
/* 1 when Origin/Sec-Fetch-Site do not name another site. */
int ps__auth_same_origin(const ps__req *q);
/* The value of cookie `name` in q->cookie, copied into out. @return 1 found. */
int ps__cookie_get(const ps__req *q, const char *name, char *out, size_t outlen);

/* GET/POST /login, POST /logout. */
void ps__auth_login_page(ps__req *q, ps__resp *r, const char *message);
void ps__auth_login_post(ps__req *q, ps__resp *r);
void ps__auth_logout(ps__req *q, ps__resp *r);

/* The login limiter: failures per client IP + name. */
ps_status ps__limiter_new(ps__limiter **out);
void ps__limiter_free(ps__limiter **l);
/* @return milliseconds the caller must still wait before another attempt
 * (0: go ahead). */
int64_t ps__limiter_wait_ms(ps__limiter *l, const ps_http_opts *o, const char *ip,
                            const char *name, int64_t now_ms);
void ps__limiter_fail(ps__limiter *l, const char *ip, const char *name, int64_t now_ms);
void ps__limiter_clear(ps__limiter *l, const char *ip, const char *name);

int64_t ps__now_ms(void);

/* ---- api.c and pages.c ------------------------------------------------------ */

/* Handles /api/... after authentication (q->auth == PS_AUTH_TOKEN). */
void ps__api_handle(ps__req *q, ps__resp *r);
/* Handles every page route after authentication (q->auth == PS_AUTH_SESSION). */
void ps__pages_handle(ps__req *q, ps__resp *r);
/* The page shell: writes <!doctype> .. <main> with the title and nav. */
void ps__page_begin(ps__buf *b, const char *title, const ps__req *q);
void ps__page_end(ps__buf *b, int with_script);

/* ---- words.c: plain words for flags, statuses and kinds ------------------ */

/* What `flag` means (customer 0) or what the customer is asked to do
 * (customer 1), in Japanese (ja 1) or English. NULL for an unknown flag. */
const char *ps__flag_words(const char *flag, int customer, int ja);
/* The i-th known flag name (SPEC order), NULL past the end. */
const char *ps__flag_at(size_t i);
/* A review status / kind in the customer's words; unknown values unchanged. */
const char *ps__status_words(const char *status, int ja);
const char *ps__kind_words(const char *kind, int ja);

/* ---- static assets (generated from src/http/static/ at build time) ---- */

typedef struct ps__asset {
    const char *name;         /* "style.css" */
    const char *content_type; /* static */
    const unsigned char *data;
    size_t len;
    int public_asset;         /* served without a session (the sign-in page needs it) */
} ps__asset;

/* @return the asset named exactly `name`, or NULL. No path is ever built
 * from `name`: it is only compared with the table. */
const ps__asset *ps__asset_find(const char *name);

#endif
