"""Every read of a dialogue log, an initial diagnosis or a file of evidence by someone other than
the participant is in the audit trail; the participant reading their own is not."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from coaching import services
from coaching.models import AgreementStatus, DialogueLog, InitialDiagnosis
from tests.coaching.factories import SESSION_DAY, DialogueLogFactory, action_step, agreed_log
from tests.files import samples

pytestmark = pytest.mark.django_db

PDF = samples.pdf()


def _reads() -> list[tuple[str, int, str, str]]:
    reads = AuditEvent.objects.filter(action__in=[AuditAction.READ, AuditAction.READ_SUMMARY], pk__gt=_seen[0])
    return list(reads.order_by("pk").values_list("action", "actor_id", "record_kind", "record_id"))


_seen = [0]


def _get(client, person, url):
    client.force_login(person)
    _seen[0] = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("who", ["coach", "tutor"])
def test_a_log_read_in_full_by_the_coach_or_tutor_is_audited(client, world, who):
    log = agreed_log(enrolment=world.enrolment, coach=world.coach)
    _get(client, world.person(who), reverse("coaching:log_detail", args=[log.pk]))
    assert _reads() == [(AuditAction.READ, world.person(who).pk, "coaching.dialoguelog", str(log.pk))]
    assert AuditEvent.objects.get(action=AuditAction.READ).enrolment_id == world.enrolment.pk


@pytest.mark.parametrize("who", ["head", "leader"])
def test_a_log_read_as_a_summary_is_audited_as_a_summary(client, world, who):
    log = agreed_log(enrolment=world.enrolment, coach=world.coach)
    _get(client, world.person(who), reverse("coaching:log_detail", args=[log.pk]))
    assert _reads() == [(AuditAction.READ_SUMMARY, world.person(who).pk, "coaching.dialoguelog", str(log.pk))]


def test_the_participant_reading_their_own_log_is_not_audited(client, world):
    log = agreed_log(enrolment=world.enrolment, coach=world.coach)
    _get(client, world.participant, reverse("coaching:log_detail", args=[log.pk]))
    assert _reads() == []


def test_a_refused_read_is_recorded_as_refused_not_as_a_read(client, world):
    log = agreed_log(enrolment=world.enrolment, coach=world.coach)
    client.force_login(world.stranger_coach)
    assert client.get(reverse("coaching:log_detail", args=[log.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action__in=[AuditAction.READ, AuditAction.READ_SUMMARY]).exists()
    refused = AuditEvent.objects.get(action=AuditAction.REFUSED)
    assert (refused.actor, refused.outcome, refused.detail) == (world.stranger_coach, "refused", {"asked": "read"})
    assert (refused.record_kind, refused.record_id, refused.enrolment_id) == (
        "coaching.dialoguelog",
        str(log.pk),
        world.enrolment.pk,
    )


def test_a_participant_page_refused_to_a_stranger_names_the_enrolment(client, world):
    client.force_login(world.stranger_coach)
    assert client.get(reverse("coaching:diagnosis", args=[world.enrolment.pk])).status_code == 404
    refused = AuditEvent.objects.get(action=AuditAction.REFUSED)
    assert (refused.record_kind, refused.record_id) == ("programme.enrolment", str(world.enrolment.pk))


def test_an_earlier_version_read_by_the_tutor_is_audited(client, world):
    log = agreed_log(enrolment=world.enrolment, coach=world.coach)
    version = log.versions.get()
    _get(client, world.tutor, reverse("coaching:log_version_detail", args=[log.pk, version.number]))
    assert _reads() == [(AuditAction.READ, world.tutor.pk, "coaching.dialoguelogversion", str(version.pk))]


def _agreed_diagnosis_with_evidence(world):
    diagnosis = InitialDiagnosis.objects.create(
        enrolment=world.enrolment, coach=world.coach, held_on=SESSION_DAY, summary="Needs"
    )
    found = services.diagnosis_evidence_add(
        diagnosis=diagnosis, by=world.coach, upload=SimpleUploadedFile("report.pdf", PDF)
    )
    InitialDiagnosis.objects.filter(pk=diagnosis.pk).update(status=AgreementStatus.AGREED)
    return diagnosis, found


def test_the_diagnosis_and_its_evidence_read_by_the_tutor_are_audited(client, world, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    diagnosis, found = _agreed_diagnosis_with_evidence(world)
    _get(client, world.tutor, reverse("coaching:diagnosis", args=[world.enrolment.pk]))
    assert _reads() == [(AuditAction.READ, world.tutor.pk, "coaching.initialdiagnosis", str(diagnosis.pk))]
    _get(client, world.tutor, found.download_url)
    assert _reads() == [(AuditAction.READ, world.tutor.pk, "coaching.diagnosisevidence", str(found.pk))]
    assert AuditEvent.objects.get(record_kind="coaching.diagnosisevidence", action=AuditAction.READ).enrolment_id == (
        world.enrolment.pk
    )


def test_the_participant_downloading_their_own_evidence_is_not_audited(client, world, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    _, found = _agreed_diagnosis_with_evidence(world)
    _get(client, world.participant, found.download_url)
    _get(client, world.participant, reverse("coaching:diagnosis", args=[world.enrolment.pk]))
    assert _reads() == []


def test_a_refused_write_is_audited_as_refused(client, world):
    log = agreed_log(enrolment=world.enrolment, coach=world.coach)
    client.force_login(world.tutor)
    response = client.post(reverse("coaching:action_step_create", args=[log.pk]), {})
    assert response.status_code == 403
    event = AuditEvent.objects.get(action=AuditAction.REFUSED)
    assert (event.actor, event.outcome) == (world.tutor, "refused")
    assert event.detail == {"method": "POST", "path": reverse("coaching:action_step_create", args=[log.pk])}


# --- What auditing costs a page.


def _count(client, person, url) -> int:
    client.force_login(person)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["coach", "tutor", "participant"])
def test_a_log_page_costs_the_same_however_many_steps_versions_and_audit_events(client, world, who):
    log = agreed_log(enrolment=world.enrolment, coach=world.coach)
    url = reverse("coaching:log_detail", args=[log.pk])
    action_step(log)
    few = _count(client, world.person(who), url)
    for _ in range(15):
        action_step(log)
        client.get(url)  # more reads, so a longer trail
    DialogueLog.objects.filter(pk=log.pk).update(agreed_version=5)
    many = _count(client, world.person(who), url)
    assert few == many


def test_auditing_a_read_is_one_insert_and_no_other_query(client, world):
    log = agreed_log(enrolment=world.enrolment, coach=world.coach)
    client.force_login(world.tutor)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("coaching:log_detail", args=[log.pk])).status_code == 200
    touching_the_trail = [q["sql"] for q in queries if "audit_auditevent" in q["sql"]]
    assert len(touching_the_trail) == 1
    assert touching_the_trail[0].startswith("INSERT")


def test_the_coach_opening_a_log_or_a_diagnosis_to_change_it_is_a_read(client, world):
    draft = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach)
    _get(client, world.coach, reverse("coaching:log_edit", args=[draft.pk]))
    assert _reads() == [(AuditAction.READ, world.coach.pk, "coaching.dialoguelog", str(draft.pk))]
    agreed = agreed_log(enrolment=world.enrolment, coach=world.coach, session_on=SESSION_DAY)
    _get(client, world.coach, reverse("coaching:log_new_version", args=[agreed.pk]))
    assert _reads() == [(AuditAction.READ, world.coach.pk, "coaching.dialoguelog", str(agreed.pk))]
    _get(client, world.tutor, reverse("coaching:log_versions", args=[agreed.pk]))
    assert _reads() == [(AuditAction.READ, world.tutor.pk, "coaching.dialoguelog", str(agreed.pk))]
    diagnosis = InitialDiagnosis.objects.create(enrolment=world.enrolment, coach=world.coach, held_on=SESSION_DAY)
    _get(client, world.coach, reverse("coaching:diagnosis_edit", args=[world.enrolment.pk]))
    assert _reads() == [(AuditAction.READ, world.coach.pk, "coaching.initialdiagnosis", str(diagnosis.pk))]
