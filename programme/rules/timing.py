"""Timing rules (programme Q22, Q23).

- No programme activity before the summer term of the induction year.
- The latest start is the start of the participant's third year of teaching.
- The programme must be completed within the first five years of their career.

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


def check_programme_start(
    *,
    first_post_started_on: datetime.date,
    programme_started_on: datetime.date,
    summer_term_start: tuple[int, int] = DEFAULT_SUMMER_TERM_START,
) -> None:
    """Raise RuleError if the programme may not start on this date."""
    earliest = earliest_activity_date(first_post_started_on, summer_term_start)
    if programme_started_on < earliest:
        raise RuleError(
            "The programme cannot start before the summer term of the induction year, "
            f"which for this participant begins on {_fmt(earliest)}.",
            rule="earliest_activity",
            field="programme_started_on",
        )
    latest = latest_start_date(first_post_started_on)
    if programme_started_on > latest:
        raise RuleError(
            f"The latest start is the start of the participant's third year of teaching, {_fmt(latest)}.",
            rule="latest_start",
            field="programme_started_on",
        )


def check_activity_date(
    *,
    first_post_started_on: datetime.date,
    activity_on: datetime.date,
    summer_term_start: tuple[int, int] = DEFAULT_SUMMER_TERM_START,
) -> None:
    """Raise RuleError if programme activity may not happen on this date."""
    earliest = earliest_activity_date(first_post_started_on, summer_term_start)
    if activity_on < earliest:
        raise RuleError(
            "No programme activity can happen before the summer term of the induction year, "
            f"which for this participant begins on {_fmt(earliest)}.",
            rule="earliest_activity",
        )
    deadline = completion_deadline(first_post_started_on)
    if activity_on > deadline:
        raise RuleError(
            "The programme must be completed within the participant's first five years of teaching, "
            f"by {_fmt(deadline)}.",
            rule="completion_deadline",
        )
