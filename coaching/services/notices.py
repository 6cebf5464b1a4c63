"""Telling the participant, by email, that a record waits for them."""

from django.db import transaction

from coaching import tasks
from coaching.models import ReminderKind


def notify_sent_for_agreement(kind: ReminderKind, record_id: int) -> None:
    """Once the transaction commits, email the participant that the record (a log for LOG_SENT, a
    diagnosis for DIAGNOSIS_SENT) was sent to them to agree; coaching.reminders sends it."""
    transaction.on_commit(lambda: tasks.send_sent_for_agreement.delay(kind.value, record_id))
