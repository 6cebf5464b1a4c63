"""Time the build of a participant's portfolio export (portfolio.services.exports.export_build,
what the Celery task runs): the PDF, the zip of the original files, leap2a.xml and the README.

Usage: bench/export.sh   (seeds a fresh SQLite file with the demo, then runs this)
Gives the demo participant a three-year portfolio of 300 records (180 pieces of evidence, 100 of
them files; 100 reflections; 20 enquiries with all ten sections written) and 36 agreed coaching
sessions, then builds the export REPEATS times and prints the median and worst time, the size of
the zip and of the PDF, and the time of each part once (gathering, files, Leap2A, PDF). The budget
(issue 9) is under 10 seconds.
"""

import cProfile
import datetime
import io
import logging
import os
import pstats
import random
import resource
import statistics
import tempfile
import time
import zipfile

import weasyprint
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.test.utils import override_settings
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader, PdfWriter

from accounts.models import User
from coaching.models import AgreementStatus, DialogueLog, SessionKind, SessionSetting
from portfolio import thumbnails
from portfolio.export import archive, contents, leap2a, pdf
from portfolio.models import Enquiry, Evidence, EvidenceFile, ExportRequest, Reflection
from portfolio.services import exports
from programme.demo import demo_email
from programme.models import ContentArea, Enrolment, Phase, Topic

REPEATS = int(os.environ.get("REPEATS", "3"))
PROFILE = os.environ.get("PROFILE", "")  # set: profile the PDF's layout instead of timing the build
EVIDENCE, FILES, REFLECTIONS, ENQUIRIES, LOGS = 180, 100, 100, 20, 36
WORDS = (
    "pupils",
    "questions",
    "wait",
    "time",
    "answered",
    "explained",
    "reasoning",
    "lesson",
    "starter",
    "plenary",
    "feedback",
    "misconception",
    "hinge",
    "exit",
    "ticket",
    "class",
    "group",
    "talk",
    "partner",
    "vocabulary",
    "model",
    "example",
    "practice",
    "assessment",
    "progress",
    "evidence",
    "reading",
    "writing",
    "number",
    "science",
    "history",
    "inclusion",
    "behaviour",
    "routine",
    "scaffold",
    "challenge",
    "support",
    "planning",
    "review",
    "colleague",
)
rng = random.Random(9)


def prose(paragraphs: int, words: int = 60) -> str:
    return "".join(
        "<p>" + " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + ".</p>" for _ in range(paragraphs)
    )


def photo() -> bytes:
    """A 12-megapixel-like photo's worth of JPEG: 3000 by 2000 pixels of noise over a gradient."""
    image = Image.effect_noise((3000, 2000), 40).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def document(pages: int = 12) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Scheme of work"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue() + b"%" + bytes(rng.randrange(256) for _ in range(200_000))  # padded to ~200 KB


def recording() -> bytes:
    frame = b"\xff\xfb\x90\x64" + bytes(413)
    return frame * 2500  # about 1 MB of MPEG audio frames


@transaction.atomic
def seed(enrolment: Enrolment) -> None:
    participant, start = enrolment.participant, datetime.date(2023, 9, 4)
    phases = list(Phase.objects.order_by("number"))
    areas = list(ContentArea.objects.order_by("number"))
    topics = list(Topic.objects.all())
    coach = User.objects.get(email=demo_email("coach"))

    def day(i: int, n: int) -> datetime.date:
        return start + datetime.timedelta(days=int(i * 1000 / n))

    def phase(on: datetime.date) -> Phase:
        return phases[min(2, (on - start).days // 365)]

    logs = [
        DialogueLog.objects.create(
            enrolment=enrolment,
            coach=coach,
            session_on=day(i, LOGS),
            duration_minutes=45,
            kind=SessionKind.COACHING_CONVERSATION,
            setting=SessionSetting.OWN_SCHOOL,
            focus=f"Session {i + 1}: questioning and feedback",
            discussed=prose(3),
            strengths=prose(1),
            pupil_outcomes=prose(1),
            evidence_considered=prose(1),
            participant_reflection=prose(1),
            status=AgreementStatus.AGREED,
            agreed_version=1,
        )
        for i in range(LOGS)
    ]
    samples = {"jpg": photo(), "pdf": document(), "mp3": recording()}
    types = {"jpg": "image/jpeg", "pdf": "application/pdf", "mp3": "audio/mpeg"}
    evidence = []
    for i in range(EVIDENCE):
        on = day(i, EVIDENCE)
        is_file = i < FILES
        e = Evidence.objects.create(
            enrolment=enrolment,
            phase=phase(on),
            kind=Evidence.Kind.FILE if is_file else rng.choice([Evidence.Kind.WRITTEN, Evidence.Kind.LINK]),
            title=f"Evidence {i + 1}: work from the lesson of {on:%-d %B %Y}",
            relates_to=on,
            description=" ".join(rng.choice(WORDS) for _ in range(30)),
            body="" if is_file else prose(4),
            url="https://example.org/resource",
            anonymised=True,
        )
        e.content_areas.set(rng.sample(areas, 2))
        e.topics.set(rng.sample(topics, 2))
        e.logs.set([logs[min(LOGS - 1, i * LOGS // EVIDENCE)]])
        if is_file:
            ext = ("jpg", "pdf", "pdf", "mp3", "jpg")[i % 5]
            kept = EvidenceFile(
                evidence=e,
                name=f"evidence_{i + 1}.{ext}",
                content_type=types[ext],
                size=len(samples[ext]),
                uploaded_by=participant,
            )
            kept.file.save(kept.name, ContentFile(samples[ext]), save=False)
            kept.save()
            thumbnails.keep(kept)  # as the upload does
        evidence.append(e)
    for i in range(REFLECTIONS):
        on = day(i, REFLECTIONS)
        r = Reflection.objects.create(
            enrolment=enrolment, phase=phase(on), written_on=on, title=f"Reflection {i + 1}", body=prose(5)
        )
        r.content_areas.set(rng.sample(areas, 1))
        r.evidence.set(rng.sample(evidence, 3))
        r.logs.set(rng.sample(logs, 1))
    for i in range(ENQUIRIES):
        on = day(i, ENQUIRIES)
        q = Enquiry.objects.create(
            enrolment=enrolment,
            phase=phase(on),
            title=f"Enquiry {i + 1}: does planned questioning change who answers?",
            started_on=on,
            **{name: prose(3) for name in Enquiry.SECTION_NAMES},
        )
        q.content_areas.set(rng.sample(areas, 2))
        for name in ("question", "data", "findings"):
            q.citations.create(section=name, evidence=rng.choice(evidence))
            q.citations.create(section=name, log=rng.choice(logs))


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build_once(enrolment: Enrolment, participant: User) -> tuple[float, float, ExportRequest]:
    """The build's wall-clock time, and the processor time it used, its own and that of the
    processes laying out the PDF's parts (on a machine shared with other work the wall-clock time
    also counts the waiting; with the PDF in parts, it is less than the processor time)."""
    export = ExportRequest.objects.create(enrolment=enrolment, requested_by=participant)
    started, cpu, cpu_children = time.perf_counter(), time.process_time(), children_cpu()
    exports.export_build(export_id=export.pk)
    took = time.perf_counter() - started
    used = time.process_time() - cpu + children_cpu() - cpu_children
    export.refresh_from_db()
    assert export.status == ExportRequest.Status.READY, export.status
    return took, used, export


def parts(enrolment: Enrolment, participant: User) -> dict[str, float]:
    """Each part once, timed on its own."""
    took = {}
    started = time.perf_counter()
    found = contents.gather(enrolment, by=participant, today=timezone.localdate())
    took["gather"] = time.perf_counter() - started
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, zipfile.ZipFile(out, "w") as zipped:
        for kept in found.files:
            with kept.record.file.open("rb") as source:
                zipped.writestr(kept.path, source.read())
    archive._thumbnails(found)
    took["files and thumbnails"] = time.perf_counter() - started
    started = time.perf_counter()
    leap2a.build(found, feed_id="urn:bench", now=timezone.now())
    took["leap2a"] = time.perf_counter() - started
    started = time.perf_counter()
    pdf.html(found)
    took["pdf html"] = time.perf_counter() - started
    started = time.perf_counter()
    pdf.write(found)
    took["pdf (html, layout, drawing)"] = time.perf_counter() - started
    # The whole PDF in this one process, in its two halves, by processor time: WeasyPrint's layout
    # (line breaking, page breaking, the cascade) and its drawing of the laid-out pages into the
    # PDF (glyph by glyph). The export lays out parts of it side by side instead (pdf.split).
    document = pdf.PortfolioDocument(
        string=pdf.html(found),
        base_url=None,
        url_fetcher=pdf.OwnDataOnly(),
        user_agent=weasyprint.CSS(string=render_to_string(pdf._USER_AGENT)),
    )
    started = time.process_time()
    laid_out = document.render(stylesheets=[weasyprint.CSS(string=pdf._stylesheet(front=True))])
    took["pdf layout (processor)"] = time.process_time() - started
    started = time.process_time()
    laid_out.write_pdf()
    took["pdf drawing (processor)"] = time.process_time() - started
    return took


class PartsSeen(logging.Handler):
    """The PDF's parts, as portfolio.export.pdf logs them: pages and processor time of each."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def main() -> None:
    print(f"Load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} processors.")
    seen = PartsSeen()
    logging.getLogger("portfolio.export.pdf").addHandler(seen)
    logging.getLogger("portfolio.export.pdf").setLevel(logging.DEBUG)
    participant = User.objects.get(email=demo_email("participant"))
    enrolment = Enrolment.objects.filter(participant=participant).order_by("-pk").first()
    if Evidence.objects.filter(enrolment=enrolment).count() < EVIDENCE:  # not seeded by an earlier KEEP run
        started = time.perf_counter()
        seed(enrolment)
        print(f"Seeded in {time.perf_counter() - started:.1f} s.")
    found = contents.gather(enrolment, by=participant, today=timezone.localdate())
    print(
        f"Portfolio: {len(found.evidence)} evidence, {len(found.reflections)} reflections, "
        f"{len(found.enquiries)} enquiries ({len(found.evidence) + len(found.reflections) + len(found.enquiries)} "
        f"records), {len(found.logs)} agreed sessions, {len(found.files)} files "
        f"({sum(f.record.size for f in found.files) / 1e6:.1f} MB)."
    )
    if PROFILE:
        profiler = cProfile.Profile()
        with override_settings(PORTFOLIO_EXPORT_PDF_PROCESSES=1):  # the whole PDF, in this process
            profiler.runcall(pdf.write, found)
        pstats.Stats(profiler).sort_stats(PROFILE).print_stats(40)
        return
    timings, used = [], []
    for _ in range(REPEATS):
        took, cpu, export = build_once(enrolment, participant)
        timings.append(took)
        used.append(cpu)
    with export.file.open("rb") as stream:
        zipped = zipfile.ZipFile(io.BytesIO(stream.read()))
    pdf_bytes = zipped.read(archive.PDF)
    pages = len(PdfReader(io.BytesIO(pdf_bytes)).pages)
    print(
        f"Export build: median {statistics.median(timings):.2f} s, worst {max(timings):.2f} s of {REPEATS} "
        f"(budget 10 s); processor time median {statistics.median(used):.2f} s.\n"
        f"Zip {export.size / 1e6:.1f} MB; PDF {len(pdf_bytes) / 1e6:.2f} MB, {pages} pages."
    )
    for line in seen.lines:
        print(f"  {line} (cover and contents, then each run of the records)")
    print("Each part once (wall-clock, unless it says processor):")
    for name, seconds in parts(enrolment, participant).items():
        print(f"  {name:<28} {seconds:6.2f} s")
    print(f"Load average while it ran: {os.getloadavg()[0]:.1f} on {os.cpu_count()} processors.")


main()
