#!/bin/sh
# Review page load (loopback only, bounded): seeds a fresh SQLite store with
# screened uploads, starts `prescreen serve`, runs load.mjs, stops the server.
#   bench/load/run.sh [BUILD_DIR] [CLIENTS] [SECONDS] [THINK_MS]
# THINK_MS is each client's mean pause between requests (uniform 0..2x).
# Needs build/prescreen and build/tests/ps_http_seed (cmake --build build).
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build}
clients=${2:-200}
seconds=${3:-60}
think=${4:-1000}
seed=$build/tests/ps_http_seed
tmp=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
db=sqlite:$tmp/load.db
password="load password $$"
echo "$password" | "$seed" "$db" reviewer load-reviewer
token=$("$seed" "$db" token load-client)
corpus=$src/testdata/corpus
apps= jobs= imgs=
i=0
for f in 000007_selfie_two_people 000003_selfie_face_cut 000001_selfie_clean 000000_photo_id_clean \
         000001_address_proof_clean 000002_photo_id_expired; do
  i=$((i + 1))
  j=$("$seed" "$db" screen "$corpus/$f.jpg" "$corpus/$f.truth.json" "LOAD-$i" | tail -n 1)
  apps="${apps:+$apps,}LOAD-$i" jobs="${jobs:+$jobs,}$j"
  # Only selfies have a stored image so far (redaction fails closed).
  case $f in *selfie*) imgs="${imgs:+$imgs,}$j" ;; esac
done
# Uploads during the run go to their own applicant, so the pages browsed
# keep their size.
"$seed" "$db" screen "$corpus/000009_selfie_no_face.jpg" "$corpus/000009_selfie_no_face.truth.json" LOAD-UP >/dev/null
"$build/prescreen" serve --db "$db" --listen 127.0.0.1:0 --threads 4 --quiet >"$tmp/out" 2>"$tmp/log" &
pid=$!
port=
for _ in $(seq 1 100); do
  port=$(sed -n 's/^listening on port \([0-9]*\)$/\1/p' "$tmp/out")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "the server did not start"; cat "$tmp/log"; exit 1; }
node "$src/bench/load/load.mjs" --base "http://127.0.0.1:$port" --clients "$clients" \
  --seconds "$seconds" --think "$think" --token "$token" --user load-reviewer --password "$password" \
  --applicants "$apps" --jobs "$jobs" --images "$imgs" --upload-applicant LOAD-UP \
  --file "$corpus/000001_selfie_clean.jpg"
echo "database after the run: $(du -h "$tmp/load.db" | cut -f1)"
