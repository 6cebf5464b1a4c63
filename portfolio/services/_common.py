"""Checks the portfolio services share: lengths, dates, tags, links to other records, the access
policy and the claim that refuses a save made from a stale page."""

import datetime
from collections import defaultdict

from django.db.models import F, Model
from django.utils import timezone

from coaching.models import ActionStep, AgreementStatus, DialogueLog
from portfolio.models import Evidence
from programme import access
from programme.access import Action
from programme.models import ContentArea, Enrolment, Phase, Standard, Topic
from ui import limits
from ui.errors import RuleError

# What a real entry never reaches: a limit against a paste gone wrong, not a word count.
TITLE_LIMIT = 200
SHORT_TEXT_LIMIT = limits.SHORT_TEXT_MAX
RICH_TEXT_LIMIT = limits.RICH_TEXT_MAX
URL_LIMIT = 500

STALE = (
    "You or someone else saved this since you opened it. Your changes have not been saved; what you "
    "typed is still below. Open it again to see the latest version, then make your changes to that."
)

Errors = defaultdict[str | None, list[str]]


def new_errors() -> Errors:
    return defaultdict(list)


def raise_if(errors: Errors) -> None:
    if errors:
        raise RuleError(dict(errors))


def check_length(errors: Errors, field: str, value: str, limit: int, what: str) -> None:
    if len(value or "") > limit:
        errors[field].append(f"Keep {what} to {limit:,} characters or fewer; it has {len(value):,}.")


def check_required(errors: Errors, field: str, value: str, message: str) -> None:
    if not (value or "").strip():
        errors[field].append(message)


def check_past(errors: Errors, field: str, day: datetime.date | None, what: str) -> None:
    if day is None:
        errors[field].append(f"Enter {what}.")
    elif day > timezone.localdate():
        errors[field].append(f"{what[0].upper()}{what[1:]} cannot be in the future.")


def check_phase(errors: Errors, phase_id: int | None) -> Phase | None:
    phase = Phase.objects.filter(pk=phase_id).first() if phase_id else None
    if phase is None:
        errors["phase"].append("Choose the phase this belongs to.")
    return phase


def check_tags(
    errors: Errors,
    *,
    content_area_ids=(),
    topic_ids=(),
    standard_ids=(),
    need_area: bool = False,
) -> tuple[set[int], set[int], set[int]]:
    """The content areas, topics and standards to save; a topic brings its content area with it."""
    area_ids = set(content_area_ids)
    known_areas = set(ContentArea.objects.filter(pk__in=area_ids).values_list("pk", flat=True))
    if area_ids - known_areas:
        errors["content_areas"].append("Choose content areas from the list; one you chose is not a content area.")
    topics = dict(Topic.objects.filter(pk__in=set(topic_ids)).values_list("pk", "content_area_id")) if topic_ids else {}
    if set(topic_ids) - set(topics):
        errors["topics"].append("Choose topics from the list; one you chose is not a topic.")
    standards = set(standard_ids)
    if standards and standards - set(Standard.objects.filter(pk__in=standards).values_list("pk", flat=True)):
        errors["standards"].append("Choose standards from the list; one you chose is not a standard.")
    areas = known_areas | set(topics.values())
    if need_area and not areas and "content_areas" not in errors:
        errors["content_areas"].append("Choose at least one content area, so it shows where it belongs.")
    return areas, set(topics), standards


def check_links(
    errors: Errors,
    *,
    by,
    enrolment: Enrolment,
    evidence_ids=(),
    log_ids=(),
    action_step_ids=(),
    fields: dict[str, str] | None = None,
) -> tuple[set[int], set[int], set[int]]:
    """Records a portfolio record may link to: the same participant's evidence, agreed dialogue
    logs and the action steps agreed in them, each one the writer may read."""
    fields = {"evidence": "evidence", "logs": "logs", "action_steps": "action_steps", **(fields or {})}
    wanted = [
        (fields["evidence"], set(evidence_ids), Evidence.objects.filter(enrolment=enrolment), "evidence"),
        (
            fields["logs"],
            set(log_ids),
            DialogueLog.objects.filter(enrolment=enrolment, status=AgreementStatus.AGREED),
            "agreed coaching sessions",
        ),
        (
            fields["action_steps"],
            set(action_step_ids),
            ActionStep.objects.filter(enrolment=enrolment, log__status=AgreementStatus.AGREED).select_related("log"),
            "action steps",
        ),
    ]
    found = []
    for field, ids, qs, what in wanted:
        if not ids:
            found.append(set())
            continue
        readable = {r.pk for r, actions in access.judge(by, qs.filter(pk__in=ids)) if Action.VIEW in actions}
        if ids - readable:
            errors[field].append(f"Choose {what} from the list; one you chose is not there.")
        found.append(readable & ids)
    return found[0], found[1], found[2]


def require_change(by, record) -> None:
    """The access policy decides: a participant changes their own portfolio; anyone else is refused
    (404 if they may not read it, 403 if they may only read it)."""
    access.require(by, Action.CHANGE, record)


def claim(record: Model, version: int) -> None:
    """Take the next version of the record, or refuse if it was saved since `version` was read.
    One conditional UPDATE, so two saves racing cannot both win, on any database."""
    model = type(record)
    if not model.objects.filter(pk=record.pk, version=version).update(version=F("version") + 1):
        raise RuleError(STALE, rule="stale")
    record.version = version + 1
