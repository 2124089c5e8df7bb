#!/usr/bin/env bash
# The main job on the embedded default: installs what is missing, builds, and
# screens the bundled sample uploads, printing each report.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
out=out/samples
mkdir -p "$out"
for f in testdata/samples/*; do
  case "$f" in *.truth.json|*.json|*.md) continue ;; esac
  name=$(basename "$f")
  kind=selfie
  case "$name" in
    photo_id*) kind=photo_id ;; card*) kind=credit_card ;; address*) kind=address_proof ;;
  esac
  echo "== prescreen check --kind $kind $f"
  rc=0
  build/prescreen check --kind "$kind" --redacted-out "$out/${name%.*}.redacted.jpg" "$f" || rc=$?
  echo "(exit $rc)"
done
