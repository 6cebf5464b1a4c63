"""Coaching emails: calendar invitations to planned sessions, and reminders.

Called by the thin Celery tasks in coaching.tasks (the periodic ones on celery beat's schedule,
settings.CELERY_BEAT_SCHEDULE). Each function is safe to run twice: a reminder is claimed by
inserting a SentReminder row, unique on (kind, object, person, due date), in the same transaction
that sends it, so a second run finds the row and sends nothing, and a failed send leaves no row
and is tried again on the next run. An invitation is claimed by raising the planned session's
`sent_sequence` to its `sequence` with one conditional UPDATE.

What the emails say: the date (and time), the participant's and coach's names, and a link to the
portal. Never what was said in a session: no focus, record, reflection, action-step text or
private note. Only the participant and their coach are ever emailed; heads and programme leaders
get no coaching reminders.
"""

import datetime
from email.mime.text import MIMEText
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from coaching.models import (
    ActionStep,
    AgreementStatus,
    DialogueLog,
    InitialDiagnosis,
    PlannedSession,
    ReminderKind,
    ReminderPreference,
    SentReminder,
)
from programme import access
from programme.access import Relation

DUE_SOON_DAYS = 3
DRAFT_WAITING_DAYS = 7
_ALL_DAY = datetime.timedelta(days=1)


def portal_url(name: str, **kwargs) -> str:
    """The full address of a portal page for an email (PORTAL_BASE_URL and the page's path): every
    link in an email the portal sends is made here."""
    return settings.PORTAL_BASE_URL.rstrip("/") + reverse(name, kwargs=kwargs)


def turned_off(people: list[User]) -> dict[int, set[str]]:
    """The kinds of email (ReminderKind values) each of these people turned off, by user id, in one
    query; a person who turned nothing off is not in it."""
    rows = ReminderPreference.objects.filter(user__in=[p.pk for p in people]).values_list("user_id", "turned_off")
    return {user_id: set(off) for user_id, off in rows}


def wants(person: User, kind: str) -> bool:
    """Whether this person still wants emails of this kind (on unless they turned it off)."""
    return kind not in turned_off([person]).get(person.pk, set())


def _send(
    *,
    to: User,
    subject: str,
    template: str,
    context: dict,
    calendar: bytes | None = None,
    method: str = "",
    html_template: str | None = None,
):
    """Email one person: the plain text of `template`, with an HTML part from `html_template` when given."""
    context = {
        **context,
        "person": to,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "preferences_url": portal_url("coaching:reminder_preferences"),
    }
    message = EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body=render_to_string(template, context),
        to=[to.email],
    )
    if html_template is not None:
        message.attach_alternative(render_to_string(html_template, context), "text/html")
    if calendar is not None:
        part = MIMEText(calendar.decode("utf-8"), "calendar", "utf-8")
        part.set_param("method", method)
        part.add_header("Content-Disposition", "attachment", filename="coaching-session.ics")
        message.attach(part)
    message.send()


def _claim_reminder(*, kind: str, object_id: int, person: User, due_on: datetime.date) -> bool:
    """Record that this reminder is being sent; False if it already was."""
    try:
        with transaction.atomic():
            SentReminder.objects.create(kind=kind, object_id=object_id, person=person, due_on=due_on)
    except IntegrityError:
        return False
    return True


def send_once(*, kind: str, object_id: int, person: User, due_on: datetime.date, **email) -> bool:
    """Send one email once: `kind` (a ReminderKind), about record `object_id`, to `person`, for the
    day `due_on`; `email` is the subject, the templates and their context (and a calendar part, if
    any). False if that email was already sent. The claim (a SentReminder row) and the send commit
    together: if sending fails, the claim is rolled back and the next run tries again. The coaching
    reminders, the assessment notices (assessment.notices) and the weekly digest (tracking.digest)
    all send through it. It does not ask whether the person wants that kind of email (`wants`,
    `turned_off`) or may see the record: the caller does."""
    with transaction.atomic():
        if not _claim_reminder(kind=kind, object_id=object_id, person=person, due_on=due_on):
            return False
        _send(to=person, **email)
    return True


def _still(person: User, relation: Relation, enrolment_id: int, on: datetime.date) -> bool:
    """Is the person still the participant, or their coach, on that day? Nobody else is reminded."""
    return relation in access.relations(person, enrolment_id, on)


# --- Calendar invitations.


def calendar_for(planned: PlannedSession, *, participant: User, coach: User) -> tuple[bytes, str]:
    """The session as an iCalendar request (or cancellation), and its METHOD."""
    method = "CANCEL" if planned.cancelled else "REQUEST"
    cal = icalendar.Calendar()
    cal.add("prodid", "-//MTL Portal//Coaching sessions//EN")
    cal.add("version", "2.0")
    cal.add("method", method)
    event = icalendar.Event()
    event.add("uid", planned.uid)
    event.add("sequence", planned.sequence)
    event.add("dtstamp", timezone.now())
    event.add("summary", f"Coaching session: {participant.get_full_name()} with {coach.get_full_name()}")
    if planned.starts_at is not None:
        starts = datetime.datetime.combine(planned.starts_on, planned.starts_at, tzinfo=ZoneInfo(settings.TIME_ZONE))
        event.add("dtstart", starts)
        event.add("dtend", starts + datetime.timedelta(minutes=planned.duration_minutes or 60))
    else:
        event.add("dtstart", planned.starts_on)
        event.add("dtend", planned.starts_on + _ALL_DAY)
    event.add(
        "description",
        f"Your coaching timeline: {portal_url('coaching:timeline', enrolment_id=planned.log.enrolment_id)}",
    )
    event.add("status", "CANCELLED" if planned.cancelled else "CONFIRMED")
    organizer = icalendar.vCalAddress(f"mailto:{coach.email}")
    organizer.params["cn"] = icalendar.vText(coach.get_full_name())
    event.add("organizer", organizer)
    for person in (participant, coach):
        attendee = icalendar.vCalAddress(f"mailto:{person.email}")
        attendee.params["cn"] = icalendar.vText(person.get_full_name())
        attendee.params["role"] = icalendar.vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=0)
    cal.add_component(event)
    if planned.starts_at is not None:
        cal.add_missing_timezones()
    return cal.to_ical(), method


def send_session_invitation(*, planned_session_id: int) -> bool:
    """Send both people the planned session's current state, once per change (SEQUENCE)."""
    planned = (
        PlannedSession.objects.select_related("log__enrolment__participant", "log__coach", "superseded_by")
        .filter(pk=planned_session_id)
        .first()
    )
    if planned is None:
        return False
    with transaction.atomic():
        claimed = PlannedSession.objects.filter(pk=planned.pk, sent_sequence__lt=planned.sequence).update(
            sent_sequence=planned.sequence
        )
        if not claimed:
            return False  # this change was sent already (the task ran twice, or a later one won)
        log = planned.log
        participant, coach = log.enrolment.participant, log.coach
        calendar, method = calendar_for(planned, participant=participant, coach=coach)
        off = turned_off([participant, coach])
        for person, relation in ((participant, Relation.PARTICIPANT), (coach, Relation.COACH)):
            if ReminderKind.SESSION_INVITATION in off.get(person.pk, set()):
                continue
            if not _still(person, relation, log.enrolment_id, planned.starts_on):
                continue
            _send(
                to=person,
                subject=_invitation_subject(planned),
                template="coaching/email/session_invitation.txt",
                context={
                    "planned": planned,
                    "participant": participant,
                    "coach": coach,
                    "log": log,
                    "url": portal_url("coaching:timeline", enrolment_id=log.enrolment_id),
                },
                calendar=calendar,
                method=method,
            )
    return True


def _invitation_subject(planned: PlannedSession) -> str:
    day = f"{planned.starts_on.day} {planned.starts_on:%B %Y}"
    if planned.cancelled:
        return f"Cancelled: coaching session on {day}"
    if planned.sequence:
        return f"Moved: coaching session now on {day}"
    return f"Coaching session on {day}"


# --- Periodic reminders.


def remind_sessions_tomorrow(*, today: datetime.date | None = None) -> int:
    """The day before a planned session, remind the participant and the coach."""
    today = today or timezone.localdate()
    tomorrow = today + _ALL_DAY
    sent = 0
    planned = PlannedSession.objects.filter(starts_on=tomorrow, cancelled=False).select_related(
        "log__enrolment__participant", "log__coach"
    )
    for session in planned:
        log = session.log
        participant, coach = log.enrolment.participant, log.coach
        off = turned_off([participant, coach])
        for person, relation in ((participant, Relation.PARTICIPANT), (coach, Relation.COACH)):
            if ReminderKind.SESSION_TOMORROW in off.get(person.pk, set()):
                continue
            if not _still(person, relation, log.enrolment_id, tomorrow):
                continue
            sent += send_once(
                kind=ReminderKind.SESSION_TOMORROW,
                object_id=session.pk,
                person=person,
                due_on=tomorrow,
                subject=f"Coaching session tomorrow, {tomorrow.day} {tomorrow:%B}",
                template="coaching/email/session_tomorrow.txt",
                context={
                    "planned": session,
                    "participant": participant,
                    "coach": coach,
                    "url": portal_url("coaching:timeline", enrolment_id=log.enrolment_id),
                },
            )
    return sent


def overdue_week(due_on: datetime.date, today: datetime.date) -> int:
    """Which week of being overdue `today` falls in: 0 for the first 7 days after the due date,
    1 for the next 7, and so on."""
    return ((today - due_on).days - 1) // 7


def remind_action_steps(*, today: datetime.date | None = None) -> int:
    """Tell the owner of each open action step in an agreed log when it is due within
    DUE_SOON_DAYS, and once a week while it is overdue and still open: the day after it was due,
    then 7 days later, and so on. Each week's reminder is keyed by the day that week began, so
    it goes once however often the task runs that week."""
    today = today or timezone.localdate()
    steps = ActionStep.objects.filter(
        status=ActionStep.Status.OPEN,
        log__status=AgreementStatus.AGREED,
        due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
    ).select_related("owner", "enrolment__participant", "log")
    steps = list(steps)
    off = turned_off([s.owner for s in steps])
    sent = 0
    for step in steps:
        overdue = step.due_on < today
        kind = ReminderKind.ACTION_STEP_OVERDUE if overdue else ReminderKind.ACTION_STEP_DUE
        if kind in off.get(step.owner_id, set()):
            continue
        relation = Relation.PARTICIPANT if step.owner_id == step.enrolment.participant_id else Relation.COACH
        if not _still(step.owner, relation, step.enrolment_id, today):
            continue
        due = f"{step.due_on.day} {step.due_on:%B %Y}"
        weeks_overdue = overdue_week(step.due_on, today) if overdue else 0
        if not overdue:
            subject = f"An action step is due on {due}"
        elif weeks_overdue:
            subject = f"An action step due on {due} is still open"
        else:
            subject = f"An action step was due on {due}"
        sent += send_once(
            kind=kind,
            object_id=step.pk,
            person=step.owner,
            # Overdue: one reminder per week, keyed by the first day of the week it belongs to.
            due_on=step.due_on + datetime.timedelta(days=1 + 7 * weeks_overdue) if overdue else step.due_on,
            subject=subject,
            template="coaching/email/action_step.txt",
            context={
                "step": step,
                "overdue": overdue,
                "weeks_overdue": weeks_overdue,
                "participant": step.enrolment.participant,
                "url": portal_url("coaching:action_steps", enrolment_id=step.enrolment_id),
            },
        )
    return sent


def remind_drafts_waiting(*, today: datetime.date | None = None) -> int:
    """A session record sent to the participant DRAFT_WAITING_DAYS ago and not yet agreed: remind
    the participant, once for each time it is sent."""
    today = today or timezone.localdate()
    cutoff = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=DRAFT_WAITING_DAYS - 1), datetime.time.min)
    )
    logs = list(
        DialogueLog.objects.filter(
            status=AgreementStatus.AWAITING_PARTICIPANT, coach_agreed_at__lt=cutoff
        ).select_related("enrolment__participant", "coach")
    )
    off = turned_off([log.enrolment.participant for log in logs])
    sent = 0
    for log in logs:
        participant = log.enrolment.participant
        if ReminderKind.DRAFT_WAITING in off.get(participant.pk, set()):
            continue
        sent_on = timezone.localdate(log.coach_agreed_at)
        sent += send_once(
            kind=ReminderKind.DRAFT_WAITING,
            object_id=log.pk,
            person=participant,
            due_on=sent_on,
            subject=f"Your coaching session of {log.session_on.day} {log.session_on:%B} is waiting for you to agree it",
            template="coaching/email/draft_waiting.txt",
            context={
                "log": log,
                "sent_on": sent_on,
                "participant": participant,
                "coach": log.coach,
                "url": portal_url("coaching:log_respond", pk=log.pk),
            },
        )
    return sent


# --- A record sent to the participant to agree.

_SENT = {
    ReminderKind.LOG_SENT: (
        DialogueLog,
        "the record of your coaching session",
        lambda log: (log.session_on, portal_url("coaching:log_respond", pk=log.pk)),
    ),
    ReminderKind.DIAGNOSIS_SENT: (
        InitialDiagnosis,
        "your initial diagnosis",
        lambda diagnosis: (
            diagnosis.held_on,
            portal_url("coaching:diagnosis_respond", enrolment_id=diagnosis.enrolment_id),
        ),
    ),
}


def send_sent_for_agreement(*, kind: str, record_id: int) -> bool:
    """Tell the participant that their coach has sent them a session record (LOG_SENT) or their
    initial diagnosis (DIAGNOSIS_SENT) to agree. Nothing is sent if it is no longer waiting for
    them (they agreed it already, or it went back to the coach), if they turned the email off, or
    if it was sent that day already: one email per record per day, however often it is sent."""
    model, what, held_and_url = _SENT[ReminderKind(kind)]
    record = (
        model.objects.select_related("enrolment__participant", "coach")
        .filter(pk=record_id, status=AgreementStatus.AWAITING_PARTICIPANT)
        .first()
    )
    if record is None or record.coach_agreed_at is None:
        return False
    participant = record.enrolment.participant
    if not wants(participant, kind):
        return False
    if not _still(participant, Relation.PARTICIPANT, record.enrolment_id, timezone.localdate()):
        return False
    held_on, url = held_and_url(record)
    return send_once(
        kind=kind,
        object_id=record.pk,
        person=participant,
        due_on=timezone.localdate(record.coach_agreed_at),
        subject=f"{record.coach.get_full_name()} sent you {what} of {held_on.day} {held_on:%B} to agree",
        template="coaching/email/sent_for_agreement.txt",
        context={
            "what": what,
            "held_on": held_on,
            "coach": record.coach,
            "url": url,
        },
    )
