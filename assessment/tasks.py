"""Thin Celery tasks for assessment: each takes ids (or nothing) and calls a service or notice.
`release_due_results` runs daily on celery beat (settings.CELERY_BEAT_SCHEDULE); it is safe to
run twice."""

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
