"""Coaching histories for the provider-sized demo (`manage.py seed_scale`): for every participant of
the demo cohort who has none yet, an agreed session every three to six weeks from their start until
now, each with its agreed version, one or two content areas and one or two action steps.

Loaded in bulk (programme.demo_scale.bulk_load), not through the services (which write one log at a
time with its notices and audit events); the stored release-time totals are then recounted from the
logs, as after any bulk load. Some participants are left behind on purpose, so the dashboards have
someone to flag: about one in ten has had no session for two to four months, and the last
session's action steps are open, so once their due date passes they are overdue.

Everything is derived from each enrolment's id, so the same database always gets the same history.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from coaching.models import (
    ActionStep,
    AgreementStatus,
    DialogueLog,
    DialogueLogVersion,
    SessionKind,
    SessionRecord,
    SessionSetting,
)
from coaching.services import release_time_recount
from programme.demo_scale import bulk_load, checks_set_aside, copy_rows
from programme.models import CoachAssignment, ContentArea, Enrolment

_DAY = datetime.timedelta(days=1)
KINDS = [
    SessionKind.COACHING_CONVERSATION,
    SessionKind.LESSON_OBSERVATION,
    SessionKind.JOINT_PLANNING,
    SessionKind.COACHING_CONVERSATION,
    SessionKind.THREE_WAY_REVIEW,
]
FOCI = [
    "Questioning that makes every pupil think",
    "Feedback pupils act on",
    "Planning a sequence for a mixed-attainment class",
    "Behaviour routines at the start of lessons",
    "Reading across the curriculum",
    "Supporting pupils with special educational needs in the main lesson",
]
DISCUSSED = "<p>We looked at the lesson together and agreed what to try next.</p>"
STEPS = [
    "Try the new routine with one class for two weeks and note what changes",
    "Observe a colleague's lesson with this focus and bring one idea back",
    "Collect three pieces of pupils' work that show the change",
    "Read the chapter we discussed and pick one strategy to try",
]


@dataclass
class _Session:
    log: dict  # a DialogueLog's fields, for demo_scale.bulk_load
    participant_id: int
    areas: list[int]
    steps: list[dict]  # ActionSteps' fields


def _coach_on(periods: list[CoachAssignment], day: datetime.date) -> int | None:
    for period in periods:
        if period.covers(day):
            return period.coach_id
    return None


def _history(enrolment: Enrolment, periods: list[CoachAssignment], areas: list[int], today: datetime.date):
    rng = random.Random(enrolment.pk)
    behind = rng.random() < 0.1
    stop = today - (rng.randint(60, 120) if behind else rng.randint(0, 14)) * _DAY
    day = enrolment.programme_started_on + rng.randint(7, 21) * _DAY
    sessions: list[_Session] = []
    while day <= stop:
        coach_id = _coach_on(periods, day)
        if coach_id is not None:
            agreed_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(16, 30)))
            log = {
                "enrolment_id": enrolment.pk,
                "coach_id": coach_id,
                "session_on": day,
                "duration_minutes": rng.choice([45, 60, 60, 90]),
                "kind": KINDS[len(sessions) % len(KINDS)],
                "setting": SessionSetting.OWN_SCHOOL,
                "focus": rng.choice(FOCI),
                "discussed": DISCUSSED,
                "strengths": "<p>Clear routines; pupils knew what to do.</p>",
                "status": AgreementStatus.AGREED,
                "coach_agreed_at": agreed_at,
                "participant_agreed_at": agreed_at + _DAY,
                "agreed_version": 1,
                "updated_at": agreed_at,
                "updated_by_id": coach_id,
            }
            steps = [
                {
                    "enrolment_id": enrolment.pk,
                    "owner_id": enrolment.participant_id,
                    "description": rng.choice(STEPS),
                    "due_on": day + rng.randint(14, 35) * _DAY,
                }
                for _ in range(rng.randint(1, 2))
            ]
            sessions.append(
                _Session(
                    log=log,
                    participant_id=enrolment.participant_id,
                    areas=rng.sample(areas, rng.randint(1, 2)),
                    steps=steps,
                )
            )
        day += rng.randint(21, 42) * _DAY
    # Steps are done by the next session, except the latest session's, which are still open: due
    # from a few days ago to four weeks ahead for most, so some, not most, are overdue (a participant
    # who fell behind keeps the dates they were set, long past).
    if sessions and not behind:
        for step in sessions[-1].steps:
            step["due_on"] = max(sessions[-1].log["session_on"] + 7 * _DAY, today + rng.randint(-3, 28) * _DAY)
    for session in sessions[:-1]:
        for step in session.steps:
            step["status"] = ActionStep.Status.DONE
            step["closed_at"] = timezone.make_aware(datetime.datetime.combine(step["due_on"], datetime.time(17)))
            step["closed_by_id"] = enrolment.participant_id
    return sessions


def _version(log_id: int, session: _Session, labels: dict[int, str]) -> dict:
    """The agreed version of a session's log, as the services record it on agreement (a field the
    log leaves to its default, the version's default matches: both are SessionRecord's)."""
    return {
        "log_id": log_id,
        "number": 1,
        **{name: session.log[name] for name in SessionRecord.FIELDS if name in session.log},
        "tags": {
            "content_areas": [{"id": a, "label": labels[a]} for a in session.areas],
            "topics": [],
            "standards": [],
        },
        "action_steps": [
            {
                "description": step["description"],
                "owner": "",
                "due_on": step["due_on"].isoformat(),
                "success_criteria": "",
            }
            for step in session.steps
        ],
        "created_by_id": session.participant_id,
        "created_at": session.log["participant_agreed_at"],
        "reason": "Agreed by the coach and the participant.",
    }


def seed_scale_coaching(*, cohort_id: int, today: datetime.date) -> int:
    """Histories for the cohort's participants who have no dialogue log yet. Returns the logs made."""
    enrolments = list(
        Enrolment.objects.filter(cohort_id=cohort_id)
        .exclude(dialogue_logs__isnull=False)
        .only("pk", "participant_id", "programme_started_on")
        .order_by("pk")
    )
    periods: dict[int, list[CoachAssignment]] = defaultdict(list)
    for period in CoachAssignment.objects.filter(enrolment__in=[e.pk for e in enrolments]).only(
        "enrolment_id", "coach_id", "starts_on", "ends_on"
    ):
        periods[period.enrolment_id].append(period)
    areas = list(ContentArea.objects.order_by("number").values_list("pk", flat=True))
    sessions = [s for e in enrolments for s in _history(e, periods[e.pk], areas, today)]
    labels = dict(ContentArea.objects.values_list("pk", "name"))

    Through = DialogueLog.content_areas.through
    with checks_set_aside(DialogueLog, Through, ActionStep, DialogueLogVersion):
        ids = bulk_load(DialogueLog, [s.log for s in sessions])
        pairs = list(zip(ids, sessions, strict=True))
        copy_rows(Through, ["dialoguelog_id", "contentarea_id"], ((pk, area) for pk, s in pairs for area in s.areas))
        bulk_load(ActionStep, [{**step, "log_id": pk} for pk, s in pairs for step in s.steps], with_ids=False)
        bulk_load(DialogueLogVersion, [_version(pk, s, labels) for pk, s in pairs], with_ids=False)
    release_time_recount()
    return len(ids)
