"""The programme leader's pages on progression, tutors' marking and coaches' caseloads, and the
lists behind their numbers. Thin: ask the policy and tracking.leader, render."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from assessment.workflow import State
from programme import access
from programme.access import Relation
from tracking import leader
from tracking.leader_forms import CoachSessionsForm, ProgressionFilterForm, TutorWorkForm
from tracking.selectors import Filters
from ui.pagination import page_of

HOMES = {Relation.PROGRAMME_LEADER: "tracking:leader_home", Relation.HEAD: "tracking:head_home"}


def _participants_href(table: str = HOMES[Relation.PROGRAMME_LEADER], **params) -> str:
    """The participants' table (the leader's home, or the head's) filtered by `params`, leaving out empty ones."""
    query = urlencode({name: value for name, value in params.items() if value not in (None, "")})
    return reverse(table) + (f"?{query}" if query else "")


def _headers(request: HttpRequest, columns, sortable, sort: str, descending: bool) -> list[dict]:
    """Each column's heading, as the participants' table has them: a link that sorts by it (the other
    way when it is the sort already), back to the first page; aria-sort on the column sorted by."""
    headers = []
    for key, label, numeric in columns:
        header = {"label": label, "numeric": numeric, "href": None, "aria_sort": None}
        if key in sortable:
            query = request.GET.copy()
            query.pop("page", None)
            query["sort"] = f"-{key}" if key == sort and not descending else key
            header["href"] = "?" + query.urlencode()
            if key == sort:
                header["aria_sort"] = "descending" if descending else "ascending"
        headers.append(header)
    return headers


def _people_page(request: HttpRequest, select, sortable, columns, today):
    """A page of tutors or coaches from `select` (tracking.leader), sorted by the GET parameter,
    with the headings that sort it. The programme leader's only."""
    access.require_relation(request.user, Relation.PROGRAMME_LEADER)
    sort, descending = leader.parse_sort(request.GET.get("sort"), sortable, "name")
    page = page_of(select(request.user, today=today, sort=sort, descending=descending), request)
    return page, _headers(request, columns, sortable, sort, descending)


def _progression(request: HttpRequest, relation: Relation, form: ProgressionFilterForm | None) -> HttpResponse:
    access.require_relation(request.user, relation)
    filters = form.filters() if form is not None else Filters()
    rows = leader.progression(request.user, relation, filters, timezone.localdate())
    table = HOMES[relation]
    where = {"cohort": filters.cohort_id, "school": filters.school_id}
    for row in rows:
        row.links = [
            (
                row.counts[status],
                status.label.lower(),
                _participants_href(table, phase=row.phase, status=status, **where),
            )
            for status in leader.STATUSES
        ]
        row.total_href = _participants_href(table, phase=row.phase, **where)
    return render(
        request,
        "tracking/leader/progression.html",
        {
            "title": "Progression by phase" if relation == Relation.PROGRAMME_LEADER else "Progression at my school",
            "home": table,
            "form": form,
            "filtered": form is not None and form.filtered,
            "rows": rows,
            "statuses": [status.label for status in leader.STATUSES],
        },
    )


@login_required
def progression(request: HttpRequest) -> HttpResponse:
    """How many participants are in each phase, and how many of them are active, interrupted,
    withdrawn or completed, each number linking to those participants in the table; by cohort
    and school."""
    return _progression(request, Relation.PROGRAMME_LEADER, ProgressionFilterForm(request.GET))


@login_required
def head_progression(request: HttpRequest) -> HttpResponse:
    """The same for the participants placed at the head's school today, linking to their table."""
    return _progression(request, Relation.HEAD, None)


TUTOR_COLUMNS = (
    ("name", "Tutor", False),
    ("participants", "Participants today", True),
    ("waiting", "Waiting to be marked", True),
    ("overdue", "Past the marks-due date", True),
    ("marked", "Marked", True),
    ("median", "Median days from submission to marks", True),
)


@login_required
def tutors(request: HttpRequest) -> HttpResponse:
    """Each tutor's marking: what waits, what is overdue, what is marked and how quickly."""
    today = timezone.localdate()
    page, headers = _people_page(request, leader.tutors, leader.TUTOR_SORTS, TUTOR_COLUMNS, today)
    medians = leader.median_turnaround(request.user, [tutor.pk for tutor in page.object_list])
    for tutor in page.object_list:
        tutor.median = medians.get(tutor.pk)
        work = reverse("tracking:tutor_work", args=[tutor.pk])
        tutor.links = {show: f"{work}?show={show}" for show in leader.SHOWS}
        tutor.participants_href = _participants_href(tutor=tutor.pk)
    return render(
        request,
        "tracking/leader/tutors.html",
        {
            "title": "Tutors' marking",
            "page": page,
            "headers": headers,
        },
    )


def _person(pk: int, role: str) -> User:
    found = User.objects.filter(pk=pk, role_grants__role=role).first()
    if found is None:
        raise Http404("No such person.")
    return found


@login_required
def tutor_work(request: HttpRequest, tutor_id: int) -> HttpResponse:
    """The submissions behind one of a tutor's numbers: waiting, overdue or marked."""
    access.require_relation(request.user, Relation.PROGRAMME_LEADER)
    tutor = _person(tutor_id, Role.TUTOR)
    today = timezone.localdate()
    form = TutorWorkForm(request.GET)
    show = form.show_value()
    page = page_of(leader.tutor_work(request.user, tutor, show, today), request)
    leader.describe_work(page.object_list, today)
    return render(
        request,
        "tracking/leader/tutor_work.html",
        {
            "title": f"{tutor}: {dict(form.fields['show'].choices)[show].lower()}",
            "tutor": tutor,
            "form": form,
            "show": show,
            "page": page,
            "states": dict(State.choices),
        },
    )


COACH_COLUMNS = (
    ("name", "Coach", False),
    ("participants", "Participants today", True),
    ("sessions", "Agreed sessions, last 30 and 90 days", True),
    ("last", "Days since the last agreed session", True),
)


@login_required
def coaches(request: HttpRequest) -> HttpResponse:
    """Each coach's caseload and how often they hold agreed sessions; never what a session said."""
    today = timezone.localdate()
    page, headers = _people_page(request, leader.coaches, leader.COACH_SORTS, COACH_COLUMNS, today)
    for coach in page.object_list:
        coach.days_since = (today - coach.last_session_on).days if coach.last_session_on else None
        sessions = reverse("tracking:coach_sessions", args=[coach.pk])
        coach.links = {days: f"{sessions}?days={days}" for days in leader.SESSION_DAYS}
        coach.participants_href = _participants_href(coach=coach.pk)
    return render(
        request,
        "tracking/leader/coaches.html",
        {
            "title": "Coaches' caseloads",
            "page": page,
            "headers": headers,
        },
    )


@login_required
def coach_sessions(request: HttpRequest, coach_id: int) -> HttpResponse:
    """The agreed sessions behind a coach's count: dates, lengths, kinds and content areas."""
    access.require_relation(request.user, Relation.PROGRAMME_LEADER)
    coach = _person(coach_id, Role.COACH)
    form = CoachSessionsForm(request.GET)
    days = form.days_value()
    page = page_of(leader.coach_sessions(request.user, coach, days, timezone.localdate()), request)
    return render(
        request,
        "tracking/leader/coach_sessions.html",
        {
            "title": f"{coach}: agreed sessions in the last {days} days",
            "coach": coach,
            "form": form,
            "page": page,
        },
    )
