"""A person signs in with the real login form in Chromium and lands on their role's home."""

import pytest

from accounts.roles import Role
from tests.browser.conftest import axe_violations
from tests.factories import PASSWORD, SchoolFactory, UserFactory, assign_coach, enrol, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base_url: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_coach_signs_in_and_sees_their_coachee(live_server, page):
    school = SchoolFactory(name="Riverside Academy")
    coach = staff(Role.COACH, school, email="coach@example.org")
    enrolment = enrol(school)
    assign_coach(enrolment, coach)

    sign_in(page, live_server.url, "coach@example.org")

    assert page.get_by_role("heading", level=1).inner_text() == "My coachees"
    assert str(enrolment.participant) in page.locator("table").inner_text()
    assert axe_violations(page) == []


def test_participant_signs_in_without_javascript(live_server, page_without_js):
    enrol(SchoolFactory(), participant=UserFactory(email="pat@example.org", roles=[Role.PARTICIPANT]))

    sign_in(page_without_js, live_server.url, "pat@example.org")

    assert page_without_js.get_by_role("heading", level=1).inner_text() == "My programme"
    assert "Key dates" in page_without_js.content()


def test_wrong_password_shows_the_error_and_keeps_the_email(live_server, page):
    UserFactory(email="someone@example.org", roles=[Role.PARTICIPANT])

    sign_in(page, live_server.url, "someone@example.org", "not-the-password")

    assert "There is a problem" in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_label("Email").input_value() == "someone@example.org"
    assert axe_violations(page) == []


def test_public_home_and_login_pages_have_no_wcag_violations(live_server, page):
    page.goto(f"{live_server.url}/accounts/login/")
    assert axe_violations(page) == []
