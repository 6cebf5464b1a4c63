# Shared setup for scripts/run and scripts/test. Sourced, not run.
# Takes a fresh Debian machine with python3 to a virtual environment with the locked
# dependencies and the compiled front-end assets. Safe to run again: it skips what is done.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
VENV="$ROOT/.venv"
PY="$VENV/bin/python"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

APT_UPDATED=""
apt_install() {
  # Install Debian packages that are missing; `apt-get update` at most once per run.
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "==> Installing Debian packages: ${missing[*]}"
  if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

setup_python() {
  local lock="$1"
  python3 -c 'import venv, ensurepip' 2>/dev/null || apt_install python3-venv
  # WeasyPrint (the portfolio's PDF export) lays out text with Pango and HarfBuzz, in a font it finds.
  apt_install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
  if [ ! -x "$PY" ]; then
    echo "==> Creating the virtual environment in .venv"
    python3 -m venv "$VENV"
  fi
  local stamp="$VENV/.installed-$(sha256sum "$lock" | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    echo "==> Installing Python packages from $lock"
    # --no-deps, as deploy/Dockerfile: the lock names every package with its hashes, and pip 23's
    # resolver otherwise asks for a dependency's extra (weasyprint's fonttools[woff]) as a package
    # of its own, unpinned, which hash-checking refuses; `pip check` then proves the lock whole.
    "$PY" -m pip install -q --disable-pip-version-check --require-hashes --no-deps -r "$lock"
    "$PY" -m pip check
    touch "$stamp"
  fi
}

setup_assets() {
  command -v npm >/dev/null 2>&1 || apt_install nodejs npm
  local stamp="node_modules/.installed-$(sha256sum package-lock.json | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    echo "==> Installing front-end packages (GOV.UK Frontend, Sass) from package-lock.json"
    npm ci --no-audit --no-fund --loglevel=error
    touch "$stamp"
  fi
  echo "==> Compiling the stylesheet"
  npm run --silent build
}

portal_base_url() {
  # Where emails should link for a server on $PORT ("8100", "127.0.0.1:8100" or "0.0.0.0:8100"),
  # unless PORTAL_BASE_URL already says.
  if [ -n "${PORTAL_BASE_URL:-}" ]; then echo "$PORTAL_BASE_URL"; return; fi
  local addr=${PORT:-127.0.0.1:8000}
  case "$addr" in *:*) ;; *) addr="127.0.0.1:$addr" ;; esac
  case "$addr" in 0.0.0.0:*) addr="localhost:${addr#0.0.0.0:}" ;; esac
  echo "http://$addr"
}
