"""Each role's home in Chromium: it starts with "What needs you", the programme leader's menu keeps
Sign out on one line, and the coach's table fits a 375 px phone by scrolling inside its own
labelled region, never the page; axe-core's WCAG 2.2 AA rules pass at both widths."""

import datetime

import pytest
from django.utils import timezone

from accounts.roles import Role
from coaching.models import AgreementStatus
from tests.browser.conftest import axe_violations
from tests.coaching.factories import DialogueLogFactory, action_step, agreed_log
from tests.factories import SchoolFactory, UserFactory, assign_coach, enrol, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1024, "height": 768}


def _signed_in_page(browser, live_server, user, viewport):
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    # axe-core is injected as an inline script, which the site's Content-Security-Policy refuses.
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}])
    return context, context.new_page()


@pytest.fixture
def _no_mfa(settings):
    # Two-factor set-up is tested elsewhere; here the pages themselves are under test.
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "RequireMfa" not in m]


@pytest.fixture
def coaching(_no_mfa):
    school = SchoolFactory(name="Kestrel Moor Academy")
    coach = staff(Role.COACH, school, first_name="Daniel", last_name="Okoro")
    enrolments = []
    for n in range(6):
        enrolment = enrol(school)
        assign_coach(enrolment, coach)
        log = agreed_log(enrolment=enrolment, coach=coach)
        action_step(log, owner=coach, description=f"Share readings with coachee {n}")
        enrolments.append(enrolment)
    DialogueLogFactory(
        enrolment=enrolments[0],
        coach=coach,
        session_on=datetime.date(2025, 11, 3),
        status=AgreementStatus.AWAITING_PARTICIPANT,
        coach_agreed_at=timezone.now(),
    )
    return coach, enrolments[0].participant


@pytest.mark.usefixtures("_no_mfa")
def test_the_leaders_menu_keeps_sign_out_on_one_line(live_server, browser):
    leader = UserFactory(roles=[Role.PROGRAMME_LEADER])
    context, page = _signed_in_page(browser, live_server, leader, DESKTOP)
    page.goto(live_server.url + "/programme/overview/")
    menu_tops = page.locator("#navigation > li").evaluate_all("items => items.map(i => i.getBoundingClientRect().top)")
    assert len(set(menu_tops)) == 1, menu_tops  # every part of the portal on one row
    sign_out = page.get_by_role("button", name="Sign out")
    account = page.get_by_role("link", name="Your account")
    assert sign_out.bounding_box()["y"] == pytest.approx(account.bounding_box()["y"], abs=4)
    assert sign_out.bounding_box()["height"] < 40  # one line of text
    assert axe_violations(page) == []
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_coachs_home_starts_with_what_needs_you_and_fits_the_screen(live_server, browser, coaching, viewport):
    coach, _ = coaching
    context, page = _signed_in_page(browser, live_server, coach, viewport)
    page.goto(live_server.url + "/programme/my-coachees/")
    headings = page.locator("main h2").all_inner_texts()
    assert headings[0] == "What needs you"
    assert "Share readings with coachee 0" in page.locator("#needs-you-heading + *").evaluate(
        "first => first.parentElement.innerText"
    )
    width = page.evaluate("() => document.documentElement.scrollWidth")
    wide = page.evaluate(
        "(w) => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w"
        " && !e.closest('.portal-table-scroll')).map(e => e.tagName + '.' + e.className).slice(0, 8)",
        viewport["width"],
    )
    assert width <= viewport["width"], (width, wide)
    region = page.get_by_role("region", name="My coachees")
    assert region.get_attribute("tabindex") == "0"
    assert axe_violations(page) == []
    context.close()


def test_the_participant_sees_the_record_waiting_for_them_first(live_server, browser, coaching):
    _, participant = coaching
    context, page = _signed_in_page(browser, live_server, participant, PHONE)
    page.goto(live_server.url + "/programme/my-programme/")
    assert page.locator("main h2").first.inner_text() == "What needs you"
    page.get_by_role("link", name="Agree the record of a session").click()
    assert page.get_by_role("heading", level=1).count() == 1
    assert "/respond/" in page.url
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert axe_violations(page) == []
    context.close()
