"""Programme timing (Q22, Q23): no activity before the summer term of the induction year, a start by
the start of the third year of teaching, completion within the first five years."""

import datetime

import pytest

from programme.rules.timing import (
    check_activity_date,
    check_programme_start,
    completion_deadline,
    earliest_activity_date,
    is_backdated,
    latest_start_date,
)
from ui.errors import RuleError

D = datetime.date
DAY = datetime.timedelta(days=1)
SEPTEMBER_2024 = D(2024, 9, 1)  # the usual first post: the start of the 2024/25 academic year


def _start(first_post, started, **kwargs):
    check_programme_start(first_post_started_on=first_post, programme_started_on=started, **kwargs)


def _activity(first_post, on, **kwargs):
    check_activity_date(first_post_started_on=first_post, activity_on=on, **kwargs)


# --- The dates themselves.


def test_september_starter_may_begin_in_the_summer_term_of_their_induction_year():
    assert earliest_activity_date(SEPTEMBER_2024) == D(2025, 4, 15)


def test_september_starter_must_start_by_the_start_of_their_third_year():
    assert latest_start_date(SEPTEMBER_2024) == D(2026, 9, 1)


def test_september_starter_must_finish_within_their_first_five_years():
    assert completion_deadline(SEPTEMBER_2024) == D(2029, 8, 31)


def test_january_first_post_may_begin_in_the_summer_term_three_months_later():
    assert earliest_activity_date(D(2025, 1, 6)) == D(2025, 4, 15)


def test_january_first_post_third_year_starts_two_years_after_their_first_day():
    # Not the September of 2026, which would be only twenty months into their career.
    assert latest_start_date(D(2025, 1, 6)) == D(2027, 1, 6)


def test_january_first_post_has_five_full_years_to_complete():
    assert completion_deadline(D(2025, 1, 6)) == D(2030, 1, 5)


def test_summer_starter_waits_for_the_next_summer_term_not_the_one_before_they_started():
    first_post = D(2025, 6, 2)
    assert earliest_activity_date(first_post) == D(2026, 4, 15)
    with pytest.raises(RuleError) as error:
        _start(first_post, D(2025, 6, 2))
    assert error.value.rule == "earliest_activity"


def test_late_august_starter_cannot_begin_before_they_were_teaching():
    # Counting by academic year put this teacher in 2023/24, so activity was "allowed" in April 2024.
    first_post = D(2024, 8, 28)
    assert earliest_activity_date(first_post) == D(2025, 4, 15)
    assert latest_start_date(first_post) == D(2026, 8, 28)
    assert completion_deadline(first_post) == D(2029, 8, 27)


def test_first_post_on_the_first_day_of_summer_term_counts_that_term():
    assert earliest_activity_date(D(2025, 4, 15)) == D(2025, 4, 15)


def test_first_post_on_29_february_has_its_anniversaries_on_1_march():
    assert latest_start_date(D(2024, 2, 29)) == D(2026, 3, 1)
    assert completion_deadline(D(2024, 2, 29)) == D(2029, 2, 28)


# --- Custom summer-term start (the provider's setting).


def test_custom_summer_term_start_moves_the_earliest_date():
    assert earliest_activity_date(SEPTEMBER_2024, (4, 22)) == D(2025, 4, 22)


def test_custom_summer_term_start_is_used_by_the_start_check():
    _start(SEPTEMBER_2024, D(2025, 4, 22), summer_term_start=(4, 22))
    with pytest.raises(RuleError) as error:
        _start(SEPTEMBER_2024, D(2025, 4, 21), summer_term_start=(4, 22))
    assert "22 April 2025" in error.value.message


def test_summer_term_start_past_the_end_of_its_month_is_its_last_day():
    # The setting allows day 31 in any month; 31 April must not crash the rule.
    assert earliest_activity_date(SEPTEMBER_2024, (4, 31)) == D(2025, 4, 30)
    assert earliest_activity_date(D(2026, 9, 1), (2, 29)) == D(2027, 2, 28)


# --- Boundaries of the start check.


def test_programme_can_start_on_the_first_day_of_summer_term():
    _start(SEPTEMBER_2024, D(2025, 4, 15))


def test_programme_cannot_start_the_day_before_summer_term():
    with pytest.raises(RuleError) as error:
        _start(SEPTEMBER_2024, D(2025, 4, 14))
    assert error.value.rule == "earliest_activity"
    assert error.value.field == "programme_started_on"
    assert "summer term of the induction year" in error.value.message
    assert "15 April 2025" in error.value.message


def test_programme_can_start_on_the_first_day_of_the_third_year():
    _start(SEPTEMBER_2024, D(2026, 9, 1))


def test_programme_cannot_start_the_day_after_the_third_year_began():
    with pytest.raises(RuleError) as error:
        _start(SEPTEMBER_2024, D(2026, 9, 2))
    assert error.value.rule == "latest_start"
    assert error.value.field == "programme_started_on"
    assert "third year of teaching" in error.value.message
    assert "1 September 2026" in error.value.message


def test_january_starter_can_start_in_their_second_autumn():
    _start(D(2025, 1, 6), D(2026, 9, 2))


def test_january_starter_boundaries():
    _start(D(2025, 1, 6), D(2027, 1, 6))
    with pytest.raises(RuleError, match="6 January 2027"):
        _start(D(2025, 1, 6), D(2027, 1, 7))
    with pytest.raises(RuleError, match="15 April 2025"):
        _start(D(2025, 1, 6), D(2025, 4, 14))


# --- Boundaries of activity dates.


def test_activity_on_the_first_day_of_summer_term_is_allowed():
    _activity(SEPTEMBER_2024, D(2025, 4, 15))


def test_activity_the_day_before_summer_term_is_refused():
    with pytest.raises(RuleError) as error:
        _activity(SEPTEMBER_2024, D(2025, 4, 14))
    assert error.value.rule == "earliest_activity"
    assert "15 April 2025" in error.value.message


def test_activity_on_the_last_day_of_the_fifth_year_is_allowed():
    _activity(SEPTEMBER_2024, D(2029, 8, 31))


def test_activity_after_the_fifth_year_is_refused():
    with pytest.raises(RuleError) as error:
        _activity(SEPTEMBER_2024, D(2029, 9, 1))
    assert error.value.rule == "completion_deadline"
    assert "first five years" in error.value.message
    assert "31 August 2029" in error.value.message


def test_activity_uses_the_custom_summer_term_start():
    _activity(SEPTEMBER_2024, D(2025, 4, 1), summer_term_start=(4, 1))
    with pytest.raises(RuleError, match="1 April 2025"):
        _activity(SEPTEMBER_2024, D(2025, 4, 1) - DAY, summer_term_start=(4, 1))


@pytest.mark.parametrize(
    "first_post",
    [D(2024, 9, 1), D(2024, 9, 3), D(2025, 1, 6), D(2025, 4, 15), D(2025, 4, 16), D(2024, 8, 28), D(2024, 2, 29)],
)
def test_the_window_is_always_open_and_in_order(first_post):
    earliest = earliest_activity_date(first_post)
    latest = latest_start_date(first_post)
    deadline = completion_deadline(first_post)
    assert first_post <= earliest < latest < deadline
    # A participant who starts as late as allowed still has three years to complete.
    assert (deadline - latest).days >= 3 * 365 - 1


# --- Backdated starts (issue 8, point 8).

FOURTH_DECEMBER_2026 = D(2026, 12, 4)
THIRD_YEAR_BEGAN = D(2024, 11, 4)  # latest start 4 November 2026, a month before the enrolment is made


def _start_recorded(started, reason=""):
    _start(THIRD_YEAR_BEGAN, started, recorded_on=FOURTH_DECEMBER_2026, backdated_reason=reason)


def test_a_start_up_to_30_days_before_the_enrolment_is_made_needs_no_reason():
    _start(SEPTEMBER_2024, D(2026, 5, 1), recorded_on=D(2026, 5, 31))
    assert not is_backdated(D(2026, 5, 1), D(2026, 5, 31))
    assert is_backdated(D(2026, 4, 30), D(2026, 5, 31))


def test_a_start_backdated_a_year_without_a_reason_is_refused_and_does_not_get_round_the_latest_start():
    with pytest.raises(RuleError) as error:
        _start_recorded(D(2025, 12, 4))
    assert error.value.rules == ["backdated_without_reason", "latest_start"]
    assert "4 December 2026" in error.value.errors["backdated_reason"][0]
    assert "4 November 2026" in error.value.errors["programme_started_on"][0]


def test_a_backdated_start_with_a_reason_counts_from_the_day_it_happened():
    _start_recorded(D(2025, 12, 4), reason="Started on paper records before the portal opened.")


def test_a_reason_of_only_spaces_is_no_reason():
    with pytest.raises(RuleError) as error:
        _start_recorded(D(2025, 12, 4), reason="   ")
    assert error.value.rule == "backdated_without_reason"


def test_a_backdated_start_within_the_latest_start_on_both_days_only_lacks_its_reason():
    with pytest.raises(RuleError) as error:
        _start(SEPTEMBER_2024, D(2025, 9, 1), recorded_on=D(2026, 1, 5))
    assert error.value.rules == ["backdated_without_reason"]


def test_activity_outside_the_programme_names_both_bounds():
    for day in (D(2025, 4, 14), D(2029, 9, 1)):
        with pytest.raises(RuleError) as error:
            check_activity_date(first_post_started_on=SEPTEMBER_2024, activity_on=day, field="due_on")
        assert "15 April 2025" in error.value.message
        assert "31 August 2029" in error.value.message
        assert error.value.field == "due_on"
