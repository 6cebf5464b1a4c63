"""Second marking for the demo, through the moderation services as a programme leader and two
tutors would: the leader confirms the demo participant's marked work for second marking by another
demo tutor, who marks it blind; the two marks fall in different bands, so the markers agree a mark
with a note, and that agreed result is what is released. Called by assessment.demo_marking while it
marks the work for the first time, so a second run adds nothing."""

from accounts.models import User
from assessment.models import Marking
from assessment.selectors.marking import citable
from assessment.selectors.moderation import selection
from assessment.services import marking as marking_services
from assessment.services import moderation as services
from assessment.workflow import Move

SECOND_MARKS = (55, 58, 52, 60, 56, 62, 54)
SECOND_FEEDBACK = (
    "A sound account of the change, with the pupils' answers recorded fairly.",
    "The evaluation of the research is thinner than the first marker found: test each claim against the data.",
)
AGREED_NOTE = (
    "We compared our readings criterion by criterion. The second marker's concern about the evaluation of "
    "the research is fair, but the impact on pupils is well evidenced in the agreed sessions. Agreed at 61, "
    "a merit; the first marker's feedback stands."
)


def moderate(first: Marking, *, leader: User, second_marker: User | None) -> bool:
    """Send the first marking to second marking, second-mark it and agree a mark. False (nothing
    done) when it cannot be: no second marker, or other work of the task still being marked."""
    task = first.submission.task
    page = selection(task)
    ids = [row.submission_id for row in page.rows]
    if second_marker is None or page.waiting or first.submission_id not in ids:
        return False
    services.moderation_confirm(by=leader, task=task, chosen={first.submission_id: second_marker}, seen=ids)
    second = services.marker_marking_start(by=second_marker, submission=first.submission)
    logs = [c.key for c in citable(second_marker, first.submission) if c.kind == "log"]
    for number, criterion in enumerate(second.rubric.criteria.order_by("sort_order", "pk")):
        second.refresh_from_db()
        marking_services.criterion_mark_save(
            by=second_marker,
            marking=second,
            criterion_id=criterion.pk,
            version=second.version,
            content=marking_services.CriterionContent(
                mark=SECOND_MARKS[number % len(SECOND_MARKS)],
                strengths=SECOND_FEEDBACK[0],
                development=SECOND_FEEDBACK[1],
                citations=tuple(logs[:1]),
            ),
        )
    second.refresh_from_db()
    second = marking_services.marking_overall_save(
        by=second_marker,
        marking=second,
        version=second.version,
        content=marking_services.OverallContent(outcome="pass"),
    )
    marking_services.marking_move(by=second_marker, marking=second, move=Move.COMPLETE, version=second.version)
    moderation = first.submission.moderation
    moderation.refresh_from_db()
    if moderation.stage == moderation.Stage.RECONCILING:
        services.moderation_agree(
            by=second_marker,
            moderation=moderation,
            version=moderation.version,
            mark=61,
            outcome="pass",
            note=AGREED_NOTE,
        )
    return True
