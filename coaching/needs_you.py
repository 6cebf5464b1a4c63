"""What needs you: the top of each role's home. Records waiting for your agreement or your
response, your overdue action steps and your sessions in the next 7 days, each judged by the access
policy (a coach whose assignment has ended is not asked to act), in a fixed number of queries
however many records there are."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import CharField, F, IntegerField, Q, TextField, TimeField, Value
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from coaching.models import (
    ActionStep,
    AgreementStatus,
    DialogueLog,
    InitialDiagnosis,
    PlannedSession,
    action_step_kind_for,
    diagnosis_kind_for,
    log_kind_for,
)
from programme import access
from programme.access import Action, RecordKind, Relation

UPCOMING_DAYS = 7


@dataclass(frozen=True)
class Need:
    """One thing to do: what it is, about whom, its date, and where to do it."""

    what: str
    who: str
    on: datetime.date | None  # None: nothing worth dating (a phase waiting to be confirmed)
    url: str
    at: datetime.time | None = None


@dataclass
class NeedsYou:
    waiting: list[Need] = field(default_factory=list)  # records waiting for your agreement or response
    overdue: list[Need] = field(default_factory=list)  # your action steps past their due date
    sessions: list[Need] = field(default_factory=list)  # your sessions in the next 7 days
    # What another part of the portal asks of this person (the examiner's samples), each list under
    # its heading: added by the home that shows it.
    more: list[tuple[str, list[Need]]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.waiting or self.overdue or self.sessions or any(needs for _, needs in self.more))


def needs_you(user, *, today: datetime.date | None = None) -> NeedsYou:
    """What this person should act on now, as participant or coach. Others are never asked to act
    on a coaching record, so for them this reads nothing. Two queries: the candidate records of all
    four kinds in one (`_candidates`), and the person's periods for the policy to judge them by."""
    today = today or timezone.localdate()
    found = NeedsYou()
    is_participant, is_coach = access.holds(user, Relation.PARTICIPANT), access.holds(user, Relation.COACH)
    if not (is_participant or is_coach):
        return found
    candidates = _candidates(user, today, is_participant=is_participant, is_coach=is_coach)
    by_source: dict[str, list[tuple[_Candidate, frozenset[Action]]]] = {source: [] for source in _SOURCES}
    sessions = [c for c in candidates if c.source == "session"]
    for candidate, actions in access.judge(user, [c for c in candidates if c.source != "session"]):
        by_source[candidate.source].append((candidate, actions))
    by_source["session"] = access.readable(user, sessions)
    found.waiting = _waiting(by_source["log"], by_source["diagnosis"])
    found.overdue = [
        Need(c.text, c.participant, c.shown_on, reverse("coaching:action_steps", args=[c.enrolment_id]))
        for c, actions in sorted(by_source["step"], key=lambda found: (found[0].shown_on, found[0].pk))
        if Action.CLOSE in actions
    ]
    found.sessions = [
        Need(
            "Coaching session",
            c.coach if c.participant_id == user.pk else c.participant,
            c.shown_on,
            reverse("coaching:timeline", args=[c.enrolment_id]),
            at=c.at,
        )
        for c, _ in sorted(by_source["session"], key=_session_order)
    ]
    return found


_SOURCES = ("log", "diagnosis", "step", "session")


@dataclass(frozen=True)
class _Candidate:
    """One row of `_candidates`: a dialogue log or initial diagnosis waiting for someone, an open
    action step past its due date, or a planned session. It tells the policy what its record would
    (`Protected`: kind, participant, date, owner), so `access.judge` decides as for the model."""

    source: str
    pk: int
    enrolment_id: int
    on: datetime.date  # the date the policy reads: the log's session (a step's or planned session's log)
    status: str  # the log's or diagnosis's agreement status (a step's or planned session's log)
    shown_on: datetime.date  # the date shown: the session, the diagnosis, the step's due date, the planned day
    at: datetime.time | None
    text: str  # a change asked for (log, diagnosis), the step's description
    owner_id: int | None  # an action step's owner
    coach: str
    participant: str
    participant_id: int

    @property
    def access_kind(self) -> RecordKind:
        if self.source == "diagnosis":
            return diagnosis_kind_for(self.status)
        if self.source == "step":
            return action_step_kind_for(self.status)
        return log_kind_for(self.status)  # a log, or a planned session judged as its log

    @property
    def access_enrolment_id(self) -> int:
        return self.enrolment_id

    @property
    def access_date(self) -> datetime.date:
        return self.on

    @property
    def access_owner_id(self) -> int | None:
        return self.owner_id


def _candidates(user, today: datetime.date, *, is_participant: bool, is_coach: bool) -> list[_Candidate]:
    """The records that may need this person, of all four kinds, as plain values in one query (a
    UNION ALL): what each kind's own query asked, before the policy judges them."""
    conditions = []
    if is_participant:
        conditions.append(Q(enrolment__participant=user, status=AgreementStatus.AWAITING_PARTICIPANT))
    if is_coach:
        # A coach acts on a draft the participant sent back with a change asked for, or one not yet sent.
        conditions.append(Q(coach=user, status=AgreementStatus.DRAFT))
    either = reduce(or_, conditions)
    logs = _columns(
        DialogueLog.objects.filter(either),
        "log",
        enrolment="enrolment",
        on="session_on",
        status="status",
        shown_on="session_on",
        text="change_request",
        coach="coach",
        participant="enrolment__participant",
    )
    diagnoses = _columns(
        InitialDiagnosis.objects.filter(either),
        "diagnosis",
        enrolment="enrolment",
        on="held_on",
        status="status",
        shown_on="held_on",
        text="change_request",
        coach="coach",
        participant="enrolment__participant",
    )
    # Steps this person owns, agreed in a session, still open after their due date.
    steps = _columns(
        ActionStep.objects.filter(
            owner=user, status=ActionStep.Status.OPEN, due_on__lt=today, log__status=AgreementStatus.AGREED
        ),
        "step",
        enrolment="enrolment",
        on="log__session_on",
        status="log__status",
        shown_on="due_on",
        text="description",
        owner="owner",
        coach="log__coach",
        participant="enrolment__participant",
    )
    # Planned sessions from today to a week ahead, with the participant or the coach.
    sessions = _columns(
        PlannedSession.objects.filter(
            Q(log__enrolment__participant=user) | Q(log__coach=user),
            cancelled=False,
            starts_on__gte=today,
            starts_on__lte=today + datetime.timedelta(days=UPCOMING_DAYS),
        ),
        "session",
        enrolment="log__enrolment",
        on="log__session_on",
        status="log__status",
        shown_on="starts_on",
        at="starts_at",
        coach="log__coach",
        participant="log__enrolment__participant",
    )
    found = []
    for row in logs.union(diagnoses, steps, sessions, all=True):
        source, pk, enrolment_id, on, status, shown_on, at, text, owner_id = row[:9]
        coach, participant = User.name_of(*row[9:12]), User.name_of(*row[12:15])
        found.append(
            _Candidate(
                source, pk, enrolment_id, on, status, shown_on, at, text or "", owner_id, coach, participant, row[15]
            )
        )
    return found


def _columns(
    records,
    source: str,
    *,
    enrolment: str,
    on: str,
    status: str,
    shown_on: str,
    coach: str,
    participant: str,
    text: str | None = None,
    at: str | None = None,
    owner: str | None = None,
):
    """One part of `_candidates`' UNION: every column an annotation named alike, in one order."""
    return (
        records.annotate(
            c_source=Value(source, output_field=CharField()),
            c_pk=F("pk"),
            c_enrolment=F(f"{enrolment}_id"),
            c_on=F(on),
            c_status=F(status),
            c_shown_on=F(shown_on),
            c_at=F(at) if at else Cast(Value(None), TimeField()),
            c_text=F(text) if text else Value("", output_field=TextField()),
            c_owner=F(f"{owner}_id") if owner else Cast(Value(None), IntegerField()),
            c_coach_first=F(f"{coach}__first_name"),
            c_coach_last=F(f"{coach}__last_name"),
            c_coach_email=F(f"{coach}__email"),
            c_first=F(f"{participant}__first_name"),
            c_last=F(f"{participant}__last_name"),
            c_email=F(f"{participant}__email"),
            c_participant=F(f"{participant}_id"),
        )
        .values_list(
            "c_source",
            "c_pk",
            "c_enrolment",
            "c_on",
            "c_status",
            "c_shown_on",
            "c_at",
            "c_text",
            "c_owner",
            "c_coach_first",
            "c_coach_last",
            "c_coach_email",
            "c_first",
            "c_last",
            "c_email",
            "c_participant",
        )
        .order_by()  # no ordering inside a part of a UNION (SQLite refuses one)
    )


def _session_order(found: tuple[_Candidate, frozenset]) -> tuple:
    c = found[0]
    return (c.shown_on, c.at is None, c.at or datetime.time.min, c.pk)  # a session without a time last


def _waiting(logs, diagnoses) -> list[Need]:
    """Logs and diagnoses waiting for the participant's agreement, or for the coach to finish or
    change them, by date (a log before a diagnosis of the same day)."""
    needs = []
    for log, actions in sorted(logs, key=lambda found: (found[0].shown_on, found[0].pk)):
        if log.status == AgreementStatus.AWAITING_PARTICIPANT and Action.AGREE in actions:
            needs.append(Need("Agree the record of a session", log.coach, log.on, _log_respond(log.pk)))
        elif log.status == AgreementStatus.DRAFT and Action.CHANGE in actions:
            what = "Change a session record as asked" if log.text else "Finish and send a session record"
            needs.append(Need(what, log.participant, log.on, _log_edit(log.pk)))
    for diagnosis, actions in sorted(diagnoses, key=lambda found: (found[0].shown_on, found[0].pk)):
        url = reverse("coaching:diagnosis", args=[diagnosis.enrolment_id])
        if diagnosis.status == AgreementStatus.AWAITING_PARTICIPANT and Action.AGREE in actions:
            url = reverse("coaching:diagnosis_respond", args=[diagnosis.enrolment_id])
            needs.append(Need("Agree your initial diagnosis", diagnosis.coach, diagnosis.on, url))
        elif diagnosis.status == AgreementStatus.DRAFT and Action.CHANGE in actions:
            what = "Change an initial diagnosis as asked"
            if not diagnosis.text:
                what = "Finish and send an initial diagnosis"
            needs.append(Need(what, diagnosis.participant, diagnosis.on, url))
    return sorted(needs, key=lambda n: n.on)


def _log_respond(pk: int) -> str:
    return reverse("coaching:log_respond", args=[pk])


def _log_edit(pk: int) -> str:
    return reverse("coaching:log_edit", args=[pk])
