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
    if role == Role.TUTOR:
        assert few == 13  # pinned: fewer is welcome, more is a regression


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
    assert _queries_for(client, url) == few == 14  # pinned: fewer is welcome, more is a regression


def test_people_on_a_day_are_read_in_one_query_each_kind_in_the_order_it_began(django_assert_num_queries):
    from programme.models import SchoolPlacement
    from programme.selectors import people_on
    from tests.factories import assign_tutor

    first, second = SchoolFactory(name="Alder School"), SchoolFactory(name="Birch School")
    moving, alone = enrol(first), enrol(second)
    day = datetime.date(2026, 3, 2)
    # Moving school that day: both placements cover it, the earlier first.
    SchoolPlacement.objects.filter(enrolment=moving).update(ends_on=day)
    SchoolPlacement.objects.create(enrolment=moving, school=second, starts_on=day)
    assign_coach(moving, UserFactory(first_name="Old", last_name="Coach"), ends_on=day - datetime.timedelta(days=1))
    assign_coach(moving, UserFactory(first_name="New", last_name="Coach"), starts_on=day)
    assign_tutor(moving, UserFactory(first_name="", last_name="", email="tutor@example.org"))
    with django_assert_num_queries(1):
        found = people_on([moving.pk, alone.pk], on=day)
    assert found[moving.pk].schools == ["Alder School", "Birch School"]
    assert found[moving.pk].coaches == ["New Coach"]  # the old coach's assignment ended the day before
    assert found[moving.pk].tutors == ["tutor@example.org"]  # no name given: the email
    assert (found[alone.pk].schools, found[alone.pk].coaches, found[alone.pk].tutors) == (["Birch School"], [], [])


def test_participant_home_names_their_school_coach_and_tutor_today(client):
    from tests.factories import assign_tutor

    school = SchoolFactory(name="Hazel Academy")
    enrolment = enrol(school)
    assign_coach(enrolment, staff(Role.COACH, school, first_name="Cora", last_name="Coach"))
    assign_tutor(enrolment, UserFactory(roles=[Role.TUTOR], first_name="Tom", last_name="Tutor"))
    client.force_login(enrolment.participant)
    body = client.get(reverse(HOMES[Role.PARTICIPANT])).content.decode()
    for name in ("Hazel Academy", "Cora Coach", "Tom Tutor"):
        assert name in body
