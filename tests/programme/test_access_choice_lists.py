"""Issue 8.2: a form never offers a record from a list the access policy did not build. Every choice
field over a registered kind of record starts empty; the view fills it with `access.permitted`."""

import importlib
import inspect

import pytest
from django import forms
from django.apps import apps

from programme import access


def _forms_modules():
    for config in apps.get_app_configs():
        if "site-packages" in config.path:
            continue  # only the portal's own apps
        try:
            yield importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue


def _record_choice_fields():
    registered = {r.model for r in access.registrations()}
    for module in _forms_modules():
        for name, form in inspect.getmembers(module, inspect.isclass):
            if not issubclass(form, forms.BaseForm) or form.__module__ != module.__name__:
                continue
            for field_name, field in form.base_fields.items():
                if isinstance(field, forms.ModelChoiceField) and field.queryset.model in registered:
                    yield f"{module.__name__}.{name}.{field_name}", field


FIELDS = list(_record_choice_fields())


def test_the_walk_finds_the_session_chosen_for_a_learning_opportunity():
    assert "coaching.forms.OpportunityLearningForm.log" in dict(FIELDS)


@pytest.mark.parametrize(("name", "field"), FIELDS, ids=[name for name, _ in FIELDS])
def test_a_choice_of_records_starts_empty_for_the_policy_to_fill(name, field):
    assert field.queryset.query.is_empty(), f"{name} offers records the access policy has not chosen"
