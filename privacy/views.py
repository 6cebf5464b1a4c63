"""The programme leader's subject access pages: ask for an export, see where it stands, download it.
Thin: each asks the access policy (`access.subject_access_actions`: programme leaders alone; anyone
else gets a 404) and calls privacy.services. Downloads are audited."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from audit import trail
from files.views import serve
from privacy import services
from privacy.forms import SubjectAccessForm
from privacy.models import SubjectAccessRequest
from programme import access
from programme.access import Action
from ui.errors import saved

RECENT = 20


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def subject_access(request: HttpRequest) -> HttpResponse:
    """The form asking for one person's export, and the recent requests."""
    access.require_subject_access(request.user, Action.CHANGE)
    form = SubjectAccessForm(request.POST if request.method == "POST" else None)
    made = saved(
        request,
        form,
        lambda: services.subject_access_request(
            person=form.person, by=request.user, received_on=form.cleaned_data["received_on"]
        ),
        message="The export is being made. It will be ready on its page in a few moments.",
    )
    if made is not None:
        return redirect(made)
    recent = SubjectAccessRequest.objects.select_related("person", "requested_by")[:RECENT]
    return render(
        request,
        "privacy/subject_access.html",
        {"form": form, "recent": recent, "valid_days": services.valid_days(), "now": timezone.now()},
    )


def _request(request: HttpRequest, pk: int) -> SubjectAccessRequest:
    access.require_subject_access(request.user, Action.VIEW)
    return get_object_or_404(SubjectAccessRequest.objects.select_related("person", "requested_by"), pk=pk)


@login_required
@require_safe
def subject_access_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Where the export stands (a link refreshes it), then its download link until it expires (410)."""
    export = _request(request, pk)
    status = 410 if export.is_expired() else 200
    return render(
        request,
        "privacy/subject_access_detail.html",
        {"export": export, "expired": status == 410, "valid_days": services.valid_days()},
        status=status,
    )


@login_required
@require_safe
def subject_access_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The zip, to programme leaders alone; audited; never cached; 410 Gone once it has expired."""
    export = _request(request, pk)
    if export.is_expired():
        return subject_access_detail(request, pk)
    if export.status != SubjectAccessRequest.Status.READY or not export.file:
        return redirect(export)
    trail.record(
        trail.Action.SUBJECT_ACCESS_DOWNLOAD, record=export, actor=request.user, detail={"person": export.person_id}
    )
    return serve(request, export)
