"""Submitting work in Chromium: the participant finds the task from their home, chooses evidence (a
file) and an agreed session, is told beside the box that the commentary is over the word limit (the
live count says so as they type; what they typed is kept), submits, and reads the frozen work; their
coach opens it from their home. axe-core finds no WCAG 2.2 A/AA violation on any page on the way,
and the builder works with JavaScript turned off."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from accounts.roles import Role
from assessment.models import Submission, SubmittedFile
from assessment.services.submissions import SubmissionContent, submission_submit, submission_withdraw
from portfolio import services as portfolio
from portfolio.models import Evidence
from programme.models import ContentArea
from tests.assessment.submissions.helpers import open_task
from tests.browser.conftest import axe_violations, watch_csp
from tests.browser.test_sign_in_journey import sign_in
from tests.coaching.factories import agreed_log
from tests.factories import SchoolFactory, UserFactory, assign_coach, enrol, staff
from tests.files import samples
from tests.portfolio.factories import DAY

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOO_LONG = " ".join(["pupils"] * 55)
COMMENTARY = "Waiting after each question brought quieter pupils into the discussion."


def _no_violations(page, where: str) -> None:
    assert axe_violations(page) == [], where


def _heading(page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def _sign_in(page, base_url: str, email: str) -> None:
    sign_in(page, base_url, email)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def _world():
    school = SchoolFactory(name="Riverside Academy")
    coach = staff(Role.COACH, school, email="coach@example.org", first_name="Cara", last_name="Coach")
    participant = UserFactory(email="pat@example.org", first_name="Pat", last_name="Learner", roles=[Role.PARTICIPANT])
    enrolment = enrol(school, participant=participant)
    assign_coach(enrolment, coach)
    task = open_task(enrolment, title="Phase 1 core task")
    agreed_log(enrolment=enrolment, coach=coach)
    portfolio.evidence_create(
        by=participant,
        enrolment=enrolment,
        content=portfolio.EvidenceContent(
            kind=Evidence.Kind.FILE,
            title="Seating plan",
            relates_to=DAY,
            phase_id=enrolment.current_phase_id,
            content_area_ids=(ContentArea.objects.get(number=1).pk,),
            anonymised=True,
            upload=SimpleUploadedFile("seating plan.pdf", samples.pdf()),
        ),
    )
    return enrolment, task


def test_participant_builds_and_submits_work_and_their_coach_reads_it(live_server, browser):
    enrolment, task = _world()
    context = browser.new_context()
    page = context.new_page()
    refused = watch_csp(page)
    _sign_in(page, live_server.url, "pat@example.org")
    page.get_by_role("link", name="Your assessment tasks and submissions").click()
    _heading(page, "Assessment tasks")

    page.get_by_role("link", name="Phase 1 core task").click()
    _heading(page, "Phase 1 core task")
    page.get_by_label("Seating plan", exact=False).check()
    page.get_by_label("Lesson observation", exact=False).check()
    box = page.get_by_label("Your commentary")
    box.fill(TOO_LONG)
    expect(page.locator(".govuk-character-count__status")).to_contain_text("5 words too many")
    page.get_by_role("button", name="Submit for assessment").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("it has 55 (5 too many)")
    assert page.title().startswith("Error:")
    assert page.get_by_label("Your commentary").input_value() == TOO_LONG
    assert page.get_by_label("Seating plan", exact=False).is_checked()
    assert not Submission.objects.filter(state=Submission.State.SUBMITTED).exists()

    page.get_by_label("Your commentary").fill(COMMENTARY)
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("body")).to_contain_text("Draft saved.")
    assert page.get_by_label("Your commentary").input_value() == COMMENTARY
    page.get_by_role("button", name="Submit for assessment").click()
    expect(page.locator("body")).to_contain_text("Your work is submitted.")
    _heading(page, "Phase 1 core task")
    assert Submission.objects.get().state == Submission.State.SUBMITTED
    copy = SubmittedFile.objects.get()
    expect(page.locator("main")).to_contain_text(copy.sha256)
    expect(page.get_by_role("button", name="Withdraw to change and submit again")).to_be_visible()

    # Withdrawn before the due date, changed and submitted again: the history shows both attempts.
    page.get_by_role("button", name="Withdraw to change and submit again").click()
    expect(page.locator("body")).to_contain_text("Attempt 1 is withdrawn.")
    page.get_by_label("Your commentary").fill(COMMENTARY + " Girls answered more often.")
    page.get_by_role("button", name="Submit for assessment").click()
    expect(page.locator("body")).to_contain_text("Your work is submitted.")
    expect(page.get_by_role("table", name="Attempts at this task")).to_contain_text("Withdrawn")
    context.close()

    context = browser.new_context()
    page = context.new_page()
    refused += watch_csp(page)
    _sign_in(page, live_server.url, "coach@example.org")
    page.get_by_role("link", name="Work your participants have submitted").click()
    _heading(page, "Submitted work")
    page.get_by_role("link", name="Phase 1 core task", exact=False).click()
    _heading(page, "Phase 1 core task")
    expect(page.locator("main")).to_contain_text("Girls answered more often.")
    assert page.get_by_role("button", name="Withdraw to change and submit again").count() == 0
    context.close()
    assert refused == [], "the Content-Security-Policy refused something on a submission page"


def test_the_builder_saves_and_submits_without_javascript(live_server, page_without_js):
    page = page_without_js
    _world()
    _sign_in(page, live_server.url, "pat@example.org")
    page.goto(f"{live_server.url}/assessment/tasks/")
    page.get_by_role("link", name="Phase 1 core task").click()
    expect(page.locator(".govuk-character-count__message")).to_contain_text("You can enter up to 50 words")
    page.get_by_label("Seating plan", exact=False).check()
    page.get_by_label("Your commentary").fill(COMMENTARY)
    page.get_by_role("button", name="Submit for assessment").click()
    expect(page.locator("body")).to_contain_text("Your work is submitted.")
    assert Submission.objects.get().state == Submission.State.SUBMITTED


def test_submission_pages_reflow_to_a_320_pixel_screen_without_scrolling_sideways(live_server, browser):
    """WCAG 1.4.10: at 320 CSS pixels only a table may scroll, inside its own labelled region; a
    file's 64-character fingerprint wraps."""
    enrolment, task = _world()
    evidence = Evidence.objects.get()
    first = submission_submit(
        by=enrolment.participant,
        enrolment=enrolment,
        task=task,
        version=None,
        content=SubmissionContent(commentary=COMMENTARY, evidence_ids=(evidence.pk,)),
    )
    draft = submission_withdraw(by=enrolment.participant, submission=first, version=first.version)
    second = submission_submit(
        by=enrolment.participant,
        enrolment=enrolment,
        task=task,
        version=draft.version,
        content=SubmissionContent(commentary=COMMENTARY, evidence_ids=(evidence.pk,)),
    )
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    refused = watch_csp(page)
    _sign_in(page, live_server.url, "pat@example.org")
    other = open_task(enrolment, title="Another task")
    for path in ("/assessment/tasks/", f"/assessment/tasks/{other.pk}/submission/", second.get_absolute_url()):
        page.goto(f"{live_server.url}{path}")
        wide = page.evaluate(
            "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 320"
            " && !e.closest('.portal-table-scroll')).map(e => e.tagName + '.' + e.className).slice(0, 8)"
        )
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 320, (path, wide)
    context.close()
    assert refused == []
