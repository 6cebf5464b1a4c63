"""A coaching page's number of queries does not grow with the number of sessions."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programme.models import ContentArea, Standard, Topic
from tests.coaching.factories import SESSION_DAY, DialogueLogFactory, action_step, agreed_log, private_note

pytestmark = pytest.mark.django_db


def _add_sessions(world, count: int, start: int) -> None:
    areas = list(ContentArea.objects.all()[:2])
    topics = list(Topic.objects.all()[:2])
    standards = list(Standard.objects.all()[:2])
    for i in range(start, start + count):
        day = SESSION_DAY + datetime.timedelta(days=20 * i)  # 20 sessions run to October 2026
        tags = {"content_areas": areas, "topics": topics, "standards": standards}
        if i % 2:
            log = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach, session_on=day, **tags)
        else:
            log = agreed_log(enrolment=world.enrolment, coach=world.coach, session_on=day, **tags)
        action_step(log)
        action_step(log, status="done")
        private_note(log)


def _count(client, person, url) -> int:
    client.force_login(person)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


PAGES = [
    ("coach", "coaching:timeline"),
    ("participant", "coaching:timeline"),
    ("tutor", "coaching:timeline"),
    ("head", "coaching:summary"),
    ("leader", "coaching:summary"),
    ("coach", "coaching:action_steps"),
    ("participant", "coaching:action_steps"),
    ("tutor", "coaching:action_steps"),
]


@pytest.mark.parametrize(("who", "page"), PAGES)
def test_queries_are_the_same_for_2_and_20_sessions(client, world, who, page):
    url = reverse(page, args=[world.enrolment.pk])
    _add_sessions(world, 2, start=0)
    few = _count(client, world.person(who), url)
    _add_sessions(world, 18, start=2)
    many = _count(client, world.person(who), url)
    assert few == many
    assert many < 25


def test_a_change_of_coach_adds_queries_for_the_change_not_for_the_sessions(client, world):
    """Relations are asked once per span between period changes, never once per session."""
    from accounts.roles import Role
    from programme.models import CoachAssignment
    from tests.factories import staff

    CoachAssignment.objects.filter(enrolment=world.enrolment).update(ends_on=datetime.date(2025, 12, 31))
    CoachAssignment.objects.create(
        enrolment=world.enrolment, coach=staff(Role.COACH, world.school), starts_on=datetime.date(2026, 1, 1)
    )
    url = reverse("coaching:summary", args=[world.enrolment.pk])
    _add_sessions(world, 2, start=0)
    few = _count(client, world.head, url)
    _add_sessions(world, 18, start=2)
    many = _count(client, world.head, url)
    assert few == many
