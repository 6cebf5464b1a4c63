"""Progression: when the tutor may confirm a phase complete, and when the programme is complete.

A phase is complete once its core tasks are passed and the tutor confirms it (Q12); the programme
is complete when all three phases are, the credits reach the award's total, and passed work covers
all four content areas (Q29). `check_phase_complete` and `programme_standing` decide; nothing else."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from programme.rules.phases import FIRST_PHASE, LAST_PHASE
from ui.errors import RuleError


@dataclass(frozen=True)
class CoreTask:
    pk: int
    title: str


def _listed(titles: list[str]) -> str:
    quoted = [f"“{title}”" for title in titles]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def check_phase_complete(
    *,
    phase: int,
    current_phase: int,
    completed: Iterable[int],
    core_tasks: Sequence[CoreTask],
    passed_task_ids: Iterable[int],
) -> None:
    """May phase `phase` be confirmed complete? The participant's current phase or one before it, once,
    and only when every core task set for it has been passed (released as a pass). The refusal names
    each core task not yet passed. An earlier phase is open to confirmation because a participant can
    reach a later one without it (enrolled into it, or moved on by the programme leader through
    phase_progress, a recorded decision) and must still be able to complete the programme; only
    confirming the current phase moves them on (the service's part)."""
    completed = set(completed)
    if phase in completed:
        raise RuleError(f"Phase {phase} is already confirmed complete.", rule="phase_complete_once", field="phase")
    if phase > current_phase or not FIRST_PHASE <= phase <= LAST_PHASE:
        raise RuleError(
            f"The participant is in phase {current_phase}: a later phase cannot be confirmed complete yet.",
            rule="phase_order",
            field="phase",
        )
    if not core_tasks:
        raise RuleError(
            f"No core task is set for phase {phase} in this participant's cohort, so there is nothing passed "
            "to confirm it on.",
            rule="phase_core_tasks",
            field="phase",
        )
    passed = set(passed_task_ids)
    missing = [task.title for task in core_tasks if task.pk not in passed]
    if missing:
        tasks = "core task" if len(missing) == 1 else "core tasks"
        verb = "has" if len(missing) == 1 else "have"
        raise RuleError(
            f"Phase {phase} cannot be confirmed complete yet: the {tasks} {_listed(missing)} {verb} not been passed.",
            rule="phase_core_tasks",
            field="phase",
        )


@dataclass(frozen=True)
class Standing:
    """Where a participant stands against each condition of completing the programme."""

    phases_complete: frozenset[int]
    credits: int  # from passed tasks and approved prior learning
    total_credits: int
    areas_covered: frozenset[int]  # content area numbers covered by passed work
    area_numbers: tuple[int, ...]  # every content area

    @property
    def phases_done(self) -> bool:
        return all(n in self.phases_complete for n in range(FIRST_PHASE, LAST_PHASE + 1))

    @property
    def credits_reached(self) -> bool:
        return self.credits >= self.total_credits

    @property
    def areas_done(self) -> bool:
        return set(self.area_numbers) <= self.areas_covered

    @property
    def complete(self) -> bool:
        return self.phases_done and self.credits_reached and self.areas_done


def programme_standing(
    *,
    phases_complete: Iterable[int],
    credits: int,
    total_credits: int,
    areas_covered: Iterable[int],
    area_numbers: Iterable[int],
) -> Standing:
    return Standing(
        phases_complete=frozenset(phases_complete),
        credits=credits,
        total_credits=total_credits,
        areas_covered=frozenset(areas_covered),
        area_numbers=tuple(sorted(area_numbers)),
    )
