"""Period rules: dates in order, no two periods of one kind overlapping for one person."""

import datetime
from collections.abc import Iterable

from ui.errors import RuleError


def overlaps(
    a_start: datetime.date, a_end: datetime.date | None, b_start: datetime.date, b_end: datetime.date | None
) -> bool:
    """Inclusive date ranges; None is an open end."""
    return (a_end is None or b_start <= a_end) and (b_end is None or a_start <= b_end)


def check_dates(starts_on: datetime.date, ends_on: datetime.date | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise RuleError("The end date must be on or after the start date.", rule="period_dates", field="ends_on")


def check_no_overlap(*, starts_on: datetime.date, ends_on: datetime.date | None, existing: Iterable, what: str) -> None:
    """`existing` are the other periods of the same kind for the same person."""
    for period in existing:
        if overlaps(starts_on, ends_on, period.starts_on, period.ends_on):
            until = f"to {period.ends_on:%d/%m/%Y}" if period.ends_on else "with no end date"
            raise RuleError(
                f"This {what} would overlap the one from {period.starts_on:%d/%m/%Y} {until}.",
                rule="period_overlap",
                field="starts_on",
            )
