"""Credits and progression read passed tasks from released results, through real marking: a pass
counts once released, never before; a referral counts for nothing; and a table of many
participants (credits_so_far) counts credits as the ledger does."""

import pytest

from assessment.models import PriorLearningClaim
from assessment.selectors.credits import credits_so_far, ledger, passed_tasks
from assessment.services import marking as services
from assessment.workflow import Move
from programme.models import Enrolment
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


def _credits_in_a_table(enrolment_id: int) -> int:
    """Credits as a table of many participants reads them: one subquery of an enrolment query."""
    return Enrolment.objects.annotate(credits=credits_so_far()).get(pk=enrolment_id).credits


def test_a_table_of_participants_counts_credits_as_the_ledger_does():
    world = marking_world()
    enrolment = world.submission.enrolment
    assert _credits_in_a_table(enrolment.pk) == ledger(enrolment).credits == 0

    world.released(mark=64)
    waiting, approved = (
        PriorLearningClaim.objects.create(enrolment=enrolment, studied=title, institution="A university", credits=n)
        for title, n in (("Waiting", 5), ("Approved", 10))
    )
    PriorLearningClaim.objects.filter(pk=approved.pk).update(status=PriorLearningClaim.Status.APPROVED)
    assert world.task.credits > 0
    assert _credits_in_a_table(enrolment.pk) == ledger(enrolment).credits == world.task.credits + 10
    assert waiting.status == PriorLearningClaim.Status.CLAIMED  # waiting for the tutor: not counted
    assert _credits_in_a_table(marking_world().submission.enrolment_id) == 0  # another's pass is not theirs


def test_progression_is_refused_while_the_core_task_is_referred_or_unreleased_and_allowed_once_passed():
    """Through real marking, not a stand-in: the phase waits for a released pass of its core task."""
    from assessment.services.progression import phase_complete
    from programme.models import Phase
    from ui.errors import RuleError

    world = marking_world()
    phase = Phase.objects.get(number=world.enrolment.current_phase.number)
    world.ready(mark=64)  # a pass, not yet released
    with pytest.raises(RuleError) as refused:
        phase_complete(by=world.tutor, enrolment=world.enrolment, phase=phase)
    assert f"“{world.task.title}” has not been passed" in refused.value.message
    services.results_release(task=world.task, by=world.leader)
    assert phase_complete(by=world.tutor, enrolment=world.enrolment, phase=phase).phase == phase
