"""Release time (programme Q33): minutes of agreed coaching per term for each participant and each
coach, shown to each as their own, to the head for their school and to the programme leader for
every school (filterable), and exported as CSV for head and leader. Dates and minutes only: no
page or export a head or programme leader sees shows any text of a log."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from coaching import selectors
from coaching.models import LearningOpportunity
from programme import services as programme_services
from programme.access import Relation
from programme.rules.terms import Term
from tests.coaching.factories import DialogueLogFactory, action_step, agreed_log, private_note
from tests.factories import SchoolFactory, assign_coach, enrol, staff

pytestmark = pytest.mark.django_db

D = datetime.date
SECRETS = {
    "discussed": "Secret-discussed-words",
    "strengths": "Secret-strengths-words",
    "pupil_outcomes": "Secret-outcomes-words",
    "evidence_considered": "Secret-evidence-words",
    "focus": "Secret-focus-words",
    "participant_reflection": "Secret-reflection-words",
}
NOTE = "Secret-private-note-words"
STEP = "Secret-action-step-words"
OPPORTUNITY = "Secret-opportunity-words"


def test_terms_are_autumn_spring_and_summer():
    assert Term.of(D(2025, 9, 1)).label == "Autumn term 2025"
    assert Term.of(D(2025, 12, 31)).label == "Autumn term 2025"
    assert Term.of(D(2026, 1, 1)).label == "Spring term 2026"
    assert Term.of(D(2026, 3, 31)).label == "Spring term 2026"
    assert Term.of(D(2026, 4, 1)).label == "Summer term 2026"
    assert Term.of(D(2026, 8, 31)).school_year_label == "2025/26"
    assert Term.of(D(2025, 9, 1)) < Term.of(D(2026, 1, 1)) < Term.of(D(2026, 4, 1))


@pytest.fixture
def sessions(world):
    logs = [
        agreed_log(enrolment=world.enrolment, coach=world.coach, session_on=D(2025, 10, 1), duration_minutes=45),
        agreed_log(enrolment=world.enrolment, coach=world.coach, session_on=D(2025, 11, 5), duration_minutes=30),
        agreed_log(enrolment=world.enrolment, coach=world.coach, session_on=D(2026, 2, 4), duration_minutes=60),
    ]
    # A draft does not count.
    DialogueLogFactory(enrolment=world.enrolment, coach=world.coach, session_on=D(2025, 10, 8), duration_minutes=90)
    # Another school's session, with its own coach.
    other = world.other_participant.enrolments.get()
    agreed_log(enrolment=other, coach=world.stranger_coach, session_on=D(2025, 10, 2), duration_minutes=20)
    return logs


def _minutes(time) -> dict[tuple[str, str, str], int]:
    return {(r.term.label, r.role, r.name): r.minutes for r in time.rows}


def test_participant_and_coach_see_their_own_minutes_by_term(world, sessions):
    p, c = world.participant.get_full_name(), world.coach.get_full_name()
    assert _minutes(selectors.release_time(world.participant, Relation.PARTICIPANT)) == {
        ("Autumn term 2025", "Participant", p): 75,
        ("Spring term 2026", "Participant", p): 60,
    }
    assert _minutes(selectors.release_time(world.coach, Relation.COACH)) == {
        ("Autumn term 2025", "Coach", c): 75,
        ("Spring term 2026", "Coach", c): 60,
    }


def test_head_sees_their_schools_participants_and_coaches_only(world, sessions):
    found = _minutes(selectors.release_time(world.head, Relation.HEAD))
    assert found == {
        ("Autumn term 2025", "Participant", world.participant.get_full_name()): 75,
        ("Autumn term 2025", "Coach", world.coach.get_full_name()): 75,
        ("Spring term 2026", "Participant", world.participant.get_full_name()): 60,
        ("Spring term 2026", "Coach", world.coach.get_full_name()): 60,
    }


def test_time_after_a_move_counts_for_the_new_school(world, sessions):
    new_school = SchoolFactory(name="New School")
    new_head = staff(Role.HEAD, new_school)
    programme_services.school_move(enrolment=world.enrolment, new_school=new_school, moves_on=D(2026, 1, 5))
    assert {k[0] for k in _minutes(selectors.release_time(world.head, Relation.HEAD))} == {"Autumn term 2025"}
    assert {k[0] for k in _minutes(selectors.release_time(new_head, Relation.HEAD))} == {"Spring term 2026"}


def test_a_head_who_has_left_the_school_sees_none_of_its_coaching_afterwards(client, world, sessions):
    programme_services.staff_membership_end(membership=world.head.staff_memberships.get(), ends_on=D(2025, 12, 31))
    world.head.__dict__.pop("_access_relations", None)
    assert {k[0] for k in _minutes(selectors.release_time(world.head, Relation.HEAD))} == {"Autumn term 2025"}
    # Nor on the page or the export: the spring session was after they left.
    client.force_login(world.head)
    export = client.get(reverse("coaching:release_time_csv"), {"scope": "head"}).content.decode()
    assert "Autumn term 2025" in export
    assert "Spring term 2026" not in export


def test_leader_sees_every_school_and_filters_by_one(world, sessions):
    everyone = selectors.release_time(world.leader, Relation.PROGRAMME_LEADER)
    assert {r.school for r in everyone.rows} == {world.school.name, world.other_school.name}
    one = selectors.release_time(world.leader, Relation.PROGRAMME_LEADER, school_id=world.other_school.pk)
    assert {(r.role, r.minutes) for r in one.rows} == {("Participant", 20), ("Coach", 20)}


def test_nobody_else_sees_release_time(world, sessions):
    assert selectors.release_time(world.tutor, Relation.HEAD).rows == []
    assert {r.name for r in selectors.release_time(world.stranger_coach, Relation.COACH).rows} == {
        world.stranger_coach.get_full_name()
    }
    assert selectors.release_time(world.other_head, Relation.HEAD).rows[0].school == world.other_school.name


def test_release_time_page_for_each_role_and_refused_to_others(client, world, sessions):
    for person in (world.participant, world.coach, world.head, world.leader):
        client.force_login(person)
        response = client.get(reverse("coaching:release_time"))
        assert response.status_code == 200
        assert "January to March" in response.content.decode()
    client.force_login(world.tutor)
    assert client.get(reverse("coaching:release_time")).status_code == 404
    client.force_login(world.examiner)
    assert client.get(reverse("coaching:release_time")).status_code == 404


def test_csv_export_for_head_and_leader_only(client, world, sessions):
    client.force_login(world.head)
    response = client.get(reverse("coaching:release_time_csv"), {"scope": "head"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["School year", "Term", "Months", "Role", "Name", "School", "Sessions", "Minutes"]
    assert rows[1][:4] == ["2025/26", "Spring term 2026", "January to March", "Participant"]  # newest first
    assert sum(int(r[7]) for r in rows[1:] if r[3] == "Participant") == 135
    client.force_login(world.leader)
    filtered = client.get(
        reverse("coaching:release_time_csv"), {"scope": "programme_leader", "school": world.school.pk}
    )
    assert world.other_school.name not in filtered.content.decode()
    for person in (world.coach, world.participant, world.tutor):
        client.force_login(person)
        assert client.get(reverse("coaching:release_time_csv")).status_code == 404


def test_release_time_query_count_does_not_grow_with_sessions(client, world):
    def count(person):
        client.force_login(person)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("coaching:release_time")).status_code == 200
        return len(queries)

    def add(n, start):
        for i in range(start, start + n):
            agreed_log(
                enrolment=world.enrolment,
                coach=world.coach,
                session_on=D(2025, 10, 1) + datetime.timedelta(days=15 * i),
            )
            extra = enrol(world.school)
            assign_coach(extra, world.coach)
            agreed_log(enrolment=extra, coach=world.coach, session_on=D(2025, 10, 1))

    add(2, 0)
    few = {who: count(who) for who in (world.coach, world.head, world.leader)}
    add(18, 2)
    assert {who: count(who) for who in (world.coach, world.head, world.leader)} == few


# --- No text of any log on any page or export a head or programme leader sees.


def test_no_coaching_text_on_any_head_or_leader_page_or_export(client, world):
    agreed = agreed_log(enrolment=world.enrolment, coach=world.coach, next_session_on=D(2025, 10, 15), **SECRETS)
    draft = DialogueLogFactory(
        enrolment=world.enrolment,
        coach=world.coach,
        session_on=D(2025, 10, 8),
        **{k: v for k, v in SECRETS.items() if k != "participant_reflection"},
    )
    private_note(agreed, NOTE)
    action_step(agreed, description=STEP, success_criteria=STEP)
    LearningOpportunity.objects.create(
        enrolment=world.enrolment,
        arranged_by=world.coach,
        kind="observing",
        description=OPPORTUNITY,
        what_was_learned=OPPORTUNITY,
        happens_on=D(2025, 10, 3),
        log=agreed,
    )
    e = world.enrolment.pk
    urls = [
        reverse("coaching:index"),
        reverse("coaching:timeline", args=[e]),
        reverse("coaching:summary", args=[e]),
        reverse("coaching:action_steps", args=[e]),
        reverse("coaching:diagnosis", args=[e]),
        reverse("coaching:opportunities", args=[e]),
        reverse("coaching:log_detail", args=[agreed.pk]),
        reverse("coaching:log_detail", args=[draft.pk]),
        reverse("coaching:log_versions", args=[agreed.pk]),
        reverse("coaching:log_version_detail", args=[agreed.pk, 1]),
        reverse("coaching:release_time"),
        reverse("coaching:release_time") + f"?school={world.school.pk}",
        reverse("coaching:release_time_csv") + "?scope=head",
        reverse("coaching:release_time_csv") + "?scope=programme_leader",
        reverse("tracking:head_home"),
        reverse("tracking:leader_home"),
        reverse("dashboard"),
    ]
    secrets = [*SECRETS.values(), NOTE, STEP, OPPORTUNITY]
    for person in (world.head, world.leader):
        client.force_login(person)
        seen_minutes = False
        for url in urls:
            response = client.get(url, follow=True)
            body = response.content.decode()
            for words in secrets:
                assert words not in body, (person, url, words)
            seen_minutes |= "45" in body
        assert seen_minutes


# --- Periods that change part-way through a term: each session counts for whoever the policy lets
# see it on its own day, exactly as when every log was judged one by one (the sums are the database's).


@pytest.fixture
def changes_mid_term(world):
    """The participant's first coach hands over on 10 January 2026 and the participant moves to the
    other school on 1 February 2026; one head served only part of the autumn term and another
    began part-way through the spring term."""
    from programme.models import CoachAssignment, SchoolPlacement, StaffMembership

    CoachAssignment.objects.filter(enrolment=world.enrolment, coach=world.coach).update(ends_on=D(2026, 1, 9))
    second_coach = staff(Role.COACH, world.school, first_name="Second", last_name="Coach")
    assign_coach(world.enrolment, second_coach, starts_on=D(2026, 1, 10))
    SchoolPlacement.objects.filter(enrolment=world.enrolment).update(ends_on=D(2026, 1, 31))
    SchoolPlacement.objects.create(enrolment=world.enrolment, school=world.other_school, starts_on=D(2026, 2, 1))
    autumn_head = staff(Role.HEAD, world.school, starts_on=D(2025, 9, 15))
    StaffMembership.objects.filter(user=autumn_head).update(ends_on=D(2025, 11, 1))
    spring_head = staff(Role.HEAD, world.school, starts_on=D(2026, 1, 15))
    for day, minutes, coach in (
        (D(2025, 10, 1), 45, world.coach),
        (D(2025, 11, 5), 30, world.coach),
        (D(2026, 1, 5), 20, world.coach),
        (D(2026, 1, 20), 40, second_coach),
        (D(2026, 2, 10), 50, second_coach),
        # Recorded under the first coach after their assignment ended: not theirs to count.
        (D(2026, 3, 1), 15, world.coach),
    ):
        agreed_log(enrolment=world.enrolment, coach=coach, session_on=day, duration_minutes=minutes)
    return second_coach, autumn_head, spring_head


def _rows(time) -> set[tuple]:
    return {(r.term.label, r.role, r.name, r.school, r.sessions, r.minutes) for r in time.rows}


def test_periods_changing_mid_term_count_each_session_by_its_own_day(world, changes_mid_term):
    """The figures the policy gave judging every log in Python, before the sums moved to the database."""
    second_coach, autumn_head, spring_head = changes_mid_term
    p, first, second = world.participant.get_full_name(), world.coach.get_full_name(), second_coach.get_full_name()
    a, b = world.school.name, world.other_school.name
    autumn = {("Autumn term 2025", "Participant", p, a, 2, 75), ("Autumn term 2025", "Coach", first, a, 2, 75)}
    spring_a = {
        ("Spring term 2026", "Participant", p, a, 2, 60),
        ("Spring term 2026", "Coach", first, a, 1, 20),
        ("Spring term 2026", "Coach", second, a, 1, 40),
    }
    spring_b = {
        ("Spring term 2026", "Participant", p, b, 2, 65),
        ("Spring term 2026", "Coach", second, b, 1, 50),
        ("Spring term 2026", "Coach", first, b, 1, 15),
    }
    assert _rows(selectors.release_time(world.participant, Relation.PARTICIPANT)) == {
        r[:1] + ("Participant", p) + r[3:] for r in autumn | spring_a | spring_b if r[1] == "Participant"
    }
    assert _rows(selectors.release_time(world.coach, Relation.COACH)) == {
        ("Autumn term 2025", "Coach", first, a, 2, 75),
        ("Spring term 2026", "Coach", first, a, 1, 20),
    }
    assert _rows(selectors.release_time(second_coach, Relation.COACH)) == {
        ("Spring term 2026", "Coach", second, a, 1, 40),
        ("Spring term 2026", "Coach", second, b, 1, 50),
    }
    # Head from 15 September to 1 November: the October session only.
    assert _rows(selectors.release_time(autumn_head, Relation.HEAD)) == {
        ("Autumn term 2025", "Participant", p, a, 1, 45),
        ("Autumn term 2025", "Coach", first, a, 1, 45),
    }
    # Head from 15 January: the school's sessions before them carry on to them, none after the move.
    assert _rows(selectors.release_time(spring_head, Relation.HEAD)) == autumn | spring_a
    assert _rows(selectors.release_time(world.head, Relation.HEAD)) == autumn | spring_a
    assert _rows(selectors.release_time(world.other_head, Relation.HEAD)) == spring_b
    assert _rows(selectors.release_time(world.leader, Relation.PROGRAMME_LEADER)) == autumn | spring_a | spring_b
    one = selectors.release_time(world.leader, Relation.PROGRAMME_LEADER, school_id=world.other_school.pk)
    assert _rows(one) == spring_b


def test_release_time_reads_a_page_of_rows_newest_term_first(world, changes_mid_term):
    from django.core.paginator import Paginator

    found = selectors.release_time(world.leader, Relation.PROGRAMME_LEADER)
    everything = found.rows
    assert [r.term.label for r in everything][:1] == ["Spring term 2026"]
    assert [r.term.label for r in everything][-1] == "Autumn term 2025"
    paged = Paginator(found, 3)
    assert paged.count == 8
    assert [_rows_of(paged.page(n).object_list) for n in (1, 2, 3)] == [
        _rows_of(everything[0:3]),
        _rows_of(everything[3:6]),
        _rows_of(everything[6:8]),
    ]
    second = selectors.release_time(world.leader, Relation.PROGRAMME_LEADER, name="second COACH")
    assert {(r.role, r.minutes) for r in second.rows} == {("Coach", 40), ("Coach", 50)}
    assert second.count() == len(second.rows) == 2


def _rows_of(rows) -> list[tuple]:
    return [(r.term.label, r.role, r.name, r.school, r.minutes) for r in rows]


def test_the_policy_as_a_filter_reads_the_same_logs_as_judging_each(world, changes_mid_term):
    from coaching.models import DialogueLog
    from programme import access

    second_coach, autumn_head, spring_head = changes_mid_term
    agreed = DialogueLog.objects.filter(status="agreed")
    people = (
        *(world.participant, world.coach, second_coach, world.tutor, world.other_tutor, world.stranger_coach),
        *(world.head, autumn_head, spring_head, world.other_head, world.leader, world.examiner),
    )
    for person in people:
        where = access.readable_where(
            person, access.RecordKind.DIALOGUE_LOG_AGREED, enrolment="enrolment", on="session_on"
        )
        judged = {log.pk for log, _ in access.readable(person, agreed)}
        assert set(agreed.filter(where).values_list("pk", flat=True)) == judged, person


def test_the_database_puts_each_session_in_the_same_term_as_term_of(world):
    days = (D(2025, 8, 31), D(2025, 9, 1), D(2025, 12, 31), D(2026, 1, 1), D(2026, 3, 31), D(2026, 4, 1))
    for day in days:
        agreed_log(enrolment=world.enrolment, coach=world.coach, session_on=day, duration_minutes=10)
    found = selectors.release_time(world.participant, Relation.PARTICIPANT).rows
    assert sorted((r.term, r.sessions) for r in found) == sorted(
        (term, sum(Term.of(day) == term for day in days)) for term in {Term.of(day) for day in days}
    )
