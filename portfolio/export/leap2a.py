"""The export's `leap2a.xml`: the portfolio in Leap2A, the UK e-portfolio interchange format
(an Atom feed with the Leap2 vocabulary, version 2010-07) that Mahara and other systems import.

- Evidence is an `leap2:entry` (something written, or a link with an Atom `related` link); evidence
  that is a file is an `leap2:resource` whose content is the file in the zip (`files/...`), with an
  `enclosure` link giving its type and length.
- A reflection is an `leap2:entry` that `leap2:reflects_on` the evidence and sessions it draws on
  (and each of those is `leap2:reflected_on_by` it).
- An enquiry is an `leap2:selection` (a grouping) that `leap2:has_part` each written section, in
  order; each section is an `leap2:entry`, `leap2:is_part_of` its enquiry and
  `leap2:is_supported_by` the evidence and sessions it cites (which `leap2:supports` it).
- An agreed coaching session is an `leap2:entry` too, so the links to it have somewhere to land.
- Tags (content areas, topics, phase) are Atom categories with no scheme, which is how Mahara
  reads tags; the kind of record is a category as well.

Written with the standard library's ElementTree: nothing is parsed, only written.
"""

import datetime
import xml.etree.ElementTree as ET
from collections import defaultdict

from django.utils import timezone

from coaching.richtext import sanitise
from portfolio.export.contents import Contents

ATOM = "http://www.w3.org/2005/Atom"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
LEAP2 = "http://terms.leapspecs.org/"
CATEGORIES = "http://wiki.leapspecs.org/2A/categories/"
VERSION = "http://www.leapspecs.org/2010-07/2A/"
NAMESPACES = {"": ATOM, "rdf": RDF, "leap2": LEAP2, "categories": CATEGORIES}
for _prefix, _uri in NAMESPACES.items():
    ET.register_namespace(_prefix, _uri)


def _a(tag: str) -> str:
    return f"{{{ATOM}}}{tag}"


def _l(tag: str) -> str:
    return f"{{{LEAP2}}}{tag}"


def _when(value: datetime.date | datetime.datetime) -> str:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def _day(value: datetime.date) -> str:
    """A day as an Atom date-time: midnight, London time."""
    moment = datetime.datetime.combine(value, datetime.time(), tzinfo=timezone.get_default_timezone())
    return moment.isoformat(timespec="seconds")


def _text(parent: ET.Element, tag: str, text: str, **attrs) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    element.text = text
    return element


def _author(parent: ET.Element, name: str, email: str = "") -> None:
    author = ET.SubElement(parent, _a("author"))
    _text(author, _a("name"), name)
    if email:
        _text(author, _a("email"), email)


class _Feed:
    def __init__(self, contents: Contents, *, feed_id: str, now: datetime.datetime):
        self.contents = contents
        participant = contents.enrolment.participant
        self.name, self.email = participant.get_full_name() or participant.email, participant.email
        self.root = ET.Element(_a("feed"))
        _text(self.root, _a("id"), feed_id)
        _text(self.root, _a("title"), f"Portfolio of {self.name} (MTL Portal)")
        _text(self.root, _a("updated"), _when(now))
        _author(self.root, self.name, self.email)
        _text(self.root, _a("generator"), "MTL Portal")
        _text(self.root, _l("version"), VERSION)
        self.links: dict[str, list[tuple[str, str]]] = defaultdict(list)  # entry id: (rel, href)
        self.entries: dict[str, ET.Element] = {}

    def entry(
        self,
        entry_id: str,
        *,
        kind: str,
        title: str,
        updated: datetime.datetime,
        published: datetime.date,
        html: str = "",
        rdf_type: str = "entry",
        tags: list[str] = (),
        author: str = "",
    ) -> ET.Element:
        entry = ET.SubElement(self.root, _a("entry"))
        _text(entry, _a("id"), entry_id)
        _text(entry, _a("title"), title)
        _text(entry, _a("updated"), _when(updated))
        _text(entry, _a("published"), _day(published))
        _author(entry, author or self.name)
        if rdf_type != "resource":
            _text(entry, _a("content"), sanitise(html), type="html")
        ET.SubElement(entry, f"{{{RDF}}}type", {f"{{{RDF}}}resource": f"leap2:{rdf_type}"})
        ET.SubElement(entry, _a("category"), term=kind)
        for tag in tags:
            ET.SubElement(entry, _a("category"), term=tag)
        self.entries[entry_id] = entry
        return entry

    def link(self, source: str, rel: str, target: str, inverse: str = "") -> None:
        """A relation between two entries of the feed, with its inverse on the target."""
        self.links[source].append((rel, target))
        if inverse:
            self.links[target].append((inverse, source))

    def write_links(self) -> None:
        for entry_id, links in self.links.items():
            entry = self.entries.get(entry_id)
            if entry is None:
                continue
            for order, (rel, target) in enumerate(links, start=1):
                attrs = {"rel": f"leap2:{rel}", "href": target}
                if rel == "has_part":
                    attrs[_l("display_order")] = str(order)
                ET.SubElement(entry, _a("link"), attrs)


def _tags(record) -> list[str]:
    found = [str(area) for area in record.content_areas.all()]
    if hasattr(record, "topics"):
        found += [str(topic) for topic in record.topics.all()]
    if getattr(record, "phase", None) is not None:
        found.append(str(record.phase))
    return found


def evidence_id(pk: int) -> str:
    return f"portfolio:evidence-{pk}"


def reflection_id(pk: int) -> str:
    return f"portfolio:reflection-{pk}"


def enquiry_id(pk: int) -> str:
    return f"portfolio:enquiry-{pk}"


def section_id(pk: int, name: str) -> str:
    return f"portfolio:enquiry-{pk}-{name}"


def session_id(pk: int) -> str:
    return f"portfolio:session-{pk}"


def build(contents: Contents, *, feed_id: str, now: datetime.datetime) -> bytes:
    feed = _Feed(contents, feed_id=feed_id, now=now)
    for e in contents.evidence:
        current = next((f for f in e.export_files if f.current), None)
        html = f"<p>{e.description}</p>" if e.description else ""
        if e.kind == e.Kind.WRITTEN:
            html += e.body
        entry = feed.entry(
            evidence_id(e.pk),
            kind="Evidence",
            title=e.title,
            updated=e.updated_at,
            published=e.relates_to,
            html=html or e.title,
            rdf_type="resource" if current else "entry",
            tags=_tags(e) + [str(s) for s in e.standards.all()],
        )
        if current:
            kept = current.record
            ET.SubElement(entry, _a("content"), src=current.path, type=kept.content_type)
            ET.SubElement(entry, _a("category"), term="Offline", scheme="categories:resource_type#")
            ET.SubElement(
                entry, _a("link"), rel="enclosure", href=current.path, type=kept.content_type, length=str(kept.size)
            )
            if e.description:
                _text(entry, _a("summary"), e.description)
        if e.kind == e.Kind.LINK and e.url:
            ET.SubElement(entry, _a("link"), rel="related", href=e.url)
        for log in e.exported_logs:
            feed.link(evidence_id(e.pk), "relation", session_id(log.pk), "relation")
    for r in contents.reflections:
        feed.entry(
            reflection_id(r.pk),
            kind="Reflection",
            title=r.title,
            updated=r.updated_at,
            published=r.written_on,
            html=r.body,
            tags=_tags(r),
        )
        for e in r.exported_evidence:
            feed.link(reflection_id(r.pk), "reflects_on", evidence_id(e.pk), "reflected_on_by")
        for log in r.exported_logs:
            feed.link(reflection_id(r.pk), "reflects_on", session_id(log.pk), "reflected_on_by")
    for q in contents.enquiries:
        question = next((s.text for s in q.export_sections if s.name == "question"), "")
        selection = feed.entry(
            enquiry_id(q.pk),
            kind="Enquiry",
            title=q.title,
            updated=q.updated_at,
            published=q.started_on,
            html=question or f"<p>{q.title}</p>",
            rdf_type="selection",
            tags=_tags(q),
        )
        ET.SubElement(selection, _a("category"), term="Grouping", scheme="categories:selection_type#")
        for section in q.export_sections:
            if not section.text:
                continue
            part = section_id(q.pk, section.name)
            feed.entry(
                part,
                kind="Enquiry section",
                title=f"{q.title}: {section.heading}",
                updated=q.updated_at,
                published=q.started_on,
                html=section.text,
                tags=_tags(q),
            )
            feed.link(enquiry_id(q.pk), "has_part", part, "is_part_of")
            for e in section.evidence:
                feed.link(part, "is_supported_by", evidence_id(e.pk), "supports")
            for log in section.logs:
                feed.link(part, "is_supported_by", session_id(log.pk), "supports")
    for log in contents.logs:
        record = "".join(
            f"<h3>{heading}</h3>{getattr(log, name)}"
            for name, heading in (
                ("discussed", "What was observed and discussed"),
                ("strengths", "Strengths"),
                ("pupil_outcomes", "What pupils' outcomes show"),
                ("evidence_considered", "Evidence considered"),
                ("participant_reflection", "Your reflection"),
            )
            if getattr(log, name)
        )
        feed.entry(
            session_id(log.pk),
            kind="Agreed coaching session",
            title=f"Coaching session of {log.session_on:%-d %B %Y}: {log.focus or log.get_kind_display()}",
            updated=log.updated_at,
            published=log.session_on,
            html=record or f"<p>{log.get_kind_display()}</p>",
            tags=_tags(log) + [str(s) for s in log.standards.all()],
            author=log.coach.get_full_name(),
        )
    feed.write_links()
    ET.indent(feed.root)
    return ET.tostring(feed.root, encoding="utf-8", xml_declaration=True)
