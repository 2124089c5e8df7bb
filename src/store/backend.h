/* Private: the interface between the shared store logic (store.c) and a
 * database backend (sqlite.c, pg.c). A backend is a thin SQL driver: it runs
 * parameterised statements, brackets write transactions and knows how to
 * wake idle workers. All queue and review logic lives once, in store.c.
 *
 * SQL is written once with PostgreSQL-style placeholders ($1, $2, ...; a
 * number may repeat); the SQLite backend rewrites them to ?NNN. DDL uses
 * @ID@ (auto-increment primary key) and @BLOB@, substituted by store.c.
 */
#ifndef PS_STORE_BACKEND_H
#define PS_STORE_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "prescreen/store.h"

typedef enum ps__vtype { PS__NULL, PS__INT, PS__TEXT, PS__BLOB } ps__vtype;

/* A statement parameter. Pointers are borrowed for the duration of exec. */
typedef struct ps__val {
    ps__vtype t;
    int64_t i;
    const char *s;      /* PS__TEXT: NUL-terminated */
    const uint8_t *b;   /* PS__BLOB */
    size_t n;
} ps__val;

/* A result cell: NULL flag plus a private NUL-terminated copy of the value
 * (integers as decimal text, blobs as raw bytes with len). */
typedef struct ps__cell {
    int is_null;
    char *data;
    size_t len;
} ps__cell;

/* A materialised result set; owned by the caller of exec, freed with
 * ps__rows_free. */
typedef struct ps__rows {
    int ncols;
    int nrows;
    ps__cell *cells; /* nrows * ncols, row-major */
} ps__rows;

struct ps__backend {
    const char *name;
    /* Connects; stores its private state in s->impl. May write s->err. */
    ps_status (*open)(ps_store *s, const char *url);
    /* Disconnects and frees s->impl; tolerates a half-open handle. */
    void (*close)(ps_store *s);
    /* Runs one statement. out (optional) receives the rows; changes
     * (optional) the number of rows inserted/updated/deleted. A violated
     * unique/foreign key gives PS_E_CONFLICT; other failures PS_E_STORE. */
    ps_status (*exec)(ps_store *s, const char *sql, const ps__val *p, int np,
                      ps__rows **out, int64_t *changes);
    ps_status (*begin)(ps_store *s);  /* a write transaction */
    ps_status (*commit)(ps_store *s);
    void (*rollback)(ps_store *s);
    /* Inside an enqueue transaction: tell sleeping workers (may be NULL). */
    ps_status (*notify)(ps_store *s);
    /* Sleep up to timeout_ms; return 1 when woken by a notification. */
    int (*wait)(ps_store *s, int timeout_ms);
    const char *id_type;     /* DDL for @ID@ */
    const char *blob_type;   /* DDL for @BLOB@ */
    const char *skip_locked; /* suffix for "take one free row" selects */
    const char *lock_row;    /* suffix for "lock this row" selects */
    const char *migrate_lock;/* statement serialising migrations, or NULL */
    const char *const *extra_v1; /* backend DDL for schema version 1 */
};

typedef struct ps__backend ps__backend;

struct ps_store {
    const ps__backend *be;
    void *impl;
    char err[512];
    int poisoned;
    int max_attempts;
    int64_t backoff_base_ms;
    int64_t backoff_cap_ms;
    int64_t clock_offset_ms;
};

extern const ps__backend ps__sqlite_backend;
extern const ps__backend ps__pg_backend;

/* printf-style error message into s->err. */
void ps__store_seterr(ps_store *s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

void ps__rows_free(ps__rows *r);

#endif
