"""Issue 8.1: once a coach's, tutor's or head's period has ended, the records of their time stay
readable to them as the policy says, and every write is refused: every action other than reading,
on every kind of record, for each of the three."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.roles import Role
from programme import access, services
from programme.access import Action, RecordKind, Relation
from tests.factories import SchoolFactory, UserFactory, assign_coach, assign_tutor, enrol, staff
from tests.programme.test_access_matrix import EXPECTED, NO, READ, SAMPLED, Record

pytestmark = pytest.mark.django_db

D = datetime.date
START = D(2025, 4, 20)
ON = D(2025, 6, 1)  # the records' date, inside every period
READS = frozenset({Action.VIEW, Action.VIEW_SUMMARY})
ENDS = [Relation.COACH, Relation.TUTOR, Relation.HEAD]

# What each of them may do to each kind while their period runs, and only its reads once it is over.
CASES = [
    (kind, relation, EXPECTED[kind][relation])
    for kind in RecordKind
    for relation in ENDS
    if EXPECTED[kind][relation] != SAMPLED
]


@pytest.fixture
def ended():
    """A participant whose coach, tutor and head all held their periods over ON, and whose periods
    ended on 31 December 2025, long before today."""
    school = SchoolFactory()
    enrolment = enrol(school, starts_on=START)
    coach, tutor, head = staff(Role.COACH, school), UserFactory(roles=[Role.TUTOR]), staff(Role.HEAD, school)
    assign_coach(enrolment, coach, starts_on=START)
    assign_tutor(enrolment, tutor, starts_on=START)
    people = {Relation.COACH: coach, Relation.TUTOR: tutor, Relation.HEAD: head}
    return enrolment, people


def _end_all(enrolment, people, ends_on):
    services.assignment_end(assignment=enrolment.coach_assignments.get(), ends_on=ends_on)
    services.assignment_end(assignment=enrolment.tutor_assignments.get(), ends_on=ends_on)
    services.staff_membership_end(membership=people[Relation.HEAD].staff_memberships.get(), ends_on=ends_on)


def _actions(user, record):
    user.__dict__.pop("_access_relations", None)
    return access.allowed_actions(user, record)


@pytest.mark.parametrize(("kind", "relation", "while_in_post"), CASES, ids=[f"{k}-{r}" for k, r, _ in CASES])
def test_after_their_period_ends_they_read_what_they_read_and_change_nothing(ended, kind, relation, while_in_post):
    enrolment, people = ended
    user = people[relation]
    record = Record(kind, enrolment.pk, ON, access_author_id=user.pk, access_owner_id=enrolment.participant_id)
    assert _actions(user, record) == while_in_post  # the table, while the period runs
    _end_all(enrolment, people, D(2025, 12, 31))
    assert _actions(user, record) == while_in_post & READS
    for action in set(while_in_post) - READS:
        user.__dict__.pop("_access_relations", None)
        with pytest.raises(PermissionDenied):
            access.require(user, action, record)


def test_a_period_ending_today_still_lets_them_finish_todays_work(ended):
    enrolment, people = ended
    coach = people[Relation.COACH]
    today = timezone.localdate()
    services.assignment_end(assignment=enrolment.coach_assignments.get(), ends_on=today)
    draft = Record(RecordKind.DIALOGUE_LOG_DRAFT, enrolment.pk, ON)
    assert _actions(coach, draft) == {Action.VIEW, Action.CHANGE}


def test_a_coach_assigned_again_changes_only_what_is_dated_in_the_new_period(ended):
    enrolment, people = ended
    coach = people[Relation.COACH]
    services.assignment_end(assignment=enrolment.coach_assignments.get(), ends_on=D(2025, 12, 31))
    assign_coach(enrolment, coach, starts_on=D(2026, 3, 1))
    old = Record(RecordKind.DIALOGUE_LOG_AGREED, enrolment.pk, ON)
    new = Record(RecordKind.DIALOGUE_LOG_AGREED, enrolment.pk, D(2026, 3, 2))
    assert _actions(coach, old) == READ
    assert _actions(coach, new) == {Action.VIEW, Action.NEW_VERSION}
    assert _actions(coach, Record(RecordKind.DIALOGUE_LOG_DRAFT, enrolment.pk, D(2026, 1, 15))) == NO
