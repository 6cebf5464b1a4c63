"""Setting and changing assessment tasks. Every broken rule is reported at once, beside its field."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, fields

from django.db import transaction

from accounts.models import User
from assessment.models import AssessmentTask, Extension, Rubric
from assessment.rules import tasks as rules
from assessment.rules.deadlines import DEFAULT_RESUBMISSION_WEEKS
from audit import trail
from coaching import richtext
from programme.models import Cohort, ContentArea, Phase, ProgrammeSettings
from ui.errors import RuleError
from ui.limits import RICH_TEXT_MAX


@dataclass(frozen=True)
class TaskContent:
    cohort: Cohort | None
    phase: Phase | None
    title: str
    credits: int | None
    opens_on: datetime.date | None
    due_on: datetime.date | None
    late_cutoff_on: datetime.date | None
    marks_due_on: datetime.date | None
    rubric: Rubric | None
    brief: str = ""
    content_areas: Sequence[ContentArea] = ()
    kind: str = AssessmentTask.Kind.CORE
    word_limit: int | None = None
    second_marking: str = AssessmentTask.SecondMarking.SAMPLE
    sample_percent: int = 10
    sample_min: int = 1
    sample_max: int | None = None
    sample_sqrt: bool = False
    include_fails: bool = True
    include_borderline: bool = True
    include_distinctions: bool = True
    borderline_from: int = 45
    borderline_to: int = 49
    blind_second_marking: bool = True
    reconcile_threshold: int = 10
    resubmission_cap: int = 50
    resubmission_weeks: int = DEFAULT_RESUBMISSION_WEEKS
    release_on: datetime.date | None = None


_SCALARS = [f.name for f in fields(TaskContent) if f.name != "content_areas"]


def content_of(task: AssessmentTask) -> TaskContent:
    """A saved task as content, to change from."""
    values = {name: getattr(task, name) for name in _SCALARS}
    return TaskContent(**values, content_areas=list(task.content_areas.all()))


def _check(content: TaskContent, *, task: AssessmentTask | None = None) -> None:
    broken: list[RuleError] = []
    if content.cohort is None:
        broken.append(RuleError("Choose the cohort the task is set for.", rule="task_required", field="cohort"))
    if content.phase is None:
        broken.append(RuleError("Choose the phase the task belongs to.", rule="task_required", field="phase"))
    if not content.title.strip():
        broken.append(RuleError("Enter the task's title.", rule="task_required", field="title"))
    if len(content.brief or "") > RICH_TEXT_MAX:
        message = f"Keep the brief to {RICH_TEXT_MAX:,} characters or fewer."
        broken.append(RuleError(message, rule="task_brief", field="brief"))
    if content.word_limit is not None and content.word_limit <= 0:
        message = "Enter the words expected as a number above 0, or leave it empty."
        broken.append(RuleError(message, rule="task_words", field="word_limit"))
    if content.rubric is None:
        broken.append(RuleError("Choose the rubric the task is marked against.", rule="task_required", field="rubric"))
    elif _superseded(content.rubric, task):
        broken.append(
            RuleError(
                f"{content.rubric} has been replaced by a newer version. Choose the latest version.",
                rule="task_rubric",
                field="rubric",
            )
        )
    dates = rules.TaskDates(content.opens_on, content.due_on, content.late_cutoff_on, content.marks_due_on)
    broken += rules.check_dates(dates)
    broken += rules.check_credits(content.credits)
    broken += rules.check_resubmission_weeks(content.resubmission_weeks)
    broken += rules.check_resubmission_cap(content.resubmission_cap, pass_mark=ProgrammeSettings.load().pass_mark)
    broken += rules.check_second_marking(
        sample_min=content.sample_min,
        sample_max=content.sample_max,
        borderline_from=content.borderline_from,
        borderline_to=content.borderline_to,
    )
    if content.release_on and content.due_on and content.release_on < content.due_on:
        broken.append(
            RuleError("Results cannot be released before the work is due.", rule="task_release", field="release_on")
        )
    if task is not None and content.due_on is not None:
        broken += _extensions_still_after(task, content.due_on)
    if broken:
        raise RuleError.together(broken)


def _superseded(rubric: Rubric, task: AssessmentTask | None) -> bool:
    """A replaced version may stay on a task that already has it, never be newly chosen."""
    if task is not None and task.rubric_id == rubric.pk:
        return False
    return Rubric.objects.filter(previous=rubric).exists()


def _extensions_still_after(task: AssessmentTask, due_on: datetime.date) -> list[RuleError]:
    """An extension is a date after the task's due date; moving the due date may not overtake one."""
    earliest = Extension.objects.filter(task=task).order_by("due_on").first()
    if earliest is None or earliest.due_on > due_on:
        return []
    return [
        RuleError(
            f"An extension already runs to {earliest.due_on.day} {earliest.due_on:%B %Y}. Keep the due date before "
            "it, or change the extension first.",
            rule="task_extensions",
            field="due_on",
        )
    ]


def _apply(task: AssessmentTask, content: TaskContent) -> None:
    for name in _SCALARS:
        setattr(task, name, getattr(content, name))
    task.title = content.title.strip()
    task.brief = richtext.sanitise(content.brief)


@transaction.atomic
def task_create(*, content: TaskContent, by: User | None) -> AssessmentTask:
    _check(content)
    task = AssessmentTask()
    _apply(task, content)
    task.save()
    task.content_areas.set(content.content_areas)
    trail.record(trail.Action.TASK_CREATE, record=task, actor=by)
    return task


@transaction.atomic
def task_delete(*, task: AssessmentTask, by: User | None) -> None:
    """Remove a task set by mistake. Once work has been submitted to it, it stays."""
    task = AssessmentTask.objects.select_for_update().get(pk=task.pk)
    if task.submissions.exists():
        raise RuleError(
            "Work has been submitted to this task, so it cannot be deleted. Change its dates instead.",
            rule="task_in_use",
        )
    if task.extensions.exists():
        raise RuleError(
            "Extensions have been granted on this task, so it cannot be deleted. Change its dates instead.",
            rule="task_in_use",
        )
    trail.record(trail.Action.TASK_DELETE, record=task, actor=by, detail={"title": task.title[:100]})
    task.delete()


@transaction.atomic
def task_update(*, task: AssessmentTask, content: TaskContent, by: User | None) -> AssessmentTask:
    task = AssessmentTask.objects.select_for_update().get(pk=task.pk)
    _check(content, task=task)
    _apply(task, content)
    task.save()
    task.content_areas.set(content.content_areas)
    trail.record(trail.Action.TASK_CHANGE, record=task, actor=by)
    return task
