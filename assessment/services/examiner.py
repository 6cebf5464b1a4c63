"""The external examiner's sample and what the examiner writes. Keyword-only, one transaction each;
a broken rule is a RuleError.

The programme leader draws a task's sample from its marked work by the one sampling rule
(`assessment.rules.sampling`, through `_draw`), adjusts it by hand (each addition and removal with a
reason, who and when), names its examiner(s) and confirms it; once confirmed it is fixed. The
examiner then comments on each sampled submission (COMMENT on its marks, by the access policy) and
writes an overall report on the task. Every change raises a version: a save from a stale page is
refused, and every comment's text is kept version by version.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from assessment.models import (
    AssessmentTask,
    ExaminerComment,
    ExaminerCommentRevision,
    ExaminerSample,
    Marking,
    SampledSubmission,
    Submission,
)
from assessment.models.examiner import REPORT_MAX
from assessment.workflow import State
from audit import trail
from programme import access
from programme.access import Action, Relation
from ui.errors import RuleError
from ui.limits import SHORT_TEXT_MAX

STALE_SAMPLE = "Someone else changed this sample while you had the page open. Check the sample below, then try again."
STALE_COMMENT = (
    "You (or another of the task's examiners) saved this since you opened the page. What you typed is still in "
    "the form: read the saved text, then save again."
)
# A first marking in one of these states has been marked: the work can be sampled.
MARKED_STATES = frozenset({State.MARKED, State.IN_MODERATION, State.READY_FOR_RELEASE, State.RELEASED})


@dataclass(frozen=True)
class Candidate:
    """A marked submission the sample may be drawn from: its mark, band and first marker."""

    submission_id: int
    mark: int
    band: str
    marker_id: int
    outcome: str = ""
    label: str = ""  # the participant's name, for the leader's choice of work to add


# --- Who may act.


def _require_leader(by: User) -> None:
    if not access.holds(by, Relation.PROGRAMME_LEADER):
        raise RuleError("Only the programme leader draws and confirms an examiner's sample.", rule="not_leader")


def _locked(sample: ExaminerSample, version: int | None) -> ExaminerSample:
    fresh = ExaminerSample.objects.select_for_update().select_related("task").get(pk=sample.pk)
    if version is not None and fresh.version != version:
        raise RuleError(STALE_SAMPLE, rule="stale")
    return fresh


def _require_draft(sample: ExaminerSample) -> None:
    if sample.is_confirmed:
        raise RuleError("This sample is confirmed, so it is not changed.", rule="sample_confirmed")


def _bump(sample: ExaminerSample) -> None:
    sample.version += 1
    sample.save()


def _examiners(ids: Iterable[int]) -> list[User]:
    ids = sorted(set(ids))
    found = list(User.objects.filter(pk__in=ids, is_active=True, role_grants__role=Role.EXTERNAL_EXAMINER))
    if len(found) != len(ids):
        raise RuleError("Choose external examiners only.", rule="not_examiner", field="examiners")
    return found


# --- The work a sample is drawn from.


def candidates(task: AssessmentTask) -> list[Candidate]:
    """The task's submitted work whose first marking has been marked, with the mark that counts
    (the agreed mark after moderation, otherwise the first marker's), its band and the first marker.
    Two queries however much work there is."""
    markings = (
        Marking.objects.filter(
            submission__task=task,
            submission__state=Submission.State.SUBMITTED,
            role__in=[Marking.Role.FIRST, Marking.Role.AGREED],
        )
        .select_related("submission__enrolment__participant", "submission__task", "rubric")
        .prefetch_related("rubric__bands")
        .order_by("submission_id", "pk")
    )
    first: dict[int, Marking] = {}
    agreed: dict[int, Marking] = {}
    for marking in markings:
        (agreed if marking.role == Marking.Role.AGREED else first)[marking.submission_id] = marking
    found = []
    for submission_id, marking in sorted(first.items()):
        if marking.state not in MARKED_STATES:
            continue
        counted = agreed.get(submission_id, marking)
        mark = counted.mark if counted.mark is not None else marking.mark
        if mark is None:
            continue
        band = _band_name(mark, marking)
        found.append(
            Candidate(
                submission_id=submission_id,
                mark=mark,
                band=band,
                marker_id=marking.marker_id,
                outcome=counted.outcome or marking.outcome,
                label=str(marking.submission.enrolment.participant),
            )
        )
    return found


def _band_name(mark: int, marking: Marking) -> str:
    from assessment.rules.marks import band_for

    band = band_for(mark, marking.rubric.bands.all())
    return band.name if band else ""


def _draw(task: AssessmentTask, found: Sequence[Candidate]) -> dict[int, list[str]]:
    """The submissions the one sampling rule (`assessment.rules.sampling`) draws from `found` by the
    task's settings, each with its reasons in words. Its own seed, so the examiner's sample is drawn
    independently of the second-marking sample, and drawing again from the same marks gives the same."""
    from assessment.rules import sampling

    drawn = sampling.draw_sample(
        [
            sampling.Candidate(submission_id=c.submission_id, marker_id=c.marker_id, mark=c.mark, outcome=c.outcome)
            for c in found
        ],
        rule=sampling.Rule.for_task(task),
        bands=list(task.rubric.bands.all()),
        seed=f"examiner:{task.pk}",
    )
    return {pk: [sampling.Reason(reason).label for reason in reasons] for pk, reasons in drawn.chosen.items()}


# --- The leader: draw, adjust, confirm.


@transaction.atomic
def sample_draw(*, by: User, task: AssessmentTask, examiner_ids: Iterable[int] = ()) -> ExaminerSample:
    """Draw the task's sample from its marked work by the sampling rule. Drawing again before it is
    confirmed replaces what the rule drew last time (each removal kept, "drawn again"), keeping what
    was added by hand."""
    _require_leader(by)
    task = AssessmentTask.objects.select_for_update().get(pk=task.pk)
    found = candidates(task)
    if not found:
        raise RuleError("None of this task's work has been marked yet, so there is nothing to sample.", rule="none")
    examiners = _examiners(examiner_ids)
    drawn = _draw(task, found)
    basis = {
        "marked": len(found),
        "second_marking": task.second_marking,
        "sample_percent": task.sample_percent,
        "sample_min": task.sample_min,
        "sample_max": task.sample_max,
        "sample_sqrt": task.sample_sqrt,
    }
    sample = ExaminerSample.objects.filter(task=task).select_for_update().order_by("pk").first()
    now = timezone.now()
    if sample is None:
        sample = ExaminerSample.objects.create(task=task, drawn_by=by, basis=basis)
    else:
        _require_draft(sample)
        sample.entries.filter(removed_at__isnull=True, by_hand=False).update(
            removed_at=now, removed_by=by, removal_reason="Drawn again."
        )
        sample.basis, sample.drawn_by = basis, by
        _bump(sample)
    kept = set(sample.entries.filter(removed_at__isnull=True).values_list("submission_id", flat=True))
    SampledSubmission.objects.bulk_create(
        SampledSubmission(sample=sample, submission_id=pk, reasons=reasons, added_by=by)
        for pk, reasons in sorted(drawn.items())
        if pk not in kept
    )
    if examiners:
        sample.examiners.set(examiners)
    trail.record(
        trail.Action.EXAMINER_SAMPLE_DRAW, actor=by, detail={"task": task.pk, "sample": sample.pk, "drawn": len(drawn)}
    )
    return sample


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise RuleError("Say why.", rule="reason", field="reason")
    if len(reason) > SHORT_TEXT_MAX:
        raise RuleError(f"Keep the reason to {SHORT_TEXT_MAX:,} characters.", rule="too_long", field="reason")
    return reason


@transaction.atomic
def sample_add(
    *, by: User, sample: ExaminerSample, submission_id: int, reason: str, version: int | None
) -> SampledSubmission:
    """Add one of the task's marked submissions to the sample by hand, with a reason."""
    _require_leader(by)
    reason = _reason(reason)
    sample = _locked(sample, version)
    _require_draft(sample)
    if submission_id not in {c.submission_id for c in candidates(sample.task)}:
        raise RuleError("Choose marked work of this task.", rule="not_candidate", field="submission")
    if sample.entries.filter(submission_id=submission_id, removed_at__isnull=True).exists():
        raise RuleError("That work is already in the sample.", rule="already_sampled", field="submission")
    entry = SampledSubmission.objects.create(
        sample=sample, submission_id=submission_id, reasons=[f"Added by hand: {reason}"], by_hand=True, added_by=by
    )
    _bump(sample)
    trail.record(
        trail.Action.EXAMINER_SAMPLE_CHANGE,
        record=entry.submission,
        actor=by,
        detail={"sample": sample.pk, "change": "add"},
    )
    return entry


@transaction.atomic
def sample_remove(*, by: User, sample: ExaminerSample, entry_id: int, reason: str, version: int | None) -> None:
    """Take a submission out of the sample by hand, with a reason; the entry is kept as removed."""
    _require_leader(by)
    reason = _reason(reason)
    sample = _locked(sample, version)
    _require_draft(sample)
    entry = sample.entries.filter(pk=entry_id, removed_at__isnull=True).select_related("submission").first()
    if entry is None:
        raise RuleError("That work is not in the sample.", rule="not_sampled")
    entry.removed_at, entry.removed_by, entry.removal_reason = timezone.now(), by, reason
    entry.save(update_fields=["removed_at", "removed_by", "removal_reason"])
    _bump(sample)
    trail.record(
        trail.Action.EXAMINER_SAMPLE_CHANGE,
        record=entry.submission,
        actor=by,
        detail={"sample": sample.pk, "change": "remove"},
    )


@transaction.atomic
def sample_examiners_set(
    *, by: User, sample: ExaminerSample, examiner_ids: Iterable[int], version: int | None
) -> ExaminerSample:
    _require_leader(by)
    sample = _locked(sample, version)
    _require_draft(sample)
    examiners = _examiners(examiner_ids)
    sample.examiners.set(examiners)
    _bump(sample)
    trail.record(
        trail.Action.EXAMINER_SAMPLE_CHANGE,
        actor=by,
        detail={"sample": sample.pk, "change": "examiners", "examiners": [u.pk for u in examiners]},
    )
    return sample


@transaction.atomic
def sample_confirm(*, by: User, sample: ExaminerSample, version: int | None) -> ExaminerSample:
    """Fix the sample and open it to its examiner(s): from now they read its work, and nothing else."""
    _require_leader(by)
    sample = _locked(sample, version)
    _require_draft(sample)
    broken = []
    if not sample.entries.filter(removed_at__isnull=True).exists():
        broken.append(RuleError("The sample is empty: add work to it first.", rule="empty"))
    if not sample.examiners.exists():
        broken.append(RuleError("Name the external examiner it is for.", rule="no_examiner", field="examiners"))
    if broken:
        raise RuleError.together(broken)
    sample.state, sample.confirmed_by, sample.confirmed_at = ExaminerSample.State.CONFIRMED, by, timezone.now()
    _bump(sample)
    trail.record(trail.Action.EXAMINER_SAMPLE_CONFIRM, actor=by, detail={"sample": sample.pk, "task": sample.task_id})
    return sample


# --- The examiner: a comment per sampled submission, an overall report per task.


def _check_text(text: str, limit: int) -> str:
    text = text.strip()
    if not text:
        raise RuleError("Enter your comment.", rule="empty", field="text")
    if len(text) > limit:
        raise RuleError(f"Keep this to {limit:,} characters.", rule="too_long", field="text")
    return text


def marks_of(submission: Submission) -> Marking | None:
    """The marks the examiner comments on: the agreed marks after moderation, otherwise the first."""
    from assessment.selectors.marking import result_of

    return result_of(submission)


@transaction.atomic
def examiner_comment_save(
    *,
    by: User,
    sample: ExaminerSample,
    submission: Submission | None,
    text: str,
    version: int | None,
) -> ExaminerComment:
    """Save the examiner's comment on a sampled submission, or (no submission) their overall report
    on the task. `version` is the comment's version the page showed (None: there was none yet); a
    different one is refused as stale. Each save keeps its text as a numbered revision."""
    if submission is None:
        allowed = access.examiner_report_actions(
            by,
            examiner_ids=sample.examiners.values_list("pk", flat=True),
            marker_ids=[],
            confirmed=sample.is_confirmed,
        )
        if Action.COMMENT not in allowed:
            raise RuleError("Only the sample's examiners write its report.", rule="not_examiner")
        text = _check_text(text, REPORT_MAX)
    else:
        marking = marks_of(submission)
        if marking is None or submission.task_id != sample.task_id:
            raise RuleError("This work has no marks to comment on.", rule="no_marks")
        access.require(by, Action.COMMENT, marking)
        text = _check_text(text, SHORT_TEXT_MAX * 5)
    comment = (
        ExaminerComment.objects.select_for_update()
        .filter(sample=sample, submission=submission, author=by)
        .order_by("pk")
        .first()
    )
    if comment is None:
        if version not in (None, 0):
            raise RuleError(STALE_COMMENT, rule="stale")
        comment = ExaminerComment.objects.create(sample=sample, submission=submission, author=by, text=text)
    else:
        if version != comment.version:
            raise RuleError(STALE_COMMENT, rule="stale")
        if comment.text == text:
            return comment
        comment.text = text
        comment.version += 1
        comment.save()
    ExaminerCommentRevision.objects.create(comment=comment, number=comment.version, text=text, saved_by=by)
    trail.record(
        trail.Action.EXAMINER_COMMENT,
        record=submission,
        actor=by,
        detail={"sample": sample.pk, "version": comment.version, "report": submission is None},
    )
    return comment
