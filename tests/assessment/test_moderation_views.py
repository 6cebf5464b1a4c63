"""Moderation's pages: the leader's selection (reasons shown, chosen by hand, confirmed; refusals beside
the field with what was chosen kept), the second marker's blind workspace, the moderation page's
forms, who may open each, and the selection page's cost as submissions grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from assessment.models import Marking, Moderation, ModerationSample, Submission
from assessment.workflow import State
from tests.assessment.marking.helpers import marking_world
from tests.assessment.moderation_helpers import confirm, first_marked, moderated_world, second_marked
from tests.factories import SchoolFactory, UserFactory, enrol

pytestmark = pytest.mark.django_db

FIRST_FEEDBACK = "Clear account of how questioning changed."  # the first marker's strengths (helpers.mark_all)


@pytest.fixture(autouse=True)
def _no_mfa_prompt(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "RequireMfa" not in m]


def _selection(world) -> str:
    return reverse("marking:task_moderation", kwargs={"pk": world.task.pk})


def _moderation(moderation) -> str:
    return reverse("marking:moderation", kwargs={"pk": moderation.pk})


def test_leader_sees_the_suggested_sample_with_its_reasons_and_confirms_it(client):
    world = marking_world()
    first_marked(world, 47)
    client.force_login(world.leader)
    page = client.get(_selection(world)).content.decode()
    assert "A fail" in page
    assert "A borderline mark" in page
    assert f'name="choose-{world.submission.pk}"' in page
    assert "checked" in page  # suggested, so ticked
    sid = world.submission.pk
    response = client.post(
        _selection(world), {"seen": str(sid), f"choose-{sid}": "on", f"marker-{sid}": world.other_tutor.pk}
    )
    assert response.status_code == 302
    assert Moderation.objects.get().second_marker == world.other_tutor
    confirmed = client.get(_selection(world)).content.decode()
    assert "confirmed the second marking" in confirmed
    assert str(world.other_tutor) in confirmed


def test_a_chosen_piece_without_a_second_marker_is_refused_beside_its_field_with_the_choices_kept(client):
    world = marking_world()
    first_marked(world)
    client.force_login(world.leader)
    sid = world.submission.pk
    response = client.post(_selection(world), {"seen": str(sid), f"choose-{sid}": "on", f"marker-{sid}": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose a tutor as the second marker." in page
    assert f'id="id_marker-{sid}-error-1"' in page
    assert "checked" in page
    assert not ModerationSample.objects.exists()


def test_leader_may_take_work_out_of_the_sample_by_hand(client):
    world = marking_world()
    first_marked(world)
    client.force_login(world.leader)
    sid = world.submission.pk
    client.post(_selection(world), {"seen": str(sid)})
    assert Marking.objects.get(submission=world.submission).state == State.READY_FOR_RELEASE
    assert ModerationSample.objects.get().removed_by_hand == [sid]


@pytest.mark.parametrize("role", ["tutor", "participant", "coach", "head", "examiner"])
def test_only_the_leader_opens_the_selection(client, role):
    world = marking_world()
    client.force_login(world.person(role))
    assert client.get(_selection(world)).status_code == 404


def test_the_second_marker_marks_blind_in_the_workspace(client):
    world = moderated_world()
    client.force_login(world.other_tutor)
    url = reverse("marking:workspace", kwargs={"pk": world.submission.pk})
    page = client.get(url).content.decode()
    assert "You are the second marker" in page
    assert FIRST_FEEDBACK not in page
    client.post(url, {"form": "start"})
    second = Marking.objects.get(submission=world.submission, role="second")
    assert second.state == State.IN_MARKING
    page = client.get(url).content.decode()
    assert FIRST_FEEDBACK not in page
    moderation_page = client.get(_moderation(Moderation.objects.get())).content.decode()
    assert FIRST_FEEDBACK not in moderation_page
    assert "marked blind" in moderation_page


def test_once_complete_the_second_marker_sees_the_first_marks_to_reconcile(client):
    world = moderated_world(64)
    second_marked(world, 40)
    client.force_login(world.other_tutor)
    page = client.get(_moderation(Moderation.objects.get())).content.decode()
    assert FIRST_FEEDBACK in page
    assert "SECOND-MARKER-STRENGTHS" in page
    assert "The mark you both agree" in page


def test_a_moderation_to_reconcile_waits_for_both_markers_and_no_one_else():
    from assessment.selectors.moderation import for_marker

    world = moderated_world(64)
    assert list(for_marker(world.tutor)) == []  # second marking: the second marker's alone
    assert list(for_marker(world.other_tutor)) == [Moderation.objects.get()]
    second_marked(world, 40)

    moderation = Moderation.objects.get()
    assert moderation.stage == Moderation.Stage.RECONCILING
    assert list(for_marker(world.tutor)) == [moderation]  # the first marker, found by their marking
    assert list(for_marker(world.other_tutor)) == [moderation]
    assert list(for_marker(UserFactory(roles=[Role.TUTOR]))) == []


def test_a_tutor_not_assigned_cannot_open_the_workspace_or_the_moderation(client):
    world = moderated_world()
    client.force_login(UserFactory(roles=[Role.TUTOR]))
    assert client.get(reverse("marking:workspace", kwargs={"pk": world.submission.pk})).status_code == 404
    assert client.get(_moderation(Moderation.objects.get())).status_code == 404


@pytest.mark.parametrize("role", ["participant", "coach", "head"])
def test_participant_coach_and_head_cannot_open_the_moderation(client, role):
    world = moderated_world(64)
    second_marked(world, 40)
    client.force_login(world.person(role))
    assert client.get(_moderation(Moderation.objects.get())).status_code == 404


def test_agreeing_a_mark_on_the_page_refuses_a_missing_note_and_keeps_the_mark_typed(client):
    world = moderated_world(64)
    second_marked(world, 40)
    moderation = Moderation.objects.get()
    client.force_login(world.tutor)
    url = _moderation(moderation)
    response = client.post(
        url, {"form": "agree", "agree-version": moderation.version, "agree-mark": "57", "agree-outcome": "pass"}
    )
    page = response.content.decode()
    assert "Say how the mark was reached" in page
    assert 'value="57"' in page
    response = client.post(
        url,
        {
            "form": "agree",
            "agree-version": moderation.version,
            "agree-mark": "57",
            "agree-outcome": "pass",
            "agree-note": "We met and agreed.",
        },
    )
    assert response.status_code == 302
    moderation.refresh_from_db()
    assert moderation.mark == 57
    assert "We met and agreed." in client.get(url).content.decode()


def test_after_a_moderated_release_the_tutor_amends_the_agreed_result_the_participant_sees(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    from assessment.selectors.marking import result_of
    from assessment.services import marking as marking_services
    from assessment.services import moderation as services

    world = moderated_world(64)
    second_marked(world, 40)
    moderation = Moderation.objects.get()
    services.moderation_agree(
        by=world.tutor, moderation=moderation, version=None, mark=57, outcome="pass", note="We met and agreed."
    )
    with django_capture_on_commit_callbacks(execute=True):
        marking_services.results_release(task=world.task, by=world.leader)
    assert [m.to for m in mailoutbox] == [[world.participant.email]]
    mailoutbox.clear()
    agreed = Marking.objects.get(role="agreed")
    first_before = Marking.objects.get(role="first").criterion_marks.order_by("criterion__sort_order").first().mark
    client.force_login(world.tutor)
    url = reverse("marking:workspace", kwargs={"pk": world.submission.pk})
    assert "Agreed result (moderation)" in client.get(url).content.decode()
    criterion = agreed.rubric.criteria.order_by("sort_order", "pk").first()
    data = {
        "form": f"criterion-{criterion.pk}",
        f"c{criterion.pk}-version": agreed.version,
        f"c{criterion.pk}-mark": "70",
        f"c{criterion.pk}-strengths": "Clear account of how questioning changed.",
        f"c{criterion.pk}-development": "Weigh the evidence against other explanations.",
    }
    # Without a reason the change is refused beside the field, nothing saved.
    body = client.post(url, data).content.decode()
    assert "say why it is being made" in body
    assert agreed.criterion_marks.get(criterion=criterion).mark == 64
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {**data, f"c{criterion.pk}-reason": "A criterion was added up wrongly."})
    result = result_of(world.submission)
    assert result.pk == agreed.pk
    assert result.criterion_marks.get(criterion=criterion).mark == 70
    assert result.changes.filter(is_amendment=True, reason="A criterion was added up wrongly.").exists()
    first = Marking.objects.get(role="first").criterion_marks.order_by("criterion__sort_order").first()
    assert first.mark == first_before  # the first marks it replaced stay as they were
    # Amended on the day of the release: told of the amendment too, not taken for the release's email.
    assert [(m.to, "amended" in m.subject) for m in mailoutbox] == [([world.participant.email], True)]


def test_the_leader_assigns_a_third_marker_on_the_page(client):
    world = moderated_world(64)
    second_marked(world, 40)
    moderation = Moderation.objects.get()
    third = UserFactory(roles=[Role.TUTOR])
    client.force_login(world.leader)
    url = _moderation(moderation)
    page = client.get(url).content.decode()
    assert "Assign a third marker" in page
    response = client.post(url, {"form": "third", "third-version": moderation.version, "third-marker": world.tutor.pk})
    assert "has not already marked this work" in response.content.decode()
    client.post(url, {"form": "third", "third-version": moderation.version, "third-marker": third.pk})
    moderation.refresh_from_db()
    assert moderation.third_marker == third
    client.force_login(third)
    assert "Your decision" in client.get(url).content.decode()
    assert world.task.title in client.get(reverse("marking:moderation_for_me")).content.decode()


def test_the_third_marker_marks_in_the_workspace_then_records_their_decision_on_the_page(client):
    from assessment.services import moderation as services

    world = moderated_world(64)
    second_marked(world, 40)
    moderation = Moderation.objects.get()
    services.moderation_not_agreed(by=world.other_tutor, moderation=moderation, version=None, note="Apart.")
    third = UserFactory(roles=[Role.TUTOR])
    services.moderation_third_marker_assign(by=world.leader, moderation=moderation, version=None, marker=third)
    client.force_login(third)
    workspace = reverse("marking:workspace", kwargs={"pk": world.submission.pk})
    assert "You are the third marker" in client.get(workspace).content.decode()
    client.post(workspace, {"form": "start"})
    marking = Marking.objects.get(submission=world.submission, role="third")
    assert marking.state == State.IN_MARKING
    criterion = marking.rubric.criteria.order_by("sort_order", "pk").first()
    client.post(
        workspace,
        {
            "form": f"criterion-{criterion.pk}",
            f"c{criterion.pk}-version": marking.version,
            f"c{criterion.pk}-mark": "52",
            f"c{criterion.pk}-strengths": "THIRD-MARKER-ON-THE-PAGE",
            f"c{criterion.pk}-development": "Weigh it.",
            f"c{criterion.pk}-citations": [world.log_key()],
        },
    )
    row = marking.criterion_marks.get(criterion=criterion)
    assert (row.mark, row.strengths, row.citations.count()) == (52, "THIRD-MARKER-ON-THE-PAGE", 1)
    url = _moderation(moderation)
    moderation.refresh_from_db()
    # Not yet complete: the decision is refused with the reason, the note typed kept.
    response = client.post(url, {"form": "decide", "decide-version": moderation.version, "decide-note": "KEPT-NOTE"})
    body = response.content.decode()
    assert "Finish your marking first" in body or "mark your marking as complete" in body
    assert "KEPT-NOTE" in body
    marking.refresh_from_db()
    second_marked(world, 52, third, words="THIRD-MARKER")  # the remaining criteria, and complete
    moderation.refresh_from_db()
    client.post(url, {"form": "decide", "decide-version": moderation.version, "decide-note": "Weak evaluation."})
    moderation.refresh_from_db()
    assert (moderation.stage, moderation.mark) == (Moderation.Stage.SETTLED, 52)
    client.force_login(world.tutor)
    assert "Third marks" in client.get(url).content.decode()


def test_release_is_refused_on_the_page_while_moderation_is_unsettled(client):
    world = moderated_world(64)
    second_marked(world, 40)
    client.force_login(world.leader)
    response = client.post(reverse("marking:task_release", kwargs={"pk": world.task.pk}), follow=True)
    assert "not settled yet" in response.content.decode()
    assert not Marking.objects.filter(state=State.RELEASED).exists()


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _more_marked_work(world, n: int) -> None:
    school = SchoolFactory()
    for i in range(n):
        enrolment = enrol(school)
        submission = Submission.objects.create(enrolment=enrolment, task=world.task, state=Submission.State.SUBMITTED)
        Marking.objects.create(
            submission=submission,
            marker=world.tutor if i % 2 else world.other_tutor,
            role=Marking.Role.FIRST,
            state=State.MARKED,
            rubric=world.task.rubric,
            overall_mark=40 + (i * 7) % 50,
            outcome="pass",
        )


def test_the_selection_page_costs_the_same_with_few_and_many_submissions(client):
    world = marking_world()
    first_marked(world)
    for _ in range(3):
        UserFactory(roles=[Role.TUTOR])
    client.force_login(world.leader)
    _more_marked_work(world, 2)
    few = _count(client, _selection(world))
    _more_marked_work(world, 30)
    for _ in range(5):
        UserFactory(roles=[Role.TUTOR])
    many = _count(client, _selection(world))
    assert many == few
    page = client.get(_selection(world)).content.decode()
    assert "33 marked" in page


def test_the_confirmed_page_costs_the_same_with_few_and_many_moderations(client):
    world = moderated_world()
    client.force_login(world.leader)
    few = _count(client, _selection(world))
    sample = ModerationSample.objects.get()
    _more_marked_work(world, 12)
    for marking in Marking.objects.filter(state=State.MARKED):
        Moderation.objects.create(sample=sample, submission_id=marking.submission_id, second_marker=world.other_tutor)
    assert _count(client, _selection(world)) == few


def test_confirming_from_the_page_is_a_second_time_refused(client):
    world = marking_world()
    first_marked(world)
    confirm(world)
    client.force_login(world.leader)
    page = client.get(_selection(world)).content.decode()
    assert "confirmed the second marking" in page
