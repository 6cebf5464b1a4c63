"""An extension is a new date after the task's due date, with a reason, for a participant in the
task's cohort; granting one again moves it; each grant is in the audit trail."""

import datetime

import pytest

from accounts.roles import Role
from assessment.models import Extension
from assessment.services.extensions import extension_grant
from audit.models import AuditEvent
from tests.assessment.factories import AssessmentTaskFactory
from tests.factories import EnrolmentFactory, UserFactory
from ui.errors import RuleError

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def task():
    return AssessmentTaskFactory()


@pytest.fixture
def leader():
    return UserFactory(roles=[Role.PROGRAMME_LEADER])


def test_an_extension_to_a_later_date_with_a_reason_is_granted_and_audited(task, leader):
    enrolment = EnrolmentFactory(cohort=task.cohort)
    extension = extension_grant(enrolment=enrolment, task=task, due_on=task.due_on + DAY, reason=" Illness ", by=leader)
    assert (extension.due_on, extension.reason, extension.granted_by) == (task.due_on + DAY, "Illness", leader)
    event = AuditEvent.objects.get(action="extension_grant")
    assert (event.actor_id, event.enrolment_id, event.detail["was"]) == (leader.pk, enrolment.pk, None)


def test_granting_again_moves_the_one_extension_and_the_trail_keeps_the_old_date(task, leader):
    enrolment = EnrolmentFactory(cohort=task.cohort)
    extension_grant(enrolment=enrolment, task=task, due_on=task.due_on + DAY, reason="Illness", by=leader)
    extension_grant(enrolment=enrolment, task=task, due_on=task.due_on + 10 * DAY, reason="Still ill", by=leader)
    assert Extension.objects.get().due_on == task.due_on + 10 * DAY
    latest = AuditEvent.objects.filter(action="extension_grant").order_by("-pk").first()
    assert latest.detail["was"] == (task.due_on + DAY).isoformat()


@pytest.mark.parametrize("days", [0, -1])
def test_an_extension_on_or_before_the_due_date_is_refused_beside_the_date(task, leader, days):
    enrolment = EnrolmentFactory(cohort=task.cohort)
    with pytest.raises(RuleError) as refused:
        extension_grant(enrolment=enrolment, task=task, due_on=task.due_on + days * DAY, reason="Illness", by=leader)
    assert refused.value.errors == {"due_on": ["An extension must be after the task's due date, 14 November 2025."]}
    assert not Extension.objects.exists()
    assert not AuditEvent.objects.filter(action="extension_grant").exists()


def test_no_date_no_reason_and_the_wrong_cohort_are_all_reported_at_once(task, leader):
    outsider = EnrolmentFactory()
    with pytest.raises(RuleError) as refused:
        extension_grant(enrolment=outsider, task=task, due_on=None, reason="   ", by=leader)
    assert set(refused.value.errors) == {"enrolment", "due_on", "reason"}
    assert not Extension.objects.exists()
