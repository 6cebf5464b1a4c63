"""A participant keeps evidence: something written (sanitised) or a link, tagged to where it belongs,
with their word that no pupil can be identified. Bad input is refused beside the field, kept, and
nothing is saved."""

import datetime
import inspect

import pytest
from django import forms
from django.apps import apps
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from portfolio import forms as portfolio_forms
from portfolio import services
from portfolio.models import Evidence
from programme.models import ContentArea, Phase, Topic
from tests.coaching.factories import DialogueLogFactory, agreed_log
from tests.portfolio.factories import DAY, EvidenceFactory
from ui.errors import RuleError

pytestmark = pytest.mark.django_db


def form_data(**overrides) -> dict:
    data = {
        "version": "",
        "kind": "written",
        "title": "Year 9 exit tickets",
        "relates_to": DAY.isoformat(),
        "phase": str(Phase.objects.get(number=1).pk),
        "content_areas": [str(ContentArea.objects.get(number=1).pk)],
        "description": "What the class could explain after the lesson.",
        "body": "Most could explain it.\n\nA few could not yet.",
        "url": "",
        "anonymised": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def add(client, world, **overrides):
    client.force_login(world.participant)
    return client.post(reverse("portfolio:evidence_create", args=[world.enrolment.pk]), form_data(**overrides))


def test_participant_adds_a_written_piece_of_evidence(client, world):
    topic = Topic.objects.filter(content_area__number=3).first()
    response = add(client, world, topics=[str(topic.pk)], body="<p>Kept</p><script>alert(1)</script>")
    evidence = Evidence.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("portfolio:evidence_detail", args=[evidence.pk])
    assert evidence.enrolment == world.enrolment
    assert evidence.body == "<p>Kept</p>"  # sanitised on the way in
    # A topic brings its content area with it.
    assert {a.number for a in evidence.content_areas.all()} == {1, 3}
    assert evidence.anonymised


def test_participant_adds_a_link(client, world):
    add(client, world, kind="link", url="https://example.org/lesson-plan", body="", anonymised=None)
    evidence = Evidence.objects.get()
    assert evidence.kind == Evidence.Kind.LINK
    assert evidence.url == "https://example.org/lesson-plan"
    assert evidence.body == ""


def test_evidence_can_relate_to_an_agreed_coaching_session_but_not_a_draft(client, world):
    log = agreed_log(enrolment=world.enrolment, coach=world.coach)
    add(client, world, logs=[str(log.pk)])
    assert list(Evidence.objects.get().logs.all()) == [log]

    draft = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach)
    response = add(client, world, title="Another", logs=[str(draft.pk)])
    assert "one you chose is not there" in response.content.decode()
    assert Evidence.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Enter a title."),
        ({"title": "x" * 201}, "title", "Keep the title to 200 characters or fewer."),
        ({"body": "x" * 20_001}, "body", "Keep the written piece to 20,000 characters or fewer."),
        ({"description": "x" * 2_001}, "description", "Keep the description to 2,000 characters or fewer."),
        ({"body": "  "}, "body", "Write the piece, or choose a link instead."),
        ({"anonymised": None}, "anonymised", "Confirm that no pupil can be identified from it"),
        ({"content_areas": []}, "content_areas", "Choose at least one content area"),
        ({"relates_to": "2025-13-45"}, "relates_to", "Enter a real date"),
        ({"kind": "link", "url": "javascript:alert(1)"}, "url", "Enter a web address starting https://"),
        ({"kind": "link", "url": ""}, "url", "Enter the address of the link"),
        ({"kind": "link", "url": "http://[::1"}, "url", "Enter a web address starting https://"),
        ({"kind": "file"}, "file", "Choose the file to add."),
        ({"kind": "sculpture"}, "kind", "Select a valid choice"),
        ({"phase": "999"}, "phase", "Select a valid choice"),
    ],
)
def test_bad_evidence_is_refused_beside_the_field_and_what_was_typed_is_kept(client, world, overrides, field, message):
    response = add(client, world, **overrides)
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert f'id="id_{field}-error-1"' in body  # beside the field
    assert form_data(**overrides)["description"] in body  # what was typed is kept
    assert not Evidence.objects.exists()


def test_evidence_dated_in_the_future_is_refused(client, world):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = add(client, world, relates_to=tomorrow.isoformat())
    assert "The date it relates to cannot be in the future." in response.content.decode()
    assert not Evidence.objects.exists()


def test_the_service_refuses_a_file_evidence_without_a_file(world):
    content = services.EvidenceContent(
        kind="file",
        title="Scan",
        relates_to=DAY,
        phase_id=Phase.objects.get(number=1).pk,
        content_area_ids=(ContentArea.objects.get(number=1).pk,),
        anonymised=True,
    )
    with pytest.raises(RuleError) as refused:
        services.evidence_create(by=world.participant, enrolment=world.enrolment, content=content)
    assert refused.value.errors == {"file": ["Choose the file to add."]}
    assert not Evidence.objects.exists()


def test_participant_changes_their_evidence(client, world):
    evidence = EvidenceFactory(enrolment=world.enrolment)
    client.force_login(world.participant)
    url = reverse("portfolio:evidence_edit", args=[evidence.pk])
    assert f'name="version" value="{evidence.version}"' in client.get(url).content.decode()
    response = client.post(url, form_data(version=str(evidence.version), title="Renamed"))
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert evidence.title == "Renamed"
    assert evidence.version == 2


def test_the_second_tabs_save_is_refused_and_its_text_kept(client, world):
    evidence = EvidenceFactory(enrolment=world.enrolment)
    client.force_login(world.participant)
    url = reverse("portfolio:evidence_edit", args=[evidence.pk])
    opened = str(evidence.version)
    assert client.post(url, form_data(version=opened, title="First tab")).status_code == 302
    response = client.post(url, form_data(version=opened, title="Second-tab-words"))
    body = response.content.decode()
    assert response.status_code == 200
    assert services.STALE.split(";")[0] in body
    assert "Second-tab-words" in body
    evidence.refresh_from_db()
    assert evidence.title == "First tab"


def test_every_text_box_and_stored_text_in_the_portfolio_has_a_length_limit():
    unlimited = [
        f"{cls.__name__}.{name}"
        for _, cls in inspect.getmembers(portfolio_forms, inspect.isclass)
        if issubclass(cls, forms.BaseForm) and cls.__module__ == portfolio_forms.__name__
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.CharField)
        and not field.max_length
        and not any(isinstance(v, MaxLengthValidator) for v in field.validators)
    ]
    assert unlimited == []
    stored = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_app_config("portfolio").get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField) and not field.max_length
    ]
    assert stored == []
