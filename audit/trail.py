"""The one way to write to the audit trail. Services call `record` inside their transaction, so
the event is saved with the change or not at all; views call `read` when they show a record.

The person and their address come from the request being answered (audit.context), unless the
caller names the actor (a sign-in, or a service that is told who acts).
"""

from collections.abc import Iterable

from django.apps import apps
from django.db import models
from django.http import HttpRequest

from audit.context import client_address, current_actor, current_request
from audit.models import AuditAction, AuditEvent, Outcome

Action = AuditAction
__all__ = ["Action", "Outcome", "read", "record", "record_many", "refused", "refused_read"]


def _described(record) -> tuple[str, str]:
    """(kind, id) of a saved record, an unsaved one (no id), or a stand-in the access policy judges
    (programme.access.EnrolmentRecord: the enrolment it stands for)."""
    if record is None:
        return "", ""
    if not isinstance(record, models.Model):
        record = getattr(record, "enrolment", None)
        if not isinstance(record, models.Model):
            return "", ""
    return record._meta.label_lower, "" if record.pk is None else str(record.pk)


def _enrolment_id(record) -> int | None:
    if record is None:
        return None
    if isinstance(record, models.Model) and record._meta.label_lower == "programme.enrolment":
        return record.pk
    if hasattr(record, "enrolment_id"):
        return record.enrolment_id
    return getattr(record, "access_enrolment_id", None)


def _participant_id(enrolment_id: int | None) -> int | None:
    if enrolment_id is None:
        return None
    enrolments = apps.get_model("programme", "Enrolment").objects
    return enrolments.filter(pk=enrolment_id).values_list("participant_id", flat=True).first()


def _event(
    action: AuditAction,
    *,
    record: models.Model | None,
    enrolment_id: int | None,
    actor,
    outcome: Outcome,
    detail: dict | None,
    request: HttpRequest | None,
) -> AuditEvent:
    request = request or current_request()
    actor = actor if actor is not None else current_actor()
    kind, pk = _described(record)
    return AuditEvent(
        action=action,
        actor_id=getattr(actor, "pk", None),
        record_kind=kind,
        record_id=pk,
        enrolment_id=enrolment_id if enrolment_id is not None else _enrolment_id(record),
        client_address=client_address(request),
        outcome=outcome,
        detail=detail or {},
    )


def record(
    action: AuditAction,
    *,
    record: models.Model | None = None,
    enrolment_id: int | None = None,
    actor=None,
    outcome: Outcome = Outcome.SUCCESS,
    detail: dict | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Write one event: one INSERT, in the caller's transaction."""
    event = _event(
        action,
        record=record,
        enrolment_id=enrolment_id,
        actor=actor,
        outcome=outcome,
        detail=detail,
        request=request,
    )
    event.save(force_insert=True)
    return event


def record_many(action: AuditAction, records: Iterable[models.Model], *, actor=None) -> list[AuditEvent]:
    """One event per record in a single INSERT, for pages and exports that show many at once."""
    events = [
        _event(action, record=r, enrolment_id=None, actor=actor, outcome=Outcome.SUCCESS, detail=None, request=None)
        for r in records
    ]
    return AuditEvent.objects.bulk_create(events) if events else []


def read(shown: models.Model, *, participant_id: int | None = None, summary: bool = False) -> AuditEvent | None:
    """A record about a participant was shown. The participant reading their own is not audited.
    A caller that has the participant at hand names them; otherwise one query finds them."""
    actor = current_actor()
    if participant_id is None:
        participant_id = _participant_id(_enrolment_id(shown))
    if actor is not None and actor.pk == participant_id:
        return None
    return record(Action.READ_SUMMARY if summary else Action.READ, record=shown)


def refused_read(shown, *, actor=None) -> AuditEvent:
    """The access policy refused to show a record at all (a 404 that hides whether it exists).
    Called by programme.access.require, so every refused read of every kind is recorded."""
    return record(Action.REFUSED, record=shown, actor=actor, outcome=Outcome.REFUSED, detail={"asked": "read"})


def refused(request: HttpRequest) -> AuditEvent:
    """The access policy refused a request (a 403)."""
    return record(
        Action.REFUSED,
        outcome=Outcome.REFUSED,
        detail={"method": request.method, "path": request.path[:300]},
        request=request,
    )
