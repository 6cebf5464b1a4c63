"""The export's leap2a.xml against the Leap2A specification (2010-07): an Atom feed with the
required elements on the feed and on every entry, the leap2 types, tags as categories and the
relations as links; parsed back (with defusedxml, as anything read from outside would be), its
entries counted and its links followed."""

import datetime
from collections import Counter

import pytest
from defusedxml import ElementTree as SafeET
from django.utils import timezone

from portfolio.export import contents, leap2a
from tests.portfolio import export_world

pytestmark = pytest.mark.django_db
portfolio = export_world.portfolio
private_root = export_world.private_root

NS = {"atom": leap2a.ATOM, "rdf": leap2a.RDF, "leap2": leap2a.LEAP2}
RDF_RESOURCE = f"{{{leap2a.RDF}}}resource"


@pytest.fixture
def feed(world, portfolio):
    found = contents.gather(world.enrolment, by=world.participant, today=timezone.localdate())
    xml = leap2a.build(found, feed_id="http://testserver/portfolio/exports/1/", now=timezone.now())
    assert xml.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    return SafeET.fromstring(xml)


def entries(feed) -> dict:
    return {e.findtext("atom:id", namespaces=NS): e for e in feed.findall("atom:entry", NS)}


def rdf_type(entry) -> str:
    return entry.find("rdf:type", NS).get(RDF_RESOURCE)


def links(entry) -> list[tuple[str, str]]:
    return [(link.get("rel"), link.get("href")) for link in entry.findall("atom:link", NS)]


def terms(entry) -> set[str]:
    return {c.get("term") for c in entry.findall("atom:category", NS)}


def _is_datetime(text: str) -> bool:
    return datetime.datetime.fromisoformat(text).tzinfo is not None


def test_the_feed_has_atoms_required_elements_and_the_leap2a_version(world, feed):
    assert feed.tag == f"{{{leap2a.ATOM}}}feed"
    assert feed.findtext("atom:id", namespaces=NS) == "http://testserver/portfolio/exports/1/"
    assert world.participant.get_full_name() in feed.findtext("atom:title", namespaces=NS)
    assert _is_datetime(feed.findtext("atom:updated", namespaces=NS))
    assert feed.findtext("atom:author/atom:name", namespaces=NS) == world.participant.get_full_name()
    assert feed.findtext("atom:author/atom:email", namespaces=NS) == world.participant.email
    assert feed.findtext("leap2:version", namespaces=NS) == "http://www.leapspecs.org/2010-07/2A/"


def test_every_entry_has_id_title_updated_author_content_and_a_leap2_type(feed):
    found = feed.findall("atom:entry", NS)
    assert found
    for entry in found:
        for required in ("atom:id", "atom:title", "atom:updated", "atom:author/atom:name"):
            assert entry.findtext(required, namespaces=NS), (required, entry.findtext("atom:id", namespaces=NS))
        assert _is_datetime(entry.findtext("atom:updated", namespaces=NS))
        content = entry.find("atom:content", NS)
        assert content is not None
        assert content.get("src") or (content.get("type") == "html" and content.text)
        assert rdf_type(entry) in ("leap2:entry", "leap2:resource", "leap2:selection")
    assert len({e.findtext("atom:id", namespaces=NS) for e in found}) == len(found)  # ids are unique


def test_parsed_back_it_holds_each_record_once_as_the_right_kind(world, portfolio, feed):
    found = entries(feed)
    kinds = Counter(next(t for t in terms(e) if t in KINDS) for e in found.values())
    # Four pieces of evidence, a reflection, an enquiry with its two written sections, an agreed log.
    assert kinds == {"Evidence": 4, "Reflection": 1, "Enquiry": 1, "Enquiry section": 2, "Agreed coaching session": 1}
    assert rdf_type(found[leap2a.evidence_id(portfolio["written"].pk)]) == "leap2:entry"
    assert rdf_type(found[leap2a.evidence_id(portfolio["link"].pk)]) == "leap2:entry"
    assert rdf_type(found[leap2a.evidence_id(portfolio["filed"].pk)]) == "leap2:resource"
    assert rdf_type(found[leap2a.reflection_id(portfolio["reflection"].pk)]) == "leap2:entry"
    assert rdf_type(found[leap2a.enquiry_id(portfolio["enquiry"].pk)]) == "leap2:selection"
    titles = {e.findtext("atom:title", namespaces=NS) for e in found.values()}
    assert portfolio["other"].title not in titles
    assert not any("A draft never agreed" in t for t in titles)


KINDS = {"Evidence", "Reflection", "Enquiry", "Enquiry section", "Agreed coaching session"}


def test_a_file_is_a_resource_whose_content_is_the_file_in_the_zip(portfolio, feed):
    entry = entries(feed)[leap2a.evidence_id(portfolio["filed"].pk)]
    kept = portfolio["filed"].current_file
    path = contents.file_path(kept, portfolio["filed"])
    content = next(c for c in entry.findall("atom:content", NS) if c.get("src"))
    assert (content.get("src"), content.get("type")) == (path, "application/pdf")
    enclosure = next(link for link in entry.findall("atom:link", NS) if link.get("rel") == "enclosure")
    assert (enclosure.get("href"), enclosure.get("length")) == (path, str(kept.size))
    assert "Offline" in terms(entry)


def test_tags_are_categories_content_areas_topics_and_phase(portfolio, feed):
    written = portfolio["written"]
    tags = terms(entries(feed)[leap2a.evidence_id(written.pk)])
    assert {str(a) for a in written.content_areas.all()} <= tags
    assert {str(t) for t in written.topics.all()} <= tags
    assert str(written.phase) in tags


def test_relations_are_links_both_ways_between_entries_of_the_feed(portfolio, feed):
    found = entries(feed)
    e, r, q, log = (
        leap2a.evidence_id(portfolio["written"].pk),
        leap2a.reflection_id(portfolio["reflection"].pk),
        portfolio["enquiry"].pk,
        leap2a.session_id(portfolio["log"].pk),
    )
    assert ("leap2:reflects_on", e) in links(found[r])
    assert ("leap2:reflects_on", log) in links(found[r])
    assert ("leap2:reflected_on_by", r) in links(found[e])
    enquiry = found[leap2a.enquiry_id(q)]
    parts = [href for rel, href in links(enquiry) if rel == "leap2:has_part"]
    assert parts == [leap2a.section_id(q, "question"), leap2a.section_id(q, "method")]  # in the enquiry's order
    assert [link.get(f"{{{leap2a.LEAP2}}}display_order") for link in enquiry.findall("atom:link", NS)] == ["1", "2"]
    question, method = found[parts[0]], found[parts[1]]
    assert ("leap2:is_part_of", leap2a.enquiry_id(q)) in links(question)
    assert ("leap2:is_supported_by", e) in links(question)
    assert ("leap2:supports", parts[0]) in links(found[e])
    assert ("leap2:is_supported_by", log) in links(method)
    assert ("related", "https://example.org/research") in links(found[leap2a.evidence_id(portfolio["link"].pk)])
    # Every leap2 link lands on an entry of the feed.
    for entry in found.values():
        for rel, href in links(entry):
            if rel.startswith("leap2:"):
                assert href in found, (rel, href)


def test_html_content_is_sanitised_and_escaped(world, feed):
    from tests.portfolio.factories import EvidenceFactory

    EvidenceFactory(enrolment=world.enrolment, title="Tricky", body='<p>Fine</p><script>alert("x")</script>')
    found = contents.gather(world.enrolment, by=world.participant, today=timezone.localdate())
    parsed = SafeET.fromstring(leap2a.build(found, feed_id="urn:x", now=timezone.now()))
    tricky = next(e for e in parsed.findall("atom:entry", NS) if e.findtext("atom:title", namespaces=NS) == "Tricky")
    html = tricky.findtext("atom:content", namespaces=NS)
    assert "<p>Fine</p>" in html
    assert "script" not in html
