#!/usr/bin/env bash
# Seed the demo into a fresh SQLite file, give the demo participant a three-year portfolio of 300
# records and 100 files, and time the build of their export (budget: under 10 s).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY="${PY:-.venv/bin/python}"
DIR=$(mktemp -d /tmp/mtl-bench-export.XXXXXX)
trap 'rm -rf "$DIR"' EXIT
export DATABASE_URL="sqlite:///$DIR/bench.sqlite3" DJANGO_SETTINGS_MODULE=mtl_portal.settings.dev
export DEBUG=1 LOG_LEVEL=WARNING ALLOWED_HOSTS=testserver PRIVATE_MEDIA_DIR="$DIR/private"
export EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend
"$PY" manage.py migrate --no-input -v 0 >/dev/null
"$PY" manage.py seed_demo --participants 20 >/dev/null
echo "Portfolio export build (SQLite, files on local disk):"
"$PY" manage.py shell -v 0 < bench/export.py 2>&1 | grep -v "^Step \|^INFO"
