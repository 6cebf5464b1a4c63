"""Release time is kept summed (CoachingTime per participant, coach, school and term; the leader's
rows in ReleaseTimeTotal), written by the services that agree or change a log or move a participant,
in the same transaction: the stored sums always equal a recount from the agreed logs, and the pages
read them instead of adding up logs, with the same figures the logs give."""

import datetime
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coaching import selectors, services
from coaching.models import AgreementStatus, CoachingTime, DialogueLog, ReleaseTimeTotal
from coaching.services import LogContent
from programme import access
from programme import services as programme_services
from programme.access import Relation
from programme.models import ContentArea, SchoolPlacement
from programme.rules.terms import Term
from tests.coaching.factories import agreed_log
from tests.coaching.test_release_time import changes_mid_term  # noqa: F401 (a fixture)
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def _recounted() -> tuple[Counter, Counter]:
    """What the stored sums must be, counted again from the agreed logs one by one."""
    fine, total = Counter(), Counter()
    for log in DialogueLog.objects.filter(status=AgreementStatus.AGREED).select_related("enrolment"):
        placed = SchoolPlacement.objects.filter(enrolment=log.enrolment_id).covering(log.session_on).first()
        school = placed.school_id if placed else None
        term = Term.of(log.session_on)
        fine[(log.enrolment_id, log.coach_id, school, term.school_year, term.order, "sessions")] += 1
        fine[(log.enrolment_id, log.coach_id, school, term.school_year, term.order, "minutes")] += log.duration_minutes
        for role, person in ((0, log.enrolment.participant_id), (1, log.coach_id)):
            total[(term.school_year, term.order, school, role, person, "sessions")] += 1
            total[(term.school_year, term.order, school, role, person, "minutes")] += log.duration_minutes
    return fine, total


def _stored() -> tuple[Counter, Counter]:
    fine, total = Counter(), Counter()
    for r in CoachingTime.objects.all():
        fine[(r.enrolment_id, r.coach_id, r.school_id, r.school_year, r.term_order, "sessions")] += r.sessions
        fine[(r.enrolment_id, r.coach_id, r.school_id, r.school_year, r.term_order, "minutes")] += r.minutes
    for r in ReleaseTimeTotal.objects.all():
        total[(r.school_year, r.term_order, r.school_id, r.role, r.person_id, "sessions")] += r.sessions
        total[(r.school_year, r.term_order, r.school_id, r.role, r.person_id, "minutes")] += r.minutes
    return fine, total


def _content(session_on: datetime.date, minutes: int) -> LogContent:
    return LogContent(
        session_on=session_on,
        duration_minutes=minutes,
        kind="coaching_conversation",
        setting="own_school",
        discussed="We talked about wait time.",
        content_area_ids=(ContentArea.objects.get(number=1).pk,),
    )


def _agree(world, session_on: datetime.date, minutes: int) -> DialogueLog:
    log = services.log_draft_create(
        enrolment=world.enrolment, coach=world.coach, content=_content(session_on, minutes), send_for_agreement=True
    )
    log.refresh_from_db()
    return services.log_agree(log=log, by=world.participant, version=log.version, reflection="Useful.")


def test_agreeing_a_log_adds_it_to_the_stored_sums_and_a_draft_adds_nothing(world):
    _agree(world, D(2025, 10, 1), 45)
    _agree(world, D(2025, 11, 5), 30)
    draft = services.log_draft_create(
        enrolment=world.enrolment, coach=world.coach, content=_content(D(2025, 11, 12), 90), send_for_agreement=True
    )
    draft.refresh_from_db()
    services.log_request_change(log=draft, by=world.participant, version=draft.version, comment="Add the homework.")
    assert _stored() == _recounted()
    (row,) = CoachingTime.objects.all()
    assert (row.school_id, row.sessions, row.minutes, row.first_on, row.last_on) == (
        world.school.pk,
        2,
        75,
        D(2025, 10, 1),
        D(2025, 11, 5),
    )


def test_a_new_version_moving_a_session_to_another_term_moves_its_minutes(world):
    log = _agree(world, D(2025, 10, 1), 45)
    _agree(world, D(2025, 11, 5), 30)
    log.refresh_from_db()
    services.log_new_version(
        log=log, by=world.coach, version=log.version, content=_content(D(2026, 1, 14), 50), reason="Wrong date."
    )
    assert _stored() == _recounted()
    rows = selectors.release_time(world.leader, Relation.PROGRAMME_LEADER).rows
    assert {(r.term.label, r.role, r.minutes) for r in rows} == {
        ("Autumn term 2025", "Participant", 30),
        ("Autumn term 2025", "Coach", 30),
        ("Spring term 2026", "Participant", 50),
        ("Spring term 2026", "Coach", 50),
    }


def test_a_school_move_dated_in_the_past_gives_later_sessions_to_the_new_school(world):
    agreed_log(enrolment=world.enrolment, coach=world.coach, session_on=D(2025, 10, 1), duration_minutes=45)
    agreed_log(enrolment=world.enrolment, coach=world.coach, session_on=D(2026, 1, 20), duration_minutes=30)
    new_school = SchoolFactory(name="New School")
    programme_services.school_move(enrolment=world.enrolment, new_school=new_school, moves_on=D(2026, 1, 5))
    assert _stored() == _recounted()
    assert set(CoachingTime.objects.values_list("school_id", "minutes")) == {(world.school.pk, 45), (new_school.pk, 30)}


def test_the_recount_of_everything_gives_the_same_rows(world, changes_mid_term):  # noqa: F811
    before = _stored()
    assert before == _recounted()
    CoachingTime.objects.all().delete()
    ReleaseTimeTotal.objects.all().delete()
    services.release_time_recount()
    assert _stored() == before


def test_a_span_the_policy_keeps_whole_has_every_session_in_it_readable(world, changes_mid_term):  # noqa: F811
    """The filter that lets a row's sum stand for its sessions never keeps a row with a session the
    person may not read."""
    second_coach, autumn_head, spring_head = changes_mid_term
    kind = access.RecordKind.DIALOGUE_LOG_AGREED
    people = (world.participant, world.coach, second_coach, world.tutor, world.head, autumn_head, spring_head)
    for person in (*people, world.other_head, world.leader, world.stranger_coach):
        whole = access.readable_throughout_where(person, kind, enrolment="enrolment", starts="first_on", ends="last_on")
        readable = {log.pk for log, _ in access.readable(person, DialogueLog.objects.filter(status="agreed"))}
        for row in CoachingTime.objects.filter(whole):
            inside = DialogueLog.objects.filter(
                status="agreed",
                enrolment=row.enrolment_id,
                coach=row.coach_id,
                session_on__range=(row.first_on, row.last_on),
            ).values_list("pk", flat=True)
            assert set(inside) <= readable, (person, row)
    # A head in post all along, and the coaches inside their own periods, read their rows whole.
    assert (
        CoachingTime.objects.filter(
            access.readable_throughout_where(world.head, kind, enrolment="enrolment", starts="first_on", ends="last_on")
        ).count()
        == CoachingTime.objects.filter(school=world.school).count()
    )


def _rows(time) -> list[tuple]:
    return [(r.term.label, r.role, r.name, r.school, r.sessions, r.minutes) for r in time.rows]


def test_every_person_sees_the_same_rows_from_the_sums_as_from_the_logs(world, changes_mid_term):  # noqa: F811
    second_coach, autumn_head, spring_head = changes_mid_term
    for person, relation in [
        (world.participant, Relation.PARTICIPANT),
        (world.coach, Relation.COACH),
        (second_coach, Relation.COACH),
        (world.head, Relation.HEAD),
        (autumn_head, Relation.HEAD),
        (spring_head, Relation.HEAD),
        (world.other_head, Relation.HEAD),
    ]:
        person.__dict__.pop("_access_relations", None)
        assert _rows(selectors.release_time(person, relation)) == _rows(
            selectors.release_time_from_logs(person, relation)
        ), person
        for name in ("second", "nobody"):
            assert _rows(selectors.release_time(person, relation, name=name)) == _rows(
                selectors.release_time_from_logs(person, relation, words=[name])
            )


def test_release_time_pages_read_the_sums_not_the_logs(client, world):
    for day in (D(2025, 10, 1), D(2025, 11, 5), D(2026, 2, 4)):
        agreed_log(enrolment=world.enrolment, coach=world.coach, session_on=day, duration_minutes=30)
    for person, relation in (
        (world.leader, Relation.PROGRAMME_LEADER),
        (world.head, Relation.HEAD),
        (world.coach, Relation.COACH),
        (world.participant, Relation.PARTICIPANT),
    ):
        with CaptureQueriesContext(connection) as queries:
            rows = selectors.release_time(person, relation).rows
        assert sum(r.minutes for r in rows if r.role == "Participant" or relation == Relation.COACH) == 90
        assert not [q for q in queries if "coaching_dialoguelog" in q["sql"]], person
