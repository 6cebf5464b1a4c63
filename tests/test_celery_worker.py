"""A task goes through Redis to a real Celery worker process, which sends the email."""

import email
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from accounts import services
from accounts.roles import Role
from mtl_portal.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker(tmp_path):
    broker = os.environ.get("TEST_CELERY_BROKER_URL")
    if not broker or connection.vendor != "postgresql":
        pytest.skip("needs scripts/test's Redis broker and PostgreSQL, which a worker process can share")
    db = django_settings.DATABASES["default"]
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "mtl_portal.settings.test",
        # The worker must see the test database, not the development one.
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "TEST_EMAIL_FILE_PATH": str(mail_dir),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "mtl_portal", "worker", "--pool=solo", "-l", "warning"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = broker
    try:
        yield mail_dir
    finally:
        celery_app.conf.task_always_eager = True
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_invitation_email_is_sent_by_a_worker_through_redis(worker):
    invitation = services.invitation_create(
        email="new.coach@example.org",
        first_name="Nia",
        last_name="Okafor",
        roles=[Role.TUTOR],
        invited_by=None,
    )

    deadline = time.monotonic() + 60
    sent = []
    while time.monotonic() < deadline and not sent:
        sent = list(worker.iterdir())
        time.sleep(0.25)

    assert len(sent) == 1, "the worker did not send the invitation within 60 seconds"
    # The file backend writes each message followed by a line of dashes.
    message = email.message_from_string(sent[0].read_text().rsplit("\n" + "-" * 79, 1)[0])
    assert message["To"] == "new.coach@example.org"
    body = next(p for p in message.walk() if p.get_content_type() == "text/plain").get_payload(decode=True).decode()
    # The link's token is signed with a timestamp, so compare what it means, not its characters.
    token = re.search(r"/invitations/([^/\s]+)/", body).group(1)
    assert services.invitation_from_token(token) == invitation
    invitation.refresh_from_db()
    assert invitation.sent_at is not None
