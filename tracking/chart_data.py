"""The numbers behind the charts (tracking.charts): counts over the participants this person tracks
(access.enrolments_for: a head's schools today, or every participant for the programme leader,
narrowed by the same filters as the table), never a record's words or a person's name.

Each chart's numbers come from a fixed number of queries however many participants there are,
and every count of records is limited to those the reader may read (access.readable_where).
Each result carries a table (caption, headings, rows) and a sentence summing it up, which the
page shows beside the chart: the chart is never the only way to the numbers.

Counted once, shown several times: the page and each of its five images (separate requests) read
the same counts from Django's cache (Redis in production) for COUNTED_FOR seconds, keyed on whose
numbers they are (`_scope`), the filters and the day; each chart says when it was counted. See
`charts_for`."""

import datetime
import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import BigIntegerField, Count, F, OuterRef, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce, Lead, RowNumber, TruncDate, TruncMonth
from django.utils import timezone

from assessment.rules.marks import Outcome
from assessment.selectors.marking import released_results
from coaching.models import AgreementStatus, DialogueLog
from programme import access
from programme.access import RecordKind, Relation
from programme.models import ContentArea, Enrolment, Phase, PhaseChange, SchoolPlacement
from tracking import selectors
from tracking.risks import Thresholds
from tracking.selectors import Filters

COACHING_DAYS = 90
# The coaching chart draws a bar per school up to this many; across more (a provider has hundreds),
# the schools with the fewest sessions per participant, the ones to look into: a bar for each of
# 6,000 schools could not be read, nor its table, and made the page 2 MB.
SCHOOLS_SHOWN = 20


def _draw():
    """tracking.charts, imported when a chart is first drawn: matplotlib takes a second or two to
    load, which no other page, manage.py command or worker should wait for."""
    from tracking import charts

    return charts


@dataclass
class Chart:
    slug: str
    title: str
    summary: str
    caption: str
    headings: list[str]
    rows: list[list] = field(default_factory=list)
    numeric_from: int = 1  # columns from this one on hold numbers (right-aligned)
    # What to draw: the name of a tracking.charts function and its arguments (plain lists and
    # numbers, so a chart can be kept in the cache and the drawing keyed on them).
    drawing: tuple[str, tuple] = ("", ())
    counted_at: datetime.datetime | None = None  # set by charts_for

    def draw(self) -> str:
        """The SVG text, drawn now (see `svg` for the kept copy)."""
        name, args = self.drawing
        return getattr(_draw(), name)(*args)


def scoped_enrolments(user, relation: Relation, filters: Filters, today: datetime.date) -> QuerySet[Enrolment]:
    """The participants this person tracks today, narrowed by the table's filters."""
    if filters == Filters():
        return access.enrolments_for(user, relation, today)
    found = selectors.participants(
        user, relation, filters=filters, sort="name", descending=False, t=Thresholds.load(today)
    )
    return Enrolment.objects.filter(pk__in=found.order_by().values("pk"))


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def participants_by_phase(enrolments: QuerySet[Enrolment]) -> Chart:
    phases = list(Phase.objects.order_by("number"))
    found = dict(enrolments.order_by().values_list("current_phase").annotate(n=Count("pk")))
    counts = [(f"Phase {p.number}", found.get(p.pk, 0)) for p in phases]
    total = sum(n for _, n in counts)
    if total:
        label, most = max(counts, key=lambda c: c[1])
        tied = [lab for lab, n in counts if n == most]
        if len(tied) > 1:
            summary = f"{' and '.join(tied)} have the most participants ({most} each of {total})."
        else:
            summary = f"Most participants are in {label.lower()} ({most} of {total})."
    else:
        summary = "There are no participants to count."
    return Chart(
        slug="phases",
        title="Participants by phase",
        summary=summary,
        caption="Participants in each phase today",
        headings=["Phase", "Participants"],
        rows=[[label, n] for label, n in counts],
        drawing=("participants_by_phase", (counts,)),
    )


def _agreed_logs(user, enrolments: QuerySet[Enrolment]) -> QuerySet[DialogueLog]:
    readable = access.readable_where(user, RecordKind.DIALOGUE_LOG_AGREED, enrolment="enrolment", on="session_on")
    return DialogueLog.objects.filter(
        readable, enrolment__in=enrolments.order_by().values("pk"), status=AgreementStatus.AGREED
    )


def _coverage_counts(logs: QuerySet[DialogueLog]) -> list[tuple[int, int, int]]:
    """(content area, phase, sessions) for these logs, each counted in the phase its participant was
    in on the session's day, as `portfolio.coverage.phase_on_session_day` decides it (a test holds
    the two to the same answer): the phase the latest change decided on or before that day moved to,
    else the phase the first change left, else the current phase.

    One pass, not a lookup per session: each participant's changes become date ranges (the day of
    a change up to the day of the next, by a window function), and the sessions' content areas are
    joined to the range their day falls in, and to the first change, in one grouped query. The parts
    are the ORM's own SQL (so the change's day is the local day `__date` gives, on either database);
    only the join of them is written here, since the ORM joins no two querysets on a range."""
    in_order = [F("decided_at").asc(), F("pk").asc()]
    changes = PhaseChange.objects.filter(enrolment__in=logs.order_by().values("enrolment"))
    ranges = changes.annotate(
        r_enrolment=F("enrolment"),
        r_phase=F("to_phase"),
        r_from=TruncDate("decided_at"),
        r_until=Window(Lead(TruncDate("decided_at")), partition_by=[F("enrolment")], order_by=in_order),
    ).values("r_enrolment", "r_phase", "r_from", "r_until")
    firsts = (
        changes.annotate(
            f_enrolment=F("enrolment"),
            f_phase=F("from_phase"),
            f_position=Window(RowNumber(), partition_by=[F("enrolment")], order_by=in_order),
        )
        .filter(f_position=1)
        .values("f_enrolment", "f_phase")
    )
    # Each log's content areas, joined to the logs as they are filtered (one pass over the logs).
    sessions = (
        logs.filter(content_areas__isnull=False)
        .annotate(
            s_area=F("content_areas"),
            s_enrolment=F("enrolment"),
            s_on=F("session_on"),
            s_current=F("enrolment__current_phase"),
        )
        .values("s_area", "s_enrolment", "s_on", "s_current")
    )
    parts, params = [], []
    for queryset in (sessions, ranges, firsts):
        sql, part_params = queryset.order_by().query.sql_with_params()
        parts.append(sql)
        params.extend(part_params)
    # A session's (log, area) pair is one row of `sessions`, and its day falls in at most one range
    # (ranges of changes decided on the same day are empty but the last), so COUNT(*) counts sessions.
    # The parts are the ORM's SQL, and every value is a parameter.
    query = f"""
        SELECT s.s_area, COALESCE(r.r_phase, f.f_phase, s.s_current), COUNT(*)
        FROM ({parts[0]}) s
        LEFT JOIN ({parts[1]}) r
          ON r.r_enrolment = s.s_enrolment AND r.r_from <= s.s_on AND (r.r_until IS NULL OR s.s_on < r.r_until)
        LEFT JOIN ({parts[2]}) f ON f.f_enrolment = s.s_enrolment
        GROUP BY s.s_area, COALESCE(r.r_phase, f.f_phase, s.s_current)
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return [tuple(row) for row in cursor.fetchall()]


def coverage(user, enrolments: QuerySet[Enrolment], today: datetime.date) -> Chart:
    """Agreed coaching sessions held so far by content area and by the phase the participant was in
    on the session's day (as each participant's coverage page counts them)."""
    phases = list(Phase.objects.order_by("number"))
    areas = list(ContentArea.objects.order_by("number"))
    logs = _agreed_logs(user, enrolments).filter(session_on__lte=today)
    links = _coverage_counts(logs)
    found = {(area_id, phase_id): n for area_id, phase_id, n in links}
    counts = [[found.get((a.pk, p.pk), 0) for p in phases] for a in areas]
    phase_labels = [f"Phase {p.number}" for p in phases]
    area_labels = [str(a) for a in areas]
    total = sum(sum(row) for row in counts)
    if total:
        per_area = [(sum(row), str(a)) for row, a in zip(counts, areas, strict=True)]
        most = max(per_area, key=lambda c: c[0])
        none = [name for n, name in per_area if n == 0]
        summary = f"{most[1]} is covered most ({_plural(most[0], 'session')})"
        summary += f"; {_plural(len(none), 'content area')} with no session yet." if none else "."
    else:
        summary = "No agreed coaching session covers a content area yet."
    return Chart(
        slug="coverage",
        title="Coaching coverage by content area and phase",
        summary=summary,
        caption="Agreed coaching sessions by content area and phase",
        headings=["Content area", *phase_labels],
        rows=[[label, *row] for label, row in zip(area_labels, counts, strict=True)],
        drawing=("coverage_heatmap", (area_labels, phase_labels, counts)),
    )


def coaching_by_school(user, relation: Relation, enrolments: QuerySet[Enrolment], today: datetime.date) -> Chart:
    """Agreed sessions per participant in the last 90 days at each school the participants are
    placed at today."""
    placements = SchoolPlacement.objects.covering(today).filter(enrolment__in=enrolments.order_by().values("pk"))
    if relation == Relation.HEAD:
        # A participant placed at two schools: the head sees only their own school's numbers.
        placements = placements.filter(school__in=access.headships(user, today).values("school"))
    people = {
        school_id: (name, n)
        for school_id, name, n in placements.order_by()
        .values_list("school", "school__name")
        .annotate(n=Count("enrolment", distinct=True))
    }
    recent = _agreed_logs(user, enrolments).filter(
        session_on__lte=today, session_on__gt=today - datetime.timedelta(days=COACHING_DAYS)
    )
    per_school = dict(
        recent.filter(enrolment__school_placements__in=placements.values("pk"))
        .order_by()
        .values_list("enrolment__school_placements__school")
        .annotate(n=Count("pk", distinct=True))
    )
    rows = sorted(
        ((name, n, per_school.get(school_id, 0)) for school_id, (name, n) in people.items()),
        key=lambda r: r[0],
    )
    schools = len(rows)
    caption = f"Agreed coaching sessions in the last {COACHING_DAYS} days by school"
    if schools > SCHOOLS_SHOWN:
        rows = sorted(rows, key=lambda r: (r[2] / r[1] if r[1] else 0.0, r[0]))[:SCHOOLS_SHOWN]
        caption = (
            f"The {SCHOOLS_SHOWN} schools of {schools} with the fewest agreed coaching sessions per participant "
            f"in the last {COACHING_DAYS} days"
        )
    rates = [(name, round(held / n, 1) if n else 0.0) for name, n, held in rows]
    if rows:
        low = min(rates, key=lambda r: r[1])
        summary = (
            f"{low[0]} has the fewest agreed sessions per participant in the last {COACHING_DAYS} days ({low[1]:.1f})."
            if schools > 1
            else f"{rows[0][0]} has {rates[0][1]:.1f} agreed sessions per participant in the last {COACHING_DAYS} days."
        )
        if schools > SCHOOLS_SHOWN:
            summary += f" Shown: the {SCHOOLS_SHOWN} of {schools} schools with the fewest."
    else:
        summary = "No participant is placed at a school today."
    return Chart(
        slug="coaching",
        title=f"Coaching in the last {COACHING_DAYS} days by school",
        summary=summary,
        caption=caption,
        headings=["School", "Participants", "Agreed sessions", "Sessions per participant"],
        rows=[[name, n, held, f"{rate:.1f}"] for (name, n, held), (_, rate) in zip(rows, rates, strict=True)],
        drawing=("coaching_by_school", (rates,)),
    )


def outcomes(user, enrolments: QuerySet[Enrolment]) -> Chart:
    """Released results of each assessed task: passes, referrals and fails. Unreleased marks are
    never counted."""
    readable = access.readable_where(
        user, RecordKind.MARKS_RELEASED, enrolment="submission__enrolment", on="submission__dated_on"
    )
    # One result per piece of work: an agreed mark from moderation, not the first marks it replaced.
    released = (
        released_results()
        .filter(
            readable,
            submission__enrolment__in=enrolments.order_by().values("pk"),
        )
        .exclude(outcome="")
    )
    found = (
        released.order_by()
        .values_list("submission__task", "submission__task__title", "outcome")
        .annotate(n=Count("pk"))
        .order_by("submission__task__title", "submission__task")
    )
    tasks: dict[int, dict] = {}
    for task_id, title, outcome, n in found:
        tasks.setdefault(task_id, {"title": title, **dict.fromkeys(Outcome.values, 0)})[outcome] += n
    titles = [t["title"] for t in tasks.values()]
    passes = [t[Outcome.PASS] for t in tasks.values()]
    refers = [t[Outcome.REFER] for t in tasks.values()]
    fails = [t[Outcome.FAIL] for t in tasks.values()]
    total = sum(passes) + sum(refers) + sum(fails)
    if total:
        summary = (
            f"{sum(passes)} of {_plural(total, 'released result')} are passes, "
            f"{sum(refers)} referred for resubmission and {sum(fails)} fails."
        )
    else:
        summary = "No results have been released yet."
    return Chart(
        slug="outcomes",
        title="Released results by task",
        summary=summary,
        caption="Released results of each assessed task",
        headings=["Task", "Pass", "Refer", "Fail"],
        rows=[[t["title"], t[Outcome.PASS], t[Outcome.REFER], t[Outcome.FAIL]] for t in tasks.values()],
        drawing=("outcomes_by_task", (titles, passes, refers, fails)),
    )


HISTORY_MONTHS = 24


def month_ends(today: datetime.date, months: int = HISTORY_MONTHS) -> list[datetime.date]:
    """The first day of each of the last `months` months, this one last: each stands for its month's
    end (today, for this month)."""
    firsts = []
    year, month = today.year, today.month
    for _ in range(months):
        firsts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return firsts[::-1]


def _month_of(value) -> datetime.date:
    """A truncated month as a date, from a date or an aware datetime (in the portal's time zone)."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.replace(day=1)


def phases_over_time(enrolments: QuerySet[Enrolment], today: datetime.date) -> Chart:
    """Participants in each phase at the end of each of the last 24 months (this month: today), from
    the phase changes' dates: each participant counts from the month they started the programme, in
    the phase they started in (the phase their first change left, or the one they are in if it has
    never changed), and moves at each change. The database groups the starts and the changes by
    month (two queries however many participants); the months' running totals are added up here.
    Everyone in the filtered set counts, whatever their status today, as the phase chart counts
    them: a status has no dates to go back through."""
    phases = list(Phase.objects.order_by("number"))
    scope = enrolments.order_by().values("pk")
    first_change = PhaseChange.objects.filter(enrolment=OuterRef("pk")).order_by("decided_at", "pk")
    starts = (
        Enrolment.objects.filter(pk__in=scope, programme_started_on__lte=today)
        .annotate(
            month=TruncMonth("programme_started_on"),
            phase=Coalesce(
                Subquery(first_change.values("from_phase")[:1]), F("current_phase"), output_field=BigIntegerField()
            ),
        )
        .order_by()
        .values_list("month", "phase")
        .annotate(n=Count("pk"))
    )
    changes = (
        PhaseChange.objects.filter(enrolment__in=scope, decided_at__date__lte=today)
        .annotate(month=TruncMonth("decided_at"))
        .order_by()
        .values_list("month", "from_phase", "to_phase")
        .annotate(n=Count("pk"))
    )
    moves: list[tuple[datetime.date, int, int]] = [(_month_of(m), phase, n) for m, phase, n in starts]
    for month, left, entered, n in changes:
        moves += [(_month_of(month), left, -n), (_month_of(month), entered, n)]
    months = month_ends(today)
    series = {p.pk: [0] * len(months) for p in phases}
    for month, phase, n in moves:
        for i, end in enumerate(months):
            if month <= end and phase in series:
                series[phase][i] += n
    labels = [f"{m:%b %Y}" for m in months]
    named = [(f"Phase {p.number}", series[p.pk]) for p in phases]
    if any(any(values) for _, values in named):
        parts = [f"{name.lower()} from {values[0]} to {values[-1]}" for name, values in named]
        parts[0] = parts[0].replace(" from ", " went from ", 1) + " participants"
        listed = f"{', '.join(parts[:-1])} and {parts[-1]}" if len(parts) > 1 else parts[0]
        summary = f"Over the last {len(months)} months, {listed}."
    else:
        summary = "There are no participants to count."
    return Chart(
        slug="history",
        title="Participants by phase over time",
        summary=summary,
        caption=f"Participants in each phase at the end of each month (this month: today), last {len(months)} months",
        headings=["Month", *(name for name, _ in named)],
        rows=[[label, *(values[i] for _, values in named)] for i, label in enumerate(labels)],
        drawing=("phases_over_time", (labels, named)),
    )


SLUGS = ("phases", "history", "coverage", "coaching", "outcomes")  # in the page's order

# How long counted charts are kept. Counting the provider's charts reads every agreed session ever
# held (134,760 session-area rows at 5,000 participants): a few hundred milliseconds that the page
# and each of its five images would otherwise spend again, and every leader again. Five minutes
# is short beside what the charts show (phases over months, sessions over 90 days), and each chart
# says when it was counted. The drawn SVG is kept as long, keyed on the numbers it shows.
COUNTED_FOR = 5 * 60
# Part of every key: raise it when a Chart's fields or a drawing change, so a deployment never reads
# what the code before it kept.
CACHE_VERSION = 1


def _scope(user, relation: Relation, today: datetime.date) -> str:
    """Whose numbers these are, for the cache key. Every programme leader sees every participant and
    record (`access.enrolments_for` and `access.readable_where` ask nothing of the person), so the
    provider's charts are counted once for all of them. A head's depend on the person (their
    headships and, through `readable_where`, the days each began), so theirs are kept under their
    own id and the schools they head today: a head never reads another's, and a headship that ends
    stops its numbers at once."""
    if relation == Relation.PROGRAMME_LEADER:
        return "provider"
    schools = sorted(access.headships(user, today).values_list("school", flat=True))
    return f"{relation.value}:{user.pk}:{'-'.join(map(str, schools))}"


def _key(scope: str, filters: Filters, today: datetime.date, slug: str) -> str:
    # The filters as text (a frozen dataclass of numbers and short strings), hashed to keep keys short.
    filtered = hashlib.sha256(repr(filters).encode()).hexdigest()[:16]
    return f"tracking:charts:{CACHE_VERSION}:{scope}:{today.isoformat()}:{filtered}:{slug}"


def _count(slug: str, user, relation: Relation, enrolments: QuerySet[Enrolment], today: datetime.date) -> Chart:
    if slug == "phases":
        return participants_by_phase(enrolments)
    if slug == "history":
        return phases_over_time(enrolments, today)
    if slug == "coverage":
        return coverage(user, enrolments, today)
    if slug == "coaching":
        return coaching_by_school(user, relation, enrolments, today)
    return outcomes(user, enrolments)


def _now() -> datetime.datetime:
    """The clock the charts are counted by (tests put their own in its place)."""
    return timezone.now()


def charts_for(
    user,
    relation: Relation,
    filters: Filters,
    slugs: tuple[str, ...] = SLUGS,
    now: datetime.datetime | None = None,
) -> list[Chart]:
    """These charts for this person and filters: those counted in the last COUNTED_FOR seconds for
    the same scope, filters and day are read from the cache (one round trip for all of them), the
    others counted now (`now`, injected by tests, is when) and kept. Unknown slugs are left out."""
    now = now or _now()
    today = timezone.localdate(now)
    slugs = tuple(slug for slug in slugs if slug in SLUGS)
    if not slugs:
        return []
    scope = _scope(user, relation, today)
    keys = {slug: _key(scope, filters, today, slug) for slug in slugs}
    kept = cache.get_many(list(keys.values()))
    missing = [slug for slug in slugs if keys[slug] not in kept]
    if missing:
        enrolments = scoped_enrolments(user, relation, filters, today)
        counted = {}
        for slug in missing:
            chart = _count(slug, user, relation, enrolments, today)
            chart.counted_at = now
            counted[keys[slug]] = chart
        cache.set_many(counted, COUNTED_FOR)
        kept.update(counted)
    return [kept[keys[slug]] for slug in slugs]


def svg(chart: Chart) -> str:
    """The chart's SVG, drawn once for the same numbers and kept for COUNTED_FOR seconds. The key is
    a digest of what is drawn, so it holds nothing but that drawing, whoever asked first (the same
    numbers always give the same file: tracking.charts)."""
    digest = hashlib.sha256(repr(chart.drawing).encode()).hexdigest()
    key = f"tracking:chart-svg:{CACHE_VERSION}:{digest}"
    drawn = cache.get(key)
    if drawn is None:
        drawn = chart.draw()
        cache.set(key, drawn, COUNTED_FOR)
    return drawn
