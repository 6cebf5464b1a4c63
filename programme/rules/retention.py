"""How long a former participant's personal data is kept: the one rule deciding when it is due
for erasure (privacy.erasure acts on it). Plain functions, given everything they judge."""

import datetime
from collections.abc import Iterable

# An enrolment in one of these states has ended; the retention period runs from its `ended_on`.
ENDED = frozenset({"withdrawn", "completed"})


def years_after(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later; 29 February, in a year without one, becomes 1 March (later, never
    earlier, so nothing is erased a day early)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return datetime.date(day.year + years, 3, 1)


def erasure_due_on(
    enrolments: Iterable[tuple[str, datetime.date | None]], *, retention_years: int
) -> datetime.date | None:
    """The day a person's personal data becomes due for erasure, given each of their enrolments as
    (status, the day it ended): `retention_years` after the last of them ended. None while any
    enrolment is active or interrupted, or ended on a day not recorded (never erase on a guess), or
    when they have no enrolment at all (they are not a former participant)."""
    ends = []
    for status, ended_on in enrolments:
        if status not in ENDED or ended_on is None:
            return None
        ends.append(ended_on)
    if not ends:
        return None
    return years_after(max(ends), retention_years)


def due_for_erasure(
    enrolments: Iterable[tuple[str, datetime.date | None]],
    *,
    retention_years: int,
    today: datetime.date,
    holds_other_roles: bool,
) -> bool:
    """Whether a former participant's names, written records and files are to be erased today:
    every enrolment withdrawn or completed, the retention period since the last one ended passed,
    and no other role held (a former participant who now coaches or tutors still uses their
    account, so it is not erased under them)."""
    if holds_other_roles:
        return False
    due_on = erasure_due_on(enrolments, retention_years=retention_years)
    return due_on is not None and due_on <= today
