#!/usr/bin/env bash
# kyso benchmark (issue 6): requests from a plan and the rendering of one provincial batch at
# ~50,000 requests. Usage: bench/workflow.sh [scale]   (default 80000 ≈ 50k requests)
# Goal: from-plan + render under 30 s. Results are appended to build/bench/results.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
scale=${1:-80000}
K=build/release/src/cli/kyso
out=build/bench
mkdir -p "$out"
results="$out/results.txt"
log() { echo "$*" | tee -a "$results"; }
b="$out/demo-$scale"
[ -d "$b" ] || "$K" demo-data --out "$b" --scale "$scale" --seed 1 >/dev/null
db="$out/workflow.db"
rm -f "$db" "$db-wal" "$db-shm"
"$K" import --db "$db" --bundle "$b" >/dev/null
export KYSO_LANG=en KYSO_PASSWORD=bench-password-1 KYSO_NEW_PASSWORD=bench-password-1
"$K" users add --db "$db" --username admin --full-name Admin --role admin >/dev/null
for u in "officer unit_officer" "head unit_head" "dost dost_operator" "ca ca_operator"; do
  set -- $u
  "$K" users add --db "$db" --as admin --username "$1" --full-name "$1" --role "$2" >/dev/null
done
timed() {  # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$out/time" "$@" > "$out/last.txt" || true
  read -r secs kb < <(tail -1 "$out/time")
  log "$(printf 'workflow scale %-7s %-26s %7.2f s  peak %5d MB  %s' "$scale" "$label" "$secs" $((kb / 1024)) "$(tail -1 "$out/last.txt")")"
  echo "$secs"
}
t1=$(timed "requests from-plan" "$K" requests from-plan --db "$db" --as officer | tail -1)
n=$("$K" requests list --db "$db" | tail -n +2 | wc -l)
log "workflow scale $scale: $n requests"
timed "requests from-plan (again)" "$K" requests from-plan --db "$db" --as officer >/dev/null
timed "requests validate (all)" "$K" requests validate --db "$db" --as officer >/dev/null
ids=$("$K" requests list --db "$db" --state validated | tail -n +2 | cut -f1 | tr '\n' ' ')
timed "requests approve (all)" "$K" requests approve --db "$db" --as head --id $ids >/dev/null
timed "batch create change_info" "$K" batch create --db "$db" --as officer --kind change_info --number 1 --symbol UBND >/dev/null
timed "batch submit --all" "$K" batch submit --db "$db" --as officer --all >/dev/null
dost_org=$(grep -m1 'Sở Khoa học và Công nghệ' "$b/organizations.csv" | cut -d, -f1)
timed "batch combine mau-04" "$K" batch combine --db "$db" --as dost --form mau-04 --issuer "$dost_org" --number 9 --symbol SKHCN >/dev/null
batch=$("$K" requests list --db "$db" --state forwarded | tail -n +2 | wc -l)
pb=$(sqlite3 "$db" "select max(id) from batches")
person=$(sed -n 2p "$b/people.csv" | cut -d, -f1)
t2=$(timed "batch render ($batch rows)" "$K" batch render --db "$db" --as dost --batch "$pb" --out "$out/render" \
  --signer "Lê Văn Giám" --signer-title "Phó Giám đốc" --receiver "$person" --receiver-address "Sở KH&CN" \
  --value nhan_ngay_cap=12/04/2021 --value "nhan_noi_cap=Cục CS QLHC về TTXH" | tail -1)
log "$(printf 'workflow scale %-7s from-plan + render: %.2f s (goal < 30 s)' "$scale" "$(echo "$t1 + $t2" | bc -l)")"
# The national CA answers every forwarded request (rejections: no certificate files needed).
{ echo "Mã yêu cầu kyso,Kết quả,Lý do"
  "$K" requests list --db "$db" --state forwarded | tail -n +2 | cut -f1 | sed 's/$/,Từ chối,Bench/'
} > "$out/results.csv"
timed "results import ($batch rows)" "$K" results import --db "$db" --as ca --file "$out/results.csv" >/dev/null
timed "audit verify" "$K" audit verify --db "$db" >/dev/null
ls -la "$out/render" | tee -a "$results"
