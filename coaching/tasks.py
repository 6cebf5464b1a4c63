"""Thin Celery tasks: each takes ids (or nothing) and calls coaching.reminders. The periodic ones
run on celery beat's schedule (settings.CELERY_BEAT_SCHEDULE); each is safe to run twice."""

from celery import shared_task

from coaching import reminders


@shared_task
def send_session_invitation(planned_session_id: int) -> None:
    reminders.send_session_invitation(planned_session_id=planned_session_id)


@shared_task
def send_session_reminders() -> int:
    return reminders.remind_sessions_tomorrow()


@shared_task
def send_action_step_reminders() -> int:
    return reminders.remind_action_steps()


@shared_task
def send_draft_waiting_reminders() -> int:
    return reminders.remind_drafts_waiting()


@shared_task
def send_sent_for_agreement(kind: str, record_id: int) -> None:
    reminders.send_sent_for_agreement(kind=kind, record_id=record_id)
