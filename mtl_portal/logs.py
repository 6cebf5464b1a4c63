"""Logs that can be searched: one JSON object a line in production, each carrying the id of the
request it came from, so every line one request wrote can be found from the id a person quotes
off the error page (or nginx's access log).

`RequestIdMiddleware` (first in the stack) takes the id nginx sends in `X-Request-ID` when it looks
like an id, otherwise makes one; keeps it for the request's log lines (`RequestIdFilter` adds it to
every record); echoes it in the response's `X-Request-ID`; and writes one line per request (method,
path without its query string, status, milliseconds). Outside a request the id is "-".
"""

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")

# nginx's $request_id is 32 hex digits; other proxies send UUIDs. Anything else (too long, spaces,
# line breaks that would forge a log line) is replaced rather than trusted.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")
PROBE_PATHS = ("/healthz", "/readyz")

request_logger = logging.getLogger("mtl_portal.requests")

# The attributes every LogRecord has; anything else on a record came from `extra=` and is logged.
# Django's request logger adds the request object itself: left out, since its text has the query string.
_STANDARD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id", "request"}


def request_id_from(header: str | None) -> str:
    if header and SANE_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.headers.get("X-Request-ID"))
        request.request_id = request_id
        # Kept until the response is finished (forget_request_id), not only while the middleware runs:
        # Django logs a 4xx or 5xx response ("Not Found: ...") after the last middleware returns.
        request_id_var.set(request_id)
        started = time.monotonic()
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        # A probe every few seconds would drown the log: only failing ones are written.
        if response.status_code != 200 or request.path_info.rstrip("/") not in PROBE_PATHS:
            request_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000),
                },
            )
        return response


def forget_request_id(**kwargs) -> None:
    request_id_var.set("-")


request_finished.connect(forget_request_id, dispatch_uid="mtl_portal.logs.forget_request_id")


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record a handler writes."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, request id, any `extra=` fields,
    and the traceback, if any, as one string (never shown to users: only the log has it)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id_var.get()),
        }
        for name, value in vars(record).items():
            if name not in _STANDARD_ATTRIBUTES and not name.startswith("_"):
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page (handler500): the design system's page, never a traceback, with the request's
    id to quote. Rendered with only that id, like Django's own, since the fault may be anywhere."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"request_id": request_id_var.get()}))
