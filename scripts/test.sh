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
  # Leaks are checked per job by tests/worker_leaks.c: it runs `prescreen
  # work --drain` under LeakSanitizer (detect_leaks=1 for that process,
  # tests/lsan.supp) over 5 and then 40 jobs and fails on any leak. The rest
  # of the suite runs without it: test programs that exit with OpenCV and
  # tesseract's process-lifetime caches alive are not leak tests. The fuzz
  # targets replay their seed corpora (fuzz_replay_*) and every crafted
  # hostile file goes through `prescreen check` (hostile_files) here too.
  # The generator (a bench tool, not the product) and the browser test (the
  # page's JavaScript) gain nothing from sanitizing the C library; skip them.
  (cd build-asan && ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1 \
     ctest --output-on-failure -j"$jobs" -E '^(test_gen|gen_deterministic|http_browser)$')
fi
