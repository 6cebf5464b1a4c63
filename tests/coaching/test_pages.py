"""The coaching pages people reach from their homes."""

import pytest
from django.urls import reverse

from programme.models import ContentArea, Standard
from tests.coaching.factories import agreed_log

pytestmark = pytest.mark.django_db


def test_the_tutor_filters_agreed_logs_by_content_area_and_standard(client, world):
    area_1, area_3 = ContentArea.objects.get(number=1), ContentArea.objects.get(number=3)
    standard = Standard.objects.first()
    agreed_log(enrolment=world.enrolment, coach=world.coach, focus="Focus-area-one", content_areas=[area_1])
    agreed_log(
        enrolment=world.enrolment,
        coach=world.coach,
        focus="Focus-area-three",
        content_areas=[area_3],
        standards=[standard],
    )
    client.force_login(world.tutor)
    url = reverse("coaching:timeline", args=[world.enrolment.pk])
    by_area = client.get(url, {"area": area_1.pk}).content.decode()
    assert "Focus-area-one" in by_area
    assert "Focus-area-three" not in by_area
    by_standard = client.get(url, {"standard": standard.pk}).content.decode()
    assert "Focus-area-three" in by_standard
    assert "Focus-area-one" not in by_standard
    nothing = client.get(url, {"area": ContentArea.objects.get(number=4).pk})
    assert nothing.status_code == 200
    assert "No sessions match this filter." in nothing.content.decode()


def test_a_filter_does_not_open_the_timeline_to_a_stranger(client, world):
    agreed_log(enrolment=world.enrolment, coach=world.coach)
    client.force_login(world.stranger_coach)
    url = reverse("coaching:timeline", args=[world.enrolment.pk])
    assert client.get(url, {"area": ContentArea.objects.get(number=4).pk}).status_code == 404


def test_the_coaching_index_lists_the_coach_s_participants(client, world):
    client.force_login(world.coach)
    body = client.get(reverse("coaching:index")).content.decode()
    assert str(world.participant) in body
    assert str(world.other_participant) not in body
    assert reverse("coaching:timeline", args=[world.enrolment.pk]) in body


def test_the_head_s_index_leads_to_the_summary(client, world):
    client.force_login(world.head)
    body = client.get(reverse("coaching:index")).content.decode()
    assert reverse("coaching:summary", args=[world.enrolment.pk]) in body
    assert f'href="{reverse("coaching:timeline", args=[world.enrolment.pk])}"' not in body


def test_a_participant_goes_straight_to_their_own_timeline(client, world):
    client.force_login(world.participant)
    response = client.get(reverse("coaching:index"))
    assert response.status_code == 302
    assert response.url == reverse("coaching:timeline", args=[world.enrolment.pk])


def test_the_session_form_works_without_javascript_and_starts_from_today(client, world):
    client.force_login(world.coach)
    body = client.get(reverse("coaching:log_create", args=[world.enrolment.pk])).content.decode()
    assert 'type="date"' in body
    assert 'name="save"' in body
    assert 'name="send"' in body
    assert "<script" not in body.split("<main", 1)[1].split("</main>", 1)[0]
