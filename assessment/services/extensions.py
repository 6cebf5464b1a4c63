"""Extensions: a participant's own due date for one task, a date after the task's, with a reason.
Granting again changes the date (one extension per participant and task); the trail keeps both."""

import datetime

from django.db import transaction

from accounts.models import User
from assessment.models import AssessmentTask, Extension
from audit import trail
from programme.models import Enrolment
from ui.errors import RuleError
from ui.limits import SHORT_TEXT_MAX


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _check(*, enrolment: Enrolment, task: AssessmentTask, due_on: datetime.date | None, reason: str) -> None:
    broken = []
    if enrolment.cohort_id != task.cohort_id:
        broken.append(
            RuleError(
                "This participant is not in the cohort the task is set for.", rule="extension_cohort", field="enrolment"
            )
        )
    if due_on is None:
        broken.append(RuleError("Enter the new due date.", rule="extension_date", field="due_on"))
    elif due_on <= task.due_on:
        broken.append(
            RuleError(
                f"An extension must be after the task's due date, {_day(task.due_on)}.",
                rule="extension_date",
                field="due_on",
            )
        )
    if not (reason or "").strip():
        broken.append(RuleError("Enter the reason for the extension.", rule="extension_reason", field="reason"))
    elif len(reason) > SHORT_TEXT_MAX:
        broken.append(
            RuleError(
                f"Keep the reason to {SHORT_TEXT_MAX:,} characters or fewer.", rule="extension_reason", field="reason"
            )
        )
    if broken:
        raise RuleError.together(broken)


@transaction.atomic
def extension_grant(
    *, enrolment: Enrolment, task: AssessmentTask, due_on: datetime.date | None, reason: str, by: User
) -> Extension:
    """Give `enrolment` until `due_on` for `task` (or move the date of the extension they have)."""
    task = AssessmentTask.objects.select_for_update().get(pk=task.pk)  # the due date cannot move meanwhile
    _check(enrolment=enrolment, task=task, due_on=due_on, reason=reason)
    extension = Extension.objects.select_for_update().filter(enrolment=enrolment, task=task).first()
    was = extension.due_on.isoformat() if extension else None
    if extension is None:
        extension = Extension(enrolment=enrolment, task=task)
    extension.due_on = due_on
    extension.reason = reason.strip()
    extension.granted_by = by
    extension.save()
    trail.record(
        trail.Action.EXTENSION_GRANT,
        record=extension,
        actor=by,
        detail={"task": task.pk, "due_on": due_on.isoformat(), "was": was},
    )
    return extension
