"""Assessment emails to staff (assessment.notices): the tutor when work arrives (and when it is
resubmitted), the coach invited to write their statement, the programme leaders when a task's marks
are overdue. Each goes once however often its task runs, not to someone who turned it off, and
links to the portal at PORTAL_BASE_URL."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from accounts.roles import Role
from assessment import notices, tasks
from assessment.models import Submission
from assessment.services.statements import StatementContent, statement_save
from assessment.services.submissions import submission_withdraw
from coaching.models import ReminderKind
from coaching.services.preferences import reminder_preferences_save
from tests.assessment.marking.helpers import marking_world
from tests.assessment.submissions.helpers import submission_world
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _portal(settings):
    settings.PORTAL_BASE_URL = "https://portal.example.org"


def _to(person) -> list:
    return [m for m in mail.outbox if person.email in m.to]


def test_submitting_tells_the_tutor_and_invites_the_coach_once_each(django_capture_on_commit_callbacks):
    world = submission_world()
    with django_capture_on_commit_callbacks(execute=True):
        submission = world.submit()
    (tutor_email,) = _to(world.tutor)
    assert "New work to mark" in tutor_email.subject
    assert f"https://portal.example.org/marking/submissions/{submission.pk}/" in tutor_email.body
    (coach_email,) = _to(world.coach)
    assert "your statement" in coach_email.subject
    assert f"https://portal.example.org/assessment/submissions/{submission.pk}/statement/" in coach_email.body
    assert "https://portal.example.org/coaching/emails/" in coach_email.body
    # Nobody else hears of it, and the emails say nothing of what was submitted.
    assert len(mail.outbox) == 2
    assert "Waiting longer" not in tutor_email.body + coach_email.body
    # Run again (a retried task): nothing more.
    assert tasks.send_submission_notice(submission.pk) == 0
    assert tasks.send_statement_invitation(submission.pk) == 0
    assert len(mail.outbox) == 2


def test_a_new_attempt_after_withdrawing_tells_the_tutor_it_was_resubmitted(django_capture_on_commit_callbacks):
    world = submission_world()
    first = world.submit()
    submission_withdraw(by=world.participant, submission=first, version=first.version)
    draft = Submission.objects.get(state=Submission.State.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        second = world.submit(version=draft.version)
    (tutor_email,) = _to(world.tutor)
    assert second.attempt == 2
    assert "Resubmitted work to mark" in tutor_email.subject


def test_a_tutor_or_coach_who_turned_the_email_off_gets_none(django_capture_on_commit_callbacks):
    world = submission_world()
    reminder_preferences_save(user=world.tutor, turned_off={ReminderKind.SUBMISSION_ARRIVED})
    reminder_preferences_save(user=world.coach, turned_off={ReminderKind.STATEMENT_INVITED})
    with django_capture_on_commit_callbacks(execute=True):
        world.submit()
    assert mail.outbox == []


def test_no_invitation_once_marking_has_started_or_the_statement_is_written():
    world = marking_world()
    statement_save(
        by=world.coach,
        submission=world.submission,
        version=None,
        content=StatementContent(practice="Practice changed.", outcomes="Pupils answered."),
    )
    assert notices.send_statement_invitation(submission_id=world.submission.pk) == 0
    other = marking_world()
    other.start()
    assert notices.send_statement_invitation(submission_id=other.submission.pk) == 0
    assert mail.outbox == []


def test_a_coach_whose_period_ended_before_the_submission_is_not_invited():
    world = submission_world()
    from programme import services as programme_services

    programme_services.assignment_end(
        assignment=world.enrolment.coach_assignments.get(), ends_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    submission = world.submit()
    assert notices.send_statement_invitation(submission_id=submission.pk) == 0
    assert notices.send_submission_notice(submission_id=submission.pk) == 1


def _overdue(world, days: int = 1):
    world.task.marks_due_on = timezone.localdate() - datetime.timedelta(days=days)
    world.task.save(update_fields=["marks_due_on"])


def test_each_programme_leader_is_told_once_when_a_tasks_marks_are_overdue():
    world = marking_world()
    second_leader = UserFactory(roles=[Role.PROGRAMME_LEADER])
    today = timezone.localdate()
    assert notices.remind_marks_overdue(today=today) == 0  # not due yet
    _overdue(world)
    assert notices.remind_marks_overdue(today=today) == 2
    assert notices.remind_marks_overdue(today=today) == 0
    assert notices.remind_marks_overdue(today=today + datetime.timedelta(days=1)) == 0  # once per task
    (email,) = _to(world.leader)
    assert len(_to(second_leader)) == 1
    assert "Marks overdue" in email.subject
    assert "1 piece of submitted work is not yet marked" in email.body
    assert f"https://portal.example.org/marking/tasks/{world.task.pk}/release/" in email.body
    assert not _to(world.tutor)
    assert not _to(world.coach)


def test_work_marked_as_complete_is_not_overdue_but_work_still_in_marking_is():
    world = marking_world()
    _overdue(world)
    marking = world.mark_all(world.start())
    today = timezone.localdate()
    assert [t.unmarked for t in notices.overdue_tasks(today=today)] == [1]  # in marking
    from assessment.services import marking as marking_services
    from assessment.workflow import Move

    marking_services.marking_move(by=world.tutor, marking=marking, move=Move.COMPLETE, version=marking.version)
    assert notices.overdue_tasks(today=today) == []
    assert notices.remind_marks_overdue(today=today) == 0


def test_a_leader_who_turned_overdue_emails_off_gets_none():
    world = marking_world()
    _overdue(world)
    reminder_preferences_save(user=world.leader, turned_off={ReminderKind.MARKS_OVERDUE})
    assert notices.remind_marks_overdue(today=timezone.localdate()) == 0
    assert mail.outbox == []


def test_the_overdue_reminder_is_on_celery_beats_schedule_and_safe_to_run_twice():
    from django.conf import settings

    from mtl_portal.celery import app

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "assessment.tasks.remind_marks_overdue" in scheduled
    app.loader.import_default_modules()
    for name in ("remind_marks_overdue", "send_submission_notice", "send_statement_invitation"):
        assert f"assessment.tasks.{name}" in app.tasks
    world = marking_world()
    _overdue(world)
    assert tasks.remind_marks_overdue() == 1
    assert tasks.remind_marks_overdue() == 0


def test_finding_overdue_tasks_costs_the_same_queries_however_many_tasks_and_submissions(
    django_assert_num_queries,
):
    world = marking_world()
    _overdue(world)
    with django_assert_num_queries(2):
        assert len(notices.overdue_tasks(today=timezone.localdate())) == 1
    for _ in range(3):
        more = marking_world()
        _overdue(more)
    with django_assert_num_queries(2):
        assert len(notices.overdue_tasks(today=timezone.localdate())) == 4
