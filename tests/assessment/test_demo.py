"""The demo's assessment set-up: the "Masters level 7" rubric with its seven criteria, a core task
per phase dated from today (phase 2's open now, so the demo participant can submit), an extension,
all made through the services and made once."""

import datetime

import pytest

from assessment import demo as assessment_demo
from assessment.demo_rubric import NAME
from assessment.models import AssessmentTask, Extension, Rubric
from assessment.rules.deadlines import Window, submission_window
from assessment.rules.tasks import TaskDates, check_dates
from audit.models import AuditEvent
from programme import demo
from programme.models import Enrolment
from tests.seeded_once import shared_by_the_module

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 4)
CRITERIA = [
    "Knowledge and critical awareness",
    "Critical evaluation of research and evidence",
    "Enquiry methodology",
    "Originality in applying knowledge to practice",
    "Impact on pupils' outcomes",
    "Reflection",
    "Communication",
]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    # Seeded once for the module's tests, each of which runs in a savepoint rolled back after it.
    with shared_by_the_module(django_db_blocker):
        demo.seed_demo(participants=12, today=TODAY)
        yield assessment_demo.seed_assessment(today=TODAY)


def test_the_level_7_rubric_has_the_seven_criteria_each_described_at_every_uk_band(seeded):
    rubric = Rubric.objects.get(name=NAME)
    assert [c.title for c in rubric.criteria.all()] == CRITERIA
    assert [(b.name, b.min_mark, b.is_pass) for b in rubric.bands.all()] == [
        ("Distinction", 70, True),
        ("Merit", 60, True),
        ("Pass", 50, True),
        ("Fail", 0, False),
    ]
    texts = [d.text for c in rubric.criteria.all() for d in c.descriptors.all()]
    assert len(texts) == 28
    assert len(set(texts)) == 28


def test_each_phase_has_a_core_task_in_order_and_phase_2s_is_open_today(seeded):
    assert [(t.phase.number, t.kind) for t in seeded] == [(1, "core"), (2, "core"), (3, "core")]
    for task in seeded:
        assert check_dates(TaskDates(task.opens_on, task.due_on, task.late_cutoff_on, task.marks_due_on)) == []
    windows = [submission_window(task=t, on=TODAY) for t in seeded]
    assert windows == [Window.CLOSED, Window.OPEN, Window.NOT_OPEN]
    participant = Enrolment.objects.get(participant__email=demo.participant_email(1))
    assert participant.current_phase == seeded[1].phase
    assert participant.cohort == seeded[1].cohort


def test_one_phase_2_participant_has_an_extension_after_the_due_date(seeded):
    extension = Extension.objects.get()
    assert extension.task == seeded[1]
    assert extension.due_on > extension.task.due_on
    assert extension.enrolment.current_phase.number == 2
    assert extension.enrolment.participant.email != demo.participant_email(1)


def test_the_set_up_is_made_through_the_services_and_once(seeded):
    assert AuditEvent.objects.filter(action="rubric_create").count() == 1
    assert AuditEvent.objects.filter(action="task_create").count() == 3
    assert AuditEvent.objects.filter(action="extension_grant").count() == 1
    assessment_demo.seed_assessment(today=TODAY + datetime.timedelta(days=30))
    assert (Rubric.objects.count(), AssessmentTask.objects.count(), Extension.objects.count()) == (1, 3, 1)
