"""An extension granted by the programme leader is the participant's due date on every page that
shows them one; another participant of the cohort keeps the task's date."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from assessment.services.extensions import extension_grant
from tests.assessment.submissions.helpers import days, submission_world
from tests.factories import UserFactory, enrol

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return submission_world()


def _shows(page: str, day) -> bool:
    return f'datetime="{day:%Y-%m-%d}"' in page and f"{day.day} {day:%B %Y}" in page


def test_the_participant_sees_their_extended_date_on_their_tasks_their_work_and_their_submission(client, world):
    leader = UserFactory(roles=[Role.PROGRAMME_LEADER])
    extension_grant(enrolment=world.enrolment, task=world.task, due_on=days(30), reason="Bereavement leave.", by=leader)
    client.force_login(world.participant)
    assert _shows(client.get(reverse("assessment:tasks")).content.decode(), days(30))
    assert _shows(client.get(reverse("assessment:build", args=[world.task.pk])).content.decode(), days(30))
    submission = world.submit()
    detail = client.get(reverse("assessment:submission_detail", args=[submission.pk])).content.decode()
    assert _shows(detail, days(30))
    assert not _shows(detail, world.task.due_on)


def test_another_participant_of_the_cohort_keeps_the_tasks_date(client, world):
    leader = UserFactory(roles=[Role.PROGRAMME_LEADER])
    extension_grant(enrolment=world.enrolment, task=world.task, due_on=days(30), reason="Illness.", by=leader)
    school = world.enrolment.school_placements.get().school
    other = enrol(school, cohort=world.enrolment.cohort, current_phase=world.enrolment.current_phase)
    client.force_login(other.participant)
    page = client.get(reverse("assessment:build", args=[world.task.pk])).content.decode()
    assert _shows(page, world.task.due_on)
    assert not _shows(page, days(30))
