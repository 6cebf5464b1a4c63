"""factory_boy factories for the whole suite. Build people and their periods through these."""

import datetime
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress

from accounts.models import RoleGrant, User
from accounts.roles import Role
from programme.models import (
    CoachAssignment,
    Cohort,
    Enrolment,
    Phase,
    Region,
    School,
    SchoolPhase,
    SchoolPlacement,
    StaffMembership,
    TutorAssignment,
)

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    # Fixed lists, not Faker: a random name such as O'Neill is escaped in HTML and made a page
    # assertion fail only on some runs. Pairs repeat only after 7 x 11 people.
    first_name = factory.Iterator(["Amira", "Ben", "Chloe", "Dev", "Erin", "Femi", "Grace"])
    last_name = factory.Iterator(
        ["Ahmed", "Baker", "Clarke", "Dhillon", "Evans", "Fraser", "Green", "Hughes", "Ivanova", "Jones", "Khan"]
    )
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        self.save()
        EmailAddress.objects.get_or_create(user=self, email=self.email, defaults={"verified": True, "primary": True})
        for role in extracted or []:
            RoleGrant.objects.get_or_create(user=self, role=role)
            if role == Role.PROGRAMME_LEADER:
                from django.contrib.auth.models import Group

                self.groups.add(Group.objects.get(name="Programme leaders"))
        self.__dict__.pop("roles", None)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"Test School {n}")
    urn = factory.Sequence(lambda n: f"{100000 + n}")
    region = Region.LONDON
    phase_of_education = SchoolPhase.SECONDARY
    fsm_percent = Decimal("25.0")


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    name = factory.Sequence(lambda n: f"Cohort {n}")
    academic_year = 2025
    opens_on = datetime.date(2025, 1, 1)  # before every start date the suite uses


class EnrolmentFactory(factory.django.DjangoModelFactory):
    """An enrolment with no periods. Use `enrol` below for a participant placed at a school."""

    class Meta:
        model = Enrolment

    participant = factory.SubFactory(UserFactory, roles=[Role.PARTICIPANT])
    cohort = factory.SubFactory(CohortFactory)
    qts_awarded_on = datetime.date(2024, 7, 15)
    first_post_started_on = datetime.date(2024, 9, 1)
    programme_started_on = datetime.date(2025, 4, 20)
    current_phase = factory.LazyFunction(lambda: Phase.objects.get(number=1))


def staff(role: str, school: School, starts_on=datetime.date(2020, 1, 1), **kwargs) -> User:
    """A coach or head who is a member of `school` from `starts_on`."""
    user = UserFactory(roles=[role], **kwargs)
    StaffMembership.objects.create(user=user, school=school, role=role, starts_on=starts_on)
    return user


def enrol(school: School, starts_on=datetime.date(2025, 4, 20), **kwargs) -> Enrolment:
    """A participant enrolled and placed at `school` from `starts_on`."""
    enrolment = EnrolmentFactory(programme_started_on=starts_on, **kwargs)
    SchoolPlacement.objects.create(enrolment=enrolment, school=school, starts_on=starts_on)
    return enrolment


def assign_coach(enrolment: Enrolment, coach: User, starts_on=datetime.date(2025, 4, 20), ends_on=None):
    return CoachAssignment.objects.create(enrolment=enrolment, coach=coach, starts_on=starts_on, ends_on=ends_on)


def assign_tutor(enrolment: Enrolment, tutor: User, starts_on=datetime.date(2025, 4, 20), ends_on=None):
    return TutorAssignment.objects.create(enrolment=enrolment, tutor=tutor, starts_on=starts_on, ends_on=ends_on)
