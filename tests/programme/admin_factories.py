"""Factories and helpers for the programme leader's CMS screens."""

import datetime

import factory
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone

from accounts.models import Invitation
from accounts.roles import Role
from programme.models import ChallengeCategory, EligibilityRule
from tests.factories import CohortFactory, UserFactory


def with_totp(user):
    """Turn on two-factor sign-in, so RequireMfaMiddleware lets the person through to the CMS."""
    TOTP.activate(user, generate_totp_secret())
    return user


def programme_leader(**kwargs):
    return with_totp(UserFactory(roles=[Role.PROGRAMME_LEADER], **kwargs))


class ChallengeCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChallengeCategory
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Category {n}")


class EligibilityRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EligibilityRule

    cohort = factory.SubFactory(CohortFactory)
    kind = EligibilityRule.Kind.QTS_YEAR_IN
    value = "2024"


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    first_name = "Ada"
    last_name = "Invitee"
    roles = factory.LazyFunction(lambda: [Role.PARTICIPANT.value])
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))
