"""The charts page in Chromium: without JavaScript every chart's image loads and nothing is refused
by the Content-Security-Policy (the page's, nor the SVG file's own when opened by itself), and
axe-core finds no WCAG 2.2 A/AA violation, at desktop and phone widths."""

import datetime
import re

import pytest
from django.utils import timezone

from accounts.roles import Role
from assessment.rules.marks import Outcome
from tests.assessment.factories import AssessmentTaskFactory
from tests.browser.conftest import axe_violations, watch_csp
from tests.browser.test_homes_layout import _signed_in_page
from tests.coaching.factories import agreed_log
from tests.factories import SchoolFactory, UserFactory, enrol
from tests.programme.admin_factories import with_totp
from tests.tracking.factories import result, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def leader():
    today = timezone.localdate()
    for name, n in (("Kestrel Moor Academy", 3), ("Harbour Lane School", 2)):
        school = SchoolFactory(name=name)
        for i in range(n):
            enrolment = enrol(school)
            agreed_log(enrolment=enrolment, session_on=today - datetime.timedelta(days=3 + i))
            task = AssessmentTaskFactory(cohort=enrolment.cohort, title="Enquiry into practice")
            result(submit(enrolment, task), Outcome.PASS if i else Outcome.REFER)
    # A programme leader is asked to set up two-factor sign-in first: this one has.
    return with_totp(UserFactory(roles=[Role.PROGRAMME_LEADER], first_name="Amara", last_name="Osei"))


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 375, "height": 740}], ids=["desktop", "phone"]
)
def test_the_leaders_charts_load_without_javascript_and_pass_axe(live_server, browser, leader, viewport):
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(leader.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = leader.get_session_auth_hash()
    session.save()
    context = browser.new_context(viewport=viewport, java_script_enabled=False)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}])
    page = context.new_page()
    refused = watch_csp(page)
    svgs = []
    page.on("response", lambda r: svgs.append(r) if re.search(r"/charts/[a-z]+\.svg", r.url) else None)
    page.goto(live_server.url + "/programme/overview/charts/")
    page.wait_for_load_state("networkidle")
    figures = page.locator("figure")
    assert figures.count() == 5
    assert page.get_by_role("table").count() == 5
    assert "Most participants are in phase 1 (5 of 5)." in figures.first.inner_text()
    assert len(svgs) == 5
    assert all(r.status == 200 and r.headers["content-type"].startswith("image/svg+xml") for r in svgs)
    # Opened by itself, an SVG file's own policy lets matplotlib's styles through.
    page.goto(svgs[0].url)
    page.goto(live_server.url + "/programme/overview/charts/?school=")
    assert refused == []
    context.close()

    context, checked = _signed_in_page(browser, live_server, leader, viewport)
    checked.goto(live_server.url + "/programme/overview/charts/")
    checked.wait_for_load_state("networkidle")
    widths = checked.evaluate("() => [...document.querySelectorAll('figure img')].map(i => i.naturalWidth)")
    assert len(widths) == 5
    assert all(w > 100 for w in widths), widths  # each image was drawn, not broken
    assert axe_violations(checked) == []
    width = checked.evaluate("() => document.documentElement.scrollWidth")
    assert width <= viewport["width"], width
    context.close()
