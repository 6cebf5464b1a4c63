"""Rubrics are created whole, checked whole, and never changed in place once in use."""

import dataclasses

import pytest
from django.apps import apps

from assessment.models import AssessmentTask, Rubric
from assessment.rules.rubrics import BandContent, CriterionContent, RubricContent
from assessment.selectors import rubrics as rubric_reads
from assessment.services import rubrics as services
from audit.models import AuditEvent
from tests.assessment.factories import AssessmentTaskFactory, RubricFactory
from tests.assessment.marking.helpers import marking_world
from tests.factories import EnrolmentFactory
from ui.errors import RuleError

pytestmark = pytest.mark.django_db

UK = [BandContent("Distinction", 70, True), BandContent("Merit", 60, True), BandContent("Pass", 50, True)]
UK.append(BandContent("Fail", 0, False))


def _criterion(title: str) -> CriterionContent:
    return CriterionContent(title=title, descriptors={band.name: f"{title}, {band.name.lower()} work." for band in UK})


def _content(name="Level 7 essay", criteria=("Reflection", "Communication")) -> RubricContent:
    return RubricContent(name=name, bands=UK, criteria=[_criterion(title) for title in criteria])


def _submit_against(task) -> None:
    try:
        submission = apps.get_model("assessment", "Submission")
    except LookupError:
        pytest.skip("Submissions come with the submission part of the app.")
    submission.objects.create(enrolment=EnrolmentFactory(cohort=task.cohort), task=task)


def test_a_new_rubric_is_version_one_with_its_bands_criteria_and_descriptors():
    rubric = services.rubric_create(content=_content(), by=None)
    assert rubric.version == 1
    assert rubric.previous is None
    assert [b.name for b in rubric.bands.all()] == ["Distinction", "Merit", "Pass", "Fail"]
    assert [c.title for c in rubric.criteria.all()] == ["Reflection", "Communication"]
    assert services.content_of(rubric) == _content()
    assert AuditEvent.objects.filter(action="rubric_create", record_id=str(rubric.pk)).exists()


def test_a_rubric_nobody_uses_yet_is_changed_in_place():
    rubric = services.rubric_create(content=_content(), by=None)
    AssessmentTaskFactory(rubric=rubric)  # set on a task, but nothing submitted or marked
    changed = services.rubric_revise(rubric=rubric, content=_content(criteria=("Reflection",)), by=None)
    assert changed.pk == rubric.pk
    assert changed.version == 1
    assert [c.title for c in changed.criteria.all()] == ["Reflection"]


def test_revising_a_rubric_in_use_makes_the_next_version_and_keeps_the_old_one_whole(monkeypatch):
    rubric = services.rubric_create(content=_content(), by=None)
    task = AssessmentTaskFactory(rubric=rubric)
    monkeypatch.setattr(services, "rubric_in_use", lambda r: r.pk == rubric.pk)
    revised = services.rubric_revise(rubric=rubric, content=_content(criteria=("Reflection", "Impact")), by=None)
    assert (revised.version, revised.previous) == (2, rubric)
    assert [c.title for c in revised.criteria.all()] == ["Reflection", "Impact"]
    rubric.refresh_from_db()
    assert [c.title for c in rubric.criteria.all()] == ["Reflection", "Communication"]
    assert {d.band.rubric_id for c in rubric.criteria.all() for d in c.descriptors.all()} == {rubric.pk}
    task.refresh_from_db()
    assert task.rubric == rubric  # the task, and any marking, keeps the version it had
    assert AuditEvent.objects.filter(action="rubric_revise", record_id=str(revised.pk)).exists()


def test_a_rubric_with_submitted_work_counts_as_in_use_and_gets_a_new_version():
    rubric = RubricFactory()
    task = AssessmentTaskFactory(rubric=rubric)
    assert not rubric_reads.rubric_in_use(rubric)
    _submit_against(task)
    assert rubric_reads.rubric_in_use(rubric)
    revised = services.rubric_revise(rubric=rubric, content=_content(name=rubric.name), by=None)
    assert revised.version == 2
    assert Rubric.objects.filter(pk=rubric.pk).exists()


def test_an_old_version_cannot_be_revised_again(monkeypatch):
    rubric = services.rubric_create(content=_content(), by=None)
    monkeypatch.setattr(services, "rubric_in_use", lambda r: True)
    services.rubric_revise(rubric=rubric, content=_content(), by=None)
    with pytest.raises(RuleError, match="version 2 replaced it"):
        services.rubric_revise(rubric=rubric, content=_content(), by=None)
    assert rubric_reads.latest_version(rubric).version == 2
    assert list(rubric_reads.current_rubrics()) == [rubric_reads.latest_version(rubric)]


def test_every_broken_rule_of_a_rubric_is_reported_at_once_and_nothing_is_saved():
    bands = [BandContent("Pass", 50, True), BandContent("Pass", 40, False)]
    content = RubricContent(name=" ", bands=bands, criteria=[CriterionContent(title="", weight=0)])
    with pytest.raises(RuleError) as refused:
        services.rubric_create(content=content, by=None)
    errors = refused.value.errors
    assert errors["name"] == ["Enter the rubric's name."]
    assert "Give each grade band a different name." in errors["bands"]
    assert "One band must start at 0, so that every mark falls in a band." in errors["bands"]
    assert "Give criterion 1 a title." in errors["criteria"]
    assert any("weight of 1 or more" in message for message in errors["criteria"])
    assert not Rubric.objects.exists()


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ([], "Add at least one grade band."),
        ([BandContent("Fail", 0, False)], "At least one band must be a pass."),
        ([BandContent("Pass", 0, True), BandContent("Fail", 40, False)], "Every passing band must start above"),
        ([BandContent("Pass", 50, True), BandContent("Fail", 101, False)], "from 0 to 100"),
        ([BandContent("Pass", 0, True), BandContent("Merit", 0, True)], "a different lowest mark"),
    ],
)
def test_bands_that_cannot_place_every_mark_are_refused(bands, message):
    content = RubricContent(name="Bands", bands=bands, criteria=[CriterionContent(title="Reflection")])
    with pytest.raises(RuleError) as refused:
        services.rubric_create(content=content, by=None)
    assert any(message in text for text in refused.value.errors["bands"])


def test_a_criterion_needs_a_descriptor_for_every_band():
    missing = dataclasses.replace(_criterion("Reflection"), descriptors={"Distinction": "Outstanding."})
    with pytest.raises(RuleError) as refused:
        services.rubric_create(content=RubricContent(name="Gaps", bands=UK, criteria=[missing]), by=None)
    assert refused.value.errors["criteria"] == [
        "Describe work at each band for Reflection. Missing: Fail, Merit, Pass."
    ]


def test_a_rubric_cannot_take_the_name_of_another_but_its_own_versions_keep_theirs(monkeypatch):
    services.rubric_create(content=_content(name="Taken"), by=None)
    with pytest.raises(RuleError, match="Another rubric has this name"):
        services.rubric_create(content=_content(name="taken"), by=None)
    mine = services.rubric_create(content=_content(name="Mine"), by=None)
    monkeypatch.setattr(services, "rubric_in_use", lambda r: True)
    assert services.rubric_revise(rubric=mine, content=_content(name="Mine"), by=None).version == 2


def test_a_version_a_marking_was_made_against_stays_in_use_after_its_task_moves_on():
    world = marking_world()
    marking = world.start()
    old = marking.rubric
    newer = RubricFactory(name=old.name, version=old.version + 1, previous=old)
    AssessmentTask.objects.filter(pk=world.task.pk).update(rubric=newer)
    assert rubric_reads.rubric_in_use(old)
    assert rubric_reads.rubric_in_use(newer)  # the task's submitted work counts against its new rubric too
