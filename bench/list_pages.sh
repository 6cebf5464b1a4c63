#!/usr/bin/env bash
# Seed N participants (default 5000) into a fresh database, give each one agreed coaching log, and
# time each long list page against a near-trivial page on the same stack (bench/list_pages.py).
#
# Usage: bench/list_pages.sh [N]
#   SQLite (default): a fresh file in a temporary directory, removed afterwards.
#   PostgreSQL: DATABASE_URL=postgres://USER@HOST:PORT/ANYTHING bench/list_pages.sh
#     The database named in the URL is never touched: a fresh one, mtl_bench_lists_<pid>, is
#     created on the same server, seeded, measured and dropped.
#   RUNS=2 (default) measures the same seeded database that many times, printing the load
#   (uptime) before each run; report the median of the runs.
#   ONLY="tutor_logs release_time" measures only the pages whose URL name contains one of the words.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY="${PY:-.venv/bin/python}"
N="${1:-5000}"
RUNS="${RUNS:-2}"
export DJANGO_SETTINGS_MODULE=mtl_portal.settings.dev DEBUG=1 LOG_LEVEL=WARNING ALLOWED_HOSTS=testserver

case "${DATABASE_URL:-}" in
  postgres://* | postgresql://*)
    server="${DATABASE_URL%/*}"
    bench_db="mtl_bench_lists_$$"
    pg() { "$PY" -c 'import sys, psycopg; psycopg.connect(sys.argv[1], autocommit=True).execute(sys.argv[2])' "$server/postgres" "$1"; }
    pg "CREATE DATABASE \"$bench_db\""
    trap 'pg "DROP DATABASE IF EXISTS \"$bench_db\" WITH (FORCE)"' EXIT
    export DATABASE_URL="$server/$bench_db"
    STACK=PostgreSQL
    ;;
  *)
    DB_DIR=$(mktemp -d /tmp/mtl-bench-lists.XXXXXX)
    trap 'rm -rf "$DB_DIR"' EXIT
    export DATABASE_URL="sqlite:///$DB_DIR/bench.sqlite3"
    STACK=SQLite
    ;;
esac

"$PY" manage.py migrate --no-input -v 0 >/dev/null 2>&1
"$PY" manage.py seed_demo --participants "$N" >/dev/null 2>&1
echo "List pages with $N participants and an agreed log each ($STACK):"
for run in $(seq 1 "$RUNS"); do
  echo "run $run of $RUNS, load:$(uptime | sed 's/.*load average://')"
  "$PY" manage.py shell -v 0 < bench/list_pages.py 2>&1 | { grep -v -e "staticfiles.W004" -e "^WARNINGS:" -e "^?: " -e "^$" || true; }
done
