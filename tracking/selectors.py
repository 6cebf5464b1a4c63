"""The participants' table the head (their school) and the programme leader (every school) track:
the list is filtered, sorted and paged first (one query for the page's ids and the list's length),
then one query works out every column, at-risk reason and the people around each for that page's
rows alone, however many participants, sessions or results. Only a sort by a computed column works
that column out for every participant. An export reads the same rows a chunk at a time.

What it reads of each participant is what a head may know (PRODUCT.md, "who sees what"): dates and
content areas of agreed sessions (only those the reader's periods let them see, through
`access.readable_where`), how many agreed action steps are open or overdue (never what they say),
whether work is submitted, released outcomes and credits.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from assessment.rules.marks import Outcome
from assessment.selectors.credits import credits_so_far
from assessment.selectors.marking import released_results
from coaching.models import ActionStep, AgreementStatus, DialogueLog
from programme import access
from programme.access import RecordKind, Relation
from programme.models import CoachAssignment, Enrolment, PhaseChange, SchoolPlacement, TutorAssignment
from programme.rules import timing
from tracking import risks, stored_risks
from tracking.risks import Thresholds


@dataclass(frozen=True)
class Filters:
    phase: int | None = None
    status: str | None = None
    at_risk: bool | None = None
    cohort_id: int | None = None
    school_id: int | None = None
    region: str | None = None
    coach_id: int | None = None
    tutor_id: int | None = None


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    # What the database sorts by (None: not sortable); a name sorts by two columns.
    order: tuple[str, ...] | None
    numeric: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("name", "Participant", ("participant__last_name", "participant__first_name")),
    Column("phase", "Phase", ("current_phase__number", "phase_changed_at")),
    Column("status", "Status", ("status",)),
    Column("next_due", "Next deadline", ("next_due_on",)),
    Column("limits", "Latest start and five-year limit", ("first_post_started_on",)),
    Column("sessions", "Coaching sessions, last 30 and 90 days", ("sessions_90", "sessions_30"), numeric=True),
    Column("steps", "Action steps open, overdue", ("steps_overdue", "steps_open"), numeric=True),
    Column("areas", "Content areas covered", ("areas_covered",), numeric=True),
    Column("outcome", "Latest result", None),
    Column("credits", "Credits", ("credits",), numeric=True),
    Column("risk", "At risk", ("risk_count",)),
)
SORTABLE = {c.key: c for c in COLUMNS if c.order}
DEFAULT_SORT = "name"


def parse_sort(value: str | None) -> tuple[str, bool]:
    """(column key, descending) from a GET parameter like "-sessions"; the name column for anything else."""
    value = (value or "").strip()
    descending = value.startswith("-")
    key = value.lstrip("-")
    if key not in SORTABLE:
        return DEFAULT_SORT, False
    return key, descending


def _count(queryset: QuerySet, what: str = "pk", *, distinct: bool = False) -> Coalesce:
    """How many rows of `queryset` (filtered on enrolment=OuterRef("pk")) there are, as a subquery."""
    counted = queryset.order_by().values("enrolment").annotate(n=Count(what, distinct=distinct)).values("n")[:1]
    return Coalesce(Subquery(counted), 0)


def _agreed_logs(user) -> QuerySet[DialogueLog]:
    readable = access.readable_where(user, RecordKind.DIALOGUE_LOG_AGREED, enrolment="enrolment", on="session_on")
    return DialogueLog.objects.filter(readable, enrolment=OuterRef("pk"), status=AgreementStatus.AGREED)


def participants(user, relation: Relation, *, filters: Filters, sort: str, descending: bool, t: Thresholds):
    """The participants this person tracks in `relation` today (access.enrolments_for), filtered and
    sorted: a queryset of enrolments to page (`ui.pagination.page_of_ids`), whose rows `rows` then
    reads for that page alone. Only the sorted column's values are worked out for every participant,
    and only when it is a computed one: the other columns and reasons cost a page, not the list."""
    today = t.today
    enrolments = access.enrolments_for(user, relation, today)
    if filters.phase is not None:
        enrolments = enrolments.filter(current_phase__number=filters.phase)
    if filters.status:
        enrolments = enrolments.filter(status=filters.status)
    if filters.cohort_id is not None:
        enrolments = enrolments.filter(cohort_id=filters.cohort_id)
    if filters.school_id is not None:
        placed = SchoolPlacement.objects.covering(today).filter(school_id=filters.school_id)
        enrolments = enrolments.filter(pk__in=placed.values("enrolment_id"))
    if filters.region:
        in_region = SchoolPlacement.objects.covering(today).filter(school__region=filters.region)
        enrolments = enrolments.filter(pk__in=in_region.values("enrolment_id"))
    if filters.coach_id is not None:
        coached = CoachAssignment.objects.covering(today).filter(coach_id=filters.coach_id)
        enrolments = enrolments.filter(pk__in=coached.values("enrolment_id"))
    if filters.tutor_id is not None:
        tutored = TutorAssignment.objects.covering(today).filter(tutor_id=filters.tutor_id)
        enrolments = enrolments.filter(pk__in=tutored.values("enrolment_id"))
    stored = stored_risks.ensure_current(t)
    if filters.at_risk is not None:
        if stored:
            # The stored flags: a join to one row per participant, not eight subqueries each.
            held = Q(status=Enrolment.Status.ACTIVE, stored_risk__count__gt=0)
            enrolments = enrolments.filter(held if filters.at_risk else ~held)
        elif filters.at_risk:
            enrolments = enrolments.filter(risks.at_risk(t))
        else:
            enrolments = enrolments.exclude(risks.at_risk(t))

    column = SORTABLE[sort]
    if sort == "risk":
        enrolments = enrolments.annotate(risk_count=_stored_count() if stored else risks.risk_count(t))
    else:
        enrolments = enrolments.annotate(**_computed(user, t, only=column.order))
    keys = [F(name) for name in column.order]
    ordering = [(key.desc(nulls_last=True) if descending else key.asc(nulls_last=True)) for key in keys]
    if sort != "name":
        ordering += [F("participant__last_name").asc(), F("participant__first_name").asc()]
    return enrolments.order_by(*ordering, "pk")


def _stored_count() -> Case:
    """How many reasons hold, from the stored flags (none for an enrolment that is not active)."""
    active = Q(status=Enrolment.Status.ACTIVE)
    return Case(When(active, then=Coalesce("stored_risk__count", 0)), default=0, output_field=IntegerField())


def _computed(user, t: Thresholds, only: tuple[str, ...] | None = None) -> dict:
    """Every computed column of a row (or those named in `only`), as expressions over the enrolment
    (subqueries of one query). Each is built only when asked for: building and compiling them is
    much of a page's time in Python."""
    today = t.today
    logs = _agreed_logs(user).filter(session_on__lte=today)
    steps = ActionStep.objects.filter(
        enrolment=OuterRef("pk"), log__status=AgreementStatus.AGREED, status=ActionStep.Status.OPEN
    )

    def released():
        return released_results().filter(submission__enrolment=OuterRef("pk")).order_by("-released_at", "-pk")

    columns = {
        "phase_changed_at": lambda: Subquery(
            PhaseChange.objects.filter(enrolment=OuterRef("pk"), to_phase=OuterRef("current_phase"))
            .order_by("-decided_at")
            .values("decided_at")[:1]
        ),
        "next_due_on": lambda: Subquery(
            risks.unsubmitted_tasks()
            .filter(participant_due_on__gte=today)
            .order_by("participant_due_on")
            .values("participant_due_on")[:1]
        ),
        "sessions_30": lambda: _count(logs.filter(session_on__gt=today - datetime.timedelta(days=30))),
        "sessions_90": lambda: _count(logs.filter(session_on__gt=today - datetime.timedelta(days=90))),
        "areas_covered": lambda: _count(logs, "content_areas", distinct=True),
        "steps_open": lambda: _count(steps),
        "steps_overdue": lambda: _count(steps.filter(due_on__lt=today)),
        "outcome": lambda: Subquery(released().values("outcome")[:1]),
        "outcome_task": lambda: Subquery(released().values("submission__task__title")[:1]),
        "credits": credits_so_far,
    }
    return {name: build() for name, build in columns.items() if only is None or name in only}


# How many rows an export reads at a time: each chunk is one query for its rows' columns.
CHUNK = 500


def _ids(enrolments) -> list[int]:
    """The ids of a page or list, in its order: a page of ids (page_of_ids) as it is, a queryset's read."""
    if isinstance(enrolments, QuerySet):
        return list(enrolments.values_list("pk", flat=True))
    return [e if isinstance(e, int) else e.pk for e in enrolments]


def _read(user, ids: list[int], t: Thresholds, *, stored: bool, checked: bool = False) -> list[Enrolment]:
    """These enrolments with every column and reason, in the order of `ids`: one query. With
    `stored`, the reasons are the stored flags (`stored_risks.ensure_current` made them current)."""
    found = Enrolment.objects.filter(pk__in=ids)
    if stored:
        # Only an active enrolment is at risk: the status is read here, not stored.
        active = Q(status=Enrolment.Status.ACTIVE)
        found = found.annotate(
            **{
                reason.field: ExpressionWrapper(active & Q(**{f"stored_risk__{reason.key}": True}), BooleanField())
                for reason in risks.REASONS
            }
        )
        found = found.annotate(
            risks_judged=F("stored_risk__judged_on"),
            risks_weeks=F("stored_risk__weeks_without_session"),
            risks_months=F("stored_risk__months_before_limit"),
        )
    else:
        found = risks.with_flags(found, t)
    found = found.annotate(**_computed(user, t))
    by_id = {e.pk: e for e in _with_people(found, t.today)}
    judged = (t.today, t.weeks_without_session, t.months_before_limit)
    if (
        stored
        and not checked
        and any((e.risks_judged, e.risks_weeks, e.risks_months) != judged for e in by_id.values())
    ):
        # A row not judged for today (ids not read through `participants`): judge, and read again.
        stored_risks.ensure_current(t)
        return _read(user, ids, t, stored=True, checked=True)
    return [by_id[pk] for pk in ids if pk in by_id]


def _with_people(enrolments: QuerySet[Enrolment], on: datetime.date) -> QuerySet[Enrolment]:
    """Each row's participant and phase (only the columns shown), and the names of its school, coach
    and tutor today as subqueries of the same query: no model is made for them, and a page or an
    export of any length is read in that one query."""
    placement = SchoolPlacement.objects.covering(on).filter(enrolment=OuterRef("pk")).order_by("-starts_on", "-pk")
    coach = CoachAssignment.objects.covering(on).filter(enrolment=OuterRef("pk")).order_by("-starts_on", "-pk")
    tutor = TutorAssignment.objects.covering(on).filter(enrolment=OuterRef("pk")).order_by("-starts_on", "-pk")
    people = {"school_name": Subquery(placement.values("school__name")[:1])}
    for role, assignments in (("coach", coach), ("tutor", tutor)):
        for column in ("first_name", "last_name", "email"):
            people[f"{role}_{column}"] = Subquery(assignments.values(f"{role}__{column}")[:1])
    return (
        enrolments.select_related("participant", "current_phase")
        .only(
            *SHOWN, "participant__first_name", "participant__last_name", "participant__email", "current_phase__number"
        )
        .annotate(**people)
    )


# The enrolment's own columns a row reads.
SHOWN = ("status", "cohort", "first_post_started_on", "programme_started_on", "participant", "current_phase")


# --- A page's rows, in words and numbers the template shows as they are.


def months_until(today: datetime.date, day: datetime.date) -> int:
    """Whole months from today to `day` (negative when it has passed)."""
    months = (day.year - today.year) * 12 + day.month - today.month
    if day.day < today.day:
        months -= 1 if months > 0 else 0
    return months


def _nearness(today: datetime.date, day: datetime.date) -> str:
    if day < today:
        return "passed"
    months = months_until(today, day)
    if months < 1:
        return "within a month"
    return f"in {months} month{'' if months == 1 else 's'}"


@dataclass
class Row:
    enrolment: Enrolment
    name: str
    phase: int
    phase_since: datetime.date
    status: str
    next_due_on: datetime.date | None
    latest_start: datetime.date
    latest_start_near: str
    completion_deadline: datetime.date
    completion_near: str
    sessions_30: int
    sessions_90: int
    steps_open: int
    steps_overdue: int
    areas_covered: int
    outcome: str
    outcome_task: str
    credits: int
    reasons: list[str] = field(default_factory=list)
    school: str = ""
    coach: str = ""
    tutor: str = ""

    @property
    def at_risk(self) -> bool:
        return bool(self.reasons)


_OUTCOMES = dict(Outcome.choices)


def rows(user, enrolments, t: Thresholds) -> list[Row]:
    """A page's rows (`enrolments`: the page's ids, or a sliced `participants` queryset), as `user`
    may read them: one query for the page's columns, whatever the list's length."""
    return list(iter_rows(user, enrolments, t))


def iter_rows(user, enrolments, t: Thresholds, *, chunk: int = CHUNK) -> Iterator[Row]:
    """Each row of `enrolments` (ids, or a `participants` queryset) in order, read `chunk` at a time,
    for an export streamed while the database is still reading: one query for the ids, then one per
    chunk, each costing its rows alone."""
    ids = _ids(enrolments)
    # `participants` made the stored reasons current for today (_read checks each row's anyway).
    stored = stored_risks.answers_for(t)
    for start in range(0, len(ids), chunk):
        yield from _rows(_read(user, ids[start : start + chunk], t, stored=stored), t)


def _rows(enrolments: list[Enrolment], t: Thresholds) -> Iterator[Row]:
    today = t.today
    described = {reason.field: reason.describe(t) for reason in risks.REASONS}
    for e in enrolments:
        latest = timing.latest_start_date(e.first_post_started_on)
        deadline = timing.completion_deadline(e.first_post_started_on)
        since = _local_day(e.phase_changed_at) or e.programme_started_on
        yield (
            Row(
                enrolment=e,
                name=str(e.participant),
                phase=e.current_phase.number,
                phase_since=since,
                status=e.get_status_display(),
                next_due_on=e.next_due_on,
                latest_start=latest,
                latest_start_near=_nearness(today, latest),
                completion_deadline=deadline,
                completion_near=_nearness(today, deadline),
                sessions_30=e.sessions_30,
                sessions_90=e.sessions_90,
                steps_open=e.steps_open,
                steps_overdue=e.steps_overdue,
                areas_covered=e.areas_covered,
                outcome=_OUTCOMES.get(e.outcome or "", ""),
                outcome_task=e.outcome_task or "",
                credits=e.credits,
                reasons=[words for field, words in described.items() if getattr(e, field)],
                school=e.school_name or "",
                coach=_name(e, "coach"),
                tutor=_name(e, "tutor"),
            )
        )


def _name(e: Enrolment, role: str) -> str:
    """The coach's or tutor's name read with the row, or "" when there is none today."""
    email = getattr(e, f"{role}_email")
    return User.name_of(getattr(e, f"{role}_first_name"), getattr(e, f"{role}_last_name"), email) if email else ""


def _local_day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment is not None else None
