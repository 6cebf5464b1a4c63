"""Thin Celery tasks for tracking: each takes an id (or nothing) and calls a function. Each is safe
to run twice; the periodic ones are on celery beat's schedule (settings.CELERY_BEAT_SCHEDULE)."""

import datetime

from celery import shared_task


@shared_task
def send_digests() -> int:
    """Every Monday: queue last week's digest for each head and programme leader."""
    from tracking.digest import digests_send

    return len(digests_send())


@shared_task
def send_digest(person_id: int, today: str) -> bool:
    """One person's digest, judged on the day it was queued (so a retry on Tuesday is the same week)."""
    from tracking.digest import digest_send

    return digest_send(person_id=person_id, today=datetime.date.fromisoformat(today))


@shared_task(bind=True)
def build_export(self, export_id: int) -> None:
    """Write a head's or programme leader's table too long to make in the request."""
    from tracking.export_jobs import list_export_build

    list_export_build(export_id=export_id, task_id=self.request.id or "")


@shared_task
def expire_exports() -> int:
    """Daily: delete the files of exports past their time."""
    from tracking.export_jobs import list_exports_expire

    return list_exports_expire()


@shared_task
def refresh_risks() -> None:
    """Nightly: judge every participant's at-risk reasons for the new day (tracking.stored_risks), so
    the first reader of the day does not wait for it."""
    from tracking.stored_risks import risks_refresh_all

    risks_refresh_all()
