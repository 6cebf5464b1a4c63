"""Health and readiness for the load balancer, the container runtime and monitoring.

`/healthz` (liveness): the process is up and answering; nothing else is touched, so a slow
database never gets a healthy web process restarted. `/readyz` (readiness): the database answers a
trivial query and, when `REDIS_URL` is set, Redis answers PING; 503 when either does not, so a
load balancer sends no traffic to a web process that cannot serve it.

Both are answered by `HealthCheckMiddleware`, first in the stack, before the host check, the HTTPS
redirect, sessions, CSRF and sign-in: a probe comes over plain HTTP from inside the network with
whatever Host header its tool sends, and must cost no session read. The bodies are short JSON with
no personal data and no error text (the reason goes to the log).
"""

import logging
from collections.abc import Callable

import redis
from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

# A probe that waits longer than this for Redis reports it down rather than hanging the probe.
REDIS_TIMEOUT_SECONDS = 2.0


def _json(status: int, body: dict[str, object]) -> HttpResponse:
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def database_ready() -> bool:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("Readiness: the database did not answer")
        return False


def redis_ready(url: str) -> bool:
    client = redis.Redis.from_url(
        url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
    )
    try:
        return bool(client.ping())
    except Exception:
        logger.exception("Readiness: Redis did not answer PING")
        return False
    finally:
        client.close()


def liveness(request: HttpRequest) -> HttpResponse:
    return _json(200, {"status": "ok"})


def readiness(request: HttpRequest) -> HttpResponse:
    checks = {"database": "ok" if database_ready() else "unavailable"}
    if settings.REDIS_URL:
        checks["redis"] = "ok" if redis_ready(settings.REDIS_URL) else "unavailable"
    ready = all(value == "ok" for value in checks.values())
    return _json(200 if ready else 503, {"status": "ok" if ready else "unavailable", **checks})


PROBES: dict[str, Callable[[HttpRequest], HttpResponse]] = {"/healthz": liveness, "/readyz": readiness}


class HealthCheckMiddleware:
    """Answers GET and HEAD of the two probe paths before any other middleware runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info.rstrip("/") or "/")
        if probe is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        return probe(request)
