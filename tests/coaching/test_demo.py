"""The demo's coaching: every demo participant at the demo school has a believable history, made
through the coaching services, in words that are never repeated."""

from collections import Counter

import pytest
from django.utils import timezone

from accounts.models import User
from coaching.demo import DEMO_SCHOOL_URN, demo_school_enrolments
from coaching.models import (
    ActionStep,
    AgreementStatus,
    DialogueLog,
    DialogueLogVersion,
    InitialDiagnosis,
    LearningOpportunity,
    LearningPlanReview,
    PlannedSession,
)
from programme import demo
from programme.models import CoachAssignment
from tests.seeded_once import seed_demo, shared_by_the_module

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    # Seeded once for the module's tests, each of which runs in a savepoint rolled back after it.
    with shared_by_the_module(django_db_blocker):
        seed_demo()
        yield demo_school_enrolments(timezone.localdate())


def test_every_demo_participant_at_the_demo_school_has_a_diagnosis_sessions_and_opportunities(seeded):
    assert len(seeded) >= 10
    assert {e.school_placements.covering(timezone.localdate()).get().school.urn for e in seeded} == {DEMO_SCHOOL_URN}
    for enrolment in seeded:
        assert InitialDiagnosis.objects.filter(enrolment=enrolment).exists(), enrolment
        assert enrolment.learning_plan.goals.exists()
        assert DialogueLog.objects.filter(enrolment=enrolment).count() >= 2, enrolment
        assert ActionStep.objects.filter(enrolment=enrolment).exists()
    assert LearningOpportunity.objects.filter(enrolment__in=seeded, log__isnull=False).exists()
    assert LearningOpportunity.objects.filter(enrolment__in=seeded, happens_on__gt=timezone.localdate()).exists()


def test_every_coachee_of_the_demo_coach_has_coaching_activity(seeded):
    coach = User.objects.get(email=demo.demo_email("coach"))
    coachees = CoachAssignment.objects.covering(timezone.localdate()).filter(coach=coach).values("enrolment")
    assert coachees.count() >= 5
    assert not coachees.exclude(enrolment__dialogue_logs__isnull=False).exists()


def test_the_demo_participant_has_an_agreed_diagnosis_a_phase_review_and_a_record_waiting(seeded):
    priya = seeded[0]
    assert priya.participant.email == demo.demo_email("participant")
    assert priya.current_phase.number == 2
    assert priya.initial_diagnosis.status == AgreementStatus.AGREED
    assert LearningPlanReview.objects.filter(plan__enrolment=priya, phase__number=2).exists()
    statuses = Counter(DialogueLog.objects.filter(enrolment=priya).values_list("status", flat=True))
    assert statuses[AgreementStatus.AGREED] >= 2
    assert statuses[AgreementStatus.AWAITING_PARTICIPANT] == 1
    assert PlannedSession.objects.filter(
        log__enrolment=priya, cancelled=False, starts_on__gt=timezone.localdate()
    ).exists()


def test_sessions_and_action_steps_are_in_every_state(seeded):
    logs = DialogueLog.objects.filter(enrolment__in=seeded)
    assert set(logs.values_list("status", flat=True)) == set(AgreementStatus.values)
    assert logs.filter(status=AgreementStatus.DRAFT).exclude(change_request="").exists()
    assert all(log.versions.exists() for log in logs.filter(status=AgreementStatus.AGREED))
    steps = ActionStep.objects.filter(enrolment__in=seeded).select_related("enrolment")
    assert set(steps.values_list("status", flat=True)) == set(ActionStep.Status.values)
    assert any(s.is_overdue() for s in steps)
    assert {s.owner_id == s.enrolment.participant_id for s in steps} == {True, False}
    closers = steps.filter(status=ActionStep.Status.DONE).values_list("closed_by", flat=True).distinct()
    assert len(set(closers)) > 1  # participants close some of their own steps


def test_no_text_is_repeated_anywhere_in_the_demo_coaching(seeded):
    logs = DialogueLog.objects.filter(enrolment__in=seeded)
    texts = [
        *logs.values_list("focus", flat=True),
        *logs.values_list("discussed", flat=True),
        *logs.values_list("strengths", flat=True),
        *logs.values_list("pupil_outcomes", flat=True),
        *logs.exclude(participant_reflection="").values_list("participant_reflection", flat=True),
        *ActionStep.objects.filter(enrolment__in=seeded).values_list("description", flat=True),
        *ActionStep.objects.filter(enrolment__in=seeded)
        .exclude(closing_note="")
        .values_list("closing_note", flat=True),
        *InitialDiagnosis.objects.filter(enrolment__in=seeded).values_list("summary", flat=True),
        *LearningOpportunity.objects.filter(enrolment__in=seeded).values_list("description", flat=True),
    ]
    repeated = [text for text, n in Counter(texts).items() if n > 1]
    assert repeated == []


def test_agreed_logs_carry_their_first_version_and_a_second_run_adds_nothing(seeded):
    before = (DialogueLog.objects.count(), DialogueLogVersion.objects.count(), ActionStep.objects.count())
    seed_demo()
    assert (DialogueLog.objects.count(), DialogueLogVersion.objects.count(), ActionStep.objects.count()) == before
