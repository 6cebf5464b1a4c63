"""Assessment tasks set per cohort and phase, and extensions granted to one participant.

Whether a task is open, late or closed on a day is decided only by `assessment.rules.deadlines`."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from assessment.rules.deadlines import DEFAULT_RESUBMISSION_WEEKS, RESUBMISSION_WEEKS_MAX
from programme.models import Cohort, ContentArea, Enrolment, Phase
from ui.limits import RICH_TEXT_MAX, SHORT_TEXT_MAX

from .rubrics import Rubric

_PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class AssessmentTask(models.Model):
    class Kind(models.TextChoices):
        CORE = "core", "Core"
        SPECIALIST = "specialist", "Specialist"

    class SecondMarking(models.TextChoices):
        ALL = "all", "Every submission"
        SAMPLE = "sample", "A sample, plus the cases ticked below"
        BY_HAND = "by_hand", "Chosen by hand"

    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="assessment_tasks")
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="assessment_tasks")
    title = models.CharField(max_length=200)
    brief = models.TextField(blank=True, max_length=RICH_TEXT_MAX, help_text="Sanitised HTML, see coaching.richtext.")
    content_areas = models.ManyToManyField(ContentArea, blank=True, related_name="assessment_tasks")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORE)
    credits = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    word_limit = models.PositiveIntegerField(
        "word guidance", null=True, blank=True, help_text="The number of words expected. Leave empty for none."
    )
    opens_on = models.DateField("opens for submission on")
    due_on = models.DateField("due on")
    late_cutoff_on = models.DateField(
        "late submissions accepted until", help_text="Work submitted after the due date and up to this day is late."
    )
    marks_due_on = models.DateField("marks due back on")
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="tasks")

    # Which submissions are second-marked (read by the marking engineer's sampling rule).
    second_marking = models.CharField(max_length=20, choices=SecondMarking.choices, default=SecondMarking.SAMPLE)
    sample_percent = models.PositiveSmallIntegerField(default=10, validators=_PERCENT)
    sample_min = models.PositiveSmallIntegerField(default=1)
    sample_max = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Leave empty for no maximum.")
    sample_sqrt = models.BooleanField("sample the square root of the number submitted", default=False)
    include_fails = models.BooleanField("also every fail", default=True)
    include_borderline = models.BooleanField("also every borderline mark", default=True)
    include_distinctions = models.BooleanField("also every distinction", default=True)
    borderline_from = models.PositiveSmallIntegerField(default=45, validators=_PERCENT)
    borderline_to = models.PositiveSmallIntegerField(default=49, validators=_PERCENT)
    blind_second_marking = models.BooleanField(
        "second marker marks blind", default=True, help_text="Ticked: the second marker does not see the first marks."
    )
    reconcile_threshold = models.PositiveSmallIntegerField(
        default=10, validators=_PERCENT, help_text="First and second marks further apart than this must be reconciled."
    )
    resubmission_cap = models.PositiveSmallIntegerField(
        default=50, validators=_PERCENT, help_text="The highest mark a resubmission can receive."
    )
    resubmission_weeks = models.PositiveSmallIntegerField(
        "weeks to resubmit",
        default=DEFAULT_RESUBMISSION_WEEKS,
        validators=[MinValueValidator(1), MaxValueValidator(RESUBMISSION_WEEKS_MAX)],
        help_text="After a referral is released, how many weeks the participant has to resubmit.",
    )
    release_on = models.DateField("results released on", null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cohort", "phase__number", "due_on", "pk"]
        indexes = [models.Index(fields=["cohort", "phase"])]

    def __str__(self) -> str:
        return self.title


class Extension(models.Model):
    """A new due date for one participant on one task: a date, never an offset."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="extensions")
    task = models.ForeignKey(AssessmentTask, on_delete=models.CASCADE, related_name="extensions")
    due_on = models.DateField("new due date")
    reason = models.TextField(max_length=SHORT_TEXT_MAX)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrolment", "task"], name="extension_once_per_task")]

    def __str__(self) -> str:
        return f"Extension to {self.due_on:%d/%m/%Y}"
