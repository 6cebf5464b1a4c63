"""Reads of coaching records for a viewer, each judged by the access policy (programme.access.judge)
in a fixed number of queries however many sessions there are."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    FilteredRelation,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.dates import MONTHS

from accounts.models import User
from coaching.models import (
    ActionStep,
    AgreementStatus,
    CoachingTime,
    DialogueLog,
    DialogueLogVersion,
    LogAccess,
    ReleaseTimeTotal,
    SessionKind,
    action_step_kind_for,
    person_name,
    school_name,
    step_is_overdue,
)
from programme import access
from programme.access import Action
from programme.models import ContentArea, Enrolment, SchoolPlacement
from programme.rules.terms import Term
from programme.selectors import named
from ui.links import link_maker

judge = access.judge
readable = access.readable


# --- Timelines.


def _logs() -> QuerySet[DialogueLog]:
    return DialogueLog.objects.select_related("coach", "enrolment__participant").prefetch_related(
        "content_areas",
        "topics",
        "standards",
        Prefetch("action_steps", queryset=ActionStep.objects.select_related("owner")),
    )


@dataclass
class TimelineEntry:
    log: DialogueLog
    actions: frozenset[Action]

    @property
    def open_steps(self) -> int:
        return sum(1 for s in self.log.action_steps.all() if s.status == ActionStep.Status.OPEN)

    @property
    def overdue_steps(self) -> int:
        today = timezone.localdate()
        return sum(1 for s in self.log.action_steps.all() if s.is_overdue(today))


def timeline(
    user, enrolment: Enrolment, *, content_area_id: int | None = None, standard_id: int | None = None
) -> list[TimelineEntry]:
    """The sessions this person may read in full, newest first, optionally only those tagged with a
    content area or a standard."""
    logs = _logs().filter(enrolment=enrolment).order_by("-session_on", "-pk")
    if content_area_id is not None:
        logs = logs.filter(content_areas=content_area_id)
    if standard_id is not None:
        logs = logs.filter(standards=standard_id)
    return [TimelineEntry(log, actions) for log, actions in readable(user, logs) if Action.VIEW in actions]


def tutor_logs(
    user, *, content_area_id: int | None = None, standard_id: int | None = None, name: str = ""
) -> QuerySet[DialogueLog]:
    """The agreed logs this person may read of every participant they tutor today, newest first,
    optionally only those tagged with a content area or a standard, or of participants with this
    name. Drafts are never among them. The reading rule is part of the query
    (`access.readable_where`), so the database counts and pages it in one query
    (`ui.pagination.page_of_ids`: the page's ids with the list's length); nothing of the caseload
    comes back but one page's ids, whose rows `listed_logs` reads."""
    tutored = named(access.enrolments_for(user, access.Relation.TUTOR), name).order_by().values("pk")
    logs = DialogueLog.objects.filter(
        access.readable_where(user, access.RecordKind.DIALOGUE_LOG_AGREED, enrolment="enrolment", on="session_on"),
        enrolment_id__in=tutored,
        status=AgreementStatus.AGREED,
    )
    if content_area_id is not None:
        logs = logs.filter(content_areas=content_area_id)
    if standard_id is not None:
        logs = logs.filter(standards=standard_id)
    return logs.order_by("-session_on", "-pk")


@dataclass(frozen=True)
class ListedLog:
    """A log as a list of logs shows it: when, what kind, with whom, which content areas; no text."""

    pk: int
    session_on: datetime.date
    iso: str  # the date as a <time> element's datetime
    day: str  # the date as the page writes it
    kind: str
    participant: str
    content_areas: tuple[str, ...]
    url: str


def _day_writer():
    """A function writing a date as `date:"j F Y"` does, without a formatter per row (the month
    names translated once)."""
    months = {number: str(month) for number, month in MONTHS.items()}
    return lambda day: f"{day.day} {months[day.month]} {day.year}"


def listed_logs(ids: list[int]) -> list[ListedLog]:
    """The logs with these ids (one page of `tutor_logs`, judged by the policy in that query), in
    this order, with only the columns a list shows: two queries however long the list."""
    found = {
        row["pk"]: row
        for row in DialogueLog.objects.filter(pk__in=ids).values(
            "pk",
            "session_on",
            "kind",
            "enrolment__participant__first_name",
            "enrolment__participant__last_name",
            "enrolment__participant__email",
        )
    }
    rows = [found[pk] for pk in ids if pk in found]
    tagged = defaultdict(list)
    for log_id, number, short_name in DialogueLog.content_areas.through.objects.filter(
        dialoguelog_id__in=ids
    ).values_list("dialoguelog_id", "contentarea__number", "contentarea__short_name"):
        tagged[log_id].append((number, ContentArea.label_of(number, short_name)))
    link, kinds, day = link_maker("coaching:log_detail"), dict(SessionKind.choices), _day_writer()
    return [
        ListedLog(
            pk=row["pk"],
            session_on=row["session_on"],
            iso=row["session_on"].isoformat(),
            day=day(row["session_on"]),
            kind=kinds[row["kind"]],
            participant=User.name_of(
                row["enrolment__participant__first_name"],
                row["enrolment__participant__last_name"],
                row["enrolment__participant__email"],
            ),
            content_areas=tuple(label for _, label in sorted(tagged[row["pk"]])),
            url=link(row["pk"]),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class SessionSummary:
    """What a head or programme leader may know about a session: never its text."""

    session_on: datetime.date
    duration_minutes: int
    kind: str
    content_areas: tuple[str, ...]


@dataclass
class CoachingSummary:
    sessions: list[SessionSummary] = field(default_factory=list)

    @property
    def total_minutes(self) -> int:
        return sum(s.duration_minutes for s in self.sessions)


def summary(user, enrolment: Enrolment) -> CoachingSummary:
    """Agreed sessions as dates, durations, kinds and content areas. The text is not even read."""
    logs = (
        DialogueLog.objects.filter(enrolment=enrolment, status=AgreementStatus.AGREED)
        .only("pk", "enrolment_id", "session_on", "duration_minutes", "kind", "status")
        .prefetch_related("content_areas")
        .order_by("-session_on", "-pk")
    )
    return CoachingSummary(
        sessions=[
            SessionSummary(
                session_on=log.session_on,
                duration_minutes=log.duration_minutes,
                kind=SessionKind(log.kind).label,
                content_areas=tuple(str(a) for a in log.content_areas.all()),
            )
            for log, _ in readable(user, logs)
        ]
    )


def summary_of(log: DialogueLog) -> SessionSummary:
    return SessionSummary(
        session_on=log.session_on,
        duration_minutes=log.duration_minutes,
        kind=SessionKind(log.kind).label,
        content_areas=tuple(str(a) for a in log.content_areas.all()),
    )


# --- Action steps and versions.


@dataclass
class ActionStepEntry:
    step: ActionStep
    actions: frozenset[Action]


def action_steps(user, enrolment: Enrolment) -> tuple[list[ActionStepEntry], list[ActionStepEntry]]:
    """(open, closed) action steps the viewer may read in full, open ones soonest due first."""
    steps = ActionStep.objects.filter(enrolment=enrolment).select_related("log", "owner").order_by("due_on", "pk")
    entries = [ActionStepEntry(s, a) for s, a in readable(user, steps) if Action.VIEW in a]
    open_steps = [e for e in entries if e.step.status == ActionStep.Status.OPEN]
    closed = [e for e in entries if e.step.status != ActionStep.Status.OPEN]
    return open_steps, closed


def versions(user, log: DialogueLog) -> list[DialogueLogVersion]:
    qs = DialogueLogVersion.objects.filter(log=log).select_related("created_by", "log").order_by("-number")
    return [v for v, actions in readable(user, qs) if Action.VIEW in actions]


# --- Release time (programme Q33): minutes per participant and per coach per term.
#
# Only agreed logs count: a draft is not yet a record both people stand behind, and a head or
# programme leader may not see it at all. The sums are kept (coaching.models.CoachingTime and
# ReleaseTimeTotal, rewritten by coaching.services.release_time_recount), so a page reads one page
# of rows; the term of a session is `Term.of` its day (programme.rules.terms).


@dataclass
class TimeRow:
    term: Term
    role: str  # "Participant" or "Coach"
    person_id: int
    name: str
    school: str
    sessions: int = 0
    minutes: int = 0

    @property
    def hours(self) -> str:
        return f"{self.minutes // 60}h {self.minutes % 60:02d}m"


@dataclass
class ReleaseTime:
    """The rows of release time as a sequence the paginator reads a page at a time: a query or two to
    count them and one for the page, however many sessions there are."""

    relation: access.Relation
    query: QuerySet | None  # one dict per row, newest term first
    counted: list[QuerySet] = field(default_factory=list)  # the rows of each role

    def count(self) -> int:
        return sum(found.count() for found in self.counted)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if self.query is None:
            return [][index]
        if isinstance(index, slice):
            return [self._row(found) for found in self.query[index]]
        return self._row(self.query[index])

    def __iter__(self):
        return iter(self[:] if self.query is not None else [])

    @property
    def rows(self) -> list[TimeRow]:
        """Every row: for the CSV export."""
        return list(self)

    @staticmethod
    def _row(found: dict) -> TimeRow:
        return TimeRow(
            Term.numbered(found["school_year"], found["term_order"]),
            ReleaseTimeTotal.Role(found["rank"]).label,
            found["person_id"],
            found["name"],
            found["school_name"],
            found["sessions"],
            found["minutes"],
        )


def _named(rows: QuerySet, path: str, words: list[str]) -> QuerySet:
    if words:
        rows = rows.alias(name=person_name(path))
        for word in words:
            rows = rows.filter(name__icontains=word)
    return rows


_NO_SCHOOL = school_name("school")
_ORDER = ("-school_year", "-term_order", "school_name", "rank", "name", "person_id")
_ROW = ("school_year", "term_order", "school_name", "rank", "person_id", "name")


def release_time(
    user,
    relation: access.Relation,
    *,
    school_id: int | None = None,
    name: str = "",
) -> ReleaseTime:
    """Minutes of agreed coaching sessions per term, for each participant and each coach, as this
    person may see them in this relation: their own as participant or coach; their school's (the
    sessions held while the participant was placed there) as head; every school's, or one's, as
    programme leader; only the people whose name contains every word of `name`, if given. Dates
    and minutes only: no text of any log is read. Each session counts for whoever the access policy
    lets read it on its own day."""
    R = access.Relation
    if not access.holds(user, relation) or relation not in _RELEASE_TIME_ROLES:
        return ReleaseTime(relation, None)
    words = name.lower().split()
    kind = access.RecordKind.DIALOGUE_LOG_AGREED
    at_schools = Q()
    if relation == R.HEAD:
        # The schools named rather than a subquery: one school's rows are then read in order from an index.
        schools = sorted(set(access.headships(user).values_list("school_id", flat=True)))
        at_schools = Q(school_id=schools[0]) if len(schools) == 1 else Q(school_id__in=schools)
    if not access.reads_all(user, kind):
        # Not everything is theirs to read: each participant's time with each coach in a term is
        # judged whole by the policy. If one is readable only in part (a period that began or ended
        # within its span), the sessions themselves are judged, a page of sums at a time.
        shares = CoachingTime.objects.all()
        if relation == R.PARTICIPANT:
            shares = shares.filter(enrolment__participant=user)
        elif relation == R.COACH:
            shares = shares.filter(coach=user)
        else:
            shares = shares.filter(at_schools)
        whole = access.readable_throughout_where(user, kind, enrolment="enrolment", starts="first_on", ends="last_on")
        if shares.exclude(whole).exists():
            return release_time_from_logs(user, relation, words=words)
    # Every session behind the rows is theirs to read: the page reads the stored totals.
    rows = ReleaseTimeTotal.objects.all()
    if relation == R.PARTICIPANT:
        rows = rows.filter(role=ReleaseTimeTotal.Role.PARTICIPANT, person=user)
    elif relation == R.COACH:
        rows = rows.filter(role=ReleaseTimeTotal.Role.COACH, person=user)
    elif relation == R.HEAD:
        rows = rows.filter(at_schools)
    elif school_id is not None:
        rows = rows.filter(school_id=school_id)
    rows = _named(rows, "person", words)
    # In the order of the names kept with the rows (ReleaseTimeTotal.ORDER, an index), shown as they are now.
    query = rows.annotate(school_name=_NO_SCHOOL, name=person_name("person"), rank=F("role")).values(
        *_ROW, "sessions", "minutes"
    )
    return ReleaseTime(relation, query.order_by(*ReleaseTimeTotal.ORDER), [rows])


class _Month(ExtractMonth):
    """On SQLite, where a date is stored as YYYY-MM-DD text, the month is read from the text: Django's
    date function is Python, called for every log."""

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"CAST(substr({sql}, 6, 2) AS INTEGER)", params


class _Year(ExtractYear):
    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"CAST(substr({sql}, 1, 4) AS INTEGER)", params


def release_time_from_logs(user, relation: access.Relation, *, words: list[str] = ()) -> ReleaseTime:
    """Release time summed from the agreed logs themselves, each judged on its own day: for a
    participant, coach or head one of whose rows the policy lets them read only in part. The terms
    here are `Term.of`'s, worked out by the database (a test holds them equal at every boundary)."""
    R = access.Relation
    logs = DialogueLog.objects.filter(status=AgreementStatus.AGREED).filter(
        access.readable_where(user, access.RecordKind.DIALOGUE_LOG_AGREED, enrolment="enrolment", on="session_on")
    )
    # The participant's placement on the day of the session, joined rather than a subquery per log
    # (placements of one participant never overlap: the services refuse it).
    logs = logs.alias(
        month=_Month("session_on"),
        placed=FilteredRelation(
            "enrolment__school_placements",
            condition=Q(enrolment__school_placements__starts_on__lte=F("session_on"))
            & (
                Q(enrolment__school_placements__ends_on__isnull=True)
                | Q(enrolment__school_placements__ends_on__gte=F("session_on"))
            ),
        ),
    ).annotate(
        school_id_on=F("placed__school_id"),
        school_name=Coalesce(F("placed__school__name"), Value("No school recorded"), output_field=CharField()),
        school_year=Case(When(Q(month__gte=9), then=_Year("session_on")), default=_Year("session_on") - 1),
        term_order=Case(When(Q(month__gte=9), then=Value(0)), When(Q(month__lte=3), then=Value(1)), default=Value(2)),
    )
    if relation == R.PARTICIPANT:
        logs = logs.filter(enrolment__in=access.enrolments_for(user, R.PARTICIPANT))
    elif relation == R.COACH:
        logs = logs.filter(coach=user)
    elif relation == R.HEAD:
        # Time at another school is that school's: only sessions held while placed at one of theirs
        # (the participants ever placed there first, so the database reads only their logs).
        schools = access.headships(user).values("school_id")
        logs = logs.filter(
            enrolment__in=SchoolPlacement.objects.filter(school_id__in=schools).values("enrolment_id"),
            school_id_on__in=schools,
        )
    people = {ReleaseTimeTotal.Role.PARTICIPANT: "enrolment__participant", ReleaseTimeTotal.Role.COACH: "coach"}
    if relation == R.PARTICIPANT:
        people.pop(ReleaseTimeTotal.Role.COACH)
    elif relation == R.COACH:
        people.pop(ReleaseTimeTotal.Role.PARTICIPANT)
    grouped, counted = [], []
    for rank, path in people.items():
        found = _named(logs, path, list(words)).annotate(person_id=F(f"{path}_id"))
        # Counting the rows needs neither names nor sums.
        counted.append(found.values("school_year", "term_order", "school_name", "person_id").distinct().order_by())
        grouped.append(
            found.annotate(name=person_name(path), rank=Value(int(rank)))
            .values(*_ROW)
            .annotate(sessions=Count("pk"), minutes=Sum("duration_minutes"))
            .order_by()
        )
    query = grouped[0] if len(grouped) == 1 else grouped[0].union(*grouped[1:], all=True)
    return ReleaseTime(relation, query.order_by(*_ORDER), counted)


_RELEASE_TIME_ROLES = frozenset(
    {access.Relation.PARTICIPANT, access.Relation.COACH, access.Relation.HEAD, access.Relation.PROGRAMME_LEADER}
)


# --- The participants someone follows (the Coaching page's lists).


@dataclass(frozen=True)
class ListedParticipant:
    """A participant as the Coaching page lists them: a name and where it leads."""

    pk: int
    name: str
    url: str


_FOLLOWED_LINKS = {
    access.Relation.HEAD: "coaching:summary",
    access.Relation.PROGRAMME_LEADER: "coaching:summary",
}


def followed(user, relation: access.Relation, *, name: str = "") -> QuerySet:
    """The participants this person holds `relation` to today, by surname, as rows of the three
    columns a name needs; only those whose first or last name contains every word of `name`. Page it,
    then `listed_participants` makes a page's rows."""
    return (
        named(access.enrolments_for(user, relation), name)
        .order_by("participant__last_name", "participant__first_name", "pk")
        .values_list("pk", "participant__first_name", "participant__last_name", "participant__email")
    )


def listed_participants(relation: access.Relation, rows) -> list[ListedParticipant]:
    """A page of `followed` rows with their names and links, without a model instance or a URL
    reversal per row: a head or programme leader is led to the summary, anyone else to the timeline."""
    link = link_maker(_FOLLOWED_LINKS.get(relation, "coaching:timeline"))
    return [ListedParticipant(pk, User.name_of(first, last, email), link(pk)) for pk, first, last, email in rows]


# --- The coach's "my coachees".


@dataclass
class CoacheeOverview:
    last_session_on: datetime.date | None = None
    next_session_on: datetime.date | None = None
    next_session_at: datetime.time | None = None
    open_steps: int = 0
    overdue_steps: int = 0
    drafts: int = 0
    covered_area_ids: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class _LogRow(LogAccess):
    """A coachee's log read as values, judged by `access.readable` as the log (LogAccess)."""

    pk: int
    enrolment_id: int
    session_on: datetime.date
    status: str
    next_session_on: datetime.date | None
    next_session_at: datetime.time | None


@dataclass(frozen=True)
class _StepRow:
    """An open action step read as values, judged as the step (its kind follows its log's)."""

    pk: int
    enrolment_id: int
    owner_id: int
    status: str
    due_on: datetime.date
    log_status: str
    log_session_on: datetime.date

    @property
    def access_kind(self):
        return action_step_kind_for(self.log_status)

    @property
    def access_owner_id(self) -> int:
        return self.owner_id

    @property
    def access_enrolment_id(self) -> int:
        return self.enrolment_id

    @property
    def access_date(self) -> datetime.date:
        return self.log_session_on


def coachee_overview(user, enrolments) -> dict[int, CoacheeOverview]:
    """For each participant on the coach's page: the last and next session, open and overdue action
    steps, drafts not yet agreed, and which content areas agreed logs have covered so far. Judged by
    the access policy, in a fixed number of queries however many participants and sessions; the
    logs and steps are read as values (a model per log cost more than the rest of the work)."""
    ids = [e.pk for e in enrolments]
    today = timezone.localdate()
    overview = {pk: CoacheeOverview() for pk in ids}
    logs = [
        _LogRow(*row)
        for row in DialogueLog.objects.filter(enrolment_id__in=ids)
        .order_by()
        .values_list("pk", "enrolment_id", "session_on", "status", "next_session_on", "next_session_at")
    ]
    readable_logs = {log.pk: log for log, _ in access.readable(user, logs)}
    areas = DialogueLog.content_areas.through.objects.filter(
        dialoguelog_id__in=[pk for pk, log in readable_logs.items() if log.is_agreed]
    ).values_list("dialoguelog_id", "contentarea_id")
    for log_id, area_id in areas:
        overview[readable_logs[log_id].enrolment_id].covered_area_ids.add(area_id)
    # Only the latest plan stands: a later log's plan replaces (and cancels) an earlier one's.
    latest_plan: dict[int, _LogRow] = {}
    for log in readable_logs.values():
        o = overview[log.enrolment_id]
        if log.session_on <= today and (o.last_session_on is None or log.session_on > o.last_session_on):
            o.last_session_on = log.session_on
        planned = latest_plan.get(log.enrolment_id)
        if log.next_session_on is not None and (
            planned is None or (log.session_on, log.pk) > (planned.session_on, planned.pk)
        ):
            latest_plan[log.enrolment_id] = log
        if not log.is_agreed:
            o.drafts += 1
    for enrolment_id, log in latest_plan.items():
        if log.next_session_on >= today:
            overview[enrolment_id].next_session_on = log.next_session_on
            overview[enrolment_id].next_session_at = log.next_session_at
    steps = [
        _StepRow(*row)
        for row in ActionStep.objects.filter(enrolment_id__in=ids, status=ActionStep.Status.OPEN)
        .order_by()
        .values_list("pk", "enrolment_id", "owner_id", "status", "due_on", "log__status", "log__session_on")
    ]
    for step, _ in access.readable(user, steps):
        o = overview[step.enrolment_id]
        o.open_steps += 1
        o.overdue_steps += step_is_overdue(step.status, step.due_on, today)
    return overview
