"""The participant exports their portfolio in Chromium, with JavaScript (the progress read in place,
then the page reloads itself to the download link) and without (the page's refresh link), downloads
the zip and finds every part in it; axe-core finds no WCAG 2.2 A/AA violation on any page visited.

In tests Celery runs tasks eagerly, so the task enqueued when the request commits would build the
whole export inside the POST, and the page would never be seen in progress. Here the task is
queued instead (`queued`), and the test runs it as a worker would, in a thread of its own, which
stops after its first progress report until the page has shown it. Every wait has a time limit:
the worker's pause, the thread's join and each `expect`.
"""

import io
import re
import threading
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.roles import Role
from files import jobs
from portfolio import tasks
from portfolio.models import ExportRequest
from portfolio.services import exports
from programme.models import ContentArea
from tests.browser.conftest import axe_violations, axe_violations_without_javascript, watch_csp
from tests.browser.test_sign_in_journey import sign_in
from tests.coaching.factories import agreed_log
from tests.factories import SchoolFactory, UserFactory, assign_coach, enrol, staff
from tests.files import samples
from tests.portfolio.export_world import with_file
from tests.portfolio.factories import EnquiryFactory, EvidenceFactory, ReflectionFactory, cite

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAIT = 20  # seconds: the longest any step of this test waits for the page or the worker
WAIT_MS = WAIT * 1000
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def portfolio(settings, tmp_path):
    """A participant's small portfolio: written and file evidence, a reflection, an enquiry citing
    the evidence, and an agreed coaching session."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    school = SchoolFactory(name="Riverside Academy")
    coach = staff(Role.COACH, school, email="coach@example.org", first_name="Cara", last_name="Coach")
    participant = UserFactory(email="pat@example.org", first_name="Pat", last_name="Learner", roles=[Role.PARTICIPANT])
    enrolment = enrol(school, participant=participant)
    assign_coach(enrolment, coach)
    area = ContentArea.objects.get(number=1)
    log = agreed_log(enrolment=enrolment, coach=coach, focus="Wait time in Year 9")
    written = EvidenceFactory(enrolment=enrolment, title="Exit tickets, Year 9", content_areas=[area], logs=[log])
    photo = EvidenceFactory(enrolment=enrolment, kind="file", body="", title="Seating plan photo")
    plan = EvidenceFactory(enrolment=enrolment, kind="file", body="", title="Lesson plan")
    files = {
        with_file(photo, "seating.png", samples.png(), "image/png").pk: samples.png(),
        with_file(plan, "plan.pdf", samples.pdf(), "application/pdf").pk: samples.pdf(),
    }
    ReflectionFactory(enrolment=enrolment, title="After the observation", evidence=[written], logs=[log])
    enquiry = EnquiryFactory(enrolment=enrolment, title="Does wait time change who answers?")
    cite(enquiry, "question", evidence=written)
    return {"enrolment": enrolment, "participant": participant, "files": files}


@pytest.fixture
def queued(monkeypatch) -> list[int]:
    """The ids of the export tasks enqueued, as the broker would hold them, instead of running them."""
    ids: list[int] = []
    monkeypatch.setattr(tasks.build_export, "delay", ids.append)
    return ids


class PausingWorker:
    """Runs the export task in its own thread and database connection, as a Celery worker would,
    writing progress after every file and stopping after the first report until `go_on()`."""

    def __init__(self, monkeypatch):
        self.reported = threading.Event()
        self._go_on = threading.Event()
        self._thread: threading.Thread | None = None
        real = jobs.progress

        def progress(model, pk, *, done=None, total=None):
            real(model, pk, done=done, total=total)
            if done and not self.reported.is_set():
                self.reported.set()
                self._go_on.wait(WAIT)

        monkeypatch.setattr(jobs, "progress", progress)
        monkeypatch.setattr(exports, "PROGRESS_EVERY", 1)

    def start(self, export_id: int) -> None:
        def run():
            try:
                tasks.build_export(export_id)
            finally:
                connections.close_all()

        self._thread = threading.Thread(target=run, name="export-worker", daemon=True)
        self._thread.start()
        assert self.reported.wait(WAIT), "the worker reported no progress"

    def go_on(self) -> None:
        self._go_on.set()
        self._thread.join(WAIT)
        assert not self._thread.is_alive(), "the worker did not finish"


def _no_violations(page, where: str, *, javascript: bool) -> None:
    assert (axe_violations if javascript else axe_violations_without_javascript)(page) == [], where


def _heading(page, text: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text, timeout=WAIT_MS)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_participant_exports_their_portfolio_and_downloads_it(
    live_server, browser, portfolio, queued, monkeypatch, javascript
):
    enrolment, participant = portfolio["enrolment"], portfolio["participant"]
    context = browser.new_context(java_script_enabled=javascript)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    refused = watch_csp(page)
    sign_in(page, live_server.url, participant.email)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"{live_server.url}/portfolio/participants/{enrolment.pk}/")
    _heading(page, "Your portfolio")

    page.get_by_role("button", name="Export your portfolio").click()
    _heading(page, "Copying your portfolio")
    expect(page.locator("#export-progress-text")).to_have_text("Waiting to start.", timeout=WAIT_MS)
    export = ExportRequest.objects.get(enrolment=enrolment)
    assert queued == [export.pk]
    refresh = page.get_by_role("link", name="Refresh to see how far it has got")
    # With JavaScript the page reads the progress itself and hides the link; without, it is there.
    if javascript:
        expect(refresh).to_be_hidden(timeout=WAIT_MS)
    else:
        expect(refresh).to_be_visible(timeout=WAIT_MS)
    _no_violations(page, "the export's page, waiting", javascript=javascript)

    worker = PausingWorker(monkeypatch)
    worker.start(export.pk)
    total = ExportRequest.objects.get(pk=export.pk).total
    assert total == 3 + 1 + 1 + 1 + 2  # evidence, reflection, enquiry, agreed session, files
    if not javascript:
        refresh.click()
    progress = f"1 of {total} records and files done ({round(100 / total)}%)."
    expect(page.locator("#export-progress-text")).to_have_text(progress, timeout=WAIT_MS)
    expect(page.locator("#export-progress-bar")).to_have_attribute("value", str(round(100 / total)), timeout=WAIT_MS)
    _no_violations(page, "the export's page, in progress", javascript=javascript)

    worker.go_on()
    assert ExportRequest.objects.get(pk=export.pk).status == ExportRequest.Status.READY
    if not javascript:
        page.get_by_role("link", name="Refresh to see how far it has got").click()
    _heading(page, "Your portfolio is ready")
    download = page.get_by_role("link", name=re.compile(r"^Download your portfolio \(zip, "))
    with page.expect_download(timeout=WAIT_MS) as caught:
        download.click()
    assert caught.value.suggested_filename == f"portfolio-{export.requested_at:%Y-%m-%d}.zip"
    archive = zipfile.ZipFile(io.BytesIO(Path(caught.value.path()).read_bytes()))
    _check_zip(archive, portfolio)

    page.get_by_role("link", name="Your copies of your portfolio").click()
    _heading(page, "Export your portfolio")
    expect(page.get_by_role("table")).to_contain_text("Ready to download, until", timeout=WAIT_MS)
    context.close()
    assert refused == []


def _check_zip(archive: zipfile.ZipFile, portfolio) -> None:
    names = set(archive.namelist())
    assert {"README.txt", "portfolio.pdf", "leap2a.xml"} <= names
    from portfolio.models import EvidenceFile

    for kept in EvidenceFile.objects.filter(pk__in=portfolio["files"]):
        path = f"files/{kept.evidence_id}/{kept.name}"
        assert archive.read(path) == portfolio["files"][kept.pk], path
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(archive.read("portfolio.pdf"))).pages)
    for title in ("Exit tickets, Year 9", "After the observation", "Does wait time change who answers?"):
        assert title in text, title
    assert "Pat Learner" in text
    feed = ET.fromstring(archive.read("leap2a.xml"))
    titles = {entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")}
    assert {"Exit tickets, Year 9", "Seating plan photo", "Does wait time change who answers?"} <= titles
    assert "portfolio.pdf" in archive.read("README.txt").decode("utf-8")
