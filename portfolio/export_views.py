"""The participant's export of their portfolio: asking for it, following its progress, and
downloading it. Thin: each view asks the access policy (PORTFOLIO_EXPORT: the participant alone;
anyone else gets a 404, so an export's existence is not revealed) and calls
portfolio.services.exports."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from audit import trail
from portfolio.models import ExportRequest
from portfolio.services import exports
from programme import access
from programme.access import Action
from programme.models import Enrolment

RECENT = 5
ATTACHMENT_POLICY = "default-src 'none'; sandbox"


def _export(request: HttpRequest, pk: int) -> ExportRequest:
    export = get_object_or_404(ExportRequest.objects.select_related("enrolment__participant"), pk=pk)
    access.require(request.user, Action.VIEW, export)
    return export


def _gone(request: HttpRequest, export: ExportRequest) -> HttpResponse:
    return render(
        request, "portfolio/export_gone.html", {"export": export, "valid_days": exports.valid_days()}, status=410
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def export_page(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """What an export holds, the participant's recent ones, and the button that asks for one."""
    enrolment = get_object_or_404(Enrolment.objects.select_related("participant"), pk=enrolment_id)
    access.require(request.user, Action.CHANGE, ExportRequest(enrolment=enrolment, requested_on=timezone.localdate()))
    if request.method == "POST":
        export = exports.export_request(enrolment=enrolment, by=request.user)
        return redirect(export)
    recent = ExportRequest.objects.filter(enrolment=enrolment).order_by("-requested_at", "-pk")[:RECENT]
    return render(
        request,
        "portfolio/export.html",
        {"enrolment": enrolment, "recent": recent, "valid_days": exports.valid_days(), "now": timezone.now()},
    )


@login_required
@require_safe
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Where the export stands: its progress while it is built (the page refreshes itself with
    JavaScript; without it, a link refreshes it), then the download link, until it expires (410)."""
    export = _export(request, pk)
    if export.is_expired():
        return _gone(request, export)
    return render(
        request,
        "portfolio/export_detail.html",
        {"export": export, "enrolment": export.enrolment, "valid_days": exports.valid_days()},
    )


@login_required
@require_safe
def export_progress(request: HttpRequest, pk: int) -> JsonResponse:
    """The progress, for the page's script."""
    export = _export(request, pk)
    status = ExportRequest.Status.EXPIRED if export.is_expired() else export.status
    return JsonResponse({"status": status, "done": export.done, "total": export.total, "percent": export.percent})


@login_required
@require_safe
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The zip, to its participant alone; audited; never cached; 410 Gone once it has expired."""
    export = _export(request, pk)
    if export.is_expired():
        return _gone(request, export)
    if export.status != ExportRequest.Status.READY or not export.file:
        return redirect(export)
    trail.record(trail.Action.EXPORT_DOWNLOAD, record=export, actor=request.user)
    name = f"portfolio-{export.requested_at:%Y-%m-%d}.zip"
    response = FileResponse(export.file.open("rb"), as_attachment=True, filename=name, content_type="application/zip")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    response["Content-Security-Policy"] = ATTACHMENT_POLICY
    return response
