"""The programme leader's progression, tutors' marking and coaches' caseloads in Chromium: a number
followed to the list behind it without JavaScript, and axe-core finds no WCAG 2.2 A/AA violation
on any of the five pages nor on the head's progression, at desktop and phone widths."""

import datetime

import pytest
from django.utils import timezone

from accounts.roles import Role
from assessment.models import Marking
from assessment.workflow import State
from programme.models import Enrolment, Phase
from tests.assessment.factories import AssessmentTaskFactory
from tests.browser.conftest import axe_violations
from tests.browser.test_homes_layout import _signed_in_page
from tests.coaching.factories import agreed_log
from tests.factories import SchoolFactory, UserFactory, assign_coach, assign_tutor, enrol, staff
from tests.programme.admin_factories import with_totp
from tests.tracking.factories import submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    today = timezone.localdate()
    school = SchoolFactory(name="Kestrel Moor Academy")
    coach = staff(Role.COACH, school, first_name="Daniel", last_name="Okoro")
    tutor = UserFactory(roles=[Role.TUTOR], first_name="Priya", last_name="Natarajan")
    for i, (phase, status) in enumerate([(1, "active"), (1, "active"), (2, "withdrawn"), (3, "completed")]):
        enrolment = enrol(school, current_phase=Phase.objects.get(number=phase), status=status)
        assign_coach(enrolment, coach)
        assign_tutor(enrolment, tutor)
        agreed_log(enrolment=enrolment, coach=coach, session_on=today - datetime.timedelta(days=4 + 10 * i))
        task = AssessmentTaskFactory(cohort=enrolment.cohort, title="Enquiry into practice")
        submission = submit(enrolment, task, on=today - datetime.timedelta(days=30))
        if i % 2:
            Marking.objects.create(
                submission=submission,
                marker=tutor,
                rubric=task.rubric,
                state=State.MARKED,
                marked_at=submission.submitted_at + datetime.timedelta(days=6),
            )
    staff(Role.HEAD, school, first_name="Grace", last_name="Mensah")
    leader = with_totp(UserFactory(roles=[Role.PROGRAMME_LEADER], first_name="Amara", last_name="Osei"))
    return {"leader": leader, "coach": coach, "tutor": tutor}


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 375, "height": 740}], ids=["desktop", "phone"]
)
def test_the_leaders_progression_tutors_and_coaches_pages_work_without_javascript_and_pass_axe(
    live_server, browser, world, viewport
):
    context, page = _signed_in_page(browser, live_server, world["leader"], viewport)
    base = live_server.url + "/programme/overview/"
    page.goto(base + "progression/")
    assert Enrolment.objects.count() == 4
    # The number of active participants in phase 1 opens the table of those two.
    page.locator("#progression tbody tr").first.get_by_role("link").first.click()
    page.wait_for_load_state("networkidle")
    assert "phase=1" in page.url
    assert "status=active" in page.url
    assert "2 participants matching the filter" in page.inner_text("#participants caption")

    pages = [
        "progression/",
        "tutors/",
        f"tutors/{world['tutor'].pk}/?show=marked",
        "coaches/?sort=-last",
        f"coaches/{world['coach'].pk}/?days=90",
    ]
    for path in pages:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        assert page.locator("h1").count() == 1
        assert axe_violations(page) == [], path
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= viewport["width"], (path, width)
    context.close()

    # The head's progression, their school only.
    from accounts.models import User

    head = User.objects.get(last_name="Mensah")
    context, page = _signed_in_page(browser, live_server, head, viewport)
    page.goto(live_server.url + "/programme/my-school/progression/")
    page.wait_for_load_state("networkidle")
    assert "Progression at my school" in page.inner_text("h1")
    assert axe_violations(page) == []
    context.close()

    # Without JavaScript: the tutor's numbers lead to their work.
    context, page = _no_script_page(browser, live_server, world["leader"], viewport)
    page.goto(base + "tutors/")
    page.get_by_role("link", name="2 marked by Priya Natarajan").click()
    page.wait_for_load_state("networkidle")
    assert "2 pieces of work" in page.inner_text("#work caption")
    context.close()


def _no_script_page(browser, live_server, user, viewport):
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    context = browser.new_context(viewport=viewport, java_script_enabled=False)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": live_server.url}])
    return context, context.new_page()


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 375, "height": 740}], ids=["desktop", "phone"]
)
def test_the_leader_filters_by_part_of_a_name_without_javascript_and_chooses_among_several(
    live_server, browser, world, viewport
):
    SchoolFactory(name="Kestrel Vale School")
    context, page = _no_script_page(browser, live_server, world["leader"], viewport)
    page.goto(live_server.url + "/programme/overview/")
    page.get_by_label("Coach (optional)").fill("okoro")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state("networkidle")
    assert "coach_name=okoro" in page.url
    assert page.get_by_label("Coach (optional)").input_value() == "Daniel Okoro"
    assert "4 participants matching the filter" in page.inner_text("#participants caption")

    # Two schools hold "kestrel": each is offered beside the field, and nothing is filtered by it.
    page.get_by_label("School (optional)").fill("kestrel")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state("networkidle")
    error = page.locator(".govuk-form-group--error")
    assert "2 schools match “kestrel”" in error.inner_text()
    assert page.get_by_label("School (optional)").input_value() == "kestrel"
    several = page.url
    context.close()
    # axe needs JavaScript in the page: the same address, as it is.
    checked_context, checked = _signed_in_page(browser, live_server, world["leader"], viewport)
    checked.goto(several)
    checked.wait_for_load_state("networkidle")
    assert axe_violations(checked) == []
    width = checked.evaluate("() => document.documentElement.scrollWidth")
    assert width <= viewport["width"], width
    checked.get_by_role("link", name="Kestrel Moor Academy").click()
    checked.wait_for_load_state("networkidle")
    assert "school_name" not in checked.url
    assert f"coach={world['coach'].pk}" in checked.url
    assert checked.get_by_label("School (optional)").input_value() == "Kestrel Moor Academy"
    assert "4 participants matching the filter" in checked.inner_text("#participants caption")
    checked_context.close()
