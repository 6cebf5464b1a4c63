"""Marking through the services: a tutor marks their participant's work against the rubric as it
was when they started, cites records they may read, never overwrites someone else's save, and a
released result changes only by an amendment with a reason, the participant told by email."""

import pytest
from django.core import mail
from django.http import Http404

from assessment.models import Citation, MarkChange, Marking
from assessment.rules.rubrics import BandContent, RubricContent
from assessment.rules.rubrics import CriterionContent as RubricCriterion
from assessment.services import marking as services
from assessment.services.marking import CriterionContent, OverallContent
from assessment.services.rubrics import rubric_revise
from assessment.workflow import Move, State
from audit.models import AuditAction, AuditEvent
from coaching.models import DialogueLogVersion
from programme import access
from programme.access import Action
from tests.coaching.factories import agreed_log
from ui.errors import RuleError


def _criterion(marking):
    return marking.rubric.criteria.order_by("sort_order").first()


def test_marking_starts_against_the_tasks_rubric_with_a_row_per_criterion(world):
    marking = world.start()
    assert marking.state == State.IN_MARKING
    assert marking.rubric == world.task.rubric
    assert marking.criterion_marks.count() == world.task.rubric.criteria.count()
    assert AuditEvent.objects.filter(action=AuditAction.MARKING_START).count() == 1


def test_a_tutor_who_does_not_assess_the_participant_cannot_start(world):
    with pytest.raises(Http404):
        services.marking_start(by=world.other_tutor, submission=world.submission)


def test_a_citation_keeps_the_log_as_it_was_when_cited(world):
    marking = world.start()
    services.criterion_mark_save(
        by=world.tutor,
        marking=marking,
        criterion_id=_criterion(marking).pk,
        version=marking.version,
        content=CriterionContent(mark=72, strengths="Strong.", development="Wider.", citations=(world.log_key(),)),
    )
    citation = Citation.objects.get()
    frozen = citation.text
    assert citation.log_version.number == 1
    # A new agreed version of the log does not change what was cited.
    DialogueLogVersion.objects.create(
        log=world.log,
        number=2,
        **{**world.log.record_values(), "discussed": "<p>Rewritten.</p>"},
        created_by=world.coach,
        reason="A correction.",
    )
    world.log.agreed_version = 2
    world.log.save()
    citation.refresh_from_db()
    assert citation.text == frozen
    assert citation.log_version.number == 1
    row = citation.criterion_mark
    assert row.band.name == "Distinction"


def test_citing_a_log_the_tutor_may_not_read_is_refused_beside_the_field(world):
    marking = world.start()
    strangers_log = agreed_log(enrolment=world.other_participant.enrolments.get(), coach=world.stranger_coach)
    key = f"log:{strangers_log.versions.get().pk}"
    with pytest.raises(RuleError) as refused:
        services.criterion_mark_save(
            by=world.tutor,
            marking=marking,
            criterion_id=_criterion(marking).pk,
            version=marking.version,
            content=CriterionContent(mark=60, citations=(key,)),
        )
    assert refused.value.field == "citations"
    assert not Citation.objects.exists()


def test_a_passage_must_be_quoted_from_the_commentary(world):
    marking = world.start()
    args = {"by": world.tutor, "marking": marking, "criterion_id": _criterion(marking).pk}
    with pytest.raises(RuleError) as refused:
        services.criterion_mark_save(**args, version=1, content=CriterionContent(mark=60, passage="Not in it."))
    assert refused.value.field == "passage"
    services.criterion_mark_save(**args, version=1, content=CriterionContent(mark=60, passage="changed who answered"))
    assert Citation.objects.get().kind == Citation.Kind.PASSAGE


def test_a_stale_save_is_refused_and_nothing_is_saved(world):
    marking = world.start()
    criterion = _criterion(marking)
    services.criterion_mark_save(
        by=world.tutor, marking=marking, criterion_id=criterion.pk, version=1, content=CriterionContent(mark=60)
    )
    with pytest.raises(RuleError) as refused:
        services.criterion_mark_save(
            by=world.tutor, marking=marking, criterion_id=criterion.pk, version=1, content=CriterionContent(mark=40)
        )
    assert refused.value.rule == "stale"
    assert marking.criterion_marks.get(criterion=criterion).mark == 60


def test_every_change_is_recorded_with_old_and_new(world):
    marking = world.start()
    criterion = _criterion(marking)
    services.criterion_mark_save(
        by=world.tutor, marking=marking, criterion_id=criterion.pk, version=1, content=CriterionContent(mark=60)
    )
    services.criterion_mark_save(
        by=world.tutor, marking=marking, criterion_id=criterion.pk, version=2, content=CriterionContent(mark=65)
    )
    changes = MarkChange.objects.filter(field="mark").order_by("pk")
    assert [(c.old, c.new) for c in changes] == [("", "60"), ("60", "65")]
    assert all(c.changed_by == world.tutor and not c.is_amendment for c in changes)


def test_overall_mark_follows_the_weighted_criteria_and_an_adjustment_needs_a_reason(world):
    marking = world.mark_all(world.start(), 64)
    assert marking.overall_mark == 64
    assert marking.mark == 64
    with pytest.raises(RuleError) as refused:
        services.marking_overall_save(
            by=world.tutor, marking=marking, version=marking.version, content=OverallContent(adjusted_mark=66)
        )
    assert refused.value.field == "adjustment_reason"


def test_a_resubmissions_mark_is_capped(world):
    world.submission.is_resubmission = True
    world.submission.save()
    marking = world.mark_all(world.start(), 68)
    assert marking.overall_mark == 68
    assert marking.mark == world.task.resubmission_cap


def test_work_cannot_be_completed_until_every_criterion_has_a_mark_and_an_outcome(world):
    marking = world.start()
    with pytest.raises(RuleError) as refused:
        services.marking_move(by=world.tutor, marking=marking, move=Move.COMPLETE, version=marking.version)
    assert refused.value.rule == "incomplete"
    assert "outcome" in refused.value.errors


def test_the_tutor_cannot_release(world):
    world.ready()
    with pytest.raises(RuleError):
        services.results_release(task=world.task, by=world.tutor)


@pytest.mark.parametrize("role", ["participant", "coach", "head"])
def test_an_unreleased_mark_is_unseen_by_participant_coach_and_head(world, role):
    marking = world.ready()
    person = world.person(role)
    assert not access.allowed_actions(person, marking)
    services.results_release(task=world.task, by=world.leader)
    marking.refresh_from_db()
    expected = Action.VIEW_SUMMARY if role == "head" else Action.VIEW
    assert expected in access.allowed_actions(person, marking)


def test_the_leader_reads_before_release_and_the_tutor_writes_until_release(world):
    marking = world.ready()
    assert access.can(world.leader, Action.VIEW, marking)
    assert not access.can(world.leader, Action.CHANGE, marking)
    assert access.can(world.tutor, Action.CHANGE, marking)
    released = world.released() if False else None  # noqa: F841
    services.results_release(task=world.task, by=world.leader)
    marking.refresh_from_db()
    assert not access.can(world.tutor, Action.CHANGE, marking)


def test_release_on_the_date_is_idempotent_and_emails_once(world, django_capture_on_commit_callbacks):
    import datetime

    marking = world.ready()
    world.task.release_on = datetime.date(2030, 1, 1)
    world.task.save()
    assert services.results_release(task=world.task, by=None, today=datetime.date(2029, 12, 31)) == []
    with django_capture_on_commit_callbacks(execute=True):
        assert len(services.results_release(task=world.task, by=None, today=datetime.date(2030, 1, 1))) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.results_release(task=world.task, by=None, today=datetime.date(2030, 1, 2)) == []
    marking.refresh_from_db()
    assert marking.state == State.RELEASED
    assert len(mail.outbox) == 1
    assert world.participant.email in mail.outbox[0].to
    assert "64" not in mail.outbox[0].body  # the email never carries the mark


def test_a_released_mark_changes_only_by_an_amendment_with_a_reason(world, django_capture_on_commit_callbacks):
    marking = world.released()
    criterion = _criterion(marking)
    with pytest.raises(RuleError) as refused:
        services.criterion_mark_save(
            by=world.tutor,
            marking=marking,
            criterion_id=criterion.pk,
            version=marking.version,
            content=CriterionContent(mark=70),
        )
    assert refused.value.field == "reason"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.criterion_mark_save(
            by=world.tutor,
            marking=marking,
            criterion_id=criterion.pk,
            version=marking.version,
            content=CriterionContent(mark=70, citations=(world.log_key(),)),
            reason="Arithmetic slip on the first criterion.",
        )
    amendment = MarkChange.objects.get(field="mark", is_amendment=True)
    assert (amendment.old, amendment.new, amendment.reason) == ("64", "70", "Arithmetic slip on the first criterion.")
    assert len(mail.outbox) == 1
    assert "amended" in mail.outbox[0].subject
    assert AuditEvent.objects.filter(action=AuditAction.MARK_AMEND).exists()


def test_the_participant_who_turned_results_emails_off_gets_none(world, django_capture_on_commit_callbacks):
    from coaching.services.preferences import reminder_preferences_save

    reminder_preferences_save(user=world.participant, turned_off={"results"})
    world.ready()
    with django_capture_on_commit_callbacks(execute=True):
        services.results_release(task=world.task, by=world.leader)
    assert mail.outbox == []


def test_a_rubric_revised_after_marking_started_leaves_the_marking_on_its_version(world):
    marking = world.start()
    old = marking.rubric
    content = RubricContent(
        name=old.name,
        bands=[BandContent("Pass", 50, True), BandContent("Fail", 0, False)],
        criteria=[RubricCriterion("Only one", descriptors={"Pass": "Good.", "Fail": "Not yet."})],
    )
    revised = rubric_revise(rubric=old, content=content, by=world.leader)
    assert revised.pk != old.pk
    assert revised.version == old.version + 1
    marking.refresh_from_db()
    assert marking.rubric_id == old.pk
    assert marking.criterion_marks.count() == 2


def test_only_the_marker_changes_the_marks(world):
    marking = world.start()
    with pytest.raises(Http404):
        services.criterion_mark_save(
            by=world.other_tutor,
            marking=marking,
            criterion_id=_criterion(marking).pk,
            version=marking.version,
            content=CriterionContent(mark=50),
        )
    assert Marking.objects.get().criterion_marks.filter(mark__isnull=False).count() == 0


def test_the_daily_release_task_is_on_celery_beats_schedule_and_releases_due_results(world):
    import datetime

    from django.conf import settings

    from assessment.tasks import release_due_results
    from mtl_portal.celery import app

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "assessment.tasks.release_due_results" in scheduled
    app.loader.import_default_modules()
    assert "assessment.tasks.release_due_results" in app.tasks
    marking = world.ready()
    world.task.release_on = datetime.date.today() - datetime.timedelta(days=1)
    world.task.save()
    assert release_due_results() == 1
    assert release_due_results() == 0
    marking.refresh_from_db()
    assert marking.state == State.RELEASED
