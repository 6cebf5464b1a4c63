"""Evidence, reflections and enquiries."""

from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = "Portfolio"

    def ready(self) -> None:
        from portfolio import models as m
        from programme import access
        from programme.access import RecordKind as K

        # The participant's records, with how to find their enrolment and the date the policy judges
        # each on. None is in an examiner's sample until assessment samples submissions holding them.
        for model, kind, enrolment, date in [
            (m.Evidence, K.EVIDENCE, "enrolment", "relates_to"),
            (m.EvidenceFile, K.EVIDENCE, "evidence__enrolment", "evidence__relates_to"),
            (m.Reflection, K.REFLECTION, "enrolment", "written_on"),
            (m.Enquiry, K.ENQUIRY, "enrolment", "started_on"),
            (m.EnquiryCitation, K.ENQUIRY, "enquiry__enrolment", "enquiry__started_on"),
            (m.ExportRequest, K.PORTFOLIO_EXPORT, "enrolment", "requested_on"),
        ]:
            access.register(model, kinds=(kind,), enrolment=enrolment, date=date)
        # A summary for the research library: its kind follows its state; judged on the day it was sent.
        access.register(
            m.LibrarySummary,
            kinds=(
                K.LIBRARY_SUMMARY_DRAFT,
                K.LIBRARY_SUMMARY_SENT,
                K.LIBRARY_SUMMARY_APPROVED,
                K.LIBRARY_SUMMARY_PUBLISHED,
            ),
            enrolment="enrolment",
            date="dated_on",
        )
