"""Reads for moderation: the leader's selection page for a task (the marked work with the sample the
rule suggests and why), who marks a submission in the workspace (first, second), a moderation as
its markers and the leader see it (blind where the task says), the moderation record (the notes, in
order, for the external examiner's pack) and the work waiting for a marker. Each in a fixed number
of queries however many submissions there are."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from accounts.models import User
from accounts.roles import Role
from assessment.models import AssessmentTask, Marking, Moderation, ModerationNote, ModerationSample, Submission
from assessment.models.moderation import MARKER_ROLES
from assessment.rules.marks import band_for, capped
from assessment.rules.moderation import first_marks_shown
from assessment.rules.sampling import Candidate, Rule, Sample, draw_sample
from assessment.selectors.marking import _criterion_marks
from assessment.workflow import State
from programme import access
from programme.access import Action, Relation


def seed_for(task: AssessmentTask) -> str:
    return f"second-marking:{task.pk}"


@dataclass(frozen=True)
class Row:
    submission_id: int
    participant: str
    marker_id: int
    marker: str
    mark: int | None
    band: str
    outcome: str


@dataclass
class Selection:
    task: AssessmentTask
    rows: list[Row]
    sample: Sample
    seed: str
    waiting: int  # submitted work not yet marked (no first marking complete)
    confirmed: ModerationSample | None = None
    tutors: list = field(default_factory=list)


def selection(task: AssessmentTask) -> Selection:
    """The task's marked work (first markings complete, not yet confirmed) with the sample drawn by
    assessment.rules.sampling. Five queries however many submissions."""
    firsts = list(
        Marking.objects.filter(submission__task=task, role=Marking.Role.FIRST, state=State.MARKED)
        .order_by(
            "submission__enrolment__participant__last_name", "submission__enrolment__participant__first_name", "pk"
        )
        .values_list(
            "submission_id",
            "submission__enrolment__participant__first_name",
            "submission__enrolment__participant__last_name",
            "submission__enrolment__participant__email",
            "marker_id",
            "marker__first_name",
            "marker__last_name",
            "marker__email",
            "overall_mark",
            "adjusted_mark",
            "outcome",
            "submission__is_resubmission",
        )
    )
    bands = list(task.rubric.bands.all())
    rows, candidates = [], []
    for sid, pf, pl, pe, mid, mf, ml, me, overall, adjusted, outcome, resubmission in firsts:
        found = adjusted if adjusted is not None else overall
        mark = None if found is None else capped(found, is_resubmission=resubmission, cap=task.resubmission_cap)
        band = band_for(mark, bands) if mark is not None else None
        rows.append(
            Row(sid, User.name_of(pf, pl, pe), mid, User.name_of(mf, ml, me), mark, band.name if band else "", outcome)
        )
        candidates.append(Candidate(submission_id=sid, marker_id=mid, mark=mark, outcome=outcome))
    seed = seed_for(task)
    sample = draw_sample(candidates, rule=Rule.for_task(task), bands=bands, seed=seed)
    waiting = (
        Submission.objects.filter(task=task, state=Submission.State.SUBMITTED)
        .exclude(
            markings__role=Marking.Role.FIRST,
            markings__state__in=[s for s in State if s not in (State.NOT_MARKED, State.IN_MARKING)],
        )
        .count()
    )
    return Selection(task=task, rows=rows, sample=sample, seed=seed, waiting=waiting)


def tutors() -> QuerySet[User]:
    """Everyone who may second- or third-mark: the provider's tutors."""
    return (
        User.objects.filter(role_grants__role=Role.TUTOR, is_active=True)
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


def moderations_of(task: AssessmentTask) -> QuerySet[Moderation]:
    return (
        Moderation.objects.filter(submission__task=task)
        .select_related("submission__enrolment__participant", "second_marker", "third_marker")
        .order_by("pk")
    )


# --- Who marks in the workspace.


def marking_role(user, submission: Submission) -> str:
    """The marking this person does on this submission in the workspace: the first (the
    participant's tutor, who may assess it), the second or the third (the marker the leader
    assigned). Anyone else: a 404, as the access policy answers a refused read."""
    if access.can(user, Action.ASSESS, submission):
        return Marking.Role.FIRST
    role = (
        Marking.objects.filter(submission=submission, marker=user, role__in=MARKER_ROLES)
        .values_list("role", flat=True)
        .first()
    )
    if role is not None and access.can(user, Action.VIEW, submission):
        return role
    access.require(user, Action.ASSESS, submission)  # raises: a 404 or a 403 with the reason
    raise Http404("No such submission.")


# --- A moderation as its markers and the leader see it.


@dataclass
class ModerationView:
    moderation: Moderation
    first: Marking | None  # None: not shown to this person (blind second marking)
    second: Marking | None  # None: not shown yet
    third: Marking | None  # None: no third marker, or not shown yet
    notes: list[ModerationNote]
    role: str  # "first", "second", "third", "leader"
    first_hidden: bool = False


def moderation_for(pk: int) -> Moderation | None:
    return (
        Moderation.objects.filter(pk=pk)
        .select_related(
            "submission__task__rubric", "submission__enrolment__participant", "second_marker", "third_marker"
        )
        .first()
    )


def moderation_view(user, moderation: Moderation) -> ModerationView:
    """The moderation as this person may see it (a 404 for anyone the access policy refuses). On a
    blind task the second marker sees none of the first marks until their own marking is complete;
    the first marker sees the second marks once they are complete."""
    access.require(user, Action.VIEW, moderation)
    markings = {
        m.role: m
        for m in Marking.objects.filter(submission_id=moderation.submission_id)
        .select_related("marker", "rubric")
        .prefetch_related(_criterion_marks())
    }
    first, second = markings.get(Marking.Role.FIRST), markings.get(Marking.Role.SECOND)
    third = markings.get(Marking.Role.THIRD)
    second_complete = second is not None and second.state == State.MARKED
    if first is not None and user.pk == first.marker_id:
        role = "first"
    elif user.pk == moderation.second_marker_id:
        role = "second"
    elif user.pk == moderation.third_marker_id:
        role = "third"
    else:
        role = "leader"
    hidden = role == "second" and not first_marks_shown(
        blind=moderation.submission.task.blind_second_marking, second_complete=second_complete
    )
    return ModerationView(
        moderation=moderation,
        first=None if hidden else first,
        second=second if (second_complete or role in ("second", "leader")) else None,
        # The first and second markers see the third marks once the decision is recorded.
        third=third if (moderation.is_settled or role in ("third", "leader")) else None,
        notes=moderation_record(moderation.submission),
        role=role,
        first_hidden=hidden,
    )


def moderation_record(submission: Submission) -> list[ModerationNote]:
    """The moderation record of one submission, in order: why it was chosen, the second mark, whether
    the marks had to be reconciled and why, the notes, and the mark that stands (each note with its
    author, its mark if any, and when). Empty if it was not chosen. For the examiner's pack; whoever
    shows it asks the access policy first (MODERATION_RECORD)."""
    return list(
        ModerationNote.objects.filter(moderation__submission=submission)
        .select_related("author")
        .order_by("created_at", "pk")
    )


def for_marker(user) -> QuerySet[Moderation]:
    """Moderations waiting for this person: to second-mark, to reconcile (first or second marker),
    or to decide as the third marker."""
    S = Moderation.Stage
    # The first marker as a subquery rather than a join through the markings, which needed DISTINCT
    # over every selected column and cost more to plan than to run.
    first_marked = Marking.objects.filter(submission=OuterRef("submission"), role=Marking.Role.FIRST, marker=user)
    return (
        Moderation.objects.filter(
            Q(second_marker=user, stage__in=[S.SECOND_MARKING, S.RECONCILING])
            | Q(third_marker=user, stage=S.THIRD_MARKING)
            | Q(Exists(first_marked), stage=S.RECONCILING)
        )
        .select_related("submission__task", "submission__enrolment__participant")
        .order_by("pk")
    )


def holds_leader(user) -> bool:
    return access.holds(user, Relation.PROGRAMME_LEADER)
