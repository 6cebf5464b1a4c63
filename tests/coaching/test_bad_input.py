"""Bad input gets a clear message beside the field, what was typed stays, and nothing is saved."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.models import ActionStep, AgreementStatus, DialogueLog
from tests.coaching.factories import DialogueLogFactory, agreed_log, log_form_data
from ui.errors import RuleError

pytestmark = pytest.mark.django_db


def _post_new_log(client, world, **overrides):
    client.force_login(world.coach)
    return client.post(reverse("coaching:log_create", args=[world.enrolment.pk]), log_form_data(**overrides))


def _error_beside(body: str, field: str, message: str) -> bool:
    """The message is in the field's own error slot, not only in the summary."""
    return f'id="id_{field}-error-1"><span class="govuk-visually-hidden">Error:</span> {message}' in body


BAD_LOGS = [
    pytest.param(
        {"session_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(), "next_session_on": None},
        "session_on",
        "The date of the session cannot be in the future.",
        id="session-in-the-future",
    ),
    pytest.param(
        {"duration_minutes": "0"},
        "duration_minutes",
        "Enter how long the session lasted, in minutes: a number more than 0.",
        id="zero-minutes",
    ),
    pytest.param(
        {"duration_minutes": "-30"},
        "duration_minutes",
        "Enter how long the session lasted, in minutes: a number more than 0.",
        id="negative-minutes",
    ),
    pytest.param(
        {"duration_minutes": "an hour"},
        "duration_minutes",
        "Enter the length as a whole number of minutes, for example 45.",
        id="minutes-not-a-number",
    ),
    pytest.param(
        {"content_areas": ["99999"]},
        "content_areas",
        "Choose content areas from the list; one you chose is not a content area.",
        id="unknown-content-area",
    ),
    pytest.param(
        {"topics": ["99999"]},
        "topics",
        "Choose topics from the list; one you chose is not a topic.",
        id="unknown-topic",
    ),
    pytest.param(
        {"next_session_on": "2025-09-30"},
        "next_session_on",
        "The next session must be on or after this one, 1 October 2025.",
        id="next-session-before-this-one",
    ),
    pytest.param(
        # The participant's first post started on 1 September 2024: nothing before the summer term.
        {"session_on": "2025-01-10", "next_session_on": None},
        "session_on",
        "No programme activity can happen before the summer term of the induction year",
        id="before-the-summer-term-of-induction",
    ),
    pytest.param(
        {"session_on": "2025-03-01", "next_session_on": None},
        "session_on",
        "No programme activity can happen before the summer term",
        id="before-programme-activity-may-start",
    ),
    pytest.param(
        {"next_session_on": "2999-12-31"},
        "next_session_on",
        "The programme must be completed within the participant",
        id="next-session-after-the-programme",
    ),
]


@pytest.mark.parametrize(("overrides", "field", "message"), BAD_LOGS)
def test_a_bad_log_is_refused_with_a_message_and_nothing_is_saved(client, world, overrides, field, message):
    response = _post_new_log(client, world, discussed="Typed-words-to-keep", **overrides)
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert message in body
    assert _error_beside(body, field, message)
    assert "Typed-words-to-keep" in body
    assert DialogueLog.objects.count() == 0


def test_a_session_after_the_programme_must_be_finished_is_refused(world):
    from coaching import services

    # Five years from a first post on 1 September 2024 ends on 31 August 2029.
    with pytest.raises(RuleError) as refused:
        services.log_draft_create(
            enrolment=world.enrolment,
            coach=world.coach,
            content=services.LogContent(
                session_on=datetime.date(2029, 9, 3), duration_minutes=30, kind="other", setting="elsewhere"
            ),
            today=datetime.date(2029, 9, 10),
        )
    assert refused.value.field == "session_on"
    assert "first five years of teaching" in refused.value.message
    assert DialogueLog.objects.count() == 0


def test_a_session_before_the_coach_was_assigned_is_refused(client, world):
    world.enrolment.coach_assignments.update(starts_on=datetime.date(2025, 11, 1))
    response = _post_new_log(client, world, session_on="2025-10-01")
    assert _error_beside(
        response.content.decode(), "session_on", f"You were not {world.participant}&#x27;s coach on 1 October"
    )
    assert DialogueLog.objects.count() == 0


def test_several_problems_are_all_shown_at_once(client, world):
    response = _post_new_log(client, world, duration_minutes="0", next_session_on="2025-09-01")
    body = response.content.decode()
    assert "a number more than 0" in body
    assert "The next session must be on or after this one" in body


def test_a_bad_change_to_a_draft_saves_nothing(client, world):
    log = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach)
    client.force_login(world.coach)
    response = client.post(
        reverse("coaching:log_edit", args=[log.pk]),
        log_form_data(version=str(log.version), duration_minutes="-5", focus="New focus I typed"),
    )
    assert "New focus I typed" in response.content.decode()
    log.refresh_from_db()
    assert log.duration_minutes == 45
    assert log.focus == "Questioning in Year 9 science"
    assert log.version == 1


def test_agreeing_an_empty_record_is_refused(client, world):
    log = DialogueLogFactory(
        enrolment=world.enrolment,
        coach=world.coach,
        status=AgreementStatus.AWAITING_PARTICIPANT,
        discussed="<p> </p>",
        strengths="",
        pupil_outcomes="",
        evidence_considered="",
    )
    client.force_login(world.participant)
    response = client.post(
        reverse("coaching:log_respond", args=[log.pk]),
        {"version": log.version, "reflection": "My reflection", "decision": "agree"},
    )
    body = response.content.decode()
    assert "The record of this session is empty" in body
    assert "My reflection" in body
    log.refresh_from_db()
    assert log.status == AgreementStatus.AWAITING_PARTICIPANT
    assert log.participant_reflection == ""
    assert log.versions.count() == 0


def test_agreeing_without_a_reflection_is_refused(client, world):
    log = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach, status=AgreementStatus.AWAITING_PARTICIPANT)
    client.force_login(world.participant)
    response = client.post(
        reverse("coaching:log_respond", args=[log.pk]), {"version": log.version, "reflection": " ", "decision": "agree"}
    )
    assert _error_beside(response.content.decode(), "reflection", "Add your reflection on the session")
    log.refresh_from_db()
    assert log.status == AgreementStatus.AWAITING_PARTICIPANT


def test_asking_for_a_change_needs_a_comment(client, world):
    log = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach, status=AgreementStatus.AWAITING_PARTICIPANT)
    client.force_login(world.participant)
    response = client.post(
        reverse("coaching:log_respond", args=[log.pk]),
        {"version": log.version, "comment": "", "decision": "request_change"},
    )
    assert _error_beside(response.content.decode(), "comment", "Say what you would like your coach to change.")
    log.refresh_from_db()
    assert log.status == AgreementStatus.AWAITING_PARTICIPANT


def test_sending_an_empty_draft_is_refused(client, world):
    response = _post_new_log(
        client, world, discussed="", strengths="", pupil_outcomes="", evidence_considered="", send="1"
    )
    assert "Write the record of the session before you send it" in response.content.decode()
    assert DialogueLog.objects.count() == 0


def test_a_new_version_needs_a_reason_and_changes_nothing_without_one(client, world):
    log = agreed_log(enrolment=world.enrolment, coach=world.coach)
    client.force_login(world.coach)
    response = client.post(
        reverse("coaching:log_new_version", args=[log.pk]),
        log_form_data(version=str(log.version), strengths="Changed strengths", reason=""),
    )
    assert _error_beside(response.content.decode(), "reason", "Say why you are changing an agreed log")
    log.refresh_from_db()
    assert log.agreed_version == 1
    assert "Changed strengths" not in log.strengths
    assert log.versions.count() == 1


def test_an_action_step_due_before_its_session_is_refused(client, world):
    log = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach)
    client.force_login(world.coach)
    response = client.post(
        reverse("coaching:action_step_create", args=[log.pk]),
        {"owner": str(world.participant.pk), "description": "Read a chapter", "due_on": "2025-09-01"},
    )
    assert _error_beside(response.content.decode(), "due_on", "The due date must be on or after the session")
    assert ActionStep.objects.count() == 0


def test_an_action_step_due_after_the_programme_ends_is_refused_naming_its_bounds(client, world):
    log = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach)
    client.force_login(world.coach)
    response = client.post(
        reverse("coaching:action_step_create", args=[log.pk]),
        {"owner": str(world.participant.pk), "description": "Read a chapter", "due_on": "2999-12-31"},
    )
    body = response.content.decode()
    assert _error_beside(body, "due_on", "The programme must be completed within the participant")
    assert "from 15 April 2025 to 31 August 2029" in body
    assert "Read a chapter" in body
    assert ActionStep.objects.count() == 0


def test_an_action_step_due_on_the_programmes_last_day_is_accepted(client, world):
    log = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach)
    client.force_login(world.coach)
    client.post(
        reverse("coaching:action_step_create", args=[log.pk]),
        {"owner": str(world.participant.pk), "description": "Read a chapter", "due_on": "2029-08-31"},
    )
    assert ActionStep.objects.get().due_on == datetime.date(2029, 8, 31)


def test_no_action_step_is_added_to_an_agreed_log(client, world):
    log = agreed_log(enrolment=world.enrolment, coach=world.coach)
    client.force_login(world.coach)
    response = client.post(
        reverse("coaching:action_step_create", args=[log.pk]),
        {"owner": str(world.participant.pk), "description": "Read a chapter", "due_on": "2025-12-01"},
    )
    # The coach may see the agreed log but not change it in place.
    assert response.status_code == 403
    assert ActionStep.objects.count() == 0
