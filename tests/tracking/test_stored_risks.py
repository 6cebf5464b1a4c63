"""The stored at-risk reasons (tracking.stored_risks) agree with the rule functions after every kind
of write that can change a reason, refreshed once the write commits; and the tables read from them
list the same participants in the same order as when the reasons are worked out per request."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from assessment.rules.marks import Outcome
from programme.access import Relation
from programme.models import Enrolment, ProgrammeSettings
from programme.services import enrolment_status_change
from tests.assessment.factories import AssessmentTaskFactory, ExtensionFactory
from tests.coaching.factories import action_step, agreed_log
from tests.factories import SchoolFactory, UserFactory, assign_coach, assign_tutor, enrol
from tests.tracking.factories import result, submit
from tracking import risks, selectors, stored_risks
from tracking.models import ParticipantRisk
from tracking.risks import REASONS, Thresholds

pytestmark = pytest.mark.django_db

# The real after-commit hook, before tests/tracking/conftest.py makes it run at each write.
AFTER_COMMIT = stored_risks._schedule
KEYS = [reason.key for reason in REASONS]


def _today() -> datetime.date:
    return timezone.localdate()


def stored_is_computed() -> dict[int, set[str]]:
    """Every enrolment's stored reasons, asserted equal to the rule functions' for today."""
    t = Thresholds.load(_today())
    computed = {
        e["pk"]: {key for key in KEYS if e[key]}
        for e in Enrolment.objects.annotate(**risks.reasons_holding(t)).values("pk", *KEYS)
    }
    stored = {}
    for row in ParticipantRisk.objects.all():
        assert (row.judged_on, row.weeks_without_session, row.months_before_limit) == (
            t.today,
            t.weeks_without_session,
            t.months_before_limit,
        )
        stored[row.enrolment_id] = {key for key in KEYS if getattr(row, key)}
        assert row.count == len(stored[row.enrolment_id])
    assert stored == computed
    return stored


@pytest.fixture
def after_commit(monkeypatch, django_capture_on_commit_callbacks):
    """Writes refreshed only when their transaction commits, as in production."""
    monkeypatch.setattr(stored_risks, "_schedule", AFTER_COMMIT)

    def committed():
        return django_capture_on_commit_callbacks(execute=True)

    return committed


def test_every_kind_of_write_refreshes_the_stored_reasons_when_it_commits(after_commit):
    today = _today()
    with after_commit():
        enrolment = enrol(SchoolFactory())
        coach = assign_coach(enrolment, UserFactory(roles=[Role.COACH]))
        assign_tutor(enrolment, UserFactory(roles=[Role.TUTOR]))
        log = agreed_log(enrolment=enrolment, session_on=today - datetime.timedelta(days=7))
        other = enrol(SchoolFactory())  # nobody assigned, no session
    assert stored_is_computed()[enrolment.pk] == set()
    assert {"no_coach", "no_tutor", "no_session"} <= stored_is_computed()[other.pk]

    writes = []

    def write(what):
        writes.append(what)
        stored_is_computed()

    with after_commit():  # an agreed session moved back: none held lately
        log.session_on = today - datetime.timedelta(weeks=10)
        log.save()
    write("session")
    assert "no_session" in stored_is_computed()[enrolment.pk]

    with after_commit():
        step = action_step(log, due_on=today - datetime.timedelta(days=1))
    write("action step")
    assert "steps_overdue" in stored_is_computed()[enrolment.pk]

    with after_commit():
        step.delete()
    write("action step deleted")

    with after_commit():  # a task of their cohort: every participant of it is judged again
        task = AssessmentTaskFactory(cohort=enrolment.cohort, due_on=today - datetime.timedelta(days=2))
    write("task")
    assert "submission_overdue" in stored_is_computed()[enrolment.pk]

    with after_commit():
        ExtensionFactory(task=task, enrolment=enrolment, due_on=today + datetime.timedelta(days=5))
    write("extension")
    assert "submission_overdue" not in stored_is_computed()[enrolment.pk]

    with after_commit():
        submission = submit(enrolment, task)
    write("submission")

    with after_commit():  # a released referral, judged through the submission's participant
        result(submission, Outcome.REFER)
    write("marks released")
    assert "referred_or_failed" in stored_is_computed()[enrolment.pk]

    with after_commit():
        coach.ends_on = today - datetime.timedelta(days=1)
        coach.save()
    write("coach's assignment ended")
    assert "no_coach" in stored_is_computed()[enrolment.pk]

    with after_commit():
        enrolment.tutor_assignments.get().delete()
    write("tutor's assignment removed")
    assert "no_tutor" in stored_is_computed()[enrolment.pk]

    with after_commit():  # the enrolment itself: a first post long ago brings the deadline near
        enrolment.first_post_started_on = today - datetime.timedelta(days=5 * 365)
        enrolment.save()
    write("enrolment")
    assert "completion_deadline" in stored_is_computed()[enrolment.pk]
    assert len(writes) == 10


def test_a_change_of_thresholds_or_of_day_is_judged_when_next_read(after_commit):
    today = _today()
    with after_commit():
        enrolment = enrol(SchoolFactory())
        assign_coach(enrolment, UserFactory(roles=[Role.COACH]))
        assign_tutor(enrolment, UserFactory(roles=[Role.TUTOR]))
        agreed_log(enrolment=enrolment, session_on=today - datetime.timedelta(weeks=3))
    stored_is_computed()
    assert ParticipantRisk.objects.get(pk=enrolment.pk).no_session is False

    settings = ProgrammeSettings.load()
    settings.risk_weeks_without_session = 2
    settings.save()
    assert stored_risks.ensure_current(Thresholds.load(today))
    assert stored_is_computed()[enrolment.pk] == {"no_session"}

    # Judged yesterday (the nightly run missed): judged again when read today.
    ParticipantRisk.objects.update(judged_on=today - datetime.timedelta(days=1), no_session=False, count=0)
    stored_risks.ensure_current(Thresholds.load(today))
    assert stored_is_computed()[enrolment.pk] == {"no_session"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's statistics are PostgreSQL's")
@pytest.mark.parametrize(("enrolments", "analysed"), [(3, True), (2, False)])
def test_a_refresh_that_changes_many_rows_analyses_the_table_at_once(monkeypatch, enrolments, analysed):
    """A new day re-judges every row; the planner must know at once (thresholds made small here)."""
    monkeypatch.setattr(stored_risks, "ANALYSE_FROM_ROWS", 3)
    monkeypatch.setattr(stored_risks, "ANALYSE_FROM_SHARE", 0)
    for _ in range(enrolments):
        enrol(SchoolFactory())
    with CaptureQueriesContext(connection) as queries:
        stored_risks.risks_refresh_all()
    assert any(q["sql"].startswith("ANALYZE") for q in queries.captured_queries) is analysed
    assert ParticipantRisk.objects.count() == enrolments


def test_another_days_thresholds_are_worked_out_not_read():
    assert not stored_risks.ensure_current(Thresholds(today=_today() - datetime.timedelta(days=1)))
    assert not ParticipantRisk.objects.exists()


def test_a_status_change_needs_no_refresh_the_status_is_read_with_the_flags(client):
    today = _today()
    school = SchoolFactory()
    enrolment = enrol(school)  # nobody assigned: at risk while active
    leader = UserFactory(roles=[Role.PROGRAMME_LEADER])
    t = Thresholds.load(today)

    def listed():
        found = selectors.participants(
            leader,
            Relation.PROGRAMME_LEADER,
            filters=selectors.Filters(at_risk=True),
            sort="risk",
            descending=True,
            t=t,
        )
        return [row.enrolment.pk for row in selectors.rows(leader, found, t)]

    assert listed() == [enrolment.pk]
    enrolment_status_change(enrolment=enrolment, status=Enrolment.Status.WITHDRAWN, status_was=enrolment.status)
    assert listed() == []


@pytest.mark.parametrize(
    ("filters", "sort"),
    [
        (selectors.Filters(at_risk=True), "risk"),
        (selectors.Filters(at_risk=False), "name"),
        (selectors.Filters(), "risk"),
    ],
)
def test_the_stored_reasons_give_the_same_table_as_the_reasons_worked_out(monkeypatch, filters, sort):
    today = _today()
    school = SchoolFactory()
    for i in range(6):
        enrolment = enrol(school)
        if i % 2:
            assign_coach(enrolment, UserFactory(roles=[Role.COACH]))
        if i % 3:
            assign_tutor(enrolment, UserFactory(roles=[Role.TUTOR]))
        if i % 4 == 0:
            log = agreed_log(enrolment=enrolment, session_on=today - datetime.timedelta(days=3))
            action_step(log, due_on=today - datetime.timedelta(days=1))
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.INTERRUPTED)
    leader = UserFactory(roles=[Role.PROGRAMME_LEADER])
    t = Thresholds.load(today)

    def table():
        found = selectors.participants(
            leader, Relation.PROGRAMME_LEADER, filters=filters, sort=sort, descending=True, t=t
        )
        return [(row.enrolment.pk, row.reasons) for row in selectors.rows(leader, found, t)]

    stored = table()
    assert ParticipantRisk.objects.count() == Enrolment.objects.count()
    monkeypatch.setattr(stored_risks, "answers_for", lambda t: False)
    assert table() == stored
    assert stored  # not vacuous
