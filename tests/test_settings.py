"""Settings come from the environment: safe defaults in development, loud failure in production."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from mtl_portal.env import env_bool, env_int, env_list, env_str

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = secrets.token_urlsafe(64)


def _production_env(tmp_path, **overrides) -> dict[str, str]:
    """A bare environment: only what production reads, so nothing leaks in from the test run."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "SECRET_KEY": GOOD_KEY,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "ALLOWED_HOSTS": "portal.example.org",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "DJANGO_SETTINGS_MODULE": "mtl_portal.settings.production",
    }
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def _run(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def _import_production(env) -> subprocess.CompletedProcess:
    return _run(env, "-c", "import mtl_portal.settings.production as s; print(s.PORTAL_BASE_URL)")


# --- Production refuses to start without what it needs.


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _import_production(_production_env(tmp_path, SECRET_KEY=None))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("key", ["too-short", "dev-only-insecure-key-change-me" + "x" * 40])
def test_production_refuses_a_weak_or_development_secret_key(tmp_path, key):
    result = _import_production(_production_env(tmp_path, SECRET_KEY=key))
    assert result.returncode != 0
    assert "SECRET_KEY must be a random value" in result.stderr


def test_production_refuses_to_start_without_a_database_url(tmp_path):
    result = _import_production(_production_env(tmp_path, DATABASE_URL=None))
    assert result.returncode != 0
    assert "DATABASE_URL must be set" in result.stderr


def test_production_refuses_to_start_without_redis(tmp_path):
    result = _import_production(_production_env(tmp_path, REDIS_URL=None))
    assert result.returncode != 0
    assert "REDIS_URL must be set" in result.stderr


def test_production_runs_tasks_in_a_worker_through_redis(tmp_path):
    env = _production_env(tmp_path)
    result = _run(
        env, "-c", "import mtl_portal.settings.production as s; print(s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER)"
    )
    assert result.stdout.split() == ["redis://127.0.0.1:6379/0", "False"]


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    result = _import_production(_production_env(tmp_path, ALLOWED_HOSTS=None))
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_refuses_a_bad_boolean(tmp_path):
    result = _import_production(_production_env(tmp_path, SECURE_SSL_REDIRECT="maybe"))
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT must be true or false, not 'maybe'" in result.stderr


def test_production_email_links_point_at_the_live_site(tmp_path):
    result = _import_production(_production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "https://portal.example.org"
    result = _import_production(_production_env(tmp_path, PORTAL_BASE_URL="https://mtl.example.ac.uk"))
    assert result.stdout.strip() == "https://mtl.example.ac.uk"


def test_production_refuses_email_links_to_this_machine(tmp_path):
    result = _import_production(_production_env(tmp_path, PORTAL_BASE_URL="http://127.0.0.1:8000"))
    assert result.returncode != 0
    assert "PORTAL_BASE_URL" in result.stderr


def test_production_sends_real_email_and_counts_rate_limits_per_client(tmp_path):
    code = (
        "import mtl_portal.settings.production as s; "
        "print(s.EMAIL_BACKEND); print(s.ALLAUTH_TRUSTED_PROXY_COUNT); print(s.DEBUG)"
    )
    result = _run(_production_env(tmp_path), "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.core.mail.backends.smtp.EmailBackend", "1", "False"]


def test_production_passes_the_deployment_checks(tmp_path):
    result = _run(_production_env(tmp_path), "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


# --- The environment helpers.


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("True", True), (" yes ", True), ("on", True)])
def test_env_bool_reads_true(monkeypatch, value, expected):
    monkeypatch.setenv("MTL_TEST_FLAG", value)
    assert env_bool("MTL_TEST_FLAG") is expected


@pytest.mark.parametrize("value", ["0", "false", "No", "off", ""])
def test_env_bool_reads_false(monkeypatch, value):
    monkeypatch.setenv("MTL_TEST_FLAG", value)
    assert env_bool("MTL_TEST_FLAG", default=True) is False


def test_env_bool_uses_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("MTL_TEST_FLAG", raising=False)
    assert env_bool("MTL_TEST_FLAG", default=True) is True


@pytest.mark.parametrize("value", ["maybe", "2", "tru", "yes please"])
def test_env_bool_refuses_a_bad_value(monkeypatch, value):
    monkeypatch.setenv("MTL_TEST_FLAG", value)
    with pytest.raises(ImproperlyConfigured, match="MTL_TEST_FLAG must be true or false"):
        env_bool("MTL_TEST_FLAG")


def test_env_int_refuses_a_bad_value(monkeypatch):
    monkeypatch.setenv("MTL_TEST_NUMBER", "fourteen")
    with pytest.raises(ImproperlyConfigured, match="MTL_TEST_NUMBER must be a whole number"):
        env_int("MTL_TEST_NUMBER", 14)
    monkeypatch.setenv("MTL_TEST_NUMBER", "21")
    assert env_int("MTL_TEST_NUMBER", 14) == 21


def test_env_str_required_refuses_an_empty_value(monkeypatch):
    monkeypatch.setenv("MTL_TEST_SECRET", "")
    with pytest.raises(ImproperlyConfigured, match="MTL_TEST_SECRET must be set"):
        env_str("MTL_TEST_SECRET", required=True)


def test_env_list_splits_and_trims(monkeypatch):
    monkeypatch.setenv("MTL_TEST_HOSTS", " a.example.org, b.example.org ,,")
    assert env_list("MTL_TEST_HOSTS", []) == ["a.example.org", "b.example.org"]


def test_production_compresses_pages(tmp_path):
    result = _run(_production_env(tmp_path), "-c", "import mtl_portal.settings.production as s; print(s.MIDDLEWARE)")
    assert result.returncode == 0, result.stderr
    assert "django.middleware.gzip.GZipMiddleware" in result.stdout


def test_session_days_sets_how_long_most_people_stay_signed_in(tmp_path):
    code = "import mtl_portal.settings.production as s; print(s.SESSION_COOKIE_AGE)"
    assert _run(_production_env(tmp_path), "-c", code).stdout.strip() == str(14 * 24 * 60 * 60)
    assert _run(_production_env(tmp_path, SESSION_DAYS="3"), "-c", code).stdout.strip() == str(3 * 24 * 60 * 60)
