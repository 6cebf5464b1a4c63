"""Each reason a participant is at risk, with a case where it holds and one where it does not."""

import datetime

import pytest

from accounts.roles import Role
from assessment.rules.marks import Outcome
from coaching.models import ActionStep
from programme.models import Enrolment, Phase, ProgrammeSettings
from programme.rules import timing
from tests.assessment.factories import AssessmentTaskFactory, ExtensionFactory
from tests.coaching.factories import DialogueLogFactory, action_step, agreed_log
from tests.factories import SchoolFactory, UserFactory, assign_coach, assign_tutor, enrol
from tests.tracking.factories import result, submit
from tracking import risks
from tracking.risks import REASONS, Thresholds

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 1, 15)
T = Thresholds(today=TODAY, weeks_without_session=6, months_before_limit=6)


def holding(enrolment: Enrolment, t: Thresholds = T) -> set[str]:
    row = risks.with_risks(Enrolment.objects.filter(pk=enrolment.pk), t).get()
    found = {reason.key for reason in REASONS if getattr(row, reason.field)}
    # The count a sort by risk reads is worked out apart from the flags a row shows: they agree.
    assert row.risk_count == len(found)
    return found


@pytest.fixture
def supported():
    """Active, with a coach and a tutor, an agreed session last week: no reason holds."""
    enrolment = enrol(SchoolFactory())
    assign_coach(enrolment, UserFactory(roles=[Role.COACH]))
    assign_tutor(enrolment, UserFactory(roles=[Role.TUTOR]))
    agreed_log(enrolment=enrolment, session_on=TODAY - datetime.timedelta(days=7))
    return enrolment


def test_a_supported_participant_is_not_at_risk(supported):
    assert holding(supported) == set()
    assert not Enrolment.objects.filter(risks.at_risk(T), pk=supported.pk).exists()


def test_no_agreed_session_for_the_set_number_of_weeks(supported):
    supported.dialogue_logs.update(session_on=TODAY - datetime.timedelta(weeks=6))
    assert holding(supported) == {"no_session"}
    assert holding(supported, Thresholds(today=TODAY, weeks_without_session=7)) == set()


def test_a_draft_or_future_session_does_not_count_as_held(supported):
    supported.dialogue_logs.update(session_on=TODAY - datetime.timedelta(weeks=10))
    DialogueLogFactory(enrolment=supported, session_on=TODAY - datetime.timedelta(days=2))  # a draft
    agreed_log(enrolment=supported, session_on=TODAY + datetime.timedelta(days=3))
    assert "no_session" in holding(supported)


def test_an_open_agreed_action_step_past_its_due_date(supported):
    log = supported.dialogue_logs.get()
    step = action_step(log, due_on=TODAY - datetime.timedelta(days=1))
    assert holding(supported) == {"steps_overdue"}
    step.status = ActionStep.Status.DONE
    step.save()
    action_step(log, due_on=TODAY)  # due today is not overdue
    assert holding(supported) == set()


def test_a_step_in_a_draft_log_is_not_counted(supported):
    draft = DialogueLogFactory(enrolment=supported, session_on=TODAY - datetime.timedelta(days=30))
    action_step(draft, due_on=TODAY - datetime.timedelta(days=5))
    assert holding(supported) == set()


def test_work_past_its_due_date_with_nothing_submitted(supported):
    task = AssessmentTaskFactory(cohort=supported.cohort, due_on=TODAY - datetime.timedelta(days=1))
    assert holding(supported) == {"submission_overdue"}
    submit(supported, task)
    assert holding(supported) == set()


def test_an_extension_moves_the_due_date(supported):
    task = AssessmentTaskFactory(cohort=supported.cohort, due_on=TODAY - datetime.timedelta(days=3))
    ExtensionFactory(task=task, enrolment=supported, due_on=TODAY + datetime.timedelta(days=4))
    assert holding(supported) == set()


def test_a_later_phase_or_another_cohorts_task_is_not_overdue(supported):
    past = TODAY - datetime.timedelta(days=10)
    AssessmentTaskFactory(cohort=supported.cohort, phase=Phase.objects.get(number=2), due_on=past)
    AssessmentTaskFactory(due_on=past)
    assert holding(supported) == set()


def test_a_released_refer_or_fail_not_yet_passed(supported):
    task = AssessmentTaskFactory(cohort=supported.cohort, due_on=TODAY - datetime.timedelta(days=60))
    first = submit(supported, task)
    result(first, Outcome.REFER)
    assert holding(supported) == {"referred_or_failed"}
    result(submit(supported, task, attempt=2), Outcome.PASS)
    assert holding(supported) == set()


def test_an_unreleased_fail_is_not_shown(supported):
    task = AssessmentTaskFactory(cohort=supported.cohort, due_on=TODAY - datetime.timedelta(days=60))
    result(submit(supported, task), Outcome.FAIL, released=False)
    assert holding(supported) == set()


def test_not_begun_and_the_latest_start_within_the_set_months():
    enrolment = enrol(SchoolFactory())
    assign_coach(enrolment, UserFactory(roles=[Role.COACH]))
    assign_tutor(enrolment, UserFactory(roles=[Role.TUTOR]))
    latest = timing.latest_start_date(enrolment.first_post_started_on)  # 1 September 2026
    near = Thresholds(today=TODAY, weeks_without_session=52, months_before_limit=8)
    far = Thresholds(today=TODAY, weeks_without_session=52, months_before_limit=7)
    assert risks.months_after(TODAY, 8) >= latest > risks.months_after(TODAY, 7)
    assert holding(enrolment, near) == {"no_session", "latest_start"}
    assert holding(enrolment, far) == {"no_session"}
    agreed_log(enrolment=enrolment, session_on=TODAY - datetime.timedelta(days=3))
    assert holding(enrolment, near) == set()


def test_the_completion_deadline_within_the_set_months(supported):
    deadline = timing.completion_deadline(supported.first_post_started_on)  # 31 August 2029
    on = deadline - datetime.timedelta(days=100)
    agreed_log(enrolment=supported, session_on=on - datetime.timedelta(days=1))
    assert holding(supported, Thresholds(today=on, months_before_limit=4)) == {"completion_deadline"}
    assert holding(supported, Thresholds(today=on, months_before_limit=3)) == set()


@pytest.mark.parametrize(
    "first_post", [datetime.date(2024, 2, 29), datetime.date(2023, 8, 31), datetime.date(2024, 9, 1)]
)
def test_the_reach_of_a_limit_is_the_rules_own_answer(first_post):
    # The latest first post whose limit is on or before the horizon, asked of the rule itself
    # (29 February and 1 March share their limits in a year without a 29 February).
    for rule, years in ((timing.completion_deadline, 5), (timing.latest_start_date, 2)):
        horizon = rule(first_post)
        reach = risks.latest_first_post(rule, horizon, years)
        assert first_post <= reach
        assert rule(reach) <= horizon < rule(reach + datetime.timedelta(days=1))


def test_no_coach_or_no_tutor_today(supported):
    supported.coach_assignments.update(ends_on=TODAY - datetime.timedelta(days=1))
    assert holding(supported) == {"no_coach"}
    supported.tutor_assignments.update(starts_on=TODAY + datetime.timedelta(days=1))
    assert holding(supported) == {"no_coach", "no_tutor"}


def test_only_active_participants_are_at_risk(supported):
    supported.coach_assignments.all().delete()
    supported.status = Enrolment.Status.WITHDRAWN
    supported.save()
    assert holding(supported) == set()
    assert not Enrolment.objects.filter(risks.at_risk(T), pk=supported.pk).exists()


def test_every_reason_is_described_with_the_providers_thresholds():
    t = Thresholds(today=TODAY, weeks_without_session=1, months_before_limit=3)
    words = [reason.describe(t) for reason in REASONS]
    assert "No agreed coaching session for 1 week" in words
    assert any("within 3 months" in w for w in words)
    assert len(set(words)) == len(REASONS)


def test_the_thresholds_are_the_providers_settings():
    s = ProgrammeSettings.load()
    s.risk_weeks_without_session, s.risk_months_before_limit = 3, 9
    s.save()
    assert Thresholds.load(TODAY) == Thresholds(today=TODAY, weeks_without_session=3, months_before_limit=9)


def test_at_risk_is_any_reason(supported):
    supported.tutor_assignments.all().delete()
    assert Enrolment.objects.filter(risks.at_risk(T), pk=supported.pk).exists()
