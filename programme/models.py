"""The programme's structure (phases, content areas, standards), its places (schools, cohorts),
who is on it (enrolments), and who is where and when (date-bounded periods)."""

import calendar
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from accounts.roles import Role
from ui.limits import NOTE_MAX, SHORT_TEXT_MAX

# --- The programme's structure, seeded by a data migration and editable by programme leaders.


class Phase(models.Model):
    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=200)
    summary = models.TextField(blank=True, max_length=NOTE_MAX)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"Phase {self.number}: {self.name}"


class ContentArea(ClusterableModel):
    number = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=60)
    summary = models.TextField(blank=True, max_length=NOTE_MAX)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return self.label_of(self.number, self.short_name)

    @staticmethod
    def label_of(number: int, short_name: str) -> str:
        """How pages name a content area (also for lists that read the two columns alone)."""
        return f"{number}. {short_name}"


class Topic(models.Model):
    content_area = ParentalKey(ContentArea, on_delete=models.CASCADE, related_name="topics")
    name = models.CharField(max_length=200)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["content_area__number", "sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["content_area", "name"], name="unique_topic_per_area")]

    def __str__(self) -> str:
        return self.name


class StandardFramework(ClusterableModel):
    """A set of professional standards. More than one may be in use at once."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40)
    published = models.PositiveSmallIntegerField(help_text="Year of publication.")
    is_active = models.BooleanField(default=True, help_text="Offered when tagging new records.")

    class Meta:
        ordering = ["-is_active", "-published"]

    def __str__(self) -> str:
        return self.name


class Standard(models.Model):
    framework = ParentalKey(StandardFramework, on_delete=models.CASCADE, related_name="standards")
    part = models.CharField(max_length=100, blank=True)
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=300)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "sort_order"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="unique_standard_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


# --- Places.


class Region(models.TextChoices):
    NORTH_EAST = "north_east", "North East"
    NORTH_WEST = "north_west", "North West"
    YORKSHIRE = "yorkshire", "Yorkshire and the Humber"
    EAST_MIDLANDS = "east_midlands", "East Midlands"
    WEST_MIDLANDS = "west_midlands", "West Midlands"
    EAST = "east", "East of England"
    LONDON = "london", "London"
    SOUTH_EAST = "south_east", "South East"
    SOUTH_WEST = "south_west", "South West"


class SchoolPhase(models.TextChoices):
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary"
    ALL_THROUGH = "all_through", "All-through"
    SPECIAL = "special", "Special"
    PRU = "pru", "Pupil referral unit"


class ChallengeCategory(models.Model):
    """A category of school facing challenge that a cohort's eligibility may name."""

    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "challenge categories"

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    name = models.CharField(max_length=200)
    urn = models.CharField(
        "unique reference number",
        max_length=7,
        unique=True,
        validators=[RegexValidator(r"^\d{6,7}$", "A unique reference number is 6 or 7 digits.")],
    )
    region = models.CharField(max_length=20, choices=Region.choices)
    phase_of_education = models.CharField(max_length=20, choices=SchoolPhase.choices)
    challenge_categories = models.ManyToManyField(ChallengeCategory, blank=True)
    fsm_percent = models.DecimalField(
        "pupils eligible for free school meals (%)",
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    # Lets an edit opened before someone else's save be refused (programme.admin.concurrency).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Cohort(ClusterableModel):
    # Clusterable so its eligibility rules are edited, and saved, with it on one page.
    name = models.CharField(max_length=200, unique=True)
    academic_year = models.PositiveSmallIntegerField(
        help_text="The calendar year the cohort's academic year starts in, e.g. 2026 for 2026/27."
    )
    opens_on = models.DateField(help_text="The first day enrolments may start.")
    # Lets an edit opened before someone else's save be refused (programme.admin.concurrency).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-academic_year", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def academic_year_label(self) -> str:
        return f"{self.academic_year}/{(self.academic_year + 1) % 100:02d}"


class Post(models.TextChoices):
    """The participant's post, which some cohorts' eligibility rules look at."""

    CLASS_TEACHER = "class_teacher", "Class teacher"
    NEW_HEAD_OF_DEPARTMENT = "new_head_of_department", "Newly recruited head of department"
    OTHER_MIDDLE_LEADER = "other_middle_leader", "Other middle leader"


class EligibilityRule(models.Model):
    """One condition a participant must meet to join a cohort. See programme.rules.eligibility."""

    class Kind(models.TextChoices):
        QTS_YEAR_IN = "qts_year_in", "Year QTS was gained is one of"
        REGION_IN = "region_in", "School's region is one of"
        SCHOOL_CATEGORY_IN = "school_category_in", "School is in one of these challenge categories"
        FSM_AT_LEAST = "fsm_at_least", "School's free school meals share is at least (%)"
        POST_IN = "post_in", "Participant's post is one of"

    cohort = ParentalKey(Cohort, on_delete=models.CASCADE, related_name="eligibility_rules")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    value = models.CharField(
        max_length=500,
        help_text="Comma-separated values: years (2025,2026), region or post codes, category names, or a percentage.",
    )

    class Meta:
        ordering = ["cohort", "kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"

    def values(self) -> list[str]:
        return [part.strip() for part in self.value.split(",") if part.strip()]


class Enrolment(models.Model):
    """A participant's place on the programme, in one cohort."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        INTERRUPTED = "interrupted", "Interrupted"
        WITHDRAWN = "withdrawn", "Withdrawn"
        COMPLETED = "completed", "Completed"

    participant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrolments")
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="enrolments")
    qts_awarded_on = models.DateField("qualified teacher status gained on")
    first_post_started_on = models.DateField("first teaching post started on")
    programme_started_on = models.DateField("started the programme on")
    post = models.CharField(max_length=30, choices=Post.choices, default=Post.CLASS_TEACHER)
    current_phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    # The day it was last withdrawn or completed (services.enrolment_status_change); empty while active
    # or interrupted. The retention period runs from it (programme.rules.retention).
    ended_on = models.DateField("withdrew or completed on", null=True, blank=True)
    # Set when the start was more than 30 days before the enrolment was made (programme.rules.timing).
    backdated_reason = models.TextField(
        "why the start is backdated",
        blank=True,
        max_length=SHORT_TEXT_MAX,
        help_text="Needed when the programme started more than 30 days before today. Kept in the enrolment's history.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["participant__last_name", "participant__first_name"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "cohort"], name="one_enrolment_per_cohort"),
            # services.enrolment_create checks first, for the message; this catches two leaders at once.
            models.UniqueConstraint(
                fields=["participant"], condition=Q(status="active"), name="one_active_enrolment_per_participant"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} ({self.cohort})"

    @property
    def is_backdated(self) -> bool:
        return bool(self.backdated_reason)


class PhaseChange(models.Model):
    """A participant moved on to the next phase: who decided, when, and why. Never edited."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="phase_changes")
    from_phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="+")
    to_phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True, max_length=NOTE_MAX)

    class Meta:
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.enrolment.participant}: phase {self.from_phase.number} to {self.to_phase.number}"


# --- Who is where, and when. A period is never overwritten: a change closes one and opens the next.


class PeriodQuerySet(models.QuerySet):
    def covering(self, day: datetime.date):
        return self.filter(Q(starts_on__lte=day), Q(ends_on__isnull=True) | Q(ends_on__gte=day))

    def current(self):
        from django.utils import timezone

        return self.covering(timezone.localdate())


class Period(models.Model):
    """Inclusive dates; an open end means 'until further notice'."""

    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PeriodQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="%(app_label)s_%(class)s_ends_after_start",
            )
        ]

    def covers(self, day: datetime.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class SchoolPlacement(Period):
    """The participant is at this school for these dates."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="school_placements")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="placements")

    def __str__(self) -> str:
        return f"{self.enrolment.participant} at {self.school} from {self.starts_on:%d/%m/%Y}"


class CoachAssignment(Period):
    """This coach coaches the participant for these dates."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="coach_assignments")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coach_assignments")
    partner_school = models.ForeignKey(
        School,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Set only when the coach works at a partner school rather than the participant's own.",
    )

    def __str__(self) -> str:
        return f"{self.coach} coaching {self.enrolment.participant} from {self.starts_on:%d/%m/%Y}"


class TutorAssignment(Period):
    """This HEI tutor assesses the participant for these dates."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="tutor_assignments")
    tutor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tutor_assignments")

    def __str__(self) -> str:
        return f"{self.tutor} tutoring {self.enrolment.participant} from {self.starts_on:%d/%m/%Y}"


class StaffMembership(Period):
    """A member of staff belongs to a school, in a role, for these dates."""

    class StaffRole(models.TextChoices):
        COACH = Role.COACH.value, "In-school coach"
        HEAD = Role.HEAD.value, "Headteacher"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_memberships")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="staff_memberships")
    role = models.CharField(max_length=20, choices=StaffRole.choices)
    # Lets an edit opened before someone else's save be refused (programme.admin.concurrency).
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user}, {self.get_role_display()} at {self.school} from {self.starts_on:%d/%m/%Y}"


# --- The provider's settings, edited in the CMS under Settings.

from wagtail.contrib.settings.models import BaseGenericSetting, register_setting  # noqa: E402


@register_setting(icon="cog")
class ProgrammeSettings(BaseGenericSetting):
    total_credits = models.PositiveSmallIntegerField(default=180, help_text="Credits for the full masters award.")
    pass_mark = models.PositiveSmallIntegerField(
        default=50, validators=[MaxValueValidator(100)], help_text="The lowest passing mark, out of 100."
    )
    max_prior_learning_credits = models.PositiveSmallIntegerField(
        default=30, help_text="The most credits that prior masters-level study may earn."
    )
    summer_term_starts_month = models.PositiveSmallIntegerField(
        default=4, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    summer_term_starts_day = models.PositiveSmallIntegerField(
        default=15, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    # When the head's and programme leader's dashboards count a participant as at risk (tracking.risks).
    risk_weeks_without_session = models.PositiveSmallIntegerField(
        "weeks without an agreed coaching session",
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text="A participant with no agreed coaching session for this many weeks shows as at risk.",
    )
    risk_months_before_limit = models.PositiveSmallIntegerField(
        "months before the latest start or the five-year limit",
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
        help_text=(
            "A participant whose latest start (not yet begun) or completion deadline is this many months away "
            "or less shows as at risk."
        ),
    )

    # How long a former participant's personal data is kept (privacy.erasure, programme.rules.retention).
    retention_years = models.PositiveSmallIntegerField(
        "years personal data is kept after a participant leaves",
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=(
            "After a participant withdraws or completes, their names, written records and files are erased once "
            "this many years have passed. Results, credits and the award are kept. Six years is the time within "
            "which a claim about the programme could be brought."
        ),
    )

    class Meta:
        verbose_name = "programme settings"

    def clean(self):
        super().clean()
        month, day = self.summer_term_starts_month, self.summer_term_starts_day
        if month is None or day is None or not 1 <= month <= 12 or day < 1:
            return  # the fields' own validators say what is wrong
        # A year without 29 February: the summer term must start on a day every year has.
        days_in_month = calendar.monthrange(2001, month)[1]
        if day > days_in_month:
            name = calendar.month_name[month]
            leap = " (29 February is not in every year)" if month == 2 else ""
            raise ValidationError(
                {
                    "summer_term_starts_day": (
                        f"{name} has {days_in_month} days{leap}, so the summer term cannot start on "
                        f"{day} {name}. Enter a day from 1 to {days_in_month}."
                    )
                }
            )
