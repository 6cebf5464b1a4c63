"""The tutor's page of their participants' agreed logs: every current participant on one page,
read-only, filterable by content area and standard with plain GET parameters."""

import datetime

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from programme.models import ContentArea, Enrolment, Standard
from tests.coaching.factories import SESSION_DAY, DialogueLogFactory, agreed_log
from tests.factories import assign_coach, assign_tutor, enrol, staff
from ui.pagination import page_of_ids

pytestmark = pytest.mark.django_db

URL = reverse("coaching:tutor_logs")


def _second_participant(world):
    """Another participant the same tutor follows, with their own coach."""
    enrolment = enrol(world.school)
    coach = staff(Role.COACH, world.school)
    assign_coach(enrolment, coach)
    assign_tutor(enrolment, world.tutor)
    return enrolment, coach


def _page(client, person, **params) -> str:
    client.force_login(person)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def test_tutor_reads_every_current_participants_agreed_logs_on_one_page(client, world):
    second, second_coach = _second_participant(world)
    mine = agreed_log(enrolment=world.enrolment, coach=world.coach, focus="Secret-focus")
    theirs = agreed_log(enrolment=second, coach=second_coach, session_on=SESSION_DAY + datetime.timedelta(days=3))
    draft = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach, session_on=SESSION_DAY)
    other = agreed_log(enrolment=Enrolment.objects.get(participant=world.other_participant), coach=world.stranger_coach)
    page = _page(client, world.tutor)
    for log in (mine, theirs):
        assert reverse("coaching:log_detail", args=[log.pk]) in page
    assert str(world.participant) in page
    assert str(second.participant) in page
    assert "Lesson observation and feedback" in page
    assert str(ContentArea.objects.get(number=1)) in page
    assert reverse("coaching:log_detail", args=[draft.pk]) not in page
    assert reverse("coaching:log_detail", args=[other.pk]) not in page
    # Newest first.
    assert page.index(reverse("coaching:log_detail", args=[theirs.pk])) < page.index(
        reverse("coaching:log_detail", args=[mine.pk])
    )
    # A list, not the record: the text of the dialogue stays on each log's own page, and nothing to change it.
    assert "Secret-focus" not in page
    assert reverse("coaching:log_new_version", args=[mine.pk]) not in page


def test_tutor_filters_by_content_area_and_standard_without_javascript(client, world):
    area_one, area_three = ContentArea.objects.get(number=1), ContentArea.objects.get(number=3)
    standard = Standard.objects.first()
    one = agreed_log(enrolment=world.enrolment, coach=world.coach, content_areas=[area_one])
    three = agreed_log(enrolment=world.enrolment, coach=world.coach, content_areas=[area_three], standards=[standard])
    page = _page(client, world.tutor, area=area_three.pk)
    assert reverse("coaching:log_detail", args=[three.pk]) in page
    assert reverse("coaching:log_detail", args=[one.pk]) not in page
    assert f'<option value="{area_three.pk}" selected>' in page
    page = _page(client, world.tutor, standard=standard.pk)
    assert reverse("coaching:log_detail", args=[three.pk]) in page
    assert reverse("coaching:log_detail", args=[one.pk]) not in page
    page = _page(client, world.tutor, area=area_one.pk, standard=standard.pk)
    assert "No agreed logs match this filter." in page
    # The filter is an ordinary GET form.
    assert '<form method="get"' in page


def test_a_tutor_whose_assignment_ended_no_longer_lists_that_participant(client, world):
    from programme.models import TutorAssignment

    log = agreed_log(enrolment=world.enrolment, coach=world.coach)
    TutorAssignment.objects.filter(tutor=world.tutor).update(ends_on=datetime.date(2025, 12, 31))
    page = _page(client, world.tutor)
    assert reverse("coaching:log_detail", args=[log.pk]) not in page


@pytest.mark.parametrize("role_name", ["participant", "coach", "head", "leader", "examiner"])
def test_the_page_is_refused_to_anyone_who_is_not_a_tutor(client, world, role_name):
    agreed_log(enrolment=world.enrolment, coach=world.coach)
    client.force_login(world.person(role_name))
    assert client.get(URL).status_code == 404


def test_the_page_needs_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


def _add_logs(world, second, second_coach, count: int) -> None:
    areas = list(ContentArea.objects.all()[:2])
    standards = list(Standard.objects.all()[:2])
    for i in range(count):
        day = SESSION_DAY + datetime.timedelta(days=10 * i)
        enrolment, coach = (world.enrolment, world.coach) if i % 2 else (second, second_coach)
        agreed_log(enrolment=enrolment, coach=coach, session_on=day, content_areas=areas, standards=standards)


def _count(client, person, **params) -> int:
    client.force_login(person)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, params).status_code == 200
    return len(queries)


def test_the_page_makes_the_same_number_of_queries_for_2_and_20_logs(client, world):
    second, second_coach = _second_participant(world)
    _add_logs(world, second, second_coach, 2)
    few = _count(client, world.tutor)
    few_filtered = _count(client, world.tutor, area=ContentArea.objects.first().pk)
    _add_logs(world, second, second_coach, 18)
    assert _count(client, world.tutor) == few
    assert _count(client, world.tutor, area=ContentArea.objects.first().pk) == few_filtered


def test_the_list_is_what_the_policy_lets_the_tutor_read_in_full_and_reads_no_text(world):
    """The reading rule is in the list's query: the same logs as judging each one, its count (made
    by the database with the page) exact, and none of a log's text read for the list."""
    from coaching import selectors
    from coaching.models import DialogueLog
    from programme import access
    from programme.access import Action

    second, second_coach = _second_participant(world)
    _add_logs(world, second, second_coach, 6)
    agreed_log(enrolment=Enrolment.objects.get(participant=world.other_participant), coach=world.stranger_coach)
    listed = list(selectors.tutor_logs(world.tutor).values_list("pk", flat=True))
    judged = [
        log.pk
        for log, actions in access.readable(world.tutor, DialogueLog.objects.filter(status="agreed"))
        if Action.VIEW in actions
    ]
    assert sorted(listed) == sorted(judged)
    assert len(listed) == len(judged) == 6
    with CaptureQueriesContext(connection) as queries:
        page = page_of_ids(selectors.tutor_logs(world.tutor), RequestFactory().get(URL))
        rows = selectors.listed_logs(page.object_list)
    assert page.paginator.count == 6
    assert [row.pk for row in rows] == listed  # newest first, as listed
    assert {row.participant for row in rows} == {str(world.participant), str(second.participant)}
    assert all(row.content_areas for row in rows)
    assert not [q for q in queries if "discussed" in q["sql"]]


def test_the_rows_escape_what_people_typed(client, world):
    second, second_coach = _second_participant(world)
    User.objects.filter(pk=second.participant_id).update(first_name="<b>Bold</b>", last_name="<i>Name</i>")
    agreed_log(enrolment=second, coach=second_coach)
    body = _page(client, world.tutor)
    assert "&lt;b&gt;Bold&lt;/b&gt; &lt;i&gt;Name&lt;/i&gt;" in body
    assert "<b>Bold" not in body
    assert "with &lt;b&gt;Bold&lt;/b&gt;" in body  # the link's hidden text names them too, escaped
