#!/usr/bin/env bash
# kyso benchmarks: import rows/s into SQLite, DER parsing vs bare d2i_X509, plan and check time
# and memory.
# Usage: bench/run.sh [SCALE...]   (default scales: 60000 1000000). Results: build/bench/results.txt
set -euo pipefail
cd "$(dirname "$0")/.."
scales=("$@")
[ ${#scales[@]} -eq 0 ] && scales=(60000 1000000)
bash scripts/build.sh release --target kyso bench_x509 >/dev/null
K=build/release/src/cli/kyso
out=build/bench
mkdir -p "$out"
results="$out/results.txt"
: > "$results"
log() { echo "$*" | tee -a "$results"; }

log "kyso benchmarks, $(date -u +%FT%TZ), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for scale in "${scales[@]}"; do
  b="$out/demo-$scale"
  if [ ! -f "$b/certificates.csv" ]; then
    "$K" demo-data --out "$b" --scale "$scale" --seed 1 >/dev/null
  fi
  certs=$(($(wc -l < "$b/certificates.csv") - 1))
  rows=$(( $(cat "$b"/*.csv | wc -l) - 4 ))
  rm -f "$out/bench.db" "$out/bench.db-wal" "$out/bench.db-shm"
  /usr/bin/time -f "%e %M" -o "$out/time" "$K" import --db "$out/bench.db" --bundle "$b" >/dev/null
  read -r secs kb < "$out/time"
  log "$(printf 'import   scale %-8s %8d certificates %8d rows  %6.2f s  %8.0f cert rows/s  %8.0f rows/s  peak %5d MB' \
        "$scale" "$certs" "$rows" "$secs" "$(echo "$certs / $secs" | bc -l)" "$(echo "$rows / $secs" | bc -l)" $((kb / 1024)))"
  /usr/bin/time -f "%e %M" -o "$out/time" "$K" import --db "$out/bench.db" --bundle "$b" >/dev/null
  read -r secs kb < "$out/time"
  log "$(printf 're-import scale %-8s (nothing changes)                      %6.2f s  peak %5d MB' "$scale" "$secs" $((kb / 1024)))"
  for run in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$out/time" "$K" plan --bundle "$b" --out "$out/plan-$scale.json" >/dev/null
    read -r secs kb < "$out/time"
    log "$(printf 'plan     scale %-8s %8d certificates  run %d  %6.2f s  peak %5d MB' "$scale" "$certs" "$run" "$secs" $((kb / 1024)))"
  done
  people=$(($(wc -l < "$b/people.csv") - 1))
  for run in 1 2 3; do
    # exit 1 (some error finding) is a normal outcome of a check
    /usr/bin/time -f "%e %M" -o "$out/time" "$K" check --bundle "$b" --out "$out/findings-$scale.json" >/dev/null || true
    read -r secs kb < <(tail -1 "$out/time")
    log "$(printf 'check    scale %-8s %8d people %8d certificates  run %d  %6.2f s  peak %5d MB' "$scale" "$people" "$certs" "$run" "$secs" $((kb / 1024)))"
  done
done
log "DER parsing (Google Benchmark, 2000 EC P-256 certificates):"
build/release/bench/bench_x509 --benchmark_min_time=0.5 2>/dev/null | grep -E '^BM_' | tee -a "$results"
