"""A submitted piece of work with everyone around it (tests.assessment.submissions.helpers), and
helpers that mark it through the services."""

from dataclasses import dataclass

from assessment.models import Marking, Submission
from assessment.services import marking as services
from assessment.services.marking import CriterionContent, OverallContent
from assessment.workflow import Move
from tests.assessment.submissions.helpers import SubmissionWorld, submission_world


@dataclass
class MarkingWorld(SubmissionWorld):
    submission: Submission = None

    def start(self) -> Marking:
        return services.marking_start(by=self.tutor, submission=self.submission)

    def log_key(self) -> str:
        return f"log:{self.log.versions.get(number=self.log.agreed_version).pk}"

    def mark_all(self, marking: Marking, mark: int = 64, **content) -> Marking:
        for criterion in marking.rubric.criteria.all():
            marking.refresh_from_db()
            services.criterion_mark_save(
                by=self.tutor,
                marking=marking,
                criterion_id=criterion.pk,
                version=marking.version,
                content=CriterionContent(
                    mark=mark,
                    strengths="Clear account of how questioning changed.",
                    development="Weigh the evidence against other explanations.",
                    citations=content.get("citations", (self.log_key(),)),
                ),
            )
        marking.refresh_from_db()
        return services.marking_overall_save(
            by=self.tutor,
            marking=marking,
            version=marking.version,
            content=OverallContent(outcome=content.get("outcome", "pass"), feed_forward="Widen the sample."),
        )

    def ready(self, mark: int = 64) -> Marking:
        marking = self.mark_all(self.start(), mark)
        marking = services.marking_move(by=self.tutor, marking=marking, move=Move.COMPLETE, version=marking.version)
        return services.marking_move(by=self.tutor, marking=marking, move=Move.CONFIRM, version=marking.version)

    def released(self, mark: int = 64) -> Marking:
        marking = self.ready(mark)
        services.results_release(task=self.task, by=self.leader)
        marking.refresh_from_db()
        return marking


def marking_world() -> MarkingWorld:
    base = submission_world()
    world = MarkingWorld(**vars(base))
    world.submission = world.submit()
    return world
