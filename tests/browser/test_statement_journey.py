"""The coach writes a supporting statement in Chromium: from the participant's submitted work, a
part over the word limit (the live count says so as they type) and an empty part are refused beside
their boxes with what was typed kept; the statement is saved citing an agreed session and read on
the submission page. axe-core finds no WCAG 2.2 A/AA violation in any state; the form works with
JavaScript turned off."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from assessment.models import SupportingStatement
from assessment.services.submissions import SubmissionContent, submission_submit
from tests.assessment.submissions.helpers import open_task
from tests.browser.test_sign_in_journey import sign_in
from tests.coaching.factories import agreed_log
from tests.factories import SchoolFactory, UserFactory, assign_coach, enrol, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PRACTICE = "Questions now wait for every pupil to think before anyone answers."
OUTCOMES = "Quieter pupils answer in full, and the exit tickets show who has understood."
TOO_LONG = " ".join(["pupils"] * 502)


def _world():
    school = SchoolFactory(name="Riverside Academy")
    coach = staff(Role.COACH, school, email="coach@example.org", first_name="Cara", last_name="Coach")
    participant = UserFactory(email="pat@example.org", first_name="Pat", last_name="Learner", roles=[Role.PARTICIPANT])
    enrolment = enrol(school, participant=participant)
    assign_coach(enrolment, coach)
    task = open_task(enrolment, title="Phase 1 core task")
    log = agreed_log(enrolment=enrolment, coach=coach)
    submission = submission_submit(
        by=participant,
        enrolment=enrolment,
        task=task,
        version=None,
        content=SubmissionContent(commentary="Waiting after questions changed who answered.", log_ids=(log.pk,)),
    )
    return submission, log


def _sign_in(page, base_url: str, email: str) -> None:
    sign_in(page, base_url, email)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_coach_writes_a_supporting_statement_from_the_submitted_work(live_server, page):
    submission, log = _world()
    _sign_in(page, live_server.url, "coach@example.org")
    page.goto(f"{live_server.url}{submission.get_absolute_url()}")
    page.get_by_role("link", name="Write your supporting statement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your supporting statement")

    page.get_by_label("How their practice changed").fill(TOO_LONG)
    expect(page.locator(".govuk-character-count__status").first).to_contain_text("2 words too many")
    page.get_by_label(str(log), exact=False).check()
    page.get_by_role("button", name="Save statement").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("it has 502 (2 too many)")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Write what changed for their pupils.")
    assert page.title().startswith("Error:")
    assert page.get_by_label("How their practice changed").input_value() == TOO_LONG
    assert page.get_by_label(str(log), exact=False).is_checked()
    assert not SupportingStatement.objects.exists()

    page.get_by_label("How their practice changed").fill(PRACTICE)
    page.get_by_label("What changed for their pupils").fill(OUTCOMES)
    page.get_by_role("button", name="Save statement").click()
    expect(page.locator("body")).to_contain_text("Your supporting statement is saved.")
    expect(page.locator("#statement")).to_contain_text(PRACTICE)
    expect(page.locator("#statement")).to_contain_text(str(log))
    statement = SupportingStatement.objects.get()
    assert statement.citations.get().log_id == log.pk


def test_coach_writes_the_statement_without_javascript(live_server, page_without_js):
    page = page_without_js
    submission, log = _world()
    _sign_in(page, live_server.url, "coach@example.org")
    page.goto(f"{live_server.url}{submission.get_absolute_url()}")
    page.get_by_role("link", name="Write your supporting statement").click()
    expect(page.locator(".govuk-character-count__message").first).to_contain_text("You can enter up to 500 words")
    page.get_by_label("How their practice changed").fill(PRACTICE)
    page.get_by_role("button", name="Save statement").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Write what changed for their pupils.")
    assert page.get_by_label("How their practice changed").input_value() == PRACTICE
    page.get_by_label("What changed for their pupils").fill(OUTCOMES)
    page.get_by_label(str(log), exact=False).check()
    page.get_by_role("button", name="Save statement").click()
    expect(page.locator("body")).to_contain_text("Your supporting statement is saved.")
    expect(page.locator("#statement")).to_contain_text(OUTCOMES)
    assert SupportingStatement.objects.get().citations.count() == 1
