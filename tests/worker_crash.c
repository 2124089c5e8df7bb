/* The crash test (SPEC §6: a killed worker loses no job; a job is never
 * stored twice).
 *
 *   worker_crash sqlite|pg
 *
 * Enqueues PS_CRASH_JOBS (default 1000) small uploads: tiny valid JPEG
 * selfies (done), tiny address proofs (quarantined: they could carry
 * numbers) and some truncated files (done, unreadable). Two `prescreen work
 * --threads 2 --drain --lease 2` processes are started; each is killed with
 * SIGKILL several times at random moments and restarted at once, then left
 * to drain. Afterwards every job must be done, quarantined or dead, with no
 * original left; a report exists exactly for done/quarantined jobs; and the
 * worker logs show at most one completion per job. At least one job must
 * have been claimed more than once (a kill interrupted it and its lease
 * expired), or the test proved nothing.
 *
 * PostgreSQL: the URL comes from the file named by PS_PG_URL_FILE (the
 * tests/store.cmake fixture); each run uses its own schema. Without it the
 * test is skipped (77). */
#include <stdlib.h>
#include <string.h>

#include "proc.h"
#include "prescreen/decode.h"
#include "prescreen/store.h"

/* Kills per worker slot before it is left to drain. */
#define KILLS_PER_SLOT 3
/* Worker processes running at once, and threads in each. */
#define SLOTS 2
/* Overall limit: the test fails rather than hang. */
#define TIME_LIMIT_S 600.0

#define FAIL(...)                                                                  \
    do {                                                                           \
        fprintf(stderr, "worker_crash: " __VA_ARGS__);                             \
        fputc('\n', stderr);                                                       \
        rc = 1;                                                                    \
        goto out;                                                                  \
    } while (0)

/* 1 once the worker process `pid` has logged a claim. A kill is only
 * worth something while the process is screening: under the sanitizers on
 * a loaded machine, loading the models can outlast the first kill's delay,
 * and kills that all land during start-up interrupt no job. */
static int has_claimed(const char *log, pid_t pid)
{
    char *text = pt_slurp(log), tag[32];
    const char *line;
    int found = 0;
    if (text == NULL)
        return 0;
    snprintf(tag, sizeof tag, ":%ld:", (long)pid);
    for (line = text; line != NULL && *line && !found; line = strchr(line, '\n')) {
        const char *end;
        if (*line == '\n')
            line++;
        end = strchr(line, '\n');
        if (end == NULL)
            end = line + strlen(line);
        {
            const char *c = strstr(line, " event=claimed");
            const char *t = strstr(line, tag);
            found = c != NULL && c < end && t != NULL && t < end;
        }
    }
    free(text);
    return found;
}

static uint8_t *tiny_jpeg(int seed, size_t *len)
{
    ps_image *img = NULL;
    uint8_t *jpg = NULL;
    int w = 40 + seed * 4, h = 32 + seed * 2; /* small: ~1-2 KB each */
    *len = 0;
    if (ps_image_new(w, h, 3, 0, &img) != PS_OK)
        return NULL;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint8_t *p = ps_image_row(img, y) + 3 * x;
            p[0] = (uint8_t)((x * 13 + seed * 31) & 255);
            p[1] = (uint8_t)((y * 7 + x * seed) & 255);
            p[2] = (uint8_t)(((x / (seed + 2)) % 2) * 220);
        }
    if (ps_encode_jpeg(img, 80, &jpg, len) != PS_OK)
        jpg = NULL;
    ps_image_free(&img);
    return jpg;
}

static pid_t start_worker(const char *url, const char *log)
{
    char *argv[] = {"prescreen", "work", "--db", (char *)url, "--threads", "2", "--drain",
                    "--lease", "2", "--backoff-ms", "200", NULL};
    return pt_spawn(argv, NULL, NULL, log);
}

int main(int argc, char **argv)
{
    const char *backend = argc > 1 ? argv[1] : "sqlite";
    const char *njobs_env = getenv("PS_CRASH_JOBS");
    int njobs = njobs_env ? atoi(njobs_env) : 1000;
    char url[1024], log[512], dir[256] = "/tmp/ps-crash-XXXXXX";
    uint8_t *imgs[8] = {0};
    size_t lens[8] = {0};
    ps_store *db = NULL;
    pid_t pid[SLOTS] = {0};
    int kills[SLOTS] = {0}, finished[SLOTS] = {0}, rc = 0, total_kills = 0;
    double kill_at[SLOTS], t0;
    int64_t counts[PS_JOB_STATE_COUNT_], first_id = 0;
    int *completions = NULL, reclaimed = 0;
    char *logtext = NULL;

    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    if (mkdtemp(dir) == NULL)
        return 1;
    snprintf(log, sizeof log, "%s/work.log", dir);
    if (strcmp(backend, "pg") == 0) {
        const char *f = getenv("PS_PG_URL_FILE");
        char *text = f ? pt_slurp(f) : NULL;
        if (text == NULL) {
            printf("worker_crash: no PostgreSQL test server (PS_PG_URL_FILE); skipped\n");
            rmdir(dir);
            return 77;
        }
        text[strcspn(text, "\r\n")] = '\0';
        snprintf(url, sizeof url, "%s?schema=crash_%ld", text, (long)getpid());
        free(text);
    } else {
        snprintf(url, sizeof url, "sqlite:%s/queue.db", dir);
    }

    /* The uploads: 8 distinct tiny pictures, reused. */
    for (int i = 0; i < 8; i++)
        if ((imgs[i] = tiny_jpeg(i + 1, &lens[i])) == NULL)
            FAIL("cannot make the test images");
    if (ps_store_open(url, &db, NULL, 0) != PS_OK)
        FAIL("cannot open the store");
    for (int i = 0; i < njobs; i++) {
        ps_upload_meta m = {i % 3 == 1 ? "address_proof" : "selfie", NULL, NULL};
        size_t n = lens[i % 8];
        int64_t id = 0;
        if (i % 50 == 7)
            n /= 2; /* truncated: an input error, screened as unreadable */
        if (ps_store_enqueue(db, &m, imgs[i % 8], n, &id) != PS_OK)
            FAIL("enqueue failed: %s", ps_store_errmsg(db));
        if (i == 0)
            first_id = id;
    }

    t0 = pt_now();
    for (int s = 0; s < SLOTS; s++) {
        pid[s] = start_worker(url, log);
        kill_at[s] = pt_now() + 1.0 + (rand() % 3000) / 1000.0;
    }
    while (!(finished[0] && finished[1])) {
        if (pt_now() - t0 > TIME_LIMIT_S)
            FAIL("not drained after %.0f s", TIME_LIMIT_S);
        for (int s = 0; s < SLOTS; s++) {
            int status;
            if (finished[s])
                continue;
            if (waitpid(pid[s], &status, WNOHANG) == pid[s]) {
                if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && kills[s] >= KILLS_PER_SLOT) {
                    finished[s] = 1;
                    continue;
                }
                if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0))
                    FAIL("a worker exited with status %d", status);
                /* Drained before its kills were spent: the other slot's
                 * kills still exercise the queue; nothing to restart. */
                finished[s] = 1;
                continue;
            }
            if (kills[s] < KILLS_PER_SLOT && pt_now() >= kill_at[s] && !has_claimed(log, pid[s]))
                kill_at[s] = pt_now() + 0.05 + (rand() % 200) / 1000.0; /* still starting */
            else if (kills[s] < KILLS_PER_SLOT && pt_now() >= kill_at[s]) {
                kill(pid[s], SIGKILL);
                waitpid(pid[s], &status, 0);
                kills[s]++;
                total_kills++;
                pid[s] = start_worker(url, log);
                kill_at[s] = pt_now() + 1.0 + (rand() % 3000) / 1000.0;
            }
        }
        pt_sleep(0.02);
    }
    printf("worker_crash: %s, %d jobs drained in %.1f s with %d SIGKILLs\n", backend, njobs,
           pt_now() - t0, total_kills);
    if (total_kills < 2)
        FAIL("only %d kills happened before the queue drained", total_kills);

    if (ps_store_counts(db, counts) != PS_OK)
        FAIL("counts failed");
    printf("worker_crash: done %lld, quarantined %lld, dead %lld\n",
           (long long)counts[PS_JOB_DONE], (long long)counts[PS_JOB_QUARANTINED],
           (long long)counts[PS_JOB_DEAD]);
    if (counts[PS_JOB_QUEUED] != 0 || counts[PS_JOB_RUNNING] != 0)
        FAIL("jobs left: %lld queued, %lld running", (long long)counts[PS_JOB_QUEUED],
             (long long)counts[PS_JOB_RUNNING]);
    if (counts[PS_JOB_DONE] + counts[PS_JOB_QUARANTINED] + counts[PS_JOB_DEAD] != njobs)
        FAIL("jobs lost: %lld finished of %d",
             (long long)(counts[PS_JOB_DONE] + counts[PS_JOB_QUARANTINED] + counts[PS_JOB_DEAD]),
             njobs);

    /* Completions per job in the logs: at most one each. */
    completions = calloc((size_t)njobs + 1, sizeof *completions);
    logtext = pt_slurp(log);
    if (completions == NULL || logtext == NULL)
        FAIL("cannot read the log");
    for (char *p = logtext; (p = strstr(p, " job=")) != NULL; p++) {
        long long id = atoll(p + 5);
        char *sp = strchr(p + 5, ' ');
        if (sp && (strncmp(sp, " event=done ", 12) == 0 ||
                   strncmp(sp, " event=quarantined ", 19) == 0)) {
            if (id < first_id || id >= first_id + njobs)
                FAIL("a completion for an unknown job %lld", id);
            completions[id - first_id]++;
        }
    }
    for (int i = 0; i < njobs; i++) {
        int64_t id = first_id + i;
        ps_store_job *j = NULL;
        char *report = NULL;
        ps_status st;
        if (ps_store_get_job(db, id, &j) != PS_OK)
            FAIL("job %lld is missing", (long long)id);
        if (j->original_len != 0)
            FAIL("job %lld still holds its original", (long long)id);
        if (j->attempts > 1)
            reclaimed++;
        st = ps_store_get_result(db, id, &report);
        free(report);
        if (j->state == PS_JOB_DONE || j->state == PS_JOB_QUARANTINED) {
            if (st != PS_OK)
                FAIL("finished job %lld has no report", (long long)id);
        } else if (j->state == PS_JOB_DEAD) {
            if (st != PS_E_NOT_FOUND || completions[i] != 0)
                FAIL("dead job %lld has a report or a completion", (long long)id);
        } else {
            FAIL("job %lld is %s", (long long)id, ps_job_state_name(j->state));
        }
        if (completions[i] > 1)
            FAIL("job %lld was completed %d times", (long long)id, completions[i]);
        ps_store_job_free(&j);
    }
    printf("worker_crash: %d jobs were claimed more than once (interrupted by a kill)\n",
           reclaimed);
    if (reclaimed == 0)
        FAIL("no job was ever interrupted: the kills did not test anything");
out:
    for (int s = 0; s < SLOTS; s++)
        if (pid[s] > 0 && !finished[s]) {
            kill(pid[s], SIGKILL);
            waitpid(pid[s], NULL, 0);
        }
    if (rc != 0 && logtext == NULL)
        logtext = pt_slurp(log);
    if (rc != 0 && logtext != NULL) {
        /* The tail of the log helps; it holds no personal data by design. */
        size_t n = strlen(logtext);
        fputs(logtext + (n > 4000 ? n - 4000 : 0), stderr);
    }
    free(logtext);
    free(completions);
    for (int i = 0; i < 8; i++)
        free(imgs[i]);
    ps_store_close(&db);
    if (rc == 0) {
        char cmd[400];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            rc = 1;
    }
    return rc;
}
