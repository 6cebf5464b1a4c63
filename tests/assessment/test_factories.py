"""The assessment factories build what the other assessment tests rely on."""

import pytest

from assessment.rules.deadlines import Window, submission_window
from tests.assessment.factories import AssessmentTaskFactory, ExtensionFactory, RubricFactory

pytestmark = pytest.mark.django_db


def test_a_rubric_has_the_uk_bands_and_a_descriptor_per_criterion_and_band():
    rubric = RubricFactory()
    assert [(b.name, b.min_mark, b.is_pass) for b in rubric.bands.all()] == [
        ("Distinction", 70, True),
        ("Merit", 60, True),
        ("Pass", 50, True),
        ("Fail", 0, False),
    ]
    assert rubric.criteria.count() == 2
    for criterion in rubric.criteria.all():
        assert {d.band.name for d in criterion.descriptors.all()} == {"Distinction", "Merit", "Pass", "Fail"}


def test_an_extension_belongs_to_an_enrolment_in_the_tasks_cohort_and_moves_its_due_date():
    extension = ExtensionFactory()
    assert extension.enrolment.cohort == extension.task.cohort
    assert extension.due_on > extension.task.due_on
    on = extension.task.due_on + (extension.due_on - extension.task.due_on)
    assert submission_window(task=extension.task, extension=extension, on=on) == Window.OPEN


def test_a_task_has_dates_in_order():
    task = AssessmentTaskFactory()
    assert task.opens_on <= task.due_on <= task.late_cutoff_on <= task.marks_due_on
