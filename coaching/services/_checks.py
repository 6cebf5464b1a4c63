"""Checks and wording shared by the coaching services."""

import datetime

from programme.models import Enrolment
from programme.rules import timing
from programme.selectors import summer_term_start
from ui.errors import RuleError

MAX_SESSION_MINUTES = 24 * 60


def fmt(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def check_within_programme(
    errors: dict[str | None, list[str]], *, enrolment: Enrolment, day: datetime.date, field: str
) -> None:
    """Within the participant's programme (programme.rules.timing.check_activity_date)."""
    try:
        timing.check_activity_date(
            first_post_started_on=enrolment.first_post_started_on,
            activity_on=day,
            summer_term_start=summer_term_start(),
            field=field,
        )
    except RuleError as broken:
        errors.setdefault(field, []).append(broken.message)


def check_session_date(
    errors: dict[str | None, list[str]], *, enrolment: Enrolment, day: datetime.date, today: datetime.date, field: str
) -> None:
    """Not in the future, and within the participant's programme."""
    if day > today:
        errors.setdefault(field, []).append("The date cannot be in the future.")
        return
    check_within_programme(errors, enrolment=enrolment, day=day, field=field)
