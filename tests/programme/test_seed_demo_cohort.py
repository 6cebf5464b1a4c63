"""The demo's cohort of 60 (the default): dates, schools and coaches that meet the programme's rules,
participants who moved school, and some, not all, at risk. Seeded once for the module (it is the
slow part); each test runs in a savepoint rolled back after it."""

import pytest
from django.utils import timezone

from accounts.roles import Role
from programme import demo
from programme.models import Enrolment, ProgrammeSettings, StaffMembership
from programme.rules import eligibility, timing
from tests.seeded_once import seed_demo, shared_by_the_module

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with shared_by_the_module(django_db_blocker):
        seed_demo(participants=demo.DEFAULT_PARTICIPANTS)
        yield


def test_demo_dates_schools_and_coaches_meet_the_programme_rules(seeded):
    settings = ProgrammeSettings.load()
    summer = (settings.summer_term_starts_month, settings.summer_term_starts_day)
    today = timezone.localdate()
    for enrolment in Enrolment.objects.select_related("cohort"):
        timing.check_programme_start(
            first_post_started_on=enrolment.first_post_started_on,
            programme_started_on=enrolment.programme_started_on,
            summer_term_start=summer,
        )
        assert enrolment.programme_started_on <= today <= timing.completion_deadline(enrolment.first_post_started_on)
        rules = list(enrolment.cohort.eligibility_rules.all())
        for placement in enrolment.school_placements.select_related("school"):
            candidate = eligibility.Candidate(
                qts_year=enrolment.qts_awarded_on.year, school=placement.school, post=enrolment.post
            )
            assert eligibility.check_eligibility(rules, candidate) == []
        for assignment in enrolment.coach_assignments.all():
            school = enrolment.school_placements.covering(assignment.starts_on).get().school
            assert (
                StaffMembership.objects.covering(assignment.starts_on)
                .filter(user=assignment.coach, school=school, role=Role.COACH)
                .exists()
            )


def test_some_demo_participants_have_moved_school_with_a_new_coach(seeded):
    moved = [e for e in Enrolment.objects.all() if e.school_placements.count() == 2]
    assert moved
    for enrolment in moved:
        assert enrolment.coach_assignments.count() == 2
        assert enrolment.coach_assignments.covering(timezone.localdate()).count() == 1


def test_the_demo_cohort_has_some_participants_at_risk_for_several_reasons_not_all(seeded):
    """Found walking journey 5: every demo participant was at risk, each for want of demo data."""
    from tracking.models import ParticipantRisk
    from tracking.risks import REASONS

    risks = ParticipantRisk.objects.all()
    at_risk = risks.filter(count__gt=0).count()
    assert risks.count() == demo.DEFAULT_PARTICIPANTS
    assert 0 < at_risk <= demo.DEFAULT_PARTICIPANTS * 3 / 4  # 60 of 60 before; about 33 now
    reasons_found = [reason.key for reason in REASONS if risks.filter(**{reason.key: True}).exists()]
    assert len(reasons_found) >= 3, reasons_found
