"""A tutor's participants' agreed logs."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.roles import Role
from coaching import selectors
from coaching.forms import TimelineFilterForm


@login_required
def tutor_logs(request: HttpRequest) -> HttpResponse:
    """A tutor's participants' agreed logs on one page, read-only, filtered by content area and
    standard (GET parameters, so it works without JavaScript and a filtered list can be bookmarked)."""
    if Role.TUTOR not in request.user.roles:
        raise Http404("This page is for tutors.")
    filters = TimelineFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    logs = selectors.tutor_logs(
        request.user,
        content_area_id=chosen["area"].pk if chosen.get("area") else None,
        standard_id=chosen["standard"].pk if chosen.get("standard") else None,
    )
    return render(
        request,
        "coaching/tutor_logs.html",
        {"logs": logs, "filters": filters, "filtered": bool(chosen.get("area") or chosen.get("standard"))},
    )
