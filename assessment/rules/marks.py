"""How marks are worked out. Plain functions; the services and pages ask here.

- A mark's band: the band with the highest lowest-mark at or below it (a rubric's bands place
  every mark from 0 to 100 in exactly one band, `assessment.rules.rubrics.check_bands`).
- The overall mark: the mean of the criterion marks weighted by each criterion's weight, rounded
  to a whole mark half up (64.5 is 65, never banker's rounding to 64). Worked in exact decimals,
  so 64.5 is never 64.4999….
- A resubmission's mark is capped at the task's `resubmission_cap` (by default the pass mark, 50):
  the capped mark is what is awarded, the uncapped one is kept beside it. The cap is recorded on
  the marking when marking starts (`cap_for`), so changing the task later changes no mark.
- A resubmission cannot be referred again (`outcome_refusal`): the programme offers one
  resubmission, so work still below the pass mark fails. The reference documents say nothing of a
  second resubmission; a programme that wants one would change this function alone.
- The suggested outcome: a pass at or above the pass mark (a setting, ProgrammeSettings.pass_mark);
  below it, a first attempt is referred for resubmission and a resubmission fails. The marker may
  choose another outcome (a recorded decision), so this is only ever a suggestion.
"""

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol, TypeVar

from django.db import models


class Outcome(models.TextChoices):
    PASS = "pass", "Pass"
    REFER = "refer", "Refer for resubmission"
    FAIL = "fail", "Fail"


class _Band(Protocol):
    min_mark: int


B = TypeVar("B", bound=_Band)


def band_for(mark: int, bands: Iterable[B]) -> B | None:
    """The band `mark` falls in, or None if it is outside 0-100 or no band starts low enough."""
    if mark is None or not 0 <= mark <= 100:
        return None
    below = [band for band in bands if band.min_mark <= mark]
    return max(below, key=lambda band: band.min_mark) if below else None


def overall_mark(marks: Sequence[tuple[int, int]]) -> int | None:
    """The weighted mean of (mark, weight) pairs, rounded half up; None while there are none."""
    total_weight = sum(weight for _, weight in marks)
    if not marks or total_weight <= 0:
        return None
    mean = Decimal(sum(mark * weight for mark, weight in marks)) / Decimal(total_weight)
    return int(mean.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def capped(mark: int, *, is_resubmission: bool, cap: int) -> int:
    """The mark awarded: a resubmission's mark is at most the task's cap."""
    return min(mark, cap) if is_resubmission else mark


def cap_for(*, is_resubmission: bool, task_cap: int) -> int | None:
    """The cap to record on a marking: the task's cap for a resubmission, none for a first attempt."""
    return task_cap if is_resubmission else None


def outcome_refusal(outcome: str, *, is_resubmission: bool) -> str | None:
    """Why an outcome cannot be given to this work, or None when it can."""
    if is_resubmission and outcome == Outcome.REFER:
        return "A resubmission cannot be referred again: choose pass or fail."
    return None


def suggested_outcome(mark: int, *, pass_mark: int, is_resubmission: bool) -> Outcome:
    if mark >= pass_mark:
        return Outcome.PASS
    return Outcome.FAIL if is_resubmission else Outcome.REFER
