"""The marking workflow, as Moodle's that UK tutors know:

    not marked → in marking → marked → in moderation → ready for release → released

`MOVES` is the one table of which step exists and who may take it (by their relation to the
participant, from `programme.access`). Services ask `check_move` before they change a marking's
state; it raises a RuleError that says why when the move is not open to them. Who a person *is* to
the participant (their tutor, the programme leader) is the access policy's answer, never decided here.
"""

import enum
from dataclasses import dataclass

from django.db import models

from programme.access import Relation
from ui.errors import RuleError


class State(models.TextChoices):
    NOT_MARKED = "not_marked", "Not marked"
    IN_MARKING = "in_marking", "In marking"
    MARKED = "marked", "Marked"
    IN_MODERATION = "in_moderation", "In moderation"
    READY_FOR_RELEASE = "ready_for_release", "Ready for release"
    RELEASED = "released", "Released"


class Move(enum.StrEnum):
    START = "start"  # the tutor opens the work and begins marking
    COMPLETE = "complete"  # the marker has marked every criterion and set an outcome
    REOPEN = "reopen"  # the marker takes their marks back to change them
    SEND_TO_MODERATION = "send_to_moderation"
    MODERATED = "moderated"  # moderation is over: the agreed marks stand
    RETURN_TO_MARKER = "return_to_marker"  # moderation or the leader sends the work back
    CONFIRM = "confirm"  # not sampled for moderation: the marks go forward as they are
    RELEASE = "release"
    AMEND = "amend"  # a released result changed through a recorded amendment, with a reason


# The scheduled release (celery beat, on the task's release date) is not a person.
RELEASE_DATE = "release_date"

Mover = Relation | str

T = Relation.TUTOR
L = Relation.PROGRAMME_LEADER
M = Relation.MARKER  # a second or third marker, on their own marking (assessment.services.moderation)


@dataclass(frozen=True)
class Step:
    sources: frozenset[State]
    target: State
    movers: frozenset[Mover]


MOVES: dict[Move, Step] = {
    Move.START: Step(frozenset({State.NOT_MARKED}), State.IN_MARKING, frozenset({T, M})),
    Move.COMPLETE: Step(frozenset({State.IN_MARKING}), State.MARKED, frozenset({T, M})),
    Move.REOPEN: Step(frozenset({State.MARKED}), State.IN_MARKING, frozenset({T, M})),
    Move.SEND_TO_MODERATION: Step(frozenset({State.MARKED}), State.IN_MODERATION, frozenset({T, L})),
    # Taken only by assessment.services.moderation, once the moderation is settled: by the marker who
    # settles it (the first marks stand, or an agreed or third marker's mark) or the leader.
    Move.MODERATED: Step(frozenset({State.IN_MODERATION}), State.READY_FOR_RELEASE, frozenset({T, M, L})),
    Move.CONFIRM: Step(frozenset({State.MARKED}), State.READY_FOR_RELEASE, frozenset({T, L})),
    Move.RETURN_TO_MARKER: Step(
        frozenset({State.IN_MODERATION, State.READY_FOR_RELEASE}), State.IN_MARKING, frozenset({L})
    ),
    Move.RELEASE: Step(frozenset({State.READY_FOR_RELEASE}), State.RELEASED, frozenset({L, RELEASE_DATE})),
    Move.AMEND: Step(frozenset({State.RELEASED}), State.RELEASED, frozenset({T, L})),
}

# Until release the marker's work may be changed in place (each change still recorded); after it,
# only by an amendment.
EDITABLE = frozenset({State.IN_MARKING})
BEFORE_RELEASE = frozenset(State) - {State.RELEASED}

_WHO = {
    T: "the participant's tutor",
    M: "the marker",
    L: "the programme leader",
    RELEASE_DATE: "the release date",
}


def _names(states) -> str:
    labels = [State(state).label.lower() for state in State if state in states]
    return " or ".join(f"“{label}”" for label in labels)


def check_move(*, state: str, move: Move, movers: frozenset[Mover] | set[Mover]) -> State:
    """The state after `move` from `state`, if one of `movers` (the person's relations to the
    participant) may take it. Otherwise a RuleError saying why, in words the person can act on."""
    step = MOVES[Move(move)]
    if state not in step.sources:
        raise RuleError(
            f"This work is “{State(state).label.lower()}”, so it cannot be {_DONE[move]} now: only work "
            f"that is {_names(step.sources)} can.",
            rule="workflow_state",
        )
    if not step.movers & set(movers):
        who = " or ".join(_WHO[m] for m in (T, M, L, RELEASE_DATE) if m in step.movers)
        raise RuleError(f"Only {who} can do this.", rule="workflow_who")
    return step.target


def allowed_moves(*, state: str, movers: frozenset[Mover] | set[Mover]) -> list[Move]:
    """The moves open to these movers from `state`, in the table's order: the buttons a page shows."""
    return [move for move, step in MOVES.items() if state in step.sources and step.movers & set(movers)]


_DONE = {
    Move.START: "started",
    Move.COMPLETE: "marked as complete",
    Move.REOPEN: "reopened",
    Move.SEND_TO_MODERATION: "sent to moderation",
    Move.MODERATED: "marked as moderated",
    Move.RETURN_TO_MARKER: "returned to the marker",
    Move.CONFIRM: "confirmed for release",
    Move.RELEASE: "released",
    Move.AMEND: "amended",
}
