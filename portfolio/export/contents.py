"""What goes into a participant's export: every record they own that the access policy lets them
read in full, read in a fixed number of queries however many records there are.

Evidence, reflections and enquiries (every section, with what each cites), the files of their
evidence (the current file and those it replaced), and, as a read-only appendix, their agreed
dialogue logs: the participant reads those in full (a draft, a coach's private note, anything of
anyone else's never comes in, since it is not asked for and the policy is asked about the rest).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch

from coaching.models import AgreementStatus, DialogueLog
from portfolio.models import Enquiry, EnquiryCitation, Evidence, EvidenceFile, Reflection
from programme import access
from programme.access import Action
from programme.models import Enrolment


@dataclass
class Section:
    name: str
    heading: str
    text: str  # sanitised HTML
    evidence: list[Evidence] = field(default_factory=list)
    logs: list[DialogueLog] = field(default_factory=list)


@dataclass
class KeptFile:
    """A file of a piece of evidence, with the path it has in the zip."""

    record: EvidenceFile
    evidence: Evidence
    path: str
    thumbnail: str = ""  # a small copy of an image, as a data URI, for the PDF

    @property
    def current(self) -> bool:
        return self.record.replaced_at is None


@dataclass
class Contents:
    enrolment: Enrolment
    evidence: list[Evidence]
    reflections: list[Reflection]
    enquiries: list[Enquiry]
    sections: dict[int, list[Section]]  # by enquiry id
    logs: list[DialogueLog]
    files: list[KeptFile]
    built_on: datetime.date

    @property
    def records(self) -> int:
        """What the progress counts: each record and each file."""
        return len(self.evidence) + len(self.reflections) + len(self.enquiries) + len(self.logs) + len(self.files)


def _readable(user, records: list) -> list:
    return [record for record, actions in access.judge(user, records) if Action.VIEW in actions]


def file_path(kept: EvidenceFile, evidence: Evidence) -> str:
    """`files/<evidence id>/<name>`; a replaced file keeps its name after the day it was replaced."""
    if kept.replaced_at is None:
        return f"files/{evidence.pk}/{kept.name}"
    return f"files/{evidence.pk}/replaced-{kept.replaced_at:%Y-%m-%d}-{kept.pk}-{kept.name}"


def gather(enrolment: Enrolment, *, by, today: datetime.date) -> Contents:
    """Everything of `enrolment`'s portfolio that `by` (the participant) may read in full."""
    tagged = ("phase",)
    evidence = _readable(
        by,
        list(
            Evidence.objects.filter(enrolment=enrolment)
            .select_related(*tagged)
            .prefetch_related("content_areas", "topics", "standards", "logs", "files")
            .order_by("relates_to", "pk")
        ),
    )
    reflections = _readable(
        by,
        list(
            Reflection.objects.filter(enrolment=enrolment)
            .select_related(*tagged)
            .prefetch_related("content_areas", "evidence", "logs", "action_steps")
            .order_by("written_on", "pk")
        ),
    )
    citations = EnquiryCitation.objects.order_by("section", "pk")
    enquiries = _readable(
        by,
        list(
            Enquiry.objects.filter(enrolment=enrolment)
            .select_related(*tagged)
            .prefetch_related("content_areas", Prefetch("citations", queryset=citations))
            .order_by("started_on", "pk")
        ),
    )
    logs = _readable(
        by,
        list(
            DialogueLog.objects.filter(enrolment=enrolment, status=AgreementStatus.AGREED)
            .select_related("coach")
            .prefetch_related("content_areas", "topics", "standards")
            .order_by("session_on", "pk")
        ),
    )
    evidence_by_id = {e.pk: e for e in evidence}
    logs_by_id = {log.pk: log for log in logs}
    # Links point only at records in the export (a log the participant may not read stays out).
    for record in [*evidence, *reflections]:
        record.exported_logs = [log for log in record.logs.all() if log.pk in logs_by_id]
    for reflection in reflections:
        reflection.exported_evidence = [e for e in reflection.evidence.all() if e.pk in evidence_by_id]
    sections: dict[int, list[Section]] = {}
    for enquiry in enquiries:
        cited: dict[str, list[EnquiryCitation]] = defaultdict(list)
        for citation in enquiry.citations.all():
            cited[citation.section].append(citation)
        sections[enquiry.pk] = [
            Section(
                name=name,
                heading=heading,
                text=getattr(enquiry, name),
                evidence=[evidence_by_id[c.evidence_id] for c in cited[name] if c.evidence_id in evidence_by_id],
                logs=[logs_by_id[c.log_id] for c in cited[name] if c.log_id in logs_by_id],
            )
            for name, heading, _ in Enquiry.SECTIONS
        ]
        enquiry.export_sections = sections[enquiry.pk]
    files = []
    for e in evidence:
        e.export_files = [
            KeptFile(record=kept, evidence=e, path=file_path(kept, e))
            for kept in sorted(e.files.all(), key=lambda f: (f.replaced_at is not None, f.uploaded_at, f.pk))
        ]
        files.extend(e.export_files)
    return Contents(
        enrolment=enrolment,
        evidence=evidence,
        reflections=reflections,
        enquiries=enquiries,
        sections=sections,
        logs=logs,
        files=files,
        built_on=today,
    )
