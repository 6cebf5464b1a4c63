"""A provider-sized demo: hundreds of schools, each with a head and coaches, thousands of
participants, and enough tutors for a realistic caseload each. Built by `manage.py seed_scale` on top
of the ordinary demo (programme.demo), for measuring the portal (bench/, docs/performance.md).

The mass is made with `bulk_create`, not through the services: the services write one record at a
time with its audit event and notices, which would take hours for 5,000 participants. What makes a
record valid still holds: each participant's dates and schools are checked against the programme's
rules (programme.rules, through programme.demo's checks) before anything is saved, and every period
starts and ends as the services would make it.

Every account made here is a demo account (same domain, same published password), so the command
refuses unless DEBUG is on, like seed_demo.
"""

from __future__ import annotations

import dataclasses
import datetime
import math
from decimal import Decimal

from allauth.account.models import EmailAddress

from accounts.models import RoleGrant, User
from accounts.roles import Role
from programme import demo, selectors
from programme.models import Cohort, School, SchoolPhase, StaffMembership

SCALE_URN_FROM = 900000  # URNs from here up are the scale demo's own schools
PARTICIPANTS_PER_TUTOR = 60
_BATCH = 1000

PLACES = [
    "Aldermoor", "Birchfield", "Calder", "Dunmore", "Eastwick", "Fellside", "Garrow", "Hallbank",
    "Ingleby", "Juniper Hill", "Kirkham", "Longdale", "Marshgate", "Netherby", "Oakfold", "Pennine",
    "Quarry Bank", "Ravensworth", "Stainby", "Thornton", "Underhill", "Valley Road", "Westcroft", "Yarrow",
]  # fmt: skip
KINDS = {
    SchoolPhase.PRIMARY: "Primary School",
    SchoolPhase.SECONDARY: "Academy",
    SchoolPhase.ALL_THROUGH: "All-through School",
    SchoolPhase.SPECIAL: "Special School",
}


class ScaleError(demo.DemoError):
    """The scale demo cannot be built as asked; the message says why."""


@dataclasses.dataclass
class ScaleResult:
    schools: int
    participants: int
    tutors: int


def _school(number: int) -> School:
    phases = list(KINDS)
    phase = phases[number % len(phases)]
    place = PLACES[number % len(PLACES)]
    return School(
        urn=str(SCALE_URN_FROM + number),
        name=f"{place} {KINDS[phase]} ({number})",
        region=demo.COHORT_REGIONS[number % len(demo.COHORT_REGIONS)],
        phase_of_education=phase,
        # Every school meets the demo cohort's rule (at least 25% free school meals).
        fsm_percent=Decimal(demo.COHORT_FSM_AT_LEAST) + Decimal(number % 200) / 10,
    )


def _staff(local_parts: list[tuple[str, str, str]], *, role: Role, password_hash: str) -> list[User]:
    """Users from (local part, first name, last name), each with its role and a verified address."""
    users = User.objects.bulk_create(
        [
            User(email=demo.demo_email(local), first_name=first, last_name=last, password=password_hash)
            for local, first, last in local_parts
        ],
        batch_size=_BATCH,
    )
    RoleGrant.objects.bulk_create([RoleGrant(user=u, role=role) for u in users], batch_size=_BATCH)
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users], batch_size=_BATCH
    )
    return users


def _name(number: int) -> tuple[str, str]:
    return (
        demo.FIRST_NAMES[number % len(demo.FIRST_NAMES)],
        demo.LAST_NAMES[(number * 11 + number // len(demo.FIRST_NAMES)) % len(demo.LAST_NAMES)],
    )


def is_seeded() -> bool:
    return School.objects.filter(urn__gte=str(SCALE_URN_FROM)).exists()


def seed_scale(*, participants: int, schools: int, today: datetime.date) -> ScaleResult:
    """Add schools (a head and one or two coaches each), tutors and participants to the demo cohort
    until it holds `participants` participants across `schools` schools. Runs after
    programme.demo.seed_demo, whose schools, staff and participants count towards both numbers.
    Does nothing if the scale demo's schools already exist."""
    cohort = Cohort.objects.filter(name=demo.COHORT_NAME).first()
    if cohort is None:
        raise ScaleError("Run seed_demo first: the scale demo adds to the demo cohort.")
    if is_seeded():
        return ScaleResult(schools=0, participants=0, tutors=0)
    base_schools = list(School.objects.filter(urn__in=[s.urn for s in demo.SCHOOLS]).order_by("urn"))
    if schools < len(base_schools):
        raise ScaleError(f"The demo already has {len(base_schools)} schools; ask for at least that many.")
    already = cohort.enrolments.count()
    if participants < already:
        raise ScaleError(f"The demo already has {already} participants; ask for at least that many.")

    leader = User.objects.get(email=demo.LEADER.email)
    password_hash = User.objects.get(email=demo.LEADER.email).password
    staff_since = datetime.date(cohort.academic_year - 5, 9, 1)

    new_schools = School.objects.bulk_create(
        [_school(n) for n in range(1, schools - len(base_schools) + 1)], batch_size=_BATCH
    )
    heads = _staff(
        [(f"head.{s.urn}", *_name(n)) for n, s in enumerate(new_schools)], role=Role.HEAD, password_hash=password_hash
    )
    coach_specs = [(s, k) for n, s in enumerate(new_schools) for k in range(1 + n % 2)]
    coaches = _staff(
        [(f"coach.{s.urn}.{k + 1}", *_name(n + 7)) for n, (s, k) in enumerate(coach_specs)],
        role=Role.COACH,
        password_hash=password_hash,
    )
    StaffMembership.objects.bulk_create(
        [
            StaffMembership(user=u, school=s, role=Role.HEAD, starts_on=staff_since, created_by=leader)
            for u, s in zip(heads, new_schools, strict=True)
        ]
        + [
            StaffMembership(user=u, school=s, role=Role.COACH, starts_on=staff_since, created_by=leader)
            for u, (s, _) in zip(coaches, coach_specs, strict=True)
        ],
        batch_size=_BATCH,
    )

    # The demo's own tutors and coaches take their share, so the demo logins see a realistic caseload.
    tutors = list(User.objects.filter(email__in=[t.email for t in demo.TUTORS]).order_by("pk"))
    wanted = max(math.ceil(participants / PARTICIPANTS_PER_TUTOR) - len(tutors), 0)
    new_tutors = _staff(
        [(f"tutor.{n + 1:03d}", *_name(n + 3)) for n in range(wanted)], role=Role.TUTOR, password_hash=password_hash
    )
    all_schools = base_schools + new_schools
    coaches_at: dict[int, list[User]] = {n: [] for n in range(len(all_schools))}
    index_of = {s.pk: n for n, s in enumerate(all_schools)}
    for membership in StaffMembership.objects.filter(role=Role.COACH, school__in=all_schools).select_related("user"):
        coaches_at[index_of[membership.school_id]].append(membership.user)
    for members in coaches_at.values():
        members.sort(key=lambda u: u.pk)

    summer = selectors.summer_term_start()
    plans = []
    for number in range(already + 1, participants + 1):
        plan = demo.plan_participant(number, cohort=cohort, today=today, summer_term_start=summer)
        home = number % len(all_schools)
        placed = (home,) if len(plan.schools) == 1 else (home, (home + 1) % len(all_schools))
        plans.append(dataclasses.replace(plan, schools=placed))
    demo._check_plans(plans, cohort=cohort, schools=all_schools, summer_term_start=summer)
    demo._bulk_participants(
        plans,
        cohort=cohort,
        schools=all_schools,
        coaches=coaches_at,
        tutors=tutors + new_tutors,
        leader=leader,
        password_hash=password_hash,
    )
    return ScaleResult(schools=len(new_schools), participants=len(plans), tutors=len(new_tutors))
