"""A participant's own due dates: the task's, or their extension's. Every page that shows a
participant a due date reads it here, so an extension shows wherever the date does."""

import datetime
from collections.abc import Iterable

from assessment.models import AssessmentTask, Extension
from assessment.rules.deadlines import effective_due_on
from programme.models import Enrolment


def due_date_for(enrolment: Enrolment, task: AssessmentTask) -> datetime.date:
    extension = Extension.objects.filter(enrolment=enrolment, task=task).first()
    return effective_due_on(task, extension)


def due_dates_for(enrolment: Enrolment, tasks: Iterable[AssessmentTask]) -> dict[int, datetime.date]:
    """Task id -> the participant's due date, for a list of tasks in one query."""
    tasks = list(tasks)
    extensions = {e.task_id: e for e in Extension.objects.filter(enrolment=enrolment, task__in=tasks)}
    return {task.pk: effective_due_on(task, extensions.get(task.pk)) for task in tasks}
