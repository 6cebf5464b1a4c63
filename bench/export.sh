#!/usr/bin/env bash
# Seed the demo into a fresh SQLite file, give the demo participant a three-year portfolio of 300
# records and 100 files, and time the build of their export (budget: under 10 s).
# KEEP=/some/dir keeps the seeded database and files there, and a later run with the same KEEP
# measures them again without seeding (seeding takes minutes on a busy machine).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY="${PY:-.venv/bin/python}"
if [ -n "${KEEP:-}" ]; then
  DIR="$KEEP"
  mkdir -p "$DIR"
else
  DIR=$(mktemp -d /tmp/mtl-bench-export.XXXXXX)
  trap 'rm -rf "$DIR"' EXIT
fi
export DATABASE_URL="sqlite:///$DIR/bench.sqlite3" DJANGO_SETTINGS_MODULE=mtl_portal.settings.dev
export DEBUG=1 LOG_LEVEL=WARNING ALLOWED_HOSTS=testserver PRIVATE_MEDIA_DIR="$DIR/private"
export EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend
if [ ! -e "$DIR/seeded" ]; then
  "$PY" manage.py migrate --no-input -v 0 >/dev/null
  "$PY" manage.py seed_demo --participants 20 >/dev/null
  touch "$DIR/seeded"
else
  "$PY" manage.py migrate --no-input -v 0 >/dev/null  # data kept by an earlier run, for this code
  "$PY" manage.py portfolio_thumbnails >/dev/null  # photos seeded before thumbnails were kept
fi
echo "Portfolio export build (SQLite, files on local disk):"
"$PY" manage.py shell -v 0 < bench/export.py 2>&1 | grep -v "^Step \|^INFO"
