"""The participant's export of their whole portfolio: asked for from the portfolio, built by a
thin, idempotent Celery task into one zip in private storage (a PDF with a contents page, the
original files byte for byte, leap2a.xml and a README), emailed about, downloaded by the
participant alone, gone (410) after its days and its file deleted by celery beat."""

import datetime
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import ImageFile
from pypdf import PdfReader

from audit.models import AuditEvent
from portfolio import tasks
from portfolio.export import archive as export_archive
from portfolio.export import contents, pdf
from portfolio.models import EvidenceFile, ExportRequest
from portfolio.services import exports
from tests.coaching.factories import agreed_log
from tests.portfolio import export_world
from tests.portfolio.factories import EnquiryFactory, EvidenceFactory, ReflectionFactory, cite

pytestmark = pytest.mark.django_db
# The shared portfolio and private storage (tests.portfolio.export_world), as this module's fixtures.
private_root = export_world.private_root
portfolio = export_world.portfolio
stored = export_world.stored
Status = ExportRequest.Status


def ask(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.participant)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("portfolio:export", args=[world.enrolment.pk]))
    export = ExportRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == export.get_absolute_url()
    return export


def zip_of(export) -> zipfile.ZipFile:
    with export.file.open("rb") as stream:
        return zipfile.ZipFile(io.BytesIO(stream.read()))


# --- Asking for it, and the build.


def test_participant_asks_from_the_portfolio_and_gets_one_zip_in_private_storage(
    client, world, portfolio, private_root, django_capture_on_commit_callbacks
):
    client.force_login(world.participant)
    home = client.get(reverse("portfolio:home", args=[world.enrolment.pk]))
    assert reverse("portfolio:export", args=[world.enrolment.pk]) in home.content.decode()
    export = ask(client, world, django_capture_on_commit_callbacks)
    export.refresh_from_db()
    assert export.status == Status.READY
    assert export.done == export.total == 4 + 1 + 1 + 1 + 3  # evidence, reflection, enquiry, log, files
    assert Path(export.file.path).is_relative_to(private_root)
    assert export.size == Path(export.file.path).stat().st_size
    assert export.expires_at == export.finished_at + datetime.timedelta(days=7)
    with pytest.raises(ValueError):
        export.file.url  # noqa: B018  (private storage has no URL)
    names = zip_of(export).namelist()
    assert {"README.txt", "portfolio.pdf", "leap2a.xml"} <= set(names)
    assert AuditEvent.objects.filter(action="export_request", record_id=str(export.pk)).count() == 1


def test_the_files_are_the_originals_byte_for_byte(client, world, portfolio, django_capture_on_commit_callbacks):
    archive = zip_of(ask(client, world, django_capture_on_commit_callbacks))
    for kept in EvidenceFile.objects.filter(pk__in=portfolio["files"]):
        path = contents.file_path(kept, kept.evidence)
        assert archive.read(path) == portfolio["files"][kept.pk], path
    assert sorted(n for n in archive.namelist() if n.startswith("files/")) == sorted(
        contents.file_path(k, k.evidence) for k in EvidenceFile.objects.filter(pk__in=portfolio["files"])
    )
    assert any("/replaced-" in n for n in archive.namelist())


def test_the_pdf_has_a_contents_page_and_every_record(client, world, portfolio, django_capture_on_commit_callbacks):
    archive = zip_of(ask(client, world, django_capture_on_commit_callbacks))
    reader = PdfReader(io.BytesIO(archive.read("portfolio.pdf")))
    pages = [page.extract_text() for page in reader.pages]
    contents_page = next(i for i, text in enumerate(pages) if text.lstrip().startswith("Contents"))
    assert contents_page == 1  # after the cover
    everything = "\n".join(pages)
    titles = [
        portfolio["written"].title,
        portfolio["filed"].title,
        portfolio["pictured"].title,
        portfolio["link"].title,
        portfolio["reflection"].title,
        portfolio["enquiry"].title,
    ]
    for title in titles:
        assert title in pages[contents_page], title
        assert everything.count(title) >= 2, title  # in the contents and as the record's heading
    assert "Two classes, six weeks of wait time." in everything  # an enquiry section
    assert "Wait time in Year 9" in everything  # the agreed log, in the appendix


def test_nothing_of_anyone_else_no_draft_and_no_private_note_goes_in(
    client, world, portfolio, django_capture_on_commit_callbacks
):
    archive = zip_of(ask(client, world, django_capture_on_commit_callbacks))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(archive.read("portfolio.pdf"))).pages)
    xml = archive.read("leap2a.xml").decode()
    for words in ("Another participant's evidence", "A draft never agreed", "Private: worried about workload"):
        assert words not in text
        assert words not in xml
        assert words not in archive.read("README.txt").decode()


def test_the_readme_says_what_each_part_is(client, world, portfolio, django_capture_on_commit_callbacks):
    readme = zip_of(ask(client, world, django_capture_on_commit_callbacks)).read("README.txt").decode()
    for part in ("portfolio.pdf", "files/", "leap2a.xml", "Mahara", "7 days"):
        assert part in readme


def test_running_the_task_twice_builds_once_and_emails_once(
    client, world, portfolio, django_capture_on_commit_callbacks
):
    export = ask(client, world, django_capture_on_commit_callbacks)
    export.refresh_from_db()
    first = (export.file.name, export.finished_at)
    tasks.build_export(export.pk)
    tasks.build_export.delay(export.pk)
    export.refresh_from_db()
    assert (export.file.name, export.finished_at) == first
    assert len(stored(django_settings.PRIVATE_MEDIA_ROOT / "portfolio" / "export")) == 1
    assert len(mail.outbox) == 1


def test_asking_twice_while_one_is_waiting_makes_one_request(world, portfolio):
    first = exports.export_request(enrolment=world.enrolment, by=world.participant)
    second = exports.export_request(enrolment=world.enrolment, by=world.participant)
    assert first == second
    assert ExportRequest.objects.count() == 1


def test_a_request_left_running_by_a_lost_worker_is_built_by_the_next_run(world, portfolio):
    export = ExportRequest.objects.create(enrolment=world.enrolment, requested_by=world.participant)
    ExportRequest.objects.filter(pk=export.pk).update(status=Status.RUNNING, started_at=timezone.now())
    tasks.build_export(export.pk)
    assert ExportRequest.objects.get(pk=export.pk).status == Status.RUNNING  # still someone else's
    ExportRequest.objects.filter(pk=export.pk).update(started_at=timezone.now() - exports.stale_after() * 2)
    tasks.build_export(export.pk)
    assert ExportRequest.objects.get(pk=export.pk).status == Status.READY


def test_a_build_that_fails_keeps_nothing_and_says_so(world, portfolio, monkeypatch, private_root):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(pdf, "write", broken)
    export = ExportRequest.objects.create(enrolment=world.enrolment, requested_by=world.participant)
    tasks.build_export(export.pk)
    export.refresh_from_db()
    assert export.status == Status.FAILED
    assert not export.file
    assert not stored(private_root / "portfolio" / "export")
    assert mail.outbox == []


def test_progress_is_written_as_the_build_goes(world, portfolio, monkeypatch):
    seen = []
    real = export_archive.write

    def watching(found, out, **kwargs):
        progress = kwargs.pop("progress")

        def recorded(done):
            progress(done)
            seen.append(ExportRequest.objects.values_list("done", "total").get())

        real(found, out, progress=recorded, **kwargs)

    monkeypatch.setattr(export_archive, "write", watching)
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 1)
    export = ExportRequest.objects.create(enrolment=world.enrolment, requested_by=world.participant)
    tasks.build_export(export.pk)
    assert seen[0] == (1, 10)
    assert seen[-1] == (10, 10)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


# --- The email, the page, the download.


def test_the_participant_is_emailed_a_link_to_the_download_page(
    client, world, portfolio, django_capture_on_commit_callbacks
):
    export = ask(client, world, django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert message.to == [world.participant.email]
    assert "ready" in message.subject
    assert f"http://testserver{export.get_absolute_url()}" in message.body
    assert "Pupils' work sample" not in message.body  # the email says nothing of the portfolio's content


def test_the_page_shows_progress_with_a_refresh_link_and_no_meta_refresh(client, world):
    export = ExportRequest.objects.create(enrolment=world.enrolment, requested_by=world.participant)
    ExportRequest.objects.filter(pk=export.pk).update(
        status=Status.RUNNING, done=3, total=12, started_at=timezone.now()
    )
    client.force_login(world.participant)
    page = client.get(export.get_absolute_url()).content.decode()
    assert "3 of 12 records and files done (25%)" in page
    assert f'href="{export.get_absolute_url()}"' in page  # refresh without JavaScript
    assert 'http-equiv="refresh"' not in page
    progress = client.get(reverse("portfolio:export_progress", args=[export.pk])).json()
    assert progress == {"status": "running", "done": 3, "total": 12, "percent": 25}


def test_download_is_the_zip_as_an_attachment_never_cached_and_audited(
    client, world, portfolio, django_capture_on_commit_callbacks
):
    export = ask(client, world, django_capture_on_commit_callbacks)
    page = client.get(export.get_absolute_url()).content.decode()
    url = reverse("portfolio:export_download", args=[export.pk])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    with export.file.open("rb") as stream:
        assert body == stream.read()
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    (event,) = AuditEvent.objects.filter(action="export_download")
    assert (event.actor_id, event.record_id, event.enrolment_id) == (
        world.participant.pk,
        str(export.pk),
        world.enrolment.pk,
    )


@pytest.mark.parametrize("who", ["coach", "tutor", "head", "leader", "examiner", "stranger_coach", "other_participant"])
def test_nobody_but_the_participant_asks_for_sees_or_downloads_an_export(
    client, world, portfolio, who, django_capture_on_commit_callbacks
):
    export = ask(client, world, django_capture_on_commit_callbacks)
    client.force_login(world.person(who))
    for url in (
        reverse("portfolio:export", args=[world.enrolment.pk]),
        export.get_absolute_url(),
        reverse("portfolio:export_progress", args=[export.pk]),
        reverse("portfolio:export_download", args=[export.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("portfolio:export", args=[world.enrolment.pk])).status_code == 404
    assert ExportRequest.objects.count() == 1
    assert not AuditEvent.objects.filter(action="export_download").exists()


def test_the_coach_reading_the_portfolio_is_not_offered_an_export(client, world):
    client.force_login(world.coach)
    page = client.get(reverse("portfolio:home", args=[world.enrolment.pk])).content.decode()
    assert reverse("portfolio:export", args=[world.enrolment.pk]) not in page


# --- Expiry.


def ready_export(world) -> ExportRequest:
    export = ExportRequest.objects.create(enrolment=world.enrolment, requested_by=world.participant)
    tasks.build_export(export.pk)
    export.refresh_from_db()
    assert export.status == Status.READY
    return export


def test_after_seven_days_the_link_answers_410_with_a_clear_page(client, world, portfolio):
    export = ready_export(world)
    client.force_login(world.participant)
    ExportRequest.objects.filter(pk=export.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    for url in (export.get_absolute_url(), reverse("portfolio:export_download", args=[export.pk])):
        response = client.get(url)
        assert response.status_code == 410
        assert "This copy of your portfolio has expired" in response.content.decode()
        assert reverse("portfolio:export", args=[world.enrolment.pk]) in response.content.decode()
    assert not AuditEvent.objects.filter(action="export_download").exists()


def test_beat_deletes_expired_files_once_and_leaves_the_rest(world, portfolio, private_root):
    old, fresh = ready_export(world), ready_export(world)
    ExportRequest.objects.filter(pk=old.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    old_path, fresh_path = Path(old.file.path), Path(fresh.file.path)
    assert tasks.expire_exports() == 1
    assert tasks.expire_exports() == 0
    old.refresh_from_db()
    assert (old.status, old.file.name) == (Status.EXPIRED, "")
    assert not old_path.exists()
    assert fresh_path.exists()
    assert ExportRequest.objects.get(pk=fresh.pk).status == Status.READY


def test_the_expiry_task_is_on_beats_schedule():
    assert any(e["task"] == "portfolio.tasks.expire_exports" for e in django_settings.CELERY_BEAT_SCHEDULE.values())
    assert django_settings.PORTFOLIO_EXPORT_VALID_DAYS == 7


# --- The PDF's safety, and its cost.


def test_weasyprint_does_not_leave_pillow_reading_truncated_images(world, portfolio):
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False  # after portfolio.export.pdf imported WeasyPrint
    ready_export(world)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_the_pdf_fetches_nothing_from_outside_its_own_document(world, portfolio):
    fetcher = pdf.OwnDataOnly()
    for url in ("http://example.org/tracker.png", "file:///etc/passwd", "https://example.org/style.css"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 3
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"


def test_gathering_the_portfolio_costs_the_same_queries_for_few_and_many_records(world):
    def count(n):
        log = agreed_log(enrolment=world.enrolment, coach=world.coach)
        for _ in range(n):
            e = EvidenceFactory(enrolment=world.enrolment, logs=[log])
            ReflectionFactory(enrolment=world.enrolment, evidence=[e], logs=[log])
            cite(EnquiryFactory(enrolment=world.enrolment), "question", evidence=e)
        world.participant.__dict__.pop("_access_relations", None)
        with CaptureQueriesContext(connection) as queries:
            contents.gather(world.enrolment, by=world.participant, today=timezone.localdate())
        return len(queries)

    contents.gather(world.enrolment, by=world.participant, today=timezone.localdate())  # caches warmed
    assert count(1) == count(20)
