#!/usr/bin/env bash
# Time `manage.py seed_demo --participants N` (default 5000) on a fresh SQLite database.
# Migrations run first and are not timed. Prints the seconds the seed took.
# Usage: bench/seed_demo.sh [N]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY="${PY:-.venv/bin/python}"
N="${1:-5000}"

DB_DIR=$(mktemp -d /tmp/mtl-bench-seed.XXXXXX)
trap 'rm -rf "$DB_DIR"' EXIT
export DATABASE_URL="sqlite:///$DB_DIR/bench.sqlite3"
export DJANGO_SETTINGS_MODULE=mtl_portal.settings.dev
export DEBUG=1
export LOG_LEVEL=WARNING

"$PY" manage.py migrate --no-input -v 0 >/dev/null
start=$(date +%s%N)
"$PY" manage.py seed_demo --participants "$N" >/dev/null
end=$(date +%s%N)
participants=$("$PY" manage.py shell -v 0 -c \
  "from programme.models import Enrolment; print(Enrolment.objects.count())" 2>/dev/null | tail -n 1)
[ "$participants" = "$N" ] || { echo "expected $N enrolments, found $participants" >&2; exit 1; }
awk -v ns=$((end - start)) -v n="$N" 'BEGIN { printf "seed_demo --participants %d: %.1f seconds\n", n, ns / 1e9 }'
