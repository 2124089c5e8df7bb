#!/usr/bin/env bash
# The main job on the embedded default: installs what is missing, builds,
# creates out/demo.db (SQLite), registers the applicants of a handful of
# bundled sample uploads (testdata/corpus, profiles from their .truth.json),
# queues the uploads, runs the queue workers until the queue is drained, and
# prints the queue status and a couple of stored reports.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

bin=build/prescreen
out=out
db="$out/demo.db"
url="sqlite:$db"
mkdir -p "$out/applicants"
rm -f "$db" "$db-wal" "$db-shm"

samples=(
  000000_selfie_clean.jpg
  000000_photo_id_clean.jpg
  000000_address_proof_clean.jpg
  000000_credit_card_clean.jpg
  000002_photo_id_expired.jpg
  000003_selfie_face_cut.jpg
  000005_address_proof_screenshot.png
  000006_address_proof_pdf.pdf
)

# kind, side and applicant of a sample from its truth file (node is one of
# the setup packages); the applicant profile is written to $2.
truth_info() {
  node -e '
    const fs = require("fs");
    const t = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    fs.writeFileSync(process.argv[2], JSON.stringify(t.applicant));
    console.log([t.kind, t.side || "-", t.applicant.id].join(" "));
  ' "$1" "$2"
}

for f in "${samples[@]}"; do
  truth="testdata/corpus/${f%.*}.truth.json"
  tmp="$out/applicants/current.json"
  read -r kind side id < <(truth_info "$truth" "$tmp")
  mv "$tmp" "$out/applicants/$id.json"
  args=(--db "$url" --kind "$kind" --applicant "$out/applicants/$id.json")
  [ "$side" != "-" ] && args+=(--side "$side")
  printf '== enqueue %-40s ' "$f"
  "$bin" enqueue "${args[@]}" "testdata/corpus/$f"
done

echo "== prescreen work --db $url --threads 2 --drain"
"$bin" work --db "$url" --threads 2 --drain

echo "== prescreen status --db $url"
"$bin" status --db "$url"
for id in 1 4 8; do
  echo "== prescreen result --db $url $id"
  "$bin" result --db "$url" "$id"
done

# The review page on the same database, with a first reviewer, and a worker
# that keeps screening what the upload API receives. Ctrl-C stops both.
listen=${PS_LISTEN:-127.0.0.1:8080}
password=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '%s\n' "$password" | "$bin" reviewer add --db "$url" reviewer >/dev/null
"$bin" work --db "$url" --threads 2 2>>"$out/worker.log" &
worker=$!
trap 'kill "$worker" 2>/dev/null; wait "$worker" 2>/dev/null || true' EXIT INT TERM
echo "== review page: http://$listen/  (reviewer / $password)"
echo "== worker log: $out/worker.log; stop with Ctrl-C"
if [ "${PS_RUN_NO_SERVE:-0}" = 1 ]; then
  exit 0
fi
"$bin" serve --db "$url" --listen "$listen"
