"""Writes to coaching records: the dialogue-log agreement workflow, action steps, private notes.

Each service is keyword-only, runs in one transaction, and raises CoachingError naming the field
each message is about (None for the form as a whole); nothing is saved then. Who may call which
service is the access policy's decision (programme.access), asked by the views and, where a
service is given a date that changes the answer, by the service itself.

The workflow of a log:

    draft --send--> awaiting participant --agree--> agreed --new version--> agreed (version n+1)
      ^                   |
      +--request change---+

Two people cannot overwrite each other: every write names the `version` of the log it started
from, and is refused if the log has been saved since.

A change to an agreed log (log_new_version) takes effect as a new numbered version at once and
the log stays agreed. The log stays visible to the tutor (who may have cited it), every earlier
version stays readable, and the version records who made the change, when and why. The
participant's reflection is theirs: a new version carries it over unchanged, and the participant
sees the change and its reason in the version history.
"""

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import User
from coaching import evidence, richtext
from coaching.models import (
    ActionStep,
    AgreementStatus,
    DiagnosedNeed,
    DiagnosisEvidence,
    DialogueLog,
    DialogueLogVersion,
    InitialDiagnosis,
    LearningGoal,
    LearningOpportunity,
    LearningPlan,
    LearningPlanReview,
    PlannedSession,
    PrivateNote,
    ReminderKind,
    ReminderPreference,
    SessionKind,
    SessionSetting,
)
from programme import access
from programme.access import Action
from programme.models import ContentArea, Enrolment, Phase, ProgrammeSettings, Standard, Topic
from programme.rules import ProgrammeRuleError, timing

STALE_LOG = (
    "Someone else saved this log since you opened it. Your changes have not been saved; what you typed is "
    "still below. Open the log again to see the latest version, then make your changes to that."
)
STALE_FOR_PARTICIPANT = (
    "Your coach changed this record since you opened it. Read it again before you respond; "
    "what you typed is still below."
)
STALE_DIAGNOSIS = (
    "Someone else saved this diagnosis since you opened it. Your changes have not been saved; what you typed is "
    "still below. Open the diagnosis again to see the latest version, then make your changes to that."
)
STALE_DIAGNOSIS_FOR_PARTICIPANT = (
    "Your coach changed this diagnosis since you opened it. Read it again before you respond."
)
MAX_SESSION_MINUTES = 24 * 60


class CoachingError(Exception):
    """Bad input or a broken workflow rule. `errors` maps a field name (None: the whole form)
    to its messages; `field` and `message` are the first of them."""

    def __init__(self, errors: dict[str | None, list[str]] | str, *, field: str | None = None):
        if isinstance(errors, str):
            errors = {field: [errors]}
        self.errors = errors
        self.field = next(iter(errors))
        self.message = errors[self.field][0]
        super().__init__(self.message)


@dataclass(frozen=True)
class LogContent:
    """What the coach writes in a dialogue log."""

    session_on: datetime.date
    duration_minutes: int
    kind: str
    setting: str
    focus: str = ""
    discussed: str = ""
    strengths: str = ""
    pupil_outcomes: str = ""
    evidence_considered: str = ""
    next_session_on: datetime.date | None = None
    next_session_at: datetime.time | None = None
    next_session_minutes: int | None = None
    content_area_ids: tuple[int, ...] = ()
    topic_ids: tuple[int, ...] = ()
    standard_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class _Tags:
    content_area_ids: set[int]
    topic_ids: set[int]
    standard_ids: set[int]


def _fmt(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _summer_term_start() -> tuple[int, int]:
    s = ProgrammeSettings.load()
    return (s.summer_term_starts_month, s.summer_term_starts_day)


def _check_session_date(
    errors: dict[str | None, list[str]], *, enrolment: Enrolment, day: datetime.date, today: datetime.date, field: str
) -> None:
    """Not in the future, and within the programme's timing rules (programme.rules.timing)."""
    if day > today:
        errors[field].append("The date cannot be in the future.")
        return
    try:
        timing.check_activity_date(
            first_post_started_on=enrolment.first_post_started_on,
            activity_on=day,
            summer_term_start=_summer_term_start(),
        )
    except ProgrammeRuleError as broken:
        errors[field].append(broken.message)


def _check_content(
    *, enrolment: Enrolment, coach: User, content: LogContent, status: str, action: Action, today: datetime.date
) -> _Tags:
    """Every problem with the content at once, or the tags to save."""
    errors: dict[str | None, list[str]] = defaultdict(list)
    session_on = content.session_on
    if session_on > today:
        errors["session_on"].append("The date of the session cannot be in the future.")
    else:
        _check_session_date(errors, enrolment=enrolment, day=session_on, today=today, field="session_on")
    if content.duration_minutes is None or content.duration_minutes <= 0:
        errors["duration_minutes"].append("Enter how long the session lasted, in minutes: a number more than 0.")
    elif content.duration_minutes > MAX_SESSION_MINUTES:
        errors["duration_minutes"].append("A session cannot last longer than a day (1,440 minutes).")
    if content.kind not in SessionKind.values:
        errors["kind"].append("Choose the kind of session.")
    if content.setting not in SessionSetting.values:
        errors["setting"].append("Choose where the session happened.")
    if content.next_session_on is not None and content.next_session_on < session_on:
        errors["next_session_on"].append(f"The next session must be on or after this one, {_fmt(session_on)}.")
    if content.next_session_on is None and (content.next_session_at or content.next_session_minutes):
        errors["next_session_on"].append("Enter the date of the next session, or clear its time and length.")
    if content.next_session_minutes is not None and not 0 < content.next_session_minutes <= MAX_SESSION_MINUTES:
        errors["next_session_minutes"].append("Enter the planned length in minutes: a number from 1 to 1,440.")
    if len(content.focus) > DialogueLog._meta.get_field("focus").max_length:
        errors["focus"].append("Keep the focus to 300 characters or fewer.")

    area_ids = set(content.content_area_ids)
    known_areas = set(ContentArea.objects.filter(pk__in=area_ids).values_list("pk", flat=True))
    if area_ids - known_areas:
        errors["content_areas"].append("Choose content areas from the list; one you chose is not a content area.")
    topics = dict(Topic.objects.filter(pk__in=set(content.topic_ids)).values_list("pk", "content_area_id"))
    if set(content.topic_ids) - set(topics):
        errors["topics"].append("Choose topics from the list; one you chose is not a topic.")
    standard_ids = set(content.standard_ids)
    if standard_ids - set(Standard.objects.filter(pk__in=standard_ids).values_list("pk", flat=True)):
        errors["standards"].append("Choose standards from the list; one you chose is not a standard.")

    if not errors:
        # The coach must be the participant's coach on the session's date.
        candidate = DialogueLog(enrolment_id=enrolment.pk, session_on=session_on, status=status)
        if not access.can(coach, action, candidate):
            errors["session_on"].append(
                f"You were not {enrolment.participant}'s coach on {_fmt(session_on)}, so you cannot record a "
                "session on that date."
            )
    if errors:
        raise CoachingError(dict(errors))
    # A topic brings its content area with it.
    return _Tags(
        content_area_ids=known_areas | set(topics.values()),
        topic_ids=set(topics),
        standard_ids=standard_ids,
    )


def _apply(
    log: DialogueLog,
    content: LogContent,
    tags: _Tags,
    *,
    by: User,
    now: datetime.datetime,
    today: datetime.date | None = None,
) -> None:
    log.session_on = content.session_on
    log.duration_minutes = content.duration_minutes
    log.kind = content.kind
    log.setting = content.setting
    log.focus = content.focus.strip()
    for name in DialogueLog.RECORD_FIELDS:
        setattr(log, name, richtext.sanitise(getattr(content, name)))
    log.next_session_on = content.next_session_on
    log.next_session_at = content.next_session_at if content.next_session_on else None
    log.next_session_minutes = content.next_session_minutes if content.next_session_on else None
    log.updated_at = now
    log.updated_by = by
    log.save()
    log.content_areas.set(tags.content_area_ids)
    log.topics.set(tags.topic_ids)
    log.standards.set(tags.standard_ids)
    planned_session_sync(log=log, today=today)


# --- The next session in both people's calendars.


def planned_session_sync(*, log: DialogueLog, today: datetime.date | None = None) -> PlannedSession | None:
    """Keep the log's planned next session in step with it, and send both people the invitation,
    its update or its cancellation once the transaction commits. Saving the log unchanged sends
    nothing; each change raises the event's SEQUENCE, so calendars replace the earlier one.

    Only the participant's latest plan stands. A log's plan cancels the open plans of earlier
    logs (see _supersede_earlier_plans); a log that a later log's plan has overtaken plans nothing
    (its own plan, if it had one, is cancelled)."""
    from coaching import tasks

    today = today or timezone.localdate()
    planned = PlannedSession.objects.select_for_update().filter(log=log).first()
    later = _later_plan(log)
    if log.next_session_on is None or later is not None:
        if planned is None or planned.cancelled:
            return planned
        planned.cancelled = True
        planned.superseded_by = later
    elif planned is None:
        planned = PlannedSession(
            log=log,
            uid=f"coaching-session-{log.pk}-{uuid.uuid4().hex}@{_calendar_domain()}",
            starts_on=log.next_session_on,
            starts_at=log.next_session_at,
            duration_minutes=log.next_session_minutes,
        )
        planned.save()
        transaction.on_commit(lambda: tasks.send_session_invitation.delay(planned.pk))
        _supersede_earlier_plans(log, today=today)
        return planned
    else:
        when = (log.next_session_on, log.next_session_at, log.next_session_minutes)
        if not planned.cancelled and when == (planned.starts_on, planned.starts_at, planned.duration_minutes):
            return planned
        planned.starts_on, planned.starts_at, planned.duration_minutes = when
        planned.cancelled = False
        planned.superseded_by = None
    planned.sequence += 1
    planned.save()
    transaction.on_commit(lambda: tasks.send_session_invitation.delay(planned.pk))
    if not planned.cancelled:
        _supersede_earlier_plans(log, today=today)
    return planned


def _later_than(log: DialogueLog) -> Q:
    """Logs of the same participant after this one: a later session, or the same day recorded later."""
    return Q(session_on__gt=log.session_on) | Q(session_on=log.session_on, pk__gt=log.pk)


def _later_plan(log: DialogueLog) -> DialogueLog | None:
    """The participant's next log after this one that plans a session, if any: its plan overtakes this one's."""
    return (
        DialogueLog.objects.filter(_later_than(log), enrolment_id=log.enrolment_id, next_session_on__isnull=False)
        .order_by("session_on", "pk")
        .first()
    )


def _supersede_earlier_plans(log: DialogueLog, *, today: datetime.date) -> None:
    """Cancel the open plans of the participant's earlier logs now that this log plans a session,
    sending both people the cancellation. A plan is open while its date is still to come and after
    this log's session (a plan for the day of this log's session is the session it records); one
    whose date has passed is over and is left alone, with no email."""
    from coaching import tasks

    earlier = (
        PlannedSession.objects.select_for_update()
        .filter(
            log__enrolment_id=log.enrolment_id,
            cancelled=False,
            starts_on__gte=today,
            starts_on__gt=log.session_on,
        )
        .exclude(log=log)
        .exclude(log__in=DialogueLog.objects.filter(_later_than(log), enrolment_id=log.enrolment_id))
    )
    for planned in earlier:
        planned.cancelled = True
        planned.superseded_by = log
        planned.sequence += 1
        planned.save(update_fields=["cancelled", "superseded_by", "sequence"])
        transaction.on_commit(lambda pk=planned.pk: tasks.send_session_invitation.delay(pk))


def _calendar_domain() -> str:
    from urllib.parse import urlsplit

    from django.conf import settings

    return urlsplit(settings.PORTAL_BASE_URL).hostname or "mtl-portal"


def reminder_preferences_save(*, user: User, turned_off: set[str]) -> ReminderPreference:
    """Turn each kind of coaching email on or off for this person."""
    unknown = set(turned_off) - set(ReminderKind.values)
    if unknown:
        raise CoachingError("Choose from the emails listed.", field="turned_off")
    preference, _ = ReminderPreference.objects.update_or_create(user=user, defaults={"turned_off": sorted(turned_off)})
    return preference


def _claim(log: DialogueLog, version: int, *, stale_message: str = STALE_LOG) -> DialogueLog:
    """Take the next version of the log, or refuse if it was saved since `version` was read.
    One conditional UPDATE, so two saves racing cannot both win, on any database."""
    claimed = DialogueLog.objects.filter(pk=log.pk, version=version).update(version=F("version") + 1)
    if not claimed:
        raise CoachingError(stale_message)
    return DialogueLog.objects.select_related("enrolment__participant").get(pk=log.pk)


def _record_is_blank(log: DialogueLog) -> bool:
    return all(richtext.is_blank(getattr(log, name)) for name in DialogueLog.RECORD_FIELDS)


def _send(log: DialogueLog, *, now: datetime.datetime) -> None:
    errors: dict[str | None, list[str]] = {}
    if _record_is_blank(log):
        errors["discussed"] = ["Write the record of the session before you send it to the participant."]
    if not log.content_areas.exists():
        errors["content_areas"] = ["Choose at least one content area before you send the log to the participant."]
    if errors:
        raise CoachingError(errors)
    log.status = AgreementStatus.AWAITING_PARTICIPANT
    log.coach_agreed_at = now
    log.change_request = ""
    log.change_requested_at = None
    log.save(update_fields=["status", "coach_agreed_at", "change_request", "change_requested_at"])


def _snapshot(log: DialogueLog, *, by: User, reason: str, now: datetime.datetime) -> DialogueLogVersion:
    tags = {
        "content_areas": [{"id": a.pk, "label": str(a)} for a in log.content_areas.all()],
        "topics": [{"id": t.pk, "label": str(t)} for t in log.topics.all()],
        "standards": [{"id": s.pk, "label": str(s)} for s in log.standards.all()],
    }
    steps = [
        {
            "description": s.description,
            "owner": str(s.owner),
            "due_on": s.due_on.isoformat(),
            "success_criteria": s.success_criteria,
        }
        for s in log.action_steps.select_related("owner").order_by("due_on", "pk")
    ]
    return DialogueLogVersion.objects.create(
        log=log,
        number=log.agreed_version,
        session_on=log.session_on,
        duration_minutes=log.duration_minutes,
        kind=log.kind,
        setting=log.setting,
        tags=tags,
        focus=log.focus,
        discussed=log.discussed,
        strengths=log.strengths,
        pupil_outcomes=log.pupil_outcomes,
        evidence_considered=log.evidence_considered,
        participant_reflection=log.participant_reflection,
        next_session_on=log.next_session_on,
        next_session_at=log.next_session_at,
        next_session_minutes=log.next_session_minutes,
        action_steps=steps,
        created_by=by,
        created_at=now,
        reason=reason,
    )


# --- The workflow.


@transaction.atomic
def log_draft_create(
    *,
    enrolment: Enrolment,
    coach: User,
    content: LogContent,
    send_for_agreement: bool = False,
    today: datetime.date | None = None,
) -> DialogueLog:
    """The coach records a session as a draft, and may send it to the participant at once."""
    now = timezone.now()
    tags = _check_content(
        enrolment=enrolment,
        coach=coach,
        content=content,
        status=AgreementStatus.DRAFT,
        action=Action.CHANGE,
        today=today or timezone.localdate(),
    )
    log = DialogueLog(enrolment=enrolment, coach=coach)
    _apply(log, content, tags, by=coach, now=now, today=today)
    if send_for_agreement:
        _send(log, now=now)
    return log


@transaction.atomic
def log_draft_update(
    *,
    log: DialogueLog,
    by: User,
    version: int,
    content: LogContent,
    send_for_agreement: bool = False,
    today: datetime.date | None = None,
) -> DialogueLog:
    """The coach changes a log that is not yet agreed. A log waiting for the participant stays
    waiting, and the participant's open agreement form is refused, so they read the change first."""
    now = timezone.now()
    log = _claim(log, version)
    if log.is_agreed:
        raise CoachingError("This log has been agreed. A change to it makes a new version.")
    tags = _check_content(
        enrolment=log.enrolment,
        coach=by,
        content=content,
        status=log.status,
        action=Action.CHANGE,
        today=today or timezone.localdate(),
    )
    _apply(log, content, tags, by=by, now=now, today=today)
    if log.status == AgreementStatus.AWAITING_PARTICIPANT:
        log.coach_agreed_at = now
        log.save(update_fields=["coach_agreed_at"])
    elif send_for_agreement:
        _send(log, now=now)
    return log


@transaction.atomic
def log_send_for_agreement(*, log: DialogueLog, by: User, version: int) -> DialogueLog:
    """The coach agrees the draft and asks the participant to add their reflection and agree."""
    log = _claim(log, version)
    if log.status != AgreementStatus.DRAFT:
        raise CoachingError("This log is not a draft, so it cannot be sent for agreement.")
    log.updated_by = by
    log.save(update_fields=["updated_by"])
    _send(log, now=timezone.now())
    return log


@transaction.atomic
def log_agree(*, log: DialogueLog, by: User, version: int, reflection: str) -> DialogueLog:
    """The participant adds their reflection and agrees: the log becomes agreed, version 1."""
    log = _claim(log, version, stale_message=STALE_FOR_PARTICIPANT)
    if log.status != AgreementStatus.AWAITING_PARTICIPANT:
        raise CoachingError("This record is not waiting for your agreement.")
    errors: dict[str | None, list[str]] = {}
    if _record_is_blank(log):
        errors[None] = ["The record of this session is empty. Ask your coach to write it before you agree."]
    if not reflection.strip():
        errors["reflection"] = ["Add your reflection on the session before you agree the record."]
    if errors:
        raise CoachingError(errors)
    now = timezone.now()
    log.participant_reflection = reflection.strip()
    log.participant_agreed_at = now
    log.status = AgreementStatus.AGREED
    log.agreed_version = 1
    log.updated_at = now
    log.updated_by = by
    log.save()
    _snapshot(log, by=by, reason="Agreed by the coach and the participant.", now=now)
    return log


@transaction.atomic
def log_request_change(*, log: DialogueLog, by: User, version: int, comment: str, reflection: str = "") -> DialogueLog:
    """The participant asks the coach to change the record; it goes back to the coach as a draft.
    Any reflection they have written so far is kept for when they agree."""
    log = _claim(log, version, stale_message=STALE_FOR_PARTICIPANT)
    if log.status != AgreementStatus.AWAITING_PARTICIPANT:
        raise CoachingError("This record is not waiting for your agreement.")
    if not comment.strip():
        raise CoachingError("Say what you would like your coach to change.", field="comment")
    now = timezone.now()
    log.status = AgreementStatus.DRAFT
    log.coach_agreed_at = None
    log.change_request = comment.strip()
    log.change_requested_at = now
    log.participant_reflection = reflection.strip()
    log.updated_at = now
    log.updated_by = by
    log.save()
    return log


@transaction.atomic
def log_new_version(
    *,
    log: DialogueLog,
    by: User,
    version: int,
    content: LogContent,
    reason: str,
    today: datetime.date | None = None,
) -> DialogueLog:
    """The coach changes an agreed log. The change is recorded as the next numbered version, with
    who, when and why; the log stays agreed and earlier versions stay readable."""
    log = _claim(log, version)
    if not log.is_agreed:
        raise CoachingError("This log is not agreed yet; change the draft instead.")
    errors: dict[str | None, list[str]] = {}
    if not reason.strip():
        errors["reason"] = ["Say why you are changing an agreed log; the participant and tutor will see it."]
    try:
        tags = _check_content(
            enrolment=log.enrolment,
            coach=by,
            content=content,
            status=AgreementStatus.AGREED,
            action=Action.NEW_VERSION,
            today=today or timezone.localdate(),
        )
    except CoachingError as bad:
        errors = {**bad.errors, **errors}
    if all(richtext.is_blank(getattr(content, name)) for name in DialogueLog.RECORD_FIELDS):
        errors.setdefault("discussed", []).append("An agreed log cannot be emptied; write the record of the session.")
    if errors:
        raise CoachingError(errors)
    now = timezone.now()
    _apply(log, content, tags, by=by, now=now, today=today)
    log.coach_agreed_at = now
    log.agreed_version += 1  # safe: _claim gave this save the log alone
    log.save(update_fields=["coach_agreed_at", "agreed_version"])
    _snapshot(log, by=by, reason=reason.strip(), now=now)
    return log


# --- Action steps.


@transaction.atomic
def action_step_create(
    *,
    log: DialogueLog,
    by: User,
    owner: User,
    description: str,
    due_on: datetime.date,
    success_criteria: str = "",
) -> ActionStep:
    """An action step agreed in the session. Added while the log is being agreed; once it is
    agreed, new steps belong on the next session's log."""
    log = DialogueLog.objects.select_for_update().select_related("enrolment").get(pk=log.pk)
    if log.is_agreed:
        raise CoachingError("This log is agreed. Add new action steps to the next session's log.")
    errors: dict[str | None, list[str]] = {}
    if owner.pk not in (log.enrolment.participant_id, log.coach_id):
        errors["owner"] = ["The owner must be the participant or their coach."]
    if not description.strip():
        errors["description"] = ["Describe the action step."]
    if due_on < log.session_on:
        errors["due_on"] = [f"The due date must be on or after the session, {_fmt(log.session_on)}."]
    if errors:
        raise CoachingError(errors)
    step = ActionStep.objects.create(
        log=log,
        enrolment_id=log.enrolment_id,
        owner=owner,
        description=description.strip(),
        due_on=due_on,
        success_criteria=success_criteria.strip(),
    )
    # The participant agrees the log with its steps: an agreement form opened before this is stale.
    DialogueLog.objects.filter(pk=log.pk).update(version=F("version") + 1, updated_at=timezone.now(), updated_by=by)
    return step


@transaction.atomic
def action_step_close(*, step: ActionStep, by: User, status: str, note: str = "") -> ActionStep:
    """Close a step as done or dropped, usually when it is reviewed at the next session."""
    step = ActionStep.objects.select_for_update().get(pk=step.pk)
    if step.status != ActionStep.Status.OPEN:
        raise CoachingError("This action step is already closed.")
    if status not in (ActionStep.Status.DONE, ActionStep.Status.DROPPED):
        raise CoachingError("Choose done or dropped.", field="status")
    if status == ActionStep.Status.DROPPED and not note.strip():
        raise CoachingError("Say why the action step was dropped.", field="closing_note")
    step.status = status
    step.closing_note = note.strip()
    step.closed_at = timezone.now()
    step.closed_by = by
    step.save(update_fields=["status", "closing_note", "closed_at", "closed_by"])
    return step


# --- The coach's private note.


@transaction.atomic
def private_note_save(*, log: DialogueLog, author: User, text: str) -> PrivateNote | None:
    """Save the coach's own note on the session; saving it empty removes it."""
    text = text.strip()
    if not text:
        PrivateNote.objects.filter(log=log, author=author).delete()
        return None
    note, _ = PrivateNote.objects.update_or_create(
        log=log, author=author, defaults={"text": text, "updated_at": timezone.now()}
    )
    return note


# --- The initial diagnosis and the learning plan it produces (Q9 a).
#
# The same agreement as a log: the coach drafts and sends it, the participant agrees it or asks
# for a change. Once agreed it is not changed; the plan's goals are revisited at the start of each
# phase instead, each review recorded with who, when and what changed.


@dataclass(frozen=True)
class NeedInput:
    content_area_id: int
    description: str
    standard_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class DiagnosisContent:
    held_on: datetime.date
    induction_outcomes: str = ""
    performance_management_outcomes: str = ""
    summary: str = ""
    needs: tuple[NeedInput, ...] = ()


@dataclass(frozen=True)
class GoalInput:
    content_area_id: int
    goal: str
    target_on: datetime.date


def _check_diagnosis(
    *, enrolment: Enrolment, coach: User, content: DiagnosisContent, status: str, today: datetime.date
) -> None:
    errors: dict[str | None, list[str]] = defaultdict(list)
    _check_session_date(errors, enrolment=enrolment, day=content.held_on, today=today, field="held_on")
    area_ids = {need.content_area_id for need in content.needs}
    if area_ids - set(ContentArea.objects.filter(pk__in=area_ids).values_list("pk", flat=True)):
        errors[None].append("Each need must be in one of the content areas.")
    standard_ids = {sid for need in content.needs for sid in need.standard_ids}
    if standard_ids - set(Standard.objects.filter(pk__in=standard_ids).values_list("pk", flat=True)):
        errors[None].append("Choose standards from the list; one you chose is not a standard.")
    if not errors:
        candidate = InitialDiagnosis(enrolment_id=enrolment.pk, held_on=content.held_on, status=status)
        if not access.can(coach, Action.CHANGE, candidate):
            errors["held_on"].append(
                f"You were not {enrolment.participant}'s coach on {_fmt(content.held_on)}, so you cannot record a "
                "diagnosis on that date."
            )
    if errors:
        raise CoachingError(dict(errors))


def _check_goal(errors: dict[str | None, list[str]], *, goal: GoalInput, diagnosis: InitialDiagnosis, prefix: str):
    if not goal.goal.strip():
        errors[f"{prefix}goal"].append("Write the goal.")
    if not ContentArea.objects.filter(pk=goal.content_area_id).exists():
        errors[f"{prefix}content_area"].append("Choose one of the content areas.")
    if goal.target_on < diagnosis.held_on:
        errors[f"{prefix}target_on"].append(f"The target date must be after the diagnosis, {_fmt(diagnosis.held_on)}.")
    deadline = timing.completion_deadline(diagnosis.enrolment.first_post_started_on)
    if goal.target_on > deadline:
        errors[f"{prefix}target_on"].append(f"The target date must be within the programme, by {_fmt(deadline)}.")


@transaction.atomic
def diagnosis_save(
    *,
    enrolment: Enrolment,
    coach: User,
    content: DiagnosisContent,
    version: int | None,
    send_for_agreement: bool = False,
    today: datetime.date | None = None,
) -> InitialDiagnosis:
    """Start the participant's initial diagnosis (version None) or change the draft (the version
    it was opened at). Needs are replaced with those given. Its learning plan starts with it."""
    existing = InitialDiagnosis.objects.filter(enrolment=enrolment).first()
    if existing is None:
        if version is not None:
            raise CoachingError(STALE_DIAGNOSIS)
        diagnosis = InitialDiagnosis(enrolment=enrolment, coach=coach, held_on=content.held_on)
    else:
        claimed = InitialDiagnosis.objects.filter(pk=existing.pk, version=version).update(version=F("version") + 1)
        if version is None or not claimed:
            raise CoachingError(STALE_DIAGNOSIS)
        diagnosis = InitialDiagnosis.objects.select_related("enrolment").get(pk=existing.pk)
        if diagnosis.status == AgreementStatus.AGREED:
            raise CoachingError(
                "The initial diagnosis has been agreed. Revisit the learning plan at the start of each phase instead."
            )
    _check_diagnosis(
        enrolment=enrolment, coach=coach, content=content, status=diagnosis.status, today=today or timezone.localdate()
    )
    diagnosis.held_on = content.held_on
    diagnosis.induction_outcomes = content.induction_outcomes.strip()
    diagnosis.performance_management_outcomes = content.performance_management_outcomes.strip()
    diagnosis.summary = content.summary.strip()
    try:
        with transaction.atomic():
            diagnosis.save()
    except IntegrityError as clash:  # someone else started one at the same moment
        raise CoachingError(STALE_DIAGNOSIS) from clash
    diagnosis.needs.all().delete()
    for need in content.needs:
        if need.description.strip():
            saved = DiagnosedNeed.objects.create(
                diagnosis=diagnosis, content_area_id=need.content_area_id, description=need.description.strip()
            )
            saved.standards.set(need.standard_ids)
    LearningPlan.objects.get_or_create(enrolment=enrolment, defaults={"diagnosis": diagnosis})
    now = timezone.now()
    if diagnosis.status == AgreementStatus.AWAITING_PARTICIPANT:
        diagnosis.coach_agreed_at = now
        diagnosis.save(update_fields=["coach_agreed_at"])
    elif send_for_agreement:
        if not diagnosis.needs.exists():
            raise CoachingError("Record at least one need before you send the diagnosis to the participant.")
        diagnosis.status = AgreementStatus.AWAITING_PARTICIPANT
        diagnosis.coach_agreed_at = now
        diagnosis.change_request = ""
        diagnosis.save(update_fields=["status", "coach_agreed_at", "change_request"])
    return diagnosis


@transaction.atomic
def diagnosis_evidence_add(*, diagnosis: InitialDiagnosis, by: User, upload) -> DiagnosisEvidence:
    """Attach a file to the diagnosis while it is being agreed. The file is judged by its content
    (coaching.evidence.sniff); a refused file is not stored. Whoever may change or agree the draft
    may attach one (the views ask the access policy). The participant agrees the diagnosis with
    its evidence, so an agreement form opened before this is stale."""
    diagnosis = InitialDiagnosis.objects.select_for_update().get(pk=diagnosis.pk)
    if diagnosis.status == AgreementStatus.AGREED:
        raise CoachingError("The initial diagnosis has been agreed, so no more evidence can be attached to it.")
    try:
        sniffed = evidence.sniff(upload)
    except evidence.EvidenceRefused as refused:
        raise CoachingError(str(refused), field="file") from refused
    name = evidence.download_name(upload.name or "", sniffed.extension)
    found = DiagnosisEvidence(
        diagnosis=diagnosis, name=name, content_type=sniffed.content_type, size=upload.size, uploaded_by=by
    )
    found.file.save(name, upload, save=False)
    try:
        found.save()
        InitialDiagnosis.objects.filter(pk=diagnosis.pk).update(version=F("version") + 1)
    except Exception:
        found.file.delete(save=False)
        raise
    return found


def _claim_diagnosis(diagnosis: InitialDiagnosis, version: int) -> InitialDiagnosis:
    if not InitialDiagnosis.objects.filter(pk=diagnosis.pk, version=version).update(version=F("version") + 1):
        raise CoachingError(STALE_DIAGNOSIS_FOR_PARTICIPANT)
    diagnosis = InitialDiagnosis.objects.get(pk=diagnosis.pk)
    if diagnosis.status != AgreementStatus.AWAITING_PARTICIPANT:
        raise CoachingError("The diagnosis is not waiting for your agreement.")
    return diagnosis


@transaction.atomic
def diagnosis_agree(*, diagnosis: InitialDiagnosis, by: User, version: int) -> InitialDiagnosis:
    diagnosis = _claim_diagnosis(diagnosis, version)
    if not diagnosis.needs.exists():
        raise CoachingError("The diagnosis records no needs yet. Ask your coach to add them before you agree.")
    diagnosis.status = AgreementStatus.AGREED
    diagnosis.participant_agreed_at = timezone.now()
    diagnosis.change_request = ""
    diagnosis.save(update_fields=["status", "participant_agreed_at", "change_request"])
    return diagnosis


@transaction.atomic
def diagnosis_request_change(*, diagnosis: InitialDiagnosis, by: User, version: int, comment: str) -> InitialDiagnosis:
    diagnosis = _claim_diagnosis(diagnosis, version)
    if not comment.strip():
        raise CoachingError("Say what you would like your coach to change.", field="comment")
    diagnosis.status = AgreementStatus.DRAFT
    diagnosis.coach_agreed_at = None
    diagnosis.change_request = comment.strip()
    diagnosis.save(update_fields=["status", "coach_agreed_at", "change_request"])
    return diagnosis


@transaction.atomic
def learning_goal_add(*, plan: LearningPlan, by: User, goal: GoalInput) -> LearningGoal:
    """A goal agreed with the diagnosis. Once the diagnosis is agreed, goals change at phase reviews."""
    plan = LearningPlan.objects.select_related("diagnosis__enrolment").get(pk=plan.pk)
    if plan.diagnosis.status == AgreementStatus.AGREED:
        raise CoachingError("The diagnosis is agreed. Add goals when you revisit the plan at the start of a phase.")
    errors: dict[str | None, list[str]] = defaultdict(list)
    _check_goal(errors, goal=goal, diagnosis=plan.diagnosis, prefix="")
    if errors:
        raise CoachingError(dict(errors))
    # The participant agrees the diagnosis with its plan: an agreement form opened before this is stale.
    InitialDiagnosis.objects.filter(pk=plan.diagnosis_id).update(version=F("version") + 1)
    return LearningGoal.objects.create(
        plan=plan, content_area_id=goal.content_area_id, goal=goal.goal.strip(), target_on=goal.target_on
    )


@transaction.atomic
def learning_plan_review(
    *,
    plan: LearningPlan,
    by: User,
    phase: Phase,
    reviewed_on: datetime.date,
    note: str,
    goal_statuses: dict[int, str],
    new_goals: tuple[GoalInput, ...] = (),
    today: datetime.date | None = None,
) -> LearningPlanReview:
    """Revisit the plan at the start of a phase: say where each goal stands and add new ones."""
    plan = LearningPlan.objects.select_related("diagnosis__enrolment").get(pk=plan.pk)
    errors: dict[str | None, list[str]] = defaultdict(list)
    if plan.diagnosis.status != AgreementStatus.AGREED:
        errors[None].append("Agree the initial diagnosis first; the plan is revisited from the next phase.")
    if LearningPlanReview.objects.filter(plan=plan, phase=phase).exists():
        errors["phase"].append(f"The plan has already been revisited for phase {phase.number}.")
    _check_session_date(
        errors, enrolment=plan.enrolment, day=reviewed_on, today=today or timezone.localdate(), field="reviewed_on"
    )
    goals = {g.pk: g for g in plan.goals.all()}
    for goal_id, status in goal_statuses.items():
        if goal_id not in goals or status not in LearningGoal.Status.values:
            errors[None].append("Say where each goal stands: working towards, met or replaced.")
            break
    for goal in new_goals:
        _check_goal(errors, goal=goal, diagnosis=plan.diagnosis, prefix="new_")
    if errors:
        raise CoachingError(dict(errors))
    review = LearningPlanReview.objects.create(
        plan=plan, phase=phase, reviewed_on=reviewed_on, note=note.strip(), reviewed_by=by
    )
    for goal_id, status in goal_statuses.items():
        if goals[goal_id].status != status:
            goals[goal_id].status = status
            goals[goal_id].save(update_fields=["status"])
    for goal in new_goals:
        LearningGoal.objects.create(
            plan=plan,
            content_area_id=goal.content_area_id,
            goal=goal.goal.strip(),
            target_on=goal.target_on,
            added_in_review=review,
        )
    return review


# --- Learning opportunities the coach arranges (Q9 b, c).


def _check_opportunity_date(errors: dict[str | None, list[str]], *, enrolment: Enrolment, day: datetime.date) -> None:
    """An opportunity may be arranged ahead, but only within the programme's timing rules."""
    try:
        timing.check_activity_date(
            first_post_started_on=enrolment.first_post_started_on,
            activity_on=day,
            summer_term_start=_summer_term_start(),
        )
    except ProgrammeRuleError as broken:
        errors["happens_on"].append(broken.message)


@transaction.atomic
def learning_opportunity_arrange(
    *, enrolment: Enrolment, coach: User, kind: str, description: str, happens_on: datetime.date
) -> LearningOpportunity:
    errors: dict[str | None, list[str]] = defaultdict(list)
    if kind not in LearningOpportunity.Kind.values:
        errors["kind"].append("Choose the kind of opportunity.")
    if not description.strip():
        errors["description"].append("Describe the opportunity: who, where and what for.")
    _check_opportunity_date(errors, enrolment=enrolment, day=happens_on)
    candidate = LearningOpportunity(enrolment=enrolment, happens_on=happens_on)
    if not errors and not access.can(coach, Action.CHANGE, candidate):
        errors["happens_on"].append(f"You are not {enrolment.participant}'s coach on {_fmt(happens_on)}.")
    if errors:
        raise CoachingError(dict(errors))
    return LearningOpportunity.objects.create(
        enrolment=enrolment, arranged_by=coach, kind=kind, description=description.strip(), happens_on=happens_on
    )


@transaction.atomic
def learning_opportunity_record_learning(
    *,
    opportunity: LearningOpportunity,
    by: User,
    what_was_learned: str,
    log: DialogueLog | None = None,
    today: datetime.date | None = None,
) -> LearningOpportunity:
    """Record what was learned, once it has happened, and link it to the session that discussed it."""
    opportunity = LearningOpportunity.objects.select_for_update().get(pk=opportunity.pk)
    errors: dict[str | None, list[str]] = defaultdict(list)
    if opportunity.happens_on > (today or timezone.localdate()):
        errors[None].append(f"This opportunity is on {_fmt(opportunity.happens_on)}; record what was learned after it.")
    if not what_was_learned.strip():
        errors["what_was_learned"].append("Say what was learned.")
    if log is not None and log.enrolment_id != opportunity.enrolment_id:
        errors["log"].append("Choose a session of this participant's.")
    if errors:
        raise CoachingError(dict(errors))
    opportunity.what_was_learned = what_was_learned.strip()
    opportunity.log = log
    opportunity.save(update_fields=["what_was_learned", "log"])
    return opportunity
