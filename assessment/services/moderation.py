"""Moderation (second marking): the programme leader confirms which of a task's marked submissions
are second-marked and by whom; the second marker marks in the same workspace; the two marks are
reconciled where `assessment.rules.moderation` says they must be, or a third marker decides; then
the task's results can be released. Keyword-only, one transaction each; a broken rule is a
RuleError; every step is a note in the moderation record and an audit event; stale saves are
refused by the moderation's `version`.

The states of the markings move only through `assessment.workflow`'s table."""

from collections.abc import Mapping, Sequence

from django.db import transaction

from accounts.models import User
from accounts.roles import Role
from assessment import workflow
from assessment.models import (
    AssessmentTask,
    Citation,
    CriterionMark,
    Marking,
    Moderation,
    ModerationNote,
    ModerationSample,
    Submission,
)
from assessment.models.moderation import MARKER_ROLES
from assessment.rules.marks import Outcome
from assessment.rules.moderation import check_agreed, must_reconcile
from assessment.rules.sampling import Reason
from assessment.selectors import moderation as selectors
from assessment.workflow import Move, State
from audit import trail
from programme import access
from programme.access import Action, Relation
from ui.errors import RuleError
from ui.limits import SHORT_TEXT_MAX

STALE = (
    "Someone else changed this moderation while you were working on it. What you typed is still in the "
    "form: check the page, then save again."
)
Stage = Moderation.Stage


def _leader(by: User) -> None:
    if not access.holds(by, Relation.PROGRAMME_LEADER):
        raise RuleError("Only the programme leader does this.", rule="workflow_who")


def _note(moderation: Moderation, kind: str, by: User, *, mark: int | None = None, text: str = "") -> ModerationNote:
    note = ModerationNote(moderation=moderation, kind=kind, author=by, mark=mark, text=text.strip())
    note.save()
    trail.record(trail.Action.MODERATION_NOTE, record=moderation, actor=by, detail={"kind": kind, "mark": mark})
    return note


def _move(marking: Marking, move: Move, movers: set, by: User) -> None:
    old = marking.state
    marking.state = workflow.check_move(state=marking.state, move=move, movers=movers)
    marking.version += 1
    marking.save(update_fields=["state", "version", "updated_at"])
    trail.record(trail.Action.MARKING_MOVE, record=marking, actor=by, detail={"from": old, "to": marking.state})


def _locked(moderation: Moderation, version: int | None) -> Moderation:
    fresh = Moderation.objects.select_for_update().select_related("submission__task").get(pk=moderation.pk)
    if version is not None and fresh.version != version:
        raise RuleError(STALE, rule="stale")
    return fresh


def _bump(moderation: Moderation) -> None:
    moderation.version += 1
    moderation.save()


def _check_marker(person: User | None, *, not_ids: Sequence[int], field: str, what: str) -> None:
    if person is None or not person.is_active or not person.has_role(Role.TUTOR):
        raise RuleError(f"Choose a tutor as the {what}.", rule="marker", field=field)
    if person.pk in not_ids:
        raise RuleError(
            f"The {what} must be someone who has not already marked this work.", rule="marker_again", field=field
        )


# --- The leader's selection.


@transaction.atomic
def moderation_confirm(
    *, by: User, task: AssessmentTask, chosen: Mapping[int, User | None], seen: Sequence[int]
) -> ModerationSample:
    """Confirm the task's selection: `chosen` maps each submission to second-mark to its second
    marker; `seen` are the marked submissions the leader's page listed. The chosen ones go into
    moderation with a second marking for their marker; the rest are confirmed for release."""
    _leader(by)
    task = AssessmentTask.objects.select_for_update().get(pk=task.pk)
    done = ModerationSample.objects.filter(task=task).select_related("confirmed_by").first()
    if done is not None:
        raise RuleError(
            f"{done.confirmed_by} already confirmed this task's second marking on {done.confirmed_at:%-d %B %Y}.",
            rule="stale",
        )
    page = selectors.selection(task)
    if page.waiting:
        raise RuleError(
            f"{page.waiting} submitted piece{'s' if page.waiting != 1 else ''} of work "
            f"{'are' if page.waiting != 1 else 'is'} not yet marked: confirm the second marking once every "
            "piece is marked, so the sample is drawn from them all.",
            rule="not_all_marked",
        )
    rows = {row.submission_id: row for row in page.rows}
    if set(seen) != set(rows):
        raise RuleError(
            "The marked work has changed since this page was shown: check the list again, then confirm.",
            rule="stale",
        )
    broken = []
    unknown = set(chosen) - set(rows)
    if unknown:
        broken.append(RuleError("Choose only work listed here.", rule="not_listed"))
    for submission_id, marker in chosen.items():
        if submission_id in unknown:
            continue
        try:
            _check_marker(
                marker, not_ids=[rows[submission_id].marker_id], field=f"marker-{submission_id}", what="second marker"
            )
        except RuleError as error:
            broken.append(error)
    if broken:
        raise RuleError.together(broken)
    sample = ModerationSample.objects.create(
        task=task,
        seed=page.seed,
        considered=len(rows),
        removed_by_hand=sorted(sid for sid in page.sample.chosen if sid not in chosen),
        confirmed_by=by,
    )
    leader = {Relation.PROGRAMME_LEADER}
    firsts = {
        m.submission_id: m
        for m in Marking.objects.select_for_update().filter(
            submission_id__in=list(rows), role=Marking.Role.FIRST, state=State.MARKED
        )
    }
    for submission_id in rows:
        first = firsts[submission_id]
        if submission_id not in chosen:
            _move(first, Move.CONFIRM, leader, by)
            continue
        reasons = [str(r) for r in page.sample.reasons(submission_id)] or [Reason.BY_HAND.value]
        moderation = Moderation.objects.create(
            sample=sample, submission_id=submission_id, reasons=reasons, second_marker=chosen[submission_id]
        )
        _move(first, Move.SEND_TO_MODERATION, leader, by)
        Marking.objects.create(
            submission_id=submission_id,
            marker=chosen[submission_id],
            role=Marking.Role.SECOND,
            state=State.NOT_MARKED,
            rubric=first.rubric,
        )
        labels = "; ".join(Reason(r).label for r in reasons)
        _note(moderation, ModerationNote.Kind.CHOSEN, by, text=f"{labels}. Second marker: {chosen[submission_id]}.")
    trail.record(
        trail.Action.MODERATION_CONFIRM,
        actor=by,
        detail={"task": task.pk, "chosen": sorted(chosen), "removed": sample.removed_by_hand},
    )
    return sample


# --- The second and third markers.


@transaction.atomic
def marker_marking_start(*, by: User, submission: Submission) -> Marking:
    """The second marker (blind or not, as the task says) or the third marker begins their marking,
    criterion by criterion in the same workspace and through the same services as the first."""
    marking = (
        Marking.objects.select_for_update()
        .select_related("rubric")
        .filter(submission=submission, role__in=MARKER_ROLES, marker=by)
        .first()
    )
    if marking is None:
        raise RuleError("You are not this work's second or third marker.", rule="workflow_who")
    if marking.state != State.NOT_MARKED:
        return marking
    access.require(by, Action.CHANGE, marking)
    _move(marking, Move.START, {Relation.MARKER}, by)
    CriterionMark.objects.bulk_create(
        CriterionMark(marking=marking, criterion=criterion) for criterion in marking.rubric.criteria.all()
    )
    trail.record(trail.Action.MARKING_START, record=marking, actor=by, detail={"role": marking.role})
    return marking


def check_marker_move(marking: Marking, move: Move) -> None:
    """A second or third marker reopens their marks only while the moderation waits for them."""
    if move != Move.REOPEN or marking.role not in MARKER_ROLES:
        return
    moderation = Moderation.objects.filter(submission_id=marking.submission_id).first()
    if moderation is None:
        return
    if marking.role == Marking.Role.SECOND and moderation.stage != Stage.SECOND_MARKING:
        raise RuleError(
            "The second marking has been compared with the first, so it is not reopened: record what "
            "you and the first marker agree on the moderation page.",
            rule="workflow_state",
        )
    if marking.role == Marking.Role.THIRD and moderation.stage != Stage.THIRD_MARKING:
        raise RuleError("Your decision is recorded, so your marking is not reopened.", rule="workflow_state")


def second_marking_complete(*, by: User, marking: Marking) -> Moderation:
    """Called in marking_move's transaction once a second marking is complete: compare the two marks
    (assessment.rules.moderation). Close enough and in one band, the first mark stands and the work
    is ready for release; otherwise the two markers must agree a mark."""
    moderation = (
        Moderation.objects.select_for_update()
        .select_related("submission__task")
        .get(submission_id=marking.submission_id)
    )
    if moderation.stage != Stage.SECOND_MARKING:
        raise RuleError("This moderation is past second marking.", rule="workflow_state")
    first = Marking.objects.select_for_update().get(submission_id=marking.submission_id, role=Marking.Role.FIRST)
    task = moderation.submission.task
    _note(moderation, ModerationNote.Kind.SECOND_MARKED, by, mark=marking.mark)
    why = must_reconcile(
        first.mark, marking.mark, threshold=task.reconcile_threshold, bands=list(first.rubric.bands.all())
    )
    if why is None:
        moderation.stage, moderation.settled, moderation.mark = (
            Stage.SETTLED,
            Moderation.Settled.FIRST_STANDS,
            first.mark,
        )
        _note(
            moderation,
            ModerationNote.Kind.FIRST_STANDS,
            by,
            mark=first.mark,
            text=(
                f"The second mark ({marking.mark}) is within {task.reconcile_threshold} of the first "
                "and in the same band."
            ),
        )
        _move(first, Move.MODERATED, {Relation.MARKER}, by)
    else:
        moderation.stage = Stage.RECONCILING
        _note(moderation, ModerationNote.Kind.TO_RECONCILE, by, text=why)
    _bump(moderation)
    return moderation


# --- Reconciling, and the third marker.


def _first(moderation: Moderation) -> Marking:
    return (
        Marking.objects.select_for_update()
        .select_related("rubric")
        .get(submission_id=moderation.submission_id, role=Marking.Role.FIRST)
    )


@transaction.atomic
def moderation_agree(
    *, by: User, moderation: Moderation, version: int | None, mark: int | None, outcome: str, note: str
) -> Moderation:
    """Record the mark the first and second markers agree (either records it) while reconciling,
    with a note saying how they reached it. It becomes the agreed result the participant sees once
    the task's results are released: the first marker's criterion feedback and citations, with the
    mark and outcome agreed."""
    moderation = _locked(moderation, version)
    first = _first(moderation)
    if moderation.stage != Stage.RECONCILING:
        raise RuleError(
            f"This moderation is “{moderation.get_stage_display().lower()}”: no mark is agreed now."
            + (" The third marker decides it by marking the work." if moderation.stage == Stage.THIRD_MARKING else ""),
            rule="workflow_state",
        )
    if by.pk not in (first.marker_id, moderation.second_marker_id):
        raise RuleError("Only the first and second markers agree the mark.", rule="workflow_who")
    access.require(by, Action.CHANGE, moderation)
    broken = []
    try:
        check_agreed(mark, note)
    except RuleError as error:
        broken.append(error)
    if outcome not in Outcome.values:
        broken.append(RuleError("Choose pass, refer or fail.", rule="outcome", field="outcome"))
    if len(note) > SHORT_TEXT_MAX:
        broken.append(RuleError(f"Keep the note to {SHORT_TEXT_MAX:,} characters.", rule="too_long", field="note"))
    if broken:
        raise RuleError.together(broken)
    _settle(moderation, first, source=first, by=by, mark=mark, outcome=outcome, note=note)
    return moderation


@transaction.atomic
def third_marking_decide(*, by: User, moderation: Moderation, version: int | None, note: str) -> Moderation:
    """The third marker's decision, which is final: their own marking, made criterion by criterion in
    the workspace and completed, with a note on how they judged it. It becomes the agreed result the
    participant sees once the task's results are released: the third marker's criterion marks,
    feedback and citations, overall mark and outcome (and feed-forward, or the first marker's if they
    wrote none)."""
    moderation = _locked(moderation, version)
    if moderation.stage != Stage.THIRD_MARKING:
        raise RuleError(
            f"This moderation is “{moderation.get_stage_display().lower()}”: no third marker decides it now.",
            rule="workflow_state",
        )
    if by.pk != moderation.third_marker_id:
        raise RuleError("Only the third marker decides the mark.", rule="workflow_who")
    access.require(by, Action.CHANGE, moderation)
    third = (
        Marking.objects.select_for_update()
        .select_related("rubric", "submission__task")
        .filter(submission_id=moderation.submission_id, role=Marking.Role.THIRD, marker=by)
        .first()
    )
    if third is None or third.state != State.MARKED:
        raise RuleError(
            "Mark every criterion, choose an outcome and mark your marking as complete in the marking "
            "workspace first: your decision is that marking.",
            rule="third_not_marked",
        )
    if not note.strip():
        raise RuleError("Say how you judged the work: the note is the moderation record.", rule="note", field="note")
    if len(note) > SHORT_TEXT_MAX:
        raise RuleError(f"Keep the note to {SHORT_TEXT_MAX:,} characters.", rule="too_long", field="note")
    _settle(moderation, _first(moderation), source=third, by=by, mark=third.mark, outcome=third.outcome, note=note)
    return moderation


def _settle(
    moderation: Moderation, first: Marking, *, source: Marking, by: User, mark: int, outcome: str, note: str
) -> None:
    """The mark that stands, agreed or decided: the agreed result is made from `source`'s criteria,
    and it and the first marking go forward for release."""
    third = source.role == Marking.Role.THIRD
    agreed = _agreed_marking(first, source=source, by=by, mark=mark, outcome=outcome, note=note)
    _move(agreed, Move.MODERATED, {Relation.MARKER}, by)
    _move(first, Move.MODERATED, {Relation.MARKER}, by)
    moderation.stage, moderation.mark = Stage.SETTLED, mark
    moderation.settled = Moderation.Settled.THIRD_MARKER if third else Moderation.Settled.AGREED
    _note(
        moderation,
        ModerationNote.Kind.THIRD_DECISION if third else ModerationNote.Kind.AGREED,
        by,
        mark=mark,
        text=note,
    )
    _bump(moderation)


def _agreed_marking(first: Marking, *, source: Marking, by: User, mark: int, outcome: str, note: str) -> Marking:
    """The agreed result: `source`'s criterion marks, feedback and citations (the first marker's
    when the two markers agree, the third marker's when they decide), with the overall mark and
    outcome that stand, each change from the first marks recorded."""
    from assessment.services.marking import _record_changes

    reason = f"Agreed in moderation: {note.strip()}"[:SHORT_TEXT_MAX]
    adjusted = None if mark == source.mark else mark
    agreed = Marking.objects.create(
        submission_id=first.submission_id,
        marker=by,
        role=Marking.Role.AGREED,
        state=State.IN_MODERATION,
        rubric=first.rubric,
        overall_mark=source.uncapped_mark,
        resubmission_cap=first.resubmission_cap,
        adjusted_mark=adjusted,
        adjustment_reason=reason if adjusted is not None else "",
        outcome=outcome,
        feed_forward=source.feed_forward or first.feed_forward,
    )
    for row in source.criterion_marks.prefetch_related("citations"):
        copy = CriterionMark.objects.create(
            marking=agreed,
            criterion_id=row.criterion_id,
            band_id=row.band_id,
            mark=row.mark,
            strengths=row.strengths,
            development=row.development,
        )
        Citation.objects.bulk_create(
            Citation(
                criterion_mark=copy,
                kind=c.kind,
                log_version_id=c.log_version_id,
                action_step_id=c.action_step_id,
                item_id=c.item_id,
                enquiry_id=c.enquiry_id,
                section=c.section,
                label=c.label,
                text=c.text,
            )
            for c in row.citations.all()
        )
    _record_changes(
        agreed,
        by,
        [("overall_mark", first.mark, mark), ("outcome", first.outcome, outcome)],
        reason=reason,
        amendment=False,
    )
    return agreed


@transaction.atomic
def moderation_not_agreed(*, by: User, moderation: Moderation, version: int | None, note: str) -> Moderation:
    """The markers record that they cannot agree: the programme leader assigns a third marker."""
    moderation = _locked(moderation, version)
    first = _first(moderation)
    if moderation.stage != Stage.RECONCILING:
        raise RuleError("Only marks being reconciled can be sent to a third marker.", rule="workflow_state")
    if by.pk not in (first.marker_id, moderation.second_marker_id):
        raise RuleError("Only the first and second markers say they cannot agree.", rule="workflow_who")
    access.require(by, Action.CHANGE, moderation)
    if not note.strip():
        raise RuleError("Say where the two of you differ, for the third marker.", rule="note", field="note")
    _note(moderation, ModerationNote.Kind.NOT_AGREED, by, text=note)
    _bump(moderation)
    return moderation


@transaction.atomic
def moderation_third_marker_assign(
    *, by: User, moderation: Moderation, version: int | None, marker: User | None
) -> Moderation:
    """The programme leader asks a third tutor, who has not marked the work, to decide the mark."""
    _leader(by)
    moderation = _locked(moderation, version)
    if moderation.stage != Stage.RECONCILING:
        raise RuleError("A third marker is assigned only while the marks are being reconciled.", rule="workflow_state")
    first = _first(moderation)
    _check_marker(marker, not_ids=[first.marker_id, moderation.second_marker_id], field="marker", what="third marker")
    moderation.third_marker, moderation.stage = marker, Stage.THIRD_MARKING
    Marking.objects.create(
        submission_id=moderation.submission_id,
        marker=marker,
        role=Marking.Role.THIRD,
        state=State.NOT_MARKED,
        rubric=first.rubric,
    )
    _note(moderation, ModerationNote.Kind.THIRD_ASSIGNED, by, text=f"Third marker: {marker}.")
    _bump(moderation)
    return moderation


# --- Release.


def check_release(task: AssessmentTask) -> None:
    """Refuse to release a task's results while work chosen for second marking is not settled."""
    waiting = list(
        Moderation.objects.filter(submission__task=task)
        .exclude(stage=Stage.SETTLED)
        .select_related("submission__enrolment__participant")
        .order_by("pk")
    )
    if waiting:
        names = ", ".join(str(m.submission.enrolment.participant) for m in waiting[:5])
        more = f" and {len(waiting) - 5} more" if len(waiting) > 5 else ""
        raise RuleError(
            f"{len(waiting)} piece{'s' if len(waiting) != 1 else ''} of work chosen for second marking "
            f"{'are' if len(waiting) != 1 else 'is'} not settled yet ({names}{more}): the results are released "
            "together once every second marking is reconciled.",
            rule="moderation_unsettled",
        )
