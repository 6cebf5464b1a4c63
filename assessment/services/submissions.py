"""Building, submitting and withdrawing a submission: keyword-only, one transaction each, asking
the access policy first and `assessment.rules.deadlines` about the day. A broken rule is a
ui.errors.RuleError naming the field it is about.

Submitting freezes the work: the commentary, each chosen record's content (services.snapshots) and
a copy of each evidence file with its SHA-256, so nothing done to the portfolio afterwards changes
what was submitted."""

from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from assessment.models import AssessmentTask, Extension, Submission, SubmissionItem, SubmittedFile
from assessment.rules.deadlines import Window, effective_due_on, submission_window
from assessment.rules.words import over_limit_message, word_count
from assessment.selectors.submissions import Choices, submission_choices
from assessment.services import snapshots
from audit import trail
from coaching import richtext
from coaching.models import DialogueLogVersion
from files.services import private_file_copy, private_file_sha256
from portfolio.models import EvidenceFile
from programme import access
from programme.access import Action
from programme.models import Enrolment
from ui.errors import RuleError
from ui.limits import RICH_TEXT_MAX

STALE = (
    "You or someone else saved this submission since you opened it. Your changes have not been saved; "
    "what you chose and typed is still below. Open it again to see the latest version, then make your "
    "changes to that."
)

Kind = SubmissionItem.Kind


@dataclass(frozen=True)
class SubmissionContent:
    """What the participant chose and wrote in the builder."""

    commentary: str = ""
    evidence_ids: tuple[int, ...] = ()
    reflection_ids: tuple[int, ...] = ()
    section_keys: tuple[str, ...] = ()  # "enquiry id:section"
    log_ids: tuple[int, ...] = ()


# --- Checks.


def _window(enrolment: Enrolment, task: AssessmentTask, today) -> tuple[Window, Extension | None]:
    extension = Extension.objects.filter(enrolment=enrolment, task=task).first()
    return submission_window(task=task, extension=extension, on=today), extension


def _check_task(enrolment: Enrolment, task: AssessmentTask, window: Window, extension: Extension | None) -> None:
    if task.cohort_id != enrolment.cohort_id or task.phase_id != enrolment.current_phase_id:
        raise RuleError("This task is not one of your current phase's.", rule="not_your_task")
    if window == Window.NOT_OPEN:
        raise RuleError(f"This task opens for submission on {task.opens_on:%-d %B %Y}.", rule="not_open")
    if window == Window.CLOSED:
        raise RuleError(
            "This task is closed: the last day to submit has passed. Talk to your tutor about what to do next.",
            rule="closed",
        )


def _chosen(errors, content: SubmissionContent, choices: Choices) -> list[tuple[str, object, str]]:
    """The chosen records as (kind, record, section), in the order the builder lists them. A choice
    that is not in the list (someone else's evidence, a log not agreed) is refused beside its field."""
    found: list[tuple[str, object, str]] = []
    for field, ids, offered, kind, what in (
        ("evidence", content.evidence_ids, choices.evidence, Kind.EVIDENCE, "evidence"),
        ("reflections", content.reflection_ids, choices.reflections, Kind.REFLECTION, "reflections"),
        ("logs", content.log_ids, choices.logs, Kind.DIALOGUE_LOG, "agreed coaching sessions"),
    ):
        by_pk = {record.pk: record for record in offered}
        if set(ids) - set(by_pk):
            errors[field].append(f"Choose {what} from the list; one you chose is not there.")
        found += [(kind, by_pk[pk], "") for pk in dict.fromkeys(ids) if pk in by_pk]
    for key in dict.fromkeys(content.section_keys):
        choice = choices.section(key)
        if choice is None:
            errors["sections"].append("Choose enquiry sections from the list; one you chose is not there.")
            break
        found.append((Kind.ENQUIRY_SECTION, choice.enquiry, choice.section))
    return found


def _check(*, by: User, enrolment: Enrolment, task: AssessmentTask, content: SubmissionContent, submitting: bool):
    """Every broken rule at once; the records chosen and the commentary's word count."""
    errors = defaultdict(list)
    chosen = _chosen(errors, content, submission_choices(by, enrolment))
    commentary = content.commentary or ""
    words = word_count(commentary)
    if len(commentary) > RICH_TEXT_MAX:
        errors["commentary"].append(
            f"Keep the commentary to {RICH_TEXT_MAX:,} characters or fewer; it has {len(commentary):,}."
        )
    if submitting:
        if richtext.is_blank(commentary):
            errors["commentary"].append("Write your commentary before you submit.")
        elif task.word_limit and words > task.word_limit:
            errors["commentary"].append(over_limit_message(words, task.word_limit))
        if not chosen and not errors:
            errors["evidence"].append("Choose at least one record to submit with your commentary.")
    if errors:
        raise RuleError(dict(errors))
    return chosen, words


# --- The draft.


def _claim(submission: Submission, version: int | None) -> None:
    """Take the next version, or refuse if the submission was saved since `version` was read. One
    conditional UPDATE, so two tabs racing cannot both win."""
    claimed = Submission.objects.filter(pk=submission.pk, version=version, state=submission.state)
    if version is None or not claimed.update(version=F("version") + 1):
        raise RuleError(STALE, rule="stale")
    submission.version = version + 1


def _set_items(submission: Submission, chosen) -> None:
    """The draft's choices: one item per record, pointing at it; their content is copied on submit."""
    submission.items.all().delete()
    items = []
    for order, (kind, record, section) in enumerate(chosen):
        item = SubmissionItem(submission=submission, kind=kind, section=section, sort_order=order)
        setattr(
            item,
            {Kind.EVIDENCE: "evidence", Kind.REFLECTION: "reflection", Kind.DIALOGUE_LOG: "log"}.get(kind, "enquiry"),
            record,
        )
        items.append(item)
    SubmissionItem.objects.bulk_create(items)


def _draft(*, by: User, enrolment: Enrolment, task: AssessmentTask, version: int | None, today) -> Submission:
    """The participant's draft for the task, claimed for this save, or a new one (the first attempt,
    or the one after a withdrawn attempt). Refused if the work is already submitted."""
    Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()  # one save of theirs at a time
    latest = Submission.objects.filter(enrolment=enrolment, task=task).order_by("-attempt").first()
    if latest is not None and latest.state == Submission.State.DRAFT:
        access.require(by, Action.CHANGE, latest)
        _claim(latest, version)
        return latest
    if latest is not None and latest.state == Submission.State.SUBMITTED:
        raise RuleError(
            "You have already submitted work for this task. To change it, withdraw it first (before the due date).",
            rule="already_submitted",
        )
    if version is not None:  # the page showed a draft that has since been submitted or withdrawn
        raise RuleError(STALE, rule="stale")
    draft = Submission(
        enrolment=enrolment,
        task=task,
        attempt=latest.attempt + 1 if latest else 1,
        previous=latest,
        dated_on=today,
    )
    access.require(by, Action.CHANGE, draft)
    try:
        with transaction.atomic():
            draft.save()
    except IntegrityError as clash:  # another tab made the draft a moment ago
        raise RuleError(STALE, rule="stale") from clash
    return draft


def _save(*, by, enrolment, task, version, content, submitting: bool):
    today = timezone.localdate()
    window, extension = _window(enrolment, task, today)
    _check_task(enrolment, task, window, extension)
    draft = _draft(by=by, enrolment=enrolment, task=task, version=version, today=today)
    chosen, words = _check(by=by, enrolment=enrolment, task=task, content=content, submitting=submitting)
    draft.commentary = richtext.sanitise(content.commentary)
    draft.word_count = words
    draft.save(update_fields=["commentary", "word_count", "updated_at"])
    _set_items(draft, chosen)
    return draft, window, extension, today


@transaction.atomic
def submission_save(
    *, by: User, enrolment: Enrolment, task: AssessmentTask, version: int | None, content: SubmissionContent
) -> Submission:
    """Save the participant's draft: what they chose and their commentary so far. `version` is the
    draft's version when the page was opened (None when there was no draft)."""
    draft, _, _, _ = _save(by=by, enrolment=enrolment, task=task, version=version, content=content, submitting=False)
    trail.record(trail.Action.SUBMISSION_SAVE, record=draft, actor=by, detail={"attempt": draft.attempt})
    return draft


# --- Submitting: the freeze.


def submission_submit(
    *, by: User, enrolment: Enrolment, task: AssessmentTask, version: int | None, content: SubmissionContent
) -> Submission:
    """Save the draft and submit it, frozen, in one transaction. Late when the day is after the due
    date (or the extension's) and up to the cut-off. If anything fails, the copied files are removed
    and nothing is saved."""
    copies: list[SubmittedFile] = []
    try:
        with transaction.atomic():
            return _submit(by=by, enrolment=enrolment, task=task, version=version, content=content, copies=copies)
    except BaseException:
        for copy in copies:
            copy.file.delete(save=False)
        raise


def _submit(*, by, enrolment, task, version, content, copies) -> Submission:
    draft, window, extension, today = _save(
        by=by, enrolment=enrolment, task=task, version=version, content=content, submitting=True
    )
    previous = draft.previous
    if previous is not None and previous.state == Submission.State.WITHDRAWN and window != Window.OPEN:
        due = effective_due_on(task, extension)
        raise RuleError(
            f"Work you withdrew can be submitted again only up to the due date, {due:%-d %B %Y}.",
            rule="resubmit_after_due",
        )
    for item in _items_for_freezing(draft):
        _freeze(item, by=by, copies=copies)
    draft.state = Submission.State.SUBMITTED
    draft.submitted_at = timezone.now()
    draft.dated_on = today
    draft.is_late = window == Window.LATE
    draft.save(update_fields=["state", "submitted_at", "dated_on", "is_late", "updated_at"])
    trail.record(
        trail.Action.SUBMISSION_SUBMIT,
        record=draft,
        actor=by,
        detail={"attempt": draft.attempt, "late": draft.is_late, "items": len(draft.items.all())},
    )
    return draft


def _items_for_freezing(draft: Submission) -> list[SubmissionItem]:
    return list(
        draft.items.select_related("evidence__phase", "reflection__phase", "enquiry__phase", "log").prefetch_related(
            "evidence__content_areas",
            "evidence__topics",
            "evidence__standards",
            "reflection__content_areas",
            "enquiry__content_areas",
        )
    )


def _freeze(item: SubmissionItem, *, by: User, copies: list) -> None:
    if item.kind == Kind.EVIDENCE:
        snapshot = snapshots.of_evidence(item.evidence)
    elif item.kind == Kind.REFLECTION:
        snapshot = snapshots.of_reflection(item.reflection)
    elif item.kind == Kind.ENQUIRY_SECTION:
        snapshot = snapshots.of_enquiry_section(item.enquiry, item.section)
    else:
        item.log_version = DialogueLogVersion.objects.get(log=item.log, number=item.log.agreed_version)
        snapshot = snapshots.of_log(item.log, item.log_version)
    item.title = snapshot.title[: SubmissionItem._meta.get_field("title").max_length]
    item.body = snapshot.body
    item.meta = snapshot.meta
    item.source_version = snapshot.source_version
    item.save()
    if item.kind == Kind.EVIDENCE:
        current = EvidenceFile.objects.filter(evidence=item.evidence, replaced_at__isnull=True).first()
        if current is not None:
            copy = _copy(item, current, by=by, copies=copies)
            item.meta["files"] = [{"name": copy.name, "size": copy.size, "sha256": copy.sha256}]
            item.save(update_fields=["meta"])


def _copy(item: SubmissionItem, source: EvidenceFile, *, by: User, copies: list) -> SubmittedFile:
    try:
        digest = private_file_sha256(source)
        copy = SubmittedFile(item=item, source=source, sha256=digest)
        copies.append(copy)
        return private_file_copy(source=source, record=copy, by=by)
    except OSError as missing:
        raise RuleError(
            f"The file of “{item.title}” could not be read. Upload it again to the evidence, then submit.",
            rule="file_unreadable",
            field="evidence",
        ) from missing


# --- Withdrawing, to submit again.


@transaction.atomic
def submission_withdraw(*, by: User, submission: Submission, version: int | None) -> Submission:
    """The participant takes back submitted work, only up to the due date (or the extension's), to
    submit again: the withdrawn attempt stays, frozen, in the history, and the next attempt starts as
    a draft with the same choices and commentary. Returns that draft."""
    access.require(by, Action.WITHDRAW, submission)
    enrolment, task = submission.enrolment, submission.task
    Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
    if submission.state != Submission.State.SUBMITTED:
        raise RuleError("Only submitted work can be withdrawn.", rule="not_submitted")
    window, extension = _window(enrolment, task, timezone.localdate())
    if window != Window.OPEN:
        due = effective_due_on(task, extension)
        raise RuleError(
            f"Submitted work can be withdrawn only up to the due date, {due:%-d %B %Y}.", rule="withdraw_after_due"
        )
    _claim(submission, version)
    submission.state = Submission.State.WITHDRAWN
    submission.withdrawn_at = timezone.now()
    submission.save(update_fields=["state", "withdrawn_at", "updated_at"])
    draft = Submission.objects.create(
        enrolment=enrolment,
        task=task,
        attempt=submission.attempt + 1,
        previous=submission,
        commentary=submission.commentary,
        word_count=submission.word_count,
    )
    SubmissionItem.objects.bulk_create(
        [
            SubmissionItem(
                submission=draft,
                kind=item.kind,
                evidence_id=item.evidence_id,
                reflection_id=item.reflection_id,
                enquiry_id=item.enquiry_id,
                section=item.section,
                log_id=item.log_id,
                sort_order=item.sort_order,
            )
            for item in submission.items.all()
            if item.evidence_id or item.reflection_id or item.enquiry_id or item.log_id
        ]
    )
    trail.record(trail.Action.SUBMISSION_WITHDRAW, record=submission, actor=by, detail={"attempt": submission.attempt})
    return draft
