"""A marked submission ready for moderation (tests.assessment.marking.helpers), and helpers that
take it through second marking by the services."""

from assessment.models import Marking
from assessment.services import marking as marking_services
from assessment.services import moderation as services
from assessment.services.marking import CriterionContent, OverallContent
from assessment.workflow import Move
from tests.assessment.marking.helpers import MarkingWorld, marking_world


def first_marked(world: MarkingWorld, mark: int = 64) -> Marking:
    """The tutor marks every criterion at `mark` and completes the marking."""
    marking = world.mark_all(world.start(), mark)
    return marking_services.marking_move(by=world.tutor, marking=marking, move=Move.COMPLETE, version=marking.version)


def confirm(world: MarkingWorld, marker=None, *, chosen: bool = True):
    """The leader confirms the task's second marking: this submission chosen (by default) for `marker`."""
    marker = marker or world.other_tutor
    sid = world.submission.pk
    return services.moderation_confirm(
        by=world.leader, task=world.task, chosen={sid: marker} if chosen else {}, seen=[sid]
    )


def second_marked(
    world: MarkingWorld,
    mark: int,
    marker=None,
    *,
    complete: bool = True,
    words: str = "SECOND-MARKER",
    citations: tuple[str, ...] = (),
    outcome: str = "pass",
) -> Marking:
    """The second (or third) marker marks every criterion at `mark`, citing `citations`, and completes."""
    marker = marker or world.other_tutor
    marking = services.marker_marking_start(by=marker, submission=world.submission)
    for criterion in marking.rubric.criteria.all():
        marking.refresh_from_db()
        marking_services.criterion_mark_save(
            by=marker,
            marking=marking,
            criterion_id=criterion.pk,
            version=marking.version,
            content=CriterionContent(
                mark=mark, strengths=f"{words}-STRENGTHS", development=f"{words}-DEVELOPMENT", citations=citations
            ),
        )
    marking.refresh_from_db()
    marking = marking_services.marking_overall_save(
        by=marker, marking=marking, version=marking.version, content=OverallContent(outcome=outcome)
    )
    if complete:
        marking = marking_services.marking_move(by=marker, marking=marking, move=Move.COMPLETE, version=marking.version)
    return marking


def moderated_world(first: int = 64) -> MarkingWorld:
    world = marking_world()
    first_marked(world, first)
    confirm(world)
    return world
