"""Typed text has a length no real entry meets; longer is refused beside the field (issue 8, point 6).
A dialogue log's fields are declared once and every copy of a log reads that list (issue 7)."""

import dataclasses
import inspect
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.db import models
from django.urls import reverse

from coaching import forms as coaching_forms
from coaching.models import ActionStep, DialogueLog, SessionRecord
from coaching.services import LogContent
from programme.admin import forms as programme_forms
from tests.coaching.factories import DialogueLogFactory, agreed_log, log_form_data
from ui.limits import RICH_TEXT_MAX

pytestmark = pytest.mark.django_db


def _error_beside(body: str, field: str, message: str) -> bool:
    return f'id="id_{field}-error-1"><span class="govuk-visually-hidden">Error:</span> {message}' in body


def test_a_record_of_two_million_characters_is_refused_beside_the_field_and_nothing_is_saved(client, world):
    client.force_login(world.coach)
    response = client.post(
        reverse("coaching:log_create", args=[world.enrolment.pk]),
        log_form_data(discussed="x" * 2_000_006, strengths="Kept-as-typed"),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert _error_beside(body, "discussed", "Keep this to 20,000 characters or fewer; it has 2000006.")
    assert "Kept-as-typed" in body
    assert DialogueLog.objects.count() == 0


def test_a_record_at_the_limit_is_saved(client, world):
    client.force_login(world.coach)
    client.post(reverse("coaching:log_create", args=[world.enrolment.pk]), log_form_data(discussed="x" * RICH_TEXT_MAX))
    assert DialogueLog.objects.count() == 1


def test_an_over_long_action_step_is_refused_beside_its_description(client, world):
    log = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach)
    client.force_login(world.coach)
    response = client.post(
        reverse("coaching:action_step_create", args=[log.pk]),
        {"owner": str(world.participant.pk), "description": "y" * 2_001, "due_on": "2025-12-01"},
    )
    assert _error_beside(response.content.decode(), "description", "Keep this to 2,000 characters or fewer")
    assert ActionStep.objects.count() == 0


def _form_classes():
    for module in (coaching_forms, programme_forms):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


def test_every_text_box_in_coaching_and_the_programme_screens_has_a_length_limit():
    unlimited = [
        f"{cls.__name__}.{name}"
        for cls in _form_classes()
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.CharField) and not field.max_length
    ]
    assert unlimited == []


def test_every_stored_text_field_has_a_length_limit():
    unlimited = [
        f"{model.__name__}.{field.name}"
        for app in ("coaching", "programme", "handbook")
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields(include_parents=False)  # Wagtail's own page fields are its
        if isinstance(field, models.TextField) and not field.max_length
    ]
    assert unlimited == []


def test_a_long_unbroken_word_wraps_inside_the_page():
    stylesheet = Path(__file__).parents[2] / "assets" / "scss" / "portal" / "_components.scss"
    assert ".govuk-main-wrapper { overflow-wrap: anywhere; }" in stylesheet.read_text()


# --- One declared list of a dialogue log's fields.


def test_what_a_coach_writes_is_the_declared_list_and_the_ticked_tags():
    names = [f.name for f in dataclasses.fields(LogContent)]
    assert names == [*SessionRecord.CONTENT_FIELDS, "content_area_ids", "topic_ids", "standard_ids", "guide_id"]


def test_an_agreed_version_keeps_every_declared_field_of_the_log(world):
    log = agreed_log(enrolment=world.enrolment, coach=world.coach)
    version = log.versions.get()
    assert version.record_values() == log.record_values()
    assert set(SessionRecord.FIELDS) <= {f.name for f in DialogueLog._meta.get_fields()}


def test_the_log_form_offers_every_field_a_coach_writes():
    assert set(SessionRecord.CONTENT_FIELDS) <= set(coaching_forms.DialogueLogForm.base_fields)


@pytest.mark.parametrize(
    "page_model", ["HomePage", "HandbookIndexPage", "PhasePage", "ContentAreaPage", "ResourcePage"]
)
def test_every_text_box_of_a_handbook_page_in_the_cms_has_a_length_limit(page_model):
    model = apps.get_model("handbook", page_model)
    form_class = model.get_edit_handler().get_form_class()
    stored_text = {f.name for f in model._meta.get_fields(include_parents=False) if isinstance(f, models.TextField)}
    unlimited = [
        name
        for name in stored_text
        if not any(getattr(v, "limit_value", None) for v in form_class.base_fields[name].validators)
    ]
    assert unlimited == []
