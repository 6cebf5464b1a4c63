"""Reads for the research library's steps in the portfolio: one summary, and the summaries waiting
for a tutor. The writes are portfolio.services.library."""

from portfolio.models import LibrarySummary
from programme import access
from programme.access import Action, Relation
from ui.pagination import page_of


def summary_detail(pk: int) -> LibrarySummary | None:
    return (
        LibrarySummary.objects.select_related("enquiry", "enrolment__participant", "reviewed_by", "consent_by", "page")
        .prefetch_related("content_areas")
        .filter(pk=pk)
        .first()
    )


def awaiting_approval(user, request):
    """A page of the summaries waiting for this tutor's approval, oldest first: those of the
    participants they tutor today that the policy lets them approve."""
    found = (
        LibrarySummary.objects.filter(
            status=LibrarySummary.Status.SENT, enrolment__in=access.enrolments_for(user, Relation.TUTOR)
        )
        .select_related("enrolment__participant", "enquiry")
        .order_by("sent_at", "pk")
    )
    page = page_of(found, request)
    page.object_list = [s for s, actions in access.judge(user, page.object_list) if Action.APPROVE in actions]
    return page
