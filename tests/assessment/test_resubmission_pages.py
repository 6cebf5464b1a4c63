"""Resubmission pages: the participant starts it from the released result, builds it by its own due
date; the diff page and both attempts read by whom the access policy allows (the head: the outcome
only); the tutor's queue marks resubmissions and the workspace links to the first attempt."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import Submission
from tests.assessment.referral import ReferralWorld, referred_world
from tests.coaching.factories import agreed_log

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_mfa_prompt(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "RequireMfa" not in m]


@pytest.fixture
def world() -> ReferralWorld:
    return referred_world()


def test_the_participant_starts_the_resubmission_from_the_result(client, world):
    client.force_login(world.participant)
    result = reverse("marking:result", args=[world.submission.pk])
    page = client.get(result).content.decode()
    assert "Start your resubmission" in page
    response = client.post(reverse("assessment:resubmit", args=[world.submission.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment:build", args=[world.task.pk])
    page = client.get(response["Location"]).content.decode()
    assert "This is your resubmission of work that was referred" in page
    assert "resubmission&#x27;s due date" in page or "resubmission's due date" in page
    assert "Carry on with your resubmission" in client.get(result).content.decode()


@pytest.mark.parametrize("who", ["coach", "tutor", "head"])
def test_nobody_else_is_offered_the_resubmission(client, world, who):
    client.force_login(world.person(who))
    page = client.get(reverse("marking:result", args=[world.submission.pk])).content.decode()
    assert "Start your resubmission" not in page
    client.post(reverse("assessment:resubmit", args=[world.submission.pk]))
    assert not Submission.objects.filter(resubmission_of=world.submission).exists()


def test_a_refused_start_says_why_on_the_result(client, db):
    from tests.assessment.marking.helpers import marking_world

    world = ReferralWorld(**vars(marking_world()))
    world.release(world.start(), outcome="pass", mark=64)
    client.force_login(world.participant)
    response = client.post(reverse("assessment:resubmit", args=[world.submission.pk]), follow=True)
    assert "only once its result has been released" in response.content.decode()
    assert not Submission.objects.filter(resubmission_of=world.submission).exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("participant", 200),
        ("coach", 200),
        ("tutor", 200),
        ("leader", 200),
        ("head", 404),  # the outcome only
        ("examiner", 404),  # not in a sample
        ("stranger_coach", 404),
        ("other_tutor", 404),
        ("other_participant", 404),
    ],
)
def test_the_diff_page_is_for_those_who_read_both_attempts_in_full(client, world, who, status):
    resubmission = world.resubmit(commentary="Waiting longer changed who answered, in two classes.")
    client.force_login(world.person(who))
    response = client.get(reverse("assessment:resubmission_changes", args=[resubmission.pk]))
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "What changed in the resubmission" in page
        assert "[added: </span>" in page


@pytest.mark.parametrize(
    ("who", "work", "result"),
    [
        ("participant", 200, "full"),
        ("coach", 200, "full"),
        ("tutor", 200, "full"),
        ("leader", 200, "full"),
        ("head", 200, "outcome"),  # the summary page and the outcome only
        ("other_tutor", 404, None),
        ("other_participant", 404, None),
    ],
)
def test_both_attempts_and_their_results_are_read_as_the_policy_says(client, world, who, work, result):
    resubmission = world.resubmit()
    world.submission = resubmission
    world.release(world.start(), outcome="pass", mark=68)
    client.force_login(world.person(who))
    for attempt in (resubmission.resubmission_of, resubmission):
        page = client.get(attempt.get_absolute_url())
        assert page.status_code == work
        if who == "head":
            assert resubmission.commentary not in page.content.decode()
        response = client.get(reverse("marking:result", args=[attempt.pk]))
        if result is None:
            assert response.status_code == 404
            continue
        page = response.content.decode()
        assert ("Strengths" in page) == (result == "full")
    if result == "full":
        page = client.get(reverse("marking:result", args=[resubmission.pk])).content.decode()
        assert "at most 50; 68 before the cap" in page


def test_the_queue_marks_resubmissions_and_the_workspace_links_to_the_first_attempt(client, world):
    resubmission = world.resubmit()
    client.force_login(world.tutor)
    queue = client.get(reverse("marking:queue")).content.decode()
    assert "Resubmission</strong>" in queue
    world.submission = resubmission
    world.mark_all(world.start(), 68)
    page = client.get(reverse("marking:workspace", args=[resubmission.pk])).content.decode()
    assert reverse("marking:result", args=[resubmission.resubmission_of_id]) in page
    assert reverse("assessment:resubmission_changes", args=[resubmission.pk]) in page
    assert "Mark before the cap: 68; awarded: 50." in page


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_diff_page_costs_the_same_with_few_and_many_records(client, world):
    from assessment.services.submissions import submission_withdraw

    logs = [agreed_log(enrolment=world.enrolment, coach=world.coach) for _ in range(4)]
    few = world.resubmit(evidence_ids=(), section_keys=())
    client.force_login(world.coach)
    before = _count(client, reverse("assessment:resubmission_changes", args=[few.pk]))
    draft = submission_withdraw(by=world.participant, submission=few, version=few.version)
    many = world.submit(
        version=draft.version,
        log_ids=(world.log.pk, *[log.pk for log in logs]),
        feed_forward=("a", "b"),
        feed_forward_marking_id=world.referral.pk,
    )
    assert many.items.count() == few.items.count() + 8
    assert _count(client, reverse("assessment:resubmission_changes", args=[many.pk])) == before


def test_the_task_list_says_referred_work_can_be_resubmitted_and_by_when(client, world):
    import datetime

    from django.utils import timezone

    client.force_login(world.participant)
    page = client.get(reverse("assessment:tasks")).content.decode()
    due = timezone.localdate() + datetime.timedelta(weeks=6)
    assert f"Resubmit by {due:%-d %B %Y}" in page
    assert reverse("marking:result", args=[world.submission.pk]) + "#resubmission" in page
    world.resubmit()
    page = client.get(reverse("assessment:tasks")).content.decode()
    assert "Resubmit by" not in page
    assert "Resubmission</strong>" in page
