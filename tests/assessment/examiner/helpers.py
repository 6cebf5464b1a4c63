"""Marked work of one task for the examiner's tests: the marking world's participant (their work
marked citing an agreed log), and `more` participants of the same cohort and tutor with marked work,
so a sample can leave some out. Samples are made through assessment.services.examiner."""

from dataclasses import dataclass, field

from accounts.roles import Role
from assessment.models import ExaminerSample, Marking, Submission
from assessment.services import examiner as services
from assessment.services import marking as marking_services
from assessment.services.marking import CriterionContent, OverallContent
from assessment.services.submissions import SubmissionContent, submission_submit
from assessment.workflow import Move
from portfolio import services as portfolio
from portfolio.models import Evidence
from tests.assessment.marking.helpers import MarkingWorld, marking_world
from tests.assessment.submissions.helpers import evidence_content
from tests.factories import UserFactory, assign_tutor, enrol


@dataclass
class ExaminerWorld(MarkingWorld):
    marking: Marking = None
    others: list[Submission] = field(default_factory=list)
    other_examiner: object = None

    def mark_other(self, submission: Submission, mark: int) -> Marking:
        """Mark a submission with no citations and complete it."""
        marking = marking_services.marking_start(by=self.tutor, submission=submission)
        for criterion in marking.rubric.criteria.all():
            marking.refresh_from_db()
            marking_services.criterion_mark_save(
                by=self.tutor,
                marking=marking,
                criterion_id=criterion.pk,
                version=marking.version,
                content=CriterionContent(mark=mark, strengths="Clear.", development="Go further."),
            )
        marking.refresh_from_db()
        marking = marking_services.marking_overall_save(
            by=self.tutor,
            marking=marking,
            version=marking.version,
            content=OverallContent(outcome="pass" if mark >= 50 else "refer"),
        )
        return marking_services.marking_move(
            by=self.tutor, marking=marking, move=Move.COMPLETE, version=marking.version
        )

    def another(self, mark: int = 58) -> Submission:
        """Another participant of the same cohort and tutor submits to the same task; marked."""
        enrolment = enrol(self.school, cohort=self.enrolment.cohort)
        assign_tutor(enrolment, self.tutor)
        written = portfolio.evidence_create(
            by=enrolment.participant,
            enrolment=enrolment,
            content=evidence_content(
                kind=Evidence.Kind.WRITTEN, title="Question plans", body="Pupils wrote them.", upload=None
            ),
        )
        submission = submission_submit(
            by=enrolment.participant,
            enrolment=enrolment,
            task=self.task,
            version=None,
            content=SubmissionContent(
                commentary="What changed when pupils planned their own questions.", evidence_ids=(written.pk,)
            ),
        )
        self.mark_other(submission, mark)
        self.others.append(submission)
        return submission

    def sample_of(self, *submissions: Submission, examiners=None, confirm: bool = True) -> ExaminerSample:
        """A sample of this task holding exactly `submissions`, added by hand, for `examiners`."""
        self.task.second_marking = "by_hand"  # the rule draws nothing: the tests choose
        self.task.save()
        sample = services.sample_draw(
            by=self.leader, task=self.task, examiner_ids=[e.pk for e in examiners or [self.examiner]]
        )
        for submission in submissions:
            sample.refresh_from_db()
            services.sample_add(
                by=self.leader,
                sample=sample,
                submission_id=submission.pk,
                reason="Chosen for the test.",
                version=sample.version,
            )
        sample.refresh_from_db()
        if confirm:
            sample = services.sample_confirm(by=self.leader, sample=sample, version=sample.version)
        return sample


def examiner_world(others: int = 1) -> ExaminerWorld:
    base = marking_world()
    world = ExaminerWorld(**vars(base))
    marking = world.mark_all(world.start(), 64)
    world.marking = marking_services.marking_move(
        by=world.tutor, marking=marking, move=Move.COMPLETE, version=marking.version
    )
    for n in range(others):
        world.another(45 + n * 10)
    world.other_examiner = UserFactory(roles=[Role.EXTERNAL_EXAMINER])
    return world
