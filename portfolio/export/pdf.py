"""The export's PDF: one HTML document (a cover, a contents page, every record) laid out by
WeasyPrint with the fonts installed on the machine (DejaVu), fetching nothing: the only resources
it may load are the images embedded in the document itself as `data:` URIs.

The records are laid out apart from the cover and contents, which are numbered i, ii, ... as a
book's front matter is, while the records are numbered from 1: so the records' page numbers never
wait on the contents page's length, and the contents page is laid out once, with the records'
numbers known. A long portfolio's records are laid out in parts side by side
(settings.PORTFOLIO_EXPORT_PDF_PROCESSES; a short one's in one part): laying out and drawing a
three-year portfolio takes WeasyPrint 20 seconds or more of one processor, so one process could
not meet the export's budget (bench/export.sh). The records are cut into runs of about equal
weight (`weigh`: their text, and their images), each laid out by `portfolio.export.layout.main` in
a process of its own (forked from the worker, `forked.Forked`: WeasyPrint is imported already;
not multiprocessing, whose children a Celery prefork pool process may not have), the cover and
contents by another once the records' pages are known, and their PDFs joined with pikepdf, with the
contents page's numbers, the footers' "page N of M", the links between parts, the named
destinations, the outline (bookmarks) and the page labels (i, ii, ... 1, 2, ...) of one document.
A part after the first starts on a new page. A part that fails, or is not done
settings.PORTFOLIO_EXPORT_PDF_TIMEOUT seconds after the processes started, fails the build as any
error does (the request is marked failed); every process is ended and the temporary folder
removed before `write` returns or raises.

Importing WeasyPrint sets Pillow's ImageFile.LOAD_TRUNCATED_IMAGES to True for the whole process,
which would let a cut-short image through the upload checks (files.images). This module puts it
back as soon as WeasyPrint is imported, and again after each PDF it writes. Only the worker that
builds an export imports it (portfolio.services.exports imports the archive when it builds).
"""

import contextlib
import io
import json
import logging
import os
import select
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
from django.conf import settings
from django.template.loader import render_to_string
from PIL import ImageFile

from portfolio.export.contents import Contents
from portfolio.export.forked import Forked
from portfolio.export.layout import OwnDataOnly, PortfolioDocument

# Importing WeasyPrint (with .layout, here in the worker, so that the forked processes find it
# imported) set it to True: the portal never reads a truncated image.
ImageFile.LOAD_TRUNCATED_IMAGES = False
# A line for every page laid out is no use in the worker's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
logger = logging.getLogger(__name__)

__all__ = ["OwnDataOnly", "PortfolioDocument", "html", "write"]

_STYLESHEET = "portfolio/export/portfolio.css"
_USER_AGENT = "portfolio/export/user_agent.css"
# The weight (`weigh`) of an image beside text: a thumbnail (a JPEG embedded as it is) costs about
# as much to lay out and draw as this many characters of text. On bench/export.sh's portfolio, at
# 2,000 the part with the 40 images took 7.0 s of processor time and the other 8.5 s.
IMAGE_WEIGHT = 500
RECORD_WEIGHT = 300  # a record's heading and details, whatever its text


LAYOUT_MODULE = "portfolio.export.layout"  # its main(folder, part, parent), one forked process a part


class PartFailed(RuntimeError):
    """A process laying out part of the PDF failed or went quiet."""


# The sections of the records, in the order of the document, with the anchor of each heading.
_SECTIONS = ("evidence", "reflections", "enquiries", "sessions")


@dataclass
class Part:
    """What one document holds: the cover and contents page (`front`), and a run of the records;
    `starts` names the sections whose heading opens in it."""

    front: bool = False
    starts: frozenset[str] = frozenset()
    evidence: list = field(default_factory=list)
    reflections: list = field(default_factory=list)
    enquiries: list = field(default_factory=list)
    logs: list = field(default_factory=list)


def html(contents: Contents, part: Part | None = None) -> str:
    """The document of one part of the portfolio, or of the whole (bench/export.py lays it out in
    one process, to compare)."""
    if part is None:
        part = Part(
            front=True,
            starts=frozenset(_present_sections(contents)),
            evidence=contents.evidence,
            reflections=contents.reflections,
            enquiries=contents.enquiries,
            logs=contents.logs,
        )
    return render_to_string("portfolio/export/portfolio.html", {"c": contents, "p": part})


def _present_sections(contents: Contents) -> list[str]:
    return [name for name in _SECTIONS if name != "sessions" or contents.logs]


def weigh(record) -> int:
    """About how long a record takes to lay out and draw: its text and its images."""
    if hasattr(record, "export_sections"):  # an enquiry
        text = sum(len(section.text or "") for section in record.export_sections)
    else:
        text = sum(
            len(getattr(record, name, "") or "")
            for name in ("title", "description", "body", "url", "focus", "discussed", "strengths")
            + ("pupil_outcomes", "evidence_considered", "participant_reflection")
        )
    images = sum(1 for kept in getattr(record, "export_files", ()) if kept.current and kept.thumbnail)
    return RECORD_WEIGHT + text + IMAGE_WEIGHT * images


def split(contents: Contents, count: int) -> list[Part]:
    """The records cut into `count` runs of about equal weight, in the document's order; a
    section's heading goes with its first record (an empty section's with the record before)."""
    items: list[tuple[str, object | None, int]] = []  # (section, record or None for the heading, weight)
    lists = {
        "evidence": contents.evidence,
        "reflections": contents.reflections,
        "enquiries": contents.enquiries,
        "sessions": contents.logs,
    }
    for section in _present_sections(contents):
        items.append((section, None, 0))
        items.extend((section, record, weigh(record)) for record in lists[section])
    total = sum(weight for _, _, weight in items)
    parts: list[list] = [[] for _ in range(count)]
    done = 0
    for section, record, weight in items:
        # The part whose share of the weight the middle of this record falls in.
        index = min(count - 1, int((done + weight / 2) * count / total)) if total else 0
        index = max(index, next((i for i in range(count - 1, -1, -1) if parts[i]), 0))  # never back
        parts[index].append((section, record))
        done += weight
    made = []
    for run in parts:
        if not run:
            continue
        part = Part(starts=frozenset(section for section, record in run if record is None))
        for section, record in run:
            if record is not None:
                getattr(part, "logs" if section == "sessions" else section).append(record)
        made.append(part)
    return made


def _stylesheet(*, front: bool) -> str:
    """For the cover and contents (`front`), or for a run of the records."""
    return render_to_string(_STYLESHEET, {"front": front})


def write(
    contents: Contents, *, fetcher: OwnDataOnly | None = None, meanwhile: Callable[[], None] = lambda: None
) -> bytes:
    """The PDF of the whole portfolio. `meanwhile` is work of the caller's to do in this process
    while the parts are laid out in others (the archive copies the files)."""
    fetcher = fetcher or OwnDataOnly()
    try:
        records = [*contents.evidence, *contents.reflections, *contents.enquiries, *contents.logs]
        long = sum(weigh(r) for r in records) >= settings.PORTFOLIO_EXPORT_PDF_SPLIT_FROM
        count = settings.PORTFOLIO_EXPORT_PDF_PROCESSES if long else 1
        return _write_in_parts(contents, split(contents, max(1, count)), fetcher, meanwhile)
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = False


# --- Laying out in parts, one process each.


class _Process:
    """One process laying out a part, and its JSON lines: forked from this one when it has no
    other thread (a Celery prefork worker), or else a new interpreter (`runserver` building an
    export in a request's thread), since a fork copies the locks other threads hold but not them."""

    def __init__(self, folder: Path, name: str, deadline: float):
        self.name, self.deadline = name, deadline
        self.errors = open(folder / f"{name}.log", "w+b")  # noqa: SIM115 (closed in `end`)
        args = [str(folder), name, str(os.getpid())]
        if threading.active_count() == 1:
            self.process = Forked(LAYOUT_MODULE, args, stderr=self.errors)
        else:
            self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
                [sys.executable, "-m", LAYOUT_MODULE, *args],
                cwd=settings.BASE_DIR,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self.errors,
            )
        self.unread = b""

    def send(self, message: dict) -> None:
        try:
            self.process.stdin.write(json.dumps(message).encode() + b"\n")
            self.process.stdin.flush()
        except BrokenPipeError:
            raise self._failed("stopped") from None

    def receive(self) -> dict:
        """The next line it says, read straight from the pipe (a buffered reader could hold a
        line that `select` would then not see)."""
        stream = self.process.stdout.fileno()
        while b"\n" not in self.unread:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0 or not select.select([stream], [], [], remaining)[0]:
                raise self._failed("said nothing in time")
            said = os.read(stream, 1 << 16)
            if not said:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.process.wait(timeout=5)
                raise self._failed(f"stopped (exit status {self.process.returncode})")
            self.unread += said
        line, _, self.unread = self.unread.partition(b"\n")
        return json.loads(line)

    def _failed(self, what: str) -> PartFailed:
        self.errors.seek(0)
        said = self.errors.read()[-2000:].decode("utf-8", "replace").strip()
        return PartFailed(f"The PDF's {self.name} {what}." + (f" It said: {said}" if said else ""))

    def finish(self) -> None:
        self.process.stdin.close()
        remaining = max(0.1, self.deadline - time.monotonic())
        if self.process.wait(timeout=remaining) != 0:
            raise self._failed(f"ended with exit status {self.process.returncode}")

    def end(self) -> None:
        """Make sure it has ended, whatever happened."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self.errors):
            if not stream.closed:
                stream.close()


def _write_in_parts(contents: Contents, parts: list[Part], fetcher: OwnDataOnly, meanwhile) -> bytes:
    deadline = time.monotonic() + settings.PORTFOLIO_EXPORT_PDF_TIMEOUT
    names = ["front", *(f"part-{n}" for n in range(1, len(parts) + 1))]
    with tempfile.TemporaryDirectory(prefix="mtl-export-pdf-") as where:
        folder = Path(where)
        (folder / "user_agent.css").write_text(render_to_string(_USER_AGENT), encoding="utf-8")
        (folder / "front.css").write_text(_stylesheet(front=True), encoding="utf-8")
        (folder / "front.html").write_text(html(contents, Part(front=True)), encoding="utf-8")
        for name, part in zip(names[1:], parts, strict=True):
            (folder / f"{name}.css").write_text(_stylesheet(front=False), encoding="utf-8")
            (folder / f"{name}.html").write_text(html(contents, part), encoding="utf-8")
        processes = []
        try:
            for name in names:
                processes.append(_Process(folder, name, deadline))
            meanwhile()
            front, records = processes[0], processes[1:]
            laid_out = [process.receive() for process in records]
            # The records are numbered from 1 across the parts; the cover and contents apart.
            first, total = 1, sum(report["pages"] for report in laid_out)
            for process, report in zip(records, laid_out, strict=True):
                process.send({"first": first, "total": total})
                first += report["pages"]
            # Each anchor's page within the records (from 1), for the contents page.
            pages, before = {}, 0
            for report in laid_out:
                for anchor, index in report["anchors"].items():
                    pages.setdefault(anchor, before + index + 1)
                before += report["pages"]
            front.send({"pages": pages})
            drawn = [process.receive() for process in processes]
            for process in processes:
                process.finish()
            for report in drawn:
                fetcher.refused.extend(report["refused"])
            logger.debug(
                "PDF laid out in parts: %s pages; processor seconds %s",
                [drawn[0]["pages"]] + [report["pages"] for report in laid_out],
                [round(report["cpu"], 2) for report in drawn],
            )
            return _join(folder, names, drawn)
        finally:
            for process in processes:
                process.end()


def _join(folder: Path, names: list[str], drawn: list[dict]) -> bytes:
    """One PDF of the parts' pages, with the named destinations, the outline and the page labels of
    the whole. Joined with pikepdf (qpdf, in C++): pypdf took 0.55 s of processor time for a
    255-page portfolio, after every part had ended; pikepdf takes about 0.05 s."""
    joined = pikepdf.new()
    starts = []
    with warnings.catch_warnings():
        # Copied pages lose their part's named destinations: the whole's are made below.
        warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
        for name in names:
            starts.append(len(joined.pages))
            part = pikepdf.open(folder / f"{name}.pdf")
            if name == "front":
                for key, value in part.docinfo.items():
                    joined.docinfo[key] = pikepdf.String(str(value))
                if "/Lang" in part.Root:
                    joined.Root.Lang = pikepdf.String(str(part.Root.Lang))
            joined.pages.extend(part.pages)
    # Named destinations: the links inside every part point at them by name.
    destinations = pikepdf.NameTree.new(joined)
    for start, report in zip(starts, drawn, strict=True):
        for anchor, (index, x, y) in report["anchors"].items():
            if anchor not in destinations:
                page = joined.pages[start + index].obj
                destinations[anchor] = pikepdf.Array([page, pikepdf.Name.XYZ, x, y, 0])
    joined.Root.Names = pikepdf.Dictionary(Dests=destinations.obj)
    # The outline: bookmarks nested by level across the parts, as one document would nest them.
    with joined.open_outline() as outline:
        stack: list[tuple[int, pikepdf.OutlineItem]] = []
        for start, report in zip(starts, drawn, strict=True):
            for level, label, index, x, y, is_open in report["bookmarks"]:
                while stack and stack[-1][0] >= level:
                    stack.pop()
                item = pikepdf.OutlineItem(label, start + index, "XYZ", left=x, top=y, zoom=0)
                item.is_closed = not is_open
                (stack[-1][1].children if stack else outline.root).append(item)
                stack.append((level, item))
    # Pages labelled as they are numbered (i, ii, ... then 1, 2, ...), so that a reader's "go to
    # page 12" finds the page the contents page says is 12.
    joined.Root.PageLabels = pikepdf.Dictionary(
        Nums=pikepdf.Array(
            [0, pikepdf.Dictionary(S=pikepdf.Name.r), starts[1], pikepdf.Dictionary(S=pikepdf.Name.D, St=1)]
        )
    )
    out = io.BytesIO()
    joined.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()
