"""Submitted work and released results for the provider-sized demo (`manage.py seed_scale`): for
each of the demo cohort's tasks whose results have been released (phase 1's, as assessment.demo dates
them), a submission from nearly every participant who has none, first-marked by their tutor and
released: most pass, some are referred. Loaded in bulk, not through the services (see
programme.demo_scale); derived from each enrolment's id, so the same database gets the same marks."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from assessment.models import AssessmentTask, Marking, Submission
from assessment.rules.marks import suggested_outcome
from assessment.workflow import State
from programme.demo_scale import bulk_load
from programme.models import Enrolment, ProgrammeSettings, TutorAssignment

_DAY = datetime.timedelta(days=1)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def seed_scale_results(*, cohort_id: int, today: datetime.date) -> int:
    """Returns how many submissions were made (each with its released marking)."""
    pass_mark = ProgrammeSettings.load().pass_mark
    tutor_of = dict(
        TutorAssignment.objects.filter(enrolment__cohort_id=cohort_id, ends_on__isnull=True).values_list(
            "enrolment_id", "tutor_id"
        )
    )
    made = 0
    for task in AssessmentTask.objects.filter(cohort_id=cohort_id, release_on__lte=today).order_by("pk"):
        done = Submission.objects.filter(task=task).values("enrolment_id")
        enrolments = (
            Enrolment.objects.filter(cohort_id=cohort_id, programme_started_on__lt=task.due_on)
            .exclude(pk__in=done)
            .values_list("pk", flat=True)
            .order_by("pk")
        )
        submissions, marks = [], []
        for enrolment_id in enrolments:
            rng = random.Random(enrolment_id * 7 + task.pk)
            if rng.random() < 0.04 or enrolment_id not in tutor_of:
                continue  # nothing submitted
            dated_on = task.due_on - rng.randint(0, 10) * _DAY
            submissions.append(
                {
                    "enrolment_id": enrolment_id,
                    "task_id": task.pk,
                    "state": Submission.State.SUBMITTED,
                    "commentary": "<p>How the pieces chosen show the change in my teaching.</p>",
                    "word_count": 3200 + rng.randint(0, 700),
                    "dated_on": dated_on,
                    "submitted_at": _at(dated_on, 20),
                }
            )
            marks.append((tutor_of[enrolment_id], min(max(int(rng.gauss(60, 10)), 30), 85)))
        ids = bulk_load(Submission, submissions)
        released_at = _at(task.release_on, 9)
        bulk_load(
            Marking,
            [
                {
                    "submission_id": submission_id,
                    "marker_id": tutor_id,
                    "state": State.RELEASED,
                    "rubric_id": task.rubric_id,
                    "overall_mark": mark,
                    "outcome": suggested_outcome(mark, pass_mark=pass_mark, is_resubmission=False),
                    "feed_forward": "Next time, link each claim to a piece of pupils' work.",
                    "released_at": released_at,
                    "release_notified_at": released_at,
                }
                for submission_id, (tutor_id, mark) in zip(ids, marks, strict=True)
            ],
            with_ids=False,
        )
        made += len(submissions)
    return made
