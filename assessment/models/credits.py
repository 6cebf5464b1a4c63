"""The credit ledger's own records: prior learning claimed (APL, Q20) and phases the tutor confirmed
complete. Credits from passed tasks are read from released marking (`assessment.selectors.credits`);
how much prior learning may count is `assessment.rules.credits`; the changes are made by
`assessment.services.credits` and `assessment.services.progression`."""

import datetime

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from portfolio.models import Evidence
from programme.access import RecordKind
from programme.models import Enrolment, Phase, PhaseChange
from ui.limits import NOTE_MAX, SHORT_TEXT_MAX


class PriorLearningClaim(models.Model):
    """Masters-level study done before the programme, claimed to count towards the award. It counts
    only once the participant's tutor approves it, on evidence of the study and of its earlier
    impact on pupils' outcomes (both portfolio evidence: a file, a link or something written)."""

    class Status(models.TextChoices):
        CLAIMED = "claimed", "Waiting for the tutor"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Not approved"

    class Level(models.IntegerChoices):
        MASTERS = 7, "Level 7 (masters)"
        DOCTORAL = 8, "Level 8 (doctoral)"

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="prior_learning_claims")
    studied = models.CharField("what you studied", max_length=200)
    institution = models.CharField(max_length=200)
    level = models.PositiveSmallIntegerField(choices=Level.choices, default=Level.MASTERS)
    credits = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    impact = models.TextField(
        "how it changed your pupils' outcomes",
        max_length=SHORT_TEXT_MAX,
        help_text="In a few sentences, what your enquiry and evidence show about the earlier impact on pupils.",
    )
    study_evidence = models.ManyToManyField(Evidence, related_name="+", verbose_name="evidence of the study")
    impact_evidence = models.ManyToManyField(
        Evidence, related_name="+", verbose_name="evidence of the impact on pupils' outcomes"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CLAIMED)
    claimed_on = models.DateField(default=timezone.localdate, help_text="The day the access policy judges it on.")
    tutor_note = models.TextField(blank=True, max_length=NOTE_MAX)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save; stops silent overwrites.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["enrolment", "claimed_on", "pk"]
        indexes = [models.Index(fields=["enrolment", "status"])]

    def __str__(self) -> str:
        return f"{self.studied}, {self.institution} ({self.credits} credits)"

    def get_absolute_url(self) -> str:
        return reverse("credits:claim_detail", kwargs={"pk": self.pk})

    @property
    def access_kind(self) -> RecordKind:
        if self.status == self.Status.CLAIMED:
            return RecordKind.PRIOR_LEARNING_CLAIMED
        return RecordKind.PRIOR_LEARNING_DECIDED

    @property
    def access_enrolment_id(self) -> int:
        return self.enrolment_id

    @property
    def access_date(self) -> datetime.date:
        return self.claimed_on


class PhaseCompletion(models.Model):
    """The tutor confirmed a phase complete, its core tasks passed. For phases 1 and 2 the
    participant moved on through `programme.services.phase_progress`, whose PhaseChange is kept
    here; the last phase has no phase after it."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="phase_completions")
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="+")
    phase_change = models.OneToOneField(
        PhaseChange, null=True, blank=True, on_delete=models.PROTECT, related_name="completion"
    )
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True, max_length=NOTE_MAX)

    class Meta:
        ordering = ["enrolment", "phase__number"]
        constraints = [models.UniqueConstraint(fields=["enrolment", "phase"], name="phase_complete_once")]

    def __str__(self) -> str:
        return f"Phase {self.phase.number} complete"


class LedgerRecord:
    """A participant's credit ledger seen as a record by the access policy: judged on today's
    relations, like the enrolment (the tutor today approves and confirms; the head today sees the
    credits)."""

    access_kind = RecordKind.CREDIT_LEDGER

    def __init__(self, enrolment: Enrolment):
        self.enrolment = enrolment

    @property
    def access_enrolment_id(self) -> int:
        return self.enrolment.pk

    @property
    def access_date(self) -> datetime.date:
        return timezone.localdate()
