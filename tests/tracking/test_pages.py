"""The head's and the programme leader's participants' tables, through the pages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from assessment.rules.marks import Outcome
from programme.models import Enrolment, Phase, Region
from tests.assessment.factories import AssessmentTaskFactory
from tests.coaching.factories import action_step, agreed_log
from tests.factories import SchoolFactory, UserFactory, assign_coach, assign_tutor, enrol, staff
from tests.tracking.factories import result, submit

pytestmark = pytest.mark.django_db

HEAD = reverse("tracking:head_home")
LEADER = reverse("tracking:leader_home")


def enrol_recent(school, **kwargs):
    """A participant in their second year of teaching, whatever today is: their latest start and
    five-year limit are more than six months away."""

    kwargs.setdefault("first_post_started_on", timezone.localdate() - datetime.timedelta(days=365))
    return enrol(school, **kwargs)


def supported(school, *, coach=None, tutor=None, last_session_days_ago=7, **kwargs):

    enrolment = enrol_recent(school, **kwargs)
    assign_coach(enrolment, coach or staff(Role.COACH, school))
    assign_tutor(enrolment, tutor or UserFactory(roles=[Role.TUTOR]))
    today = timezone.localdate()
    agreed_log(enrolment=enrolment, session_on=today - datetime.timedelta(days=last_session_days_ago))
    return enrolment


@pytest.fixture
def school():
    return SchoolFactory(name="Riverside Academy")


@pytest.fixture
def head(school):
    return staff(Role.HEAD, school)


def names_in(response) -> list[str]:
    return [row.name for row in response.context["rows"]]


def test_the_head_sees_their_schools_participants_with_every_reason_for_risk(client, school, head):
    fine = supported(school, participant__last_name="Able")
    lonely = enrol_recent(school, participant__last_name="Baker")
    elsewhere = supported(SchoolFactory(), participant__last_name="Cole")
    client.force_login(head)
    response = client.get(HEAD)
    assert response.status_code == 200
    assert names_in(response) == [str(fine.participant), str(lonely.participant)]
    assert str(elsewhere.participant) not in response.content.decode()
    rows = {row.name: row for row in response.context["rows"]}
    assert rows[str(fine.participant)].reasons == []
    assert rows[str(lonely.participant)].reasons == [
        "No agreed coaching session for 6 weeks",
        "No coach assigned",
        "No tutor assigned",
    ]
    page = response.content.decode()
    assert "No tutor assigned" in page
    assert '<caption class="govuk-table__caption govuk-table__caption--m">2 participants' in page


def test_the_columns_count_sessions_steps_areas_results_and_credits(client, school, head):

    today = timezone.localdate()
    enrolment = supported(school, last_session_days_ago=60)
    log = agreed_log(enrolment=enrolment, session_on=today - datetime.timedelta(days=10))
    action_step(log, due_on=today - datetime.timedelta(days=1))
    action_step(log, due_on=today + datetime.timedelta(days=5))
    task = AssessmentTaskFactory(cohort=enrolment.cohort, due_on=today - datetime.timedelta(days=20), credits=30)
    result(submit(enrolment, task), Outcome.PASS)
    later = AssessmentTaskFactory(cohort=enrolment.cohort, due_on=today + datetime.timedelta(days=12))
    client.force_login(head)
    row = client.get(HEAD).context["rows"][0]
    assert (row.sessions_30, row.sessions_90) == (1, 2)
    assert (row.steps_open, row.steps_overdue) == (2, 1)
    assert row.areas_covered == 1
    assert (row.outcome, row.outcome_task) == ("Pass", task.title)
    assert row.credits == 30
    assert row.next_due_on == later.due_on
    assert row.reasons == ["Action steps overdue"]


def test_sorting_is_a_link_in_the_heading_with_aria_sort(client, school, head):
    busy = supported(school, participant__last_name="Zed")
    agreed_log(enrolment=busy, session_on=timezone.localdate() - datetime.timedelta(days=3))
    quiet = supported(school, participant__last_name="Ames")
    client.force_login(head)
    response = client.get(HEAD, {"sort": "-sessions"})
    assert names_in(response) == [str(busy.participant), str(quiet.participant)]
    page = response.content.decode()
    assert 'aria-sort="descending"><a class="govuk-link" href="?sort=sessions"' in page
    assert names_in(client.get(HEAD, {"sort": "sessions"})) == [str(quiet.participant), str(busy.participant)]
    assert names_in(client.get(HEAD, {"sort": "nonsense"})) == [str(quiet.participant), str(busy.participant)]


def test_filters_are_get_parameters_kept_by_the_sort_links(client, school, head):
    fine = supported(school)
    at_risk = enrol_recent(school)
    later = supported(school, current_phase=Phase.objects.get(number=2))
    withdrawn = supported(school, status=Enrolment.Status.WITHDRAWN)
    client.force_login(head)
    assert names_in(client.get(HEAD, {"at_risk": "yes"})) == [str(at_risk.participant)]
    assert set(names_in(client.get(HEAD, {"at_risk": "no"}))) == {str(e.participant) for e in (fine, later, withdrawn)}
    assert names_in(client.get(HEAD, {"phase": "2"})) == [str(later.participant)]
    assert names_in(client.get(HEAD, {"status": "withdrawn"})) == [str(withdrawn.participant)]
    page = client.get(HEAD, {"phase": "2", "sort": "credits"}).content.decode()
    assert 'href="?phase=2&amp;sort=-credits"' in page
    assert '<input type="hidden" name="sort" value="credits">' in page


def test_a_filter_value_that_is_not_a_choice_is_refused_beside_its_field(client, school, head):
    supported(school)
    client.force_login(head)
    response = client.get(HEAD, {"phase": "9", "status": "active"})
    assert response.context["form"].errors["phase"]
    assert len(response.context["rows"]) == 1
    assert "govuk-error-message" in response.content.decode()


def test_the_leader_filters_every_school_by_school_coach_tutor_and_cohort(client):
    leader = UserFactory(roles=[Role.PROGRAMME_LEADER])
    north = SchoolFactory(name="North", region=Region.NORTH_EAST)
    south = SchoolFactory(name="South", region=Region.SOUTH_WEST)
    coach, tutor = staff(Role.COACH, north), UserFactory(roles=[Role.TUTOR])
    a = supported(north, coach=coach, tutor=tutor)
    b = supported(south)
    client.force_login(leader)
    assert set(names_in(client.get(LEADER))) == {str(a.participant), str(b.participant)}
    assert names_in(client.get(LEADER, {"school": south.pk})) == [str(b.participant)]
    assert names_in(client.get(LEADER, {"coach": coach.pk})) == [str(a.participant)]
    assert names_in(client.get(LEADER, {"tutor": tutor.pk})) == [str(a.participant)]
    assert names_in(client.get(LEADER, {"cohort": b.cohort_id})) == [str(b.participant)]
    assert names_in(client.get(LEADER, {"region": Region.SOUTH_WEST})) == [str(b.participant)]
    assert names_in(client.get(LEADER, {"region": Region.LONDON})) == []


def test_a_head_cannot_open_the_leaders_table_nor_a_leader_the_heads(client, head):
    client.force_login(head)
    assert client.get(LEADER).status_code == 404
    client.force_login(UserFactory(roles=[Role.PROGRAMME_LEADER]))
    assert client.get(HEAD).status_code == 404


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


def _grow(school, n):

    today = timezone.localdate()
    for i in range(n):
        enrolment = supported(school)
        log = agreed_log(enrolment=enrolment, session_on=today - datetime.timedelta(days=20 + i))
        action_step(log, due_on=today - datetime.timedelta(days=1))
        task = AssessmentTaskFactory(cohort=enrolment.cohort, due_on=today - datetime.timedelta(days=5))
        result(submit(enrolment, task), Outcome.REFER if i % 2 else Outcome.PASS)
        if i % 3 == 0:
            enrol_recent(school)  # at risk: nobody assigned, no session


@pytest.mark.parametrize("params", [{}, {"at_risk": "yes", "sort": "-risk"}])
def test_the_heads_table_costs_the_same_queries_for_few_and_many_participants(client, school, head, params):
    client.force_login(head)
    _grow(school, 2)
    _queries(client, HEAD, params)  # the settings row is made on the first visit
    few = _queries(client, HEAD, params)
    _grow(school, 12)
    assert _queries(client, HEAD, params) == few


def test_the_leaders_table_costs_the_same_queries_for_few_and_many_participants(client, school):
    client.force_login(UserFactory(roles=[Role.PROGRAMME_LEADER]))
    _grow(school, 2)
    _queries(client, LEADER)
    few = _queries(client, LEADER, {"school": school.pk, "sort": "-credits"})
    _grow(school, 12)
    _grow(SchoolFactory(), 3)
    assert _queries(client, LEADER, {"school": school.pk, "sort": "-credits"}) == few


def test_the_leaders_at_risk_list_sorted_by_risk_costs_the_same_queries_for_few_and_many(client, school):
    client.force_login(UserFactory(roles=[Role.PROGRAMME_LEADER]))
    params = {"at_risk": "yes", "sort": "-risk", "region": school.region}
    _grow(school, 2)
    _queries(client, LEADER)
    few = _queries(client, LEADER, params)
    _grow(school, 12)
    _grow(SchoolFactory(region=school.region), 3)
    assert _queries(client, LEADER, params) == few


def test_the_leaders_counts_are_the_active_by_phase_and_those_without_a_coach_or_tutor_today(client, school):
    from programme.selectors import programme_overview

    phase_two = Phase.objects.get(number=2)
    supported(school)  # active, phase 1, coach and tutor
    no_coach = enrol_recent(school)
    assign_tutor(no_coach, UserFactory(roles=[Role.TUTOR]))
    enrol_recent(school)  # active, neither
    ended = supported(school, current_phase=phase_two)
    ended.coach_assignments.update(ends_on=timezone.localdate() - datetime.timedelta(days=1))
    supported(school, current_phase=phase_two, status=Enrolment.Status.WITHDRAWN)
    enrol_recent(school, status=Enrolment.Status.WITHDRAWN)  # not active: not counted as without
    with CaptureQueriesContext(connection) as queries:
        overview = programme_overview()
    assert len(queries) == 1
    assert overview == {
        "by_phase": {1: 3, 2: 1},
        "by_status": {Enrolment.Status.ACTIVE: 4, Enrolment.Status.WITHDRAWN: 2},
        "without_coach": 3,
        "without_tutor": 1,
    }
