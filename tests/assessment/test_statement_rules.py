"""The supporting statement's rules (assessment.rules.statements): submitted work only, locked once
marking starts with the reason given, and each part written and within its word limit."""

import datetime

import pytest

from assessment.rules.statements import WORD_LIMIT, check_statement_open, check_statement_words
from ui.errors import RuleError


def test_a_statement_is_open_on_submitted_work_before_marking_starts():
    check_statement_open(submitted=True, marking_started_at=None)


def test_a_statement_is_locked_once_marking_starts_and_the_refusal_says_when_and_why():
    started = datetime.datetime(2026, 3, 9, 10, 30, tzinfo=datetime.UTC)
    with pytest.raises(RuleError) as refused:
        check_statement_open(submitted=True, marking_started_at=started)
    assert refused.value.rule == "statement_locked"
    assert "started marking this work on 9 March 2026" in refused.value.message
    assert "locked" in refused.value.message


def test_work_that_is_not_submitted_takes_no_statement():
    with pytest.raises(RuleError) as refused:
        check_statement_open(submitted=False, marking_started_at=None)
    assert refused.value.rule == "statement_not_submitted"


def test_both_parts_must_be_written():
    errors = check_statement_words({"practice": "  ", "outcomes": "<p></p>"})
    assert set(errors) == {"practice", "outcomes"}
    assert errors["practice"] == ["Write how the participant's practice changed."]


def test_each_part_is_held_to_the_word_limit_and_the_message_counts_the_excess():
    at_limit = " ".join(["word"] * WORD_LIMIT)
    over = " ".join(["word"] * (WORD_LIMIT + 3))
    assert check_statement_words({"practice": at_limit, "outcomes": "<p>Fine.</p>"}) == {}
    errors = check_statement_words({"practice": "Fine.", "outcomes": over})
    assert errors == {"outcomes": [f"Keep this to {WORD_LIMIT} words or fewer; it has {WORD_LIMIT + 3} (3 too many)."]}


def test_markup_is_not_counted_as_words():
    assert check_statement_words({"practice": "<p>One</p><p>two</p>", "outcomes": "x"}, limit=2) == {}
