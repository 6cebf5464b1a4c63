"""Second marking and moderation through the services: the leader's confirmed selection, the second
marker (blind), reconciling, the third marker, release refused until every chosen piece is settled,
who sees what, stale saves and the moderation record."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.roles import Role
from assessment.models import Marking, Moderation, ModerationNote, ModerationSample
from assessment.selectors import marking as marking_selectors
from assessment.selectors import moderation as selectors
from assessment.services import marking as marking_services
from assessment.services import moderation as services
from assessment.services.marking import CriterionContent
from assessment.workflow import Move, State
from audit.models import AuditEvent
from programme import access
from programme.access import Action
from tests.assessment.marking.helpers import marking_world
from tests.assessment.moderation_helpers import confirm, first_marked, moderated_world, second_marked
from tests.factories import UserFactory
from ui.errors import RuleError

pytestmark = pytest.mark.django_db
N = ModerationNote.Kind


def fresh(user):
    user.__dict__.pop("_access_relations", None)
    user.__dict__.pop("roles", None)
    return user


def states(world) -> dict[str, str]:
    return dict(Marking.objects.filter(submission=world.submission).values_list("role", "state"))


# --- The leader's selection.


def test_confirming_sends_the_chosen_work_to_a_second_marker_and_records_who_and_when():
    world = marking_world()
    first_marked(world)
    sample = confirm(world)
    assert sample.confirmed_by == world.leader
    assert sample.considered == 1
    moderation = Moderation.objects.get(submission=world.submission)
    assert moderation.second_marker == world.other_tutor
    assert moderation.stage == Moderation.Stage.SECOND_MARKING
    assert moderation.reasons == ["sample"]
    assert states(world) == {"first": State.IN_MODERATION, "second": State.NOT_MARKED}
    assert Marking.objects.get(submission=world.submission, role="second").marker == world.other_tutor
    assert AuditEvent.objects.filter(action="moderation_confirm", actor_id=world.leader.pk).exists()


def test_work_not_chosen_goes_forward_with_its_first_marks():
    world = marking_world()
    first_marked(world)
    confirm(world, chosen=False)
    assert states(world) == {"first": State.READY_FOR_RELEASE}
    assert not Moderation.objects.exists()
    sample = ModerationSample.objects.get(task=world.task)
    assert sample.removed_by_hand == [world.submission.pk]  # the rule drew it; the leader took it out
    released = marking_services.results_release(task=world.task, by=world.leader)
    assert [m.role for m in released] == ["first"]


def test_the_selection_shows_the_drawn_sample_with_its_reasons():
    world = marking_world()
    first_marked(world, 47)  # a borderline fail
    page = selectors.selection(world.task)
    assert [row.submission_id for row in page.rows] == [world.submission.pk]
    assert page.rows[0].mark == 47
    assert page.rows[0].band == "Fail"
    assert [str(r) for r in page.sample.reasons(world.submission.pk)] == ["fail", "borderline"]


@pytest.mark.parametrize("who", ["first_marker", "not_a_tutor", "nobody"])
def test_the_second_marker_must_be_another_tutor(who):
    world = marking_world()
    first_marked(world)
    marker = {"first_marker": world.tutor, "not_a_tutor": world.coach, "nobody": None}[who]
    sid = world.submission.pk
    with pytest.raises(RuleError) as refused:
        services.moderation_confirm(by=world.leader, task=world.task, chosen={sid: marker}, seen=[sid])
    assert f"marker-{world.submission.pk}" in refused.value.errors
    assert not ModerationSample.objects.exists()
    assert states(world) == {"first": State.MARKED}


def test_only_the_programme_leader_confirms():
    world = marking_world()
    first_marked(world)
    with pytest.raises(RuleError):
        services.moderation_confirm(
            by=world.tutor, task=world.task, chosen={world.submission.pk: world.other_tutor}, seen=[world.submission.pk]
        )


def test_confirming_waits_until_every_piece_of_work_is_marked():
    world = marking_world()
    world.start()  # in marking, not complete
    with pytest.raises(RuleError) as refused:
        services.moderation_confirm(by=world.leader, task=world.task, chosen={}, seen=[])
    assert refused.value.rule == "not_all_marked"


def test_a_second_confirmation_is_refused_as_stale():
    world = marking_world()
    first_marked(world)
    confirm(world)
    with pytest.raises(RuleError) as refused:
        confirm(world)
    assert refused.value.rule == "stale"
    assert "already confirmed" in refused.value.message


def test_work_marked_since_the_page_was_shown_is_noticed():
    world = marking_world()
    first_marked(world)
    with pytest.raises(RuleError) as refused:
        services.moderation_confirm(by=world.leader, task=world.task, chosen={}, seen=[])
    assert refused.value.rule == "stale"


# --- The second marker, blind.


def test_second_marker_marks_blind_and_cannot_read_the_first_marks():
    world = moderated_world()
    marker = world.other_tutor
    first = Marking.objects.get(submission=world.submission, role="first")
    with pytest.raises(Http404):
        access.require(fresh(marker), Action.VIEW, first)
    second = second_marked(world, 66, complete=False)
    assert second.state == State.IN_MARKING
    view = selectors.moderation_view(fresh(marker), Moderation.objects.get())
    assert view.first is None
    assert view.first_hidden


def test_second_marker_may_cite_the_participants_agreed_logs():
    world = moderated_world()
    marker = world.other_tutor
    marking = services.marker_marking_start(by=marker, submission=world.submission)
    criterion = marking.rubric.criteria.first()
    key = world.log_key()
    assert key in {c.key for c in marking_selectors.citable(fresh(marker), world.submission)}
    marking_services.criterion_mark_save(
        by=marker,
        marking=marking,
        criterion_id=criterion.pk,
        version=marking.version,
        content=CriterionContent(mark=60, citations=(key,)),
    )
    assert marking.criterion_marks.get(criterion=criterion).citations.count() == 1


def test_not_blind_the_second_marker_sees_the_first_marks():
    world = marking_world()
    world.task.blind_second_marking = False
    world.task.save()
    first_marked(world)
    confirm(world)
    view = selectors.moderation_view(fresh(world.other_tutor), Moderation.objects.get())
    assert view.first is not None
    assert view.first.mark == 64


def test_the_first_marker_cannot_change_or_complete_the_second_marking():
    world = moderated_world()
    second = services.marker_marking_start(by=world.other_tutor, submission=world.submission)
    with pytest.raises((PermissionDenied, RuleError)):
        marking_services.criterion_mark_save(
            by=fresh(world.tutor),
            marking=second,
            criterion_id=second.rubric.criteria.first().pk,
            version=second.version,
            content=CriterionContent(mark=10),
        )
    with pytest.raises(RuleError):
        marking_services.marking_move(by=fresh(world.tutor), marking=second, move=Move.COMPLETE, version=None)


def test_someone_else_cannot_start_the_second_marking():
    world = moderated_world()
    with pytest.raises(RuleError):
        services.marker_marking_start(by=world.tutor, submission=world.submission)


# --- Reconciling.


def test_close_marks_in_one_band_let_the_first_mark_stand():
    world = moderated_world(64)
    second_marked(world, 68)
    moderation = Moderation.objects.get()
    assert moderation.stage == Moderation.Stage.SETTLED
    assert moderation.settled == Moderation.Settled.FIRST_STANDS
    assert moderation.mark == 64
    assert states(world) == {"first": State.READY_FOR_RELEASE, "second": State.MARKED}
    assert [n.kind for n in selectors.moderation_record(world.submission)] == [
        N.CHOSEN,
        N.SECOND_MARKED,
        N.FIRST_STANDS,
    ]
    released = marking_services.results_release(task=world.task, by=world.leader)
    assert [m.role for m in released] == ["first"]
    assert marking_selectors.result_of(world.submission).mark == 64


def test_marks_in_different_bands_must_be_reconciled_and_release_waits():
    world = moderated_world(58)
    second_marked(world, 61)  # 3 apart, but a pass and a merit
    moderation = Moderation.objects.get()
    assert moderation.stage == Moderation.Stage.RECONCILING
    note = selectors.moderation_record(world.submission)[-1]
    assert note.kind == N.TO_RECONCILE
    assert "different bands" in note.text
    with pytest.raises(RuleError) as refused:
        marking_services.results_release(task=world.task, by=world.leader)
    assert refused.value.rule == "moderation_unsettled"
    assert str(world.participant) in refused.value.message
    # The release date waits too, without failing.
    world.task.release_on = world.task.due_on
    world.task.save()
    assert marking_services.results_release(task=world.task, by=None, today=world.task.due_on) == []


def test_marks_further_apart_than_the_threshold_are_agreed_and_the_agreed_mark_is_released():
    world = moderated_world(72)
    second_marked(world, 88)  # both distinctions, but 16 apart
    moderation = Moderation.objects.get()
    assert moderation.stage == Moderation.Stage.RECONCILING
    assert selectors.moderation_record(world.submission)[-1].text == (
        "The marks are 16 apart, more than the 10 this task allows."
    )
    services.moderation_agree(
        by=fresh(world.other_tutor),
        moderation=moderation,
        version=moderation.version,
        mark=78,
        outcome="pass",
        note="We reread the enquiry together and agreed the evaluation is of distinction standard.",
    )
    moderation.refresh_from_db()
    assert moderation.settled == Moderation.Settled.AGREED
    assert moderation.mark == 78
    assert states(world) == {
        "first": State.READY_FOR_RELEASE,
        "second": State.MARKED,
        "agreed": State.READY_FOR_RELEASE,
    }
    released = marking_services.results_release(task=world.task, by=world.leader)
    assert sorted(m.role for m in released) == ["agreed", "first"]
    result = marking_selectors.result_of(world.submission)
    assert result.role == "agreed"
    assert result.mark == 78
    # The participant reads the agreed result, with the first marker's feedback and citations.
    assert access.can(fresh(world.participant), Action.VIEW, result)
    assert result.criterion_marks.filter(citations__isnull=False).exists()
    assert [n.kind for n in selectors.moderation_record(world.submission)] == [
        N.CHOSEN,
        N.SECOND_MARKED,
        N.TO_RECONCILE,
        N.AGREED,
    ]


def test_the_first_marker_may_record_the_agreed_mark_too_but_nobody_else():
    world = moderated_world(64)
    second_marked(world, 40)
    moderation = Moderation.objects.get()
    with pytest.raises(RuleError):
        services.moderation_agree(
            by=world.leader, moderation=moderation, version=None, mark=55, outcome="pass", note="Split it."
        )
    services.moderation_agree(
        by=fresh(world.tutor), moderation=moderation, version=None, mark=55, outcome="pass", note="Agreed on a call."
    )
    assert Moderation.objects.get().mark == 55


def test_an_agreed_mark_needs_a_note_and_nothing_is_saved_without_one():
    world = moderated_world(64)
    second_marked(world, 40)
    moderation = Moderation.objects.get()
    with pytest.raises(RuleError) as refused:
        services.moderation_agree(
            by=fresh(world.tutor), moderation=moderation, version=None, mark=None, outcome="", note=""
        )
    assert set(refused.value.errors) == {"mark", "note", "outcome"}
    assert Moderation.objects.get().stage == Moderation.Stage.RECONCILING
    assert not Marking.objects.filter(role="agreed").exists()


def test_a_stale_agreement_is_refused():
    world = moderated_world(64)
    second_marked(world, 40)
    moderation = Moderation.objects.get()
    stale = moderation.version
    services.moderation_not_agreed(by=fresh(world.tutor), moderation=moderation, version=stale, note="We differ.")
    with pytest.raises(RuleError) as refused:
        services.moderation_agree(
            by=fresh(world.other_tutor), moderation=moderation, version=stale, mark=50, outcome="pass", note="Fine."
        )
    assert refused.value.rule == "stale"


def test_the_second_marking_is_not_reopened_once_compared():
    world = moderated_world(64)
    second = second_marked(world, 40)
    with pytest.raises(RuleError):
        marking_services.marking_move(by=fresh(world.other_tutor), marking=second, move=Move.REOPEN, version=None)


# --- The third marker.


def _to_third_marker(world):
    second_marked(world, 40)
    moderation = Moderation.objects.get()
    services.moderation_not_agreed(
        by=fresh(world.other_tutor), moderation=moderation, version=None, note="I read the evaluation as weak."
    )
    third = UserFactory(roles=[Role.TUTOR])
    services.moderation_third_marker_assign(by=world.leader, moderation=moderation, version=None, marker=third)
    moderation.refresh_from_db()
    return moderation, third


def test_only_the_leader_assigns_a_third_marker_who_has_not_marked_the_work():
    world = moderated_world(64)
    second_marked(world, 40)
    moderation = Moderation.objects.get()
    services.moderation_not_agreed(by=fresh(world.other_tutor), moderation=moderation, version=None, note="Apart.")
    third = UserFactory(roles=[Role.TUTOR])
    for wrong in (world.tutor, world.other_tutor, world.coach):
        with pytest.raises(RuleError):
            services.moderation_third_marker_assign(by=world.leader, moderation=moderation, version=None, marker=wrong)
    with pytest.raises(RuleError):
        services.moderation_third_marker_assign(by=world.tutor, moderation=moderation, version=None, marker=third)
    assert not Marking.objects.filter(role=Marking.Role.THIRD).exists()


def test_the_third_marker_marks_criterion_by_criterion_and_their_decision_is_final():
    world = moderated_world(64)
    moderation, third = _to_third_marker(world)
    assert moderation.stage == Moderation.Stage.THIRD_MARKING
    # The third marker reads the work; the first and second markers no longer agree it themselves.
    assert access.can(fresh(third), Action.VIEW, world.submission)
    assert selectors.marking_role(fresh(third), world.submission) == Marking.Role.THIRD
    with pytest.raises(RuleError):
        services.moderation_agree(
            by=fresh(world.tutor), moderation=moderation, version=None, mark=60, outcome="pass", note="Us."
        )
    # Marked with the same services as the first marking, criterion by criterion, citing the log.
    third_marking = second_marked(world, 52, fresh(third), words="THIRD-MARKER", citations=(world.log_key(),))
    assert third_marking.role == Marking.Role.THIRD
    assert third_marking.criterion_marks.filter(mark=52).count() == third_marking.rubric.criteria.count()
    services.third_marking_decide(
        by=fresh(third), moderation=moderation, version=None, note="A pass: the evaluation is weak."
    )
    moderation.refresh_from_db()
    assert moderation.settled == Moderation.Settled.THIRD_MARKER
    assert moderation.mark == 52
    assert [n.kind for n in selectors.moderation_record(world.submission)][-3:] == [
        N.NOT_AGREED,
        N.THIRD_ASSIGNED,
        N.THIRD_DECISION,
    ]
    marking_services.results_release(task=world.task, by=world.leader)
    result = marking_selectors.result_of(world.submission)
    assert (result.role, result.mark, result.outcome) == (Marking.Role.AGREED, 52, "pass")
    # What the participant reads is the third marker's judgement, criterion by criterion, as cited.
    rows = list(result.criterion_marks.all())
    assert {row.strengths for row in rows} == {"THIRD-MARKER-STRENGTHS"}
    assert {row.mark for row in rows} == {52}
    assert all(row.citations.filter(kind="log").exists() for row in rows)


def test_the_third_marker_decides_only_once_their_marking_is_complete_and_with_a_note():
    world = moderated_world(64)
    moderation, third = _to_third_marker(world)
    with pytest.raises(RuleError) as refused:
        services.third_marking_decide(by=fresh(third), moderation=moderation, version=None, note="Decided.")
    assert refused.value.rule == "third_not_marked"
    second_marked(world, 52, fresh(third), words="THIRD-MARKER", complete=False)
    with pytest.raises(RuleError):
        services.third_marking_decide(by=fresh(third), moderation=moderation, version=None, note="Decided.")
    marking = Marking.objects.get(role=Marking.Role.THIRD)
    marking_services.marking_move(by=fresh(third), marking=marking, move=Move.COMPLETE, version=None)
    with pytest.raises(RuleError) as refused:
        services.third_marking_decide(by=fresh(third), moderation=moderation, version=None, note="  ")
    assert refused.value.rule == "note"
    for other in (world.tutor, world.other_tutor, world.leader):
        with pytest.raises((RuleError, PermissionDenied, Http404)):
            services.third_marking_decide(by=fresh(other), moderation=moderation, version=None, note="Mine.")
    moderation.refresh_from_db()
    assert moderation.stage == Moderation.Stage.THIRD_MARKING
    assert not Marking.objects.filter(role=Marking.Role.AGREED).exists()


def test_the_third_marking_is_not_reopened_once_decided():
    world = moderated_world(64)
    moderation, third = _to_third_marker(world)
    marking = second_marked(world, 52, fresh(third), words="THIRD-MARKER")
    marking = marking_services.marking_move(by=fresh(third), marking=marking, move=Move.REOPEN, version=None)
    marking = marking_services.marking_move(by=fresh(third), marking=marking, move=Move.COMPLETE, version=None)
    services.third_marking_decide(by=fresh(third), moderation=moderation, version=None, note="Decided.")
    with pytest.raises(RuleError):
        marking_services.marking_move(by=fresh(third), marking=marking, move=Move.REOPEN, version=None)


# --- Who sees what.


def test_participant_coach_and_head_never_see_second_marks_or_the_moderation():
    world = moderated_world(64)
    second = second_marked(world, 40)
    moderation = Moderation.objects.get()
    note = moderation.notes.first()
    services.moderation_agree(
        by=fresh(world.tutor), moderation=moderation, version=None, mark=55, outcome="pass", note="Agreed."
    )
    marking_services.results_release(task=world.task, by=world.leader)
    second.refresh_from_db()
    for person in (world.participant, world.coach, world.head, world.stranger_coach):
        for record in (second, moderation, note):
            assert not access.allowed_actions(fresh(person), record), (person, record)
    # The first marker and the leader read them; the second marker reads what they did, and no longer changes it.
    assert access.allowed_actions(fresh(world.tutor), second) == {Action.VIEW}
    assert access.allowed_actions(fresh(world.leader), second) == {Action.VIEW}
    assert Action.VIEW in access.allowed_actions(fresh(world.other_tutor), moderation)


def test_a_tutor_not_assigned_sees_nothing_of_the_moderation():
    world = moderated_world()
    stranger = UserFactory(roles=[Role.TUTOR])
    with pytest.raises(Http404):
        selectors.moderation_view(stranger, Moderation.objects.get())
    with pytest.raises(Http404):
        selectors.marking_role(stranger, world.submission)


def test_moderation_is_audited():
    world = moderated_world(64)
    second_marked(world, 40)
    kinds = list(
        AuditEvent.objects.filter(action="moderation_note", record_kind="assessment.moderation")
        .order_by("pk")
        .values_list("detail__kind", flat=True)
    )
    assert kinds == [N.CHOSEN, N.SECOND_MARKED, N.TO_RECONCILE]


def test_an_agreed_result_replaces_the_first_marks_among_released_results():
    world = moderated_world(45)
    second_marked(world, 62)
    moderation = Moderation.objects.get()
    services.moderation_agree(
        by=fresh(world.tutor), moderation=moderation, version=None, mark=55, outcome="pass", note="A pass."
    )
    marking_services.results_release(task=world.task, by=world.leader)
    first = Marking.objects.get(submission=world.submission, role="first")
    assert first.state == State.RELEASED
    assert [(m.role, m.outcome) for m in marking_selectors.released_results()] == [("agreed", "pass")]


def test_the_leaders_outcomes_chart_counts_the_agreed_result_once():
    from programme.models import Enrolment
    from tracking.chart_data import outcomes

    world = moderated_world(45)
    second_marked(world, 62)
    moderation = Moderation.objects.get()
    services.moderation_agree(
        by=fresh(world.tutor), moderation=moderation, version=None, mark=55, outcome="pass", note="A pass."
    )
    marking_services.results_release(task=world.task, by=world.leader)
    chart = outcomes(fresh(world.leader), Enrolment.objects.all())
    assert chart.rows == [[world.task.title, 1, 0, 0]]  # one result: the agreed one, not the first marks too
