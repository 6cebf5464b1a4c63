"""Thin Celery tasks for data protection: each takes an id (or nothing) and calls a service. Safe
to run twice; acknowledged late (CELERY_TASK_ACKS_LATE), so work lost with its worker is redone."""

from celery import shared_task


@shared_task(bind=True)
def build_subject_access(self, request_id: int) -> None:
    from privacy.services import subject_access_build

    subject_access_build(request_id=request_id, task_id=self.request.id or "")


@shared_task
def expire_subject_access() -> int:
    from privacy.services import subject_access_expire

    return subject_access_expire()


@shared_task
def erase_due() -> int:
    from privacy.services import erasures_run

    return erasures_run()
