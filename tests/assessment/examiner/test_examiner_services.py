"""The examiner's sample through its services: drawn by the one sampling rule from the task's
marked work (the same each time from the same marks), adjusted by hand with who, when and why,
confirmed, then fixed; the examiner's comment and report saved as versions, a stale save refused;
nobody else writes either."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from assessment.models import ExaminerCommentRevision, SampledSubmission
from assessment.services import examiner as services
from audit.models import AuditEvent
from ui.errors import RuleError


def draw(world, **kwargs):
    return services.sample_draw(by=world.leader, task=world.task, examiner_ids=[world.examiner.pk], **kwargs)


def current(sample) -> set[int]:
    return set(sample.entries.filter(removed_at__isnull=True).values_list("submission_id", flat=True))


def test_only_marked_work_is_a_candidate(world):
    unmarked = world.another()
    from assessment.models import Marking
    from assessment.workflow import State

    Marking.objects.filter(submission=unmarked).update(state=State.IN_MARKING)
    found = {c.submission_id for c in services.candidates(world.task)}
    assert found == {world.submission.pk, world.others[0].pk}


def test_the_rule_draws_every_submission_when_the_task_says_all(world):
    world.task.second_marking = "all"
    world.task.save()
    sample = draw(world)
    assert current(sample) == {world.submission.pk, world.others[0].pk}
    entry = sample.entries.get(submission=world.submission)
    assert entry.reasons
    assert not entry.by_hand
    assert sample.basis["marked"] == 2


def test_a_sample_of_the_task_draws_the_same_work_from_the_same_marks(world):
    for _ in range(4):
        world.another(62)
    world.task.second_marking = "sample"
    world.task.sample_percent, world.task.sample_min = 20, 1
    world.task.include_fails = world.task.include_borderline = world.task.include_distinctions = False
    world.task.save()
    first = current(draw(world))
    again = current(draw(world))  # drawn again while a draft: the rule's entries replaced by the same
    assert first == again
    assert len(first) == 2  # 20% of 6, rounded up
    assert SampledSubmission.objects.filter(removal_reason="Drawn again.").count() == 2


def test_a_fail_is_always_in_the_sample_when_the_task_says_so(world):
    world.task.second_marking = "sample"
    world.task.sample_percent, world.task.sample_min, world.task.sample_max = 1, 0, 0
    world.task.include_fails = True
    world.task.save()
    failed = world.others[0]  # marked 45, referred
    assert failed.pk in current(draw(world))


def test_the_leader_adds_and_removes_by_hand_with_reasons_kept(world):
    sample = world.sample_of(confirm=False)
    entry = services.sample_add(
        by=world.leader,
        sample=sample,
        submission_id=world.submission.pk,
        reason="Cites many logs.",
        version=sample.version,
    )
    assert entry.by_hand
    assert entry.reasons == ["Added by hand: Cites many logs."]
    sample.refresh_from_db()
    services.sample_remove(
        by=world.leader, sample=sample, entry_id=entry.pk, reason="Changed my mind.", version=sample.version
    )
    entry.refresh_from_db()
    assert entry.removed_by == world.leader
    assert entry.removed_at is not None
    assert entry.removal_reason == "Changed my mind."
    assert AuditEvent.objects.filter(action="examiner_sample_change").count() == 2


def test_adding_needs_a_reason_and_marked_work_of_the_task(world):
    sample = world.sample_of(confirm=False)
    with pytest.raises(RuleError) as refused:
        services.sample_add(by=world.leader, sample=sample, submission_id=world.submission.pk, reason=" ", version=None)
    assert refused.value.field == "reason"
    from tests.assessment.marking.helpers import marking_world

    elsewhere = marking_world()
    with pytest.raises(RuleError) as refused:
        services.sample_add(
            by=world.leader, sample=sample, submission_id=elsewhere.submission.pk, reason="Why not", version=None
        )
    assert refused.value.rule == "not_candidate"
    assert not sample.entries.exists()


def test_a_stale_change_to_the_sample_is_refused(world):
    sample = world.sample_of(confirm=False)
    stale = sample.version
    services.sample_add(by=world.leader, sample=sample, submission_id=world.submission.pk, reason="One", version=stale)
    with pytest.raises(RuleError) as refused:
        services.sample_add(
            by=world.leader, sample=sample, submission_id=world.others[0].pk, reason="Two", version=stale
        )
    assert refused.value.rule == "stale"
    assert current(sample) == {world.submission.pk}


def test_confirming_needs_work_and_an_examiner_and_then_fixes_the_sample(world):
    sample = services.sample_draw(by=world.leader, task=world.task)  # by the task's rule: a sample
    sample.entries.all().delete()
    with pytest.raises(RuleError) as refused:
        services.sample_confirm(by=world.leader, sample=sample, version=None)
    assert set(refused.value.rules) == {"empty", "no_examiner"}
    sample = world.sample_of(world.submission)
    assert sample.is_confirmed
    assert sample.confirmed_by == world.leader
    with pytest.raises(RuleError) as refused:
        services.sample_add(
            by=world.leader, sample=sample, submission_id=world.others[0].pk, reason="Late", version=None
        )
    assert refused.value.rule == "sample_confirmed"
    with pytest.raises(RuleError):
        draw(world)


def test_only_the_programme_leader_draws_or_confirms(world):
    for person in (world.tutor, world.examiner, world.participant):
        with pytest.raises(RuleError) as refused:
            services.sample_draw(by=person, task=world.task)
        assert refused.value.rule == "not_leader"
    sample = world.sample_of(world.submission, confirm=False)
    with pytest.raises(RuleError):
        services.sample_confirm(by=world.tutor, sample=sample, version=None)


def test_a_sample_is_for_external_examiners_only(world):
    with pytest.raises(RuleError) as refused:
        services.sample_draw(by=world.leader, task=world.task, examiner_ids=[world.tutor.pk])
    assert refused.value.field == "examiners"


# --- The examiner's comment and report.


def test_the_examiner_comments_on_sampled_work_in_versions(world):
    sample = world.sample_of(world.submission)
    comment = services.examiner_comment_save(
        by=world.examiner, sample=sample, submission=world.submission, text="Marks fit the rubric.", version=None
    )
    comment = services.examiner_comment_save(
        by=world.examiner, sample=sample, submission=world.submission, text="Marks fit; feedback is full.", version=1
    )
    assert comment.version == 2
    assert list(ExaminerCommentRevision.objects.filter(comment=comment).values_list("number", "text")) == [
        (1, "Marks fit the rubric."),
        (2, "Marks fit; feedback is full."),
    ]
    assert AuditEvent.objects.filter(action="examiner_comment", actor_id=world.examiner.pk).count() == 2


def test_a_stale_comment_is_refused_and_nothing_saved(world):
    sample = world.sample_of(world.submission)
    services.examiner_comment_save(
        by=world.examiner, sample=sample, submission=world.submission, text="First.", version=None
    )
    services.examiner_comment_save(
        by=world.examiner, sample=sample, submission=world.submission, text="Second.", version=1
    )
    with pytest.raises(RuleError) as refused:
        services.examiner_comment_save(
            by=world.examiner, sample=sample, submission=world.submission, text="From an old tab.", version=1
        )
    assert refused.value.rule == "stale"
    with pytest.raises(RuleError):  # a second "first" comment from another page, too
        services.examiner_comment_save(
            by=world.examiner, sample=sample, submission=world.submission, text="Also first.", version=None
        )
    assert sample.comments.get().text == "Second."


def test_no_comment_on_unsampled_work_and_none_by_anyone_else(world):
    sample = world.sample_of(world.submission)
    with pytest.raises(Http404):
        services.examiner_comment_save(
            by=world.examiner, sample=sample, submission=world.others[0], text="Not mine to read.", version=None
        )
    with pytest.raises(Http404):
        services.examiner_comment_save(
            by=world.other_examiner, sample=sample, submission=world.submission, text="Not my sample.", version=None
        )
    with pytest.raises(PermissionDenied):  # the tutor reads the marks but does not comment as an examiner
        services.examiner_comment_save(
            by=world.tutor, sample=sample, submission=world.submission, text="Me too.", version=None
        )
    assert not sample.comments.exists()


def test_the_overall_report_is_written_by_the_samples_examiners_once_confirmed(world):
    draft = world.sample_of(world.submission, confirm=False)
    with pytest.raises(RuleError):
        services.examiner_comment_save(by=world.examiner, sample=draft, submission=None, text="Early.", version=None)
    sample = services.sample_confirm(by=world.leader, sample=draft, version=draft.version)
    report = services.examiner_comment_save(
        by=world.examiner, sample=sample, submission=None, text="Marking is consistent.", version=None
    )
    assert report.is_report
    for person in (world.other_examiner, world.leader, world.tutor):
        with pytest.raises(RuleError):
            services.examiner_comment_save(by=person, sample=sample, submission=None, text="Mine.", version=None)


def test_an_empty_comment_is_refused_beside_the_field(world):
    sample = world.sample_of(world.submission)
    with pytest.raises(RuleError) as refused:
        services.examiner_comment_save(
            by=world.examiner, sample=sample, submission=world.submission, text="  ", version=None
        )
    assert refused.value.field == "text"
