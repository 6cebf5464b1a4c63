"""axe-core's WCAG 2.2 A and AA rules on each role's home (a screenshot of each kept from every run),
the public handbook, the accessibility statement and the error pages, in Chromium."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.roles import MFA_REQUIRED_ROLES, Role
from tests.browser.conftest import axe_violations
from tests.factories import SchoolFactory, UserFactory, assign_coach, assign_tutor, enrol, staff
from tests.programme.admin_factories import with_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOMES = {
    Role.PARTICIPANT: "/programme/my-programme/",
    Role.COACH: "/programme/my-coachees/",
    Role.TUTOR: "/programme/my-participants/",
    Role.HEAD: "/programme/my-school/",
    Role.PROGRAMME_LEADER: "/programme/overview/",
    Role.EXTERNAL_EXAMINER: "/programme/examiner/",
}
HEADINGS = {
    Role.PARTICIPANT: "My programme",
    Role.COACH: "My coachees",
    Role.TUTOR: "My participants",
    Role.HEAD: "My school's participants",
    Role.PROGRAMME_LEADER: "Programme overview",
    Role.EXTERNAL_EXAMINER: "Examiner's sample",
}
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def people():
    school = SchoolFactory()
    coach = staff(Role.COACH, school)
    head = staff(Role.HEAD, school)
    tutor = UserFactory(roles=[Role.TUTOR])
    enrolment = enrol(school)
    assign_coach(enrolment, coach)
    assign_tutor(enrolment, tutor)
    return {
        Role.PARTICIPANT: enrolment.participant,
        Role.COACH: coach,
        Role.TUTOR: tutor,
        Role.HEAD: head,
        Role.PROGRAMME_LEADER: UserFactory(roles=[Role.PROGRAMME_LEADER]),
        Role.EXTERNAL_EXAMINER: UserFactory(roles=[Role.EXTERNAL_EXAMINER]),
    }


def screenshot_dir() -> Path:
    """Where each run keeps its pictures of the homes (gitignored; CI keeps them as artifacts)."""
    return Path(os.environ.get("SCREENSHOT_DIR") or ROOT / "test-artifacts" / "screenshots")


def _signed_in_context(browser, live_server, user):
    from django.conf import settings as django_settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}]
    )
    return context


@pytest.mark.parametrize("role", list(HOMES))
def test_each_role_home_meets_wcag_22_aa_and_is_kept_as_a_screenshot(live_server, browser, people, role):
    # The live server's middleware is built once for the whole run, so a settings override cannot
    # take two-factor sign-in away: the roles that need it have an authenticator, as in real life.
    user = people[role]
    if role in MFA_REQUIRED_ROLES:
        with_totp(user)
    context = _signed_in_context(browser, live_server, user)
    page = context.new_page()
    page.goto(live_server.url + HOMES[role])
    expect(page).to_have_url(live_server.url + HOMES[role])
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADINGS[role])
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []
    folder = screenshot_dir()
    folder.mkdir(parents=True, exist_ok=True)
    picture = folder / f"home-{role}.png"
    page.screenshot(path=picture, full_page=True)
    assert picture.read_bytes().startswith(b"\x89PNG")
    context.close()


def test_the_accessibility_statement_meets_wcag_22_aa_signed_in_or_not(live_server, browser, people, page, settings):
    settings.ACCESSIBILITY_CONTACT_EMAIL = "access@uni.example.ac.uk"
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("contentinfo").get_by_role("link", name="Accessibility statement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement")
    expect(page.get_by_role("link", name="access@uni.example.ac.uk")).to_have_attribute(
        "href", "mailto:access@uni.example.ac.uk"
    )
    assert axe_violations(page) == []

    context = _signed_in_context(browser, live_server, people[Role.COACH])
    signed_in = context.new_page()
    signed_in.goto(live_server.url + HOMES[Role.COACH])
    signed_in.get_by_role("contentinfo").get_by_role("link", name="Accessibility statement").click()
    expect(signed_in.get_by_role("heading", level=1)).to_have_text("Accessibility statement")
    expect(signed_in.get_by_role("button", name="Sign out")).to_be_visible()
    assert axe_violations(signed_in) == []
    context.close()


def test_handbook_pages_meet_wcag_22_aa(live_server, page, settings, wagtail_tree):
    from io import StringIO

    from django.core.management import call_command

    settings.DEBUG = True  # the demo command refuses to run otherwise
    call_command("seed_demo", participants=1, stdout=StringIO())
    for path in ["/", "/handbook/"]:
        page.goto(live_server.url + path)
        assert axe_violations(page) == [], path
    page.goto(live_server.url + "/handbook/")
    first_phase = page.locator("main a[href*='phase']").first
    first_phase.click()
    assert axe_violations(page) == []


def test_error_pages_meet_wcag_22_aa_and_say_why_a_write_is_refused(live_server, browser, people, settings):
    """Issue 8.11: the 404 and 403 pages are in the design system, with the menu and a reason."""
    from django.conf import settings as django_settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.urls import reverse

    from tests.coaching.factories import agreed_log

    coach = people[Role.COACH]
    log = agreed_log(enrolment=people[Role.PARTICIPANT].enrolments.get(), coach=coach)
    session = SessionStore()
    session[SESSION_KEY] = str(coach.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = coach.get_session_auth_hash()
    session.save()
    context = browser.new_context()
    context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}]
    )
    page = context.new_page()
    response = page.goto(live_server.url + "/no-such-page/")
    assert response.status == 404
    assert page.locator("nav").count() >= 1
    assert axe_violations(page) == []
    response = page.goto(live_server.url + reverse("coaching:action_step_create", args=[log.pk]))
    assert response.status == 403
    assert "Make a new version instead" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    context.close()
