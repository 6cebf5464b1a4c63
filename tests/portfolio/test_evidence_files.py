"""Evidence as a file: judged by its content through the one private-file module, kept where no URL
reaches it, served only to those who may read the evidence, played on the page when it is a
recording; replacing it keeps the old file; a refused upload leaves nothing behind."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portfolio.models import Evidence, EvidenceFile
from programme.models import ContentArea, Phase
from tests.files import samples
from tests.portfolio.factories import DAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def stored(root: Path) -> list[Path]:
    return sorted(p for p in Path(root).rglob("*") if p.is_file()) if Path(root).exists() else []


def data(name: str, content: bytes, **overrides) -> dict:
    found = {
        "version": "",
        "kind": "file",
        "title": "Pupils' work sample",
        "relates_to": DAY.isoformat(),
        "phase": str(Phase.objects.get(number=1).pk),
        "content_areas": [str(ContentArea.objects.get(number=1).pk)],
        "anonymised": "on",
        "file": SimpleUploadedFile(name, content, content_type="application/octet-stream"),
    }
    found.update(overrides)
    return {key: value for key, value in found.items() if value is not None}


def add(client, world, name, content, **overrides):
    client.force_login(world.participant)
    url = reverse("portfolio:evidence_create", args=[world.enrolment.pk])
    return client.post(url, data(name, content, **overrides))


def test_participant_adds_a_pdf_and_coach_and_tutor_download_it(client, world, private_root):
    pdf = samples.pdf()
    assert add(client, world, "Work sample.pdf", pdf).status_code == 302
    evidence = Evidence.objects.get()
    kept = evidence.current_file
    assert (kept.name, kept.content_type, kept.size) == ("Work_sample.pdf", "application/pdf", len(pdf))
    assert Path(kept.file.path).is_relative_to(private_root)
    url = reverse("files:download", args=["portfolio-evidence", kept.pk])
    for who in ("participant", "coach", "tutor"):
        client.force_login(world.person(who))
        assert url in client.get(evidence.get_absolute_url()).content.decode()
        download = client.get(url)
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == pdf
        assert download["Content-Disposition"].startswith("attachment")
        assert download["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("who", ["head", "leader", "examiner", "stranger_coach", "other_participant"])
def test_nobody_else_downloads_the_file(client, world, who):
    add(client, world, "sample.png", samples.png())
    kept = EvidenceFile.objects.get()
    client.force_login(world.person(who))
    assert client.get(reverse("files:download", args=["portfolio-evidence", kept.pk])).status_code == 404


def test_a_recording_plays_on_the_page(client, world):
    add(client, world, "reading aloud.mp3", samples.mp3())
    evidence = Evidence.objects.get()
    page = client.get(evidence.get_absolute_url()).content.decode()
    assert f'<audio class="portal-player" controls preload="none" src="{evidence.current_file.download_url}"' in page
    add(client, world, "lesson clip.mp4", samples.mp4(), title="Clip")
    clip = Evidence.objects.get(title="Clip")
    assert "<video" in client.get(clip.get_absolute_url()).content.decode()
    played = client.get(clip.current_file.download_url, HTTP_RANGE="bytes=0-9")
    assert played.status_code == 206
    assert played["Content-Disposition"].startswith("inline")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", samples.HTML),
        ("report.pdf", samples.EXE),
        ("notes.docx", samples.docx_with_html_body()),
        ("scan.pdf", samples.pdf_with_javascript_in_names()),
        ("../../etc/passwd.pdf", samples.HTML),
    ],
)
def test_a_disguised_file_is_refused_beside_the_field_and_nothing_is_kept(client, world, private_root, name, content):
    before = stored(private_root)
    response = add(client, world, name, content)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_file-error-1"' in body
    assert "Pupils&#x27; work sample" in body  # what was typed is kept
    assert not Evidence.objects.exists()
    assert not EvidenceFile.objects.exists()
    assert stored(private_root) == before


def test_an_empty_file_is_refused(client, world, private_root):
    response = add(client, world, "empty.pdf", b"")
    assert "The file is empty" in response.content.decode()
    assert not Evidence.objects.exists()
    assert stored(private_root) == []


def test_a_file_needs_the_participants_word_that_pupils_cannot_be_identified(client, world, private_root):
    response = add(client, world, "sample.png", samples.png(), anonymised=None)
    assert 'id="id_anonymised-error-1"' in response.content.decode()
    assert stored(private_root) == []


def test_replacing_the_file_keeps_the_old_one(client, world):
    add(client, world, "first.png", samples.png())
    evidence = Evidence.objects.get()
    first = evidence.current_file
    response = client.post(
        reverse("portfolio:evidence_edit", args=[evidence.pk]), data("second.pdf", samples.pdf(), version="1")
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.current_file.name == "second.pdf"
    first.refresh_from_db()
    assert first.replaced_at is not None
    assert Path(first.file.path).exists()
    page = client.get(evidence.get_absolute_url()).content.decode()
    assert "Earlier files (1)" in page
    assert first.download_url in page


def test_saving_without_choosing_a_file_again_keeps_the_current_one(client, world):
    add(client, world, "first.png", samples.png())
    evidence = Evidence.objects.get()
    form = data("x", b"", version="1", title="Renamed")
    del form["file"]
    assert client.post(reverse("portfolio:evidence_edit", args=[evidence.pk]), form).status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.title == "Renamed"
    assert evidence.current_file.name == "first.png"
    assert EvidenceFile.objects.count() == 1


def test_a_file_name_that_climbs_out_of_its_folder_is_kept_under_a_safe_name(client, world, private_root):
    assert add(client, world, "../../../etc/lesson.pdf", samples.pdf()).status_code == 302
    kept = EvidenceFile.objects.get()
    assert ".." not in kept.name
    assert "/" not in kept.name
    assert Path(kept.file.path).resolve().is_relative_to(Path(private_root).resolve())
