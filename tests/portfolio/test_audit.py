"""The audit trail records every change to a portfolio record, and every time someone other than
the participant opens one."""

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from tests.portfolio.factories import EnquiryFactory, EvidenceFactory, ReflectionFactory
from tests.portfolio.test_evidence import form_data

pytestmark = pytest.mark.django_db


def test_adding_and_changing_evidence_is_recorded_with_who_and_whose(client, world):
    client.force_login(world.participant)
    client.post(reverse("portfolio:evidence_create", args=[world.enrolment.pk]), form_data())
    added = AuditEvent.objects.get(action=AuditAction.PORTFOLIO_ADD)
    assert (added.actor_id, added.enrolment_id, added.record_kind) == (
        world.participant.pk,
        world.enrolment.pk,
        "portfolio.evidence",
    )
    client.post(reverse("portfolio:evidence_edit", args=[added.record_id]), form_data(version="1", title="New"))
    assert AuditEvent.objects.filter(action=AuditAction.PORTFOLIO_CHANGE, record_id=added.record_id).count() == 1


def test_writing_an_enquiry_section_is_recorded_with_the_section(client, world):
    enquiry = EnquiryFactory(enrolment=world.enrolment)
    client.force_login(world.participant)
    client.post(reverse("portfolio:enquiry_section", args=[enquiry.pk, "findings"]), {"version": "1", "text": "Found"})
    event = AuditEvent.objects.get(action=AuditAction.PORTFOLIO_CHANGE)
    assert event.detail == {"section": "findings"}


def test_a_refused_save_records_no_change(client, world):
    client.force_login(world.participant)
    client.post(reverse("portfolio:evidence_create", args=[world.enrolment.pk]), form_data(title=""))
    assert not AuditEvent.objects.filter(action__in=[AuditAction.PORTFOLIO_ADD, AuditAction.PORTFOLIO_CHANGE]).exists()


@pytest.mark.parametrize("factory", [EvidenceFactory, ReflectionFactory, EnquiryFactory])
def test_the_coach_opening_a_record_is_recorded_and_the_participant_opening_their_own_is_not(client, world, factory):
    record = factory(enrolment=world.enrolment)
    client.force_login(world.participant)
    client.get(record.get_absolute_url())
    assert not AuditEvent.objects.filter(action=AuditAction.READ).exists()
    client.force_login(world.coach)
    client.get(record.get_absolute_url())
    read = AuditEvent.objects.get(action=AuditAction.READ)
    assert (read.actor_id, read.record_id, read.enrolment_id) == (world.coach.pk, str(record.pk), world.enrolment.pk)
