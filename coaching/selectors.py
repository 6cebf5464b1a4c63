"""Reads of coaching records for a viewer, each judged by programme.access record by record, in a
fixed number of queries however many sessions there are.

The access policy judges a record by the viewer's relations on the record's own date, and asks
the database once per participant and day. A timeline of many sessions would then ask once per
session. But those relations can only change on a day some period starts or ends (a school
placement, a coach or tutor assignment, the viewer's headship), so `judge` reads those days once
and asks the policy about each record as of the first session day in the same span: the same
answer, in a handful of queries. The stretch belongs in programme.access; until it is there,
tests/coaching/test_selectors.py checks that the two agree.
"""

import bisect
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from accounts.roles import Role
from coaching.models import ActionStep, AgreementStatus, DialogueLog, DialogueLogVersion, SessionKind
from programme import access
from programme.access import Action
from programme.models import CoachAssignment, Enrolment, SchoolPlacement, StaffMembership, TutorAssignment

_DAY = datetime.timedelta(days=1)
_READS = frozenset({Action.VIEW, Action.VIEW_SUMMARY})


class _OnDay:
    """A record as the policy would see it on another day on which the viewer's relations match."""

    def __init__(self, record: Any, day: datetime.date):
        self._record = record
        self.access_date = day

    def __getattr__(self, name: str) -> Any:
        return getattr(self._record, name)


def _relation_change_days(user, enrolment_id: int) -> list[datetime.date]:
    """Every day on which the viewer's relation to this participant could change."""
    days: set[datetime.date] = set()
    roles = user.roles if user.is_authenticated and user.is_active else frozenset()
    models = [SchoolPlacement]
    if Role.COACH in roles:
        models.append(CoachAssignment)
    if Role.TUTOR in roles:
        models.append(TutorAssignment)
    periods = [model.objects.filter(enrolment_id=enrolment_id).values_list("starts_on", "ends_on") for model in models]
    if Role.HEAD in roles:
        periods.append(
            StaffMembership.objects.filter(user=user, role=StaffMembership.StaffRole.HEAD).values_list(
                "starts_on", "ends_on"
            )
        )
    for rows in periods:
        for starts_on, ends_on in rows:
            days.add(starts_on)
            if ends_on is not None:
                days.add(ends_on + _DAY)
    return sorted(days)


def judge(user, records: Sequence[Any]) -> list[tuple[Any, frozenset[Action]]]:
    """Each record with what the viewer may do to it, by the access policy."""
    judged = []
    change_days: dict[int, list[datetime.date]] = {}
    representative: dict[tuple[int, int], datetime.date] = {}
    for record in records:
        enrolment_id = record.access_enrolment_id
        if enrolment_id not in change_days:
            change_days[enrolment_id] = _relation_change_days(user, enrolment_id)
        span = bisect.bisect_right(change_days[enrolment_id], record.access_date)
        day = representative.setdefault((enrolment_id, span), record.access_date)
        judged.append((record, access.allowed_actions(user, _OnDay(record, day))))
    return judged


def readable(user, records: Iterable[Any]) -> list[tuple[Any, frozenset[Action]]]:
    return [(record, actions) for record, actions in judge(user, list(records)) if actions & _READS]


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
