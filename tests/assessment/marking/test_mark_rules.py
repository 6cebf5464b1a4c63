"""How marks are worked out: bands at their boundaries, the weighted overall mark rounded half up,
the resubmission cap and the suggested outcome."""

from dataclasses import dataclass

import pytest

from assessment.rules.marks import Outcome, band_for, capped, overall_mark, suggested_outcome


@dataclass(frozen=True)
class Band:
    name: str
    min_mark: int


UK = [Band("Distinction", 70), Band("Merit", 60), Band("Pass", 50), Band("Fail", 0)]


@pytest.mark.parametrize(
    ("mark", "band"),
    [
        (0, "Fail"),
        (49, "Fail"),
        (50, "Pass"),
        (59, "Pass"),
        (60, "Merit"),
        (69, "Merit"),
        (70, "Distinction"),
        (100, "Distinction"),
    ],
)
def test_a_mark_falls_in_the_band_whose_lowest_mark_it_reaches(mark, band):
    assert band_for(mark, UK).name == band


def test_band_order_does_not_matter():
    assert band_for(65, list(reversed(UK))).name == "Merit"


@pytest.mark.parametrize("mark", [-1, 101, None])
def test_a_mark_outside_0_to_100_has_no_band(mark):
    assert band_for(mark, UK) is None


def test_a_rubric_of_other_bands_is_read_as_it_is():
    bands = [Band("Excellent", 80), Band("Sound", 40), Band("Not yet", 0)]
    assert band_for(79, bands).name == "Sound"
    assert band_for(80, bands).name == "Excellent"


def test_overall_mark_is_the_weighted_mean():
    assert overall_mark([(70, 1), (50, 1)]) == 60
    assert overall_mark([(70, 3), (50, 1)]) == 65


def test_overall_mark_rounds_half_up_not_to_even():
    assert overall_mark([(64, 1), (65, 1)]) == 65  # 64.5
    assert overall_mark([(62, 1), (63, 1)]) == 63  # 62.5: banker's rounding would give 62
    assert overall_mark([(60, 1), (61, 2)]) == 61  # 60.67
    assert overall_mark([(60, 2), (61, 1)]) == 60  # 60.33


def test_overall_mark_of_nothing_is_none():
    assert overall_mark([]) is None


@pytest.mark.parametrize(
    ("mark", "resubmission", "awarded"), [(68, True, 50), (50, True, 50), (42, True, 42), (68, False, 68)]
)
def test_a_resubmission_is_capped_at_the_task_cap(mark, resubmission, awarded):
    assert capped(mark, is_resubmission=resubmission, cap=50) == awarded


@pytest.mark.parametrize(
    ("mark", "resubmission", "outcome"),
    [
        (50, False, Outcome.PASS),
        (49, False, Outcome.REFER),
        (0, False, Outcome.REFER),
        (50, True, Outcome.PASS),
        (49, True, Outcome.FAIL),
    ],
)
def test_the_suggested_outcome_turns_on_the_pass_mark(mark, resubmission, outcome):
    assert suggested_outcome(mark, pass_mark=50, is_resubmission=resubmission) == outcome


def test_the_pass_mark_is_the_providers_setting():
    assert suggested_outcome(55, pass_mark=60, is_resubmission=False) == Outcome.REFER
