"""A list counted by the database as it reads the page (page_of_ids) pages as Django's paginator
does: the same page for every number, a bad number the first page, one past the end the last."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from programme.models import Standard
from ui.pagination import page_of_ids

pytestmark = pytest.mark.django_db


def _request(**params):
    return RequestFactory().get("/list/", params)


def _standards():
    return Standard.objects.order_by("code", "pk")


@pytest.mark.parametrize("number", ["1", "2", "3", "0", "-4", "abc", "", "99"])
def test_the_page_and_its_count_are_djangos(number):
    listed = list(_standards().values_list("pk", flat=True))
    assert len(listed) > 4  # the programme's seeded standards, more than two pages of two
    expected = Paginator(listed, 2).get_page(number)
    page = page_of_ids(_standards(), _request(page=number), per_page=2)
    assert page.number == expected.number
    assert page.paginator.count == len(listed)
    assert page.paginator.num_pages == expected.paginator.num_pages
    assert page.object_list == list(expected.object_list)
    assert (page.start_index(), page.end_index()) == (expected.start_index(), expected.end_index())


def test_one_query_reads_the_page_and_counts_the_list():
    with CaptureQueriesContext(connection) as queries:
        page = page_of_ids(_standards(), _request(), per_page=2)
    assert len(queries) == 1
    assert page.paginator.count == _standards().count()


def test_an_empty_list_is_one_empty_page():
    page = page_of_ids(Standard.objects.none(), _request(page="3"))
    assert (page.number, page.paginator.count, page.object_list) == (1, 0, [])
    page = page_of_ids(Standard.objects.filter(code="no such code").order_by("pk"), _request(page="3"))
    assert (page.number, page.paginator.count, page.object_list) == (1, 0, [])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's query plan")
def test_the_length_is_counted_once_beside_the_page_not_by_a_window_over_every_row():
    """A window (COUNT(*) OVER ()) makes PostgreSQL sort the whole list before it takes the page; the
    length as an uncorrelated subquery is worked out once (an InitPlan) and the page is taken under
    LIMIT."""
    with CaptureQueriesContext(connection) as queries:
        page_of_ids(_standards(), _request(page="2"), per_page=2)
    (query,) = queries.captured_queries
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + query["sql"])
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "InitPlan" in plan
    assert "WindowAgg" not in plan
    assert plan.lstrip().startswith("Limit")
