"""The registry: every app's kinds of record, found by enrolment without knowing the app."""

import datetime

import pytest
from django.apps import apps
from django.db import models

from coaching.models import DialogueLog, LearningGoal, PrivateNote
from programme import access
from programme.access import Action, RecordKind
from programme.models import Enrolment
from tests.coaching.factories import DialogueLogFactory, agreed_log, private_note

pytestmark = pytest.mark.django_db


def _reaches_enrolment(model: type[models.Model], depth: int = 3) -> bool:
    """Whether a chain of foreign keys leads from the model to a participant's enrolment."""
    if depth == 0:
        return False
    for f in model._meta.get_fields():
        if not (f.many_to_one or f.one_to_one) or not f.concrete or f.related_model is None:
            continue
        if f.related_model is Enrolment or _reaches_enrolment(f.related_model, depth - 1):
            return True
    return False


def test_every_coaching_model_with_an_enrolment_is_registered():
    belonging = {m for m in apps.get_app_config("coaching").get_models() if _reaches_enrolment(m)}
    assert belonging  # the walk found the logs, the diagnosis and the rest
    assert belonging <= {r.model for r in access.registrations()}


@pytest.mark.parametrize("reg", access.registrations(), ids=lambda r: r.model.__name__)
def test_each_registration_finds_its_enrolment_and_date(reg):
    # The lookups are real: each query runs.
    assert (
        list(access.records_of(1, dated_from=datetime.date(2025, 1, 1), dated_to=datetime.date(2026, 1, 1))[reg.model])
        == []
    )
    assert reg.kinds <= set(RecordKind)


def test_records_of_gives_every_record_of_one_enrolment_and_no_other(world):
    log = agreed_log(enrolment=world.enrolment, coach=world.coach)
    note = private_note(log)
    elsewhere = DialogueLogFactory(coach=world.stranger_coach, enrolment=world.other_participant.enrolments.get())
    found = access.records_of(world.enrolment)
    assert list(found[DialogueLog]) == [log]
    assert list(found[PrivateNote]) == [note]
    assert not found[LearningGoal].exists()
    assert elsewhere not in access.records_of(world.enrolment.pk)[DialogueLog]
    assert not access.records_of(world.enrolment, dated_from=log.session_on + datetime.timedelta(days=1))[
        DialogueLog
    ].exists()


def test_an_examiners_sample_is_looked_up_once_for_any_number_of_records(world):
    logs = [agreed_log(enrolment=world.enrolment, coach=world.coach) for _ in range(6)]
    asked = []

    def in_sample(examiner, ids):
        asked.append(sorted(ids))
        return {logs[0].pk, logs[3].pk}

    reg = access.registration(DialogueLog)
    try:
        access.register(DialogueLog, kinds=reg.kinds, enrolment=reg.enrolment, date=reg.date, sample=in_sample)
        judged = dict(access.judge(world.examiner, logs))
    finally:
        access.register(DialogueLog, kinds=reg.kinds, enrolment=reg.enrolment, date=reg.date, sample=reg.sample)
    assert asked == [sorted(log.pk for log in logs)]
    assert [Action.VIEW in judged[log] for log in logs] == [True, False, False, True, False, False]
    # Nobody else's answer depends on a sample, and asking costs them nothing.
    assert not any(Action.VIEW in a for _, a in access.judge(world.leader, logs))


def test_a_model_is_registered_with_at_least_one_kind():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        access.register(Enrolment, kinds=[], enrolment="pk", date="programme_started_on")
