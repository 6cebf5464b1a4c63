"""A participant placed at a school with a coach there: the starting point of the period tests."""

import datetime

import pytest

from accounts.roles import Role
from tests.factories import SchoolFactory, enrol, staff

PLACED_ON = datetime.date(2025, 4, 20)


@pytest.fixture
def school():
    return SchoolFactory(name="Old School")


@pytest.fixture
def enrolment(school):
    return enrol(school, starts_on=PLACED_ON)


@pytest.fixture
def coach(school):
    return staff(Role.COACH, school)
