"""The programme leader's views of the programme as a whole: how many participants are in each
phase and how many have completed, withdrawn or interrupted; each tutor's marking; each coach's
caseload and how often they hold sessions. Each number comes with the list behind it.

Everything is counted by the database: a page of tutors or coaches is one query with every count
as a subquery of it (and, for the tutors, one more for the median turnaround, a window function),
however many participants, sessions or submissions there are. Only dates, states and counts are
read: never what a dialogue log, a piece of work or its feedback says (PRODUCT.md, "who sees what").
Every count of records is limited to those the reader may read (`access.readable_where`).
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.expressions import Window
from django.db.models.functions import Coalesce, RowNumber

from accounts.models import User
from accounts.roles import Role
from assessment.models import Marking, Submission
from assessment.workflow import State
from coaching.models import AgreementStatus, DialogueLog
from programme import access
from programme.access import RecordKind, Relation
from programme.models import CoachAssignment, Enrolment, Phase, TutorAssignment
from tracking.chart_data import scoped_enrolments
from tracking.selectors import Filters

# --- Progression by phase.

STATUSES = (
    Enrolment.Status.ACTIVE,
    Enrolment.Status.INTERRUPTED,
    Enrolment.Status.WITHDRAWN,
    Enrolment.Status.COMPLETED,
)


@dataclass
class PhaseRow:
    phase: int | None  # None: every phase (the totals)
    label: str
    counts: dict[str, int]  # status -> participants

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def progression(user, relation: Relation, filters: Filters, today: datetime.date) -> list[PhaseRow]:
    """Participants in each phase today by their status, and a row of totals: one query. The
    participants are the table's for the same person and filters (`chart_data.scoped_enrolments`:
    every school for the programme leader, a head's schools today), so each number is the count
    of the table it links to."""
    enrolments = scoped_enrolments(user, relation, filters, today)
    found = enrolments.order_by().values_list("current_phase__number", "status").annotate(n=Count("pk"))
    counts: dict[tuple[int, str], int] = {(phase, status): n for phase, status, n in found}
    rows = [
        PhaseRow(
            phase=phase.number,
            label=f"Phase {phase.number}: {phase.name}",
            counts={status: counts.get((phase.number, status), 0) for status in STATUSES},
        )
        for phase in Phase.objects.order_by("number")
    ]
    totals = {status: sum(row.counts[status] for row in rows) for status in STATUSES}
    return [*rows, PhaseRow(phase=None, label="Every phase", counts=totals)]


# --- Sorting the tutors' and coaches' lists (a GET parameter, "-waiting" for the most first).


def parse_sort(value: str | None, sortable: dict[str, tuple[str, ...]], default: str) -> tuple[str, bool]:
    value = (value or "").strip()
    key = value.lstrip("-")
    if key not in sortable:
        return default, False
    return key, value.startswith("-")


def _ordered(people: QuerySet[User], columns: tuple[str, ...], descending: bool) -> QuerySet[User]:
    ordering = [F(c).desc(nulls_last=True) if descending else F(c).asc(nulls_first=True) for c in columns]
    return people.order_by(*ordering, "last_name", "first_name", "pk")


def _how_many(queryset: QuerySet, what: str = "pk") -> Coalesce:
    """How many distinct `what` the rows of `queryset` (correlated with OuterRef) hold, as a
    subquery: COUNT(DISTINCT ...) without GROUP BY."""
    counted = (
        queryset.order_by()
        .annotate(n=Func(F(what), function="COUNT", template="%(function)s(DISTINCT %(expressions)s)"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _holding(role: str) -> QuerySet[User]:
    return User.objects.filter(role_grants__role=role).only("first_name", "last_name", "email")


# --- Each tutor's marking.
#
# A submission is a tutor's to mark when they hold its first marking, or, before anyone has started
# marking it, when they are the participant's tutor today. It is waiting until that marking is
# complete ("marked"), overdue when it is still waiting after its task's marks-due date, and marked
# from then on (through moderation and release). Turnaround is from submission to the first time
# the marking was completed (Marking.marked_at), in days.

WAITING = (State.NOT_MARKED, State.IN_MARKING)
MARKED = (State.MARKED, State.IN_MODERATION, State.READY_FOR_RELEASE, State.RELEASED)
SHOWS = ("waiting", "overdue", "marked")


def _submitted(user) -> QuerySet[Submission]:
    readable = access.readable_where(user, RecordKind.SUBMISSION, enrolment="enrolment", on="dated_on")
    return Submission.objects.filter(readable, state=Submission.State.SUBMITTED)


def _first_markings(user) -> QuerySet[Marking]:
    # A leader reads unreleased and released marks alike; the state and dates are all that is read.
    readable = access.readable_where(
        user, RecordKind.SUBMISSION, enrolment="submission__enrolment", on="submission__dated_on"
    )
    return Marking.objects.filter(readable, role=Marking.Role.FIRST, submission__state=Submission.State.SUBMITTED)


def _unstarted(user, tutor, today: datetime.date) -> QuerySet[Submission]:
    """Submitted work nobody has started marking, of the participants `tutor` tutors today. A join
    to the tutor's assignments (one filter, so both conditions hold of the same assignment), so the
    database starts from the tutor's few assignments rather than testing every submission."""
    a = "enrolment__tutor_assignments__"
    today_theirs = Q(**{f"{a}tutor": tutor, f"{a}starts_on__lte": today}) & (
        Q(**{f"{a}ends_on__isnull": True}) | Q(**{f"{a}ends_on__gte": today})
    )
    started = Marking.objects.filter(submission=OuterRef("pk"), role=Marking.Role.FIRST)
    return _submitted(user).filter(today_theirs).exclude(Exists(started))


TUTOR_SORTS: dict[str, tuple[str, ...]] = {
    "name": ("last_name", "first_name"),
    "participants": ("participants",),
    "waiting": ("waiting",),
    "overdue": ("overdue",),
    "marked": ("marked",),
}


def tutors(user, *, today: datetime.date, sort: str = "name", descending: bool = False) -> QuerySet[User]:
    """Every tutor with their participants today and their marking: waiting, overdue and marked.
    A queryset, so a page of it is one query."""
    mine = _first_markings(user).filter(marker=OuterRef("pk"))
    unstarted = _unstarted(user, OuterRef("pk"), today)
    due_passed = Q(submission__task__marks_due_on__lt=today)
    people = _holding(Role.TUTOR).annotate(
        participants=_how_many(TutorAssignment.objects.covering(today).filter(tutor=OuterRef("pk")), "enrolment"),
        waiting=_how_many(mine.filter(state__in=WAITING)) + _how_many(unstarted),
        overdue=_how_many(mine.filter(due_passed, state__in=WAITING))
        + _how_many(unstarted.filter(task__marks_due_on__lt=today)),
        marked=_how_many(mine.filter(state__in=MARKED)),
    )
    return _ordered(people, TUTOR_SORTS[sort], descending)


def _took() -> ExpressionWrapper:
    return ExpressionWrapper(F("marked_at") - F("submission__submitted_at"), output_field=DurationField())


def median_turnaround(user, tutor_ids: list[int]) -> dict[int, float]:
    """Each tutor's median days from submission to marks, over the work they have marked: one query,
    the database ranking each tutor's turnarounds (window functions) and returning only the middle
    one or two of each, which are averaged here."""
    ranked = (
        _first_markings(user)
        .filter(
            marker_id__in=tutor_ids, state__in=MARKED, marked_at__isnull=False, submission__submitted_at__isnull=False
        )
        .annotate(
            took=_took(),
            position=Window(RowNumber(), partition_by=F("marker"), order_by=[_took().asc(), F("pk").asc()]),
            of=Window(Count("pk"), partition_by=F("marker")),
        )
        # The middle of n ranked from 1: (n + 1) // 2 and (n + 2) // 2, the same row when n is odd.
        .filter(position__gte=(F("of") + 1) / 2, position__lte=(F("of") + 2) / 2)
        .values_list("marker", "took")
    )
    middles: dict[int, list[datetime.timedelta]] = {}
    for marker, took in ranked:
        middles.setdefault(marker, []).append(took)
    return {
        marker: round(sum(t.total_seconds() for t in took) / len(took) / 86400, 1) for marker, took in middles.items()
    }


def tutor_work(user, tutor: User, show: str, today: datetime.date) -> QuerySet[Submission]:
    """The submissions behind one of a tutor's numbers (`show`: waiting, overdue or marked), with
    their first marking's state and when it was marked: the list the number links to."""
    first = Marking.objects.filter(submission=OuterRef("pk"), role=Marking.Role.FIRST)
    theirs = _first_markings(user).filter(marker=tutor)
    if show == "marked":
        found = _submitted(user).filter(pk__in=theirs.filter(state__in=MARKED).values("submission"))
    else:
        waiting = theirs.filter(state__in=WAITING)
        unstarted = _unstarted(user, tutor, today)
        if show == "overdue":
            waiting = waiting.filter(submission__task__marks_due_on__lt=today)
            unstarted = unstarted.filter(task__marks_due_on__lt=today)
        found = _submitted(user).filter(Q(pk__in=waiting.values("submission")) | Q(pk__in=unstarted.values("pk")))
    found = found.select_related("task", "enrolment__participant").annotate(
        marking_state=Subquery(first.values("state")[:1]),
        marked_at=Subquery(first.values("marked_at")[:1]),
    )
    if show == "marked":
        return found.order_by(F("marked_at").desc(nulls_last=True), "-pk")
    return found.order_by("task__marks_due_on", "submitted_at", "pk")


def describe_work(submissions, today: datetime.date) -> None:
    """A page of `tutor_work`: each with its days from submission to marks (when marked) and
    whether it is past its marks-due date unmarked. No query."""
    for submission in submissions:
        submission.days_to_marks = None
        if submission.marked_at is not None and submission.submitted_at is not None:
            took = submission.marked_at - submission.submitted_at
            submission.days_to_marks = round(took.total_seconds() / 86400, 1)
        unmarked = submission.marking_state is None or submission.marking_state in WAITING
        submission.overdue = unmarked and submission.task.marks_due_on < today


# --- Each coach's caseload and how often they hold sessions.
#
# Sessions are agreed dialogue logs the coach recorded (drafts and sessions planned for later do not
# count), read as a programme leader may read them: dates only.

SESSION_DAYS = (30, 90)

COACH_SORTS: dict[str, tuple[str, ...]] = {
    "name": ("last_name", "first_name"),
    "participants": ("participants",),
    "sessions": ("sessions_90", "sessions_30"),
    # Longest since the last session first when descending; never held a session counts as longest.
    "last": ("last_session_on",),
}


def _agreed_sessions(user, today: datetime.date) -> QuerySet[DialogueLog]:
    readable = access.readable_where(user, RecordKind.DIALOGUE_LOG_AGREED, enrolment="enrolment", on="session_on")
    return DialogueLog.objects.filter(readable, status=AgreementStatus.AGREED, session_on__lte=today)


def coaches(user, *, today: datetime.date, sort: str = "name", descending: bool = False) -> QuerySet[User]:
    """Every coach with their caseload today, agreed sessions in the last 30 and 90 days, and the
    day of their latest agreed session. A queryset, so a page of it is one query."""
    held = _agreed_sessions(user, today).filter(coach=OuterRef("pk"))
    counts = {
        f"sessions_{days}": _how_many(held.filter(session_on__gt=today - datetime.timedelta(days=days)))
        for days in SESSION_DAYS
    }
    people = _holding(Role.COACH).annotate(
        participants=_how_many(CoachAssignment.objects.covering(today).filter(coach=OuterRef("pk")), "enrolment"),
        last_session_on=Subquery(held.order_by("-session_on").values("session_on")[:1]),
        **counts,
    )
    if sort == "last":
        # Most days since the last session is the earliest day, with "never" before every day.
        order = F("last_session_on").asc(nulls_first=True) if descending else F("last_session_on").desc(nulls_last=True)
        return people.order_by(order, "last_name", "first_name", "pk")
    return _ordered(people, COACH_SORTS[sort], descending)


def coach_sessions(user, coach: User, days: int, today: datetime.date) -> QuerySet[DialogueLog]:
    """The agreed sessions behind a coach's count for the last `days` days: dates, lengths, kinds
    and content areas only (the text is not even read), latest first."""
    return (
        _agreed_sessions(user, today)
        .filter(coach=coach, session_on__gt=today - datetime.timedelta(days=days))
        .select_related("enrolment__participant")
        .only(
            "pk",
            "session_on",
            "duration_minutes",
            "kind",
            "status",
            "enrolment_id",
            "enrolment__participant__first_name",
            "enrolment__participant__last_name",
            "enrolment__participant__email",
        )
        .prefetch_related("content_areas")
        .order_by("-session_on", "-pk")
    )
