"""One participant with a portfolio to submit from, an open task of their cohort and phase, and
everyone around them (tests.coaching.factories.World). Dates are counted from today, so the task is
open whatever day the tests run; the records are made through the portfolio's services, so their
versions and files are as a participant would leave them."""

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from assessment.models import AssessmentTask, Submission
from assessment.services.submissions import SubmissionContent, submission_save, submission_submit
from coaching.models import DialogueLog
from portfolio import services as portfolio
from portfolio.models import Enquiry, Evidence, Reflection
from programme.models import ContentArea, Phase
from tests.assessment.factories import AssessmentTaskFactory
from tests.coaching.factories import World, agreed_log, coaching_world
from tests.files import samples
from tests.portfolio.factories import DAY


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def open_task(enrolment, **dates) -> AssessmentTask:
    """A task of the participant's cohort and current phase: opened 10 days ago, due in 10 days,
    late submissions accepted for 10 days after that."""
    fields = {"opens_on": days(-10), "due_on": days(10), "late_cutoff_on": days(20), "marks_due_on": days(40)}
    fields.update(dates)
    return AssessmentTaskFactory(cohort=enrolment.cohort, phase=enrolment.current_phase, word_limit=50, **fields)


@dataclass
class SubmissionWorld(World):
    task: AssessmentTask = None
    evidence: Evidence = None  # a file
    written: Evidence = None  # something written
    reflection: Reflection = None
    enquiry: Enquiry = None
    log: DialogueLog = None

    def content(self, **overrides) -> SubmissionContent:
        """One of each kind of record, and a short commentary."""
        fields = {
            "commentary": "Waiting longer after questions changed who answered.",
            "evidence_ids": (self.evidence.pk, self.written.pk),
            "reflection_ids": (self.reflection.pk,),
            "section_keys": (f"{self.enquiry.pk}:question", f"{self.enquiry.pk}:findings"),
            "log_ids": (self.log.pk,),
        }
        fields.update(overrides)
        return SubmissionContent(**fields)

    def submit(self, version=None, **overrides) -> Submission:
        return submission_submit(
            by=self.participant,
            enrolment=self.enrolment,
            task=self.task,
            version=version,
            content=self.content(**overrides),
        )

    def save(self, version=None, **overrides) -> Submission:
        return submission_save(
            by=self.participant,
            enrolment=self.enrolment,
            task=self.task,
            version=version,
            content=self.content(**overrides),
        )


def evidence_content(**overrides) -> portfolio.EvidenceContent:
    fields = {
        "kind": Evidence.Kind.FILE,
        "title": "Seating plan with wait-time notes",
        "relates_to": DAY,
        "phase_id": Phase.objects.get(number=1).pk,
        "content_area_ids": (ContentArea.objects.get(number=1).pk,),
        "anonymised": True,
        "upload": SimpleUploadedFile("seating plan.pdf", samples.pdf()),
    }
    fields.update(overrides)
    return portfolio.EvidenceContent(**fields)


def submission_world() -> SubmissionWorld:
    base = coaching_world()
    world = SubmissionWorld(**vars(base))
    by, enrolment = world.participant, world.enrolment
    phase = Phase.objects.get(number=1).pk
    area = (ContentArea.objects.get(number=1).pk,)
    world.task = open_task(enrolment)
    world.log = agreed_log(enrolment=enrolment, coach=world.coach)
    world.evidence = portfolio.evidence_create(by=by, enrolment=enrolment, content=evidence_content())
    world.written = portfolio.evidence_create(
        by=by,
        enrolment=enrolment,
        content=evidence_content(
            kind=Evidence.Kind.WRITTEN, title="Exit tickets", body="Most pupils explained it.", upload=None
        ),
    )
    world.reflection = portfolio.reflection_create(
        by=by,
        enrolment=enrolment,
        content=portfolio.ReflectionContent(
            written_on=DAY, title="After the observation", body="More hands went up.", phase_id=phase
        ),
    )
    world.enquiry = portfolio.enquiry_create(
        by=by,
        enrolment=enrolment,
        content=portfolio.EnquiryContent(title="Wait time", started_on=DAY, phase_id=phase, content_area_ids=area),
    )
    for section, text in (("question", "Does wait time change who answers?"), ("findings", "It does, for girls.")):
        world.enquiry = portfolio.enquiry_section_save(
            by=by,
            enquiry=world.enquiry,
            section=section,
            version=world.enquiry.version,
            content=portfolio.SectionContent(text=text),
        )
    return world
