"""Moderation: the programme leader's confirmed choice of a task's submissions to second-mark, and
for each chosen submission who second-marks it (and, where the two markers cannot agree, who
third-marks it), the notes the markers record and the mark that stands.

Which submissions are suggested is `assessment.rules.sampling`; whether two marks must be
reconciled is `assessment.rules.moderation`; changes are made only by
`assessment.services.moderation`. To the access policy a moderation and its notes are
`MODERATION_RECORD`: the participant, their coach and head never see them."""

import datetime

from django.conf import settings
from django.db import models

from programme.access import RecordKind
from ui.limits import NOTE_MAX

from .marking import Marking
from .submissions import Submission
from .tasks import AssessmentTask


class ModerationSample(models.Model):
    """The leader's confirmed selection for one task: who confirmed it and when. Once confirmed, the
    chosen submissions are second-marked and the rest go forward for release."""

    task = models.OneToOneField(AssessmentTask, on_delete=models.PROTECT, related_name="moderation_sample")
    seed = models.CharField(max_length=60, help_text="What fixed the suggested sample's order.")
    considered = models.PositiveIntegerField(help_text="How many marked submissions the selection looked at.")
    removed_by_hand = models.JSONField(
        default=list, blank=True, help_text="Submissions the rule suggested that the leader took out."
    )
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Second marking of {self.task}"


class Moderation(models.Model):
    """One submission chosen for second marking, from the choice to the mark that stands."""

    class Stage(models.TextChoices):
        SECOND_MARKING = "second_marking", "Being second-marked"
        RECONCILING = "reconciling", "The markers are agreeing a mark"
        THIRD_MARKING = "third_marking", "With a third marker"
        SETTLED = "settled", "Settled"

    class Settled(models.TextChoices):
        FIRST_STANDS = "first_stands", "The first mark stands"
        AGREED = "agreed", "The markers agreed a mark"
        THIRD_MARKER = "third_marker", "The third marker decided"

    sample = models.ForeignKey(ModerationSample, on_delete=models.PROTECT, related_name="moderations")
    submission = models.OneToOneField(Submission, on_delete=models.PROTECT, related_name="moderation")
    reasons = models.JSONField(default=list, help_text="Why it was chosen: assessment.rules.sampling.Reason values.")
    second_marker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    third_marker = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.SECOND_MARKING)
    settled = models.CharField(max_length=20, choices=Settled.choices, blank=True)
    mark = models.PositiveSmallIntegerField(null=True, blank=True, help_text="The mark that stands, once settled.")
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save; stops silent overwrites.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["sample", "pk"]
        indexes = [models.Index(fields=["second_marker", "stage"]), models.Index(fields=["third_marker", "stage"])]

    def __str__(self) -> str:
        return f"Moderation of {self.submission}"

    access_kind = RecordKind.MODERATION_RECORD

    @property
    def access_enrolment_id(self) -> int:
        return self.submission.enrolment_id

    @property
    def access_date(self) -> datetime.date:
        return self.submission.dated_on

    @property
    def is_settled(self) -> bool:
        return self.stage == self.Stage.SETTLED


class ModerationNote(models.Model):
    """One entry of the moderation record, in order: never changed or deleted."""

    class Kind(models.TextChoices):
        CHOSEN = "chosen", "Chosen for second marking"
        SECOND_MARKED = "second_marked", "Second marking complete"
        FIRST_STANDS = "first_stands", "The first mark stands"
        TO_RECONCILE = "to_reconcile", "The marks must be reconciled"
        AGREED = "agreed", "Agreed mark"
        NOT_AGREED = "not_agreed", "The markers could not agree"
        THIRD_ASSIGNED = "third_assigned", "Third marker assigned"
        THIRD_DECISION = "third_decision", "Third marker's decision"
        NOTE = "note", "Note"

    moderation = models.ForeignKey(Moderation, on_delete=models.PROTECT, related_name="notes")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    mark = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True, max_length=NOTE_MAX)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["moderation", "created_at", "pk"]

    def __str__(self) -> str:
        return self.get_kind_display()

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A moderation note is never altered; record another note instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A moderation note is never deleted.")

    access_kind = RecordKind.MODERATION_RECORD

    @property
    def access_enrolment_id(self) -> int:
        return self.moderation.submission.enrolment_id

    @property
    def access_date(self) -> datetime.date:
        return self.moderation.submission.dated_on


MARKER_ROLES = (Marking.Role.SECOND, Marking.Role.THIRD)
