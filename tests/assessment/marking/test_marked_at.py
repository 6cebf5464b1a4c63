"""When work was first marked (Marking.marked_at): the start of a tutor's turnaround on the
programme leader's page of tutors' marking (tracking.leader)."""

import importlib

import pytest
from django.apps import apps

from assessment.models import Marking
from assessment.services import marking as services
from assessment.workflow import Move
from audit.models import AuditEvent
from tests.assessment.marking.helpers import marking_world

pytestmark = pytest.mark.django_db


def _complete(world, marking: Marking) -> Marking:
    return services.marking_move(by=world.tutor, marking=marking, move=Move.COMPLETE, version=marking.version)


def test_completing_the_marking_records_when_and_reopening_it_does_not_move_it():
    world = marking_world()
    marking = world.mark_all(world.start())
    assert marking.marked_at is None
    marking = _complete(world, marking)
    first = marking.marked_at
    assert first is not None
    marking = services.marking_move(by=world.tutor, marking=marking, move=Move.REOPEN, version=marking.version)
    marking = _complete(world, marking)
    marking.refresh_from_db()
    assert marking.marked_at == first


def test_work_marked_before_the_field_existed_takes_the_time_from_the_audit_trail():
    world = marking_world()
    marking = _complete(world, world.mark_all(world.start()))
    event = AuditEvent.objects.get(action="marking_move", record_id=str(marking.pk), detail__to="marked")
    Marking.objects.filter(pk=marking.pk).update(marked_at=None)
    migration = importlib.import_module("assessment.migrations.0009_marking_marked_at")
    migration.from_the_audit_trail(apps, None)
    marking.refresh_from_db()
    assert marking.marked_at == event.at
