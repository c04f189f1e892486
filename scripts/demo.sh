#!/usr/bin/env bash
# kyso: install, build, and run the main job on SQLite with demo data:
# generate a synthetic bundle, import it into demo/kyso.db, print what it holds, and plan from it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh release --target kyso
KYSO=build/release/src/cli/kyso
mkdir -p demo
rm -f demo/kyso.db demo/kyso.db-wal demo/kyso.db-shm
"$KYSO" demo-data --out demo/bundle --scale "${KYSO_DEMO_SCALE:-5000}" --seed 1
"$KYSO" import --db demo/kyso.db --bundle demo/bundle
"$KYSO" plan --db demo/kyso.db --out demo/plan.json
"$KYSO" plan --db demo/kyso.db --format xlsx --out demo/plan.xlsx >/dev/null
echo
echo "demo/bundle: the bundle; demo/kyso.db: the database; demo/plan.json and demo/plan.xlsx: the plan."
