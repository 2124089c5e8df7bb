/* The review server's HTTP layer: the only user of libmicrohttpd.
 *
 * Each request goes through three steps here:
 *  1. headers (first call): classify the route, authenticate (session cookie
 *     for pages, bearer token for /api/), pick the body limit for the route
 *     and refuse early — before any body byte is read — when the client is
 *     not signed in or declares a body over the limit;
 *  2. body: copied into a buffer bounded by the route's limit and by a
 *     server-wide budget of bytes in flight;
 *  3. complete: a pooled store handle is taken and the route runs (api.c,
 *     pages.c, auth.c); the response gets the security headers.
 *
 * Threads: libmicrohttpd's thread pool, one store handle per thread in a
 * small pool with a mutex (a thread only ever holds one, so it never waits).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <microhttpd.h>
#include <sodium.h>

#include "http/internal.h"
#include "prescreen/decode.h"

struct ps_http_server {
    ps__http h;
    struct MHD_Daemon *d;
    int port;
};

/* Form posts from pages (decision + reason + CSRF) are small. */
#define PS__FORM_BODY_MAX ((size_t)16 << 10)
/* An applicant profile is a few hundred bytes. */
#define PS__JSON_BODY_MAX ((size_t)64 << 10)
/* Multipart framing around the file: boundaries, part headers, 3 text fields. */
#define PS__MULTIPART_OVERHEAD ((size_t)64 << 10)
/* Per-connection memory for headers and buffers (libmicrohttpd default 32 KiB). */
#define PS__CONN_MEMORY (64u << 10)
/* Idle connections are closed after this many seconds (slow clients). */
#define PS__CONN_TIMEOUT_S 30
/* Simultaneous connections; beyond, new ones are refused by the library. */
#define PS__MAX_CONNECTIONS 1024

const char ps__csp[] = "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                       "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

void ps_http_opts_default(ps_http_opts *o)
{
    ps_limits lim;
    memset(o, 0, sizeof *o);
    ps_limits_default(&lim);
    o->listen = "127.0.0.1:8080";
    o->threads = 4;                     /* 2-4 cores serve hundreds of reviewers */
    o->session_ttl_s = 8 * 3600;        /* a working day */
    o->login_free_failures = 5;         /* typos happen; brute force does not stop at 5 */
    o->login_base_delay_ms = 1000;      /* then 1 s, 2 s, 4 s, ... */
    o->login_max_delay_ms = 15 * 60 * 1000; /* capped at 15 minutes */
    o->max_upload_bytes = lim.max_bytes;    /* what the decoder would accept anyway */
    o->max_inflight_bytes = (uint64_t)512 << 20; /* ~12 maximal uploads at once */
}

/* ---- store pool ----------------------------------------------------------- */

ps_store *ps__store_get(ps__http *h)
{
    pthread_mutex_lock(&h->pool_mu);
    while (h->pool_free == 0)
        pthread_cond_wait(&h->pool_cv, &h->pool_mu);
    ps_store *s = h->pool[--h->pool_free];
    pthread_mutex_unlock(&h->pool_mu);
    return s;
}

void ps__store_put(ps__http *h, ps_store *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&h->pool_mu);
    h->pool[h->pool_free++] = s;
    pthread_cond_signal(&h->pool_cv);
    pthread_mutex_unlock(&h->pool_mu);
}

/* ---- responses ----------------------------------------------------------------- */

void ps__resp_text(ps__resp *r, int status, const char *content_type, const char *text)
{
    free(r->body);
    r->status = status;
    r->content_type = content_type;
    r->body = strdup(text);
    r->len = r->body ? strlen(r->body) : 0;
}

void ps__resp_buf(ps__resp *r, int status, const char *content_type, ps__buf *b)
{
    free(r->body);
    r->status = status;
    r->content_type = content_type;
    r->body = ps__buf_take(b, &r->len);
    if (!r->body) {
        r->status = 500;
        r->content_type = "text/plain; charset=utf-8";
        r->body = strdup("out of memory\n");
        r->len = r->body ? strlen(r->body) : 0;
    }
}

void ps__resp_error(ps__resp *r, int status, const char *code, const char *message)
{
    ps__buf b = {0};
    /* Codes and messages are ours (never request bytes), but escape anyway. */
    ps__buf_puts(&b, "{\"error\":{\"code\":\"");
    for (const char *c = code; *c; c++)
        if (*c != '"' && *c != '\\' && (unsigned char)*c >= 0x20)
            ps__buf_put(&b, c, 1);
    ps__buf_puts(&b, "\",\"message\":\"");
    for (const char *c = message; c && *c; c++) {
        if (*c == '"' || *c == '\\')
            ps__buf_put(&b, "\\", 1);
        if ((unsigned char)*c >= 0x20)
            ps__buf_put(&b, c, 1);
    }
    ps__buf_puts(&b, "\"}}\n");
    ps__resp_buf(r, status, "application/json", &b);
}

void ps__resp_redirect(ps__resp *r, const char *path)
{
    ps__resp_text(r, 303, "text/plain; charset=utf-8", "See Other\n");
    snprintf(r->location, sizeof r->location, "%s", path);
}

/* ---- one request --------------------------------------------------------- */

typedef enum route_class {
    R_HEALTH, R_STATIC, R_LOGIN, R_API, R_PAGE
} route_class;

typedef struct conn_ctx {
    ps__req q;
    route_class rc;
    char path[1024];
    uint8_t *body;
    size_t len, cap, limit;
    uint64_t reserved;       /* bytes counted in h->inflight_bytes */
    int over_limit, over_budget;
    int responded;           /* a response was queued in the first call */
    int status;
    int64_t start_ms;
    char method[8];
} conn_ctx;

static int reserve(ps__http *h, conn_ctx *c, size_t more)
{
    int ok;
    pthread_mutex_lock(&h->mem_mu);
    ok = h->inflight_bytes + more <= h->opts.max_inflight_bytes;
    if (ok) {
        h->inflight_bytes += more;
        c->reserved += more;
    }
    pthread_mutex_unlock(&h->mem_mu);
    return ok;
}

static void release(ps__http *h, conn_ctx *c)
{
    pthread_mutex_lock(&h->mem_mu);
    h->inflight_bytes -= c->reserved;
    c->reserved = 0;
    pthread_mutex_unlock(&h->mem_mu);
}

static const char *header(struct MHD_Connection *con, const char *name)
{
    return MHD_lookup_connection_value(con, MHD_HEADER_KIND, name);
}

static void client_ip(struct MHD_Connection *con, const ps__http *h, char *out, size_t n)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(con, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, n, "unknown");
    if (h->opts.trust_proxy) {
        /* The proxy appends the address it saw: the last hop is the one to trust. */
        const char *xff = header(con, "X-Forwarded-For");
        if (xff && *xff) {
            const char *last = strrchr(xff, ',');
            last = last ? last + 1 : xff;
            while (*last == ' ')
                last++;
            snprintf(out, n, "%.45s", last);
            return;
        }
    }
    if (!ci || !ci->client_addr)
        return;
    if (ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)ci->client_addr)->sin_addr,
                  out, (socklen_t)n);
    else if (ci->client_addr->sa_family == AF_INET6)
        inet_ntop(AF_INET6,
                  &((const struct sockaddr_in6 *)(const void *)ci->client_addr)->sin6_addr, out,
                  (socklen_t)n);
}

static enum MHD_Result send_resp(struct MHD_Connection *con, conn_ctx *c, ps__resp *r)
{
    struct MHD_Response *resp;
    if (r->body == NULL && r->status != 204)
        ps__resp_text(r, r->status ? r->status : 500, "text/plain; charset=utf-8", "\n");
    resp = MHD_create_response_from_buffer(r->len, r->body, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(r->body);
        r->body = NULL;
        return MHD_NO;
    }
    r->body = NULL; /* libmicrohttpd frees it */
    if (r->content_type)
        MHD_add_response_header(resp, "Content-Type", r->content_type);
    MHD_add_response_header(resp, "Content-Security-Policy", ps__csp);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    /* "same-origin", not "no-referrer": with no-referrer browsers send
     * "Origin: null" on form posts, which the CSRF check cannot tell apart
     * from a sandboxed page. Nothing leaks to other sites either way. */
    MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(resp, "Cross-Origin-Resource-Policy", "same-origin");
    MHD_add_response_header(resp, "Cache-Control", r->cacheable ? "private, max-age=300" : "no-store");
    if (c->q.secure)
        MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
    if (r->location[0])
        MHD_add_response_header(resp, "Location", r->location);
    for (int i = 0; i < PS__MAX_COOKIES; i++)
        if (r->set_cookie[i][0])
            MHD_add_response_header(resp, "Set-Cookie", r->set_cookie[i]);
    if (r->retry_after > 0) {
        char ra[24];
        snprintf(ra, sizeof ra, "%d", r->retry_after);
        MHD_add_response_header(resp, "Retry-After", ra);
    }
    if (r->www_auth_bearer)
        MHD_add_response_header(resp, "WWW-Authenticate", "Bearer realm=\"prescreen\"");
    c->status = r->status;
    enum MHD_Result ok = MHD_queue_response(con, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

static route_class classify(const char *path)
{
    if (strcmp(path, "/healthz") == 0)
        return R_HEALTH;
    if (strncmp(path, "/static/", 8) == 0)
        return R_STATIC;
    if (strcmp(path, "/login") == 0)
        return R_LOGIN;
    if (strncmp(path, "/api/", 5) == 0)
        return R_API;
    return R_PAGE;
}

static size_t body_limit(const ps__http *h, route_class rc, const char *method, const char *path)
{
    int get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    if (get)
        return 0;
    if (rc == R_API)
        return strcmp(path, "/api/uploads") == 0
                   ? (size_t)h->opts.max_upload_bytes + PS__MULTIPART_OVERHEAD
                   : PS__JSON_BODY_MAX;
    if (rc == R_LOGIN || rc == R_PAGE)
        return PS__FORM_BODY_MAX;
    return 0;
}

static void health(ps__http *h, ps__resp *r)
{
    int64_t counts[PS_JOB_STATE_COUNT_];
    ps_store *s = ps__store_get(h);
    ps_status st = ps_store_counts(s, counts);
    ps__store_put(h, s);
    if (st == PS_OK)
        ps__resp_text(r, 200, "application/json", "{\"status\":\"ok\"}\n");
    else
        ps__resp_text(r, 503, "application/json", "{\"status\":\"store_unavailable\"}\n");
}

static void serve_static(const char *path, int signed_in, ps__resp *r)
{
    const ps__asset *a = ps__asset_find(path + 8);
    if (!a || (!a->public_asset && !signed_in)) {
        /* The same answer for "absent" and "not yours": the table is not probed. */
        ps__resp_text(r, 404, "text/plain; charset=utf-8", "not found\n");
        return;
    }
    r->body = malloc(a->len ? a->len : 1);
    if (!r->body) {
        ps__resp_text(r, 500, "text/plain; charset=utf-8", "out of memory\n");
        return;
    }
    memcpy(r->body, a->data, a->len);
    r->len = a->len;
    r->status = 200;
    r->content_type = a->content_type;
    r->cacheable = 1;
}

/* First call: headers only. Returns 1 when a response was queued. */
static int on_headers(ps__http *h, struct MHD_Connection *con, conn_ctx *c, const char *url,
                      const char *method, ps__resp *r)
{
    ps__req *q = &c->q;
    snprintf(c->method, sizeof c->method, "%s", method);
    if (strlen(url) >= sizeof c->path) {
        ps__resp_text(r, 414, "text/plain; charset=utf-8", "URI too long\n");
        return 1;
    }
    snprintf(c->path, sizeof c->path, "%s", url);
    q->h = h;
    q->method = c->method;
    q->path = c->path;
    q->content_type = header(con, "Content-Type");
    q->authorization = header(con, "Authorization");
    q->cookie = header(con, "Cookie");
    q->origin = header(con, "Origin");
    q->host = header(con, "Host");
    q->fetch_site = header(con, "Sec-Fetch-Site");
    client_ip(con, h, q->client_ip, sizeof q->client_ip);
    const char *proto = h->opts.trust_proxy ? header(con, "X-Forwarded-Proto") : NULL;
    q->secure = h->opts.secure_cookies || (proto && strcasecmp(proto, "https") == 0);
    c->rc = classify(c->path);

    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 && strcmp(method, "POST") != 0 &&
        strcmp(method, "PUT") != 0) {
        ps__resp_text(r, 405, "text/plain; charset=utf-8", "method not allowed\n");
        return 1;
    }
    /* A NUL or a backslash in the decoded path is never legitimate. */
    if (strchr(c->path, '\\') || c->path[0] != '/') {
        ps__resp_text(r, 400, "text/plain; charset=utf-8", "bad path\n");
        return 1;
    }
    int get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    switch (c->rc) {
    case R_HEALTH:
        if (!get)
            ps__resp_text(r, 405, "text/plain; charset=utf-8", "method not allowed\n");
        else
            health(h, r);
        return 1;
    case R_STATIC: {
        if (!get) {
            ps__resp_text(r, 405, "text/plain; charset=utf-8", "method not allowed\n");
            return 1;
        }
        const ps__asset *a = ps__asset_find(c->path + 8);
        int signed_in = 0;
        if (a && !a->public_asset) {
            q->store = ps__store_get(h);
            signed_in = ps__auth_session(q);
            ps__store_put(h, q->store);
            q->store = NULL;
        }
        serve_static(c->path, signed_in, r);
        return 1;
    }
    case R_LOGIN:
        if (get) {
            ps__auth_login_page(q, r, NULL);
            return 1;
        }
        break;
    case R_API: {
        q->store = ps__store_get(h);
        int ok = ps__auth_bearer(q);
        ps__store_put(h, q->store);
        q->store = NULL;
        if (!ok) {
            ps__resp_error(r, 401, "unauthorized", "an API token is required (Authorization: Bearer TOKEN)");
            r->www_auth_bearer = 1;
            return 1;
        }
        break;
    }
    case R_PAGE: {
        q->store = ps__store_get(h);
        int ok = ps__auth_session(q);
        ps__store_put(h, q->store);
        q->store = NULL;
        if (!ok) {
            if (get)
                ps__resp_redirect(r, "/login");
            else
                ps__resp_text(r, 401, "text/plain; charset=utf-8", "sign in first\n");
            return 1;
        }
        break;
    }
    }
    c->limit = body_limit(h, c->rc, method, c->path);
    const char *cl = header(con, "Content-Length");
    if (cl) {
        char *end = NULL;
        unsigned long long v = strtoull(cl, &end, 10);
        if (!end || *end != '\0' || v > c->limit) {
            if (c->rc == R_API)
                ps__resp_error(r, 413, "too_many_bytes", "the request body is over the limit");
            else
                ps__resp_text(r, 413, "text/plain; charset=utf-8", "request body too large\n");
            return 1;
        }
        if (v > 0 && !reserve(h, c, (size_t)v)) {
            ps__resp_error(r, 503, "busy", "too many uploads in progress; retry shortly");
            r->retry_after = 5; /* a few seconds lets running uploads finish */
            return 1;
        }
        if (v > 0) {
            c->body = malloc((size_t)v + 1);
            if (!c->body) {
                ps__resp_error(r, 503, "busy", "out of memory; retry shortly");
                return 1;
            }
            c->cap = (size_t)v + 1;
        }
    }
    return 0;
}

/* Appends a chunk; 0 ok, -1 over a limit (the connection is then closed:
 * a body without Content-Length that runs over cannot be answered cleanly). */
static int on_data(ps__http *h, conn_ctx *c, const char *data, size_t n)
{
    if (n > c->limit - c->len || c->len + n > c->limit) {
        c->over_limit = 1;
        return -1;
    }
    if (c->len + n + 1 > c->cap) {
        size_t cap = c->cap ? c->cap : 4096; /* first chunk of a chunked body */
        while (cap < c->len + n + 1)
            cap *= 2;
        if (cap > c->limit + 1)
            cap = c->limit + 1;
        if (cap > c->reserved && !reserve(h, c, cap - c->reserved)) {
            c->over_budget = 1;
            return -1;
        }
        uint8_t *nb = realloc(c->body, cap);
        if (!nb) {
            c->over_budget = 1;
            return -1;
        }
        c->body = nb;
        c->cap = cap;
    }
    memcpy(c->body + c->len, data, n);
    c->len += n;
    c->body[c->len] = '\0';
    return 0;
}

static void dispatch(ps__http *h, conn_ctx *c, ps__resp *r)
{
    ps__req *q = &c->q;
    q->body = c->body ? c->body : (const uint8_t *)"";
    q->body_len = c->len;
    q->store = ps__store_get(h);
    if (c->rc == R_LOGIN)
        ps__auth_login_post(q, r);
    else if (c->rc == R_API)
        ps__api_handle(q, r);
    else
        ps__pages_handle(q, r);
    ps__store_put(h, q->store);
    q->store = NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *con, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size, void **con_cls)
{
    ps__http *h = cls;
    conn_ctx *c = *con_cls;
    ps__resp r;
    (void)version;
    memset(&r, 0, sizeof r);
    if (!c) {
        c = calloc(1, sizeof *c);
        if (!c)
            return MHD_NO;
        c->start_ms = ps__now_ms();
        *con_cls = c;
        if (on_headers(h, con, c, url, method, &r)) {
            c->responded = 1;
            return send_resp(con, c, &r);
        }
        return MHD_YES;
    }
    if (c->responded) {
        *upload_data_size = 0; /* the library closes after the early answer */
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        if (on_data(h, c, upload_data, *upload_data_size) != 0)
            return MHD_NO;
        *upload_data_size = 0;
        return MHD_YES;
    }
    dispatch(h, c, &r);
    c->responded = 1;
    return send_resp(con, c, &r);
}

static void on_completed(void *cls, struct MHD_Connection *con, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    ps__http *h = cls;
    conn_ctx *c = *con_cls;
    (void)con;
    if (!c)
        return;
    if (!h->opts.quiet)
        fprintf(stderr, "%s %s %d %lldms%s\n", c->method, c->path, c->status,
                (long long)(ps__now_ms() - c->start_ms),
                toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " (aborted)");
    if (c->body) {
        sodium_memzero(c->body, c->cap); /* sign-in bodies hold a password */
        free(c->body);
    }
    release(h, c);
    free(c);
    *con_cls = NULL;
}

/* ---- start / stop ----------------------------------------------------------- */

static int parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *sl)
{
    char host[64];
    const char *colon;
    memset(ss, 0, sizeof *ss);
    if (listen[0] == '[') {
        const char *rb = strchr(listen, ']');
        if (!rb || rb[1] != ':' || (size_t)(rb - listen - 1) >= sizeof host)
            return -1;
        memcpy(host, listen + 1, (size_t)(rb - listen - 1));
        host[rb - listen - 1] = '\0';
        colon = rb + 1;
    } else {
        colon = strrchr(listen, ':');
        if (!colon || (size_t)(colon - listen) >= sizeof host)
            return -1;
        memcpy(host, listen, (size_t)(colon - listen));
        host[colon - listen] = '\0';
    }
    char *end = NULL;
    long port = strtol(colon + 1, &end, 10);
    if (!end || *end != '\0' || colon[1] == '\0' || port < 0 || port > 65535)
        return -1;
    struct sockaddr_in *v4 = (struct sockaddr_in *)(void *)ss;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)(void *)ss;
    if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        *sl = sizeof *v4;
        return 0;
    }
    if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        *sl = sizeof *v6;
        return 0;
    }
    return -1;
}

static void seterr(char *err, size_t n, const char *msg)
{
    if (err && n)
        snprintf(err, n, "%s", msg);
}

ps_status ps_http_start(const ps_http_opts *o, ps_http_server **out, char *err, size_t errlen)
{
    ps_http_server *s = NULL;
    ps_http_opts def;
    struct sockaddr_storage ss;
    socklen_t sl = 0;
    ps_status st = PS_OK;
    char serr[512];

    if (out)
        *out = NULL;
    seterr(err, errlen, "");
    if (!o || !out || !o->db_url) {
        seterr(err, errlen, "serve: a database URL is required");
        return PS_E_ARG;
    }
    if (sodium_init() < 0) {
        seterr(err, errlen, "serve: libsodium failed to initialise");
        return PS_E_INTERNAL;
    }
    ps_http_opts_default(&def);
    s = calloc(1, sizeof *s);
    if (!s)
        return PS_E_NOMEM;
    s->h.opts = *o;
    ps_http_opts *so = &s->h.opts;
    if (!so->listen) so->listen = def.listen;
    if (so->threads <= 0) so->threads = def.threads;
    if (so->threads > 64) so->threads = 64; /* more threads than this only add contention */
    if (so->session_ttl_s <= 0) so->session_ttl_s = def.session_ttl_s;
    if (so->login_free_failures <= 0) so->login_free_failures = def.login_free_failures;
    if (so->login_base_delay_ms <= 0) so->login_base_delay_ms = def.login_base_delay_ms;
    if (so->login_max_delay_ms <= 0) so->login_max_delay_ms = def.login_max_delay_ms;
    if (so->max_upload_bytes == 0) so->max_upload_bytes = def.max_upload_bytes;
    if (so->max_inflight_bytes == 0) so->max_inflight_bytes = def.max_inflight_bytes;
    snprintf(s->h.db_url, sizeof s->h.db_url, "%s", o->db_url);
    so->db_url = s->h.db_url;
    pthread_mutex_init(&s->h.pool_mu, NULL);
    pthread_cond_init(&s->h.pool_cv, NULL);
    pthread_mutex_init(&s->h.mem_mu, NULL);

    if (parse_listen(so->listen, &ss, &sl) != 0) {
        seterr(err, errlen, "serve: --listen must be HOST:PORT with a numeric host");
        st = PS_E_ARG;
        goto fail;
    }
    if ((st = ps__limiter_new(&s->h.limiter)) != PS_OK)
        goto fail;
    s->h.pool = calloc((size_t)so->threads, sizeof *s->h.pool);
    if (!s->h.pool) {
        st = PS_E_NOMEM;
        goto fail;
    }
    for (int i = 0; i < so->threads; i++) {
        st = ps_store_open(so->db_url, &s->h.pool[i], serr, sizeof serr);
        if (st != PS_OK) {
            if (err && errlen)
                snprintf(err, errlen, "serve: cannot open the store: %s", serr);
            goto fail;
        }
        s->h.pool_n = s->h.pool_free = i + 1;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL;
    if (ss.ss_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    s->d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, &s->h, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)so->threads, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, &s->h, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)PS__CONN_MEMORY,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)PS__CONN_TIMEOUT_S,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)PS__MAX_CONNECTIONS,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)PS__MAX_CONNECTIONS, MHD_OPTION_END);
    if (!s->d) {
        seterr(err, errlen, "serve: cannot listen on that address (in use or not local)");
        st = PS_E_IO;
        goto fail;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? di->port : 0;
    *out = s;
    return PS_OK;
fail:
    ps_http_stop(&s);
    return st;
}

int ps_http_port(const ps_http_server *s)
{
    return s ? s->port : 0;
}

void ps_http_stop(ps_http_server **sp)
{
    if (!sp || !*sp)
        return;
    ps_http_server *s = *sp;
    if (s->d)
        MHD_stop_daemon(s->d);
    for (int i = 0; i < s->h.pool_n; i++)
        ps_store_close(&s->h.pool[i]);
    free(s->h.pool);
    ps__limiter_free(&s->h.limiter);
    pthread_mutex_destroy(&s->h.pool_mu);
    pthread_cond_destroy(&s->h.pool_cv);
    pthread_mutex_destroy(&s->h.mem_mu);
    free(s);
    *sp = NULL;
}
