"""The tutor's home says what needs them in journey 4: their participants' work waiting for their
marking, moderation waiting for them, and a participant whose phase has every core task passed and
released, waiting to be confirmed complete (then gone). Each participant links to their credits and
progress, where the phase is confirmed. The page's queries do not grow with the work waiting."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.services import marking as services
from assessment.services.progression import phase_complete
from assessment.services.submissions import SubmissionContent, submission_submit
from portfolio import services as portfolio
from portfolio.models import Evidence
from programme.models import Phase
from tests.assessment.factories import AssessmentTaskFactory
from tests.assessment.moderation_helpers import confirm, first_marked
from tests.assessment.submissions.helpers import evidence_content
from tests.factories import assign_tutor, enrol

pytestmark = pytest.mark.django_db

HOME = reverse("tracking:tutor_home")


def _home(client, world) -> str:
    client.force_login(world.tutor)
    return client.get(HOME).content.decode()


def _confirm_link(world) -> str:
    return reverse("credits:ledger", args=[world.enrolment.pk]) + "#confirm-1"


def test_submitted_work_waits_on_the_tutors_home_until_it_is_marked(client, world):
    page = _home(client, world)
    assert f"Mark {world.task.title}" in page
    assert reverse("marking:workspace", args=[world.submission.pk]) in page
    assert "Nothing needs you right now" not in page

    world.start()
    assert f"Finish marking {world.task.title}" in _home(client, world)
    world.ready()  # marked and confirmed for release: nothing more for the tutor to do
    page = _home(client, world)
    assert reverse("marking:workspace", args=[world.submission.pk]) not in page
    assert "Nothing needs you right now" in page


def test_another_tutors_participants_work_is_not_on_the_home(client, world):
    client.force_login(world.other_tutor)
    page = client.get(HOME).content.decode()
    assert reverse("marking:workspace", args=[world.submission.pk]) not in page


def test_second_marking_waits_on_the_second_markers_home(client, world):
    first_marked(world)
    confirm(world)
    client.force_login(world.other_tutor)
    page = client.get(HOME).content.decode()
    assert f"Second-mark {world.task.title}" in page
    assert reverse("marking:workspace", args=[world.submission.pk]) in page


def test_a_phase_with_every_core_task_passed_waits_for_the_tutor_to_confirm_it(client, world):
    assert "Confirm phase 1 complete" not in _home(client, world)  # nothing passed yet
    world.ready()
    assert "Confirm phase 1 complete" not in _home(client, world)  # passed, not released
    services.results_release(task=world.task, by=world.leader)
    page = _home(client, world)
    assert "Confirm phase 1 complete" in page
    assert _confirm_link(world) in page

    phase_complete(by=world.tutor, enrolment=world.enrolment, phase=Phase.objects.get(number=1))
    assert "Confirm phase" not in _home(client, world)  # confirmed, and phase 2 has no core task passed


def test_a_phase_the_participant_was_moved_on_from_still_waits_for_confirmation(client, world):
    world.released()
    world.enrolment.current_phase = Phase.objects.get(number=2)  # the leader moved them on first
    world.enrolment.save(update_fields=["current_phase"])
    page = _home(client, world)
    assert "Confirm phase 1 complete" in page
    assert _confirm_link(world) in page


def test_a_core_task_not_passed_keeps_the_phase_off_the_home(client, world):
    AssessmentTaskFactory(cohort=world.enrolment.cohort, phase=world.enrolment.current_phase, title="Second core")
    world.released()
    assert "Confirm phase 1 complete" not in _home(client, world)


def test_each_participant_links_to_their_credits_and_progress(client, world):
    page = _home(client, world)
    assert reverse("credits:ledger", args=[world.enrolment.pk]) in page


def test_the_result_links_to_the_credits_where_the_tutor_confirms_the_phase(client, world):
    world.released()
    client.force_login(world.tutor)
    page = client.get(reverse("marking:result", args=[world.submission.pk])).content.decode()
    assert reverse("credits:ledger", args=[world.enrolment.pk]) in page


def test_the_ledger_shows_the_tutor_which_core_tasks_the_phase_waits_on(client, world):
    AssessmentTaskFactory(cohort=world.enrolment.cohort, phase=world.enrolment.current_phase, title="Second core")
    world.released()
    client.force_login(world.tutor)
    page = client.get(reverse("credits:ledger", args=[world.enrolment.pk])).content.decode()
    assert f'{world.task.title}: <strong class="govuk-tag govuk-tag--green">Passed' in page
    assert 'Second core: <strong class="govuk-tag govuk-tag--grey">Not passed yet' in page


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(HOME).status_code == 200
    return len(captured)


def _participant_with_work(world):
    enrolment = enrol(world.school, cohort=world.enrolment.cohort)
    assign_tutor(enrolment, world.tutor)
    written = portfolio.evidence_create(
        by=enrolment.participant,
        enrolment=enrolment,
        content=evidence_content(kind=Evidence.Kind.WRITTEN, title="Question plans", body="Noted.", upload=None),
    )
    return submission_submit(
        by=enrolment.participant,
        enrolment=enrolment,
        task=world.task,
        version=None,
        content=SubmissionContent(commentary="What changed.", evidence_ids=(written.pk,)),
    )


def test_the_tutors_home_costs_the_same_with_little_and_much_waiting(client, world):
    world.released()  # one phase waiting to be confirmed
    other = _participant_with_work(world)
    client.force_login(world.tutor)
    few = _queries(client)
    for _ in range(4):
        _participant_with_work(world)
    services.marking_start(by=world.tutor, submission=other)
    assert _queries(client) == few == 13  # pinned: fewer is welcome, more is a regression
