"""Checks and wording shared by the coaching services."""

import datetime

from programme.models import Enrolment, ProgrammeSettings
from programme.rules import timing
from ui.errors import RuleError

MAX_SESSION_MINUTES = 24 * 60


def fmt(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def summer_term_start() -> tuple[int, int]:
    s = ProgrammeSettings.load()
    return (s.summer_term_starts_month, s.summer_term_starts_day)


def check_session_date(
    errors: dict[str | None, list[str]], *, enrolment: Enrolment, day: datetime.date, today: datetime.date, field: str
) -> None:
    """Not in the future, and within the programme's timing rules (programme.rules.timing)."""
    if day > today:
        errors[field].append("The date cannot be in the future.")
        return
    try:
        timing.check_activity_date(
            first_post_started_on=enrolment.first_post_started_on,
            activity_on=day,
            summer_term_start=summer_term_start(),
        )
    except RuleError as broken:
        errors[field].append(broken.message)
