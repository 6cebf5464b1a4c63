"""The marking workflow: every move from every state, by every relation and the release date."""

import pytest

from assessment.workflow import MOVES, RELEASE_DATE, Move, State, allowed_moves, check_move
from programme.access import Relation
from ui.errors import RuleError

T, L = Relation.TUTOR, Relation.PROGRAMME_LEADER
M = Relation.MARKER  # a second or third marker, on their own marking
EVERYONE = [*Relation, RELEASE_DATE]

# (move, from, to, who may take it): the whole table, spelled out so a change to it is a decision.
ALLOWED = [
    (Move.START, State.NOT_MARKED, State.IN_MARKING, {T, M}),
    (Move.COMPLETE, State.IN_MARKING, State.MARKED, {T, M}),
    (Move.REOPEN, State.MARKED, State.IN_MARKING, {T, M}),
    (Move.SEND_TO_MODERATION, State.MARKED, State.IN_MODERATION, {T, L}),
    (Move.CONFIRM, State.MARKED, State.READY_FOR_RELEASE, {T, L}),
    # Taken only by assessment.services.moderation once the moderation is settled (marking_move refuses it).
    (Move.MODERATED, State.IN_MODERATION, State.READY_FOR_RELEASE, {T, M, L}),
    (Move.RETURN_TO_MARKER, State.IN_MODERATION, State.IN_MARKING, {L}),
    (Move.RETURN_TO_MARKER, State.READY_FOR_RELEASE, State.IN_MARKING, {L}),
    (Move.RELEASE, State.READY_FOR_RELEASE, State.RELEASED, {L, RELEASE_DATE}),
    (Move.AMEND, State.RELEASED, State.RELEASED, {T, L}),
]


@pytest.mark.parametrize(("move", "source", "target", "movers"), ALLOWED)
def test_each_allowed_move_leads_where_the_table_says_and_only_for_its_movers(move, source, target, movers):
    for mover in EVERYONE:
        if mover in movers:
            assert check_move(state=source, move=move, movers={mover}) == target
        else:
            with pytest.raises(RuleError) as refused:
                check_move(state=source, move=move, movers={mover})
            assert refused.value.rule == "workflow_who"
            assert "Only" in refused.value.message


def test_the_table_is_exactly_the_allowed_list():
    spelled = {(move, source) for move, source, _, _ in ALLOWED}
    table = {(move, source) for move, step in MOVES.items() for source in step.sources}
    assert spelled == table


@pytest.mark.parametrize("move", list(Move))
@pytest.mark.parametrize("state", list(State))
def test_a_move_from_a_state_it_does_not_leave_is_refused_with_the_state_named(move, state):
    if state in MOVES[move].sources:
        return
    with pytest.raises(RuleError) as refused:
        check_move(state=state, move=move, movers=set(EVERYONE))
    assert refused.value.rule == "workflow_state"
    assert state.label.lower() in refused.value.message


def test_nobody_but_the_tutor_and_leader_moves_anything_by_hand():
    for relation in (Relation.PARTICIPANT, Relation.COACH, Relation.HEAD, Relation.EXTERNAL_EXAMINER):
        for state in State:
            assert allowed_moves(state=state, movers={relation}) == []


def test_a_released_result_is_only_amended():
    assert allowed_moves(state=State.RELEASED, movers={T, L}) == [Move.AMEND]


def test_the_release_date_only_releases():
    assert allowed_moves(state=State.READY_FOR_RELEASE, movers={RELEASE_DATE}) == [Move.RELEASE]
    assert all(allowed_moves(state=s, movers={RELEASE_DATE}) == [] for s in State if s != State.READY_FOR_RELEASE)


def test_the_tutor_marks_but_cannot_release():
    with pytest.raises(RuleError, match="programme leader or the release date"):
        check_move(state=State.READY_FOR_RELEASE, move=Move.RELEASE, movers={T})
