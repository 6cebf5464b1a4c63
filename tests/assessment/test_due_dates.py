"""A participant's due date is their extension's where they have one, the task's otherwise; another
participant's extension changes nothing for them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.selectors.extensions import due_date_for, due_dates_for
from tests.assessment.factories import AssessmentTaskFactory, ExtensionFactory
from tests.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def test_the_participant_sees_their_extended_date_and_others_the_tasks_date():
    extension = ExtensionFactory()
    task = extension.task
    other = EnrolmentFactory(cohort=task.cohort)
    assert due_date_for(extension.enrolment, task) == extension.due_on
    assert due_date_for(other, task) == task.due_on


@pytest.mark.parametrize("count", [1, 6])
def test_a_list_of_due_dates_costs_one_query_however_many_tasks(count):
    extension = ExtensionFactory()
    tasks = [extension.task] + [AssessmentTaskFactory(cohort=extension.task.cohort) for _ in range(count)]
    with CaptureQueriesContext(connection) as queries:
        dates = due_dates_for(extension.enrolment, tasks)
    assert len(queries) == 1
    assert dates[extension.task.pk] == extension.due_on
    assert all(dates[t.pk] == t.due_on for t in tasks[1:])
