"""Assessment set-up for the demo, made through the services as a programme leader would make it:
the "Masters level 7" rubric and a core task per phase for the demo cohort, dated from today so that
phase 1's task is marked and past, phase 2's is open now (the demo participant, in phase 2, can
submit) and phase 3's opens in a few weeks; and one extension on phase 2's task.

Safe to run again: the rubric is found by name, tasks by cohort and title, the extension by its
participant and task."""

import datetime
from dataclasses import dataclass

from accounts.models import User
from assessment import demo_rubric
from assessment.models import AssessmentTask, Extension, Rubric
from assessment.services import extensions, rubrics, tasks
from programme.demo import COHORT_NAME, demo_email, participant_email
from programme.models import Cohort, ContentArea, Enrolment, Phase

_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class DemoTask:
    phase: int
    title: str
    brief: str
    areas: tuple[int, ...]
    opens: int  # days from today; the other dates follow from these
    due: int
    credits: int = 30
    words: int = 4000


TASKS = (
    DemoTask(
        phase=1,
        title="Phase 1 core task: an enquiry into one aspect of your teaching",
        brief=(
            "Choose one aspect of your teaching that your initial diagnosis pointed to. Set out what the evidence "
            "says about it, what you tried with one class, and what changed for those pupils.\n\nDraw on your "
            "agreed dialogue logs and the evidence in your portfolio."
        ),
        areas=(1, 2),
        opens=-105,
        due=-45,
    ),
    DemoTask(
        phase=2,
        title="Phase 2 core task: broadening and embedding a change in practice",
        brief=(
            "Show how a change you began in phase 1 has been widened to more classes, subjects or colleagues, "
            "and how it has become part of everyday practice.\n\nWeigh what worked against what did not, with "
            "evidence of pupils' outcomes, and say what your coach's challenge added."
        ),
        areas=(2, 3),
        opens=-21,
        due=28,
    ),
    DemoTask(
        phase=3,
        title="Phase 3 core task: a practitioner enquiry in your specialist focus",
        brief=(
            "Report a full practitioner enquiry in your chosen specialist area: the question, the reading behind "
            "it, the methods and their ethics, what you found and what it means for your school.\n\nLeadership of "
            "colleagues should be part of the story."
        ),
        areas=(3, 4),
        opens=21,
        due=110,
        credits=60,
        words=8000,
    ),
)

EXTENSION_REASON = "A period of illness in the weeks before the due date, supported by a note from the GP."


def _leader() -> User | None:
    return User.objects.filter(email=demo_email("leader")).first()


def _rubric(leader: User | None) -> Rubric:
    existing = Rubric.objects.filter(name=demo_rubric.NAME, revisions__isnull=True).first()
    return existing or rubrics.rubric_create(content=demo_rubric.CONTENT, by=leader)


def _task(spec: DemoTask, *, cohort: Cohort, rubric: Rubric, today: datetime.date, by: User | None) -> AssessmentTask:
    existing = AssessmentTask.objects.filter(cohort=cohort, title=spec.title).first()
    if existing is not None:
        return existing
    due = today + spec.due * _DAY
    marks_due = due + 35 * _DAY
    content = tasks.TaskContent(
        cohort=cohort,
        phase=Phase.objects.get(number=spec.phase),
        title=spec.title,
        brief=spec.brief,
        content_areas=list(ContentArea.objects.filter(number__in=spec.areas)),
        credits=spec.credits,
        word_limit=spec.words,
        opens_on=today + spec.opens * _DAY,
        due_on=due,
        late_cutoff_on=due + 7 * _DAY,
        marks_due_on=marks_due,
        release_on=marks_due + 7 * _DAY,
        rubric=rubric,
    )
    return tasks.task_create(content=content, by=by)


def _extension(task: AssessmentTask, *, by: User | None) -> Extension | None:
    """A phase 2 participant other than the demo login, given a fortnight more."""
    enrolment = (
        Enrolment.objects.filter(cohort=task.cohort, current_phase=task.phase, status=Enrolment.Status.ACTIVE)
        .exclude(participant__email=participant_email(1))
        .order_by("participant__email")
        .first()
    )
    if enrolment is None or by is None:
        return None
    existing = Extension.objects.filter(enrolment=enrolment, task=task).first()
    return existing or extensions.extension_grant(
        enrolment=enrolment, task=task, due_on=task.due_on + 14 * _DAY, reason=EXTENSION_REASON, by=by
    )


def seed_assessment(*, today: datetime.date) -> list[AssessmentTask]:
    """The rubric, the demo cohort's tasks and one extension, whatever of them is missing."""
    cohort = Cohort.objects.filter(name=COHORT_NAME).first()
    if cohort is None:
        return []
    leader = _leader()
    rubric = _rubric(leader)
    made = [_task(spec, cohort=cohort, rubric=rubric, today=today, by=leader) for spec in TASKS]
    _extension(made[1], by=leader)
    return made
