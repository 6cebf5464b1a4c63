"""Each long list reads one page at a time whatever the number of rows: the same queries for a few
rows or many, and the release-time rows read in the page's order from an index (their names kept
with them by the recount) rather than by sorting every row."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from coaching import selectors, services
from coaching.models import ReleaseTimeTotal
from programme.access import Relation
from programme.models import School
from tests.coaching.factories import SESSION_DAY, agreed_log
from tests.factories import assign_coach, assign_tutor, enrol

pytestmark = pytest.mark.django_db


def _participants(world, n: int, start: int = 0) -> None:
    """n more participants at the world's school, coached and tutored by its people, one agreed log
    each, spread over a year so the coach's own release time has a row in several terms."""
    for i in range(start, start + n):
        enrolment = enrol(world.school)
        User.objects.filter(pk=enrolment.participant_id).update(first_name="Member", last_name=f"Cohort{i:03d}")
        assign_coach(enrolment, world.coach)
        assign_tutor(enrolment, world.tutor)
        agreed_log(enrolment=enrolment, coach=world.coach, session_on=SESSION_DAY + datetime.timedelta(days=6 * i))


def _queries(client, person, url: str, **params) -> int:
    client.force_login(person)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("who", "params"),
    [
        ("coach", {}),
        ("participant", {}),
        ("leader", {"name": "cohort"}),
        ("head", {"head_page": "2"}),
    ],
)
def test_release_time_costs_the_same_queries_for_few_and_many_rows(client, world, who, params):
    url = reverse("coaching:release_time")
    _participants(world, 3)
    few = _queries(client, world.person(who), url, **params)
    _participants(world, 17, start=3)
    assert _queries(client, world.person(who), url, **params) == few


def test_the_csv_export_costs_the_same_queries_for_few_and_many_rows(client, world):
    url = reverse("coaching:release_time_csv")
    _participants(world, 3)
    few = _queries(client, world.leader, url, scope="programme_leader")
    _participants(world, 17, start=3)
    assert _queries(client, world.leader, url, scope="programme_leader") == few


def test_the_recount_keeps_the_names_each_row_is_sorted_by(world):
    _participants(world, 2)
    User.objects.filter(pk=world.coach.pk).update(first_name="", last_name="")
    School.objects.filter(pk=world.school.pk).update(name="Alder Grove School")
    services.release_time_recount()
    for row in ReleaseTimeTotal.objects.select_related("person", "school"):
        assert row.sort_name == str(row.person)
        assert row.sort_school == (row.school.name if row.school else "No school recorded")
    coach_rows = ReleaseTimeTotal.objects.filter(role=ReleaseTimeTotal.Role.COACH, person=world.coach)
    assert {r.sort_name for r in coach_rows} == {world.coach.email}


def test_the_rows_come_in_the_order_of_the_names_as_the_logs_give_them(world):
    """The stored order (term, school, role, name) is the order the sums from the logs have."""
    _participants(world, 12)
    for person, relation in ((world.leader, Relation.PROGRAMME_LEADER), (world.head, Relation.HEAD)):
        stored = selectors.release_time(person, relation).rows
        from_logs = selectors.release_time_from_logs(person, relation).rows
        assert [(r.term, r.school, r.role, r.name, r.person_id) for r in stored] == [
            (r.term, r.school, r.role, r.name, r.person_id) for r in from_logs
        ]
        assert len(stored) > 12


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plan")
@pytest.mark.parametrize("who", ["leader", "head"])
def test_a_page_of_release_time_is_read_from_the_index_without_sorting_every_row(world, who):
    _participants(world, 20)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    relation = Relation.PROGRAMME_LEADER if who == "leader" else Relation.HEAD
    page = selectors.release_time(world.person(who), relation).query[:50]
    sql, params = page.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " / ".join(str(row[-1]) for row in cursor.fetchall())
    assert "_in_order" in plan, plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan, plan
