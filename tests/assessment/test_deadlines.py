"""One rule says whether a task is open, late or closed on a day, with or without an extension."""

import datetime
from types import SimpleNamespace

import pytest

from assessment.rules.deadlines import Window, effective_due_on, submission_window

DAY = datetime.timedelta(days=1)
TASK = SimpleNamespace(
    opens_on=datetime.date(2025, 10, 1), due_on=datetime.date(2025, 11, 14), late_cutoff_on=datetime.date(2025, 11, 21)
)
EXTENDED = SimpleNamespace(due_on=datetime.date(2025, 11, 18))  # before the cut-off
EXTENDED_PAST_CUTOFF = SimpleNamespace(due_on=datetime.date(2025, 11, 28))


@pytest.mark.parametrize(
    ("on", "window"),
    [
        (TASK.opens_on - DAY, Window.NOT_OPEN),
        (TASK.opens_on, Window.OPEN),
        (TASK.due_on, Window.OPEN),
        (TASK.due_on + DAY, Window.LATE),
        (TASK.late_cutoff_on, Window.LATE),
        (TASK.late_cutoff_on + DAY, Window.CLOSED),
    ],
)
def test_without_an_extension_work_is_on_time_to_the_due_day_and_late_to_the_cutoff(on, window):
    assert submission_window(task=TASK, on=on) == window


@pytest.mark.parametrize(
    ("on", "window"),
    [
        (TASK.opens_on - DAY, Window.NOT_OPEN),
        (TASK.opens_on, Window.OPEN),
        (TASK.due_on, Window.OPEN),
        (TASK.due_on + DAY, Window.OPEN),
        (EXTENDED.due_on, Window.OPEN),
        (EXTENDED.due_on + DAY, Window.LATE),
        (TASK.late_cutoff_on, Window.LATE),
        (TASK.late_cutoff_on + DAY, Window.CLOSED),
    ],
)
def test_an_extension_moves_the_due_day_and_keeps_the_cutoff(on, window):
    assert submission_window(task=TASK, extension=EXTENDED, on=on) == window


@pytest.mark.parametrize(
    ("on", "window"),
    [
        (TASK.opens_on - DAY, Window.NOT_OPEN),
        (TASK.late_cutoff_on, Window.OPEN),
        (TASK.late_cutoff_on + DAY, Window.OPEN),
        (EXTENDED_PAST_CUTOFF.due_on, Window.OPEN),
        (EXTENDED_PAST_CUTOFF.due_on + DAY, Window.CLOSED),
    ],
)
def test_an_extension_past_the_cutoff_is_on_time_to_its_own_date_and_closed_after(on, window):
    assert submission_window(task=TASK, extension=EXTENDED_PAST_CUTOFF, on=on) == window


def test_the_participants_due_date_is_the_extensions_date_when_they_have_one():
    assert effective_due_on(TASK, None) == TASK.due_on
    assert effective_due_on(TASK, EXTENDED) == EXTENDED.due_on
