import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.factories import SchoolFactory, UserFactory, assign_coach, enrol, staff

pytestmark = pytest.mark.django_db

HOMES = {
    Role.PARTICIPANT: "programme:participant_home",
    Role.COACH: "programme:coach_home",
    Role.TUTOR: "programme:tutor_home",
    Role.HEAD: "programme:head_home",
    Role.PROGRAMME_LEADER: "programme:leader_home",
    Role.EXTERNAL_EXAMINER: "programme:examiner_home",
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
    response = client.get(reverse("programme:coach_home"))
    assert str(mine.participant).encode() in response.content
    assert str(other.participant).encode() not in response.content
