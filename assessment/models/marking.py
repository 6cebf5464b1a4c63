"""Marking: a marker's judgement of one submission against the task's rubric, criterion by
criterion, with the records each judgement rests on (citations) and every change recorded.

The workflow's states and who moves them are `assessment.workflow`; how marks are worked out is
`assessment.rules.marks`; changes are made only by `assessment.services.marking`. Until a result is
released it is `MARKS_UNRELEASED` to the access policy (the tutor writes, the leader reads; the
participant, coach and head see nothing); once released it is `MARKS_RELEASED`, and changes only by
a recorded amendment.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from assessment.rules.marks import Outcome
from assessment.workflow import State
from coaching.models import ActionStep, DialogueLogVersion
from portfolio.models import Enquiry
from programme.access import RecordKind
from ui.limits import NOTE_MAX, SHORT_TEXT_MAX

from .rubrics import Criterion, GradeBand, Rubric
from .submissions import Submission, SubmissionItem

_MARK = [MinValueValidator(0), MaxValueValidator(100)]
FEEDBACK_MAX = NOTE_MAX


class Marking(models.Model):
    class Role(models.TextChoices):
        FIRST = "first", "First marking"
        SECOND = "second", "Second marking"
        THIRD = "third", "Third marking"
        AGREED = "agreed", "Agreed marks"

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="markings")
    marker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.FIRST)
    state = models.CharField(max_length=20, choices=State.choices, default=State.NOT_MARKED)
    # The task's rubric when marking started: a later version of the rubric does not touch it.
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="markings")
    overall_mark = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=_MARK, help_text="From the criterion marks, by assessment.rules.marks."
    )
    adjusted_mark = models.PositiveSmallIntegerField(null=True, blank=True, validators=_MARK)
    adjustment_reason = models.TextField(blank=True, max_length=SHORT_TEXT_MAX)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    resubmission_cap = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=_MARK,
        help_text="For a resubmission, the task's cap when marking started: the highest mark it can be awarded.",
    )
    feed_forward = models.TextField(
        blank=True, max_length=FEEDBACK_MAX, help_text="What to take into the next phase's work."
    )
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save; stops silent overwrites.")
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The first time the marker finished marking it (the workflow's "complete"): a tutor's
    # turnaround counts from the work's submission to here, so reopening it later does not move it.
    marked_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    # Set once the participant has been told of the release (the email goes once).
    release_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submission", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "role"], name="one_marking_per_role"),
            models.CheckConstraint(
                condition=Q(adjusted_mark__isnull=True) | ~Q(adjustment_reason=""), name="adjustment_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["state"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()} of {self.submission}"

    @property
    def uncapped_mark(self) -> int | None:
        """The marker's mark before any cap: the adjusted mark if there is one."""
        return self.adjusted_mark if self.adjusted_mark is not None else self.overall_mark

    @property
    def cap(self) -> int | None:
        """The highest mark this work can be awarded: the cap recorded when marking started, or for a
        resubmission's marking made without one (a second or agreed marking), its task's cap."""
        if self.resubmission_cap is not None:
            return self.resubmission_cap
        return self.submission.task.resubmission_cap if self.submission.is_resubmission else None

    @property
    def mark(self) -> int | None:
        """The mark awarded: the uncapped mark, at most the cap for a resubmission."""
        from assessment.rules.marks import capped

        found = self.uncapped_mark
        if found is None:
            return None
        cap = self.cap
        return capped(found, is_resubmission=cap is not None, cap=cap if cap is not None else 100)

    @property
    def is_capped(self) -> bool:
        """Whether the cap took marks off."""
        found = self.uncapped_mark
        return found is not None and self.mark != found

    @property
    def is_released(self) -> bool:
        return self.state == State.RELEASED

    @property
    def access_kind(self) -> RecordKind:
        # A second or third marker's marks are never released as such: the agreed result is.
        if self.role in (self.Role.SECOND, self.Role.THIRD):
            return RecordKind.SECOND_MARKS
        return RecordKind.MARKS_RELEASED if self.is_released else RecordKind.MARKS_UNRELEASED

    @property
    def access_enrolment_id(self) -> int:
        return self.submission.enrolment_id

    @property
    def access_date(self) -> datetime.date:
        return self.submission.dated_on


class _PartOfMarking:
    """A part of a marking carries its marking's kind, participant and date for the access policy."""

    def _marking(self) -> Marking:
        raise NotImplementedError

    @property
    def access_kind(self) -> RecordKind:
        return self._marking().access_kind

    @property
    def access_enrolment_id(self) -> int:
        return self._marking().access_enrolment_id

    @property
    def access_date(self) -> datetime.date:
        return self._marking().access_date


class CriterionMark(_PartOfMarking, models.Model):
    """The judgement on one criterion: a mark (its band follows from it) and feedback written as an
    assessor writes one, strengths first, then areas for development."""

    marking = models.ForeignKey(Marking, on_delete=models.CASCADE, related_name="criterion_marks")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    band = models.ForeignKey(GradeBand, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    mark = models.PositiveSmallIntegerField(null=True, blank=True, validators=_MARK)
    strengths = models.TextField(blank=True, max_length=FEEDBACK_MAX)
    development = models.TextField("areas for development", blank=True, max_length=FEEDBACK_MAX)

    class Meta:
        ordering = ["marking", "criterion__sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["marking", "criterion"], name="one_mark_per_criterion")]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.mark if self.mark is not None else 'not marked'}"

    def _marking(self) -> Marking:
        return self.marking


class Citation(_PartOfMarking, models.Model):
    """A record a criterion's judgement rests on: exactly one of an agreed dialogue log at the
    version cited, an action step, an item of the submission, a section of an enquiry, or a passage
    of the submission's commentary. `text` is what the record said when it was cited, kept as plain
    text, so a later version of the record changes nothing the participant is shown."""

    class Kind(models.TextChoices):
        LOG = "log", "Agreed coaching session"
        ACTION_STEP = "action_step", "Action step"
        ITEM = "item", "Submitted item"
        ENQUIRY_SECTION = "enquiry_section", "Enquiry section"
        PASSAGE = "passage", "Passage of the commentary"

    criterion_mark = models.ForeignKey(CriterionMark, on_delete=models.CASCADE, related_name="citations")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    log_version = models.ForeignKey(
        DialogueLogVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action_step = models.ForeignKey(ActionStep, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(SubmissionItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    enquiry = models.ForeignKey(Enquiry, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    section = models.CharField(max_length=20, blank=True)
    label = models.CharField(max_length=300, help_text="What the record was called when cited.")
    text = models.TextField(blank=True, help_text="What it said when cited, as plain text.")
    cited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["criterion_mark", "pk"]
        constraints = [
            models.CheckConstraint(
                name="citation_cites_exactly_one",
                condition=(
                    Q(
                        kind="log",
                        log_version__isnull=False,
                        action_step__isnull=True,
                        item__isnull=True,
                        enquiry__isnull=True,
                    )
                    | Q(
                        kind="action_step",
                        log_version__isnull=True,
                        action_step__isnull=False,
                        item__isnull=True,
                        enquiry__isnull=True,
                    )
                    | Q(
                        kind="item",
                        log_version__isnull=True,
                        action_step__isnull=True,
                        item__isnull=False,
                        enquiry__isnull=True,
                    )
                    | (
                        Q(
                            kind="enquiry_section",
                            log_version__isnull=True,
                            action_step__isnull=True,
                            item__isnull=True,
                            enquiry__isnull=False,
                        )
                        & ~Q(section="")
                    )
                    | (
                        Q(
                            kind="passage",
                            log_version__isnull=True,
                            action_step__isnull=True,
                            item__isnull=True,
                            enquiry__isnull=True,
                        )
                        & ~Q(text="")
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.label}"

    def _marking(self) -> Marking:
        return self.criterion_mark.marking

    @property
    def key(self) -> str:
        """How a form names the record cited (assessment.selectors.marking.Citable.key)."""
        match self.kind:
            case self.Kind.LOG:
                return f"log:{self.log_version_id}"
            case self.Kind.ACTION_STEP:
                return f"step:{self.action_step_id}"
            case self.Kind.ITEM:
                return f"item:{self.item_id}"
            case self.Kind.ENQUIRY_SECTION:
                return f"section:{self.enquiry_id}:{self.section}"
        return "passage"


class MarkChange(models.Model):
    """One change to a mark, an outcome or feedback: who, when, which, from what to what, and why.
    Never changed or deleted. After release every change is an amendment, and needs a reason."""

    marking = models.ForeignKey(Marking, on_delete=models.PROTECT, related_name="changes")
    criterion = models.ForeignKey(Criterion, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    field = models.CharField(max_length=40)
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)
    reason = models.TextField(blank=True, max_length=SHORT_TEXT_MAX)
    is_amendment = models.BooleanField(default=False, help_text="Made after the result was released.")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["marking", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.field} changed on {self.changed_at:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A recorded change is never altered; record another change instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A recorded change is never deleted.")


class CommentBankEntry(models.Model):
    """Feedback a tutor reuses, kept for that tutor alone."""

    tutor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_bank")
    title = models.CharField(max_length=100)
    text = models.TextField(max_length=SHORT_TEXT_MAX)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["tutor", "title"]
        verbose_name_plural = "comment bank entries"
        constraints = [models.UniqueConstraint(fields=["tutor", "title"], name="comment_title_once_per_tutor")]

    def __str__(self) -> str:
        return self.title
