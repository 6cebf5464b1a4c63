"""Invitations in the CMS: a programme leader invites people by email and resends links."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import Invitation
from accounts.roles import Role
from tests.factories import SchoolFactory, UserFactory
from tests.programme.admin_factories import InvitationFactory, programme_leader, with_totp

pytestmark = pytest.mark.django_db

ADD = reverse("accounts_invitations:add")
INDEX = reverse("accounts_invitations:index")


@pytest.fixture
def leader(client):
    user = programme_leader()
    client.force_login(user)
    return user


def invitation_data(**overrides):
    return {
        "email": "New.Coach@Example.org",
        "first_name": "Nia",
        "last_name": "Coach",
        "roles": ["coach"],
        **overrides,
    }


def test_leader_sees_invitations_with_their_roles_and_dates(client, leader):
    InvitationFactory(email="listed@example.org", roles=["coach", "head"], sent_at=timezone.now())
    response = client.get(INDEX)
    assert response.status_code == 200
    assert b"listed@example.org" in response.content
    assert b"In-school coach, Headteacher" in response.content


def test_the_list_shows_the_date_an_invitation_expires(client, leader):
    expires_at = timezone.now() + datetime.timedelta(days=14)
    InvitationFactory(email="waiting@example.org", expires_at=expires_at)
    body = client.get(INDEX).content.decode()
    assert date_format(timezone.localtime(expires_at), "j F Y") in body
    assert "Just now" not in body


@pytest.mark.parametrize("role", [Role.COACH, Role.TUTOR, Role.PARTICIPANT])
def test_other_roles_cannot_list_or_send_invitations(client, role):
    client.force_login(with_totp(UserFactory(roles=[role])))
    assert client.get(INDEX).status_code in (302, 403)
    assert client.post(ADD, invitation_data()).status_code in (302, 403)
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_leader_invites_a_coach_and_exactly_one_email_is_sent(client, leader, django_capture_on_commit_callbacks):
    school = SchoolFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(ADD, invitation_data(roles=["coach", "head"], school=school.pk))
    assert response.status_code == 302
    assert len(callbacks) == 1
    invitation = Invitation.objects.get()
    assert invitation.email == "new.coach@example.org"
    assert invitation.roles == ["coach", "head"]
    assert (invitation.school, invitation.invited_by) == (school, leader)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.coach@example.org"]
    invitation.refresh_from_db()
    assert invitation.sent_at is not None


def test_an_email_that_already_has_an_account_is_refused_beside_the_email(client, leader):
    UserFactory(email="taken@example.org")
    response = client.post(ADD, invitation_data(email="Taken@example.org"))
    assert response.status_code == 200
    assert "Someone already has an account with this email address." in response.context["form"].errors["email"]
    assert b'value="Nia"' in response.content
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_an_email_with_a_pending_invitation_is_refused_but_an_expired_one_may_be_invited_again(client, leader):
    InvitationFactory(email="waiting@example.org")
    response = client.post(ADD, invitation_data(email="waiting@example.org"))
    assert any("already has an invitation waiting" in e for e in response.context["form"].errors["email"])
    assert Invitation.objects.count() == 1

    InvitationFactory(email="lapsed@example.org", expires_at=timezone.now() - datetime.timedelta(days=1))
    assert client.post(ADD, invitation_data(email="lapsed@example.org", school=SchoolFactory().pk)).status_code == 302
    assert Invitation.objects.filter(email="lapsed@example.org").count() == 2


def test_a_coach_invited_without_a_school_is_refused_beside_the_school(client, leader):
    response = client.post(ADD, invitation_data(roles=["coach"]))
    assert response.status_code == 200
    assert any("Choose the school" in e for e in response.context["form"].errors["school"])
    assert b'value="Nia"' in response.content
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_an_invitation_needs_at_least_one_role(client, leader):
    response = client.post(ADD, invitation_data(roles=[]))
    assert response.context["form"].errors["roles"]
    assert not Invitation.objects.exists()


def test_leader_resends_an_invitation_with_a_new_link_and_one_email(client, leader, django_capture_on_commit_callbacks):
    invitation = InvitationFactory(expires_at=timezone.now() + datetime.timedelta(days=1))
    old_nonce = invitation.nonce
    url = reverse("accounts_invitations:resend", args=[invitation.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.nonce != old_nonce
    assert invitation.expires_at > timezone.now() + datetime.timedelta(days=2)
    assert len(mail.outbox) == 1


def test_an_accepted_invitation_is_not_resent(client, leader, django_capture_on_commit_callbacks):
    invitation = InvitationFactory(accepted_at=timezone.now())
    nonce = invitation.nonce
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts_invitations:resend", args=[invitation.pk]), follow=True)
    assert b"already been accepted" in response.content
    invitation.refresh_from_db()
    assert invitation.nonce == nonce
    assert mail.outbox == []


def test_other_roles_cannot_resend(client):
    invitation = InvitationFactory()
    client.force_login(with_totp(UserFactory(roles=[Role.COACH])))
    response = client.post(reverse("accounts_invitations:resend", args=[invitation.pk]))
    assert response.status_code in (302, 403)
    assert Invitation.objects.get().nonce == invitation.nonce


def test_an_invitation_is_not_edited_the_edit_address_shows_it_instead(client, leader):
    invitation = InvitationFactory(accepted_at=timezone.now(), first_name="Ada")
    edit = reverse("accounts_invitations:edit", args=[invitation.pk])
    response = client.post(edit, {"first_name": "Changed"})
    assert response.url == reverse("accounts_invitations:inspect", args=[invitation.pk])
    invitation.refresh_from_db()
    assert invitation.first_name == "Ada"
    assert client.get(response.url).status_code == 200
