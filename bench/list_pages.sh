#!/usr/bin/env bash
# Seed N participants (default 5000) into a fresh SQLite file, give each one agreed coaching log,
# and time each long list page against a near-trivial page on the same stack.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY="${PY:-.venv/bin/python}"
N="${1:-5000}"
DB_DIR=$(mktemp -d /tmp/mtl-bench-lists.XXXXXX)
trap 'rm -rf "$DB_DIR"' EXIT
export DATABASE_URL="sqlite:///$DB_DIR/bench.sqlite3" DJANGO_SETTINGS_MODULE=mtl_portal.settings.dev
export DEBUG=1 LOG_LEVEL=WARNING ALLOWED_HOSTS=testserver
"$PY" manage.py migrate --no-input -v 0 >/dev/null
"$PY" manage.py seed_demo --participants "$N" >/dev/null
echo "List pages with $N participants and an agreed log each (SQLite):"
"$PY" manage.py shell -v 0 < bench/list_pages.py
