"""The dialogue log's agreement workflow.

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
from collections import defaultdict
from dataclasses import dataclass, field, make_dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from audit import trail
from coaching import richtext
from coaching.models import (
    AgreementStatus,
    DialogueLog,
    DialogueLogVersion,
    ReminderKind,
    SessionKind,
    SessionRecord,
    SessionSetting,
)
from coaching.services._checks import MAX_SESSION_MINUTES, check_session_date, check_within_programme, fmt
from coaching.services.notices import notify_sent_for_agreement
from coaching.services.planned_sessions import planned_session_sync
from coaching.services.release_time import release_time_recount
from handbook.models import DialogueGuidePage
from programme import access
from programme.access import Action
from programme.models import ContentArea, Enrolment, Standard, Topic
from ui.errors import RuleError

STALE_LOG = (
    "Someone else saved this log since you opened it. Your changes have not been saved; what you typed is "
    "still below. Open the log again to see the latest version, then make your changes to that."
)
STALE_FOR_PARTICIPANT = (
    "Your coach changed this record since you opened it. Read it again before you respond; "
    "what you typed is still below."
)


_TYPES = {"DateField": datetime.date, "TimeField": datetime.time, "PositiveIntegerField": int}


def _content_field(name: str) -> tuple:
    """A LogContent field from the model's: required when the model requires it, else empty."""
    model_field = SessionRecord._meta.get_field(name)
    kind = _TYPES.get(model_field.get_internal_type(), str)
    if not (model_field.blank or model_field.null):
        return (name, kind)
    return (name, kind | None, field(default=None)) if model_field.null else (name, kind, field(default=""))


# What the coach writes in a dialogue log: SessionRecord.CONTENT_FIELDS, and the ticked content
# areas, topics and standards by id.
LogContent = make_dataclass(
    "LogContent",
    [
        *(_content_field(name) for name in SessionRecord.CONTENT_FIELDS),
        ("content_area_ids", tuple[int, ...], field(default=())),
        ("topic_ids", tuple[int, ...], field(default=())),
        ("standard_ids", tuple[int, ...], field(default=())),
        # The handbook's dialogue guide the session followed, if any.
        ("guide_id", int | None, field(default=None)),
    ],
    frozen=True,
)


@dataclass(frozen=True)
class _Tags:
    content_area_ids: set[int]
    topic_ids: set[int]
    standard_ids: set[int]


def _check_content(
    *, enrolment: Enrolment, coach: User, content: LogContent, status: str, action: Action, today: datetime.date
) -> _Tags:
    """Every problem with the content at once, or the tags to save."""
    errors: dict[str | None, list[str]] = defaultdict(list)
    session_on = content.session_on
    if session_on > today:
        errors["session_on"].append("The date of the session cannot be in the future.")
    else:
        check_session_date(errors, enrolment=enrolment, day=session_on, today=today, field="session_on")
    if content.duration_minutes is None or content.duration_minutes <= 0:
        errors["duration_minutes"].append("Enter how long the session lasted, in minutes: a number more than 0.")
    elif content.duration_minutes > MAX_SESSION_MINUTES:
        errors["duration_minutes"].append("A session cannot last longer than a day (1,440 minutes).")
    if content.kind not in SessionKind.values:
        errors["kind"].append("Choose the kind of session.")
    if content.setting not in SessionSetting.values:
        errors["setting"].append("Choose where the session happened.")
    if content.next_session_on is not None and content.next_session_on < session_on:
        errors["next_session_on"].append(f"The next session must be on or after this one, {fmt(session_on)}.")
    elif content.next_session_on is not None:
        check_within_programme(errors, enrolment=enrolment, day=content.next_session_on, field="next_session_on")
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
    if content.guide_id is not None and not DialogueGuidePage.objects.live().filter(pk=content.guide_id).exists():
        errors["guide"].append("Choose a guide from the list; the one you chose is not a published guide.")

    if not errors:
        # The coach must be the participant's coach on the session's date.
        candidate = DialogueLog(enrolment_id=enrolment.pk, session_on=session_on, status=status)
        if not access.can(coach, action, candidate):
            errors["session_on"].append(
                f"You were not {enrolment.participant}'s coach on {fmt(session_on)}, so you cannot record a "
                "session on that date."
            )
    if errors:
        raise RuleError(dict(errors))
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
    log.guide_id = content.guide_id
    log.updated_at = now
    log.updated_by = by
    log.save()
    log.content_areas.set(tags.content_area_ids)
    log.topics.set(tags.topic_ids)
    log.standards.set(tags.standard_ids)
    planned_session_sync(log=log, today=today)


def _claim(log: DialogueLog, version: int, *, stale_message: str = STALE_LOG) -> DialogueLog:
    """Take the next version of the log, or refuse if it was saved since `version` was read.
    One conditional UPDATE, so two saves racing cannot both win, on any database."""
    claimed = DialogueLog.objects.filter(pk=log.pk, version=version).update(version=F("version") + 1)
    if not claimed:
        raise RuleError(stale_message)
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
        raise RuleError(errors)
    log.status = AgreementStatus.AWAITING_PARTICIPANT
    log.coach_agreed_at = now
    log.change_request = ""
    log.change_requested_at = None
    log.save(update_fields=["status", "coach_agreed_at", "change_request", "change_requested_at"])
    notify_sent_for_agreement(ReminderKind.LOG_SENT, log.pk)
    trail.record(trail.Action.LOG_SEND, record=log, actor=log.updated_by)


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
        **log.record_values(),
        tags=tags,
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
    trail.record(trail.Action.LOG_CREATE, record=log, actor=coach)
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
        raise RuleError("This log has been agreed. A change to it makes a new version.")
    access.require(by, Action.CHANGE, log)
    tags = _check_content(
        enrolment=log.enrolment,
        coach=by,
        content=content,
        status=log.status,
        action=Action.CHANGE,
        today=today or timezone.localdate(),
    )
    _apply(log, content, tags, by=by, now=now, today=today)
    trail.record(trail.Action.LOG_CHANGE, record=log, actor=by)
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
        raise RuleError("This log is not a draft, so it cannot be sent for agreement.")
    access.require(by, Action.CHANGE, log)
    log.updated_by = by
    log.save(update_fields=["updated_by"])
    _send(log, now=timezone.now())
    return log


@transaction.atomic
def log_agree(*, log: DialogueLog, by: User, version: int, reflection: str) -> DialogueLog:
    """The participant adds their reflection and agrees: the log becomes agreed, version 1."""
    log = _claim(log, version, stale_message=STALE_FOR_PARTICIPANT)
    if log.status != AgreementStatus.AWAITING_PARTICIPANT:
        raise RuleError("This record is not waiting for your agreement.")
    access.require(by, Action.AGREE, log)
    errors: dict[str | None, list[str]] = {}
    if _record_is_blank(log):
        errors[None] = ["The record of this session is empty. Ask your coach to write it before you agree."]
    if not reflection.strip():
        errors["reflection"] = ["Add your reflection on the session before you agree the record."]
    if errors:
        raise RuleError(errors)
    now = timezone.now()
    log.participant_reflection = reflection.strip()
    log.participant_agreed_at = now
    log.status = AgreementStatus.AGREED
    log.agreed_version = 1
    log.updated_at = now
    log.updated_by = by
    log.save()
    _snapshot(log, by=by, reason="Agreed by the coach and the participant.", now=now)
    release_time_recount(enrolment_ids=[log.enrolment_id])
    trail.record(trail.Action.LOG_AGREE, record=log, actor=by, detail={"version": log.agreed_version})
    return log


@transaction.atomic
def log_request_change(*, log: DialogueLog, by: User, version: int, comment: str, reflection: str = "") -> DialogueLog:
    """The participant asks the coach to change the record; it goes back to the coach as a draft.
    Any reflection they have written so far is kept for when they agree."""
    log = _claim(log, version, stale_message=STALE_FOR_PARTICIPANT)
    if log.status != AgreementStatus.AWAITING_PARTICIPANT:
        raise RuleError("This record is not waiting for your agreement.")
    access.require(by, Action.AGREE, log)
    if not comment.strip():
        raise RuleError("Say what you would like your coach to change.", field="comment")
    now = timezone.now()
    log.status = AgreementStatus.DRAFT
    log.coach_agreed_at = None
    log.change_request = comment.strip()
    log.change_requested_at = now
    log.participant_reflection = reflection.strip()
    log.updated_at = now
    log.updated_by = by
    log.save()
    trail.record(trail.Action.LOG_REQUEST_CHANGE, record=log, actor=by)
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
        raise RuleError("This log is not agreed yet; change the draft instead.")
    access.require(by, Action.NEW_VERSION, log)
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
    except RuleError as bad:
        errors = {**bad.errors, **errors}
    if all(richtext.is_blank(getattr(content, name)) for name in DialogueLog.RECORD_FIELDS):
        errors.setdefault("discussed", []).append("An agreed log cannot be emptied; write the record of the session.")
    if errors:
        raise RuleError(errors)
    now = timezone.now()
    _apply(log, content, tags, by=by, now=now, today=today)
    log.coach_agreed_at = now
    log.agreed_version += 1  # safe: _claim gave this save the log alone
    log.save(update_fields=["coach_agreed_at", "agreed_version"])
    _snapshot(log, by=by, reason=reason.strip(), now=now)
    release_time_recount(enrolment_ids=[log.enrolment_id])
    trail.record(trail.Action.LOG_NEW_VERSION, record=log, actor=by, detail={"version": log.agreed_version})
    return log
