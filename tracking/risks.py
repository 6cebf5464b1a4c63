"""Why a participant is at risk: each reason is one function here, giving a filter on enrolments, so
the dashboards work out every reason for a whole page of participants in the database, in the same
query that reads the page, however many participants there are.

Only active enrolments are ever at risk. The thresholds are the provider's settings
(`ProgrammeSettings.risk_weeks_without_session`, `risk_months_before_limit`), read once into a
`Thresholds` with the day they are judged on. The timing limits come from `programme.rules.timing`
(the latest start, the completion deadline), never worked out again here.

The reasons read only what a head may know of a participant: that agreed coaching sessions
happened (not what was said), how many agreed action steps are overdue (not what they are), whether
work was submitted, and released outcomes.
"""

import calendar
import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from assessment.models import AssessmentTask, Extension, Marking, Submission
from assessment.rules.marks import Outcome
from assessment.selectors.marking import released_results
from coaching.models import ActionStep, AgreementStatus, DialogueLog
from programme.models import CoachAssignment, Enrolment, ProgrammeSettings, TutorAssignment
from programme.rules import timing


@dataclass(frozen=True)
class Thresholds:
    today: datetime.date
    weeks_without_session: int = 6
    months_before_limit: int = 6

    @classmethod
    def load(cls, today: datetime.date) -> "Thresholds":
        s = ProgrammeSettings.load()
        return cls(
            today=today,
            weeks_without_session=s.risk_weeks_without_session,
            months_before_limit=s.risk_months_before_limit,
        )

    @property
    def horizon(self) -> datetime.date:
        """The last day counted as "within N months" of today."""
        return months_after(self.today, self.months_before_limit)


def months_after(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later; a day past the month's end becomes its last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def latest_first_post(limit: Callable[[datetime.date], datetime.date], horizon: datetime.date, years: int):
    """The latest first-post date whose `limit` (a timing rule, `years` after the first post) falls
    on or before `horizon`: a participant who started teaching then or earlier is within reach of
    it. Asks the rule itself, so how the limit is counted stays in programme.rules.timing."""
    day = datetime.date(horizon.year - years, horizon.month, min(horizon.day, 28)) + datetime.timedelta(days=5)
    while limit(day) > horizon:
        day -= datetime.timedelta(days=1)
    return day


def _agreed_logs() -> QuerySet[DialogueLog]:
    return DialogueLog.objects.filter(enrolment=OuterRef("pk"), status=AgreementStatus.AGREED)


# --- The reasons. Each is a filter on Enrolment that is true when the reason holds.


def no_recent_session(t: Thresholds) -> Q:
    """No agreed coaching session in the last N weeks (on or before today)."""
    since = t.today - datetime.timedelta(weeks=t.weeks_without_session)
    return ~Q(Exists(_agreed_logs().filter(session_on__gt=since, session_on__lte=t.today)))


def action_steps_overdue(t: Thresholds) -> Q:
    """An open action step from an agreed session whose due date has passed."""
    unagreed = DialogueLog.objects.filter(pk=OuterRef("log_id")).exclude(status=AgreementStatus.AGREED)
    steps = ActionStep.objects.filter(
        enrolment=OuterRef("pk"),
        status=ActionStep.Status.OPEN,
        due_on__lt=t.today,
    ).exclude(Exists(unagreed))
    return Q(Exists(steps))


def unsubmitted_tasks() -> QuerySet[AssessmentTask]:
    """The tasks of the enrolment at OuterRef("pk") (their cohort's, in their phase or an earlier one)
    with nothing submitted, each with `participant_due_on`: their extension's date, or the task's."""
    extension = Extension.objects.filter(enrolment=OuterRef(OuterRef("pk")), task=OuterRef("pk")).values("due_on")[:1]
    submitted = Submission.objects.filter(
        enrolment=OuterRef(OuterRef("pk")), task=OuterRef("pk"), state=Submission.State.SUBMITTED
    )
    return (
        AssessmentTask.objects.filter(cohort=OuterRef("cohort"), phase__number__lte=OuterRef("current_phase__number"))
        .exclude(Exists(submitted))
        .annotate(participant_due_on=Coalesce(Subquery(extension), F("due_on")))
    )


def submission_overdue(t: Thresholds) -> Q:
    """A task of the participant's cohort, in their phase or an earlier one, whose due date (or their
    extension's) has passed with nothing submitted."""
    return Q(Exists(unsubmitted_tasks().filter(participant_due_on__lt=t.today)))


def _released(outcomes) -> QuerySet[Marking]:
    # The results participants see: an agreed mark from moderation replaces the first marks.
    return released_results().filter(outcome__in=outcomes)


def referred_or_failed(t: Thresholds) -> Q:
    """A released result of refer or fail on a task the participant has not passed since."""
    passed_since = _released([Outcome.PASS]).filter(
        submission__enrolment=OuterRef("submission__enrolment"),
        submission__task=OuterRef("submission__task"),
        submission__attempt__gt=OuterRef("submission__attempt"),
    )
    not_passed = (
        _released([Outcome.REFER, Outcome.FAIL])
        .filter(submission__enrolment=OuterRef("pk"))
        .exclude(Exists(passed_since))
    )
    return Q(Exists(not_passed))


def latest_start_near(t: Thresholds) -> Q:
    """Not yet begun (no agreed coaching session held) and the latest start, the start of the third
    year of teaching, is within N months or has passed."""
    held = _agreed_logs().filter(session_on__lte=t.today)
    reach = latest_first_post(timing.latest_start_date, t.horizon, 2)
    return Q(first_post_started_on__lte=reach) & ~Q(Exists(held))


def completion_deadline_near(t: Thresholds) -> Q:
    """The completion deadline, the end of the fifth year of teaching, is within N months or has passed."""
    return Q(first_post_started_on__lte=latest_first_post(timing.completion_deadline, t.horizon, 5))


def no_coach(t: Thresholds) -> Q:
    """No coach assigned today."""
    return ~Q(Exists(CoachAssignment.objects.covering(t.today).filter(enrolment=OuterRef("pk"))))


def no_tutor(t: Thresholds) -> Q:
    """No tutor assigned today."""
    return ~Q(Exists(TutorAssignment.objects.covering(t.today).filter(enrolment=OuterRef("pk"))))


@dataclass(frozen=True)
class Reason:
    key: str
    holds: Callable[[Thresholds], Q]
    describe: Callable[[Thresholds], str]

    @property
    def field(self) -> str:
        return f"risk_{self.key}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


REASONS: tuple[Reason, ...] = (
    Reason(
        "no_session",
        no_recent_session,
        lambda t: f"No agreed coaching session for {_plural(t.weeks_without_session, 'week')}",
    ),
    Reason("steps_overdue", action_steps_overdue, lambda t: "Action steps overdue"),
    Reason("submission_overdue", submission_overdue, lambda t: "Work not submitted by its due date"),
    Reason("referred_or_failed", referred_or_failed, lambda t: "Work referred or failed, not yet passed"),
    Reason(
        "latest_start",
        latest_start_near,
        lambda t: f"Not begun, and the latest start is within {_plural(t.months_before_limit, 'month')} or past",
    ),
    Reason(
        "completion_deadline",
        completion_deadline_near,
        lambda t: f"The five-year completion deadline is within {_plural(t.months_before_limit, 'month')} or past",
    ),
    Reason("no_coach", no_coach, lambda t: "No coach assigned"),
    Reason("no_tutor", no_tutor, lambda t: "No tutor assigned"),
)

_ACTIVE = Q(status=Enrolment.Status.ACTIVE)


def at_risk(t: Thresholds) -> Q:
    """Any reason holds, for an active enrolment."""
    found = Q(pk__in=[])
    for reason in REASONS:
        found |= reason.holds(t)
    return _ACTIVE & found


def with_risks(enrolments: QuerySet[Enrolment], t: Thresholds) -> QuerySet[Enrolment]:
    """Each enrolment annotated with `risk_<key>` for every reason and `risk_count`, how many hold: in
    the query that reads them."""
    return with_flags(enrolments, t).annotate(risk_count=risk_count(t))


def with_flags(enrolments: QuerySet[Enrolment], t: Thresholds) -> QuerySet[Enrolment]:
    """Each enrolment annotated with `risk_<key>` for every reason: what a row shows."""
    flags = {
        reason.field: ExpressionWrapper(_ACTIVE & reason.holds(t), output_field=BooleanField()) for reason in REASONS
    }
    return enrolments.annotate(**flags)


def reasons_holding(t: Thresholds) -> dict[str, ExpressionWrapper]:
    """Each reason's filter as a column named by its key, whatever the enrolment's status: what
    `tracking.stored_risks` keeps (the status is applied when the stored flags are read)."""
    return {reason.key: ExpressionWrapper(reason.holds(t), output_field=BooleanField()) for reason in REASONS}


def risk_count(t: Thresholds) -> Case:
    """How many reasons hold, to sort by (the flags themselves are not needed for that)."""
    return sum(
        (Case(When(_ACTIVE & reason.holds(t), then=1), default=0, output_field=IntegerField()) for reason in REASONS),
        Value(0),
    )


def reasons_of(enrolment: Enrolment, t: Thresholds) -> list[str]:
    """The reasons an enrolment read through `with_risks` is at risk, in words, in REASONS' order."""
    return [reason.describe(t) for reason in REASONS if getattr(enrolment, reason.field)]
