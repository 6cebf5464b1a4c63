"""Submitted work and released results, as the assessment services leave them, for the dashboards' tests."""

import datetime

from django.utils import timezone

from accounts.roles import Role
from assessment.models import AssessmentTask, Marking, Submission
from assessment.rules.marks import Outcome
from assessment.workflow import State
from programme.models import Enrolment
from tests.factories import UserFactory


def submit(enrolment: Enrolment, task: AssessmentTask, *, attempt: int = 1, on=datetime.date(2025, 11, 10)):
    return Submission.objects.create(
        enrolment=enrolment,
        task=task,
        attempt=attempt,
        is_resubmission=attempt > 1,
        state=Submission.State.SUBMITTED,
        dated_on=on,
        submitted_at=timezone.make_aware(datetime.datetime.combine(on, datetime.time(12))),
    )


def result(submission: Submission, outcome: str = Outcome.PASS, *, released: bool = True, **kwargs) -> Marking:
    return Marking.objects.create(
        submission=submission,
        marker=kwargs.pop("marker", None) or UserFactory(roles=[Role.TUTOR]),
        rubric=submission.task.rubric,
        state=State.RELEASED if released else State.MARKED,
        overall_mark=kwargs.pop("overall_mark", 62 if outcome == Outcome.PASS else 38),
        outcome=outcome,
        released_at=timezone.now() if released else None,
        **kwargs,
    )
