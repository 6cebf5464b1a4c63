"""Demo data for trying the portal: schools, a cohort, staff and participants, with their periods.

Built by `manage.py seed_demo`, which then asks the apps that own the rest for theirs: coaching
histories (coaching.demo) and the handbook (handbook.demo). Running it again changes nothing:
every record is looked up by a natural key (email, URN or cohort name) and only what is missing is
created. Participants are created in bulk so that thousands load in seconds; their dates and
schools are checked against the programme's own rules (programme.rules) before anything is saved.

The demo accounts share one published password and one TOTP secret, so this must never run
against real data: the commands refuse unless DEBUG is on.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass, field
from decimal import Decimal

from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import RoleGrant, User
from accounts.roles import MFA_REQUIRED_ROLES, Role
from accounts.services import role_grant
from programme import selectors, services
from programme.models import (
    ChallengeCategory,
    CoachAssignment,
    Cohort,
    EligibilityRule,
    Enrolment,
    Phase,
    Post,
    Region,
    School,
    SchoolPhase,
    SchoolPlacement,
    StaffMembership,
    TutorAssignment,
)
from programme.rules import eligibility, timing

DEMO_DOMAIN = "demo.mtl-portal.localhost"
DEMO_PASSWORD = "demo-password-2026"
# Base32, 20 bytes. Published on purpose: it only ever protects demo accounts.
DEMO_TOTP_SECRET = "NV2GYLLQN5ZHIYLMFVSGK3LPFUZDAMRW"
DEFAULT_PARTICIPANTS = 60
COHORT_NAME = "Demo cohort: Northern partnership"
_BATCH = 500


class DemoError(Exception):
    """The demo data cannot be built or used as asked; the message says why."""


def demo_email(local_part: str) -> str:
    return f"{local_part}@{DEMO_DOMAIN}"


def is_demo_email(email: str) -> bool:
    return email.strip().lower().endswith("@" + DEMO_DOMAIN)


# --- Schools and the cohort.


@dataclass(frozen=True)
class DemoSchool:
    urn: str
    name: str
    region: str
    phase_of_education: str
    fsm_percent: str
    categories: tuple[str, ...] = ()


NATIONAL_CHALLENGE = "National Challenge"
DISADVANTAGED_AREA = "Serving a disadvantaged area"

SCHOOLS = [
    DemoSchool(
        "139204", "Kestrel Moor Academy", Region.NORTH_WEST, SchoolPhase.SECONDARY, "38.4", (NATIONAL_CHALLENGE,)
    ),
    DemoSchool("139517", "Saltmarsh Lane Primary School", Region.NORTH_WEST, SchoolPhase.PRIMARY, "31.0"),
    DemoSchool(
        "140288",
        "Ashby Fold High School",
        Region.YORKSHIRE,
        SchoolPhase.SECONDARY,
        "33.7",
        (NATIONAL_CHALLENGE, DISADVANTAGED_AREA),
    ),
    DemoSchool("140963", "Whinberry Community School", Region.NORTH_EAST, SchoolPhase.ALL_THROUGH, "29.2"),
    DemoSchool(
        "141375", "Copperbeech Primary School", Region.NORTH_WEST, SchoolPhase.PRIMARY, "26.5", (DISADVANTAGED_AREA,)
    ),
    DemoSchool("141802", "Larkspur Bank School", Region.YORKSHIRE, SchoolPhase.SPECIAL, "44.1"),
]
COHORT_REGIONS = [Region.NORTH_WEST, Region.YORKSHIRE, Region.NORTH_EAST]
COHORT_FSM_AT_LEAST = "25"


# --- People. Each fixed login is one role's way in; the rest make the data look lived in.


@dataclass(frozen=True)
class DemoPerson:
    local_part: str
    first_name: str
    last_name: str
    roles: tuple[str, ...]
    school_urn: str | None = None  # for coaches and heads

    @property
    def email(self) -> str:
        return demo_email(self.local_part)


# The six demo logins, one per role, printed by seed_demo in this order.
LOGINS: list[tuple[str, str]] = [
    (Role.PARTICIPANT.value, demo_email("participant")),
    (Role.COACH.value, demo_email("coach")),
    (Role.TUTOR.value, demo_email("tutor")),
    (Role.HEAD.value, demo_email("head")),
    (Role.PROGRAMME_LEADER.value, demo_email("leader")),
    (Role.EXTERNAL_EXAMINER.value, demo_email("examiner")),
]

C, H = Role.COACH, Role.HEAD
STAFF = [
    DemoPerson("head", "Margaret", "Ellison", (H,), "139204"),
    DemoPerson("coach", "Daniel", "Okoro", (C,), "139204"),
    DemoPerson("ruth.calloway", "Ruth", "Calloway", (C,), "139204"),
    # A head who also coaches: one person, two roles, at the same school.
    DemoPerson("imran.haq", "Imran", "Haq", (H, C), "139517"),
    DemoPerson("sian.pryce", "Sian", "Pryce", (C,), "139517"),
    DemoPerson("graham.whitfield", "Graham", "Whitfield", (H,), "140288"),
    DemoPerson("leanne.corrigan", "Leanne", "Corrigan", (C,), "140288"),
    DemoPerson("tomasz.nowicki", "Tomasz", "Nowicki", (C,), "140288"),
    DemoPerson("julia.ashworth", "Julia", "Ashworth", (H,), "140963"),
    DemoPerson("kwame.mensah", "Kwame", "Mensah", (C,), "140963"),
    DemoPerson("fiona.gillespie", "Fiona", "Gillespie", (C,), "140963"),
    DemoPerson("peter.lindqvist", "Peter", "Lindqvist", (H,), "141375"),
    DemoPerson("aisha.bello", "Aisha", "Bello", (C,), "141375"),
    DemoPerson("mark.thornley", "Mark", "Thornley", (C,), "141375"),
    DemoPerson("susan.hargreaves", "Susan", "Hargreaves", (H,), "141802"),
    DemoPerson("owen.pritchard", "Owen", "Pritchard", (C,), "141802"),
    DemoPerson("farah.qureshi", "Farah", "Qureshi", (C,), "141802"),
]
TUTORS = [
    DemoPerson("tutor", "Helen", "Marsh", (Role.TUTOR,)),
    DemoPerson("nadia.rahman", "Nadia", "Rahman", (Role.TUTOR,)),
    DemoPerson("oliver.brandt", "Oliver", "Brandt", (Role.TUTOR,)),
    DemoPerson("gareth.lloyd", "Gareth", "Lloyd", (Role.TUTOR,)),
]
LEADER = DemoPerson("leader", "Catherine", "Doyle", (Role.PROGRAMME_LEADER,))
EXAMINER = DemoPerson("examiner", "Robert", "Fenwick", (Role.EXTERNAL_EXAMINER,))
DEMO_PARTICIPANT = DemoPerson("participant", "Priya", "Sandhu", (Role.PARTICIPANT,))

FIRST_NAMES = [
    "Amelia", "Ben", "Chloe", "Dev", "Eleanor", "Femi", "Grace", "Harry", "Isla", "Jamal",
    "Katie", "Liam", "Maya", "Nathan", "Olivia", "Patrick", "Rosie", "Sam", "Tara", "Usman",
    "Verity", "Will", "Yasmin", "Zac", "Abigail", "Callum", "Daisy", "Ethan", "Freya", "George",
    "Hannah", "Idris", "Jess", "Kieran", "Lucy", "Mohammed", "Niamh", "Oscar", "Poppy", "Rhys",
]  # fmt: skip
LAST_NAMES = [
    "Ahmed", "Barker", "Clarke", "Dunn", "Evans", "Fletcher", "Gordon", "Hughes", "Iqbal", "Jennings",
    "Kaur", "Lawson", "McBride", "Naylor", "O'Neill", "Patel", "Quinn", "Reid", "Shaw", "Turner",
    "Usher", "Vaughan", "Walsh", "Young", "Ali", "Booth", "Cartwright", "Dixon", "Ellis", "Foster",
    "Grant", "Holt", "Ingram", "Jackson", "Kirby", "Lees", "Moss", "Nolan", "Owens", "Parry",
]  # fmt: skip


def participant_email(number: int) -> str:
    """Number 1 is the fixed demo login; the rest are participant.0002 and so on."""
    return DEMO_PARTICIPANT.email if number == 1 else demo_email(f"participant.{number:04d}")


# --- Dates. Everything hangs off the cohort, so a later run adds participants consistent with it.


def newest_induction_year(today: datetime.date, summer_term_start: tuple[int, int]) -> int:
    """The latest induction year whose summer term has begun by `today`: phase 1 starts from it."""
    return today.year - 1 if (today.month, today.day) >= summer_term_start else today.year - 2


@dataclass(frozen=True)
class ParticipantPlan:
    number: int
    first_name: str
    last_name: str
    phase: int
    qts_awarded_on: datetime.date
    first_post_started_on: datetime.date
    programme_started_on: datetime.date
    post: str
    schools: tuple[int, ...]  # indexes into SCHOOLS; two when the participant has moved
    moved_on: datetime.date | None = None

    @property
    def email(self) -> str:
        return participant_email(self.number)


def plan_participant(
    number: int, *, cohort: Cohort, today: datetime.date, summer_term_start: tuple[int, int]
) -> ParticipantPlan:
    """Dates that meet the timing rules: phase 3 people started about two years before phase 1."""
    phase = 2 if number == 1 else (number % 3) + 1
    newest = cohort.academic_year + 2  # the cohort's academic year is its phase 3 induction year
    induction_year = newest - (phase - 1)
    first_post = datetime.date(induction_year, 9, 1) + datetime.timedelta(days=number % 5)
    qts = datetime.date(induction_year, 7, 1) + datetime.timedelta(days=number % 20)
    earliest = timing.earliest_activity_date(first_post, summer_term_start)
    latest = min(timing.latest_start_date(first_post), today)
    start = min(earliest + datetime.timedelta(days=(number * 13) % 40), latest)
    if number % 23 == 0 and phase == 3:
        post = Post.OTHER_MIDDLE_LEADER
    elif number % 31 == 0:
        post = Post.NEW_HEAD_OF_DEPARTMENT
    else:
        post = Post.CLASS_TEACHER
    home = 0 if number == 1 else number % len(SCHOOLS)
    moved_on = None
    schools: tuple[int, ...] = (home,)
    if number % 25 == 4 and phase >= 2:
        moved_on = min(start + datetime.timedelta(days=180), today)
        schools = (home, (home + 1) % len(SCHOOLS))
    return ParticipantPlan(
        number=number,
        first_name=DEMO_PARTICIPANT.first_name if number == 1 else FIRST_NAMES[number % len(FIRST_NAMES)],
        last_name=DEMO_PARTICIPANT.last_name
        if number == 1
        else LAST_NAMES[(number * 7 + number // len(FIRST_NAMES)) % len(LAST_NAMES)],
        phase=phase,
        qts_awarded_on=qts,
        first_post_started_on=first_post,
        programme_started_on=start,
        post=post,
        schools=schools,
        moved_on=moved_on,
    )


# --- Building blocks, each safe to call again.


@dataclass
class DemoResult:
    logins: list[tuple[str, str]]
    participants_created: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def _person(person: DemoPerson, password_hash: str) -> User:
    user = User.objects.filter(email=person.email).first()
    if user is None:
        user = User.objects.create(
            email=person.email, first_name=person.first_name, last_name=person.last_name, password=password_hash
        )
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    for role in person.roles:
        role_grant(user=user, role=role)
    return user


def _schools() -> list[School]:
    schools = []
    for spec in SCHOOLS:
        school, _ = School.objects.get_or_create(
            urn=spec.urn,
            defaults={
                "name": spec.name,
                "region": spec.region,
                "phase_of_education": spec.phase_of_education,
                "fsm_percent": Decimal(spec.fsm_percent),
            },
        )
        if spec.categories:
            school.challenge_categories.add(*ChallengeCategory.objects.filter(name__in=spec.categories))
        schools.append(school)
    return schools


def _cohort(today: datetime.date, summer_term_start: tuple[int, int]) -> Cohort:
    cohort = Cohort.objects.filter(name=COHORT_NAME).first()
    if cohort is not None:
        return cohort
    oldest = newest_induction_year(today, summer_term_start) - 2
    cohort = Cohort.objects.create(
        name=COHORT_NAME,
        academic_year=oldest,
        opens_on=datetime.date(oldest + 1, *summer_term_start),
    )
    years = ",".join(str(oldest + n) for n in range(3))
    kind = EligibilityRule.Kind
    for rule_kind, value in [
        (kind.QTS_YEAR_IN, years),
        (kind.REGION_IN, ",".join(COHORT_REGIONS)),
        (kind.FSM_AT_LEAST, COHORT_FSM_AT_LEAST),
    ]:
        EligibilityRule.objects.create(cohort=cohort, kind=rule_kind, value=value)
    return cohort


def _check_plans(plans: list[ParticipantPlan], *, cohort: Cohort, schools: list[School], summer_term_start) -> None:
    """Fail loudly, before anything is saved, if the demo would break a programme rule."""
    rules = list(cohort.eligibility_rules.all())
    checked: set[tuple[int, int, str]] = set()
    for plan in plans:
        timing.check_programme_start(
            first_post_started_on=plan.first_post_started_on,
            programme_started_on=plan.programme_started_on,
            summer_term_start=summer_term_start,
        )
        for index in plan.schools:
            key = (index, plan.qts_awarded_on.year, plan.post)
            if key in checked:
                continue
            checked.add(key)
            candidate = eligibility.Candidate(qts_year=key[1], school=schools[index], post=plan.post)
            failures = eligibility.check_eligibility(rules, candidate)
            if failures:
                raise DemoError(f"Demo participant {plan.email} would not be eligible: {failures[0].message}")


def _coach_for(plan: ParticipantPlan, school_index: int, coaches: dict[int, list[User]]) -> User:
    at_school = coaches[school_index]
    return at_school[(plan.number // len(SCHOOLS)) % len(at_school)]


def _bulk_participants(
    plans: list[ParticipantPlan],
    *,
    cohort: Cohort,
    schools: list[School],
    coaches: dict[int, list[User]],
    tutors: list[User],
    leader: User,
    password_hash: str,
) -> None:
    users = User.objects.bulk_create(
        [User(email=p.email, first_name=p.first_name, last_name=p.last_name, password=password_hash) for p in plans],
        batch_size=_BATCH,
    )
    if any(u.pk is None for u in users):  # pragma: no cover - every supported database returns ids
        raise DemoError("This database did not return the new participants' ids.")
    RoleGrant.objects.bulk_create([RoleGrant(user=u, role=Role.PARTICIPANT) for u in users], batch_size=_BATCH)
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users], batch_size=_BATCH
    )
    phases = {p.number: p for p in Phase.objects.all()}
    enrolments = Enrolment.objects.bulk_create(
        [
            Enrolment(
                participant=u,
                cohort=cohort,
                qts_awarded_on=p.qts_awarded_on,
                first_post_started_on=p.first_post_started_on,
                programme_started_on=p.programme_started_on,
                post=p.post,
                current_phase=phases[p.phase],
            )
            for u, p in zip(users, plans, strict=True)
        ],
        batch_size=_BATCH,
    )
    placements, coach_periods, tutor_periods = [], [], []
    for number, (enrolment, plan) in enumerate(zip(enrolments, plans, strict=True)):
        starts = [plan.programme_started_on] + ([plan.moved_on] if plan.moved_on else [])
        for n, (index, starts_on) in enumerate(zip(plan.schools, starts, strict=True)):
            ends_on = starts[n + 1] - datetime.timedelta(days=1) if n + 1 < len(starts) else None
            placements.append(
                SchoolPlacement(
                    enrolment=enrolment, school=schools[index], starts_on=starts_on, ends_on=ends_on, created_by=leader
                )
            )
            coach_periods.append(
                CoachAssignment(
                    enrolment=enrolment,
                    coach=_coach_for(plan, index, coaches),
                    starts_on=starts_on,
                    ends_on=ends_on,
                    created_by=leader,
                )
            )
        tutor_periods.append(
            TutorAssignment(
                enrolment=enrolment,
                tutor=tutors[number % len(tutors)],
                starts_on=plan.programme_started_on,
                created_by=leader,
            )
        )
    SchoolPlacement.objects.bulk_create(placements, batch_size=_BATCH)
    CoachAssignment.objects.bulk_create(coach_periods, batch_size=_BATCH)
    TutorAssignment.objects.bulk_create(tutor_periods, batch_size=_BATCH)
    _refresh_planner_statistics(
        [User, RoleGrant, EmailAddress, Enrolment, SchoolPlacement, CoachAssignment, TutorAssignment]
    )


def _refresh_planner_statistics(models) -> None:
    """After a bulk load, let the database re-plan. Without statistics SQLite answers a tutor's list of
    participants by scanning every assignment of that tutor once per enrolment (seconds at 5,000)."""
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _demo_participant(
    plan: ParticipantPlan,
    *,
    cohort: Cohort,
    schools: list[School],
    coach: User,
    tutor: User,
    leader: User,
    password_hash: str,
) -> None:
    """The fixed participant login goes through the services, as a programme leader's would."""
    user = _person(DEMO_PARTICIPANT, password_hash)
    if Enrolment.objects.filter(participant=user).exists():
        return
    school = schools[plan.schools[0]]
    enrolment = services.enrolment_create(
        participant=user,
        cohort=cohort,
        school=school,
        qts_awarded_on=plan.qts_awarded_on,
        first_post_started_on=plan.first_post_started_on,
        programme_started_on=plan.programme_started_on,
        post=plan.post,
        # The demo places its participant part-way through the programme, so the start is in the past.
        backdated_reason="Demonstration data: a participant part-way through the programme.",
        by=leader,
    )
    services.coach_assign(enrolment=enrolment, coach=coach, starts_on=plan.programme_started_on, by=leader)
    services.tutor_assign(enrolment=enrolment, tutor=tutor, starts_on=plan.programme_started_on, by=leader)
    for number in range(2, plan.phase + 1):
        services.phase_progress(
            enrolment=enrolment,
            to_phase=Phase.objects.get(number=number),
            by=tutor,
            note="Demo: work for the phase passed.",
        )


def _activate_demo_totp(user: User) -> None:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)


@transaction.atomic
def seed_demo(*, participants: int = DEFAULT_PARTICIPANTS, today: datetime.date | None = None) -> DemoResult:
    """Create whatever of the demo is missing. `participants` counts the fixed demo participant."""
    if participants < 1:
        raise DemoError("The demo needs at least one participant.")
    today = today or timezone.localdate()
    summer = selectors.summer_term_start()
    password_hash = make_password(DEMO_PASSWORD)  # hashed once, shared by every demo account

    schools = _schools()
    by_urn = {s.urn: s for s in schools}
    index_of = {s.urn: n for n, s in enumerate(schools)}
    cohort = _cohort(today, summer)
    leader = _person(LEADER, password_hash)
    examiner = _person(EXAMINER, password_hash)
    tutors = [_person(p, password_hash) for p in TUTORS]

    staff_since = datetime.date(cohort.academic_year - 5, 9, 1)
    coaches: dict[int, list[User]] = {n: [] for n in range(len(schools))}
    for person in STAFF:
        user = _person(person, password_hash)
        school = by_urn[person.school_urn]
        for role in person.roles:
            if not StaffMembership.objects.filter(user=user, school=school, role=role).exists():
                services.staff_membership_start(user=user, school=school, role=role, starts_on=staff_since, by=leader)
        if Role.COACH in person.roles:
            coaches[index_of[school.urn]].append(user)

    for user in [leader, examiner, *tutors]:
        if user.roles & MFA_REQUIRED_ROLES:
            _activate_demo_totp(user)

    plans = [
        plan_participant(n, cohort=cohort, today=today, summer_term_start=summer) for n in range(1, participants + 1)
    ]
    _check_plans(plans, cohort=cohort, schools=schools, summer_term_start=summer)
    demo_coach = User.objects.get(email=demo_email("coach"))
    _demo_participant(
        plans[0],
        cohort=cohort,
        schools=schools,
        coach=demo_coach,
        tutor=tutors[0],
        leader=leader,
        password_hash=password_hash,
    )
    existing = set(
        User.objects.filter(email__startswith="participant.", email__endswith="@" + DEMO_DOMAIN).values_list(
            "email", flat=True
        )
    )
    missing = [p for p in plans[1:] if p.email not in existing]
    if missing:
        _bulk_participants(
            missing,
            cohort=cohort,
            schools=schools,
            coaches=coaches,
            tutors=tutors,
            leader=leader,
            password_hash=password_hash,
        )

    return DemoResult(logins=list(LOGINS), participants_created=len(missing))


def totp_code(email: str, *, at: float | None = None) -> str:
    """The current six-digit code for a demo account that uses an authenticator app."""
    if not is_demo_email(email):
        raise DemoError(f"{email} is not a demo account; codes are only given for @{DEMO_DOMAIN} addresses.")
    authenticator = Authenticator.objects.filter(
        user__email=email.strip().lower(), type=Authenticator.Type.TOTP
    ).first()
    if authenticator is None:
        raise DemoError(f"{email} has no authenticator. Run `manage.py seed_demo` first, or check the address.")
    secret = decrypt(authenticator.data["secret"])
    counter = int(time.time() if at is None else at) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))
