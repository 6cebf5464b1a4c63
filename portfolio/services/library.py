"""The research library (journey 7): a participant's summary of an enquiry, approved by their tutor,
then published with their consent as a page of the provider's library, and withdrawn at will.

Each step asks the access policy (CHANGE to write or send, APPROVE for the tutor, PUBLISH and
WITHDRAW for the participant), refuses a save made from a stale page, and is audited.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags

from accounts.models import User
from audit import trail
from handbook import library as pages
from portfolio.models import Enquiry, LibrarySummary
from portfolio.services import _common as c
from programme import access
from programme.access import Action
from ui.errors import RuleError

S = LibrarySummary.Status
NOT_SENT = "Send the summary to your tutor first: it can be published only once they approve it."
NOT_APPROVED = "Your tutor has not approved the summary yet: it can be published once they do."


@dataclass(frozen=True)
class SummaryContent:
    title: str
    summary: str
    findings: str
    implications: str
    content_area_ids: tuple[int, ...] = ()


def _check(content: SummaryContent) -> set[int]:
    errors = c.new_errors()
    for field, what, limit in (
        ("title", "a title", c.TITLE_LIMIT),
        ("summary", "a summary of the research", c.SHORT_TEXT_LIMIT),
        ("findings", "what you found", c.RICH_TEXT_LIMIT),
        ("implications", "what it means for other teachers' practice", c.RICH_TEXT_LIMIT),
    ):
        c.check_required(errors, field, getattr(content, field), f"Enter {what}.")
        c.check_length(errors, field, getattr(content, field), limit, f"the {field}")
    areas, _, _ = c.check_tags(errors, content_area_ids=content.content_area_ids, need_area=True)
    c.raise_if(errors)
    return areas


def _apply(summary: LibrarySummary, content: SummaryContent, areas: set[int]) -> LibrarySummary:
    for field in ("title", "summary", "findings", "implications"):
        setattr(summary, field, getattr(content, field).strip())
    summary.save()
    summary.content_areas.set(areas)
    return summary


def prefilled(enquiry: Enquiry) -> SummaryContent:
    """A first draft from the enquiry: its title, question, findings, impact and next steps as plain text."""

    def text(html: str) -> str:
        return strip_tags(html.replace("</p>", "\n\n")).strip()

    return SummaryContent(
        title=enquiry.title,
        summary=text(enquiry.question),
        findings="\n\n".join(filter(None, (text(enquiry.findings), text(enquiry.impact)))),
        implications=text(enquiry.next_steps),
        content_area_ids=tuple(enquiry.content_areas.values_list("pk", flat=True)),
    )


@transaction.atomic
def library_summary_create(*, by: User, enquiry: Enquiry, content: SummaryContent) -> LibrarySummary:
    """The participant starts a summary of one of their enquiries (one summary per enquiry)."""
    c.require_change(by, enquiry)
    if LibrarySummary.objects.filter(enquiry=enquiry).exists():
        raise RuleError("This enquiry already has a library summary: change that one instead.", rule="one_summary")
    today = timezone.localdate()
    # Asked again as the summary it will be: the participant writes it, their tutor approves it.
    access.require(by, Action.CHANGE, LibrarySummary(enrolment_id=enquiry.enrolment_id, dated_on=today))
    summary = _apply(
        LibrarySummary(enquiry=enquiry, enrolment_id=enquiry.enrolment_id, dated_on=today), content, _check(content)
    )
    trail.record(trail.Action.LIBRARY_DRAFT, record=summary, actor=by)
    return summary


@transaction.atomic
def library_summary_update(
    *, by: User, summary: LibrarySummary, version: int, content: SummaryContent
) -> LibrarySummary:
    """The participant changes a draft, a returned, an approved or a withdrawn summary. A change to
    an approved one takes the approval away: the tutor approves what is published, word for word."""
    access.require(by, Action.CHANGE, summary)
    c.claim(summary, version)
    areas = _check(content)
    if summary.status == S.APPROVED:
        summary.status = S.DRAFT
    _apply(summary, content, areas)
    trail.record(trail.Action.LIBRARY_DRAFT, record=summary, actor=by)
    return summary


@transaction.atomic
def library_summary_send(*, by: User, summary: LibrarySummary, version: int) -> LibrarySummary:
    """The participant asks their tutor to approve it. It is dated today, so the tutor assigned
    today is the one who judges it."""
    access.require(by, Action.CHANGE, summary)
    if summary.status == S.APPROVED:
        raise RuleError("Your tutor has already approved this summary; you can publish it.", rule="already_approved")
    c.claim(summary, version)
    summary.status = S.SENT
    summary.dated_on = timezone.localdate()
    summary.sent_at = timezone.now()
    summary.save(update_fields=["status", "dated_on", "sent_at", "updated_at"])
    trail.record(trail.Action.LIBRARY_SEND, record=summary, actor=by)
    return summary


@transaction.atomic
def library_summary_review(
    *, by: User, summary: LibrarySummary, version: int, approve: bool, comment: str = ""
) -> LibrarySummary:
    """The tutor approves the summary for publishing, or returns it with a comment saying what to change."""
    access.require(by, Action.APPROVE, summary)
    errors = c.new_errors()
    if not approve:
        c.check_required(errors, "comment", comment, "Say what the participant should change before it is published.")
    c.check_length(errors, "comment", comment, c.SHORT_TEXT_LIMIT, "the comment")
    c.raise_if(errors)
    c.claim(summary, version)
    summary.status = S.APPROVED if approve else S.RETURNED
    summary.reviewed_by = by
    summary.reviewed_at = timezone.now()
    summary.tutor_comment = comment.strip()
    summary.save(update_fields=["status", "reviewed_by", "reviewed_at", "tutor_comment", "updated_at"])
    trail.record(trail.Action.LIBRARY_APPROVE if approve else trail.Action.LIBRARY_RETURN, record=summary, actor=by)
    return summary


@transaction.atomic
def library_summary_publish(
    *, by: User, summary: LibrarySummary, version: int, consent: bool, no_pupil_data: bool
) -> LibrarySummary:
    """The participant publishes the approved summary to the research library. They consent to its
    publication under their name and confirm it holds no pupil data; both are recorded."""
    if summary.enrolment.participant_id == by.pk and summary.status in (S.DRAFT, S.RETURNED, S.WITHDRAWN, S.SENT):
        # Their own summary, not approved yet: say what to do, rather than a bare refusal.
        raise RuleError(NOT_APPROVED if summary.status == S.SENT else NOT_SENT, rule="not_approved")
    access.require(by, Action.PUBLISH, summary)
    errors = c.new_errors()
    if not consent:
        errors["consent"].append("Tick to say you agree to the summary being published under your name.")
    if not no_pupil_data:
        errors["no_pupil_data"].append("Tick to confirm the summary holds no pupil's name or data.")
    c.raise_if(errors)
    c.claim(summary, version)
    now = timezone.now()
    participant = summary.enrolment.participant
    summary.page = pages.publish(
        page=summary.page,
        content=pages.PageContent(
            title=summary.title,
            author_name=participant.get_full_name() or str(participant),
            summary=summary.summary,
            findings=summary.findings,
            implications=summary.implications,
            content_area_ids=tuple(summary.content_areas.values_list("pk", flat=True)),
        ),
        by=by,
    )
    summary.status = S.PUBLISHED
    summary.consent_by = by
    summary.consent_at = now
    summary.no_pupil_data_confirmed_at = now
    summary.published_at = now
    summary.withdrawn_at = None
    summary.save()
    trail.record(trail.Action.LIBRARY_PUBLISH, record=summary, actor=by, detail={"page": summary.page.pk})
    return summary


@transaction.atomic
def library_summary_withdraw(*, by: User, summary: LibrarySummary, version: int) -> LibrarySummary:
    """The participant takes their summary out of the library: the page is unpublished at once and
    its address answers 404. The summary stays in their portfolio; to publish it again it goes back
    to their tutor."""
    access.require(by, Action.WITHDRAW, summary)
    c.claim(summary, version)
    if summary.page is not None:
        pages.unpublish(page=summary.page, by=by)
    summary.status = S.WITHDRAWN
    summary.withdrawn_at = timezone.now()
    summary.save(update_fields=["status", "withdrawn_at", "updated_at"])
    trail.record(trail.Action.LIBRARY_WITHDRAW, record=summary, actor=by)
    return summary


__all__ = [
    "SummaryContent",
    "library_summary_create",
    "library_summary_publish",
    "library_summary_review",
    "library_summary_send",
    "library_summary_update",
    "library_summary_withdraw",
    "prefilled",
]
