"""A real worker killed with SIGKILL in the middle of a task, then a fresh one started: exactly one
result. Tasks are acknowledged late (CELERY_TASK_ACKS_LATE), so the broker gives the dead worker's
task to the next one; each task claims its result in the transaction that makes it, so the run
that was cut short left nothing half-done and the second run makes it once.

The worker stops at a named point (tests/fault_worker.py) rather than after a sleep: it writes a
file there and waits until it is killed. The restarted worker runs with TEST_CELERY_FAST_REDELIVERY,
which makes the broker give the task again after seconds instead of an hour.
"""

import datetime
import email
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Invitation
from accounts.roles import Role
from coaching import reminders
from coaching import tasks as coaching_tasks
from coaching.models import PlannedSession, ReminderKind, SentReminder
from mtl_portal.celery import app as celery_app
from portfolio.models import EvidenceFile, ExportRequest
from portfolio.services import exports
from tests.coaching.factories import agreed_log, coaching_world
from tests.files import samples
from tests.portfolio.factories import EvidenceFactory

ROOT = Path(__file__).resolve().parents[1]
WAIT_SECONDS = 120  # a generous bound on a loaded machine; every wait ends as soon as its event happens
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"

pytestmark = pytest.mark.django_db(transaction=True)


class Workers:
    """Starts worker processes that share the test's database, broker, mail folder and files."""

    def __init__(self, tmp_path: Path, broker: str):
        db = django_settings.DATABASES["default"]
        self.mail_dir = tmp_path / "mail"
        self.mail_dir.mkdir()
        self.reached = tmp_path / "reached"
        self.env = os.environ | {
            "DJANGO_SETTINGS_MODULE": "mtl_portal.settings.test",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "TEST_CELERY_BROKER_URL": broker,
            "TEST_EMAIL_BACKEND": EMAIL_BACKEND,
            "TEST_EMAIL_FILE_PATH": str(self.mail_dir),
            "TEST_CELERY_FAST_REDELIVERY": "1",
            "PRIVATE_MEDIA_DIR": str(django_settings.PRIVATE_MEDIA_ROOT),
        }
        self.processes: list[subprocess.Popen] = []

    def _start(self, args: list[str], **env) -> subprocess.Popen:
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, *args],
            cwd=ROOT,
            env=self.env | env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.processes.append(process)
        return process

    def stopping_at(self, target: str, *, skip: int = 0, pool: str = "solo") -> subprocess.Popen:
        """A worker that stops dead at the (skip + 1)-th call of `target`."""
        return self._start(
            ["-m", "tests.fault_worker"],
            FAULT_AT=target,
            FAULT_REACHED=str(self.reached),
            FAULT_SKIP=str(skip),
            FAULT_POOL=pool,
            # A pool process's death must give its task back at once, and the claim it left must be
            # taken over at once: with the usual hour and quarter of an hour, neither can be by waiting.
            TEST_CELERY_FAST_REDELIVERY="1" if pool == "solo" else "",
        )

    def plain(self) -> subprocess.Popen:
        return self._start(["-m", "celery", "-A", "mtl_portal", "worker", "--pool=solo", "-l", "warning"])

    def kill_when_stopped(self, process: subprocess.Popen) -> None:
        wait_for(self.reached.exists, "the worker to reach the point it stops at", process)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def kill_pool_process_when_stopped(self, worker: subprocess.Popen) -> None:
        """Kill the pool process running the task, not the worker, as the out-of-memory killer does."""
        wait_for(self.reached.exists, "the pool process to reach the point it stops at", worker)
        pool_process = int(self.reached.read_text())
        assert pool_process != worker.pid
        os.kill(pool_process, signal.SIGKILL)

    def sent(self) -> list[email.message.Message]:
        # The file backend writes each message followed by a line of dashes.
        return [
            email.message_from_string(part)
            for path in sorted(self.mail_dir.iterdir())
            for part in path.read_text().split("\n" + "-" * 79 + "\n")
            if part.strip()
        ]

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()


def wait_for(condition, what: str, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert process is None or process.poll() is None, f"the worker exited before {what}"
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.2)


@pytest.fixture
def workers(tmp_path, settings):
    broker = os.environ.get("TEST_CELERY_BROKER_URL")
    if not broker or connection.vendor != "postgresql":
        pytest.skip("needs scripts/test's Redis broker and PostgreSQL, which worker processes can share")
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    started = Workers(tmp_path, broker)
    celery_app.conf.broker_url = broker
    with celery_app.connection_for_write() as conn:
        conn.default_channel.queue_purge(celery_app.conf.task_default_queue)  # nothing left by another run
    yield started
    celery_app.conf.task_always_eager = True
    started.stop()


def _send_to_workers():
    celery_app.conf.task_always_eager = False


def world_with_three_files():
    world = coaching_world()
    for number in range(3):
        evidence = EvidenceFactory(enrolment=world.enrolment, title=f"Evidence {number}")
        kept = EvidenceFile(
            evidence=evidence, name="notes.pdf", content_type="application/pdf", size=0, uploaded_by=world.participant
        )
        data = samples.pdf()
        kept.size = len(data)
        kept.file.save("notes.pdf", ContentFile(data), save=False)
        kept.save()
    return world


def assert_built_once_and_emailed_once(workers, export, world):
    export.refresh_from_db()
    assert export.status == ExportRequest.Status.READY
    with zipfile.ZipFile(export.file.path) as archive:
        assert sum(name.endswith("notes.pdf") for name in archive.namelist()) == 3
    # One zip kept for the request: the dead run's copy was never saved.
    assert [p.name for p in Path(export.file.path).parent.iterdir()] == [Path(export.file.name).name]
    assert [m["To"] for m in workers.sent()] == [world.participant.email]
    assert ExportRequest.objects.filter(enrolment=world.enrolment).count() == 1


def test_an_invitation_email_cut_short_is_sent_once_by_the_next_worker(workers):
    doomed = workers.stopping_at("django.core.mail.backends.filebased:EmailBackend.send_messages")
    _send_to_workers()
    invitation = account_services.invitation_create(
        email="new.tutor@example.org", first_name="Nia", last_name="Okafor", roles=[Role.TUTOR], invited_by=None
    )
    workers.kill_when_stopped(doomed)
    assert workers.sent() == []
    invitation.refresh_from_db()
    assert invitation.sent_at is None  # the claim died with the worker's transaction

    workers.plain()
    wait_for(lambda: Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=False).exists(), "the email")
    wait_for(lambda: len(workers.sent()) >= 1, "the email file")
    messages = workers.sent()
    assert [m["To"] for m in messages] == ["new.tutor@example.org"]


def test_an_export_cut_short_is_built_once_and_emailed_once_by_the_next_worker(workers):
    world = world_with_three_files()
    # Stopped half-way through the zip, as the PDF of the portfolio is begun (the files are copied
    # into the zip while the PDF is laid out).
    doomed = workers.stopping_at("portfolio.export.pdf:write")
    _send_to_workers()
    export = exports.export_request(enrolment=world.enrolment, by=world.participant)
    workers.kill_when_stopped(doomed)
    export.refresh_from_db()
    assert export.status == ExportRequest.Status.RUNNING  # left by the dead worker
    assert not export.file

    workers.plain()
    wait_for(
        lambda: ExportRequest.objects.filter(pk=export.pk, emailed_at__isnull=False).exists(), "the export's email"
    )
    assert_built_once_and_emailed_once(workers, export, world)


# --- A pool process killed, the worker living on (production runs prefork pools). Its task goes back
# to the queue at once (CELERY_TASK_REJECT_ON_WORKER_LOST), not after the visibility timeout, and
# the worker's next pool process runs it.


def test_an_export_whose_pool_process_is_killed_is_built_once_by_the_same_worker(workers):
    world = world_with_three_files()
    worker = workers.stopping_at("portfolio.export.pdf:write", pool="prefork")
    _send_to_workers()
    export = exports.export_request(enrolment=world.enrolment, by=world.participant)
    workers.kill_pool_process_when_stopped(worker)
    # No restart, and the claim is minutes from stale: the same task come back takes it over.
    wait_for(
        lambda: ExportRequest.objects.filter(pk=export.pk, emailed_at__isnull=False).exists(),
        "the export's email",
        worker,
    )
    assert_built_once_and_emailed_once(workers, export, world)
    assert export.attempts == 2


def test_an_invitation_whose_pool_process_is_killed_is_sent_once_by_the_same_worker(workers):
    worker = workers.stopping_at("django.core.mail.backends.filebased:EmailBackend.send_messages", pool="prefork")
    _send_to_workers()
    invitation = account_services.invitation_create(
        email="second.tutor@example.org", first_name="Ade", last_name="Bello", roles=[Role.TUTOR], invited_by=None
    )
    workers.kill_pool_process_when_stopped(worker)
    wait_for(lambda: len(workers.sent()) >= 1, "the email file", worker)
    wait_for(lambda: Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=False).exists(), "the claim")
    assert [m["To"] for m in workers.sent()] == ["second.tutor@example.org"]


def test_reminders_cut_short_go_once_to_each_person_after_a_restart(workers):
    world = coaching_world()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    log = agreed_log(enrolment=world.enrolment, coach=world.coach)
    PlannedSession.objects.create(log=log, uid="fault-test@mtl-portal", starts_on=tomorrow, sent_sequence=0)
    # The first reminder is sent and committed; the worker dies while sending the second.
    doomed = workers.stopping_at("django.core.mail.backends.filebased:EmailBackend.send_messages", skip=1)
    _send_to_workers()
    coaching_tasks.send_session_reminders.delay()
    workers.kill_when_stopped(doomed)
    assert len(workers.sent()) == 1
    assert SentReminder.objects.filter(kind=ReminderKind.SESSION_TOMORROW).count() == 1

    workers.plain()
    wait_for(lambda: SentReminder.objects.filter(kind=ReminderKind.SESSION_TOMORROW).count() == 2, "the second")
    wait_for(lambda: len(workers.sent()) >= 2, "the second email file")
    assert sorted(m["To"] for m in workers.sent()) == sorted([world.participant.email, world.coach.email])
    # Beat sends the day's task again after a restart of beat: nothing more goes.
    assert reminders.remind_sessions_tomorrow() == 0
    assert mail.outbox == []
