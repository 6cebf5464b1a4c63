"""On PostgreSQL the database itself refuses to change or delete an audit event, even for code
that goes round the model (raw SQL, a queryset's private delete)."""

import pytest
from django.db import DatabaseError, connection, transaction

from audit import trail
from audit.models import AuditAction, AuditEvent

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"),
]


def test_the_database_refuses_to_update_an_event():
    event = trail.record(AuditAction.SIGN_IN)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET outcome = 'failed' WHERE id = %s", [event.pk])
    event.refresh_from_db()
    assert event.outcome == "success"


def test_the_database_refuses_to_delete_an_event():
    event = trail.record(AuditAction.SIGN_IN)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk)._raw_delete(connection.alias)
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_new_events_are_still_written():
    trail.record(AuditAction.SIGN_IN)
    trail.record(AuditAction.SIGN_OUT)
    assert AuditEvent.objects.count() == 2
