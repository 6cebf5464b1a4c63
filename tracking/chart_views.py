"""The charts page for heads (their schools) and the programme leader (every school, or filtered),
and each chart as an SVG file of its own. Thin: ask the policy, the chart data, render."""

from csp.constants import NONE, UNSAFE_INLINE
from csp.decorators import csp
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from programme import access
from programme.access import Relation
from tracking import chart_data
from tracking.forms import HeadFilterForm, LeaderFilterForm

FORMS = {Relation.HEAD: HeadFilterForm, Relation.PROGRAMME_LEADER: LeaderFilterForm}
SVG_ROUTES = {Relation.HEAD: "tracking:head_chart", Relation.PROGRAMME_LEADER: "tracking:leader_chart"}
HOMES = {Relation.HEAD: "tracking:head_home", Relation.PROGRAMME_LEADER: "tracking:leader_home"}

# matplotlib writes a <style> element and style attributes; an SVG file may style itself and do
# nothing else (no scripts, nothing fetched, never framed).
SVG_POLICY = {
    "default-src": [NONE],
    "style-src": [UNSAFE_INLINE],
    "frame-ancestors": [NONE],
    "base-uri": [NONE],
    "form-action": [NONE],
}


def _charts_page(request: HttpRequest, relation: Relation) -> HttpResponse:
    access.require_relation(request.user, relation)
    form = FORMS[relation](request.GET)
    charts = chart_data.charts_for(request.user, relation, form.filters())
    query = request.GET.urlencode()
    for chart in charts:
        chart.src = reverse(SVG_ROUTES[relation], args=[chart.slug]) + (f"?{query}" if query else "")
    title = "Charts for my school" if relation == Relation.HEAD else "Charts for every school"
    return render(
        request,
        "tracking/charts/page.html",
        {
            "title": title,
            "charts": charts,
            "form": form,
            "filtered": form.filtered,
            "home": HOMES[relation],
            "counted_for": chart_data.COUNTED_FOR // 60,
        },
    )


@csp(SVG_POLICY)
def _chart_svg(request: HttpRequest, relation: Relation, slug: str) -> HttpResponse:
    access.require_relation(request.user, relation)
    found = chart_data.charts_for(request.user, relation, FORMS[relation](request.GET).filters(), (slug,))
    if not found:
        raise Http404("There is no such chart.")
    response = HttpResponse(chart_data.svg(found[0]), content_type="image/svg+xml; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def head_charts(request: HttpRequest) -> HttpResponse:
    return _charts_page(request, Relation.HEAD)


@login_required
def leader_charts(request: HttpRequest) -> HttpResponse:
    return _charts_page(request, Relation.PROGRAMME_LEADER)


@login_required
def head_chart(request: HttpRequest, slug: str) -> HttpResponse:
    return _chart_svg(request, Relation.HEAD, slug)


@login_required
def leader_chart(request: HttpRequest, slug: str) -> HttpResponse:
    return _chart_svg(request, Relation.PROGRAMME_LEADER, slug)
