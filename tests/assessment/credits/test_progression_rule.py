"""Progression's rule: a phase is confirmed complete once its core tasks are passed; the programme is
complete with all three phases, the credits and all four content areas."""

import pytest

from assessment.rules.progression import CoreTask, check_phase_complete, programme_standing
from ui.errors import RuleError

ENQUIRY = CoreTask(pk=1, title="Enquiry into practice")
EVIDENCE = CoreTask(pk=2, title="Using evidence")


def check(**overrides):
    kwargs = {"phase": 1, "current_phase": 1, "completed": [], "core_tasks": [ENQUIRY, EVIDENCE], "passed_task_ids": []}
    check_phase_complete(**{**kwargs, **overrides})


def test_a_phase_whose_core_tasks_are_passed_can_be_confirmed():
    check(passed_task_ids=[1, 2])


def test_a_core_task_not_passed_is_named_in_the_refusal():
    with pytest.raises(RuleError) as refused:
        check(passed_task_ids=[1])
    assert refused.value.rule == "phase_core_tasks"
    assert "“Using evidence” has not been passed" in refused.value.message
    assert "Enquiry into practice" not in refused.value.message


def test_every_core_task_not_passed_is_named():
    with pytest.raises(RuleError) as refused:
        check(passed_task_ids=[])
    assert "core tasks “Enquiry into practice” and “Using evidence” have not been passed" in refused.value.message


def test_a_phase_with_no_core_task_set_is_not_confirmed():
    with pytest.raises(RuleError) as refused:
        check(core_tasks=[])
    assert "No core task is set for phase 1" in refused.value.message


def test_a_later_phase_cannot_be_confirmed_and_a_phase_only_once():
    with pytest.raises(RuleError) as refused:
        check(phase=2, passed_task_ids=[1, 2])
    assert refused.value.rule == "phase_order"
    assert "a later phase cannot be confirmed" in refused.value.message
    with pytest.raises(RuleError) as refused:
        check(completed=[1], passed_task_ids=[1, 2])
    assert refused.value.rule == "phase_complete_once"


def test_the_current_phase_can_be_confirmed_when_the_participant_reached_it_without_a_confirmation():
    """Moved on by the programme leader (or enrolled into phase 2): phase 1 was never confirmed here,
    and phase 2 must not be stuck behind it."""
    check(phase=2, current_phase=2, completed=[], passed_task_ids=[1, 2])


def test_an_earlier_phase_left_unconfirmed_can_still_be_confirmed_once_its_core_tasks_are_passed():
    """Moved on before phase 1 was confirmed: without this the programme could never be complete."""
    check(phase=1, current_phase=2, completed=[], passed_task_ids=[1, 2])
    with pytest.raises(RuleError) as refused:
        check(phase=1, current_phase=3, completed=[2], passed_task_ids=[1])
    assert refused.value.rule == "phase_core_tasks"


def standing(**overrides):
    kwargs = {
        "phases_complete": [1, 2, 3],
        "credits": 180,
        "total_credits": 180,
        "areas_covered": [1, 2, 3, 4],
        "area_numbers": [1, 2, 3, 4],
    }
    return programme_standing(**{**kwargs, **overrides})


def test_the_programme_is_complete_with_all_three_phases_the_credits_and_all_four_areas():
    assert standing().complete


@pytest.mark.parametrize(
    "missing",
    [{"phases_complete": [1, 2]}, {"credits": 179}, {"areas_covered": [1, 2, 3]}],
    ids=["a phase", "a credit", "a content area"],
)
def test_the_programme_is_not_complete_while_anything_is_missing(missing):
    assert not standing(**missing).complete


def test_credits_over_the_total_still_count_as_reached():
    assert standing(credits=200).credits_reached
