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
from ui.pagination import page_of


def _participants_href(**params) -> str:
    """The participants' table (the leader's home) filtered by `params`, leaving out empty ones."""
    query = urlencode({name: value for name, value in params.items() if value not in (None, "")})
    return reverse("tracking:leader_home") + (f"?{query}" if query else "")


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


@login_required
def progression(request: HttpRequest) -> HttpResponse:
    """How many participants are in each phase, and how many of them are active, interrupted,
    withdrawn or completed, each number linking to those participants in the table."""
    access.require_relation(request.user, Relation.PROGRAMME_LEADER)
    form = ProgressionFilterForm(request.GET)
    filters = form.filters()
    rows = leader.progression(request.user, filters, timezone.localdate())
    where = {"cohort": filters.cohort_id, "school": filters.school_id}
    for row in rows:
        row.links = [
            (row.counts[status], status.label.lower(), _participants_href(phase=row.phase, status=status, **where))
            for status in leader.STATUSES
        ]
        row.total_href = _participants_href(phase=row.phase, **where)
    return render(
        request,
        "tracking/leader/progression.html",
        {
            "title": "Progression by phase",
            "form": form,
            "filtered": form.filtered,
            "rows": rows,
            "statuses": [status.label for status in leader.STATUSES],
        },
    )


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
    access.require_relation(request.user, Relation.PROGRAMME_LEADER)
    today = timezone.localdate()
    sort, descending = leader.parse_sort(request.GET.get("sort"), leader.TUTOR_SORTS, "name")
    page = page_of(leader.tutors(request.user, today=today, sort=sort, descending=descending), request)
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
            "headers": _headers(request, TUTOR_COLUMNS, leader.TUTOR_SORTS, sort, descending),
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
    access.require_relation(request.user, Relation.PROGRAMME_LEADER)
    today = timezone.localdate()
    sort, descending = leader.parse_sort(request.GET.get("sort"), leader.COACH_SORTS, "name")
    page = page_of(leader.coaches(request.user, today=today, sort=sort, descending=descending), request)
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
            "headers": _headers(request, COACH_COLUMNS, leader.COACH_SORTS, sort, descending),
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
