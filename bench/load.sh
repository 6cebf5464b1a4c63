#!/usr/bin/env bash
# Serve the portal as production does (gunicorn, several workers, PostgreSQL, Redis, DEBUG off) on a
# provider-sized demo of N participants (default 5000) and measure each page: first one client
# asking for each in turn (QUIET_SECONDS, 30), then a bounded load of bench/load.py's CLIENTS (50)
# clients for SECONDS (30) s. Then time the programme leader's whole export of every
# participant (CSV and XLSX) as its background task writes it (bench/list_export_build.py).
#
# Usage: DATABASE_URL=postgres://mtl@127.0.0.1:54329/postgres REDIS_URL=redis://127.0.0.1:63790/12 \
#          bash bench/load.sh [N]
# The database `mtl_bench_load_N` is made on that server and seeded with `seed_scale` the first time
# (schools: SCHOOLS, default N / 25 * 3, so 600 for 5,000), and kept for the next run, since seeding
# takes minutes (BENCH_DB names another database to use instead, such as a copy made with
# `createdb -T`; a kept database is migrated first); FRESH=1 drops and seeds it again, DROP=1 drops it at the end. The database named in
# DATABASE_URL is not touched. The built CSS is needed (`npm run build`); static files are collected
# into static_build/. Settings: GUNICORN_WORKERS (4), DATABASE_CONN_MAX_AGE (60), THINK (1.0 s
# between one client's requests, on average; 0 for none), PORT.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY="${PY:-.venv/bin/python}"
N="${1:-5000}"
SCHOOLS="${SCHOOLS:-$((N * 3 / 25))}"
: "${DATABASE_URL:?give DATABASE_URL: a PostgreSQL server to make the bench database on}"
: "${REDIS_URL:?give REDIS_URL: a Redis database the server may use (and flush)}"
[ -f assets/build/portal.css ] || {
  echo "build the front end first: npm run build" >&2
  exit 1
}

SERVER_URL="${DATABASE_URL%/*}"
DB="${BENCH_DB:-mtl_bench_load_${N}}"
export DATABASE_URL="$SERVER_URL/$DB" LOG_LEVEL=WARNING
PORT="${PORT:-$((20000 + $$ % 10000))}"
WORK=$(mktemp -d /tmp/mtl-bench-load.XXXXXX)
GUNICORN_PID=""
cleanup() {
  [ -n "$GUNICORN_PID" ] && kill "$GUNICORN_PID" 2>/dev/null && wait "$GUNICORN_PID" 2>/dev/null
  [ "${DROP:-0}" = 1 ] && psql "$SERVER_URL/postgres" -q -c "DROP DATABASE IF EXISTS $DB"
  rm -rf "$WORK"
}
trap cleanup EXIT

exists=$(psql "$SERVER_URL/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")
if [ "${FRESH:-0}" = 1 ] && [ "$exists" = 1 ]; then
  psql "$SERVER_URL/postgres" -q -c "DROP DATABASE $DB"
  exists=""
fi
if [ "$exists" != 1 ]; then
  psql "$SERVER_URL/postgres" -q -c "CREATE DATABASE $DB"
  DJANGO_SETTINGS_MODULE=mtl_portal.settings.dev DEBUG=1 "$PY" manage.py migrate --no-input -v 0 >/dev/null
  echo "seed_scale --participants $N --schools $SCHOOLS (load average $(cut -d' ' -f1 /proc/loadavg)):"
  DJANGO_SETTINGS_MODULE=mtl_portal.settings.dev DEBUG=1 /usr/bin/time -f "  %e s wall, %U s user CPU, %S s system" \
    "$PY" manage.py seed_scale --participants "$N" --schools "$SCHOOLS" 2>&1 | grep -E '^  |took'
else  # seeded by older code: bring its tables up to date
  DJANGO_SETTINGS_MODULE=mtl_portal.settings.dev DEBUG=1 "$PY" manage.py migrate --no-input -v 0 >/dev/null
fi

# Production settings, as deploy/ runs them, on loopback: no TLS here, so no redirect to https (the
# client says it came over https, as nginx would), and emails would link to a site that is not this one.
export DJANGO_SETTINGS_MODULE=mtl_portal.settings.production
SECRET_KEY="bench-$(head -c 48 /dev/urandom | base64 | tr -d '/+=')"
export SECRET_KEY REDIS_URL ALLOWED_HOSTS=127.0.0.1,localhost PORTAL_BASE_URL=https://portal.example.org
export SECURE_SSL_REDIRECT=0 SECURE_HSTS_SECONDS=0 DATABASE_CONN_MAX_AGE="${DATABASE_CONN_MAX_AGE:-60}"
export GUNICORN_WORKERS="${GUNICORN_WORKERS:-4}" GUNICORN_BIND="127.0.0.1:$PORT" GUNICORN_MAX_REQUESTS=100000
"$PY" manage.py collectstatic --no-input -v 0
"$PY" manage.py shell -v 0 < bench/load_pages.py > "$WORK/pages.tsv"

"${PY%/python}/gunicorn" -c deploy/gunicorn.conf.py >"$WORK/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
for _ in $(seq 1 60); do
  curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break
  sleep 1
done
participants=$(psql "$DATABASE_URL" -tAc "SELECT count(*) FROM programme_enrolment")
schools=$(psql "$DATABASE_URL" -tAc "SELECT count(*) FROM programme_school")
echo "gunicorn, $GUNICORN_WORKERS workers, on $participants participants at $schools schools (PostgreSQL):"
# First one client asking for each page in turn, with no pause: what each page costs, as a ratio to
# the trivial page, with nothing queued. Then the bounded load.
echo "One client, no pause, ${QUIET_SECONDS:-30} s:"
PORT="$PORT" CLIENTS=1 THINK=0 SECONDS="${QUIET_SECONDS:-30}" "$PY" bench/load.py "$WORK/pages.tsv" ||
  { tail -20 "$WORK/gunicorn.log" >&2; exit 1; }
echo "Bounded load:"
PORT="$PORT" "$PY" bench/load.py "$WORK/pages.tsv" || { tail -20 "$WORK/gunicorn.log" >&2; exit 1; }

# Every participant is more rows than the request writes: the download only offers the background
# task, so the task's own work is timed, in one process with nothing else asked of the server.
echo "The programme leader's export of every participant, written as the background task writes it (load average $(cut -d' ' -f1 /proc/loadavg)):"
EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend PRIVATE_MEDIA_DIR="$WORK/private" \
  "$PY" manage.py shell -v 0 < bench/list_export_build.py
