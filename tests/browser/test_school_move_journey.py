"""Journey 6 of PRODUCT.md in Chromium: a participant moves school mid-phase. The programme leader
moves them in the CMS, with a coach at the new school from the same day; nothing is lost. Then, as
PRODUCT.md's "who sees what" has it: the old coach still reads the session both agreed before the
move but not a record made after it (404); the new coach reads that agreed session, but not the old
coach's draft or private note; the old school's head no longer has the participant on their school
page and the new school's head has. axe-core finds no WCAG 2.2 A/AA violation on any page visited.
Without JavaScript, the move itself goes through the same form."""

import datetime

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from programme.models import CoachAssignment, SchoolPlacement
from tests.browser.test_setup_journey import (  # noqa: F401 (totp_counter is a fixture)
    _context,
    _fill_date,
    _sign_in_with_two_factors,
    totp_counter,
)
from tests.browser.test_sign_in_journey import sign_in
from tests.coaching.factories import DialogueLogFactory, agreed_log, private_note
from tests.factories import SchoolFactory, UserFactory, assign_coach, enrol, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def school_move(live_server, totp_counter):  # noqa: F811
    """Pat Learner at Riverside Academy since the spring, coached by Cara Coach: a session both
    agreed a month ago, with Cara's private note on it, and Cara's draft of a later one. Hillside
    School has its own coach and head. The programme leader signs in with two factors."""
    today = timezone.localdate()
    old_school = SchoolFactory(name="Riverside Academy")
    new_school = SchoolFactory(name="Hillside School")
    old_coach = staff(Role.COACH, old_school, email="cara.coach@example.org", first_name="Cara", last_name="Coach")
    old_head = staff(Role.HEAD, old_school, email="hana.head@example.org", first_name="Hana", last_name="Head")
    new_coach = staff(Role.COACH, new_school, email="nia.coach@example.org", first_name="Nia", last_name="Coach")
    new_head = staff(Role.HEAD, new_school, email="hugo.head@example.org", first_name="Hugo", last_name="Head")
    participant = UserFactory(
        email="pat.learner@example.org", first_name="Pat", last_name="Learner", roles=[Role.PARTICIPANT]
    )
    started = today - datetime.timedelta(days=200)
    enrolment = enrol(old_school, starts_on=started, participant=participant)
    assign_coach(enrolment, old_coach, starts_on=started)
    agreed = agreed_log(
        enrolment=enrolment,
        coach=old_coach,
        session_on=today - datetime.timedelta(days=30),
        focus="Hinge questions in Year 9",
    )
    private_note(agreed, "Pat seemed tired; ask about workload.")
    draft = DialogueLogFactory(
        enrolment=enrolment, coach=old_coach, session_on=today - datetime.timedelta(days=10), focus="Cara's draft"
    )
    leader = UserFactory(
        email="amara.osei@example.org", first_name="Amara", last_name="Osei", roles=[Role.PROGRAMME_LEADER]
    )
    secret = generate_totp_secret()
    TOTP.activate(leader, secret)
    return {
        "today": today,
        "enrolment": enrolment,
        "old_school": old_school,
        "new_school": new_school,
        "old_coach": old_coach,
        "new_coach": new_coach,
        "old_head": old_head,
        "new_head": new_head,
        "agreed": agreed,
        "draft": draft,
        "leader": leader,
        "secret": secret,
    }


def _move(browser, base: str, world: dict, counter: int, *, javascript: bool) -> list[str]:
    """The leader finds the enrolment in the CMS and moves Pat to Hillside School from today, with
    Nia Coach as coach from the same day."""
    context, page, refused = _context(browser, javascript=javascript)
    today = world["today"]
    _sign_in_with_two_factors(page, base, world["leader"].email, world["secret"], counter, check=javascript)
    page.goto(base + "/cms/programme_enrolments/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enrolments")
    page.get_by_role("link", name="Pat Learner", exact=False).first.click()
    actions = page.get_by_role("navigation", name="Enrolment actions")
    expect(actions).to_be_visible()
    actions.get_by_role("link", name="Move school", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Move school")
    page.get_by_label("New school*", exact=True).select_option(label="Hillside School")
    _fill_date(page, "Starts at the new school on", today)
    page.get_by_label("New coach", exact=True).select_option(label="Nia Coach (nia.coach@example.org)")
    page.get_by_role("button", name="Move school", exact=True).click()
    expect(page.get_by_text(f"Pat Learner moves to Hillside School on {today.day} {today:%B %Y}.")).to_be_visible()
    context.close()

    enrolment = world["enrolment"]
    placements = SchoolPlacement.objects.filter(enrolment=enrolment).order_by("starts_on")
    assert [(p.school, p.ends_on) for p in placements] == [
        (world["old_school"], today - datetime.timedelta(days=1)),
        (world["new_school"], None),
    ]
    coaches = CoachAssignment.objects.filter(enrolment=enrolment).order_by("starts_on")
    assert [(c.coach, c.starts_on, c.ends_on) for c in coaches] == [
        (world["old_coach"], enrolment.programme_started_on, today - datetime.timedelta(days=1)),
        (world["new_coach"], today, None),
    ]
    return refused


def _signed_in(browser, base: str, email: str):
    context, page, refused = _context(browser, javascript=True)
    sign_in(page, base, email)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    return context, page, refused


def _log_page(page, base: str, log, *, status: int, where: str) -> None:
    response = page.goto(f"{base}/coaching/logs/{log.pk}/")
    assert response.status == status, where


def test_journey_6_a_participant_moves_school(live_server, browser, school_move, totp_counter):  # noqa: F811
    base, world = live_server.url, school_move
    refused = _move(browser, base, world, totp_counter, javascript=True)

    # A session the new coach and Pat agree after the move.
    after = agreed_log(
        enrolment=world["enrolment"], coach=world["new_coach"], session_on=world["today"], focus="Cold calling"
    )

    # The old coach keeps the session they agreed before the move, and sees nothing after it.
    context, page, seen = _signed_in(browser, base, world["old_coach"].email)
    refused += seen
    expect(page.get_by_role("heading", level=1)).to_have_text("My coachees")
    expect(page.get_by_role("main")).not_to_contain_text("Pat Learner")
    _log_page(page, base, world["agreed"], status=200, where="the agreed session, to the old coach")
    expect(page.get_by_role("main")).to_contain_text("Hinge questions in Year 9")
    _log_page(page, base, after, status=404, where="the session after the move, to the old coach")
    expect(page.get_by_role("main")).not_to_contain_text("Cold calling")
    context.close()

    # The new coach has Pat, reads the agreed session, and never the old coach's draft or note.
    context, page, seen = _signed_in(browser, base, world["new_coach"].email)
    refused += seen
    expect(page.get_by_role("heading", level=1)).to_have_text("My coachees")
    expect(page.get_by_role("main")).to_contain_text("Pat Learner")
    _log_page(page, base, after, status=200, where="the session after the move, to the new coach")
    _log_page(page, base, world["agreed"], status=200, where="the agreed session, to the new coach")
    expect(page.get_by_role("main")).to_contain_text("Hinge questions in Year 9")
    expect(page.get_by_role("main")).not_to_contain_text("ask about workload")
    _log_page(page, base, world["draft"], status=404, where="the old coach's draft, to the new coach")
    response = page.goto(f"{base}/coaching/logs/{world['agreed'].pk}/private-note/")
    assert response.status == 404
    expect(page.get_by_role("main")).not_to_contain_text("ask about workload")
    context.close()

    # The old school's head no longer has Pat on their school page; the new school's head has.
    for head, listed in [(world["old_head"], False), (world["new_head"], True)]:
        context, page, seen = _signed_in(browser, base, head.email)
        refused += seen
        expect(page.get_by_role("heading", level=1)).to_have_text("My school's participants")
        if listed:
            expect(page.get_by_role("table")).to_contain_text("Pat Learner")
        else:
            expect(page.get_by_role("main")).not_to_contain_text("Pat Learner")
        context.close()
    assert refused == []


def test_journey_6_the_move_without_javascript(live_server, browser, school_move, totp_counter):  # noqa: F811
    refused = _move(browser, live_server.url, school_move, totp_counter, javascript=False)
    assert refused == []
