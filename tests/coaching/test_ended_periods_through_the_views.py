"""Issue 8.1 through the pages: once a coach's assignment (or a tutor's, or a head's headship) has
ended, every form that changes a record of their old period is refused with a 403 and nothing
changes, though they still read what the policy lets them. While the period ran, each was theirs."""

import datetime

import pytest
from django.urls import reverse

from coaching.models import AgreementStatus, InitialDiagnosis, LearningOpportunity, LearningPlan
from programme import services as programme_services
from tests.coaching.factories import SESSION_DAY, DialogueLogFactory, action_step, agreed_log
from tests.coaching.test_services_ask_the_policy import _snapshot

pytestmark = pytest.mark.django_db

ENDED_ON = datetime.date(2025, 12, 31)  # long before today; SESSION_DAY is inside every period


def _diagnosis(w, status):
    found = InitialDiagnosis.objects.create(
        enrolment=w.enrolment, coach=w.coach, held_on=SESSION_DAY, summary="Needs", status=status
    )
    LearningPlan.objects.create(enrolment=w.enrolment, diagnosis=found)
    return found


def _opportunity(w):
    return LearningOpportunity.objects.create(
        enrolment=w.enrolment, arranged_by=w.coach, kind="observing", description="Observe", happens_on=SESSION_DAY
    )


def _draft(w):
    return DialogueLogFactory(enrolment=w.enrolment, coach=w.coach)


# Each write form of a coaching record: what it changes, set up in the coach's period, and what is posted.
WRITES = {
    "edit a draft log": lambda w: (reverse("coaching:log_edit", args=[_draft(w).pk]), {}),
    "send a draft log": lambda w: (
        reverse("coaching:log_send", args=[(log := _draft(w)).pk]),
        {"version": log.version},
    ),
    "new version of an agreed log": lambda w: (
        reverse("coaching:log_new_version", args=[agreed_log(enrolment=w.enrolment, coach=w.coach).pk]),
        {},
    ),
    "add an action step": lambda w: (reverse("coaching:action_step_create", args=[_draft(w).pk]), {}),
    "close an action step": lambda w: (
        reverse("coaching:action_step_close", args=[action_step(agreed_log(enrolment=w.enrolment, coach=w.coach)).pk]),
        {"status": "done"},
    ),
    "write a private note": lambda w: (
        reverse("coaching:private_note", args=[agreed_log(enrolment=w.enrolment, coach=w.coach).pk]),
        {"text": "Check workload"},
    ),
    "edit the draft diagnosis": lambda w: (
        reverse("coaching:diagnosis_edit", args=[_diagnosis(w, AgreementStatus.DRAFT).enrolment_id]),
        {},
    ),
    "attach evidence to the diagnosis": lambda w: (
        reverse("coaching:diagnosis_evidence_add", args=[_diagnosis(w, AgreementStatus.DRAFT).enrolment_id]),
        {},
    ),
    "add a goal to the learning plan": lambda w: (
        reverse("coaching:goal_add", args=[_diagnosis(w, AgreementStatus.DRAFT).enrolment_id]),
        {},
    ),
    "revisit the learning plan": lambda w: (
        reverse("coaching:plan_review", args=[_diagnosis(w, AgreementStatus.AGREED).enrolment_id]),
        {},
    ),
    "record what an opportunity taught": lambda w: (
        reverse("coaching:opportunity_learning", args=[_opportunity(w).pk]),
        {},
    ),
    # The page lists the opportunities of their time, so they see it; arranging a new one is refused.
    "arrange an opportunity": lambda w: (reverse("coaching:opportunities", args=[_opportunity(w).enrolment_id]), {}),
}


def _end_every_period(w):
    programme_services.assignment_end(assignment=w.enrolment.coach_assignments.get(), ends_on=ENDED_ON)
    programme_services.assignment_end(assignment=w.enrolment.tutor_assignments.get(), ends_on=ENDED_ON)
    programme_services.staff_membership_end(membership=w.head.staff_memberships.get(), ends_on=ENDED_ON)


@pytest.mark.parametrize("write", list(WRITES))
def test_while_in_post_the_coach_may_use_each_form(client, world, write):
    url, data = WRITES[write](world)
    client.force_login(world.coach)
    assert client.post(url, data).status_code in (200, 302)


@pytest.mark.parametrize("write", list(WRITES))
def test_after_the_assignment_ends_the_coach_is_refused_every_write_and_nothing_changes(client, world, write):
    url, data = WRITES[write](world)
    _end_every_period(world)
    before = _snapshot()
    client.force_login(world.coach)
    assert client.post(url, data).status_code == 403
    assert _snapshot() == before


@pytest.mark.parametrize("who", ["tutor", "head"])
@pytest.mark.parametrize("write", list(WRITES))
def test_after_their_period_ends_a_tutor_or_head_changes_nothing_either(client, world, write, who):
    url, data = WRITES[write](world)
    _end_every_period(world)
    before = _snapshot()
    client.force_login(world.person(who))
    assert client.post(url, data).status_code in (403, 404)  # 404 where they may not even read it
    assert _snapshot() == before


def test_after_the_assignment_ends_the_coach_still_reads_the_logs_of_their_time(client, world):
    log = agreed_log(enrolment=world.enrolment, coach=world.coach, focus="Wait time after questions")
    _end_every_period(world)
    client.force_login(world.coach)
    page = client.get(reverse("coaching:log_detail", args=[log.pk])).content.decode()
    assert "Wait time after questions" in page
    assert reverse("coaching:log_new_version", args=[log.pk]) not in page


def test_a_former_coach_is_told_why_a_write_is_refused_and_when_their_time_ended(client, world):
    url, data = WRITES["new version of an agreed log"](world)
    _end_every_period(world)
    client.force_login(world.coach)
    page = client.post(url, data).content.decode()
    assert "ended on 31 December 2025" in page
    assert "You can still read the records of that time" in page


def test_a_coach_adding_an_action_step_to_an_agreed_log_is_told_to_make_a_new_version(client, world):
    log = agreed_log(enrolment=world.enrolment, coach=world.coach)
    client.force_login(world.coach)
    response = client.post(reverse("coaching:action_step_create", args=[log.pk]), {})
    assert response.status_code == 403
    assert "Make a new version instead" in response.content.decode()
