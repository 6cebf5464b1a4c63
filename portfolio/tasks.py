"""Thin Celery tasks for the portfolio's export: each takes an id (or nothing) and calls
portfolio.services.exports. Both are safe to run twice; `expire_exports` runs daily on celery
beat's schedule (settings.CELERY_BEAT_SCHEDULE). Acknowledged late, as every task here is
(CELERY_TASK_ACKS_LATE), so a build lost with its worker is given to another."""

from celery import shared_task


@shared_task(bind=True)
def build_export(self, export_id: int) -> None:
    from portfolio.services.exports import export_build

    export_build(export_id=export_id, task_id=self.request.id or "")


@shared_task
def expire_exports() -> int:
    from portfolio.services.exports import exports_expire

    return exports_expire()
