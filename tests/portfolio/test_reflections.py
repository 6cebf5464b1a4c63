"""The reflective journal: dated entries linking to evidence, agreed coaching sessions and their
action steps; never to a draft, nor to another participant's records."""

import pytest
from django.urls import reverse

from portfolio import services
from portfolio.models import Reflection
from programme.models import ContentArea, Phase
from tests.coaching.factories import DialogueLogFactory, action_step, agreed_log, coaching_world
from tests.portfolio.factories import DAY, EvidenceFactory, ReflectionFactory
from ui.errors import RuleError

pytestmark = pytest.mark.django_db


def form_data(**overrides) -> dict:
    data = {
        "version": "",
        "written_on": DAY.isoformat(),
        "title": "What the observation showed me",
        "body": "I talk too soon after asking.\n\nNext week I will count to five.",
        "phase": str(Phase.objects.get(number=1).pk),
        "content_areas": [str(ContentArea.objects.get(number=1).pk)],
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def add(client, world, **overrides):
    client.force_login(world.participant)
    return client.post(reverse("portfolio:reflection_create", args=[world.enrolment.pk]), form_data(**overrides))


def test_participant_writes_a_reflection_linked_to_evidence_a_session_and_an_action_step(client, world):
    log = agreed_log(enrolment=world.enrolment, coach=world.coach)
    step = action_step(log)
    evidence = EvidenceFactory(enrolment=world.enrolment)
    response = add(client, world, evidence=[str(evidence.pk)], logs=[str(log.pk)], action_steps=[str(step.pk)])
    reflection = Reflection.objects.get()
    assert response.status_code == 302
    assert list(reflection.evidence.all()) == [evidence]
    assert list(reflection.logs.all()) == [log]
    assert list(reflection.action_steps.all()) == [step]
    assert reflection.body.startswith("<p>I talk too soon after asking.</p>")

    page = client.get(reflection.get_absolute_url()).content.decode()
    assert evidence.title in page
    assert reverse("coaching:log_detail", args=[log.pk]) in page
    assert step.description in page


def test_the_form_offers_only_agreed_sessions_and_their_steps(client, world):
    agreed = agreed_log(enrolment=world.enrolment, coach=world.coach)
    draft = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach, focus="Still a draft")
    draft_step = action_step(draft, description="A step nobody agreed yet")
    client.force_login(world.participant)
    page = client.get(reverse("portfolio:reflection_create", args=[world.enrolment.pk])).content.decode()
    assert f'name="logs" type="checkbox" value="{agreed.pk}"' in page
    assert f'name="logs" type="checkbox" value="{draft.pk}"' not in page
    assert draft_step.description not in page


@pytest.mark.parametrize(
    ("links", "field"),
    [
        ("draft_log", "logs"),
        ("draft_step", "action_steps"),
        ("others_evidence", "evidence"),
        ("others_log", "logs"),
    ],
)
def test_a_link_posted_to_something_not_offered_is_refused_beside_the_field(client, world, links, field):
    draft = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach)
    other = coaching_world()
    targets = {
        "draft_log": draft.pk,
        "draft_step": action_step(draft).pk,
        "others_evidence": EvidenceFactory(enrolment=other.enrolment).pk,
        "others_log": agreed_log(enrolment=other.enrolment, coach=other.coach).pk,
    }
    response = add(client, world, **{field: [str(targets[links])]})
    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="id_{field}-error-1"' in body
    assert "one you chose is not there" in body
    assert not Reflection.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Enter a title."),
        ({"body": ""}, "body", "Write your reflection."),
        ({"body": "x" * 20_001}, "body", "Keep your reflection to 20,000 characters or fewer."),
        ({"title": "t" * 201}, "title", "Keep the title to 200 characters or fewer."),
        ({"written_on": ""}, "written_on", "Enter the date."),
    ],
)
def test_bad_reflection_is_refused_beside_the_field(client, world, overrides, field, message):
    response = add(client, world, **overrides)
    body = response.content.decode()
    assert message in body
    assert f'id="id_{field}-error-1"' in body
    assert not Reflection.objects.exists()


def test_two_tabs_editing_one_reflection_the_second_save_is_refused_and_its_text_kept(client, world):
    reflection = ReflectionFactory(enrolment=world.enrolment)
    client.force_login(world.participant)
    url = reverse("portfolio:reflection_edit", args=[reflection.pk])
    opened = client.get(url).content.decode()
    assert f'name="version" value="{reflection.version}"' in opened
    assert client.post(url, form_data(version=str(reflection.version), body="First tab's words")).status_code == 302
    response = client.post(url, form_data(version=str(reflection.version), body="Second-tab-words"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Your changes have not been saved" in body
    assert "Second-tab-words" in body
    reflection.refresh_from_db()
    assert "First tab" in reflection.body
    assert reflection.version == 2


def test_a_refused_save_changes_nothing_not_even_the_version(world):
    reflection = ReflectionFactory(enrolment=world.enrolment)
    content = services.ReflectionContent(written_on=DAY, title="", body="", phase_id=reflection.phase_id)
    with pytest.raises(RuleError):
        services.reflection_update(by=world.participant, reflection=reflection, version=1, content=content)
    reflection.refresh_from_db()
    assert reflection.version == 1
