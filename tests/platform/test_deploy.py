"""deploy/: what can be checked here without pulling images. The compose file parses and names
every process; nginx sets the headers the portal trusts and never serves private media; the image
installs the locked requirements as a user who is not root; gunicorn's config imports and really
serves the portal on the loopback; every environment variable production reads is documented."""

import os
import re
import runpy
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def _compose() -> dict:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())


def test_the_compose_file_runs_every_process_of_the_portal():
    services = _compose()["services"]
    assert set(services) == {"migrate", "web", "worker", "beat", "db", "redis", "nginx"}
    portal = {name: services[name] for name in ("migrate", "web", "worker", "beat")}
    for name, service in portal.items():
        assert service["image"] == "mtl-portal:latest", name
        assert service["build"]["dockerfile"] == "deploy/Dockerfile", name
        assert service["environment"]["DJANGO_SETTINGS_MODULE"] == "mtl_portal.settings.production", name
        assert "private_media:/data/private_media" in service["volumes"], name
    assert services["web"]["command"][:3] == ["gunicorn", "-c", "deploy/gunicorn.conf.py"]
    assert "/readyz" in " ".join(services["web"]["healthcheck"]["test"])
    assert services["worker"]["command"][:4] == ["celery", "-A", "mtl_portal", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "mtl_portal", "beat"]
    assert "replicas" not in str(services["beat"])  # exactly one beat
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    # Only nginx is reachable from outside; it never sees private media.
    assert [name for name, service in services.items() if "ports" in service] == ["nginx"]
    assert not any("private_media" in volume for volume in services["nginx"]["volumes"])
    assert "private_media" in _compose()["volumes"]


def test_nginx_sets_the_headers_the_portal_trusts_and_serves_no_private_media():
    conf = (DEPLOY / "nginx.conf").read_text()
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in conf
    assert "proxy_set_header X-Request-ID $request_id;" in conf
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in conf  # one trusted proxy, not spoofable
    assert "private_media" not in conf.replace("# Private media", "")
    aliases = re.findall(r"alias\s+([^;]+);", conf)
    assert aliases == ["/srv/media/images/"]
    assert "return 301 https://" in conf


def test_the_image_installs_the_locks_with_hashes_as_a_user_who_is_not_root():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert "ARG BASE_IMAGE=python:3.11-slim-bookworm" in dockerfile
    assert "pip install --require-hashes --no-deps -r requirements/base.txt" in dockerfile
    assert "collectstatic" in dockerfile
    users = re.findall(r"^USER (\S+)", dockerfile, re.MULTILINE)
    assert users
    assert users[-1] not in {"root", "0"}
    # The Debian libraries WeasyPrint needs: the same ones scripts/_setup.sh installs.
    setup = (ROOT / "scripts" / "_setup.sh").read_text()
    weasyprint_libs = re.search(r"apt_install (libpango[^\n]+)", setup).group(1).split()
    for package in weasyprint_libs:
        assert package in dockerfile, package
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text().split()
    assert {".venv", "private_media", "media", "db.sqlite3", "deploy/.env"} <= set(ignored)


def test_gunicorn_is_locked_and_its_config_imports():
    assert re.search(r"^gunicorn==[\d.]+ \\$", (ROOT / "requirements" / "base.txt").read_text(), re.MULTILINE)
    env = {**os.environ, "GUNICORN_WORKERS": "3"}
    code = "import runpy; c = runpy.run_path('deploy/gunicorn.conf.py'); print(c['workers'], c['wsgi_app'])"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.split() == ["3", "mtl_portal.wsgi:application"]
    default = subprocess.run(
        [sys.executable, "-c", code.replace("c['wsgi_app']", "''")],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "GUNICORN_WORKERS"},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert int(default.stdout.split()[0]) >= 3  # several workers, from the cores


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, headers: dict[str, str] | None = None):
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (loopback only)
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
        return response.status, dict(response.headers), response.read().decode()


def test_gunicorn_serves_the_portal_with_several_workers(tmp_path):
    port = _free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "mtl_portal.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_WORKER_TMP_DIR": str(tmp_path),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, headers, body = _get(f"http://127.0.0.1:{port}/healthz", {"X-Request-ID": "c" * 32})
                break
            except OSError:
                assert server.poll() is None, "gunicorn exited"
                assert time.monotonic() < deadline, "gunicorn did not answer within 60 seconds"
                time.sleep(0.5)
        assert (status, body) == (200, '{"status": "ok"}')
        assert headers["X-Request-ID"] == "c" * 32
        status, _, body = _get(f"http://127.0.0.1:{port}/readyz")
        assert (status, body) == (200, '{"status": "ok", "database": "ok"}')
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert output.count("Booting worker") == 2, output


def _documented_variables() -> set[str]:
    return set(re.findall(r"`([A-Z][A-Z0-9_]+)`", (DEPLOY / "README.md").read_text()))


def test_every_variable_production_reads_is_documented():
    sources = [
        ROOT / "mtl_portal" / "settings" / "base.py",
        ROOT / "mtl_portal" / "settings" / "production.py",
        DEPLOY / "gunicorn.conf.py",
    ]
    read = set()
    for source in sources:
        text = source.read_text()
        read |= set(re.findall(r"env_(?:str|int|bool|list|date)\(\s*\"([A-Z0-9_]+)\"", text))
        read |= set(re.findall(r"os\.environ(?:\.get\(|\[)\s*\"([A-Z0-9_]+)\"", text))
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS", "GUNICORN_WORKERS"} <= read
    missing = read - _documented_variables()
    assert missing == set(), f"add these to the table in deploy/README.md (and README.md): {sorted(missing)}"


def _smoke_stack():
    return runpy.run_path(str(DEPLOY / "smoke" / "stack.py"))


def test_the_smoke_stack_is_the_compose_file_with_only_the_stand_ins_changed():
    real = _compose()
    smoke = _smoke_stack()["smoke_compose"](_compose(), 8080, 8443)
    assert set(smoke["services"]) == set(real["services"])
    assert smoke["volumes"] == real["volumes"]
    stand_ins = {"db": {"image"}, "redis": {"image"}, "nginx": {"image", "ports"}}
    for name, service in real["services"].items():
        changed = {
            key
            for key in set(service) | set(smoke["services"][name])
            if service.get(key) != smoke["services"][name].get(key)
        }
        assert changed == stand_ins.get(name, {"build"}), name
    assert smoke["services"]["nginx"]["ports"] == ["127.0.0.1:8080:80", "127.0.0.1:8443:443"]


def test_the_smoke_nginx_conf_changes_only_how_http2_is_switched_on():
    real = (DEPLOY / "nginx.conf").read_text().splitlines()
    smoke = _smoke_stack()["nginx_for_1_22"]("\n".join(real)).splitlines()
    changed = [(before.strip(), after.strip()) for before, after in zip(real, smoke, strict=True) if before != after]
    assert changed == [
        ("listen 443 ssl default_server;", "listen 443 ssl http2 default_server;"),
        ("http2 on;", "# http2 on; (nginx 1.25.1 and later) is in the listen line for 1.22"),
    ]


def test_the_scaled_smoke_stack_adds_copies_of_web_and_worker_and_balances_between_the_webs():
    # SCALE=2 deploy/smoke.sh: README's "Scaling out" on one host. Each copy is its service exactly
    # (image, command, environment, volumes: the same PostgreSQL, Redis and private media); beat
    # and migrate stay single.
    stack = _smoke_stack()
    one = stack["smoke_compose"](_compose(), 8080, 8443)
    two = stack["smoke_compose"](_compose(), 8080, 8443, 2)
    assert set(two["services"]) - set(one["services"]) == {"web2", "worker2"}
    assert two["services"]["web2"] == one["services"]["web"]
    assert two["services"]["worker2"] == one["services"]["worker"]
    assert {name: two["services"][name] for name in one["services"]} == one["services"]
    assert "private_media:/data/private_media" in two["services"]["web2"]["volumes"]

    real = (DEPLOY / "nginx.conf").read_text().splitlines()
    scaled = stack["nginx_for_1_22"]("\n".join(real), 2).splitlines()
    changed = [(before.strip(), after.strip()) for before, after in zip(real, scaled, strict=True) if before != after]
    assert ("server web:8000;", "server web:8000; server web2:8000;") in changed
    assert len(changed) == 3


def test_the_smoke_journey_needs_only_the_standard_library():
    # It runs on the host, outside the containers, with whatever python3 the host has.
    source = (DEPLOY / "smoke" / "journey.py").read_text()
    imported = set(re.findall(r"^(?:from|import) ([a-z_]+)", source, re.M))
    assert imported
    assert imported <= set(sys.stdlib_module_names)
    # Its picture is one the portal takes as evidence (its content checked as the upload's is).
    picture = runpy.run_path(str(DEPLOY / "smoke" / "journey.py"))["png"]()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from files.content import judge

    assert judge(SimpleUploadedFile("board.png", picture, "image/png"), accept=("image",)).extension == "png"


def test_the_smoke_test_is_kept_out_of_the_test_command_and_ci():
    # deploy/smoke.sh needs root and podman and takes minutes: run by hand only (deploy/README.md).
    callers = [ROOT / "scripts" / "test", ROOT / ".ci" / "run"]
    assert all("smoke" not in path.read_text() for path in callers)
    assert "scripts/test" in (ROOT / ".ci" / "run").read_text()
