#!/usr/bin/env bash
# Queue throughput: images per second through `prescreen work --drain` with
# --threads 1 and --threads 2, on SQLite and (when PostgreSQL binaries are
# installed) on a throw-away PostgreSQL server from scripts/pg-test-server.sh.
#
#   bench/queue_throughput.sh [REPEAT]
#
# Each run enqueues every upload of testdata/corpus REPEAT times (default 2)
# into a fresh database and drains it; the rate is jobs / (first claim to
# last completion), read from the worker's own log lines, so process start
# and model loading are not counted. Prints one Markdown table row per run.
set -euo pipefail
cd "$(dirname "$0")/.."
repeat=${1:-2}
bin=build/prescreen
work=bench/out/queue
mkdir -p "$work"
rm -f "$work"/*.db "$work"/*.db-* "$work"/*.log

files=()
for f in testdata/corpus/*; do
  case "$f" in *.json|*.md|*.txt) continue ;; esac
  [ -f "${f%.*}.truth.json" ] || continue
  files+=("$f")
done

enqueue_all() {
  local url=$1
  for _ in $(seq 1 "$repeat"); do
    for f in "${files[@]}"; do
      kind=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).kind)' \
             "${f%.*}.truth.json")
      "$bin" enqueue --db "$url" --kind "$kind" "$f" >/dev/null
    done
  done
}

# ms since the epoch of a log line's ts= field.
line_ms() {
  local ts
  ts=$(sed -n 's/^ts=\([^ ]*\)Z .*/\1/p' <<<"$1")
  echo $(( $(date -u -d "${ts%.*}" +%s) * 1000 + 10#${ts##*.} ))
}

run() {
  local backend=$1 url=$2 threads=$3 log
  log="$work/$backend-$threads.log"
  enqueue_all "$url"
  "$bin" work --db "$url" --threads "$threads" --drain 2>"$log"
  local first last n
  first=$(grep -m1 ' event=claimed ' "$log")
  last=$(grep -E ' event=(done|quarantined) ' "$log" | tail -n 1)
  n=$(grep -cE ' event=(done|quarantined) ' "$log")
  local ms=$(( $(line_ms "$last") - $(line_ms "$first") ))
  awk -v b="$backend" -v t="$threads" -v n="$n" -v ms="$ms" \
    'BEGIN { printf "| %s | %d | %d | %.1f | %.2f |\n", b, t, n, ms / 1000, n * 1000 / ms }'
}

echo "| backend | threads | jobs | seconds | images/s |"
echo "|---|---|---|---|---|"
for t in 1 2; do
  run sqlite "sqlite:$work/t$t.db" "$t"
done
pgdir="$work/pg"
if url=$(bash scripts/pg-test-server.sh start "$pgdir" 2>/dev/null) && [ -n "$url" ]; then
  trap 'bash scripts/pg-test-server.sh stop "$pgdir" >/dev/null 2>&1 || true' EXIT
  for t in 1 2; do
    run postgresql "$url?schema=bench_t$t" "$t"
  done
else
  echo "(no PostgreSQL server binaries: PostgreSQL rows skipped)"
fi
