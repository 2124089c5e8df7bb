/* The PostgreSQL backend: the only file that talks to libpq.
 *
 * One connection per handle. Statements go through PQexecParams with text
 * results (bytea columns are unescaped); blob parameters are sent in binary
 * format so images are not hex-encoded on the way in. Claims use
 * SELECT ... FOR UPDATE SKIP LOCKED so concurrent workers each take a
 * different row without waiting on each other. Enqueue sends NOTIFY on a
 * channel named after the schema; idle workers LISTEN and sleep in poll().
 */
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "store/backend.h"

#define PG_BYTEA_OID 17  /* pg_type.oid of bytea (catalog constant) */
#define PG_SCHEMA_MAX 48 /* a schema name longer than this is a mistake */

typedef struct pg_impl {
    PGconn *conn;
    int listening;
    char schema[PG_SCHEMA_MAX + 1]; /* "" when the URL did not name one */
    char channel[PG_SCHEMA_MAX + 16];
} pg_impl;

static PGconn *conn_of(ps_store *s)
{
    return s->impl ? ((pg_impl *)s->impl)->conn : NULL;
}

static void pg_quiet(void *arg, const char *msg)
{
    (void)arg;
    (void)msg; /* NOTICEs such as "schema already exists" are expected */
}

/* Copies `url` into a malloc'd string without its "schema=NAME" query
 * parameter, which is prescreen's and unknown to libpq; the name goes to
 * `schema` (validated: lower-case letters, digits, underscore). */
static ps_status split_schema(ps_store *s, const char *url, char **libpq_url, char *schema)
{
    size_t n = strlen(url);
    char *out = malloc(n + 1);
    const char *q = strchr(url, '?');
    size_t o;
    *libpq_url = NULL;
    schema[0] = '\0';
    if (!out)
        return PS_E_NOMEM;
    if (!q) {
        memcpy(out, url, n + 1);
        *libpq_url = out;
        return PS_OK;
    }
    o = (size_t)(q - url);
    memcpy(out, url, o);
    const char *p = q + 1;
    int first = 1;
    while (*p) {
        const char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);
        if (len > 7 && strncmp(p, "schema=", 7) == 0) {
            size_t sl = len - 7;
            if (sl > PG_SCHEMA_MAX) {
                free(out);
                ps__store_seterr(s, "postgresql: schema name too long");
                return PS_E_ARG;
            }
            for (size_t i = 0; i < sl; i++) {
                char c = p[7 + i];
                if (!(islower((unsigned char)c) || isdigit((unsigned char)c) || c == '_')) {
                    free(out);
                    ps__store_seterr(s, "postgresql: schema name must be [a-z0-9_]");
                    return PS_E_ARG;
                }
            }
            memcpy(schema, p + 7, sl);
            schema[sl] = '\0';
        } else if (len > 0) {
            out[o++] = first ? '?' : '&';
            memcpy(out + o, p, len);
            o += len;
            first = 0;
        }
        p += len;
        if (*p == '&')
            p++;
    }
    out[o] = '\0';
    *libpq_url = out;
    return PS_OK;
}

/* Runs a parameterless command; for setup statements. */
static ps_status pg_simple(ps_store *s, const char *sql)
{
    PGresult *res = PQexec(conn_of(s), sql);
    ps_status st = PS_OK;
    ExecStatusType t = PQresultStatus(res);
    if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
        ps__store_seterr(s, "postgresql: %s", PQerrorMessage(conn_of(s)));
        if (PQstatus(conn_of(s)) == CONNECTION_BAD)
            s->poisoned = 1;
        st = PS_E_STORE;
    }
    PQclear(res);
    return st;
}

static ps_status pg_open(ps_store *s, const char *url)
{
    pg_impl *impl = calloc(1, sizeof *impl);
    char *libpq_url = NULL;
    char sql[160];
    ps_status st;

    if (!impl)
        return PS_E_NOMEM;
    s->impl = impl;
    if ((st = split_schema(s, url, &libpq_url, impl->schema)) != PS_OK)
        goto out;
    impl->conn = PQconnectdb(libpq_url);
    if (!impl->conn) {
        st = PS_E_NOMEM;
        goto out;
    }
    if (PQstatus(impl->conn) != CONNECTION_OK) {
        /* libpq's message names host and port, never the password */
        ps__store_seterr(s, "postgresql: cannot connect: %s", PQerrorMessage(impl->conn));
        st = PS_E_STORE;
        goto out;
    }
    PQsetNoticeProcessor(impl->conn, pg_quiet, NULL);
    if ((st = pg_simple(s, "SET client_min_messages TO warning")) != PS_OK)
        goto out;
    if (impl->schema[0]) {
        /* Two processes creating the same schema at once race on the
         * catalog; an advisory lock (an arbitrary constant key) serialises. */
        snprintf(sql, sizeof sql,
                 "SELECT pg_advisory_lock(7305001); CREATE SCHEMA IF NOT EXISTS \"%s\"; "
                 "SELECT pg_advisory_unlock(7305001)",
                 impl->schema);
        if ((st = pg_simple(s, sql)) != PS_OK)
            goto out;
        snprintf(sql, sizeof sql, "SET search_path TO \"%s\"", impl->schema);
        if ((st = pg_simple(s, sql)) != PS_OK)
            goto out;
    }
    snprintf(impl->channel, sizeof impl->channel, "ps_jobs%s%s", impl->schema[0] ? "_" : "",
             impl->schema);
out:
    free(libpq_url);
    return st;
}

static void pg_close(ps_store *s)
{
    pg_impl *impl = s->impl;
    if (!impl)
        return;
    if (impl->conn)
        PQfinish(impl->conn);
    free(impl);
    s->impl = NULL;
}

static ps_status pg_exec(ps_store *s, const char *sql, const ps__val *p, int np,
                         ps__rows **out, int64_t *changes)
{
    PGconn *conn = conn_of(s);
    PGresult *res = NULL;
    ps__rows *rows = NULL;
    char (*num)[24] = NULL;
    const char **values = NULL;
    int *lengths = NULL, *formats = NULL;
    ps_status st = PS_OK;
    ExecStatusType t;

    if (out)
        *out = NULL;
    if (changes)
        *changes = 0;
    if (np > 0) {
        num = calloc((size_t)np, sizeof *num);
        values = calloc((size_t)np, sizeof *values);
        lengths = calloc((size_t)np, sizeof *lengths);
        formats = calloc((size_t)np, sizeof *formats);
        if (!num || !values || !lengths || !formats) {
            st = PS_E_NOMEM;
            goto out;
        }
    }
    for (int i = 0; i < np; i++) {
        switch (p[i].t) {
        case PS__NULL: values[i] = NULL; break;
        case PS__INT:
            snprintf(num[i], sizeof num[i], "%lld", (long long)p[i].i);
            values[i] = num[i];
            break;
        case PS__TEXT: values[i] = p[i].s; break;
        case PS__BLOB:
            if (p[i].n > (size_t)0x7fffffff) {
                ps__store_seterr(s, "postgresql: blob too large");
                st = PS_E_ARG;
                goto out;
            }
            values[i] = p[i].b ? (const char *)p[i].b : "";
            lengths[i] = (int)p[i].n;
            formats[i] = 1; /* binary: raw bytes for bytea */
            break;
        }
    }
    res = PQexecParams(conn, sql, np, NULL, values, lengths, formats, 0);
    t = PQresultStatus(res);
    if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
        const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
        ps__store_seterr(s, "postgresql: %s", PQerrorMessage(conn));
        if (PQstatus(conn) == CONNECTION_BAD)
            s->poisoned = 1;
        /* 23505 unique_violation, 23503 foreign_key_violation */
        st = state && (!strcmp(state, "23505") || !strcmp(state, "23503")) ? PS_E_CONFLICT
                                                                            : PS_E_STORE;
        goto out;
    }
    if (changes) {
        const char *ct = PQcmdTuples(res);
        *changes = ct && *ct ? strtoll(ct, NULL, 10) : 0;
    }
    if (out) {
        rows = calloc(1, sizeof *rows);
        if (!rows) {
            st = PS_E_NOMEM;
            goto out;
        }
        rows->ncols = PQnfields(res);
        rows->nrows = PQntuples(res);
        if (rows->nrows > 0 && rows->ncols > 0) {
            rows->cells = calloc((size_t)rows->nrows * (size_t)rows->ncols, sizeof *rows->cells);
            if (!rows->cells) {
                rows->nrows = 0;
                st = PS_E_NOMEM;
                goto out;
            }
        }
        for (int r = 0; r < rows->nrows; r++) {
            for (int c = 0; c < rows->ncols; c++) {
                ps__cell *cell = rows->cells + (size_t)r * (size_t)rows->ncols + c;
                if (PQgetisnull(res, r, c)) {
                    cell->is_null = 1;
                    continue;
                }
                const char *v = PQgetvalue(res, r, c);
                size_t len = (size_t)PQgetlength(res, r, c);
                unsigned char *raw = NULL;
                if (PQftype(res, c) == PG_BYTEA_OID) {
                    raw = PQunescapeBytea((const unsigned char *)v, &len);
                    if (!raw) {
                        st = PS_E_NOMEM;
                        goto out;
                    }
                    v = (const char *)raw;
                }
                cell->data = malloc(len + 1);
                if (cell->data) {
                    memcpy(cell->data, v, len);
                    cell->data[len] = '\0';
                    cell->len = len;
                }
                if (raw)
                    PQfreemem(raw);
                if (!cell->data) {
                    st = PS_E_NOMEM;
                    goto out;
                }
            }
        }
        *out = rows;
        rows = NULL;
    }
out:
    PQclear(res);
    ps__rows_free(rows);
    free(num);
    free(values);
    free(lengths);
    free(formats);
    return st;
}

static ps_status pg_begin(ps_store *s)
{
    return pg_simple(s, "BEGIN");
}

static ps_status pg_commit(ps_store *s)
{
    return pg_simple(s, "COMMIT");
}

static void pg_rollback(ps_store *s)
{
    PGconn *conn = conn_of(s);
    if (conn && PQtransactionStatus(conn) != PQTRANS_IDLE) {
        PGresult *res = PQexec(conn, "ROLLBACK");
        PQclear(res);
    }
}

static ps_status pg_notify(ps_store *s)
{
    pg_impl *impl = s->impl;
    ps__val v = {.t = PS__TEXT, .s = impl->channel};
    return pg_exec(s, "SELECT pg_notify($1, '')", &v, 1, NULL, NULL);
}

/* Drains pending notifications; returns how many there were. */
static int drain(PGconn *conn)
{
    int n = 0;
    PGnotify *nt;
    while ((nt = PQnotifies(conn)) != NULL) {
        PQfreemem(nt);
        n++;
    }
    return n;
}

static int pg_wait(ps_store *s, int timeout_ms)
{
    pg_impl *impl = s->impl;
    PGconn *conn = conn_of(s);
    char sql[PG_SCHEMA_MAX + 32];
    struct pollfd pfd;

    if (!impl->listening) {
        snprintf(sql, sizeof sql, "LISTEN \"%s\"", impl->channel);
        if (pg_simple(s, sql) == PS_OK)
            impl->listening = 1;
        /* Return without sleeping: the caller re-checks the queue, which
         * catches anything enqueued before LISTEN took effect. */
        return 0;
    }
    if (PQconsumeInput(conn) && drain(conn) > 0)
        return 1;
    pfd.fd = PQsocket(conn);
    pfd.events = POLLIN;
    pfd.revents = 0;
    if (pfd.fd < 0)
        return 0;
    if (poll(&pfd, 1, timeout_ms) > 0) {
        if (!PQconsumeInput(conn)) {
            if (PQstatus(conn) == CONNECTION_BAD)
                s->poisoned = 1;
            return 0;
        }
        return drain(conn) > 0;
    }
    return 0;
}

static const char *const pg_extra_v1[] = {
    "CREATE OR REPLACE FUNCTION ps_hamming(a BIGINT, b BIGINT) RETURNS INTEGER "
    "LANGUAGE SQL IMMUTABLE STRICT AS $$ SELECT bit_count(CAST(a # b AS BIT(64)))::INTEGER $$",
    "CREATE OR REPLACE FUNCTION ps_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$",
    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION ps_audit_append_only()",
    NULL,
};

const ps__backend ps__pg_backend = {
    .name = "postgresql",
    .open = pg_open,
    .close = pg_close,
    .exec = pg_exec,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .notify = pg_notify,
    .wait = pg_wait,
    .id_type = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    .blob_type = "BYTEA",
    .skip_locked = " FOR UPDATE SKIP LOCKED",
    .lock_row = " FOR UPDATE",
    /* an arbitrary constant key: one migrator at a time per database */
    .migrate_lock = "SELECT pg_advisory_xact_lock(7305002)",
    .extra_v1 = pg_extra_v1,
};
