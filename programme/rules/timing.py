"""Timing rules (programme Q22, Q23).

- No programme activity before the summer term of the induction year.
- The latest start is the start of the participant's third year of teaching.
- The programme must be completed within the first five years of their career.
- A start entered more than 30 days after it happened (backdated) needs a recorded reason; without
  one the latest-start rule is judged on the day the enrolment is made.

A participant's years of teaching are counted from the day their first teaching post started:
the induction year is the year from that day, the third year of teaching starts on its second
anniversary, and the first five years end the day before its fifth anniversary. For the usual
September starter these are the academic years; a January starter is not cut short by counting
from the September before they began.

The summer term of the induction year is the first summer term that starts on or after the first
post started (a teacher who begins in June waits for next April, not for the April before they
were teaching). The summer term's start is the provider's setting.
"""

import calendar
import datetime

from ui.errors import RuleError

ACADEMIC_YEAR_START = (9, 1)
DEFAULT_SUMMER_TERM_START = (4, 15)
BACKDATING_GRACE = datetime.timedelta(days=30)


def academic_year_of(day: datetime.date) -> int:
    """The calendar year in which the academic year holding `day` began."""
    return day.year if (day.month, day.day) >= ACADEMIC_YEAR_START else day.year - 1


def _on(year: int, month: int, day: int) -> datetime.date:
    """The date, with a day past the month's end moved to its last day (31 April is 30 April)."""
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def anniversary(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later; 29 February falls on 1 March in a year without one."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return datetime.date(day.year + years, 3, 1)


def earliest_activity_date(
    first_post_started_on: datetime.date, summer_term_start: tuple[int, int] = DEFAULT_SUMMER_TERM_START
) -> datetime.date:
    """The first day of the summer term of the induction year."""
    month, day = summer_term_start
    this_year = _on(first_post_started_on.year, month, day)
    if this_year >= first_post_started_on:
        return this_year
    return _on(first_post_started_on.year + 1, month, day)


def latest_start_date(first_post_started_on: datetime.date) -> datetime.date:
    """The first day of the participant's third year of teaching."""
    return anniversary(first_post_started_on, 2)


def completion_deadline(first_post_started_on: datetime.date) -> datetime.date:
    """The last day of the participant's fifth year of teaching."""
    return anniversary(first_post_started_on, 5) - datetime.timedelta(days=1)


def _fmt(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def is_backdated(programme_started_on: datetime.date, recorded_on: datetime.date) -> bool:
    """A start more than BACKDATING_GRACE before the day the enrolment is made. Entering an enrolment
    a few weeks late is ordinary; beyond that the start needs a recorded reason."""
    return programme_started_on < recorded_on - BACKDATING_GRACE


def check_programme_start(
    *,
    first_post_started_on: datetime.date,
    programme_started_on: datetime.date,
    summer_term_start: tuple[int, int] = DEFAULT_SUMMER_TERM_START,
    recorded_on: datetime.date | None = None,
    backdated_reason: str = "",
) -> None:
    """Raise RuleError, with every problem, if the programme may not start on this date.

    With `recorded_on` (the day the enrolment is made), a backdated start needs a reason. Without
    one, the latest-start rule is judged on `recorded_on` too: typing an earlier date cannot enrol
    someone whose latest start has already passed. With a reason the typed start counts, and the
    enrolment shows as backdated, with the reason, in its history.
    """
    problems = []
    earliest = earliest_activity_date(first_post_started_on, summer_term_start)
    if programme_started_on < earliest:
        problems.append(
            RuleError(
                "The programme cannot start before the summer term of the induction year, "
                f"which for this participant begins on {_fmt(earliest)}.",
                rule="earliest_activity",
                field="programme_started_on",
            )
        )
    latest = latest_start_date(first_post_started_on)
    if programme_started_on > latest:
        problems.append(
            RuleError(
                f"The latest start is the start of the participant's third year of teaching, {_fmt(latest)}.",
                rule="latest_start",
                field="programme_started_on",
            )
        )
    if recorded_on is not None and is_backdated(programme_started_on, recorded_on) and not backdated_reason.strip():
        problems.append(
            RuleError(
                f"The start is more than {BACKDATING_GRACE.days} days before today, {_fmt(recorded_on)}. Say why "
                "the enrolment is backdated; the reason is kept in its history.",
                rule="backdated_without_reason",
                field="backdated_reason",
            )
        )
        if programme_started_on <= latest < recorded_on:
            problems.append(
                RuleError(
                    f"Unless you give a reason for backdating, the start counts from today, which is after the "
                    f"participant's latest start, {_fmt(latest)}.",
                    rule="latest_start",
                    field="programme_started_on",
                )
            )
    if problems:
        raise RuleError.together(problems)


def check_activity_date(
    *,
    first_post_started_on: datetime.date,
    activity_on: datetime.date,
    summer_term_start: tuple[int, int] = DEFAULT_SUMMER_TERM_START,
    field: str | None = None,
) -> None:
    """Raise RuleError, naming both bounds, unless `activity_on` is within the participant's programme:
    from the first day of the summer term of the induction year to the completion deadline. Every
    date of programme activity is judged by this one rule: sessions held or planned, action steps'
    due dates, learning opportunities."""
    earliest = earliest_activity_date(first_post_started_on, summer_term_start)
    deadline = completion_deadline(first_post_started_on)
    window = f"for this participant the programme runs from {_fmt(earliest)} to {_fmt(deadline)}."
    if activity_on < earliest:
        raise RuleError(
            f"No programme activity can happen before the summer term of the induction year: {window}",
            rule="earliest_activity",
            field=field,
        )
    if activity_on > deadline:
        raise RuleError(
            f"The programme must be completed within the participant's first five years of teaching: {window}",
            rule="completion_deadline",
            field=field,
        )
