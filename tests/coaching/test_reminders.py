"""Scheduling and reminders: the next session in both people's calendars (an iCalendar invitation,
its update when it moves, its cancellation when it is removed), reminders the day before a
session, for action steps coming due and overdue, and for a record waiting a week for the
participant. Each goes once however often its task runs; each person can turn each kind off; the
emails never quote what was said; heads and programme leaders are never sent one."""

import datetime
import email

import icalendar
import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from coaching import reminders, services, tasks
from coaching.models import AgreementStatus, PlannedSession, ReminderKind, ReminderPreference, SentReminder
from coaching.services import LogContent
from mtl_portal.celery import app
from tests.coaching.factories import SESSION_DAY, DialogueLogFactory, action_step, agreed_log, private_note
from ui.errors import RuleError

pytestmark = pytest.mark.django_db

NEXT = SESSION_DAY + datetime.timedelta(days=14)
SECRET_WORDS = ["Secret-focus", "Secret-discussed", "Secret-reflection", "Secret-step", "Secret-note"]


def _content(**overrides) -> LogContent:
    values = {
        "session_on": SESSION_DAY,
        "duration_minutes": 45,
        "kind": "coaching_conversation",
        "setting": "own_school",
        "focus": "Secret-focus",
        "discussed": "Secret-discussed",
        "next_session_on": NEXT,
        "next_session_at": datetime.time(15, 30),
        "next_session_minutes": 50,
    }
    values.update(overrides)
    return LogContent(**values)


def _calendar(message) -> icalendar.Calendar:
    parsed = email.message_from_string(message.message().as_string())
    parts = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1
    return icalendar.Calendar.from_ical(parts[0].get_payload(decode=True))


def _event(message):
    return next(iter(_calendar(message).walk("VEVENT")))


def _record(world, capture, **overrides):
    with capture(execute=True):
        return services.log_draft_create(enrolment=world.enrolment, coach=world.coach, content=_content(**overrides))


def _update(world, capture, log, **overrides):
    log.refresh_from_db()
    with capture(execute=True):
        return services.log_draft_update(log=log, by=world.coach, version=log.version, content=_content(**overrides))


# --- Calendar invitations.


def test_the_next_session_sends_both_people_a_calendar_invitation(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.log_draft_create(enrolment=world.enrolment, coach=world.coach, content=_content())
    assert mail.outbox == []  # nothing is sent until the log is committed
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.participant.email, world.coach.email])
    planned = PlannedSession.objects.get()
    for message in mail.outbox:
        cal = _calendar(message)
        assert cal["method"] == "REQUEST"
        event = _event(message)
        assert str(event["uid"]) == planned.uid
        assert event["sequence"] == 0
        starts = event.decoded("dtstart")
        assert (starts.date(), starts.time()) == (NEXT, datetime.time(15, 30))
        assert event.decoded("dtend") - starts == datetime.timedelta(minutes=50)
        assert str(starts.tzinfo) == settings.TIME_ZONE
        assert {str(a) for a in event.get("attendee")} == {
            f"mailto:{world.participant.email}",
            f"mailto:{world.coach.email}",
        }
        assert "1 October" not in message.subject
        assert "15 October 2025" in message.subject


def test_a_session_without_a_time_is_an_all_day_entry(world, django_capture_on_commit_callbacks):
    _record(world, django_capture_on_commit_callbacks, next_session_at=None, next_session_minutes=None)
    event = _event(mail.outbox[0])
    assert event.decoded("dtstart") == NEXT
    assert event.decoded("dtend") == NEXT + datetime.timedelta(days=1)


def test_moving_the_session_sends_an_update_of_the_same_event(world, django_capture_on_commit_callbacks):
    log = _record(world, django_capture_on_commit_callbacks)
    first = _event(mail.outbox[0])
    mail.outbox.clear()
    _update(world, django_capture_on_commit_callbacks, log, next_session_on=NEXT + datetime.timedelta(days=2))
    assert len(mail.outbox) == 2
    moved = _event(mail.outbox[0])
    assert moved["uid"] == first["uid"]
    assert moved["sequence"] == 1
    assert moved.decoded("dtstart").date() == NEXT + datetime.timedelta(days=2)
    assert mail.outbox[0].subject.endswith("Moved: coaching session now on 17 October 2025")
    # Saving again with the same date and time sends nothing.
    mail.outbox.clear()
    _update(world, django_capture_on_commit_callbacks, log, next_session_on=NEXT + datetime.timedelta(days=2))
    assert mail.outbox == []


def test_removing_the_session_cancels_it(world, django_capture_on_commit_callbacks):
    log = _record(world, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    _update(
        world,
        django_capture_on_commit_callbacks,
        log,
        next_session_on=None,
        next_session_at=None,
        next_session_minutes=None,
    )
    assert len(mail.outbox) == 2
    assert _calendar(mail.outbox[0])["method"] == "CANCEL"
    event = _event(mail.outbox[0])
    assert event["status"] == "CANCELLED"
    assert event["sequence"] == 1
    assert mail.outbox[0].subject.endswith("Cancelled: coaching session on 15 October 2025")


def test_an_invitation_goes_once_even_if_the_task_runs_twice(world, django_capture_on_commit_callbacks):
    _record(world, django_capture_on_commit_callbacks)
    planned = PlannedSession.objects.get()
    tasks.send_session_invitation.delay(planned.pk)
    tasks.send_session_invitation(planned.pk)
    assert len(mail.outbox) == 2


def test_a_time_or_length_without_a_date_is_refused(world):
    with pytest.raises(RuleError) as refused:
        services.log_draft_create(enrolment=world.enrolment, coach=world.coach, content=_content(next_session_on=None))
    assert refused.value.field == "next_session_on"
    assert not PlannedSession.objects.exists()


def test_the_log_form_takes_the_time_and_length_of_the_next_session(client, world, django_capture_on_commit_callbacks):
    from tests.coaching.factories import log_form_data

    client.force_login(world.coach)
    data = log_form_data(next_session_at="09:15", next_session_minutes="30")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("coaching:log_create", args=[world.enrolment.pk]), data)
    assert response.status_code == 302
    planned = PlannedSession.objects.get()
    assert (planned.starts_at, planned.duration_minutes) == (datetime.time(9, 15), 30)
    bad = client.post(
        reverse("coaching:log_create", args=[world.enrolment.pk]), log_form_data(next_session_minutes="0")
    )
    assert "planned length in minutes" in bad.content.decode()


# --- The day before a session.


def test_both_people_are_reminded_the_day_before_once(world, django_capture_on_commit_callbacks):
    _record(world, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    day_before = NEXT - datetime.timedelta(days=1)
    assert reminders.remind_sessions_tomorrow(today=day_before - datetime.timedelta(days=1)) == 0
    assert reminders.remind_sessions_tomorrow(today=day_before) == 2
    assert reminders.remind_sessions_tomorrow(today=day_before) == 0  # the task ran twice
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.participant.email, world.coach.email])
    assert SentReminder.objects.filter(kind=ReminderKind.SESSION_TOMORROW).count() == 2
    assert "tomorrow" in mail.outbox[0].body


def test_a_cancelled_session_is_not_reminded(world, django_capture_on_commit_callbacks):
    log = _record(world, django_capture_on_commit_callbacks)
    _update(
        world,
        django_capture_on_commit_callbacks,
        log,
        next_session_on=None,
        next_session_at=None,
        next_session_minutes=None,
    )
    mail.outbox.clear()
    assert reminders.remind_sessions_tomorrow(today=NEXT - datetime.timedelta(days=1)) == 0


def test_a_person_who_turned_session_reminders_off_gets_none(world, django_capture_on_commit_callbacks):
    services.reminder_preferences_save(user=world.coach, turned_off={ReminderKind.SESSION_TOMORROW})
    _record(world, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    assert reminders.remind_sessions_tomorrow(today=NEXT - datetime.timedelta(days=1)) == 1
    assert [m.to for m in mail.outbox] == [[world.participant.email]]


def test_a_person_who_turned_invitations_off_gets_none(world, django_capture_on_commit_callbacks):
    services.reminder_preferences_save(user=world.participant, turned_off={ReminderKind.SESSION_INVITATION})
    _record(world, django_capture_on_commit_callbacks)
    assert [m.to for m in mail.outbox] == [[world.coach.email]]


# --- Action steps.


def test_the_owner_is_reminded_of_a_step_coming_due_and_then_overdue_once_each(world):
    log = agreed_log(enrolment=world.enrolment, coach=world.coach)
    step = action_step(log, description="Secret-step", due_on=NEXT)
    assert reminders.remind_action_steps(today=NEXT - datetime.timedelta(days=4)) == 0
    assert reminders.remind_action_steps(today=NEXT - datetime.timedelta(days=3)) == 1
    assert reminders.remind_action_steps(today=NEXT - datetime.timedelta(days=2)) == 0
    assert reminders.remind_action_steps(today=NEXT + datetime.timedelta(days=1)) == 1
    assert reminders.remind_action_steps(today=NEXT + datetime.timedelta(days=5)) == 0
    assert reminders.remind_action_steps(today=NEXT + datetime.timedelta(days=7)) == 0
    assert [m.to for m in mail.outbox] == [[world.participant.email]] * 2
    assert "is due on" in mail.outbox[0].subject
    assert "was due on" in mail.outbox[1].subject
    assert reverse("coaching:action_steps", args=[step.enrolment_id]) in mail.outbox[0].body


def test_an_overdue_step_is_reminded_once_a_week_while_it_stays_open(world):
    step = action_step(agreed_log(enrolment=world.enrolment, coach=world.coach), due_on=NEXT)
    week = datetime.timedelta(days=7)
    first_day = NEXT + datetime.timedelta(days=1)
    # The first overdue week: the task runs twice on its first day and again later that week.
    assert reminders.remind_action_steps(today=first_day) == 1
    assert reminders.remind_action_steps(today=first_day) == 0
    assert reminders.remind_action_steps(today=first_day + datetime.timedelta(days=6)) == 0
    # The next week it goes again, once, however often the task runs.
    assert reminders.remind_action_steps(today=first_day + week) == 1
    assert reminders.remind_action_steps(today=first_day + week) == 0
    assert reminders.remind_action_steps(today=first_day + week + datetime.timedelta(days=3)) == 0
    # A week when the task first runs late still sends one reminder.
    assert reminders.remind_action_steps(today=first_day + 2 * week + datetime.timedelta(days=2)) == 1
    assert len(mail.outbox) == 3
    assert mail.outbox[0].subject.endswith("An action step was due on 15 October 2025")
    assert mail.outbox[1].subject.endswith("An action step due on 15 October 2025 is still open")
    assert "1 week" in mail.outbox[1].body
    assert "2 weeks" in mail.outbox[2].body
    # Closed: no more reminders.
    services.action_step_close(step=step, by=world.participant, status="done")
    assert reminders.remind_action_steps(today=first_day + 3 * week) == 0
    assert len(mail.outbox) == 3


def test_closed_steps_and_steps_of_unagreed_logs_are_not_reminded(world):
    action_step(agreed_log(enrolment=world.enrolment, coach=world.coach), due_on=NEXT, status="done")
    action_step(DialogueLogFactory(enrolment=world.enrolment, coach=world.coach), due_on=NEXT)
    assert reminders.remind_action_steps(today=NEXT) == 0


def test_a_coachs_own_step_reminds_the_coach(world):
    action_step(agreed_log(enrolment=world.enrolment, coach=world.coach), owner=world.coach, due_on=NEXT)
    assert reminders.remind_action_steps(today=NEXT) == 1
    assert mail.outbox[0].to == [world.coach.email]


def test_turning_overdue_reminders_off_keeps_due_ones(world):
    services.reminder_preferences_save(user=world.participant, turned_off={ReminderKind.ACTION_STEP_OVERDUE})
    action_step(agreed_log(enrolment=world.enrolment, coach=world.coach), due_on=NEXT)
    assert reminders.remind_action_steps(today=NEXT + datetime.timedelta(days=1)) == 0
    assert reminders.remind_action_steps(today=NEXT) == 1


# --- A record waiting for the participant.


def _waiting(world, days: int):
    return DialogueLogFactory(
        enrolment=world.enrolment,
        coach=world.coach,
        status=AgreementStatus.AWAITING_PARTICIPANT,
        coach_agreed_at=timezone.now() - datetime.timedelta(days=days),
    )


def test_a_record_waiting_a_week_reminds_the_participant_once(world):
    _waiting(world, days=6)
    waiting = _waiting(world, days=7)
    assert reminders.remind_drafts_waiting() == 1
    assert reminders.remind_drafts_waiting() == 0
    assert mail.outbox[0].to == [world.participant.email]
    assert reverse("coaching:log_respond", args=[waiting.pk]) in mail.outbox[0].body


# --- What the emails say, and to whom.


def test_no_email_quotes_what_was_said_and_none_goes_to_head_or_leader(world, django_capture_on_commit_callbacks):
    log = _record(world, django_capture_on_commit_callbacks)
    agreed = agreed_log(
        enrolment=world.enrolment, coach=world.coach, focus="Secret-focus", participant_reflection="Secret-reflection"
    )
    private_note(agreed, "Secret-note")
    action_step(agreed, description="Secret-step", success_criteria="Secret-step", due_on=NEXT)
    _waiting(world, days=8)
    reminders.remind_sessions_tomorrow(today=NEXT - datetime.timedelta(days=1))
    reminders.remind_action_steps(today=NEXT)
    reminders.remind_drafts_waiting()
    _update(
        world,
        django_capture_on_commit_callbacks,
        log,
        next_session_on=None,
        next_session_at=None,
        next_session_minutes=None,
    )
    assert len(mail.outbox) >= 7
    for message in mail.outbox:
        text = message.message().as_string()
        for words in SECRET_WORDS:
            assert words not in text, (message.subject, words)
        assert message.to[0] in (world.participant.email, world.coach.email)
        assert reverse("coaching:reminder_preferences") in message.body


# --- Turning emails off.


def test_each_person_turns_each_kind_of_email_off_on_a_page_linked_from_their_account(client, world):
    client.force_login(world.participant)
    account = client.get(reverse("accounts:account_overview")).content.decode()
    assert reverse("coaching:reminder_preferences") in account
    page = client.get(reverse("coaching:reminder_preferences"))
    assert page.status_code == 200
    for kind in ReminderKind:
        assert kind.label in page.content.decode()
    wanted = [k for k in ReminderKind.values if k != ReminderKind.DRAFT_WAITING]
    response = client.post(reverse("coaching:reminder_preferences"), {"wanted": wanted})
    assert response.status_code == 302
    assert ReminderPreference.objects.get(user=world.participant).turned_off == [ReminderKind.DRAFT_WAITING]
    assert not reminders.wants(world.participant, ReminderKind.DRAFT_WAITING)
    assert reminders.wants(world.coach, ReminderKind.DRAFT_WAITING)
    assert reminders.wants(world.participant, ReminderKind.SESSION_TOMORROW)


def test_an_unknown_kind_of_email_is_refused(client, world):
    client.force_login(world.participant)
    response = client.post(reverse("coaching:reminder_preferences"), {"wanted": ["everything"]})
    assert response.status_code == 200
    assert not ReminderPreference.objects.exists()


def test_the_preferences_page_needs_sign_in(client):
    response = client.get(reverse("coaching:reminder_preferences"))
    assert response.status_code == 302


# --- Celery beat.


def test_the_periodic_tasks_are_on_celery_beats_schedule():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    coaching = {task for task in scheduled if task.startswith("coaching.")}
    assert coaching == {
        "coaching.tasks.send_session_reminders",
        "coaching.tasks.send_action_step_reminders",
        "coaching.tasks.send_draft_waiting_reminders",
    }
    app.loader.import_default_modules()
    assert scheduled <= set(app.tasks)


def test_the_periodic_tasks_run(world):
    action_step(agreed_log(enrolment=world.enrolment, coach=world.coach), due_on=timezone.localdate())
    assert tasks.send_action_step_reminders.delay().get() == 1
    assert tasks.send_session_reminders.delay().get() == 0
    assert tasks.send_draft_waiting_reminders.delay().get() == 0
