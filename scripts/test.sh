#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, runs CTest, then
# rebuilds with AddressSanitizer + UndefinedBehaviorSanitizer and runs the
# suite again. Exit status is non-zero when anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --tests
jobs=$(nproc)
(cd build && ctest --output-on-failure -j"$jobs")
if [ "${PS_SKIP_SANITIZERS:-0}" != 1 ]; then
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DPS_SANITIZE=ON >/dev/null
  cmake --build build-asan -j"$jobs" >&2
  # leaks are checked per job by the worker's own LeakSanitizer test; OpenCV
  # and tesseract keep process-lifetime caches that LSan would report here.
  # The generator (a bench tool, not the product) and the browser test (the
  # page's JavaScript) gain nothing from sanitizing the C library; skip them.
  (cd build-asan && ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1 \
     ctest --output-on-failure -j"$jobs" -E '^(test_gen|gen_deterministic|http_browser)$')
fi
