"""What the tutor's home asks of them (coaching.needs_you's "What needs you"): their participants'
work waiting for their marking, moderation waiting for them, and participants with a phase (the
current one, or one they were moved on from) that has every core task passed and is waiting for the
tutor to confirm it complete. A fixed number of queries however many participants, submissions or
tasks there are."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from assessment.models import AssessmentTask, PhaseCompletion
from assessment.rules.progression import CoreTask, check_phase_complete
from assessment.selectors.credits import passes_of
from assessment.selectors.marking import queue
from assessment.selectors.moderation import for_marker
from assessment.workflow import State
from programme import access
from programme.access import Relation
from programme.models import Enrolment
from programme.rules.phases import FIRST_PHASE, LAST_PHASE
from ui.errors import RuleError

# The home lists this many of each kind, oldest first; "Work to mark" and the moderation page list them all.
SHOWN = 10

# The participant's name, as read from a submission.
_PARTICIPANT = {
    "first_name": "enrolment__participant__first_name",
    "last_name": "enrolment__participant__last_name",
    "email": "enrolment__participant__email",
}

# What the first marker still has to do at each state of their marking.
_TO_DO = {
    None: "Mark",
    State.NOT_MARKED: "Mark",
    State.IN_MARKING: "Finish marking",
    State.MARKED: "Confirm for release or send to moderation",
}
_STAGE_TO_DO = {
    "second_marking": "Second-mark",
    "reconciling": "Agree a mark with the other marker on",
    "third_marking": "Decide, as third marker, on",
}


@dataclass(frozen=True)
class PhaseToConfirm:
    """A participant of the tutor's with a phase ready to confirm (the earliest, when more are)."""

    pk: int  # the enrolment's
    participant: str
    phase_to_confirm: int


def phases_to_confirm(tutor) -> list[PhaseToConfirm]:
    """The active enrolments this tutor assesses with a phase ready to confirm, by the participant's
    name: the earliest such phase, as `check_phase_complete` (the one rule) judges each (an earlier
    phase can be left unconfirmed when a participant was moved on, see assessment.rules.progression).
    Four plain queries over the tutor's own participants, whatever their number: their enrolments,
    their cohorts' core tasks, their released passes and their confirmed phases (one query that
    asked the rule of every participant in SQL took longer to build and plan than these to run)."""
    enrolments = list(
        access.enrolments_for(tutor, Relation.TUTOR)
        .filter(status=Enrolment.Status.ACTIVE)
        .order_by("participant__last_name", "participant__first_name", "pk")
        .values_list(
            "pk",
            "cohort_id",
            "current_phase__number",
            "participant__first_name",
            "participant__last_name",
            "participant__email",
        )
    )
    if not enrolments:
        return []
    ids = [row[0] for row in enrolments]
    core: dict[tuple[int, int], list[CoreTask]] = defaultdict(list)
    tasks = AssessmentTask.objects.filter(
        cohort_id__in={row[1] for row in enrolments}, kind=AssessmentTask.Kind.CORE
    ).values_list("cohort_id", "phase__number", "pk", "title")
    # Unordered: each model's default order joins the cohort, phase, task or participant only to sort.
    for cohort_id, phase, pk, title in tasks.order_by():
        core[cohort_id, phase].append(CoreTask(pk, title))
    passed: dict[int, set[int]] = defaultdict(set)
    for enrolment_id, task_id in (
        passes_of(ids).order_by().values_list("submission__enrolment_id", "submission__task_id")
    ):
        passed[enrolment_id].add(task_id)
    completed: dict[int, set[int]] = defaultdict(set)
    for enrolment_id, phase in (
        PhaseCompletion.objects.filter(enrolment_id__in=ids).order_by().values_list("enrolment_id", "phase__number")
    ):
        completed[enrolment_id].add(phase)
    found = []
    for pk, cohort_id, current, first_name, last_name, email in enrolments:
        for phase in range(FIRST_PHASE, min(current, LAST_PHASE) + 1):
            try:
                check_phase_complete(
                    phase=phase,
                    current_phase=current,
                    completed=completed[pk],
                    core_tasks=core[cohort_id, phase],
                    passed_task_ids=passed[pk],
                )
            except RuleError:
                continue
            found.append(PhaseToConfirm(pk, User.name_of(first_name, last_name, email), phase))
            break
    return found


def needs_of(tutor) -> list[tuple[str, list]]:
    """Three queries (and the access policy's own) however much is waiting."""
    from coaching.needs_you import Need

    if not access.holds(tutor, Relation.TUTOR):
        return []
    waiting = Q(marking_state__isnull=True) | Q(marking_state__in=[State.NOT_MARKED, State.IN_MARKING, State.MARKED])
    # Plain values, the columns shown: a queue of whole submissions with their tasks, enrolments and
    # participants selected took longer to build and compile than to run.
    to_mark = [
        Need(
            f"{_TO_DO[state]} {title}{' (resubmission)' if resubmission_of_id else ''}",
            User.name_of(first_name, last_name, email),
            timezone.localdate(submitted_at),
            reverse("marking:workspace", args=[pk]),
        )
        for pk, state, title, resubmission_of_id, submitted_at, first_name, last_name, email in queue(tutor)
        .filter(waiting)
        .values_list(
            "pk",
            "marking_state",
            "task__title",
            "resubmission_of_id",
            "submitted_at",
            *_PARTICIPANT.values(),
        )[:SHOWN]
    ]
    moderation = []
    rows = for_marker(tutor).values_list(
        "pk",
        "stage",
        "second_marker_id",
        "submission_id",
        "submission__task__title",
        "submission__submitted_at",
        *(f"submission__{name}" for name in _PARTICIPANT.values()),
    )
    for pk, stage, second_marker_id, submission_id, title, submitted_at, *name in rows[:SHOWN]:
        second_marks = stage == "second_marking" and second_marker_id == tutor.pk
        url = reverse(
            "marking:workspace" if second_marks else "marking:moderation",
            args=[submission_id if second_marks else pk],
        )
        moderation.append(
            Need(
                f"{_STAGE_TO_DO.get(stage, 'Open')} {title}",
                User.name_of(*name),
                timezone.localdate(submitted_at),
                url,
            )
        )
    phases = [
        Need(
            f"Confirm phase {e.phase_to_confirm} complete",
            e.participant,
            None,  # waiting since the last release, which the home need not date
            reverse("credits:ledger", args=[e.pk]) + f"#confirm-{e.phase_to_confirm}",
        )
        for e in phases_to_confirm(tutor)[:SHOWN]
    ]
    return [
        ("Work waiting for your marking", to_mark),
        ("Moderation waiting for you", moderation),
        ("Every core task passed: confirm the phase", phases),
    ]
