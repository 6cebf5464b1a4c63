"""The head's participants' table in Chromium, without JavaScript (the filters and the sorting
headings are a form and links), at desktop and phone widths; axe-core finds no WCAG 2.2 A/AA
violation on the table as it stands, filtered and sorted."""

import datetime

import pytest
from django.utils import timezone

from accounts.roles import Role
from tests.browser.conftest import axe_violations
from tests.browser.test_homes_layout import _signed_in_page
from tests.coaching.factories import agreed_log
from tests.factories import SchoolFactory, UserFactory, assign_coach, assign_tutor, enrol, staff
from tests.programme.admin_factories import with_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def head(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "RequireMfa" not in m]
    school = SchoolFactory(name="Kestrel Moor Academy")
    head = staff(Role.HEAD, school, first_name="Grace", last_name="Adeyemi")
    coach = staff(Role.COACH, school)
    recent = timezone.localdate() - datetime.timedelta(days=365)
    for n, last_name in enumerate(["Ahmed", "Brook", "Clarke"]):
        enrolment = enrol(school, first_post_started_on=recent, participant__last_name=last_name)
        if n < 2:
            assign_coach(enrolment, coach)
            assign_tutor(enrolment, UserFactory(roles=[Role.TUTOR]))
            for days in range(n + 1):
                agreed_log(
                    enrolment=enrolment,
                    coach=coach,
                    session_on=timezone.localdate() - datetime.timedelta(days=3 + days),
                )
    return head


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 375, "height": 740}], ids=["desktop", "phone"]
)
def test_the_head_filters_and_sorts_their_table_without_javascript(live_server, browser, head, viewport):
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(head.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = head.get_session_auth_hash()
    session.save()
    # Without JavaScript: axe-core is run in a second context on the same pages.
    context = browser.new_context(viewport=viewport, java_script_enabled=False)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + "/programme/my-school/")
    table = page.get_by_role("table")
    assert "3 participants" in table.locator("caption").inner_text()
    page.get_by_label("At risk (optional)").select_option("yes")
    page.get_by_role("button", name="Filter").click()
    assert "at_risk=yes" in page.url
    assert "1 participant matching the filter" in page.get_by_role("table").locator("caption").inner_text()
    assert "No coach assigned" in page.get_by_role("table").inner_text()
    page.get_by_role("link", name="Show everyone").click()
    page.get_by_role("link", name="Coaching sessions, last 30 and 90 days").click()
    page.get_by_role("link", name="Coaching sessions, last 30 and 90 days").click()
    header = page.locator("th[aria-sort]")
    assert header.get_attribute("aria-sort") == "descending"
    first = page.locator("tbody tr").first.locator("th").inner_text()
    assert "Brook" in first  # two sessions, the most
    filtered_url = page.url
    context.close()

    context, checked = _signed_in_page(browser, live_server, head, viewport)
    for url in (live_server.url + "/programme/my-school/", filtered_url):
        checked.goto(url)
        assert axe_violations(checked) == [], url
        width = checked.evaluate("() => document.documentElement.scrollWidth")
        assert width <= viewport["width"], width  # the table scrolls inside its own region
    context.close()


def test_the_leaders_table_with_its_filters_passes_axe(live_server, browser, head):
    leader = with_totp(UserFactory(roles=[Role.PROGRAMME_LEADER]))  # leaders must use two-factor sign-in
    context, page = _signed_in_page(browser, live_server, leader, {"width": 1280, "height": 900})
    page.goto(live_server.url + "/programme/overview/?at_risk=yes&sort=-risk")
    assert "1 participant matching the filter" in page.get_by_role("table").locator("caption").inner_text()
    assert page.locator("th[aria-sort]").get_attribute("aria-sort") == "descending"
    assert axe_violations(page) == []
    context.close()
