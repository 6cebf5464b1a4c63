"""Programme leaders edit the programme's structure in the CMS: the wording of the three phases and
four content areas (never adding or deleting them), topics, and frameworks of standards."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from programme.models import ContentArea, Phase, Standard, StandardFramework, Topic
from tests.factories import UserFactory
from tests.programme.admin_factories import programme_leader, with_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader_client(client):
    client.force_login(programme_leader())
    return client


def area_data(area: ContentArea, topics: list[tuple[int | None, str, bool]]) -> dict:
    data = {
        "name": area.name,
        "short_name": area.short_name,
        "summary": "Edited summary",
        "topics-TOTAL_FORMS": str(len(topics)),
        "topics-INITIAL_FORMS": str(sum(1 for pk, _, _ in topics if pk)),
        "topics-MIN_NUM_FORMS": "0",
        "topics-MAX_NUM_FORMS": "1000",
    }
    for i, (pk, name, delete) in enumerate(topics):
        data |= {f"topics-{i}-id": str(pk or ""), f"topics-{i}-name": name, f"topics-{i}-sort_order": str(i)}
        if delete:
            data[f"topics-{i}-DELETE"] = "1"
    return data


@pytest.mark.parametrize(
    "url_name",
    [
        "programme_phases:index",
        "programme_content_areas:index",
        "programme_standard_frameworks:index",
        "programme_standard_frameworks:add",
    ],
)
def test_leader_opens_each_structure_screen(leader_client, url_name):
    assert leader_client.get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize("role", [Role.COACH, Role.TUTOR, Role.PARTICIPANT, Role.HEAD])
def test_other_roles_cannot_open_the_structure_screens(client, role):
    user = UserFactory(roles=[role])
    with_totp(user)
    client.force_login(user)
    response = client.get(reverse("programme_content_areas:index"))
    assert response.status_code in (302, 403)


def test_leader_rewords_a_phase(leader_client):
    phase = Phase.objects.get(number=2)
    url = reverse("programme_phases:edit", args=[phase.pk])
    response = leader_client.post(url, {"name": "Broadening practice", "summary": "New words"})
    assert response.status_code == 302
    phase.refresh_from_db()
    assert (phase.number, phase.name) == (2, "Broadening practice")


def test_phases_and_content_areas_cannot_be_added_or_deleted(leader_client):
    phase = Phase.objects.get(number=1)
    area = ContentArea.objects.get(number=1)
    assert leader_client.get(reverse("programme_phases:add")).status_code in (302, 403)
    assert leader_client.post(reverse("programme_phases:delete", args=[phase.pk])).status_code in (302, 403)
    assert leader_client.post(reverse("programme_content_areas:delete", args=[area.pk])).status_code in (302, 403)
    assert Phase.objects.count() == 3
    assert ContentArea.objects.count() == 4


def test_leader_adds_and_removes_an_unused_topic(leader_client):
    area = ContentArea.objects.get(number=3)
    existing = list(area.topics.values_list("pk", "name"))
    url = reverse("programme_content_areas:edit", args=[area.pk])
    rows = [(pk, name, False) for pk, name in existing] + [(None, "Attachment and trauma-informed practice", False)]
    assert leader_client.post(url, area_data(area, rows)).status_code == 302
    added = Topic.objects.get(name="Attachment and trauma-informed practice")
    assert added.content_area == area

    rows = [(pk, name, False) for pk, name in existing] + [(added.pk, added.name, True)]
    assert leader_client.post(url, area_data(area, rows)).status_code == 302
    assert not Topic.objects.filter(pk=added.pk).exists()


def test_a_topic_that_records_use_cannot_be_removed(leader_client):
    from tests.coaching.factories import DialogueLogFactory

    area = ContentArea.objects.get(number=3)
    topic = area.topics.first()
    log = DialogueLogFactory()
    log.topics.add(topic)
    rows = [(pk, name, pk == topic.pk) for pk, name in area.topics.values_list("pk", "name")]

    response = leader_client.post(reverse("programme_content_areas:edit", args=[area.pk]), area_data(area, rows))

    assert response.status_code == 200
    assert "cannot be removed" in response.content.decode()
    assert Topic.objects.filter(pk=topic.pk).exists()
    assert topic in log.topics.all()


def test_leader_adds_another_framework_of_standards(leader_client):
    data = {
        "name": "Professional standards for teachers (2007)",
        "short_name": "PS 2007",
        "published": "2007",
        "is_active": "on",
        "standards-TOTAL_FORMS": "2",
        "standards-INITIAL_FORMS": "0",
        "standards-MIN_NUM_FORMS": "0",
        "standards-MAX_NUM_FORMS": "1000",
        "standards-0-part": "Core",
        "standards-0-code": "C1",
        "standards-0-title": "Professional attributes",
        "standards-0-sort_order": "0",
        "standards-1-part": "Core",
        "standards-1-code": "C2",
        "standards-1-title": "Professional knowledge and understanding",
        "standards-1-sort_order": "1",
    }
    response = leader_client.post(reverse("programme_standard_frameworks:add"), data)
    assert response.status_code == 302
    framework = StandardFramework.objects.get(short_name="PS 2007")
    assert list(framework.standards.values_list("code", flat=True)) == ["C1", "C2"]
    assert StandardFramework.objects.count() == 2


def test_a_framework_is_retired_never_deleted(leader_client):
    from tests.coaching.factories import DialogueLogFactory

    framework = StandardFramework.objects.get()
    DialogueLogFactory().standards.add(Standard.objects.filter(framework=framework).first())

    leader_client.post(reverse("programme_standard_frameworks:delete", args=[framework.pk]))

    assert StandardFramework.objects.filter(pk=framework.pk).exists()
