/* Authentication for the review server: reviewer sign-in (passwords checked
 * by the store with Argon2id), session cookies, CSRF tokens, the login
 * limiter, and API bearer tokens. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "http/internal.h"

/* ---- the login limiter ------------------------------------------------------ */

/* Slots for IP+name pairs; when full, the stalest pair is forgotten. 4096
 * slots × 24 bytes bounds the memory to ~100 KiB whatever an attacker sends. */
#define PS__LIMITER_SLOTS 4096
/* Linear probing distance before evicting. */
#define PS__LIMITER_PROBE 16
/* A pair whose last failure is older than a day starts afresh. */
#define PS__LIMITER_FORGET_MS (24LL * 3600 * 1000)

typedef struct ps__slot {
    uint64_t key;      /* 0: empty */
    int64_t last_fail_ms;
    int failures;
} ps__slot;

struct ps__limiter {
    pthread_mutex_t mu;
    ps__slot slots[PS__LIMITER_SLOTS];
    unsigned char salt[crypto_shorthash_KEYBYTES]; /* per process: keys are not guessable */
};

int64_t ps__now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

ps_status ps__limiter_new(ps__limiter **out)
{
    *out = NULL;
    ps__limiter *l = calloc(1, sizeof *l);
    if (!l)
        return PS_E_NOMEM;
    pthread_mutex_init(&l->mu, NULL);
    randombytes_buf(l->salt, sizeof l->salt);
    *out = l;
    return PS_OK;
}

void ps__limiter_free(ps__limiter **l)
{
    if (!l || !*l)
        return;
    pthread_mutex_destroy(&(*l)->mu);
    free(*l);
    *l = NULL;
}

static uint64_t limiter_key(const ps__limiter *l, const char *ip, const char *name)
{
    unsigned char h[crypto_shorthash_BYTES];
    size_t il = strlen(ip), nl = strlen(name);
    unsigned char *msg = malloc(il + nl + 1);
    uint64_t k = 1;
    if (msg) {
        memcpy(msg, ip, il);
        msg[il] = 0; /* separator: "1.2.3.4" + "ab" differs from "1.2.3.4a" + "b" */
        memcpy(msg + il + 1, name, nl);
        crypto_shorthash(h, msg, il + nl + 1, l->salt);
        memcpy(&k, h, sizeof k);
        free(msg);
    }
    return k ? k : 1;
}

/* The slot of `key`, or (create) a free/stale/stalest one. Caller locks. */
static ps__slot *limiter_slot(ps__limiter *l, uint64_t key, int create, int64_t now)
{
    size_t base = (size_t)(key % PS__LIMITER_SLOTS);
    ps__slot *victim = NULL;
    for (size_t i = 0; i < PS__LIMITER_PROBE; i++) {
        ps__slot *s = &l->slots[(base + i) % PS__LIMITER_SLOTS];
        if (s->key == key) {
            if (now - s->last_fail_ms > PS__LIMITER_FORGET_MS)
                s->failures = 0;
            return s;
        }
        if (s->key == 0) {
            if (!victim || victim->key != 0)
                victim = s; /* the first empty slot */
        } else if (!victim || (victim->key != 0 && s->last_fail_ms < victim->last_fail_ms)) {
            victim = s; /* else the stalest pair */
        }
    }
    if (!create)
        return NULL;
    victim->key = key;
    victim->failures = 0;
    victim->last_fail_ms = now;
    return victim;
}

static int64_t delay_for(const ps_http_opts *o, int failures)
{
    if (failures < o->login_free_failures)
        return 0;
    int64_t d = o->login_base_delay_ms;
    for (int i = o->login_free_failures; i < failures && d < o->login_max_delay_ms; i++)
        d *= 2;
    return d < o->login_max_delay_ms ? d : o->login_max_delay_ms;
}

int64_t ps__limiter_wait_ms(ps__limiter *l, const ps_http_opts *o, const char *ip,
                            const char *name, int64_t now_ms)
{
    int64_t wait = 0;
    uint64_t key = limiter_key(l, ip, name);
    pthread_mutex_lock(&l->mu);
    ps__slot *s = limiter_slot(l, key, 0, now_ms);
    if (s) {
        int64_t until = s->last_fail_ms + delay_for(o, s->failures);
        wait = until > now_ms ? until - now_ms : 0;
    }
    pthread_mutex_unlock(&l->mu);
    return wait;
}

void ps__limiter_fail(ps__limiter *l, const char *ip, const char *name, int64_t now_ms)
{
    uint64_t key = limiter_key(l, ip, name);
    pthread_mutex_lock(&l->mu);
    ps__slot *s = limiter_slot(l, key, 1, now_ms);
    if (s->failures < 1000) /* far past the delay cap; stops overflow */
        s->failures++;
    s->last_fail_ms = now_ms;
    pthread_mutex_unlock(&l->mu);
}

void ps__limiter_clear(ps__limiter *l, const char *ip, const char *name)
{
    uint64_t key = limiter_key(l, ip, name);
    pthread_mutex_lock(&l->mu);
    ps__slot *s = limiter_slot(l, key, 0, 0);
    if (s)
        memset(s, 0, sizeof *s);
    pthread_mutex_unlock(&l->mu);
}

/* ---- cookies, sessions, tokens -------------------------------------------- */

int ps__cookie_get(const ps__req *q, const char *name, char *out, size_t outlen)
{
    size_t nl = strlen(name);
    const char *c = q->cookie;
    out[0] = '\0';
    while (c && *c) {
        while (*c == ' ' || *c == ';')
            c++;
        const char *end = strchr(c, ';');
        size_t len = end ? (size_t)(end - c) : strlen(c);
        if (len > nl && memcmp(c, name, nl) == 0 && c[nl] == '=') {
            size_t vl = len - nl - 1;
            if (vl >= outlen)
                return 0;
            memcpy(out, c + nl + 1, vl);
            out[vl] = '\0';
            return 1;
        }
        c = end;
    }
    return 0;
}

static int is_hex64(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
            return 0;
    return n == 64;
}

int ps__auth_session(ps__req *q)
{
    char tok[PS_STORE_TOKEN_SIZE + 1];
    if (!ps__cookie_get(q, PS__SESSION_COOKIE, tok, sizeof tok) || !is_hex64(tok))
        return 0;
    if (ps_store_session_lookup(q->store, tok, &q->session) != PS_OK)
        return 0;
    memcpy(q->session_token, tok, sizeof q->session_token);
    q->auth = PS_AUTH_SESSION;
    return 1;
}

int ps__auth_bearer(ps__req *q)
{
    const char *a = q->authorization;
    if (!a || strncasecmp(a, "Bearer ", 7) != 0)
        return 0;
    a += 7;
    while (*a == ' ')
        a++;
    if (!is_hex64(a))
        return 0;
    if (ps_store_token_check(q->store, a, q->client_name, sizeof q->client_name) != PS_OK)
        return 0;
    q->auth = PS_AUTH_TOKEN;
    return 1;
}

int ps__auth_same_origin(const ps__req *q)
{
    if (q->fetch_site && strcmp(q->fetch_site, "same-origin") != 0 &&
        strcmp(q->fetch_site, "none") != 0)
        return 0;
    if (q->origin && strcmp(q->origin, "null") != 0) {
        /* Origin is "scheme://host[:port]"; it must name this server. */
        const char *o = strstr(q->origin, "://");
        if (!o || !q->host || strcasecmp(o + 3, q->host) != 0)
            return 0;
    } else if (q->origin) {
        /* "null": an opaque origin (sandboxed page, or a referrer policy
         * that hides the origin): only the browser's own word helps. */
        return q->fetch_site && strcmp(q->fetch_site, "same-origin") == 0;
    }
    return 1;
}

int ps__auth_csrf_ok(const ps__req *q)
{
    char got[PS_STORE_TOKEN_SIZE + 1];
    if (q->auth != PS_AUTH_SESSION || !ps__auth_same_origin(q))
        return 0;
    if (ps__form_get((const char *)q->body, q->body_len, "csrf", got, sizeof got) != 1 ||
        strlen(got) != PS_STORE_TOKEN_SIZE - 1)
        return 0;
    return sodium_memcmp(got, q->session.csrf, PS_STORE_TOKEN_SIZE - 1) == 0;
}

static void cookie(ps__resp *r, int slot, const ps__req *q, const char *name, const char *value,
                   const char *path, int max_age)
{
    snprintf(r->set_cookie[slot], sizeof r->set_cookie[slot],
             "%s=%s; Path=%s; Max-Age=%d; HttpOnly; SameSite=Strict%s", name, value, path,
             max_age, q->secure ? "; Secure" : "");
}

/* ---- the sign-in page -------------------------------------------------------- */

/* The pre-login CSRF cookie lives an hour: long enough to type a password. */
#define PS__PRELOGIN_TTL_S 3600

void ps__auth_login_page(ps__req *q, ps__resp *r, const char *message)
{
    ps__buf b = {0};
    char pre[PS_STORE_TOKEN_SIZE];
    unsigned char raw[32];
    /* A double-submit token: the form must echo the cookie, so another site
     * cannot sign a reviewer in to the attacker's account. */
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(pre, sizeof pre, raw, sizeof raw);
    cookie(r, 0, q, PS__PRELOGIN_COOKIE, pre, "/login", PS__PRELOGIN_TTL_S);

    ps__page_begin(&b, "Sign in / サインイン", NULL);
    ps__buf_puts(&b, "<section class=\"card login\">\n<h1>Sign in <span class=\"ja\">サインイン</span></h1>\n");
    if (message) {
        ps__buf_puts(&b, "<p class=\"error\" role=\"alert\">");
        ps__buf_html(&b, message);
        ps__buf_puts(&b, "</p>\n");
    }
    ps__buf_printf(&b,
                   "<form method=\"post\" action=\"/login\" class=\"stack\">\n"
                   "<input type=\"hidden\" name=\"csrf\" value=\"%s\">\n"
                   "<label>Reviewer name <span class=\"ja\">担当者名</span>"
                   "<input name=\"name\" autocomplete=\"username\" required maxlength=\"100\" autofocus></label>\n"
                   "<label>Password <span class=\"ja\">パスワード</span>"
                   "<input name=\"password\" type=\"password\" autocomplete=\"current-password\" required maxlength=\"1000\"></label>\n"
                   "<button type=\"submit\" class=\"primary\">Sign in</button>\n</form>\n</section>\n",
                   pre);
    ps__page_end(&b, 0);
    ps__resp_buf(r, message ? (r->status ? r->status : 401) : 200, "text/html; charset=utf-8", &b);
    r->is_page = 1;
}

/* Sessions last a working day by default (options: session_ttl_s). */
void ps__auth_login_post(ps__req *q, ps__resp *r)
{
    char name[128], password[1024], csrf[PS_STORE_TOKEN_SIZE + 1], pre[PS_STORE_TOKEN_SIZE + 1];
    const char *body = (const char *)q->body;
    int64_t reviewer_id = 0;
    name[0] = password[0] = '\0';

    if (!ps__auth_same_origin(q) || ps__form_get(body, q->body_len, "csrf", csrf, sizeof csrf) != 1 ||
        !ps__cookie_get(q, PS__PRELOGIN_COOKIE, pre, sizeof pre) || strlen(pre) != 64 ||
        strlen(csrf) != 64 || sodium_memcmp(pre, csrf, 64) != 0) {
        r->status = 403;
        ps__auth_login_page(q, r, "The sign-in form expired. Please try again. / フォームの有効期限が切れました。");
        return;
    }
    if (ps__form_get(body, q->body_len, "name", name, sizeof name) != 1 || name[0] == '\0' ||
        ps__form_get(body, q->body_len, "password", password, sizeof password) != 1) {
        r->status = 400;
        ps__auth_login_page(q, r, "Enter a name and a password. / 名前とパスワードを入力してください。");
        goto out;
    }
    int64_t now = ps__now_ms();
    int64_t wait = ps__limiter_wait_ms(q->h->limiter, &q->h->opts, q->client_ip, name, now);
    if (wait > 0) {
        char msg[200];
        int secs = (int)((wait + 999) / 1000);
        snprintf(msg, sizeof msg,
                 "Too many failed sign-ins. Try again in %d s. / 失敗が続いたため、%d 秒後に再試行してください。",
                 secs, secs);
        r->status = 429;
        ps__auth_login_page(q, r, msg);
        r->retry_after = secs;
        goto out;
    }
    ps_status st = ps_store_reviewer_check(q->store, name, password, &reviewer_id);
    if (st == PS_E_DENIED) {
        ps__limiter_fail(q->h->limiter, q->client_ip, name, ps__now_ms());
        r->status = 401;
        ps__auth_login_page(q, r, "Wrong name or password. / 名前またはパスワードが違います。");
        goto out;
    }
    if (st != PS_OK) {
        r->status = 503;
        ps__auth_login_page(q, r, "The database is not available. / データベースに接続できません。");
        goto out;
    }
    ps__limiter_clear(q->h->limiter, q->client_ip, name);
    char token[PS_STORE_TOKEN_SIZE], sess_csrf[PS_STORE_TOKEN_SIZE];
    if (ps_store_session_create(q->store, reviewer_id, q->h->opts.session_ttl_s, token, sess_csrf) !=
        PS_OK) {
        r->status = 503;
        ps__auth_login_page(q, r, "The database is not available. / データベースに接続できません。");
        goto out;
    }
    ps__resp_redirect(r, "/");
    cookie(r, 0, q, PS__SESSION_COOKIE, token, "/", q->h->opts.session_ttl_s);
    cookie(r, 1, q, PS__PRELOGIN_COOKIE, "", "/login", 0);
    sodium_memzero(token, sizeof token);
out:
    sodium_memzero(password, sizeof password);
}

void ps__auth_logout(ps__req *q, ps__resp *r)
{
    if (!ps__auth_csrf_ok(q)) {
        ps__resp_text(r, 403, "text/plain; charset=utf-8", "CSRF token missing or wrong\n");
        return;
    }
    ps_store_session_delete(q->store, q->session_token);
    ps__resp_redirect(r, "/login");
    cookie(r, 0, q, PS__SESSION_COOKIE, "", "/", 0);
}
