"""Action steps agreed in a session, and closing them."""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from coaching.models import ActionStep, DialogueLog
from coaching.services._checks import check_within_programme, fmt
from programme import access
from programme.access import Action
from ui.errors import RuleError


@transaction.atomic
def action_step_create(
    *,
    log: DialogueLog,
    by: User,
    owner: User,
    description: str,
    due_on: datetime.date,
    success_criteria: str = "",
) -> ActionStep:
    """An action step agreed in the session. Added while the log is being agreed; once it is
    agreed, new steps belong on the next session's log."""
    log = DialogueLog.objects.select_for_update().select_related("enrolment").get(pk=log.pk)
    if log.is_agreed:
        raise RuleError("This log is agreed. Add new action steps to the next session's log.")
    access.require(by, Action.CHANGE, log)
    errors: dict[str | None, list[str]] = {}
    if owner.pk not in (log.enrolment.participant_id, log.coach_id):
        errors["owner"] = ["The owner must be the participant or their coach."]
    if not description.strip():
        errors["description"] = ["Describe the action step."]
    if due_on < log.session_on:
        errors["due_on"] = [f"The due date must be on or after the session, {fmt(log.session_on)}."]
    else:
        check_within_programme(errors, enrolment=log.enrolment, day=due_on, field="due_on")
    if errors:
        raise RuleError(errors)
    step = ActionStep.objects.create(
        log=log,
        enrolment_id=log.enrolment_id,
        owner=owner,
        description=description.strip(),
        due_on=due_on,
        success_criteria=success_criteria.strip(),
    )
    # The participant agrees the log with its steps: an agreement form opened before this is stale.
    DialogueLog.objects.filter(pk=log.pk).update(version=F("version") + 1, updated_at=timezone.now(), updated_by=by)
    return step


@transaction.atomic
def action_step_close(*, step: ActionStep, by: User, status: str, note: str = "") -> ActionStep:
    """Close a step as done or dropped, usually when it is reviewed at the next session."""
    step = ActionStep.objects.select_for_update().select_related("log").get(pk=step.pk)
    if step.status != ActionStep.Status.OPEN:
        raise RuleError("This action step is already closed.")
    access.require(by, Action.CLOSE, step)
    if status not in (ActionStep.Status.DONE, ActionStep.Status.DROPPED):
        raise RuleError("Choose done or dropped.", field="status")
    if status == ActionStep.Status.DROPPED and not note.strip():
        raise RuleError("Say why the action step was dropped.", field="closing_note")
    step.status = status
    step.closing_note = note.strip()
    step.closed_at = timezone.now()
    step.closed_by = by
    step.save(update_fields=["status", "closing_note", "closed_at", "closed_by"])
    return step
