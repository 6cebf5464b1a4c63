"""Who may coach or assess whom (programme.rules.assignments)."""

import datetime

import pytest

from accounts.roles import Role
from accounts.services import role_grant
from programme.models import StaffMembership
from programme.rules import assignments
from tests.factories import SchoolFactory, UserFactory, staff
from tests.programme.conftest import PLACED_ON
from ui.errors import RuleError

pytestmark = pytest.mark.django_db

D = datetime.date
START = PLACED_ON  # the enrolment fixture's placement (conftest.py)


def _broken(check, **kwargs) -> RuleError:
    with pytest.raises(RuleError) as error:
        check(**kwargs)
    return error.value


def test_coach_at_the_participants_school_on_the_start_date_may_coach(enrolment, coach):
    assignments.check_coach(enrolment=enrolment, coach=coach, starts_on=START, partner_school=None)


def test_coach_from_another_school_may_not_coach(enrolment):
    stranger = staff(Role.COACH, SchoolFactory(name="Far Away School"))
    error = _broken(assignments.check_coach, enrolment=enrolment, coach=stranger, starts_on=START, partner_school=None)
    assert (error.rule, error.field) == ("coach_school", "coach")
    assert "Old School" in error.message
    assert "20/04/2025" in error.message


def test_coach_who_has_not_yet_joined_the_school_on_the_start_date_may_not_coach_yet(enrolment, school):
    newcomer = staff(Role.COACH, school, starts_on=D(2025, 9, 1))
    error = _broken(assignments.check_coach, enrolment=enrolment, coach=newcomer, starts_on=START, partner_school=None)
    assert error.rule == "coach_school"
    assignments.check_coach(enrolment=enrolment, coach=newcomer, starts_on=D(2025, 9, 1), partner_school=None)


def test_head_of_the_school_is_not_a_coach_there(enrolment, school):
    head = staff(Role.HEAD, school)
    error = _broken(assignments.check_coach, enrolment=enrolment, coach=head, starts_on=START, partner_school=None)
    assert error.rule == "coach_role"


def test_coach_at_a_named_partner_school_may_coach(enrolment):
    partner = SchoolFactory(name="Partner School")
    assignments.check_coach(
        enrolment=enrolment, coach=staff(Role.COACH, partner), starts_on=START, partner_school=partner
    )


def test_coach_not_at_the_named_partner_school_may_not_coach(enrolment, coach):
    partner = SchoolFactory(name="Partner School")
    error = _broken(assignments.check_coach, enrolment=enrolment, coach=coach, starts_on=START, partner_school=partner)
    assert error.rule == "coach_school"
    assert "Partner School" in error.message


def test_person_without_the_coach_role_may_not_coach(enrolment):
    error = _broken(
        assignments.check_coach, enrolment=enrolment, coach=UserFactory(), starts_on=START, partner_school=None
    )
    assert error.rule == "coach_role"


def test_nobody_coaches_themselves(enrolment, school):
    # Even a participant who is also a coach at their own school.
    participant = enrolment.participant
    role_grant(user=participant, role=Role.COACH)
    StaffMembership.objects.create(user=participant, school=school, role=Role.COACH, starts_on=D(2020, 1, 1))
    error = _broken(
        assignments.check_coach, enrolment=enrolment, coach=participant, starts_on=START, partner_school=None
    )
    assert error.rule == "no_self_coaching"


def test_coaching_cannot_start_before_the_participant_is_placed_at_a_school(enrolment, coach):
    error = _broken(
        assignments.check_coach, enrolment=enrolment, coach=coach, starts_on=START - D.resolution, partner_school=None
    )
    assert (error.rule, error.field) == ("coach_school", "starts_on")


def test_a_tutor_may_assess(enrolment):
    assignments.check_tutor(enrolment=enrolment, tutor=UserFactory(roles=[Role.TUTOR]))


def test_nobody_assesses_themselves(enrolment):
    role_grant(user=enrolment.participant, role=Role.TUTOR)
    error = _broken(assignments.check_tutor, enrolment=enrolment, tutor=enrolment.participant)
    assert error.rule == "no_self_assessment"


def test_person_without_the_tutor_role_may_not_assess(enrolment):
    error = _broken(assignments.check_tutor, enrolment=enrolment, tutor=UserFactory())
    assert (error.rule, error.field) == ("tutor_role", "tutor")
