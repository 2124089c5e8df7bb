#!/bin/sh
# The browser end-to-end test (registered by tests/http.cmake):
#   run.sh PRESCREEN_BIN SEED_BIN SOURCE_DIR SHOTS_DIR
# Skips (77) when chromium or node is not installed. Seeds a fresh SQLite
# store with two flagged selfies from testdata/corpus, starts
# `prescreen serve` on a free port, runs e2e.mjs, stops the server.
set -eu
prescreen=$1 seed=$2 src=$3 shots=$4
[ -x /usr/bin/chromium ] || { echo "chromium is not installed: skipped"; exit 77; }
command -v node >/dev/null 2>&1 || { echo "node is not installed: skipped"; exit 77; }
here=$src/tests/browser
if [ ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && npm ci --no-audit --no-fund)
fi
tmp=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
db=sqlite:$tmp/review.db
password="e2e password $$"
echo "$password" | "$seed" "$db" reviewer e2e-reviewer
corpus=$src/testdata/corpus
# Selfies the current pipeline flags (multiple_people; no_face for a face
# cut at the eyes, whose holder the detector cannot see).
"$seed" "$db" screen "$corpus/000007_selfie_two_people.jpg" "$corpus/000007_selfie_two_people.truth.json" E2E-1 >/dev/null
"$seed" "$db" screen "$corpus/000003_selfie_face_cut.jpg" "$corpus/000003_selfie_face_cut.truth.json" E2E-2 >/dev/null
"$prescreen" serve --db "$db" --listen 127.0.0.1:0 --threads 2 >"$tmp/out" 2>"$tmp/log" &
pid=$!
port=
for _ in $(seq 1 100); do
  port=$(sed -n 's/^listening on port \([0-9]*\)$/\1/p' "$tmp/out")
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "the server did not start"; cat "$tmp/log"; exit 1; }
node "$here/e2e.mjs" --base "http://127.0.0.1:$port" --user e2e-reviewer \
  --password "$password" --shots "$shots"
