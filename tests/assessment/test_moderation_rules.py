"""The rules of moderation (assessment.rules.moderation): when two marks must be reconciled, and when
a second marker may see the first marks. Plain data, no database."""

from dataclasses import dataclass

import pytest

from assessment.rules.moderation import check_agreed, first_marks_shown, must_reconcile
from ui.errors import RuleError


@dataclass(frozen=True)
class Band:
    name: str
    min_mark: int
    is_pass: bool = True


UK = [Band("Distinction", 70), Band("Merit", 60), Band("Pass", 50), Band("Fail", 0, False)]


@pytest.mark.parametrize(
    ("first", "second", "threshold", "reconcile"),
    [
        (64, 64, 10, False),
        (61, 69, 10, False),  # 8 apart, both merit
        (60, 69, 10, False),  # 9 apart, both merit
        (52, 58, 5, True),  # 6 apart, more than a threshold of 5, both pass
        (49, 50, 10, True),  # 1 apart, but a fail and a pass
        (69, 70, 10, True),  # merit and distinction
        (70, 95, 30, False),  # both distinction, within the threshold
        (70, 95, 10, True),  # both distinction, 25 apart
    ],
)
def test_must_reconcile(first, second, threshold, reconcile):
    assert (must_reconcile(first, second, threshold=threshold, bands=UK) is not None) is reconcile
    # The order of the two marks does not matter.
    assert (must_reconcile(second, first, threshold=threshold, bands=UK) is not None) is reconcile


def test_the_reason_names_the_bands_or_the_gap():
    assert must_reconcile(49, 50, threshold=10, bands=UK) == "The marks fall in different bands (Fail and Pass)."
    assert (
        must_reconcile(71, 95, threshold=10, bands=UK) == "The marks are 24 apart, more than the 10 this task allows."
    )


def test_exactly_the_threshold_apart_is_not_reconciled():
    assert must_reconcile(70, 80, threshold=10, bands=UK) is None
    assert must_reconcile(70, 81, threshold=10, bands=UK) is not None


def test_blind_second_marker_sees_first_marks_only_once_complete():
    assert first_marks_shown(blind=True, second_complete=False) is False
    assert first_marks_shown(blind=True, second_complete=True) is True
    assert first_marks_shown(blind=False, second_complete=False) is True


def test_an_agreed_mark_needs_a_mark_in_range_and_a_note():
    check_agreed(55, "Met and reread the enquiry section.")
    with pytest.raises(RuleError) as refused:
        check_agreed(None, "  ")
    assert set(refused.value.errors) == {"mark", "note"}
    with pytest.raises(RuleError) as refused:
        check_agreed(101, "Agreed.")
    assert set(refused.value.errors) == {"mark"}
