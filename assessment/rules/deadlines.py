"""The one timing rule for submissions: whether a task is open, late or closed on a day.

Every page, service and email asks here. Dates are inclusive: work is on time up to and including
the due day (or the extension's date), late from the next day up to and including the cut-off.

A resubmission (after a referral is released) has its own due date: the task's resubmission window
(`AssessmentTask.resubmission_weeks`, DEFAULT_RESUBMISSION_WEEKS unless the programme leader sets
another) in weeks after the day the referral was released, inclusive, with no late period (a
resubmission is the second chance already). It is fixed when the participant starts the
resubmission, so a later change to the task moves no date already given."""

import datetime
import enum
from typing import Protocol


class Window(enum.StrEnum):
    NOT_OPEN = "not_open"
    OPEN = "open"
    LATE = "late"
    CLOSED = "closed"


class _Task(Protocol):
    opens_on: datetime.date
    due_on: datetime.date
    late_cutoff_on: datetime.date


class _Extension(Protocol):
    due_on: datetime.date


def effective_due_on(task: _Task, extension: _Extension | None = None) -> datetime.date:
    """The participant's own due date: the extension's date when they have one."""
    return extension.due_on if extension is not None else task.due_on


def effective_cutoff_on(task: _Task, extension: _Extension | None = None) -> datetime.date:
    """The last day work is accepted. An extension past the task's cut-off carries it along, so
    an extended participant is never shut out before their own due date."""
    return max(task.late_cutoff_on, effective_due_on(task, extension))


def submission_window(*, task: _Task, extension: _Extension | None = None, on: datetime.date) -> Window:
    if on < task.opens_on:
        return Window.NOT_OPEN
    if on <= effective_due_on(task, extension):
        return Window.OPEN
    if on <= effective_cutoff_on(task, extension):
        return Window.LATE
    return Window.CLOSED


DEFAULT_RESUBMISSION_WEEKS = 6
RESUBMISSION_WEEKS_MAX = 52


def resubmission_due_on(*, released_on: datetime.date, weeks: int) -> datetime.date:
    """The last day for a resubmission: the task's window in weeks after the referral was released."""
    return released_on + datetime.timedelta(weeks=weeks)


def resubmission_window(*, due_on: datetime.date, on: datetime.date) -> Window:
    """A resubmission is open from the release of the referral up to and including its due date."""
    return Window.OPEN if on <= due_on else Window.CLOSED
