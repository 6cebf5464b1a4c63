"""The participant's portfolio (PRODUCT.md journey 3): evidence, a dated journal of reflections,
and practitioner enquiries. The participant writes them; their coach and tutor read them; the head
and the programme leader see none of it (programme.access, EVIDENCE, REFLECTION, ENQUIRY).

Every record implements programme.access.Protected. Writes go through portfolio.services. Rich
text is sanitised by coaching.richtext on the way in and again on the way out. Each record carries
a `version` that every save raises, so two tabs cannot silently overwrite each other.
"""

import datetime
import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from coaching.models import ActionStep, DialogueLog
from files.jobs import PreparedFile
from files.models import PrivateFile
from files.registry import downloadable
from files.storage import private_storage, upload_to
from programme.access import RecordKind
from programme.models import ContentArea, Enrolment, Phase, Standard, Topic
from ui.limits import RICH_TEXT_MAX, SHORT_TEXT_MAX


class _Record(models.Model):
    """What every portfolio record has: its participant, where in the programme it belongs, and the
    counter that refuses a save made from a stale page."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="+")
    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="+")
    content_areas = models.ManyToManyField(ContentArea, blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save; stops silent overwrites.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The record's words for full-text search (portfolio.search). On PostgreSQL a trigger keeps it
    # current and a GIN index reads it (migration 0005); on SQLite it stays empty.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        abstract = True

    @property
    def access_enrolment_id(self) -> int:
        return self.enrolment_id


class Evidence(_Record):
    """A piece of evidence: something written, a link, or a file."""

    class Kind(models.TextChoices):
        WRITTEN = "written", "Something written"
        LINK = "link", "A link"
        FILE = "file", "A file"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200)
    relates_to = models.DateField("the date it relates to")
    topics = models.ManyToManyField(Topic, blank=True, related_name="+")
    standards = models.ManyToManyField(Standard, blank=True, related_name="+")
    description = models.TextField(blank=True, max_length=SHORT_TEXT_MAX)
    body = models.TextField(
        "the written piece", blank=True, max_length=RICH_TEXT_MAX, help_text="Sanitised HTML, see coaching.richtext."
    )
    url = models.URLField("link", max_length=500, blank=True)
    anonymised = models.BooleanField(
        "pupil data anonymised", default=False, help_text="The participant confirmed no pupil can be identified."
    )
    logs = models.ManyToManyField(DialogueLog, blank=True, related_name="+", help_text="Agreed logs it relates to.")

    access_kind = RecordKind.EVIDENCE

    class Meta:
        ordering = ["-relates_to", "-pk"]
        verbose_name_plural = "evidence"
        indexes = [models.Index(fields=["enrolment", "relates_to"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portfolio:evidence_detail", kwargs={"pk": self.pk})

    @property
    def access_date(self) -> datetime.date:
        return self.relates_to

    @property
    def current_file(self):
        """The file now held (from prefetched `files` where a page fetched them)."""
        return next((f for f in self.files.all() if f.replaced_at is None), None)

    @property
    def earlier_files(self) -> list:
        return [f for f in self.files.all() if f.replaced_at is not None]


@downloadable("portfolio-evidence", related=("evidence",))
class EvidenceFile(PrivateFile):
    """The file of a piece of evidence. Replacing it keeps the old one (marked replaced), so a
    submission that used it can still hold it; the evidence shows its current file."""

    accepts = ("document", "image", "audio", "video")

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="files")
    replaced_at = models.DateTimeField(null=True, blank=True)
    # A small JPEG of an image, made when it is uploaded (portfolio.thumbnails), for the export's PDF.
    thumbnail = models.FileField(
        storage=private_storage, upload_to=upload_to, max_length=200, blank=True, editable=False
    )

    access_kind = RecordKind.EVIDENCE

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["evidence"], condition=Q(replaced_at__isnull=True), name="one_current_file_per_evidence"
            )
        ]

    @property
    def access_enrolment_id(self) -> int:
        return self.evidence.enrolment_id

    @property
    def access_date(self) -> datetime.date:
        return self.evidence.relates_to

    @property
    def plays_as(self) -> str:
        """ "audio" or "video" when a browser can play it on the page; "" otherwise."""
        group = self.content_type.split("/")[0]
        return group if group in ("audio", "video") else ""


class Reflection(_Record):
    """A dated entry in the participant's reflective journal."""

    written_on = models.DateField("date")
    title = models.CharField(max_length=200)
    body = models.TextField("reflection", max_length=RICH_TEXT_MAX, help_text="Sanitised HTML, see coaching.richtext.")
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="reflections")
    logs = models.ManyToManyField(DialogueLog, blank=True, related_name="+", help_text="Agreed logs it draws on.")
    action_steps = models.ManyToManyField(ActionStep, blank=True, related_name="+")

    access_kind = RecordKind.REFLECTION

    class Meta:
        ordering = ["-written_on", "-pk"]
        indexes = [models.Index(fields=["enrolment", "written_on"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portfolio:reflection_detail", kwargs={"pk": self.pk})

    @property
    def access_date(self) -> datetime.date:
        return self.written_on


class Enquiry(_Record):
    """A practitioner enquiry, as a cycle of sections. A participant runs several across the
    phases; phase 3's is their specialist research."""

    class Consent(models.TextChoices):
        NOT_NEEDED = "not_needed", "Not needed: no pupil or parent takes part or can be identified"
        PENDING = "pending", "Needed, not yet given"
        GIVEN = "given", "Needed, and given"

    # (field, heading, what to write): the sections in the order an enquiry runs.
    SECTIONS = (
        ("question", "Question", "What you want to find out, in one or two sentences."),
        ("rationale", "Rationale", "Why it matters for your pupils and your school."),
        ("reading", "Reading", "What you read, with references, and what it told you."),
        ("method", "Method", "What you did, with whom, and how you gathered evidence."),
        ("ethics", "Ethics", "How you protected pupils and colleagues, and whose consent you needed."),
        ("data", "Data", "What you collected."),
        ("analysis", "Analysis", "How you made sense of the data."),
        ("findings", "Findings", "What you found."),
        ("impact", "Impact on pupils' outcomes", "What changed for pupils, and how you know."),
        ("next_steps", "Next steps", "What you will do next, and what others could take from it."),
    )
    SECTION_NAMES = tuple(name for name, _, _ in SECTIONS)

    title = models.CharField(max_length=200)
    started_on = models.DateField("date started")
    question = models.TextField(blank=True, max_length=RICH_TEXT_MAX)
    rationale = models.TextField(blank=True, max_length=RICH_TEXT_MAX)
    reading = models.TextField(blank=True, max_length=RICH_TEXT_MAX)
    method = models.TextField(blank=True, max_length=RICH_TEXT_MAX)
    ethics = models.TextField(blank=True, max_length=RICH_TEXT_MAX)
    consent = models.CharField(
        "consent from pupils and parents", max_length=20, choices=Consent.choices, default=Consent.NOT_NEEDED
    )
    consent_record = models.TextField(
        "how consent was recorded",
        blank=True,
        max_length=SHORT_TEXT_MAX,
        help_text="Who gave it, when, and where the signed forms are kept.",
    )
    data = models.TextField(blank=True, max_length=RICH_TEXT_MAX)
    analysis = models.TextField(blank=True, max_length=RICH_TEXT_MAX)
    findings = models.TextField(blank=True, max_length=RICH_TEXT_MAX)
    impact = models.TextField("impact on pupils' outcomes", blank=True, max_length=RICH_TEXT_MAX)
    next_steps = models.TextField(blank=True, max_length=RICH_TEXT_MAX)

    access_kind = RecordKind.ENQUIRY

    class Meta:
        ordering = ["-started_on", "-pk"]
        verbose_name_plural = "enquiries"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portfolio:enquiry_detail", kwargs={"pk": self.pk})

    @property
    def access_date(self) -> datetime.date:
        return self.started_on


class EnquiryCitation(models.Model):
    """A section of an enquiry citing a piece of evidence or an agreed dialogue log."""

    enquiry = models.ForeignKey(Enquiry, on_delete=models.CASCADE, related_name="citations")
    section = models.CharField(max_length=20, choices=[(name, label) for name, label, _ in Enquiry.SECTIONS])
    evidence = models.ForeignKey(Evidence, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    log = models.ForeignKey(DialogueLog, null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["enquiry", "section", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(evidence__isnull=False, log__isnull=True) | Q(evidence__isnull=True, log__isnull=False),
                name="citation_names_one_record",
            ),
            models.UniqueConstraint(fields=["enquiry", "section", "evidence"], name="cite_evidence_once_per_section"),
            models.UniqueConstraint(fields=["enquiry", "section", "log"], name="cite_log_once_per_section"),
        ]

    def __str__(self) -> str:
        return f"{self.enquiry}: {self.get_section_display()} cites {self.evidence or self.log}"

    # Part of its enquiry for access.
    access_kind = RecordKind.ENQUIRY

    @property
    def access_enrolment_id(self) -> int:
        return self.enquiry.enrolment_id

    @property
    def access_date(self) -> datetime.date:
        return self.enquiry.started_on


class LibrarySummary(models.Model):
    """A summary of an enquiry for the provider's research library (journey 7). The participant
    writes it from their enquiry and sends it to their tutor, who approves it or returns it with a
    comment; the participant then publishes it, consenting and confirming it holds no pupil data,
    and may withdraw it later. Changes go through portfolio.services.library.

        draft --send--> sent --approve--> approved --publish--> published --withdraw--> withdrawn
          ^               |                  |                                              |
          +--returned <---+ (with a comment)  +-- a change needs approving again ---> draft <+
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENT = "sent", "Waiting for the tutor's approval"
        RETURNED = "returned", "Returned by the tutor"
        APPROVED = "approved", "Approved: ready to publish"
        PUBLISHED = "published", "Published in the research library"
        WITHDRAWN = "withdrawn", "Withdrawn from the research library"

    _KINDS = {
        Status.SENT: RecordKind.LIBRARY_SUMMARY_SENT,
        Status.APPROVED: RecordKind.LIBRARY_SUMMARY_APPROVED,
        Status.PUBLISHED: RecordKind.LIBRARY_SUMMARY_PUBLISHED,
    }

    enquiry = models.OneToOneField(Enquiry, on_delete=models.PROTECT, related_name="library_summary")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    summary = models.TextField(max_length=SHORT_TEXT_MAX, help_text="What the research was about, in a paragraph.")
    findings = models.TextField(max_length=RICH_TEXT_MAX)
    implications = models.TextField("implications for practice", max_length=RICH_TEXT_MAX)
    content_areas = models.ManyToManyField(ContentArea, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    # The day it was written or last sent to the tutor: the policy judges it on this day, so the
    # tutor assigned when it was sent is the one who approves it.
    dated_on = models.DateField()
    sent_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    tutor_comment = models.TextField(blank=True, max_length=SHORT_TEXT_MAX)
    # The participant's consent to publish, and their confirmation that it holds no pupil data.
    consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    consent_at = models.DateTimeField(null=True, blank=True)
    no_pupil_data_confirmed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    page = models.OneToOneField(
        "handbook.LibraryPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="library_summary"
    )
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save; stops silent overwrites.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-dated_on", "-pk"]
        verbose_name_plural = "library summaries"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("portfolio:library_summary_detail", kwargs={"pk": self.pk})

    @property
    def access_kind(self) -> RecordKind:
        return self._KINDS.get(self.status, RecordKind.LIBRARY_SUMMARY_DRAFT)

    @property
    def access_enrolment_id(self) -> int:
        return self.enrolment_id

    @property
    def access_date(self) -> datetime.date:
        return self.dated_on


def _export_path(instance, filename: str) -> str:
    """`portfolio/export/enrolment/random.zip`: in private storage, never named after the person."""
    return f"portfolio/export/{instance.enrolment_id}/{uuid.uuid4().hex}.zip"


class ExportRequest(PreparedFile, models.Model):
    """A participant's request for a copy of their whole portfolio (portfolio.export): built by a
    Celery task into one zip in private storage (a PDF with a contents page, the original files,
    `leap2a.xml` and a README), then downloadable by the participant alone until it expires.

        queued --the task claims it--> running --built--> ready --after EXPORT_VALID_DAYS--> expired
                                          |
                                          +--an error--> failed
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being built"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Could not be built"
        EXPIRED = "expired", "Expired"

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    # The day the policy judges it on: the participant's own, whatever the day.
    requested_on = models.DateField(default=timezone.localdate)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField("records done", default=0)
    total = models.PositiveIntegerField("records in all", default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    # Which Celery task claimed it, and how many runs have: files.jobs.claim tells a run that died
    # from one still going by these.
    claimed_by_task = models.CharField(max_length=64, blank=True, default="")
    attempts = models.PositiveSmallIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(storage=private_storage, upload_to=_export_path, max_length=200, blank=True)
    size = models.PositiveBigIntegerField("size in bytes", default=0)
    emailed_at = models.DateTimeField(null=True, blank=True)

    access_kind = RecordKind.PORTFOLIO_EXPORT

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["status", "expires_at"], name="export_by_status_expiry")]

    def __str__(self) -> str:
        return f"Portfolio export of {self.requested_at:%d/%m/%Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("portfolio:export_detail", kwargs={"pk": self.pk})

    @property
    def access_enrolment_id(self) -> int:
        return self.enrolment_id

    @property
    def access_date(self) -> datetime.date:
        return self.requested_on
