/* prescreen serve: the reviewers' pages and the upload API (SPEC §3, §6). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "prescreen/http.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

int ps_cli_serve(int argc, char **argv)
{
    ps_http_opts o;
    ps_http_server *srv = NULL;
    char err[600];
    ps_http_opts_default(&o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has_value = i + 1 < argc;
        if (strcmp(a, "--db") == 0 && has_value)
            o.db_url = argv[++i];
        else if (strcmp(a, "--listen") == 0 && has_value)
            o.listen = argv[++i];
        else if (strcmp(a, "--threads") == 0 && has_value) {
            char *end = NULL;
            long n = strtol(argv[++i], &end, 10);
            if (!end || *end || n < 1 || n > 64)
                return ps_cli_usage("serve: --threads must be 1..64");
            o.threads = (int)n;
        } else if (strcmp(a, "--secure-cookies") == 0)
            o.secure_cookies = 1;
        else if (strcmp(a, "--trust-proxy") == 0)
            o.trust_proxy = 1;
        else if (strcmp(a, "--quiet") == 0)
            o.quiet = 1;
        else
            return ps_cli_usage("serve: unknown or incomplete option %s", a);
    }
    if (!o.db_url)
        return ps_cli_usage("serve: --db URL is required");
    ps_status st = ps_http_start(&o, &srv, err, sizeof err);
    if (st != PS_OK) {
        fprintf(stderr, "prescreen: %s\n", err);
        return st == PS_E_ARG ? PS_EXIT_USAGE : PS_EXIT_INTERNAL;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* Scripts read the port from this line (useful with port 0). */
    printf("listening on port %d\n", ps_http_port(srv));
    fflush(stdout);
    while (!stop_requested)
        pause();
    fprintf(stderr, "prescreen: stopping\n");
    ps_http_stop(&srv);
    return PS_EXIT_OK;
}
