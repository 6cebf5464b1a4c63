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


def permissions_policy_header(policy: dict[str, list[str]]) -> str:
    """`{"camera": [], "fullscreen": ["self"]}` -> `camera=(), fullscreen=(self)`."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items())


class CrossOriginHeadersMiddleware:
    """Browser features the portal never uses are turned off (Permissions-Policy), and no other
    site may embed its responses as images, scripts or media (Cross-Origin-Resource-Policy).
    Placed before WhiteNoise so static files carry both too. PDFs are left without the resource
    policy: Chromium's viewer has fetched them in ranges that the header broke, and a PDF from the
    portal is only ever downloaded or opened on its own."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = permissions_policy_header(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        if settings.CROSS_ORIGIN_RESOURCE_POLICY and not response.get("Content-Type", "").startswith("application/pdf"):
            response.headers.setdefault("Cross-Origin-Resource-Policy", settings.CROSS_ORIGIN_RESOURCE_POLICY)
        return response
