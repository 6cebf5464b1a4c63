"""Structured logs with a request id, and a server error page that shows the id but no traceback."""

import io
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import path

from mtl_portal.logs import JsonFormatter, RequestIdFilter, request_id_from

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
NGINX_ID = "4f1c2a9be07d4d0f9a3e5b6c7d8e9f01"


def _broken_view(request):
    logging.getLogger("portfolio.views").warning("about to fail")
    raise ZeroDivisionError("a fault deep in the portal")


class BrokenUrls:
    """The portal's URLs with one view that fails, and its error handler."""

    from mtl_portal.urls import handler500, urlpatterns

    urlpatterns = [path("broken/", _broken_view), *urlpatterns]


@pytest.fixture
def log_lines():
    """What the console handler writes, as JSON lines: the production formatter and filter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    previous = root.level
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(previous)


@pytest.fixture
def broken(settings):
    settings.ROOT_URLCONF = BrokenUrls
    settings.DEBUG = False


def test_a_sane_request_id_from_the_proxy_is_kept_and_anything_else_replaced():
    assert request_id_from(NGINX_ID) == NGINX_ID
    assert request_id_from("0f8fad5b-d9cb-469f-a165-70867728950e") == "0f8fad5b-d9cb-469f-a165-70867728950e"
    for bad in (None, "", "short", "x" * 129, "abc def ghi", "abcdefgh\nforged line", "<script>alert(1)</script>"):
        made = request_id_from(bad)
        assert re.fullmatch(r"[0-9a-f]{32}", made), bad
    assert request_id_from(None) != request_id_from(None)


def test_the_response_echoes_the_request_id(client):
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID=NGINX_ID)
    assert response["X-Request-ID"] == NGINX_ID
    made = client.get("/accounts/login/", HTTP_X_REQUEST_ID="two words")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)


def test_every_log_line_of_a_request_carries_its_id(client, log_lines):
    client.get("/no-such-page/", HTTP_X_REQUEST_ID=NGINX_ID)
    client.get("/accounts/login/?next=/secret-search-words/", HTTP_X_REQUEST_ID="b" * 32)
    lines = log_lines()
    first = [line for line in lines if line["request_id"] == NGINX_ID]
    # Django's "Not Found" warning and the request's own line, both with the id.
    assert {line["logger"] for line in first} >= {"django.request", "mtl_portal.requests"}
    access = [line for line in lines if line["logger"] == "mtl_portal.requests"]
    assert [(line["request_id"], line["status"], line["path"]) for line in access] == [
        (NGINX_ID, 404, "/no-such-page/"),
        ("b" * 32, 200, "/accounts/login/"),
    ]
    assert all(isinstance(line["duration_ms"], int) for line in access)
    assert "secret-search-words" not in json.dumps(lines)  # no query strings in the log
    # Once the response is finished, lines belong to no request.
    logging.getLogger("portfolio.tasks").info("after the request")
    assert log_lines()[-1]["request_id"] == "-"


def test_probes_that_answer_are_not_logged(client, settings, log_lines):
    settings.REDIS_URL = ""
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    assert client.get("/readyz").status_code == 503
    access = [(line["path"], line["status"]) for line in log_lines() if line["logger"] == "mtl_portal.requests"]
    assert access == [("/readyz", 503)]


def test_a_server_error_shows_the_portal_page_and_the_id_never_the_traceback(client, broken, log_lines):
    client.raise_request_exception = False
    response = client.get("/broken/", HTTP_X_REQUEST_ID=NGINX_ID)
    assert response.status_code == 500
    assert response["X-Request-ID"] == NGINX_ID
    body = response.content.decode()
    assert 'class="govuk-header' in body
    assert "portal.css" in body
    assert "Sorry, there is a problem with the portal" in body
    assert NGINX_ID in body  # the reference to quote
    for leak in ("Traceback", "ZeroDivisionError", "a fault deep in the portal", "_broken_view"):
        assert leak not in body
    # The log has it all, on lines carrying the same id.
    lines = [line for line in log_lines() if line["request_id"] == NGINX_ID]
    assert [line["message"] for line in lines if line["logger"] == "portfolio.views"] == ["about to fail"]
    (error,) = [line for line in lines if line["logger"] == "django.request"]
    assert error["level"] == "ERROR"
    assert "ZeroDivisionError: a fault deep in the portal" in error["exception"]
    assert [line["status"] for line in lines if line["logger"] == "mtl_portal.requests"] == [500]


def test_a_log_line_outside_a_request_has_no_id():
    record = logging.makeLogRecord({"name": "celery", "levelname": "INFO", "msg": "task %s done", "args": ("x",)})
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "-"
    assert line["message"] == "task x done"
    assert line["time"].endswith("+00:00")


def test_production_writes_json_lines(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "SECRET_KEY": "k" * 64,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "ALLOWED_HOSTS": "portal.example.org",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "DJANGO_SETTINGS_MODULE": "mtl_portal.settings.production",
    }
    script = "import django, logging; django.setup(); logging.getLogger('coaching').warning('reminders sent: %d', 3)"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["level"] == "WARNING"
    assert line["logger"] == "coaching"
    assert line["message"] == "reminders sent: 3"
    assert line["request_id"] == "-"


def test_production_celery_logs_through_the_same_json_handler(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "SECRET_KEY": "k" * 64,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "ALLOWED_HOSTS": "portal.example.org",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "DJANGO_SETTINGS_MODULE": "mtl_portal.settings.production",
    }
    script = "from mtl_portal.celery import app; print(app.conf.worker_hijack_root_logger)"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.strip() == "False"  # the worker keeps Django's handler instead of its own
