"""The one function that writes the audit trail: who, from where, in the change's transaction,
and never changed afterwards."""

import pytest
from django.db import transaction
from django.test import RequestFactory

from accounts.roles import Role
from accounts.services import role_grant
from audit import trail
from audit.context import AuditContextMiddleware
from audit.models import AppendOnlyError, AuditEvent, Outcome
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _while_answering(request, work):
    """Run `work` as a view would, inside the audit middleware."""
    found = {}

    def view(req):
        found["result"] = work()
        return

    AuditContextMiddleware(view)(request)
    return found["result"]


def test_an_event_names_the_person_making_the_request_and_their_address():
    person = UserFactory()
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7")
    request.user = person
    event = _while_answering(request, lambda: trail.record(trail.Action.READ, record=person))
    event.refresh_from_db()
    assert (event.actor, event.client_address, event.outcome) == (person, "203.0.113.7", Outcome.SUCCESS)
    assert (event.record_kind, event.record_id) == ("accounts.user", str(person.pk))


def test_behind_a_trusted_proxy_the_address_is_the_one_the_proxy_saw(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")
    request.user = UserFactory()
    event = _while_answering(request, lambda: trail.record(trail.Action.READ))
    assert event.client_address == "203.0.113.9"


def test_without_a_trusted_proxy_a_forwarded_address_is_not_believed(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1")
    request.user = UserFactory()
    assert _while_answering(request, lambda: trail.record(trail.Action.READ)).client_address == "10.0.0.2"


def test_outside_a_request_an_event_has_no_address_and_only_the_actor_it_is_told():
    person = UserFactory()
    event = trail.record(trail.Action.ROLE_GRANT, record=person, actor=person)
    assert (event.actor, event.client_address) == (person, None)


def _grant_then_fail(person) -> None:
    with transaction.atomic():
        role_grant(user=person, role=Role.COACH)
        raise RuntimeError("the rest of the change failed")


def test_a_change_that_is_rolled_back_leaves_no_event():
    person = UserFactory()
    with pytest.raises(RuntimeError):
        _grant_then_fail(person)
    assert not AuditEvent.objects.exists()
    role_grant(user=person, role=Role.COACH)
    assert AuditEvent.objects.get().detail == {"role": "coach"}


def test_an_event_cannot_be_changed_or_deleted_through_the_orm():
    event = trail.record(trail.Action.SIGN_IN)
    event.outcome = Outcome.FAILED
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(outcome=Outcome.FAILED)
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    event.refresh_from_db()
    assert event.outcome == Outcome.SUCCESS


def test_many_reads_are_written_in_one_query(django_assert_num_queries):
    people = [UserFactory() for _ in range(5)]
    with django_assert_num_queries(1):
        trail.record_many(trail.Action.READ, people)
    assert AuditEvent.objects.count() == 5
