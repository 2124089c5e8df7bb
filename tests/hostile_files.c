/* The hostile-files test: runs the real `prescreen check` binary on every
 * file of testdata/hostile/expected.tsv, each in its own process (fork,
 * exec, wait4), and fails when
 *   - the process died of a signal (a crash) or exited other than 0 or 3,
 *   - the code differs from the manifest ("ok" means exit 0 with a report;
 *     otherwise exit 3 and {"error":{"code":...}} on stdout),
 *   - it used more than PS_HOSTILE_MAX_SECONDS of CPU time (user + system,
 *     from wait4's rusage: the work the file costs a worker, whatever else
 *     the machine is doing; the wall clock is printed too and a process
 *     still running after 3 x the cap is killed and fails), or peaked above
 *     PS_HOSTILE_MAX_RSS_MB of resident memory (ru_maxrss),
 *   - for "ok": the redacted copy is not a bare JPEG re-encoded from pixels
 *     (it must start with SOI and hold no EXIF, ZIP or PDF bytes).
 * Every upload is checked with --redacted-out, as the worker does, so the
 * full-resolution path (the most memory) is what is measured.
 * Usage: hostile_files PRESCREEN HOSTILE_DIR. PS_HOSTILE_JOBS (default 2)
 * processes run at once. Prints one line per file: codes, seconds, MiB. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Manifest rows at most (the folder holds ~80). */
#define MAX_ROWS 512
/* Most processes at once: the machine's cores are shared. */
#define MAX_JOBS 8
/* Bytes read back per file: the report, or the redacted JPEG (a flat
 * 64-MP picture encodes to a few MiB). */
#define OUT_MAX (64u << 20)

typedef struct row {
    char file[128], code[40], kind[24];
} row;

typedef struct job {
    pid_t pid;
    int idx;
    double t0;
    char out[160], img[160];
    int killed;
} job;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int env_int(const char *name, int def)
{
    const char *v = getenv(name);
    return v && *v ? atoi(v) : def;
}

static int load(const char *dir, row *rows)
{
    char path[4200], line[512];
    int n = 0;
    FILE *f;
    snprintf(path, sizeof path, "%s/expected.tsv", dir);
    f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "hostile: cannot read %s\n", path);
        return -1;
    }
    while (fgets(line, sizeof line, f) && n < MAX_ROWS) {
        row *r = &rows[n];
        if (line[0] == '#' || line[0] == '\n')
            continue;
        line[strcspn(line, "\r\n")] = '\0';
        if (sscanf(line, "%127[^\t]\t%39[^\t]\t%23s", r->file, r->code, r->kind) != 3) {
            fprintf(stderr, "hostile: bad manifest line: %s\n", line);
            fclose(f);
            return -1;
        }
        n++;
    }
    fclose(f);
    return n;
}

/* Reads a whole small file; NULL when absent. *len is set. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *b;
    size_t n;
    *len = 0;
    if (f == NULL)
        return NULL;
    b = malloc(OUT_MAX + 1);
    if (b == NULL) {
        fclose(f);
        return NULL;
    }
    n = fread(b, 1, OUT_MAX, f);
    fclose(f);
    b[n] = '\0';
    *len = n;
    return b;
}

static int has(const char *hay, size_t n, const char *needle, size_t nl)
{
    for (size_t i = 0; i + nl <= n; i++)
        if (memcmp(hay + i, needle, nl) == 0)
            return 1;
    return 0;
}

static pid_t spawn(const char *prescreen, const char *dir, const row *r, job *j, int idx)
{
    char file[4200];
    pid_t pid;
    snprintf(file, sizeof file, "%s/%s", dir, r->file);
    snprintf(j->out, sizeof j->out, "/tmp/ps-hostile-%ld-%d.json", (long)getpid(), idx);
    snprintf(j->img, sizeof j->img, "/tmp/ps-hostile-%ld-%d.jpg", (long)getpid(), idx);
    unlink(j->img);
    pid = fork();
    if (pid == 0) {
        int fd = open(j->out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int nul = open("/dev/null", O_WRONLY);
        if (fd < 0 || nul < 0)
            _exit(127);
        dup2(fd, 1);
        dup2(nul, 2);
        execl(prescreen, prescreen, "check", "--kind", r->kind, "--now", "2026-11-22",
              "--redacted-out", j->img, file, (char *)NULL);
        _exit(127);
    }
    j->pid = pid;
    j->idx = idx;
    j->t0 = now_s();
    j->killed = 0;
    return pid;
}

/* Judges one finished process. @return 1 when it passed. */
static int judge(const row *r, const job *j, int status, const struct rusage *ru, double secs,
                 double max_s, long max_mb)
{
    size_t n = 0, in = 0;
    char *out = slurp(j->out, &n), got[48] = "?";
    const char *why = NULL;
    long mb = ru->ru_maxrss / 1024; /* ru_maxrss is in KiB on Linux */
    double cpu = ru->ru_utime.tv_sec + ru->ru_utime.tv_usec / 1e6 + ru->ru_stime.tv_sec +
                 ru->ru_stime.tv_usec / 1e6;

    if (j->killed)
        why = "killed: over the time cap";
    else if (WIFSIGNALED(status))
        why = "crashed (signal)";
    else if (!WIFEXITED(status) || (WEXITSTATUS(status) != 0 && WEXITSTATUS(status) != 3))
        why = "unexpected exit status";
    else if (WEXITSTATUS(status) == 0) {
        snprintf(got, sizeof got, "ok");
        if (out == NULL || strncmp(out, "{", 1) != 0 || !strstr(out, "\"schema\""))
            why = "exit 0 without a report";
    } else {
        const char *c = out ? strstr(out, "\"code\":\"") : NULL;
        if (c == NULL)
            why = "exit 3 without an error code";
        else
            snprintf(got, sizeof got, "%.*s", (int)strcspn(c + 8, "\""), c + 8);
    }
    if (why == NULL && strcmp(got, r->code) != 0)
        why = "wrong code";
    if (why == NULL && cpu > max_s)
        why = "over the CPU-time cap";
    if (why == NULL && mb > max_mb)
        why = "over the memory cap";
    if (why == NULL && strcmp(got, "ok") == 0 && !strstr(out, "digital_document")) {
        /* an image that could not be made safe may have no stored copy at
         * all (quarantined); any copy written must be clean */
        int optional = strstr(out, "redaction_uncertain") != NULL;
        char *img = slurp(j->img, &in);
        if (img == NULL && optional)
            ;
        else if (img == NULL || in < 4 || (uint8_t)img[0] != 0xFF || (uint8_t)img[1] != 0xD8)
            why = "no re-encoded redacted JPEG";
        else if (in >= OUT_MAX)
            why = "redacted JPEG unexpectedly large";
        else if (has(img, in, "Exif", 4) || has(img, in, "PK\x03\x04", 4) || has(img, in, "%PDF", 4))
            why = "the redacted copy carries bytes of the upload";
        free(img);
    }
    printf("%-40s %-22s %-22s %6.2fs %6.2fs %5ld MiB %s\n", r->file, r->code, got, cpu, secs,
           mb, why ? why : "ok");
    free(out);
    unlink(j->out);
    unlink(j->img);
    return why == NULL;
}

int main(int argc, char **argv)
{
    static row rows[MAX_ROWS];
    job jobs[MAX_JOBS];
    int n, next = 0, running = 0, failed = 0, njobs;
    double max_s = env_int("PS_HOSTILE_MAX_SECONDS", 10);
    long max_mb = env_int("PS_HOSTILE_MAX_RSS_MB", 1024);
    double worst_s = 0;
    long worst_mb = 0;

    if (argc != 3) {
        fprintf(stderr, "usage: hostile_files PRESCREEN HOSTILE_DIR\n");
        return 2;
    }
    n = load(argv[2], rows);
    if (n <= 0)
        return 1;
    njobs = env_int("PS_HOSTILE_JOBS", 2);
    if (njobs < 1)
        njobs = 1;
    if (njobs > MAX_JOBS)
        njobs = MAX_JOBS;
    memset(jobs, 0, sizeof jobs);
    printf("%-40s %-22s %-22s %7s %7s %9s\n", "file", "expected", "got", "CPU", "wall",
           "max RSS");
    while (next < n || running > 0) {
        int status;
        struct rusage ru;
        pid_t pid;
        for (int k = 0; k < njobs && next < n; k++)
            if (jobs[k].pid == 0) {
                if (spawn(argv[1], argv[2], &rows[next], &jobs[k], next) < 0) {
                    perror("fork");
                    return 1;
                }
                next++;
                running++;
            }
        pid = wait4(-1, &status, WNOHANG, &ru);
        if (pid < 0 && errno != EINTR && errno != ECHILD) {
            perror("wait4");
            return 1;
        }
        if (pid <= 0) {
            /* kill a process past 3 x the cap in wall time: it is stuck, and
             * the test itself must end */
            double t = now_s();
            for (int k = 0; k < njobs; k++)
                if (jobs[k].pid > 0 && !jobs[k].killed && t - jobs[k].t0 > 3 * max_s) {
                    kill(jobs[k].pid, SIGKILL);
                    jobs[k].killed = 1;
                }
            usleep(5000);
            continue;
        }
        for (int k = 0; k < njobs; k++)
            if (jobs[k].pid == pid) {
                double secs = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
                              ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
                long mb = ru.ru_maxrss / 1024;
                failed += !judge(&rows[jobs[k].idx], &jobs[k], status, &ru,
                                 now_s() - jobs[k].t0, max_s, max_mb);
                if (secs > worst_s)
                    worst_s = secs;
                if (mb > worst_mb)
                    worst_mb = mb;
                jobs[k].pid = 0;
                running--;
            }
        fflush(stdout);
    }
    printf("hostile: %d files, %d failed; most CPU %.2f s (cap %.0f), largest %ld MiB (cap %ld)\n",
           n, failed, worst_s, max_s, worst_mb, max_mb);
    return failed ? 1 : 0;
}
