"""One error type for every broken rule, shown beside the fields it names."""

import pytest
from django import forms

from ui.errors import RuleError, show_on_form


class SessionForm(forms.Form):
    session_on = forms.DateField()
    discussed = forms.CharField()


def test_every_message_goes_beside_the_field_it_names():
    form = SessionForm(data={"session_on": "2026-01-05", "discussed": "x"})
    assert form.is_valid()
    error = RuleError({"session_on": ["Too early."], "discussed": ["Too long."], None: ["Stale."]}, rule="many")
    show_on_form(form, error)
    assert form.errors["session_on"] == ["Too early."]
    assert form.errors["discussed"] == ["Too long."]
    assert form.non_field_errors() == ["Stale."]


def test_a_service_name_is_mapped_onto_the_form_and_an_unknown_field_goes_above_the_form():
    form = SessionForm(data={"session_on": "2026-01-05", "discussed": "x"})
    form.is_valid()
    show_on_form(form, RuleError("Not then.", rule="r", field="starts_on"), fields={"starts_on": "session_on"})
    show_on_form(form, RuleError("No such field.", rule="r", field="nowhere"))
    assert form.errors["session_on"] == ["Not then."]
    assert form.non_field_errors() == ["No such field."]


def test_the_error_names_its_rule_and_first_field_and_message():
    error = RuleError("Enter a date.", rule="dates", field="session_on")
    assert (error.rule, error.field, error.message, str(error)) == (
        "dates",
        "session_on",
        "Enter a date.",
        "Enter a date.",
    )


def test_an_error_without_a_message_is_a_programming_mistake():
    with pytest.raises(ValueError):
        RuleError({"session_on": []})


def test_several_broken_rules_are_reported_together_each_beside_its_field():
    together = RuleError.together(
        [
            RuleError("Too early.", rule="earliest", field="session_on"),
            RuleError("Too late.", rule="deadline", field="session_on"),
            RuleError("Too long.", rule="length", field="discussed"),
        ]
    )
    assert together.rules == ["earliest", "deadline", "length"]
    assert together.errors == {"session_on": ["Too early.", "Too late."], "discussed": ["Too long."]}
