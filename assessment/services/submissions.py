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
from assessment.models import AssessmentTask, FeedForwardResponse, Submission, SubmissionItem, SubmittedFile
from assessment.rules.deadlines import Window
from assessment.rules.words import over_limit_message, word_count
from assessment.selectors.feed_forward import FeedForward, feed_forward_for
from assessment.selectors.submissions import Choices, Timing, submission_choices, timing_for
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
from ui.limits import RICH_TEXT_MAX, SHORT_TEXT_MAX

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
    # How each point of the feed-forward shown was addressed, in order, and whose feed-forward it was.
    feed_forward: tuple[str, ...] = ()
    feed_forward_marking_id: int | None = None


# --- Checks.


def _timing(enrolment: Enrolment, task: AssessmentTask, today) -> Timing:
    latest = Submission.objects.filter(enrolment=enrolment, task=task).order_by("-attempt").first()
    return timing_for(enrolment, task, latest, today=today)


def _check_task(enrolment: Enrolment, task: AssessmentTask, window: Window) -> None:
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


def feed_forward_field(number: int) -> str:
    """The form field (and error key) of the answer to a feed-forward point."""
    return f"feed_forward_{number}"


STALE_FEED_FORWARD = (
    "A new result has been released since you opened this page, so the feed-forward to answer has "
    "changed. Your answers are kept below: check them against the points now shown, then save again."
)


def _check_feed_forward(errors, content: SubmissionContent, source: FeedForward | None, submitting: bool) -> None:
    """An answer to each point of the feed-forward, each within the limit, before submitting;
    refused if the feed-forward shown has since been replaced (a new result was released)."""
    if source is None:
        return
    first = feed_forward_field(1)
    shown = content.feed_forward_marking_id
    if shown is not None and shown != source.marking.pk:
        errors[first].append(STALE_FEED_FORWARD)
        return
    answers = list(content.feed_forward) + [""] * len(source.points)
    for number, _ in enumerate(source.points, start=1):
        answer = answers[number - 1]
        if len(answer) > SHORT_TEXT_MAX:
            errors[feed_forward_field(number)].append(
                f"Keep each answer to {SHORT_TEXT_MAX:,} characters or fewer; this has {len(answer):,}."
            )
        elif submitting and not answer.strip():
            errors[feed_forward_field(number)].append(f"Say how you addressed point {number} before you submit.")


def _check(
    *,
    by: User,
    enrolment: Enrolment,
    task: AssessmentTask,
    content: SubmissionContent,
    submitting: bool,
    source: FeedForward | None,
):
    """Every broken rule at once; the records chosen and the commentary's word count."""
    errors = defaultdict(list)
    chosen = _chosen(errors, content, submission_choices(by, enrolment))
    _check_feed_forward(errors, content, source, submitting)
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


def _set_responses(submission: Submission, source: FeedForward | None, answers: tuple[str, ...]) -> None:
    """The answers to the feed-forward's points, each with the point as it reads now."""
    submission.feed_forward_responses.all().delete()
    if source is None:
        return
    answers = tuple(answers) + ("",) * len(source.points)
    FeedForwardResponse.objects.bulk_create(
        FeedForwardResponse(
            submission=submission, marking=source.marking, number=number, point=point, response=answer.strip()
        )
        for number, (point, answer) in enumerate(zip(source.points, answers, strict=False), start=1)
    )


def _save(*, by, enrolment, task, version, content, submitting: bool):
    today = timezone.localdate()
    timing = _timing(enrolment, task, today)
    _check_task(enrolment, task, timing.window)
    draft = _draft(by=by, enrolment=enrolment, task=task, version=version, today=today)
    source = feed_forward_for(by, enrolment, task)
    chosen, words = _check(by=by, enrolment=enrolment, task=task, content=content, submitting=submitting, source=source)
    draft.commentary = richtext.sanitise(content.commentary)
    draft.word_count = words
    draft.save(update_fields=["commentary", "word_count", "updated_at"])
    _set_items(draft, chosen)
    _set_responses(draft, source, content.feed_forward)
    return draft, timing, today


@transaction.atomic
def submission_save(
    *, by: User, enrolment: Enrolment, task: AssessmentTask, version: int | None, content: SubmissionContent
) -> Submission:
    """Save the participant's draft: what they chose and their commentary so far. `version` is the
    draft's version when the page was opened (None when there was no draft)."""
    draft, _, _ = _save(by=by, enrolment=enrolment, task=task, version=version, content=content, submitting=False)
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
    draft, timing, today = _save(
        by=by, enrolment=enrolment, task=task, version=version, content=content, submitting=True
    )
    window = timing.window
    previous = draft.previous
    if previous is not None and previous.state == Submission.State.WITHDRAWN and window != Window.OPEN:
        raise RuleError(
            f"Work you withdrew can be submitted again only up to the due date, {timing.due_on:%-d %B %Y}.",
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
    from assessment import notices  # the tutor is told and the coach invited once this commits

    notices.notify_submitted(draft.pk)
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


def carry_forward(submission: Submission, draft: Submission) -> None:
    """The next attempt's draft starts with the choices of `submission` (those whose record still
    exists) and its answers to feed-forward, to change before submitting."""
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
    FeedForwardResponse.objects.bulk_create(
        FeedForwardResponse(
            submission=draft,
            marking_id=answer.marking_id,
            number=answer.number,
            point=answer.point,
            response=answer.response,
        )
        for answer in submission.feed_forward_responses.all()
    )


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
    timing = _timing(enrolment, task, timezone.localdate())
    if timing.window != Window.OPEN:
        raise RuleError(
            f"Submitted work can be withdrawn only up to the due date, {timing.due_on:%-d %B %Y}.",
            rule="withdraw_after_due",
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
        # A resubmission withdrawn stays a resubmission, with the same due date.
        is_resubmission=submission.is_resubmission,
        resubmission_of_id=submission.resubmission_of_id,
        resubmission_due_on=submission.resubmission_due_on,
    )
    carry_forward(submission, draft)
    trail.record(trail.Action.SUBMISSION_WITHDRAW, record=submission, actor=by, detail={"attempt": submission.attempt})
    return draft
