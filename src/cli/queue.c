/* The queue and account commands (SPEC §3): enqueue, work, status, result,
 * reviewer add, token add. All of them take --db URL. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "prescreen/applicant.h"
#include "prescreen/decode.h"
#include "prescreen/report.h"
#include "prescreen/screen.h"
#include "prescreen/store.h"
#include "prescreen/worker.h"

/* Applicant files are a few hundred bytes; 64 KiB is generous. */
#define PS_APPLICANT_MAX_BYTES (64u << 10)
/* A reviewer password read from stdin: one line, at most this long. */
#define PS_PASSWORD_MAX 1024
/* Most files one enqueue takes (a shell's argument list is the real cap). */
#define PS_ENQUEUE_MAX_FILES 100000

static int valid_url(const char *u)
{
    return strncmp(u, "sqlite:", 7) == 0 || strncmp(u, "postgresql://", 13) == 0 ||
           strncmp(u, "postgres://", 11) == 0;
}

/* Parses a non-negative integer option value; -1 when it is not one. */
static long long parse_count(const char *s)
{
    char *end;
    long long v;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < 0)
        return -1;
    return v;
}

static int open_db(const char *url, ps_store **db)
{
    char err[512];
    ps_status st = ps_store_open(url, db, err, sizeof err);
    if (st != PS_OK)
        return ps_cli_fail(st, err[0] ? err : NULL);
    return PS_EXIT_OK;
}

/* Prints a store failure as error JSON (exit 1). */
static int store_fail(ps_store *db, ps_status st)
{
    const char *m = ps_store_errmsg(db);
    return ps_cli_fail(st, m[0] ? m : NULL);
}

int ps_cli_enqueue(int argc, char **argv)
{
    const char *url = NULL, *kind = NULL, *side = NULL, *applicant_id = NULL;
    const char *applicant_path = NULL;
    const char **files = NULL;
    int n_files = 0, rc = PS_EXIT_INTERNAL, over = 0;
    ps_store *db = NULL;
    ps_applicant profile;
    ps_upload_meta meta;
    ps_limits lim;
    char *profile_json = NULL, err[256];
    int64_t *ids = NULL;
    ps_status st;
    size_t len = 0;

    files = calloc((size_t)argc, sizeof *files);
    if (files == NULL)
        return ps_cli_fail(PS_E_NOMEM, NULL);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = NULL;
        if (strcmp(a, "--db") == 0) slot = &url;
        else if (strcmp(a, "--kind") == 0) slot = &kind;
        else if (strcmp(a, "--side") == 0) slot = &side;
        else if (strcmp(a, "--applicant-id") == 0) slot = &applicant_id;
        else if (strcmp(a, "--applicant") == 0) slot = &applicant_path;
        else if (a[0] == '-' && a[1] != '\0') {
            rc = ps_cli_usage("enqueue: unknown option %s", a);
            goto out;
        } else {
            files[n_files++] = a;
            continue;
        }
        if (i + 1 >= argc) {
            rc = ps_cli_usage("enqueue: %s needs a value", a);
            goto out;
        }
        *slot = argv[++i];
    }
    if (url == NULL || kind == NULL || n_files == 0) {
        rc = ps_cli_usage("enqueue: --db, --kind and at least one FILE are required");
        goto out;
    }
    if (!valid_url(url)) {
        rc = ps_cli_usage("enqueue: --db must be sqlite:PATH or postgresql://...");
        goto out;
    }
    if (ps_kind_from_name(kind) < 0) {
        rc = ps_cli_usage("enqueue: unknown kind \"%s\"", kind);
        goto out;
    }
    if (side != NULL && strcmp(side, "front") != 0 && strcmp(side, "back") != 0) {
        rc = ps_cli_usage("enqueue: --side must be front or back");
        goto out;
    }
    if (n_files > PS_ENQUEUE_MAX_FILES) {
        rc = ps_cli_usage("enqueue: at most %d files at once", PS_ENQUEUE_MAX_FILES);
        goto out;
    }
    if (applicant_path != NULL) {
        profile_json = (char *)ps_cli_read_file(applicant_path, PS_APPLICANT_MAX_BYTES, &len, &over);
        if (profile_json == NULL || over) {
            snprintf(err, sizeof err, "cannot read the applicant file%s", over ? " (too large)" : "");
            rc = ps_cli_fail(PS_E_IO, err);
            goto out;
        }
        /* NUL-terminate: ps_cli_read_file returns raw bytes. */
        {
            char *t = realloc(profile_json, len + 1);
            if (t == NULL) {
                rc = ps_cli_fail(PS_E_NOMEM, NULL);
                goto out;
            }
            profile_json = t;
            profile_json[len] = '\0';
        }
        st = ps_applicant_parse(profile_json, len, &profile, err, sizeof err);
        if (st != PS_OK) {
            rc = ps_cli_fail(st, err);
            goto out;
        }
        if (profile.id[0] == '\0') {
            rc = ps_cli_fail(PS_E_JSON, "the applicant file has no \"id\"");
            goto out;
        }
        if (applicant_id != NULL && strcmp(applicant_id, profile.id) != 0) {
            rc = ps_cli_usage("enqueue: --applicant-id differs from the applicant file's id");
            goto out;
        }
        applicant_id = profile.id;
    }

    rc = open_db(url, &db);
    if (rc != PS_EXIT_OK)
        goto out;
    rc = PS_EXIT_INTERNAL;
    if (profile_json != NULL) {
        st = ps_store_put_applicant(db, profile_json);
        if (st != PS_OK) {
            rc = store_fail(db, st);
            goto out;
        }
    }
    ids = calloc((size_t)n_files, sizeof *ids);
    if (ids == NULL) {
        rc = ps_cli_fail(PS_E_NOMEM, NULL);
        goto out;
    }
    meta.kind = kind;
    meta.side = side;
    meta.applicant_id = applicant_id;
    ps_limits_default(&lim);
    for (int i = 0; i < n_files; i++) {
        size_t n = 0;
        int64_t id = 0;
        uint8_t *bytes = ps_cli_read_file(files[i], lim.max_bytes, &n, &over);
        if (bytes == NULL) {
            snprintf(err, sizeof err, "cannot read %s: %s", files[i], strerror(errno));
            rc = ps_cli_fail(PS_E_IO, err);
            goto out;
        }
        if (over || n == 0) {
            free(bytes);
            snprintf(err, sizeof err, "%s: %s", files[i],
                     over ? "over the byte limit" : "the file is empty");
            rc = ps_cli_fail(over ? PS_E_TOO_LARGE : PS_E_EMPTY, err);
            goto out;
        }
        st = ps_store_enqueue(db, &meta, bytes, n, &id);
        free(bytes);
        if (st != PS_OK) {
            rc = store_fail(db, st);
            goto out;
        }
        ids[i] = id;
    }
    fputs("{\"job_ids\":[", stdout);
    for (int i = 0; i < n_files; i++)
        printf("%s%lld", i ? "," : "", (long long)ids[i]);
    fputs("]}\n", stdout);
    rc = PS_EXIT_OK;
out:
    free(ids);
    free(profile_json);
    free(files);
    ps_store_close(&db);
    return rc;
}

int ps_cli_work(int argc, char **argv)
{
    ps_worker_opts o;
    ps_worker_stats stats;
    char err[512];
    ps_status st;

    ps_worker_opts_default(&o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        long long n;
        double d;
        char *end;
        if (strcmp(a, "--drain") == 0) {
            o.drain = 1;
            continue;
        }
        if (a[0] != '-')
            return ps_cli_usage("work: unexpected argument %s", a);
        if (i + 1 >= argc)
            return ps_cli_usage("work: %s needs a value", a);
        v = argv[++i];
        n = parse_count(v);
        if (strcmp(a, "--db") == 0) {
            o.db_url = v;
        } else if (strcmp(a, "--policy") == 0) {
            o.policy_path = v;
        } else if (strcmp(a, "--threads") == 0) {
            if (n < 1 || n > 64)
                return ps_cli_usage("work: --threads must be 1..64");
            o.threads = (int)n;
        } else if (strcmp(a, "--lease") == 0) {
            if (n < 1 || n > 86400)
                return ps_cli_usage("work: --lease must be 1..86400 seconds");
            o.lease_seconds = (int)n;
        } else if (strcmp(a, "--job-timeout") == 0) {
            errno = 0;
            d = strtod(v, &end);
            if (errno != 0 || end == v || *end != '\0' || !(d > 0) || d > 86400)
                return ps_cli_usage("work: --job-timeout must be 0 < SECONDS <= 86400");
            o.job_timeout_ms = (int64_t)(d * 1000.0 + 0.5);
            if (o.job_timeout_ms < 1)
                o.job_timeout_ms = 1;
        } else if (strcmp(a, "--job-memory-mb") == 0) {
            if (strcmp(v, "off") == 0)
                o.job_memory_mb = 0;
            else if (n <= PS_SCREEN_BASE_MB || n > 1048576)
                return ps_cli_usage("work: --job-memory-mb must be 257..1048576 or off");
            else
                o.job_memory_mb = (int)n;
        } else if (strcmp(a, "--max-attempts") == 0) {
            if (n < 1 || n > 1000)
                return ps_cli_usage("work: --max-attempts must be 1..1000");
            o.max_attempts = (int)n;
        } else if (strcmp(a, "--backoff-ms") == 0) {
            if (n < 0)
                return ps_cli_usage("work: --backoff-ms must be >= 0");
            o.backoff_ms = n;
        } else if (strcmp(a, "--dup-distance") == 0) {
            if (strcmp(v, "off") == 0)
                o.dup_distance = -1;
            else if (n < 0 || n > 64)
                return ps_cli_usage("work: --dup-distance must be 0..64 or off");
            else
                o.dup_distance = (int)n;
        } else {
            return ps_cli_usage("work: unknown option %s", a);
        }
    }
    if (o.db_url == NULL)
        return ps_cli_usage("work: --db is required");
    if (!valid_url(o.db_url))
        return ps_cli_usage("work: --db must be sqlite:PATH or postgresql://...");
    st = ps_worker_run(&o, &stats, err, sizeof err);
    if (st != PS_OK)
        return ps_cli_fail(st, err[0] ? err : NULL);
    return PS_EXIT_OK;
}

/* Shared by status and result: --db URL plus at most one positional. */
static int db_and_arg(const char *cmd, int argc, char **argv, const char **url, const char **arg,
                      int want_arg)
{
    *url = NULL;
    *arg = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0) {
            if (i + 1 >= argc)
                return ps_cli_usage("%s: --db needs a value", cmd);
            *url = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return ps_cli_usage("%s: unknown option %s", cmd, argv[i]);
        } else if (want_arg && *arg == NULL) {
            *arg = argv[i];
        } else {
            return ps_cli_usage("%s: unexpected argument %s", cmd, argv[i]);
        }
    }
    if (*url == NULL)
        return ps_cli_usage("%s: --db is required", cmd);
    if (!valid_url(*url))
        return ps_cli_usage("%s: --db must be sqlite:PATH or postgresql://...", cmd);
    if (want_arg && *arg == NULL)
        return ps_cli_usage("%s: an argument is missing", cmd);
    return PS_EXIT_OK;
}

int ps_cli_status(int argc, char **argv)
{
    const char *url, *unused;
    ps_store *db = NULL;
    char *json = NULL;
    ps_status st;
    int rc = db_and_arg("status", argc, argv, &url, &unused, 0);
    if (rc != PS_EXIT_OK)
        return rc;
    rc = open_db(url, &db);
    if (rc != PS_EXIT_OK)
        return rc;
    st = ps_store_status_json(db, &json);
    if (st == PS_OK) {
        puts(json);
        rc = PS_EXIT_OK;
    } else {
        rc = store_fail(db, st);
    }
    free(json);
    ps_store_close(&db);
    return rc;
}

int ps_cli_result(int argc, char **argv)
{
    const char *url, *arg;
    ps_store *db = NULL;
    ps_store_job *job = NULL;
    char *json = NULL, msg[256];
    long long id;
    ps_status st;
    int rc = db_and_arg("result", argc, argv, &url, &arg, 1);
    if (rc != PS_EXIT_OK)
        return rc;
    id = parse_count(arg);
    if (id < 1)
        return ps_cli_usage("result: JOB_ID must be a positive integer");
    rc = open_db(url, &db);
    if (rc != PS_EXIT_OK)
        return rc;
    st = ps_store_get_result(db, id, &json);
    if (st == PS_OK) {
        puts(json);
        rc = PS_EXIT_OK;
    } else if (st == PS_E_NOT_FOUND) {
        /* Say why there is no report: no such job, not finished, or dead. */
        if (ps_store_get_job(db, id, &job) != PS_OK)
            snprintf(msg, sizeof msg, "no job %lld", id);
        else if (job->state == PS_JOB_DEAD)
            snprintf(msg, sizeof msg, "job %lld is dead (last error: %s)", id,
                     job->last_error_code ? job->last_error_code : "none");
        else
            snprintf(msg, sizeof msg, "job %lld is %s: no report yet", id,
                     ps_job_state_name(job->state));
        rc = ps_cli_fail(st, msg);
    } else {
        rc = store_fail(db, st);
    }
    ps_store_job_free(&job);
    free(json);
    ps_store_close(&db);
    return rc;
}

/* `reviewer add --db URL NAME`: the password is the first line of stdin. */
int ps_cli_reviewer(int argc, char **argv)
{
    const char *url, *name;
    ps_store *db = NULL;
    char pw[PS_PASSWORD_MAX + 2];
    int64_t id = 0;
    size_t n;
    ps_status st;
    int rc;

    if (argc < 2 || strcmp(argv[1], "add") != 0)
        return ps_cli_usage("reviewer: only \"reviewer add --db URL NAME\" exists");
    rc = db_and_arg("reviewer add", argc - 1, argv + 1, &url, &name, 1);
    if (rc != PS_EXIT_OK)
        return rc;
    if (name[0] == '\0' || strlen(name) > 100)
        return ps_cli_usage("reviewer add: NAME must be 1..100 bytes");
    if (fgets(pw, sizeof pw, stdin) == NULL)
        return ps_cli_usage("reviewer add: give the password on stdin");
    n = strlen(pw);
    if (n > 0 && pw[n - 1] == '\n')
        pw[--n] = '\0';
    else if (n > PS_PASSWORD_MAX)
        return ps_cli_usage("reviewer add: the password is over %d bytes", PS_PASSWORD_MAX);
    if (n > 0 && pw[n - 1] == '\r')
        pw[--n] = '\0';
    if (n < 8)
        return ps_cli_usage("reviewer add: the password must have at least 8 characters");
    rc = open_db(url, &db);
    if (rc == PS_EXIT_OK) {
        st = ps_store_reviewer_set(db, name, pw, &id);
        if (st == PS_OK)
            printf("{\"reviewer_id\":%lld}\n", (long long)id);
        rc = st == PS_OK ? PS_EXIT_OK : store_fail(db, st);
    }
    memset(pw, 0, sizeof pw);
    ps_store_close(&db);
    return rc;
}

/* `token add --db URL NAME`: prints the new API token once. */
int ps_cli_token(int argc, char **argv)
{
    const char *url, *name;
    ps_store *db = NULL;
    char token[PS_STORE_TOKEN_SIZE];
    ps_status st;
    int rc;

    if (argc < 2 || strcmp(argv[1], "add") != 0)
        return ps_cli_usage("token: only \"token add --db URL NAME\" exists");
    rc = db_and_arg("token add", argc - 1, argv + 1, &url, &name, 1);
    if (rc != PS_EXIT_OK)
        return rc;
    if (name[0] == '\0' || strlen(name) > 100)
        return ps_cli_usage("token add: NAME must be 1..100 bytes");
    rc = open_db(url, &db);
    if (rc != PS_EXIT_OK)
        return rc;
    st = ps_store_token_add(db, name, token);
    if (st == PS_OK) {
        puts(token);
        rc = PS_EXIT_OK;
    } else {
        rc = store_fail(db, st);
    }
    memset(token, 0, sizeof token);
    ps_store_close(&db);
    return rc;
}
