"""The external examiner in Chromium: the programme leader draws a task's sample, takes a piece out
(refused beside the field without a reason, then with one) and confirms it; the examiner opens it
from their home, reads the pack (the work, the marks and feedback, the session cited, opened at the
version cited), saves a comment (an empty one refused beside the field) and an overall report; the
tutor reads both. axe-core finds no WCAG 2.2 A/AA violation on any page, the pack also on a narrow
screen."""

import pytest
from playwright.sync_api import expect

from assessment.models import ExaminerComment, ExaminerSample
from tests.assessment.examiner.helpers import examiner_world
from tests.browser.conftest import watch_csp
from tests.browser.test_marking_journey import _no_violations, _page_for, _shows
from tests.programme.admin_factories import with_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_samples_examiner_reads_and_comments_tutor_reads(live_server, browser):
    world = examiner_world()
    world.task.second_marking = "all"
    world.task.save()
    for person in (world.leader, world.examiner, world.tutor):
        with_totp(person)

    leader = _page_for(browser, live_server, world.leader, viewport={"width": 1280, "height": 900})
    refused = watch_csp(leader)
    leader.goto(f"{live_server.url}/examiner/tasks/{world.task.pk}/sample/")
    leader.get_by_label(str(world.examiner)).check()
    leader.get_by_role("button", name="Draw the sample").click()
    _shows(leader, "The sample is drawn.")
    other = str(world.others[0].enrolment.participant)
    leader.get_by_label("Work to take out").select_option(label=f"{other}: 45")
    leader.get_by_role("button", name="Take out of the sample").click()
    _shows(leader, "Say why you are taking it out.")
    leader.get_by_label("Work to take out").select_option(label=f"{other}: 45")
    leader.get_by_label("Why you are taking it out").fill("The second marker has seen it already.")
    leader.get_by_role("button", name="Take out of the sample").click()
    _shows(leader, "Taken out of the sample.")
    leader.get_by_role("button", name="Confirm the sample").click()
    _shows(leader, "The sample is confirmed")
    sample = ExaminerSample.objects.get()

    examiner = _page_for(browser, live_server, world.examiner, viewport={"width": 1280, "height": 900})
    refused += watch_csp(examiner)
    examiner.goto(f"{live_server.url}/programme/examiner/")
    examiner.get_by_role("link", name=world.task.title, exact=True).click()
    examiner.get_by_role("link", name=str(world.participant), exact=False).click()
    expect(examiner.get_by_role("heading", level=1)).to_contain_text(str(world.participant))
    _shows(examiner, "Clear account of how questioning changed.")
    examiner.get_by_role("button", name="Save your comment").click()
    _shows(examiner, "Enter your comment.")
    examiner.get_by_label("Your comment on this work").fill("The merit band fits; the feedback is specific.")
    examiner.get_by_role("button", name="Save your comment").click()
    _shows(examiner, "Your comment is saved.")
    examiner.set_viewport_size({"width": 375, "height": 800})
    _no_violations(examiner, "the pack on a narrow screen")
    examiner.set_viewport_size({"width": 1280, "height": 900})
    examiner.locator("a", has_text="Open the session as cited").first.click()
    _shows(examiner, "Agreed version 1")
    examiner.get_by_role("link", name="Back to the sample").click()
    examiner.get_by_label("Your overall report on this task").fill("Marking is consistent and well evidenced.")
    examiner.get_by_role("button", name="Save your report").click()
    _shows(examiner, "Your report is saved.")
    assert ExaminerComment.objects.count() == 2

    tutor = _page_for(browser, live_server, world.tutor)
    refused += watch_csp(tutor)
    tutor.goto(f"{live_server.url}/examiner/comments/")
    tutor.get_by_role("link", name=world.task.title, exact=True).click()
    _shows(tutor, "The merit band fits; the feedback is specific.")
    _shows(tutor, "Marking is consistent and well evidenced.")
    assert sample.pk
    assert refused == []
