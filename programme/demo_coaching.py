"""Coaching records for the demo participant, made through the coaching services as a coach and
participant would, so a newcomer signing in sees a real timeline. Written text is original."""

import datetime

from django.test.utils import override_settings

from accounts.models import User
from programme.models import ContentArea, Enrolment, Standard

_SESSIONS = [
    # days ago, minutes, kind, content areas, standards, focus, discussed, strengths, pupils, agreed?
    (
        56,
        45,
        "coaching_conversation",
        [1],
        ["TS2", "TS6"],
        "Starting an enquiry: which pupils are not yet making the progress we expect?",
        "We looked at the autumn assessment data for Year 8 and picked out a group of six pupils whose "
        "written answers stall after the first step of a problem.",
        "Clear sense of which pupils to watch; good use of the class tracker.",
        "The six pupils answer oral questions well, so the gap seems to be in writing down reasoning.",
        True,
    ),
    (
        28,
        60,
        "lesson_observation",
        [1, 3],
        ["TS4", "TS5"],
        "Observation: modelling written reasoning with a visualiser",
        "I observed a lesson where worked examples were built live, then pupils wrote their own with sentence "
        "starters. We discussed when to take the scaffold away.",
        "Calm routines; pupils used the sentence starters without prompting.",
        "Four of the six pupils wrote a complete two-step explanation for the first time.",
        True,
    ),
    (
        6,
        40,
        "joint_planning",
        [1, 2],
        ["TS3", "TS4"],
        "Planning the next cycle of the enquiry",
        "We planned a sequence of three lessons that fade the sentence starters, and how to collect the "
        "pupils' written work as evidence.",
        "The plan ties each lesson to the enquiry question.",
        "To be seen: whether the pupils keep writing full explanations without the starters.",
        False,
    ),
]


def seed_demo_coaching(*, enrolment: Enrolment, coach: User, today: datetime.date) -> None:
    """Three sessions: two agreed with action steps, one waiting for the participant. Once only."""
    from coaching import services
    from coaching.models import DialogueLog

    if DialogueLog.objects.filter(enrolment=enrolment).exists():
        return
    participant = enrolment.participant
    areas = dict(ContentArea.objects.values_list("number", "pk"))
    standards = dict(Standard.objects.values_list("code", "pk"))
    # Invitations for planned sessions go by email; keep them out of the seed's console output.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for days_ago, minutes, kind, area_numbers, codes, focus, discussed, strengths, pupils, agreed in _SESSIONS:
            session_on = today - datetime.timedelta(days=days_ago)
            if session_on < enrolment.programme_started_on:
                continue
            content = services.LogContent(
                session_on=session_on,
                duration_minutes=minutes,
                kind=kind,
                setting="own_school",
                focus=focus,
                discussed=discussed,
                strengths=strengths,
                pupil_outcomes=pupils,
                evidence_considered="Class tracker; pupils' exercise books.",
                next_session_on=today + datetime.timedelta(days=8) if not agreed else None,
                content_area_ids=tuple(areas[n] for n in area_numbers),
                standard_ids=tuple(standards[c] for c in codes),
            )
            log = services.log_draft_create(
                enrolment=enrolment, coach=coach, content=content, send_for_agreement=True, today=today
            )
            services.action_step_create(
                log=log,
                by=coach,
                owner=participant,
                description="Collect the six pupils' written explanations from the next three lessons.",
                due_on=session_on + datetime.timedelta(days=21),
                success_criteria="Work from all six pupils, dated, ready for the next session.",
            )
            if agreed:
                log.refresh_from_db()
                services.log_agree(
                    log=log,
                    by=participant,
                    version=log.version,
                    reflection="Seeing the written work side by side showed me where my explanations skip a step.",
                )
