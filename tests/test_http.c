/* The review server, over real sockets: a server on 127.0.0.1 with an
 * ephemeral port and a fresh SQLite store per test. Requests are written by
 * hand (so that malformed ones can be sent) and read until the server
 * closes the connection. Also the multipart parser on its own. */
#include "testutil.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "http/multipart.h"
#include "prescreen/http.h"
#include "prescreen/store.h"

static const char reviewer_name[] = "alice";
static const char reviewer_pw[] = "a long test password";
static const char applicant_json[] =
    "{\"id\":\"A-1001\",\"name\":\"山田 太郎\",\"name_kana\":\"ヤマダ タロウ\","
    "\"birth_date\":\"1990-04-01\",\"address\":\"東京都千代田区千代田1-1-1\",\"card_deposit\":false}";
/* Upload limit of the test server: small, so "oversized" is cheap to send. */
#define TEST_MAX_UPLOAD (100u << 10)

static ps_http_server *srv;
static ps_store *S;
static int port;
static char db_path[256];
static char token[PS_STORE_TOKEN_SIZE];
static int64_t reviewer_id;

/* ---- a tiny HTTP client ---------------------------------------------------- */

typedef struct resp {
    int status;
    char *head; /* status line and headers, NUL-terminated */
    char *body;
    size_t len;
    int closed_early; /* the server closed before any response */
} resp;

static void resp_free(resp *r)
{
    if (!r)
        return;
    free(r->head);
    free(r->body);
    free(r);
}

static int connect_server(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    struct timeval tv = {.tv_sec = 20};
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ck_assert_int_ge(fd, 0);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    return fd;
}

/* Sends `len` raw bytes (errors ignored: the server may close early) and
 * reads the whole answer. */
static resp *raw(const void *data, size_t len)
{
    int fd = connect_server();
    size_t off = 0, cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    resp *r = calloc(1, sizeof *r);
    while (off < len) {
        ssize_t w = send(fd, (const char *)data + off, len - off, MSG_NOSIGNAL);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    for (;;) {
        if (n + 1 >= cap)
            buf = realloc(buf, cap *= 2);
        ssize_t got = recv(fd, buf + n, cap - n - 1, 0);
        if (got <= 0)
            break;
        n += (size_t)got;
    }
    close(fd);
    buf[n] = '\0';
    char *sep = strstr(buf, "\r\n\r\n");
    if (n == 0 || !sep || sscanf(buf, "HTTP/1.%*d %d", &r->status) != 1) {
        r->closed_early = 1;
        r->head = strdup("");
        r->body = strdup("");
        free(buf);
        return r;
    }
    *sep = '\0';
    r->head = strdup(buf);
    r->len = n - (size_t)(sep + 4 - buf);
    r->body = malloc(r->len + 1);
    memcpy(r->body, sep + 4, r->len);
    r->body[r->len] = '\0';
    free(buf);
    return r;
}

/* A request with Connection: close and an optional body. */
static resp *req(const char *method, const char *path, const char *headers, const char *body,
                 size_t blen)
{
    size_t hl = strlen(method) + strlen(path) + (headers ? strlen(headers) : 0) + 200;
    char *msg = malloc(hl + blen);
    int n = snprintf(msg, hl, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n%s",
                     method, path, port, headers ? headers : "");
    if (body)
        n += snprintf(msg + n, hl - (size_t)n, "Content-Length: %zu\r\n", blen);
    n += snprintf(msg + n, hl - (size_t)n, "\r\n");
    if (body)
        memcpy(msg + n, body, blen);
    resp *r = raw(msg, (size_t)n + (body ? blen : 0));
    free(msg);
    return r;
}

static resp *get(const char *path, const char *headers)
{
    return req("GET", path, headers, NULL, 0);
}

/* The value of header `name` (case-sensitive here: the server's spelling). */
static int header_value(const resp *r, const char *name, char *out, size_t outlen)
{
    char key[64];
    snprintf(key, sizeof key, "\r\n%s: ", name);
    const char *h = strstr(r->head, key);
    if (!h)
        return 0;
    h += strlen(key);
    size_t n = strcspn(h, "\r\n");
    if (n >= outlen)
        n = outlen - 1;
    memcpy(out, h, n);
    out[n] = '\0';
    return 1;
}

/* The first 64-hex value after `marker` in `text`. */
static int hex_after(const char *text, const char *marker, char out[65])
{
    const char *p = strstr(text, marker);
    if (!p)
        return 0;
    p += strlen(marker);
    memcpy(out, p, 64);
    out[64] = '\0';
    return strspn(out, "0123456789abcdef") == 64;
}

/* ---- fixture: a fresh store and server per test ----------------------------- */

static void start_server(int64_t base_delay_ms)
{
    char err[512], url[300];
    ps_http_opts o;
    snprintf(db_path, sizeof db_path, "/tmp/ps_test_http_%ld_%ld.db", (long)getpid(), (long)time(NULL));
    unlink(db_path);
    snprintf(url, sizeof url, "sqlite:%s", db_path);
    ck_assert_int_eq(ps_store_open(url, &S, err, sizeof err), PS_OK);
    ck_assert_int_eq(ps_store_reviewer_set(S, reviewer_name, reviewer_pw, &reviewer_id), PS_OK);
    ck_assert_int_eq(ps_store_token_add(S, "uploader", token), PS_OK);
    ck_assert_int_eq(ps_store_put_applicant(S, applicant_json), PS_OK);
    ps_http_opts_default(&o);
    o.db_url = url;
    o.listen = "127.0.0.1:0";
    o.threads = 2;
    o.quiet = 1;
    o.max_upload_bytes = TEST_MAX_UPLOAD;
    o.login_base_delay_ms = base_delay_ms;
    ck_assert_msg(ps_http_start(&o, &srv, err, sizeof err) == PS_OK, "start: %s", err);
    port = ps_http_port(srv);
    ck_assert_int_gt(port, 0);
}

static void setup(void)
{
    start_server(2000); /* long enough that a burst of attempts is inside it */
}

static void teardown(void)
{
    char p[300];
    ps_http_stop(&srv);
    ps_store_close(&S);
    unlink(db_path);
    snprintf(p, sizeof p, "%s-wal", db_path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", db_path);
    unlink(p);
}

/* Signs in; fills the Cookie header line and the session's CSRF token. */
static void sign_in(char cookie_hdr[200], char csrf[65])
{
    char pre[65], form[400], hdr[300], sc[300];
    resp *r = get("/login", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert(header_value(r, "Set-Cookie", sc, sizeof sc));
    ck_assert(hex_after(sc, "ps_login=", pre));
    resp_free(r);
    snprintf(form, sizeof form, "csrf=%s&name=%s&password=a+long+test+password", pre, reviewer_name);
    snprintf(hdr, sizeof hdr,
             "Cookie: ps_login=%s\r\nContent-Type: application/x-www-form-urlencoded\r\n", pre);
    r = req("POST", "/login", hdr, form, strlen(form));
    ck_assert_int_eq(r->status, 303);
    char tok[65];
    ck_assert(header_value(r, "Set-Cookie", sc, sizeof sc));
    ck_assert(hex_after(sc, "ps_session=", tok));
    ck_assert_ptr_nonnull(strstr(sc, "HttpOnly"));
    ck_assert_ptr_nonnull(strstr(sc, "SameSite=Strict"));
    resp_free(r);
    snprintf(cookie_hdr, 200, "Cookie: ps_session=%s\r\n", tok);
    r = get("/", cookie_hdr);
    ck_assert_int_eq(r->status, 200);
    ck_assert(hex_after(r->body, "name=\"csrf\" value=\"", csrf));
    resp_free(r);
}

/* Enqueues one upload and completes it with `report` and a small "JPEG". */
static int64_t screened_job(const char *kind, const char *report, const uint8_t *jpeg, size_t jlen)
{
    ps_upload_meta m = {.kind = kind, .applicant_id = "A-1001"};
    static const uint8_t bytes[] = "\xff\xd8\xff\xe0 original upload bytes";
    int64_t id = 0;
    ps_store_job *j = NULL;
    ck_assert_int_eq(ps_store_enqueue(S, &m, bytes, sizeof bytes, &id), PS_OK);
    ck_assert_int_eq(ps_store_claim(S, "test", 60, &j), PS_OK);
    ck_assert_ptr_nonnull(j);
    ck_assert_int_eq(j->id, id);
    ck_assert_int_eq(ps_store_complete(S, id, "test", report, jpeg, jlen, PS_JOB_DONE), PS_OK);
    ps_store_job_free(&j);
    return id;
}

static const char flagged_report[] =
    "{\"schema\":\"prescreen.report/1\",\"kind\":\"selfie\",\"side\":null,"
    "\"image\":{\"width\":800,\"height\":600,\"format\":\"jpeg\",\"exif_orientation\":1},"
    "\"checks\":{\"face\":{\"count\":2,\"faces\":[{\"box\":[400,100,120,130],\"score\":0.97,"
    "\"on_document\":false},{\"box\":[120,330,40,44],\"score\":0.8,\"on_document\":true}],\"pass\":true},"
    "\"document\":{\"found\":true,\"quad\":[[100,300],[300,290],[310,420],[105,430]],\"pass\":true},"
    "\"occlusion\":{\"fraction\":0.2,\"regions\":[[250,320,50,60]],\"pass\":false}},"
    "\"fields\":{\"name\":{\"text\":\"山田 花子\",\"confidence\":0.9,\"match\":false},"
    "\"birth_date\":{\"text\":\"平成2年4月1日\",\"iso\":\"1990-04-01\",\"match\":true}},"
    "\"redactions\":[{\"type\":\"my_number\",\"box\":[150,380,100,20]}],"
    "\"flags\":[\"finger_over_document\",\"name_mismatch\"],\"verdict\":\"review\"}";

/* ---- routes without a session or token ------------------------------------------ */

START_TEST(every_route_needs_a_session)
{
    char cookie[200], csrf[65], hdr[400];
    int64_t job = screened_job("selfie", flagged_report, (const uint8_t *)"\xff\xd8JPEGDATA", 10);
    char path[64];
    static const char *const pages[] = {"/", "/applicants/A-1001", "/uploads/1", "/uploads/1/image",
                                        "/nope", "/applicants/A-1001/decision"};
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        resp *r = get(pages[i], NULL);
        char loc[64];
        ck_assert_msg(r->status == 303, "%s gave %d", pages[i], r->status);
        ck_assert(header_value(r, "Location", loc, sizeof loc));
        ck_assert_str_eq(loc, "/login");
        ck_assert_ptr_null(strstr(r->body, "A-1001"));
        resp_free(r);
    }
    static const char *const posts[] = {"/applicants/A-1001/decision", "/logout", "/"};
    for (size_t i = 0; i < sizeof posts / sizeof posts[0]; i++) {
        resp *r = req("POST", posts[i], "Content-Type: application/x-www-form-urlencoded\r\n",
                      "kind=selfie&decision=approved", 29);
        ck_assert_msg(r->status == 401, "POST %s gave %d", posts[i], r->status);
        resp_free(r);
    }
    /* A forged or expired session cookie is no session. */
    resp *r = get("/", "Cookie: ps_session=0000000000000000000000000000000000000000000000000000000000000000\r\n");
    ck_assert_int_eq(r->status, 303);
    resp_free(r);
    /* Only the sign-in page's stylesheet is public; the page script is not. */
    r = get("/static/style.css", NULL);
    ck_assert_int_eq(r->status, 200);
    resp_free(r);
    r = get("/static/review.js", NULL);
    ck_assert_int_eq(r->status, 404);
    resp_free(r);
    r = get("/healthz", NULL);
    ck_assert_int_eq(r->status, 200);
    ck_assert_ptr_nonnull(strstr(r->body, "\"ok\""));
    resp_free(r);
    /* The API wants a token; a reviewer's session is not one. */
    sign_in(cookie, csrf);
    static const char *const api[] = {"/api/applicants/A-1001", "/api/jobs/1", "/api/uploads"};
    for (size_t i = 0; i < sizeof api / sizeof api[0]; i++) {
        r = get(api[i], cookie);
        ck_assert_msg(r->status == 401, "%s gave %d", api[i], r->status);
        ck_assert_ptr_nonnull(strstr(r->head, "WWW-Authenticate: Bearer"));
        resp_free(r);
        r = get(api[i], "Authorization: Bearer 1111111111111111111111111111111111111111111111111111111111111111\r\n");
        ck_assert_int_eq(r->status, 401);
        resp_free(r);
    }
    /* And a token does not open the pages. */
    snprintf(hdr, sizeof hdr, "Authorization: Bearer %s\r\n", token);
    r = get("/", hdr);
    ck_assert_int_eq(r->status, 303);
    resp_free(r);
    /* Signed in: the same page and the image are served. */
    snprintf(path, sizeof path, "/uploads/%lld/image", (long long)job);
    r = get(path, cookie);
    ck_assert_int_eq(r->status, 200);
    ck_assert_int_eq(r->len, 10);
    ck_assert_int_eq(memcmp(r->body, "\xff\xd8JPEGDATA", 10), 0);
    resp_free(r);
    r = get("/static/review.js", cookie);
    ck_assert_int_eq(r->status, 200);
    resp_free(r);
    /* Signing out ends the session. */
    char form[100];
    snprintf(form, sizeof form, "csrf=%s", csrf);
    snprintf(hdr, sizeof hdr, "%sContent-Type: application/x-www-form-urlencoded\r\n", cookie);
    r = req("POST", "/logout", hdr, form, strlen(form));
    ck_assert_int_eq(r->status, 303);
    resp_free(r);
    r = get("/", cookie);
    ck_assert_int_eq(r->status, 303);
    resp_free(r);
}
END_TEST

START_TEST(post_without_csrf_is_refused)
{
    char cookie[200], csrf[65], hdr[400], form[300];
    ps_review rv;
    screened_job("selfie", flagged_report, (const uint8_t *)"\xff\xd8", 2);
    sign_in(cookie, csrf);
    snprintf(hdr, sizeof hdr, "%sContent-Type: application/x-www-form-urlencoded\r\n", cookie);
    /* no token */
    snprintf(form, sizeof form, "kind=selfie&decision=approved");
    resp *r = req("POST", "/applicants/A-1001/decision", hdr, form, strlen(form));
    ck_assert_int_eq(r->status, 403);
    resp_free(r);
    /* a wrong token of the right shape */
    snprintf(form, sizeof form, "csrf=%064d&kind=selfie&decision=approved", 7);
    r = req("POST", "/applicants/A-1001/decision", hdr, form, strlen(form));
    ck_assert_int_eq(r->status, 403);
    resp_free(r);
    /* the right token, but sent from another site */
    char hdr2[600];
    snprintf(form, sizeof form, "csrf=%s&kind=selfie&decision=approved", csrf);
    snprintf(hdr2, sizeof hdr2, "%sOrigin: http://evil.example\r\n", hdr);
    r = req("POST", "/applicants/A-1001/decision", hdr2, form, strlen(form));
    ck_assert_int_eq(r->status, 403);
    resp_free(r);
    snprintf(hdr2, sizeof hdr2, "%sSec-Fetch-Site: cross-site\r\n", hdr);
    r = req("POST", "/applicants/A-1001/decision", hdr2, form, strlen(form));
    ck_assert_int_eq(r->status, 403);
    resp_free(r);
    snprintf(hdr2, sizeof hdr2, "%sOrigin: null\r\n", hdr); /* a sandboxed frame */
    r = req("POST", "/applicants/A-1001/decision", hdr2, form, strlen(form));
    ck_assert_int_eq(r->status, 403);
    resp_free(r);
    ck_assert_int_eq(ps_store_review_status(S, "A-1001", &rv), PS_OK);
    ck_assert_int_eq(rv.status[1], PS_REVIEW_CHECKING); /* nothing was decided */
    /* Sign-in without the pre-login cookie's token is refused too. */
    r = req("POST", "/login", "Content-Type: application/x-www-form-urlencoded\r\n",
            "name=alice&password=a+long+test+password", 40);
    ck_assert_int_eq(r->status, 403);
    ck_assert_ptr_null(strstr(r->head, "ps_session="));
    resp_free(r);
    /* A rejection with a 16-digit number in the reason is refused. */
    snprintf(form, sizeof form, "csrf=%s&kind=selfie&decision=rejected&reason=card+4111+1111+1111+1111", csrf);
    snprintf(hdr2, sizeof hdr2, "%sOrigin: http://127.0.0.1:%d\r\n", hdr, port);
    r = req("POST", "/applicants/A-1001/decision", hdr2, form, strlen(form));
    ck_assert_int_eq(r->status, 400);
    resp_free(r);
    /* With the token (and the same origin) the decision is recorded and audited. */
    snprintf(form, sizeof form, "csrf=%s&kind=selfie&decision=rejected&preset=finger_over_document", csrf);
    r = req("POST", "/applicants/A-1001/decision", hdr2, form, strlen(form));
    ck_assert_int_eq(r->status, 303);
    resp_free(r);
    ck_assert_int_eq(ps_store_review_status(S, "A-1001", &rv), PS_OK);
    ck_assert_int_eq(rv.status[1], PS_REVIEW_REJECTED);
    char *audit = NULL;
    ck_assert_int_eq(ps_store_audit_json(S, "A-1001", &audit), PS_OK);
    ck_assert_ptr_nonnull(strstr(audit, "\"reviewer\":\"alice\""));
    ck_assert_ptr_nonnull(strstr(audit, "指が書類に重なっています"));
    free(audit);
}
END_TEST

START_TEST(path_traversal_is_refused)
{
    char cookie[200], csrf[65];
    sign_in(cookie, csrf);
    static const char *const paths[] = {
        "/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd",
        "/static/..%2f..%2f..%2fetc%2fpasswd", "/static/style.css/../../../etc/passwd",
        "/static/./style.css", "/static//etc/passwd", "/static/%2fetc%2fpasswd",
        "/static/..\\..\\etc\\passwd", "/uploads/..%2f..%2fetc%2fpasswd/image",
        "/uploads/1/../../../etc/passwd", "/applicants/..%2f..%2fetc%2fpasswd",
        "/applicants/%2e%2e", "/../../etc/passwd", "/uploads/1%00/image",
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        resp *r = get(paths[i], cookie);
        ck_assert_msg(r->status == 404 || r->status == 400, "%s gave %d", paths[i], r->status);
        ck_assert_ptr_null(strstr(r->body, "root:"));
        resp_free(r);
    }
    char hdr[400];
    snprintf(hdr, sizeof hdr, "Authorization: Bearer %s\r\n", token);
    resp *r = get("/api/applicants/..%2f..%2fetc%2fpasswd", hdr);
    ck_assert_int_eq(r->status, 404);
    resp_free(r);
}
END_TEST

START_TEST(wrong_passwords_are_slowed_down)
{
    char pre[65], sc[300], form[400], hdr[300], ra[16];
    int refused = 0, denied = 0;
    resp *r = get("/login", NULL);
    ck_assert(header_value(r, "Set-Cookie", sc, sizeof sc));
    ck_assert(hex_after(sc, "ps_login=", pre));
    resp_free(r);
    snprintf(hdr, sizeof hdr,
             "Cookie: ps_login=%s\r\nContent-Type: application/x-www-form-urlencoded\r\n", pre);
    for (int i = 0; i < 20; i++) {
        snprintf(form, sizeof form, "csrf=%s&name=alice&password=guess%d", pre, i);
        r = req("POST", "/login", hdr, form, strlen(form));
        if (i < 5)
            ck_assert_msg(r->status == 401, "attempt %d gave %d", i, r->status);
        if (r->status == 401)
            denied++;
        if (r->status == 429) {
            refused++;
            ck_assert(header_value(r, "Retry-After", ra, sizeof ra));
            ck_assert_int_ge(atoi(ra), 1);
        }
        ck_assert_ptr_null(strstr(r->head, "ps_session="));
        resp_free(r);
    }
    ck_assert_int_eq(denied, 5);
    ck_assert_int_eq(refused, 15);
    /* While the delay runs even the right password is not tried. */
    snprintf(form, sizeof form, "csrf=%s&name=alice&password=a+long+test+password", pre);
    r = req("POST", "/login", hdr, form, strlen(form));
    ck_assert_int_eq(r->status, 429);
    resp_free(r);
    /* Another name from the same address is not affected. */
    snprintf(form, sizeof form, "csrf=%s&name=bob&password=x", pre);
    r = req("POST", "/login", hdr, form, strlen(form));
    ck_assert_int_eq(r->status, 401);
    resp_free(r);
    /* After the delay the right password works. */
    usleep(2100 * 1000);
    snprintf(form, sizeof form, "csrf=%s&name=alice&password=a+long+test+password", pre);
    r = req("POST", "/login", hdr, form, strlen(form));
    ck_assert_int_eq(r->status, 303);
    ck_assert_ptr_nonnull(strstr(r->head, "ps_session="));
    resp_free(r);
}
END_TEST

/* ---- the upload API ---------------------------------------------------------------- */

static const char boundary[] = "----psTestBoundary7MA4YWxk";

/* Builds a multipart body: text fields, then a file of `flen` bytes. */
static char *multipart(const char *kind, const char *applicant, size_t flen, size_t *len)
{
    size_t cap = flen + 2048;
    char *b = malloc(cap);
    int n = 0;
    if (kind)
        n += snprintf(b + n, cap - (size_t)n,
                      "--%s\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n%s\r\n", boundary, kind);
    if (applicant)
        n += snprintf(b + n, cap - (size_t)n,
                      "--%s\r\nContent-Disposition: form-data; name=\"applicant_id\"\r\n\r\n%s\r\n",
                      boundary, applicant);
    n += snprintf(b + n, cap - (size_t)n,
                  "--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../../x.jpg\"\r\n"
                  "Content-Type: image/jpeg\r\n\r\n", boundary);
    for (size_t i = 0; i < flen; i++)
        b[n + (int)i] = (char)(i == 0 ? 0xff : i == 1 ? 0xd8 : 'a' + (int)(i % 26));
    n += (int)flen;
    n += snprintf(b + n, cap - (size_t)n, "\r\n--%s--\r\n", boundary);
    *len = (size_t)n;
    return b;
}

static resp *upload(const char *body, size_t len, const char *ctype)
{
    char hdr[512];
    snprintf(hdr, sizeof hdr, "Authorization: Bearer %s\r\nContent-Type: %s\r\n", token, ctype);
    return req("POST", "/api/uploads", hdr, body, len);
}

static void assert_still_serving(void)
{
    resp *r = get("/healthz", NULL);
    ck_assert_int_eq(r->status, 200);
    resp_free(r);
}

START_TEST(upload_with_token_queues_a_job)
{
    char hdr[512], ct[128], path[64];
    size_t len;
    snprintf(ct, sizeof ct, "multipart/form-data; boundary=%s", boundary);
    char *body = multipart("photo_id", "A-1001", 5000, &len);
    resp *r = upload(body, len, ct);
    ck_assert_msg(r->status == 202, "%d %s", r->status, r->body);
    long long job = 0;
    ck_assert_int_eq(sscanf(r->body, "{\"job_id\":%lld", &job), 1);
    ck_assert_int_gt(job, 0);
    resp_free(r);
    free(body);
    ps_store_job *j = NULL;
    ck_assert_int_eq(ps_store_get_job(S, job, &j), PS_OK);
    ck_assert_int_eq(j->state, PS_JOB_QUEUED);
    ck_assert_str_eq(j->kind, "photo_id");
    ck_assert_str_eq(j->applicant_id, "A-1001");
    ck_assert_int_eq(j->original_len, 5000);
    ps_store_job_free(&j);
    /* GET /api/jobs/ID and the applicant's statuses */
    snprintf(hdr, sizeof hdr, "Authorization: Bearer %s\r\n", token);
    snprintf(path, sizeof path, "/api/jobs/%lld", job);
    r = get(path, hdr);
    ck_assert_int_eq(r->status, 200);
    ck_assert_ptr_nonnull(strstr(r->body, "\"state\":\"queued\""));
    resp_free(r);
    r = get("/api/applicants/A-1001", hdr);
    ck_assert_int_eq(r->status, 200);
    ck_assert_ptr_nonnull(strstr(r->body, "\"photo_id\":\"in_process\""));
    ck_assert_ptr_nonnull(strstr(r->body, "\"ready_for_withdrawal\":false"));
    resp_free(r);
    /* PUT a profile, then upload for it; an unknown applicant is a 404. */
    snprintf(hdr, sizeof hdr, "Authorization: Bearer %s\r\nContent-Type: application/json\r\n", token);
    static const char prof[] = "{\"name\":\"佐藤 次郎\",\"birth_date\":\"1985-01-02\",\"card_deposit\":true}";
    r = req("PUT", "/api/applicants/B-7", hdr, prof, strlen(prof));
    ck_assert_int_eq(r->status, 200);
    ck_assert_ptr_nonnull(strstr(r->body, "\"credit_card\""));
    resp_free(r);
    static const char bad[] = "{\"id\":\"C-1\",\"name\":\"x\"}";
    r = req("PUT", "/api/applicants/B-7", hdr, bad, strlen(bad));
    ck_assert_int_eq(r->status, 400);
    resp_free(r);
    static const char bad_date[] = "{\"birth_date\":\"1985-13-45\"}";
    r = req("PUT", "/api/applicants/B-7", hdr, bad_date, strlen(bad_date));
    ck_assert_int_eq(r->status, 400);
    resp_free(r);
    body = multipart("selfie", "NOBODY", 100, &len);
    r = upload(body, len, ct);
    ck_assert_int_eq(r->status, 404);
    resp_free(r);
    free(body);
    body = multipart("selfie", "B-7", 100, &len);
    r = upload(body, len, ct);
    ck_assert_int_eq(r->status, 202);
    resp_free(r);
    free(body);
}
END_TEST

START_TEST(bad_uploads_get_clear_4xx)
{
    char ct[128], hdr[512];
    size_t len;
    snprintf(ct, sizeof ct, "multipart/form-data; boundary=%s", boundary);

    /* Declared over the limit: refused before the body is read. */
    char *body = multipart("selfie", "A-1001", TEST_MAX_UPLOAD + 70000, &len);
    resp *r = upload(body, len, ct);
    ck_assert_int_eq(r->status, 413);
    ck_assert_ptr_nonnull(strstr(r->body, "too_many_bytes"));
    resp_free(r);
    free(body);
    assert_still_serving();
    /* Within the body limit but the file itself is over it. */
    body = multipart("selfie", "A-1001", TEST_MAX_UPLOAD + 1, &len);
    r = upload(body, len, ct);
    ck_assert_int_eq(r->status, 413);
    resp_free(r);
    free(body);
    assert_still_serving();

    /* Truncated: the final boundary is missing. */
    body = multipart("selfie", "A-1001", 1000, &len);
    r = upload(body, len - 10, ct);
    ck_assert_int_eq(r->status, 400);
    ck_assert_ptr_nonnull(strstr(r->body, "bad_multipart"));
    resp_free(r);
    /* Wrong boundary, no boundary, not multipart. */
    r = upload(body, len, "multipart/form-data; boundary=other");
    ck_assert_int_eq(r->status, 400);
    resp_free(r);
    r = upload(body, len, "multipart/form-data");
    ck_assert_int_eq(r->status, 400);
    resp_free(r);
    r = upload(body, len, "application/octet-stream");
    ck_assert_int_eq(r->status, 415);
    resp_free(r);
    free(body);
    /* Missing fields, bad kind. */
    body = multipart(NULL, "A-1001", 10, &len);
    r = upload(body, len, ct);
    ck_assert_int_eq(r->status, 400);
    resp_free(r);
    free(body);
    body = multipart("passport_scan", "A-1001", 10, &len);
    r = upload(body, len, ct);
    ck_assert_int_eq(r->status, 400);
    resp_free(r);
    free(body);
    /* A part without a name; garbage; many parts. */
    char junk[600];
    int n = snprintf(junk, sizeof junk, "--%s\r\nContent-Disposition: form-data\r\n\r\nx\r\n--%s--\r\n",
                     boundary, boundary);
    r = upload(junk, (size_t)n, ct);
    ck_assert_int_eq(r->status, 400);
    resp_free(r);
    r = upload("\x00\x01\x02garbage", 10, ct);
    ck_assert_int_eq(r->status, 400);
    resp_free(r);
    char many[4096];
    n = 0;
    for (int i = 0; i < 20; i++)
        n += snprintf(many + n, sizeof many - (size_t)n,
                      "--%s\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nselfie\r\n", boundary);
    n += snprintf(many + n, sizeof many - (size_t)n, "--%s--\r\n", boundary);
    r = upload(many, (size_t)n, ct);
    ck_assert_int_eq(r->status, 400);
    resp_free(r);
    /* A chunked body that runs over the limit: the connection is closed. */
    snprintf(hdr, sizeof hdr,
             "POST /api/uploads HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
             "Content-Type: %s\r\nTransfer-Encoding: chunked\r\n\r\n", token, ct);
    size_t big = TEST_MAX_UPLOAD + (200u << 10);
    char *msg = malloc(strlen(hdr) + big + 64);
    size_t m = (size_t)sprintf(msg, "%s%zx\r\n", hdr, big);
    memset(msg + m, 'z', big);
    m += big;
    m += (size_t)sprintf(msg + m, "\r\n0\r\n\r\n");
    r = raw(msg, m);
    ck_assert(r->closed_early || r->status == 413);
    resp_free(r);
    free(msg);
    /* Headers over the per-connection memory are refused by the library. */
    size_t hl = 100000;
    msg = malloc(hl + 100);
    m = (size_t)sprintf(msg, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ");
    memset(msg + m, 'h', hl);
    m += hl;
    m += (size_t)sprintf(msg + m, "\r\n\r\n");
    r = raw(msg, m);
    ck_assert(r->closed_early || (r->status >= 400 && r->status < 500));
    resp_free(r);
    free(msg);
    assert_still_serving();
    /* Nothing was queued by any of these. */
    int64_t counts[PS_JOB_STATE_COUNT_];
    ck_assert_int_eq(ps_store_counts(S, counts), PS_OK);
    ck_assert_int_eq(counts[PS_JOB_QUEUED], 0);
}
END_TEST

/* ---- the pages ----------------------------------------------------------------- */

START_TEST(upload_page_shows_overlay_flags_and_mismatches)
{
    char cookie[200], csrf[65], path[64], csp[300];
    int64_t job = screened_job("selfie", flagged_report, (const uint8_t *)"\xff\xd8", 2);
    sign_in(cookie, csrf);
    snprintf(path, sizeof path, "/uploads/%lld", (long long)job);
    resp *r = get(path, cookie);
    ck_assert_int_eq(r->status, 200);
    ck_assert(header_value(r, "Content-Security-Policy", csp, sizeof csp));
    ck_assert_ptr_nonnull(strstr(csp, "default-src 'self'"));
    ck_assert_ptr_nonnull(strstr(csp, "frame-ancestors 'none'"));
    ck_assert_ptr_null(strstr(r->body, "<script>"));     /* no inline script */
    ck_assert_ptr_null(strstr(r->body, " style=\""));    /* no inline style */
    ck_assert_ptr_nonnull(strstr(r->body, "viewBox=\"0 0 800 600\""));
    ck_assert_ptr_nonnull(strstr(r->body, "class=\"ov-face\" x=\"400.0\" y=\"100.0\""));
    ck_assert_ptr_nonnull(strstr(r->body, "class=\"ov-face-doc\""));
    ck_assert_ptr_nonnull(strstr(r->body, "<polygon class=\"ov-doc\""));
    ck_assert_ptr_nonnull(strstr(r->body, "class=\"ov-finger\" x=\"250.0\""));
    ck_assert_ptr_nonnull(strstr(r->body, "class=\"ov-mask\""));
    ck_assert_ptr_nonnull(strstr(r->body, "指が書類に重なっています。"));
    ck_assert_ptr_nonnull(strstr(r->body, "Fingers cover part of the document."));
    ck_assert_ptr_nonnull(strstr(r->body, "<tr class=\"mismatch\"><th>name</th><td>山田 花子"));
    ck_assert_ptr_nonnull(strstr(r->body, "山田 太郎")); /* the registered name beside it */
    ck_assert_ptr_nonnull(strstr(r->body, "<code>checking</code>"));
    resp_free(r);
    r = get("/", cookie);
    ck_assert_ptr_nonnull(strstr(r->body, "A-1001"));
    ck_assert_ptr_nonnull(strstr(r->body, "finger_over_document"));
    resp_free(r);
    r = get("/uploads/99999", cookie);
    ck_assert_int_eq(r->status, 404);
    resp_free(r);
}
END_TEST

START_TEST(pages_escape_stored_text)
{
    char cookie[200], csrf[65];
    ck_assert_int_eq(ps_store_put_applicant(S, "{\"id\":\"X-1\",\"name\":\"<script>alert(1)</script>\","
                                                "\"address\":\"\\\"><img src=x onerror=alert(2)>\"}"),
                     PS_OK);
    sign_in(cookie, csrf);
    resp *r = get("/applicants/X-1", cookie);
    ck_assert_int_eq(r->status, 200);
    ck_assert_ptr_null(strstr(r->body, "<script>alert"));
    ck_assert_ptr_null(strstr(r->body, "<img src=x"));
    ck_assert_ptr_nonnull(strstr(r->body, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    ck_assert_ptr_nonnull(strstr(r->body, "<code>not_submitted</code>"));
    resp_free(r);
}
END_TEST

/* ---- the multipart parser alone ---------------------------------------------------------- */

START_TEST(multipart_parses_and_refuses_every_truncation)
{
    size_t len, n = 0;
    char ct[128], err[160];
    ps_mp_part parts[8];
    snprintf(ct, sizeof ct, "multipart/form-data; boundary=\"%s\"", boundary);
    char *body = multipart("selfie", "A-1001", 300, &len);
    ck_assert_int_eq(ps_mp_parse(ct, (const uint8_t *)body, len, parts, 8, &n, err, sizeof err), PS_MP_OK);
    ck_assert_int_eq(n, 3);
    ck_assert_str_eq(parts[0].name, "kind");
    ck_assert_int_eq(parts[0].len, 6);
    ck_assert_int_eq(memcmp(parts[0].data, "selfie", 6), 0);
    ck_assert_str_eq(parts[2].name, "file");
    ck_assert_int_eq(parts[2].has_filename, 1);
    ck_assert_str_eq(parts[2].content_type, "image/jpeg");
    ck_assert_int_eq(parts[2].len, 300);
    /* Every strict prefix that stops before the closing "--" is refused. */
    size_t close_at = len - strlen("--\r\n");
    for (size_t cut = 0; cut < close_at; cut++) {
        ps_mp_result res = ps_mp_parse(ct, (const uint8_t *)body, cut, parts, 8, &n, err, sizeof err);
        ck_assert_msg(res != PS_MP_OK, "prefix of %zu bytes accepted", cut);
        ck_assert_int_eq(n, 0);
    }
    /* Too many parts for the caller's array. */
    ck_assert_int_eq(ps_mp_parse(ct, (const uint8_t *)body, len, parts, 2, &n, err, sizeof err),
                     PS_MP_TOO_MANY_PARTS);
    /* Boundaries: too long, bad characters, missing. */
    char longb[200];
    snprintf(longb, sizeof longb, "multipart/form-data; boundary=%071d", 0);
    ck_assert_int_eq(ps_mp_parse(longb, (const uint8_t *)body, len, parts, 8, &n, err, sizeof err),
                     PS_MP_BAD_BOUNDARY);
    ck_assert_int_eq(ps_mp_parse("multipart/form-data; boundary=a\"b", (const uint8_t *)body, len,
                                 parts, 8, &n, err, sizeof err),
                     PS_MP_BAD_BOUNDARY);
    ck_assert_int_eq(ps_mp_parse("text/plain", (const uint8_t *)body, len, parts, 8, &n, err, sizeof err),
                     PS_MP_NOT_MULTIPART);
    ck_assert_int_eq(ps_mp_parse(NULL, (const uint8_t *)body, len, parts, 8, &n, err, sizeof err),
                     PS_MP_NOT_MULTIPART);
    /* Flipping any single byte never crashes (ASan checks the reads). */
    for (size_t i = 0; i < len; i++) {
        char saved = body[i];
        body[i] = (char)(saved ^ 0x5a);
        ps_mp_parse(ct, (const uint8_t *)body, len, parts, 8, &n, err, sizeof err);
        body[i] = saved;
    }
    free(body);
    /* A part header block over 8 KiB is refused. */
    size_t big = PS_MP_HEADER_MAX + 100;
    char *h = malloc(big + 300);
    int m = sprintf(h, "--%s\r\nContent-Disposition: form-data; name=\"a\"\r\nX-Pad: ", boundary);
    memset(h + m, 'p', big);
    m += (int)big;
    m += sprintf(h + m, "\r\n\r\nv\r\n--%s--\r\n", boundary);
    ck_assert_int_eq(ps_mp_parse(ct, (const uint8_t *)h, (size_t)m, parts, 8, &n, err, sizeof err),
                     PS_MP_MALFORMED);
    ck_assert_ptr_nonnull(strstr(err, "8 KiB"));
    free(h);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("http");
    TCase *tc = tcase_create("server");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, every_route_needs_a_session);
    tcase_add_test(tc, post_without_csrf_is_refused);
    tcase_add_test(tc, path_traversal_is_refused);
    tcase_add_test(tc, wrong_passwords_are_slowed_down);
    tcase_add_test(tc, upload_with_token_queues_a_job);
    tcase_add_test(tc, bad_uploads_get_clear_4xx);
    tcase_add_test(tc, upload_page_shows_overlay_flags_and_mismatches);
    tcase_add_test(tc, pages_escape_stored_text);
    suite_add_tcase(s, tc);
    TCase *mp = tcase_create("multipart");
    tcase_add_test(mp, multipart_parses_and_refuses_every_truncation);
    suite_add_tcase(s, mp);
    return s;
}

int main(void)
{
    return ps_test_run(suite());
}
