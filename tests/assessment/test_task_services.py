"""Setting a task: dates in order, credits above nothing, a sound second-marking rule, every
broken rule reported at once beside its field, and nothing saved half-way."""

import dataclasses
import datetime

import pytest

from assessment.models import AssessmentTask, Submission
from assessment.services import tasks as services
from audit.models import AuditEvent
from programme.models import ContentArea, Phase, ProgrammeSettings
from tests.assessment.factories import AssessmentTaskFactory, ExtensionFactory, RubricFactory
from tests.factories import CohortFactory, EnrolmentFactory
from ui.errors import RuleError

pytestmark = pytest.mark.django_db

D = datetime.date


def _content(**changes) -> services.TaskContent:
    content = services.TaskContent(
        cohort=CohortFactory(),
        phase=Phase.objects.get(number=2),
        title="Enquiry into questioning",
        credits=30,
        opens_on=D(2026, 1, 5),
        due_on=D(2026, 3, 20),
        late_cutoff_on=D(2026, 3, 27),
        marks_due_on=D(2026, 4, 24),
        rubric=RubricFactory(),
        brief="<p>Report your enquiry.</p><script>alert(1)</script>",
        content_areas=list(ContentArea.objects.filter(number__in=[1, 3])),
    )
    return dataclasses.replace(content, **changes)


def test_a_task_is_set_with_its_dates_rubric_and_content_areas_and_its_brief_cleaned():
    task = services.task_create(content=_content(), by=None)
    assert (task.phase.number, task.credits, task.due_on) == (2, 30, D(2026, 3, 20))
    assert sorted(task.content_areas.values_list("number", flat=True)) == [1, 3]
    assert "<script>" not in task.brief
    assert "Report your enquiry." in task.brief
    assert AuditEvent.objects.filter(action="task_create", record_id=str(task.pk)).exists()


def test_a_task_gives_six_weeks_to_resubmit_unless_set_and_the_weeks_must_be_from_1_to_52():
    assert services.task_create(content=_content(), by=None).resubmission_weeks == 6
    assert services.task_create(content=_content(resubmission_weeks=10), by=None).resubmission_weeks == 10
    for weeks in (0, 53):
        with pytest.raises(RuleError) as refused:
            services.task_create(content=_content(resubmission_weeks=weeks, title="Refused"), by=None)
        assert refused.value.errors["resubmission_weeks"]
    assert not AssessmentTask.objects.filter(title="Refused").exists()


def test_a_resubmission_is_capped_at_the_pass_mark_unless_set_and_never_below_it():
    assert services.task_create(content=_content(), by=None).resubmission_cap == 50
    assert services.task_create(content=_content(resubmission_cap=60), by=None).resubmission_cap == 60
    for cap in (49, 101):
        with pytest.raises(RuleError) as refused:
            services.task_create(content=_content(resubmission_cap=cap, title="Refused"), by=None)
        assert "from the pass mark (50) to 100" in refused.value.errors["resubmission_cap"][0]
    assert not AssessmentTask.objects.filter(title="Refused").exists()


def test_the_cap_follows_the_programmes_pass_mark():
    settings = ProgrammeSettings.load()
    settings.pass_mark = 40
    settings.save()
    assert services.task_create(content=_content(resubmission_cap=40), by=None).resubmission_cap == 40
    with pytest.raises(RuleError):
        services.task_create(content=_content(resubmission_cap=39), by=None)


def test_dates_on_the_same_day_are_in_order():
    day = D(2026, 3, 20)
    task = services.task_create(
        content=_content(opens_on=day, due_on=day, late_cutoff_on=day, marks_due_on=day), by=None
    )
    assert task.opens_on == task.marks_due_on == day


def test_dates_out_of_order_and_no_credits_are_all_reported_at_once_and_nothing_is_saved():
    content = _content(
        opens_on=D(2026, 3, 21),
        due_on=D(2026, 3, 20),
        late_cutoff_on=D(2026, 3, 19),
        marks_due_on=D(2026, 3, 1),
        credits=0,
        title="  ",
    )
    with pytest.raises(RuleError) as refused:
        services.task_create(content=content, by=None)
    errors = refused.value.errors
    assert errors["due_on"] == ["The due date must be on or after the opening date (21 March 2026)."]
    assert errors["late_cutoff_on"] == ["The late cut-off must be on or after the due date (20 March 2026)."]
    assert errors["marks_due_on"] == [
        "The date marks are due back must be on or after the late cut-off (19 March 2026)."
    ]
    assert errors["credits"] == ["Enter the credits the task is worth, a whole number above 0."]
    assert errors["title"] == ["Enter the task's title."]
    assert not AssessmentTask.objects.exists()


def test_missing_dates_cohort_phase_and_rubric_are_asked_for():
    content = _content(opens_on=None, marks_due_on=None, cohort=None, phase=None, rubric=None, credits=None)
    with pytest.raises(RuleError) as refused:
        services.task_create(content=content, by=None)
    errors = refused.value.errors
    assert errors["opens_on"] == ["Enter the opening date."]
    assert errors["marks_due_on"] == ["Enter the date marks are due back."]
    assert set(errors) >= {"cohort", "phase", "rubric", "credits"}


def test_a_second_marking_rule_that_cannot_be_followed_is_refused():
    content = _content(sample_min=5, sample_max=2, borderline_from=49, borderline_to=45, word_limit=0)
    with pytest.raises(RuleError) as refused:
        services.task_create(content=content, by=None)
    assert set(refused.value.errors) == {"sample_max", "borderline_to", "word_limit"}


def test_results_cannot_be_released_before_the_work_is_due():
    with pytest.raises(RuleError) as refused:
        services.task_create(content=_content(release_on=D(2026, 3, 1)), by=None)
    assert refused.value.errors["release_on"] == ["Results cannot be released before the work is due."]


def test_a_replaced_rubric_version_cannot_be_chosen_for_a_new_task_but_stays_on_a_task_that_has_it():
    old = RubricFactory()
    RubricFactory(name=old.name, version=2, previous=old)
    with pytest.raises(RuleError) as refused:
        services.task_create(content=_content(rubric=old), by=None)
    assert "replaced by a newer version" in refused.value.errors["rubric"][0]
    task = AssessmentTaskFactory(rubric=old)
    changed = services.task_update(
        task=task, content=dataclasses.replace(services.content_of(task), credits=20), by=None
    )
    assert (changed.rubric, changed.credits) == (old, 20)


def test_changing_a_task_keeps_every_rule_and_is_audited():
    task = AssessmentTaskFactory()
    content = dataclasses.replace(services.content_of(task), due_on=task.late_cutoff_on + datetime.timedelta(days=1))
    with pytest.raises(RuleError) as refused:
        services.task_update(task=task, content=content, by=None)
    assert list(refused.value.errors) == ["late_cutoff_on"]
    task.refresh_from_db()
    assert task.due_on < task.late_cutoff_on
    services.task_update(task=task, content=dataclasses.replace(content, due_on=task.due_on, title="Renamed"), by=None)
    assert AuditEvent.objects.filter(action="task_change", record_id=str(task.pk)).exists()


def test_the_due_date_cannot_move_onto_or_past_an_extension():
    extension = ExtensionFactory()
    task = extension.task
    content = dataclasses.replace(
        services.content_of(task),
        due_on=extension.due_on,
        late_cutoff_on=extension.due_on + datetime.timedelta(days=7),
        marks_due_on=extension.due_on + datetime.timedelta(days=30),
    )
    with pytest.raises(RuleError) as refused:
        services.task_update(task=task, content=content, by=None)
    assert "An extension already runs to" in refused.value.errors["due_on"][0]


def test_a_task_with_submitted_work_or_an_extension_stays_and_an_unused_one_is_deleted_with_a_record():
    submitted, extended, unused = AssessmentTaskFactory(), AssessmentTaskFactory(), AssessmentTaskFactory()
    Submission.objects.create(enrolment=EnrolmentFactory(cohort=submitted.cohort), task=submitted)
    ExtensionFactory(task=extended)
    for task in (submitted, extended):
        with pytest.raises(RuleError, match="cannot be deleted"):
            services.task_delete(task=task, by=None)
    services.task_delete(task=unused, by=None)
    assert set(AssessmentTask.objects.all()) == {submitted, extended}
    assert AuditEvent.objects.filter(action="task_delete", record_id=str(unused.pk)).exists()
