"""Journey 2 starts here: the coach and participant hold an initial diagnosis, which produces a
learning plan by content area, revisited at the start of each phase."""

import datetime

import pytest
from django.urls import reverse

from coaching.models import AgreementStatus, InitialDiagnosis, LearningGoal, LearningPlanReview
from programme.models import ContentArea, Phase, Standard

pytestmark = pytest.mark.django_db

HELD_ON = datetime.date(2025, 5, 6)


def _diagnosis_data(world, **overrides) -> dict:
    area_1, area_3 = ContentArea.objects.get(number=1), ContentArea.objects.get(number=3)
    data = {
        "version": "",
        "held_on": HELD_ON.isoformat(),
        "induction_outcomes": "Secure planning; assessment for learning still new.",
        "performance_management_outcomes": "Objective: raise Year 9 attainment in reading.",
        "summary": "Start with questioning and behaviour for learning.",
        f"need_{area_1.pk}": "Use hinge questions to check understanding.",
        f"standards_{area_1.pk}": [str(Standard.objects.get(code="TS6").pk)],
        f"need_{area_3.pk}": "Routines for a calm start to lessons.",
    }
    data.update(overrides)
    return data


def test_diagnosis_is_agreed_and_produces_a_learning_plan_revisited_each_phase(client, world):
    url = reverse("coaching:diagnosis", args=[world.enrolment.pk])
    client.force_login(world.coach)
    assert b"Record the initial diagnosis" in client.get(url).content
    response = client.post(reverse("coaching:diagnosis_edit", args=[world.enrolment.pk]), _diagnosis_data(world))
    assert response.status_code == 302
    diagnosis = InitialDiagnosis.objects.get()
    assert diagnosis.needs.count() == 2
    assert [s.code for s in diagnosis.needs.get(content_area__number=1).standards.all()] == ["TS6"]

    area_1 = ContentArea.objects.get(number=1)
    client.post(
        reverse("coaching:goal_add", args=[world.enrolment.pk]),
        {"content_area": area_1.pk, "goal": "Plan hinge questions for every lesson", "target_on": "2025-12-19"},
    )
    assert LearningGoal.objects.count() == 1

    diagnosis.refresh_from_db()
    client.post(
        reverse("coaching:diagnosis_edit", args=[world.enrolment.pk]),
        {**_diagnosis_data(world, version=str(diagnosis.version)), "send": "1"},
    )
    diagnosis.refresh_from_db()
    assert diagnosis.status == AgreementStatus.AWAITING_PARTICIPANT

    client.force_login(world.participant)
    page = client.get(reverse("coaching:diagnosis_respond", args=[world.enrolment.pk]))
    assert b"Plan hinge questions for every lesson" in page.content
    client.post(
        reverse("coaching:diagnosis_respond", args=[world.enrolment.pk]),
        {"version": diagnosis.version, "decision": "agree"},
    )
    diagnosis.refresh_from_db()
    assert diagnosis.status == AgreementStatus.AGREED
    assert diagnosis.participant_agreed_at is not None

    # The tutor reads the agreed diagnosis and plan.
    client.force_login(world.tutor)
    assert b"Plan hinge questions" in client.get(url).content

    # At the start of phase 2 the coach revisits the plan.
    client.force_login(world.coach)
    goal = LearningGoal.objects.get()
    response = client.post(
        reverse("coaching:plan_review", args=[world.enrolment.pk]),
        {
            "phase": Phase.objects.get(number=2).pk,
            "reviewed_on": "2026-09-07",
            "note": "Questioning is secure; next, subject knowledge.",
            f"goal_{goal.pk}": "met",
            "new_content_area": ContentArea.objects.get(number=2).pk,
            "new_goal": "Map misconceptions in the Year 10 scheme",
            "new_target_on": "2027-03-31",
        },
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.status == "met"
    review = LearningPlanReview.objects.get()
    assert review.reviewed_by == world.coach
    assert review.goals_added.get().goal == "Map misconceptions in the Year 10 scheme"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"held_on": "2030-01-01"}, "The date cannot be in the future."),
        ({"held_on": "2025-02-01"}, "No programme activity can happen before the summer term"),
    ],
)
def test_a_bad_diagnosis_date_is_refused_and_nothing_saved(client, world, overrides, message):
    client.force_login(world.coach)
    response = client.post(
        reverse("coaching:diagnosis_edit", args=[world.enrolment.pk]), _diagnosis_data(world, **overrides)
    )
    body = response.content.decode()
    assert message in body
    assert "Use hinge questions to check understanding." in body
    assert InitialDiagnosis.objects.count() == 0


def test_a_goal_before_the_diagnosis_is_refused(client, world):
    client.force_login(world.coach)
    client.post(reverse("coaching:diagnosis_edit", args=[world.enrolment.pk]), _diagnosis_data(world))
    response = client.post(
        reverse("coaching:goal_add", args=[world.enrolment.pk]),
        {"content_area": ContentArea.objects.get(number=1).pk, "goal": "Too early", "target_on": "2025-05-01"},
    )
    assert "The target date must be after the diagnosis" in response.content.decode()
    assert LearningGoal.objects.count() == 0


def test_a_goal_after_the_programme_ends_is_refused_naming_its_bounds(client, world):
    client.force_login(world.coach)
    client.post(reverse("coaching:diagnosis_edit", args=[world.enrolment.pk]), _diagnosis_data(world))
    response = client.post(
        reverse("coaching:goal_add", args=[world.enrolment.pk]),
        {"content_area": ContentArea.objects.get(number=1).pk, "goal": "Too late", "target_on": "2999-12-31"},
    )
    assert "from 15 April 2025 to 31 August 2029" in response.content.decode()
    assert LearningGoal.objects.count() == 0


def test_a_stale_diagnosis_save_is_refused(client, world):
    client.force_login(world.coach)
    client.post(reverse("coaching:diagnosis_edit", args=[world.enrolment.pk]), _diagnosis_data(world))
    diagnosis = InitialDiagnosis.objects.get()
    stale = diagnosis.version
    client.post(
        reverse("coaching:diagnosis_edit", args=[world.enrolment.pk]),
        _diagnosis_data(world, version=str(stale), summary="Saved first"),
    )
    response = client.post(
        reverse("coaching:diagnosis_edit", args=[world.enrolment.pk]),
        _diagnosis_data(world, version=str(stale), summary="Typed-second"),
    )
    body = response.content.decode()
    assert "Someone else saved this diagnosis since you opened it." in body
    assert "Typed-second" in body
    diagnosis.refresh_from_db()
    assert diagnosis.summary == "Saved first"


@pytest.mark.parametrize(
    ("who", "draft_status", "agreed_status"),
    [
        ("participant", 200, 200),
        ("coach", 200, 200),
        ("tutor", 404, 200),
        ("head", 404, 403),
        ("leader", 404, 403),
        ("examiner", 404, 404),
        ("stranger_coach", 404, 404),
        ("other_participant", 404, 404),
    ],
)
def test_who_sees_the_diagnosis(client, world, who, draft_status, agreed_status):
    client.force_login(world.coach)
    client.post(reverse("coaching:diagnosis_edit", args=[world.enrolment.pk]), _diagnosis_data(world))
    url = reverse("coaching:diagnosis", args=[world.enrolment.pk])
    client.force_login(world.person(who))
    assert client.get(url).status_code == draft_status
    InitialDiagnosis.objects.update(status=AgreementStatus.AGREED)
    response = client.get(url)
    assert response.status_code == agreed_status
    if agreed_status != 200:
        assert b"hinge questions" not in response.content
