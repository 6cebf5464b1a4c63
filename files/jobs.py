"""Files the portal prepares for one person in the background and keeps privately for a few days: a
participant's copy of their portfolio (portfolio.ExportRequest), a head's or programme leader's long
list of participants (tracking.ListExport). What they have in common lives here, once: the states,
claiming the work so a second run of the task does nothing, writing the file into private storage,
telling the person once, and deleting it when its days are over.

A model of such a file has these fields: `status` (the values below), `done` and `total` (progress),
`started_at`, `claimed_by_task`, `attempts`, `finished_at`, `expires_at`, `file` (in
files.storage.private_storage), `size` and `emailed_at`; it mixes in `PreparedFile` for what its
pages read. What goes in the file, and the email, are the app's own.

    queued --claim--> running --write--> ready --expire_due, after its days--> expired
                         |        |
                         |        +--an error--> failed
                         +--its run died MAX_ATTEMPTS times--> failed
"""

import datetime
import logging
import tempfile
from collections.abc import Callable
from typing import IO

from django.conf import settings
from django.core.files import File
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

logger = logging.getLogger(__name__)

QUEUED, RUNNING, READY, FAILED, EXPIRED = "queued", "running", "ready", "failed", "expired"


class PreparedFile:
    """What a prepared file's pages read: mixed into its model."""

    status: str
    expires_at: datetime.datetime | None
    done: int
    total: int

    @property
    def in_progress(self) -> bool:
        return self.status in (QUEUED, RUNNING)

    def is_expired(self, now: datetime.datetime | None = None) -> bool:
        """Gone: expired by the clean-up, or past its expiry time and not yet cleaned up."""
        if self.status == EXPIRED:
            return True
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.total)) if self.total else 0


# A file whose runs have all died this many times (say, each run runs out of memory) is given up as
# failed, rather than tried for ever.
MAX_ATTEMPTS = 3


def stale_after() -> datetime.timedelta:
    """A file still "running" this long after it started was left by a worker that stopped (tasks
    are acknowledged late, so the broker gives the task to another worker after its visibility
    timeout, which is longer, and that worker claims it again): settings.PREPARED_FILE_STALE_SECONDS."""
    return datetime.timedelta(seconds=settings.PREPARED_FILE_STALE_SECONDS)


def claim(model: type[models.Model], pk: int, now: datetime.datetime, *, task_id: str = "") -> bool:
    """Take the file to write, with one conditional UPDATE: True if it was waiting, or left running by
    a run that died; False if another run has it, it is done, or it has been tried MAX_ATTEMPTS times
    (then it is marked failed).

    A run has died if the claim is stale, or if the same task (`task_id`, Celery's id of the
    message) is delivered again: the broker redelivers a message only once the run holding it is
    gone (its pool process killed, with CELERY_TASK_REJECT_ON_WORKER_LOST, or its worker, after
    the visibility timeout)."""
    left = Q(status=RUNNING, started_at__lt=now - stale_after())
    if task_id:
        left |= Q(status=RUNNING, claimed_by_task=task_id)
    waiting = model._default_manager.filter(Q(status=QUEUED) | left, pk=pk)
    taken = waiting.filter(attempts__lt=MAX_ATTEMPTS).update(
        status=RUNNING, started_at=now, claimed_by_task=task_id, attempts=F("attempts") + 1, done=0, total=0
    )
    if taken:
        return True
    if waiting.update(status=FAILED, finished_at=now):  # only those tried MAX_ATTEMPTS times are left
        logger.error("%s %s failed: its run died %s times.", model._meta.verbose_name, pk, MAX_ATTEMPTS)
    return False


def progress(model: type[models.Model], pk: int, *, done: int | None = None, total: int | None = None) -> None:
    """Write how far it has got, while it is still running."""
    changed = {name: value for name, value in (("done", done), ("total", total)) if value is not None}
    model._default_manager.filter(pk=pk, status=RUNNING).update(**changed)


def write(record, started_at: datetime.datetime, *, name: str, fill: Callable[[IO[bytes]], int], valid_days: int):
    """Write the claimed file: `fill` writes it into a temporary file and returns how many records
    or rows it holds; it is then kept in private storage under the record, which is ready for
    `valid_days`. On any error nothing is kept and the record says it failed. If another run took
    the work over meanwhile (the claim's time changed), its copy is kept and this one deleted."""
    model = type(record)
    mine = model._default_manager.filter(pk=record.pk, status=RUNNING, started_at=started_at)
    try:
        with tempfile.TemporaryFile() as out:
            total = fill(out)
            size = out.tell()
            out.seek(0)
            record.file.save(name, File(out), save=False)
        finished = timezone.now()
        updated = mine.update(
            status=READY,
            file=record.file.name,
            size=size,
            done=total,
            finished_at=finished,
            expires_at=finished + datetime.timedelta(days=valid_days),
        )
        if not updated:
            record.file.delete(save=False)
    except Exception:
        logger.exception("%s %s could not be written.", model._meta.verbose_name, record.pk)
        if record.file:
            record.file.delete(save=False)
        mine.update(status=FAILED, finished_at=timezone.now())


def notify_once(record, send: Callable[[], None]) -> bool:
    """Tell the person the file is ready, once: `emailed_at` is claimed and `send` runs in one
    transaction, so a failed send is tried again by the next run and a second run sends nothing."""
    with transaction.atomic():
        unsent = type(record)._default_manager.filter(pk=record.pk, emailed_at__isnull=True)
        if not unsent.update(emailed_at=timezone.now()):
            return False
        send()
    return True


def expire_due(model: type[models.Model], now: datetime.datetime | None = None) -> int:
    """Delete the files of those past their expiry and mark them expired. Safe to run twice: the
    second run finds nothing to do. Returns how many expired."""
    now = now or timezone.now()
    expired = 0
    manager = model._default_manager
    due = manager.filter(status=READY, expires_at__lte=now).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            record = manager.select_for_update().filter(pk=pk, status=READY).first()
            if record is None:
                continue
            if record.file:
                record.file.delete(save=False)
            record.status = EXPIRED
            record.file = ""
            record.save(update_fields=["status", "file"])
            expired += 1
    return expired
