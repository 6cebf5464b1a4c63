"""A subject access export leaves nothing out: every model with a foreign key (or many-to-many
field) to a person or to their enrolment is exported, or excluded with a reason, so a model added
later cannot slip past. On the demo's seeded programme, every row pointing at the participant, their
coach or their tutor is in their export: tests/privacy/test_demo.py."""

from django.apps import apps
from django.contrib.auth import get_user_model

from privacy import subject_access
from programme import access
from programme.models import Enrolment


def _pointing_fields() -> list[tuple[type, str]]:
    """Walked here, not asked of privacy.subject_access: (model, field) for every concrete field of
    every installed model (many-to-many tables included, as their owner's field) that points at a
    person or an enrolment."""
    people = (get_user_model(), Enrolment)
    found = []
    for model in apps.get_models(include_auto_created=True):
        for f in model._meta.get_fields():
            if not (f.is_relation and f.concrete and f.related_model in people):
                continue
            if model._meta.auto_created:  # a many-to-many table: its owner holds the field
                owner = model._meta.auto_created
                found.extend(
                    (owner, m2m.name)
                    for m2m in owner._meta.many_to_many
                    if m2m.remote_field.through is model and m2m.related_model in people
                )
            else:
                found.append((model, f.name))
    return found


def test_every_model_pointing_at_a_person_or_their_enrolment_is_exported_or_excluded_with_a_reason():
    exported = set(subject_access.exported_models())
    left_out = []
    for model, name in _pointing_fields():
        # A field inherited from a concrete parent (a Wagtail page's owner) is exported with the parent.
        holder = model._meta.get_field(name).model
        if holder not in exported and holder._meta.label not in subject_access.EXCLUDED:
            left_out.append(f"{model._meta.label}.{name}")
    assert left_out == []
    assert len(exported) > 40  # the walk found the portal's models, not an empty list


def test_every_registered_part_of_a_participants_records_is_exported():
    exported = set(subject_access.exported_models())
    assert [reg.model._meta.label for reg in access.registrations() if reg.model not in exported] == []


def test_each_exclusion_and_withheld_field_names_a_real_model_and_field_and_says_why():
    for label, why in subject_access.EXCLUDED.items():
        assert apps.get_model(label)
        assert len(why) > 40
    for label, fields in subject_access.WITHHELD.items():
        model = apps.get_model(label)
        for name, why in fields.items():
            assert model._meta.get_field(name)
            assert len(why) > 20
