"""The demo external examiner's sample, made through the examiner services as a programme leader
would: drawn from the marked work of the demo participant's task by the task's sampling rule, the
demo participant's released work added by hand if the rule left it out (so the demo always has a
pack to read, citations and all), and confirmed for the demo examiner. Runs after
assessment.demo_marking. Safe to run again: a task that has a sample keeps it."""

from django.db.models import F

from accounts.models import User
from assessment.models import ExaminerSample, Marking
from assessment.services import examiner as services
from programme.demo import demo_email, participant_email


def seed_examiner() -> ExaminerSample | None:
    leader = User.objects.filter(email=demo_email("leader")).first()
    examiner = User.objects.filter(email=demo_email("examiner")).first()
    marking = (
        Marking.objects.filter(
            submission__enrolment__participant__email=participant_email(1),
            # Their current phase's work, made through the services with its citations (the cohort's
            # earlier results are loaded in bulk after this runs, see seed_demo).
            submission__task__phase=F("submission__enrolment__current_phase"),
            role=Marking.Role.FIRST,
        )
        .select_related("submission__task")
        .order_by("-pk")
        .first()
    )
    if leader is None or examiner is None or marking is None:
        return None
    task = marking.submission.task
    existing = ExaminerSample.objects.filter(task=task).first()
    if existing is not None:
        return existing
    sample = services.sample_draw(by=leader, task=task, examiner_ids=[examiner.pk])
    if not sample.entries.filter(submission=marking.submission, removed_at__isnull=True).exists():
        services.sample_add(
            by=leader,
            sample=sample,
            submission_id=marking.submission_id,
            reason="Its marks cite the coaching sessions, so the examiner can see how they were used.",
            version=sample.version,
        )
        sample.refresh_from_db()
    return services.sample_confirm(by=leader, sample=sample, version=sample.version)
