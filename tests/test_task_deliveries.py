"""mtl_portal.celery.CountedDeliveries: a message whose runs keep dying (each delivery killing its
pool process) is not run again after MAX_DELIVERIES, rather than coming round for ever."""

import uuid

import pytest

from mtl_portal.celery import MAX_DELIVERIES
from portfolio import tasks


def deliver(task, task_id: str):
    task.push_request(id=task_id, is_eager=False)
    try:
        return task()
    finally:
        task.pop_request()


@pytest.mark.django_db
def test_a_message_delivered_more_than_the_limit_is_not_run(monkeypatch):
    runs = []
    monkeypatch.setattr("portfolio.services.exports.exports_expire", lambda: runs.append(1) or 7)
    doomed = f"doomed-{uuid.uuid4()}"
    assert [deliver(tasks.expire_exports, doomed) for _ in range(MAX_DELIVERIES)] == [7] * MAX_DELIVERIES
    assert deliver(tasks.expire_exports, doomed) is None
    assert len(runs) == MAX_DELIVERIES
    # Another message of the same task is counted on its own.
    assert deliver(tasks.expire_exports, f"fresh-{uuid.uuid4()}") == 7


def test_a_task_run_in_the_request_is_never_counted(monkeypatch):
    monkeypatch.setattr("portfolio.services.exports.exports_expire", lambda: 7)
    for _ in range(MAX_DELIVERIES + 2):
        assert tasks.expire_exports.apply(task_id="eager-every-time").get() == 7
