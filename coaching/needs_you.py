"""What needs you: the top of each role's home. Records waiting for your agreement or your
response, your overdue action steps and your sessions in the next 7 days, each judged by the access
policy (a coach whose assignment has ended is not asked to act), in a fixed number of queries
however many records there are."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from coaching.models import ActionStep, AgreementStatus, DialogueLog, InitialDiagnosis, PlannedSession
from programme import access
from programme.access import Action, Relation

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
    on a coaching record, so for them this reads nothing."""
    today = today or timezone.localdate()
    found = NeedsYou()
    is_participant, is_coach = access.holds(user, Relation.PARTICIPANT), access.holds(user, Relation.COACH)
    if not (is_participant or is_coach):
        return found
    found.waiting = _waiting(user, is_participant=is_participant, is_coach=is_coach)
    found.overdue = _overdue(user, today)
    found.sessions = _sessions(user, today)
    return found


def _waiting(user, *, is_participant: bool, is_coach: bool) -> list[Need]:
    conditions = []
    if is_participant:
        conditions.append(Q(enrolment__participant=user, status=AgreementStatus.AWAITING_PARTICIPANT))
    if is_coach:
        # A coach acts on a draft the participant sent back with a change asked for, or one not yet sent.
        conditions.append(Q(coach=user, status=AgreementStatus.DRAFT))
    either = reduce(or_, conditions)
    logs = DialogueLog.objects.filter(either).select_related("enrolment__participant", "coach")
    diagnoses = InitialDiagnosis.objects.filter(either).select_related("enrolment__participant", "coach")
    needs = []
    for log, actions in access.judge(user, logs.order_by("session_on", "pk")):
        if log.status == AgreementStatus.AWAITING_PARTICIPANT and Action.AGREE in actions:
            needs.append(Need("Agree the record of a session", str(log.coach), log.session_on, _log_respond(log)))
        elif log.status == AgreementStatus.DRAFT and Action.CHANGE in actions:
            what = "Change a session record as asked" if log.change_request else "Finish and send a session record"
            needs.append(Need(what, str(log.enrolment.participant), log.session_on, _log_edit(log)))
    for diagnosis, actions in access.judge(user, diagnoses.order_by("held_on", "pk")):
        url = reverse("coaching:diagnosis", args=[diagnosis.enrolment_id])
        if diagnosis.status == AgreementStatus.AWAITING_PARTICIPANT and Action.AGREE in actions:
            url = reverse("coaching:diagnosis_respond", args=[diagnosis.enrolment_id])
            needs.append(Need("Agree your initial diagnosis", str(diagnosis.coach), diagnosis.held_on, url))
        elif diagnosis.status == AgreementStatus.DRAFT and Action.CHANGE in actions:
            what = "Change an initial diagnosis as asked"
            if not diagnosis.change_request:
                what = "Finish and send an initial diagnosis"
            needs.append(Need(what, str(diagnosis.enrolment.participant), diagnosis.held_on, url))
    return sorted(needs, key=lambda n: n.on)


def _log_respond(log: DialogueLog) -> str:
    return reverse("coaching:log_respond", args=[log.pk])


def _log_edit(log: DialogueLog) -> str:
    return reverse("coaching:log_edit", args=[log.pk])


def _overdue(user, today: datetime.date) -> list[Need]:
    """Steps this person owns, agreed in a session, still open after their due date."""
    steps = (
        ActionStep.objects.filter(
            owner=user, status=ActionStep.Status.OPEN, due_on__lt=today, log__status=AgreementStatus.AGREED
        )
        .select_related("log", "enrolment__participant")
        .order_by("due_on", "pk")
    )
    return [
        Need(
            step.description,
            str(step.enrolment.participant),
            step.due_on,
            reverse("coaching:action_steps", args=[step.enrolment_id]),
        )
        for step, actions in access.judge(user, steps)
        if Action.CLOSE in actions
    ]


def _sessions(user, today: datetime.date) -> list[Need]:
    """Planned sessions from today to a week ahead, with the participant or the coach."""
    planned = (
        PlannedSession.objects.filter(
            Q(log__enrolment__participant=user) | Q(log__coach=user),
            cancelled=False,
            starts_on__gte=today,
            starts_on__lte=today + datetime.timedelta(days=UPCOMING_DAYS),
        )
        .select_related("log__enrolment__participant", "log__coach")
        .order_by("starts_on", "starts_at", "pk")
    )
    planned = list(planned)
    readable = {log.pk for log, _ in access.readable(user, [p.log for p in planned])}
    return [
        Need(
            "Coaching session",
            str(p.log.coach if p.log.enrolment.participant_id == user.pk else p.log.enrolment.participant),
            p.starts_on,
            reverse("coaching:timeline", args=[p.log.enrolment_id]),
            at=p.starts_at,
        )
        for p in planned
        if p.log_id in readable
    ]
