"""The one rule deciding when a former participant's personal data is due for erasure
(programme.rules.retention): every enrolment withdrawn or completed, the retention period since
the last one ended passed, and no other role held."""

import datetime

import pytest

from programme.rules.retention import due_for_erasure, erasure_due_on, years_after

D = datetime.date


@pytest.mark.parametrize(
    ("enrolments", "today", "due"),
    [
        ([("completed", D(2020, 7, 31))], D(2026, 7, 30), False),  # a day short of six years
        ([("completed", D(2020, 7, 31))], D(2026, 7, 31), True),  # six years to the day
        ([("withdrawn", D(2019, 1, 10))], D(2026, 1, 1), True),
        ([("active", None)], D(2040, 1, 1), False),
        ([("interrupted", None)], D(2040, 1, 1), False),
        ([("completed", None)], D(2040, 1, 1), False),  # the day it ended is not known: never on a guess
        # The retention period runs from the last enrolment to end.
        ([("withdrawn", D(2010, 1, 1)), ("completed", D(2021, 3, 1))], D(2026, 12, 5), False),
        ([("withdrawn", D(2010, 1, 1)), ("completed", D(2020, 3, 1))], D(2026, 12, 5), True),
        # An old enrolment ended, a new one running.
        ([("withdrawn", D(2010, 1, 1)), ("active", None)], D(2026, 12, 5), False),
        ([], D(2026, 12, 5), False),  # never a participant
    ],
)
def test_due_six_years_after_the_last_enrolment_ended(enrolments, today, due):
    assert due_for_erasure(enrolments, retention_years=6, today=today, holds_other_roles=False) is due


def test_someone_who_now_holds_another_role_is_never_due():
    ended = [("completed", D(2000, 7, 31))]
    assert due_for_erasure(ended, retention_years=6, today=D(2026, 12, 5), holds_other_roles=True) is False
    assert due_for_erasure(ended, retention_years=6, today=D(2026, 12, 5), holds_other_roles=False) is True


def test_the_period_is_the_providers_setting():
    ended = [("completed", D(2024, 7, 31))]
    assert due_for_erasure(ended, retention_years=2, today=D(2026, 7, 31), holds_other_roles=False) is True
    assert due_for_erasure(ended, retention_years=3, today=D(2026, 7, 31), holds_other_roles=False) is False


def test_29_february_counts_to_1_march_in_a_year_without_one_never_a_day_early():
    assert years_after(D(2024, 2, 29), 6) == D(2030, 3, 1)
    assert years_after(D(2024, 2, 29), 4) == D(2028, 2, 29)
    assert erasure_due_on([("completed", D(2024, 2, 29))], retention_years=6) == D(2030, 3, 1)
