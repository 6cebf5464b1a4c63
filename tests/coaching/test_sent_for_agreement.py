"""When the coach sends a session record or the initial diagnosis to the participant, the
participant is emailed at once (after the change commits): on by default, with its own choice to
turn it off, once per record per day however often the task runs, never quoting what was said."""

import pytest
from django.core import mail
from django.urls import reverse

from coaching import reminders, services
from coaching.models import AgreementStatus, ReminderKind, ReminderPreference
from tests.coaching.factories import SESSION_DAY, DialogueLogFactory

pytestmark = pytest.mark.django_db


def _draft(world):
    return DialogueLogFactory(enrolment=world.enrolment, coach=world.coach, focus="Secret-focus")


def _send(client, world, log, capture):
    client.force_login(world.coach)
    with capture(execute=True) as callbacks:
        response = client.post(reverse("coaching:log_send", args=[log.pk]), {"version": log.version})
    assert response.status_code == 302
    return callbacks


def test_sending_a_log_emails_the_participant_a_link_to_agree_it(client, world, django_capture_on_commit_callbacks):
    log = _draft(world)
    callbacks = _send(client, world, log, django_capture_on_commit_callbacks)
    assert callbacks  # sent once the change committed, not before
    assert [m.to for m in mail.outbox] == [[world.participant.email]]
    message = mail.outbox[0]
    assert world.coach.get_full_name() in message.subject
    assert f"{SESSION_DAY.day} {SESSION_DAY:%B}" in message.subject
    assert reverse("coaching:log_respond", args=[log.pk]) in message.body
    assert reverse("coaching:reminder_preferences") in message.body
    assert "Secret-focus" not in message.message().as_string()


def test_nothing_is_emailed_when_the_send_is_refused(client, world, django_capture_on_commit_callbacks):
    blank = dict.fromkeys(["discussed", "strengths", "pupil_outcomes", "evidence_considered"], "")
    log = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach, **blank)
    client.force_login(world.coach)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("coaching:log_send", args=[log.pk]), {"version": log.version})
    log.refresh_from_db()
    assert log.status == AgreementStatus.DRAFT
    assert mail.outbox == []


def test_sending_the_diagnosis_emails_the_participant(world, django_capture_on_commit_callbacks):
    content = services.DiagnosisContent(
        held_on=SESSION_DAY,
        summary="Secret-summary",
        needs=(services.NeedInput(world.area.pk, "Secret-need"),),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.diagnosis_save(
            enrolment=world.enrolment, coach=world.coach, content=content, version=None, send_for_agreement=True
        )
    assert [m.to for m in mail.outbox] == [[world.participant.email]]
    assert reverse("coaching:diagnosis_respond", args=[world.enrolment.pk]) in mail.outbox[0].body
    assert "Secret" not in mail.outbox[0].message().as_string()


def test_saving_a_draft_without_sending_it_emails_nobody(world, django_capture_on_commit_callbacks):
    content = services.DiagnosisContent(held_on=SESSION_DAY, needs=(services.NeedInput(world.area.pk, "A need"),))
    with django_capture_on_commit_callbacks(execute=True):
        services.diagnosis_save(enrolment=world.enrolment, coach=world.coach, content=content, version=None)
    assert mail.outbox == []


def test_a_participant_who_turned_it_off_gets_no_email(client, world, django_capture_on_commit_callbacks):
    ReminderPreference.objects.create(user=world.participant, turned_off=[ReminderKind.LOG_SENT])
    _send(client, world, _draft(world), django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_the_email_goes_once_per_day_however_often_the_task_runs(world):
    log = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach, status=AgreementStatus.AWAITING_PARTICIPANT)
    log.coach_agreed_at = log.updated_at
    log.save()
    assert reminders.send_sent_for_agreement(kind=ReminderKind.LOG_SENT, record_id=log.pk)
    assert not reminders.send_sent_for_agreement(kind=ReminderKind.LOG_SENT, record_id=log.pk)
    assert len(mail.outbox) == 1


def test_a_record_already_agreed_or_sent_back_is_not_announced(world):
    log = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach, status=AgreementStatus.DRAFT)
    assert not reminders.send_sent_for_agreement(kind=ReminderKind.LOG_SENT, record_id=log.pk)
    assert not reminders.send_sent_for_agreement(kind=ReminderKind.LOG_SENT, record_id=log.pk + 1000)
    assert mail.outbox == []


def test_an_unknown_kind_is_refused_loudly(world):
    with pytest.raises(ValueError):
        reminders.send_sent_for_agreement(kind="everything", record_id=1)


def test_the_choice_is_on_the_emails_page_and_on_by_default(client, world):
    client.force_login(world.participant)
    body = client.get(reverse("coaching:reminder_preferences")).content.decode()
    assert ReminderKind.LOG_SENT.label in body
    assert ReminderKind.DIAGNOSIS_SENT.label in body
    assert reminders.wants(world.participant, ReminderKind.LOG_SENT)
    assert reminders.wants(world.participant, ReminderKind.DIAGNOSIS_SENT)
