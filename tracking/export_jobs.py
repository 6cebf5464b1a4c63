"""A participants' table too long to download while one waits (more than
settings.TRACKING_EXPORT_DIRECT_MAX_ROWS rows) is written by a Celery task instead: asking for it,
writing it (tracking.tasks.build_export), telling the person it is ready, and deleting it after
settings.TRACKING_EXPORT_VALID_DAYS.

The file holds exactly the rows the table shows for the same filters and sort on the day it was
asked for: the task reads them through the same selector (`selectors.participants`, started from
`access.enrolments_for` for the person who asked) and writes them with the same columns
(`tracking.exports`). Each step is safe to run twice, as every file prepared in the background is
(files.jobs: claimed with one conditional UPDATE, emailed once, deleted after its days).
"""

import csv
import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from accounts.models import User
from audit import trail
from files import jobs
from programme import access
from programme.access import Relation
from tracking import exports, selectors
from tracking.forms import HeadFilterForm, LeaderFilterForm
from tracking.models import ListExport
from tracking.risks import Thresholds
from ui.errors import RuleError

Status = ListExport.Status

# Progress is written every this many rows, and the rows are read from the database this many at a time.
PROGRESS_EVERY = 500
FORMS = {Relation.HEAD: HeadFilterForm, Relation.PROGRAMME_LEADER: LeaderFilterForm}


def direct_max_rows() -> int:
    return settings.TRACKING_EXPORT_DIRECT_MAX_ROWS


def valid_days() -> int:
    return settings.TRACKING_EXPORT_VALID_DAYS


def found_rows(person: User, relation: Relation, query: QueryDict, today: datetime.date):
    """The table's rows for these GET parameters, as the page and the direct download read them:
    (the queryset, the thresholds they were judged by)."""
    t = Thresholds.load(today)
    form = FORMS[relation](query)
    sort, descending = selectors.parse_sort(query.get("sort"))
    return selectors.participants(person, relation, filters=form.filters(), sort=sort, descending=descending, t=t), t


def clean_query(query: QueryDict) -> str:
    """The filters and sort to keep with the export: everything the table reads but the page."""
    kept = query.copy()
    kept.pop("page", None)
    return kept.urlencode()


def list_export_request(*, by: User, relation: Relation, query: QueryDict, kind: str) -> ListExport:
    """Ask for the table, as filtered and sorted, to be written in the background. The person must
    hold the relation (the head's or the leader's table). The same one still waiting is returned
    rather than a second made. The task is enqueued when the transaction commits."""
    from tracking import tasks

    if not access.holds(by, relation):
        raise RuleError("Only a head or a programme leader can download this table.")
    if kind not in ListExport.Kind.values:
        raise RuleError("Choose CSV or Excel (XLSX).", field="kind")
    kept = clean_query(query)
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=by.pk).first()  # two clicks make one export
        waiting = ListExport.objects.filter(
            requested_by=by,
            relation=relation,
            query=kept,
            kind=kind,
            requested_on=timezone.localdate(),
            status__in=[Status.QUEUED, Status.RUNNING],
        ).first()
        if waiting is not None:
            return waiting
        export = ListExport.objects.create(requested_by=by, relation=relation, query=kept, kind=kind)
        trail.record(
            trail.Action.LIST_EXPORT_REQUEST, record=export, actor=by, detail={"kind": kind, "query": kept[:200]}
        )
        export_id = export.pk
        transaction.on_commit(lambda: tasks.build_export.delay(export_id))
    return export


def list_export_build(*, export_id: int, task_id: str = "") -> ListExport | None:
    """Write the export if it is waiting (or was left running), then email its person once it is
    ready. Returns the export, or None if there is no such one."""
    now = timezone.now()
    if jobs.claim(ListExport, export_id, now, task_id=task_id):
        _build(export_id, now)
    export = ListExport.objects.filter(pk=export_id).select_related("requested_by").first()
    if export is not None and export.status == Status.READY:
        list_export_notify(export=export)
    return export


def _build(export_id: int, now: datetime.datetime) -> None:
    export = ListExport.objects.select_related("requested_by").get(pk=export_id)

    def fill(out) -> int:
        found, t = found_rows(
            export.requested_by, Relation(export.relation), QueryDict(export.query), export.requested_on
        )
        total = found.count()
        jobs.progress(ListExport, export_id, total=total)

        def progress(done: int) -> None:
            if done == total or done % PROGRESS_EVERY == 0:
                jobs.progress(ListExport, export_id, done=done)

        rows = selectors.iter_rows(export.requested_by, found, t)
        (_write_csv if export.kind == ListExport.Kind.CSV else _write_xlsx)(rows, out, progress)
        return total

    jobs.write(export, now, name=f"{export_id}.{export.kind}", fill=fill, valid_days=valid_days())


class _Text:
    """The binary temporary file, written to as UTF-8 text by csv.writer."""

    def __init__(self, out):
        self.out = out

    def write(self, value: str) -> None:
        self.out.write(value.encode("utf-8"))


def _write_csv(rows, out, progress) -> None:
    writer = csv.writer(_Text(out))
    writer.writerow(exports.HEADINGS)
    for done, row in enumerate(rows, start=1):
        writer.writerow(exports.csv_cells(row))
        progress(done)


def _write_xlsx(rows, out, progress) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title="Participants")
    sheet.append(exports.HEADINGS)
    for done, row in enumerate(rows, start=1):
        sheet.append(exports.cells(row))
        progress(done)
    book.save(out)


def list_export_notify(*, export: ListExport) -> bool:
    """Email the person that their file is ready, once (files.jobs.notify_once)."""

    def send() -> None:
        export.refresh_from_db(fields=["expires_at", "total"])
        person = export.requested_by
        body = render_to_string(
            "tracking/email/export_ready.txt",
            {
                "person": person,
                "export": export,
                "url": settings.PORTAL_BASE_URL.rstrip("/") + reverse("tracking:export_detail", args=[export.pk]),
                "site_name": settings.WAGTAIL_SITE_NAME,
            },
        )
        EmailMessage(
            subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Your list of participants is ready to download",
            body=body,
            to=[person.email],
        ).send()

    return jobs.notify_once(export, send)


def list_exports_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of exports past their expiry and mark them expired (safe to run twice)."""
    return jobs.expire_due(ListExport, now)
