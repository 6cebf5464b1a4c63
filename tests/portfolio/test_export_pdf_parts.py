"""The export's PDF laid out in parts, one process each (portfolio.export.pdf, .layout), joined into
one PDF that reads as if it had been laid out whole: the contents page's numbers, the footers'
"page N of M", the links between parts, the named destinations and the outline. A part that fails
or goes quiet fails the build, leaving no process and no temporary file behind."""

import io
import os
import re
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils import timezone
from pypdf import PdfReader

from portfolio import tasks
from portfolio.export import contents, pdf
from portfolio.export.forked import Forked
from portfolio.models import ExportRequest
from tests.portfolio import export_world
from tests.portfolio.factories import EnquiryFactory, EvidenceFactory, ReflectionFactory, cite

pytestmark = pytest.mark.django_db
private_root = export_world.private_root
portfolio = export_world.portfolio

PARAGRAPH = "<p>" + "Pupils answered after a longer wait and explained their reasoning to a partner. " * 12 + "</p>"


@pytest.fixture
def in_parts(settings, tmp_path, monkeypatch):
    """Every portfolio laid out in two parts; temporary folders where the test can see them."""
    settings.PORTFOLIO_EXPORT_PDF_PROCESSES = 2
    settings.PORTFOLIO_EXPORT_PDF_SPLIT_FROM = 0
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(temporary))
    started: list[pdf._Process] = []
    real = pdf._Process.__init__

    def watched(self, *args, **kwargs):
        real(self, *args, **kwargs)
        started.append(self)

    monkeypatch.setattr(pdf._Process, "__init__", watched)
    return {"temporary": temporary, "started": started}


@pytest.fixture
def long_portfolio(world, portfolio):
    """The shared portfolio and enough more to fill a few pages in each part, with links from the
    second half to the first."""
    first = portfolio["written"]
    for number in range(12):
        EvidenceFactory(enrolment=world.enrolment, title=f"Lesson study {number}", body=PARAGRAPH * 2)
    for number in range(12):
        ReflectionFactory(enrolment=world.enrolment, title=f"Week {number}", body=PARAGRAPH * 2, evidence=[first])
    enquiry = EnquiryFactory(enrolment=world.enrolment, title="Who answers in Year 10?")
    enquiry.findings = PARAGRAPH * 3
    enquiry.save()
    cite(enquiry, "findings", evidence=first)
    cite(enquiry, "findings", log=portfolio["log"])
    return portfolio


def gathered(world):
    found = contents.gather(world.enrolment, by=world.participant, today=timezone.localdate())
    return found


def the_pdf(world) -> PdfReader:
    return PdfReader(io.BytesIO(pdf.write(gathered(world))))


def outline(reader: PdfReader, items=None, depth=0) -> list[tuple[int, str, int]]:
    found = []
    for item in reader.outline if items is None else items:
        if isinstance(item, list):
            found.extend(outline(reader, item, depth + 1))
        else:
            found.append((depth, item.title, reader.get_destination_page_number(item)))
    return found


def test_the_records_are_cut_by_weight_not_by_count(world, long_portfolio):
    found = gathered(world)
    parts = pdf.split(found, 2)
    weights = [sum(map(pdf.weigh, [*p.evidence, *p.reflections, *p.enquiries, *p.logs])) for p in parts]
    assert len(parts) == 2
    assert abs(weights[0] - weights[1]) <= max(map(pdf.weigh, [*found.evidence, *found.reflections]))
    # In the document's order, each record once, each section's heading once.
    assert [r for p in parts for r in p.evidence] == found.evidence
    assert [r for p in parts for r in p.reflections] == found.reflections
    assert sorted(s for p in parts for s in p.starts) == sorted(["evidence", "reflections", "enquiries", "sessions"])
    # An image weighs more than its caption's text.
    pictured = next(e for e in found.evidence if e.pk == long_portfolio["pictured"].pk)
    kept = pictured.export_files[0]
    plain = pdf.weigh(pictured)
    kept.thumbnail = "data:image/jpeg;base64,AA=="
    assert pdf.weigh(pictured) == plain + pdf.IMAGE_WEIGHT


@pytest.mark.parametrize("parts", [2, 1])
def test_the_contents_page_numbers_point_to_the_right_pages(world, long_portfolio, in_parts, settings, parts):
    settings.PORTFOLIO_EXPORT_PDF_PROCESSES = parts
    reader = the_pdf(world)
    assert len(in_parts["started"]) == parts + 1  # the cover and contents, and the parts of the records
    pages = [page.extract_text() for page in reader.pages]
    total = len(pages)
    assert total >= 6
    destinations = reader.named_destinations
    # The cover and contents are numbered i, ii, ...; the records from 1.
    front = reader.get_destination_page_number(destinations["evidence"])
    assert reader.page_labels == [_roman(n) for n in range(1, front + 1)] + [
        str(n) for n in range(1, total - front + 1)
    ]
    # Each entry of the contents links to its record, and the number at the end of its line is
    # that page's. The contents run from their heading to the first section of the records.
    first = next(i for i, text in enumerate(pages) if i and text.lstrip().startswith("Contents"))
    numbers, entries = [], []
    for index in range(first, front):
        lines = [line for line in pages[index].splitlines() if not re.fullmatch(r"[ivx]+", line.strip())]
        numbers += [int(found[1]) for line in lines if (found := re.search(r"\s(\d+)$", line))]
        for annotation in reader.pages[index].get("/Annots", []):
            anchor = str(annotation.get_object()["/Dest"])
            if not entries or entries[-1] != anchor:  # a title on two lines is one entry with two links
                entries.append(anchor)
    assert len(entries) >= 30
    assert len(numbers) == len(entries)
    for anchor, number in zip(entries, numbers, strict=True):
        target = reader.get_destination_page_number(destinations[anchor])
        assert number == target - front + 1, anchor
        heading = {"evidence": "Evidence", "reflections": "Reflections", "enquiries": "Enquiries"}.get(anchor)
        if heading:
            assert heading in pages[target]
    # The page each record's anchor names holds its heading.
    for evidence in gathered(world).evidence:
        assert evidence.title in pages[reader.get_destination_page_number(destinations[f"evidence-{evidence.pk}"])]
    # Every page after the cover says its number: the contents' in small roman numerals, and each
    # record's page its number of the records'.
    assert not pages[0].strip().endswith("i")
    for number, text in enumerate(pages[1:front], start=2):
        assert text.strip().endswith(_roman(number)), number
    for number, text in enumerate(pages[front:], start=1):
        assert f"{number} of {total - front}" in text, number


def _roman(number: int) -> str:
    return {1: "i", 2: "ii", 3: "iii", 4: "iv", 5: "v", 6: "vi", 7: "vii", 8: "viii", 9: "ix"}[number]


def test_in_parts_links_reach_across_parts_and_the_outline_nests_as_one_document(world, long_portfolio, in_parts):
    reader = the_pdf(world)
    destinations = reader.named_destinations
    links = [
        annotation.get_object()
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if "/Dest" in annotation.get_object()
    ]
    assert links
    assert all(str(link["/Dest"]) in destinations for link in links)
    # The last enquiry, in the second part, cites the first evidence, in the first.
    first = f"evidence-{long_portfolio['written'].pk}"
    enquiry = reader.get_destination_page_number(destinations[f"enquiry-{gathered(world).enquiries[-1].pk}"])
    assert reader.get_destination_page_number(destinations[first]) < enquiry
    assert any(
        str(annotation.get_object().get("/Dest")) == first
        for page in reader.pages[enquiry:]
        for annotation in page.get("/Annots", [])
    )
    items = outline(reader)
    top = [title for depth, title, _ in items if depth == 0]
    assert top == [
        "Portfolio",
        "Contents",
        "Evidence",
        "Reflections",
        "Enquiries",
        "Appendix: agreed coaching sessions",
    ]
    assert all(depth in (0, 1) for depth, _, _ in items)
    assert [title for depth, title, _ in items if depth == 1][-1] != "Portfolio"
    assert reader.metadata.title.startswith("Portfolio of ")
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_parts_are_forked_from_a_worker_and_new_interpreters_beside_other_threads(world, long_portfolio, in_parts):
    found = gathered(world)
    forked = PdfReader(io.BytesIO(pdf.write(found)))
    assert all(isinstance(p.process, Forked) for p in in_parts["started"])
    in_parts["started"].clear()
    made = {}
    # As runserver builds an export in a request's thread, beside its other threads.
    thread = threading.Thread(target=lambda: made.setdefault("pdf", pdf.write(found)))
    thread.start()
    thread.join(timeout=120)
    assert in_parts["started"]
    assert all(isinstance(p.process, subprocess.Popen) for p in in_parts["started"])
    spawned = PdfReader(io.BytesIO(made["pdf"]))
    assert [page.extract_text() for page in spawned.pages] == [page.extract_text() for page in forked.pages]


def test_in_parts_the_pdf_says_what_one_document_says(world, long_portfolio, in_parts, settings):
    parted = the_pdf(world)
    settings.PORTFOLIO_EXPORT_PDF_PROCESSES = 1
    whole = the_pdf(world)
    # Without the page numbers: the footers' "N of M", and the one at the end of a contents line.
    text = lambda reader: "\n".join(p.extract_text() for p in reader.pages)  # noqa: E731
    without_numbers = lambda s: re.sub(r"\s+", "", re.sub(r"\d+ of \d+|\s\d+$", "", s, flags=re.M))  # noqa: E731
    assert without_numbers(text(parted)) == without_numbers(text(whole))
    # A part after the first starts on a new page: at most one page more for each.
    assert len(whole.pages) <= len(parted.pages) <= len(whole.pages) + 1
    assert [t for _, t, _ in outline(parted)] == [t for _, t, _ in outline(whole)]


def test_a_part_that_fails_fails_the_build_and_leaves_nothing(world, long_portfolio, in_parts, monkeypatch):
    monkeypatch.setattr(pdf, "LAYOUT_MODULE", "tests.portfolio.failing_layout")
    export = ExportRequest.objects.create(enrolment=world.enrolment, requested_by=world.participant)
    tasks.build_export(export.pk)
    export.refresh_from_db()
    assert export.status == ExportRequest.Status.FAILED
    assert not export.file
    assert in_parts["started"]
    assert all(p.process.poll() is not None for p in in_parts["started"])
    assert list(in_parts["temporary"].iterdir()) == []


def test_a_part_that_goes_quiet_is_ended_after_the_timeout(world, long_portfolio, in_parts, monkeypatch, settings):
    settings.PORTFOLIO_EXPORT_PDF_TIMEOUT = 2
    monkeypatch.setattr(pdf, "LAYOUT_MODULE", "tests.portfolio.failing_layout")
    monkeypatch.setenv("FAILING_LAYOUT", "quiet")
    started = time.monotonic()
    with pytest.raises(pdf.PartFailed, match="said nothing in time"):
        pdf.write(gathered(world))
    assert time.monotonic() - started < 30
    assert all(p.process.poll() is not None for p in in_parts["started"])
    assert list(in_parts["temporary"].iterdir()) == []


def test_a_part_ends_when_the_process_that_started_it_is_killed(tmp_path):
    """A worker killed mid-build leaves no layout process behind."""
    starter = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import subprocess, sys, time\n"
            "child = subprocess.Popen([sys.executable, '-m', 'tests.portfolio.failing_layout', 'x', 'part-1', "
            "str(__import__('os').getpid())], stdin=subprocess.PIPE, stdout=subprocess.PIPE)\n"
            "print(child.pid, flush=True)\n"
            "time.sleep(120)\n",
        ],
        cwd=django_settings.BASE_DIR,
        env=os.environ | {"FAILING_LAYOUT": "quiet"},
        stdout=subprocess.PIPE,
        text=True,
    )
    child = int(starter.stdout.readline())
    os.kill(starter.pid, signal.SIGKILL)
    starter.wait(timeout=30)
    deadline = time.monotonic() + 30
    while Path(f"/proc/{child}").exists() and "zombie" not in _state(child):
        assert time.monotonic() < deadline, "the layout process outlived the worker"
        time.sleep(0.1)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().lower()
    except OSError:
        return "zombie"


def test_the_zip_of_an_export_in_parts_holds_the_joined_pdf(world, long_portfolio, in_parts):
    export = ExportRequest.objects.create(enrolment=world.enrolment, requested_by=world.participant)
    tasks.build_export(export.pk)
    export.refresh_from_db()
    assert export.status == ExportRequest.Status.READY
    with export.file.open("rb") as stream:
        archive = zipfile.ZipFile(io.BytesIO(stream.read()))
    reader = PdfReader(io.BytesIO(archive.read("portfolio.pdf")))
    assert "Contents" in reader.pages[1].extract_text()
    assert sum(name.startswith("files/") for name in archive.namelist()) == 3
    assert list(in_parts["temporary"].iterdir()) == []
