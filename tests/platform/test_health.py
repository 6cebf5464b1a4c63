"""Health (/healthz) and readiness (/readyz): what a load balancer and a container runtime ask."""

import json
import os

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper

pytestmark = pytest.mark.django_db

# Nothing listens on port 1 of the loopback: a connection there is refused at once.
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


def _body(response) -> dict:
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    return json.loads(response.content)


def test_liveness_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert _body(response) == {"status": "ok"}


def test_readiness_checks_the_database_with_one_trivial_query(client, settings, django_assert_num_queries):
    settings.REDIS_URL = ""
    with django_assert_num_queries(1) as queries:
        response = client.get("/readyz")
    assert queries.captured_queries[0]["sql"] == "SELECT 1"
    assert response.status_code == 200
    assert _body(response) == {"status": "ok", "database": "ok"}


def test_readiness_is_unavailable_when_the_database_does_not_answer(client, settings, monkeypatch):
    settings.REDIS_URL = ""

    def refuse(self, sql, params=None):
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = _body(response)
    assert body == {"status": "unavailable", "database": "unavailable"}
    assert "refused" not in response.content.decode()  # the reason goes to the log, not the body


def test_readiness_is_unavailable_when_redis_does_not_answer(client, settings):
    settings.REDIS_URL = UNREACHABLE_REDIS
    response = client.get("/readyz")
    assert response.status_code == 503
    assert _body(response) == {"status": "unavailable", "database": "ok", "redis": "unavailable"}


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs the Redis that scripts/test starts")
def test_readiness_pings_a_live_redis(client, settings):
    settings.REDIS_URL = os.environ["REDIS_URL"]
    response = client.get("/readyz")
    assert response.status_code == 200
    assert _body(response) == {"status": "ok", "database": "ok", "redis": "ok"}


def test_probes_answer_plain_http_with_any_host_under_production_security(client, settings):
    """A probe comes from inside the network over HTTP, with an address for a Host header: no
    redirect to HTTPS, no refusal of the host, no session or CSRF cookie."""
    settings.REDIS_URL = ""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["portal.example.org"]
    for path in ("/healthz", "/readyz", "/healthz/"):
        response = client.get(path, HTTP_HOST="10.1.2.3:8000")
        assert response.status_code == 200, path
        assert not response.cookies, path
    # Everything else is still redirected to HTTPS and held to the allowed hosts.
    assert client.get("/", HTTP_HOST="portal.example.org").status_code == 301
    assert client.get("/", HTTP_HOST="10.1.2.3:8000").status_code == 400


def test_probes_need_no_sign_in_and_show_nobody_s_data(client, settings, world):
    settings.REDIS_URL = ""
    client.force_login(world.participant)
    response = client.get("/readyz")
    assert world.participant.email not in response.content.decode()
    client.logout()
    assert client.get("/readyz").status_code == 200
    assert client.head("/healthz").status_code == 200


def test_only_get_and_head_are_answered_as_probes(client):
    response = client.post("/healthz")
    assert response.status_code != 200
