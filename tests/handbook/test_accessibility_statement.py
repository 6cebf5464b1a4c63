"""The accessibility statement: anyone reads it, signed in or not (a tutor who has not yet set up
two-factor sign-in too, since it says how to report a problem with that); it shows the provider's
contact address and review date from the settings; and the footer of every page links to it."""

import datetime
import re

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.factories import SchoolFactory, UserFactory, enrol, staff
from tests.programme.admin_factories import with_totp

pytestmark = pytest.mark.django_db

STATEMENT = "/handbook/accessibility/"
FOOTER_LINK = re.compile(r'<footer[^>]*>.*<a class="govuk-footer__link" href="/handbook/accessibility/">', re.S)


@pytest.fixture
def provider(settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "access@uni.example.ac.uk"
    settings.ACCESSIBILITY_STATEMENT_DATE = datetime.date(2026, 12, 5)


def _shows_the_statement(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="govuk-heading-xl">Accessibility statement</h1>' in html
    return html


def test_the_statement_lives_at_its_handbook_address():
    assert reverse("handbook:accessibility") == STATEMENT


@pytest.mark.usefixtures("provider")
def test_anyone_reads_it_with_the_contact_address_and_the_review_date(client):
    html = _shows_the_statement(client.get(STATEMENT))
    assert 'href="mailto:access@uni.example.ac.uk"' in html
    assert '<time datetime="2026-12-05">5 December 2026</time>' in html
    for part in (
        "WCAG",
        "2.2",
        "Equality and Human Rights Commission",
        "Equality Advisory and Support Service",
        "portfolio export is not tagged",
        "How we tested the portal",
    ):
        assert part in html, part


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.COACH, Role.HEAD])
def test_a_signed_in_person_reads_it_with_their_menu(client, role):
    client.force_login(UserFactory(roles=[role]))
    html = _shows_the_statement(client.get(STATEMENT))
    assert "Sign out" in html


def test_a_tutor_who_has_not_set_up_two_factor_sign_in_can_still_read_it(client):
    client.force_login(UserFactory(roles=[Role.TUTOR]))
    _shows_the_statement(client.get(STATEMENT))
    # Everything else still sends them to set it up.
    assert client.get(reverse("tracking:tutor_home")).url == reverse("mfa_activate_totp")


def test_a_tutor_with_two_factor_sign_in_reads_it(client):
    client.force_login(with_totp(UserFactory(roles=[Role.TUTOR])))
    _shows_the_statement(client.get(STATEMENT))


def test_the_date_is_read_from_the_environment_and_a_bad_one_is_refused(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from mtl_portal.env import env_date

    default = datetime.date(2026, 12, 5)
    monkeypatch.delenv("ACCESSIBILITY_STATEMENT_DATE", raising=False)
    assert env_date("ACCESSIBILITY_STATEMENT_DATE", default) == default
    monkeypatch.setenv("ACCESSIBILITY_STATEMENT_DATE", "2027-03-01")
    assert env_date("ACCESSIBILITY_STATEMENT_DATE", default) == datetime.date(2027, 3, 1)
    monkeypatch.setenv("ACCESSIBILITY_STATEMENT_DATE", "1 March 2027")
    with pytest.raises(ImproperlyConfigured, match="YYYY-MM-DD"):
        env_date("ACCESSIBILITY_STATEMENT_DATE", default)


@pytest.mark.parametrize(
    ("path", "role"),
    [
        ("/accounts/login/", None),
        ("/no-such-page/", None),
        (STATEMENT, None),
        ("/programme/my-programme/", Role.PARTICIPANT),
        ("/programme/my-coachees/", Role.COACH),
        ("/programme/my-school/", Role.HEAD),
        ("/account/", Role.COACH),
    ],
)
def test_the_footer_of_every_page_links_to_it(client, path, role):
    school = SchoolFactory()
    if role == Role.PARTICIPANT:
        client.force_login(enrol(school).participant)
    elif role is not None:
        client.force_login(staff(role, school))
    response = client.get(path)
    assert response.status_code == (404 if path == "/no-such-page/" else 200), path
    assert FOOTER_LINK.search(response.content.decode()), path
