"""The participants' table as CSV and XLSX: the same rows as the page for the same filters and sort,
formulas neutralised, only for those who may see the table, at a cost that does not grow."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from tests.factories import SchoolFactory, UserFactory, staff
from tests.tracking.test_pages import enrol_recent, supported
from tracking.exports import HEADINGS, safe_cell

pytestmark = pytest.mark.django_db

HEAD = reverse("tracking:head_home")


def _csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def _xlsx(response) -> list[list]:
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize(
    ("value", "made"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+44 1234", "'+44 1234"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTab", "'\tTab"),
        ("\rReturn", "'\rReturn"),
        ("Ada Lovelace", "Ada Lovelace"),
        ("O'Neil-Smith", "O'Neil-Smith"),
        (3, 3),
    ],
)
def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_made_plain_text(value, made):
    assert safe_cell(value) == made


@pytest.fixture
def school():
    return SchoolFactory(name="=Riverside")


@pytest.fixture
def head(school):
    return staff(Role.HEAD, school)


def test_the_export_has_the_pages_rows_for_the_same_filters_and_sort(client, school, head):
    for n in range(7):
        supported(school, participant__last_name=f"P{n}", last_session_days_ago=n * 5 + 1)
    enrol_recent(school, participant__first_name="=cmd|'/C calc'!A0")
    client.force_login(head)
    params = {"sort": "-sessions", "at_risk": "no"}
    response = client.get(HEAD, params)
    shown = [row.name for row in response.context["rows"]]
    assert len(shown) == 7
    url = reverse("tracking:head_export", args=["csv"])
    lines = _csv(client.get(url, params))
    assert lines[0] == HEADINGS
    assert [line[0] for line in lines[1:]] == shown
    assert {line[1] for line in lines[1:]} == {"'=Riverside"}
    book = _xlsx(client.get(reverse("tracking:head_export", args=["xlsx"]), params))
    assert book[0] == HEADINGS
    assert [line[0] for line in book[1:]] == shown
    everyone = _csv(client.get(url))
    risky = [line for line in everyone if line[0].startswith("'=cmd")]
    assert len(risky) == 1
    assert risky[0][HEADINGS.index("At risk")] == "Yes"
    assert "No coach assigned" in risky[0][HEADINGS.index("Reasons")]


def test_the_page_links_to_its_exports_with_its_filters(client, school, head):
    supported(school)
    client.force_login(head)
    page = client.get(HEAD, {"phase": "1", "page": "1", "sort": "credits"}).content.decode()
    assert reverse("tracking:head_export", args=["csv"]) + "?phase=1&amp;sort=credits" in page
    assert reverse("tracking:head_export", args=["xlsx"]) + "?phase=1&amp;sort=credits" in page


def test_only_the_head_and_the_leader_may_export_their_own_tables(client, school, head):
    supported(school)
    coach = staff(Role.COACH, school)
    client.force_login(coach)
    assert client.get(reverse("tracking:head_export", args=["csv"])).status_code == 404
    client.force_login(head)
    assert client.get(reverse("tracking:leader_export", args=["xlsx"])).status_code == 404
    assert client.get("/programme/my-school/participants.pdf").status_code == 404
    other_head = staff(Role.HEAD, SchoolFactory())
    client.force_login(other_head)
    assert _csv(client.get(reverse("tracking:head_export", args=["csv"]))) == [HEADINGS]


def test_the_leaders_export_is_every_school_filtered_like_the_page(client, school):
    a = supported(school)
    b = supported(SchoolFactory(name="South"))
    client.force_login(UserFactory(roles=[Role.PROGRAMME_LEADER]))
    url = reverse("tracking:leader_export", args=["csv"])
    assert len(_csv(client.get(url))) == 3
    only = _csv(client.get(url, {"school": school.pk}))
    assert [line[0] for line in only[1:]] == [str(a.participant)]
    assert str(b.participant) in {line[0] for line in _csv(client.get(url))}


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        b"".join(response.streaming_content) if response.streaming else response.content
    return len(queries)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_export_costs_the_same_queries_for_few_and_many(client, school, head, kind):
    client.force_login(head)
    url = reverse("tracking:head_export", args=[kind])
    supported(school)
    _queries(client, url)
    few = _queries(client, url)
    for _ in range(8):
        supported(school, last_session_days_ago=3)
    assert _queries(client, url) == few


def test_an_export_reads_its_rows_a_chunk_at_a_time_in_the_lists_order():
    """iter_rows reads the ids once, then one query a chunk: more rows cost more chunks, never a
    query a row, and the chunks keep the list's order (here, names from Z to A)."""
    from django.utils import timezone

    from programme.access import Relation
    from tracking import selectors
    from tracking.risks import Thresholds

    school = SchoolFactory()
    leader = UserFactory(roles=[Role.PROGRAMME_LEADER])
    for _ in range(5):
        supported(school)
    t = Thresholds.load(timezone.localdate())
    found = selectors.participants(
        leader, Relation.PROGRAMME_LEADER, filters=selectors.Filters(), sort="name", descending=True, t=t
    )
    listed = list(found.values_list("pk", flat=True))
    assert len(listed) == 5
    with CaptureQueriesContext(connection) as whole:
        at_once = [row.enrolment.pk for row in selectors.iter_rows(leader, found, t)]
    with CaptureQueriesContext(connection) as chunked:
        by_two = [row.enrolment.pk for row in selectors.iter_rows(leader, found, t, chunk=2)]
    assert at_once == by_two == listed
    assert len(whole) == 2  # the ids, then one chunk
    assert len(chunked) == 1 + 3  # the ids, then three chunks of at most two


def test_openpyxl_writes_through_lxml():
    """The locked requirements hold lxml, so openpyxl writes a large XLSX (5,000 rows) through it
    rather than through its pure-Python writer, several times slower (docs/performance.md)."""
    from openpyxl.xml import LXML

    assert LXML
