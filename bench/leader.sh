#!/usr/bin/env bash
# Seed N participants (default 1000) into a fresh SQLite file and time the programme leader's
# progression, tutors' and coaches' pages (tracking/leader.py).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY="${PY:-.venv/bin/python}"
N="${1:-1000}"
DB_DIR=$(mktemp -d /tmp/mtl-bench-leader.XXXXXX)
trap 'rm -rf "$DB_DIR"' EXIT
export DATABASE_URL="sqlite:///$DB_DIR/bench.sqlite3" DJANGO_SETTINGS_MODULE=mtl_portal.settings.dev
export DEBUG=1 LOG_LEVEL=WARNING ALLOWED_HOSTS=testserver
"$PY" manage.py migrate --no-input -v 0 >/dev/null
"$PY" manage.py seed_demo --participants "$N" >/dev/null
echo "Programme leader's pages with $N participants (SQLite):"
"$PY" manage.py shell -v 0 < bench/leader.py
