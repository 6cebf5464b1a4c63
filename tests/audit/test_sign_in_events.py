"""Sign-ins, failed sign-ins, sign-outs and two-factor events are in the audit trail, with the
address they came from."""

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse

from accounts.roles import Role
from audit.models import AuditAction, AuditEvent, Outcome
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")


def _sign_in(client, email, password=PASSWORD):
    return client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR="192.0.2.10")


def _events(action):
    return list(AuditEvent.objects.filter(action=action))


def test_a_sign_in_is_recorded_with_the_person_and_their_address(client):
    person = UserFactory(roles=[Role.COACH])
    _sign_in(client, person.email)
    [event] = _events(AuditAction.SIGN_IN)
    assert (event.actor, event.client_address, event.outcome) == (person, "192.0.2.10", Outcome.SUCCESS)


def test_a_wrong_password_is_recorded_as_a_failed_sign_in_of_that_account(client):
    person = UserFactory(roles=[Role.COACH])
    _sign_in(client, person.email, password="not-the-password")
    [event] = _events(AuditAction.SIGN_IN_FAILED)
    assert (event.actor, event.client_address, event.outcome) == (person, "192.0.2.10", Outcome.FAILED)
    assert not _events(AuditAction.SIGN_IN)


def test_a_failed_sign_in_for_an_unknown_address_keeps_nothing_that_was_typed(client):
    _sign_in(client, "nobody@example.org", password="a secret someone mistyped")
    [event] = _events(AuditAction.SIGN_IN_FAILED)
    assert event.actor is None
    assert "nobody" not in str(event.detail)
    assert "secret" not in str(event.detail)


def test_signing_out_is_recorded(client):
    person = UserFactory(roles=[Role.COACH])
    client.force_login(person)
    client.post(reverse("account_logout"))
    assert [e.actor for e in _events(AuditAction.SIGN_OUT)] == [person]


def _current_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def test_a_refused_and_an_accepted_two_factor_code_are_recorded(client):
    person = UserFactory(roles=[Role.TUTOR])
    secret = generate_totp_secret()
    TOTP.activate(person, secret)
    _sign_in(client, person.email)
    assert not _events(AuditAction.SIGN_IN)  # the password alone does not sign in

    wrong = "000000" if _current_code(secret) != "000000" else "111111"
    client.post(reverse("mfa_authenticate"), {"code": wrong})
    [failed] = _events(AuditAction.MFA_FAIL)
    assert (failed.actor, failed.outcome, failed.detail) == (person, Outcome.FAILED, {"method": "totp"})

    client.post(reverse("mfa_authenticate"), {"code": _current_code(secret)})
    assert [e.actor for e in _events(AuditAction.MFA_USE)] == [person]
    assert [e.actor for e in _events(AuditAction.SIGN_IN)] == [person]


def test_a_sign_in_refused_by_the_rate_limit_is_recorded_as_refused(client):
    person = UserFactory(roles=[Role.COACH])
    for _ in range(5):
        _sign_in(client, person.email, password="guess-again")
    response = _sign_in(client, person.email)
    assert b"Too many failed login attempts" in response.content
    refused = AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED, outcome=Outcome.REFUSED)
    assert [(e.actor, e.detail) for e in refused] == [(person, {"reason": "rate_limited"})]
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED, outcome=Outcome.FAILED).count() == 5
