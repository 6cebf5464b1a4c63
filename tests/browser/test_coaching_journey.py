"""Journey 2 in Chromium: the coach signs in and records a session as a draft (without
JavaScript; axe-core checks the coach's pages in the second test), adds an action step and
sends it; the participant signs in, adds their reflection and agrees it. axe-core finds no
WCAG 2.2 AA violation on any coaching page on the way. Without JavaScript too, the coach records
the initial diagnosis and a goal of the learning plan and the participant agrees them; the
participant agrees a record and the coach closes its action step."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from coaching.models import AgreementStatus, DialogueLog, InitialDiagnosis
from tests.browser.conftest import axe_violations
from tests.browser.test_sign_in_journey import sign_in
from tests.coaching.factories import DialogueLogFactory, action_step
from tests.factories import SchoolFactory, UserFactory, assign_coach, enrol, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_violations(page, where: str) -> None:
    assert axe_violations(page) == [], where


def test_coach_records_a_session_and_the_participant_agrees_it(live_server, browser):
    school = SchoolFactory(name="Riverside Academy")
    coach = staff(Role.COACH, school, email="coach@example.org", first_name="Cara", last_name="Coach")
    participant = UserFactory(email="pat@example.org", first_name="Pat", last_name="Learner", roles=[Role.PARTICIPANT])
    enrolment = enrol(school, participant=participant)
    assign_coach(enrolment, coach)

    # The coach, without JavaScript: the core task works on plain HTML forms.
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, "coach@example.org")
    assert page.get_by_role("heading", level=1).inner_text() == "My coachees"
    page.get_by_role("link", name="Record a session with Pat Learner").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Record a coaching session"
    page.get_by_label("Date of the session").fill("2025-10-01")
    page.get_by_label("Length in minutes", exact=True).fill("50")
    page.get_by_label("Kind of session").select_option(label="Lesson observation and feedback")
    page.get_by_label("Focus of the session").fill("Questioning in Year 9 science")
    page.get_by_label("What was observed and discussed").fill("We watched the starter and talked about wait time.")
    page.get_by_label("1. ", exact=False).first.check()
    page.get_by_label("Date of the next session").fill("2025-10-15")
    page.get_by_label("Time of the next session (optional)").fill("15:30")
    page.get_by_role("button", name="Save as draft").click()
    assert "Log saved as a draft." in page.content()
    log = DialogueLog.objects.get()
    assert (log.status, log.duration_minutes) == (AgreementStatus.DRAFT, 50)

    page.get_by_role("link", name="Add an action step").click()
    page.get_by_label("Action step", exact=False).first.fill("Plan three hinge questions for Thursday")
    page.get_by_label("Due date").fill("2025-10-14")
    page.get_by_role("button", name="Add the action step").click()
    assert "Action step added." in page.content()
    page.get_by_role("button", name="Send to Pat Learner to agree").click()
    assert "Log sent to the participant to agree." in page.content()
    context.close()

    # The participant, with JavaScript, clicks through from their home.
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, live_server.url, "pat@example.org")
    assert page.get_by_role("heading", level=1).inner_text() == "My programme"
    page.get_by_role("link", name="Your coaching sessions").click()
    page.get_by_role("link", name="1 October 2025", exact=False).click()
    page.get_by_role("link", name="Add your reflection and respond").first.click()
    page.get_by_label("Your reflection").fill("I will plan my questions before the lesson.")
    page.get_by_role("button", name="Agree the record").click()
    assert "You have agreed the record of this session." in page.content()
    log.refresh_from_db()
    assert log.status == AgreementStatus.AGREED
    assert log.participant_reflection == "I will plan my questions before the lesson."

    page.get_by_role("link", name="Back to the coaching timeline").click()
    page.get_by_role("link", name="Your action steps").click()
    assert "Plan three hinge questions for Thursday" in page.content()
    context.close()


def test_coaching_pages_for_the_coach_have_no_wcag_violations(live_server, page):
    school = SchoolFactory()
    coach = staff(Role.COACH, school, email="coach2@example.org")
    enrolment = enrol(school)
    assign_coach(enrolment, coach)
    log = DialogueLogFactory(enrolment=enrolment, coach=coach)
    action_step(log)
    sign_in(page, live_server.url, "coach2@example.org")
    for path in (
        "/coaching/",
        f"/coaching/participants/{enrolment.pk}/",
        f"/coaching/participants/{enrolment.pk}/logs/new/",
        f"/coaching/logs/{log.pk}/",
        f"/coaching/logs/{log.pk}/edit/",
        f"/coaching/participants/{enrolment.pk}/action-steps/",
        f"/coaching/participants/{enrolment.pk}/diagnosis/",
        f"/coaching/participants/{enrolment.pk}/opportunities/",
        "/coaching/release-time/",
        "/coaching/emails/",
    ):
        page.goto(f"{live_server.url}{path}")
    # A form sent back with errors.
    page.goto(f"{live_server.url}/coaching/participants/{enrolment.pk}/logs/new/")
    page.get_by_label("Length in minutes", exact=True).fill("0")
    page.get_by_role("button", name="Save as draft").click()
    assert "There is a problem" in page.content()


def test_without_javascript_the_participant_agrees_the_record_and_the_coach_closes_the_step(live_server, browser):
    """The rest of journey 2's core task with JavaScript off (the coach's recording is above): the
    participant reflects on and agrees the record; the coach reviews the action step and closes it."""
    school = SchoolFactory()
    coach = staff(Role.COACH, school, email="nojs-coach@example.org")
    participant = UserFactory(email="nojs-pat@example.org", roles=[Role.PARTICIPANT])
    enrolment = enrol(school, participant=participant)
    assign_coach(enrolment, coach)
    log = DialogueLogFactory(
        enrolment=enrolment,
        coach=coach,
        status=AgreementStatus.AWAITING_PARTICIPANT,
        coach_agreed_at=timezone.now(),
    )
    step = action_step(log, description="Plan three hinge questions for Thursday")

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, "nojs-pat@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("My programme")
    page.get_by_role("link", name="Agree the record of a session").click()
    page.get_by_label("Your reflection").fill("I will plan my questions before the lesson.")
    page.get_by_role("button", name="Agree the record").click()
    expect(page.locator("body")).to_contain_text("You have agreed the record of this session.")
    log.refresh_from_db()
    assert log.status == AgreementStatus.AGREED
    context.close()

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, "nojs-coach@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("My coachees")
    page.goto(f"{live_server.url}/coaching/participants/{enrolment.pk}/action-steps/")
    page.get_by_role("link", name="Close the step: Plan three hinge questions for Thursday").click()
    page.get_by_label("Outcome").select_option(label="Done")
    page.get_by_label("Note (optional)").fill("Tried on Thursday; two of the three worked.")
    page.get_by_role("button", name="Close the step").click()
    expect(page.locator("body")).to_contain_text("Action step closed.")
    step.refresh_from_db()
    assert step.status == "done"
    context.close()


def test_without_javascript_the_coach_records_the_diagnosis_and_plan_and_the_participant_agrees(live_server, browser):
    """Journey 2's first step with JavaScript off: an initial diagnosis with needs by content area,
    a goal in the learning plan, sent to the participant, who agrees it."""
    school = SchoolFactory()
    coach = staff(Role.COACH, school, email="diag-coach@example.org")
    participant = UserFactory(
        email="diag-pat@example.org", first_name="Pat", last_name="Learner", roles=[Role.PARTICIPANT]
    )
    enrolment = enrol(school, participant=participant)
    assign_coach(enrolment, coach)
    diagnosis_page = f"{live_server.url}/coaching/participants/{enrolment.pk}/diagnosis/"

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, "diag-coach@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("My coachees")
    page.goto(diagnosis_page)
    page.get_by_role("link", name="Record the initial diagnosis").click()
    page.get_by_label("Date of the diagnosis meeting").fill("2025-05-06")
    page.get_by_label("Summary of needs").fill("Start with questioning and behaviour for learning.")
    page.get_by_label("Needs in 1. Teaching, learning and assessment").fill("Use hinge questions to check.")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator("body")).to_contain_text("Initial diagnosis saved.")
    page.get_by_role("link", name="Add a goal").click()
    page.get_by_label("Content area").select_option(label="1. Teaching, learning and assessment")
    page.get_by_label("Goal", exact=True).fill("Plan hinge questions for every lesson")
    page.get_by_label("Target date").fill("2025-12-19")
    page.get_by_role("button", name="Add the goal").click()
    expect(page.locator("body")).to_contain_text("Goal added to the learning plan.")
    page.get_by_role("link", name="Change the diagnosis").click()
    page.get_by_role("button", name="Save and send to Pat Learner to agree").click()
    expect(page.locator("body")).to_contain_text("Initial diagnosis saved.")
    context.close()

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server.url, "diag-pat@example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("My programme")
    page.goto(diagnosis_page)
    page.get_by_role("link", name="Respond to the diagnosis").first.click()
    expect(page.locator("main")).to_contain_text("Plan hinge questions for every lesson")
    page.get_by_role("button", name="Agree the diagnosis and plan").click()
    expect(page.locator("body")).to_contain_text("You have agreed your initial diagnosis and learning plan.")
    assert InitialDiagnosis.objects.get(enrolment=enrolment).status == AgreementStatus.AGREED
    context.close()
