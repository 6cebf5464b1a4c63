"""Joining by invitation: a link that works once, clear messages when it cannot, and no open sign-up."""

import datetime
import html
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.links import invitation_token, invitation_token_data
from accounts.models import Invitation, RoleGrant, User
from accounts.roles import Role
from programme.models import StaffMembership
from tests.factories import SchoolFactory, UserFactory
from ui.errors import RuleError

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Kestrel-moor-2026-coach"


@pytest.fixture
def leader():
    return UserFactory(roles=[Role.PROGRAMME_LEADER])


@pytest.fixture
def invite(leader, django_capture_on_commit_callbacks):
    def make(**overrides):
        values = {
            "email": "Ada.Lovelace@Example.org ",
            "first_name": "Ada",
            "last_name": "Lovelace",
            "roles": [Role.PARTICIPANT],
            "invited_by": leader,
        }
        values.update(overrides)
        with django_capture_on_commit_callbacks(execute=True):
            return services.invitation_create(**values)

    return make


def _url(invitation) -> str:
    return reverse("accounts:invitation_accept", kwargs={"token": invitation_token(invitation)})


def _emailed_link(message) -> tuple[str, dict]:
    """The accept link in an email and what its token says. The token is signed with a timestamp,
    so it is compared by meaning, never as text signed again a second later."""
    found = re.search(r"(http://testserver)?((?:/[^\s/]+)*/invitations/[^\s/]+/)", message.body)
    assert found, message.body
    path = found.group(2)
    token = path.rstrip("/").rsplit("/", 1)[1]
    return found.group(0), invitation_token_data(token)


def _accept(client, url, password=GOOD_PASSWORD, confirm=None):
    return client.post(url, {"password1": password, "password2": password if confirm is None else confirm})


def _refused_with(response, text: str) -> None:
    assert response.status_code == 410
    assert text in html.unescape(response.content.decode())


def _no_account(email="ada.lovelace@example.org") -> bool:
    return not User.objects.filter(email__iexact=email).exists()


# --- The email.


def test_invitation_email_is_sent_once_after_commit_with_the_link(leader, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation = services.invitation_create(
            email="ada@example.org",
            first_name="Ada",
            last_name="Lovelace",
            roles=[Role.COACH],
            invited_by=leader,
            school=SchoolFactory(),
        )
        assert mail.outbox == []  # nothing goes out before the invitation is committed
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@example.org"]
    assert "invited" in message.subject
    link, data = _emailed_link(message)
    assert link.startswith("http://testserver/")
    assert data == {"i": invitation.pk, "n": invitation.nonce}
    assert "In-school coach" in message.body
    invitation.refresh_from_db()
    assert invitation.sent_at is not None


def test_invitation_created_in_a_failed_transaction_sends_nothing(leader, django_capture_on_commit_callbacks):
    from django.db import transaction

    with (  # noqa: PT012
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.invitation_create(
            email="ada@example.org",
            first_name="Ada",
            last_name="Lovelace",
            roles=[Role.COACH],
            invited_by=leader,
            school=SchoolFactory(),
        )
        raise RuntimeError("the leader's form failed after the invitation was made")
    assert callbacks == []
    assert mail.outbox == []
    assert not Invitation.objects.exists()


def test_invitation_email_address_is_stored_in_lower_case(invite):
    assert invite().email == "ada.lovelace@example.org"
    assert mail.outbox[0].to == ["ada.lovelace@example.org"]


def test_resend_sends_a_new_link_once(invite, django_capture_on_commit_callbacks):
    invitation = invite()
    first_nonce = invitation.nonce
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(invitation=invitation)
    assert len(mail.outbox) == 2
    invitation.refresh_from_db()
    assert _emailed_link(mail.outbox[1])[1] == {"i": invitation.pk, "n": invitation.nonce}
    assert invitation.nonce != first_nonce  # the first link no longer works


# --- Who may be invited: one place for the rule, the service; the CMS form shows its message.


def _refused_invitation(invite, field, text, **overrides):
    before = Invitation.objects.count()
    with pytest.raises(RuleError) as error:
        invite(**overrides)
    assert error.value.field == field
    assert text in error.value.message
    assert Invitation.objects.count() == before
    return error.value


def test_an_email_that_already_has_an_account_is_not_invited(invite):
    UserFactory(email="ada.lovelace@example.org")
    _refused_invitation(invite, "email", "already has an account", email=" ADA.Lovelace@example.org")
    assert mail.outbox == []


def test_an_email_with_an_invitation_waiting_is_not_invited_again_until_it_expires(invite):
    waiting = invite()
    _refused_invitation(invite, "email", "already has an invitation waiting", first_name="Again")
    assert len(mail.outbox) == 1
    Invitation.objects.filter(pk=waiting.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert invite().pk != waiting.pk


def test_an_invitation_needs_at_least_one_known_role(invite):
    _refused_invitation(invite, "roles", "at least one role", roles=[])
    _refused_invitation(invite, "roles", "headmaster", roles=[Role.COACH, "headmaster"])
    assert mail.outbox == []


@pytest.mark.parametrize("roles", [[Role.COACH], [Role.HEAD], [Role.COACH, Role.HEAD]])
def test_a_coach_or_head_is_not_invited_without_their_school(invite, roles):
    error = _refused_invitation(invite, "school", "Choose the school", roles=roles)
    assert error.rule == "school_needed"
    assert mail.outbox == []


# --- The link.


def test_invitation_link_shows_the_form(client, invite):
    response = client.get(_url(invite()))
    assert response.status_code == 200
    assert b"Welcome, Ada" in response.content
    assert b"ada.lovelace@example.org" in response.content


def test_accepting_creates_the_user_with_their_roles_and_a_verified_email(client, invite):
    invitation = invite(roles=[Role.TUTOR, Role.EXTERNAL_EXAMINER])
    response = _accept(client, _url(invitation))
    assert response.status_code == 302
    assert response.url == "/dashboard/"
    user = User.objects.get(email="ada.lovelace@example.org")
    assert (user.first_name, user.last_name) == ("Ada", "Lovelace")
    assert user.check_password(GOOD_PASSWORD)
    assert set(RoleGrant.objects.filter(user=user).values_list("role", flat=True)) == {
        Role.TUTOR,
        Role.EXTERNAL_EXAMINER,
    }
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == ("ada.lovelace@example.org", True, True)
    invitation.refresh_from_db()
    assert invitation.accepted_user == user
    assert invitation.accepted_at is not None
    assert not StaffMembership.objects.filter(user=user).exists()
    # Signed in as the new person.
    assert int(client.session["_auth_user_id"]) == user.pk


def test_accepting_with_a_school_makes_the_person_a_member_of_its_staff_from_today(client, invite):
    school = SchoolFactory()
    invitation = invite(roles=[Role.COACH, Role.HEAD], school=school)
    _accept(client, _url(invitation))
    user = User.objects.get(email="ada.lovelace@example.org")
    memberships = StaffMembership.objects.filter(user=user, school=school)
    assert set(memberships.values_list("role", flat=True)) == {Role.COACH, Role.HEAD}
    assert all(m.starts_on == timezone.localdate() and m.ends_on is None for m in memberships)


def test_accepting_as_programme_leader_joins_the_programme_leaders_group(client, invite):
    _accept(client, _url(invite(roles=[Role.PROGRAMME_LEADER])))
    user = User.objects.get(email="ada.lovelace@example.org")
    assert user.groups.filter(name="Programme leaders").exists()


@pytest.mark.parametrize("role", [Role.TUTOR, Role.PROGRAMME_LEADER, Role.EXTERNAL_EXAMINER])
def test_accepting_leads_straight_to_two_factor_set_up_without_asking_for_the_password_again(client, invite, role):
    """The password was chosen a moment ago on the invitation page: that counts as the recent
    password that allauth asks for before an authenticator is activated."""
    response = client.post(
        _url(invite(roles=[role])), {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    assert response.status_code == 200
    assert not any(url.startswith(reverse("account_reauthenticate")) for url, _ in response.redirect_chain)
    assert b'name="code"' in response.content


def test_invitation_link_works_once(client, invite):
    url = _url(invite())
    assert _accept(client, url).status_code == 302
    client.logout()
    _refused_with(client.get(url), "already been used")
    _refused_with(_accept(client, url, password="Another-good-password-9"), "already been used")
    assert User.objects.filter(email="ada.lovelace@example.org").count() == 1
    assert User.objects.get(email="ada.lovelace@example.org").check_password(GOOD_PASSWORD)


def test_expired_link_shows_when_it_expired_and_creates_no_user(client, invite):
    invitation = invite()
    invitation.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    invitation.save()
    url = _url(invitation)
    _refused_with(client.get(url), "expired on")
    _refused_with(_accept(client, url), "Ask your programme leader to send a new one")
    assert _no_account()


def test_link_expires_after_the_configured_number_of_days(client, invite, settings):
    invitation = invite()
    lifetime = invitation.expires_at - invitation.created_at
    assert abs(lifetime - datetime.timedelta(days=settings.INVITATION_VALID_DAYS)) < datetime.timedelta(seconds=5)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # a changed signature
        lambda token: token[:-5],  # a link cut short
        lambda token: "not-a-token",
    ],
)
def test_tampered_link_is_refused_and_creates_no_user(client, invite, tamper):
    token = tamper(invitation_token(invite()))
    url = reverse("accounts:invitation_accept", kwargs={"token": token})
    _refused_with(client.get(url), "not valid")
    _refused_with(_accept(client, url), "not valid")
    assert _no_account()


def test_link_for_another_invitation_cannot_be_forged_by_changing_the_id(client, invite):
    mine = invite()
    other = invite(email="grace@example.org", first_name="Grace", roles=[Role.PROGRAMME_LEADER])
    forged = signing.dumps({"i": other.pk, "n": mine.nonce}, salt="not-the-salt")
    url = reverse("accounts:invitation_accept", kwargs={"token": forged})
    _refused_with(_accept(client, url), "not valid")
    assert _no_account("grace@example.org")


def test_superseded_link_after_a_resend_is_refused_and_the_new_one_works(client, invite):
    invitation = invite()
    old_url = _url(invitation)
    services.invitation_resend(invitation=invitation)
    _refused_with(client.get(old_url), "replaced by a newer one")
    _refused_with(_accept(client, old_url), "replaced by a newer one")
    assert _no_account()
    assert _accept(client, _url(invitation)).status_code == 302
    assert not _no_account()


def test_resending_an_accepted_invitation_is_refused(client, invite):
    invitation = invite()
    _accept(client, _url(invitation))
    invitation.refresh_from_db()
    with pytest.raises(RuleError):
        services.invitation_resend(invitation=invitation)


def test_invitation_for_an_email_that_already_has_an_account_creates_no_second_one(client, invite):
    invitation = invite()
    UserFactory(email="ada.lovelace@example.org")  # an account made after the invitation was sent
    _refused_with(_accept(client, _url(invitation)), "already exists")
    assert User.objects.filter(email__iexact="ada.lovelace@example.org").count() == 1


# --- Bad passwords: the error beside the field, and nothing kept.


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1!", "This password is too short"),
        ("password123", "This password is too common"),
        ("4815162342108", "This password is entirely numeric"),
        ("ada.lovelace", "too similar"),
    ],
)
def test_weak_password_shows_the_error_beside_the_field_and_keeps_nothing(client, invite, password, message):
    invitation = invite()
    response = _accept(client, _url(invitation), password=password)
    assert response.status_code == 200
    assert message in str(response.context["form"].errors["password1"])
    page = html.unescape(response.content.decode())
    assert 'id="id_password1-error-1"' in page
    assert message in page
    assert "There is a problem" in page
    assert f'value="{password}"' not in page  # a password is never sent back to the browser
    assert _no_account()
    invitation.refresh_from_db()
    assert not invitation.is_accepted


def test_mismatched_passwords_show_the_error_beside_the_confirmation_and_keep_nothing(client, invite):
    response = _accept(client, _url(invite()), password=GOOD_PASSWORD, confirm=GOOD_PASSWORD + "x")
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert 'id="id_password2-error-1"' in page
    assert "The two passwords do not match." in page
    assert _no_account()


def test_empty_passwords_are_asked_for(client, invite):
    response = client.post(_url(invite()), {"password1": "", "password2": ""})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"password1", "password2"}
    assert _no_account()


# --- Nobody signs themselves up.


def test_open_sign_up_is_closed(client):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert b"Accounts are by invitation" in response.content
    client.post(
        reverse("account_signup"),
        {"email": "walk-in@example.org", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
    )
    assert not User.objects.filter(email="walk-in@example.org").exists()
    assert not EmailAddress.objects.filter(email="walk-in@example.org").exists()


def test_the_invitation_task_run_twice_sends_one_email_and_a_resend_sends_one_more(
    leader, django_capture_on_commit_callbacks
):
    # A task is acknowledged late, so a worker that dies after sending gets it given again: the
    # claim of sent_at in the sending transaction makes that second run send nothing.
    from accounts import emails
    from accounts.tasks import send_invitation

    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            email="ada@example.org", first_name="Ada", last_name="Lovelace", roles=[Role.TUTOR], invited_by=leader
        )
    assert len(mail.outbox) == 1
    send_invitation.apply(args=[invitation.pk])
    assert emails.send_invitation_email(invitation_id=invitation.pk) is False
    assert len(mail.outbox) == 1

    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(invitation=invitation)
    send_invitation.apply(args=[invitation.pk])
    assert len(mail.outbox) == 2  # the fresh link, once
    invitation.refresh_from_db()
    assert invitation.sent_at is not None
    _, data = _emailed_link(mail.outbox[1])
    assert data["n"] == invitation.nonce
