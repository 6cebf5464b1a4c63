"""Two people editing one log cannot silently overwrite each other: the second save is refused
with a clear message, and what they typed stays on the page."""

import pytest
from django.urls import reverse

from coaching import services
from coaching.models import AgreementStatus
from tests.coaching.factories import SESSION_DAY, DialogueLogFactory, agreed_log, log_form_data
from ui.errors import RuleError

pytestmark = pytest.mark.django_db

STALE = "Someone else saved this log since you opened it."


def _content(**changes) -> services.LogContent:
    base = {
        "session_on": SESSION_DAY,
        "duration_minutes": 45,
        "kind": "lesson_observation",
        "setting": "own_school",
        "discussed": "Saved first",
    }
    return services.LogContent(**{**base, **changes})


def test_the_second_save_of_a_draft_is_refused_and_the_typed_text_kept(client, world):
    log = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach)
    client.force_login(world.coach)
    opened = client.get(reverse("coaching:log_edit", args=[log.pk]))
    assert f'name="version" value="{log.version}"' in opened.content.decode()

    # Meanwhile the same log is saved elsewhere (another tab, another device).
    services.log_draft_update(log=log, by=world.coach, version=log.version, content=_content())

    response = client.post(
        reverse("coaching:log_edit", args=[log.pk]),
        log_form_data(version=str(log.version), discussed="Words-I-typed-in-the-first-tab"),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert STALE in body
    assert "Words-I-typed-in-the-first-tab" in body
    log.refresh_from_db()
    assert "Saved first" in log.discussed
    assert "Words-I-typed" not in log.discussed


def test_the_participant_cannot_agree_a_record_that_changed_since_they_opened_it(client, world):
    log = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach, status=AgreementStatus.AWAITING_PARTICIPANT)
    opened_version = log.version
    services.log_draft_update(log=log, by=world.coach, version=log.version, content=_content(discussed="Rewritten"))

    client.force_login(world.participant)
    response = client.post(
        reverse("coaching:log_respond", args=[log.pk]),
        {"version": opened_version, "reflection": "My-careful-reflection", "decision": "agree"},
    )
    body = response.content.decode()
    assert "Your coach changed this record since you opened it." in body
    assert "My-careful-reflection" in body
    log.refresh_from_db()
    assert log.status == AgreementStatus.AWAITING_PARTICIPANT


def test_adding_an_action_step_makes_an_open_agreement_form_stale(world):
    log = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach, status=AgreementStatus.AWAITING_PARTICIPANT)
    opened_version = log.version
    services.action_step_create(
        log=log, by=world.coach, owner=world.participant, description="New step", due_on=log.session_on
    )
    with pytest.raises(RuleError):
        services.log_agree(log=log, by=world.participant, version=opened_version, reflection="Fine")


def test_two_new_versions_of_an_agreed_log_from_the_same_start_cannot_both_win(world):
    log = agreed_log(enrolment=world.enrolment, coach=world.coach)
    start = log.version
    services.log_new_version(log=log, by=world.coach, version=start, content=_content(), reason="First change")
    with pytest.raises(RuleError) as refused:
        services.log_new_version(
            log=log, by=world.coach, version=start, content=_content(discussed="Second"), reason="Second change"
        )
    assert STALE in refused.value.message
    log.refresh_from_db()
    assert log.agreed_version == 2
    assert log.versions.count() == 2


def test_a_stale_send_is_refused(client, world):
    log = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach)
    stale = log.version
    services.log_draft_update(log=log, by=world.coach, version=log.version, content=_content())
    client.force_login(world.coach)
    response = client.post(reverse("coaching:log_send", args=[log.pk]), {"version": stale}, follow=True)
    assert STALE in response.content.decode()
    log.refresh_from_db()
    assert log.status == AgreementStatus.DRAFT
