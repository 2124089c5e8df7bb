/* The SQLite backend: the only file that talks to SQLite.
 *
 * One connection per handle, opened with NOMUTEX because a handle belongs to
 * one thread (store.h). WAL lets readers run beside the single writer of
 * other processes; every write transaction is BEGIN IMMEDIATE, so the write
 * lock is taken up front (waiting in the busy handler) instead of failing
 * with SQLITE_BUSY_SNAPSHOT when a read transaction tries to upgrade.
 * secure_delete makes SQLite overwrite freed pages with zeros, so the bytes
 * of a deleted original do not linger in the database file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "store/backend.h"

/* Wait this long for another process's write lock before giving up: claims
 * and completes are short, so 30 s means something is badly stuck. */
#define SQLITE_BUSY_MS 30000
/* Idle workers re-check the queue this often (no cross-process wake-up). */
#define SQLITE_POLL_MS 100

typedef struct sq_impl {
    sqlite3 *db;
} sq_impl;

static sqlite3 *db_of(ps_store *s)
{
    return s->impl ? ((sq_impl *)s->impl)->db : NULL;
}

/* ps_hamming(a, b): popcount of a XOR b for two 64-bit integers; NULL when
 * either is NULL. Registered as a deterministic SQL function. */
static void sq_hamming(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    uint64_t x = (uint64_t)sqlite3_value_int64(argv[0]) ^ (uint64_t)sqlite3_value_int64(argv[1]);
    int n = 0;
    while (x) {
        x &= x - 1;
        n++;
    }
    sqlite3_result_int(ctx, n);
}

static ps_status sq_simple(ps_store *s, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(db_of(s), sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        ps__store_seterr(s, "sqlite: %s: %s", sql, msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return PS_E_STORE;
    }
    return PS_OK;
}

static ps_status sq_open(ps_store *s, const char *url)
{
    const char *path = url + strlen("sqlite:");
    sq_impl *impl = NULL;
    ps_status st = PS_OK;
    int rc;

    if (*path == '\0') {
        ps__store_seterr(s, "sqlite: empty path in URL");
        return PS_E_ARG;
    }
    impl = calloc(1, sizeof *impl);
    if (!impl)
        return PS_E_NOMEM;
    s->impl = impl;
    rc = sqlite3_open_v2(path, &impl->db,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        ps__store_seterr(s, "sqlite: cannot open %s: %s", path,
                         impl->db ? sqlite3_errmsg(impl->db) : sqlite3_errstr(rc));
        st = PS_E_STORE;
        goto out;
    }
    sqlite3_extended_result_codes(impl->db, 1);
    sqlite3_busy_timeout(impl->db, SQLITE_BUSY_MS);
    if ((st = sq_simple(s, "PRAGMA journal_mode=WAL")) != PS_OK ||
        /* NORMAL is durable in WAL mode except for the last commits on power loss */
        (st = sq_simple(s, "PRAGMA synchronous=NORMAL")) != PS_OK ||
        (st = sq_simple(s, "PRAGMA foreign_keys=ON")) != PS_OK ||
        (st = sq_simple(s, "PRAGMA secure_delete=ON")) != PS_OK)
        goto out;
    rc = sqlite3_create_function(impl->db, "ps_hamming", 2,
                                 SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL, sq_hamming, NULL, NULL);
    if (rc != SQLITE_OK) {
        ps__store_seterr(s, "sqlite: cannot register ps_hamming: %s", sqlite3_errmsg(impl->db));
        st = PS_E_STORE;
    }
out:
    return st;
}

static void sq_close(ps_store *s)
{
    sq_impl *impl = s->impl;
    if (!impl)
        return;
    sqlite3_close_v2(impl->db); /* NULL is a no-op */
    free(impl);
    s->impl = NULL;
}

/* Rewrites $N placeholders (outside quotes) to ?N. Returns malloc'd SQL. */
static char *rewrite_params(const char *sql)
{
    size_t n = strlen(sql);
    char *out = malloc(n + 1);
    char quote = 0;
    if (!out)
        return NULL;
    for (size_t i = 0; i <= n; i++) {
        char c = sql[i];
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '$' && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
            c = '?';
        }
        out[i] = c;
    }
    return out;
}

static ps_status sq_status(ps_store *s, int rc, const char *what)
{
    ps__store_seterr(s, "sqlite: %s: %s", what, sqlite3_errmsg(db_of(s)));
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return PS_E_CONFLICT;
    return PS_E_STORE;
}

static ps_status sq_exec(ps_store *s, const char *sql, const ps__val *p, int np,
                         ps__rows **out, int64_t *changes)
{
    sqlite3 *db = db_of(s);
    sqlite3_stmt *stmt = NULL;
    char *q = NULL;
    ps__rows *rows = NULL;
    int cap = 0;
    ps_status st = PS_OK;
    int rc;

    if (out)
        *out = NULL;
    if (changes)
        *changes = 0;
    q = rewrite_params(sql);
    if (!q) {
        st = PS_E_NOMEM;
        goto out;
    }
    rc = sqlite3_prepare_v2(db, q, -1, &stmt, NULL);
    if (rc != SQLITE_OK) {
        st = sq_status(s, rc, "prepare");
        goto out;
    }
    for (int i = 0; i < np; i++) {
        switch (p[i].t) {
        case PS__NULL: rc = sqlite3_bind_null(stmt, i + 1); break;
        case PS__INT: rc = sqlite3_bind_int64(stmt, i + 1, p[i].i); break;
        case PS__TEXT: rc = sqlite3_bind_text(stmt, i + 1, p[i].s, -1, SQLITE_STATIC); break;
        case PS__BLOB:
            rc = sqlite3_bind_blob64(stmt, i + 1, p[i].b ? (const void *)p[i].b : (const void *)"",
                                     p[i].n, SQLITE_STATIC);
            break;
        }
        if (rc != SQLITE_OK) {
            st = sq_status(s, rc, "bind");
            goto out;
        }
    }
    rows = calloc(1, sizeof *rows);
    if (!rows) {
        st = PS_E_NOMEM;
        goto out;
    }
    rows->ncols = sqlite3_column_count(stmt);
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        if (rows->nrows == cap) {
            int ncap = cap ? cap * 2 : 8;
            ps__cell *nc = realloc(rows->cells, sizeof *nc * (size_t)ncap * (size_t)rows->ncols + 1);
            if (!nc) {
                st = PS_E_NOMEM;
                goto out;
            }
            rows->cells = nc;
            cap = ncap;
        }
        ps__cell *row = rows->cells + (size_t)rows->nrows * (size_t)rows->ncols;
        memset(row, 0, sizeof *row * (size_t)rows->ncols);
        rows->nrows++;
        for (int c = 0; c < rows->ncols; c++) {
            int t = sqlite3_column_type(stmt, c);
            char num[32];
            const void *src = NULL;
            size_t len = 0;
            if (t == SQLITE_NULL) {
                row[c].is_null = 1;
                continue;
            } else if (t == SQLITE_INTEGER) {
                len = (size_t)snprintf(num, sizeof num, "%lld", (long long)sqlite3_column_int64(stmt, c));
                src = num;
            } else if (t == SQLITE_FLOAT) {
                len = (size_t)snprintf(num, sizeof num, "%.17g", sqlite3_column_double(stmt, c));
                src = num;
            } else if (t == SQLITE_BLOB) {
                src = sqlite3_column_blob(stmt, c);
                len = (size_t)sqlite3_column_bytes(stmt, c);
            } else {
                src = sqlite3_column_text(stmt, c);
                len = (size_t)sqlite3_column_bytes(stmt, c);
            }
            row[c].data = malloc(len + 1);
            if (!row[c].data) {
                st = PS_E_NOMEM;
                goto out;
            }
            if (len)
                memcpy(row[c].data, src, len);
            row[c].data[len] = '\0';
            row[c].len = len;
        }
    }
    if (rc != SQLITE_DONE) {
        st = sq_status(s, rc, "step");
        goto out;
    }
    if (changes)
        *changes = sqlite3_changes64(db);
    if (out) {
        *out = rows;
        rows = NULL;
    }
out:
    ps__rows_free(rows);
    sqlite3_finalize(stmt);
    free(q);
    return st;
}

static ps_status sq_begin(ps_store *s)
{
    return sq_simple(s, "BEGIN IMMEDIATE");
}

static ps_status sq_commit(ps_store *s)
{
    return sq_simple(s, "COMMIT");
}

static void sq_rollback(ps_store *s)
{
    if (db_of(s) && !sqlite3_get_autocommit(db_of(s)))
        sqlite3_exec(db_of(s), "ROLLBACK", NULL, NULL, NULL);
}

static int sq_wait(ps_store *s, int timeout_ms)
{
    (void)s;
    int ms = timeout_ms < SQLITE_POLL_MS ? timeout_ms : SQLITE_POLL_MS;
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (ms > 0 && nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
    return 0;
}

static const char *const sq_extra_v1[] = {
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    NULL,
};

const ps__backend ps__sqlite_backend = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .exec = sq_exec,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .notify = NULL,
    .wait = sq_wait,
    .id_type = "INTEGER PRIMARY KEY",
    .blob_type = "BLOB",
    .skip_locked = "",
    .lock_row = "",
    .migrate_lock = NULL,
    .extra_v1 = sq_extra_v1,
};
