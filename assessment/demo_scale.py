"""Submitted work and released results for the provider-sized demo (`manage.py seed_scale`): for
each of the demo cohort's tasks whose results have been released (phase 1's, as assessment.demo dates
them), a submission from nearly every participant who has none, first-marked by their tutor and
released: most pass, some are referred. Loaded in bulk, not through the services (see
programme.demo_scale); derived from each enrolment's id, so the same database gets the same marks."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from assessment.models import AssessmentTask, Marking, Submission, SubmissionItem
from assessment.rules.marks import suggested_outcome
from assessment.services import snapshots
from assessment.workflow import State
from coaching.models import AgreementStatus, DialogueLog, DialogueLogVersion
from programme.demo_scale import bulk_load
from programme.models import Enrolment, ProgrammeSettings, TutorAssignment

_DAY = datetime.timedelta(days=1)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def seed_scale_results(*, cohort_id: int, today: datetime.date, cite_logs: bool = False) -> int:
    """Returns how many submissions were made (each with its released marking). A participant who
    has submitted anything already (the demo's own stories) is left as they are. With `cite_logs`
    (the ordinary demo's few dozen), each submission holds its participant's latest agreed session
    before it, frozen as the services freeze one, so a tutor reading it has a session to cite; a
    participant with none submits nothing."""
    pass_mark = ProgrammeSettings.load().pass_mark
    tutor_of = dict(
        TutorAssignment.objects.filter(enrolment__cohort_id=cohort_id, ends_on__isnull=True).values_list(
            "enrolment_id", "tutor_id"
        )
    )
    # Whoever has submitted anything before this runs: the demo's stories, told through the services.
    storied = set(Submission.objects.filter(enrolment__cohort_id=cohort_id).values_list("enrolment_id", flat=True))
    made = 0
    for task in AssessmentTask.objects.filter(cohort_id=cohort_id, release_on__lte=today).order_by("pk"):
        done = Submission.objects.filter(task=task).values("enrolment_id")
        enrolments = (
            Enrolment.objects.filter(cohort_id=cohort_id, programme_started_on__lt=task.due_on)
            .exclude(pk__in=done)
            .exclude(pk__in=storied)
            .values_list("pk", flat=True)
            .order_by("pk")
        )
        latest_log = _latest_agreed_logs(enrolments, task.due_on) if cite_logs else {}
        submissions, marks, cited = [], [], []
        for enrolment_id in enrolments:
            rng = random.Random(enrolment_id * 7 + task.pk)
            if rng.random() < 0.04 or enrolment_id not in tutor_of or (cite_logs and enrolment_id not in latest_log):
                continue  # nothing submitted
            cited.append(latest_log.get(enrolment_id))
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
        if cite_logs:
            SubmissionItem.objects.bulk_create(
                _log_item(submission_id, log) for submission_id, log in zip(ids, cited, strict=True)
            )
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


def _latest_agreed_logs(enrolment_ids, before: datetime.date) -> dict[int, DialogueLog]:
    """Each participant's latest agreed session before the day."""
    latest: dict[int, DialogueLog] = {}
    logs = DialogueLog.objects.filter(
        enrolment_id__in=list(enrolment_ids), status=AgreementStatus.AGREED, session_on__lt=before
    ).order_by("enrolment_id", "session_on", "pk")
    for log in logs:
        latest[log.enrolment_id] = log
    return latest


def _log_item(submission_id: int, log: DialogueLog) -> SubmissionItem:
    """The session as submitting freezes it (assessment.services.submissions)."""
    version = DialogueLogVersion.objects.get(log=log, number=log.agreed_version)
    snapshot = snapshots.of_log(log, version)
    return SubmissionItem(
        submission_id=submission_id,
        kind=SubmissionItem.Kind.DIALOGUE_LOG,
        log=log,
        log_version=version,
        title=snapshot.title[: SubmissionItem._meta.get_field("title").max_length],
        body=snapshot.body,
        meta=snapshot.meta,
        source_version=snapshot.source_version,
    )
