"""Reads for data protection: who is due for erasure today, in a fixed number of queries."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, Q

from accounts.roles import Role
from privacy.models import Erasure
from programme.models import Enrolment, ProgrammeSettings
from programme.rules import retention


def retention_years() -> int:
    return ProgrammeSettings.load().retention_years


def erasure_due(today: datetime.date, *, person_id: int | None = None) -> list:
    """The former participants whose personal data is due for erasure today (programme.rules.retention),
    not yet erased: three queries however many. The database narrows them to people with an
    enrolment that ended long enough ago and none still running; the rule decides each exactly.
    With `person_id`, only whether that one person is due."""
    years = retention_years()
    not_ended = Enrolment.objects.filter(participant=OuterRef("pk")).filter(
        ~Q(status__in=retention.ENDED) | Q(ended_on__isnull=True)
    )
    # N years are at least 365 x N days, so this keeps everyone the rule could find due.
    long_ago = Enrolment.objects.filter(
        participant=OuterRef("pk"), ended_on__lte=today - datetime.timedelta(days=365 * years)
    )
    people = get_user_model().objects.all() if person_id is None else get_user_model().objects.filter(pk=person_id)
    people = (
        people.filter(Exists(long_ago))
        .exclude(Exists(not_ended))
        .exclude(Exists(Erasure.objects.filter(person=OuterRef("pk"))))
        .prefetch_related(Prefetch("enrolments", queryset=Enrolment.objects.only("participant", "status", "ended_on")))
        .prefetch_related("role_grants")
        .order_by("pk")
    )
    return [
        person
        for person in people
        if retention.due_for_erasure(
            [(e.status, e.ended_on) for e in person.enrolments.all()],
            retention_years=years,
            today=today,
            holds_other_roles=any(grant.role != Role.PARTICIPANT for grant in person.role_grants.all()),
        )
    ]
