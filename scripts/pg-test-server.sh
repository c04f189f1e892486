#!/usr/bin/env bash
# kyso: a throwaway PostgreSQL 15 server for the tests, listening on a Unix socket only (no TCP
# port), with trust authentication for the user kyso, in a fresh temporary folder.
#
#   conn=$(bash scripts/pg-test-server.sh start)   # prints the libpq connection string
#   KYSO_TEST_PG="$conn" ctest ...                  # each store test makes its own database
#   bash scripts/pg-test-server.sh stop "$conn"     # stops the server and removes the folder
#
# Run as root, the server runs as the user postgres (runuser), as PostgreSQL refuses root.
set -euo pipefail
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    D=$(mktemp -d /tmp/pg.XXXXXX)
    [ "$(id -u)" -eq 0 ] && chown postgres: "$D"
    as_pg "$PGBIN/initdb" -D "$D/data" -A trust -U kyso -E UTF8 --locale=C.UTF-8 --no-sync \
      > "$D/initdb.log" 2>&1 || { cat "$D/initdb.log" >&2; exit 1; }
    as_pg "$PGBIN/pg_ctl" -D "$D/data" -l "$D/log" -w \
      -o "-k $D -c listen_addresses= -F -c max_connections=200" start > /dev/null \
      || { cat "$D/log" >&2; exit 1; }
    echo "host=$D user=kyso dbname=postgres"
    ;;
  stop)
    # The folder: the argument itself, or the host= of a connection string.
    arg=${2:-}
    D=$(printf '%s\n' "$arg" | sed -n 's/.*host=\([^ ]*\).*/\1/p')
    [ -n "$D" ] || D=$arg
    case "$D" in /tmp/pg.*) ;; *) echo "pg-test-server.sh stop: not a test server: '$arg'" >&2; exit 2 ;; esac
    [ -d "$D/data" ] && as_pg "$PGBIN/pg_ctl" -D "$D/data" -m immediate stop > /dev/null 2>&1 || true
    rm -rf "$D"
    ;;
  *)
    echo "usage: $0 start | stop CONNECTION_STRING_OR_DIR" >&2
    exit 2
    ;;
esac
