"""Each role's home starts with "What needs you": records waiting for the person's agreement or
response, their overdue action steps and their sessions in the next 7 days, judged by the access
policy, in a number of queries that does not grow with the records."""

import datetime
import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coaching.models import AgreementStatus, InitialDiagnosis, PlannedSession
from programme.models import CoachAssignment
from tests.coaching.factories import SESSION_DAY, DialogueLogFactory, action_step, agreed_log

pytestmark = pytest.mark.django_db

HOMES = {
    "participant": "tracking:participant_home",
    "coach": "tracking:coach_home",
    "tutor": "tracking:tutor_home",
    "head": "tracking:head_home",
    "leader": "tracking:leader_home",
    "examiner": "tracking:examiner_home",
}


def _home(client, person, url_name) -> str:
    client.force_login(person)
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    return response.content.decode()


def _needs(body: str) -> str:
    """The "What needs you" section of a page."""
    return body.split('id="needs-you-heading"', 1)[1].split("</section>", 1)[0]


def _waiting_log(world, day=SESSION_DAY, **kwargs):
    return DialogueLogFactory(
        enrolment=world.enrolment,
        coach=world.coach,
        session_on=day,
        status=AgreementStatus.AWAITING_PARTICIPANT,
        coach_agreed_at=timezone.now(),
        **kwargs,
    )


def _planned(log, days_ahead: int, **kwargs) -> PlannedSession:
    return PlannedSession.objects.create(
        log=log,
        uid=f"test-{uuid.uuid4().hex}",
        starts_on=timezone.localdate() + datetime.timedelta(days=days_ahead),
        **kwargs,
    )


@pytest.mark.parametrize("who", list(HOMES))
def test_every_home_starts_with_what_needs_you(client, world, who):
    body = _home(client, world.person(who), HOMES[who])
    main = body.split('id="main-content"', 1)[1]
    assert re.findall(r"<h2[^>]*>([^<]*)</h2>", main)[0] == "What needs you"


def test_the_participant_is_asked_to_agree_a_waiting_log_and_diagnosis(client, world):
    log = _waiting_log(world)
    InitialDiagnosis.objects.create(
        enrolment=world.enrolment, coach=world.coach, held_on=SESSION_DAY, status=AgreementStatus.AWAITING_PARTICIPANT
    )
    DialogueLogFactory(enrolment=world.enrolment, coach=world.coach)  # a draft is the coach's to finish
    needs = _needs(_home(client, world.participant, HOMES["participant"]))
    assert reverse("coaching:log_respond", args=[log.pk]) in needs
    assert reverse("coaching:diagnosis_respond", args=[world.enrolment.pk]) in needs
    assert needs.count("Agree the record of a session") == 1
    assert "Agree your initial diagnosis" in needs


def test_the_coach_is_asked_to_act_on_a_change_request_and_an_unsent_draft(client, world):
    asked = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach, change_request="Please add the date.")
    unsent = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach, session_on=SESSION_DAY.replace(day=2))
    _waiting_log(world, day=SESSION_DAY.replace(day=3))  # the participant's move, not the coach's
    needs = _needs(_home(client, world.coach, HOMES["coach"]))
    assert reverse("coaching:log_edit", args=[asked.pk]) in needs
    assert "Change a session record as asked" in needs
    assert reverse("coaching:log_edit", args=[unsent.pk]) in needs
    assert "Finish and send a session record" in needs
    assert "Agree the record" not in needs


def test_overdue_steps_are_listed_for_their_owner_only(client, world):
    log = agreed_log(enrolment=world.enrolment, coach=world.coach)
    action_step(log, description="Overdue participant step", due_on=SESSION_DAY + datetime.timedelta(days=7))
    action_step(log, description="Closed step", due_on=SESSION_DAY, status="done")
    action_step(log, description="Future step", due_on=timezone.localdate() + datetime.timedelta(days=30))
    action_step(log, description="Overdue coach step", owner=world.coach, due_on=SESSION_DAY)
    draft = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach)
    action_step(draft, description="Step not yet agreed", due_on=SESSION_DAY)
    mine = _needs(_home(client, world.participant, HOMES["participant"]))
    assert "Overdue participant step" in mine
    assert "Overdue coach step" not in mine
    assert "Closed step" not in mine
    assert "Future step" not in mine
    assert "Step not yet agreed" not in mine
    coach = _needs(_home(client, world.coach, HOMES["coach"]))
    assert "Overdue coach step" in coach
    assert "Overdue participant step" not in coach


def test_sessions_in_the_next_seven_days_are_listed_for_both_people(client, world):
    log = agreed_log(enrolment=world.enrolment, coach=world.coach)
    _planned(log, 3, starts_at=datetime.time(15, 30))
    later = agreed_log(enrolment=world.enrolment, coach=world.coach, session_on=SESSION_DAY.replace(day=2))
    _planned(later, 8)
    cancelled = agreed_log(enrolment=world.enrolment, coach=world.coach, session_on=SESSION_DAY.replace(day=3))
    _planned(cancelled, 2, cancelled=True)
    day = timezone.localdate() + datetime.timedelta(days=3)
    for person, other in ((world.participant, world.coach), (world.coach, world.participant)):
        url = HOMES["participant" if person == world.participant else "coach"]
        needs = _needs(_home(client, person, url))
        assert needs.count("Coaching session with") == 1
        assert f"Coaching session with {other}" in needs
        assert day.strftime("%B") in needs
        assert "15:30" in needs


def test_a_coach_whose_assignment_has_ended_is_not_asked_to_act(client, world):
    DialogueLogFactory(enrolment=world.enrolment, coach=world.coach, change_request="Please add the date.")
    CoachAssignment.objects.filter(enrolment=world.enrolment).update(ends_on=SESSION_DAY + datetime.timedelta(days=30))
    needs = _needs(_home(client, world.coach, HOMES["coach"]))
    assert "Nothing needs you right now" in needs


def test_head_tutor_and_examiner_are_never_shown_coaching_records_to_act_on(client, world):
    _waiting_log(world, focus="Secret-focus")
    log = agreed_log(enrolment=world.enrolment, coach=world.coach)
    action_step(log, description="Secret-step", due_on=SESSION_DAY)
    for who in ("head", "tutor", "examiner"):
        needs = _needs(_home(client, world.person(who), HOMES[who]))
        assert "Nothing needs you right now" in needs
        assert "Secret" not in needs


def test_the_leader_is_told_who_has_no_coach_or_tutor(client, world):
    CoachAssignment.objects.filter(enrolment=world.enrolment).delete()
    needs = _needs(_home(client, world.leader, HOMES["leader"]))
    assert "1 active participant without a coach today" in needs
    assert "without a tutor" not in needs


def _queries(client, person, url_name) -> int:
    client.force_login(person)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(url_name)).status_code == 200
    return len(queries)


def _add(world, n: int, start: int) -> None:
    for i in range(start, start + n):
        day = SESSION_DAY + datetime.timedelta(days=i)
        _waiting_log(world, day=day)
        DialogueLogFactory(enrolment=world.enrolment, coach=world.coach, session_on=day, change_request="Change it.")
        log = agreed_log(enrolment=world.enrolment, coach=world.coach, session_on=day)
        action_step(log, due_on=day)
        action_step(log, owner=world.coach, due_on=day)
        _planned(log, i % 7)


@pytest.mark.parametrize("who", ["participant", "coach"])
def test_what_needs_you_costs_the_same_queries_for_few_and_many_records(client, world, who):
    person = world.person(who)
    client.force_login(person)
    client.get(reverse(HOMES[who]))  # the first visit creates the provider's settings row
    _add(world, 2, start=0)
    few = _queries(client, person, HOMES[who])
    _add(world, 18, start=2)
    many = _queries(client, person, HOMES[who])
    assert few == many
    body = _needs(_home(client, person, HOMES[who]))
    assert body.count("<li>") >= 20 * 3
