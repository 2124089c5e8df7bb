/* Test helpers for driving the prescreen command as a child process (the
 * worker tests): run to completion with stdout captured, or start in the
 * background with stderr appended to a log file. Header-only: static
 * functions, used by test_worker.c and worker_crash.c. */
#ifndef PS_TEST_PROC_H
#define PS_TEST_PROC_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Path of the prescreen binary under PS_BUILD_DIR (static buffer). */
static inline const char *pt_bin(void)
{
    static char path[4096];
    const char *b = getenv("PS_BUILD_DIR");
    snprintf(path, sizeof path, "%s/prescreen", b ? b : ".");
    return path;
}

static inline double pt_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static inline void pt_sleep(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (time_t)s) * 1e9)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* Starts `prescreen argv...` (argv[0] is ignored, NULL-terminated) with
 * stdin from /dev/null or `stdin_path`, stdout to `out_path` (or
 * /dev/null) and stderr appended to `log_path` (or /dev/null).
 * Returns the pid or -1. */
static inline pid_t pt_spawn(char **argv, const char *stdin_path, const char *out_path,
                      const char *log_path)
{
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    {
        int in = open(stdin_path ? stdin_path : "/dev/null", O_RDONLY);
        int out = open(out_path ? out_path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err = open(log_path ? log_path : "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (in < 0 || out < 0 || err < 0)
            _exit(127);
        dup2(in, 0);
        dup2(out, 1);
        dup2(err, 2);
        argv[0] = (char *)pt_bin();
        execv(argv[0], argv);
        _exit(127);
    }
}

/* Waits for pid; returns its exit status, 128+signal when killed, -1 on
 * error. With timeout_s > 0 the child is killed (SIGKILL) after that long
 * and -2 is returned. */
static inline int pt_wait(pid_t pid, double timeout_s)
{
    double t0 = pt_now();
    int status;
    for (;;) {
        pid_t r = waitpid(pid, &status, timeout_s > 0 ? WNOHANG : 0);
        if (r == pid)
            break;
        if (r < 0)
            return -1;
        if (pt_now() - t0 > timeout_s) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return -2;
        }
        pt_sleep(0.02);
    }
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return 128 + WTERMSIG(status);
    return -1;
}

/* Reads a whole text file (NUL-terminated, malloc'd) or NULL. */
static inline char *pt_slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;
    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc((size_t)n + 1);
        if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
            free(buf);
            buf = NULL;
        }
        if (buf)
            buf[n] = '\0';
    }
    fclose(f);
    return buf;
}

/* Runs `prescreen argv...` to completion (timeout 600 s); its stdout goes to
 * *out (malloc'd, may be NULL) when `out` is not NULL. Returns the exit
 * status. `tmp` is a scratch directory. */
static inline int pt_run(char **argv, const char *tmp, const char *stdin_path, const char *log_path,
                  char **out)
{
    char path[4096];
    int rc;
    pid_t pid;
    snprintf(path, sizeof path, "%s/stdout.txt", tmp);
    pid = pt_spawn(argv, stdin_path, path, log_path);
    if (pid < 0)
        return -1;
    rc = pt_wait(pid, 600);
    if (out)
        *out = pt_slurp(path);
    return rc;
}

/* Writes `len` bytes to `path`; 0 on success. */
static inline int pt_write(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(data, 1, len, f) == len;
    if (f && fclose(f) != 0)
        ok = 0;
    return ok ? 0 : -1;
}

/* Number of non-overlapping occurrences of `needle` in `hay`. */
static inline int pt_count(const char *hay, const char *needle)
{
    int n = 0;
    size_t k = strlen(needle);
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += k)
        n++;
    return n;
}

#endif
