#!/usr/bin/env bash
# kyso: install everything, build, and run every test: unit + integration (release), the same
# under Address/UndefinedBehavior sanitizers, and a short run of every fuzz target.
# Usage: scripts/test.sh [--quick]   (--quick: release tests only)
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
[ "${1:-}" = "--quick" ] && quick=1

bash scripts/install-deps.sh

echo "== format check (clang-format-16, .clang-format)"
clang-format-16 --dry-run --Werror $(git ls-files '*.h' '*.cpp')

echo "== throwaway PostgreSQL server (scripts/pg-test-server.sh): every store test runs on both back-ends"
KYSO_TEST_PG=$(bash scripts/pg-test-server.sh start)
export KYSO_TEST_PG
trap 'bash scripts/pg-test-server.sh stop "$KYSO_TEST_PG"' EXIT

echo "== release build and tests"
bash scripts/build.sh release
# The sequence test runs 120 random command sequences here (KYSO_SEQUENCES; 200 when run alone):
# every write now keys the audit chain and syncs its head file, and 200 came close to
# the 600 s limit on a loaded 2-core machine.
KYSO_SEQUENCES=${KYSO_SEQUENCES:-120} ctest --preset release -j "$(nproc)" --timeout 600

if [ "$quick" -eq 0 ]; then
  echo "== sanitizer build (ASan + UBSan) and tests"
  bash scripts/build.sh asan
  # The sanitizers slow kyso 3-5 times: the kill -9 import test uses 50,000 certificates here
  # (200,000 in the release run) and the sequence test 60 sequences (120 in the release run).
  KYSO_CRASH_SCALE=50000 KYSO_SEQUENCES=60 \
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --preset asan -j "$(nproc)" --timeout 900

  echo "== fuzz targets (clang-16 libFuzzer), ${KYSO_FUZZ_SECONDS:-15} s each"
  bash scripts/build.sh fuzz
  for target in build/fuzz/fuzz/fuzz_*; do
    name=$(basename "$target" | sed 's/^fuzz_//')
    corpus="fuzz/corpus/$name"
    work=$(mktemp -d)
    [ -d "$corpus" ] && cp -r "$corpus"/. "$work"/ 2>/dev/null || true
    "$target" -max_total_time="${KYSO_FUZZ_SECONDS:-15}" -rss_limit_mb=2048 -print_final_stats=0 "$work" \
      > "$work.log" 2>&1 || { tail -50 "$work.log"; echo "fuzz target $name failed"; exit 1; }
    echo "fuzz $name: ok ($(grep -o 'Done [0-9]* runs' "$work.log" | tail -1))"
    rm -rf "$work" "$work.log"
  done
fi
echo "== all tests passed"
