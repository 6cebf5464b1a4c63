"""Signing in: email and password, rate limits, password reset, two-factor sign-in for the roles that need
it, and both admin sites sending people through the same sign-in."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal import auth as totp_auth
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")
HOMES = {
    Role.PARTICIPANT: reverse("tracking:participant_home"),
    Role.COACH: reverse("tracking:coach_home"),
    Role.TUTOR: reverse("tracking:tutor_home"),
    Role.HEAD: reverse("tracking:head_home"),
    Role.PROGRAMME_LEADER: reverse("tracking:leader_home"),
    Role.EXTERNAL_EXAMINER: reverse("tracking:examiner_home"),
}
MFA_ROLES = [Role.TUTOR, Role.PROGRAMME_LEADER, Role.EXTERNAL_EXAMINER]
NO_MFA_ROLES = [Role.PARTICIPANT, Role.COACH, Role.HEAD]
TOTP_SETUP = reverse("mfa_activate_totp")


def _sign_in(client, email, password=PASSWORD):
    return client.post(LOGIN, {"login": email, "password": password})


def _signed_in_as(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


def _current_code(secret: str) -> str:
    counters = list(totp_auth.yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


@pytest.fixture(autouse=True)
def _one_totp_window(monkeypatch):
    # A code computed here and checked a moment later must not fall either side of a 30-second tick.
    counter = next(iter(totp_auth.yield_hotp_counters_from_time()))
    monkeypatch.setattr(totp_auth, "yield_hotp_counters_from_time", lambda: iter([counter]))


# --- Email and password.


def test_verified_user_signs_in_with_their_email(client):
    user = UserFactory(roles=[Role.COACH])
    response = _sign_in(client, user.email)
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    assert _signed_in_as(client, user)
    assert client.get(response.url).url == HOMES[Role.COACH]


def test_email_is_matched_whatever_the_capitals(client):
    user = UserFactory(roles=[Role.COACH])
    _sign_in(client, user.email.upper())
    assert _signed_in_as(client, user)


def test_wrong_password_is_refused_with_a_message(client):
    user = UserFactory(roles=[Role.COACH])
    response = _sign_in(client, user.email, "not-the-password")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not _signed_in_as(client, user)


def test_unverified_email_is_not_signed_in(client):
    user = UserFactory(roles=[Role.COACH])
    EmailAddress.objects.filter(user=user).update(verified=False)
    _sign_in(client, user.email)
    assert not _signed_in_as(client, user)


def test_inactive_user_cannot_sign_in(client):
    user = UserFactory(roles=[Role.COACH], is_active=False)
    _sign_in(client, user.email)
    assert not _signed_in_as(client, user)


# --- Rate limits.


def test_after_repeated_wrong_passwords_even_the_right_password_is_refused(client, settings):
    user = UserFactory(roles=[Role.COACH])
    for _ in range(5):
        assert _sign_in(client, user.email, "guess-again").status_code == 200
    response = _sign_in(client, user.email)
    assert not _signed_in_as(client, user)
    assert response.status_code in (200, 429)
    assert b"Too many failed login attempts" in response.content


def test_a_few_wrong_passwords_do_not_lock_the_person_out(client):
    user = UserFactory(roles=[Role.COACH])
    for _ in range(4):
        _sign_in(client, user.email, "guess-again")
    _sign_in(client, user.email)
    assert _signed_in_as(client, user)


def test_repeated_failures_from_one_address_are_refused_whichever_accounts_they_try(client):
    # Per address as well as per account: guessing a few passwords each for many accounts from one
    # address is stopped too, and the next account tried from there, even with its right password,
    # is refused. Another address is not held up.
    for _ in range(10):
        _sign_in(client, UserFactory(roles=[Role.COACH]).email, "guess-again")
    user = UserFactory(roles=[Role.COACH])
    response = _sign_in(client, user.email)
    assert not _signed_in_as(client, user)
    assert b"Too many failed login attempts" in response.content

    elsewhere = Client(REMOTE_ADDR="192.0.2.7")
    elsewhere.post(LOGIN, {"login": user.email, "password": PASSWORD})
    assert elsewhere.session.get("_auth_user_id") == str(user.pk)


def test_the_rate_limit_is_counted_in_a_real_cache(settings):
    # A dummy cache would count nothing, and the limit would never bite.
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend in (
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.redis.RedisCache",
    )
    assert "login_failed" in settings.ACCOUNT_RATE_LIMITS


# --- Password reset.


def test_password_reset_sends_an_email_with_a_link(client):
    user = UserFactory(roles=[Role.COACH])
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mail.outbox[0].body)
    assert link
    # The link opens the form to choose a new password.
    followed = client.get(link.group(1), follow=True)
    assert followed.status_code == 200
    assert b"password1" in followed.content


def test_password_reset_for_an_unknown_address_sends_nothing(client):
    # Sign-up is closed, so there is nothing useful to tell a stranger; the page looks the same.
    response = client.post(reverse("account_reset_password"), {"email": "stranger@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_a_password_reset_does_not_get_round_two_factor_sign_in(client):
    user = UserFactory(roles=[Role.TUTOR])
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    client.post(reverse("account_reset_password"), {"email": user.email})
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url  # allauth moves the key into the session, out of the address
    done = client.post(form_url, {"password1": "A-new-long-passphrase-7", "password2": "A-new-long-passphrase-7"})
    assert done.status_code == 302
    assert not _signed_in_as(client, user)  # the reset signs nobody in

    response = _sign_in(client, user.email, "A-new-long-passphrase-7")
    assert response.url == reverse("mfa_authenticate")
    assert not _signed_in_as(client, user)  # the new password alone is not enough either
    client.post(reverse("mfa_authenticate"), {"code": _current_code(secret)})
    assert _signed_in_as(client, user)


# --- Two-factor sign-in.


@pytest.mark.parametrize("role", MFA_ROLES)
@pytest.mark.parametrize(
    "path",
    [
        reverse("dashboard"),
        reverse("tracking:tutor_home"),
        reverse("tracking:leader_home"),
        reverse("tracking:examiner_home"),
        "/cms/",
        "/django-admin/",
    ],
)
def test_role_that_needs_two_factor_is_sent_to_set_it_up_from_any_portal_page(client, role, path):
    client.force_login(UserFactory(roles=[role]))
    response = client.get(path)
    assert response.status_code == 302
    assert response.url == TOTP_SETUP


@pytest.mark.parametrize("role", MFA_ROLES)
def test_role_that_needs_two_factor_signs_in_and_lands_on_totp_setup(client, role):
    user = UserFactory(roles=[role])
    response = _sign_in(client, user.email)
    assert _signed_in_as(client, user)
    response = client.get(response.url, follow=True)
    # Setting up a second factor is a sensitive change, so allauth asks for the password once more.
    reauthenticate = f"{reverse('account_reauthenticate')}?next={TOTP_SETUP.replace('/', '%2F')}"
    assert [url for url, _ in response.redirect_chain] == [TOTP_SETUP, reauthenticate]
    assert response.status_code == 200
    assert b"two-factor sign-in" in response.content
    response = client.post(reauthenticate, {"password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == TOTP_SETUP
    assert response.status_code == 200
    assert response.context["form"].__class__.__name__ == "ActivateTOTPForm"


def test_person_with_a_role_that_needs_two_factor_among_others_must_set_it_up(client):
    client.force_login(UserFactory(roles=[Role.COACH, Role.TUTOR]))
    assert client.get(HOMES[Role.COACH]).url == TOTP_SETUP


@pytest.mark.parametrize("role", NO_MFA_ROLES)
def test_participant_coach_and_head_are_not_sent_to_two_factor_setup(client, role):
    client.force_login(UserFactory(roles=[role]))
    response = client.get(HOMES[role])
    assert response.status_code == 200


@pytest.mark.parametrize("role", MFA_ROLES)
def test_with_totp_sign_in_asks_for_the_code_and_lands_on_the_role_home(client, role):
    user = UserFactory(roles=[role])
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    response = _sign_in(client, user.email)
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert not _signed_in_as(client, user)  # the password alone is not enough

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000" if _current_code(secret) != "000000" else "1"})
    assert wrong.status_code == 200
    assert not _signed_in_as(client, user)

    response = client.post(reverse("mfa_authenticate"), {"code": _current_code(secret)}, follow=True)
    assert _signed_in_as(client, user)
    assert response.redirect_chain[-1][0] == HOMES[role]
    assert response.status_code == 200


def test_a_correct_code_used_a_moment_ago_says_to_wait_for_the_next_one(client):
    user = UserFactory(roles=[Role.TUTOR])
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    _sign_in(client, user.email)
    client.post(reverse("mfa_authenticate"), {"code": _current_code(secret)})
    assert _signed_in_as(client, user)
    client.logout()

    _sign_in(client, user.email)
    response = client.post(reverse("mfa_authenticate"), {"code": _current_code(secret)})
    assert not _signed_in_as(client, user)
    body = response.content.decode()
    assert "This code has just been used. Wait for your authenticator app to show the next code" in body
    assert "Incorrect code" not in body


def test_a_wrong_code_is_still_called_incorrect(client):
    user = UserFactory(roles=[Role.TUTOR])
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    _sign_in(client, user.email)
    wrong = "000000" if _current_code(secret) != "000000" else "111111"
    assert "Incorrect code" in client.post(reverse("mfa_authenticate"), {"code": wrong}).content.decode()


def test_with_totp_a_role_that_needs_it_is_not_sent_to_setup_again(client):
    user = UserFactory(roles=[Role.TUTOR])
    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)
    assert client.get(HOMES[Role.TUTOR]).status_code == 200


# --- Both admin sites sign people in through the same page.


def test_wagtail_admin_login_redirects_to_the_portal_sign_in(client):
    response = client.get("/cms/login/?next=/cms/pages/")
    assert response.status_code in (301, 302)
    assert response.url == f"{LOGIN}?next=/cms/pages/"


def test_django_admin_login_redirects_to_the_portal_sign_in(client):
    response = client.get("/django-admin/login/?next=/django-admin/")
    assert response.status_code in (301, 302)
    assert response.url == f"{LOGIN}?next=/django-admin/"


@pytest.mark.parametrize("path", ["/cms/", "/django-admin/"])
def test_signed_out_visitor_to_an_admin_site_ends_at_the_portal_sign_in(client, path):
    response = client.get(path, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert response.request["PATH_INFO"] == LOGIN


def test_posting_a_password_to_the_django_admin_login_signs_nobody_in(client):
    user = UserFactory(roles=[Role.PROGRAMME_LEADER], is_staff=True)
    client.post("/django-admin/login/", {"username": user.email, "password": PASSWORD})
    assert not _signed_in_as(client, user)


def test_account_page_shows_two_factor_status_and_links(client):
    user = UserFactory(roles=[Role.COACH], first_name="Ada", last_name="Shah")
    client.force_login(user)
    response = client.get(reverse("accounts:account_overview"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ada Shah" in page
    assert "In-school coach" in page
    assert reverse("account_change_password") in page
    assert reverse("mfa_index") in page


def test_account_page_needs_sign_in(client):
    response = client.get(reverse("accounts:account_overview"))
    assert response.status_code == 302
    assert reverse("account_login") in response.url
