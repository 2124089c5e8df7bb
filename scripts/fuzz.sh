#!/usr/bin/env bash
# Runs the libFuzzer targets of tests/fuzz/ (docs/fuzzing.md).
#   scripts/fuzz.sh TARGET SECONDS          one target, e.g. decode_jpeg 600
#   scripts/fuzz.sh --all SECONDS [JOBS]    every target, JOBS at a time (1)
#   scripts/fuzz.sh --list                  the target names
# Builds build-fuzz with clang (-DPS_FUZZ=ON: libFuzzer + ASan + UBSan), then
# runs each target with a writable working corpus outside the repository
# (PS_FUZZ_WORK, default /tmp/ps-fuzz/TARGET/corpus) seeded from
# testdata/fuzz/TARGET, -max_total_time=SECONDS, -rss_limit_mb=2048 and
# -timeout=10. libFuzzer runs in fork mode and goes on after a crash, a
# timeout or an out-of-memory, so a run always lasts SECONDS; every input
# that failed is saved under /tmp/ps-fuzz/TARGET/artifacts/ (printed at the
# end). Reproduce one with: build-fuzz/tests/fuzz_TARGET ARTIFACT
# The log of each run is /tmp/ps-fuzz/TARGET/fuzz.log.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=${PS_FUZZ_WORK:-/tmp/ps-fuzz}

targets() {
  for f in tests/fuzz/fuzz_*.c; do
    n=$(basename "$f" .c)
    echo "${n#fuzz_}"
  done
}

usage() {
  echo "usage: scripts/fuzz.sh TARGET SECONDS | --all SECONDS [JOBS] | --list" >&2
  exit 2
}

build() {
  command -v clang >/dev/null || { echo "fuzz: clang is not installed (scripts/setup.sh --tests)" >&2; exit 1; }
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -DPS_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  local t=()
  for n in "$@"; do t+=(--target "fuzz_$n"); done
  cmake --build build-fuzz -j"$(nproc)" "${t[@]}" >&2
}

run_one() {
  local name=$1 secs=$2
  local dir="$work/$name"
  mkdir -p "$dir/corpus" "$dir/artifacts"
  echo "fuzz: $name for ${secs}s, corpus $dir/corpus, log $dir/fuzz.log" >&2
  # libFuzzer's default -max_len (4096) would cut the pipeline's photo seeds
  # (6-9 KB) into undecodable stubs; the image and HTTP targets get room for
  # their seeds and a margin to grow.
  local maxlen=()
  case $name in
    check) maxlen=(-max_len=24576) ;;
    decode_*|exif|http) maxlen=(-max_len=16384) ;;
  esac
  # The suppressions name third-party process-lifetime caches only.
  local rc=0
  ( cd "$dir" && \
    ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
    LSAN_OPTIONS=suppressions=$root/tests/lsan.supp \
    UBSAN_OPTIONS=print_stacktrace=1 \
    "$root/build-fuzz/tests/fuzz_$name" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 \
      -ignore_ooms=1 -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 \
      -print_final_stats=1 -artifact_prefix="$dir/artifacts/" "${maxlen[@]}" \
      "$dir/corpus" "$root/testdata/fuzz/$name" >"$dir/fuzz.log" 2>&1 ) || rc=$?
  local last
  last=$(grep -E '^#[0-9]+' "$dir/fuzz.log" | tail -1 || true)
  echo "fuzz: $name done (exit $rc): $last" >&2
  echo "fuzz: $name artifacts: $dir/artifacts ($(ls "$dir/artifacts" | wc -l) files)" >&2
}

[ $# -ge 1 ] || usage
case "$1" in
  --list) targets; exit 0 ;;
  --all)
    [ $# -ge 2 ] || usage
    secs=$2 jobs=${3:-1}
    [ "$secs" -gt 0 ] || usage  # 0 would mean "forever" to libFuzzer
    mapfile -t all < <(targets)
    build "${all[@]}"
    export -f run_one
    export root work
    printf '%s\n' "${all[@]}" | xargs -P "$jobs" -I{} bash -c "run_one {} $secs"
    ;;
  *)
    [ $# -eq 2 ] && [ "$2" -gt 0 ] || usage
    targets | grep -x "$1" >/dev/null || { echo "fuzz: no target $1 (scripts/fuzz.sh --list)" >&2; exit 2; }
    build "$1"
    run_one "$1" "$2"
    ;;
esac
