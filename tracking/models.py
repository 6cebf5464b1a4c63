"""The one record tracking keeps: a programme leader's or head's download of the participants' table
too long to make while they wait (over settings.TRACKING_EXPORT_DIRECT_MAX_ROWS rows), built by a
Celery task (tracking.export_jobs) into private storage and theirs alone to download until it
expires. It holds the table's filters and sort as they were asked for, never a copy of any record
but the file itself.

    queued --the task claims it--> running --written--> ready --after TRACKING_EXPORT_VALID_DAYS--> expired
                                      |
                                      +--an error--> failed
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from files.jobs import PreparedFile
from files.storage import private_storage


def _export_path(instance, filename: str) -> str:
    """`tracking/export/person/random.ext`: in private storage, never named after anyone."""
    return f"tracking/export/{instance.requested_by_id}/{uuid.uuid4().hex}.{instance.kind}"


class ListExport(PreparedFile, models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being written"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Could not be written"
        EXPIRED = "expired", "Expired"

    class Kind(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (XLSX)"

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Whose table: the head's (their school's participants) or the programme leader's (everyone).
    relation = models.CharField(max_length=20)
    query = models.CharField(max_length=1000, blank=True, help_text="The table's filters and sort, as in its address.")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    requested_at = models.DateTimeField(default=timezone.now)
    # The day the rows are judged on (the at-risk reasons, who is placed where).
    requested_on = models.DateField(default=timezone.localdate)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField("rows written", default=0)
    total = models.PositiveIntegerField("rows in all", default=0)
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

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["status", "expires_at"], name="list_export_by_status_expiry")]

    def __str__(self) -> str:
        return f"Participants ({self.get_kind_display()}) of {self.requested_at:%d/%m/%Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("tracking:export_detail", kwargs={"pk": self.pk})

    @property
    def filename(self) -> str:
        name = "school-participants" if self.relation == "head" else "programme-participants"
        return f"{name}-{self.requested_on.isoformat()}.{self.kind}"

    # What files.views.serve reads of a stored file.
    @property
    def name(self) -> str:
        return self.filename

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]


CONTENT_TYPES = {
    ListExport.Kind.CSV: "text/csv; charset=utf-8",
    ListExport.Kind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ParticipantRisk(models.Model):
    """Each participant's at-risk reasons as judged on `judged_on` with the provider's thresholds of
    then, one flag per reason of `tracking.risks.REASONS` (the column is the reason's key) and how
    many hold: so the tables filter and sort by risk with a join, not eight subqueries for every
    participant on each request. Written only by `tracking.stored_risks` from the rule functions
    themselves, in the database; whether the enrolment is active is left to the reader (it is
    read with the enrolment), so a change of status needs no refresh.

    Not a record of anyone's: it can be dropped and rebuilt at any time (`manage.py refresh_risks`)."""

    enrolment = models.OneToOneField(
        "programme.Enrolment", on_delete=models.CASCADE, primary_key=True, related_name="stored_risk"
    )
    judged_on = models.DateField()
    weeks_without_session = models.PositiveSmallIntegerField()
    months_before_limit = models.PositiveSmallIntegerField()
    no_session = models.BooleanField()
    steps_overdue = models.BooleanField()
    submission_overdue = models.BooleanField()
    referred_or_failed = models.BooleanField()
    latest_start = models.BooleanField()
    completion_deadline = models.BooleanField()
    no_coach = models.BooleanField()
    no_tutor = models.BooleanField()
    count = models.PositiveSmallIntegerField("reasons that hold")

    class Meta:
        indexes = [models.Index(fields=["judged_on", "count"], name="participant_risk_by_day_count")]

    def __str__(self) -> str:
        return f"Reasons for risk of enrolment {self.enrolment_id} on {self.judged_on}"
