"""Response headers every page of the portal carries."""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


class NoStoreForSignedInMiddleware:
    """Pages and files shown to a signed-in person hold personal data: no cache, shared or
    the browser's own, may keep a copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Judged before the view runs, so the page that signs someone out is covered too.
        signed_in = request.user.is_authenticated
        response = self.get_response(request)
        if signed_in:
            response["Cache-Control"] = "no-store, private"
        return response


class PortalCSPMiddleware(CSPMiddleware):
    """The site-wide policy, except under the admin sites, whose own pages need inline scripts
    and styles (CONTENT_SECURITY_POLICY_ADMIN replaces the directives it names there)."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(settings.CONTENT_SECURITY_POLICY_ADMIN_PREFIXES):
            parts.replace = {**settings.CONTENT_SECURITY_POLICY_ADMIN, **(parts.replace or {})}
        return parts
