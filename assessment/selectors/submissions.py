"""Reads for submissions: what a participant may choose, their tasks and where each stands, one
submission with what has changed in the portfolio since, and the submitted work a tutor or coach
may open. Each in a fixed number of queries however many records there are."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from assessment.models import AssessmentTask, Extension, Marking, Submission, SubmissionItem
from assessment.rules.deadlines import (
    Window,
    effective_due_on,
    resubmission_due_on,
    resubmission_window,
    submission_window,
)
from assessment.rules.marks import Outcome
from assessment.workflow import State
from coaching import richtext
from coaching.models import AgreementStatus, DialogueLog
from portfolio.models import Enquiry, Evidence, Reflection
from programme import access
from programme.access import Action, RecordKind
from programme.models import Enrolment


def _readable(user, records) -> list:
    return [record for record, actions in access.judge(user, records) if Action.VIEW in actions]


# --- What the participant may put in a submission.


@dataclass(frozen=True)
class SectionChoice:
    key: str  # "enquiry id:section", what the form posts
    enquiry: Enquiry
    section: str
    heading: str


@dataclass
class Choices:
    evidence: list[Evidence]
    reflections: list[Reflection]
    sections: list[SectionChoice]
    logs: list[DialogueLog]

    def section(self, key: str) -> SectionChoice | None:
        return next((choice for choice in self.sections if choice.key == key), None)


def submission_choices(user, enrolment: Enrolment) -> Choices:
    """The records of this participant that this person may read, as the builder offers them: their
    evidence, reflections, the written sections of their enquiries and their agreed dialogue logs.
    The one list the form shows and the service checks a posted choice against."""
    evidence = Evidence.objects.filter(enrolment=enrolment).order_by("-relates_to", "-pk")
    reflections = Reflection.objects.filter(enrolment=enrolment).order_by("-written_on", "-pk")
    enquiries = Enquiry.objects.filter(enrolment=enrolment).order_by("-started_on", "-pk")
    logs = DialogueLog.objects.filter(enrolment=enrolment, status=AgreementStatus.AGREED).order_by("-session_on", "-pk")
    sections = [
        SectionChoice(key=f"{enquiry.pk}:{name}", enquiry=enquiry, section=name, heading=heading)
        for enquiry in _readable(user, enquiries)
        for name, heading, _ in Enquiry.SECTIONS
        if not richtext.is_blank(getattr(enquiry, name))
    ]
    return Choices(
        evidence=_readable(user, evidence),
        reflections=_readable(user, reflections),
        sections=sections,
        logs=_readable(user, logs),
    )


# --- The participant's tasks.


@dataclass
class TaskRow:
    task: AssessmentTask
    extension: Extension | None
    due_on: datetime.date
    window: Window
    latest: Submission | None  # their latest attempt, if any
    current_phase_id: int
    resubmit_by: datetime.date | None = None  # the latest attempt's referral is released: resubmit by then

    @property
    def may_build(self) -> bool:
        """A draft can be started or carried on: the task is of their current phase and open."""
        building = self.latest is None or self.latest.state == Submission.State.DRAFT
        in_phase = self.task.phase_id == self.current_phase_id
        return in_phase and building and self.window in (Window.OPEN, Window.LATE)


def tasks_for(enrolment: Enrolment, *, today: datetime.date) -> list[TaskRow]:
    """The tasks of the participant's cohort, in phase and date order, each with their own due date
    (an extension's where they have one), whether it is open today and their latest attempt."""
    tasks = list(
        AssessmentTask.objects.filter(cohort_id=enrolment.cohort_id)
        .select_related("phase")
        .order_by("phase__number", "due_on", "pk")
    )
    extensions = {e.task_id: e for e in Extension.objects.filter(enrolment=enrolment)}
    latest: dict[int, Submission] = {}
    for submission in Submission.objects.filter(enrolment=enrolment).order_by("task_id", "-attempt"):
        latest.setdefault(submission.task_id, submission)
    referred = _referred(latest.values(), weeks={task.pk: task.resubmission_weeks for task in tasks})
    rows = []
    for task in tasks:
        extension = extensions.get(task.pk)
        mine = latest.get(task.pk)
        if mine is not None and mine.resubmission_of_id is not None:  # a resubmission's own due date
            due, window = mine.resubmission_due_on, resubmission_window(due_on=mine.resubmission_due_on, on=today)
            extension = None
        else:
            due, window = effective_due_on(task, extension), submission_window(task=task, extension=extension, on=today)
        rows.append(
            TaskRow(
                task=task,
                extension=extension,
                due_on=due,
                window=window,
                latest=mine,
                current_phase_id=enrolment.current_phase_id,
                resubmit_by=referred.get(mine.pk) if mine is not None else None,
            )
        )
    return rows


def _referred(latest, *, weeks: dict[int, int]) -> dict[int, datetime.date]:
    """Of these latest attempts, the first attempts whose released result is a referral, each with
    the last day to resubmit it (one query: the deciding marks are the agreed ones where moderation
    agreed them, as assessment.selectors.marking.result_of reads them)."""
    ids = [s.pk for s in latest if s.state == Submission.State.SUBMITTED and not s.is_resubmission]
    task_of = {s.pk: s.task_id for s in latest}
    deciding: dict[int, Marking] = {}
    markings = Marking.objects.filter(submission_id__in=ids, role__in=[Marking.Role.FIRST, Marking.Role.AGREED]).only(
        "submission_id", "role", "state", "outcome", "released_at"
    )
    for marking in markings:
        if marking.role == Marking.Role.AGREED or marking.submission_id not in deciding:
            deciding[marking.submission_id] = marking
    return {
        pk: resubmission_due_on(released_on=timezone.localdate(m.released_at), weeks=weeks[task_of[pk]])
        for pk, m in deciding.items()
        if m.state == State.RELEASED and m.outcome == Outcome.REFER
    }


def task_for(enrolment: Enrolment, task_id: int) -> AssessmentTask | None:
    """A task of the participant's cohort and current phase: the only ones they build work for."""
    return (
        AssessmentTask.objects.select_related("phase", "rubric")
        .filter(pk=task_id, cohort_id=enrolment.cohort_id, phase_id=enrolment.current_phase_id)
        .first()
    )


def extension_for(enrolment: Enrolment, task: AssessmentTask) -> Extension | None:
    return Extension.objects.filter(enrolment=enrolment, task=task).first()


@dataclass(frozen=True)
class Timing:
    """Where an attempt at a task stands in time: open, late or closed today, and its due date. A
    resubmission has its own due date and no extension or late period."""

    window: Window
    due_on: datetime.date
    extension: Extension | None = None
    is_resubmission: bool = False


def timing_for(enrolment: Enrolment, task: AssessmentTask, latest: Submission | None, *, today) -> Timing:
    """The timing of the participant's work on a task, `latest` being their latest attempt."""
    if latest is not None and latest.resubmission_of_id is not None:
        due = latest.resubmission_due_on
        return Timing(window=resubmission_window(due_on=due, on=today), due_on=due, is_resubmission=True)
    extension = extension_for(enrolment, task)
    return Timing(
        window=submission_window(task=task, extension=extension, on=today),
        due_on=effective_due_on(task, extension),
        extension=extension,
    )


def draft_for(enrolment: Enrolment, task: AssessmentTask) -> Submission | None:
    return (
        Submission.objects.filter(enrolment=enrolment, task=task, state=Submission.State.DRAFT)
        .prefetch_related("items")
        .first()
    )


def latest_for(enrolment: Enrolment, task: AssessmentTask) -> Submission | None:
    return Submission.objects.filter(enrolment=enrolment, task=task).order_by("-attempt").first()


# --- One submission, and what has changed in the portfolio since it was submitted.


def submission_detail(pk: int) -> Submission | None:
    items = SubmissionItem.objects.select_related("evidence", "reflection", "enquiry", "log").prefetch_related("files")
    return (
        Submission.objects.select_related("task__phase", "enrolment__participant", "previous")
        .prefetch_related(Prefetch("items", queryset=items))
        .filter(pk=pk)
        .first()
    )


UNCHANGED, CHANGED, DELETED = "unchanged", "changed", "deleted"


def change_since(item: SubmissionItem) -> str:
    """Whether the record an item was frozen from has changed since, been deleted, or not. Every
    save of evidence or a reflection raises its version; an enquiry section is compared by its
    text; an agreed log changes only by a new agreed version."""
    kind = SubmissionItem.Kind
    if item.kind == kind.EVIDENCE:
        source, now = item.evidence, item.evidence and item.evidence.version
    elif item.kind == kind.REFLECTION:
        source, now = item.reflection, item.reflection and item.reflection.version
    elif item.kind == kind.DIALOGUE_LOG:
        source, now = item.log, item.log and item.log.agreed_version
    else:
        source = item.enquiry
        if source is None:
            return DELETED
        return UNCHANGED if richtext.sanitise(getattr(source, item.section, "")) == item.body else CHANGED
    if source is None:
        return DELETED
    return UNCHANGED if now == item.source_version else CHANGED


def attempts(submission: Submission) -> list[Submission]:
    """Every attempt at the same task by the same participant, first to last: the history."""
    return list(
        Submission.objects.filter(enrolment_id=submission.enrolment_id, task_id=submission.task_id).order_by("attempt")
    )


# --- Submitted work a tutor, coach or programme leader may open.


def submitted_for(user) -> QuerySet[Submission]:
    """Submitted work this person may read (the access policy's reading rule as a filter, so the
    database pages it), newest first."""
    readable = access.readable_where(user, RecordKind.SUBMISSION, enrolment="enrolment", on="dated_on")
    return (
        Submission.objects.filter(state=Submission.State.SUBMITTED)
        .filter(readable)
        .select_related("task__phase", "enrolment__participant")
        .order_by("-submitted_at", "-pk")
    )
