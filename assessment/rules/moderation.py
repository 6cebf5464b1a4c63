"""The rules of moderation (second marking). Plain functions; the services and pages ask here.

- **Reconciling**: once the second marker has finished, the two overall marks must be reconciled
  into an agreed mark, with a recorded note, when they are further apart than the task's
  `reconcile_threshold` or fall in different grade bands (49 and 50 are a fail and a pass, however
  close). Otherwise the first mark stands. `must_reconcile` says which, and why.
- **Blind second marking**: on a blind task the second marker sees none of the first marker's
  marks or feedback until their own marking is complete; then both markers see both, to reconcile.
- **An agreed mark** is a whole mark from 0 to 100 with a note saying how it was reached.
"""

from collections.abc import Sequence

from assessment.rules.marks import band_for
from ui.errors import RuleError


def must_reconcile(first: int, second: int, *, threshold: int, bands: Sequence) -> str | None:
    """Why two overall marks must be reconciled, in words for the markers; None if the first stands."""
    gap = abs(first - second)
    first_band, second_band = band_for(first, bands), band_for(second, bands)
    if first_band is not None and second_band is not None and first_band.name != second_band.name:
        return f"The marks fall in different bands ({first_band.name} and {second_band.name})."
    if gap > threshold:
        return f"The marks are {gap} apart, more than the {threshold} this task allows."
    return None


def first_marks_shown(*, blind: bool, second_complete: bool) -> bool:
    """Whether the second marker may see the first marker's marks and feedback."""
    return not blind or second_complete


def check_agreed(mark: int | None, note: str, *, field_mark: str = "mark", field_note: str = "note") -> None:
    broken = []
    if mark is None or not 0 <= mark <= 100:
        broken.append(
            RuleError("Enter the agreed mark, a whole number from 0 to 100.", rule="mark_range", field=field_mark)
        )
    if not note.strip():
        broken.append(
            RuleError("Say how the mark was reached: the note is the moderation record.", rule="note", field=field_note)
        )
    if broken:
        raise RuleError.together(broken)
