"""Marked and released work for the demo, made through the marking services as a tutor and a
programme leader would: the demo participant's submitted work (assessment.demo_submissions) marked
by their tutor against every criterion, citing their agreed coaching sessions and evidence,
second-marked by another tutor and reconciled into an agreed mark (assessment.demo_moderation), passed
and released; another of the demo tutor's participants' work submitted and waiting in the
tutor's queue; and a third's work referred and resubmitted (assessment.demo_resubmission). Both of these
participants are given a coaching history first (coaching.demo.seed_history), so their work has agreed
sessions to cite. Runs after assessment.demo. Safe to run again: marked work is left as it is."""

import datetime

from accounts.models import User
from assessment import demo_moderation, demo_resubmission, demo_statements, demo_submissions
from assessment.models import AssessmentTask, Marking, Submission
from assessment.rules.deadlines import Window, submission_window
from assessment.selectors.marking import citable
from assessment.selectors.submissions import submission_choices
from assessment.services import marking as services
from assessment.services.submissions import SubmissionContent, submission_submit
from assessment.workflow import Move
from coaching import demo as coaching_demo
from portfolio import services as portfolio
from programme.demo import demo_email, participant_email
from programme.models import Enrolment, TutorAssignment

# (strengths, areas for development) for each criterion in turn; the same pair is reused past the end.
FEEDBACK = (
    (
        "You place wait time within what is known about questioning and show you understand why it matters "
        "for pupils who seldom answer.",
        "Say where the research you lean on was done and how far it carries over to your own classes.",
    ),
    (
        "The exit tickets are read carefully, and you notice when they disagree with your impression of a lesson.",
        "Weigh the studies you cite against each other rather than reporting them one after another.",
    ),
    (
        "Collecting answers on mini-whiteboards gave you a record from every pupil, not only the volunteers.",
        "Explain how you chose the class and what you would change to make the comparison fairer.",
    ),
    (
        "Extending the pause to your whole timetable after your coach's challenge shows judgement of your own.",
        "Show how the idea was adapted for different subjects rather than copied across.",
    ),
    (
        "The agreed session records show more pupils answering in full over the term.",
        "Separate what changed for pupils from what changed in your teaching, and give numbers where you have them.",
    ),
    (
        "Your commentary is honest about the lessons where the pause felt uncomfortable.",
        "Link each reflection to the next step it led to, so the reader sees the cycle.",
    ),
    (
        "Clear, well ordered and within the word guidance.",
        "Reference the reading consistently, in one style.",
    ),
)
FEED_FORWARD = (
    "In phase 3, turn the pause into a full enquiry with a comparison group, and share what you find with "
    "your department."
)
WAITING_COMMENTARY = (
    "I have broadened my work on feedback from one class to the whole of Year 8. The records I chose show "
    "what changed and what my coach and I agreed to try next."
)
REFLECTION = (
    "Marking books during the lesson, rather than after it, meant pupils acted on feedback while the work was "
    "still fresh. The quieter pupils asked more questions once I sat beside them."
)


def _demo_person(local_part: str) -> User | None:
    return User.objects.filter(email=demo_email(local_part)).first()


def _submitted(enrolment: Enrolment) -> Submission | None:
    return (
        Submission.objects.filter(
            enrolment=enrolment, state=Submission.State.SUBMITTED, task__phase=enrolment.current_phase
        )
        .order_by("-attempt")
        .first()
    )


def _mark_and_release(submission: Submission, *, tutor: User, leader: User) -> Marking:
    marking = services.marking_start(by=tutor, submission=submission)
    offered = citable(tutor, submission)
    logs = [c.key for c in offered if c.kind == "log"]
    items = [c.key for c in offered if c.kind == "item"]
    criteria = list(marking.rubric.criteria.order_by("sort_order", "pk"))
    for number, criterion in enumerate(criteria):
        strengths, development = FEEDBACK[min(number, len(FEEDBACK) - 1)]
        cited = [keys[number % len(keys)] for keys in (logs, items) if keys]
        marking.refresh_from_db()
        services.criterion_mark_save(
            by=tutor,
            marking=marking,
            criterion_id=criterion.pk,
            version=marking.version,
            content=services.CriterionContent(
                mark=(62, 66, 58, 68, 64, 71, 60)[number % 7],
                strengths=strengths,
                development=development,
                citations=tuple(cited),
            ),
        )
    marking.refresh_from_db()
    marking = services.marking_overall_save(
        by=tutor,
        marking=marking,
        version=marking.version,
        content=services.OverallContent(outcome="pass", feed_forward=FEED_FORWARD),
    )
    marking = services.marking_move(by=tutor, marking=marking, move=Move.COMPLETE, version=marking.version)
    # Second-marked by another tutor and reconciled (assessment.demo_moderation), or else confirmed as it is.
    if not demo_moderation.moderate(marking, leader=leader, second_marker=_demo_person("nadia.rahman")):
        marking = services.marking_move(by=tutor, marking=marking, move=Move.CONFIRM, version=marking.version)
    services.results_release(task=submission.task, by=leader)
    marking.refresh_from_db()
    return marking


def _waiting(tutor: User, *, task: AssessmentTask, today: datetime.date) -> Submission | None:
    """Another of the tutor's participants submits work for the same task, to wait in the queue."""
    if submission_window(task=task, on=today) != Window.OPEN:
        return None
    tutored = TutorAssignment.objects.covering(today).filter(tutor=tutor).values("enrolment_id")
    candidates = (
        Enrolment.objects.filter(pk__in=tutored, cohort=task.cohort, current_phase=task.phase)
        .exclude(participant__email=participant_email(1))
        .exclude(submissions__task=task)
        .select_related("participant")
        .order_by("participant__email")
    )
    enrolment = next((e for e in candidates[:20] if _has_portfolio(e)), None) or candidates.first()
    if enrolment is None:
        return None
    # Work in the queue should show what marking is for: agreed coaching sessions to cite.
    coaching_demo.seed_history(enrolment, today=today)
    choices = submission_choices(enrolment.participant, enrolment)
    if choices.evidence or choices.reflections:
        content = SubmissionContent(
            commentary=WAITING_COMMENTARY,
            evidence_ids=tuple(e.pk for e in choices.evidence[:2]),
            reflection_ids=tuple(r.pk for r in choices.reflections[:1]),
            log_ids=tuple(log.pk for log in choices.logs[:2]),
        )
        participant = enrolment.participant
        return submission_submit(by=participant, enrolment=enrolment, task=task, version=None, content=content)
    # A participant with nothing in their portfolio yet writes a reflection to submit with.
    reflection = portfolio.reflection_create(
        by=enrolment.participant,
        enrolment=enrolment,
        content=portfolio.ReflectionContent(
            written_on=today - datetime.timedelta(days=3),
            title="What a term of marking in class taught me",
            body=REFLECTION,
            phase_id=enrolment.current_phase_id,
        ),
    )
    logs = tuple(log.pk for log in choices.logs[:2])
    content = SubmissionContent(commentary=WAITING_COMMENTARY, reflection_ids=(reflection.pk,), log_ids=logs)
    return submission_submit(by=enrolment.participant, enrolment=enrolment, task=task, version=None, content=content)


def _has_portfolio(enrolment: Enrolment) -> bool:
    choices = submission_choices(enrolment.participant, enrolment)
    return bool(choices.evidence or choices.reflections)


def seed_marking(*, today: datetime.date) -> tuple[Marking | None, Submission | None]:
    """The demo participant's released result and a submission waiting for the demo tutor."""
    tutor, leader = _demo_person("tutor"), _demo_person("leader")
    enrolment = Enrolment.objects.filter(participant__email=participant_email(1)).first()
    if tutor is None or leader is None or enrolment is None:
        return None, None
    demo_submissions.seed_submission(today=today)
    demo_statements.seed_statement(today=today)  # the coach's statement, before marking locks it
    submission = _submitted(enrolment)
    if submission is None:
        return None, None
    marking = Marking.objects.filter(submission=submission, role=Marking.Role.FIRST).first()
    if marking is None:
        marking = _mark_and_release(submission, tutor=tutor, leader=leader)
    waiting = Submission.objects.filter(
        task=submission.task, state=Submission.State.SUBMITTED, markings__isnull=True, is_resubmission=False
    ).first() or _waiting(tutor, task=submission.task, today=today)
    demo_resubmission.seed_resubmission(task=submission.task, tutor=tutor, leader=leader, today=today)
    return marking, waiting
