"""The one download view: it finds the record by its registered kind and id, serves it only to
whoever the access policy lets view that record, and tells the browser to keep it at arm's length.
Recordings, declared safe to show inline, are played in the page and can be fetched by range."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from coaching.models import AgreementStatus, DiagnosisEvidence, InitialDiagnosis
from tests.coaching.factories import SESSION_DAY
from tests.files import samples

pytestmark = pytest.mark.django_db


def _stored(world, data: bytes, name: str, content_type: str) -> DiagnosisEvidence:
    diagnosis = InitialDiagnosis.objects.create(
        enrolment=world.enrolment, coach=world.coach, held_on=SESSION_DAY, summary="Needs", status=AgreementStatus.DRAFT
    )
    record = DiagnosisEvidence(
        diagnosis=diagnosis, name=name, content_type=content_type, size=len(data), uploaded_by=world.coach
    )
    record.file.save(name, ContentFile(data), save=False)
    record.save()
    return record


def _url(record) -> str:
    return reverse("files:download", args=["diagnosis-evidence", record.pk])


def test_a_document_is_always_a_download_with_the_protective_headers(client, world):
    record = _stored(world, samples.pdf(), "plan.pdf", "application/pdf")
    client.force_login(world.participant)
    response = client.get(_url(record))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == samples.pdf()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="plan.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store, private"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_the_record_knows_its_download_address(world):
    record = _stored(world, samples.png(), "photo.png", "image/png")
    assert record.download_url == f"/files/diagnosis-evidence/{record.pk}/"


def test_a_recording_plays_inline_and_still_sandboxed(client, world):
    record = _stored(world, samples.mp3(), "talk.mp3", "audio/mpeg")
    client.force_login(world.coach)
    response = client.get(_url(record))
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/mpeg"
    assert response["Content-Disposition"] == 'inline; filename="talk.mp3"'
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Security-Policy"] == "default-src 'none'; media-src 'self'; sandbox allow-same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("asked", "first", "last"),
    [("bytes=0-99", 0, 99), ("bytes=100-", 100, None), ("bytes=-50", -50, None), ("bytes=400-99999999", 400, None)],
)
def test_a_player_fetches_part_of_a_recording(client, world, asked, first, last):
    data = samples.mp4()
    record = _stored(world, data, "lesson.mp4", "video/mp4")
    client.force_login(world.participant)
    response = client.get(_url(record), headers={"range": asked})
    expected = data[first:] if last is None else data[first : last + 1]
    start = first % len(data)
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == expected
    assert response["Content-Range"] == f"bytes {start}-{start + len(expected) - 1}/{len(data)}"
    assert response["Content-Length"] == str(len(expected))
    assert response["Content-Disposition"] == 'inline; filename="lesson.mp4"'
    assert response["Cache-Control"] == "no-store, private"


def test_a_range_past_the_end_is_unsatisfiable(client, world):
    data = samples.m4a()
    record = _stored(world, data, "voice.m4a", "audio/mp4")
    client.force_login(world.participant)
    response = client.get(_url(record), headers={"range": f"bytes={len(data)}-"})
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(data)}"


@pytest.mark.parametrize("asked", ["bytes=0-1,5-9", "pages=1-2", "bytes=9-1", "bytes=-"])
def test_a_range_that_cannot_be_served_as_one_gets_the_whole_file(client, world, asked):
    data = samples.mp3()
    record = _stored(world, data, "talk.mp3", "audio/mpeg")
    client.force_login(world.participant)
    response = client.get(_url(record), headers={"range": asked})
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == data


def test_a_document_can_be_resumed_by_range_and_stays_a_download(client, world):
    data = samples.pdf()
    record = _stored(world, data, "plan.pdf", "application/pdf")
    client.force_login(world.participant)
    response = client.get(_url(record), headers={"range": "bytes=10-"})
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == data[10:]
    assert response["Content-Disposition"] == 'attachment; filename="plan.pdf"'
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


@pytest.mark.parametrize("role_name", ["head", "leader", "examiner", "tutor", "stranger_coach", "other_participant"])
def test_anyone_the_policy_does_not_let_view_the_record_gets_not_found(client, world, role_name):
    record = _stored(world, samples.pdf(), "plan.pdf", "application/pdf")
    client.force_login(world.person(role_name))
    assert client.get(_url(record)).status_code == 404
    assert client.get(_url(record), headers={"range": "bytes=0-9"}).status_code == 404


def test_an_unknown_kind_or_id_is_not_found(client, world):
    record = _stored(world, samples.pdf(), "plan.pdf", "application/pdf")
    client.force_login(world.participant)
    assert client.get(reverse("files:download", args=["dialogue-log", record.pk])).status_code == 404
    assert client.get(reverse("files:download", args=["diagnosis-evidence", record.pk + 1])).status_code == 404


def test_downloading_needs_sign_in_and_only_reads(client, world):
    record = _stored(world, samples.pdf(), "plan.pdf", "application/pdf")
    response = client.get(_url(record))
    assert response.status_code == 302
    assert "login" in response["Location"]
    client.force_login(world.participant)
    assert client.post(_url(record)).status_code == 405
    assert client.head(_url(record)).status_code == 200
