"""Eligibility (Q14): each cohort's rules, each failure named, and nothing saved for an ineligible participant."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from accounts.roles import Role
from programme import services
from programme.models import (
    ChallengeCategory,
    EligibilityRule,
    Enrolment,
    Post,
    Region,
    SchoolPlacement,
)
from programme.rules.eligibility import Candidate, check_eligibility
from tests.factories import CohortFactory, EnrolmentFactory, SchoolFactory, UserFactory
from ui.errors import RuleError

pytestmark = pytest.mark.django_db

K = EligibilityRule.Kind


@pytest.fixture
def cohort():
    return CohortFactory()


@pytest.fixture
def school():
    s = SchoolFactory(name="Kestrel Moor Academy", region=Region.NORTH_WEST, fsm_percent=Decimal("38.4"))
    s.challenge_categories.add(ChallengeCategory.objects.get_or_create(name="National Challenge")[0])
    return s


def _rule(cohort, kind, value):
    return EligibilityRule.objects.create(cohort=cohort, kind=kind, value=value)


def _check(cohort, school, *, qts_year=2024, post=Post.CLASS_TEACHER):
    return check_eligibility(
        list(cohort.eligibility_rules.all()), Candidate(qts_year=qts_year, school=school, post=post)
    )


# --- Each kind of rule, met and not met.


def test_cohort_with_no_rules_takes_everyone(cohort, school):
    assert _check(cohort, school) == []


def test_qts_year_in_the_list_is_eligible(cohort, school):
    _rule(cohort, K.QTS_YEAR_IN, "2024, 2025")
    assert _check(cohort, school, qts_year=2025) == []


def test_qts_year_outside_the_list_names_the_year_and_the_cohort_years(cohort, school):
    rule = _rule(cohort, K.QTS_YEAR_IN, "2024,2025")
    [failure] = _check(cohort, school, qts_year=2022)
    assert failure.rule == rule
    assert "2022" in failure.message
    assert "2024, 2025" in failure.message


def test_school_in_a_named_region_is_eligible(cohort, school):
    _rule(cohort, K.REGION_IN, "north_west,north_east")
    assert _check(cohort, school) == []


def test_school_outside_the_regions_names_the_school_its_region_and_the_cohort_regions(cohort, school):
    _rule(cohort, K.REGION_IN, "london,south_east")
    [failure] = _check(cohort, school)
    assert "Kestrel Moor Academy" in failure.message
    assert "North West" in failure.message
    assert "London" in failure.message
    assert "South East" in failure.message


def test_school_in_a_named_challenge_category_is_eligible(cohort, school):
    _rule(cohort, K.SCHOOL_CATEGORY_IN, "Disadvantaged area, National Challenge")
    assert _check(cohort, school) == []


def test_challenge_category_matches_whatever_the_capitals(cohort, school):
    _rule(cohort, K.SCHOOL_CATEGORY_IN, "national challenge")
    assert _check(cohort, school) == []


def test_school_in_no_named_category_names_the_categories(cohort, school):
    _rule(cohort, K.SCHOOL_CATEGORY_IN, "Disadvantaged area")
    [failure] = _check(cohort, school)
    assert "Kestrel Moor Academy" in failure.message
    assert "Disadvantaged area" in failure.message


def test_free_school_meals_share_at_the_threshold_is_eligible(cohort, school):
    _rule(cohort, K.FSM_AT_LEAST, "38.4")
    assert _check(cohort, school) == []


def test_free_school_meals_share_below_the_threshold_names_both_numbers(cohort, school):
    _rule(cohort, K.FSM_AT_LEAST, "38.5")
    [failure] = _check(cohort, school)
    assert "38.4%" in failure.message
    assert "at least 38.5%" in failure.message
    assert "free school meals" in failure.message


@pytest.mark.parametrize("value", ["thirty", "30%", "NaN", "30,40"])
def test_free_school_meals_rule_that_is_not_a_number_fails_loudly_not_silently(cohort, school, value):
    _rule(cohort, K.FSM_AT_LEAST, value)
    [failure] = _check(cohort, school)
    assert "not a number" in failure.message
    assert value in failure.message


def test_post_in_the_list_is_eligible(cohort, school):
    _rule(cohort, K.POST_IN, "new_head_of_department")
    assert _check(cohort, school, post=Post.NEW_HEAD_OF_DEPARTMENT) == []


def test_post_outside_the_list_names_the_post_and_the_cohort_posts(cohort, school):
    _rule(cohort, K.POST_IN, "new_head_of_department")
    [failure] = _check(cohort, school, post=Post.CLASS_TEACHER)
    assert "class teacher" in failure.message
    assert "newly recruited head of department" in failure.message


def test_every_failure_is_reported_together(cohort, school):
    _rule(cohort, K.QTS_YEAR_IN, "2025")
    _rule(cohort, K.REGION_IN, "london")
    _rule(cohort, K.SCHOOL_CATEGORY_IN, "Disadvantaged area")
    _rule(cohort, K.FSM_AT_LEAST, "50")
    _rule(cohort, K.POST_IN, "new_head_of_department")
    failures = _check(cohort, school, qts_year=2023)
    assert sorted(f.rule.kind for f in failures) == sorted(K.values)


def test_only_the_rules_not_met_are_reported(cohort, school):
    _rule(cohort, K.QTS_YEAR_IN, "2024")
    _rule(cohort, K.REGION_IN, "london")
    failures = _check(cohort, school, qts_year=2024)
    assert [f.rule.kind for f in failures] == [K.REGION_IN]


# --- Enrolling: an ineligible participant is refused and nothing is saved.


def _enrol(cohort, school, participant, **overrides):
    values = {
        "participant": participant,
        "cohort": cohort,
        "school": school,
        "qts_awarded_on": datetime.date(2024, 7, 15),
        "first_post_started_on": datetime.date(2024, 9, 1),
        "programme_started_on": datetime.date(2025, 4, 20),
        "post": Post.CLASS_TEACHER,
        "today": datetime.date(2025, 5, 1),  # the day the leader enrols them: a start ten days before
    }
    values.update(overrides)
    return services.enrolment_create(**values)


def invited():
    """Someone who accepted an invitation as a participant."""
    return UserFactory(roles=[Role.PARTICIPANT])


def test_eligible_participant_is_enrolled_at_their_school_in_phase_one(cohort, school):
    _rule(cohort, K.REGION_IN, "north_west")
    person = invited()
    enrolment = _enrol(cohort, school, person)
    assert enrolment.current_phase.number == 1
    assert enrolment.school_placements.get().school == school
    assert enrolment.school_placements.get().starts_on == datetime.date(2025, 4, 20)


def test_ineligible_participant_is_refused_and_nothing_is_created(cohort, school):
    _rule(cohort, K.QTS_YEAR_IN, "2025")
    _rule(cohort, K.REGION_IN, "london")
    person = invited()
    with pytest.raises(RuleError) as error:
        _enrol(cohort, school, person)
    assert error.value.rule == "eligibility"
    assert error.value.field == "cohort"
    assert "2024" in error.value.message
    assert "North West" in error.value.message
    assert not Enrolment.objects.exists()
    assert not SchoolPlacement.objects.exists()


def test_participant_outside_the_timing_rules_is_refused_and_nothing_is_created(cohort, school):
    person = invited()
    with pytest.raises(RuleError) as error:
        _enrol(cohort, school, person, programme_started_on=datetime.date(2025, 4, 14))
    assert error.value.rule == "earliest_activity"
    assert not Enrolment.objects.exists()
    assert not SchoolPlacement.objects.exists()


def test_qts_awarded_on_29_february_does_not_crash_the_date_check(cohort, school):
    enrolment = _enrol(
        cohort,
        school,
        invited(),
        qts_awarded_on=datetime.date(2024, 2, 29),
        first_post_started_on=datetime.date(2024, 9, 1),
    )
    assert enrolment.pk


def test_participant_with_an_active_enrolment_cannot_enrol_again(cohort, school):
    person = invited()
    _enrol(cohort, school, person)
    with pytest.raises(RuleError) as error:
        _enrol(CohortFactory(), school, person)
    assert error.value.rule == "one_active_enrolment"
    assert Enrolment.objects.count() == 1


def test_a_participant_who_withdrew_can_enrol_again_in_another_cohort(cohort, school):
    person = invited()
    first = _enrol(cohort, school, person)
    Enrolment.objects.filter(pk=first.pk).update(status=Enrolment.Status.WITHDRAWN)
    assert _enrol(CohortFactory(), school, person).status == Enrolment.Status.ACTIVE


def test_enrolling_twice_in_one_cohort_is_refused_beside_the_cohort(cohort, school):
    person = invited()
    first = _enrol(cohort, school, person)
    Enrolment.objects.filter(pk=first.pk).update(status=Enrolment.Status.WITHDRAWN)
    with pytest.raises(RuleError) as error:
        _enrol(cohort, school, person)
    assert (error.value.rule, error.value.field) == ("one_enrolment_per_cohort", "cohort")
    assert Enrolment.objects.count() == 1


# --- The cohort's opening date.


def test_a_programme_start_before_the_cohort_opens_is_refused_beside_the_start_date(school):
    cohort = CohortFactory(name="North West 2025", opens_on=datetime.date(2025, 9, 1))
    person = invited()
    with pytest.raises(RuleError) as error:
        _enrol(cohort, school, person, programme_started_on=datetime.date(2025, 8, 31))
    assert (error.value.rule, error.value.field) == ("cohort_opens", "programme_started_on")
    assert "1 September 2025" in error.value.message
    assert not Enrolment.objects.exists()
    assert not SchoolPlacement.objects.exists()


def test_a_programme_start_on_the_day_the_cohort_opens_is_accepted(school):
    cohort = CohortFactory(opens_on=datetime.date(2025, 9, 1))
    enrolment = _enrol(cohort, school, invited(), programme_started_on=datetime.date(2025, 9, 1))
    assert enrolment.programme_started_on == datetime.date(2025, 9, 1)


# --- One active enrolment per participant, held by the database too.


def test_the_database_refuses_a_second_active_enrolment_for_one_participant():
    first = EnrolmentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        EnrolmentFactory(participant=first.participant)
    # A finished enrolment does not count.
    Enrolment.objects.filter(pk=first.pk).update(status=Enrolment.Status.COMPLETED)
    assert EnrolmentFactory(participant=first.participant).status == Enrolment.Status.ACTIVE


def test_two_leaders_enrolling_one_participant_at_once_make_one_enrolment(cohort, school, monkeypatch):
    """The other leader's enrolment commits after this one's check and before its insert."""
    person = invited()
    real_check = services._already_enrolled
    calls = []

    def check_then_the_other_leader_commits(**kwargs):
        calls.append(kwargs)
        found = real_check(**kwargs)
        if len(calls) == 1:
            EnrolmentFactory(participant=person)
        return found

    monkeypatch.setattr(services, "_already_enrolled", check_then_the_other_leader_commits)
    with pytest.raises(RuleError) as error:
        _enrol(cohort, school, person)
    assert error.value.rule == "one_active_enrolment"  # the constraint refused the insert; the message is the check's
    assert len(calls) == 2
    # The whole enrolment, the other leader's simulated row with it (it shares this test's transaction), is undone.
    assert not Enrolment.objects.exists()
    assert not SchoolPlacement.objects.exists()


def test_someone_not_invited_as_a_participant_is_not_enrolled(cohort, school):
    coach = UserFactory(roles=[Role.COACH])
    with pytest.raises(RuleError) as error:
        _enrol(cohort, school, coach)
    assert (error.value.rule, error.value.field) == ("participant_role", "participant")
    assert not Enrolment.objects.exists()


def test_every_rule_an_enrolment_breaks_is_reported_at_once(school):
    cohort = CohortFactory(opens_on=datetime.date(2025, 9, 1))
    _rule(cohort, K.REGION_IN, "london")
    with pytest.raises(RuleError) as error:
        _enrol(cohort, school, UserFactory(), programme_started_on=datetime.date(2025, 4, 14))
    assert set(error.value.rules) == {"participant_role", "eligibility", "cohort_opens", "earliest_activity"}
    assert set(error.value.errors) == {"participant", "cohort", "programme_started_on"}
    assert len(error.value.errors["programme_started_on"]) == 2
