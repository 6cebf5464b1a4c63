"""Journey 6: a participant moves school mid-phase. Nothing is lost; the new coach sees the new
logs, and the old school's coach and head see none of them while keeping what they saw before."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from coaching import selectors
from programme import access, services
from tests.coaching.factories import agreed_log
from tests.factories import SchoolFactory, staff

pytestmark = pytest.mark.django_db

MOVE_DAY = datetime.date(2026, 1, 5)


@pytest.fixture
def moved(world):
    new_school = SchoolFactory()
    new_coach = staff(Role.COACH, new_school)
    new_head = staff(Role.HEAD, new_school)
    before = agreed_log(
        enrolment=world.enrolment, coach=world.coach, session_on=datetime.date(2025, 11, 3), focus="Before-move"
    )
    services.school_move(enrolment=world.enrolment, new_school=new_school, moves_on=MOVE_DAY, new_coach=new_coach)
    after = agreed_log(
        enrolment=world.enrolment, coach=new_coach, session_on=datetime.date(2026, 2, 2), focus="After-move"
    )
    return {"before": before, "after": after, "new_coach": new_coach, "new_head": new_head}


def _status(client, person, log) -> int:
    client.force_login(person)
    return client.get(reverse("coaching:log_detail", args=[log.pk])).status_code


def test_old_coach_keeps_the_old_logs_and_sees_none_of_the_new(client, world, moved):
    assert _status(client, world.coach, moved["before"]) == 200
    assert _status(client, world.coach, moved["after"]) == 404
    body = client.get(reverse("coaching:timeline", args=[world.enrolment.pk])).content.decode()
    assert "Before-move" in body
    assert "After-move" not in body


def test_new_coach_sees_the_new_logs_and_reads_the_agreed_history(client, world, moved):
    assert _status(client, moved["new_coach"], moved["after"]) == 200
    body = client.get(reverse("coaching:timeline", args=[world.enrolment.pk])).content.decode()
    assert "After-move" in body
    # The participant's agreed history carries on with them, read-only (programme.access).
    assert "Before-move" in body
    assert client.get(reverse("coaching:log_new_version", args=[moved["before"].pk])).status_code == 403


def test_old_drafts_and_private_notes_are_not_passed_on_to_the_new_coach(client, world, moved):
    from tests.coaching.factories import DialogueLogFactory, private_note

    draft = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach, session_on=datetime.date(2025, 12, 1))
    private_note(moved["before"], "Old-coach-note")
    assert _status(client, moved["new_coach"], draft) == 404
    assert b"Old-coach-note" not in client.get(reverse("coaching:log_detail", args=[moved["before"].pk])).content
    assert client.get(reverse("coaching:private_note", args=[moved["before"].pk])).status_code == 404


def test_old_head_keeps_the_summary_of_sessions_at_their_school_and_nothing_after(client, world, moved):
    assert _status(client, world.head, moved["before"]) == 200
    assert b"Before-move" not in client.get(reverse("coaching:log_detail", args=[moved["before"].pk])).content
    assert _status(client, world.head, moved["after"]) == 404
    # The participant is no longer at their school, so the old head no longer follows them.
    assert client.get(reverse("coaching:summary", args=[world.enrolment.pk])).status_code == 404


def test_new_head_sees_the_summary_of_sessions_before_and_after_the_move(client, world, moved):
    for log in (moved["before"], moved["after"]):
        assert _status(client, moved["new_head"], log) == 200
        body = client.get(reverse("coaching:log_detail", args=[log.pk])).content
        assert b"Before-move" not in body
        assert b"After-move" not in body


def test_participant_and_tutor_keep_everything(client, world, moved):
    for person in (world.participant, world.tutor):
        assert _status(client, person, moved["before"]) == 200
        assert _status(client, person, moved["after"]) == 200


def test_the_coach_cannot_record_a_session_dated_after_they_stopped_coaching(world, moved):
    from coaching.services import LogContent, log_draft_create
    from ui.errors import RuleError

    with pytest.raises(RuleError) as refused:
        log_draft_create(
            enrolment=world.enrolment,
            coach=world.coach,
            content=LogContent(
                session_on=datetime.date(2026, 2, 9), duration_minutes=30, kind="other", setting="elsewhere"
            ),
        )
    assert refused.value.field == "session_on"


def test_listing_judges_every_log_exactly_as_the_access_policy_does(world, moved):
    """coaching.selectors.judge asks the policy once per span between period changes; the answer
    for every log and every person must be the one the policy gives for that log's own date."""
    logs = [moved["before"], moved["after"]]
    for i in range(12):
        logs.append(
            agreed_log(
                enrolment=world.enrolment,
                coach=world.coach if i < 6 else moved["new_coach"],
                session_on=datetime.date(2025, 10, 1) + datetime.timedelta(days=30 * i),
            )
        )
    people = [
        world.participant,
        world.coach,
        moved["new_coach"],
        world.tutor,
        world.head,
        moved["new_head"],
        world.leader,
        world.examiner,
        world.stranger_coach,
    ]
    for person in people:
        listed = {log.pk: actions for log, actions in selectors.judge(User.objects.get(pk=person.pk), logs)}
        fresh = User.objects.get(pk=person.pk)
        for log in logs:
            assert listed[log.pk] == access.allowed_actions(fresh, log), (person, log.session_on)
