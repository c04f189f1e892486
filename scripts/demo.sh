#!/usr/bin/env bash
# kyso: install, build, and run the main job on SQLite with demo data:
# generate a synthetic bundle, import it into demo/kyso.db, print what it holds, plan from it,
# then take the plan through the workflow: users, requests, approval, batches, the letters;
# then start `kyso serve` on that database and print its URL and the demo sign-ins
# (KYSO_DEMO_SERVE=0: stop before the server; KYSO_LISTEN: its address, default 127.0.0.1:8443).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh release --target kyso
KYSO=build/release/src/cli/kyso
mkdir -p demo
rm -rf demo/kyso.db demo/kyso.db-wal demo/kyso.db-shm demo/kyso.db.auditkey demo/kyso.db.audithead \
  demo/letters
"$KYSO" demo-data --out demo/bundle --scale "${KYSO_DEMO_SCALE:-5000}" --seed 1
"$KYSO" import --db demo/kyso.db --bundle demo/bundle
"$KYSO" plan --db demo/kyso.db --out demo/plan.json
"$KYSO" plan --db demo/kyso.db --format xlsx --out demo/plan.xlsx >/dev/null
"$KYSO" check --db demo/kyso.db --format xlsx --out demo/findings.xlsx || true

# The workflow with demo users. Passwords never go on the command line: from the environment
# (or --password-file). This one is for the demo only.
export KYSO_PASSWORD=demo-password-2025 KYSO_NEW_PASSWORD=demo-password-2025
# Scopes are explicit: the first province (P01) for its people, the whole register (--scope all)
# for the administrator and the national CA.
province=P01
"$KYSO" users add --db demo/kyso.db --username admin --full-name "Quản trị hệ thống" --role admin \
  --scope all
for u in "canbo unit_officer --org=$province Cán bộ văn thư" \
         "thutruong unit_head --org=$province Thủ trưởng cơ quan" \
         "sokhcn dost_operator --org=$province Chuyên viên Sở KH&CN" \
         "cuc ca_operator --scope=all Chuyên viên Cục"; do
  set -- $u
  "$KYSO" users add --db demo/kyso.db --as admin --username "$1" --role "$2" "$3" \
    --full-name "${*:4}"
done
"$KYSO" requests from-plan --db demo/kyso.db --as canbo
"$KYSO" requests validate --db demo/kyso.db --as canbo || true   # lists requests with data errors
ids=$("$KYSO" requests list --db demo/kyso.db --state validated | tail -n +2 | awk '{print $1}' | tr '\n' ' ')
"$KYSO" requests approve --db demo/kyso.db --as thutruong --comment "Đồng ý" --id $ids
# One letter per organization, numbered by kyso: each issuer's next number this year.
"$KYSO" batch create --db demo/kyso.db --as canbo --kind revoke --symbol VP
"$KYSO" batch submit --db demo/kyso.db --as canbo --all
dost=$(grep -m1 "^$province-[^,]*,Sở Khoa học và Công nghệ" demo/bundle/organizations.csv | cut -d, -f1)
"$KYSO" batch combine --db demo/kyso.db --as sokhcn --form mau-05 --issuer "$dost" --number 88 \
  --symbol SKHCN-CĐS
batch=$(sqlite3 demo/kyso.db "SELECT max(id) FROM batches")
# A receiver whose CCCD issue date and place the register lacks: --value fills them below.
receiver=$(awk -F, -v p="$province" 'NR > 1 && index($7, p) == 1 && $9 == "" { print $1; exit }' \
  demo/bundle/people.csv)
"$KYSO" batch render --db demo/kyso.db --as sokhcn --batch "$batch" --out demo/letters \
  --signer "Lê Văn Giám" --signer-title "Phó Giám đốc" --signer-authority "KT. Giám đốc" \
  --receiver "$receiver" --receiver-address "Sở Khoa học và Công nghệ" \
  --value nhan_ngay_cap=12/04/2021 --value "nhan_noi_cap=Cục Cảnh sát QLHC về TTXH"
"$KYSO" audit verify --db demo/kyso.db
echo
echo "demo/bundle: the bundle; demo/kyso.db: the database; demo/plan.json and demo/plan.xlsx: the plan;"
echo "demo/findings.xlsx: the data checks; demo/letters: the provincial revocation letter (DOCX, PDF) and list."

[ "${KYSO_DEMO_SERVE:-1}" = 0 ] && exit 0
listen=${KYSO_LISTEN:-127.0.0.1:8443}
echo
echo "kyso serve: http://$listen  (API under /api/v1/, its description at /api/openapi.json; docs/api.md)"
echo "Demo sign-ins, each with the password $KYSO_PASSWORD:"
echo "  admin      quản trị hệ thống (admin), toàn bộ sổ đăng ký"
echo "  canbo      cán bộ văn thư (unit_officer), phạm vi $province và các đơn vị trực thuộc"
echo "  thutruong  thủ trưởng đơn vị (unit_head), phạm vi $province và các đơn vị trực thuộc"
echo "  sokhcn     chuyên viên Sở KH&CN (dost_operator), phạm vi $province và các đơn vị trực thuộc"
echo "  cuc        chuyên viên Cục (ca_operator), toàn bộ sổ đăng ký"
echo "e.g. curl -c cookies -H 'Content-Type: application/json' \\"
echo "       -d '{\"username\":\"canbo\",\"password\":\"$KYSO_PASSWORD\"}' http://$listen/api/v1/session"
echo "Ctrl-C stops the server."
exec "$KYSO" serve --db demo/kyso.db --listen "$listen"
