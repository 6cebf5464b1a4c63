"""Agreed-log versions keep what was agreed, including when, at what time and for how long the
next session was planned."""

import datetime

import pytest
from django.urls import reverse

from coaching import services
from coaching.services import LogContent
from tests.coaching.factories import SESSION_DAY

pytestmark = pytest.mark.django_db

NEXT = SESSION_DAY + datetime.timedelta(days=14)


def _content(**overrides) -> LogContent:
    values = {
        "session_on": SESSION_DAY,
        "duration_minutes": 45,
        "kind": "coaching_conversation",
        "setting": "own_school",
        "discussed": "We talked about wait time.",
        "content_area_ids": (),
        "next_session_on": NEXT,
        "next_session_at": datetime.time(15, 30),
        "next_session_minutes": 50,
    }
    values.update(overrides)
    return LogContent(**values)


def _agreed(world):
    from programme.models import ContentArea

    area = ContentArea.objects.get(number=1)
    log = services.log_draft_create(
        enrolment=world.enrolment,
        coach=world.coach,
        content=_content(content_area_ids=(area.pk,)),
        send_for_agreement=True,
    )
    log.refresh_from_db()
    return services.log_agree(log=log, by=world.participant, version=log.version, reflection="Useful."), area


def test_each_version_keeps_the_next_sessions_date_time_and_length(world, client):
    log, area = _agreed(world)
    log.refresh_from_db()
    services.log_new_version(
        log=log,
        by=world.coach,
        version=log.version,
        content=_content(
            content_area_ids=(area.pk,),
            next_session_on=NEXT + datetime.timedelta(days=1),
            next_session_at=datetime.time(9, 0),
            next_session_minutes=30,
        ),
        reason="The session moved to the morning.",
    )
    first, second = log.versions.get(number=1), log.versions.get(number=2)
    assert (first.next_session_on, first.next_session_at, first.next_session_minutes) == (
        NEXT,
        datetime.time(15, 30),
        50,
    )
    assert (second.next_session_on, second.next_session_at, second.next_session_minutes) == (
        NEXT + datetime.timedelta(days=1),
        datetime.time(9, 0),
        30,
    )
    client.force_login(world.tutor)
    page = client.get(reverse("coaching:log_version_detail", args=[log.pk, 1])).content.decode()
    assert "15 October 2025 at 15:30, 50 minutes" in page
    page = client.get(reverse("coaching:log_version_detail", args=[log.pk, 2])).content.decode()
    assert "16 October 2025 at 09:00, 30 minutes" in page
