"""The participant's export of their whole portfolio: asking for one, building it (from the
Celery task in portfolio.tasks), telling the participant it is ready, and clearing expired ones.

Each step is safe to run twice. Building claims the request with one conditional UPDATE (queued to
running), so a second run of the task, or a run while another is building, builds nothing; a
request left running by a worker that died is claimed again once it is STALE_AFTER old (the task
is acknowledged late, so the broker gives it to another worker). The email is claimed the same way
(`emailed_at`), in the transaction that sends it. Expired files are deleted by
`exports_expire`, which celery beat runs daily.
"""

import datetime
import logging
import tempfile

from django.conf import settings
from django.core.files import File
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from audit import trail
from portfolio.export import contents
from portfolio.models import ExportRequest
from programme import access
from programme.access import Action
from programme.models import Enrolment

logger = logging.getLogger(__name__)
Status = ExportRequest.Status

# A request still "running" this long after it started was left by a worker that stopped.
STALE_AFTER = datetime.timedelta(minutes=15)
# How often the progress is written while files are copied: every this many records.
PROGRESS_EVERY = 10


def valid_days() -> int:
    return settings.PORTFOLIO_EXPORT_VALID_DAYS


def export_request(*, enrolment: Enrolment, by) -> ExportRequest:
    """Ask for a copy of the participant's portfolio. Only the participant may (the access policy,
    PORTFOLIO_EXPORT). While one is waiting or being built, that one is returned rather than a
    second made. The task is enqueued when the transaction commits."""
    from portfolio import tasks

    with transaction.atomic():
        # Lock the participant's enrolment so two clicks cannot both make a request.
        Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
        waiting = ExportRequest.objects.filter(enrolment=enrolment, status__in=[Status.QUEUED, Status.RUNNING]).first()
        if waiting is not None and access.can(by, Action.VIEW, waiting):
            return waiting
        export = ExportRequest(enrolment=enrolment, requested_by=by, requested_on=timezone.localdate())
        access.require(by, Action.CHANGE, export)
        export.save()
        trail.record(trail.Action.EXPORT_REQUEST, record=export, actor=by)
        export_id = export.pk
        transaction.on_commit(lambda: tasks.build_export.delay(export_id))
    return export


def _claim(export_id: int, now: datetime.datetime) -> bool:
    waiting = Q(status=Status.QUEUED) | Q(status=Status.RUNNING, started_at__lt=now - STALE_AFTER)
    return bool(
        ExportRequest.objects.filter(waiting, pk=export_id).update(
            status=Status.RUNNING, started_at=now, done=0, total=0
        )
    )


def export_build(*, export_id: int) -> ExportRequest | None:
    """Build the export if it is waiting (or was left running); then email the participant if it
    is ready and they have not been told. Returns the request, or None if there is no such one."""
    now = timezone.now()
    if _claim(export_id, now):
        _build(export_id, now)
    export = ExportRequest.objects.filter(pk=export_id).select_related("enrolment__participant").first()
    if export is not None and export.status == Status.READY:
        export_notify(export=export)
    return export


def _build(export_id: int, now: datetime.datetime) -> None:
    # Imported here, not with the module: WeasyPrint is loaded by the worker that builds, never by
    # every web process that merely shows the export's page.
    from portfolio.export import archive

    export = ExportRequest.objects.select_related("enrolment__participant", "requested_by").get(pk=export_id)
    try:
        found = contents.gather(export.enrolment, by=export.requested_by, today=timezone.localdate())
        total = found.records
        ExportRequest.objects.filter(pk=export_id).update(total=total)

        def progress(done: int) -> None:
            if done == total or done % PROGRESS_EVERY == 0:
                ExportRequest.objects.filter(pk=export_id, status=Status.RUNNING).update(done=done)

        with tempfile.TemporaryFile() as out:
            archive.write(
                found,
                out,
                feed_id=f"{settings.PORTAL_BASE_URL.rstrip('/')}/portfolio/exports/{export_id}/",
                now=now,
                valid_days=valid_days(),
                progress=progress,
            )
            size = out.tell()
            out.seek(0)
            export.file.save(f"{export_id}.zip", File(out), save=False)
        finished = timezone.now()
        updated = ExportRequest.objects.filter(pk=export_id, status=Status.RUNNING, started_at=now).update(
            status=Status.READY,
            file=export.file.name,
            size=size,
            done=total,
            finished_at=finished,
            expires_at=finished + datetime.timedelta(days=valid_days()),
        )
        if not updated:  # another run took it over meanwhile: keep theirs, not this copy
            export.file.delete(save=False)
    except Exception:
        logger.exception("The portfolio export %s could not be built.", export_id)
        if export.file:
            export.file.delete(save=False)
        ExportRequest.objects.filter(pk=export_id, status=Status.RUNNING, started_at=now).update(
            status=Status.FAILED, finished_at=timezone.now()
        )


def export_notify(*, export: ExportRequest) -> bool:
    """Email the participant that their export is ready, once: the claim and the send commit
    together, so a failed send is tried again by the next run."""
    with transaction.atomic():
        if not ExportRequest.objects.filter(pk=export.pk, emailed_at__isnull=True).update(emailed_at=timezone.now()):
            return False
        participant = export.enrolment.participant
        export.refresh_from_db(fields=["expires_at"])
        body = render_to_string(
            "portfolio/email/export_ready.txt",
            {
                "person": participant,
                "export": export,
                "url": settings.PORTAL_BASE_URL.rstrip("/") + reverse("portfolio:export_detail", args=[export.pk]),
                "site_name": settings.WAGTAIL_SITE_NAME,
                "valid_days": valid_days(),
            },
        )
        EmailMessage(
            subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Your portfolio is ready to download",
            body=body,
            to=[participant.email],
        ).send()
    return True


def exports_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of exports past their expiry and mark them expired. Safe to run twice:
    the second run finds nothing to do. Returns how many expired."""
    now = now or timezone.now()
    expired = 0
    due = ExportRequest.objects.filter(status=Status.READY, expires_at__lte=now).values_list("pk", flat=True)
    for export_id in list(due):
        with transaction.atomic():
            export = ExportRequest.objects.select_for_update().filter(pk=export_id, status=Status.READY).first()
            if export is None:
                continue
            if export.file:
                export.file.delete(save=False)
            export.status = Status.EXPIRED
            export.file = ""
            export.save(update_fields=["status", "file"])
            expired += 1
    return expired
