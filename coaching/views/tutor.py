"""A tutor's participants' agreed logs."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from coaching import selectors
from coaching.forms import TimelineFilterForm
from programme import access
from programme.access import Relation


@login_required
def tutor_logs(request: HttpRequest) -> HttpResponse:
    """A tutor's participants' agreed logs on one page, read-only, filtered by content area and
    standard (GET parameters, so it works without JavaScript and a filtered list can be bookmarked)."""
    access.require_relation(request.user, Relation.TUTOR)
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
