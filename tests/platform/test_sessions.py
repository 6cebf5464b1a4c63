"""How long someone stays signed in: short for roles that open many participants' records."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

FOURTEEN_DAYS = 14 * 24 * 60 * 60


def _account_page(client):
    return client.get(reverse("accounts:account_overview"))


def _idle_for(client, **duration) -> None:
    session = client.session
    session["portal_last_seen"] = int((timezone.now() - datetime.timedelta(**duration)).timestamp())
    session.save()


@pytest.mark.parametrize("role", ["tutor", "leader", "examiner"])
def test_a_staff_session_ends_when_the_browser_closes(client, world, role):
    client.force_login(world.person(role))
    assert _account_page(client).status_code == 200
    assert client.session.get_expire_at_browser_close()


@pytest.mark.parametrize("role", ["participant", "coach", "head"])
def test_other_sessions_last_fourteen_days_by_default(client, world, role):
    client.force_login(world.person(role))
    assert _account_page(client).status_code == 200
    assert not client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == FOURTEEN_DAYS


def test_a_tutor_idle_for_more_than_eight_hours_is_signed_out(client, world):
    client.force_login(world.tutor)
    _account_page(client)
    _idle_for(client, hours=8, minutes=1)
    response = _account_page(client)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    assert _account_page(client).status_code == 302


def test_a_tutor_back_within_eight_hours_is_still_signed_in(client, world):
    client.force_login(world.tutor)
    _account_page(client)
    _idle_for(client, hours=7, minutes=59)
    assert _account_page(client).status_code == 200
    _idle_for(client, hours=7, minutes=59)
    assert _account_page(client).status_code == 200


def test_a_coach_idle_for_a_day_stays_signed_in(client, world):
    client.force_login(world.coach)
    _idle_for(client, hours=30)
    assert _account_page(client).status_code == 200


def test_disabling_an_account_ends_its_sessions_at_once(client, world):
    client.force_login(world.coach)
    assert _account_page(client).status_code == 200
    world.coach.is_active = False
    world.coach.save()
    response = _account_page(client)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
