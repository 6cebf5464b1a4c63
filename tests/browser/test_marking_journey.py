"""Marking in Chromium: the tutor opens their participant's submitted work from the queue, marks each
criterion citing an agreed coaching session (told beside the field when a mark is out of range, what
they typed kept), sets the outcome, completes and confirms; the programme leader releases the task's
results; the participant then reads, per criterion, the band, the feedback and the session cited,
with its words as cited. axe-core finds no WCAG 2.2 A/AA violation on any page on the way, the
workspace included at 1280 px and on a narrow screen. With JavaScript off the same marking, release
and result work, and the tutor confirms the phase complete once the credits count."""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import expect

from assessment.models import Marking
from assessment.workflow import State
from tests.assessment.marking.helpers import marking_world
from tests.browser.conftest import axe_violations, watch_csp
from tests.programme.admin_factories import with_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page_for(browser, live_server, user, **context):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    browser_context = browser.new_context(**context)
    browser_context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}]
    )
    return browser_context.new_page()


def _no_violations(page, where: str) -> None:
    assert axe_violations(page) == [], where


def _shows(page, text: str) -> None:
    expect(page.locator("body")).to_contain_text(text)


def _mark_each_criterion_and_confirm(page, criteria, version) -> None:
    """Marks every criterion citing the agreed session, passes the work, completes and confirms."""
    for criterion, mark in zip(criteria, (64, 68), strict=False):
        section = page.locator(f"#criterion-{criterion.pk}")
        section.get_by_label("Mark out of 100").fill(str(mark))
        section.get_by_label("Strengths").fill("A clear account of how the pause changed who answered.")
        section.get_by_label("Areas for development").fill("Weigh the evidence against other explanations.")
        section.get_by_label(f"(version {version.number})", exact=False).check()
        section.get_by_role("button", name="Save").click()
        _shows(page, f"Saved your marking of “{criterion.title}”.")
    overall = page.locator("#overall")
    overall.get_by_label("Outcome").select_option("pass")
    overall.get_by_label("Feed-forward for the next piece of work").fill("Compare two classes next time.")
    overall.get_by_role("button", name="Save the overall result").click()
    _shows(page, "Saved the overall result.")
    page.get_by_role("button", name="Mark as complete").click()
    _shows(page, "The marking has moved on.")
    page.get_by_role("button", name="Confirm for release").click()
    _shows(page, "Ready for release")


def test_tutor_marks_leader_releases_participant_reads_feedback_with_citations(live_server, browser):
    world = marking_world()
    with_totp(world.tutor)  # tutors and programme leaders sign in with two factors
    with_totp(world.leader)
    version = world.log.versions.get(number=world.log.agreed_version)

    page = _page_for(browser, live_server, world.tutor, viewport={"width": 1280, "height": 900})
    refused = watch_csp(page)
    page.goto(live_server.url + "/marking/")
    page.get_by_role("link", name=f"Mark {world.task.title}", exact=False).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(world.task.title)
    page.get_by_role("button", name="Start marking").click()
    _shows(page, "Marking started.")

    marking = Marking.objects.get()
    criteria = list(marking.rubric.criteria.order_by("sort_order"))
    first = page.locator(f"#criterion-{criteria[0].pk}")
    first.get_by_label("Mark out of 100").fill("140")
    first.get_by_label("Strengths").fill("A clear account of how the pause changed who answered.")
    first.get_by_role("button", name="Save").click()
    _shows(page, "Enter a mark from 0 to 100.")
    first = page.locator(f"#criterion-{criteria[0].pk}")
    assert first.get_by_label("Strengths").input_value() == "A clear account of how the pause changed who answered."

    _mark_each_criterion_and_confirm(page, criteria, version)
    page.set_viewport_size({"width": 375, "height": 800})
    _no_violations(page, "the workspace on a narrow screen")
    assert refused == []

    leader = _page_for(browser, live_server, world.leader)
    leader.goto(f"{live_server.url}/marking/tasks/{world.task.pk}/release/")
    leader.get_by_role("button", name="Release 1 result now").click()
    _shows(leader, "Released 1 result.")
    assert Marking.objects.get().state == State.RELEASED

    participant = _page_for(browser, live_server, world.participant)
    participant.goto(live_server.url + world.submission.get_absolute_url())
    participant.get_by_role("link", name="Read the result and feedback").click()
    expect(participant.get_by_role("heading", level=1)).to_contain_text("Result:")
    _shows(participant, "Merit")
    _shows(participant, "Weigh the evidence against other explanations.")
    _shows(participant, "What your tutor drew on")
    participant.get_by_text("What it said when cited").first.click()
    _shows(participant, "(version 1)")
    _no_violations(participant, "the participant's result")


def test_without_javascript_the_tutor_marks_the_leader_releases_and_the_tutor_confirms_the_phase(live_server, browser):
    """Journey 4's marking, release, result, credits and progression with JavaScript off."""
    world = marking_world()
    with_totp(world.tutor)
    with_totp(world.leader)
    version = world.log.versions.get(number=world.log.agreed_version)

    tutor = _page_for(browser, live_server, world.tutor, java_script_enabled=False)
    tutor.goto(live_server.url + "/marking/")
    tutor.get_by_role("link", name=f"Mark {world.task.title}", exact=False).click()
    tutor.get_by_role("button", name="Start marking").click()
    _shows(tutor, "Marking started.")
    marking = Marking.objects.get()
    _mark_each_criterion_and_confirm(tutor, list(marking.rubric.criteria.order_by("sort_order")), version)

    leader = _page_for(browser, live_server, world.leader, java_script_enabled=False)
    leader.goto(f"{live_server.url}/marking/tasks/{world.task.pk}/release/")
    leader.get_by_role("button", name="Release 1 result now").click()
    _shows(leader, "Released 1 result.")

    participant = _page_for(browser, live_server, world.participant, java_script_enabled=False)
    participant.goto(live_server.url + world.submission.get_absolute_url())
    participant.get_by_role("link", name="Read the result and feedback").click()
    expect(participant.get_by_role("heading", level=1)).to_contain_text("Result:")
    _shows(participant, "Weigh the evidence against other explanations.")
    _shows(participant, "What your tutor drew on")
    participant.goto(f"{live_server.url}/assessment/participants/{world.enrolment.pk}/credits/")
    _shows(participant, f"{world.task.credits} of")

    tutor.goto(f"{live_server.url}/assessment/participants/{world.enrolment.pk}/credits/")
    tutor.get_by_role("button", name="Confirm phase 1 complete").click()
    _shows(tutor, "Phase 1 confirmed complete.")
    world.enrolment.refresh_from_db()
    assert world.enrolment.current_phase.number == 2
