import datetime

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.factories import SchoolFactory, UserFactory, assign_coach, enrol, staff

pytestmark = pytest.mark.django_db

HOMES = {
    Role.PARTICIPANT: "tracking:participant_home",
    Role.COACH: "tracking:coach_home",
    Role.TUTOR: "tracking:tutor_home",
    Role.HEAD: "tracking:head_home",
    Role.PROGRAMME_LEADER: "tracking:leader_home",
    Role.EXTERNAL_EXAMINER: "tracking:examiner_home",
}


@pytest.mark.parametrize("role", list(HOMES))
def test_each_role_lands_on_its_own_home(client, role, settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "RequireMfa" not in m]
    user = UserFactory(roles=[role])
    client.force_login(user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response.url == reverse(HOMES[role])
    assert client.get(response.url).status_code == 200


@pytest.mark.parametrize("role", list(HOMES))
def test_a_role_home_is_not_found_for_someone_without_that_role(client, role):
    other = Role.PARTICIPANT if role != Role.PARTICIPANT else Role.COACH
    client.force_login(UserFactory(roles=[other]))
    assert client.get(reverse(HOMES[role])).status_code == 404


def test_person_with_two_roles_chooses_where_to_go(client):
    client.force_login(UserFactory(roles=[Role.HEAD, Role.COACH]))
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    assert b"My coachees" in response.content
    assert b"My school&#x27;s participants" in response.content


def test_coach_sees_only_their_current_coachees(client):
    school = SchoolFactory()
    coach = staff(Role.COACH, school)
    mine = enrol(school)
    assign_coach(mine, coach)
    other = enrol(school)
    client.force_login(coach)
    response = client.get(reverse("tracking:coach_home"))
    assert str(mine.participant).encode() in response.content
    assert str(other.participant).encode() not in response.content


def _queries_for(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", [Role.TUTOR, Role.HEAD, Role.PROGRAMME_LEADER])
def test_a_role_home_makes_the_same_number_of_queries_for_few_and_many_participants(client, role, settings):
    from tests.factories import assign_tutor

    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "RequireMfa" not in m]
    school = SchoolFactory()
    coach = staff(Role.COACH, school)
    viewer = staff(role, school) if role == Role.HEAD else UserFactory(roles=[role])

    def add(n):
        for _ in range(n):
            enrolment = enrol(school)
            assign_coach(enrolment, coach)
            assign_tutor(enrolment, viewer if role == Role.TUTOR else UserFactory(roles=[Role.TUTOR]))

    client.force_login(viewer)
    url = reverse(HOMES[role])
    add(2)
    client.get(url)  # the first visit may create the provider's settings row
    few = _queries_for(client, url)
    add(25)
    # The new participants' at-risk reasons are judged when their writes commit, which a test's
    # transaction never does, so the next read judges them (one query more, whatever their number).
    client.get(url)
    assert _queries_for(client, url) == few


def test_participant_home_query_count_does_not_grow_with_history(client):
    from tests.factories import assign_tutor

    school = SchoolFactory()
    enrolment = enrol(school)
    client.force_login(enrolment.participant)
    url = reverse(HOMES[Role.PARTICIPANT])
    client.get(url)  # the first visit creates the provider's settings row
    few = _queries_for(client, url)
    for n in range(5):
        coach = staff(Role.COACH, school)
        assign_coach(enrolment, coach, starts_on=datetime.date(2025, 5, 1 + n), ends_on=datetime.date(2025, 5, 1 + n))
        assign_tutor(
            enrolment,
            UserFactory(roles=[Role.TUTOR]),
            starts_on=datetime.date(2025, 6, 1 + n),
            ends_on=datetime.date(2025, 6, 1 + n),
        )
    assert _queries_for(client, url) == few
