#!/usr/bin/env bash
# pg-test-server.sh start|stop DIR
#
# A throw-away PostgreSQL server for the store contract tests.
#   start: initdb into DIR/data, run postgres as the unprivileged user
#          "pstest" (created when running as root; postgres refuses root),
#          listening only on 127.0.0.1 on a free port, no Unix socket.
#          Prints the URL and writes it to DIR/url.
#          Exits 0 without a server (and without DIR/url) when no PostgreSQL
#          binaries are installed, so the test suite can skip that part.
#   stop:  stops the server and removes DIR/data and DIR/url.
# Durability is switched off (fsync=off): the data is thrown away anyway.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
cmd=$1
dir=$2

pgbin=${PGBIN:-}
if [ -z "$pgbin" ]; then
    pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
fi
if [ -z "$pgbin" ] && command -v pg_ctl >/dev/null 2>&1; then
    pgbin=$(dirname "$(command -v pg_ctl)")
fi

run_as() {
    if [ "$(id -u)" -eq 0 ]; then
        # from / : the caller's directory may be unreadable to pstest (/root)
        (cd / && runuser -u pstest -- "$@")
    else
        "$@"
    fi
}

stop_server() {
    data=$(cat "$dir/datadir" 2>/dev/null || echo "$dir/data")
    if [ -f "$data/postmaster.pid" ] && [ -n "$pgbin" ]; then
        run_as "$pgbin/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
    fi
    case "$data" in /tmp/ps-pgtest.*) rm -rf "$(dirname "$data")" ;; esac
    rm -rf "$dir/data" "$dir/url" "$dir/datadir"
}

case "$cmd" in
start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    rm -f "$dir/url"
    if [ -z "$pgbin" ] || [ ! -x "$pgbin/initdb" ] || [ ! -x "$pgbin/postgres" ]; then
        echo "pg-test-server: PostgreSQL server binaries not found; PostgreSQL tests will skip" >&2
        exit 0
    fi
    stop_server
    if [ "$(id -u)" -eq 0 ]; then
        if ! id pstest >/dev/null 2>&1; then
            useradd --system --no-create-home --shell /usr/sbin/nologin pstest
        fi
        # The cluster lives where pstest can reach it: DIR may sit under a
        # directory only root can enter (a clone in /root).
        data=$(mktemp -d /tmp/ps-pgtest.XXXXXX)/data
        chown pstest "$(dirname "$data")"
    else
        data="$dir/data"
    fi
    echo "$data" >"$dir/datadir"
    run_as "$pgbin/initdb" -D "$data" -U pstest --auth=trust -E UTF8 --no-locale \
        >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    # Pick a free port: try random ones until the server starts.
    for _ in $(seq 1 20); do
        port=$(( 20000 + RANDOM % 40000 ))
        if run_as "$pgbin/pg_ctl" -D "$data" -l "$(dirname "$data")/postgres.log" -w -t 30 \
            -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='' \
                -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
                -c max_connections=100" start >/dev/null 2>&1; then
            url="postgresql://pstest@127.0.0.1:$port/postgres"
            echo "$url" >"$dir/url"
            echo "$url"
            exit 0
        fi
    done
    echo "pg-test-server: postgres did not start; see $(dirname "$data")/postgres.log" >&2
    tail -n 20 "$(dirname "$data")/postgres.log" >&2 || true
    exit 1
    ;;
stop)
    [ -d "$dir" ] || exit 0
    dir=$(cd "$dir" && pwd)
    stop_server
    ;;
*)
    usage
    ;;
esac
