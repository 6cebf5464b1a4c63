"""The next session in both people's calendars."""

import datetime
import uuid

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from coaching.models import DialogueLog, PlannedSession


def planned_session_sync(*, log: DialogueLog, today: datetime.date | None = None) -> PlannedSession | None:
    """Keep the log's planned next session in step with it, and send both people the invitation,
    its update or its cancellation once the transaction commits. Saving the log unchanged sends
    nothing; each change raises the event's SEQUENCE, so calendars replace the earlier one.

    Only the participant's latest plan stands. A log's plan cancels the open plans of earlier
    logs (see _supersede_earlier_plans); a log that a later log's plan has overtaken plans nothing
    (its own plan, if it had one, is cancelled)."""
    from coaching import tasks

    today = today or timezone.localdate()
    planned = PlannedSession.objects.select_for_update().filter(log=log).first()
    later = _later_plan(log)
    if log.next_session_on is None or later is not None:
        if planned is None or planned.cancelled:
            return planned
        planned.cancelled = True
        planned.superseded_by = later
    elif planned is None:
        planned = PlannedSession(
            log=log,
            uid=f"coaching-session-{log.pk}-{uuid.uuid4().hex}@{_calendar_domain()}",
            starts_on=log.next_session_on,
            starts_at=log.next_session_at,
            duration_minutes=log.next_session_minutes,
        )
        planned.save()
        transaction.on_commit(lambda: tasks.send_session_invitation.delay(planned.pk))
        _supersede_earlier_plans(log, today=today)
        return planned
    else:
        when = (log.next_session_on, log.next_session_at, log.next_session_minutes)
        if not planned.cancelled and when == (planned.starts_on, planned.starts_at, planned.duration_minutes):
            return planned
        planned.starts_on, planned.starts_at, planned.duration_minutes = when
        planned.cancelled = False
        planned.superseded_by = None
    planned.sequence += 1
    planned.save()
    transaction.on_commit(lambda: tasks.send_session_invitation.delay(planned.pk))
    if not planned.cancelled:
        _supersede_earlier_plans(log, today=today)
    return planned


def _later_than(log: DialogueLog) -> Q:
    """Logs of the same participant after this one: a later session, or the same day recorded later."""
    return Q(session_on__gt=log.session_on) | Q(session_on=log.session_on, pk__gt=log.pk)


def _later_plan(log: DialogueLog) -> DialogueLog | None:
    """The participant's next log after this one that plans a session, if any: its plan overtakes this one's."""
    return (
        DialogueLog.objects.filter(_later_than(log), enrolment_id=log.enrolment_id, next_session_on__isnull=False)
        .order_by("session_on", "pk")
        .first()
    )


def _supersede_earlier_plans(log: DialogueLog, *, today: datetime.date) -> None:
    """Cancel the open plans of the participant's earlier logs now that this log plans a session,
    sending both people the cancellation. A plan is open while its date is still to come and after
    this log's session (a plan for the day of this log's session is the session it records); one
    whose date has passed is over and is left alone, with no email."""
    from coaching import tasks

    earlier = (
        PlannedSession.objects.select_for_update()
        .filter(
            log__enrolment_id=log.enrolment_id,
            cancelled=False,
            starts_on__gte=today,
            starts_on__gt=log.session_on,
        )
        .exclude(log=log)
        .exclude(log__in=DialogueLog.objects.filter(_later_than(log), enrolment_id=log.enrolment_id))
    )
    for planned in earlier:
        planned.cancelled = True
        planned.superseded_by = log
        planned.sequence += 1
        planned.save(update_fields=["cancelled", "superseded_by", "sequence"])
        transaction.on_commit(lambda pk=planned.pk: tasks.send_session_invitation.delay(pk))


def _calendar_domain() -> str:
    from urllib.parse import urlsplit

    from django.conf import settings

    return urlsplit(settings.PORTAL_BASE_URL).hostname or "mtl-portal"
