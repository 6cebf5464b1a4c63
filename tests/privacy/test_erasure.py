"""Once a former participant's retention period has passed, celery beat's daily task erases them:
names, personal text and files go; results, credits and the award record stay; what was erased is
audited as counts per kind of record; a second run changes nothing. On the demo's seeded programme:
tests/privacy/test_demo.py."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from audit.models import AuditEvent
from portfolio import thumbnails
from privacy import selectors, services, tasks
from privacy.models import Erasure
from programme.models import Enrolment, ProgrammeSettings
from programme.services import enrolment_status_change
from tests.coaching.factories import agreed_log, private_note
from tests.files import samples
from tests.portfolio.export_world import stored, with_file
from tests.portfolio.factories import EvidenceFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2031, 9, 1)


def left_long_ago(enrolment, status=Enrolment.Status.COMPLETED, on=datetime.date(2025, 7, 31)):
    Enrolment.objects.filter(pk=enrolment.pk).update(status=status, ended_on=on)


@pytest.fixture
def records(world):
    log = agreed_log(enrolment=world.enrolment, coach=world.coach, focus="Questioning in Year 8")
    private_note(log, "A note the coach keeps")
    evidence = EvidenceFactory(enrolment=world.enrolment, kind="file", body="", title="Seating plan")
    kept = with_file(evidence, "seating.png", samples.png(), "image/png")
    assert thumbnails.keep(kept)  # the photo's thumbnail, stored beside it
    return {"log": log, "evidence": evidence, "file": kept}


def test_leaving_records_the_day_and_coming_back_clears_it(world):
    enrolment = enrolment_status_change(enrolment=world.enrolment, status="withdrawn", status_was="active")
    assert Enrolment.objects.get(pk=enrolment.pk).ended_on == timezone.localdate()
    enrolment_status_change(enrolment=world.enrolment, status="active", status_was="withdrawn")
    assert Enrolment.objects.get(pk=enrolment.pk).ended_on is None


def test_names_text_and_files_go_the_history_stays_and_it_is_audited_as_counts(
    world, records, private_root, django_capture_on_commit_callbacks
):
    person = world.participant
    left_long_ago(world.enrolment)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.erasures_run(today=TODAY) == 1
    person.refresh_from_db()
    assert (person.first_name, person.last_name) == ("Former participant", f"#{person.pk}")
    assert person.email == f"erased-{person.pk}@erased.invalid"
    assert not person.is_active
    assert not person.has_usable_password()
    assert not person.emailaddress_set.exists()
    log = type(records["log"]).objects.get(pk=records["log"].pk)
    assert (log.focus, log.discussed) == ("", "")
    assert log.session_on == records["log"].session_on  # the history keeps its dates
    assert log.status == records["log"].status
    assert records["log"].private_notes.get().text == ""
    evidence_file = type(records["file"]).objects.get(pk=records["file"].pk)
    assert (evidence_file.file.name, evidence_file.thumbnail.name) == ("", "")
    assert stored(private_root) == []
    event = AuditEvent.objects.get(action="erasure")
    assert event.detail["person"] == person.pk
    assert event.detail["counts"]["coaching.DialogueLog"] == 1
    assert event.detail["counts"]["files"] == 2  # the photo and its thumbnail
    assert "Questioning" not in str(event.detail)
    assert Erasure.objects.get(person=person).counts == event.detail["counts"]
    # Others are untouched.
    world.other_participant.refresh_from_db()
    assert world.other_participant.first_name not in ("", "Former participant")


def test_a_published_research_summary_is_taken_off_the_library_and_deleted_with_its_revisions(
    world, django_capture_on_commit_callbacks
):
    from wagtail.models import Revision

    from handbook.models import LibraryPage
    from portfolio.models import LibrarySummary
    from tests.portfolio.test_library import published

    summary = published(world)
    page = LibraryPage.objects.get(pk=summary.page_id)
    assert Revision.page_revisions.filter(object_id=str(page.pk)).exists()
    left_long_ago(world.enrolment)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.erasures_run(today=TODAY) == 1
    assert not LibraryPage.objects.filter(pk=page.pk).exists()
    assert not Revision.page_revisions.filter(object_id=str(page.pk)).exists()
    summary = LibrarySummary.objects.get(pk=summary.pk)
    assert (summary.title, summary.findings, summary.page_id) == ("", "", None)
    assert AuditEvent.objects.get(action="erasure").detail["counts"]["handbook.LibraryPage"] == 1


def test_a_subject_access_export_about_them_is_deleted_with_the_rest(
    world, records, private_root, django_capture_on_commit_callbacks
):
    from privacy.models import SubjectAccessRequest

    with django_capture_on_commit_callbacks(execute=True):
        export = services.subject_access_request(
            person=world.participant, by=world.leader, received_on=TODAY.replace(year=2025)
        )
    export.refresh_from_db()
    assert export.status == SubjectAccessRequest.Status.READY
    left_long_ago(world.enrolment)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.erasures_run(today=TODAY) == 1
    export.refresh_from_db()
    assert (export.status, export.file.name) == (SubjectAccessRequest.Status.EXPIRED, "")
    assert stored(private_root) == []


def test_a_second_run_changes_nothing(world, records, django_capture_on_commit_callbacks):
    left_long_ago(world.enrolment)
    with django_capture_on_commit_callbacks(execute=True):
        services.erasures_run(today=TODAY)
    person = get_user_model().objects.get(pk=world.participant.pk)
    before = (model_to_dict(person), AuditEvent.objects.count(), Erasure.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        assert services.erasures_run(today=TODAY) == 0
        assert services.participant_erase(person_id=person.pk, today=TODAY) is None
    person.refresh_from_db()
    assert (model_to_dict(person), AuditEvent.objects.count(), Erasure.objects.count()) == before


@pytest.mark.parametrize(
    ("status", "ended_on", "today"),
    [
        ("active", None, TODAY),
        ("interrupted", None, TODAY),
        ("completed", datetime.date(2025, 9, 2), TODAY),  # a day short of six years
        ("withdrawn", None, TODAY),  # the day it ended is not known
    ],
)
def test_not_erased_before_time_or_while_enrolled(world, records, status, ended_on, today):
    Enrolment.objects.filter(pk=world.enrolment.pk).update(status=status, ended_on=ended_on)
    assert selectors.erasure_due(today) == []
    assert services.erasures_run(today=today) == 0
    world.participant.refresh_from_db()
    assert world.participant.first_name not in ("", "Former participant")


def test_the_retention_period_is_the_providers_setting(world, records):
    left_long_ago(world.enrolment, on=datetime.date(2029, 9, 1))
    assert selectors.erasure_due(TODAY) == []
    settings = ProgrammeSettings.load()
    settings.retention_years = 2
    settings.save()
    assert [p.pk for p in selectors.erasure_due(TODAY)] == [world.participant.pk]


def test_a_former_participant_who_now_coaches_keeps_their_account(world, records):
    left_long_ago(world.enrolment)
    world.participant.role_grants.create(role=Role.COACH)
    assert selectors.erasure_due(TODAY) == []


def test_who_is_due_is_read_in_the_same_queries_however_many(world):
    left_long_ago(world.enrolment)
    ProgrammeSettings.load()  # cached once loaded
    with CaptureQueriesContext(connection) as one:
        assert len(selectors.erasure_due(TODAY)) == 1
    left_long_ago(Enrolment.objects.get(participant=world.other_participant))
    with CaptureQueriesContext(connection) as two:
        assert len(selectors.erasure_due(TODAY)) == 2
    assert len(two) == len(one)


def test_erase_due_runs_daily_on_celery_beat():
    from django.conf import settings

    assert settings.CELERY_BEAT_SCHEDULE["privacy-erase-due"]["task"] == tasks.erase_due.name
