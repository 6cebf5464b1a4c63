"""The participant's export of their whole portfolio: asking for one, building it (from the
Celery task in portfolio.tasks), telling the participant it is ready, and clearing expired ones.

Each step is safe to run twice, as for every file prepared in the background (files.jobs):
building claims the request with one conditional UPDATE (queued to running), so a second run of
the task, or a run while another is building, builds nothing; a request left running by a worker
that died is claimed again once it is settings.PREPARED_FILE_STALE_SECONDS old (the task is
acknowledged late, so the broker gives it to another worker). The email is claimed the same way
(`emailed_at`), in the transaction that sends it. Expired files are deleted by `exports_expire`,
which celery beat runs daily.
"""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from audit import trail
from files import jobs
from portfolio.export import contents
from portfolio.models import ExportRequest
from programme import access
from programme.access import Action
from programme.models import Enrolment

Status = ExportRequest.Status

# A request still "running" this long after it started was left by a worker that stopped.
stale_after = jobs.stale_after
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


def export_build(*, export_id: int, task_id: str = "") -> ExportRequest | None:
    """Build the export if it is waiting (or was left running); then email the participant if it
    is ready and they have not been told. Returns the request, or None if there is no such one."""
    now = timezone.now()
    if jobs.claim(ExportRequest, export_id, now, task_id=task_id):
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

    def fill(out) -> int:
        found = contents.gather(export.enrolment, by=export.requested_by, today=timezone.localdate())
        total = found.records
        jobs.progress(ExportRequest, export_id, total=total)

        def progress(done: int) -> None:
            if done == total or done % PROGRESS_EVERY == 0:
                jobs.progress(ExportRequest, export_id, done=done)

        archive.write(
            found,
            out,
            feed_id=f"{settings.PORTAL_BASE_URL.rstrip('/')}/portfolio/exports/{export_id}/",
            now=now,
            valid_days=valid_days(),
            progress=progress,
        )
        return total

    jobs.write(export, now, name=f"{export_id}.zip", fill=fill, valid_days=valid_days())


def export_notify(*, export: ExportRequest) -> bool:
    """Email the participant that their export is ready, once (files.jobs.notify_once)."""

    def send() -> None:
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

    return jobs.notify_once(export, send)


def exports_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of exports past their expiry and mark them expired. Safe to run twice:
    the second run finds nothing to do. Returns how many expired."""
    return jobs.expire_due(ExportRequest, now)
