"""Reads for the role homes. Each list is a fixed number of queries, however many rows."""

import datetime
from dataclasses import dataclass, field

from django.db.models import CharField, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from programme import access
from programme.access import Relation
from programme.models import (
    CoachAssignment,
    Enrolment,
    ProgrammeSettings,
    School,
    SchoolPlacement,
    TutorAssignment,
)


def summer_term_start(settings: ProgrammeSettings | None = None) -> tuple[int, int]:
    """(month, day) the summer term starts, the provider's setting; the timing rules take it.
    `settings`: the provider's settings when the caller has read them already."""
    s = settings or ProgrammeSettings.load()
    return (s.summer_term_starts_month, s.summer_term_starts_day)


def school_at(enrolment: Enrolment, day: datetime.date) -> School | None:
    placement = enrolment.school_placements.covering(day).select_related("school").first()
    return placement.school if placement else None


def search_people(queryset: QuerySet, query: str, person: str = "") -> QuerySet:
    """Every word typed must match the person's first name, last name or email. `person` is the path
    to the person from the queryset's model ("" when it lists people)."""
    prefix = f"{person}__" if person else ""
    for word in query.split():
        queryset = queryset.filter(
            Q(**{f"{prefix}first_name__icontains": word})
            | Q(**{f"{prefix}last_name__icontains": word})
            | Q(**{f"{prefix}email__icontains": word})
        )
    return queryset


def enrolable_participants() -> QuerySet[User]:
    """People invited as participants, with no active enrolment: whom a leader may enrol."""
    active = Enrolment.objects.filter(participant=OuterRef("pk"), status=Enrolment.Status.ACTIVE)
    return User.objects.filter(is_active=True, role_grants__role=Role.PARTICIPANT).exclude(Exists(active)).distinct()


def enrolment_for_home(user) -> Enrolment | None:
    """The participant's own enrolment with its cohort and phase, for their home (one query); where
    they are and who supports them is `people_on`."""
    return (
        access.enrolments_for(user, Relation.PARTICIPANT)
        .select_related("cohort", "current_phase")
        .order_by("pk")
        .first()
    )


@dataclass(frozen=True)
class EnrolmentRow:
    """One participant in a role home's list, read as plain values: no model is made per row."""

    pk: int
    participant: str
    phase: int
    status: str  # as shown
    schools: list[str]  # where they are placed on the day (one, unless moving that day)
    coaches: list[str]
    tutors: list[str]


_HOME_COLUMNS = ("pk", "participant__first_name", "participant__last_name", "participant__email")


def enrolments_listed(user, relation: Relation) -> QuerySet:
    """The participants this person holds `relation` to today, by name, as rows of values for a
    role home's list: take a page of it, then `enrolment_rows` for that page."""
    return (
        access.enrolments_for(user, relation, timezone.localdate())
        .order_by("participant__last_name", "participant__first_name", "pk")
        .values_list(*_HOME_COLUMNS, "current_phase__number", "status")
    )


@dataclass(frozen=True)
class PeopleOn:
    """Where one participant is placed and who coaches and tutors them on a day, as names."""

    schools: list[str] = field(default_factory=list)  # one, unless moving that day
    coaches: list[str] = field(default_factory=list)
    tutors: list[str] = field(default_factory=list)


def people_on(enrolment_ids, *, on: datetime.date | None = None) -> dict[int, PeopleOn]:
    """Each participant's school, coach and tutor on the day, by enrolment id: one query (a UNION
    ALL of the three kinds of period) whatever the number of participants, each kind in the order
    its periods began."""
    on = on or timezone.localdate()
    ids = list(enrolment_ids)
    blank = Value("", output_field=CharField())

    def kind(periods: QuerySet, label: str, first: str, last: str | None, email: str | None) -> QuerySet:
        # Every column an annotation, named alike, so the three SELECTs line up for the UNION.
        return (
            periods.covering(on)
            .filter(enrolment_id__in=ids)
            .annotate(
                e=F("enrolment_id"),
                k=Value(label, output_field=CharField()),
                n1=F(first),
                n2=F(last) if last else blank,
                n3=F(email) if email else blank,
                s=F("starts_on"),
                i=F("pk"),
            )
            .values_list("e", "k", "n1", "n2", "n3", "s", "i")
            .order_by()  # no ordering inside a part of a UNION (SQLite refuses one)
        )

    rows = (
        kind(SchoolPlacement.objects.all(), "schools", "school__name", None, None)
        .union(
            kind(CoachAssignment.objects.all(), "coaches", "coach__first_name", "coach__last_name", "coach__email"),
            kind(TutorAssignment.objects.all(), "tutors", "tutor__first_name", "tutor__last_name", "tutor__email"),
            all=True,
        )
        .order_by("s", "i")
    )
    found = {pk: PeopleOn() for pk in ids}
    for enrolment_id, label, first, last, email, _, _ in rows:
        name = first if label == "schools" else User.name_of(first, last, email)
        getattr(found[enrolment_id], label).append(name)
    return found


def enrolment_rows(page, *, on: datetime.date | None = None) -> list[EnrolmentRow]:
    """A page of `enrolments_listed` with each participant's school, coach and tutor on the day
    (`people_on`: one query whatever the page's length)."""
    page = list(page)
    people = people_on([row[0] for row in page], on=on)
    statuses = dict(Enrolment.Status.choices)
    return [
        EnrolmentRow(
            pk=pk,
            participant=User.name_of(first_name, last_name, email),
            phase=phase,
            status=statuses.get(status, status),
            schools=people[pk].schools,
            coaches=people[pk].coaches,
            tutors=people[pk].tutors,
        )
        for pk, first_name, last_name, email, phase, status in page
    ]


def named(enrolments: QuerySet[Enrolment], search: str) -> QuerySet[Enrolment]:
    """Only the participants whose first or last name contains every word searched for."""
    for word in search.split()[:5]:
        enrolments = enrolments.filter(
            Q(participant__first_name__icontains=word) | Q(participant__last_name__icontains=word)
        )
    return enrolments


def programme_overview(on: datetime.date | None = None) -> dict:
    """Counts across every school, for the programme leader's home: one grouped query (by phase and
    status) counting, among the active, those with no coach or no tutor today, rather than four."""
    on = on or timezone.localdate()
    active = Q(status=Enrolment.Status.ACTIVE)
    # Uncorrelated, so each is hashed once (NOT IN), not probed for every enrolment (EXISTS: 10x slower).
    coached = CoachAssignment.objects.covering(on).values("enrolment")
    tutored = TutorAssignment.objects.covering(on).values("enrolment")
    groups = (
        Enrolment.objects.values_list("current_phase__number", "status")
        .annotate(
            n=Count("pk"),
            without_coach=Count("pk", filter=active & ~Q(pk__in=coached)),
            without_tutor=Count("pk", filter=active & ~Q(pk__in=tutored)),
        )
        .order_by()
    )
    by_phase: dict[int, int] = {}
    by_status: dict[str, int] = {}
    without_coach = without_tutor = 0
    for phase, status, n, no_coach, no_tutor in groups:
        if status == Enrolment.Status.ACTIVE:
            by_phase[phase] = by_phase.get(phase, 0) + n
        by_status[status] = by_status.get(status, 0) + n
        without_coach += no_coach
        without_tutor += no_tutor
    return {
        "by_phase": by_phase,
        "by_status": by_status,
        "without_coach": without_coach,
        "without_tutor": without_tutor,
    }


def school_name_on(enrolment_qs: QuerySet[Enrolment], on: datetime.date) -> QuerySet[Enrolment]:
    """Annotate each enrolment with its school's name on a day, for sortable tables and exports."""
    school = SchoolPlacement.objects.covering(on).filter(enrolment=OuterRef("pk")).values("school__name")[:1]
    return enrolment_qs.annotate(school_name=Subquery(school))


__all__ = ["enrolment_for_home", "programme_overview", "school_name_on"]
