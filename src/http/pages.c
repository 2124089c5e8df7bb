/* The reviewers' pages. Every route here runs after server.c found a valid
 * session; every POST checks the session's CSRF token first. Pages are
 * rendered on the server; every value from the store is HTML-escaped; the
 * only script is /static/review.js (keyboard shortcuts), so the strict CSP
 * holds. Images come from the store by job id only.
 *
 *   GET  /                          the work queue, oldest waiting first
 *   GET  /applicants/ID             required kinds and statuses, uploads, audit
 *   POST /applicants/ID/decision    approve / reject one kind (ps_store_review_decide)
 *   GET  /uploads/JOB               the redacted image, the overlay, flags, fields
 *   GET  /uploads/JOB/image         the redacted JPEG from the store
 *   POST /logout
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "http/internal.h"
#include "prescreen/report.h"

/* Customers are told the reason; 500 characters is several sentences. */
#define PS__REASON_MAX 500
/* Queue entries shown (and walked by j/k). */
#define PS__QUEUE_LIMIT 200
/* Japan Standard Time, UTC+9 (no daylight saving): the reviewers' clock. */
#define PS__JST_OFFSET_S (9 * 3600)

static const char html_type[] = "text/html; charset=utf-8";

/* ---- the page shell ------------------------------------------------------- */

void ps__page_begin(ps__buf *b, const char *title, const ps__req *q)
{
    ps__buf_puts(b, "<!doctype html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<title>");
    ps__buf_html(b, title);
    ps__buf_puts(b, " · prescreen</title>\n<link rel=\"stylesheet\" href=\"/static/style.css\">\n"
                    "<link rel=\"icon\" href=\"data:,\">\n</head>\n<body>\n<header class=\"top\">\n"
                    "<a class=\"brand\" href=\"/\">prescreen <span>review</span></a>\n");
    if (q && q->auth == PS_AUTH_SESSION) {
        ps__buf_puts(b, "<nav><a href=\"/\">Queue <span class=\"ja\">一覧</span></a>"
                        "<span class=\"who\">");
        ps__buf_html(b, q->session.reviewer);
        ps__buf_printf(b, "</span><form method=\"post\" action=\"/logout\" class=\"inline\">"
                          "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                          "<button type=\"submit\" class=\"link\">Sign out</button></form></nav>\n",
                       q->session.csrf);
    }
    ps__buf_puts(b, "</header>\n<main>\n");
}

void ps__page_end(ps__buf *b, int with_script)
{
    ps__buf_puts(b, "</main>\n");
    if (with_script)
        ps__buf_puts(b, "<footer class=\"keys\">Keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous · "
                        "<kbd>a</kbd> approve · <kbd>r</kbd> reject · <kbd>o</kbd> overlay · "
                        "<kbd>?</kbd> help</footer>\n"
                        "<script src=\"/static/review.js\"></script>\n");
    ps__buf_puts(b, "</body>\n</html>\n");
}

static void page_error(ps__req *q, ps__resp *r, int status, const char *en, const char *ja)
{
    ps__buf b = {0};
    ps__page_begin(&b, en, q);
    ps__buf_puts(&b, "<section class=\"card\"><h1>");
    ps__buf_html(&b, en);
    ps__buf_puts(&b, "</h1><p class=\"ja\">");
    ps__buf_html(&b, ja);
    ps__buf_puts(&b, "</p><p><a href=\"/\">Back to the queue</a></p></section>\n");
    ps__page_end(&b, 0);
    ps__resp_buf(r, status, html_type, &b);
    r->is_page = 1;
}

/* ---- small renderers ---------------------------------------------------------- */

static void put_time(ps__buf *b, int64_t ms)
{
    char out[40];
    time_t t = (time_t)(ms / 1000) + PS__JST_OFFSET_S;
    struct tm tm;
    if (ms <= 0 || !gmtime_r(&t, &tm) || strftime(out, sizeof out, "%Y-%m-%d %H:%M", &tm) == 0) {
        ps__buf_puts(b, "—");
        return;
    }
    ps__buf_printf(b, "<time>%s JST</time>", out);
}

static void put_status(ps__buf *b, const char *status)
{
    ps__buf_puts(b, "<span class=\"status st-");
    ps__buf_html(b, status);
    ps__buf_puts(b, "\"><code>");
    ps__buf_html(b, status);
    ps__buf_puts(b, "</code> ");
    ps__buf_html(b, ps__status_words(status, 1));
    ps__buf_puts(b, "</span>");
}

static void put_flag_chip(ps__buf *b, const char *flag)
{
    const char *en = ps__flag_words(flag, 0, 0);
    ps__buf_puts(b, "<span class=\"flag\" title=\"");
    ps__buf_html(b, en ? en : flag);
    ps__buf_puts(b, "\">");
    ps__buf_html(b, flag);
    ps__buf_puts(b, "</span>");
}

static void put_kind(ps__buf *b, const char *kind)
{
    ps__buf_html(b, ps__kind_words(kind, 0));
    ps__buf_puts(b, " <span class=\"ja\">");
    ps__buf_html(b, ps__kind_words(kind, 1));
    ps__buf_puts(b, "</span>");
}

static const char *jstr(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* The queue's jobs in order (for j/k), as a flat array of ids. */
static size_t queue_jobs(ps_store *s, int64_t *ids, size_t max)
{
    char *json = NULL;
    size_t n = 0;
    if (ps_store_review_queue_json(s, PS__QUEUE_LIMIT, &json) != PS_OK)
        return 0;
    json_t *list = json_loads(json, 0, NULL), *e, *j;
    size_t i, k;
    json_array_foreach(list, i, e)
    {
        json_array_foreach(json_object_get(e, "job_ids"), k, j)
        {
            if (n < max)
                ids[n++] = (int64_t)json_integer_value(j);
        }
    }
    json_decref(list);
    free(json);
    return n;
}

/* Writes prev/next links around `job` (0: none) in the queue order. */
static void put_queue_nav(ps__buf *b, ps_store *s, int64_t job)
{
    int64_t ids[PS__QUEUE_LIMIT * 5];
    size_t n = queue_jobs(s, ids, sizeof ids / sizeof ids[0]), at = n;
    for (size_t i = 0; i < n; i++)
        if (ids[i] == job)
            at = i;
    int64_t prev = at < n && at > 0 ? ids[at - 1] : 0;
    int64_t next = at < n ? (at + 1 < n ? ids[at + 1] : 0) : (n > 0 ? ids[0] : 0);
    ps__buf_puts(b, "<nav class=\"pager\">");
    if (prev)
        ps__buf_printf(b, "<a rel=\"prev\" id=\"prev\" href=\"/uploads/%lld\">← previous</a>", (long long)prev);
    else
        ps__buf_puts(b, "<span></span>");
    if (next)
        ps__buf_printf(b, "<a rel=\"next\" id=\"next\" href=\"/uploads/%lld\">next in queue →</a>", (long long)next);
    else
        ps__buf_puts(b, "<span class=\"muted\">queue done</span>");
    ps__buf_puts(b, "</nav>\n");
}

/* ---- the queue --------------------------------------------------------------- */

static void page_queue(ps__req *q, ps__resp *r)
{
    char *json = NULL, *counts = NULL;
    ps__buf b = {0};
    if (ps_store_review_queue_json(q->store, PS__QUEUE_LIMIT, &json) != PS_OK) {
        page_error(q, r, 503, "The database is not available", "データベースに接続できません。");
        return;
    }
    json_t *list = json_loads(json, 0, NULL), *e;
    json_t *cnt = ps_store_status_json(q->store, &counts) == PS_OK ? json_loads(counts, 0, NULL) : NULL;
    size_t i;

    ps__page_begin(&b, "Review queue", q);
    ps__buf_puts(&b, "<h1>Waiting for review <span class=\"ja\">確認待ち</span></h1>\n");
    if (cnt)
        ps__buf_printf(&b,
                       "<p class=\"stats\">Uploads: %lld queued · %lld running · %lld screened · "
                       "%lld quarantined · %lld failed</p>\n",
                       (long long)json_integer_value(json_object_get(cnt, "queued")),
                       (long long)json_integer_value(json_object_get(cnt, "running")),
                       (long long)json_integer_value(json_object_get(cnt, "done")),
                       (long long)json_integer_value(json_object_get(cnt, "quarantined")),
                       (long long)json_integer_value(json_object_get(cnt, "dead")));
    if (json_array_size(list) == 0) {
        ps__buf_puts(&b, "<p class=\"card empty\">Nothing is waiting. <span class=\"ja\">確認待ちはありません。</span></p>\n");
    } else {
        ps__buf_puts(&b, "<ol class=\"queue\" id=\"queue\">\n");
        json_array_foreach(list, i, e)
        {
            const char *aid = jstr(e, "applicant_id");
            json_t *jobs = json_object_get(e, "job_ids"), *kinds = json_object_get(e, "kinds");
            json_t *flags = json_object_get(e, "flags"), *v;
            long long first = (long long)json_integer_value(json_array_get(jobs, 0));
            size_t k;
            ps__buf_printf(&b, "<li class=\"row\"><a class=\"open\" href=\"/uploads/%lld\">", first);
            ps__buf_puts(&b, "<span class=\"aid\">");
            ps__buf_html(&b, aid);
            ps__buf_puts(&b, "</span><span class=\"since\">waiting since ");
            put_time(&b, (int64_t)json_integer_value(json_object_get(e, "waiting_since_ms")));
            ps__buf_puts(&b, "</span><span class=\"kinds\">");
            json_array_foreach(kinds, k, v)
            {
                ps__buf_puts(&b, "<span class=\"kind\">");
                ps__buf_html(&b, ps__kind_words(json_string_value(v) ? json_string_value(v) : "", 0));
                ps__buf_puts(&b, "</span>");
            }
            ps__buf_printf(&b, "</span><span class=\"count\">%zu upload%s</span></a>",
                           json_array_size(jobs), json_array_size(jobs) == 1 ? "" : "s");
            ps__buf_puts(&b, "<span class=\"flags\">");
            if (json_array_size(flags) == 0)
                ps__buf_puts(&b, "<span class=\"ok\">no flags</span>");
            json_array_foreach(flags, k, v) put_flag_chip(&b, json_string_value(v) ? json_string_value(v) : "");
            ps__buf_puts(&b, "</span> <a class=\"applicant-link\" href=\"/applicants/");
            ps__buf_html(&b, aid);
            ps__buf_puts(&b, "\">applicant</a></li>\n");
        }
        ps__buf_puts(&b, "</ol>\n");
    }
    ps__page_end(&b, 1);
    ps__resp_buf(r, 200, html_type, &b);
    r->is_page = 1;
    json_decref(list);
    json_decref(cnt);
    free(json);
    free(counts);
}

/* ---- the applicant ------------------------------------------------------------- */

static void put_profile(ps__buf *b, const json_t *p)
{
    static const char *const rows[][2] = {
        {"name", "氏名 / name"},          {"name_kana", "フリガナ / kana"},
        {"name_latin", "ローマ字 / latin"}, {"birth_date", "生年月日 / birth date"},
        {"address", "住所 / address"},
    };
    ps__buf_puts(b, "<dl class=\"profile\">");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ps__buf_printf(b, "<dt>%s</dt><dd>", rows[i][1]);
        ps__buf_html(b, jstr(p, rows[i][0]));
        ps__buf_puts(b, "</dd>");
    }
    ps__buf_printf(b, "<dt>カード入金 / card deposits</dt><dd>%s</dd></dl>\n",
                   json_is_true(json_object_get(p, "card_deposit")) ? "yes" : "no");
}

static void page_applicant(ps__req *q, ps__resp *r, const char *id)
{
    char *profile = NULL, *status = NULL, *jobs = NULL, *audit = NULL;
    ps__buf b = {0};
    json_t *p = NULL, *st = NULL, *jl = NULL, *al = NULL, *e;
    size_t i;
    ps_status rc = ps_store_get_applicant(q->store, id, &profile);
    if (rc == PS_E_NOT_FOUND) {
        page_error(q, r, 404, "No such applicant", "該当する申込者はいません。");
        return;
    }
    if (rc != PS_OK || ps_store_review_status_json(q->store, id, &status) != PS_OK ||
        ps_store_applicant_jobs_json(q->store, id, &jobs) != PS_OK ||
        ps_store_audit_json(q->store, id, &audit) != PS_OK) {
        page_error(q, r, 503, "The database is not available", "データベースに接続できません。");
        goto out;
    }
    p = json_loads(profile, 0, NULL);
    st = json_loads(status, 0, NULL);
    jl = json_loads(jobs, 0, NULL);
    al = json_loads(audit, 0, NULL);

    ps__page_begin(&b, id, q);
    ps__buf_puts(&b, "<h1>Applicant <code>");
    ps__buf_html(&b, id);
    ps__buf_puts(&b, "</code></h1>\n");
    int verified = json_is_true(json_object_get(st, "ready_for_withdrawal"));
    ps__buf_printf(&b, "<p id=\"verified\" class=\"verdict %s\">%s</p>\n", verified ? "v-yes" : "v-no",
                   verified ? "Verified: ready for withdrawal · 確認完了（出金可能）"
                            : "Not verified yet: withdrawal blocked · 未確認（出金不可）");
    put_queue_nav(&b, q->store, 0);
    ps__buf_puts(&b, "<div class=\"cols\">\n<section class=\"card\"><h2>Required documents <span class=\"ja\">必要書類</span></h2>\n"
                     "<table class=\"required\" id=\"statuses\"><thead><tr><th>kind</th><th>status</th><th>latest upload</th></tr></thead><tbody>\n");
    json_t *req = json_object_get(st, "required"), *k;
    json_array_foreach(req, i, k)
    {
        const char *kind = json_string_value(k) ? json_string_value(k) : "";
        const char *s = jstr(json_object_get(st, "statuses"), kind);
        long long latest = 0;
        size_t ji;
        json_array_foreach(jl, ji, e) if (!latest && strcmp(jstr(e, "kind"), kind) == 0) latest =
            (long long)json_integer_value(json_object_get(e, "job_id"));
        ps__buf_printf(&b, "<tr data-kind=\"%s\"><td>", kind);
        put_kind(&b, kind);
        ps__buf_puts(&b, "</td><td>");
        put_status(&b, s);
        if (latest)
            ps__buf_printf(&b, "</td><td><a href=\"/uploads/%lld\">#%lld</a></td></tr>\n", latest, latest);
        else
            ps__buf_puts(&b, "</td><td>—</td></tr>\n");
    }
    ps__buf_puts(&b, "</tbody></table></section>\n<section class=\"card\"><h2>Registered profile <span class=\"ja\">登録情報</span></h2>\n");
    put_profile(&b, p);
    ps__buf_puts(&b, "</section>\n</div>\n<section class=\"card\"><h2>Uploads <span class=\"ja\">アップロード履歴</span></h2>\n");
    if (json_array_size(jl) == 0)
        ps__buf_puts(&b, "<p class=\"muted\">No uploads yet.</p>\n");
    else {
        ps__buf_puts(&b, "<table class=\"uploads\"><thead><tr><th>#</th><th>kind</th><th>state</th><th>received</th><th>flags</th></tr></thead><tbody>\n");
        json_array_foreach(jl, i, e)
        {
            long long jid = (long long)json_integer_value(json_object_get(e, "job_id"));
            json_t *f, *fl = json_object_get(e, "flags");
            size_t fi;
            ps__buf_printf(&b, "<tr><td><a href=\"/uploads/%lld\">#%lld</a></td><td>", jid, jid);
            ps__buf_html(&b, ps__kind_words(jstr(e, "kind"), 0));
            if (*jstr(e, "side")) {
                ps__buf_puts(&b, " (");
                ps__buf_html(&b, jstr(e, "side"));
                ps__buf_puts(&b, ")");
            }
            ps__buf_puts(&b, "</td><td>");
            ps__buf_html(&b, jstr(e, "state"));
            ps__buf_puts(&b, "</td><td>");
            put_time(&b, (int64_t)json_integer_value(json_object_get(e, "created_ms")));
            ps__buf_puts(&b, "</td><td>");
            json_array_foreach(fl, fi, f) put_flag_chip(&b, json_string_value(f) ? json_string_value(f) : "");
            ps__buf_puts(&b, "</td></tr>\n");
        }
        ps__buf_puts(&b, "</tbody></table>\n");
    }
    ps__buf_puts(&b, "</section>\n<section class=\"card\"><h2>Decisions <span class=\"ja\">判定履歴</span></h2>\n");
    if (json_array_size(al) == 0)
        ps__buf_puts(&b, "<p class=\"muted\">No decisions yet.</p>\n");
    else {
        ps__buf_puts(&b, "<ul class=\"audit\" id=\"audit\">\n");
        json_array_foreach(al, i, e)
        {
            ps__buf_puts(&b, "<li>");
            put_time(&b, (int64_t)json_integer_value(json_object_get(e, "at_ms")));
            ps__buf_puts(&b, " · <b>");
            ps__buf_html(&b, jstr(e, "reviewer"));
            ps__buf_puts(&b, "</b> · ");
            ps__buf_html(&b, ps__kind_words(jstr(e, "kind"), 0));
            ps__buf_puts(&b, " → ");
            put_status(&b, jstr(e, "decision"));
            if (*jstr(e, "reason")) {
                ps__buf_puts(&b, "<blockquote>");
                ps__buf_html(&b, jstr(e, "reason"));
                ps__buf_puts(&b, "</blockquote>");
            }
            ps__buf_puts(&b, "</li>\n");
        }
        ps__buf_puts(&b, "</ul>\n");
    }
    ps__buf_puts(&b, "</section>\n");
    ps__page_end(&b, 1);
    ps__resp_buf(r, 200, html_type, &b);
    r->is_page = 1;
out:
    json_decref(p);
    json_decref(st);
    json_decref(jl);
    json_decref(al);
    free(profile);
    free(status);
    free(jobs);
    free(audit);
}

/* ---- the upload ------------------------------------------------------------------ */

static double num(const json_t *a, size_t i)
{
    return json_number_value(json_array_get(a, i));
}

static void svg_rect(ps__buf *b, const char *cls, const json_t *box, const char *label, double fs)
{
    if (json_array_size(box) != 4 || num(box, 2) <= 0 || num(box, 3) <= 0)
        return;
    ps__buf_printf(b, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                      "vector-effect=\"non-scaling-stroke\"/>",
                   cls, num(box, 0), num(box, 1), num(box, 2), num(box, 3));
    if (label) {
        /* Above the box, or just inside it when the box touches the top. */
        double y = num(box, 1) - fs * 0.3;
        if (y < fs)
            y = num(box, 1) + fs * 1.1;
        double x = num(box, 0) < 0 ? 0 : num(box, 0);
        ps__buf_printf(b, "<text class=\"%s-t\" x=\"%.1f\" y=\"%.1f\" font-size=\"%.0f\">", cls,
                       x, y, fs);
        ps__buf_html(b, label);
        ps__buf_puts(b, "</text>");
    }
}

/* The overlay: what the pipeline found, in the report's coordinates (the
 * upright full-resolution image, the same frame as the stored copy). */
static void put_overlay(ps__buf *b, const json_t *rep, int w, int h)
{
    const json_t *checks = json_object_get(rep, "checks"), *e;
    double fs = (w > h ? w : h) / 45.0; /* labels readable at any image size */
    size_t i;
    char label[64];
    ps__buf_printf(b, "<svg class=\"overlay\" id=\"overlay\" viewBox=\"0 0 %d %d\" "
                      "preserveAspectRatio=\"none\" role=\"img\" aria-label=\"findings\">",
                   w, h);
    json_t *quad = json_object_get(json_object_get(checks, "document"), "quad");
    if (json_array_size(quad) == 4) {
        ps__buf_puts(b, "<polygon class=\"ov-doc\" vector-effect=\"non-scaling-stroke\" points=\"");
        for (i = 0; i < 4; i++) {
            json_t *pt = json_array_get(quad, i);
            ps__buf_printf(b, "%.1f,%.1f ", num(pt, 0), num(pt, 1));
        }
        ps__buf_puts(b, "\"/>");
    }
    json_array_foreach(json_object_get(json_object_get(checks, "face"), "faces"), i, e)
    {
        int on_doc = json_is_true(json_object_get(e, "on_document"));
        snprintf(label, sizeof label, "%s %.2f", on_doc ? "ID photo" : "face",
                 json_number_value(json_object_get(e, "score")));
        svg_rect(b, on_doc ? "ov-face-doc" : "ov-face", json_object_get(e, "box"), label, fs);
    }
    json_array_foreach(json_object_get(json_object_get(checks, "occlusion"), "regions"), i, e)
        svg_rect(b, "ov-finger", e, "finger", fs);
    json_array_foreach(json_object_get(rep, "redactions"), i, e)
        svg_rect(b, "ov-mask", json_object_get(e, "box"), jstr(e, "type"), fs);
    const char *key;
    json_object_foreach((json_t *)json_object_get(rep, "fields"), key, e)
        svg_rect(b, "ov-field", json_object_get(e, "box"), NULL, fs);
    ps__buf_puts(b, "</svg>");
}

/* Profile value(s) a read field is compared with. */
static void put_profile_value(ps__buf *b, const json_t *prof, const char *field)
{
    if (strcmp(field, "name") == 0) {
        ps__buf_html(b, jstr(prof, "name"));
        if (*jstr(prof, "name_kana") || *jstr(prof, "name_latin")) {
            ps__buf_puts(b, "<br><small>");
            ps__buf_html(b, jstr(prof, "name_kana"));
            ps__buf_puts(b, " ");
            ps__buf_html(b, jstr(prof, "name_latin"));
            ps__buf_puts(b, "</small>");
        }
    } else if (strcmp(field, "birth_date") == 0 || strcmp(field, "address") == 0) {
        ps__buf_html(b, jstr(prof, field));
    } else {
        ps__buf_puts(b, "<span class=\"muted\">—</span>");
    }
}

static void put_fields(ps__buf *b, const json_t *rep, const json_t *prof)
{
    const json_t *fields = json_object_get(rep, "fields"), *f;
    const char *key;
    ps__buf_puts(b, "<section class=\"card\"><h2>Read from the document <span class=\"ja\">読み取り結果と登録情報</span></h2>\n");
    if (json_object_size(fields) == 0) {
        ps__buf_puts(b, "<p class=\"muted\">No fields were read from this upload.</p></section>\n");
        return;
    }
    ps__buf_puts(b, "<table class=\"fields\" id=\"fields\"><thead><tr><th>field</th><th>read</th><th>registered</th><th></th></tr></thead><tbody>\n");
    json_object_foreach((json_t *)fields, key, f)
    {
        json_t *m = json_object_get(f, "match");
        const char *cls = json_is_false(m) ? "mismatch" : json_is_true(m) ? "match" : "";
        ps__buf_printf(b, "<tr class=\"%s\"><th>", cls);
        ps__buf_html(b, key);
        ps__buf_puts(b, "</th><td>");
        ps__buf_html(b, jstr(f, "text"));
        if (*jstr(f, "iso") && strcmp(jstr(f, "iso"), jstr(f, "text")) != 0) {
            ps__buf_puts(b, "<br><small>");
            ps__buf_html(b, jstr(f, "iso"));
            ps__buf_puts(b, "</small>");
        }
        ps__buf_puts(b, "</td><td>");
        put_profile_value(b, prof, key);
        ps__buf_printf(b, "</td><td>%s</td></tr>\n",
                       json_is_false(m) ? "<b>✗ 不一致 mismatch</b>" : json_is_true(m) ? "✓" : "");
    }
    ps__buf_puts(b, "</tbody></table></section>\n");
}

static void put_flags(ps__buf *b, const json_t *rep)
{
    json_t *flags = json_object_get(rep, "flags"), *f;
    size_t i;
    ps__buf_printf(b, "<section class=\"card\"><h2>Pre-flags <span class=\"ja\">事前チェック</span> "
                      "<span class=\"verdict-chip vc-%s\">",
                   strcmp(jstr(rep, "verdict"), "clear") == 0                ? "clear"
                   : strcmp(jstr(rep, "verdict"), "reject_suggested") == 0 ? "reject"
                                                                             : "review");
    ps__buf_html(b, jstr(rep, "verdict"));
    ps__buf_puts(b, "</span></h2>\n");
    if (json_array_size(flags) == 0) {
        ps__buf_puts(b, "<p class=\"ok\">No problems found. 問題は見つかりませんでした。</p>\n");
    } else {
        ps__buf_puts(b, "<ul class=\"flaglist\" id=\"flags\">\n");
        json_array_foreach(flags, i, f)
        {
            const char *name = json_string_value(f) ? json_string_value(f) : "";
            ps__buf_puts(b, "<li><code>");
            ps__buf_html(b, name);
            ps__buf_puts(b, "</code><span class=\"ja\">");
            ps__buf_html(b, ps__flag_words(name, 0, 1));
            ps__buf_puts(b, "</span><span class=\"en\">");
            ps__buf_html(b, ps__flag_words(name, 0, 0));
            ps__buf_puts(b, "</span></li>\n");
        }
        ps__buf_puts(b, "</ul>\n");
    }
    ps__buf_puts(b, "</section>\n");
}

/* The decision form: approve, or reject with a reason the customer reads. */
static void put_decision(ps__buf *b, const ps__req *q, const ps_store_job *j, const json_t *rep,
                         const char *status)
{
    json_t *flags = json_object_get(rep, "flags"), *f;
    size_t i;
    ps__buf_puts(b, "<section class=\"card decide\" id=\"decide\"><h2>Decision <span class=\"ja\">判定</span></h2>\n"
                    "<p>Status <span class=\"ja\">現在の状況</span> ");
    put_status(b, status);
    ps__buf_puts(b, "</p>\n<p class=\"muted small\">A decision covers every upload of this kind so far.</p>\n");
    ps__buf_puts(b, "<form method=\"post\" id=\"approve-form\" action=\"/applicants/");
    ps__buf_html(b, j->applicant_id);
    ps__buf_printf(b, "/decision\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                      "<input type=\"hidden\" name=\"kind\" value=\"%s\">"
                      "<input type=\"hidden\" name=\"decision\" value=\"approved\">"
                      "<button type=\"submit\" class=\"approve\" id=\"approve\">Approve <span class=\"ja\">承認</span> <kbd>a</kbd></button></form>\n",
                   q->session.csrf, j->kind);
    ps__buf_puts(b, "<form method=\"post\" id=\"reject-form\" class=\"stack\" action=\"/applicants/");
    ps__buf_html(b, j->applicant_id);
    ps__buf_printf(b, "/decision\"><input type=\"hidden\" name=\"csrf\" value=\"%s\">"
                      "<input type=\"hidden\" name=\"kind\" value=\"%s\">"
                      "<input type=\"hidden\" name=\"decision\" value=\"rejected\">\n"
                      "<label>Reason the customer will be told <span class=\"ja\">お客様へ伝える理由</span>"
                      "<select name=\"preset\" id=\"preset\"><option value=\"\">— choose, or write below —</option>\n",
                   q->session.csrf, j->kind);
    /* Reasons for the flags found first, then every other reason. */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t k = 0; ps__flag_at(k); k++) {
            const char *name = ps__flag_at(k);
            int found = 0;
            json_array_foreach(flags, i, f) found |= json_is_string(f) && strcmp(json_string_value(f), name) == 0;
            if (found != (pass == 0))
                continue;
            ps__buf_printf(b, "<option value=\"%s\">%s", name, found ? "★ " : "");
            ps__buf_html(b, ps__flag_words(name, 1, 1));
            ps__buf_puts(b, "</option>\n");
        }
    }
    ps__buf_printf(b, "</select></label>\n<label>Or in your own words <span class=\"ja\">自由記入</span>"
                      "<textarea name=\"reason\" id=\"reason\" rows=\"3\" maxlength=\"%d\"></textarea></label>\n"
                      "<button type=\"submit\" class=\"reject\" id=\"reject\">Reject <span class=\"ja\">差し戻し</span> <kbd>r</kbd></button></form>\n</section>\n",
                   PS__REASON_MAX);
}

static void page_upload(ps__req *q, ps__resp *r, int64_t id)
{
    ps_store_job *j = NULL;
    char *report = NULL, *profile = NULL;
    json_t *rep = NULL, *prof = NULL;
    ps_review rv;
    ps__buf b = {0};
    char title[64];

    ps_status st = ps_store_get_job(q->store, id, &j);
    if (st == PS_E_NOT_FOUND) {
        page_error(q, r, 404, "No such upload", "該当するアップロードはありません。");
        return;
    }
    if (st != PS_OK) {
        page_error(q, r, 503, "The database is not available", "データベースに接続できません。");
        return;
    }
    if (ps_store_get_result(q->store, id, &report) == PS_OK)
        rep = json_loads(report, 0, NULL);
    if (j->applicant_id && ps_store_get_applicant(q->store, j->applicant_id, &profile) == PS_OK)
        prof = json_loads(profile, 0, NULL);
    const char *status = "not_submitted";
    int kind_index = -1;
    for (int k = 0; k < PS_STORE_KIND_COUNT; k++)
        if (strcmp(ps_store_kind_name(k), j->kind) == 0)
            kind_index = k;
    if (j->applicant_id && kind_index >= 0 && ps_store_review_status(q->store, j->applicant_id, &rv) == PS_OK)
        status = ps_review_status_name(rv.status[kind_index]);

    snprintf(title, sizeof title, "Upload #%lld", (long long)id);
    ps__page_begin(&b, title, q);
    ps__buf_printf(&b, "<h1>Upload #%lld · ", (long long)id);
    put_kind(&b, j->kind);
    if (j->side)
        ps__buf_printf(&b, " (%s)", strcmp(j->side, "back") == 0 ? "back 裏" : "front 表");
    ps__buf_puts(&b, "</h1>\n<p class=\"sub\">");
    if (j->applicant_id) {
        ps__buf_puts(&b, "Applicant <a id=\"applicant-link\" href=\"/applicants/");
        ps__buf_html(&b, j->applicant_id);
        ps__buf_puts(&b, "\"><code>");
        ps__buf_html(&b, j->applicant_id);
        ps__buf_puts(&b, "</code></a> · ");
    }
    ps__buf_puts(&b, "received ");
    put_time(&b, j->created_ms);
    ps__buf_puts(&b, " · ");
    ps__buf_html(&b, ps_job_state_name(j->state));
    ps__buf_puts(&b, "</p>\n");
    put_queue_nav(&b, q->store, id);

    ps__buf_puts(&b, "<div class=\"upload\">\n<section class=\"card figure-card\">\n");
    json_t *img = json_object_get(rep, "image");
    int w = (int)json_integer_value(json_object_get(img, "width"));
    int h = (int)json_integer_value(json_object_get(img, "height"));
    uint8_t *jpeg = NULL;
    size_t jlen = 0;
    int have_image = ps_store_get_redacted(q->store, id, &jpeg, &jlen) == PS_OK;
    free(jpeg);
    if (have_image && w > 0 && h > 0) {
        ps__buf_puts(&b, "<input type=\"checkbox\" id=\"ov-toggle\" class=\"ov-toggle\" checked>"
                         "<label for=\"ov-toggle\" class=\"ov-label\">Show findings <kbd>o</kbd></label>\n");
        ps__buf_printf(&b, "<div class=\"figure\"><img id=\"photo\" src=\"/uploads/%lld/image\" width=\"%d\" "
                           "height=\"%d\" alt=\"redacted upload\">",
                       (long long)id, w, h);
        put_overlay(&b, rep, w, h);
        ps__buf_puts(&b, "</div>\n<ul class=\"legend\"><li><i class=\"sw ov-face\"></i>face</li>"
                         "<li><i class=\"sw ov-face-doc\"></i>ID photo</li><li><i class=\"sw ov-doc\"></i>document</li>"
                         "<li><i class=\"sw ov-finger\"></i>finger</li><li><i class=\"sw ov-mask\"></i>masked</li>"
                         "<li><i class=\"sw ov-field\"></i>field read</li></ul>\n");
    } else if (j->state == PS_JOB_QUEUED || j->state == PS_JOB_RUNNING) {
        ps__buf_puts(&b, "<p class=\"placeholder\">Pre-screening is not finished yet. 事前チェック中です。</p>\n");
    } else {
        ps__buf_puts(&b, "<p class=\"placeholder\">No image is stored for this upload: it could not be made safe "
                         "(quarantined) or could not be read. 画像は保存されていません。</p>\n");
    }
    if (j->last_error_code) {
        ps__buf_puts(&b, "<p class=\"error\">Error: <code>");
        ps__buf_html(&b, j->last_error_code);
        ps__buf_puts(&b, "</code> ");
        ps__buf_html(&b, j->last_error_message);
        ps__buf_puts(&b, "</p>\n");
    }
    ps__buf_puts(&b, "</section>\n<div class=\"side\">\n");
    if (rep)
        put_flags(&b, rep);
    if (j->applicant_id && kind_index >= 0)
        put_decision(&b, q, j, rep, status);
    ps__buf_puts(&b, "</div>\n</div>\n");
    if (rep)
        put_fields(&b, rep, prof);
    ps__page_end(&b, 1);
    ps__resp_buf(r, 200, html_type, &b);
    r->is_page = 1;
    json_decref(rep);
    json_decref(prof);
    free(report);
    free(profile);
    ps_store_job_free(&j);
}

static void upload_image(ps__req *q, ps__resp *r, int64_t id)
{
    uint8_t *jpeg = NULL;
    size_t len = 0;
    ps_status st = ps_store_get_redacted(q->store, id, &jpeg, &len);
    if (st != PS_OK) {
        ps__resp_text(r, st == PS_E_NOT_FOUND ? 404 : 503, "text/plain; charset=utf-8",
                      st == PS_E_NOT_FOUND ? "no stored image\n" : "database unavailable\n");
        return;
    }
    r->status = 200;
    r->content_type = "image/jpeg";
    r->body = (char *)jpeg;
    r->len = len;
}

/* ---- the decision ---------------------------------------------------------------- */

/* A reason must never carry a card number or a My Number: refuse any run of
 * 12 or more digits (spaces and hyphens between digits do not break a run). */
static int has_long_number(const char *s)
{
    int run = 0;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9')
            run++;
        else if (*s != ' ' && *s != '-')
            run = 0;
        if (run >= 12) /* My Number has 12 digits, card numbers 14-19 */
            return 1;
    }
    return 0;
}

static void post_decision(ps__req *q, ps__resp *r, const char *id)
{
    char kind[32], decision[16], preset[64], reason[PS__REASON_MAX * 4 + 1];
    const char *body = (const char *)q->body;
    if (!ps__auth_csrf_ok(q)) {
        page_error(q, r, 403, "The form expired or came from another site",
                   "フォームの有効期限が切れたか、別のサイトから送信されました。");
        return;
    }
    if (ps__form_get(body, q->body_len, "kind", kind, sizeof kind) != 1 ||
        ps__form_get(body, q->body_len, "decision", decision, sizeof decision) != 1 ||
        ps__form_get(body, q->body_len, "preset", preset, sizeof preset) < 0 ||
        ps__form_get(body, q->body_len, "reason", reason, sizeof reason) < 0 ||
        (strcmp(decision, "approved") != 0 && strcmp(decision, "rejected") != 0) ||
        ps_kind_from_name(kind) < 0) {
        page_error(q, r, 400, "The decision form is incomplete", "判定フォームの内容が不正です。");
        return;
    }
    /* Trim the reason; a preset fills an empty one with both languages. */
    char *rs = reason;
    while (*rs == ' ' || *rs == '\n' || *rs == '\r' || *rs == '\t')
        rs++;
    size_t rl = strlen(rs);
    while (rl > 0 && (rs[rl - 1] == ' ' || rs[rl - 1] == '\n' || rs[rl - 1] == '\r' || rs[rl - 1] == '\t'))
        rs[--rl] = '\0';
    char combined[sizeof reason];
    if (rl == 0 && preset[0]) {
        const char *ja = ps__flag_words(preset, 1, 1), *en = ps__flag_words(preset, 1, 0);
        if (!ja) {
            page_error(q, r, 400, "Unknown preset reason", "理由の選択肢が不正です。");
            return;
        }
        snprintf(combined, sizeof combined, "%s / %s", ja, en);
        rs = combined;
        rl = strlen(rs);
    }
    if (strcmp(decision, "rejected") == 0 && rl == 0) {
        page_error(q, r, 400, "A rejection needs a reason for the customer",
                   "差し戻しにはお客様へ伝える理由が必要です。");
        return;
    }
    if (has_long_number(rs)) {
        page_error(q, r, 400, "The reason must not contain a card number or My Number",
                   "理由にカード番号やマイナンバーを含めないでください。");
        return;
    }
    ps_status st = ps_store_review_decide(q->store, id, kind, q->session.reviewer_id, decision,
                                          rl ? rs : NULL);
    if (st == PS_E_NOT_FOUND) {
        page_error(q, r, 404, "No such applicant", "該当する申込者はいません。");
        return;
    }
    if (st != PS_OK) {
        page_error(q, r, st == PS_E_ARG ? 400 : 503, "The decision was not saved",
                   "判定を保存できませんでした。");
        return;
    }
    char loc[128];
    snprintf(loc, sizeof loc, "/applicants/%s", id);
    ps__resp_redirect(r, loc);
}

/* ---- routing ------------------------------------------------------------------------ */

void ps__pages_handle(ps__req *q, ps__resp *r)
{
    const char *p = q->path;
    int get = strcmp(q->method, "GET") == 0 || strcmp(q->method, "HEAD") == 0;
    int post = strcmp(q->method, "POST") == 0;
    char id[72];

    if (strcmp(p, "/") == 0 && get) {
        page_queue(q, r);
        return;
    }
    if (strcmp(p, "/logout") == 0 && post) {
        ps__auth_logout(q, r);
        return;
    }
    if (strncmp(p, "/applicants/", 12) == 0) {
        const char *rest = p + 12, *slash = strchr(rest, '/');
        size_t n = slash ? (size_t)(slash - rest) : strlen(rest);
        if (n < sizeof id) {
            memcpy(id, rest, n);
            id[n] = '\0';
            if (ps__valid_id(id)) {
                if (!slash && get) {
                    page_applicant(q, r, id);
                    return;
                }
                if (slash && strcmp(slash, "/decision") == 0 && post) {
                    post_decision(q, r, id);
                    return;
                }
            }
        }
    }
    if (strncmp(p, "/uploads/", 9) == 0) {
        const char *rest = p + 9, *slash = strchr(rest, '/');
        size_t n = slash ? (size_t)(slash - rest) : strlen(rest);
        if (n < sizeof id) {
            memcpy(id, rest, n);
            id[n] = '\0';
            int64_t job = ps__parse_job_id(id);
            if (job && get && !slash) {
                page_upload(q, r, job);
                return;
            }
            if (job && get && slash && strcmp(slash, "/image") == 0) {
                upload_image(q, r, job);
                return;
            }
        }
    }
    page_error(q, r, 404, "Not found", "ページが見つかりません。");
}
