#!/usr/bin/env bash
# kyso benchmarks: `kyso serve` under load, on 127.0.0.1 only and bounded in time (issue 13).
#   1. search: people and certificates by name without tone marks, CCCD and serial
#      (wrk, 10 connections, SEARCH_SECONDS);
#   2. mixed: 100 connections for MIXED_SECONDS, 90 % reads and searches, 10 % writes: half
#      approvals by the head of the province's agencies, each of a different validated request
#      (so each one moves once and none fails), half corrections of a person's phone by the
#      province's DoST operator (PATCH with If-Match: the ETag read before the run, each person
#      corrected once, so none gets 412).
# Usage: bench/serve.sh [SCALE] [sqlite|postgresql]   (default 60000 sqlite)
#   BENCH_DB=DATABASE  a database this script prepared before (its "prepared" line in the results
#                      names it): the import, users and requests are not made again (a million
#                      certificates take many minutes to import); for PostgreSQL also give
#                      KYSO_AUDIT_KEY, the key file named there.
#   KYSO_BIN=PATH      the kyso binary to measure (default: this tree's release build), e.g. an
#                      older build as the peer of a comparison on the same database.
# Results: build/bench/serve-<backend>-<scale>.txt; wrk's own output beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:-60000}
backend=${2:-sqlite}
SEARCH_SECONDS=${SEARCH_SECONDS:-20}
MIXED_SECONDS=${MIXED_SECONDS:-60}
PORT=${PORT:-18431}
command -v wrk >/dev/null || { echo "bench/serve.sh: wrk is missing (scripts/install-deps.sh)"; exit 2; }
if [ -n "${KYSO_BIN:-}" ]; then
  K=$KYSO_BIN
else
  bash scripts/build.sh release --target kyso >/dev/null
  K=$PWD/build/release/src/cli/kyso
fi
out=$PWD/build/bench
mkdir -p "$out"
results="$out/serve-$backend-$scale.txt"
: > "$results"
log() { echo "$*" | tee -a "$results"; }

b="$out/demo-$scale"
[ -f "$b/certificates.csv" ] || "$K" demo-data --out "$b" --scale "$scale" --seed 1 >/dev/null
certs=$(($(wc -l < "$b/certificates.csv") - 1))

pg_started=""
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [ -n "$pg_started" ] && bash scripts/pg-test-server.sh stop "$pg_started" >/dev/null 2>&1 || true
}
trap cleanup EXIT

export KYSO_PASSWORD=bench-password-2025 KYSO_NEW_PASSWORD=bench-password-2025
province=P01
if [ -n "${BENCH_DB:-}" ]; then
  db=$BENCH_DB
  log "kyso serve benchmark, $(date -u +%FT%TZ), $(nproc) cores, backend $backend, $certs certificates (prepared before: $db)"
else
  if [ "$backend" = postgresql ]; then
    pg_started=$(bash scripts/pg-test-server.sh start)
    psql "$pg_started" -qc "CREATE DATABASE kyso_bench" >/dev/null
    db="${pg_started/dbname=postgres/dbname=kyso_bench}"
    export KYSO_AUDIT_KEY="$out/pg-$scale.auditkey"
    rm -f "$KYSO_AUDIT_KEY" "$KYSO_AUDIT_KEY".head
  else
    db="$out/serve-$scale.db"
    rm -f "$db" "$db"-wal "$db"-shm "$db".auditkey "$db".audithead
  fi
  /usr/bin/time -f "%e %M" -o "$out/time" "$K" import --db "$db" --bundle "$b" >/dev/null
  read -r secs kb < "$out/time"
  log "kyso serve benchmark, $(date -u +%FT%TZ), $(nproc) cores, backend $backend, $certs certificates"
  log "$(printf 'import   %8d certificates  %6.2f s  peak %5d MB' "$certs" "$secs" $((kb / 1024)))"
  "$K" users add --db "$db" --username admin --full-name "Quản trị" --role admin --scope all >/dev/null
  "$K" users add --db "$db" --as admin --username canbo --full-name "Cán bộ" --role unit_officer \
    --org "$province" >/dev/null
  "$K" users add --db "$db" --as admin --username thutruong --full-name "Thủ trưởng" --role unit_head \
    --org "$province" >/dev/null
  /usr/bin/time -f "%e %M" -o "$out/time" "$K" requests from-plan --db "$db" --as canbo >/dev/null
  read -r secs kb < "$out/time"
  log "$(printf 'requests from-plan  %6.2f s  peak %5d MB' "$secs" $((kb / 1024)))"
  "$K" requests validate --db "$db" --as canbo >/dev/null || true
  log "prepared: BENCH_DB='$db'${KYSO_AUDIT_KEY:+ KYSO_AUDIT_KEY='$KYSO_AUDIT_KEY'}"
fi
# The DoST operator who corrects records (a database prepared before may lack them).
"$K" users list --db "$db" | grep -q '^sokhcn ' ||
  "$K" users add --db "$db" --as admin --username sokhcn --full-name "Sở Khoa học và Công nghệ" \
    --role dost_operator --org "$province" >/dev/null
"$K" requests list --db "$db" --state validated | tail -n +2 | awk '{print $1}' > "$out/validated.txt"
log "validated requests waiting for approval: $(wc -l < "$out/validated.txt")"

"$K" serve --db "$db" --listen "127.0.0.1:$PORT" 2> "$out/serve.log" &
server_pid=$!
base="http://127.0.0.1:$PORT"
for _ in $(seq 1 100); do curl -fsS "$base/readyz" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fsS "$base/readyz" >/dev/null

# Sign in as the head of the province's agencies (approvals) and as its DoST operator
# (corrections): each session's cookie and CSRF token for writes.
sign_in() {  # username → "cookie csrf"
  curl -fsS -c "$out/cookies-$1" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$KYSO_PASSWORD\"}" "$base/api/v1/session" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])' > "$out/csrf-$1"
  echo "$(awk '$6 == "kyso_session" {print "kyso_session=" $7}' "$out/cookies-$1") $(cat "$out/csrf-$1")"
}
read -r cookie csrf <<<"$(sign_in thutruong)"
read -r edit_cookie edit_csrf <<<"$(sign_in sokhcn)"

# People of the province to correct, each with the ETag of its current record.
python3 - "$base" "$edit_cookie" > "$out/edits.txt" <<'EOF'
import http.client, json, sys
from urllib.parse import urlparse
u = urlparse(sys.argv[1]); c = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
h = {"Cookie": sys.argv[2]}
ids = []
for page in range(1, 16):
    c.request("GET", f"/api/v1/people?size=200&page={page}", headers=h)
    items = json.loads(c.getresponse().read())["items"]
    ids += [p["id"] for p in items]
    if len(items) < 200: break
for i in ids:
    c.request("GET", f"/api/v1/people/{i}", headers=h)
    r = c.getresponse(); r.read()
    if r.status == 200: print(i, r.getheader("ETag"))
EOF
log "people to correct, each once: $(wc -l < "$out/edits.txt")"

# Search terms from the data itself: names without tone marks, CCCDs, serials.
python3 - "$b" > "$out/search-terms.txt" <<'EOF'
import csv, sys, unicodedata, random
from urllib.parse import quote
random.seed(1)
def fold(s):
    s = unicodedata.normalize("NFD", s).replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in s if unicodedata.category(c) != "Mn").lower()
def sample(path, k=200):  # reservoir sampling: the files of a million rows stay on disk
    out = []
    for i, row in enumerate(csv.DictReader(open(path, encoding="utf-8"))):
        if len(out) < k: out.append(row)
        elif (j := random.randint(0, i)) < k: out[j] = row
    return out
for p in sample(sys.argv[1] + "/people.csv"):
    print("/api/v1/people?q=" + quote(fold(p["full_name"])))
    if p.get("cccd"): print("/api/v1/people?q=" + p["cccd"])
for c in sample(sys.argv[1] + "/certificates.csv"):
    print("/api/v1/certificates?q=" + c["serial"])
EOF

lua="$out/serve.lua"
cat > "$lua" <<EOF
local paths, ids, edits = {}, {}, {}
for l in io.lines("$out/search-terms.txt") do paths[#paths + 1] = l end
for l in io.lines("$out/validated.txt") do ids[#ids + 1] = l end
for l in io.lines("$out/edits.txt") do
  local id, etag = l:match("^(%S+) (.+)$")
  edits[#edits + 1] = {id, etag}
end
local counter = 1
function setup(thread) thread:set("tid", counter); counter = counter + 1 end
local write_share = tonumber(os.getenv("WRITE_SHARE") or "0")
local nthreads = tonumber(os.getenv("WRK_THREADS") or "1")
local approver = {["Cookie"] = "$cookie", ["X-CSRF-Token"] = "$csrf",
                  ["Content-Type"] = "application/json"}
function init(args)
  tid = tid or 1
  next_id = tid
  next_edit = tid
  wrk.headers["Cookie"] = "$cookie"
  math.randomseed(tid * 7919)
end
function request()
  if write_share > 0 and math.random() < write_share then
    -- Writes: approvals and corrections by turns, each request or person once (each thread
    -- takes every nthreads-th one).
    if math.random() < 0.5 and next_id <= #ids then
      local id = ids[next_id]
      next_id = next_id + nthreads
      return wrk.format("POST", "/api/v1/requests/" .. id .. "/approve", approver,
                        '{"comment":"bench"}')
    elseif next_edit <= #edits then
      local e = edits[next_edit]
      next_edit = next_edit + nthreads
      return wrk.format("PATCH", "/api/v1/people/" .. e[1],
        {["Cookie"] = "$edit_cookie", ["X-CSRF-Token"] = "$edit_csrf",
         ["Content-Type"] = "application/json", ["If-Match"] = e[2]},
        string.format('{"phone":"09%08d","reason":"bench"}', next_edit))
    end
  end
  local r = math.random()
  if r < 0.15 then return wrk.format("GET", "/api/v1/requests?state=validated&size=20") end
  return wrk.format("GET", paths[math.random(#paths)])
end
EOF

run_wrk() {  # name threads connections seconds write_share
  WRITE_SHARE=$5 WRK_THREADS=$2 wrk -t"$2" -c"$3" -d"$4"s --timeout 5s --latency -s "$lua" "$base" > "$out/wrk-$1.txt"
  local rps p50 p99 errors non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' "$out/wrk-$1.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$out/wrk-$1.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$out/wrk-$1.txt")
  errors=$(awk '/Socket errors/ {print $0}' "$out/wrk-$1.txt")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$out/wrk-$1.txt")
  log "$(printf '%-7s %3d connections %3d s  %8s requests/s  p50 %8s  p99 %8s  non-2xx %s %s' \
      "$1" "$3" "$4" "$rps" "$p50" "$p99" "${non2xx:-0}" "$errors")"
}
# Warm-up, not reported: each worker thread opens its connections on its first request, and the
# operating system reads the database into its page cache.
WRITE_SHARE=0 WRK_THREADS=4 wrk -t4 -c100 -d"${WARMUP_SECONDS:-15}"s --timeout 10s -s "$lua" "$base" \
  > "$out/wrk-warmup.txt"
run_wrk search 2 10 "$SEARCH_SECONDS" 0
run_wrk mixed 4 100 "$MIXED_SECONDS" 0.10
approved=$("$K" requests list --db "$db" --state approved | tail -n +2 | wc -l)
log "approved after the mixed run: $approved (each validated request moves once)"
corrected=$(grep -c '"method":"PATCH".*"route":"/api/v1/people/{id}","status":200' "$out/serve.log" || true)
log "corrections of people answered 200 (each person once): $corrected"
# RssAnon is the server's own memory (page caches of its connections, requests); RssFile the
# mapped program and libraries.
log "server memory: $(awk '/VmHWM|RssAnon|RssFile/ {printf "%s %s kB  ", $1, $2}' /proc/$server_pid/status)"
