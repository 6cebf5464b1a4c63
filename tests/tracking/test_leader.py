"""The programme leader's progression, tutors' marking and coaches' caseloads: the numbers, the
lists they link to (each holds as many as its number says), who may open them, and their cost."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from assessment.models import Marking
from assessment.workflow import State
from coaching.models import AgreementStatus
from programme.models import Enrolment, Phase
from tests.assessment.factories import AssessmentTaskFactory
from tests.coaching.factories import DialogueLogFactory, agreed_log
from tests.factories import CohortFactory, SchoolFactory, UserFactory, assign_coach, assign_tutor, enrol, staff
from tests.tracking.factories import submit

pytestmark = pytest.mark.django_db

PROGRESSION = reverse("tracking:progression")
TUTORS = reverse("tracking:tutors")
COACHES = reverse("tracking:coaches")


@pytest.fixture
def leader():
    return UserFactory(roles=[Role.PROGRAMME_LEADER])


@pytest.fixture
def school():
    return SchoolFactory(name="Riverside Academy")


def _today() -> datetime.date:
    return timezone.localdate()


def _days_ago(n: int) -> datetime.date:
    return _today() - datetime.timedelta(days=n)


def _at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _links(response) -> list[str]:
    return [href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', response.content.decode())]


def _count_behind(client, href: str) -> int:
    """How many rows the list a number links to holds."""
    response = client.get(href)
    assert response.status_code == 200
    return response.context["page"].paginator.count


# --- Progression by phase.


def _in(phase: int, status: str, school, cohort=None) -> Enrolment:
    extra = {"cohort": cohort} if cohort else {}
    return enrol(school, current_phase=Phase.objects.get(number=phase), status=status, **extra)


def test_progression_counts_each_phase_by_status_and_each_number_opens_those_participants(client, leader, school):
    other = SchoolFactory(name="Hillside School")
    S = Enrolment.Status
    for phase, status in [(1, S.ACTIVE), (1, S.ACTIVE), (1, S.INTERRUPTED), (2, S.WITHDRAWN), (3, S.COMPLETED)]:
        _in(phase, status, school)
    _in(2, S.ACTIVE, other)
    client.force_login(leader)
    response = client.get(PROGRESSION)
    assert response.status_code == 200
    rows = {row.phase: row for row in response.context["rows"]}
    assert rows[1].counts == {S.ACTIVE: 2, S.INTERRUPTED: 1, S.WITHDRAWN: 0, S.COMPLETED: 0}
    assert rows[2].counts == {S.ACTIVE: 1, S.INTERRUPTED: 0, S.WITHDRAWN: 1, S.COMPLETED: 0}
    assert rows[3].counts == {S.ACTIVE: 0, S.INTERRUPTED: 0, S.WITHDRAWN: 0, S.COMPLETED: 1}
    assert rows[None].total == 6
    # Every number, totals included, opens the participants' table holding exactly that many.
    for row in response.context["rows"]:
        for n, _, href in row.links:
            assert _count_behind(client, href) == n
        assert _count_behind(client, row.total_href) == row.total


def test_progression_filters_by_school_and_cohort_and_its_links_keep_them(client, leader, school):
    cohort = CohortFactory(name="2026 cohort")
    _in(1, Enrolment.Status.ACTIVE, school, cohort)
    _in(1, Enrolment.Status.ACTIVE, school)
    _in(1, Enrolment.Status.ACTIVE, SchoolFactory(), cohort)
    client.force_login(leader)
    response = client.get(PROGRESSION, {"school": school.pk, "cohort": cohort.pk})
    first = response.context["rows"][0]
    assert first.counts[Enrolment.Status.ACTIVE] == 1
    n, _, href = first.links[0]
    assert f"school={school.pk}" in href
    assert f"cohort={cohort.pk}" in href
    assert _count_behind(client, href) == 1
    assert "Filtered: Progression by phase" in response.content.decode()


def test_a_progression_filter_that_is_not_a_choice_is_refused_beside_its_field(client, leader, school):
    _in(1, Enrolment.Status.ACTIVE, school)
    client.force_login(leader)
    response = client.get(PROGRESSION, {"school": "999999"})
    assert response.status_code == 200
    assert response.context["form"].errors["school_name"]
    assert response.context["rows"][-1].total == 1  # not applied


def test_a_head_sees_progression_at_their_school_only_linking_to_their_table(client, school):
    S = Enrolment.Status
    for phase, status in [(1, S.ACTIVE), (2, S.INTERRUPTED), (2, S.ACTIVE)]:
        _in(phase, status, school)
    _in(1, S.ACTIVE, SchoolFactory(name="Hillside School"))
    client.force_login(staff(Role.HEAD, school))
    response = client.get(reverse("tracking:head_progression"))
    assert response.status_code == 200
    rows = {row.phase: row for row in response.context["rows"]}
    assert rows[1].counts[S.ACTIVE] == 1
    assert rows[2].counts == {S.ACTIVE: 1, S.INTERRUPTED: 1, S.WITHDRAWN: 0, S.COMPLETED: 0}
    assert rows[None].total == 3
    head_table = reverse("tracking:head_home")
    for row in response.context["rows"]:
        for n, _, href in row.links:
            assert href.startswith(head_table)
            assert _count_behind(client, href) == n
    assert "Hillside" not in response.content.decode()
    assert reverse("tracking:head_progression") in client.get(head_table).content.decode()


def test_the_leader_cannot_open_the_heads_progression(client, leader):
    client.force_login(leader)
    assert client.get(reverse("tracking:head_progression")).status_code == 404


@pytest.mark.parametrize("name", ["progression", "tutors", "coaches"])
def test_only_the_programme_leader_opens_these_pages(client, school, name):
    for user in (staff(Role.HEAD, school), staff(Role.COACH, school), UserFactory(roles=[Role.TUTOR])):
        client.force_login(user)
        assert client.get(reverse(f"tracking:{name}")).status_code == 404


def test_only_the_programme_leader_opens_the_lists_behind_the_numbers(client, school):
    tutor = UserFactory(roles=[Role.TUTOR])
    coach = staff(Role.COACH, school)
    client.force_login(staff(Role.HEAD, school))
    assert client.get(reverse("tracking:tutor_work", args=[tutor.pk])).status_code == 404
    client.force_login(tutor)
    assert client.get(reverse("tracking:tutor_work", args=[tutor.pk])).status_code == 404
    assert client.get(reverse("tracking:coach_sessions", args=[coach.pk])).status_code == 404


# --- Tutors' marking.


def _marking(submission, tutor, state, *, marked_on=None) -> Marking:
    return Marking.objects.create(
        submission=submission,
        marker=tutor,
        rubric=submission.task.rubric,
        state=state,
        marked_at=_at(marked_on) if marked_on else None,
    )


def _work(tutor, school, *, submitted_on, marks_due_on, state=None, marked_on=None):
    """A participant tutored by `tutor` today with one piece of work submitted, marked as far as `state`."""
    enrolment = enrol(school)
    assign_tutor(enrolment, tutor)
    task = AssessmentTaskFactory(cohort=enrolment.cohort, marks_due_on=marks_due_on)
    submission = submit(enrolment, task, on=submitted_on)
    if state is not None:
        _marking(submission, tutor, state, marked_on=marked_on)
    return submission


def test_each_tutors_marking_waiting_overdue_marked_and_median_turnaround(client, leader, school):
    tutor = UserFactory(roles=[Role.TUTOR], last_name="Adams")
    later, passed = _days_ago(-20), _days_ago(5)
    _work(tutor, school, submitted_on=_days_ago(10), marks_due_on=later)  # not started, not yet due
    _work(tutor, school, submitted_on=_days_ago(30), marks_due_on=passed)  # not started, overdue
    _work(tutor, school, submitted_on=_days_ago(30), marks_due_on=passed, state=State.IN_MARKING)  # overdue
    # Marked after 2, 4 and 9 days: the median is 4.
    for took, state in ((2, State.MARKED), (4, State.RELEASED), (9, State.IN_MODERATION)):
        marked_on = _days_ago(40 - took)
        _work(tutor, school, submitted_on=_days_ago(40), marks_due_on=passed, state=state, marked_on=marked_on)
    # Another tutor's work counts for them only.
    other = UserFactory(roles=[Role.TUTOR], last_name="Baker")
    _work(other, school, submitted_on=_days_ago(12), marks_due_on=passed, state=State.MARKED, marked_on=_days_ago(9))
    _work(other, school, submitted_on=_days_ago(12), marks_due_on=passed, state=State.MARKED, marked_on=_days_ago(8))
    client.force_login(leader)
    response = client.get(TUTORS)
    assert response.status_code == 200
    found = {t.pk: t for t in response.context["page"].object_list}
    adams, baker = found[tutor.pk], found[other.pk]
    assert (adams.participants, adams.waiting, adams.overdue, adams.marked, adams.median) == (6, 3, 2, 3, 4.0)
    assert (baker.participants, baker.waiting, baker.overdue, baker.marked, baker.median) == (2, 0, 0, 2, 3.5)
    # Each number opens the list of exactly that work, or of those participants.
    for t in (adams, baker):
        for show in ("waiting", "overdue", "marked"):
            assert _count_behind(client, t.links[show]) == getattr(t, show)
        assert _count_behind(client, t.participants_href) == t.participants


def test_work_nobody_has_started_is_the_tutors_of_today_and_started_work_its_markers(client, leader, school):
    before, now = UserFactory(roles=[Role.TUTOR]), UserFactory(roles=[Role.TUTOR])
    enrolment = enrol(school)
    assign_tutor(enrolment, before, ends_on=_days_ago(3))
    assign_tutor(enrolment, now, starts_on=_days_ago(2))
    task = AssessmentTaskFactory(cohort=enrolment.cohort, marks_due_on=_days_ago(-10))
    unstarted = submit(enrolment, task, on=_days_ago(20))
    started = submit(enrolment, AssessmentTaskFactory(cohort=enrolment.cohort), on=_days_ago(20))
    _marking(started, before, State.IN_MARKING)
    client.force_login(leader)
    found = {t.pk: t for t in client.get(TUTORS).context["page"].object_list}
    assert found[now.pk].waiting == 1
    assert found[before.pk].waiting == 1
    listed = client.get(found[now.pk].links["waiting"]).context["page"].object_list
    assert [s.pk for s in listed] == [unstarted.pk]


def test_the_tutors_list_sorts_by_work_waiting(client, leader, school):
    busy = UserFactory(roles=[Role.TUTOR], last_name="Zeal")
    idle = UserFactory(roles=[Role.TUTOR], last_name="Able")
    for _ in range(2):
        _work(busy, school, submitted_on=_days_ago(3), marks_due_on=_days_ago(-10))
    client.force_login(leader)
    response = client.get(TUTORS, {"sort": "-waiting"})
    assert [t.pk for t in response.context["page"].object_list][:2] == [busy.pk, idle.pk]
    assert 'aria-sort="descending"' in response.content.decode()


def test_a_tutors_list_choice_that_is_not_offered_is_refused_beside_its_field(client, leader, school):
    tutor = UserFactory(roles=[Role.TUTOR])
    _work(tutor, school, submitted_on=_days_ago(3), marks_due_on=_days_ago(-10))
    client.force_login(leader)
    response = client.get(reverse("tracking:tutor_work", args=[tutor.pk]), {"show": "everything"})
    assert response.status_code == 200
    assert response.context["form"].errors["show"]
    assert response.context["page"].paginator.count == 1  # waiting, as without a choice


def test_the_tutor_work_list_is_only_for_tutors(client, leader, school):
    client.force_login(leader)
    coach = staff(Role.COACH, school)
    assert client.get(reverse("tracking:tutor_work", args=[coach.pk])).status_code == 404


# --- Coaches' caseloads.


def test_each_coachs_caseload_and_agreed_sessions_and_each_number_opens_its_list(client, leader, school):
    coach = staff(Role.COACH, school, last_name="Carter")
    people = [enrol(school) for _ in range(3)]
    for e in people:
        assign_coach(e, coach)
    for days in (5, 20, 60, 200):
        agreed_log(enrolment=people[0], coach=coach, session_on=_days_ago(days))
    DialogueLogFactory(enrolment=people[1], coach=coach, session_on=_days_ago(1))  # a draft: not counted
    agreed_log(enrolment=people[1], coach=coach, session_on=_days_ago(-7))  # planned for later: not counted
    idle = staff(Role.COACH, school, last_name="Doyle")
    client.force_login(leader)
    response = client.get(COACHES)
    assert response.status_code == 200
    found = {c.pk: c for c in response.context["page"].object_list}
    carter, doyle = found[coach.pk], found[idle.pk]
    assert (carter.participants, carter.sessions_30, carter.sessions_90, carter.days_since) == (3, 2, 3, 5)
    assert (doyle.participants, doyle.sessions_30, doyle.sessions_90, doyle.days_since) == (0, 0, 0, None)
    assert "No agreed session yet" in response.content.decode()
    assert _count_behind(client, carter.participants_href) == 3
    assert _count_behind(client, carter.links[30]) == 2
    assert _count_behind(client, carter.links[90]) == 3


def test_a_coachs_sessions_show_dates_and_content_areas_never_what_was_said(client, leader, school):
    coach = staff(Role.COACH, school)
    enrolment = enrol(school)
    assign_coach(enrolment, coach)
    agreed_log(
        enrolment=enrolment,
        coach=coach,
        session_on=_days_ago(3),
        focus="MARKERWORD focus",
        discussed="<p>MARKERWORD discussed</p>",
        participant_reflection="MARKERWORD reflection",
    )
    client.force_login(leader)
    for href in (COACHES, reverse("tracking:coach_sessions", args=[coach.pk])):
        page = client.get(href).content.decode()
        assert "MARKERWORD" not in page
    page = client.get(reverse("tracking:coach_sessions", args=[coach.pk])).content.decode()
    assert str(enrolment.participant) in page


def test_coaches_sort_by_longest_since_an_agreed_session_with_never_first(client, leader, school):
    recent = staff(Role.COACH, school, last_name="Recent")
    old = staff(Role.COACH, school, last_name="Old")
    never = staff(Role.COACH, school, last_name="Never")
    agreed_log(enrolment=enrol(school), coach=recent, session_on=_days_ago(2))
    agreed_log(enrolment=enrol(school), coach=old, session_on=_days_ago(50))
    client.force_login(leader)
    listed = client.get(COACHES, {"sort": "-last"}).context["page"].object_list
    assert [c.pk for c in listed] == [never.pk, old.pk, recent.pk]


# --- Cost: the same queries for few and many.


def _queries(client, href) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(href).status_code == 200
    return len(queries)


def _grow(school, n: int) -> None:
    for _ in range(n):
        tutor = UserFactory(roles=[Role.TUTOR])
        coach = staff(Role.COACH, school)
        enrolment = enrol(school, status=Enrolment.Status.ACTIVE)
        assign_tutor(enrolment, tutor)
        assign_coach(enrolment, coach)
        agreed_log(enrolment=enrolment, coach=coach, session_on=_days_ago(4))
        task = AssessmentTaskFactory(cohort=enrolment.cohort)
        _marking(submit(enrolment, task, on=_days_ago(20)), tutor, State.MARKED, marked_on=_days_ago(15))
        submit(enrolment, AssessmentTaskFactory(cohort=enrolment.cohort), on=_days_ago(5))


def test_each_page_costs_the_same_queries_for_few_and_many(client, leader, school):
    client.force_login(leader)
    _grow(school, 1)
    tutor = UserFactory(roles=[Role.TUTOR])
    coach = staff(Role.COACH, school)
    pages = [
        PROGRESSION,
        f"{PROGRESSION}?cohort=999999",
        f"{PROGRESSION}?school={school.pk}",
        TUTORS,
        f"{TUTORS}?sort=-overdue",
        COACHES,
        f"{COACHES}?sort=-last",
        reverse("tracking:tutor_work", args=[tutor.pk]) + "?show=marked",
        reverse("tracking:coach_sessions", args=[coach.pk]),
    ]

    def give_them_work():
        for _ in range(3):
            enrolment = enrol(school)
            assign_tutor(enrolment, tutor)
            assign_coach(enrolment, coach)
            agreed_log(enrolment=enrolment, coach=coach, session_on=_days_ago(4))
            task = AssessmentTaskFactory(cohort=enrolment.cohort)
            _marking(submit(enrolment, task, on=_days_ago(20)), tutor, State.MARKED, marked_on=_days_ago(15))

    give_them_work()
    for href in pages:  # settings made on first use are not part of a page's cost
        _queries(client, href)
    few = [_queries(client, href) for href in pages]
    _grow(school, 6)
    give_them_work()
    many = [_queries(client, href) for href in pages]
    assert few == many


def test_drafts_are_never_counted_for_a_coach(client, leader, school):
    coach = staff(Role.COACH, school)
    DialogueLogFactory(enrolment=enrol(school), coach=coach, session_on=_days_ago(2), status=AgreementStatus.DRAFT)
    client.force_login(leader)
    found = {c.pk: c for c in client.get(COACHES).context["page"].object_list}
    assert found[coach.pk].sessions_90 == 0
