"""Evidence: something written, a link, or a file, tagged to where it belongs in the programme.
A file is judged by its content (files.content) and kept privately; replacing it keeps the old one."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit import trail
from coaching import richtext
from files.errors import FileRefused
from files.services import private_file_store
from portfolio import thumbnails
from portfolio.models import Evidence, EvidenceFile
from portfolio.services import _common as c
from programme.models import Enrolment
from ui.errors import RuleError


@dataclass(frozen=True)
class EvidenceContent:
    kind: str
    title: str
    relates_to: datetime.date | None
    phase_id: int | None
    content_area_ids: tuple[int, ...] = ()
    topic_ids: tuple[int, ...] = ()
    standard_ids: tuple[int, ...] = ()
    description: str = ""
    body: str = ""
    url: str = ""
    anonymised: bool = False
    log_ids: tuple[int, ...] = ()
    upload: UploadedFile | None = None  # a new file, for a file; none keeps the current one


def _is_web_address(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed [ in the host
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _check(*, by: User, enrolment: Enrolment, content: EvidenceContent, has_file: bool = False):
    errors = c.new_errors()
    if content.kind not in Evidence.Kind.values:
        errors["kind"].append("Choose whether this is something written, a link or a file.")
    if content.kind == Evidence.Kind.FILE and content.upload is None and not has_file:
        errors["file"].append("Choose the file to add.")
    c.check_required(errors, "title", content.title, "Enter a title.")
    c.check_length(errors, "title", content.title, c.TITLE_LIMIT, "the title")
    c.check_past(errors, "relates_to", content.relates_to, "the date it relates to")
    c.check_phase(errors, content.phase_id)
    c.check_length(errors, "description", content.description, c.SHORT_TEXT_LIMIT, "the description")
    if content.kind == Evidence.Kind.WRITTEN:
        if richtext.is_blank(content.body):
            errors["body"].append("Write the piece, or choose a link instead.")
        c.check_length(errors, "body", content.body, c.RICH_TEXT_LIMIT, "the written piece")
    if content.kind == Evidence.Kind.LINK:
        url = content.url.strip()
        if not url:
            errors["url"].append("Enter the address of the link, starting https://")
        elif not _is_web_address(url):
            errors["url"].append("Enter a web address starting https:// or http://")
        c.check_length(errors, "url", url, c.URL_LIMIT, "the link")
    if content.kind in (Evidence.Kind.WRITTEN, Evidence.Kind.FILE) and not content.anonymised:
        errors["anonymised"].append("Confirm that no pupil can be identified from it; remove names and photos first.")
    tags = c.check_tags(
        errors,
        content_area_ids=content.content_area_ids,
        topic_ids=content.topic_ids,
        standard_ids=content.standard_ids,
        need_area=True,
    )
    _, log_ids, _ = c.check_links(errors, by=by, enrolment=enrolment, log_ids=content.log_ids)
    c.raise_if(errors)
    return tags, log_ids


def _apply(evidence: Evidence, content: EvidenceContent, tags, log_ids, *, by: User) -> Evidence:
    written = content.kind == Evidence.Kind.WRITTEN
    evidence.kind = content.kind
    evidence.title = content.title.strip()
    evidence.relates_to = content.relates_to
    evidence.phase_id = content.phase_id
    evidence.description = content.description.strip()
    evidence.body = richtext.sanitise(content.body) if written else ""
    evidence.url = content.url.strip() if content.kind == Evidence.Kind.LINK else ""
    evidence.anonymised = content.anonymised
    evidence.save()
    areas, topics, standards = tags
    evidence.content_areas.set(areas)
    evidence.topics.set(topics)
    evidence.standards.set(standards)
    evidence.logs.set(log_ids)
    if content.upload is not None or content.kind != Evidence.Kind.FILE:
        _keep_file(evidence, content.upload if content.kind == Evidence.Kind.FILE else None, by=by)
    return evidence


def _keep_file(evidence: Evidence, upload: UploadedFile | None, *, by: User) -> None:
    """The new file becomes the current one; the one it replaces is kept, marked replaced. Last,
    so a refused file leaves nothing: the transaction is rolled back and nothing was stored."""
    evidence.files.filter(replaced_at__isnull=True).update(replaced_at=timezone.now())
    if upload is None:
        return
    kept = EvidenceFile(evidence=evidence)
    try:
        private_file_store(record=kept, upload=upload, by=by)
    except FileRefused as refused:
        raise RuleError(str(refused), rule="file_refused", field="file") from refused
    try:
        thumbnails.keep(kept)  # for the export's PDF, made once here rather than at every export
    except Exception:
        kept.file.delete(save=False)
        raise


@transaction.atomic
def evidence_create(*, by: User, enrolment: Enrolment, content: EvidenceContent) -> Evidence:
    """The participant adds a piece of evidence to their portfolio."""
    c.require_change(by, Evidence(enrolment=enrolment, relates_to=content.relates_to or timezone.localdate()))
    tags, log_ids = _check(by=by, enrolment=enrolment, content=content)
    evidence = _apply(Evidence(enrolment=enrolment), content, tags, log_ids, by=by)
    trail.record(trail.Action.PORTFOLIO_ADD, record=evidence, actor=by)
    return evidence


@transaction.atomic
def evidence_update(*, by: User, evidence: Evidence, version: int, content: EvidenceContent) -> Evidence:
    """The participant changes a piece of evidence, unless it was saved since they opened it."""
    c.require_change(by, evidence)
    c.claim(evidence, version)
    has_file = evidence.files.filter(replaced_at__isnull=True).exists()
    tags, log_ids = _check(by=by, enrolment=evidence.enrolment, content=content, has_file=has_file)
    _apply(evidence, content, tags, log_ids, by=by)
    trail.record(trail.Action.PORTFOLIO_CHANGE, record=evidence, actor=by)
    return evidence
