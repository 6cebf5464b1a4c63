"""Coaching from each role's home: the coach's "my coachees" (last and next session, open and
overdue action steps, content-area coverage, a link to each timeline) in a flat number of queries,
links to coaching from every home and the menu, and the participant closing their own action step."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coaching.models import ActionStep
from programme.models import ContentArea
from tests.coaching.factories import DialogueLogFactory, action_step, agreed_log
from tests.factories import assign_coach, enrol

pytestmark = pytest.mark.django_db

D = datetime.date


def _coachee(world, i: int):
    enrolment = enrol(world.school)
    assign_coach(enrolment, world.coach)
    areas = list(ContentArea.objects.all()[:2])
    log = agreed_log(enrolment=enrolment, coach=world.coach, session_on=D(2025, 10, 1), content_areas=areas)
    action_step(log, due_on=D(2025, 10, 10))
    DialogueLogFactory(
        enrolment=enrolment, coach=world.coach, session_on=D(2025, 11, 1), next_session_on=timezone.localdate()
    )
    return enrolment


def _count(client, person, url) -> tuple[int, str]:
    client.force_login(person)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_my_coachees_shows_sessions_steps_and_coverage(client, world):
    log = agreed_log(
        enrolment=world.enrolment,
        coach=world.coach,
        session_on=D(2025, 10, 1),
        content_areas=[ContentArea.objects.get(number=3)],
        next_session_on=D(2099, 1, 15),
    )
    action_step(log, due_on=D(2025, 10, 10))
    action_step(log, due_on=D(2099, 1, 1))
    # A draft covers no content area yet.
    DialogueLogFactory(
        enrolment=world.enrolment,
        coach=world.coach,
        session_on=D(2025, 11, 5),
        content_areas=[ContentArea.objects.get(number=4)],
    )
    _, body = _count(client, world.coach, reverse("tracking:coach_home"))
    assert reverse("coaching:timeline", args=[world.enrolment.pk]) in body
    assert "5 Nov 2025" in body  # last session
    assert "15 Jan 2099" in body  # next session
    assert "2 open" in body
    assert "1 overdue" in body
    assert body.count("Covered</strong>") == 1
    assert body.count("Not yet</strong>") == 3


def test_my_coachees_queries_are_flat_for_2_and_20_coachees(client, world):
    url = reverse("tracking:coach_home")
    for i in range(2):
        _coachee(world, i)
    few, _ = _count(client, world.coach, url)
    for i in range(2, 20):
        _coachee(world, i)
    many, body = _count(client, world.coach, url)
    assert few == many == 13  # pinned: fewer is welcome, more is a regression
    assert body.count("1 overdue") == 20


def test_a_coach_sees_no_one_elses_coachees(client, world):
    _, body = _count(client, world.stranger_coach, reverse("tracking:coach_home"))
    assert str(world.participant) not in body


@pytest.mark.parametrize(
    ("who", "home", "links"),
    [
        ("participant", "tracking:participant_home", ["coaching:release_time", "coaching:reminder_preferences"]),
        ("coach", "tracking:coach_home", ["coaching:index", "coaching:release_time", "coaching:reminder_preferences"]),
        ("tutor", "tracking:tutor_home", ["coaching:index"]),
        ("head", "tracking:head_home", ["coaching:index", "coaching:release_time"]),
        ("leader", "tracking:leader_home", ["coaching:index", "coaching:release_time"]),
    ],
)
def test_every_home_links_to_coaching(client, world, who, home, links):
    client.force_login(world.person(who))
    body = client.get(reverse(home)).content.decode()
    for name in links:
        assert reverse(name) in body, name
    # And the menu on every page.
    assert f'href="{reverse("coaching:index")}"' in body


def test_participant_home_links_to_each_coaching_page(client, world):
    client.force_login(world.participant)
    body = client.get(reverse("tracking:participant_home")).content.decode()
    for name in ("coaching:timeline", "coaching:action_steps", "coaching:diagnosis", "coaching:opportunities"):
        assert reverse(name, args=[world.enrolment.pk]) in body


def test_the_examiner_has_no_coaching_menu(client, world):
    client.force_login(world.examiner)
    body = client.get(reverse("tracking:examiner_home")).content.decode()
    assert reverse("coaching:index") not in body


# --- The participant closes their own action step.


def test_participant_closes_their_own_action_step_not_the_coachs(client, world):
    log = agreed_log(enrolment=world.enrolment, coach=world.coach)
    mine = action_step(log)
    coachs = action_step(log, owner=world.coach)
    client.force_login(world.participant)
    page = client.get(reverse("coaching:action_steps", args=[world.enrolment.pk])).content.decode()
    assert reverse("coaching:action_step_close", args=[mine.pk]) in page
    assert reverse("coaching:action_step_close", args=[coachs.pk]) not in page
    assert client.get(reverse("coaching:action_step_close", args=[coachs.pk])).status_code == 403
    response = client.post(
        reverse("coaching:action_step_close", args=[mine.pk]), {"status": "done", "closing_note": ""}
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.status, mine.closed_by) == (ActionStep.Status.DONE, world.participant)


def test_tutor_cannot_close_an_action_step(client, world):
    step = action_step(agreed_log(enrolment=world.enrolment, coach=world.coach))
    client.force_login(world.tutor)
    assert client.get(reverse("coaching:action_step_close", args=[step.pk])).status_code == 403
    client.force_login(world.head)
    assert client.get(reverse("coaching:action_step_close", args=[step.pk])).status_code == 404
