"""Which pages are a person's (the relations their roles let them hold), and who is head where:
each decided in one place in programme.access, and asked by the views and selectors."""

import datetime
import inspect

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

import coaching.selectors
import coaching.views.participants
import coaching.views.release_time
import coaching.views.tutor
import tracking.homes
from accounts.roles import Role
from programme import access, services
from programme.access import Relation
from tests.factories import SchoolFactory, UserFactory, staff

pytestmark = pytest.mark.django_db

D = datetime.date


def test_a_person_holds_the_relations_of_their_roles():
    both = UserFactory(roles=[Role.COACH, Role.HEAD])
    assert access.held_relations(both) == {Relation.COACH, Relation.HEAD}
    assert access.holds(both, Relation.COACH)
    assert not access.holds(both, Relation.TUTOR)
    access.require_relation(both, Relation.HEAD)
    with pytest.raises(Http404):
        access.require_relation(both, Relation.TUTOR)


def test_an_inactive_person_or_a_visitor_holds_none():
    gone = UserFactory(roles=[Role.TUTOR], is_active=False)
    assert access.held_relations(gone) == frozenset()
    assert access.held_relations(AnonymousUser()) == frozenset()
    with pytest.raises(Http404):
        access.require_relation(gone, Relation.TUTOR)


def test_headship_on_a_day_is_bounded_by_its_dates():
    school, other = SchoolFactory(), SchoolFactory()
    head = staff(Role.HEAD, school, starts_on=D(2024, 9, 1))
    services.staff_membership_end(membership=head.staff_memberships.get(), ends_on=D(2025, 12, 31))
    assert set(access.headships(head).values_list("school_id", flat=True)) == {school.pk}
    assert access.headships(head, D(2025, 12, 31)).exists()
    assert not access.headships(head, D(2026, 1, 1)).exists()
    assert not access.headships(head, D(2024, 8, 31)).exists()
    # A coach's membership of a school is not a headship.
    assert not access.headships(staff(Role.COACH, other)).exists()


@pytest.mark.parametrize(
    "module",
    [
        tracking.homes,
        coaching.views.tutor,
        coaching.views.release_time,
        coaching.views.participants,
        coaching.selectors,
    ],
    ids=lambda m: m.__name__,
)
def test_views_and_selectors_ask_the_policy_rather_than_read_roles(module):
    source = inspect.getsource(module)
    assert ".roles" not in source
    assert ".value in" not in source
