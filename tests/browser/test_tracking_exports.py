"""In Chromium: a head asks for a list too long to download at once, follows it to its page and
downloads the file, and turns the weekly digest off on their email choices; axe-core finds no WCAG
2.2 A/AA violation on the page that asks, the file's page (while written, ready and expired) or
the email choices page, at desktop and phone widths. Without JavaScript, the head and the programme
leader each download their table and the head turns the digest off."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from coaching.models import ReminderKind, ReminderPreference
from programme.access import Relation
from tests.browser.conftest import axe_violations
from tests.browser.test_homes_layout import _signed_in_page
from tests.factories import SchoolFactory, UserFactory, enrol, staff
from tests.programme.admin_factories import with_totp
from tracking.models import ListExport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def head(settings):
    settings.TRACKING_EXPORT_DIRECT_MAX_ROWS = 2
    school = SchoolFactory(name="Kestrel Moor Academy")
    for last_name in ("Adeyemi", "Byrne", "Castillo"):
        enrol(
            school,
            participant=UserFactory(first_name="Sam", last_name=last_name, roles=[Role.PARTICIPANT]),
            first_post_started_on=timezone.localdate() - datetime.timedelta(days=365),
        )
    return staff(Role.HEAD, school, first_name="Grace", last_name="Mensah")


def _checked(page, viewport, what: str) -> None:
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").count() == 1, what
    assert axe_violations(page) == [], what
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= viewport["width"], (what, width)


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 375, "height": 740}], ids=["desktop", "phone"]
)
def test_a_head_prepares_a_long_list_downloads_it_and_turns_the_digest_off(live_server, browser, head, viewport):
    context, page = _signed_in_page(browser, live_server, head, viewport)
    page.goto(live_server.url + "/programme/my-school/")
    assert "prepared in the background" in page.inner_text("main")
    page.get_by_role("link", name="CSV").click()
    page.wait_for_load_state("networkidle")
    assert "This list has 3 participants" in page.inner_text("main")
    _checked(page, viewport, "asking")

    page.get_by_role("button", name="Prepare the CSV file").click()
    page.wait_for_load_state("networkidle")
    assert page.inner_text("h1") == "Your list of participants is ready"
    _checked(page, viewport, "ready")
    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download the list").click()
    lines = open(downloading.value.path(), encoding="utf-8").read().splitlines()  # noqa: SIM115
    assert len(lines) == 4
    assert lines[1].startswith("Sam Adeyemi,")

    running = ListExport.objects.create(
        requested_by=head, relation=Relation.HEAD, kind="xlsx", status="running", done=500, total=1200
    )
    page.goto(live_server.url + running.get_absolute_url())
    assert "500 of 1200 rows written" in page.inner_text("main")
    _checked(page, viewport, "running")
    ListExport.objects.filter(pk=running.pk).update(status="expired")
    page.goto(live_server.url + running.get_absolute_url())
    assert page.inner_text("h1") == "This list of participants has expired"
    _checked(page, viewport, "expired")

    page.goto(live_server.url + "/coaching/emails/")
    _checked(page, viewport, "email choices")
    page.get_by_label(ReminderKind.WEEKLY_DIGEST.label).uncheck()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    assert ReminderPreference.objects.get(user=head).turned_off == [ReminderKind.WEEKLY_DIGEST]
    _checked(page, viewport, "email choices saved")
    context.close()


def test_without_javascript_the_head_and_the_leader_download_their_tables_and_the_head_stops_the_digest(
    live_server, browser
):
    """Journey 5's core task with JavaScript off: each downloads the participants they follow (the
    head their school's, the leader every school's) and the head turns the weekly digest off."""
    schools = [SchoolFactory(name="Kestrel Moor Academy"), SchoolFactory(name="Harrow Fields School")]
    for school, last_name in zip(schools, ("Adeyemi", "Byrne"), strict=True):
        enrol(
            school,
            participant=UserFactory(first_name="Sam", last_name=last_name, roles=[Role.PARTICIPANT]),
            first_post_started_on=timezone.localdate() - datetime.timedelta(days=365),
        )
    head = staff(Role.HEAD, schools[0])
    leader = with_totp(UserFactory(roles=[Role.PROGRAMME_LEADER]))

    for person, home, expected in ((head, "/programme/my-school/", 1), (leader, "/programme/overview/", 2)):
        context = _no_script_context(browser, live_server, person)
        page = context.new_page()
        page.goto(live_server.url + home)
        with page.expect_download() as downloading:
            page.get_by_role("link", name="CSV spreadsheet", exact=True).click()
        lines = open(downloading.value.path(), encoding="utf-8").read().splitlines()  # noqa: SIM115
        assert len(lines) == 1 + expected, (home, lines)
        assert lines[1].startswith("Sam Adeyemi,")
        context.close()

    context = _no_script_context(browser, live_server, head)
    page = context.new_page()
    page.goto(live_server.url + "/coaching/emails/")
    page.get_by_label(ReminderKind.WEEKLY_DIGEST.label).uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_label(ReminderKind.WEEKLY_DIGEST.label)).not_to_be_checked()
    assert ReminderPreference.objects.get(user=head).turned_off == [ReminderKind.WEEKLY_DIGEST]
    context.close()


def _no_script_context(browser, live_server, user):
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    context = browser.new_context(java_script_enabled=False, accept_downloads=True)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}])
    return context
