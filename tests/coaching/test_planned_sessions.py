"""Only a participant's latest planned session stands. When a later log plans a session, the
still-open plan of an earlier log is cancelled: both people get a METHOD:CANCEL calendar update and
no reminder the day before. A plan whose date has passed is over, and is left alone."""

import datetime
import email

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from coaching import reminders, selectors, services
from coaching.models import PlannedSession
from coaching.services import LogContent
from programme.models import ContentArea
from tests.coaching.factories import SESSION_DAY, DialogueLogFactory

pytestmark = pytest.mark.django_db

D = datetime.date
FIRST_PLAN = D(2025, 10, 15)


def _content(session_on: datetime.date, next_session_on: datetime.date | None) -> LogContent:
    return LogContent(
        session_on=session_on,
        duration_minutes=45,
        kind="coaching_conversation",
        setting="own_school",
        discussed="We talked about wait time.",
        content_area_ids=(ContentArea.objects.get(number=1).pk,),
        next_session_on=next_session_on,
        next_session_at=datetime.time(15, 30) if next_session_on else None,
    )


def _record(world, capture, *, session_on, next_session_on, today):
    with capture(execute=True):
        return services.log_draft_create(
            enrolment=world.enrolment,
            coach=world.coach,
            content=_content(session_on, next_session_on),
            today=today,
        )


def _calendars(messages):
    found = []
    for message in messages:
        parsed = email.message_from_string(message.message().as_string())
        for part in parsed.walk():
            if part.get_content_type() == "text/calendar":
                cal = icalendar.Calendar.from_ical(part.get_payload(decode=True))
                found.append((message.to[0], str(cal["method"]), next(iter(cal.walk("VEVENT")))))
    return found


def test_a_later_logs_plan_cancels_the_earlier_open_plan_for_both_people(world, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    first = _record(world, capture, session_on=SESSION_DAY, next_session_on=FIRST_PLAN, today=SESSION_DAY)
    old_plan = PlannedSession.objects.get(log=first)
    mail.outbox.clear()
    # An extra session on 8 October plans the next one for 22 October: the 15 October plan is replaced.
    second = _record(world, capture, session_on=D(2025, 10, 8), next_session_on=D(2025, 10, 22), today=D(2025, 10, 8))
    old_plan.refresh_from_db()
    assert old_plan.cancelled
    assert old_plan.superseded_by == second
    sent = _calendars(mail.outbox)
    cancels = [(to, event) for to, method, event in sent if method == "CANCEL"]
    requests = [(to, event) for to, method, event in sent if method == "REQUEST"]
    assert sorted(to for to, _ in cancels) == sorted([world.participant.email, world.coach.email])
    for _, event in cancels:
        assert str(event["uid"]) == old_plan.uid
        assert event["sequence"] == 1
        assert event["status"] == "CANCELLED"
        assert event.decoded("dtstart").date() == FIRST_PLAN
    assert sorted(to for to, _ in requests) == sorted([world.participant.email, world.coach.email])
    assert all(event.decoded("dtstart").date() == D(2025, 10, 22) for _, event in requests)
    assert any(m.subject.endswith("Cancelled: coaching session on 15 October 2025") for m in mail.outbox)
    # No reminder the day before the cancelled session; the new one is reminded as usual.
    mail.outbox.clear()
    assert reminders.remind_sessions_tomorrow(today=FIRST_PLAN - datetime.timedelta(days=1)) == 0
    assert reminders.remind_sessions_tomorrow(today=D(2025, 10, 21)) == 2


def test_the_cancellation_goes_once_and_saving_the_later_log_again_sends_nothing_more(
    world, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    _record(world, capture, session_on=SESSION_DAY, next_session_on=FIRST_PLAN, today=SESSION_DAY)
    second = _record(world, capture, session_on=D(2025, 10, 8), next_session_on=D(2025, 10, 22), today=D(2025, 10, 8))
    mail.outbox.clear()
    second.refresh_from_db()
    with capture(execute=True):
        services.log_draft_update(
            log=second,
            by=world.coach,
            version=second.version,
            content=_content(D(2025, 10, 8), D(2025, 10, 22)),
            today=D(2025, 10, 9),
        )
    assert mail.outbox == []


def test_a_plan_whose_date_has_passed_is_over_and_not_cancelled(world, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    first = _record(world, capture, session_on=SESSION_DAY, next_session_on=FIRST_PLAN, today=SESSION_DAY)
    mail.outbox.clear()
    # The coach records the 15 October session a day late, planning the next one.
    _record(world, capture, session_on=FIRST_PLAN, next_session_on=D(2025, 10, 29), today=D(2025, 10, 16))
    assert not PlannedSession.objects.get(log=first).cancelled
    assert {method for _, method, _ in _calendars(mail.outbox)} == {"REQUEST"}


def test_the_planned_session_recorded_on_its_own_day_is_not_cancelled(world, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    first = _record(world, capture, session_on=SESSION_DAY, next_session_on=FIRST_PLAN, today=SESSION_DAY)
    mail.outbox.clear()
    _record(world, capture, session_on=FIRST_PLAN, next_session_on=D(2025, 10, 29), today=FIRST_PLAN)
    assert not PlannedSession.objects.get(log=first).cancelled
    assert {method for _, method, _ in _calendars(mail.outbox)} == {"REQUEST"}


def test_an_earlier_session_recorded_afterwards_does_not_plan_over_a_later_one(
    world, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    later = _record(world, capture, session_on=D(2025, 10, 8), next_session_on=D(2025, 10, 22), today=D(2025, 10, 8))
    mail.outbox.clear()
    earlier = _record(world, capture, session_on=SESSION_DAY, next_session_on=FIRST_PLAN, today=D(2025, 10, 9))
    assert not PlannedSession.objects.filter(log=earlier).exists()
    assert not PlannedSession.objects.get(log=later).cancelled
    assert mail.outbox == []


def test_an_earlier_logs_plan_changed_after_a_later_plan_is_cancelled_not_moved(
    world, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    first = _record(world, capture, session_on=SESSION_DAY, next_session_on=FIRST_PLAN, today=SESSION_DAY)
    _record(world, capture, session_on=D(2025, 10, 8), next_session_on=D(2025, 10, 22), today=D(2025, 10, 8))
    mail.outbox.clear()
    first.refresh_from_db()
    with capture(execute=True):
        services.log_draft_update(
            log=first,
            by=world.coach,
            version=first.version,
            content=_content(SESSION_DAY, D(2025, 10, 16)),
            today=D(2025, 10, 9),
        )
    assert PlannedSession.objects.get(log=first).cancelled
    assert mail.outbox == []  # it was cancelled already; nothing new to send


def test_my_coachees_shows_the_latest_plan_not_a_replaced_one(world):
    today = timezone.localdate()
    DialogueLogFactory(
        enrolment=world.enrolment,
        coach=world.coach,
        session_on=today - datetime.timedelta(days=10),
        next_session_on=today + datetime.timedelta(days=3),
    )
    DialogueLogFactory(
        enrolment=world.enrolment,
        coach=world.coach,
        session_on=today - datetime.timedelta(days=2),
        next_session_on=today + datetime.timedelta(days=12),
    )
    overview = selectors.coachee_overview(world.coach, [world.enrolment])[world.enrolment.pk]
    assert overview.next_session_on == today + datetime.timedelta(days=12)
