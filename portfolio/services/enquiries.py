"""Practitioner enquiries: the enquiry itself, then each section of its cycle, which can cite
evidence and agreed coaching sessions. The ethics section records pupils' and parents' consent."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit import trail
from coaching import richtext
from portfolio.models import Enquiry, EnquiryCitation
from portfolio.services import _common as c
from programme.models import Enrolment
from ui.errors import RuleError


@dataclass(frozen=True)
class EnquiryContent:
    title: str
    started_on: datetime.date | None
    phase_id: int | None
    content_area_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class SectionContent:
    text: str
    evidence_ids: tuple[int, ...] = ()
    log_ids: tuple[int, ...] = ()
    consent: str | None = None  # the ethics section only
    consent_record: str = ""


def _check(content: EnquiryContent) -> set[int]:
    errors = c.new_errors()
    c.check_required(errors, "title", content.title, "Enter a title for your enquiry.")
    c.check_length(errors, "title", content.title, c.TITLE_LIMIT, "the title")
    c.check_past(errors, "started_on", content.started_on, "the date you started")
    c.check_phase(errors, content.phase_id)
    areas, _, _ = c.check_tags(errors, content_area_ids=content.content_area_ids, need_area=True)
    c.raise_if(errors)
    return areas


def _apply(enquiry: Enquiry, content: EnquiryContent, areas: set[int]) -> Enquiry:
    enquiry.title = content.title.strip()
    enquiry.started_on = content.started_on
    enquiry.phase_id = content.phase_id
    enquiry.save()
    enquiry.content_areas.set(areas)
    return enquiry


@transaction.atomic
def enquiry_create(*, by: User, enrolment: Enrolment, content: EnquiryContent) -> Enquiry:
    """The participant starts an enquiry; its sections are written one at a time."""
    c.require_change(by, Enquiry(enrolment=enrolment, started_on=content.started_on or timezone.localdate()))
    enquiry = _apply(Enquiry(enrolment=enrolment), content, _check(content))
    trail.record(trail.Action.PORTFOLIO_ADD, record=enquiry, actor=by)
    return enquiry


@transaction.atomic
def enquiry_update(*, by: User, enquiry: Enquiry, version: int, content: EnquiryContent) -> Enquiry:
    c.require_change(by, enquiry)
    c.claim(enquiry, version)
    _apply(enquiry, content, _check(content))
    trail.record(trail.Action.PORTFOLIO_CHANGE, record=enquiry, actor=by)
    return enquiry


@transaction.atomic
def enquiry_section_save(*, by: User, enquiry: Enquiry, section: str, version: int, content: SectionContent) -> Enquiry:
    """The participant writes one section and chooses what it cites, unless the enquiry was saved
    since they opened it."""
    if section not in Enquiry.SECTION_NAMES:
        raise RuleError("There is no such section of an enquiry.", rule="no_such_section")
    c.require_change(by, enquiry)
    c.claim(enquiry, version)
    errors = c.new_errors()
    c.check_length(errors, "text", content.text, c.RICH_TEXT_LIMIT, "this section")
    if section == "ethics":
        if content.consent not in Enquiry.Consent.values:
            errors["consent"].append("Say whether you need consent from pupils or parents.")
        elif content.consent == Enquiry.Consent.GIVEN and not content.consent_record.strip():
            errors["consent_record"].append("Say how consent was recorded: who gave it, when, and where it is kept.")
        c.check_length(errors, "consent_record", content.consent_record, c.SHORT_TEXT_LIMIT, "the consent record")
    evidence_ids, log_ids, _ = c.check_links(
        errors, by=by, enrolment=enquiry.enrolment, evidence_ids=content.evidence_ids, log_ids=content.log_ids
    )
    c.raise_if(errors)
    setattr(enquiry, section, richtext.sanitise(content.text))
    fields = [section, "updated_at"]
    if section == "ethics":
        enquiry.consent = content.consent
        enquiry.consent_record = content.consent_record.strip()
        fields += ["consent", "consent_record"]
    enquiry.save(update_fields=fields)
    enquiry.citations.filter(section=section).delete()
    EnquiryCitation.objects.bulk_create(
        [EnquiryCitation(enquiry=enquiry, section=section, evidence_id=pk) for pk in sorted(evidence_ids)]
        + [EnquiryCitation(enquiry=enquiry, section=section, log_id=pk) for pk in sorted(log_ids)]
    )
    trail.record(trail.Action.PORTFOLIO_CHANGE, record=enquiry, actor=by, detail={"section": section})
    return enquiry
