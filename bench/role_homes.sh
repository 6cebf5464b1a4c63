#!/usr/bin/env bash
# Time each role's home page against a trivial page (bench/role_homes.py says what it prints).
# Without DATABASE_URL: seed N participants (default 5000) into a fresh SQLite file, development
# settings. With DATABASE_URL (and REDIS_URL): measure that database as it is, with production
# settings and DEBUG off, as bench/load.sh serves it (a copy of the bench data made with
# `createdb -T mtl_bench_load_5000`, say; it is migrated first, nothing else is written but sessions).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY="${PY:-.venv/bin/python}"
N="${1:-5000}"
export LOG_LEVEL=WARNING ALLOWED_HOSTS=testserver
if [ -n "${DATABASE_URL:-}" ]; then
  : "${REDIS_URL:?give REDIS_URL with DATABASE_URL: a Redis database the portal may use}"
  DJANGO_SETTINGS_MODULE=mtl_portal.settings.dev DEBUG=1 "$PY" manage.py migrate --no-input -v 0 >/dev/null
  export DJANGO_SETTINGS_MODULE=mtl_portal.settings.production REDIS_URL
  SECRET_KEY="bench-$(head -c 48 /dev/urandom | base64 | tr -d '/+=')"
  export SECRET_KEY PORTAL_BASE_URL=https://portal.example.org SECURE_SSL_REDIRECT=0 SECURE_HSTS_SECONDS=0
  export DATABASE_CONN_MAX_AGE=60
  "$PY" manage.py collectstatic --no-input -v 0  # the pages name their static files by the manifest
  echo "Role homes on $DATABASE_URL (production settings):"
else
  DB_DIR=$(mktemp -d /tmp/mtl-bench-homes.XXXXXX)
  trap 'rm -rf "$DB_DIR"' EXIT
  export DATABASE_URL="sqlite:///$DB_DIR/bench.sqlite3" DJANGO_SETTINGS_MODULE=mtl_portal.settings.dev DEBUG=1
  "$PY" manage.py migrate --no-input -v 0 >/dev/null
  "$PY" manage.py seed_demo --participants "$N" >/dev/null
  echo "Role homes with $N participants (SQLite):"
fi
"$PY" manage.py shell -v 0 < bench/role_homes.py
