"""Marking a submission, moving it through the workflow, releasing a task's results and amending
a released result. Keyword-only, one transaction each; a broken rule is a RuleError.

Nothing changes silently: every change to a mark, outcome or feedback is a MarkChange (who, when,
old, new, why) and an audit event; two markers saving from stale pages are refused by the marking's
`version`; after release a change is an amendment, with a reason, and the participant is emailed.
Who may take which step is `assessment.workflow`; who may read or write the marks is the access
policy (MARKS_UNRELEASED / MARKS_RELEASED)."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from assessment import workflow
from assessment.models import AssessmentTask, Citation, CommentBankEntry, CriterionMark, MarkChange, Marking, Submission
from assessment.rules.feed_forward import too_many_points
from assessment.rules.marks import Outcome, band_for, cap_for, outcome_refusal, overall_mark
from assessment.selectors.marking import Citable, citable
from assessment.workflow import Move, State
from audit import trail
from programme import access
from programme.access import Action, Relation
from ui.errors import RuleError
from ui.limits import SHORT_TEXT_MAX

STALE = (
    "Someone else saved this marking while you were working on it. Your marks are still in the form: "
    "check the page's current marks, then save again."
)


# --- Who is acting, and whether they may.


def movers(user: User, submission: Submission, marking: Marking | None = None) -> set[workflow.Mover]:
    """The person's relations to the work that the workflow table knows: the participant's tutor
    (who may assess it, by the access policy) and the programme leader; on a second or third
    marking, its own marker (Relation.MARKER) instead of the tutor."""
    found: set[workflow.Mover] = set()
    if marking is not None and marking.role in (Marking.Role.SECOND, Marking.Role.THIRD):
        if marking.marker_id == user.pk and access.can(user, Action.CHANGE, marking):
            found.add(Relation.MARKER)
    elif access.can(user, Action.ASSESS, submission):
        found.add(Relation.TUTOR)
    if access.holds(user, Relation.PROGRAMME_LEADER):
        found.add(Relation.PROGRAMME_LEADER)
    return found


def _locked(marking: Marking, version: int | None) -> Marking:
    fresh = Marking.objects.select_for_update().select_related("submission__task").get(pk=marking.pk)
    if version is not None and fresh.version != version:
        raise RuleError(STALE, rule="stale")
    return fresh


def _may_write(by: User, marking: Marking, *, reason: str) -> bool:
    """Before release, the marker changes their own marks while marking; after it, the tutor or
    leader amends, with a reason. Returns whether the change is an amendment."""
    if marking.state == State.RELEASED:
        workflow.check_move(state=marking.state, move=Move.AMEND, movers=movers(by, marking.submission))
        if not reason.strip():
            raise RuleError(
                "This result has been released, so a change is an amendment: say why it is being made.",
                rule="amendment_reason",
                field="reason",
            )
        return True
    access.require(by, Action.CHANGE, marking)
    if marking.marker_id != by.pk:
        raise RuleError("Only the marker changes their own marks.", rule="not_marker")
    if marking.state not in workflow.EDITABLE:
        raise RuleError(
            f"This marking is “{State(marking.state).label.lower()}”. Reopen it to change the marks.",
            rule="workflow_state",
        )
    return False


def _record_changes(
    marking: Marking,
    by: User,
    changed: list[tuple[str, object, object]],
    *,
    reason: str,
    amendment: bool,
    criterion=None,
) -> list[MarkChange]:
    rows = [
        MarkChange(
            marking=marking,
            criterion=criterion,
            field=name,
            old="" if old is None else str(old),
            new="" if new is None else str(new),
            reason=reason.strip(),
            is_amendment=amendment,
            changed_by=by,
        )
        for name, old, new in changed
        if old != new
    ]
    for row in rows:
        row.save()
    if rows:
        action = trail.Action.MARK_AMEND if amendment else trail.Action.MARK_CHANGE
        trail.record(
            action,
            record=marking,
            actor=by,
            detail={"fields": sorted({row.field for row in rows}), "criterion": getattr(criterion, "pk", None)},
        )
        if amendment:
            from assessment import notices

            notices.notify_amended(marking.pk)
    return rows


def _bump(marking: Marking) -> None:
    marking.version += 1
    marking.save()


# --- Starting.


@transaction.atomic
def marking_start(*, by: User, submission: Submission) -> Marking:
    """The participant's tutor begins the first marking, against the task's rubric as it is now
    (pinned: a later version of the rubric does not change it). Starting again returns it."""
    access.require(by, Action.ASSESS, submission)
    submission = Submission.objects.select_for_update().select_related("task").get(pk=submission.pk)
    if submission.state != Submission.State.SUBMITTED:
        raise RuleError("Only submitted work can be marked.", rule="not_submitted")
    existing = Marking.objects.filter(submission=submission, role=Marking.Role.FIRST).first()
    if existing is not None:
        return existing
    state = workflow.check_move(state=State.NOT_MARKED, move=Move.START, movers=movers(by, submission))
    marking = Marking.objects.create(
        submission=submission,
        marker=by,
        role=Marking.Role.FIRST,
        state=state,
        rubric=submission.task.rubric,
        resubmission_cap=cap_for(is_resubmission=submission.is_resubmission, task_cap=submission.task.resubmission_cap),
    )
    CriterionMark.objects.bulk_create(
        CriterionMark(marking=marking, criterion=criterion) for criterion in marking.rubric.criteria.all()
    )
    trail.record(
        trail.Action.MARKING_START,
        record=marking,
        actor=by,
        detail={"rubric_version": marking.rubric.version, "resubmission_cap": marking.resubmission_cap},
    )
    return marking


# --- One criterion.


@dataclass(frozen=True)
class CriterionContent:
    mark: int | None
    strengths: str = ""
    development: str = ""
    citations: Sequence[str] = ()  # Citable keys
    passage: str = ""  # a passage of the submission's commentary, quoted


def _check_criterion(content: CriterionContent, offered: dict[str, Citable], submission: Submission) -> list[RuleError]:
    broken = []
    if content.mark is not None and not 0 <= content.mark <= 100:
        broken.append(RuleError("Enter a mark from 0 to 100.", rule="mark_range", field="mark"))
    for name, label in (("strengths", "strengths"), ("development", "areas for development")):
        if len(getattr(content, name)) > 5_000:
            broken.append(RuleError(f"Keep the {label} to 5,000 characters.", rule="too_long", field=name))
    unknown = [key for key in content.citations if key not in offered]
    if unknown:
        broken.append(
            RuleError(
                "You can cite only the records listed: one you chose is not a record of this participant that "
                "you may read.",
                rule="citation_not_offered",
                field="citations",
            )
        )
    passage = content.passage.strip()
    if passage:
        from assessment.selectors.marking import plain

        if len(passage) > SHORT_TEXT_MAX:
            broken.append(RuleError("Quote a shorter passage.", rule="too_long", field="passage"))
        elif " ".join(passage.split()) not in " ".join(plain(submission.commentary).split()):
            broken.append(
                RuleError(
                    "Quote the passage exactly as it is in the submission's commentary.",
                    rule="passage_not_found",
                    field="passage",
                )
            )
    return broken


def _citation(criterion_mark: CriterionMark, found: Citable) -> Citation:
    fields = {"criterion_mark": criterion_mark, "kind": found.kind, "label": found.label[:300], "text": found.text}
    key = {
        Citation.Kind.LOG: "log_version",
        Citation.Kind.ACTION_STEP: "action_step",
        Citation.Kind.ITEM: "item",
        Citation.Kind.ENQUIRY_SECTION: "enquiry",
    }[found.kind]
    fields[key] = found.source
    if found.kind == Citation.Kind.ENQUIRY_SECTION:
        fields["section"] = found.section
    return Citation(**fields)


@transaction.atomic
def criterion_mark_save(
    *, by: User, marking: Marking, criterion_id: int, version: int | None, content: CriterionContent, reason: str = ""
) -> CriterionMark:
    """Save the mark, feedback and citations of one criterion. A citation keeps the cited text as it
    is now; one already there keeps what it froze. The overall mark follows from the criteria."""
    marking = _locked(marking, version)
    amendment = _may_write(by, marking, reason=reason)
    row = CriterionMark.objects.select_related("criterion").filter(marking=marking, criterion_id=criterion_id).first()
    if row is None:
        raise RuleError("That criterion is not in the rubric this work is marked against.", rule="criterion")
    offered = {c.key: c for c in citable(by, marking.submission)}
    broken = _check_criterion(content, offered, marking.submission)
    if broken:
        raise RuleError.together(broken)
    bands = list(marking.rubric.bands.all())
    band = band_for(content.mark, bands) if content.mark is not None else None
    old_keys = {c.key for c in row.citations.all()}
    new_keys = set(content.citations)
    changed = [
        ("mark", row.mark, content.mark),
        ("strengths", row.strengths, content.strengths.strip()),
        ("development", row.development, content.development.strip()),
        ("citations", ", ".join(sorted(old_keys)), ", ".join(sorted(new_keys))),
    ]
    row.mark, row.band = content.mark, band
    row.strengths, row.development = content.strengths.strip(), content.development.strip()
    row.save()
    row.citations.exclude(kind=Citation.Kind.PASSAGE).exclude(
        pk__in=[c.pk for c in row.citations.all() if c.key in new_keys]
    ).delete()
    Citation.objects.bulk_create(_citation(row, offered[key]) for key in sorted(new_keys - old_keys))
    if content.passage.strip():
        Citation.objects.create(
            criterion_mark=row,
            kind=Citation.Kind.PASSAGE,
            label="Passage of the commentary",
            text=content.passage.strip(),
        )
        changed.append(("passage", "", content.passage.strip()))
    _record_changes(marking, by, changed, reason=reason, amendment=amendment, criterion=row.criterion)
    _recompute(marking, by, reason=reason, amendment=amendment)
    _bump(marking)
    return row


@transaction.atomic
def citation_remove(*, by: User, marking: Marking, citation_id: int, version: int | None, reason: str = "") -> None:
    """Take a quoted passage (or any citation) off a criterion."""
    marking = _locked(marking, version)
    amendment = _may_write(by, marking, reason=reason)
    citation = (
        Citation.objects.filter(pk=citation_id, criterion_mark__marking=marking)
        .select_related("criterion_mark__criterion")
        .first()
    )
    if citation is None:
        raise RuleError("That citation is not part of this marking.", rule="citation")
    _record_changes(
        marking,
        by,
        [("citations", citation.key, "")],
        reason=reason,
        amendment=amendment,
        criterion=citation.criterion_mark.criterion,
    )
    citation.delete()
    _bump(marking)


def _recompute(marking: Marking, by: User, *, reason: str, amendment: bool) -> None:
    pairs = [
        (mark, weight)
        for mark, weight in CriterionMark.objects.filter(marking=marking, mark__isnull=False).values_list(
            "mark", "criterion__weight"
        )
    ]
    complete = len(pairs) == marking.criterion_marks.count()
    new = overall_mark(pairs) if complete else None
    if new != marking.overall_mark:
        _record_changes(marking, by, [("overall_mark", marking.overall_mark, new)], reason=reason, amendment=amendment)
        marking.overall_mark = new


# --- The overall result.


@dataclass(frozen=True)
class OverallContent:
    adjusted_mark: int | None = None
    adjustment_reason: str = ""
    outcome: str = ""
    feed_forward: str = ""


@transaction.atomic
def marking_overall_save(
    *, by: User, marking: Marking, version: int | None, content: OverallContent, reason: str = ""
) -> Marking:
    """The adjusted mark (with its reason), the outcome and the feed-forward."""
    marking = _locked(marking, version)
    amendment = _may_write(by, marking, reason=reason)
    broken = []
    if content.adjusted_mark is not None and not 0 <= content.adjusted_mark <= 100:
        broken.append(RuleError("Enter a mark from 0 to 100.", rule="mark_range", field="adjusted_mark"))
    if content.adjusted_mark is not None and not content.adjustment_reason.strip():
        broken.append(
            RuleError("Say why the overall mark is adjusted.", rule="adjustment_reason", field="adjustment_reason")
        )
    if content.outcome and content.outcome not in Outcome.values:
        broken.append(RuleError("Choose pass, refer or fail.", rule="outcome", field="outcome"))
    elif refusal := outcome_refusal(content.outcome, is_resubmission=marking.submission.is_resubmission):
        broken.append(RuleError(refusal, rule="second_referral", field="outcome"))
    if len(content.feed_forward) > 5_000:
        broken.append(RuleError("Keep the feed-forward to 5,000 characters.", rule="too_long", field="feed_forward"))
    elif too_many := too_many_points(content.feed_forward):
        broken.append(RuleError(too_many, rule="too_many_points", field="feed_forward"))
    if broken:
        raise RuleError.together(broken)
    adjustment_reason = content.adjustment_reason.strip() if content.adjusted_mark is not None else ""
    changed = [
        ("adjusted_mark", marking.adjusted_mark, content.adjusted_mark),
        ("adjustment_reason", marking.adjustment_reason, adjustment_reason),
        ("outcome", marking.outcome, content.outcome),
        ("feed_forward", marking.feed_forward, content.feed_forward.strip()),
    ]
    marking.adjusted_mark, marking.adjustment_reason = content.adjusted_mark, adjustment_reason
    marking.outcome, marking.feed_forward = content.outcome, content.feed_forward.strip()
    _record_changes(marking, by, changed, reason=reason, amendment=amendment)
    _bump(marking)
    return marking


# --- The workflow.


@transaction.atomic
def marking_move(*, by: User, marking: Marking, move: Move, version: int | None) -> Marking:
    """Move a marking one step (not release: see results_release; not amend: the saves amend; not
    "moderation done": assessment.services.moderation takes it once the moderation is settled).
    A second marking's completion compares the two marks (moderation.second_marking_complete)."""
    from assessment.services import moderation

    if move in (Move.RELEASE, Move.AMEND, Move.START, Move.MODERATED):
        raise RuleError("That step is not taken here.", rule="workflow_move")
    marking = _locked(marking, version)
    if not access.can(by, Action.VIEW, marking):
        raise RuleError("You cannot move this marking on.", rule="workflow_who")
    target = workflow.check_move(state=marking.state, move=move, movers=movers(by, marking.submission, marking))
    if move == Move.COMPLETE:
        _check_complete(marking)
    moderation.check_marker_move(marking, move)
    old = marking.state
    marking.state = target
    if move == Move.COMPLETE and marking.marked_at is None:
        marking.marked_at = timezone.now()
    _bump(marking)
    trail.record(trail.Action.MARKING_MOVE, record=marking, actor=by, detail={"from": old, "to": target})
    if move == Move.COMPLETE and marking.role == Marking.Role.SECOND:
        moderation.second_marking_complete(by=by, marking=marking)
    return marking


def _check_complete(marking: Marking) -> None:
    broken = []
    missing = marking.criterion_marks.filter(mark__isnull=True).select_related("criterion")
    for row in missing:
        broken.append(RuleError(f"Give “{row.criterion.title}” a mark.", rule="incomplete", field=None))
    if not marking.outcome:
        broken.append(RuleError("Choose an outcome.", rule="incomplete", field="outcome"))
    if broken:
        raise RuleError.together(broken)


# --- Release.


def _releasable(task: AssessmentTask) -> list[Marking]:
    return list(
        Marking.objects.select_for_update()
        .filter(submission__task=task, state=State.READY_FOR_RELEASE)
        .select_related("submission")
    )


@transaction.atomic
def results_release(*, task: AssessmentTask, by: User | None, today: datetime.date | None = None) -> list[Marking]:
    """Release a task's results together: every marking ready for release. By the programme leader
    by hand, or (by=None) on the task's release date by celery beat. Safe to run twice: what is
    released stays released and is not released (or emailed) again. Returns what was released now."""
    from assessment.services import moderation

    today = today or timezone.localdate()
    if by is None:
        if task.release_on is None or task.release_on > today:
            return []
        try:
            moderation.check_release(task)
        except RuleError:
            return []  # the release date waits for moderation; the leader's page says why
        mover: set[workflow.Mover] = {workflow.RELEASE_DATE}
    else:
        mover = {Relation.PROGRAMME_LEADER} if access.holds(by, Relation.PROGRAMME_LEADER) else set()
        if not mover:
            raise RuleError("Only the programme leader can release results.", rule="workflow_who")
        moderation.check_release(task)
    now = timezone.now()
    released = _releasable(task)
    for marking in released:
        workflow.check_move(state=marking.state, move=Move.RELEASE, movers=mover)
        marking.state, marking.released_at = State.RELEASED, now
        marking.version += 1
        marking.save(update_fields=["state", "released_at", "version", "updated_at"])
        trail.record(trail.Action.RESULTS_RELEASE, record=marking, actor=by, detail={"task": task.pk})
    if released:
        from assessment import notices

        # Where moderation agreed a mark, the participant is told of that result, once.
        agreed = {m.submission_id for m in released if m.role == Marking.Role.AGREED}
        notices.notify_released(
            [m.pk for m in released if m.role != Marking.Role.FIRST or m.submission_id not in agreed]
        )
    return released


# --- The comment bank.


@transaction.atomic
def comment_save(*, by: User, title: str, text: str) -> CommentBankEntry:
    if not access.holds(by, Relation.TUTOR):
        raise RuleError("Only tutors keep a comment bank.", rule="comment_bank")
    broken = []
    if not title.strip():
        broken.append(RuleError("Give the comment a short title.", rule="comment_title", field="title"))
    elif len(title) > 100:
        broken.append(RuleError("Keep the title to 100 characters.", rule="comment_title", field="title"))
    if not text.strip():
        broken.append(RuleError("Enter the comment.", rule="comment_text", field="text"))
    elif len(text) > SHORT_TEXT_MAX:
        broken.append(
            RuleError(f"Keep the comment to {SHORT_TEXT_MAX:,} characters.", rule="comment_text", field="text")
        )
    if broken:
        raise RuleError.together(broken)
    entry, _ = CommentBankEntry.objects.update_or_create(tutor=by, title=title.strip(), defaults={"text": text.strip()})
    return entry


@transaction.atomic
def comment_delete(*, by: User, entry_id: int) -> bool:
    """Remove one of the tutor's own saved comments; False if they have no such comment."""
    deleted, _ = CommentBankEntry.objects.filter(tutor=by, pk=entry_id).delete()
    return bool(deleted)
