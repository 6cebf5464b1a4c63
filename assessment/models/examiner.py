"""The external examiner's sample of a task's marked work, and what the examiner writes about it.

The programme leader draws a sample from the task's marked submissions by the one sampling rule
(`assessment.rules.sampling`), adjusts it by hand (every addition and removal kept, with who, when
and why) and confirms it for one or more external examiners. Only a confirmed sample opens anything
to them: the access policy asks `assessment.registry` which records are in it. The examiner then
writes a comment on each sampled submission and an overall report on the task; each save is a new
numbered version, and a save from a stale page is refused. Changes are made only by
`assessment.services.examiner`.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from programme.access import RecordKind
from ui.limits import NOTE_MAX

from .submissions import Submission
from .tasks import AssessmentTask

REPORT_MAX = NOTE_MAX * 4  # an overall report runs to a few pages


class ExaminerSample(models.Model):
    """One task's sample for its external examiner(s): drawn, adjusted, then confirmed."""

    class State(models.TextChoices):
        DRAFT = "draft", "Drawn, not yet confirmed"
        CONFIRMED = "confirmed", "Confirmed for the examiner"

    task = models.OneToOneField(AssessmentTask, on_delete=models.PROTECT, related_name="examiner_sample")
    examiners = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="examiner_samples")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    # The task's sampling settings and how many marked submissions there were when it was drawn.
    basis = models.JSONField(default=dict, blank=True)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every change; stops silent overwrites.")

    class Meta:
        ordering = ["-drawn_at", "-pk"]
        indexes = [models.Index(fields=["state"])]

    def __str__(self) -> str:
        return f"Examiner's sample of {self.task}"

    @property
    def is_confirmed(self) -> bool:
        return self.state == self.State.CONFIRMED


class SampledSubmission(models.Model):
    """A submission in a sample: drawn by the rule (with the rule's reasons) or added by hand. A
    removal keeps the row, with who removed it, when and why; the sample is the rows not removed."""

    sample = models.ForeignKey(ExaminerSample, on_delete=models.CASCADE, related_name="entries")
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="examiner_entries")
    reasons = models.JSONField(default=list, blank=True, help_text="Why it is in the sample, in words.")
    by_hand = models.BooleanField(default=False)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    removal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["sample", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sample", "submission"], condition=Q(removed_at__isnull=True), name="sampled_once"
            ),
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True) | ~Q(removal_reason=""), name="sample_removal_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["submission", "removed_at"])]

    def __str__(self) -> str:
        return f"{self.submission} in {self.sample}"


class ExaminerComment(models.Model):
    """What an examiner wrote: on one sampled submission, or (no submission) the overall report on
    the task. One per examiner and subject; every save raises `version` and keeps a revision."""

    sample = models.ForeignKey(ExaminerSample, on_delete=models.PROTECT, related_name="comments")
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.PROTECT, related_name="examiner_comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=REPORT_MAX)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sample", "submission", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["sample", "submission", "author"],
                condition=Q(submission__isnull=False),
                name="one_examiner_comment_per_submission",
            ),
            models.UniqueConstraint(
                fields=["sample", "author"], condition=Q(submission__isnull=True), name="one_examiner_report_per_task"
            ),
        ]

    def __str__(self) -> str:
        return "Overall report" if self.submission_id is None else f"Comment on {self.submission}"

    @property
    def is_report(self) -> bool:
        return self.submission_id is None

    # A comment on a submission is the participant's record to the access policy (the report is
    # judged by access.examiner_report_actions).
    access_kind = RecordKind.EXAMINER_COMMENT

    @property
    def access_enrolment_id(self) -> int:
        return self.submission.enrolment_id

    @property
    def access_date(self) -> datetime.date:
        return self.submission.dated_on


class ExaminerCommentRevision(models.Model):
    """A comment's text as saved, version by version: never changed or deleted."""

    comment = models.ForeignKey(ExaminerComment, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["comment", "number"]
        constraints = [models.UniqueConstraint(fields=["comment", "number"], name="examiner_revision_once")]

    def __str__(self) -> str:
        return f"Version {self.number} of {self.comment}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A saved version is never altered; save another version instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A saved version is never deleted.")
