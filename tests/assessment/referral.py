"""A participant's work marked, referred and released (tests.assessment.marking.helpers), for the
resubmission and feed-forward tests; and a resubmission of it made through the services."""

from dataclasses import dataclass

from assessment.models import Marking, Submission
from assessment.services import marking as services
from assessment.services.marking import OverallContent
from assessment.services.resubmission import resubmission_start
from assessment.workflow import Move
from tests.assessment.marking.helpers import MarkingWorld, marking_world

FEED_FORWARD = "- Widen the sample beyond one class.\n\n- Weigh other explanations for the change."


@dataclass
class ReferralWorld(MarkingWorld):
    referral: Marking = None

    def release(self, marking: Marking, *, outcome: str, mark: int, feed_forward: str = FEED_FORWARD) -> Marking:
        """Mark every criterion at `mark`, give the outcome and feed-forward, complete, confirm, release."""
        marking = self.mark_all(marking, mark, outcome=outcome)
        marking = services.marking_overall_save(
            by=self.tutor,
            marking=marking,
            version=marking.version,
            content=OverallContent(outcome=outcome, feed_forward=feed_forward),
        )
        for move in (Move.COMPLETE, Move.CONFIRM):
            marking = services.marking_move(by=self.tutor, marking=marking, move=move, version=marking.version)
        services.results_release(task=self.task, by=self.leader)
        marking.refresh_from_db()
        return marking

    def start_resubmission(self, **kwargs) -> Submission:
        return resubmission_start(by=self.participant, submission=self.submission, **kwargs)

    def resubmit(self, **overrides) -> Submission:
        """Start the resubmission and submit it, answering each feed-forward point."""
        draft = self.start_resubmission()
        answers = ("Added a second class.", "Compared with the autumn term.")
        overrides.setdefault("feed_forward", answers)
        overrides.setdefault("feed_forward_marking_id", self.referral.pk)
        return self.submit(version=draft.version, **overrides)


def referred_world(*, mark: int = 42, feed_forward: str = FEED_FORWARD) -> ReferralWorld:
    """The participant's first attempt referred (every criterion at `mark`) and released today."""
    world = ReferralWorld(**vars(marking_world()))
    world.referral = world.release(world.start(), outcome="refer", mark=mark, feed_forward=feed_forward)
    return world
