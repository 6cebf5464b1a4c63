"""Assessment emails: the participant when their result is released or amended; the tutor when a
participant they assess submits (or resubmits) work; the coach, on the same submission, invited to
write their supporting statement; every programme leader when a task's marks-due date has passed
with work still unmarked.

Like the coaching emails (coaching.reminders): sent by a Celery task after the transaction commits
(or by celery beat), once each (a SentReminder row, unique on kind, record, person and day, claims
it), and not at all to a person who turned that kind of email off on their email choices page. An
email says only that there is something to read or do, with a link (PORTAL_BASE_URL), never a mark,
feedback or what the work says."""

import datetime

from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from assessment import tasks
from assessment.models import AssessmentTask, Marking, Submission, SupportingStatement
from assessment.workflow import State
from coaching import reminders
from coaching.models import ReminderKind
from programme import access
from programme.access import Action
from programme.models import CoachAssignment, TutorAssignment


def notify_released(marking_ids: list[int]) -> None:
    transaction.on_commit(lambda: [tasks.send_result_notice.delay(pk, False) for pk in marking_ids])


def notify_amended(marking_id: int) -> None:
    transaction.on_commit(lambda: tasks.send_result_notice.delay(marking_id, True))


def send_result_notice(*, marking_id: int, amended: bool, today: datetime.date | None = None) -> bool:
    """Email the participant; False if nothing was sent (not released, turned off, already sent)."""
    marking = (
        Marking.objects.select_related("submission__task", "submission__enrolment__participant")
        .filter(pk=marking_id)
        .first()
    )
    if marking is None or not marking.is_released:
        return False
    participant = marking.submission.enrolment.participant
    kind = (ReminderKind.RESULTS_AMENDED if amended else ReminderKind.RESULTS).value
    if not reminders.wants(participant, kind):
        return False
    task = marking.submission.task
    # One email for the release; one a day at most for amendments.
    due_on = (today or timezone.localdate()) if amended else timezone.localdate(marking.released_at)
    subject = f"Your result for “{task.title}” has been {'amended' if amended else 'released'}"
    return reminders.send_once(
        kind=kind,
        object_id=marking.pk,
        person=participant,
        due_on=due_on,
        subject=subject,
        template="assessment/email/result.txt",
        context={
            "task": task,
            "amended": amended,
            "url": reminders.portal_url("marking:result", pk=marking.submission_id),
        },
    )


# --- A submission arrives: its tutor, and its coach for the statement.


def notify_submitted(submission_id: int) -> None:
    """Once the submission has committed, tell the tutor and invite the coach's statement."""
    transaction.on_commit(
        lambda: (
            tasks.send_submission_notice.delay(submission_id),
            tasks.send_statement_invitation.delay(submission_id),
        )
    )


def _submitted(submission_id: int) -> Submission | None:
    return (
        Submission.objects.select_related("task", "enrolment__participant")
        .filter(pk=submission_id, state=Submission.State.SUBMITTED)
        .first()
    )


def _people(assignments, field: str, submission: Submission) -> list[User]:
    """The people of these periods covering the submission's date, once each, in a fixed order."""
    ids = (
        assignments.covering(submission.dated_on)
        .filter(enrolment_id=submission.enrolment_id)
        .values_list(field, flat=True)
    )
    return list(User.objects.filter(pk__in=list(ids), is_active=True).order_by("pk"))


def _email_each(
    people: list[User], *, may: Action, submission: Submission, kind: str, subject: str, template: str, context: dict
) -> int:
    """Email each of these people who wants this kind of email and whom the access policy lets take
    `may` on the submission; once each (a SentReminder row). Returns how many emails went."""
    sent = 0
    for person in people:
        if not reminders.wants(person, kind) or not access.can(person, may, submission):
            continue
        sent += reminders.send_once(
            kind=kind,
            object_id=submission.pk,
            person=person,
            due_on=submission.dated_on,
            subject=subject,
            template=template,
            context=context,
        )
    return sent


def send_submission_notice(*, submission_id: int) -> int:
    """Email the participant's tutor (the one who may assess the work) that it has arrived: a first
    attempt or a resubmission. Returns how many emails went (0 when run again)."""
    submission = _submitted(submission_id)
    if submission is None:
        return 0
    participant, task = submission.enrolment.participant, submission.task
    kind = ReminderKind.SUBMISSION_ARRIVED.value
    again = submission.is_resubmission or submission.attempt > 1
    return _email_each(
        _people(TutorAssignment.objects, "tutor_id", submission),
        may=Action.ASSESS,
        submission=submission,
        kind=kind,
        subject=f"{'Resubmitted' if again else 'New'} work to mark: “{task.title}”",
        template="assessment/email/submission_arrived.txt",
        context={
            "task": task,
            "participant": participant,
            "submission": submission,
            "again": again,
            "url": reminders.portal_url("marking:workspace", pk=submission.pk),
        },
    )


def send_statement_invitation(*, submission_id: int) -> int:
    """Invite the participant's coach on the submission's date (the one who may add a statement) to
    write their supporting statement. Nothing goes once marking has started, or when a statement is
    already written. Returns how many emails went (0 when run again)."""
    submission = _submitted(submission_id)
    if submission is None or Marking.objects.filter(submission=submission).exists():
        return 0
    if SupportingStatement.objects.filter(submission=submission).exists():
        return 0
    participant, task = submission.enrolment.participant, submission.task
    kind = ReminderKind.STATEMENT_INVITED.value
    return _email_each(
        _people(CoachAssignment.objects, "coach_id", submission),
        may=Action.ADD_STATEMENT,
        submission=submission,
        kind=kind,
        subject=f"{participant.get_full_name() or participant.email} submitted “{task.title}”: your statement",
        template="assessment/email/statement_invited.txt",
        context={
            "task": task,
            "participant": participant,
            "url": reminders.portal_url("assessment:statement", pk=submission.pk),
        },
    )


# --- Marks overdue: the programme leaders, once per task.

# A first marking in one of these states has been marked; anything else is still unmarked.
_MARKED = (State.MARKED, State.IN_MODERATION, State.READY_FOR_RELEASE, State.RELEASED)


def overdue_tasks(*, today: datetime.date) -> list[AssessmentTask]:
    """Tasks whose marks-due date has passed with submitted work still unmarked (no first marking,
    or one not yet marked as complete), each with `unmarked`, the count; in one query."""
    marked = Marking.objects.filter(submission=OuterRef("pk"), role=Marking.Role.FIRST, state__in=_MARKED)
    counts = dict(
        Submission.objects.filter(state=Submission.State.SUBMITTED, task__marks_due_on__lt=today)
        .exclude(Exists(marked))
        .values("task")
        .annotate(n=Count("pk"))
        .values_list("task", "n")
    )
    found = list(AssessmentTask.objects.filter(pk__in=list(counts)).select_related("cohort").order_by("pk"))
    for task in found:
        task.unmarked = counts[task.pk]
    return found


def remind_marks_overdue(*, today: datetime.date | None = None) -> int:
    """Email every programme leader about each task whose marks are overdue: once per task and
    marks-due date (a leader who moves the date later is told again if that date passes too)."""
    today = today or timezone.localdate()
    overdue = overdue_tasks(today=today)
    if not overdue:
        return 0
    kind = ReminderKind.MARKS_OVERDUE.value
    leaders = list(
        User.objects.filter(is_active=True, role_grants__role=Role.PROGRAMME_LEADER).distinct().order_by("pk")
    )
    off = reminders.turned_off(leaders)
    sent = 0
    for task in overdue:
        for leader in leaders:
            if kind in off.get(leader.pk, set()):
                continue
            sent += reminders.send_once(
                kind=kind,
                object_id=task.pk,
                person=leader,
                due_on=task.marks_due_on,
                subject=f"Marks overdue: “{task.title}” ({task.unmarked} not marked)",
                template="assessment/email/marks_overdue.txt",
                context={"task": task, "url": reminders.portal_url("marking:task_release", pk=task.pk)},
            )
    return sent
