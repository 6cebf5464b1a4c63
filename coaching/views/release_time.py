"""Release time (Q33): minutes of agreed coaching per term, on a page and as CSV."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify

from coaching import selectors
from coaching.forms import ParticipantSearchForm
from programme import access
from programme.access import Relation
from programme.models import School
from ui.pagination import page_of

_RELEASE_TIME_TITLES = {
    Relation.PARTICIPANT: "Your time in coaching",
    Relation.COACH: "Your time coaching",
    Relation.HEAD: "Your school's participants and coaches",
    Relation.PROGRAMME_LEADER: "Every school",
}


def _release_time_sections(request: HttpRequest, *, name: str = "") -> tuple[list[dict], School | None]:
    school = None
    if access.holds(request.user, Relation.PROGRAMME_LEADER) and request.GET.get("school", "").isdigit():
        school = School.objects.filter(pk=int(request.GET["school"])).first()
    sections = []
    for relation, title in _RELEASE_TIME_TITLES.items():
        if access.holds(request.user, relation):
            found = selectors.release_time(
                request.user,
                relation,
                school_id=school.pk if school and relation == Relation.PROGRAMME_LEADER else None,
                name=name,
            )
            param = f"{relation.value}_page"
            sections.append(
                {
                    "relation": relation,
                    "title": title,
                    "time": found,
                    "page": page_of(found, request, param=param),
                    "page_param": param,
                }
            )
    if not sections:
        raise Http404("Release time is shown to participants, coaches, heads and programme leaders.")
    return sections, school


@login_required
def release_time(request: HttpRequest) -> HttpResponse:
    """Minutes of agreed coaching per term, a page of rows at a time, optionally only the people with
    a name searched for: dates and minutes only, never what was said."""
    search = ParticipantSearchForm(request.GET or None)
    name = search.cleaned_data["name"] if search.is_valid() else ""
    sections, school = _release_time_sections(request, name=name)
    schools = School.objects.order_by("name") if access.holds(request.user, Relation.PROGRAMME_LEADER) else []
    return render(
        request,
        "coaching/release_time.html",
        {"sections": sections, "school": school, "schools": schools, "search": search, "name": name},
    )


@login_required
def release_time_csv(request: HttpRequest) -> HttpResponse:
    """The head's or programme leader's release time as CSV: term, person, school, sessions, minutes."""
    sections, school = _release_time_sections(request)
    sections = [s for s in sections if s["relation"] in (Relation.HEAD, Relation.PROGRAMME_LEADER)]
    if request.GET.get("scope"):
        try:
            wanted = Relation(request.GET["scope"])
        except ValueError:
            raise Http404("No such export.") from None
        sections = [s for s in sections if s["relation"] == wanted]
    if not sections:
        raise Http404("The export is for heads and programme leaders.")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"release-time-{school.name if school else sections[0]['relation'].value}"
    response["Content-Disposition"] = f'attachment; filename="{slugify(name)}.csv"'
    writer = csv.writer(response)
    writer.writerow(["School year", "Term", "Months", "Role", "Name", "School", "Sessions", "Minutes"])
    for row in sections[0]["time"].rows:
        writer.writerow(
            [
                row.term.school_year_label,
                row.term.label,
                row.term.months,
                row.role,
                _csv_safe(row.name),
                _csv_safe(row.school),
                row.sessions,
                row.minutes,
            ]
        )
    return response


def _csv_safe(value: str) -> str:
    """A name starting with =, +, - or @ would be a formula in a spreadsheet."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
