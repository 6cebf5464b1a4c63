"""What a subject access export holds: every record the portal keeps about one person, found by
walking the models rather than listing them, so a model added later is exported without anyone
remembering to add it here.

A row is about the person when one of its own foreign keys (or many-to-many fields) points at them
or at one of their enrolments, or when it is a registered part of one of their enrolments' records
(`access.records_of`: a log's versions, a submission's items, a marking's criterion marks). Every
field of such a row is exported, except those in WITHHELD (secrets that are no use to the person
and a risk to send), and the files of private records (files.models.PrivateFile) are copied into
the zip byte for byte. Models in EXCLUDED are left out, each with its reason; tests/privacy walks
every model and fails if one pointing at a person is neither exported nor excluded here.
"""

import datetime
import json
import shutil
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.template.loader import render_to_string

from files.jobs import PreparedFile
from files.models import PrivateFile
from programme import access
from programme.models import Enrolment

RECORDS = "records.json"
README = "README.txt"
_CHUNK = 1024 * 1024

# Models that point at a person but are not exported, and why. Reviewed: add a model here only
# with a reason a programme leader could give the person.
EXCLUDED: dict[str, str] = {
    "wagtailadmin.EditingSession": (
        "Which CMS page someone has open at this moment, so that two editors are warned of each "
        "other; Wagtail deletes it within minutes and it says nothing about the person."
    ),
    "wagtailadmin.FormState": (
        "A CMS form's half-typed state, kept by Wagtail while an editor works; not a record of the "
        "programme and gone once the form is saved."
    ),
}

# Fields exported as "withheld", never with their value, and why.
WITHHELD: dict[str, dict[str, str]] = {
    "accounts.User": {"password": "a one-way hash of the password, of no use to anyone but an attacker"},
    "accounts.Invitation": {"nonce": "the secret that made the invitation link work once"},
    "mfa.Authenticator": {"data": "the two-factor secret and recovery codes: sending them would let anyone sign in"},
    "wagtailcore.APIToken": {"key_hash": "a hash of an access token"},
}


def _people() -> tuple[type[models.Model], ...]:
    return (get_user_model(), Enrolment)


def pointers(model: type[models.Model]) -> list[models.Field]:
    """The model's own foreign keys and many-to-many fields to a person or an enrolment (a field
    inherited from a concrete parent is the parent's, so a Wagtail page is found once, as a Page)."""
    people = _people()
    return [
        f
        for f in model._meta.local_fields + model._meta.local_many_to_many
        if f.is_relation and f.related_model in people
    ]


def exported_models() -> list[type[models.Model]]:
    """Every model whose rows can be about a person, in a fixed order, less EXCLUDED."""
    registered = {reg.model for reg in access.registrations()}
    found = [
        model
        for model in apps.get_models()
        if model._meta.label not in EXCLUDED
        and not model._meta.proxy
        and (pointers(model) or model in registered or model is get_user_model())
    ]
    return sorted(found, key=lambda model: model._meta.label)


def rows_about(person, model: type[models.Model]) -> models.QuerySet:
    """This model's rows about the person, in one query."""
    enrolment_ids = list(Enrolment.objects.filter(participant=person).values_list("pk", flat=True))
    # The person's own account is about them too (its many-to-many fields come with it).
    about = models.Q(pk=person.pk) if model is get_user_model() else models.Q(pk__in=[])
    for f in pointers(model):
        about |= (
            models.Q(**{f.name: person.pk})
            if f.related_model is not Enrolment
            else models.Q(**{f"{f.name}__in": enrolment_ids})
        )
    reg = access.registration(model)
    if reg is not None:
        about |= models.Q(**{f"{reg.enrolment}__in": enrolment_ids})
    return model._default_manager.filter(about).distinct().order_by("pk")


@dataclass
class KeptFile:
    path: str  # inside the zip
    record: PrivateFile


@dataclass
class Contents:
    person: object
    records: dict[str, list[dict]] = field(default_factory=dict)
    files: list[KeptFile] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(rows) for rows in self.records.values()) + len(self.files)


def _withhold(label: str, row: dict) -> dict:
    for name, why in WITHHELD.get(label, {}).items():
        if name in row["fields"]:
            row["fields"][name] = f"withheld: {why}"
    return row


def _rows(model: type[models.Model], queryset: models.QuerySet) -> Iterator[tuple[models.Model, dict]]:
    label = model._meta.label
    for obj in queryset.iterator(chunk_size=500):
        (row,) = serializers.serialize("python", [obj])
        row = {"id": row["pk"], "fields": row["fields"]}
        yield obj, _withhold(label, row)


def gather(person) -> Contents:
    """Every row about the person, model by model, with the files of their private records."""
    found = Contents(person=person)
    for model in exported_models():
        label = model._meta.label
        rows = []
        for obj, row in _rows(model, rows_about(person, model)):
            if isinstance(obj, PrivateFile) and obj.file:
                kept = KeptFile(path=f"files/{label}/{obj.pk}/{obj.name or 'file'}", record=obj)
                row["fields"]["file"] = kept.path
                found.files.append(kept)
            elif isinstance(obj, PreparedFile) and "file" in row["fields"]:
                row["fields"]["file"] = "not copied: a copy of records that are in this export already"
            rows.append(row)
        if rows:
            found.records[label] = rows
    return found


def counts(contents: Contents) -> dict[str, int]:
    return {label: len(rows) for label, rows in contents.records.items()}


def write(
    contents: Contents,
    out: BinaryIO,
    *,
    now: datetime.datetime,
    progress: Callable[[int], None] = lambda done: None,
) -> None:
    """The zip: README.txt, records.json (every row by model, its fields as stored) and the files."""
    stamp = (now.year, now.month, now.day, now.hour, now.minute, now.second)
    person = contents.person
    document = {
        "person": {"id": person.pk, "name": str(person), "email": person.email},
        "made_at": now,
        "withheld_fields": WITHHELD,
        "models_left_out": EXCLUDED,
        "records": contents.records,
    }
    with zipfile.ZipFile(out, "w", allowZip64=True) as archive:

        def text(name: str, data: str) -> None:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data.encode("utf-8"))

        readme = {"c": contents, "now": now, "counts": sorted(counts(contents).items())}
        text(README, render_to_string("privacy/subject_access_README.txt", readme))
        text(RECORDS, json.dumps(document, cls=DjangoJSONEncoder, indent=1, ensure_ascii=False))
        done = contents.count - len(contents.files)
        progress(done)
        for kept in contents.files:
            info = zipfile.ZipInfo(kept.path, date_time=stamp)
            info.compress_type = zipfile.ZIP_STORED
            with kept.record.file.open("rb") as source, archive.open(info, "w", force_zip64=True) as target:
                shutil.copyfileobj(source, target, _CHUNK)
            done += 1
            progress(done)
