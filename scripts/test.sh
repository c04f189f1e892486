#!/usr/bin/env bash
# kyso: install everything, build, and run every test: unit + integration under the Address and
# UndefinedBehavior sanitizers (one build: the whole suite runs sanitized), then a short run of
# every fuzz target. On both back-ends: a throwaway PostgreSQL server is started and stopped.
# Usage: scripts/test.sh [--release]   (--release: the suite on the release build instead,
#                                      quicker for a developer; no sanitizers, no fuzzing)
set -euo pipefail
cd "$(dirname "$0")/.."
release=0
case "${1:-}" in --release | --quick) release=1 ;; esac

bash scripts/install-deps.sh

echo "== format check (clang-format-16, .clang-format)"
clang-format-16 --dry-run --Werror $(git ls-files '*.h' '*.cpp')

echo "== throwaway PostgreSQL server (scripts/pg-test-server.sh): every store test runs on both back-ends"
KYSO_TEST_PG=$(bash scripts/pg-test-server.sh start)
export KYSO_TEST_PG
trap 'bash scripts/pg-test-server.sh stop "$KYSO_TEST_PG"' EXIT

if [ "$release" -eq 1 ]; then
  echo "== release build and tests"
  bash scripts/build.sh release
  KYSO_SEQUENCES=${KYSO_SEQUENCES:-120} ctest --preset release -j "$(nproc)" --timeout 600
  echo "== all release tests passed"
  exit 0
fi

echo "== sanitizer build (ASan + UBSan, -Werror) and every test"
bash scripts/build.sh asan
# The sanitizers slow kyso 3-5 times: the kill -9 import test uses 50,000 certificates here
# (200,000 in a release run), the server's kill -9 test 15,000 (30,000), and the sequence test
# 60 random command sequences.
KYSO_CRASH_SCALE=${KYSO_CRASH_SCALE:-50000} KYSO_SEQUENCES=${KYSO_SEQUENCES:-60} \
KYSO_SERVER_CRASH_SCALE=${KYSO_SERVER_CRASH_SCALE:-15000} \
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --preset asan -j "$(nproc)" --timeout 900

echo "== fuzz targets (clang-16 libFuzzer), ${KYSO_FUZZ_SECONDS:-15} s each, $(nproc) at a time"
bash scripts/build.sh fuzz
fuzz_one() {
  local target="$1" name corpus work
  name=$(basename "$target" | sed 's/^fuzz_//')
  corpus="fuzz/corpus/$name"
  work=$(mktemp -d)
  [ -d "$corpus" ] && cp -r "$corpus"/. "$work"/ 2>/dev/null || true
  if ! "$target" -max_total_time="${KYSO_FUZZ_SECONDS:-15}" -rss_limit_mb=2048 \
      -print_final_stats=0 "$work" > "$work.log" 2>&1; then
    tail -50 "$work.log"
    echo "fuzz target $name failed"
    return 1
  fi
  echo "fuzz $name: ok ($(grep -o 'Done [0-9]* runs' "$work.log" | tail -1))"
  rm -rf "$work" "$work.log"
}
export -f fuzz_one
ls build/fuzz/fuzz/fuzz_* | xargs -P "$(nproc)" -I{} bash -c 'fuzz_one "$1"' _ {}
echo "== all tests passed"
