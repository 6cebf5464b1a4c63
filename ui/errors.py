"""The one error a service raises when what it was asked breaks a rule, and the one way a form shows
it: each message beside the field it is about, what was typed kept, nothing saved.

Programme, coaching and accounts services all raise RuleError; views hand it to `show_on_form`
(or to `saved`, or to RuleErrorsMixin in the CMS), never to their own copy of the loop.
"""

from collections.abc import Callable, Mapping
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest

T = TypeVar("T")

Errors = Mapping[str | None, list[str]]


class RuleError(Exception):
    """A broken rule. `rule` names it; `errors` maps each input it is about (None: the whole form)
    to its messages, so a service can report every broken rule at once (`together`, whose `rules`
    names each). `field` and `message` are the first of them."""

    def __init__(self, message: str | Errors, *, rule: str = "invalid", field: str | None = None):
        if isinstance(message, str):
            errors = {field: [message]}
        else:
            errors = {name: list(texts) for name, texts in message.items() if texts}
        if not errors:
            raise ValueError("A RuleError needs at least one message.")
        self.errors: dict[str | None, list[str]] = errors
        self.rule = rule
        self.rules = [rule]
        self.field = next(iter(errors))
        self.message = errors[self.field][0]
        super().__init__(self.message)

    @classmethod
    def together(cls, broken: list["RuleError"]) -> "RuleError":
        """One error reporting every rule in `broken` (not empty), so the person fixes them all at once."""
        errors: dict[str | None, list[str]] = {}
        for error in broken:
            for name, texts in error.errors.items():
                errors.setdefault(name, []).extend(texts)
        together = cls(errors, rule=broken[0].rule)
        together.rules = [rule for error in broken for rule in error.rules]
        return together


def show_on_form(form: forms.BaseForm, error: RuleError, *, fields: Mapping[str, str] | None = None) -> None:
    """Put each message beside the field it names. `fields` maps a service's names onto the form's
    where they differ; a message about a field the form does not have goes above the form."""
    fields = fields or {}
    for name, texts in error.errors.items():
        name = fields.get(name, name) if name is not None else None
        for text in texts:
            form.add_error(name if name in form.fields else None, text)


def saved(
    request: HttpRequest, form: forms.BaseForm, save: Callable[[], T], *, message: str | Callable[[T], str]
) -> T | None:
    """Send a valid form to its service. Saved: the success message is shown and what the service
    returned (a record) is the answer, for the view to redirect. Refused with a RuleError: its
    messages go beside the fields they are about and the answer is None, so the view shows the
    form again with what was typed. An unbound or invalid form is None too, and calls nothing."""
    if not form.is_valid():
        return None
    try:
        done = save()
    except RuleError as error:
        show_on_form(form, error, fields=getattr(form, "rule_fields", None))
        return None
    messages.success(request, message(done) if callable(message) else message)
    return done


class RuleErrorsMixin:
    """For the CMS's create and edit views whose `save_instance` calls a service: a RuleError
    comes back as the form with its messages beside the fields (the form's `rule_fields` maps
    names), and Wagtail's transaction around the save is rolled back."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except RuleError as error:
            show_on_form(form, error, fields=getattr(form, "rule_fields", None))
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)
