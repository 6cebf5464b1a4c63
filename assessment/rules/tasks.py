"""What makes an assessment task's settings sound: its dates in order, credits, and a second-marking
rule that can be followed. Each check returns every broken rule, so the leader fixes them at once."""

import datetime
from dataclasses import dataclass

from assessment.rules.deadlines import RESUBMISSION_WEEKS_MAX
from ui.errors import RuleError

# The dates of a task, in the order they must fall, with how each is named in a message.
DATE_ORDER = (
    ("opens_on", "the opening date"),
    ("due_on", "the due date"),
    ("late_cutoff_on", "the late cut-off"),
    ("marks_due_on", "the date marks are due back"),
)


@dataclass(frozen=True)
class TaskDates:
    opens_on: datetime.date | None
    due_on: datetime.date | None
    late_cutoff_on: datetime.date | None
    marks_due_on: datetime.date | None


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def check_dates(dates: TaskDates) -> list[RuleError]:
    """Each date present, and none before the one it follows (the same day is allowed)."""
    broken = []
    for field, what in DATE_ORDER:
        if getattr(dates, field) is None:
            broken.append(RuleError(f"Enter {what}.", rule="task_dates", field=field))
    for (earlier, earlier_what), (later, later_what) in zip(DATE_ORDER, DATE_ORDER[1:], strict=False):
        first, then = getattr(dates, earlier), getattr(dates, later)
        if first is not None and then is not None and then < first:
            message = f"{later_what[0].upper()}{later_what[1:]} must be on or after {earlier_what} ({_day(first)})."
            broken.append(RuleError(message, rule="task_dates", field=later))
    return broken


def check_credits(credits: int | None) -> list[RuleError]:
    if credits is None or credits <= 0:
        message = "Enter the credits the task is worth, a whole number above 0."
        return [RuleError(message, rule="task_credits", field="credits")]
    return []


def check_resubmission_weeks(weeks: int | None) -> list[RuleError]:
    """The resubmission window is whole weeks, at least one and at most RESUBMISSION_WEEKS_MAX."""
    if weeks is None or not 1 <= weeks <= RESUBMISSION_WEEKS_MAX:
        return [
            RuleError(
                f"Enter the weeks to resubmit as a whole number from 1 to {RESUBMISSION_WEEKS_MAX}.",
                rule="task_resubmission_weeks",
                field="resubmission_weeks",
            )
        ]
    return []


def check_resubmission_cap(cap: int | None, *, pass_mark: int) -> list[RuleError]:
    """The highest mark a resubmission can receive: from the pass mark to 100. Below the pass mark a
    resubmission could never pass, whatever its merits."""
    if cap is None or not pass_mark <= cap <= 100:
        return [
            RuleError(
                f"Enter the highest mark a resubmission can receive, from the pass mark ({pass_mark}) to 100: "
                "below the pass mark no resubmission could pass.",
                rule="task_resubmission_cap",
                field="resubmission_cap",
            )
        ]
    return []


def check_second_marking(
    *, sample_min: int, sample_max: int | None, borderline_from: int, borderline_to: int
) -> list[RuleError]:
    broken = []
    if sample_max is not None and sample_max < sample_min:
        broken.append(
            RuleError(
                f"The largest sample must be at least the smallest ({sample_min}).",
                rule="task_sample",
                field="sample_max",
            )
        )
    if borderline_to < borderline_from:
        broken.append(
            RuleError(
                f"The borderline range must end at or above where it starts ({borderline_from}).",
                rule="task_borderline",
                field="borderline_to",
            )
        )
    return broken
