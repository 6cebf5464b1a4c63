"""What a submission keeps of each chosen record: its title, its HTML as it is now, and the facts
around it (dates, tags, a log's version). Written into a SubmissionItem when the work is
submitted; never read back from the source afterwards."""

from dataclasses import dataclass, field

from django.utils.html import escape

from coaching import richtext
from coaching.models import DialogueLog, DialogueLogVersion, SessionRecord
from portfolio.models import Enquiry, Evidence, Reflection

SECTION_HEADINGS = {name: heading for name, heading, _ in Enquiry.SECTIONS}


@dataclass
class Snapshot:
    title: str
    body: str
    meta: dict = field(default_factory=dict)
    source_version: int | None = None


def _names(records) -> list[str]:
    return [str(record) for record in records]


def of_evidence(evidence: Evidence) -> Snapshot:
    return Snapshot(
        title=evidence.title,
        body=richtext.sanitise(evidence.body),
        meta={
            "kind": evidence.get_kind_display(),
            "date": evidence.relates_to.isoformat(),
            "phase": str(evidence.phase),
            "content_areas": _names(evidence.content_areas.all()),
            "topics": [topic.name for topic in evidence.topics.all()],
            "standards": _names(evidence.standards.all()),
            "description": evidence.description,
            "url": evidence.url,
            "files": [],  # filled in as each file is copied
        },
        source_version=evidence.version,
    )


def of_reflection(reflection: Reflection) -> Snapshot:
    return Snapshot(
        title=reflection.title,
        body=richtext.sanitise(reflection.body),
        meta={
            "date": reflection.written_on.isoformat(),
            "phase": str(reflection.phase),
            "content_areas": _names(reflection.content_areas.all()),
        },
        source_version=reflection.version,
    )


def of_enquiry_section(enquiry: Enquiry, section: str) -> Snapshot:
    meta = {
        "enquiry": enquiry.title,
        "section": section,
        "heading": SECTION_HEADINGS[section],
        "date": enquiry.started_on.isoformat(),
        "phase": str(enquiry.phase),
        "content_areas": _names(enquiry.content_areas.all()),
    }
    if section == "ethics":
        meta["consent"] = enquiry.get_consent_display()
        meta["consent_record"] = enquiry.consent_record
    return Snapshot(
        title=f"{enquiry.title}: {SECTION_HEADINGS[section]}",
        body=richtext.sanitise(getattr(enquiry, section)),
        meta=meta,
        source_version=enquiry.version,
    )


_LOG_PARTS = (*SessionRecord.RECORD_FIELDS, "participant_reflection")


def of_log(log: DialogueLog, version: DialogueLogVersion) -> Snapshot:
    """An agreed log as its latest agreed version says, with that version's number."""
    parts = []
    for name in _LOG_PARTS:
        text = getattr(version, name)
        if not richtext.is_blank(text):
            label = str(DialogueLogVersion._meta.get_field(name).verbose_name)
            parts.append(f"<h3>{escape(label[0].upper() + label[1:])}</h3>{text}")
    return Snapshot(
        title=f"{version.get_kind_display()} on {version.session_on:%-d %B %Y}",
        body=richtext.sanitise("".join(parts)),
        meta={
            "date": version.session_on.isoformat(),
            "duration_minutes": version.duration_minutes,
            "focus": version.focus,
            "version": version.number,
            "content_areas": [tag["label"] for tag in version.tags.get("content_areas", [])],
        },
        source_version=version.number,
    )
