"""Who is where, and when: one coach and one tutor at a time, history kept, moves between schools."""

import datetime

import pytest

from accounts.roles import Role
from programme import services
from programme.models import (
    CoachAssignment,
    Enrolment,
    Phase,
    PhaseChange,
    SchoolPlacement,
    StaffMembership,
    TutorAssignment,
)
from tests.factories import SchoolFactory, UserFactory, assign_coach, assign_tutor, enrol, staff
from tests.programme.conftest import PLACED_ON
from ui.errors import RuleError

pytestmark = pytest.mark.django_db

D = datetime.date
START = PLACED_ON  # the enrolment fixture's placement (conftest.py)


def _snapshot():
    """Every period in the database, to prove a refused change left everything as it was."""
    return [
        sorted(model.objects.values_list("pk", "starts_on", "ends_on"))
        for model in (SchoolPlacement, CoachAssignment, TutorAssignment, StaffMembership)
    ]


def _refused(rule, call, **kwargs):
    before = _snapshot()
    with pytest.raises(RuleError) as error:
        call(**kwargs)
    assert error.value.rule == rule, error.value.message
    assert _snapshot() == before
    return error.value


# --- Coach assignments.


def test_coach_at_the_participants_school_can_be_assigned(enrolment, coach):
    period = services.coach_assign(enrolment=enrolment, coach=coach, starts_on=START)
    assert (period.coach, period.starts_on, period.ends_on) == (coach, START, None)


def test_change_of_coach_closes_the_old_period_the_day_before_and_opens_the_new(enrolment, coach, school):
    services.coach_assign(enrolment=enrolment, coach=coach, starts_on=START)
    new_coach = staff(Role.COACH, school)
    services.coach_assign(enrolment=enrolment, coach=new_coach, starts_on=D(2026, 1, 5))
    periods = list(enrolment.coach_assignments.order_by("starts_on").values_list("coach", "starts_on", "ends_on"))
    assert periods == [(coach.pk, START, D(2026, 1, 4)), (new_coach.pk, D(2026, 1, 5), None)]


def test_the_current_coach_cannot_be_assigned_again(enrolment, coach):
    services.coach_assign(enrolment=enrolment, coach=coach, starts_on=START)
    error = _refused("period_overlap", services.coach_assign, enrolment=enrolment, coach=coach, starts_on=D(2026, 1, 5))
    assert "already" in error.message


def test_change_of_coach_on_the_day_the_current_coach_started_is_refused(enrolment, coach, school):
    services.coach_assign(enrolment=enrolment, coach=coach, starts_on=START)
    other = staff(Role.COACH, school)
    error = _refused("period_overlap", services.coach_assign, enrolment=enrolment, coach=other, starts_on=START)
    assert "20/04/2025" in error.message


def test_coach_overlapping_a_future_coach_is_refused(enrolment, coach, school):
    assign_coach(enrolment, coach, starts_on=D(2026, 1, 5))
    other = staff(Role.COACH, school)
    error = _refused("period_overlap", services.coach_assign, enrolment=enrolment, coach=other, starts_on=START)
    assert "overlap" in error.message
    assert "05/01/2026" in error.message


def test_coach_from_another_school_cannot_be_assigned(enrolment):
    # The rules of who may coach whom are tested in test_assignments; the service applies them.
    stranger = staff(Role.COACH, SchoolFactory(name="Far Away School"))
    error = _refused("coach_school", services.coach_assign, enrolment=enrolment, coach=stranger, starts_on=START)
    assert "Old School" in error.message
    assert "20/04/2025" in error.message


def test_coach_at_a_named_partner_school_can_be_assigned(enrolment):
    partner = SchoolFactory(name="Partner School")
    partner_coach = staff(Role.COACH, partner)
    period = services.coach_assign(enrolment=enrolment, coach=partner_coach, starts_on=START, partner_school=partner)
    assert period.partner_school == partner


def test_assignment_ending_before_it_started_is_refused(enrolment, coach):
    period = services.coach_assign(enrolment=enrolment, coach=coach, starts_on=START)
    error = _refused("period_dates", services.assignment_end, assignment=period, ends_on=START - D.resolution)
    assert error.field == "ends_on"


def test_assignment_can_end_on_the_day_it_started(enrolment, coach):
    period = services.coach_assign(enrolment=enrolment, coach=coach, starts_on=START)
    services.assignment_end(assignment=period, ends_on=START)
    period.refresh_from_db()
    assert period.ends_on == START


def test_extending_an_old_coach_into_the_new_coachs_period_is_refused(enrolment, coach, school):
    old = services.coach_assign(enrolment=enrolment, coach=coach, starts_on=START)
    services.coach_assign(enrolment=enrolment, coach=staff(Role.COACH, school), starts_on=D(2026, 1, 5))
    old.refresh_from_db()
    error = _refused("period_overlap", services.assignment_end, assignment=old, ends_on=D(2026, 6, 30))
    assert "05/01/2026" in error.message


# --- Tutor assignments.


@pytest.fixture
def tutor():
    return UserFactory(roles=[Role.TUTOR])


def test_tutor_can_be_assigned(enrolment, tutor):
    period = services.tutor_assign(enrolment=enrolment, tutor=tutor, starts_on=START)
    assert (period.tutor, period.starts_on, period.ends_on) == (tutor, START, None)


def test_change_of_tutor_closes_the_old_period_the_day_before_and_keeps_it(enrolment, tutor):
    services.tutor_assign(enrolment=enrolment, tutor=tutor, starts_on=START)
    new_tutor = UserFactory(roles=[Role.TUTOR])
    services.tutor_assign(enrolment=enrolment, tutor=new_tutor, starts_on=D(2026, 2, 1))
    periods = list(enrolment.tutor_assignments.order_by("starts_on").values_list("tutor", "starts_on", "ends_on"))
    assert periods == [(tutor.pk, START, D(2026, 1, 31)), (new_tutor.pk, D(2026, 2, 1), None)]


def test_tutor_overlapping_a_later_tutor_is_refused(enrolment, tutor):
    assign_tutor(enrolment, tutor, starts_on=D(2026, 2, 1))
    other = UserFactory(roles=[Role.TUTOR])
    error = _refused("period_overlap", services.tutor_assign, enrolment=enrolment, tutor=other, starts_on=START)
    assert "01/02/2026" in error.message


def test_ending_a_tutor_assignment_before_it_started_is_refused(enrolment, tutor):
    period = services.tutor_assign(enrolment=enrolment, tutor=tutor, starts_on=START)
    _refused("period_dates", services.assignment_end, assignment=period, ends_on=D(2025, 1, 1))


# --- Staff memberships.


def test_staff_membership_overlapping_an_existing_one_is_refused(school):
    person = UserFactory(roles=[Role.COACH])
    services.staff_membership_start(user=person, school=school, role=Role.COACH, starts_on=D(2024, 9, 1))
    error = _refused(
        "period_overlap",
        services.staff_membership_start,
        user=person,
        school=school,
        role=Role.COACH,
        starts_on=D(2025, 1, 1),
    )
    assert "01/09/2024" in error.message
    assert "no end date" in error.message


def test_staff_membership_can_restart_after_the_last_one_ended(school):
    person = UserFactory(roles=[Role.COACH])
    first = services.staff_membership_start(user=person, school=school, role=Role.COACH, starts_on=D(2024, 9, 1))
    services.staff_membership_end(membership=first, ends_on=D(2024, 12, 31))
    services.staff_membership_start(user=person, school=school, role=Role.COACH, starts_on=D(2025, 1, 1))
    assert StaffMembership.objects.filter(user=person).count() == 2


def test_staff_membership_ending_before_it_started_is_refused(school):
    person = UserFactory(roles=[Role.HEAD])
    membership = services.staff_membership_start(user=person, school=school, role=Role.HEAD, starts_on=D(2024, 9, 1))
    _refused("period_dates", services.staff_membership_end, membership=membership, ends_on=D(2024, 8, 31))


def test_extending_a_staff_membership_into_the_next_one_is_refused(school):
    person = UserFactory(roles=[Role.COACH])
    first = services.staff_membership_start(user=person, school=school, role=Role.COACH, starts_on=D(2024, 9, 1))
    services.staff_membership_end(membership=first, ends_on=D(2024, 12, 31))
    services.staff_membership_start(user=person, school=school, role=Role.COACH, starts_on=D(2025, 1, 1))
    first.refresh_from_db()
    _refused("period_overlap", services.staff_membership_end, membership=first, ends_on=D(2025, 3, 1))


def test_staff_membership_is_only_for_coaches_and_heads(school):
    _refused(
        "staff_role",
        services.staff_membership_start,
        user=UserFactory(roles=[Role.TUTOR]),
        school=school,
        role=Role.TUTOR,
        starts_on=D(2024, 9, 1),
    )


def test_coach_who_leaves_the_school_stops_coaching_there_the_same_day(enrolment, coach):
    services.coach_assign(enrolment=enrolment, coach=coach, starts_on=START)
    elsewhere = enrol(SchoolFactory(name="Partner School"), starts_on=START)
    partner = SchoolFactory(name="Other Partner")
    StaffMembership.objects.create(user=coach, school=partner, role=Role.COACH, starts_on=D(2020, 1, 1))
    kept = services.coach_assign(enrolment=elsewhere, coach=coach, starts_on=START, partner_school=partner)
    membership = coach.staff_memberships.get(school=enrolment.school_placements.get().school)
    services.staff_membership_end(membership=membership, ends_on=D(2025, 12, 31))
    assert enrolment.coach_assignments.get().ends_on == D(2025, 12, 31)
    kept.refresh_from_db()
    assert kept.ends_on is None  # coaching through another school carries on


def test_coach_due_to_start_after_leaving_the_school_must_be_unassigned_first(enrolment, coach):
    assign_coach(enrolment, coach, starts_on=D(2026, 2, 1))
    membership = coach.staff_memberships.get()
    _refused("period_overlap", services.staff_membership_end, membership=membership, ends_on=D(2025, 12, 31))


# --- Moving school.


def test_school_move_ends_the_old_placement_and_coach_and_starts_a_new_coach(enrolment, coach, school):
    services.coach_assign(enrolment=enrolment, coach=coach, starts_on=START)
    new_school = SchoolFactory(name="New School")
    new_coach = staff(Role.COACH, new_school)
    moves_on = D(2026, 1, 5)
    services.school_move(enrolment=enrolment, new_school=new_school, moves_on=moves_on, new_coach=new_coach)

    placements = list(enrolment.school_placements.order_by("starts_on").values_list("school", "starts_on", "ends_on"))
    assert placements == [(school.pk, START, D(2026, 1, 4)), (new_school.pk, moves_on, None)]
    coaches = list(enrolment.coach_assignments.order_by("starts_on").values_list("coach", "starts_on", "ends_on"))
    assert coaches == [(coach.pk, START, D(2026, 1, 4)), (new_coach.pk, moves_on, None)]
    assert services.school_at(enrolment, D(2026, 1, 4)) == school
    assert services.school_at(enrolment, moves_on) == new_school


def test_school_move_without_a_new_coach_leaves_the_participant_without_one(enrolment, coach):
    services.coach_assign(enrolment=enrolment, coach=coach, starts_on=START)
    services.school_move(enrolment=enrolment, new_school=SchoolFactory(), moves_on=D(2026, 1, 5))
    assert not CoachAssignment.objects.filter(enrolment=enrolment).covering(D(2026, 1, 5)).exists()
    assert CoachAssignment.objects.get(enrolment=enrolment).ends_on == D(2026, 1, 4)


def test_school_move_keeps_the_tutor(enrolment, tutor):
    services.tutor_assign(enrolment=enrolment, tutor=tutor, starts_on=START)
    services.school_move(enrolment=enrolment, new_school=SchoolFactory(), moves_on=D(2026, 1, 5))
    assert TutorAssignment.objects.get(enrolment=enrolment).ends_on is None


def test_school_move_with_the_old_schools_coach_changes_nothing(enrolment, coach):
    services.coach_assign(enrolment=enrolment, coach=coach, starts_on=START)
    error = _refused(
        "coach_school",
        services.school_move,
        enrolment=enrolment,
        new_school=SchoolFactory(name="New School"),
        moves_on=D(2026, 1, 5),
        new_coach=coach,
    )
    assert "New School" in error.message


def test_school_move_to_the_same_school_is_refused(enrolment, school):
    _refused("school_move", services.school_move, enrolment=enrolment, new_school=school, moves_on=D(2026, 1, 5))


def test_school_move_on_the_day_the_placement_started_is_refused(enrolment):
    _refused("period_overlap", services.school_move, enrolment=enrolment, new_school=SchoolFactory(), moves_on=START)


def test_school_move_before_a_planned_coach_starts_is_refused(enrolment, coach):
    assign_coach(enrolment, coach, starts_on=D(2026, 2, 1))
    _refused(
        "school_move", services.school_move, enrolment=enrolment, new_school=SchoolFactory(), moves_on=D(2026, 1, 5)
    )


def test_history_of_coaches_tutors_and_schools_is_kept_through_changes(enrolment, coach, school, tutor):
    services.coach_assign(enrolment=enrolment, coach=coach, starts_on=START)
    services.tutor_assign(enrolment=enrolment, tutor=tutor, starts_on=START)
    second = staff(Role.COACH, school)
    services.coach_assign(enrolment=enrolment, coach=second, starts_on=D(2025, 9, 1))
    services.tutor_assign(enrolment=enrolment, tutor=UserFactory(roles=[Role.TUTOR]), starts_on=D(2025, 9, 1))
    new_school = SchoolFactory()
    services.school_move(
        enrolment=enrolment, new_school=new_school, moves_on=D(2026, 1, 5), new_coach=staff(Role.COACH, new_school)
    )
    assert enrolment.coach_assignments.count() == 3
    assert enrolment.tutor_assignments.count() == 2
    assert enrolment.school_placements.count() == 2
    first = enrolment.coach_assignments.get(coach=coach)
    assert (first.starts_on, first.ends_on) == (START, D(2025, 8, 31))
    assert enrolment.coach_assignments.get(coach=second).ends_on == D(2026, 1, 4)
    # One coach and one tutor at a time, on every day of the history.
    for day in (START, D(2025, 8, 31), D(2025, 9, 1), D(2026, 1, 4), D(2026, 1, 5)):
        assert enrolment.coach_assignments.covering(day).count() == 1
        assert enrolment.tutor_assignments.covering(day).count() == 1
        assert enrolment.school_placements.covering(day).count() == 1


# --- Phases.


def test_phase_progress_moves_one_step_forward(enrolment):
    services.phase_progress(enrolment=enrolment, to_phase=Phase.objects.get(number=2))
    enrolment.refresh_from_db()
    assert enrolment.current_phase.number == 2


@pytest.mark.parametrize(("current", "to"), [(1, 3), (2, 1), (2, 2), (1, 1)])
def test_phase_progress_refuses_skipping_or_going_back(enrolment, current, to):
    enrolment.current_phase = Phase.objects.get(number=current)
    enrolment.save()
    with pytest.raises(RuleError) as error:
        services.phase_progress(enrolment=enrolment, to_phase=Phase.objects.get(number=to))
    assert error.value.rule == "phase_order"
    assert f"phase {current + 1}" in error.value.message
    enrolment.refresh_from_db()
    assert enrolment.current_phase.number == current


def test_phase_three_is_the_last(enrolment):
    enrolment.current_phase = Phase.objects.get(number=3)
    enrolment.save()
    with pytest.raises(RuleError, match="last phase"):
        services.phase_progress(enrolment=enrolment, to_phase=Phase.objects.get(number=3))


def test_phase_progress_records_who_decided_when_and_why(enrolment):
    leader = UserFactory(roles=[Role.PROGRAMME_LEADER])
    services.phase_progress(enrolment=enrolment, to_phase=Phase.objects.get(number=2), by=leader, note=" Enquiry done ")
    services.phase_progress(enrolment=enrolment, to_phase=Phase.objects.get(number=3), by=leader)
    history = [
        (c.from_phase.number, c.to_phase.number, c.decided_by, c.note)
        for c in PhaseChange.objects.filter(enrolment=enrolment)
    ]
    assert history == [(1, 2, leader, "Enquiry done"), (2, 3, leader, "")]
    assert all(c.decided_at is not None for c in PhaseChange.objects.all())


def test_a_refused_phase_progress_records_no_history(enrolment):
    with pytest.raises(RuleError):
        services.phase_progress(enrolment=enrolment, to_phase=Phase.objects.get(number=3))
    assert not PhaseChange.objects.exists()


# --- Only an active enrolment changes school, coach, tutor or phase.


@pytest.mark.parametrize(
    "status", [Enrolment.Status.WITHDRAWN, Enrolment.Status.COMPLETED, Enrolment.Status.INTERRUPTED]
)
def test_an_enrolment_that_is_not_active_changes_nothing(enrolment, coach, tutor, school, status):
    Enrolment.objects.filter(pk=enrolment.pk).update(status=status)
    new_school = SchoolFactory()
    calls = [
        (services.coach_assign, {"coach": coach, "starts_on": START}),
        (services.tutor_assign, {"tutor": tutor, "starts_on": START}),
        (services.school_move, {"new_school": new_school, "moves_on": D(2026, 1, 5)}),
        (services.phase_progress, {"to_phase": Phase.objects.get(number=2)}),
    ]
    for call, kwargs in calls:
        # The enrolment the caller holds may still say active; the service reads it afresh.
        error = _refused("enrolment_not_active", call, enrolment=enrolment, **kwargs)
        assert status.label.lower() in error.message
    enrolment.refresh_from_db()
    assert enrolment.current_phase.number == 1
    assert not PhaseChange.objects.exists()


# --- Staff memberships: only in a role the person holds.


@pytest.mark.parametrize(("holds", "role"), [(Role.HEAD, Role.COACH), (Role.COACH, Role.HEAD)])
def test_staff_membership_in_a_role_the_person_does_not_hold_is_refused(school, holds, role):
    error = _refused(
        "staff_role",
        services.staff_membership_start,
        user=UserFactory(roles=[holds]),
        school=school,
        role=role,
        starts_on=D(2024, 9, 1),
    )
    assert error.field == "role"
    assert "does not hold the" in error.message
