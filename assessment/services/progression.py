"""The tutor confirms a phase complete once its core tasks are passed
(`assessment.rules.progression.check_phase_complete` decides). For phases 1 and 2 the participant
moves on through `programme.services.phase_progress`, whose history (PhaseChange) records who
decided, when and why; the last phase, and an earlier phase the participant had already moved on
from, are recorded by their PhaseCompletion alone."""

from django.db import transaction

from accounts.models import User
from assessment.models import PhaseCompletion
from assessment.models.credits import LedgerRecord
from assessment.rules.progression import CoreTask, check_phase_complete
from assessment.selectors import credits as credit_selectors
from audit import trail
from programme import access
from programme import services as programme_services
from programme.access import Action
from programme.models import Enrolment, Phase, PhaseChange
from programme.rules.phases import LAST_PHASE
from ui.errors import RuleError
from ui.limits import NOTE_MAX


@transaction.atomic
def phase_complete(*, by: User, enrolment: Enrolment, phase: Phase, note: str = "") -> PhaseCompletion:
    access.require(by, Action.ASSESS, LedgerRecord(enrolment))
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)  # one decision at a time
    if enrolment.status != Enrolment.Status.ACTIVE:
        raise RuleError(
            f"The enrolment is {enrolment.get_status_display().lower()}; a phase is confirmed only while it is active.",
            rule="enrolment_not_active",
            field="phase",
        )
    if len(note) > NOTE_MAX:
        raise RuleError(f"Keep the note to {NOTE_MAX:,} characters or fewer.", rule="note_length", field="note")
    check_phase_complete(
        phase=phase.number,
        current_phase=enrolment.current_phase.number,
        completed=PhaseCompletion.objects.filter(enrolment=enrolment).values_list("phase__number", flat=True),
        core_tasks=[CoreTask(pk=t.pk, title=t.title) for t in credit_selectors.core_tasks(enrolment, phase)],
        passed_task_ids=credit_selectors.passed_tasks(enrolment.pk).values_list("pk", flat=True),
    )
    change = None
    # Only the current phase moves the participant on; an earlier one left unconfirmed is recorded alone.
    if phase.number == enrolment.current_phase.number and phase.number < LAST_PHASE:
        programme_services.phase_progress(
            enrolment=enrolment, to_phase=Phase.objects.get(number=phase.number + 1), by=by, note=note
        )
        change = PhaseChange.objects.filter(enrolment=enrolment).latest("decided_at", "pk")
    completion = PhaseCompletion.objects.create(
        enrolment=enrolment, phase=phase, phase_change=change, confirmed_by=by, note=note.strip()
    )
    trail.record(trail.Action.PHASE_COMPLETE, record=completion, actor=by, detail={"phase": phase.number})
    return completion
