"""Journey 2: the coach records a session, the participant reflects and agrees, and a later change
to the agreed log is kept as a new version with the earlier one still readable."""

import pytest
from django.urls import reverse

from coaching.models import AgreementStatus, DialogueLog, DialogueLogVersion
from tests.coaching.factories import log_form_data

pytestmark = pytest.mark.django_db


def test_coach_drafts_participant_agrees_coach_changes_and_history_is_kept(client, world):
    # The coach records the session quickly, as a draft.
    client.force_login(world.coach)
    response = client.post(
        reverse("coaching:log_create", args=[world.enrolment.pk]),
        log_form_data(discussed="We talked about <script>alert(1)</script>wait time."),
    )
    log = DialogueLog.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("coaching:log_detail", args=[log.pk])
    assert log.status == AgreementStatus.DRAFT
    assert log.coach == world.coach
    assert "<script>" not in log.discussed

    # The participant can read the draft but there is nothing to agree until it is sent.
    client.force_login(world.participant)
    assert b"still writing this record" in client.get(reverse("coaching:log_detail", args=[log.pk])).content

    # The coach sends it.
    client.force_login(world.coach)
    client.post(reverse("coaching:log_send", args=[log.pk]), {"version": log.version})
    log.refresh_from_db()
    assert log.status == AgreementStatus.AWAITING_PARTICIPANT
    assert log.coach_agreed_at is not None

    # The participant adds a reflection and agrees.
    client.force_login(world.participant)
    page = client.get(reverse("coaching:log_respond", args=[log.pk]))
    assert b"We talked about" in page.content
    response = client.post(
        reverse("coaching:log_respond", args=[log.pk]),
        {"version": log.version, "reflection": "I will wait longer before taking answers.", "decision": "agree"},
    )
    assert response.status_code == 302
    log.refresh_from_db()
    assert log.status == AgreementStatus.AGREED
    assert log.participant_agreed_at is not None
    assert log.agreed_version == 1
    first = DialogueLogVersion.objects.get(log=log, number=1)
    assert first.created_by == world.participant
    assert first.participant_reflection == "I will wait longer before taking answers."

    # The tutor now reads the agreed log.
    client.force_login(world.tutor)
    assert b"I will wait longer" in client.get(reverse("coaching:log_detail", args=[log.pk])).content

    # The coach changes the agreed log: a new version, with who, when and why.
    client.force_login(world.coach)
    response = client.post(
        reverse("coaching:log_new_version", args=[log.pk]),
        log_form_data(
            version=str(log.version),
            strengths="Clear routines, and calm transitions.",
            reason="Added the transitions we discussed at the end.",
        ),
    )
    assert response.status_code == 302
    log.refresh_from_db()
    assert log.status == AgreementStatus.AGREED
    assert log.agreed_version == 2
    assert "calm transitions" in log.strengths
    assert log.participant_reflection == "I will wait longer before taking answers."
    second = DialogueLogVersion.objects.get(log=log, number=2)
    assert second.created_by == world.coach
    assert second.reason == "Added the transitions we discussed at the end."
    assert "calm transitions" in second.strengths
    first.refresh_from_db()
    assert "calm transitions" not in first.strengths

    # Both versions are listed, and the earlier one is readable by the participant and the tutor.
    for person in (world.participant, world.tutor, world.coach):
        client.force_login(person)
        history = client.get(reverse("coaching:log_versions", args=[log.pk]))
        assert b"Version 1" in history.content
        assert b"Version 2" in history.content
        assert b"Added the transitions" in history.content
        earlier = client.get(reverse("coaching:log_version_detail", args=[log.pk, 1]))
        assert earlier.status_code == 200
        assert b"This is an earlier version" in earlier.content
        assert b"calm transitions" not in earlier.content


def test_participant_asks_for_a_change_and_the_coach_sees_it(client, world):
    client.force_login(world.coach)
    client.post(reverse("coaching:log_create", args=[world.enrolment.pk]), {**log_form_data(), "send": "1"})
    log = DialogueLog.objects.get()
    assert log.status == AgreementStatus.AWAITING_PARTICIPANT

    client.force_login(world.participant)
    client.post(
        reverse("coaching:log_respond", args=[log.pk]),
        {
            "version": log.version,
            "reflection": "Half-written thoughts",
            "comment": "It was Year 8, not Year 9.",
            "decision": "request_change",
        },
    )
    log.refresh_from_db()
    assert log.status == AgreementStatus.DRAFT
    assert log.change_request == "It was Year 8, not Year 9."
    assert log.participant_reflection == "Half-written thoughts"

    client.force_login(world.coach)
    assert b"It was Year 8, not Year 9." in client.get(reverse("coaching:log_edit", args=[log.pk])).content
    response = client.post(
        reverse("coaching:log_edit", args=[log.pk]),
        {**log_form_data(version=str(log.version), focus="Questioning in Year 8 science"), "send": "1"},
    )
    assert response.status_code == 302
    log.refresh_from_db()
    assert log.status == AgreementStatus.AWAITING_PARTICIPANT
    assert log.focus == "Questioning in Year 8 science"
    assert log.change_request == ""


def test_action_steps_are_agreed_in_a_session_and_closed_later(client, world):
    client.force_login(world.coach)
    client.post(reverse("coaching:log_create", args=[world.enrolment.pk]), log_form_data())
    log = DialogueLog.objects.get()
    response = client.post(
        reverse("coaching:action_step_create", args=[log.pk]),
        {
            "owner": str(world.participant.pk),
            "description": "Plan three hinge questions",
            "due_on": "2025-10-10",
            "success_criteria": "Used in two lessons",
        },
    )
    assert response.status_code == 302
    step = log.action_steps.get()
    assert step.owner == world.participant

    # Both see it on the action steps page; it is overdue now.
    for person in (world.coach, world.participant):
        client.force_login(person)
        page = client.get(reverse("coaching:action_steps", args=[world.enrolment.pk]))
        assert b"Plan three hinge questions" in page.content
        assert b"Overdue" in page.content

    # Dropping a step needs a note; done does not.
    client.force_login(world.coach)
    url = reverse("coaching:action_step_close", args=[step.pk])
    response = client.post(url, {"status": "dropped", "closing_note": ""})
    assert b"Say why the action step was dropped." in response.content
    step.refresh_from_db()
    assert step.status == "open"
    client.post(url, {"status": "done", "closing_note": "Went well"})
    step.refresh_from_db()
    assert step.status == "done"
    assert step.closed_by == world.coach


def test_participant_cannot_close_an_action_step(client, world):
    client.force_login(world.coach)
    client.post(reverse("coaching:log_create", args=[world.enrolment.pk]), log_form_data())
    log = DialogueLog.objects.get()
    client.post(
        reverse("coaching:action_step_create", args=[log.pk]),
        {"owner": str(world.participant.pk), "description": "Read a chapter", "due_on": "2025-10-10"},
    )
    step = log.action_steps.get()
    client.force_login(world.participant)
    assert client.post(reverse("coaching:action_step_close", args=[step.pk]), {"status": "done"}).status_code == 403
