"""Invitations, roles, periods and the coaching records' agreement are in the audit trail, each
written with its change."""

import datetime

import pytest
from django.urls import reverse

from accounts import services as accounts_services
from accounts.links import invitation_token
from accounts.roles import Role
from audit.models import AuditAction, AuditEvent
from coaching import services
from coaching.models import AgreementStatus, DialogueLog, InitialDiagnosis
from programme import services as programme_services
from tests.coaching.factories import DialogueLogFactory, log_form_data
from tests.factories import UserFactory, staff
from ui.errors import RuleError

pytestmark = pytest.mark.django_db


def _actions(**filters) -> list[str]:
    return list(AuditEvent.objects.filter(**filters).order_by("pk").values_list("action", flat=True))


def test_an_invitation_is_audited_when_sent_resent_and_accepted():
    leader = UserFactory(roles=[Role.PROGRAMME_LEADER])
    invitation = accounts_services.invitation_create(
        email="new@example.org", first_name="Nia", last_name="Jones", roles=[Role.PARTICIPANT], invited_by=leader
    )
    accounts_services.invitation_resend(invitation=invitation)
    invitation.refresh_from_db()
    person = accounts_services.invitation_accept(token=invitation_token(invitation), password="a-long-enough-password")
    events = list(AuditEvent.objects.filter(record_kind="accounts.invitation").order_by("pk"))
    assert [e.action for e in events] == [
        AuditAction.INVITATION_CREATE,
        AuditAction.INVITATION_RESEND,
        AuditAction.INVITATION_ACCEPT,
    ]
    assert events[0].actor == leader
    assert events[0].detail == {"roles": ["participant"]}
    assert events[2].actor == person
    assert _actions(action=AuditAction.ROLE_GRANT, record_id=str(person.pk)) == [AuditAction.ROLE_GRANT]


def test_a_refused_invitation_leaves_no_event():
    existing = UserFactory()
    with pytest.raises(RuleError):
        accounts_services.invitation_create(
            email=existing.email, first_name="A", last_name="B", roles=[Role.COACH], invited_by=None
        )
    assert not AuditEvent.objects.exists()


def test_granting_and_removing_a_role_is_audited_once_each():
    person = UserFactory()
    accounts_services.role_grant(user=person, role=Role.TUTOR)
    accounts_services.role_grant(user=person, role=Role.TUTOR)  # already held: nothing changes
    accounts_services.role_revoke(user=person, role=Role.TUTOR)
    assert _actions() == [AuditAction.ROLE_GRANT, AuditAction.ROLE_REVOKE]


def test_a_change_of_coach_audits_the_end_of_one_period_and_the_start_of_the_next(world):
    new_coach = staff(Role.COACH, world.school)
    programme_services.coach_assign(
        enrolment=world.enrolment, coach=new_coach, starts_on=datetime.date(2026, 1, 5), by=world.leader
    )
    events = list(AuditEvent.objects.order_by("pk"))
    assert [(e.action, e.record_kind) for e in events] == [
        (AuditAction.PERIOD_END, "programme.coachassignment"),
        (AuditAction.PERIOD_START, "programme.coachassignment"),
    ]
    assert {e.enrolment_id for e in events} == {world.enrolment.pk}
    assert events[0].detail == {"ends_on": "2026-01-04"}
    assert events[1].actor == world.leader


def test_a_school_move_and_a_phase_change_are_audited(world):
    from programme.models import Phase

    programme_services.school_move(
        enrolment=world.enrolment, new_school=world.other_school, moves_on=datetime.date(2026, 1, 5), by=world.leader
    )
    programme_services.phase_progress(enrolment=world.enrolment, to_phase=Phase.objects.get(number=2), by=world.leader)
    assert AuditAction.SCHOOL_MOVE in _actions(enrolment_id=world.enrolment.pk)
    assert _actions(action=AuditAction.PHASE_PROGRESS, actor=world.leader) == [AuditAction.PHASE_PROGRESS]


def test_a_dialogue_log_is_audited_through_its_whole_agreement(client, world):
    client.force_login(world.coach)
    client.post(reverse("coaching:log_create", args=[world.enrolment.pk]), {**log_form_data(), "send": "1"})
    log = DialogueLog.objects.get()
    client.force_login(world.participant)
    client.post(
        reverse("coaching:log_respond", args=[log.pk]),
        {"version": log.version, "decision": "agree", "reflection": "I will try wait time."},
    )
    log.refresh_from_db()
    assert log.status == AgreementStatus.AGREED
    client.force_login(world.coach)
    client.post(
        reverse("coaching:log_new_version", args=[log.pk]),
        {**log_form_data(focus="Wait time"), "version": log.version, "reason": "Focus named wrongly."},
    )
    log_events = AuditEvent.objects.filter(record_kind="coaching.dialoguelog", record_id=str(log.pk)).order_by("pk")
    assert [(e.action, e.actor) for e in log_events] == [
        (AuditAction.LOG_CREATE, world.coach),
        (AuditAction.LOG_SEND, world.coach),
        (AuditAction.LOG_AGREE, world.participant),
        (AuditAction.LOG_NEW_VERSION, world.coach),
    ]
    assert [e.detail.get("version") for e in log_events][2:] == [1, 2]
    assert {e.enrolment_id for e in log_events} == {world.enrolment.pk}


def test_a_change_to_a_draft_and_a_request_for_change_are_audited(world):
    log = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach, status=AgreementStatus.AWAITING_PARTICIPANT)
    services.log_request_change(log=log, by=world.participant, version=log.version, comment="Add the exit tickets.")
    assert _actions(record_id=str(log.pk)) == [AuditAction.LOG_REQUEST_CHANGE]


def test_a_refused_write_leaves_no_event_of_a_change(world):
    log = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach, status=AgreementStatus.AWAITING_PARTICIPANT)
    with pytest.raises(RuleError):
        services.log_request_change(log=log, by=world.participant, version=log.version, comment="  ")
    assert not AuditEvent.objects.exists()


def test_the_initial_diagnosis_is_audited_when_saved_sent_and_agreed(world):
    from programme.models import ContentArea

    content = services.DiagnosisContent(
        held_on=datetime.date(2025, 5, 6),
        summary="Start with questioning.",
        needs=(
            services.NeedInput(content_area_id=ContentArea.objects.get(number=1).pk, description="Hinge questions"),
        ),
    )
    services.diagnosis_save(enrolment=world.enrolment, coach=world.coach, content=content, version=None)
    diagnosis = InitialDiagnosis.objects.get()
    services.diagnosis_save(
        enrolment=world.enrolment,
        coach=world.coach,
        content=content,
        version=diagnosis.version,
        send_for_agreement=True,
    )
    diagnosis.refresh_from_db()
    services.diagnosis_agree(diagnosis=diagnosis, by=world.participant, version=diagnosis.version)
    assert _actions(record_kind="coaching.initialdiagnosis") == [
        AuditAction.DIAGNOSIS_CHANGE,
        AuditAction.DIAGNOSIS_CHANGE,
        AuditAction.DIAGNOSIS_SEND,
        AuditAction.DIAGNOSIS_AGREE,
    ]


def test_a_change_of_enrolment_status_is_audited_with_both_statuses(world):
    from programme.models import Enrolment

    programme_services.enrolment_status_change(
        enrolment=world.enrolment, status=Enrolment.Status.WITHDRAWN, status_was=Enrolment.Status.ACTIVE
    )
    event = AuditEvent.objects.get(action=AuditAction.ENROLMENT_STATUS)
    assert event.enrolment_id == world.enrolment.pk
    assert event.detail == {"from": "active", "to": "withdrawn"}
