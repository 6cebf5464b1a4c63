"""Erasure leaves no personal text behind: every field that can hold text, JSON or a file, on
every model whose rows lead to a participant's enrolment (walked here through the foreign keys,
not asked of privacy.erasure), is either erased or kept with a reason, so a new field or model
cannot slip past."""

import pytest
from django.apps import apps
from django.db import models

from privacy import erasure
from programme.models import Enrolment

PORTAL_APPS = {"accounts", "programme", "coaching", "files", "portfolio", "assessment", "privacy"}
TEXT = (models.CharField, models.TextField, models.JSONField, models.FileField)


def _leads_to_enrolment(model, depth=5) -> bool:
    if model is Enrolment:
        return True
    if depth == 0:
        return False
    return any(
        f.many_to_one or f.one_to_one
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is not None and _leads_to_enrolment(f.related_model, depth - 1)
    )


def _participants_models():
    return [model for model in apps.get_models() if model._meta.app_label in PORTAL_APPS and _leads_to_enrolment(model)]


def test_every_text_or_file_field_of_a_participants_records_is_erased_or_kept_with_a_reason():
    erased = {(item.label, name) for item in erasure.ERASED for name in item.fields}
    kept = {(label, name) for label, fields in erasure.KEPT.items() for name in fields}
    left = []
    for model in _participants_models():
        for f in model._meta.concrete_fields:
            searched = f.name.endswith("search_vector")
            if (
                isinstance(f, TEXT)
                and not f.choices
                and not searched
                and (model._meta.label, f.name) not in erased | kept
            ):
                left.append(f"{model._meta.label}.{f.name}")
    assert left == []
    assert len(_participants_models()) > 25  # the walk reached the portal's records


@pytest.mark.django_db
def test_each_erased_model_reaches_the_enrolment_by_its_lookup_and_each_kept_field_says_why():
    for item in erasure.ERASED:
        model = item.model
        assert model._default_manager.filter(**{f"{item.enrolment}__in": [0]}).count() == 0  # a valid lookup
        for name in item.fields:
            assert isinstance(model._meta.get_field(name), TEXT)
    for label, fields in erasure.KEPT.items():
        for name, why in fields.items():
            assert apps.get_model(label)._meta.get_field(name)
            assert len(why) > 20
