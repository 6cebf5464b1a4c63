"""Credits and progression read passed tasks from released results, through real marking: a pass
counts once released, never before; a referral counts for nothing."""

import pytest

from assessment.selectors.credits import passed_tasks
from assessment.services import marking as services
from assessment.workflow import Move
from tests.assessment.marking.helpers import marking_world

pytestmark = pytest.mark.django_db


def test_a_pass_counts_for_credits_only_once_it_is_released():
    world = marking_world()
    world.ready(mark=64)
    assert list(passed_tasks(world.submission.enrolment_id)) == []

    services.results_release(task=world.task, by=world.leader)
    assert list(passed_tasks(world.submission.enrolment_id)) == [world.task]


def test_a_released_referral_passes_no_task():
    world = marking_world()
    marking = world.mark_all(world.start(), 40, outcome="refer")
    marking = services.marking_move(by=world.tutor, marking=marking, move=Move.COMPLETE, version=marking.version)
    services.marking_move(by=world.tutor, marking=marking, move=Move.CONFIRM, version=marking.version)
    services.results_release(task=world.task, by=world.leader)
    assert list(passed_tasks(world.submission.enrolment_id)) == []


def test_another_participants_pass_is_not_theirs():
    world = marking_world()
    world.released(mark=64)
    other = marking_world()
    assert list(passed_tasks(other.submission.enrolment_id)) == []
