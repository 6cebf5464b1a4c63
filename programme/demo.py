"""Demo data for trying the portal: schools, a cohort, staff, participants and the handbook.

Built by `manage.py seed_demo`. Running it again changes nothing: every record is looked up by a
natural key (email, URN, cohort name, page slug or linked phase/area) and only what is missing is
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
from programme import services
from programme.models import (
    ChallengeCategory,
    CoachAssignment,
    Cohort,
    ContentArea,
    EligibilityRule,
    Enrolment,
    Phase,
    Post,
    ProgrammeSettings,
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
    settings = ProgrammeSettings.load()
    summer = (settings.summer_term_starts_month, settings.summer_term_starts_day)
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

    from programme.demo_coaching import seed_demo_coaching

    demo_enrolment = Enrolment.objects.get(participant__email=demo_email("participant"))
    seed_demo_coaching(enrolment=demo_enrolment, coach=demo_coach, today=today)
    seed_handbook()
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


# --- Handbook pages. Text written for the demo; programme leaders edit it in the CMS.

HOME_TITLE = "Masters in Teaching and Learning"
HOME_INTRO = (
    "A practice-based masters for teachers early in their careers, studied mostly in your own classroom "
    "with an in-school coach and a university tutor."
)
HOME_BODY = (
    "<p>The programme takes about three years and is built around enquiry: asking a focused question about "
    "your pupils' learning, gathering evidence in your own classroom and acting on what it tells you.</p>"
    "<p>Sign in to keep your portfolio, record coaching sessions, assess work or follow your school's "
    "participants. The handbook below explains how the programme works.</p>"
)

HANDBOOK_TITLE = "Programme handbook"
HANDBOOK_INTRO = (
    "<p>How the programme is organised, what each phase asks of you, what the four content areas cover, and "
    "practical guides for participants and coaches.</p>"
    "<p>A full masters award is 180 credits at level 7 of the Framework for Higher Education Qualifications. "
    "Every participant works through three phases in order and covers all four content areas by the end.</p>"
)

PHASE_PAGES = {
    1: (
        "Begin with an honest look at your practice, then learn to ask a sharp question about your teaching "
        "and answer it with evidence.",
        "<p>Phase 1 opens with an initial diagnosis. You and your coach look at what you already know from your "
        "training and, if you are new to teaching, from induction, and agree where to start. The result is a "
        "learning plan set out by content area.</p>"
        "<p>The phase is about habits the rest of the programme relies on: framing a question about your pupils' "
        "learning, finding out what is already known, collecting evidence in your own classroom and deciding "
        "honestly what it shows.</p>"
        "<h3>When it starts</h3>"
        "<p>No programme activity happens before the summer term of your induction year. For new teachers the "
        "phase runs alongside induction and should build on it rather than duplicate it.</p>"
        "<h3>Moving on</h3>"
        "<p>Your tutor decides when you are ready for phase 2, drawing on your portfolio and the record of your "
        "coaching. There is no set length: some people move on within two terms, others need longer.</p>",
    ),
    2: (
        "Use your enquiry skills across all four content areas until working from evidence is part of how you "
        "teach every week.",
        "<p>Phase 2 builds directly on phase 1. You carry the same enquiry skills into each of the four content "
        "areas, so that by the end of the phase none of them is left untouched.</p>"
        "<p>Expect shorter, more frequent cycles of enquiry than in phase 1: try something, look at what pupils "
        "did, talk it through with your coach, adjust. Your portfolio shows which content areas are still thin, "
        "which helps you and your coach plan what comes next.</p>"
        "<h3>Working with your coach</h3>"
        "<p>Coaching sessions continue throughout. You agree action steps together, review them at the next "
        "session and close them when they are done. If you move school, everything you have recorded comes with "
        "you and a coach at your new school takes over.</p>",
    ),
    3: (
        "Go deeper into one specialism drawn from the content areas, link up with others working on the same "
        "questions, and share what you find.",
        "<p>In phase 3 you choose a specialism, agreed with your coach and tutor, drawn from one or more of the "
        "content areas. The enquiry is larger and more sustained than before, and your reading goes further "
        "into published research.</p>"
        "<p>You link with specialist networks beyond your school, such as subject associations, local research "
        "groups or colleagues in partner schools, which gives you a base for the next stage of your career.</p>"
        "<h3>Sharing your research</h3>"
        "<p>The phase ends with you communicating the outcomes of your research so that others can learn from "
        "it. Once your tutor approves it, a summary goes into the provider's research library for colleagues "
        "across the partnership to read.</p>",
    ),
}

AREA_PAGES = {
    1: (
        "How pupils learn in your lessons, how you find out what they know, and how you use that to plan.",
        "<p>This area covers teaching and learning with particular attention to personalisation and applied "
        "learning, together with assessment for learning, diagnostic skills and the use of performance data to "
        "track pupils' progress.</p>"
        "<h3>Questions an enquiry here might ask</h3>"
        "<ul><li>Which pupils does my usual questioning leave out, and what changes if I plan for them?</li>"
        "<li>What does the data I already collect tell me about a group's progress, and what does it miss?</li>"
        "<li>Does a practical, applied task help pupils remember the underlying idea a month later?</li></ul>",
    ),
    2: (
        "Knowing your subject well enough to teach it, and shaping the curriculum pupils experience.",
        "<p>This area covers subject knowledge for teaching and the curriculum: how it is designed and "
        "developed, literacy, numeracy, 14-19 developments and ICT.</p>"
        "<h3>Questions an enquiry here might ask</h3>"
        "<ul><li>Where do pupils' misconceptions in this topic come from, and how does my explanation address "
        "them?</li>"
        "<li>How could this unit support pupils' reading and writing without losing its subject focus?</li>"
        "<li>What does a well-sequenced route through this topic look like from year to year?</li></ul>",
    ),
    3: (
        "How children and young people develop and learn, managing behaviour, and including every pupil.",
        "<p>This area covers how children and young people develop and learn, behaviour management, and "
        "inclusion, including pupils with special educational needs (SEN) and pupils learning English as an "
        "additional language (EAL).</p>"
        "<h3>Questions an enquiry here might ask</h3>"
        "<ul><li>What happens to low-level disruption when I change how lessons start?</li>"
        "<li>Which adjustments help a pupil with SEN take part fully, and how do I know?</li>"
        "<li>How can I support pupils new to English to show what they understand?</li></ul>",
    ),
    4: (
        "Leading a subject or area, and working with colleagues, other professionals, parents and carers.",
        "<p>This area covers leadership and management, including of subjects and curriculum areas, and working "
        "with others in and beyond the classroom: the school and children's workforce, employers, further "
        "education, and parents and carers.</p>"
        "<h3>Questions an enquiry here might ask</h3>"
        "<ul><li>How do I make best use of a teaching assistant's time in my lessons?</li>"
        "<li>What do parents and carers find most useful to hear about their child's learning?</li>"
        "<li>How can I lead a change in my department so that colleagues own it too?</li></ul>",
    ),
}


@dataclass(frozen=True)
class DemoResource:
    slug: str
    title: str
    summary: str
    why_it_matters: str
    key_questions: str
    body: str
    areas: tuple[int, ...] = ()
    under_area: int | None = None  # under this content area's page, else under the handbook


RESOURCES = [
    DemoResource(
        slug="coaching-dialogue-prompts",
        title="Coaching dialogue prompts",
        summary="Prompts for coaching sessions that move a participant's thinking on, whatever the content area.",
        why_it_matters=(
            "<p>Coaching works when the participant can speak openly about what is not going well. It is "
            "confidential and it is not performance management: the head and programme leader see only the "
            "dates, length and content areas of sessions, never what was said.</p>"
            "<p>Good prompts keep the conversation on pupils' learning and on evidence, rather than on "
            "reassurance or advice given too early.</p>"
        ),
        key_questions=(
            "<ul><li>What did you notice about the pupils' learning in that lesson? What makes you think so?</li>"
            "<li>Which pupils surprised you, and why?</li>"
            "<li>What evidence would help you decide whether that change worked?</li>"
            "<li>What have you read or seen elsewhere that speaks to this?</li>"
            "<li>If you taught this again tomorrow, what would you keep and what would you change?</li></ul>"
        ),
        body=(
            "<h2>What to try next</h2>"
            "<p>End each session with one or two action steps that you both agree, each with a date to review "
            "it. Write them in the dialogue log while you are together, then the participant adds a short "
            "reflection and agrees the record.</p>"
            "<p>At the next session, start by reviewing those steps: what happened, what the pupils did, and "
            "whether to close the step or carry it forward.</p>"
        ),
        areas=(1, 2, 3, 4),
    ),
    DemoResource(
        slug="running-a-small-enquiry",
        title="Running a small enquiry",
        summary="A step-by-step guide to a classroom enquiry that fits into a half term.",
        why_it_matters=(
            "<p>Enquiry is the thread running through all three phases. A small, well-designed enquiry teaches "
            "more than a large one that never reaches a conclusion, and it gives your tutor clear evidence of "
            "masters-level thinking.</p>"
        ),
        key_questions=(
            "<ul><li>Is my question about pupils' learning, and small enough to answer this half term?</li>"
            "<li>What do I already know, and what does published research say?</li>"
            "<li>What will I collect, from whom, and how will it be fair to every pupil?</li>"
            "<li>What would count as a change, and how will I tell it apart from chance?</li></ul>"
        ),
        body=(
            "<h2>Steps</h2>"
            "<ol><li><strong>Question.</strong> Write one question about a group of pupils and one aspect of "
            "their learning.</li>"
            "<li><strong>Reading.</strong> Find two or three sources that bear on it and note what they "
            "suggest.</li>"
            "<li><strong>Method.</strong> Decide what you will change, for how long, and what you will compare "
            "it with.</li>"
            "<li><strong>Data.</strong> Collect pupils' work, short assessments, observations or pupils' own "
            "views. Keep it manageable.</li>"
            "<li><strong>Findings.</strong> Say what the evidence shows and what it does not.</li>"
            "<li><strong>Impact on pupils.</strong> Describe what changed for pupils and what you will do "
            "differently as a result.</li></ol>"
            "<p>Tag each piece of evidence to the content areas and standards it relates to, so your portfolio "
            "shows where you are strong and where you are thin.</p>"
        ),
        areas=(1, 2, 3, 4),
    ),
    DemoResource(
        slug="credits-and-prior-learning",
        title="Credits, assessment and prior learning",
        summary="How work is assessed, how credits add up, and when earlier masters-level study can count.",
        why_it_matters=(
            "<p>Knowing how credits are earned helps you plan your submissions across the three phases and "
            "avoid surprises near the end.</p>"
        ),
        key_questions=(
            "<ul><li>Which assessment tasks are due in my current phase?</li>"
            "<li>Have I already studied at masters level, and can I show its effect on pupils?</li></ul>"
        ),
        body=(
            "<h2>Credits</h2>"
            "<p>The full award is 180 credits at level 7. Your tutor marks each submission against the "
            "masters-level criteria, a second marker moderates, and an external examiner reviews a sample. "
            "Credits count once results are released.</p>"
            "<h2>Prior learning</h2>"
            "<p>Up to 30 credits from earlier masters-level study may be recognised. This is only possible "
            "where you show, through enquiry and evidence, that your practice has already improved pupils' "
            "outcomes. A certificate on its own is not enough.</p>"
            "<h2>Timing</h2>"
            "<p>You can start no earlier than the summer term of your induction year and no later than the "
            "start of your third year of teaching, and you must finish within your first five years.</p>"
        ),
    ),
    DemoResource(
        slug="using-data-to-track-progress",
        title="Using assessment data to track pupils' progress",
        summary="Reading the data your school already holds, and knowing its limits.",
        why_it_matters=(
            "<p>Schools collect a great deal of assessment data, but it only helps pupils when a teacher asks a "
            "clear question of it and checks it against what they see in lessons.</p>"
        ),
        key_questions=(
            "<ul><li>Which pupils' progress has stalled, and does their classwork agree?</li>"
            "<li>What does this data not tell me?</li></ul>"
        ),
        body=(
            "<h2>What to try next</h2>"
            "<p>Pick one class and one assessment point. List three pupils the data flags, look at their recent "
            "work with your coach, and agree one change to try with them before the next assessment.</p>"
        ),
        areas=(1,),
        under_area=1,
    ),
]


def _add_child(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _home_page():
    from wagtail.models import Page, Site

    from handbook.models import HomePage

    home = HomePage.objects.first()
    root = Page.get_first_root_node()
    if home is None:
        # Wagtail's installer leaves a "Welcome" page at slug "home"; take its place.
        welcome = root.get_children().filter(slug="home").first()
        if welcome is not None:
            welcome.slug = "wagtail-welcome"
            welcome.save(update_fields=["slug", "url_path"], clean=False)
        home = _add_child(root, HomePage(title=HOME_TITLE, slug="home", intro=HOME_INTRO, body=HOME_BODY))
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="MTL Portal"
            )
        else:
            site.root_page = home
            site.site_name = site.site_name or "MTL Portal"
            site.save()
        if welcome is not None and welcome.specific_class is Page and welcome.numchild == 0:
            welcome.refresh_from_db()
            if not Site.objects.filter(root_page=welcome).exists():
                welcome.delete()
    return home


def seed_handbook() -> None:
    """Home page, handbook index, a page per phase and content area, and a few resources."""
    from handbook.models import ContentAreaPage, HandbookIndexPage, PhasePage, ResourcePage

    home = _home_page()
    index = HandbookIndexPage.objects.child_of(home).filter(slug="handbook").first()
    if index is None:
        index = _add_child(home, HandbookIndexPage(title=HANDBOOK_TITLE, slug="handbook", intro=HANDBOOK_INTRO))
    for phase in Phase.objects.all():
        if phase.number in PHASE_PAGES and not PhasePage.objects.filter(phase=phase).exists():
            summary, body = PHASE_PAGES[phase.number]
            _add_child(
                index,
                PhasePage(title=str(phase), slug=f"phase-{phase.number}", phase=phase, summary=summary, body=body),
            )
    area_pages = {}
    for area in ContentArea.objects.all():
        page = ContentAreaPage.objects.filter(content_area=area).first()
        if page is None and area.number in AREA_PAGES:
            summary, body = AREA_PAGES[area.number]
            page = _add_child(
                index,
                ContentAreaPage(
                    title=area.name,
                    slug=f"content-area-{area.number}",
                    content_area=area,
                    summary=summary,
                    body=body,
                ),
            )
        area_pages[area.number] = page
    areas = {a.number: a for a in ContentArea.objects.all()}
    for spec in RESOURCES:
        parent = area_pages.get(spec.under_area) if spec.under_area else index
        if parent is None or ResourcePage.objects.child_of(parent).filter(slug=spec.slug).exists():
            continue
        page = _add_child(
            parent,
            ResourcePage(
                title=spec.title,
                slug=spec.slug,
                summary=spec.summary,
                why_it_matters=spec.why_it_matters,
                key_questions=spec.key_questions,
                body=spec.body,
            ),
        )
        page.content_areas.set([areas[n] for n in spec.areas if n in areas])
