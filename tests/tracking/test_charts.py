"""The charts for heads and the programme leader: the numbers, who may see them, the SVG files
and their Content-Security-Policy, and the cost of the page as participants grow."""

import datetime
import os
import re
import subprocess
import sys
from unittest import mock

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from assessment.rules.marks import Outcome
from programme.access import Relation
from programme.models import ContentArea, Enrolment, Phase, PhaseChange, SchoolPlacement
from tests.assessment.factories import AssessmentTaskFactory
from tests.coaching.factories import agreed_log
from tests.factories import SchoolFactory, UserFactory, assign_coach, assign_tutor, enrol, staff
from tests.run_cache import clear_this_run
from tests.tracking.factories import result, submit
from tracking import chart_data, charts

pytestmark = pytest.mark.django_db

HEAD = reverse("tracking:head_charts")
LEADER = reverse("tracking:leader_charts")
SLUGS = ("phases", "history", "coverage", "coaching", "outcomes")


def _svg(relation: str, slug: str, query: str = "") -> str:
    return reverse(f"tracking:{relation}_chart", args=[slug]) + query


@pytest.fixture
def school():
    return SchoolFactory(name="Riverside Academy")


@pytest.fixture
def head(school):
    return staff(Role.HEAD, school)


@pytest.fixture
def leader():
    return UserFactory(roles=[Role.PROGRAMME_LEADER])


def _chart(response, slug):
    return next(c for c in response.context["charts"] if c.slug == slug)


def _days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def test_the_head_sees_only_their_schools_numbers(client, school, head):
    mine = [enrol(school) for _ in range(3)]
    mine[0].current_phase = Phase.objects.get(number=2)
    mine[0].save()
    other = SchoolFactory(name="Hillside School")
    theirs = [enrol(other) for _ in range(5)]
    for e in mine[:2]:
        agreed_log(enrolment=e, session_on=_days_ago(10))
    for e in theirs:
        agreed_log(enrolment=e, session_on=_days_ago(10))
        result(submit(e, AssessmentTaskFactory(cohort=e.cohort, title="Hillside's task")), Outcome.FAIL)
    result(submit(mine[1], AssessmentTaskFactory(cohort=mine[1].cohort, title="Enquiry")), Outcome.PASS)
    client.force_login(head)
    response = client.get(HEAD)
    assert response.status_code == 200
    phases = _chart(response, "phases")
    assert phases.rows[:2] == [["Phase 1", 2], ["Phase 2", 1]]
    assert phases.summary == "Most participants are in phase 1 (2 of 3)."
    coverage = _chart(response, "coverage")
    assert sum(sum(row[1:]) for row in coverage.rows) == 2
    coaching = _chart(response, "coaching")
    assert coaching.rows == [["Riverside Academy", 3, 2, "0.7"]]
    outcomes = _chart(response, "outcomes")
    assert outcomes.rows == [["Enquiry", 1, 0, 0]]
    body = response.content.decode()
    assert "Hillside" not in body
    # The SVG files say the same, and nothing of the other school.
    svg = client.get(_svg("head", "coaching")).content.decode()
    assert "Riverside Academy" in svg
    assert "Hillside" not in svg
    assert "Hillside" not in client.get(_svg("head", "outcomes")).content.decode()


def test_a_participant_placed_at_two_schools_shows_only_the_heads_school(client, school, head):
    both = enrol(school)
    second = SchoolFactory(name="Second School")
    SchoolPlacement.objects.create(enrolment=both, school=second, starts_on=both.programme_started_on)
    agreed_log(enrolment=both, session_on=_days_ago(5))
    client.force_login(head)
    coaching = _chart(client.get(HEAD), "coaching")
    assert coaching.rows == [["Riverside Academy", 1, 1, "1.0"]]


def test_the_leader_sees_every_school_and_can_filter_by_one(client, school, leader):
    other = SchoolFactory(name="Hillside School")
    for e in (enrol(school), enrol(other), enrol(other)):
        agreed_log(enrolment=e, session_on=_days_ago(3))
    agreed_log(enrolment=Enrolment.objects.filter(school_placements__school=other).first(), session_on=_days_ago(200))
    client.force_login(leader)
    coaching = _chart(client.get(LEADER), "coaching")
    assert coaching.rows == [["Hillside School", 2, 2, "1.0"], ["Riverside Academy", 1, 1, "1.0"]]
    filtered = client.get(LEADER, {"school": other.pk})
    assert _chart(filtered, "phases").rows[0] == ["Phase 1", 2]
    assert _chart(filtered, "coaching").rows == [["Hillside School", 2, 2, "1.0"]]
    # The chart's image carries the same filter.
    assert f"school={other.pk}" in _chart(filtered, "phases").src
    svg = client.get(_svg("leader", "coaching", f"?school={other.pk}")).content.decode()
    assert "Hillside School" in svg
    assert "Riverside" not in svg


def test_across_many_schools_the_coaching_chart_shows_those_with_fewest_sessions(client, school, leader, monkeypatch):
    monkeypatch.setattr(chart_data, "SCHOOLS_SHOWN", 2)
    quiet, quieter = SchoolFactory(name="Quiet School"), SchoolFactory(name="Zephyr School")
    busy = enrol(school)
    for day in (3, 10, 20):
        agreed_log(enrolment=busy, session_on=_days_ago(day))
    agreed_log(enrolment=enrol(quiet), session_on=_days_ago(4))
    enrol(quieter)
    client.force_login(leader)
    coaching = _chart(client.get(LEADER), "coaching")
    # The fewest per participant first, ties by name; the busiest school is left out and the
    # caption and summary say how many there are in all.
    assert coaching.rows == [["Zephyr School", 1, 0, "0.0"], ["Quiet School", 1, 1, "1.0"]]
    assert coaching.caption.startswith("The 2 schools of 3 with the fewest")
    assert "Shown: the 2 of 3 schools with the fewest." in coaching.summary
    svg = client.get(_svg("leader", "coaching")).content.decode()
    assert "Zephyr School" in svg
    assert "Riverside" not in svg


def test_coverage_counts_a_session_in_the_phase_the_participant_was_in_that_day(client, school, head):
    e = enrol(school)
    one, two = Phase.objects.get(number=1), Phase.objects.get(number=2)
    area1, area2 = ContentArea.objects.order_by("number")[:2]
    agreed_log(enrolment=e, session_on=_days_ago(40), content_areas=[area1, area2])
    change = PhaseChange.objects.create(enrolment=e, from_phase=one, to_phase=two)
    # decided_at is set on creation: moved back to 20 days ago, between the two sessions.
    PhaseChange.objects.filter(pk=change.pk).update(decided_at=timezone.now() - datetime.timedelta(days=20))
    e.current_phase = two
    e.save()
    agreed_log(enrolment=e, session_on=_days_ago(5), content_areas=[area1])
    client.force_login(head)
    coverage = _chart(client.get(HEAD), "coverage")
    assert coverage.headings[:3] == ["Content area", "Phase 1", "Phase 2"]
    assert coverage.rows[0][1:3] == [1, 1]
    assert coverage.rows[1][1:3] == [1, 0]
    assert coverage.summary.startswith(f"{area1} is covered most (2 sessions)")


def test_only_released_results_are_counted(client, school, leader):
    e = enrol(school)
    task = AssessmentTaskFactory(cohort=e.cohort, title="Core task")
    result(submit(e, task), Outcome.REFER)
    result(submit(enrol(school, cohort=e.cohort), task), Outcome.PASS, released=False)
    client.force_login(leader)
    outcomes = _chart(client.get(LEADER), "outcomes")
    assert outcomes.rows == [["Core task", 0, 1, 0]]
    assert outcomes.summary == "0 of 1 released result are passes, 1 referred for resubmission and 0 fails."


def _moved(enrolment: Enrolment, to: int, on: datetime.date) -> None:
    change = PhaseChange.objects.create(
        enrolment=enrolment, from_phase=enrolment.current_phase, to_phase=Phase.objects.get(number=to)
    )
    PhaseChange.objects.filter(pk=change.pk).update(
        decided_at=timezone.make_aware(datetime.datetime.combine(on, datetime.time(10)))
    )
    enrolment.current_phase = change.to_phase
    enrolment.save()


def test_participants_by_phase_over_time_follow_starts_and_phase_changes(client, school, leader):
    months = chart_data.month_ends(timezone.localdate())
    assert len(months) == 24
    early = enrol(school, starts_on=months[0] - datetime.timedelta(days=100))
    _moved(early, 2, months[-4].replace(day=15))
    enrol(school, starts_on=months[-6].replace(day=10))
    client.force_login(leader)
    response = client.get(LEADER)
    history = _chart(response, "history")
    counts = [row[1:3] for row in history.rows]
    assert counts[0] == [1, 0]
    assert counts[-7] == [1, 0]  # the later participant has not started
    assert counts[-5] == [2, 0]  # both in phase 1
    assert counts[-4] == [1, 1]  # moved on in that month
    assert counts[-1] == [1, 1]
    assert history.rows[-1][0] == f"{months[-1]:%b %Y}"
    # This month's counts are the participants in each phase today.
    assert [row[1] for row in _chart(response, "phases").rows] == history.rows[-1][1:]
    assert history.summary == (
        "Over the last 24 months, phase 1 went from 1 to 1 participants, phase 2 from 0 to 1 and phase 3 from 0 to 0."
    )
    svg = client.get(_svg("leader", "history")).content.decode()
    assert "Phase 2" in svg


def test_phases_over_time_for_a_head_count_only_their_schools_participants(client, school, head):
    enrol(school)
    enrol(SchoolFactory(name="Hillside School"))
    client.force_login(head)
    history = _chart(client.get(HEAD), "history")
    assert history.rows[-1][1:] == [1, 0, 0]


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.COACH, Role.TUTOR, Role.EXTERNAL_EXAMINER])
def test_other_roles_cannot_open_the_charts_nor_their_images(client, school, role):
    client.force_login(staff(role, school) if role == Role.COACH else UserFactory(roles=[role]))
    for url in (HEAD, LEADER, *(_svg(r, s) for r in ("head", "leader") for s in SLUGS)):
        assert client.get(url).status_code in (403, 404), url


def test_a_head_cannot_open_the_leaders_charts_nor_a_leader_the_heads(client, head, leader):
    client.force_login(head)
    assert client.get(LEADER).status_code == 404
    assert client.get(_svg("leader", "phases")).status_code == 404
    client.force_login(leader)
    assert client.get(HEAD).status_code == 404


def test_signed_out_people_are_sent_to_sign_in(client):
    assert client.get(_svg("leader", "phases")).status_code == 302


def test_an_unknown_chart_is_not_found(client, leader):
    client.force_login(leader)
    assert client.get(_svg("leader", "pie")).status_code == 404


def test_each_chart_is_an_svg_that_may_style_itself_and_run_nothing(client, school, leader):
    e = enrol(school)
    agreed_log(enrolment=e, session_on=_days_ago(3))
    result(submit(e, AssessmentTaskFactory(cohort=e.cohort)), Outcome.PASS)
    client.force_login(leader)
    for slug in SLUGS:
        response = client.get(_svg("leader", slug))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
        assert response["X-Content-Type-Options"] == "nosniff"
        policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
        assert policy["default-src"] == "'none'"
        assert policy["style-src"] == "'unsafe-inline'"
        assert "script-src" not in policy
        body = response.content.decode()
        assert body.startswith("<?xml")
        assert "<svg" in body
        assert "<script" not in body
        assert "<image" not in body


def test_the_page_shows_each_chart_as_an_image_with_its_summary_and_a_table(client, school, leader):
    enrol(school)
    client.force_login(leader)
    response = client.get(LEADER)
    body = response.content.decode()
    assert "script-src" in response["Content-Security-Policy"]  # the page keeps the site's policy
    for chart in response.context["charts"]:
        assert f'src="{chart.src}"' in body
        assert f'alt="{chart.summary}"' in body
        assert f'<figcaption class="govuk-body">{chart.summary}</figcaption>' in body
        assert f'<caption class="govuk-table__caption govuk-table__caption--s">{chart.caption}</caption>' in body
    assert body.count('<th scope="col"') >= 4
    assert '<th scope="row"' in body


def test_the_dashboards_link_to_the_charts(client, head, leader):
    client.force_login(head)
    assert HEAD in client.get(reverse("tracking:head_home")).content.decode()
    client.force_login(leader)
    assert LEADER in client.get(reverse("tracking:leader_home")).content.decode()


def test_drawing_is_deterministic_and_small():
    first = charts.coverage_heatmap(["Area A", "Area B"], ["Phase 1", "Phase 2"], [[3, 0], [1, 7]])
    again = charts.coverage_heatmap(["Area A", "Area B"], ["Phase 1", "Phase 2"], [[3, 0], [1, 7]])
    assert first == again
    assert "<dc:date>" not in first
    assert len(first) < 40_000
    assert ">Area A<" in first or "Area A" in first  # text stays text
    different = charts.coverage_heatmap(["Area A", "Area B"], ["Phase 1", "Phase 2"], [[3, 0], [1, 8]])
    assert different != first


@pytest.mark.parametrize(
    "svg",
    [
        lambda: charts.participants_by_phase([("Phase 1", 0), ("Phase 2", 0)]),
        lambda: charts.coverage_heatmap([], [], []),
        lambda: charts.coaching_by_school([]),
        lambda: charts.outcomes_by_task([], [], [], []),
        lambda: charts.phases_over_time(["Jan 2026"], [("Phase 1", [0])]),
    ],
)
def test_an_empty_chart_says_so(svg):
    assert re.search(r"No (participants|content areas|released)", svg())


def test_the_portal_loads_without_matplotlib_until_a_chart_is_drawn():
    # matplotlib takes a second or two to import: only drawing a chart may pay for it.
    code = (
        "import sys, django; django.setup(); import mtl_portal.urls, tracking.chart_views; "
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported'"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "mtl_portal.settings.test"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _grow(school, n):
    tutor, coach = UserFactory(roles=[Role.TUTOR]), staff(Role.COACH, school)
    task = None
    for i in range(n):
        e = enrol(school)
        assign_coach(e, coach)
        assign_tutor(e, tutor)
        agreed_log(enrolment=e, session_on=_days_ago(5 + i))
        task = task or AssessmentTaskFactory(cohort=e.cohort)
        result(submit(e, AssessmentTaskFactory(cohort=e.cohort)), Outcome.PASS)


def _costs(client, who, page):
    """Queries of the page and of each image counted afresh (nothing kept), then of the page and
    each image again, read from what the first ones kept."""
    clear_this_run(caches["default"])
    counted = _queries(client, page), [_queries(client, _svg(who, s)) for s in SLUGS]
    clear_this_run(caches["default"])
    _queries(client, page)
    kept = _queries(client, page), [_queries(client, _svg(who, s)) for s in SLUGS]
    return counted, kept


@pytest.mark.parametrize("who", ["head", "leader"])
def test_the_charts_cost_the_same_queries_for_few_and_many_participants(client, school, head, leader, who):
    user, page = (head, HEAD) if who == "head" else (leader, LEADER)
    client.force_login(user)
    _grow(school, 1)
    few = _costs(client, who, page)
    _grow(SchoolFactory(), 3)
    _grow(school, 6)
    many = _costs(client, who, page)
    assert few == many
    # Kept charts are not counted again: the page and its images ask for far less than counting.
    (counted_page, counted_images), (kept_page, kept_images) = many
    assert kept_page < counted_page
    assert all(kept <= counted for kept, counted in zip(kept_images, counted_images, strict=True))


def _fields(chart) -> dict:
    return {k: v for k, v in vars(chart).items() if k != "src"}


@pytest.mark.parametrize("who", ["head", "leader"])
def test_charts_read_from_the_cache_equal_the_charts_counted(school, head, leader, who):
    from tracking.selectors import Filters

    user, relation = (head, Relation.HEAD) if who == "head" else (leader, Relation.PROGRAMME_LEADER)
    _grow(school, 3)
    _grow(SchoolFactory(name="Hillside School"), 2)
    now = timezone.now()
    counted = chart_data.charts_for(user, relation, Filters(), now=now)
    with CaptureQueriesContext(connection) as captured:
        kept = chart_data.charts_for(user, relation, Filters(), now=now)
    assert len(captured) <= 1  # the head's headships, for the key; nothing counted
    assert [_fields(c) for c in kept] == [_fields(c) for c in counted]
    assert [c.slug for c in kept] == list(chart_data.SLUGS)
    assert all(c.counted_at == now for c in kept)
    # What the cache gives equals counting afresh.
    clear_this_run(caches["default"])
    again = chart_data.charts_for(user, relation, Filters(), now=now)
    assert [_fields(c) for c in again] == [_fields(c) for c in kept]
    # One image reads the same chart the page counted.
    (alone,) = chart_data.charts_for(user, relation, Filters(), ("coverage",), now=now)
    assert _fields(alone) == _fields(kept[2])
    assert chart_data.charts_for(user, relation, Filters(), ("pie",), now=now) == []


def test_kept_charts_are_shown_until_they_expire_and_counted_again_the_next_day(school, leader):
    from tracking.selectors import Filters

    enrol(school)
    now = timezone.now()
    first = chart_data.charts_for(leader, Relation.PROGRAMME_LEADER, Filters(), ("phases",), now=now)[0]
    enrol(school)
    kept = chart_data.charts_for(leader, Relation.PROGRAMME_LEADER, Filters(), ("phases",), now=now)[0]
    assert kept.rows == first.rows  # the counts as they were, said to be of then
    assert kept.counted_at == now
    tomorrow = now + datetime.timedelta(days=1)
    recounted = chart_data.charts_for(leader, Relation.PROGRAMME_LEADER, Filters(), ("phases",), now=tomorrow)[0]
    assert recounted.counted_at == tomorrow
    assert sum(n for _, n in recounted.rows) == 2


def test_two_heads_each_see_their_own_schools_charts(client, school, head):
    other = SchoolFactory(name="Hillside School")
    other_head = staff(Role.HEAD, other)
    for _ in range(2):
        agreed_log(enrolment=enrol(school), session_on=_days_ago(4))
    for _ in range(5):
        agreed_log(enrolment=enrol(other), session_on=_days_ago(4))
    client.force_login(head)
    assert _chart(client.get(HEAD), "coaching").rows == [["Riverside Academy", 2, 2, "1.0"]]
    assert "Riverside Academy" in client.get(_svg("head", "coaching")).content.decode()
    # The second head, a moment later, with the first head's charts kept: their own school only.
    client.force_login(other_head)
    response = client.get(HEAD)
    assert _chart(response, "coaching").rows == [["Hillside School", 5, 5, "1.0"]]
    assert _chart(response, "phases").rows[0] == ["Phase 1", 5]
    assert "Riverside" not in response.content.decode()
    svg = client.get(_svg("head", "coaching")).content.decode()
    assert "Hillside School" in svg
    assert "Riverside" not in svg


def test_a_head_whose_headship_ends_no_longer_reads_its_kept_charts(school, head):
    from programme.models import StaffMembership
    from tracking.selectors import Filters

    second = SchoolFactory(name="Hillside School")
    StaffMembership.objects.create(
        user=head, school=second, role=StaffMembership.StaffRole.HEAD, starts_on=_days_ago(400)
    )
    enrol(school)
    enrol(second)
    now = timezone.now()
    both = chart_data.charts_for(head, Relation.HEAD, Filters(), ("phases",), now=now)[0]
    assert sum(n for _, n in both.rows) == 2
    StaffMembership.objects.filter(user=head, school=second).delete()
    mine = chart_data.charts_for(head, Relation.HEAD, Filters(), ("phases",), now=now)[0]
    assert sum(n for _, n in mine.rows) == 1


def test_programme_leaders_share_the_providers_counted_charts(client, school, leader):
    enrol(school)
    client.force_login(leader)
    counted = _chart(client.get(LEADER), "phases")
    client.force_login(UserFactory(roles=[Role.PROGRAMME_LEADER]))
    with CaptureQueriesContext(connection) as captured:
        shared = _chart(client.get(LEADER), "phases")
    assert shared.counted_at == counted.counted_at
    assert not any("programme_enrolment" in q["sql"] and "COUNT" in q["sql"] for q in captured.captured_queries)


def test_the_page_says_when_each_chart_was_counted(client, school, leader):
    enrol(school)
    counted = timezone.localtime().replace(hour=9, minute=5, second=17, microsecond=0)
    client.force_login(leader)
    with mock.patch.object(chart_data, "_now", return_value=counted):
        body = client.get(LEADER).content.decode()
    assert body.count(f'Counted at <time datetime="{counted.isoformat()}">09:05</time>.') == len(chart_data.SLUGS)
    assert "counted at most every 5 minutes" in body


def test_a_drawing_is_kept_for_the_same_numbers(school, leader):
    from tracking.selectors import Filters

    enrol(school)
    (chart,) = chart_data.charts_for(leader, Relation.PROGRAMME_LEADER, Filters(), ("phases",))
    with mock.patch.object(charts, "participants_by_phase", wraps=charts.participants_by_phase) as drawn:
        first = chart_data.svg(chart)
        again = chart_data.svg(chart)
    assert first == again
    assert first.startswith("<?xml")
    assert drawn.call_count == 1
    # Other numbers are drawn afresh, never given another chart's file.
    chart.drawing = ("participants_by_phase", ([("Phase 1", 7)],))
    assert chart_data.svg(chart) != first


def test_coverage_puts_each_session_in_the_phase_the_search_finds_for_its_day(client, school, leader):
    """The chart's one-pass join on phase-change ranges and the search's per-session lookup
    (portfolio.coverage.phase_on_session_day) agree: before the first change, between changes,
    on a change's day, two changes on one day, and a participant who never changed phase."""
    from coaching.models import DialogueLog
    from portfolio.coverage import phase_on_session_day

    one, two, three = (Phase.objects.get(number=n) for n in (1, 2, 3))
    area = ContentArea.objects.order_by("number").first()
    moved, never = enrol(school), enrol(school)
    now = timezone.now()
    for from_phase, to_phase, days in ((one, two, 30), (two, three, 10), (three, two, 10)):
        change = PhaseChange.objects.create(enrolment=moved, from_phase=from_phase, to_phase=to_phase)
        PhaseChange.objects.filter(pk=change.pk).update(decided_at=now - datetime.timedelta(days=days))
    Enrolment.objects.filter(pk=moved.pk).update(current_phase=two)
    for days in (40, 30, 20, 10, 3):
        agreed_log(enrolment=moved, session_on=_days_ago(days), content_areas=[area])
    agreed_log(enrolment=never, session_on=_days_ago(8), content_areas=[area])

    expected: dict[int, int] = {}
    logs = DialogueLog.objects.filter(enrolment__in=[moved, never]).annotate(phase=phase_on_session_day())
    for phase in logs.values_list("phase", flat=True):
        expected[phase] = expected.get(phase, 0) + 1
    client.force_login(leader)
    coverage = _chart(client.get(LEADER), "coverage")
    phases = list(Phase.objects.order_by("number"))
    assert dict(zip([p.pk for p in phases], coverage.rows[0][1:], strict=True)) == {
        p.pk: expected.get(p.pk, 0) for p in phases
    }
    assert sum(expected.values()) == 6
    assert len(expected) == 2  # both phases are exercised
