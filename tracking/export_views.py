"""A head's or programme leader's table written in the background (tracking.export_jobs): where it
has got to, and the download. Thin: each asks the access policy (`access.list_export_actions`: the
person who asked for it, while they still hold the role; anyone else gets a 404, so an export's
existence is not revealed), audits the download and serves the file through files.views.serve."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from audit import trail
from files.views import serve
from programme import access
from programme.access import Action, Relation
from tracking import export_jobs
from tracking.models import ListExport


def _export(request: HttpRequest, pk: int) -> ListExport:
    export = get_object_or_404(ListExport, pk=pk)
    allowed = access.list_export_actions(request.user, requested_by_id=export.requested_by_id, relation=export.relation)
    if Action.VIEW not in allowed:
        raise Http404("No such download.")
    return export


def _context(export: ListExport) -> dict:
    home = "tracking:head_home" if export.relation == Relation.HEAD else "tracking:leader_home"
    return {
        "export": export,
        "valid_days": export_jobs.valid_days(),
        "back": reverse(home) + (f"?{export.query}" if export.query else ""),
    }


@login_required
@require_safe
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Where the file stands: how many rows are written while it is made (a link refreshes the page),
    then the download link until it expires (410 Gone)."""
    export = _export(request, pk)
    if export.is_expired():
        return render(request, "tracking/export_gone.html", _context(export), status=410)
    return render(request, "tracking/export_detail.html", _context(export))


@login_required
@require_safe
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The file, to the person who asked for it alone; audited; never cached; 410 once expired."""
    export = _export(request, pk)
    if export.is_expired():
        return render(request, "tracking/export_gone.html", _context(export), status=410)
    if export.status != ListExport.Status.READY or not export.file:
        return redirect(export)
    trail.record(trail.Action.LIST_EXPORT_DOWNLOAD, record=export, actor=request.user)
    return serve(request, export)
