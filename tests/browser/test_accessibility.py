"""axe-core's WCAG 2.2 A and AA rules on each role's home and the public handbook, in Chromium."""

import pytest

from accounts.roles import Role
from tests.browser.conftest import axe_violations
from tests.factories import SchoolFactory, UserFactory, assign_coach, assign_tutor, enrol, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOMES = {
    Role.PARTICIPANT: "/programme/my-programme/",
    Role.COACH: "/programme/my-coachees/",
    Role.TUTOR: "/programme/my-participants/",
    Role.HEAD: "/programme/my-school/",
    Role.PROGRAMME_LEADER: "/programme/overview/",
    Role.EXTERNAL_EXAMINER: "/programme/examiner/",
}


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


@pytest.mark.parametrize("role", list(HOMES))
def test_each_role_home_meets_wcag_22_aa(live_server, browser, people, role, settings):
    from django.conf import settings as django_settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    # Two-factor set-up is tested elsewhere; here the page itself is under test.
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "RequireMfa" not in m]
    user = people[role]
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    context = browser.new_context()
    context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(live_server.url + HOMES[role])
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []
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
