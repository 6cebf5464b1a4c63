"""Thin Celery tasks for assessment: each takes ids (or nothing) and calls a service or notice.
`release_due_results` and `remind_marks_overdue` run daily on celery beat
(settings.CELERY_BEAT_SCHEDULE); every task here is safe to run twice (assessment.notices)."""

from celery import shared_task
from django.utils import timezone


@shared_task
def release_due_results() -> int:
    from assessment.models import AssessmentTask
    from assessment.services.marking import results_release

    today = timezone.localdate()
    released = 0
    for task in AssessmentTask.objects.filter(
        release_on__lte=today, submissions__markings__state="ready_for_release"
    ).distinct():
        released += len(results_release(task=task, by=None, today=today))
    return released


@shared_task
def send_result_notice(marking_id: int, amended: bool) -> None:
    from assessment import notices

    notices.send_result_notice(marking_id=marking_id, amended=amended)


@shared_task
def send_submission_notice(submission_id: int) -> int:
    from assessment import notices

    return notices.send_submission_notice(submission_id=submission_id)


@shared_task
def send_statement_invitation(submission_id: int) -> int:
    from assessment import notices

    return notices.send_statement_invitation(submission_id=submission_id)


@shared_task
def remind_marks_overdue() -> int:
    from assessment import notices

    return notices.remind_marks_overdue()
