"""Telling a participant by email that their result was released or amended. Like the coaching
emails (coaching.reminders): sent by a Celery task after the transaction commits, once each (a
SentReminder row claims it), and not at all if the participant turned results emails off. The
email says only that there is a result to read, never the mark or the feedback."""

import datetime

from django.db import transaction
from django.utils import timezone

from assessment import tasks
from assessment.models import Marking
from coaching import reminders
from coaching.models import ReminderKind


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
    kind = ReminderKind.RESULTS.value
    if not reminders.wants(participant, kind):
        return False
    task = marking.submission.task
    # One email for the release; one a day at most for amendments.
    due_on = (today or timezone.localdate()) if amended else timezone.localdate(marking.released_at)
    subject = f"Your result for “{task.title}” has been {'amended' if amended else 'released'}"
    return reminders._remind(
        kind=kind,
        object_id=marking.pk,
        person=participant,
        due_on=due_on,
        subject=subject,
        template="assessment/email/result.txt",
        context={
            "task": task,
            "amended": amended,
            "url": reminders._url("marking:result", pk=marking.submission_id),
        },
    )
