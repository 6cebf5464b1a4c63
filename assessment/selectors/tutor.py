"""What the tutor's home asks of them (coaching.needs_you's "What needs you"): their participants'
work waiting for their marking, moderation waiting for them, and participants with a phase (the
current one, or one they were moved on from) that has every core task passed and is waiting for the
tutor to confirm it complete. A fixed number of queries however many participants, submissions or
tasks there are."""

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from assessment.models import AssessmentTask, PhaseCompletion
from assessment.selectors.credits import _passes
from assessment.selectors.marking import queue
from assessment.selectors.moderation import for_marker
from assessment.workflow import State
from programme import access
from programme.access import Relation
from programme.models import Enrolment
from programme.rules.phases import FIRST_PHASE, LAST_PHASE

# The home lists this many of each kind, oldest first; "Work to mark" and the moderation page list them all.
SHOWN = 10

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


def _ready_to_confirm(phase: int) -> Q:
    """The enrolment has reached `phase`, which has core tasks, every one of them passed (released as
    a pass), and is not yet confirmed complete."""
    core = AssessmentTask.objects.filter(
        cohort_id=OuterRef("cohort_id"), phase__number=phase, kind=AssessmentTask.Kind.CORE
    )
    passed = _passes(OuterRef(OuterRef("pk"))).values("submission__task_id")
    confirmed = PhaseCompletion.objects.filter(enrolment_id=OuterRef("pk"), phase__number=phase)
    return (
        Q(current_phase__number__gte=phase)
        & Q(Exists(core))
        & ~Q(Exists(core.exclude(pk__in=passed)))
        & ~Q(Exists(confirmed))
    )


def phases_to_confirm(tutor):
    """The active enrolments this tutor assesses with a phase ready to confirm, as
    `phase_to_confirm` (the earliest: an earlier phase can be left unconfirmed when a participant
    was moved on, see assessment.rules.progression): one query."""
    earliest_ready = Case(
        *(When(_ready_to_confirm(n), then=Value(n)) for n in range(FIRST_PHASE, LAST_PHASE + 1)),
        default=None,
        output_field=IntegerField(),
    )
    return (
        access.enrolments_for(tutor, Relation.TUTOR)
        .filter(status=Enrolment.Status.ACTIVE)
        .annotate(phase_to_confirm=earliest_ready)
        .filter(phase_to_confirm__isnull=False)
        .select_related("participant")
        .order_by("participant__last_name", "participant__first_name", "pk")
    )


def needs_of(tutor) -> list[tuple[str, list]]:
    """Three queries (and the access policy's own) however much is waiting."""
    from coaching.needs_you import Need

    if not access.holds(tutor, Relation.TUTOR):
        return []
    waiting = Q(marking_state__isnull=True) | Q(marking_state__in=[State.NOT_MARKED, State.IN_MARKING, State.MARKED])
    to_mark = [
        Need(
            f"{_TO_DO[s.marking_state]} {s.task.title}{' (resubmission)' if s.resubmission_of_id else ''}",
            str(s.enrolment.participant),
            timezone.localdate(s.submitted_at),
            reverse("marking:workspace", args=[s.pk]),
        )
        for s in queue(tutor).filter(waiting)[:SHOWN]
    ]
    moderation = []
    for m in for_marker(tutor)[:SHOWN]:
        second_marks = m.stage == "second_marking" and m.second_marker_id == tutor.pk
        url = reverse(
            "marking:workspace" if second_marks else "marking:moderation",
            args=[m.submission_id if second_marks else m.pk],
        )
        moderation.append(
            Need(
                f"{_STAGE_TO_DO.get(m.stage, 'Open')} {m.submission.task.title}",
                str(m.submission.enrolment.participant),
                timezone.localdate(m.submission.submitted_at),
                url,
            )
        )
    phases = [
        Need(
            f"Confirm phase {e.phase_to_confirm} complete",
            str(e.participant),
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
