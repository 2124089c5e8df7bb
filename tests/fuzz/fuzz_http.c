/* Fuzz target: the HTTP request path of `prescreen serve`, end to end.
 *
 * libmicrohttpd has no in-memory entry point: requests only arrive through
 * a socket, and the request parsing, header lookup, body limits, routing,
 * authentication and every handler run in its threads. So the target starts
 * the real server once (ps_http_start on 127.0.0.1, a free port, a SQLite
 * store in a private temporary directory with one reviewer session and one
 * API token) and sends each input as the raw bytes of a request on a fresh
 * loopback connection, then reads the response. Coverage is counted in the
 * server's threads like anywhere else.
 *
 * So that mutations reach the authenticated routes, the placeholders
 * @TOKEN@, @SESSION@ and @CSRF@ in the input are replaced by the real API
 * token, session cookie value and CSRF token. The session is recreated when
 * an input signed it out. A response must be a well-formed HTTP/1.x status
 * line (or nothing, when the server closed a malformed request), never a
 * crash or a hang. Seeds: testdata/fuzz/http/. */
#define _GNU_SOURCE /* strcasestr */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "prescreen/http.h"
#include "prescreen/report.h"
#include "prescreen/store.h"

/* Longest wait for the server's answer: far above a request's cost, far
 * below libFuzzer's -timeout, so a hang shows as a failed read. */
#define RESPONSE_WAIT_MS 5000
/* Response bytes kept (the status line and headers are what we check). */
#define RESPONSE_MAX 4096
/* Wait for an answer to a request that looks incomplete: the server answers
 * a malformed one at once, and one that waits for more bytes never. */
#define INCOMPLETE_WAIT_MS 50

static ps_http_server *g_srv;
static ps_store *g_db;
static char g_dir[64], g_url[128];
static char g_token[PS_STORE_TOKEN_SIZE], g_session[PS_STORE_TOKEN_SIZE],
    g_csrf[PS_STORE_TOKEN_SIZE];
static int64_t g_reviewer;

static void stop(void)
{
    char path[160];
    ps_http_stop(&g_srv);
    ps_store_close(&g_db);
    /* the SQLite file and its journals */
    snprintf(path, sizeof path, "%s/store.db", g_dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/store.db-wal", g_dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/store.db-shm", g_dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/store.db-journal", g_dir);
    unlink(path);
    rmdir(g_dir);
}

static void new_session(void)
{
    if (ps_store_session_create(g_db, g_reviewer, 3600, g_session, g_csrf) != PS_OK)
        abort();
}

/* An applicant with one screened upload (report and redacted image) and
 * one queued, so the review pages and the API have something to show. */
static void seed_store(void)
{
    static const char profile[] =
        "{\"id\":\"A-1001\",\"name\":\"山田 太郎\",\"birth_date\":\"1990-04-01\","
        "\"address\":\"東京都千代田区千代田1-1-1\",\"card_deposit\":true}";
    ps_upload_meta meta = {"selfie", NULL, "A-1001"};
    ps_store_job *j = NULL;
    ps_image *img = NULL;
    ps_report r;
    uint8_t *jpeg = NULL;
    size_t jlen = 0;
    char *json = NULL;
    int64_t id = 0;
    ps_report_init(&r, PS_KIND_SELFIE, PS_SIDE_NONE);
    ps_report_flag(&r, PS_FLAG_BLURRY);
    if (ps_store_put_applicant(g_db, profile) != PS_OK ||
        ps_image_new(16, 16, 3, 0, &img) != PS_OK ||
        ps_encode_jpeg(img, 80, &jpeg, &jlen) != PS_OK ||
        ps_store_enqueue(g_db, &meta, jpeg, jlen, &id) != PS_OK ||
        ps_store_claim(g_db, "fuzz", 60, &j) != PS_OK || j == NULL ||
        ps_report_to_json(&r, 0, &json) != PS_OK ||
        ps_store_complete(g_db, j->id, "fuzz", json, jpeg, jlen, PS_JOB_DONE) != PS_OK ||
        ps_store_enqueue(g_db, &meta, jpeg, jlen, &id) != PS_OK)
        abort();
    ps_store_job_free(&j);
    ps_image_free(&img);
    free(jpeg);
    free(json);
}

static void start(void)
{
    ps_http_opts o;
    char err[256], listen[32];
    snprintf(g_dir, sizeof g_dir, "/tmp/ps-fuzz-http-XXXXXX");
    if (mkdtemp(g_dir) == NULL)
        abort();
    snprintf(g_url, sizeof g_url, "sqlite:%s/store.db", g_dir);
    if (ps_store_open(g_url, &g_db, err, sizeof err) != PS_OK ||
        ps_store_token_add(g_db, "fuzz-client", g_token) != PS_OK ||
        ps_store_reviewer_set(g_db, "fuzz", "a long fuzz password", &g_reviewer) != PS_OK) {
        fprintf(stderr, "fuzz_http: store setup failed: %s\n", err);
        abort();
    }
    new_session();
    seed_store();
    ps_http_opts_default(&o);
    o.db_url = g_url;
    snprintf(listen, sizeof listen, "127.0.0.1:0");
    o.listen = listen;
    o.threads = 1; /* one thread: a stuck handler stops every answer */
    o.quiet = 1;
    /* a failed sign-in must not make the next input wait */
    o.login_base_delay_ms = 1;
    o.login_max_delay_ms = 1;
    if (ps_http_start(&o, &g_srv, err, sizeof err) != PS_OK) {
        fprintf(stderr, "fuzz_http: %s\n", err);
        abort();
    }
    atexit(stop);
}

/* The input with the placeholders replaced, malloc'd. */
static char *expand(const uint8_t *data, size_t size, size_t *out_len)
{
    static const char *keys[] = {"@TOKEN@", "@SESSION@", "@CSRF@"};
    const char *vals[] = {g_token, g_session, g_csrf};
    /* each 6..9-byte key becomes 64 bytes: at most 11 times longer */
    char *out = malloc(size * 11 + 1);
    size_t n = 0;
    if (out == NULL)
        return NULL;
    for (size_t i = 0; i < size;) {
        int hit = 0;
        for (int k = 0; k < 3 && !hit; k++) {
            size_t kl = strlen(keys[k]);
            if (size - i >= kl && memcmp(data + i, keys[k], kl) == 0) {
                memcpy(out + n, vals[k], strlen(vals[k]));
                n += strlen(vals[k]);
                i += kl;
                hit = 1;
            }
        }
        if (!hit)
            out[n++] = (char)data[i++];
    }
    *out_len = n;
    return out;
}

/* 1 when `resp` (got bytes, NUL-terminated) holds a whole response: the
 * header block after any 1xx interim answers, and Content-Length bytes of
 * body (none for HEAD). The server keeps connections alive, so the end of
 * a response is not an EOF. */
static int complete(const char *resp, size_t got, int head)
{
    const char *p = resp;
    for (;;) {
        const char *end = strstr(p, "\r\n\r\n");
        const char *cl;
        size_t hdr, body = 0;
        if (end == NULL)
            return 0;
        hdr = (size_t)(end + 4 - resp);
        if (strncmp(p, "HTTP/1.1 1", 10) == 0 || strncmp(p, "HTTP/1.0 1", 10) == 0) {
            p = end + 4; /* 100 Continue: the real answer follows */
            continue;
        }
        if (head)
            return 1;
        cl = strcasestr(p, "\r\ncontent-length:");
        if (cl == NULL || cl > end)
            return 0; /* no length: read to EOF */
        body = (size_t)strtoull(cl + 17, NULL, 10);
        return got >= hdr + body;
    }
}

/* 1 when the request looks complete to a simple reading (headers ended,
 * Content-Length bytes of body present, a chunked body with its last
 * chunk): the server must then answer it. Only used to choose how long to
 * wait; a misjudgement costs time, never a false report (see exchange). */
static int request_complete(const char *req, size_t len)
{
    const char *end = memmem(req, len, "\r\n\r\n", 4);
    const char *cl, *te;
    size_t hdr, body;
    if (end == NULL)
        return 0;
    hdr = (size_t)(end + 4 - req);
    body = len - hdr;
    te = memmem(req, hdr, "\r\nTransfer-Encoding:", 20);
    if (te != NULL)
        return memmem(end, len - (size_t)(end - req), "\r\n0\r\n\r\n", 7) != NULL;
    cl = memmem(req, hdr, "\r\nContent-Length:", 17);
    if (cl == NULL)
        return 1;
    return body >= (size_t)strtoull(cl + 17, NULL, 10);
}

/* Sends `len` bytes on a new connection and reads the answer.
 * libmicrohttpd reads with edge-triggered epoll: when a request's last
 * bytes and the client's FIN arrive together it can miss the FIN and keep
 * an incomplete request open until its 30-second idle timeout. So the FIN
 * is sent only after a short pause, and an incomplete request that still
 * gets no answer is dropped with a reset. Returns 1 when an answer or a
 * close came, 0 when none came within `wait_ms`. */
static int send_request(const char *req, size_t len, int wait_ms, char *resp, size_t *got_out)
{
    struct sockaddr_in sa;
    struct linger rst = {1, 0};
    size_t got = 0, sent = 0;
    int head = len >= 5 && memcmp(req, "HEAD ", 5) == 0;
    int closed = 0, shut = 0, waited = 0;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        abort();
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)ps_http_port(g_srv));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
        abort();
    while (sent < len) {
        ssize_t w = send(fd, req + sent, len - sent, MSG_NOSIGNAL);
        if (w <= 0)
            break; /* the server closed early: a refused request */
        sent += (size_t)w;
    }
    resp[0] = '\0';
    while (!complete(resp, got, head)) {
        /* first 2 ms without the FIN; then the FIN, polled in 10 ms steps */
        struct pollfd p = {fd, POLLIN, 0};
        int step = shut ? 10 : 2;
        int pr = poll(&p, 1, step);
        ssize_t r;
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr == 0) {
            if (!shut) {
                shutdown(fd, SHUT_WR);
                shut = 1;
                continue;
            }
            waited += step;
            if (waited >= wait_ms)
                break;
            continue;
        }
        if (got >= RESPONSE_MAX) {
            closed = 1; /* enough to check the status line */
            break;
        }
        r = recv(fd, resp + got, RESPONSE_MAX - got, 0);
        if (r <= 0) {
            closed = 1;
            break;
        }
        got += (size_t)r;
        resp[got] = '\0';
    }
    if (!closed && !complete(resp, got, head))
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &rst, sizeof rst); /* free the server's slot */
    close(fd);
    *got_out = got;
    return closed || complete(resp, got, head);
}

static void exchange(const char *req, size_t len)
{
    static const char health[] = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    char resp[RESPONSE_MAX + 1], probe[RESPONSE_MAX + 1];
    size_t got = 0, pgot = 0;
    /* A complete request must be answered; an incomplete one may wait for
     * bytes that never come, which is not a bug. */
    int must = request_complete(req, len);
    if (!send_request(req, len, must ? RESPONSE_WAIT_MS : INCOMPLETE_WAIT_MS, resp, &got) && must) {
        /* Our reading of "complete" may differ from the server's: it is a
         * hang only if the (single-threaded) server no longer answers. */
        if (!send_request(health, sizeof health - 1, RESPONSE_WAIT_MS, probe, &pgot) ||
            strncmp(probe, "HTTP/1.1 200", 12) != 0) {
            fprintf(stderr, "fuzz_http: the server stopped answering\n");
            abort();
        }
    }
    if (got > 0 && (got < 12 || memcmp(resp, "HTTP/1.", 7) != 0)) {
        fprintf(stderr, "fuzz_http: malformed response\n");
        abort();
    }
    if (getenv("PS_FUZZ_HTTP_SHOW") != NULL) /* seeing what a seed reaches */
        fprintf(stderr, "%.*s\n", (int)strcspn(resp, "\r\n"), resp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ps_session s;
    size_t len = 0;
    char *req;
    if (g_srv == NULL)
        start();
    req = expand(data, size, &len);
    if (req == NULL)
        return 0;
    exchange(req, len);
    free(req);
    if (ps_store_session_lookup(g_db, g_session, &s) != PS_OK)
        new_session(); /* the input signed out */
    return 0;
}
