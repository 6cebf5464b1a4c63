"""The tutor confirms a phase complete once its core tasks are passed, through phase_progress and its
history; the programme is complete with all phases, the credits and all four content areas."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from assessment.models import AssessmentTask, PhaseCompletion
from assessment.selectors.credits import ledger
from assessment.services.progression import phase_complete
from audit.models import AuditAction, AuditEvent
from programme.models import ContentArea, Phase, PhaseChange
from tests.assessment.factories import AssessmentTaskFactory
from ui.errors import RuleError

pytestmark = pytest.mark.django_db


def phase(number):
    return Phase.objects.get(number=number)


def core(world, number, title="Enquiry", **kwargs):
    return AssessmentTaskFactory(cohort=world.enrolment.cohort, phase=phase(number), title=title, **kwargs)


def test_a_phase_with_a_core_task_not_passed_is_refused_naming_it(world, passes):
    passed = core(world, 1, title="Skills of enquiry")
    core(world, 1, title="Using evidence")
    passes.add(world.enrolment, passed)
    with pytest.raises(RuleError) as refused:
        phase_complete(by=world.tutor, enrolment=world.enrolment, phase=phase(1))
    assert "“Using evidence” has not been passed" in refused.value.message
    assert not PhaseChange.objects.exists()
    assert not PhaseCompletion.objects.exists()


def test_a_specialist_task_not_passed_does_not_hold_the_phase_back(world, passes):
    passes.add(world.enrolment, core(world, 1))
    core(world, 1, title="Optional study", kind=AssessmentTask.Kind.SPECIALIST)
    phase_complete(by=world.tutor, enrolment=world.enrolment, phase=phase(1))


def test_confirming_a_phase_moves_the_participant_on_through_phase_progress(world, passes):
    passes.add(world.enrolment, core(world, 1))
    done = phase_complete(by=world.tutor, enrolment=world.enrolment, phase=phase(1), note="Enquiry passed well.")
    world.enrolment.refresh_from_db()
    assert world.enrolment.current_phase.number == 2
    change = PhaseChange.objects.get(enrolment=world.enrolment)
    assert (change.from_phase.number, change.to_phase.number, change.decided_by, change.note) == (
        1,
        2,
        world.tutor,
        "Enquiry passed well.",
    )
    assert done.phase_change == change
    assert AuditEvent.objects.filter(action=AuditAction.PHASE_COMPLETE, enrolment_id=world.enrolment.pk).exists()


def test_confirming_a_phase_already_left_behind_records_it_and_moves_nobody(world, passes):
    world.enrolment.current_phase = phase(3)
    world.enrolment.save(update_fields=["current_phase"])
    passes.add(world.enrolment, core(world, 1))
    done = phase_complete(by=world.tutor, enrolment=world.enrolment, phase=phase(1))
    world.enrolment.refresh_from_db()
    assert world.enrolment.current_phase.number == 3
    assert done.phase_change is None
    assert not PhaseChange.objects.filter(enrolment=world.enrolment).exists()


def test_a_task_of_another_cohort_is_not_the_participants_core_task(world, passes):
    passes.add(world.enrolment, core(world, 1))
    AssessmentTaskFactory(phase=phase(1), title="Another cohort's task")
    phase_complete(by=world.tutor, enrolment=world.enrolment, phase=phase(1))


def test_all_three_phases_the_credits_and_the_areas_complete_the_programme(world, passes):
    areas = list(ContentArea.objects.order_by("number"))
    tasks = [
        core(world, 1, credits=60, content_areas=areas[:1]),
        core(world, 2, credits=60, content_areas=areas[1:3]),
        core(world, 3, credits=60, content_areas=areas[3:]),
    ]
    for number, task in enumerate(tasks, start=1):
        passes.add(world.enrolment, task)
        phase_complete(by=world.tutor, enrolment=world.enrolment, phase=phase(number))
    world.enrolment.refresh_from_db()
    assert world.enrolment.current_phase.number == 3
    found = ledger(world.enrolment)
    assert found.standing.phases_complete == {1, 2, 3}
    assert found.credits == 180
    assert found.standing.complete
    last = PhaseCompletion.objects.get(enrolment=world.enrolment, phase__number=3)
    assert last.phase_change is None  # no phase after the last


def test_the_programme_is_not_complete_while_an_area_is_not_covered_by_passed_work(world, passes):
    area = ContentArea.objects.get(number=1)
    for number in (1, 2, 3):
        task = core(world, number, credits=60, content_areas=[area])
        passes.add(world.enrolment, task)
        phase_complete(by=world.tutor, enrolment=world.enrolment, phase=phase(number))
    standing = ledger(world.enrolment).standing
    assert standing.phases_done
    assert standing.credits_reached
    assert standing.areas_covered == {1}
    assert not standing.complete


def test_only_the_participants_tutor_confirms(world, passes):
    passes.add(world.enrolment, core(world, 1))
    for person in (world.participant, world.coach, world.head, world.leader):
        with pytest.raises(PermissionDenied):
            phase_complete(by=person, enrolment=world.enrolment, phase=phase(1))
    with pytest.raises(Http404):
        phase_complete(by=world.other_tutor, enrolment=world.enrolment, phase=phase(1))
