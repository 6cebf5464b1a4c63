"""The demo data: one sign-in per role that really works, a handbook that is served, and a second
run that changes nothing. The demo of 12 is seeded once for the module (it is the slow part); each
test runs in a savepoint rolled back after it, so a second run or a sign-in is undone before the next.
Its cohort's rules are in test_seed_demo_cohort.py, and seeding an empty database in
test_seed_demo_from_empty.py."""

import io
import re
import time

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal import auth as totp_auth
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.apps import apps
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import RoleGrant, User
from accounts.roles import MFA_REQUIRED_ROLES, PROGRAMME_LEADERS_GROUP, Role
from handbook import demo as handbook_demo
from programme import demo
from programme.models import Enrolment, StaffMembership
from tests.seeded_once import seed_demo, shared_by_the_module

pytestmark = pytest.mark.django_db

LOGIN_LINE = re.compile(r"^(\S+) (\S+@demo\.mtl-portal\.localhost) (\S+)$")


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> str:
    """What the first run printed."""
    with shared_by_the_module(django_db_blocker):
        yield seed_demo(participants=12)


@pytest.fixture(autouse=True)
def _debug_on(settings):
    # The demo commands refuse to run unless DEBUG is on.
    settings.DEBUG = True


def seed(participants: int = 12) -> str:
    out = io.StringIO()
    call_command("seed_demo", participants=participants, stdout=out)
    return out.getvalue()


def printed_logins(output: str) -> dict[str, tuple[str, str]]:
    logins = {}
    for line in output.splitlines():
        match = LOGIN_LINE.match(line)
        if match:
            role, email, password = match.groups()
            logins[role] = (email, password)
    return logins


def current_code(secret: str = demo.DEMO_TOTP_SECRET) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


@pytest.fixture
def one_totp_window(monkeypatch):
    # A code computed here and checked a moment later must not fall either side of a 30-second tick.
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    monkeypatch.setattr(totp_auth, "yield_hotp_counters_from_time", lambda: iter([counter]))
    return format_hotp_value(hotp_value(demo.DEMO_TOTP_SECRET, counter))


def model_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_seed_demo_prints_one_login_per_role_and_creates_every_role(seeded):
    output = seeded

    logins = printed_logins(output)
    assert list(logins) == [role.value for role in Role]
    assert len([line for line in output.splitlines() if LOGIN_LINE.match(line)]) == 6
    for role, (email, password) in logins.items():
        assert password == demo.DEMO_PASSWORD
        assert User.objects.get(email=email).has_role(role)
    assert set(RoleGrant.objects.values_list("role", flat=True)) == set(Role.values)
    assert "demo_totp" in output


def test_leader_joins_the_cms_group_and_one_head_also_coaches(seeded):
    leader = User.objects.get(email=demo.demo_email("leader"))
    assert leader.groups.filter(name=PROGRAMME_LEADERS_GROUP).exists()
    both = User.objects.filter(role_grants__role=Role.HEAD).filter(role_grants__role=Role.COACH)
    assert both.count() == 1
    person = both.get()
    roles_at_school = set(StaffMembership.objects.filter(user=person).values_list("role", flat=True))
    assert roles_at_school == {Role.HEAD, Role.COACH}


def test_a_second_run_changes_no_counts(seeded):
    before = model_counts()
    seed()
    assert model_counts() == before


@pytest.mark.parametrize("role", [role.value for role in Role])
def test_each_printed_login_signs_in_through_the_login_form(seeded, client, role, one_totp_window):
    email, password = printed_logins(seeded)[role]

    response = client.post(reverse("account_login"), {"login": email, "password": password})

    assert response.status_code == 302
    if role in MFA_REQUIRED_ROLES:
        assert response.url == reverse("mfa_authenticate")
        assert "_auth_user_id" not in client.session
        response = client.post(reverse("mfa_authenticate"), {"code": one_totp_window})
        assert response.status_code == 302
    user = User.objects.get(email=email)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(reverse("dashboard")).status_code in (200, 302)


def test_a_wrong_totp_code_does_not_sign_in(seeded, client):
    email, password = printed_logins(seeded)[Role.TUTOR]
    client.post(reverse("account_login"), {"login": email, "password": password})
    wrong = f"{(int(current_code()) + 1) % 10**6:06d}"
    client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert "_auth_user_id" not in client.session


def test_a_larger_second_run_only_adds_the_missing_participants(seeded):
    assert Enrolment.objects.count() == 12
    seed(participants=30)
    assert Enrolment.objects.count() == 30
    assert User.objects.filter(email__endswith="@" + demo.DEMO_DOMAIN, role_grants__role=Role.PARTICIPANT).count() == 30


def test_handbook_pages_are_served(seeded, client):
    from handbook.models import ContentAreaPage, PhasePage, ResourcePage

    home = handbook_demo.HOME_TITLE.encode()
    response = client.get("/")
    assert response.status_code == 200
    assert home in response.content
    assert b"Welcome to your new Wagtail site" not in response.content

    response = client.get("/handbook/")
    assert response.status_code == 200
    assert handbook_demo.HANDBOOK_TITLE.encode() in response.content
    assert PhasePage.objects.count() == 3
    assert ContentAreaPage.objects.count() == 4
    for page in [*PhasePage.objects.all(), *ContentAreaPage.objects.all(), *ResourcePage.objects.all()]:
        page_response = client.get(page.url)
        assert page_response.status_code == 200, page.url
        assert page.title.replace("'", "&#x27;").encode() in page_response.content


def test_demo_totp_prints_the_current_code_for_a_demo_account(seeded):
    out = io.StringIO()
    call_command("demo_totp", demo.demo_email("tutor"), stdout=out)
    assert out.getvalue().strip() in {current_code(), demo.totp_code(demo.demo_email("tutor"))}
    assert re.fullmatch(r"\d{6}", out.getvalue().strip())


def test_demo_totp_refuses_an_email_that_is_not_a_demo_account(seeded):
    User.objects.create_user(email="someone@example.org", password="not-a-demo-password")
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("demo_totp", "someone@example.org", stdout=io.StringIO())


def test_demo_totp_refuses_a_demo_account_without_an_authenticator(seeded):
    with pytest.raises(CommandError, match="no authenticator"):
        call_command("demo_totp", demo.demo_email("participant"), stdout=io.StringIO())
