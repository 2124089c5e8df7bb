#!/usr/bin/env bash
# Installs what is missing on a Debian 12 machine (you are root), installs the
# models from their packages, and builds prescreen into build/.
#   scripts/setup.sh            runtime + build dependencies
#   scripts/setup.sh --tests    also what the test suite needs
set -euo pipefail
cd "$(dirname "$0")/.."

want_tests=0
[ "${1:-}" = "--tests" ] && want_tests=1

# Build and runtime packages (Debian 12 "bookworm" names).
pkgs=(build-essential cmake pkg-config git ca-certificates
      libopencv-dev opencv-data libturbojpeg0-dev libpng-dev zlib1g-dev libwebp-dev
      libheif-dev libpoppler-glib-dev libexif-dev libjansson-dev libtesseract-dev libleptonica-dev
      tesseract-ocr-jpn tesseract-ocr-eng tesseract-ocr-osd
      libsqlite3-dev libpq-dev libmicrohttpd-dev libsodium-dev
      check libsubunit-dev
      libcairo2-dev libpango1.0-dev libqrencode-dev fonts-noto-cjk fonts-ipafont fonts-dejavu-core)
# node and npm install the BlazeFace model from its npm package; a machine
# that already has them (e.g. from another vendor's repository, which
# conflicts with Debian's npm) keeps its own.
command -v node >/dev/null 2>&1 || pkgs+=(nodejs)
command -v npm >/dev/null 2>&1 || pkgs+=(npm)
# Test-only packages: a real PostgreSQL server, Chromium for the page tests,
# clang's sanitizer runtime, opencv-doc's sample photos for the face test.
test_pkgs=(postgresql chromium clang libclang-rt-14-dev procps opencv-doc)
[ $want_tests = 1 ] && pkgs+=("${test_pkgs[@]}")

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2
  apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi

bash scripts/install-models.sh >&2

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >&2
