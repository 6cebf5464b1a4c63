"""The sampling rule (assessment.rules.sampling): which marked submissions are second-marked or go
to the external examiner, and why. Plain data, no database."""

from collections import Counter
from dataclasses import dataclass

import pytest

from assessment.rules.sampling import Candidate, Method, Reason, Rule, draw_sample, sample_size


@dataclass(frozen=True)
class Band:
    name: str
    min_mark: int
    is_pass: bool


UK = [Band("Distinction", 70, True), Band("Merit", 60, True), Band("Pass", 50, True), Band("Fail", 0, False)]
# A sample and nothing else: the extra cases switched off.
PLAIN = Rule(percent=10, minimum=1, include_fails=False, include_borderline=False, include_distinctions=False)


def marked(count: int, *, marks=(55, 62, 58, 65), markers=(1,), start: int = 1) -> list[Candidate]:
    return [
        Candidate(submission_id=start + i, marker_id=markers[i % len(markers)], mark=marks[i % len(marks)])
        for i in range(count)
    ]


def draw(candidates, rule=PLAIN, seed="second:1"):
    return draw_sample(candidates, rule=rule, bands=UK, seed=seed)


# The count ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("considered", "rule", "expected"),
    [
        (0, PLAIN, 0),  # nothing submitted, nothing drawn (not even the minimum)
        (40, PLAIN, 4),  # 10% of 40
        (41, PLAIN, 5),  # 10% of 41 is 4.1, rounded up
        (5, PLAIN, 1),  # 10% of 5 is 0.5, rounded up to 1
        (3, Rule(percent=10, minimum=5), 3),  # fewer than the minimum submitted: all of them
        (20, Rule(percent=10, minimum=5), 5),  # the minimum lifts 2 to 5
        (200, Rule(percent=10, minimum=1, maximum=12), 12),  # the maximum caps 20 at 12
        (200, Rule(percent=10, minimum=15, maximum=12), 12),  # the cap wins over a minimum above it
        (10, Rule(sqrt=True, minimum=1), 4),  # √10 = 3.16, rounded up
        (16, Rule(sqrt=True, minimum=1), 4),  # √16 exactly
        (17, Rule(sqrt=True, minimum=1), 5),
        (400, Rule(sqrt=True, minimum=1, maximum=15), 15),  # √400 = 20, capped
        (30, Rule(method=Method.ALL), 30),
        (30, Rule(method=Method.BY_HAND), 0),
        (30, Rule(percent=0, minimum=0), 0),
    ],
)
def test_sample_size(considered, rule, expected):
    assert sample_size(considered, rule) == expected


# Every, by hand and nothing submitted --------------------------------------------------------------


def test_every_submission_chosen_with_its_reason():
    sample = draw(marked(7), Rule(method=Method.ALL))
    assert list(sample.chosen) == [1, 2, 3, 4, 5, 6, 7]
    assert all(reasons == (Reason.ALL,) for reasons in sample.chosen.values())


def test_by_hand_draws_nothing_even_fails():
    sample = draw(marked(10, marks=(30, 47, 80)), Rule(method=Method.BY_HAND))
    assert sample.chosen == {}
    assert sample.considered == 10


def test_nothing_submitted_draws_nothing():
    sample = draw([], Rule(minimum=3))
    assert sample.chosen == {}
    assert sample.size == 0
    assert sample.considered == 0


def test_fewer_than_the_minimum_draws_them_all():
    sample = draw(marked(3), Rule(minimum=5, include_fails=False, include_borderline=False))
    assert sorted(sample.chosen) == [1, 2, 3]
    assert all(reasons == (Reason.SAMPLE,) for reasons in sample.chosen.values())


def test_maximum_caps_the_sample():
    sample = draw(marked(100), Rule(percent=50, maximum=7, include_fails=False, include_distinctions=False))
    assert len(sample.chosen) == 7
    assert sample.size == 7


def test_square_root_rounded_up():
    sample = draw(marked(10), Rule(sqrt=True, percent=90, minimum=1, include_fails=False))
    assert len(sample.chosen) == 4


# Fails, borderline marks and distinctions ----------------------------------------------------------


def test_every_fail_borderline_and_distinction_added_to_the_sample():
    # 20 passes, then a fail (30), a borderline fail (47), a distinction (75), a referred pass mark.
    candidates = marked(20) + [
        Candidate(21, 1, 30),
        Candidate(22, 1, 47),
        Candidate(23, 1, 75),
        Candidate(24, 1, 52, outcome="refer"),
    ]
    sample = draw(candidates, Rule(percent=10, minimum=1))
    assert sample.reasons(21) == (Reason.FAIL,)
    assert sample.reasons(22) == (Reason.FAIL, Reason.BORDERLINE)  # a fail and borderline: both said
    assert sample.reasons(23) == (Reason.DISTINCTION,)
    assert sample.reasons(24) == (Reason.FAIL,)
    drawn = [sid for sid, reasons in sample.chosen.items() if reasons == (Reason.SAMPLE,)]
    assert len(drawn) == 3  # 10% of 24, rounded up, on top of the four above
    assert all(sid <= 20 for sid in drawn)


def test_each_extra_case_only_as_the_task_ticks_it():
    candidates = [Candidate(1, 1, 30), Candidate(2, 1, 47), Candidate(3, 1, 75), Candidate(4, 1, 55)]
    none = Rule(percent=0, minimum=0, include_fails=False, include_borderline=False, include_distinctions=False)
    assert draw(candidates, none).chosen == {}
    assert draw(
        candidates, Rule(percent=0, minimum=0, include_borderline=False, include_distinctions=False)
    ).chosen == {
        1: (Reason.FAIL,),
        2: (Reason.FAIL,),
    }
    only_borderline = Rule(percent=0, minimum=0, include_fails=False, include_distinctions=False)
    assert draw(candidates, only_borderline).chosen == {2: (Reason.BORDERLINE,)}
    only_distinctions = Rule(percent=0, minimum=0, include_fails=False, include_borderline=False)
    assert draw(candidates, only_distinctions).chosen == {3: (Reason.DISTINCTION,)}


def test_borderline_range_is_the_tasks_and_inclusive():
    candidates = [Candidate(i, 1, mark) for i, mark in enumerate((54, 55, 58, 59, 60), start=1)]
    rule = Rule(
        percent=0, minimum=0, include_fails=False, include_distinctions=False, borderline_from=55, borderline_to=59
    )
    assert list(draw(candidates, rule).chosen) == [2, 3, 4]


def test_fails_count_towards_a_marker_being_represented():
    # Marker 2's only work is a fail: already in, so the one drawn comes from marker 1.
    candidates = [Candidate(1, 2, 30)] + marked(9, markers=(1,), start=2)
    sample = draw(candidates, Rule(percent=10, minimum=1))
    assert sample.reasons(1) == (Reason.FAIL,)
    assert len(sample.chosen) == 2


# Per marker, per band, deterministic ---------------------------------------------------------------


def test_each_marker_represented_where_the_count_allows():
    # Three markers, marker 3 with only two of thirty; a sample of three takes one from each.
    candidates = marked(28, markers=(1, 2)) + marked(2, markers=(3,), start=29)
    sample = draw(candidates, Rule(percent=10, minimum=1, include_distinctions=False, include_fails=False))
    by_marker = Counter(c.marker_id for c in candidates if c.submission_id in sample)
    assert by_marker == {1: 1, 2: 1, 3: 1}


def test_each_band_represented_where_the_count_allows():
    # One marker; marks in three bands (pass, merit, distinction); a sample of three takes one of each.
    candidates = marked(30, marks=(55, 55, 55, 55, 62, 62, 75))
    rule = Rule(percent=10, minimum=1, include_distinctions=False)
    sample = draw(candidates, rule)
    assert Counter(sample.bands[sid] for sid in sample.chosen) == {"Pass": 1, "Merit": 1, "Distinction": 1}


def test_beyond_coverage_the_sample_falls_in_proportion_to_each_markers_work():
    # Marker 1 marked 80, marker 2 marked 20: a sample of 10 takes 8 and 2.
    candidates = marked(80, markers=(1,)) + marked(20, markers=(2,), start=81)
    sample = draw(candidates, Rule(percent=10, minimum=1, include_distinctions=False))
    by_marker = Counter(c.marker_id for c in candidates if c.submission_id in sample)
    assert by_marker == {1: 8, 2: 2}


def test_fewer_places_than_markers_still_draws_the_count():
    candidates = marked(12, markers=(1, 2, 3, 4, 5, 6))
    sample = draw(candidates, Rule(percent=10, minimum=1, include_distinctions=False))
    assert len(sample.chosen) == 2
    assert len({c.marker_id for c in candidates if c.submission_id in sample}) == 2


def test_the_same_marks_always_give_the_same_sample_whatever_their_order():
    candidates = marked(60, markers=(1, 2, 3), marks=(51, 58, 63, 66, 72))
    first = draw(candidates, Rule(percent=20))
    again = draw(list(reversed(candidates)), Rule(percent=20))
    assert first.chosen == again.chosen


def test_another_seed_draws_another_sample():
    candidates = marked(200, marks=(55,))
    one = draw(candidates, PLAIN, seed="second:1")
    other = draw(candidates, PLAIN, seed="examiner:1")
    assert len(one.chosen) == len(other.chosen) == 20
    assert set(one.chosen) != set(other.chosen)


def test_the_sample_is_spread_not_the_first_submissions():
    sample = draw(marked(200, marks=(55,)), PLAIN)
    assert max(sample.chosen) > 20  # not simply the first twenty by id


def test_rule_reads_the_tasks_settings():
    class Task:
        second_marking = "sample"
        sample_percent = 25
        sample_min = 2
        sample_max = 9
        sample_sqrt = False
        include_fails = False
        include_borderline = True
        include_distinctions = False
        borderline_from = 40
        borderline_to = 44

    rule = Rule.for_task(Task())
    assert rule == Rule(
        method="sample",
        percent=25,
        minimum=2,
        maximum=9,
        sqrt=False,
        include_fails=False,
        include_borderline=True,
        include_distinctions=False,
        borderline_from=40,
        borderline_to=44,
    )


def test_methods_are_the_tasks_choices():
    from assessment.models import AssessmentTask

    assert {m.value for m in Method} == {m.value for m in AssessmentTask.SecondMarking}
