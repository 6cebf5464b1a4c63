"""A referred and resubmitted piece of work for the demo, made through the services as each person
would: another of the demo tutor's participants submits to the same task as the demo participant,
is marked below the pass mark and referred with two points of feed-forward, the referral released;
they resubmit with a revised commentary, answering each point, and the resubmission waits in the
tutor's queue, tagged. Runs from assessment.demo_marking. Safe to run again: once a resubmission of
the task exists nothing more is made."""

import datetime

from accounts.models import User
from assessment.models import AssessmentTask, Submission
from assessment.rules.deadlines import Window, submission_window
from assessment.selectors.feed_forward import feed_forward_for
from assessment.selectors.submissions import submission_choices
from assessment.services import marking as services
from assessment.services.resubmission import resubmission_start
from assessment.services.submissions import SubmissionContent, submission_submit
from assessment.workflow import Move
from coaching import demo as coaching_demo
from portfolio import services as portfolio
from programme.demo import participant_email
from programme.models import Enrolment, TutorAssignment

FIRST_COMMENTARY = (
    "I tried giving feedback during lessons instead of in books afterwards. Pupils seemed to respond well."
)
RESUBMITTED_COMMENTARY = (
    "I gave feedback during lessons instead of in books afterwards, first in one Year 9 class and then in a "
    "second.\n\nIn both classes more pupils corrected their work in the lesson, and the exit tickets show the "
    "change held for four weeks. The quieter pupils asked more questions once I sat beside them."
)
FEEDBACK = (
    "You describe a change in your teaching honestly.",
    "Show what changed for pupils, with evidence beyond your impression.",
)
FEED_FORWARD = (
    "- Show the change for pupils with evidence, not impressions.\n"
    "- Try the approach in a second class and compare the two."
)
ANSWERS = (
    "The exit tickets from both classes are now in the submission, before and after.",
    "I repeated the sequence with a second Year 9 class and compare the two in my commentary.",
)
REFLECTION = (
    "Sitting beside pupils while they worked let me correct misconceptions before they were written "
    "into books. It took longer to get round the room than I expected."
)


def _candidate(tutor: User, task: AssessmentTask, today: datetime.date) -> Enrolment | None:
    tutored = TutorAssignment.objects.covering(today).filter(tutor=tutor).values("enrolment_id")
    return (
        Enrolment.objects.filter(pk__in=tutored, cohort=task.cohort, current_phase=task.phase)
        .exclude(participant__email=participant_email(1))
        .exclude(submissions__task=task)
        .select_related("participant")
        .order_by("-participant__email")
        .first()
    )


def _content(enrolment: Enrolment, commentary: str, today: datetime.date, **extra) -> SubmissionContent:
    choices = submission_choices(enrolment.participant, enrolment)
    reflections = tuple(r.pk for r in choices.reflections[:1])
    if not reflections:
        reflections = (
            portfolio.reflection_create(
                by=enrolment.participant,
                enrolment=enrolment,
                content=portfolio.ReflectionContent(
                    written_on=today - datetime.timedelta(days=5),
                    title="Feedback in the lesson",
                    body=REFLECTION,
                    phase_id=enrolment.current_phase_id,
                ),
            ).pk,
        )
    return SubmissionContent(
        commentary=commentary,
        reflection_ids=reflections,
        log_ids=tuple(log.pk for log in choices.logs[:1]),
        **extra,
    )


def _refer(submission: Submission, *, tutor: User, leader: User) -> None:
    marking = services.marking_start(by=tutor, submission=submission)
    for criterion in marking.rubric.criteria.order_by("sort_order", "pk"):
        marking.refresh_from_db()
        services.criterion_mark_save(
            by=tutor,
            marking=marking,
            criterion_id=criterion.pk,
            version=marking.version,
            content=services.CriterionContent(mark=44, strengths=FEEDBACK[0], development=FEEDBACK[1]),
        )
    marking.refresh_from_db()
    marking = services.marking_overall_save(
        by=tutor,
        marking=marking,
        version=marking.version,
        content=services.OverallContent(outcome="refer", feed_forward=FEED_FORWARD),
    )
    for move in (Move.COMPLETE, Move.CONFIRM):
        marking = services.marking_move(by=tutor, marking=marking, move=move, version=marking.version)
    services.results_release(task=submission.task, by=leader)


def seed_resubmission(*, task: AssessmentTask, tutor: User, leader: User, today: datetime.date) -> Submission | None:
    """The resubmission of the task, made if there is none yet and the task is open today."""
    existing = Submission.objects.filter(task=task, resubmission_of__isnull=False).order_by("-attempt").first()
    if existing is not None or submission_window(task=task, on=today) != Window.OPEN:
        return existing
    enrolment = _candidate(tutor, task, today)
    if enrolment is None:
        return None
    coaching_demo.seed_history(enrolment, today=today, spare=1)  # agreed sessions to cite
    participant = enrolment.participant
    first = submission_submit(
        by=participant,
        enrolment=enrolment,
        task=task,
        version=None,
        content=_content(enrolment, FIRST_COMMENTARY, today),
    )
    _refer(first, tutor=tutor, leader=leader)
    draft = resubmission_start(by=participant, submission=first, today=today)
    source = feed_forward_for(participant, enrolment, task)
    content = _content(
        enrolment,
        RESUBMITTED_COMMENTARY,
        today,
        feed_forward=ANSWERS[: len(source.points)] if source else (),
        feed_forward_marking_id=source.marking.pk if source else None,
    )
    return submission_submit(by=participant, enrolment=enrolment, task=task, version=draft.version, content=content)
