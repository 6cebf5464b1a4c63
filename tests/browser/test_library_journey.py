"""The research library in Chromium (journey 7): a participant summarises their phase 3 enquiry
(refused beside the field when the findings are missing, what they typed kept), sends it to their
tutor, who returns it once with a comment and then approves it; the participant publishes it with
their consent, anyone finds it by searching the public library, and once the participant withdraws
it its address answers 404. axe-core finds no WCAG 2.2 A/AA violation on any page on the way. The
same summary is sent, approved, published and found with JavaScript off."""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import expect
from wagtail.models import Page, Site

from handbook.models import HomePage
from tests.browser.conftest import axe_violations, watch_csp
from tests.coaching.factories import coaching_world
from tests.portfolio.factories import EnquiryFactory
from tests.programme.admin_factories import with_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _context_for(browser, live_server, user=None, **options):
    """A browser context signed in as `user` (a session made on the server), or anonymous."""
    context = browser.new_context(**options)
    if user is not None:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        context.add_cookies(
            [{"name": django_settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}]
        )
    return context


def _public_site(live_server) -> None:
    """A home page served for the live server's host, as the handbook's migrations make one."""
    home = HomePage.objects.first() or Page.get_first_root_node().add_child(
        instance=HomePage(title="MTL Portal", slug="portal")
    )
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)


def _clean(page, where: str) -> None:
    assert axe_violations(page) == [], where


def test_participant_publishes_an_approved_summary_and_withdraws_it(live_server, browser, wagtail_tree):
    _public_site(live_server)
    world = coaching_world()
    with_totp(world.tutor)  # tutors sign in with two factors; the session here is made on the server
    enquiry = EnquiryFactory(
        enrolment=world.enrolment, title="Wait time in Year 8 maths", findings="<p>Hands went up later.</p>"
    )

    participant_context = _context_for(browser, live_server, world.participant)
    participant = participant_context.new_page()
    refused = watch_csp(participant)
    participant.goto(live_server.url + enquiry.get_absolute_url())
    participant.get_by_role("link", name="summarise this enquiry for the research library").click()
    expect(participant.get_by_label("Findings")).to_have_value("Hands went up later.")
    _clean(participant, "the summary form")

    participant.get_by_label("Title").fill("Waiting before choosing who answers")
    participant.get_by_label("Summary", exact=True).fill("Whether a pause after a question widens who answers.")
    participant.get_by_label("Findings").fill("")
    participant.get_by_role("button", name="Save").click()
    expect(participant.locator(".govuk-error-summary")).to_contain_text("Enter what you found.")
    assert participant.title().startswith("Error:")
    expect(participant.get_by_label("Title")).to_have_value("Waiting before choosing who answers")
    _clean(participant, "the summary form with an error")

    participant.get_by_label("Findings").fill("More pupils answered.\n\nTheir answers were longer.")
    participant.get_by_label("Implications for practice").fill("Plan the pause and tell the class why.")
    participant.locator("input[name=content_areas]").first.check()
    participant.get_by_role("button", name="Save").click()
    expect(participant.get_by_role("heading", level=1)).to_have_text("Waiting before choosing who answers")
    _clean(participant, "the draft summary")
    participant.get_by_role("button", name="Send to your tutor to approve").click()
    expect(participant.locator("body")).to_contain_text("Sent")

    tutor_context = _context_for(browser, live_server, world.tutor, viewport={"width": 1280, "height": 900})
    tutor = tutor_context.new_page()
    tutor_refused = watch_csp(tutor)
    tutor.goto(live_server.url + "/portfolio/library-summaries/awaiting/")
    _clean(tutor, "summaries waiting for the tutor")
    tutor.get_by_role("link", name="Waiting before choosing who answers").click()
    tutor.get_by_label("Return it with a comment").check()
    tutor.get_by_role("button", name="Save your decision").click()
    expect(tutor.locator(".govuk-error-summary")).to_be_visible()
    _clean(tutor, "a return without a comment")
    tutor.get_by_label("Return it with a comment").check()
    tutor.get_by_role("textbox", name="Comment").fill("Say which year groups took part.")
    tutor.get_by_role("button", name="Save your decision").click()
    expect(tutor.locator("body")).to_contain_text("Returned")

    participant.reload()
    expect(participant.locator("body")).to_contain_text("Say which year groups took part.")
    participant.get_by_role("link", name="Change the summary").click()
    participant.get_by_label("Summary", exact=True).fill("Whether a pause widens who answers, in Years 8 and 9.")
    participant.get_by_role("button", name="Save").click()
    participant.get_by_role("button", name="Send to your tutor to approve").click()

    tutor.reload()
    tutor.get_by_label("Approve it for publishing").check()
    tutor.get_by_role("button", name="Save your decision").click()
    expect(tutor.locator("body")).to_contain_text("Approved")
    _clean(tutor, "the approved summary")

    participant.reload()
    participant.get_by_role("button", name="Publish the summary").click()
    expect(participant.locator(".govuk-error-summary")).to_be_visible()
    _clean(participant, "publishing without consent")
    participant.get_by_label("I confirm the summary names no pupil").check()
    participant.get_by_label("I agree to this summary being published").check()
    participant.get_by_role("button", name="Publish the summary").click()
    expect(participant.get_by_role("link", name="Read it in the research library")).to_be_visible()
    _clean(participant, "the published summary")
    public_path = participant.get_by_role("link", name="Read it in the research library").get_attribute("href")

    reader_context = _context_for(browser, live_server)
    reader = reader_context.new_page()
    reader_refused = watch_csp(reader)
    reader.goto(live_server.url + public_path)
    expect(reader.get_by_role("heading", level=1)).to_have_text("Waiting before choosing who answers")
    _clean(reader, "the public page")
    library_path = public_path.rstrip("/").rsplit("/", 1)[0] + "/"
    reader.goto(live_server.url + library_path)
    reader.get_by_label("Search the summaries").fill("pause")
    reader.get_by_role("button", name="Search").click()
    expect(reader.get_by_role("link", name="Waiting before choosing who answers")).to_be_visible()
    _clean(reader, "the library's search results")

    participant.get_by_role("button", name="Withdraw the summary").click()
    expect(participant.locator("body")).to_contain_text("Withdrawn")
    assert reader.goto(live_server.url + public_path).status == 404

    assert refused == []
    assert tutor_refused == []
    assert reader_refused == []
    for context in (participant_context, tutor_context, reader_context):
        context.close()


def test_without_javascript_a_summary_is_approved_published_and_found(live_server, browser, wagtail_tree):
    """Journey 7's core task with JavaScript off: summarise, send, approve, publish, find."""
    _public_site(live_server)
    world = coaching_world()
    with_totp(world.tutor)
    enquiry = EnquiryFactory(
        enrolment=world.enrolment, title="Wait time in Year 8 maths", findings="<p>Hands went up later.</p>"
    )
    contexts = [
        _context_for(browser, live_server, user, java_script_enabled=False)
        for user in (world.participant, world.tutor, None)
    ]
    participant, tutor, reader = (context.new_page() for context in contexts)

    participant.goto(live_server.url + enquiry.get_absolute_url())
    participant.get_by_role("link", name="summarise this enquiry for the research library").click()
    participant.get_by_label("Title").fill("Waiting before choosing who answers")
    participant.get_by_label("Summary", exact=True).fill("Whether a pause after a question widens who answers.")
    participant.get_by_label("Implications for practice").fill("Plan the pause and tell the class why.")
    participant.locator("input[name=content_areas]").first.check()
    participant.get_by_role("button", name="Save").click()
    expect(participant.get_by_role("heading", level=1)).to_have_text("Waiting before choosing who answers")
    participant.get_by_role("button", name="Send to your tutor to approve").click()
    expect(participant.locator("body")).to_contain_text("Sent")

    tutor.goto(live_server.url + "/portfolio/library-summaries/awaiting/")
    tutor.get_by_role("link", name="Waiting before choosing who answers").click()
    tutor.get_by_label("Approve it for publishing").check()
    tutor.get_by_role("button", name="Save your decision").click()
    expect(tutor.locator("body")).to_contain_text("Approved")

    participant.reload()
    participant.get_by_label("I confirm the summary names no pupil").check()
    participant.get_by_label("I agree to this summary being published").check()
    participant.get_by_role("button", name="Publish the summary").click()
    published = participant.get_by_role("link", name="Read it in the research library")
    expect(published).to_be_visible()
    public_path = published.get_attribute("href")

    reader.goto(live_server.url + public_path.rstrip("/").rsplit("/", 1)[0] + "/")
    reader.get_by_label("Search the summaries").fill("pause")
    reader.get_by_role("button", name="Search").click()
    reader.get_by_role("link", name="Waiting before choosing who answers").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Waiting before choosing who answers")
    for context in contexts:
        context.close()
