"""Long lists come a page at a time, with the page and the filters in GET parameters (so they work
without JavaScript and can be bookmarked), can be searched by name, and cost the same number of
queries for a few rows or many: the coaching list of participants, the tutor's agreed logs and
the release-time page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from tests.coaching.factories import SESSION_DAY, agreed_log
from tests.factories import assign_coach, assign_tutor, enrol

pytestmark = pytest.mark.django_db


def _participants(world, n: int, start: int = 0) -> None:
    """n more participants at the world's school, coached and tutored by its people, one agreed log each."""
    for i in range(start, start + n):
        enrolment = enrol(world.school)
        User.objects.filter(pk=enrolment.participant_id).update(first_name="Member", last_name=f"Cohort{i:03d}")
        assign_coach(enrolment, world.coach)
        assign_tutor(enrolment, world.tutor)
        agreed_log(enrolment=enrolment, coach=world.coach, session_on=SESSION_DAY + datetime.timedelta(days=i % 60))


def _get(client, person, url: str, **params):
    client.force_login(person)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


LISTS = [
    ("leader", "coaching:index"),
    ("coach", "coaching:index"),
    ("tutor", "coaching:index"),
    ("head", "coaching:index"),
    ("tutor", "coaching:tutor_logs"),
    ("leader", "coaching:release_time"),
    ("head", "coaching:release_time"),
]


@pytest.mark.parametrize(("who", "url_name"), LISTS)
def test_each_list_costs_the_same_queries_for_few_and_many_rows(client, world, who, url_name):
    url = reverse(url_name)
    _participants(world, 3)
    _, few = _get(client, world.person(who), url)
    _participants(world, 57, start=3)
    body, many = _get(client, world.person(who), url)
    assert few == many
    assert "Next<span" in body  # 60 rows do not fit on one page


def test_the_leaders_list_shows_fifty_a_page_and_the_next_page_keeps_the_search(client, world):
    _participants(world, 60)
    body, _ = _get(client, world.leader, reverse("coaching:index"), name="member")
    assert body.count(": coaching summary</span>") == 50
    assert "Showing 1 to 50 of 60" in body
    assert "?name=member&amp;programme_leader_page=2" in body
    body, _ = _get(client, world.leader, reverse("coaching:index"), name="member", programme_leader_page=2)
    assert body.count(": coaching summary</span>") == 10
    assert "Cohort059" in body
    assert "Cohort000" not in body


def test_search_by_name_finds_one_participant(client, world):
    _participants(world, 12)
    body, _ = _get(client, world.coach, reverse("coaching:index"), name="cohort007")
    assert "Cohort007" in body
    assert "Cohort008" not in body
    body, _ = _get(client, world.coach, reverse("coaching:index"), name="nobody-by-this-name")
    assert "Nobody whose name contains" in body


def test_a_bad_page_number_shows_the_first_page_and_one_past_the_end_the_last(client, world):
    _participants(world, 55)
    first, _ = _get(client, world.leader, reverse("coaching:index"), programme_leader_page="abc")
    assert "Showing 1 to 50 of" in first
    last, _ = _get(client, world.leader, reverse("coaching:index"), programme_leader_page="99")
    assert "Showing 51 to 5" in last


def test_a_search_too_long_is_refused_beside_the_field_and_kept(client, world):
    body, _ = _get(client, world.coach, reverse("coaching:index"), name="x" * 101)
    assert "Search for 100 characters or fewer." in body
    assert 'value="' + "x" * 101 + '"' in body


def test_the_tutors_logs_page_through_with_the_filter_kept(client, world):
    _participants(world, 60)
    area = world.area.pk
    body, _ = _get(client, world.tutor, reverse("coaching:tutor_logs"))
    assert body.count(">Read<span") == 50
    assert "60 agreed logs" in body
    body, _ = _get(client, world.tutor, reverse("coaching:tutor_logs"), area=area, page=2)
    assert f"area={area}&amp;page=1" in body
    body, _ = _get(client, world.tutor, reverse("coaching:tutor_logs"), name="cohort012")
    assert body.count(">Read<span") == 1


def test_release_time_pages_its_rows_and_finds_a_name(client, world):
    _participants(world, 60)
    body, _ = _get(client, world.leader, reverse("coaching:release_time"))
    assert "programme_leader_page=2" in body
    body, _ = _get(client, world.leader, reverse("coaching:release_time"), name="cohort033")
    assert "Cohort033" in body
    assert "Cohort034" not in body
