"""A participant's portfolio with every kind of record and link, and things that must stay out of
their export: shared by the export's tests."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from portfolio.models import EvidenceFile
from programme.models import ContentArea, Topic
from tests.coaching.factories import DialogueLogFactory, agreed_log, private_note
from tests.files import samples
from tests.portfolio.factories import EnquiryFactory, EvidenceFactory, ReflectionFactory, cite


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def stored(root: Path) -> list[Path]:
    return sorted(p for p in Path(root).rglob("*") if p.is_file()) if Path(root).exists() else []


def with_file(evidence, name: str, data: bytes, content_type: str, *, replaced_at=None) -> EvidenceFile:
    kept = EvidenceFile(
        evidence=evidence,
        name=name,
        content_type=content_type,
        size=len(data),
        uploaded_by=evidence.enrolment.participant,
        replaced_at=replaced_at,
    )
    kept.file.save(name, ContentFile(data), save=False)
    kept.save()
    return kept


@pytest.fixture
def portfolio(world):
    """A small portfolio with every kind of record and link, and things that must stay out."""
    area, topic = ContentArea.objects.get(number=1), Topic.objects.filter(content_area__number=1).first()
    log = agreed_log(enrolment=world.enrolment, coach=world.coach, focus="Wait time in Year 9")
    private_note(log, "Private: worried about workload")
    draft = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach, focus="A draft never agreed")
    written = EvidenceFactory(enrolment=world.enrolment, title="Exit tickets, Year 9", content_areas=[area], logs=[log])
    written.topics.set([topic])
    filed = EvidenceFactory(enrolment=world.enrolment, kind="file", body="", title="Pupils' work sample")
    pdf_file = with_file(filed, "work_sample.pdf", samples.pdf(), "application/pdf")
    old_file = with_file(
        filed, "first_draft.pdf", samples.pdf() + b"%old", "application/pdf", replaced_at=timezone.now()
    )
    pictured = EvidenceFactory(enrolment=world.enrolment, kind="file", body="", title="Seating plan photo")
    png_file = with_file(pictured, "seating.png", samples.png(), "image/png")
    link = EvidenceFactory(enrolment=world.enrolment, kind="link", body="", url="https://example.org/research")
    reflection = ReflectionFactory(
        enrolment=world.enrolment, title="After the observation", evidence=[written], logs=[log]
    )
    enquiry = EnquiryFactory(enrolment=world.enrolment, title="Does wait time change who answers?")
    enquiry.method = "<p>Two classes, six weeks of wait time.</p>"
    enquiry.save()
    cite(enquiry, "question", evidence=written)
    cite(enquiry, "method", log=log)
    # Someone else's portfolio.
    other = EvidenceFactory(title="Another participant's evidence")
    return {
        "log": log,
        "draft": draft,
        "written": written,
        "filed": filed,
        "pictured": pictured,
        "link": link,
        "reflection": reflection,
        "enquiry": enquiry,
        "other": other,
        "files": {pdf_file.pk: samples.pdf(), old_file.pk: samples.pdf() + b"%old", png_file.pk: samples.png()},
    }
