"""A table too long to download while one waits is written by a Celery task: the same rows as the
dashboard for the same filters, the asker's alone, emailed once when ready, audited when downloaded,
gone after its days. The limit is lowered to 2 rows here so a few participants are "many"."""

import csv
import datetime
import io
import os

import pytest
from django.core import mail
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.roles import Role
from audit.models import AuditAction, AuditEvent
from programme import access
from programme.access import Action, Relation
from tests.factories import SchoolFactory, UserFactory, staff
from tests.tracking.test_pages import enrol_recent, supported
from tracking import export_jobs, tasks
from tracking.exports import HEADINGS
from tracking.models import ListExport

pytestmark = pytest.mark.django_db

LEADER_CSV = reverse("tracking:leader_export", args=["csv"])
LEADER_XLSX = reverse("tracking:leader_export", args=["xlsx"])
HEAD_CSV = reverse("tracking:head_export", args=["csv"])


@pytest.fixture(autouse=True)
def _two_rows_at_most(settings):
    settings.TRACKING_EXPORT_DIRECT_MAX_ROWS = 2


@pytest.fixture
def leader():
    return UserFactory(roles=[Role.PROGRAMME_LEADER])


@pytest.fixture
def schools():
    north, south = SchoolFactory(name="Northfield"), SchoolFactory(name="=Southgate")
    for n in range(3):
        enrol_recent(north, participant__last_name=f"North{n}")  # at risk: no coach, no tutor
        enrol_recent(south, participant__last_name=f"South{n}")
    supported(north, participant__last_name="Supported")
    return north, south


def _asked(client, url, params, django_capture_on_commit_callbacks) -> ListExport:
    """Ask for the file as a person would: the page that says it will be prepared, then its button."""
    query = "?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""
    page = client.get(url + query)
    assert page.status_code == 200
    assert "Prepare the" in page.content.decode()
    assert not ListExport.objects.exists()  # looking at the page asks for nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url + query)
    export = ListExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("tracking:export_detail", args=[export.pk])
    return export


def _downloaded(client, export: ListExport):
    response = client.get(reverse("tracking:export_download", args=[export.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    return b"".join(response.streaming_content)


def test_a_long_table_is_written_in_the_background_with_the_dashboards_rows_for_the_same_filters(
    client, leader, schools, django_capture_on_commit_callbacks
):
    north, _ = schools
    client.force_login(leader)
    params = {"school": north.pk, "at_risk": "yes", "sort": "-name"}
    shown = [row.name for row in client.get(reverse("tracking:leader_home"), params).context["rows"]]
    assert len(shown) == 3

    export = _asked(client, LEADER_CSV, params, django_capture_on_commit_callbacks)

    export.refresh_from_db()
    assert (export.status, export.done, export.total) == (ListExport.Status.READY, 3, 3)
    assert export.expires_at == export.finished_at + datetime.timedelta(days=7)
    page = client.get(reverse("tracking:export_detail", args=[export.pk])).content.decode()
    assert "Your list of participants is ready" in page
    lines = list(csv.reader(io.StringIO(_downloaded(client, export).decode())))
    assert lines[0] == HEADINGS
    assert [line[0] for line in lines[1:]] == shown
    assert AuditEvent.objects.filter(action=AuditAction.LIST_EXPORT_DOWNLOAD, actor_id=leader.pk).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.LIST_EXPORT_REQUEST, actor_id=leader.pk).count() == 1
    (message,) = mail.outbox
    assert message.to == [leader.email]
    assert reverse("tracking:export_detail", args=[export.pk]) in message.body


def test_the_xlsx_holds_the_same_rows_with_formulas_neutralised(
    client, leader, schools, django_capture_on_commit_callbacks
):
    client.force_login(leader)
    shown = [row.name for row in client.get(reverse("tracking:leader_home"), {"sort": "name"}).context["rows"]]
    export = _asked(client, LEADER_XLSX, {"sort": "name"}, django_capture_on_commit_callbacks)
    sheet = load_workbook(io.BytesIO(_downloaded(client, export)), read_only=True).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADINGS
    assert [row[0] for row in rows[1:]] == shown
    assert "'=Southgate" in {row[1] for row in rows[1:]}


def test_up_to_the_limit_the_file_is_sent_at_once_and_the_page_links_say_which(client, schools):
    north, _ = schools
    head = staff(Role.HEAD, north)
    client.force_login(head)
    page = client.get(reverse("tracking:head_home")).content.decode()
    assert "prepared in the background" in page
    small = client.get(HEAD_CSV, {"at_risk": "no"})  # one row: the supported participant
    assert small["Content-Type"].startswith("text/csv")
    assert not ListExport.objects.exists()
    page = client.get(reverse("tracking:head_home"), {"at_risk": "no"}).content.decode()
    assert "prepared in the background" not in page


def test_only_the_person_who_asked_sees_or_downloads_it_and_only_while_they_hold_the_role(
    client, leader, schools, django_capture_on_commit_callbacks
):
    north, _ = schools
    head = staff(Role.HEAD, north)
    client.force_login(head)
    export = _asked(client, HEAD_CSV, {}, django_capture_on_commit_callbacks)
    detail = reverse("tracking:export_detail", args=[export.pk])
    download = reverse("tracking:export_download", args=[export.pk])
    for other in (leader, staff(Role.HEAD, north), staff(Role.COACH, north)):
        client.force_login(other)
        assert client.get(detail).status_code == 404
        assert client.get(download).status_code == 404
    head.role_grants.filter(role=Role.HEAD).delete()
    head = type(head).objects.get(pk=head.pk)
    client.force_login(head)
    assert client.get(detail).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.LIST_EXPORT_DOWNLOAD).exists()


def test_the_access_policy_gives_the_file_to_its_asker_in_their_role_alone(leader):
    other = UserFactory(roles=[Role.PROGRAMME_LEADER])
    coach = UserFactory(roles=[Role.COACH])
    mine = {"requested_by_id": leader.pk, "relation": Relation.PROGRAMME_LEADER}
    assert access.list_export_actions(leader, **mine) == {Action.VIEW}
    assert access.list_export_actions(other, **mine) == frozenset()
    assert access.list_export_actions(leader, requested_by_id=leader.pk, relation=Relation.HEAD) == frozenset()
    assert access.list_export_actions(coach, requested_by_id=coach.pk, relation=Relation.COACH) == frozenset()


def test_asking_twice_or_running_the_task_twice_writes_and_emails_once(
    client, leader, schools, django_capture_on_commit_callbacks
):
    client.force_login(leader)
    export = _asked(client, LEADER_CSV, {}, django_capture_on_commit_callbacks)
    name = ListExport.objects.get().file.name
    tasks.build_export.delay(export.pk)
    export_jobs.list_export_build(export_id=export.pk)
    assert ListExport.objects.get().file.name == name
    assert len(mail.outbox) == 1
    # A waiting request is returned rather than a second one made.
    ListExport.objects.update(status=ListExport.Status.QUEUED)
    with django_capture_on_commit_callbacks(execute=False):
        again = export_jobs.list_export_request(
            by=leader, relation=Relation.PROGRAMME_LEADER, query=QueryDict(), kind="csv"
        )
    assert again.pk == export.pk


def test_while_it_is_written_the_page_says_how_far_it_has_got(client, leader):
    client.force_login(leader)
    export = ListExport.objects.create(
        requested_by=leader, relation=Relation.PROGRAMME_LEADER, kind="csv", status="running", done=500, total=2000
    )
    page = client.get(reverse("tracking:export_detail", args=[export.pk])).content.decode()
    assert "500 of 2000 rows written (25%)" in page
    assert client.get(reverse("tracking:export_download", args=[export.pk])).status_code == 302


def test_after_seven_days_the_file_is_gone_and_the_clean_up_is_safe_to_run_twice(
    client, leader, schools, django_capture_on_commit_callbacks
):
    client.force_login(leader)
    export = _asked(client, LEADER_CSV, {}, django_capture_on_commit_callbacks)
    export.refresh_from_db()
    stored = export.file.path
    later = export.expires_at + datetime.timedelta(seconds=1)
    ListExport.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(reverse("tracking:export_detail", args=[export.pk])).status_code == 410
    assert client.get(reverse("tracking:export_download", args=[export.pk])).status_code == 410
    assert export_jobs.list_exports_expire(now=later) == 1
    assert export_jobs.list_exports_expire(now=later) == 0
    export.refresh_from_db()
    assert export.status == ListExport.Status.EXPIRED
    assert not export.file
    assert not os.path.exists(stored)


def test_a_failed_write_keeps_nothing_and_says_so(client, leader, schools, monkeypatch):
    client.force_login(leader)
    export = ListExport.objects.create(requested_by=leader, relation=Relation.PROGRAMME_LEADER, kind="csv")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(export_jobs, "_write_csv", broken)
    export_jobs.list_export_build(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == ListExport.Status.FAILED
    assert not export.file
    assert mail.outbox == []
    assert "could not be written" in client.get(reverse("tracking:export_detail", args=[export.pk])).content.decode()
