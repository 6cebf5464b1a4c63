"""Which feed-forward a participant answers in their next piece of work, and the answers a
submission holds. One query each however much work there is."""

from dataclasses import dataclass

from assessment.models import AssessmentTask, FeedForwardResponse, Marking, Submission
from assessment.rules.feed_forward import points
from assessment.workflow import State
from programme import access
from programme.access import Action
from programme.models import Enrolment


@dataclass(frozen=True)
class FeedForward:
    """The feed-forward of one released result, as points to answer."""

    marking: Marking
    points: list[str]

    @property
    def submission(self) -> Submission:
        return self.marking.submission


def feed_forward_for(user, enrolment: Enrolment, task: AssessmentTask) -> FeedForward | None:
    """The feed-forward the participant answers in work for `task`: that of their latest released
    result (agreed marks where moderation agreed them) on work of this phase or an earlier one,
    including a referred attempt at this task. Only released feed-forward counts; None when there
    is none, it has no points, or this person may not read it."""
    marking = (
        Marking.objects.filter(
            submission__enrolment=enrolment,
            submission__task__phase__number__lte=task.phase.number,
            role__in=[Marking.Role.FIRST, Marking.Role.AGREED],
            state=State.RELEASED,
        )
        .select_related("submission__task")
        .order_by("-released_at", "-pk")
        .first()
    )
    if marking is None or not access.can(user, Action.VIEW, marking):
        return None
    found = points(marking.feed_forward)
    return FeedForward(marking=marking, points=found) if found else None


def responses_of(submission: Submission) -> list[FeedForwardResponse]:
    """The feed-forward points a submission answers, each with the answer, in order."""
    return list(
        FeedForwardResponse.objects.filter(submission=submission)
        .select_related("marking__submission__task")
        .order_by("number")
    )
