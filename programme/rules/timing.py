"""Timing rules (programme Q22, Q23).

- No programme activity before the summer term of the induction year.
- The latest start is the start of the participant's third year of teaching.
- The programme must be completed within the first five years of their career.

Teaching years are counted in academic years, which start on 1 September; the induction year is
the academic year in which the participant's first teaching post started.
"""

import datetime

from programme.rules import ProgrammeRuleError

ACADEMIC_YEAR_START = (9, 1)
DEFAULT_SUMMER_TERM_START = (4, 15)


def academic_year_of(day: datetime.date) -> int:
    """The calendar year in which the academic year holding `day` began."""
    return day.year if (day.month, day.day) >= ACADEMIC_YEAR_START else day.year - 1


def _year_start(academic_year: int) -> datetime.date:
    return datetime.date(academic_year, *ACADEMIC_YEAR_START)


def earliest_activity_date(
    first_post_started_on: datetime.date, summer_term_start: tuple[int, int] = DEFAULT_SUMMER_TERM_START
) -> datetime.date:
    """The first day of the summer term of the induction year."""
    induction_year = academic_year_of(first_post_started_on)
    return datetime.date(induction_year + 1, *summer_term_start)


def latest_start_date(first_post_started_on: datetime.date) -> datetime.date:
    """The first day of the participant's third year of teaching."""
    return _year_start(academic_year_of(first_post_started_on) + 2)


def completion_deadline(first_post_started_on: datetime.date) -> datetime.date:
    """The last day of the participant's fifth year of teaching."""
    return _year_start(academic_year_of(first_post_started_on) + 5) - datetime.timedelta(days=1)


def _fmt(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def check_programme_start(
    *,
    first_post_started_on: datetime.date,
    programme_started_on: datetime.date,
    summer_term_start: tuple[int, int] = DEFAULT_SUMMER_TERM_START,
) -> None:
    """Raise ProgrammeRuleError if the programme may not start on this date."""
    earliest = earliest_activity_date(first_post_started_on, summer_term_start)
    if programme_started_on < earliest:
        raise ProgrammeRuleError(
            "The programme cannot start before the summer term of the induction year, "
            f"which for this participant begins on {_fmt(earliest)}.",
            rule="earliest_activity",
            field="programme_started_on",
        )
    latest = latest_start_date(first_post_started_on)
    if programme_started_on > latest:
        raise ProgrammeRuleError(
            "The latest start is the start of the participant's third year of teaching, "
            f"{_fmt(latest)}.",
            rule="latest_start",
            field="programme_started_on",
        )


def check_activity_date(
    *,
    first_post_started_on: datetime.date,
    activity_on: datetime.date,
    summer_term_start: tuple[int, int] = DEFAULT_SUMMER_TERM_START,
) -> None:
    """Raise ProgrammeRuleError if programme activity may not happen on this date."""
    earliest = earliest_activity_date(first_post_started_on, summer_term_start)
    if activity_on < earliest:
        raise ProgrammeRuleError(
            "No programme activity can happen before the summer term of the induction year, "
            f"which for this participant begins on {_fmt(earliest)}.",
            rule="earliest_activity",
        )
    deadline = completion_deadline(first_post_started_on)
    if activity_on > deadline:
        raise ProgrammeRuleError(
            "The programme must be completed within the participant's first five years of teaching, "
            f"by {_fmt(deadline)}.",
            rule="completion_deadline",
        )
