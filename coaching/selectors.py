"""Reads of coaching records for a viewer, each judged by the access policy (programme.access.judge)
in a fixed number of queries however many sessions there are."""

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Page
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from coaching.models import ActionStep, AgreementStatus, DialogueLog, DialogueLogVersion, SessionKind
from programme import access
from programme.access import Action
from programme.models import Enrolment
from programme.selectors import named

judge = access.judge
readable = access.readable


# --- Timelines.


def _logs() -> QuerySet[DialogueLog]:
    return DialogueLog.objects.select_related("coach", "enrolment__participant").prefetch_related(
        "content_areas",
        "topics",
        "standards",
        Prefetch("action_steps", queryset=ActionStep.objects.select_related("owner")),
    )


@dataclass
class TimelineEntry:
    log: DialogueLog
    actions: frozenset[Action]

    @property
    def open_steps(self) -> int:
        return sum(1 for s in self.log.action_steps.all() if s.status == ActionStep.Status.OPEN)

    @property
    def overdue_steps(self) -> int:
        today = timezone.localdate()
        return sum(1 for s in self.log.action_steps.all() if s.is_overdue(today))


def timeline(
    user, enrolment: Enrolment, *, content_area_id: int | None = None, standard_id: int | None = None
) -> list[TimelineEntry]:
    """The sessions this person may read in full, newest first, optionally only those tagged with a
    content area or a standard."""
    logs = _logs().filter(enrolment=enrolment).order_by("-session_on", "-pk")
    if content_area_id is not None:
        logs = logs.filter(content_areas=content_area_id)
    if standard_id is not None:
        logs = logs.filter(standards=standard_id)
    return [TimelineEntry(log, actions) for log, actions in readable(user, logs) if Action.VIEW in actions]


def tutor_logs(
    user, *, content_area_id: int | None = None, standard_id: int | None = None, name: str = ""
) -> QuerySet[DialogueLog]:
    """The agreed logs of every participant this person tutors today, newest first, optionally only
    those tagged with a content area or a standard, or of participants with this name. Drafts are
    never among them. Take a page of it, then let `readable_page` judge that page: the cost of a
    page does not grow with the number of logs."""
    logs = (
        DialogueLog.objects.filter(
            enrolment__in=named(access.enrolments_for(user, access.Relation.TUTOR), name),
            status=AgreementStatus.AGREED,
        )
        .select_related("enrolment__participant")
        .prefetch_related("content_areas")
        .order_by("-session_on", "-pk")
    )
    if content_area_id is not None:
        logs = logs.filter(content_areas=content_area_id)
    if standard_id is not None:
        logs = logs.filter(standards=standard_id)
    return logs


def readable_page(user, page: Page) -> Page:
    """Keep on a page of records only those the person may read in full, judged by the policy."""
    page.object_list = [record for record, actions in readable(user, page.object_list) if Action.VIEW in actions]
    return page


@dataclass(frozen=True)
class SessionSummary:
    """What a head or programme leader may know about a session: never its text."""

    session_on: datetime.date
    duration_minutes: int
    kind: str
    content_areas: tuple[str, ...]


@dataclass
class CoachingSummary:
    sessions: list[SessionSummary] = field(default_factory=list)

    @property
    def total_minutes(self) -> int:
        return sum(s.duration_minutes for s in self.sessions)


def summary(user, enrolment: Enrolment) -> CoachingSummary:
    """Agreed sessions as dates, durations, kinds and content areas. The text is not even read."""
    logs = (
        DialogueLog.objects.filter(enrolment=enrolment, status=AgreementStatus.AGREED)
        .only("pk", "enrolment_id", "session_on", "duration_minutes", "kind", "status")
        .prefetch_related("content_areas")
        .order_by("-session_on", "-pk")
    )
    return CoachingSummary(
        sessions=[
            SessionSummary(
                session_on=log.session_on,
                duration_minutes=log.duration_minutes,
                kind=SessionKind(log.kind).label,
                content_areas=tuple(str(a) for a in log.content_areas.all()),
            )
            for log, _ in readable(user, logs)
        ]
    )


def summary_of(log: DialogueLog) -> SessionSummary:
    return SessionSummary(
        session_on=log.session_on,
        duration_minutes=log.duration_minutes,
        kind=SessionKind(log.kind).label,
        content_areas=tuple(str(a) for a in log.content_areas.all()),
    )


# --- Action steps and versions.


@dataclass
class ActionStepEntry:
    step: ActionStep
    actions: frozenset[Action]


def action_steps(user, enrolment: Enrolment) -> tuple[list[ActionStepEntry], list[ActionStepEntry]]:
    """(open, closed) action steps the viewer may read in full, open ones soonest due first."""
    steps = ActionStep.objects.filter(enrolment=enrolment).select_related("log", "owner").order_by("due_on", "pk")
    entries = [ActionStepEntry(s, a) for s, a in readable(user, steps) if Action.VIEW in a]
    open_steps = [e for e in entries if e.step.status == ActionStep.Status.OPEN]
    closed = [e for e in entries if e.step.status != ActionStep.Status.OPEN]
    return open_steps, closed


def versions(user, log: DialogueLog) -> list[DialogueLogVersion]:
    qs = DialogueLogVersion.objects.filter(log=log).select_related("created_by", "log").order_by("-number")
    return [v for v, actions in readable(user, qs) if Action.VIEW in actions]


# --- Release time (programme Q33): minutes per participant and per coach per term.
#
# Terms follow the English school year, approximately: autumn is September to December, spring
# January to March (Easter moves, so the spring term is taken to end with March) and summer April
# to August. Only agreed logs count: a draft is not yet a record both people stand behind, and a
# head or programme leader may not see it at all.

_TERM_ORDER = {"autumn": 0, "spring": 1, "summer": 2}
_TERM_MONTHS = {"autumn": "September to December", "spring": "January to March", "summer": "April to August"}


@dataclass(frozen=True, order=True)
class Term:
    school_year: int  # the calendar year the school year starts in: 2025 for 2025/26
    order: int
    season: str

    @classmethod
    def of(cls, day: datetime.date) -> "Term":
        if day.month >= 9:
            return cls(day.year, 0, "autumn")
        if day.month <= 3:
            return cls(day.year - 1, 1, "spring")
        return cls(day.year - 1, 2, "summer")

    @property
    def label(self) -> str:
        year = self.school_year if self.season == "autumn" else self.school_year + 1
        return f"{self.season.capitalize()} term {year}"

    @property
    def months(self) -> str:
        return _TERM_MONTHS[self.season]

    @property
    def school_year_label(self) -> str:
        return f"{self.school_year}/{(self.school_year + 1) % 100:02d}"


@dataclass(frozen=True)
class _LoggedTime:
    """An agreed log as the access policy sees it, carrying nothing but its date and minutes."""

    pk: int
    access_enrolment_id: int
    coach_id: int
    access_date: datetime.date
    duration_minutes: int
    access_kind = access.RecordKind.DIALOGUE_LOG_AGREED


@dataclass
class TimeRow:
    term: Term
    role: str  # "Participant" or "Coach"
    person_id: int
    name: str
    school: str
    sessions: int = 0
    minutes: int = 0

    @property
    def hours(self) -> str:
        return f"{self.minutes // 60}h {self.minutes % 60:02d}m"


@dataclass
class ReleaseTime:
    relation: access.Relation
    rows: list[TimeRow]

    @property
    def total_minutes(self) -> int:
        return sum(r.minutes for r in self.rows if r.role == "Participant") or sum(r.minutes for r in self.rows)


def _school_on(placements: list[tuple], day: datetime.date) -> tuple[int | None, str]:
    for school_id, name, starts_on, ends_on in placements:
        if starts_on <= day and (ends_on is None or day <= ends_on):
            return school_id, name
    return None, "No school recorded"


def release_time(
    user,
    relation: access.Relation,
    *,
    school_id: int | None = None,
    name: str = "",
    today: datetime.date | None = None,
) -> ReleaseTime:
    """Minutes of agreed coaching sessions per term, for each participant and each coach, as this
    person may see them in this relation: their own as participant or coach; their school's (the
    sessions held while the participant was placed there) as head; every school's, or one's, as
    programme leader; only the people whose name contains every word of `name`, if given. Dates
    and minutes only: no text of any log is read. A fixed number of queries, however many sessions."""
    from accounts.models import User
    from programme.models import SchoolPlacement

    R = access.Relation
    logs = DialogueLog.objects.filter(status=AgreementStatus.AGREED)
    head_schools: set[int] = set()
    if not access.holds(user, relation):
        return ReleaseTime(relation, [])
    if relation == R.PARTICIPANT:
        logs = logs.filter(enrolment__in=access.enrolments_for(user, R.PARTICIPANT))
    elif relation == R.COACH:
        logs = logs.filter(coach=user)
    elif relation == R.HEAD:
        # Every school they have been head of; the policy below keeps the sessions of their time.
        head_schools = set(access.headships(user).values_list("school_id", flat=True))
        logs = logs.filter(enrolment__in=SchoolPlacement.objects.filter(school_id__in=head_schools).values("enrolment"))
    elif relation == R.PROGRAMME_LEADER:
        if school_id is not None:
            logs = logs.filter(enrolment__in=SchoolPlacement.objects.filter(school_id=school_id).values("enrolment"))
    else:
        return ReleaseTime(relation, [])
    found = [
        _LoggedTime(pk, enrolment_id, coach_id, session_on, minutes)
        for pk, enrolment_id, coach_id, session_on, minutes in logs.values_list(
            "pk", "enrolment_id", "coach_id", "session_on", "duration_minutes"
        )
    ]
    found = [record for record, _ in access.readable(user, found)]
    enrolment_ids = {r.access_enrolment_id for r in found}
    placements: dict[int, list[tuple]] = {}
    for enrolment_id, *placement in SchoolPlacement.objects.filter(enrolment_id__in=enrolment_ids).values_list(
        "enrolment_id", "school_id", "school__name", "starts_on", "ends_on"
    ):
        placements.setdefault(enrolment_id, []).append(tuple(placement))
    participants = dict(Enrolment.objects.filter(pk__in=enrolment_ids).values_list("pk", "participant_id"))
    names = {
        u.pk: u.get_full_name() or u.email
        for u in User.objects.filter(pk__in={*participants.values(), *(r.coach_id for r in found)}).only(
            "pk", "first_name", "last_name", "email"
        )
    }
    rows: dict[tuple, TimeRow] = {}
    for record in found:
        school, school_name = _school_on(placements.get(record.access_enrolment_id, []), record.access_date)
        if relation == R.HEAD and school not in head_schools:
            continue  # time at another school is that school's
        if relation == R.PROGRAMME_LEADER and school_id is not None and school != school_id:
            continue
        term = Term.of(record.access_date)
        people = [("Participant", participants[record.access_enrolment_id]), ("Coach", record.coach_id)]
        if relation == R.PARTICIPANT:
            people = people[:1]
        elif relation == R.COACH:
            people = people[1:]
        for role, person_id in people:
            key = (term, role, person_id, school_name)
            row = rows.get(key) or rows.setdefault(key, TimeRow(term, role, person_id, names[person_id], school_name))
            row.sessions += 1
            row.minutes += record.duration_minutes
    ordered = sorted(
        rows.values(), key=lambda r: (-r.term.school_year, -r.term.order, r.school, r.role != "Participant", r.name)
    )
    words = name.lower().split()
    if words:
        ordered = [r for r in ordered if all(word in r.name.lower() for word in words)]
    return ReleaseTime(relation, ordered)


# --- The coach's "my coachees".


@dataclass
class CoacheeOverview:
    last_session_on: datetime.date | None = None
    next_session_on: datetime.date | None = None
    next_session_at: datetime.time | None = None
    open_steps: int = 0
    overdue_steps: int = 0
    drafts: int = 0
    covered_area_ids: set[int] = field(default_factory=set)


def coachee_overview(user, enrolments) -> dict[int, CoacheeOverview]:
    """For each participant on the coach's page: the last and next session, open and overdue action
    steps, drafts not yet agreed, and which content areas agreed logs have covered so far. Judged by
    the access policy, in a fixed number of queries however many participants and sessions."""
    ids = [e.pk for e in enrolments]
    today = timezone.localdate()
    overview = {pk: CoacheeOverview() for pk in ids}
    logs = list(
        DialogueLog.objects.filter(enrolment_id__in=ids).only(
            "pk", "enrolment_id", "session_on", "status", "next_session_on", "next_session_at"
        )
    )
    readable_logs = {log.pk: log for log, _ in access.readable(user, logs)}
    areas = DialogueLog.content_areas.through.objects.filter(
        dialoguelog_id__in=[pk for pk, log in readable_logs.items() if log.is_agreed]
    ).values_list("dialoguelog_id", "contentarea_id")
    for log_id, area_id in areas:
        overview[readable_logs[log_id].enrolment_id].covered_area_ids.add(area_id)
    # Only the latest plan stands: a later log's plan replaces (and cancels) an earlier one's.
    latest_plan: dict[int, DialogueLog] = {}
    for log in readable_logs.values():
        o = overview[log.enrolment_id]
        if log.session_on <= today and (o.last_session_on is None or log.session_on > o.last_session_on):
            o.last_session_on = log.session_on
        planned = latest_plan.get(log.enrolment_id)
        if log.next_session_on is not None and (
            planned is None or (log.session_on, log.pk) > (planned.session_on, planned.pk)
        ):
            latest_plan[log.enrolment_id] = log
        if not log.is_agreed:
            o.drafts += 1
    for enrolment_id, log in latest_plan.items():
        if log.next_session_on >= today:
            overview[enrolment_id].next_session_on = log.next_session_on
            overview[enrolment_id].next_session_at = log.next_session_at
    steps = ActionStep.objects.filter(enrolment_id__in=ids, status=ActionStep.Status.OPEN).select_related("log")
    for step, _ in access.readable(
        user, steps.only("pk", "enrolment_id", "owner_id", "due_on", "status", "log__status", "log__session_on")
    ):
        o = overview[step.enrolment_id]
        o.open_steps += 1
        o.overdue_steps += step.is_overdue(today)
    return overview
