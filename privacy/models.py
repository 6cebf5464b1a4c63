"""A programme leader's subject access export for one person (files.jobs: written by a Celery task,
kept in private storage, downloadable until it expires), and the record of a former participant's
erasure."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from files.jobs import PreparedFile
from files.storage import private_storage


def _export_path(instance, filename: str) -> str:
    """`privacy/subject-access/random.zip`: in private storage, never named after the person."""
    return f"privacy/subject-access/{uuid.uuid4().hex}.zip"


class SubjectAccessRequest(PreparedFile, models.Model):
    """Every record the portal holds about one person, as JSON with their files, zipped
    (privacy.subject_access), asked for by a programme leader to answer a subject access request."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being made"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Could not be made"
        EXPIRED = "expired", "Expired"

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    # Where the request came from and when it was received: the one-month clock starts then.
    received_on = models.DateField("request received on", default=timezone.localdate)
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
    # Unused: programme leaders follow the request on its page rather than by email (files.jobs' field).
    emailed_at = models.DateTimeField(null=True, blank=True)

    # What files.views.serve reads of a stored file.
    content_type = "application/zip"

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["status", "expires_at"], name="sar_by_status_expiry")]

    def __str__(self) -> str:
        return f"Subject access export for {self.person} of {self.requested_at:%d/%m/%Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("privacy:subject_access_detail", kwargs={"pk": self.pk})

    @property
    def name(self) -> str:
        return f"subject-access-{self.person_id}-{self.requested_at:%Y-%m-%d}.zip"


class Erasure(models.Model):
    """A former participant whose personal data was erased after the retention period (privacy.erasure):
    when, and how many records of each kind were blanked (never what they held). One per person,
    so a second run finds them done."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    erased_at = models.DateTimeField(default=timezone.now)
    # {"app.Model": records blanked, ..., "files": files deleted}
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-erased_at", "-pk"]

    def __str__(self) -> str:
        return f"Erasure of {self.person} on {self.erased_at:%d/%m/%Y}"
