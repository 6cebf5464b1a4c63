"""Journey 3 in Chromium: the participant adds a written piece of evidence (after being told what
was missing, with what they typed kept), a reflection that links to it and an enquiry section that
cites it, and opens the coverage page; their coach then reads the portfolio. axe-core finds no
WCAG 2.2 A/AA violation on any portfolio page on the way, including a form sent back with errors."""

import re

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from portfolio.models import Enquiry, Evidence, Reflection
from programme.models import ContentArea
from tests.browser.conftest import axe_violations, watch_csp
from tests.browser.test_sign_in_journey import sign_in
from tests.coaching.factories import agreed_log
from tests.factories import SchoolFactory, UserFactory, assign_coach, enrol, staff
from tests.portfolio.factories import EnquiryFactory, EvidenceFactory, ReflectionFactory, cite

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PIECE = "Three hinge questions I planned for Year 9, and what the answers told me about their misconceptions."


def _no_violations(page, where: str) -> None:
    assert axe_violations(page) == [], where


def _heading(page, text: str) -> None:
    """Waits for the page a click led to: Playwright's click does not wait for the next page."""
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def _shows(page, text: str) -> None:
    expect(page.locator("body")).to_contain_text(text)


def _sign_in(page, base_url: str, email: str) -> None:
    sign_in(page, base_url, email)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_participant_builds_their_portfolio_and_their_coach_reads_it(live_server, browser):
    school = SchoolFactory(name="Riverside Academy")
    coach = staff(Role.COACH, school, email="coach@example.org", first_name="Cara", last_name="Coach")
    participant = UserFactory(email="pat@example.org", first_name="Pat", last_name="Learner", roles=[Role.PARTICIPANT])
    enrolment = enrol(school, participant=participant)
    assign_coach(enrolment, coach)

    context = browser.new_context()
    page = context.new_page()
    refused = watch_csp(page)
    _sign_in(page, live_server.url, "pat@example.org")
    page.get_by_role("link", name="Your evidence, reflections and enquiries").click()
    _heading(page, "Your portfolio")

    # Evidence: first sent without confirming that no pupil can be identified.
    page.get_by_role("link", name="Add evidence").click()
    _heading(page, "Add evidence")
    page.get_by_label("Something written").check()
    page.get_by_label("Title").fill("Hinge questions in Year 9")
    page.get_by_label("The written piece").fill(PIECE)
    page.get_by_label("1. Teaching, learning and assessment").check()
    page.get_by_role("button", name="Save the evidence").click()
    _shows(page, "There is a problem")
    assert page.title().startswith("Error:")
    error = page.locator("#id_anonymised-error, .govuk-form-group--error .govuk-error-message").first
    assert "Confirm that no pupil can be identified" in error.inner_text()
    assert page.get_by_label("Title").input_value() == "Hinge questions in Year 9"
    assert page.get_by_label("The written piece").input_value() == PIECE
    assert page.get_by_label("1. Teaching, learning and assessment").is_checked()
    assert not Evidence.objects.exists()
    page.get_by_label("No pupil can be identified from it", exact=False).check()
    page.get_by_role("button", name="Save the evidence").click()
    _shows(page, "Evidence added to your portfolio.")
    _heading(page, "Hinge questions in Year 9")
    evidence = Evidence.objects.get()
    assert evidence.kind == Evidence.Kind.WRITTEN

    # A reflection that draws on the evidence.
    page.get_by_role("link", name="Back to the portfolio").click()
    page.get_by_role("link", name="Add a reflection").click()
    _heading(page, "Add a reflection")
    page.get_by_label("Title").fill("Wait time")
    page.get_by_label("Your reflection").fill("The pupils needed longer to think than I gave them.")
    page.get_by_label("Hinge questions in Year 9", exact=False).check()
    page.get_by_role("button", name="Save the reflection").click()
    _shows(page, "Reflection added to your journal.")
    reflection = Reflection.objects.get()
    assert list(reflection.evidence.all()) == [evidence]
    assert "Hinge questions in Year 9" in page.locator("main").inner_text()

    # An enquiry, and its question citing the evidence.
    page.get_by_role("link", name="Back to the portfolio").click()
    page.get_by_role("link", name="Start an enquiry").click()
    _heading(page, "Start an enquiry")
    page.get_by_label("Title").fill("Does wait time deepen answers?")
    page.get_by_label("1. Teaching, learning and assessment").check()
    page.get_by_role("button", name="Start the enquiry").click()
    _shows(page, "Enquiry started.")
    _heading(page, "Does wait time deepen answers?")
    page.get_by_role("link", name="Write the section question").click()
    expect(page.get_by_label("Question (optional)")).to_be_visible()
    _no_violations(page, "the enquiry section form")
    page.get_by_label("Question (optional)").fill("Do longer pauses after a question lead to fuller answers?")
    page.get_by_label("Hinge questions in Year 9", exact=False).check()
    page.get_by_role("button", name="Save this section").click()
    _shows(page, "Question saved.")
    question = page.locator("#question")
    assert "Do longer pauses" in question.inner_text()
    expect(question.get_by_role("link", name="Hinge questions in Year 9")).to_be_visible()
    assert Enquiry.objects.get().citations.filter(evidence=evidence, section="question").exists()

    # Coverage names the cell the records fill, and the gaps.
    page.get_by_role("link", name="Back to the portfolio").click()
    _heading(page, "Your portfolio")
    page.get_by_role("link", name="Coverage", exact=False).click()
    table = page.get_by_role("table", name="Records by content area and phase")
    area_one = table.get_by_role("row", name="1. Teaching, learning and assessment", exact=False)
    assert "Evidence: 1" in area_one.inner_text()
    assert "Enquiry sections: 1" in area_one.inner_text()
    phase = enrolment.current_phase.number
    assert area_one.get_by_role("link", name=f"Records for Teaching, learning and assessment in phase {phase}").count()
    assert "2. Subject and curriculum" in page.locator("main").inner_text().split("What to look at next")[1]
    context.close()

    # The coach reads the portfolio from the coaching timeline, and cannot change it.
    context = browser.new_context()
    page = context.new_page()
    refused += watch_csp(page)
    _sign_in(page, live_server.url, "coach@example.org")
    page.goto(f"{live_server.url}/coaching/participants/{enrolment.pk}/")
    page.get_by_role("link", name="Portfolio", exact=True).click()
    _heading(page, "Portfolio")
    _shows(page, "Only they can change it.")
    assert page.get_by_role("link", name="Add evidence").count() == 0
    page.get_by_role("link", name="Hinge questions in Year 9").click()
    _shows(page, "Three hinge questions I planned")
    page.go_back()
    page.get_by_role("link", name=re.compile(r": Wait time$")).click()
    _shows(page, "needed longer to think")
    page.go_back()
    page.get_by_role("link", name="Does wait time deepen answers?").click()
    _shows(page, "Do longer pauses")
    assert page.get_by_role("link", name="Write the section", exact=False).count() == 0
    page.goto(f"{live_server.url}/portfolio/participants/{enrolment.pk}/coverage/")
    context.close()
    assert refused == [], "the Content-Security-Policy refused something on a portfolio page"


def test_every_portfolio_page_in_its_other_states_has_no_wcag_violations(live_server, page):
    """Edit forms, forms sent back with errors, the ethics section's consent, a link, an agreed
    session cited, a filtered list: the states the journey above does not pass through."""
    school = SchoolFactory()
    participant = UserFactory(email="pip@example.org", roles=[Role.PARTICIPANT])
    enrolment = enrol(school, participant=participant)
    log = agreed_log(enrolment=enrolment)
    evidence = EvidenceFactory(enrolment=enrolment, logs=[log])
    link = EvidenceFactory(
        enrolment=enrolment, kind=Evidence.Kind.LINK, body="", url="https://example.org/lesson-study", title="A link"
    )
    reflection = ReflectionFactory(enrolment=enrolment, evidence=[evidence, link], logs=[log])
    enquiry = EnquiryFactory(enrolment=enrolment)
    cite(enquiry, "question", evidence=evidence)
    cite(enquiry, "question", log=log)
    _sign_in(page, live_server.url, "pip@example.org")

    area = ContentArea.objects.get(number=1).pk
    for path in (
        f"/portfolio/participants/{enrolment.pk}/?area={area}",
        f"/portfolio/participants/{enrolment.pk}/?area=banana",
        f"/portfolio/evidence/{evidence.pk}/",
        f"/portfolio/evidence/{evidence.pk}/edit/",
        f"/portfolio/evidence/{link.pk}/",
        f"/portfolio/reflections/{reflection.pk}/",
        f"/portfolio/reflections/{reflection.pk}/edit/",
        f"/portfolio/enquiries/{enquiry.pk}/",
        f"/portfolio/enquiries/{enquiry.pk}/edit/",
        f"/portfolio/enquiries/{enquiry.pk}/sections/ethics/",
        f"/coaching/logs/{log.pk}/",
    ):
        page.goto(f"{live_server.url}{path}")
    # axe-core passes over what a closed <details> hides; open them and look again.
    page.goto(f"{live_server.url}/portfolio/evidence/{evidence.pk}/edit/")
    for summary in ("Topics", "Standards"):
        page.locator("summary", has_text=summary).click()
    expect(page.get_by_label("Assessment for learning")).to_be_visible()
    _no_violations(page, "the evidence form with its topics and standards open")

    # Each form sent back with errors: the summary links to the fields and each message sits beside one.
    for path, button in (
        (f"/portfolio/participants/{enrolment.pk}/evidence/new/", "Save the evidence"),
        (f"/portfolio/participants/{enrolment.pk}/reflections/new/", "Save the reflection"),
        (f"/portfolio/participants/{enrolment.pk}/enquiries/new/", "Start the enquiry"),
    ):
        page.goto(f"{live_server.url}{path}")
        page.get_by_label("Title").fill("")
        page.get_by_role("button", name=button).click()
        _shows(page, "There is a problem")
    page.goto(f"{live_server.url}/portfolio/evidence/{link.pk}/edit/")
    page.get_by_label("Link (optional)").fill("not an address")
    page.get_by_role("button", name="Save the evidence").click()
    _shows(page, "Enter a web address starting https://")
    assert page.get_by_label("Link (optional)").input_value() == "not an address"


def test_without_javascript_the_participant_adds_evidence_a_reflection_and_an_enquiry_and_sees_the_gaps(
    live_server, page_without_js
):
    page = page_without_js
    participant = UserFactory(email="noscript@example.org", roles=[Role.PARTICIPANT])
    enrolment = enrol(SchoolFactory(), participant=participant)
    _sign_in(page, live_server.url, "noscript@example.org")
    page.goto(f"{live_server.url}/portfolio/")
    page.get_by_role("link", name="Add evidence").click()
    page.get_by_label("A link").check()
    page.get_by_label("Title").fill("Lesson study write-up")
    page.get_by_label("Link (optional)").fill("https://example.org/lesson-study")
    page.get_by_label("1. Teaching, learning and assessment").check()
    page.locator("summary", has_text="Topics").click()
    page.get_by_label("Assessment for learning").check()
    page.get_by_role("button", name="Save the evidence").click()
    _shows(page, "Evidence added to your portfolio.")
    evidence = Evidence.objects.get(enrolment=enrolment)
    assert [t.name for t in evidence.topics.all()] == ["Assessment for learning"]

    page.get_by_role("link", name="Back to the portfolio").click()
    page.get_by_role("link", name="Add a reflection").click()
    page.get_by_label("Title").fill("What the lesson study showed")
    page.get_by_label("Your reflection").fill("Planning together made our questions sharper.")
    page.get_by_label("Lesson study write-up", exact=False).check()
    page.get_by_role("button", name="Save the reflection").click()
    _shows(page, "Reflection added to your journal.")
    assert list(Reflection.objects.get(enrolment=enrolment).evidence.all()) == [evidence]

    page.get_by_role("link", name="Back to the portfolio").click()
    page.get_by_role("link", name="Start an enquiry").click()
    page.get_by_label("Title").fill("Does lesson study sharpen questions?")
    page.get_by_label("1. Teaching, learning and assessment").check()
    page.get_by_role("button", name="Start the enquiry").click()
    _shows(page, "Enquiry started.")
    page.get_by_role("link", name="Write the section question").click()
    page.get_by_label("Question (optional)").fill("Do questions planned together get fuller answers?")
    page.get_by_label("Lesson study write-up", exact=False).check()
    page.get_by_role("button", name="Save this section").click()
    _shows(page, "Question saved.")
    assert Enquiry.objects.get(enrolment=enrolment).citations.filter(evidence=evidence, section="question").exists()

    page.get_by_role("link", name="Back to the portfolio").click()
    page.get_by_role("link", name="Coverage", exact=False).click()
    table = page.get_by_role("table", name="Records by content area and phase")
    area_one = table.get_by_role("row", name="1. Teaching, learning and assessment", exact=False)
    expect(area_one).to_contain_text("Enquiry sections: 1")
    assert "2. Subject and curriculum" in page.locator("main").inner_text().split("What to look at next")[1]


def test_portfolio_pages_reflow_to_a_320_pixel_screen_without_scrolling_sideways(live_server, browser):
    """WCAG 1.4.10: at 320 CSS pixels only a table may scroll, inside its own labelled region."""
    participant = UserFactory(email="narrow@example.org", roles=[Role.PARTICIPANT])
    enrolment = enrol(SchoolFactory(), participant=participant)
    evidence = EvidenceFactory(enrolment=enrolment)
    enquiry = EnquiryFactory(enrolment=enrolment)
    cite(enquiry, "question", evidence=evidence)
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    refused = watch_csp(page)
    _sign_in(page, live_server.url, "narrow@example.org")
    for path in (
        f"/portfolio/participants/{enrolment.pk}/",
        f"/portfolio/participants/{enrolment.pk}/coverage/",
        f"/portfolio/participants/{enrolment.pk}/evidence/new/",
        f"/portfolio/evidence/{evidence.pk}/",
        f"/portfolio/enquiries/{enquiry.pk}/",
    ):
        page.goto(f"{live_server.url}{path}")
        wide = page.evaluate(
            "() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 320"
            " && !e.closest('.portal-table-scroll')).map(e => e.tagName + '.' + e.className).slice(0, 8)"
        )
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 320, (path, wide)
    context.close()
    assert refused == []
