"""A provider-sized demo: hundreds of schools, each with a head and coaches, thousands of
participants, and enough tutors for a realistic caseload each. Built by `manage.py seed_scale` on top
of the ordinary demo (programme.demo), for measuring the portal (bench/, docs/performance.md).

The mass is loaded in bulk (`bulk_create`, and `bulk_load`'s COPY on PostgreSQL for the largest
tables), not through the services: the services write one record at a time with its audit event
and notices, which would take hours for 5,000 participants. What makes a
record valid still holds: each participant's dates and schools are checked against the programme's
rules (programme.rules, through programme.demo's checks) before anything is saved, and every period
starts and ends as the services would make it.

Every account made here is a demo account (same domain, same published password), so the command
refuses unless DEBUG is on, like seed_demo.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import math
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.db import connection, models, transaction
from django.utils import timezone

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


# Django's field types whose Python value PostgreSQL's COPY takes as it is; any other field's value
# (a JSON field's, a file field's, a project's own field type's) is first made ready by the field.
_AS_IS = (
    models.AutoField,
    models.BigAutoField,
    models.BooleanField,
    models.CharField,
    models.DateField,  # and DateTimeField: aware datetimes are what Django would send
    models.DecimalField,
    models.ForeignKey,
    models.IntegerField,
    models.TextField,
)


def bulk_load(model: type[models.Model], rows: Sequence[dict], *, with_ids: bool = True) -> list[int]:
    """Save new records of one model in the fewest round trips, each given as a dict of attribute
    names (`log_id`) to values; a field left out takes its default (auto_now fields: now), as
    bulk_create would fill it. Returns the new ids in the rows' order when `with_ids`.

    No model instance is made (constructing one costs more than sending its row, at hundreds of
    thousands of rows). On PostgreSQL the ids are a block taken from the table's own sequence and
    the rows go in by one COPY: no SQL to compile per batch and no parameters to bind. Elsewhere
    (SQLite), bulk_create."""
    if not rows:
        return []
    meta = model._meta
    if connection.vendor != "postgresql":
        made = model.objects.bulk_create([model(**row) for row in rows], batch_size=_BATCH)
        return [obj.pk for obj in made] if with_ids else []
    now = timezone.now()
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    defaults = {
        f.attname: now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
        for f in fields
    }
    plain = [f.attname for f in fields if isinstance(f, _AS_IS) and type(f).__module__.startswith("django.db.models.")]
    prepared = [f for f in fields if f.attname not in plain]
    ids = _reserve_ids(model, len(rows)) if with_ids else []
    copy_rows(
        model,
        ([meta.pk.attname] if with_ids else []) + plain + [f.attname for f in prepared],
        (
            ([pk] if with_ids else [])
            + [row.get(name, defaults[name]) for name in plain]
            + [f.get_db_prep_save(row.get(f.attname, defaults[f.attname]), connection) for f in prepared]
            for pk, row in zip(ids or [None] * len(rows), rows, strict=True)
        ),
    )
    return ids


def _reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` consecutive ids from the table's sequence, moved on past them in one step. The table
    is locked against other writers until the load's transaction ends, so no insert of theirs can
    take an id from the block in between."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {connection.ops.quote_name(table)} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, %s), nextval(pg_get_serial_sequence(%s, %s)) + %s - 1)",
            [table, model._meta.pk.column, table, model._meta.pk.column, count],
        )
        (last,) = cursor.fetchone()
    return list(range(last - count + 1, last + 1))


def copy_rows(model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence]) -> None:
    """New rows of a model's table, each a sequence of values ready for the database for the
    fields `names` (attribute names: `log_id`): one COPY on PostgreSQL, bulk_create elsewhere."""
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**dict(zip(names, row, strict=True))) for row in rows], batch_size=_BATCH)
        return
    fields = {f.attname: f for f in model._meta.concrete_fields}
    quote = connection.ops.quote_name
    columns = ", ".join(quote(fields[name].column) for name in names)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


@contextlib.contextmanager
def checks_set_aside(*models_: type[models.Model]) -> Iterator[None]:
    """On PostgreSQL, load these models' tables without their indexes (all but those behind a
    primary key or unique constraint, so the GIN search indexes among them) and without their
    foreign keys, and put both back once at the end, as pg_restore does. An index takes the rows
    one at a time (a GIN index at several times the cost of the insert), where one build from the
    finished table sorts them once; a foreign key checks each new row by its own lookup when the
    transaction commits (about 30 s for the coaching histories at 5,000 participants), where adding
    it back checks the whole table in one join, so every row is still checked.

    The drop, the load and the rebuild are one transaction (a savepoint inside the command's), so
    nobody else ever sees the tables without them, and if the load fails midway the rollback
    brings them back with everything else (PostgreSQL's DDL is transactional; a `finally` could not
    rebuild them in a transaction the error has already aborted). Elsewhere, nothing."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [m._meta.db_table for m in models_]
    quote = connection.ops.quote_name
    with transaction.atomic():
        # A table with foreign key checks still pending (they wait for the commit) cannot be
        # altered: run them now, as Django's check_constraints does.
        connection.check_constraints()
        with connection.cursor() as cursor:
            # Every index but those behind a constraint (the primary key, unique together).
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i"
                " WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)"
                " AND NOT EXISTS (SELECT 1 FROM pg_constraint k"
                " WHERE k.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)"
                " ORDER BY i.indexname",
                [tables],
            )
            indexes = cursor.fetchall()
            cursor.execute(
                "SELECT c.relname, k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k"
                " JOIN pg_class c ON c.oid = k.conrelid"
                " WHERE k.contype = 'f' AND c.relnamespace = current_schema()::regnamespace AND c.relname = ANY(%s)"
                " ORDER BY c.relname, k.conname",
                [tables],
            )
            foreign_keys = cursor.fetchall()
            for name, _ in indexes:
                cursor.execute(f"DROP INDEX {quote(name)}")
            for table, name, _ in foreign_keys:
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        yield
        connection.check_constraints()
        with connection.cursor() as cursor:
            for table, name, definition in foreign_keys:
                cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
            for _, definition in indexes:
                cursor.execute(definition)


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
