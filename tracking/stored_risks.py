"""Each participant's at-risk reasons, kept (`tracking.models.ParticipantRisk`) so the tables filter
and sort by risk with a join rather than working out eight reasons for every participant on each
request (docs/performance.md). The rule functions in `tracking.risks` stay the single source: the
stored flags are their filters, run by the database in one INSERT ... SELECT.

When the flags are refreshed:

- **Whenever they are read for today** (`ensure_current`, one query on every table request):
  any enrolment with no row, or a row judged on another day or with other thresholds, is judged
  again. So a new day (the date-driven reasons), a change of the provider's thresholds and a new
  enrolment are right at once, even if the nightly run did not happen.
- **Nightly** (celery beat, `tracking.tasks.refresh_risks`, 00:01): everyone, so the first reader
  of the day does not wait for it.
- **After each write that can change a reason**, for the participants it concerns: a
  `transaction.on_commit` hook (below, connected in `TrackingConfig.ready`) on saving or deleting a
  dialogue log, an action step, a submission, a marking, an extension, a coach's or tutor's
  assignment, an enrolment (its phase, cohort or first post) or an assessment task (its cohort's
  participants). Every write path of those records goes through `save()` or `delete()` (the
  services, the CMS's forms); the one queryset UPDATE among them, of an enrolment's status, needs
  no refresh since the status is read with the enrolment. Bulk loads (`seed_scale`) refresh
  everyone at the end (`manage.py refresh_risks`).

A test holds the stored flags to the computed ones after each kind of write
(`tests/tracking/test_stored_risks.py`).
"""

import logging

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from programme.models import Enrolment
from tracking import risks
from tracking.models import ParticipantRisk
from tracking.risks import REASONS, Thresholds

log = logging.getLogger(__name__)

_FLAGS = [reason.key for reason in REASONS]
_COLUMNS = ["enrolment_id", "judged_on", "weeks_without_session", "months_before_limit", *_FLAGS, "count"]


def _current(t: Thresholds):
    return ParticipantRisk.objects.filter(
        judged_on=t.today, weeks_without_session=t.weeks_without_session, months_before_limit=t.months_before_limit
    )


def risks_refresh(*, t: Thresholds, where: Q | None = None, only_stale: bool = False) -> None:
    """Judge the enrolments matching `where` (every one when None; with `only_stale`, only those
    whose row is missing or not judged with `t`) and store their flags: one statement, the database
    running each reason's filter once per enrolment."""
    enrolments = Enrolment.objects.all()
    if where is not None:
        enrolments = enrolments.filter(where)
    if only_stale:
        enrolments = enrolments.filter(pk__in=_stale(t).values("pk"))
    judged = (
        enrolments.order_by("pk")
        .annotate(judged_id=F("pk"), **risks.reasons_holding(t))
        .values_list("judged_id", *_FLAGS)
    )
    inner, params = judged.query.sql_with_params()
    # The subquery is a fence on PostgreSQL (OFFSET 0), so each reason is worked out once, not
    # again inside the count; SQLite has no such planner concern for the tests.
    fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
    count = " + ".join(f"(CASE WHEN j.{key} THEN 1 ELSE 0 END)" for key in _FLAGS)
    quoted = ", ".join(connection.ops.quote_name(c) for c in _COLUMNS)
    updates = ", ".join(
        f"{connection.ops.quote_name(c)} = excluded.{connection.ops.quote_name(c)}" for c in _COLUMNS[1:]
    )
    # Only the model's table and column names and the reasons' keys are written into the text; every
    # value is a parameter.
    sql = (
        f"INSERT INTO {ParticipantRisk._meta.db_table} ({quoted}) "  # noqa: S608
        f"SELECT j.judged_id, %s, %s, %s, {', '.join(f'j.{key}' for key in _FLAGS)}, {count} "
        f"FROM ({inner}{fence}) j WHERE true "
        f"ON CONFLICT (enrolment_id) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (t.today, t.weeks_without_session, t.months_before_limit, *params))
        changed = cursor.rowcount
    _analyse_if_many(changed)


# As many changed rows as make PostgreSQL's autovacuum analyse a table (50 and a tenth of it).
ANALYSE_FROM_ROWS, ANALYSE_FROM_SHARE = 50, 0.1


def _analyse_if_many(changed: int) -> None:
    """Analyse the table at once when a refresh changed many of its rows. A new day re-judges every
    row: until the planner's statistics know the new `judged_on`, it reckons no row is current and
    picks plans that made every head's and leader's table five times slower (on the 5,000 bench
    data, 430 against 80 ms a request) for the minutes until autovacuum came round
    (docs/performance.md). ANALYZE may run inside the caller's transaction; it reads a sample."""
    if connection.vendor != "postgresql" or changed < ANALYSE_FROM_ROWS:
        return
    table = connection.ops.quote_name(ParticipantRisk._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
        (rows,) = cursor.fetchone()
        if changed >= ANALYSE_FROM_ROWS + ANALYSE_FROM_SHARE * max(rows, 0):
            cursor.execute(f"ANALYZE {table}")


def risks_refresh_all(*, today=None) -> None:
    """Everyone, judged today with the provider's thresholds: the nightly run and `refresh_risks`."""
    risks_refresh(t=Thresholds.load(today or timezone.localdate()))


def answers_for(t: Thresholds) -> bool:
    """Whether stored flags are read for `t`: only for today."""
    return t.today == timezone.localdate()


def ensure_current(t: Thresholds) -> bool:
    """Whether the stored flags can answer for `t`: only for today (an export judged on the day it
    was asked for, if that has passed, works the reasons out instead). For today, any enrolment
    whose row is missing or was judged on another day or with other thresholds is judged first: one
    query to find whether there are any, and one statement for all of them when there are."""
    if not answers_for(t):
        return False
    if _stale(t).exists():
        risks_refresh(t=t, only_stale=True)
    return True


def _stale(t: Thresholds):
    return Enrolment.objects.exclude(Exists(_current(t).filter(enrolment=OuterRef("pk"))))


# --- After a write: the participants it concerns, judged again once the transaction commits.

# The records whose writes can change a reason, and how each names its participants.
_ENROLMENT = "enrolment"
_SUBMISSION = "submission"
_COHORT = "cohort"


def _pending() -> dict[str, set[int]]:
    # Kept on the connection, so each thread's transaction has its own.
    conn = transaction.get_connection()
    if not hasattr(conn, "tracking_risks_pending"):
        conn.tracking_risks_pending = {_ENROLMENT: set(), _SUBMISSION: set(), _COHORT: set()}
    return conn.tracking_risks_pending


def _flush() -> None:
    """Judge again every participant the committed writes named (the first callback of a
    transaction does it for all of them; the others find nothing left). A rolled-back write's ids
    may ride along with the next commit: judging a participant again is always safe."""
    conn = transaction.get_connection()
    pending = getattr(conn, "tracking_risks_pending", None)
    if not pending or not any(pending.values()):
        return
    conn.tracking_risks_pending = {_ENROLMENT: set(), _SUBMISSION: set(), _COHORT: set()}
    from assessment.models import Submission

    where = Q(pk__in=sorted(pending[_ENROLMENT])) | Q(cohort_id__in=sorted(pending[_COHORT]))
    if pending[_SUBMISSION]:
        where |= Q(pk__in=Submission.objects.filter(pk__in=sorted(pending[_SUBMISSION])).values("enrolment_id"))
    risks_refresh(t=Thresholds.load(timezone.localdate()), where=where)


def _schedule() -> None:
    # robust: the write has committed; a failed refresh is logged, and the flags are judged
    # again for everyone by the next night's run.
    transaction.on_commit(_flush, robust=True)


def _touched(kind: str, attribute: str):
    def receiver(sender, instance, **kwargs):
        value = getattr(instance, attribute, None)
        if kwargs.get("raw") or value is None:
            return
        _pending()[kind].add(value)
        _schedule()

    return receiver


def connect() -> None:
    """Listen for the writes that can change a reason (TrackingConfig.ready)."""
    from assessment.models import AssessmentTask, Extension, Marking, Submission
    from coaching.models import ActionStep, DialogueLog
    from programme.models import CoachAssignment, TutorAssignment

    watched = [
        (DialogueLog, _ENROLMENT, "enrolment_id"),
        (ActionStep, _ENROLMENT, "enrolment_id"),
        (Submission, _ENROLMENT, "enrolment_id"),
        (Extension, _ENROLMENT, "enrolment_id"),
        (CoachAssignment, _ENROLMENT, "enrolment_id"),
        (TutorAssignment, _ENROLMENT, "enrolment_id"),
        (Enrolment, _ENROLMENT, "pk"),
        (Marking, _SUBMISSION, "submission_id"),
        (AssessmentTask, _COHORT, "cohort_id"),
    ]
    for model, kind, attribute in watched:
        receiver = _touched(kind, attribute)
        uid = f"tracking.stored_risks.{model.__name__}"
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid)
