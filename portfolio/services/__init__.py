"""Every change to the portfolio: keyword-only, typed, one transaction each, asking the access
policy first. A broken rule is a ui.errors.RuleError naming the field it is about."""

from portfolio.services._common import RICH_TEXT_LIMIT, SHORT_TEXT_LIMIT, STALE, TITLE_LIMIT, URL_LIMIT
from portfolio.services.enquiries import (
    EnquiryContent,
    SectionContent,
    enquiry_create,
    enquiry_section_save,
    enquiry_update,
)
from portfolio.services.evidence import EvidenceContent, evidence_create, evidence_update
from portfolio.services.library import (
    SummaryContent,
    library_summary_create,
    library_summary_publish,
    library_summary_review,
    library_summary_send,
    library_summary_update,
    library_summary_withdraw,
)
from portfolio.services.reflections import ReflectionContent, reflection_create, reflection_update

__all__ = [
    "RICH_TEXT_LIMIT",
    "SHORT_TEXT_LIMIT",
    "STALE",
    "TITLE_LIMIT",
    "URL_LIMIT",
    "EnquiryContent",
    "EvidenceContent",
    "ReflectionContent",
    "SectionContent",
    "SummaryContent",
    "enquiry_create",
    "enquiry_section_save",
    "enquiry_update",
    "evidence_create",
    "evidence_update",
    "library_summary_create",
    "library_summary_publish",
    "library_summary_review",
    "library_summary_send",
    "library_summary_update",
    "library_summary_withdraw",
    "reflection_create",
    "reflection_update",
]
