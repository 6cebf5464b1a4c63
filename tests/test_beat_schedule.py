"""Celery beat's schedule survives a restart without sending twice.

Beat (django_celery_beat's DatabaseScheduler) keeps each entry's last run in the database, but a
restart of beat, or a worker that dies after a run, can still run a day's task twice. What makes
that harmless is each task's own record of what it did (SentReminder for reminders, the claimed
`emailed_at` and status of an export, the release of results): every scheduled task is run twice
here on a day when each has something to do, and the second run sends nothing and changes nothing.
"""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from coaching.models import AgreementStatus, PlannedSession, SentReminder
from mtl_portal.celery import app
from tests.coaching.factories import DialogueLogFactory, action_step, agreed_log, coaching_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tasks_registered():
    # A worker imports every app's tasks module when it starts (autodiscovery); so does this.
    app.loader.import_default_modules()


def _something_due_for_every_reminder():
    world = coaching_world()
    today = timezone.localdate()
    log = agreed_log(enrolment=world.enrolment, coach=world.coach)
    PlannedSession.objects.create(log=log, uid="beat-test@mtl-portal", starts_on=today + datetime.timedelta(days=1))
    action_step(log, due_on=today + datetime.timedelta(days=2))
    DialogueLogFactory(
        enrolment=world.enrolment,
        coach=world.coach,
        status=AgreementStatus.AWAITING_PARTICIPANT,
        coach_agreed_at=timezone.now() - datetime.timedelta(days=10),
    )
    return world


def test_every_scheduled_task_run_twice_sends_nothing_the_second_time():
    _something_due_for_every_reminder()
    tasks = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert len(tasks) == len(set(tasks))

    for name in tasks:
        app.tasks[name].apply().get()
    first_emails, first_reminders = len(mail.outbox), SentReminder.objects.count()
    # At least the session tomorrow (participant and coach), the step due soon, the waiting record.
    assert first_reminders >= 4
    assert first_emails >= first_reminders

    for name in tasks:  # beat restarted and ran the day's schedule again
        app.tasks[name].apply().get()
    assert len(mail.outbox) == first_emails
    assert SentReminder.objects.count() == first_reminders


def test_every_scheduled_task_is_acknowledged_late_so_a_dead_workers_run_is_given_again():
    assert app.conf.task_acks_late is True
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        task = app.tasks[entry["task"]]
        assert task.acks_late in (None, True), entry["task"]  # None: the app's setting stands
    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"
    # The broker gives a dead worker's task again after this; an export it left is stale before then.
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > settings.PREPARED_FILE_STALE_SECONDS
