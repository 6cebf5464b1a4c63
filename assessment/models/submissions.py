"""Submissions: what a participant hands in for an assessment task, frozen when they submit.

A draft names the portfolio records and agreed dialogue logs the participant chose (one
SubmissionItem each, pointing at its source). Submitting copies each one's content into its item
(the HTML as it was, the log's version number) and each evidence file into a SubmittedFile of its
own with its SHA-256, so nothing done to the portfolio afterwards changes what was submitted.
Whether a task is open, late or closed is `assessment.rules.deadlines`; the changes are made by
`assessment.services.submissions`.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from coaching.models import DialogueLog, DialogueLogVersion
from files.models import PrivateFile
from files.registry import downloadable
from portfolio.models import Enquiry, Evidence, EvidenceFile, Reflection
from programme.access import RecordKind
from programme.models import Enrolment
from ui.limits import RICH_TEXT_MAX

from .tasks import AssessmentTask


class Submission(models.Model):
    """One attempt at a task by one participant: a draft, then submitted (frozen), perhaps withdrawn
    before the due date in favour of the next attempt."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        WITHDRAWN = "withdrawn", "Withdrawn"

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="submissions")
    task = models.ForeignKey(AssessmentTask, on_delete=models.PROTECT, related_name="submissions")
    attempt = models.PositiveSmallIntegerField(default=1)
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_attempts",
        help_text="The attempt this one follows.",
    )
    is_resubmission = models.BooleanField(default=False, help_text="Made after the work was referred.")
    resubmission_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resubmissions",
        help_text="For a resubmission (every attempt at it), the referred work it answers.",
    )
    resubmission_due_on = models.DateField(
        null=True,
        blank=True,
        help_text="A resubmission's own due date (assessment.rules.deadlines), fixed when it is started.",
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    commentary = models.TextField(
        blank=True, max_length=RICH_TEXT_MAX, help_text="Sanitised HTML, see coaching.richtext."
    )
    word_count = models.PositiveIntegerField(default=0, help_text="Of the commentary, counted by the server.")
    dated_on = models.DateField(
        default=timezone.localdate, help_text="The day the access policy judges it on: made, then submitted."
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    is_late = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save; stops silent overwrites.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["task", "enrolment", "-attempt"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "task", "attempt"], name="submission_attempt_once"),
            models.UniqueConstraint(
                fields=["enrolment", "task"], condition=Q(state="draft"), name="one_draft_submission_per_task"
            ),
        ]
        indexes = [models.Index(fields=["state", "dated_on"])]

    def __str__(self) -> str:
        return f"{self.task}, attempt {self.attempt}"

    def get_absolute_url(self) -> str:
        return reverse("assessment:submission_detail", kwargs={"pk": self.pk})

    @property
    def access_kind(self) -> RecordKind:
        return RecordKind.SUBMISSION_DRAFT if self.state == self.State.DRAFT else RecordKind.SUBMISSION

    @property
    def access_enrolment_id(self) -> int:
        return self.enrolment_id

    @property
    def access_date(self) -> datetime.date:
        return self.dated_on

    @property
    def is_frozen(self) -> bool:
        return self.state != self.State.DRAFT


class SubmissionItem(models.Model):
    """One record chosen for a submission. In a draft only its source is set; submitting copies the
    source's content here, so the item says what was submitted whatever happens to the source
    (which is set to null if it is deleted)."""

    class Kind(models.TextChoices):
        EVIDENCE = "evidence", "Evidence"
        REFLECTION = "reflection", "Reflection"
        ENQUIRY_SECTION = "enquiry_section", "Enquiry section"
        DIALOGUE_LOG = "dialogue_log", "Agreed coaching session"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    evidence = models.ForeignKey(Evidence, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reflection = models.ForeignKey(Reflection, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    enquiry = models.ForeignKey(Enquiry, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    section = models.CharField(max_length=20, blank=True, help_text="The enquiry section, for an enquiry section.")
    log = models.ForeignKey(DialogueLog, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    log_version = models.ForeignKey(
        DialogueLogVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_version = models.PositiveIntegerField(
        null=True, blank=True, help_text="The source's version counter (a log's agreed version) when submitted."
    )
    title = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True, help_text="The source's HTML as it was when submitted.")
    meta = models.JSONField(default=dict, blank=True, help_text="Dates, tags, the log's version, the files.")
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["submission", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

    @property
    def dated(self) -> datetime.date | None:
        """The date the record was about (a session, a piece of evidence), as frozen."""
        day = self.meta.get("date")
        return datetime.date.fromisoformat(day) if day else None

    # Part of its submission for access.
    @property
    def access_kind(self) -> RecordKind:
        return self.submission.access_kind

    @property
    def access_enrolment_id(self) -> int:
        return self.submission.enrolment_id

    @property
    def access_date(self) -> datetime.date:
        return self.submission.dated_on


@downloadable("submitted-file", related=("item__submission",))
class SubmittedFile(PrivateFile):
    """A copy, made when the work was submitted, of an evidence file: its own bytes in private
    storage with their SHA-256, so replacing or deleting the evidence's file changes nothing here."""

    accepts = ("document", "image", "audio", "video")

    item = models.ForeignKey(SubmissionItem, on_delete=models.PROTECT, related_name="files")
    sha256 = models.CharField("SHA-256", max_length=64)
    source = models.ForeignKey(
        EvidenceFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="The file copied."
    )

    class Meta:
        ordering = ["item", "pk"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A submitted file is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A submitted file is never deleted.")

    @property
    def access_kind(self) -> RecordKind:
        return self.item.submission.access_kind

    @property
    def access_enrolment_id(self) -> int:
        return self.item.submission.enrolment_id

    @property
    def access_date(self) -> datetime.date:
        return self.item.submission.dated_on
