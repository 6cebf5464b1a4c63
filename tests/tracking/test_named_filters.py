"""The leader's filters by school, coach and tutor: part of a name typed, found on the server, no
list of every school or person on the page; several matches offered as links, none refused beside
the field; the ids of links and bookmarks still accepted; the export holds the page's rows."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from tests.factories import SchoolFactory, UserFactory, staff
from tests.tracking.test_pages import _grow, names_in, supported
from tracking import named

pytestmark = pytest.mark.django_db

LEADER = reverse("tracking:leader_home")


@pytest.fixture
def leader(client):
    person = UserFactory(roles=[Role.PROGRAMME_LEADER])
    client.force_login(person)
    return person


def _field(response, name: str) -> str:
    """The form group of one filter, as drawn."""
    page = response.content.decode()
    start = page.index(f'id="id_{name}"')
    group = page.rfind('<div class="govuk-form-group', 0, start)
    return page[group : page.index("</div>\n", start)]


def _input_value(response, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', response.content.decode()).group(1)


def test_part_of_a_schools_name_filters_by_that_school_and_shows_its_name(client, leader):
    north = SchoolFactory(name="Northgate Academy")
    a = supported(north)
    supported(SchoolFactory(name="Southfield School"))
    response = client.get(LEADER, {"school_name": "  northGATE "})
    assert names_in(response) == [str(a.participant)]
    assert not response.context["form"].errors
    assert _input_value(response, "school_name") == "Northgate Academy"
    assert f'<input type="hidden" name="school" value="{north.pk}">' in response.content.decode()
    # Its URN finds it too.
    assert names_in(client.get(LEADER, {"school_name": north.urn})) == [str(a.participant)]


def test_words_naming_several_schools_are_offered_as_links_and_filter_nobody_out(client, leader):
    hill, vale = SchoolFactory(name="Oak Hill Primary"), SchoolFactory(name="Oak Vale School")
    a, b = supported(hill), supported(vale)
    supported(SchoolFactory(name="Elm Park"))
    response = client.get(LEADER, {"school_name": "oak", "phase": "1", "page": "2"})
    assert response.status_code == 200
    (error,) = response.context["form"].errors["school_name"]
    assert error == "2 schools match “oak”: choose one below, or type more of the name."
    assert len(response.context["rows"]) == 3  # not applied
    group = _field(response, "school_name")
    assert "govuk-form-group--error" in group
    assert _input_value(response, "school_name") == "oak"  # what was typed is kept
    links = re.findall(r'<a class="govuk-link" href="([^"]+)">([^<]+)<', group)
    assert [label for _, label in links] == ["Oak Hill Primary", "Oak Vale School"]
    href = links[1][0].replace("&amp;", "&")
    assert "school_name" not in href
    assert "page=" not in href
    assert f"school={vale.pk}" in href
    assert "phase=1" in href
    # Following a link filters by that school, and the field then shows its name.
    chosen = client.get(LEADER + href)
    assert names_in(chosen) == [str(b.participant)]
    assert _input_value(chosen, "school_name") == "Oak Vale School"
    assert str(a.participant) not in names_in(chosen)


def test_more_matches_than_can_be_offered_say_so(client, leader):
    for i in range(named.LIMIT + 2):
        SchoolFactory(name=f"Ash Grove {i}")
    response = client.get(LEADER, {"school_name": "ash grove"})
    (error,) = response.context["form"].errors["school_name"]
    assert error.startswith(f"More than {named.LIMIT} schools match")
    assert _field(response, "school_name").count('<a class="govuk-link"') == named.LIMIT


def test_words_naming_no_school_are_refused_beside_the_field_and_kept(client, leader):
    supported(SchoolFactory(name="Northgate Academy"))
    response = client.get(LEADER, {"school_name": "Nowhere High", "status": "active"})
    (error,) = response.context["form"].errors["school_name"]
    assert error == "No school matches “Nowhere High”: check the spelling, or type less of the name."
    assert len(response.context["rows"]) == 1  # not applied; the other filters are
    group = _field(response, "school_name")
    assert 'aria-describedby="id_school_name-hint id_school_name-error-1"' in group
    assert "Nowhere High" in group
    assert 'name="school"' not in group


def test_a_schools_exact_name_is_chosen_over_longer_names_holding_it(client, leader):
    exact = SchoolFactory(name="Oak Hill")
    a = supported(exact)
    supported(SchoolFactory(name="Oak Hill Juniors"))
    assert names_in(client.get(LEADER, {"school_name": "oak hill"})) == [str(a.participant)]


def test_two_schools_of_one_name_stay_apart_once_one_is_chosen(client, leader):
    first, second = SchoolFactory(name="St Mary's"), SchoolFactory(name="St Mary's")
    supported(first)
    b = supported(second)
    response = client.get(LEADER, {"school_name": "St Mary's"})
    assert len(response.context["form"].errors["school_name"]) == 1  # which one?
    # Chosen by its link, then the form sent again with another filter: still that one.
    assert names_in(client.get(LEADER, {"school": second.pk})) == [str(b.participant)]
    again = client.get(LEADER, {"school_name": "St Mary's", "school": second.pk, "status": "active"})
    assert names_in(again) == [str(b.participant)]
    # Other words than its name look again, whatever id came with them.
    assert names_in(client.get(LEADER, {"school_name": "Nowhere", "school": second.pk})) != [str(b.participant)]


def test_clearing_the_words_clears_the_filter_even_with_the_id_beside_them(client, leader):
    north = SchoolFactory(name="Northgate Academy")
    supported(north)
    supported(SchoolFactory(name="Southfield School"))
    response = client.get(LEADER, {"school_name": "", "school": north.pk})
    assert len(response.context["rows"]) == 2
    assert not response.context["filtered"]


def test_an_id_naming_no_school_is_refused_beside_the_field(client, leader):
    supported(SchoolFactory())
    response = client.get(LEADER, {"school": "999999"})
    assert response.context["form"].errors["school_name"]
    assert len(response.context["rows"]) == 1


def test_coaches_and_tutors_are_found_by_name_or_email_among_those_holding_the_role(client, leader):
    north = SchoolFactory(name="Northgate Academy")
    coach = staff(Role.COACH, north, first_name="Daniel", last_name="Okoro")
    tutor = UserFactory(roles=[Role.TUTOR], first_name="Priya", last_name="Raman", email="p.raman@uni.example")
    a = supported(north, coach=coach, tutor=tutor)
    supported(north)
    # Someone of the same name without the role is not a coach to filter by.
    UserFactory(roles=[Role.TUTOR], first_name="Daniel", last_name="Okoro")
    for words in ("okoro", "Daniel Okoro", "okoro dan"):
        assert names_in(client.get(LEADER, {"coach_name": words})) == [str(a.participant)], words
    response = client.get(LEADER, {"tutor_name": "P.RAMAN@uni"})
    assert names_in(response) == [str(a.participant)]
    assert _input_value(response, "tutor_name") == "Priya Raman"
    assert names_in(client.get(LEADER, {"coach": coach.pk})) == [str(a.participant)]
    refused = client.get(LEADER, {"coach_name": "Raman"}).context["form"].errors["coach_name"]
    assert refused == ["No coach matches “Raman”: check the spelling, or type less of the name."]


def test_the_page_lists_no_school_coach_or_tutor_as_options(client, leader):
    first = supported(SchoolFactory())
    few = client.get(LEADER).content.decode().count("<option")
    for _ in range(20):
        supported(SchoolFactory(), cohort=first.cohort)  # cohorts are few, and a select
    assert client.get(LEADER).content.decode().count("<option") == few


def _queries(client, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LEADER, params).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "params",
    [
        {"school_name": "Riverside"},
        {"school_name": "Riverside", "coach_name": "a", "tutor_name": "e", "sort": "-risk"},
        {"school_name": "School"},  # several: offered, not applied
    ],
)
def test_filtering_by_names_costs_the_same_queries_for_few_and_many(client, leader, params):
    school = SchoolFactory(name="Riverside Academy")
    _grow(school, 2)
    _queries(client, {})  # the settings row is made on the first visit
    few = _queries(client, params)
    _grow(school, 10)
    for _ in range(12):
        _grow(SchoolFactory(name="Hillside School"), 1)
    assert _queries(client, params) == few


def test_the_export_by_a_schools_name_holds_the_pages_rows(client, leader):
    north = SchoolFactory(name="Northgate Academy")
    supported(north)
    supported(north)
    supported(SchoolFactory(name="Southfield School"))
    params = {"school_name": "northgate", "sort": "-name"}
    page = client.get(LEADER, params)
    shown = names_in(page)
    assert len(shown) == 2
    (href,) = [href for label, href in page.context["exports"] if label == "CSV"]
    response = client.get(href)
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [line[0] for line in lines[1:]] == shown


def test_progression_and_charts_take_a_schools_name_too(client, leader):
    north = SchoolFactory(name="Northgate Academy")
    supported(north)
    supported(SchoolFactory(name="Southfield School"))
    progression = client.get(reverse("tracking:progression"), {"school_name": "northgate"})
    assert progression.context["rows"][-1].total == 1
    assert f"school={north.pk}" in progression.context["rows"][0].total_href
    charts = client.get(reverse("tracking:leader_charts"), {"school_name": "northgate"})
    assert charts.context["form"].filters().school_id == north.pk
    assert _input_value(charts, "school_name") == "Northgate Academy"
