"""Phase order (programme Q31): three phases, taken in order, each building on the last."""

from ui.errors import RuleError

FIRST_PHASE = 1
LAST_PHASE = 3


def check_progression(*, current: int, to: int) -> None:
    """A participant moves on one phase at a time, never back and never past the last."""
    if to != current + 1 or to > LAST_PHASE:
        raise RuleError(
            f"A participant in phase {current} can only progress to phase {current + 1}."
            if current < LAST_PHASE
            else "Phase 3 is the last phase; there is no phase to progress to.",
            rule="phase_order",
            field="current_phase",
        )
