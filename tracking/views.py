"""The head's and the programme leader's dashboards. Thin: ask the policy and the selectors, render."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from coaching.needs_you import needs_you
from programme import access, selectors
from programme.access import Relation
from programme.models import Phase
from ui.pagination import page_of


@login_required
def head_home(request: HttpRequest) -> HttpResponse:
    access.require_relation(request.user, Relation.HEAD)
    title = "My school's participants"
    page = page_of(selectors.enrolments_for_home(request.user, Relation.HEAD), request)
    return render(
        request,
        "tracking/head_home.html",
        {"page": page, "title": title, "relation": Relation.HEAD, "needs": needs_you(request.user)},
    )


@login_required
def leader_home(request: HttpRequest) -> HttpResponse:
    access.require_relation(request.user, Relation.PROGRAMME_LEADER)
    overview = selectors.programme_overview()
    phases = [(phase, overview["by_phase"].get(phase.number, 0)) for phase in Phase.objects.all()]
    return render(request, "tracking/leader_home.html", {"overview": overview, "phases": phases})
