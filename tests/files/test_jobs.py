"""files.jobs.claim: a prepared file is built by one run at a time. The same task delivered again
(its earlier run died) takes the file over at once, another waits until the claim is stale, and a
file whose runs keep dying ends failed rather than being tried for ever."""

import datetime

import pytest
from django.utils import timezone

from files import jobs
from portfolio.models import ExportRequest
from tests.coaching.factories import coaching_world

pytestmark = pytest.mark.django_db
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def export():
    world = coaching_world()
    return ExportRequest.objects.create(enrolment=world.enrolment, requested_by=world.participant)


@pytest.fixture
def now(settings):
    settings.PREPARED_FILE_STALE_SECONDS = 15 * 60
    return timezone.now()


def claim(export, task_id, at) -> bool:
    return jobs.claim(ExportRequest, export.pk, at, task_id=task_id)


def test_another_task_waits_until_the_claim_is_stale(export, now):
    assert claim(export, "first", now)
    assert not claim(export, "second", now + MINUTE)
    assert not claim(export, "", now + MINUTE)
    assert claim(export, "second", now + 16 * MINUTE)
    export.refresh_from_db()
    assert (export.status, export.claimed_by_task, export.attempts) == ("running", "second", 2)


def test_the_same_task_delivered_again_takes_over_at_once(export, now):
    assert claim(export, "first", now)
    assert claim(export, "first", now + MINUTE)
    export.refresh_from_db()
    assert (export.started_at, export.attempts) == (now + MINUTE, 2)


def test_a_run_without_a_task_id_is_never_taken_for_its_own_redelivery(export, now):
    assert claim(export, "", now)
    assert not claim(export, "", now + MINUTE)


def test_a_file_whose_runs_keep_dying_fails_after_the_last_attempt(export, now):
    for attempt in range(jobs.MAX_ATTEMPTS):
        assert claim(export, "doomed", now + attempt * MINUTE)
    assert not claim(export, "doomed", now + 10 * MINUTE)
    export.refresh_from_db()
    assert (export.status, export.attempts, export.finished_at) == ("failed", jobs.MAX_ATTEMPTS, now + 10 * MINUTE)
    assert not claim(export, "doomed", now + 20 * MINUTE)
    assert not claim(export, "new", now + 60 * MINUTE)
    export.refresh_from_db()
    assert export.status == "failed"


def test_a_finished_file_is_not_taken_again_by_its_own_task(export, now):
    assert claim(export, "first", now)
    ExportRequest.objects.filter(pk=export.pk).update(status="ready")
    assert not claim(export, "first", now + MINUTE)
    assert not claim(export, "first", now + 60 * MINUTE)
