"""A tutor's participants' agreed logs."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from coaching import selectors
from coaching.forms import ParticipantSearchForm, TimelineFilterForm
from programme import access
from programme.access import Relation
from ui.pagination import page_of_ids


@login_required
def tutor_logs(request: HttpRequest) -> HttpResponse:
    """A tutor's participants' agreed logs, read-only, a page at a time, filtered by content area,
    standard and participant's name (GET parameters, so it works without JavaScript and a filtered
    list can be bookmarked)."""
    access.require_relation(request.user, Relation.TUTOR)
    filters = TimelineFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    search = ParticipantSearchForm(request.GET or None)
    name = search.cleaned_data["name"] if search.is_valid() else ""
    logs = selectors.tutor_logs(
        request.user,
        content_area_id=chosen["area"].pk if chosen.get("area") else None,
        standard_id=chosen["standard"].pk if chosen.get("standard") else None,
        name=name,
    )
    # The database counts the list as it picks the page's ids; only that page's rows are read.
    page = page_of_ids(logs, request)
    page.object_list = selectors.listed_logs(page.object_list)
    return render(
        request,
        "coaching/tutor_logs.html",
        {
            "page": page,
            "filters": filters,
            "search": search,
            "filtered": bool(chosen.get("area") or chosen.get("standard") or name),
        },
    )
