"""Moderation in Chromium: the programme leader opens the task's second marking, sees the suggested
work with why it is suggested, confirms it without a second marker (refused beside the field, the
tick kept), then with one; the second marker finds it waiting, marks blind in the workspace (the
first marker's feedback nowhere on the page), completes; the marks are in different bands, so the
two markers agree a mark on the moderation page (a missing note refused beside its field, the mark
typed kept); the leader releases and the participant reads the agreed mark. axe-core finds no WCAG
2.2 A/AA violation on any page on the way."""

import pytest
from playwright.sync_api import expect

from assessment.models import Marking, Moderation
from assessment.services import marking as marking_services
from assessment.services.marking import CriterionContent, OverallContent
from assessment.workflow import State
from tests.assessment.marking.helpers import marking_world
from tests.assessment.moderation_helpers import first_marked
from tests.browser.conftest import watch_csp
from tests.browser.test_marking_journey import _page_for, _shows
from tests.programme.admin_factories import with_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST_FEEDBACK = "Clear account of how questioning changed."


def test_leader_selects_second_marker_marks_blind_markers_agree_participant_reads_agreed_mark(live_server, browser):
    world = marking_world()
    first_marked(world, 64)
    for person in (world.leader, world.tutor, world.other_tutor):
        with_totp(person)

    leader = _page_for(browser, live_server, world.leader, viewport={"width": 1280, "height": 900})
    refused = watch_csp(leader)
    leader.goto(f"{live_server.url}/marking/tasks/{world.task.pk}/release/")
    leader.get_by_role("link", name="Choose work for second marking").click()
    expect(leader.get_by_role("heading", level=1)).to_contain_text("Second marking")
    _shows(leader, "Drawn in the sample")
    tick = leader.get_by_label(f"Second-mark {world.participant}'s work")
    expect(tick).to_be_checked()
    leader.get_by_role("button", name="Confirm second marking").click()
    _shows(leader, "Choose a tutor as the second marker.")
    expect(leader.get_by_label(f"Second-mark {world.participant}'s work")).to_be_checked()
    leader.get_by_label(f"Second marker for {world.participant}").select_option(str(world.other_tutor.pk))
    leader.get_by_role("button", name="Confirm second marking").click()
    _shows(leader, "Second marking confirmed")

    second = _page_for(browser, live_server, world.other_tutor, viewport={"width": 1280, "height": 900})
    second.goto(live_server.url + "/marking/moderation/")
    second.get_by_role("link", name="Second-mark", exact=False).click()
    _shows(second, "You are the second marker")
    second.get_by_role("button", name="Start second marking").click()
    assert FIRST_FEEDBACK not in second.content()
    # The criteria are marked through the services (the workspace's forms are the marking journey's test).
    marking = Marking.objects.get(role="second")
    for criterion in marking.rubric.criteria.all():
        marking.refresh_from_db()
        marking_services.criterion_mark_save(
            by=world.other_tutor,
            marking=marking,
            criterion_id=criterion.pk,
            version=marking.version,
            content=CriterionContent(mark=55, strengths="Sound.", development="Test each claim."),
        )
    marking.refresh_from_db()
    marking_services.marking_overall_save(
        by=world.other_tutor, marking=marking, version=marking.version, content=OverallContent(outcome="pass")
    )
    second.reload()
    second.get_by_role("button", name="Mark as complete").click()
    _shows(second, "The marking has moved on.")
    second.get_by_role("link", name="See the moderation").click()
    _shows(second, "The marks fall in different bands")
    _shows(second, FIRST_FEEDBACK)  # complete now: both sets of marks, to agree
    second.get_by_label("Agreed mark out of 100").fill("60")
    second.get_by_label("Pass", exact=True).check()
    second.get_by_role("button", name="Record the mark").click()
    _shows(second, "Say how the mark was reached")
    expect(second.get_by_label("Agreed mark out of 100")).to_have_value("60")
    second.get_by_label("How the mark was reached").fill("We agreed a merit after rereading the evaluation.")
    second.get_by_role("button", name="Record the mark").click()
    _shows(second, "The mark that stands is recorded.")
    assert Moderation.objects.get().mark == 60

    leader.goto(f"{live_server.url}/marking/tasks/{world.task.pk}/release/")
    leader.get_by_role("button", name="Release 1 result now").click()
    _shows(leader, "Released 1 result.")
    assert Marking.objects.get(role="agreed").state == State.RELEASED

    participant = _page_for(browser, live_server, world.participant)
    participant.goto(f"{live_server.url}/marking/submissions/{world.submission.pk}/result/")
    _shows(participant, "60")
    assert "Test each claim." not in participant.content()  # never the second marker's feedback
    assert refused == []
