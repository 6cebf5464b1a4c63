"""The demo participant's submitted work, made through the submission services as they would make
it: for the open task of their cohort and current phase (set by assessment.demo), some of their
evidence, a reflection, two sections of their enquiry and two agreed coaching sessions, with a
commentary, submitted and frozen.

Runs after portfolio.demo and assessment.demo. Safe to run again: a participant who already has work
for the task is left alone."""

import datetime

from assessment.models import AssessmentTask, Submission
from assessment.rules.deadlines import Window, submission_window
from assessment.selectors.submissions import submission_choices
from assessment.services.submissions import SubmissionContent, submission_submit
from programme.demo import participant_email
from programme.models import Enrolment

COMMENTARY = (
    "This year I set out to hear from the pupils who rarely answer. My coach's first observation showed "
    "that I took answers within two seconds, so the same few hands carried every lesson.\n\n"
    "The evidence I chose shows what changed when I waited longer and asked every pupil to commit to an "
    "answer on a mini-whiteboard: more pupils answered in full, and my exit tickets showed who had not yet "
    "understood. The two agreed coaching sessions record how my coach challenged me to widen this from one "
    "class to my whole timetable, and my enquiry sets out the question and how I tested it.\n\n"
    "What I take forward: the pause is only worth it if I act on what the answers tell me."
)


def _open_task(enrolment: Enrolment, today: datetime.date) -> AssessmentTask | None:
    """The first task of the participant's cohort and current phase that takes work today."""
    tasks = AssessmentTask.objects.filter(cohort_id=enrolment.cohort_id, phase_id=enrolment.current_phase_id)
    return next(
        (task for task in tasks.order_by("due_on", "pk") if submission_window(task=task, on=today) == Window.OPEN),
        None,
    )


def seed_submission(*, today: datetime.date) -> Submission | None:
    """The demo participant's submitted work; None when there is no open task or it is there already."""
    enrolment = Enrolment.objects.filter(participant__email=participant_email(1)).select_related("participant").first()
    if enrolment is None:
        return None
    task = _open_task(enrolment, today)
    if task is None or Submission.objects.filter(enrolment=enrolment, task=task).exists():
        return None
    participant = enrolment.participant
    choices = submission_choices(participant, enrolment)
    content = SubmissionContent(
        commentary=COMMENTARY,
        evidence_ids=tuple(e.pk for e in choices.evidence[:3]),
        reflection_ids=tuple(r.pk for r in choices.reflections[:1]),
        section_keys=tuple(c.key for c in choices.sections if c.section in ("question", "method")),
        log_ids=tuple(log.pk for log in choices.logs[:2]),
    )
    return submission_submit(by=participant, enrolment=enrolment, task=task, version=None, content=content)
