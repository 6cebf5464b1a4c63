"""Coaching records (programme Q9 a-h): the initial diagnosis and the learning plan it produces,
dialogue logs of coaching sessions agreed by coach and participant, the action steps agreed in
them, the learning opportunities the coach arranges, and the coach's private notes.

Every record implements programme.access.Protected, so the access policy decides who sees it.
Writes go through coaching.services; nothing here decides a workflow.

Agreed logs are never changed in place. Each agreed state of a log is kept as an immutable
DialogueLogVersion (number 1 when both first agree; a further number each time the coach changes
the agreed log, with who, when and why). The DialogueLog row always holds the latest version.
"""

import datetime

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.utils import timezone

from files.models import PrivateFile
from files.registry import downloadable
from programme.access import RecordKind
from programme.models import ContentArea, Enrolment, Phase, Standard, Topic
from ui.limits import NOTE_MAX, RICH_TEXT_MAX, SHORT_TEXT_MAX


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_PARTICIPANT = "awaiting_participant", "Waiting for the participant to agree"
    AGREED = "agreed", "Agreed"


def log_kind_for(status: str) -> RecordKind:
    if status == AgreementStatus.AGREED:
        return RecordKind.DIALOGUE_LOG_AGREED
    return RecordKind.DIALOGUE_LOG_DRAFT


def action_step_kind_for(log_status: str) -> RecordKind:
    """An action step is agreed with its log."""
    if log_status == AgreementStatus.AGREED:
        return RecordKind.ACTION_STEP_AGREED
    return RecordKind.ACTION_STEP_DRAFT


def step_is_overdue(status: str, due_on: datetime.date, today: datetime.date) -> bool:
    """An action step is overdue while open after its due date."""
    return status == ActionStep.Status.OPEN and due_on < today


def diagnosis_kind_for(status: str) -> RecordKind:
    if status == AgreementStatus.AGREED:
        return RecordKind.DIAGNOSIS_AGREED
    return RecordKind.DIAGNOSIS_DRAFT


# --- Initial diagnosis and learning plan (Q9 a).


class InitialDiagnosis(models.Model):
    """Where phase 1 starts: the participant's needs by content area and standard, drawing on
    induction and performance-management outcomes, agreed by coach and participant.

    Access (programme.access, DIAGNOSIS_*): a draft is the coach's and the participant's; once
    agreed, the tutor reads it too, and a head or programme leader its date and content areas."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="initial_diagnosis")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField("date of the diagnosis meeting")
    induction_outcomes = models.TextField("what induction showed", blank=True, max_length=NOTE_MAX)
    performance_management_outcomes = models.TextField(
        "what performance management showed", blank=True, max_length=NOTE_MAX
    )
    summary = models.TextField("summary of needs", blank=True, max_length=NOTE_MAX)
    status = models.CharField(max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT)
    coach_agreed_at = models.DateTimeField(null=True, blank=True)
    participant_agreed_at = models.DateTimeField(null=True, blank=True)
    change_request = models.TextField("the participant's request for a change", blank=True, max_length=SHORT_TEXT_MAX)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save; stops silent overwrites.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "initial diagnoses"

    def __str__(self) -> str:
        return f"Initial diagnosis for {self.enrolment.participant}"

    @property
    def access_kind(self) -> RecordKind:
        return diagnosis_kind_for(self.status)

    @property
    def access_enrolment_id(self) -> int:
        return self.enrolment_id

    @property
    def access_date(self) -> datetime.date:
        return self.held_on


class DiagnosedNeed(models.Model):
    diagnosis = models.ForeignKey(InitialDiagnosis, on_delete=models.CASCADE, related_name="needs")
    content_area = models.ForeignKey(ContentArea, on_delete=models.PROTECT, related_name="+")
    standards = models.ManyToManyField(Standard, blank=True, related_name="+")
    description = models.TextField(max_length=SHORT_TEXT_MAX)

    class Meta:
        ordering = ["content_area__number", "pk"]

    def __str__(self) -> str:
        return f"{self.content_area}: {self.description[:60]}"


@downloadable("diagnosis-evidence", related=("diagnosis",))
class DiagnosisEvidence(PrivateFile):
    """A file attached to the initial diagnosis as evidence, by the coach or the participant.
    Whoever may read the diagnosis in full may download it; a head or programme leader, who sees
    only its date and areas, may not."""

    diagnosis = models.ForeignKey(InitialDiagnosis, on_delete=models.CASCADE, related_name="evidence")

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name_plural = "diagnosis evidence"

    @property
    def access_kind(self) -> RecordKind:
        return self.diagnosis.access_kind

    @property
    def access_enrolment_id(self) -> int:
        return self.diagnosis.enrolment_id

    @property
    def access_date(self) -> datetime.date:
        return self.diagnosis.held_on


class LearningPlan(models.Model):
    """The goals that came out of the initial diagnosis, revisited at the start of each phase."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="learning_plan")
    diagnosis = models.OneToOneField(InitialDiagnosis, on_delete=models.PROTECT, related_name="learning_plan")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Learning plan for {self.enrolment.participant}"

    @property
    def access_kind(self) -> RecordKind:
        return self.diagnosis.access_kind

    @property
    def access_enrolment_id(self) -> int:
        return self.enrolment_id

    @property
    def access_date(self) -> datetime.date:
        return self.diagnosis.held_on


class LearningGoal(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Working towards"
        MET = "met", "Met"
        REPLACED = "replaced", "Replaced"

    plan = models.ForeignKey(LearningPlan, on_delete=models.CASCADE, related_name="goals")
    content_area = models.ForeignKey(ContentArea, on_delete=models.PROTECT, related_name="+")
    goal = models.TextField(max_length=SHORT_TEXT_MAX)
    target_on = models.DateField("target date")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    added_in_review = models.ForeignKey(
        "LearningPlanReview", null=True, blank=True, on_delete=models.SET_NULL, related_name="goals_added"
    )

    class Meta:
        ordering = ["content_area__number", "target_on", "pk"]

    def __str__(self) -> str:
        return self.goal[:80]


class LearningPlanReview(models.Model):
    """The plan revisited at the start of a phase."""

    plan = models.ForeignKey(LearningPlan, on_delete=models.CASCADE, related_name="reviews")
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="+")
    reviewed_on = models.DateField()
    note = models.TextField(blank=True, max_length=NOTE_MAX)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["phase__number", "reviewed_on"]
        constraints = [models.UniqueConstraint(fields=["plan", "phase"], name="one_plan_review_per_phase")]

    def __str__(self) -> str:
        return f"{self.plan} reviewed at the start of {self.phase}"


# --- Dialogue logs (Q9 d-g).


class SessionKind(models.TextChoices):
    COACHING_CONVERSATION = "coaching_conversation", "Coaching conversation"
    LESSON_OBSERVATION = "lesson_observation", "Lesson observation and feedback"
    JOINT_PLANNING = "joint_planning", "Joint planning"
    COLLABORATIVE_LEARNING = (
        "collaborative_learning",
        "Collaborative learning with colleagues or the wider children's workforce",
    )
    THREE_WAY_REVIEW = "three_way_review", "Three-way review with the tutor"
    OTHER = "other", "Other"


class SessionSetting(models.TextChoices):
    OWN_SCHOOL = "own_school", "The participant's own school"
    PARTNER_SCHOOL = "partner_school", "A partner school"
    ELSEWHERE = "elsewhere", "Elsewhere"


class SessionRecord(models.Model):
    """What a dialogue log says about a session: declared once, for the log and for each of its agreed
    versions. The services' LogContent, the version snapshot, the log form and the test factory all
    read SessionRecord.FIELDS rather than listing the fields again."""

    session_on = models.DateField("date of the session")
    duration_minutes = models.PositiveIntegerField("length in minutes")
    kind = models.CharField("kind of session", max_length=30, choices=SessionKind.choices)
    setting = models.CharField("where it happened", max_length=20, choices=SessionSetting.choices)
    focus = models.CharField(max_length=300, blank=True)
    # The record of the dialogue: sanitised HTML, see coaching.richtext.
    discussed = models.TextField("what was observed and discussed", blank=True, max_length=RICH_TEXT_MAX)
    strengths = models.TextField(blank=True, max_length=RICH_TEXT_MAX)
    pupil_outcomes = models.TextField("what pupils' outcomes show", blank=True, max_length=RICH_TEXT_MAX)
    evidence_considered = models.TextField(blank=True, max_length=RICH_TEXT_MAX)
    participant_reflection = models.TextField(blank=True, max_length=RICH_TEXT_MAX)
    next_session_on = models.DateField("date of the next session", null=True, blank=True)
    next_session_at = models.TimeField("time of the next session", null=True, blank=True)
    next_session_minutes = models.PositiveIntegerField("planned length of the next session", null=True, blank=True)

    # The rich-text record the coach writes, in the order a session is talked through.
    RECORD_FIELDS = ("discussed", "strengths", "pupil_outcomes", "evidence_considered")
    # What the coach writes: LogContent's fields and the log form's.
    CONTENT_FIELDS = (
        "session_on",
        "duration_minutes",
        "kind",
        "setting",
        "focus",
        *RECORD_FIELDS,
        "next_session_on",
        "next_session_at",
        "next_session_minutes",
    )
    # Everything an agreed version keeps: what the coach wrote and the participant's reflection.
    FIELDS = (*CONTENT_FIELDS, "participant_reflection")

    class Meta:
        abstract = True

    def record_values(self) -> dict:
        return {name: getattr(self, name) for name in self.FIELDS}


class LogAccess:
    """What the access policy reads of a dialogue log (its kind, participant and date), from its
    `status`, `enrolment_id` and `session_on`: the model's, and a log read as values
    (coaching.selectors) judged as the model without a model made per log."""

    status: str
    enrolment_id: int
    session_on: datetime.date

    @property
    def access_kind(self) -> RecordKind:
        return log_kind_for(self.status)

    @property
    def access_enrolment_id(self) -> int:
        return self.enrolment_id

    @property
    def access_date(self) -> datetime.date:
        return self.session_on

    @property
    def is_agreed(self) -> bool:
        return self.status == AgreementStatus.AGREED


class DialogueLog(LogAccess, SessionRecord):
    """The record of one coaching session, written by the coach and agreed by the participant."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="dialogue_logs")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    content_areas = models.ManyToManyField(ContentArea, blank=True, related_name="+")
    topics = models.ManyToManyField(Topic, blank=True, related_name="+")
    standards = models.ManyToManyField(Standard, blank=True, related_name="+")
    status = models.CharField(max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT)
    coach_agreed_at = models.DateTimeField(null=True, blank=True)
    participant_agreed_at = models.DateTimeField(null=True, blank=True)
    change_request = models.TextField("the participant's request for a change", blank=True, max_length=SHORT_TEXT_MAX)
    change_requested_at = models.DateTimeField(null=True, blank=True)
    agreed_version = models.PositiveIntegerField(default=0, help_text="The number of the latest agreed version.")
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save; stops silent overwrites.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The handbook's dialogue guide the session followed, if any: the thread from guide to log.
    guide = models.ForeignKey(
        "handbook.DialogueGuidePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dialogue_logs",
        verbose_name="dialogue guide used",
    )
    # The log's words for full-text search (portfolio.search; only agreed logs are searched). On
    # PostgreSQL a trigger keeps it current and a GIN index reads it (migration 0014); on SQLite it
    # stays empty.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-session_on", "-pk"]
        indexes = [
            models.Index(fields=["enrolment", "session_on"]),
            # Lists of agreed logs (a tutor's) count and sort them from the index alone.
            models.Index(fields=["enrolment", "status", "session_on"], name="log_by_enrolment_status"),
            # The few logs not agreed (drafts, awaiting the participant): an action step counts for
            # the at-risk reasons unless its log is one of these (tracking.risks), found without
            # reading every log.
            models.Index(fields=["id"], condition=~Q(status="agreed"), name="log_not_agreed"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gt=0), name="log_duration_positive"),
            models.CheckConstraint(
                condition=Q(next_session_on__isnull=True) | Q(next_session_on__gte=F("session_on")),
                name="log_next_session_after_session",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.session_on:%d/%m/%Y}"


class DialogueLogVersion(SessionRecord):
    """One agreed state of a log, kept for ever: what it said, who made it, when and why."""

    log = models.ForeignKey(DialogueLog, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    tags = models.JSONField(default=dict, help_text="Content areas, topics and standards, by id and label.")
    action_steps = models.JSONField(default=list, help_text="The action steps as agreed in this version.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField("why this version was made", max_length=SHORT_TEXT_MAX)

    class Meta:
        ordering = ["log", "-number"]
        constraints = [models.UniqueConstraint(fields=["log", "number"], name="unique_log_version_number")]

    def __str__(self) -> str:
        return f"Version {self.number} of {self.log}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A dialogue log version is never changed; record a new version instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("A dialogue log version is never deleted.")

    access_kind = RecordKind.DIALOGUE_LOG_AGREED

    @property
    def access_enrolment_id(self) -> int:
        return self.log.enrolment_id

    @property
    def access_date(self) -> datetime.date:
        return self.session_on


class ActionStep(models.Model):
    """Something agreed in a session, reviewed at the next one. Part of its log for access."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    log = models.ForeignKey(DialogueLog, on_delete=models.CASCADE, related_name="action_steps")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="action_steps")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    description = models.TextField(max_length=SHORT_TEXT_MAX)
    due_on = models.DateField("due date")
    success_criteria = models.TextField(blank=True, max_length=SHORT_TEXT_MAX)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closing_note = models.TextField(blank=True, max_length=SHORT_TEXT_MAX)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            # Open steps past their due date, by participant (tracking.risks, "action steps overdue"):
            # a few thousand of the provider's steps are open, the rest done.
            models.Index(fields=["enrolment", "due_on"], condition=Q(status="open"), name="open_step_by_enrolment_due"),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return step_is_overdue(self.status, self.due_on, today or timezone.localdate())

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    @property
    def access_kind(self) -> RecordKind:
        return action_step_kind_for(self.log.status)

    @property
    def access_owner_id(self) -> int:
        return self.owner_id

    @property
    def access_enrolment_id(self) -> int:
        return self.enrolment_id

    @property
    def access_date(self) -> datetime.date:
        return self.log.session_on


class LearningOpportunity(models.Model):
    """A learning opportunity the coach arranges (Q9 b, c); what was learned links to a log."""

    class Kind(models.TextChoices):
        OBSERVING = "observing", "Observing another teacher"
        OTHER_SCHOOL = "other_school", "Working with another school"
        WIDER_WORKFORCE = "wider_workforce", "Working with the wider children's workforce"
        OTHER = "other", "Other"

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="learning_opportunities")
    arranged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField(max_length=SHORT_TEXT_MAX)
    happens_on = models.DateField("date")
    what_was_learned = models.TextField(blank=True, max_length=NOTE_MAX)
    log = models.ForeignKey(
        DialogueLog, null=True, blank=True, on_delete=models.SET_NULL, related_name="learning_opportunities"
    )

    class Meta:
        ordering = ["-happens_on", "pk"]
        verbose_name_plural = "learning opportunities"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.happens_on:%d/%m/%Y}"

    @property
    def access_kind(self) -> RecordKind:
        # Shared once it is discussed in an agreed log; until then, between coach and participant.
        if self.log_id and self.log.is_agreed:
            return RecordKind.LEARNING_OPPORTUNITY_AGREED
        return RecordKind.LEARNING_OPPORTUNITY_ARRANGED

    @property
    def access_enrolment_id(self) -> int:
        return self.enrolment_id

    @property
    def access_date(self) -> datetime.date:
        return self.happens_on


class PrivateNote(models.Model):
    """The coach's own note on a session. Seen by its author alone; never exported or cited."""

    log = models.ForeignKey(DialogueLog, on_delete=models.CASCADE, related_name="private_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(max_length=NOTE_MAX)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["log", "author"], name="one_private_note_per_author")]

    def __str__(self) -> str:
        return f"Private note on {self.log}"

    access_kind = RecordKind.PRIVATE_NOTE

    @property
    def access_enrolment_id(self) -> int:
        return self.log.enrolment_id

    @property
    def access_date(self) -> datetime.date:
        return self.log.session_on

    @property
    def access_author_id(self) -> int:
        return self.author_id


# --- Scheduling and reminders.


class PlannedSession(models.Model):
    """The next session a log plans, as sent to both people's calendars. One per log, with a UID
    that never changes, so each calendar keeps one event and updates it; `sequence` rises with
    every change (a move, a new time, a cancellation), as iCalendar asks.

    Only the participant's latest plan stands: when a later log plans a session, the open planned
    sessions of earlier logs (still to come, and after the later log's own session) are cancelled
    and marked `superseded_by` it. A planned session whose date has passed is over: it is neither
    cancelled nor reminded."""

    log = models.OneToOneField(DialogueLog, on_delete=models.CASCADE, related_name="planned_session")
    uid = models.CharField(max_length=100, unique=True)
    sequence = models.PositiveIntegerField(default=0)
    starts_on = models.DateField()
    starts_at = models.TimeField(null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    cancelled = models.BooleanField(default=False)
    superseded_by = models.ForeignKey(
        DialogueLog,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The later log whose planned session replaced this one, cancelling it.",
    )
    sent_sequence = models.IntegerField(default=-1, help_text="The last sequence emailed; -1 before the first.")

    class Meta:
        indexes = [models.Index(fields=["starts_on"])]

    def __str__(self) -> str:
        return f"Session planned for {self.starts_on:%d/%m/%Y}"


class ReminderKind(models.TextChoices):
    SESSION_INVITATION = "session_invitation", "Calendar invitations to planned sessions, and their changes"
    SESSION_TOMORROW = "session_tomorrow", "A reminder the day before a coaching session"
    ACTION_STEP_DUE = "action_step_due", "Your action steps coming due in the next 3 days"
    ACTION_STEP_OVERDUE = "action_step_overdue", "Your action steps that are overdue"
    DRAFT_WAITING = "draft_waiting", "A session record waiting a week for you to agree it"
    LOG_SENT = "log_sent", "A session record sent to you to agree"
    DIAGNOSIS_SENT = "diagnosis_sent", "Your initial diagnosis sent to you to agree"
    RESULTS = "results", "Your assessment results, when they are released"
    # Its own kind, so an amendment made on the day of the release is not taken for the release's email.
    RESULTS_AMENDED = "results_amended", "Your assessment results, when they are amended after release"
    # Assessment emails to staff (assessment.notices): each person sees them on the same page.
    SUBMISSION_ARRIVED = "submission_arrived", "Tutors: work submitted or resubmitted by a participant you assess"
    STATEMENT_INVITED = "statement_invited", "Coaches: work submitted by a participant you coach, for your statement"
    MARKS_OVERDUE = "marks_overdue", "Programme leaders: work on a task still unmarked after its marks-due date"
    # The weekly digest (tracking.digest): to heads and programme leaders.
    WEEKLY_DIGEST = "weekly_digest", "Heads and programme leaders: a weekly digest of your participants"


class ReminderPreference(models.Model):
    """Which coaching emails a person has turned off. No row: everything on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coaching_reminder_preference"
    )
    turned_off = models.JSONField(default=list, blank=True, help_text="The ReminderKind values turned off.")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Coaching emails for {self.user}"

    def wants(self, kind: str) -> bool:
        return kind not in self.turned_off


class SentReminder(models.Model):
    """Each reminder sent: the unique constraint makes a reminder go once, however often the task runs."""

    kind = models.CharField(max_length=30, choices=ReminderKind.choices)
    object_id = models.PositiveBigIntegerField(help_text="The planned session, action step or log it is about.")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "person", "due_on"], name="one_reminder_each")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.person} for {self.due_on:%d/%m/%Y}"


# --- Release time (programme Q33), kept summed: the pages read these rows instead of adding up logs.
# coaching.services.release_time_recount rewrites them from the agreed logs in the transaction that
# agrees or changes a log (or moves the participant), so they always equal a recount.


class CoachingTime(models.Model):
    """The agreed sessions of one participant with one coach at one school (where the participant was
    placed on the session's day; none if nowhere) in one term (programme.rules.terms.Term): how many,
    how long, and the first and last day, so the access policy can judge the whole span at once."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="+")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey("programme.School", null=True, on_delete=models.CASCADE, related_name="+")
    school_year = models.PositiveSmallIntegerField()
    term_order = models.PositiveSmallIntegerField()
    first_on = models.DateField()
    last_on = models.DateField()
    sessions = models.PositiveIntegerField()
    minutes = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.minutes} minutes in {self.sessions} sessions, {self.school_year}/{self.term_order}"


def person_name(path: str) -> Coalesce:
    """What `User.__str__` says (the full name, or the email address if none), worked out by the
    database for the person at `path`, so rows can be sorted and searched by it."""
    full = Trim(Concat(F(f"{path}__first_name"), Value(" "), F(f"{path}__last_name")))
    return Coalesce(NullIf(full, Value("")), F(f"{path}__email"), output_field=models.CharField())


def school_name(path: str) -> Coalesce:
    """The school's name at `path`, or that none was recorded."""
    return Coalesce(F(f"{path}__name"), Value("No school recorded"), output_field=models.CharField())


class ReleaseTimeTotal(models.Model):
    """One row of the release-time page as a programme leader sees it: a participant's or a coach's
    sessions and minutes at one school in one term, the sum of their CoachingTime rows. The school's
    and the person's names as they were at the last recount are kept beside it, so a page of rows in
    the page's order is read from an index instead of sorting every row (the page shows the names as
    they are now; a renamed person keeps their place until the next recount)."""

    class Role(models.IntegerChoices):
        PARTICIPANT = 0, "Participant"
        COACH = 1, "Coach"

    school_year = models.PositiveSmallIntegerField()
    term_order = models.PositiveSmallIntegerField()
    school = models.ForeignKey("programme.School", null=True, on_delete=models.CASCADE, related_name="+")
    role = models.PositiveSmallIntegerField(choices=Role.choices)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sessions = models.PositiveIntegerField()
    minutes = models.PositiveIntegerField()
    sort_school = models.CharField(max_length=200, default="")
    sort_name = models.CharField(max_length=400, default="")

    # The page's order: newest term first, then school, role and name.
    ORDER = ("-school_year", "-term_order", "sort_school", "role", "sort_name", "person_id")

    class Meta:
        indexes = [
            models.Index(fields=["role", "person"]),
            models.Index(
                fields=["-school_year", "-term_order", "sort_school", "role", "sort_name", "person"],
                name="release_time_in_order",
            ),
            models.Index(
                fields=["school", "-school_year", "-term_order", "sort_school", "role", "sort_name", "person"],
                name="release_time_school_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.person_id}: {self.minutes} minutes"
