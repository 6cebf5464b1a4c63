"""Who is asking, and from where: set for each request so services need not be passed the request."""

from contextvars import ContextVar

from allauth.account.adapter import get_adapter
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import HttpRequest

_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)


class AuditContextMiddleware:
    """Makes the current request known to audit.trail for as long as it is being answered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            from audit import trail

            trail.refused(request)


def current_request() -> HttpRequest | None:
    return _request.get()


def client_address(request: HttpRequest | None) -> str | None:
    """The client's address as the login rate limits see it: allauth's, which trusts only as many
    X-Forwarded-For entries as ALLAUTH_TRUSTED_PROXY_COUNT (the TRUSTED_PROXY_COUNT variable) says."""
    if request is None:
        return None
    if not hasattr(request, "_audit_client_address"):
        try:
            request._audit_client_address = get_adapter(request).get_client_ip(request)
        except (PermissionDenied, ImproperlyConfigured):
            request._audit_client_address = None
    return request._audit_client_address


def current_actor():
    """The signed-in person making the current request, if any."""
    request = current_request()
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None
