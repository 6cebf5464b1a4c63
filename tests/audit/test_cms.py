"""Programme leaders search the audit trail in the CMS; nobody can change or delete an event there,
and nobody else can read it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.roles import Role
from audit import trail
from audit.models import AuditAction, AuditEvent
from tests.factories import SchoolFactory, UserFactory, enrol
from tests.programme.admin_factories import programme_leader, with_totp

pytestmark = pytest.mark.django_db

INDEX = reverse("audit_trail:index")


def _found(client, **query) -> set[int]:
    """The ids of the events the trail's search shows for these filters."""
    response = client.get(INDEX, query)
    assert response.status_code == 200
    return {event.pk for event in response.context["object_list"]}


@pytest.fixture
def leader(client):
    user = programme_leader(first_name="Lena", last_name="Leader")
    client.force_login(user)
    return user


def test_the_leader_sees_who_did_what_to_which_record(client, leader):
    tutor = UserFactory(first_name="Tomas", last_name="Tutor", roles=[Role.TUTOR])
    enrolment = enrol(SchoolFactory(), participant=UserFactory(first_name="Pia", last_name="Participant"))
    trail.record(AuditAction.READ, record=enrolment, actor=tutor)
    page = client.get(INDEX)
    assert page.status_code == 200
    content = page.content.decode()
    for expected in ("Tomas Tutor", "Read", "programme.enrolment", "Pia Participant", "Success"):
        assert expected in content
    event = AuditEvent.objects.get(action=AuditAction.READ)
    assert reverse("audit_trail:inspect", args=[event.pk]) in content
    assert event.at_utc in content


def test_the_trail_is_searched_by_person_participant_action_and_date(client, leader):
    tutor = UserFactory(first_name="Tomas", last_name="Tutor", roles=[Role.TUTOR])
    coach = UserFactory(first_name="Cora", last_name="Coach", roles=[Role.COACH])
    pia = enrol(SchoolFactory(), participant=UserFactory(first_name="Pia", last_name="Participant"))
    olu = enrol(SchoolFactory(), participant=UserFactory(first_name="Olu", last_name="Other"))
    read_by_tutor = trail.record(AuditAction.READ, record=pia, actor=tutor)
    agreed_by_coach = trail.record(AuditAction.LOG_AGREE, record=olu, actor=coach)

    assert _found(client, person="tomas") == {read_by_tutor.pk}
    assert _found(client, person="cora coach") == {agreed_by_coach.pk}
    assert _found(client, participant="Olu") == {agreed_by_coach.pk}
    assert _found(client, action=AuditAction.READ) == {read_by_tutor.pk}
    today = timezone.localdate()
    assert read_by_tutor.pk in _found(client, at_from=today.isoformat(), at_to=today.isoformat())
    assert _found(client, at_from=(today + datetime.timedelta(days=1)).isoformat()) == set()
    assert _found(client, at_to=(today - datetime.timedelta(days=1)).isoformat()) == set()


def test_the_listing_is_paginated_and_costs_the_same_for_few_and_many_events(client, leader):
    people = [UserFactory() for _ in range(3)]
    enrolments = [enrol(SchoolFactory()) for _ in range(3)]
    for i in range(3):
        trail.record(AuditAction.READ, record=enrolments[i], actor=people[i])
    with CaptureQueriesContext(connection) as few:
        assert client.get(INDEX).status_code == 200
    for i in range(70):
        trail.record(AuditAction.READ, record=enrolments[i % 3], actor=UserFactory())
    with CaptureQueriesContext(connection) as many:
        response = client.get(INDEX)
    assert len(response.context["object_list"]) == 50
    assert client.get(INDEX, {"p": 2}).status_code == 200
    assert len(few) == len(many)


@pytest.mark.parametrize("role", [Role.COACH, Role.TUTOR, Role.HEAD, Role.PARTICIPANT, Role.EXTERNAL_EXAMINER])
def test_other_roles_cannot_read_the_trail(client, role):
    trail.record(AuditAction.SIGN_IN, actor=UserFactory(first_name="Secret", last_name="Person"))
    client.force_login(with_totp(UserFactory(roles=[role])))
    response = client.get(INDEX)
    assert response.status_code in (302, 403)
    assert b"Secret Person" not in response.content


def test_not_even_a_superuser_who_is_not_a_programme_leader_reads_it(client):
    trail.record(AuditAction.SIGN_IN, actor=UserFactory(first_name="Secret", last_name="Person"))
    admin = with_totp(UserFactory(is_superuser=True, is_staff=True))
    client.force_login(admin)
    response = client.get(INDEX)
    assert response.status_code in (302, 403)
    assert b"Secret Person" not in response.content


def test_an_event_can_be_read_but_the_cms_offers_no_way_to_change_or_delete_it(client, leader):
    event = trail.record(AuditAction.SIGN_IN, actor=leader)
    detail = client.get(reverse("audit_trail:inspect", args=[event.pk]))
    assert detail.status_code == 200
    for name in ("add", "edit", "delete", "copy", "history", "usage"):
        with pytest.raises(NoReverseMatch):
            reverse(f"audit_trail:{name}", args=[] if name == "add" else [event.pk])
    for url in (f"/cms/audit_trail/edit/{event.pk}/", f"/cms/audit_trail/delete/{event.pk}/", "/cms/audit_trail/new/"):
        assert client.post(url, {"action": "sign_out"}).status_code == 404
    assert b"/edit/" not in detail.content
    assert b"/delete/" not in detail.content
    event.refresh_from_db()
    assert event.action == AuditAction.SIGN_IN
    assert AuditEvent.objects.filter(pk__gte=event.pk).count() == 1


def test_the_django_admin_has_no_page_for_the_trail(client):
    event = trail.record(AuditAction.SIGN_IN)
    client.force_login(with_totp(UserFactory(is_superuser=True, is_staff=True)))
    assert client.get("/django-admin/audit/auditevent/").status_code == 404
    assert client.post(f"/django-admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 404
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_an_event_about_a_person_since_removed_still_lists_and_opens(client, leader):
    gone = UserFactory(first_name="Gone", last_name="Away")
    event = trail.record(AuditAction.SIGN_IN, actor=gone)
    gone.delete()
    assert client.get(INDEX).status_code == 200
    detail = client.get(reverse("audit_trail:inspect", args=[event.pk]))
    assert detail.status_code == 200
    assert b"Gone Away" not in detail.content
    assert AuditEvent.objects.get(pk=event.pk).actor_id == event.actor_id


def test_a_subject_access_request_and_an_erasure_are_found_by_the_person_they_are_about(client, leader):
    pia = UserFactory(first_name="Pia", last_name="Participant")
    olu = UserFactory(first_name="Olu", last_name="Other")
    asked = trail.record(AuditAction.SUBJECT_ACCESS_REQUEST, actor=leader, detail={"person": pia.pk})
    erased = trail.record(AuditAction.ERASURE, detail={"person": olu.pk, "enrolments": []})
    trail.record(AuditAction.SIGN_IN, actor=pia)  # by Pia, not about her

    assert _found(client, participant="pia participant") == {asked.pk}
    assert _found(client, participant="Other") == {erased.pk}
    assert _found(client, participant="nobody-by-this-name") == set()
