"""A programme leader makes a subject access export for one person: asked for on the leader's
page (audited), built by a thin, idempotent Celery task into one zip in private storage (the
records as JSON, the person's files byte for byte, a README), downloaded by programme leaders
alone (audited, never cached), gone (410) after its days and its file deleted by celery beat."""

import datetime
import io
import json
import zipfile

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from privacy import services, tasks
from privacy.models import SubjectAccessRequest
from programme import access
from tests.coaching.factories import agreed_log, private_note
from tests.files import samples
from tests.portfolio.export_world import stored, with_file
from tests.portfolio.factories import EvidenceFactory

pytestmark = pytest.mark.django_db
Status = SubjectAccessRequest.Status
PAGE = reverse("privacy:subject_access")


def ask(client, world, django_capture_on_commit_callbacks, person=None, received="2025-11-03"):
    person = person or world.participant
    client.force_login(world.leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            PAGE,
            {
                "email": person.email.upper(),
                "received_on": received,
            },
        )
    return response


def zip_of(export) -> zipfile.ZipFile:
    with export.file.open("rb") as stream:
        return zipfile.ZipFile(io.BytesIO(stream.read()))


@pytest.fixture
def records(world):
    log = agreed_log(enrolment=world.enrolment, coach=world.coach, focus="Questioning in Year 8")
    private_note(log, "A note the coach keeps")
    evidence = EvidenceFactory(enrolment=world.enrolment, kind="file", body="", title="Seating plan")
    kept = with_file(evidence, "seating.png", samples.png(), "image/png")
    return {"log": log, "evidence": evidence, "file": kept}


def test_leader_asks_and_gets_one_zip_of_json_and_files_in_private_storage(
    client, world, records, private_root, django_capture_on_commit_callbacks
):
    response = ask(client, world, django_capture_on_commit_callbacks)
    export = SubjectAccessRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == export.get_absolute_url()
    assert export.person == world.participant
    assert export.received_on == datetime.date(2025, 11, 3)
    assert export.status == Status.READY
    assert export.file.path.startswith(str(private_root))
    assert export.expires_at == export.finished_at + datetime.timedelta(days=django_settings.SUBJECT_ACCESS_VALID_DAYS)
    archive = zip_of(export)
    document = json.loads(archive.read("records.json"))
    assert document["person"]["email"] == world.participant.email
    logs = document["records"]["coaching.DialogueLog"]
    assert [row["id"] for row in logs] == [records["log"].pk]
    assert logs[0]["fields"]["focus"] == "Questioning in Year 8"
    # Written by others about them: the coach's private note is theirs to ask for too.
    assert document["records"]["coaching.PrivateNote"][0]["fields"]["text"] == "A note the coach keeps"
    (evidence_file,) = document["records"]["portfolio.EvidenceFile"]
    assert archive.read(evidence_file["fields"]["file"]) == samples.png()
    assert export.done == export.total > 5
    assert "README.txt" in archive.namelist()


def test_secrets_are_withheld_and_other_peoples_records_stay_out(
    client, world, records, django_capture_on_commit_callbacks
):
    other_log = agreed_log(
        enrolment=world.other_participant.enrolments.get(), coach=world.stranger_coach, focus="Someone else"
    )
    ask(client, world, django_capture_on_commit_callbacks)
    text = zip_of(SubjectAccessRequest.objects.get()).read("records.json").decode()
    document = json.loads(text)
    (user,) = document["records"]["accounts.User"]
    assert user["id"] == world.participant.pk
    assert user["fields"]["password"].startswith("withheld: ")
    assert world.participant.password not in text
    assert other_log.focus not in text
    assert world.other_participant.email not in text


def test_asking_and_each_download_are_audited_and_the_download_is_never_cached(
    client, world, records, django_capture_on_commit_callbacks
):
    ask(client, world, django_capture_on_commit_callbacks)
    export = SubjectAccessRequest.objects.get()
    asked = AuditEvent.objects.get(action="subject_access_request")
    assert (asked.actor_id, asked.record_id, asked.detail["person"]) == (
        world.leader.pk,
        str(export.pk),
        world.participant.pk,
    )
    page = client.get(export.get_absolute_url())
    download = reverse("privacy:subject_access_download", args=[export.pk])
    assert download in page.content.decode()
    for _ in range(2):
        response = client.get(download)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"PK")
    assert response["Cache-Control"] == "no-store, private"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    downloads = AuditEvent.objects.filter(action="subject_access_download", record_id=str(export.pk))
    assert downloads.count() == 2
    assert {e.actor_id for e in downloads} == {world.leader.pk}


@pytest.mark.parametrize("who", ["participant", "coach", "tutor", "head", "examiner"])
def test_nobody_but_a_programme_leader_reaches_the_pages(
    client, world, records, who, django_capture_on_commit_callbacks
):
    ask(client, world, django_capture_on_commit_callbacks)
    export = SubjectAccessRequest.objects.get()
    client.force_login(getattr(world, who))
    for url in (PAGE, export.get_absolute_url(), reverse("privacy:subject_access_download", args=[export.pk])):
        assert client.get(url).status_code == 404, url
    assert client.post(PAGE, {"email": world.participant.email}).status_code == 404
    assert SubjectAccessRequest.objects.count() == 1
    assert not AuditEvent.objects.filter(action="subject_access_download").exists()


def test_an_unknown_address_is_refused_beside_the_field_and_what_was_typed_is_kept(client, world):
    client.force_login(world.leader)
    response = client.post(PAGE, {"email": "nobody@example.org", "received_on": "2025-11-03"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "email": ["Nobody with an account here has that email address. Check it and try again."]
    }
    assert 'value="nobody@example.org"' in response.content.decode()
    assert not SubjectAccessRequest.objects.exists()


def test_a_received_day_in_the_future_is_refused_beside_the_field(client, world):
    client.force_login(world.leader)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        PAGE,
        {
            "email": world.participant.email,
            "received_on": tomorrow.isoformat(),
        },
    )
    assert response.context["form"].errors == {
        "received_on": ["The day the request was received cannot be in the future."]
    }
    assert not SubjectAccessRequest.objects.exists()


def test_the_task_run_twice_builds_once(world, records, django_capture_on_commit_callbacks, private_root):
    with django_capture_on_commit_callbacks(execute=False):
        export = services.subject_access_request(
            person=world.participant, by=world.leader, received_on=timezone.localdate()
        )
    tasks.build_subject_access(export.pk)
    export.refresh_from_db()
    first = (export.file.name, export.finished_at)
    tasks.build_subject_access(export.pk)
    export.refresh_from_db()
    assert (export.file.name, export.finished_at) == first
    assert len(stored(private_root)) == 2  # the evidence file and one export


def test_asking_again_while_one_is_waiting_returns_that_one(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        first = services.subject_access_request(
            person=world.participant, by=world.leader, received_on=timezone.localdate()
        )
        second = services.subject_access_request(
            person=world.participant, by=world.leader, received_on=timezone.localdate()
        )
    assert first == second
    assert AuditEvent.objects.filter(action="subject_access_request").count() == 1


def test_expired_exports_are_deleted_by_beat_and_answer_gone(
    client, world, records, private_root, django_capture_on_commit_callbacks
):
    ask(client, world, django_capture_on_commit_callbacks)
    export = SubjectAccessRequest.objects.get()
    SubjectAccessRequest.objects.filter(pk=export.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert client.get(reverse("privacy:subject_access_download", args=[export.pk])).status_code == 410
    assert tasks.expire_subject_access() == 1
    assert tasks.expire_subject_access() == 0
    export.refresh_from_db()
    assert export.status == Status.EXPIRED
    assert not export.file
    assert len(stored(private_root)) == 1  # the evidence file is still there
    assert client.get(export.get_absolute_url()).status_code == 410
    assert "privacy.tasks.expire_subject_access" in {e["task"] for e in django_settings.CELERY_BEAT_SCHEDULE.values()}


@pytest.mark.parametrize(
    ("who", "actions"),
    [
        ("leader", {"view", "change"}),
        ("participant", set()),
        ("coach", set()),
        ("tutor", set()),
        ("head", set()),
        ("examiner", set()),
    ],
)
def test_the_policy_gives_subject_access_exports_to_programme_leaders_alone(world, who, actions):
    assert {str(a) for a in access.subject_access_actions(getattr(world, who))} == actions


def test_a_disabled_programme_leader_has_no_subject_access(world):
    world.leader.is_active = False
    assert access.subject_access_actions(world.leader) == frozenset()
