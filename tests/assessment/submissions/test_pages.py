"""The pages: the participant's tasks, the builder (choices from what the policy lets them read, a
refusal beside its field with what was typed kept, two tabs), the frozen submission and what has
changed since, withdrawing, and the submitted work a tutor or coach opens. Each page is tried by
everyone, and keeps its number of queries as records grow."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import Submission, SubmissionItem
from assessment.services.submissions import STALE
from audit.models import AuditEvent
from coaching.models import AgreementStatus
from portfolio import services as portfolio
from portfolio.models import Evidence
from tests.assessment.factories import AssessmentTaskFactory, ExtensionFactory
from tests.assessment.submissions.helpers import days, evidence_content, open_task
from tests.coaching.factories import DialogueLogFactory, agreed_log
from tests.factories import assign_tutor, enrol
from tests.portfolio.factories import DAY, EvidenceFactory

pytestmark = pytest.mark.django_db


def build_url(world):
    return reverse("assessment:build", args=[world.task.pk])


def posted(world, **overrides) -> dict:
    data = {
        "version": "",
        "commentary": "Waiting longer changed who answered.\n\nGirls answered more.",
        "evidence": [str(world.evidence.pk), str(world.written.pk)],
        "reflections": [str(world.reflection.pk)],
        "sections": [f"{world.enquiry.pk}:question"],
        "logs": [str(world.log.pk)],
        "action": "save",
    }
    data.update(overrides)
    return data


# --- The participant's tasks.


def test_the_participant_finds_their_tasks_from_home_with_their_own_due_dates(client, world):
    other = open_task(world.enrolment, title="Phase one enquiry report")
    ExtensionFactory(task=other, enrolment=world.enrolment, due_on=days(25))
    client.force_login(world.participant)
    home = client.get(reverse("tracking:participant_home")).content.decode()
    assert reverse("assessment:tasks") in home
    page = client.get(reverse("assessment:tasks")).content.decode()
    assert world.task.title in page
    assert build_url(world) in page
    assert f'datetime="{days(25):%Y-%m-%d}"' in page  # the extension's date, not the task's
    assert "extended from" in page
    assert "Not started" in page


def test_the_task_list_shows_what_became_of_the_work(client, world):
    submission = world.submit()
    client.force_login(world.participant)
    page = client.get(reverse("assessment:tasks")).content.decode()
    assert "Submitted" in page
    assert submission.get_absolute_url() in page


@pytest.mark.parametrize("who", ["coach", "tutor", "head", "leader"])
def test_only_participants_have_a_task_list_and_a_builder(client, world, who):
    client.force_login(world.person(who))
    assert client.get(reverse("assessment:tasks")).status_code == 404
    assert client.get(build_url(world)).status_code == 404


def test_a_task_of_another_cohort_has_no_builder(client, world):
    elsewhere = AssessmentTaskFactory(opens_on=days(-1), due_on=days(5), late_cutoff_on=days(6))
    client.force_login(world.participant)
    assert client.get(reverse("assessment:build", args=[elsewhere.pk])).status_code == 404


# --- The builder.


def test_the_builder_offers_only_the_participants_readable_records_and_agreed_logs(client, world):
    draft_log = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach, status=AgreementStatus.DRAFT)
    theirs = EvidenceFactory(title="Someone else's seating plan")
    client.force_login(world.participant)
    page = client.get(build_url(world)).content.decode()
    assert world.evidence.title in page
    assert world.reflection.title in page
    assert f'value="{world.enquiry.pk}:question"' in page
    assert f'value="{world.enquiry.pk}:method"' not in page  # nothing written there yet
    assert f'name="logs" type="checkbox" value="{world.log.pk}"' in page
    assert f'name="logs" type="checkbox" value="{draft_log.pk}"' not in page
    assert theirs.title not in page
    assert 'data-maxwords="50"' in page  # the live count, from the task's limit


def test_a_draft_saves_and_comes_back_as_typed(client, world):
    client.force_login(world.participant)
    response = client.post(build_url(world), posted(world))
    assert response.status_code == 302
    draft = Submission.objects.get()
    assert draft.state == Submission.State.DRAFT
    assert draft.word_count == 8
    page = client.get(build_url(world)).content.decode()
    assert "Waiting longer changed who answered.\n\nGirls answered more.</textarea>" in page
    assert f'value="{world.evidence.pk}" checked' in page


def test_a_posted_choice_outside_the_list_is_refused_beside_its_field_and_the_text_kept(client, world):
    theirs = EvidenceFactory()
    draft_log = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach, status=AgreementStatus.DRAFT)
    client.force_login(world.participant)
    response = client.post(
        build_url(world), posted(world, evidence=[str(theirs.pk)], logs=[str(draft_log.pk)], action="submit")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_evidence-error-1"' in page
    assert "Choose evidence from the list; one you chose is not there." in page
    assert "Choose agreed coaching sessions from the list; one you chose is not there." in page
    assert "Girls answered more.</textarea>" in page
    assert not Submission.objects.exists()


def test_a_commentary_over_the_limit_is_refused_beside_it_with_the_count(client, world):
    client.force_login(world.participant)
    words = " ".join(["word"] * 52)
    response = client.post(build_url(world), posted(world, commentary=words, action="submit"))
    page = response.content.decode()
    assert 'id="id_commentary-error-1"' in page
    assert "Keep the commentary to 50 words or fewer; it has 52 (2 too many)." in page
    assert f"{words}</textarea>" in page
    assert not Submission.objects.filter(state=Submission.State.SUBMITTED).exists()


def test_a_stale_save_from_a_second_tab_is_refused_and_its_text_kept(client, world):
    client.force_login(world.participant)
    client.post(build_url(world), posted(world))
    opened = Submission.objects.get().version
    client.post(build_url(world), posted(world, version=str(opened), commentary="First tab."))
    response = client.post(build_url(world), posted(world, version=str(opened), commentary="Second tab."))
    page = response.content.decode()
    assert STALE.split(".")[0] in page
    assert "Second tab.</textarea>" in page
    assert Submission.objects.get().commentary == "<p>First tab.</p>"


def test_a_closed_task_refuses_the_work_with_a_message(client, world):
    world.task.due_on, world.task.late_cutoff_on = days(-3), days(-1)
    world.task.save()
    client.force_login(world.participant)
    response = client.post(build_url(world), posted(world, action="submit"))
    assert response.status_code == 200
    assert "This task is closed" in response.content.decode()
    assert not Submission.objects.exists()


# --- Submitting, and the frozen page.


def test_submitting_shows_the_frozen_work_and_what_changed_since(client, world):
    client.force_login(world.participant)
    response = client.post(build_url(world), posted(world, action="submit"))
    submission = Submission.objects.get()
    assert response.url == submission.get_absolute_url()
    assert submission.state == Submission.State.SUBMITTED
    page = client.get(submission.get_absolute_url()).content.decode()
    assert "Girls answered more." in page
    assert "Changed since" not in page
    copy = submission.items.get(kind="evidence", evidence=world.evidence).files.get()
    assert copy.download_url in page
    assert copy.sha256 in page

    evidence = Evidence.objects.get(pk=world.written.pk)
    portfolio.evidence_update(
        by=world.participant,
        evidence=evidence,
        version=evidence.version,
        content=evidence_content(kind=Evidence.Kind.WRITTEN, title="Exit tickets", body="Rewritten.", upload=None),
    )
    Evidence.objects.filter(pk=world.evidence.pk).delete()
    page = client.get(submission.get_absolute_url()).content.decode()
    assert "Changed since" in page
    assert "Deleted since" in page
    assert "Most pupils explained it." in page  # the words as submitted
    assert "Rewritten." not in page


def test_once_submitted_the_builder_leads_to_the_frozen_work(client, world):
    submission = world.submit()
    client.force_login(world.participant)
    assert client.get(build_url(world)).url == submission.get_absolute_url()


def test_withdrawing_before_the_due_date_opens_the_next_attempt_and_keeps_the_history(client, world):
    first = world.submit()
    client.force_login(world.participant)
    page = client.get(first.get_absolute_url()).content.decode()
    assert reverse("assessment:withdraw", args=[first.pk]) in page
    response = client.post(reverse("assessment:withdraw", args=[first.pk]), {"version": str(first.version)})
    assert response.url == build_url(world)
    second = Submission.objects.get(attempt=2)
    assert second.previous == first
    client.post(build_url(world), posted(world, version=str(second.version), action="submit"))
    second.refresh_from_db()
    assert second.state == Submission.State.SUBMITTED
    page = client.get(second.get_absolute_url()).content.decode()
    assert "Attempts at this task" in page
    assert first.get_absolute_url() in page
    assert "Withdrawn" in page


def test_after_the_due_date_there_is_no_withdraw_button_and_a_posted_withdrawal_is_refused(client, world):
    submission = world.submit()
    world.task.due_on = days(-1)
    world.task.save()
    client.force_login(world.participant)
    page = client.get(submission.get_absolute_url()).content.decode()
    assert reverse("assessment:withdraw", args=[submission.pk]) not in page
    client.post(reverse("assessment:withdraw", args=[submission.pk]), {"version": str(submission.version)})
    submission.refresh_from_db()
    assert submission.state == Submission.State.SUBMITTED


# --- Who opens a submission.


@pytest.mark.parametrize(
    ("who", "status", "sees_work"),
    [
        ("participant", 200, True),
        ("coach", 200, True),
        ("tutor", 200, True),
        ("leader", 200, True),
        ("head", 200, False),  # the summary only
        ("examiner", 404, False),  # only when sampled, and nothing is sampled yet
        ("stranger_coach", 404, False),
        ("other_head", 404, False),
        ("other_tutor", 404, False),
        ("other_participant", 404, False),
    ],
)
def test_a_submission_opens_as_the_policy_says(client, world, who, status, sees_work):
    submission = world.submit()
    client.force_login(world.person(who))
    response = client.get(submission.get_absolute_url())
    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert (world.written.body.removeprefix("<p>").removesuffix("</p>") in page) is sees_work
        assert world.task.title in page


def test_a_draft_is_opened_by_nobody_but_the_participant(client, world):
    draft = world.save()
    for who in ("coach", "tutor", "leader", "head"):
        client.force_login(world.person(who))
        assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(world.participant)
    assert client.get(draft.get_absolute_url()).url == build_url(world)


def test_reads_by_others_and_submitting_are_in_the_audit_trail(client, world):
    submission = world.submit()
    assert AuditEvent.objects.filter(action="submission_submit", record_id=str(submission.pk)).count() == 1
    client.force_login(world.tutor)
    client.get(submission.get_absolute_url())
    client.force_login(world.participant)
    client.get(submission.get_absolute_url())  # their own: not recorded
    reads = AuditEvent.objects.filter(action="read", record_kind="assessment.submission")
    assert list(reads.values_list("actor_id", flat=True)) == [world.tutor.pk]


# --- Submitted work, for tutors and coaches.


def test_tutor_and_coach_list_the_submitted_work_they_may_open(client, world):
    submission = world.submit()
    for who in ("tutor", "coach", "leader"):
        client.force_login(world.person(who))
        page = client.get(reverse("assessment:submitted_work")).content.decode()
        assert submission.get_absolute_url() in page
    for who in ("other_tutor", "stranger_coach"):
        client.force_login(world.person(who))
        assert submission.get_absolute_url() not in client.get(reverse("assessment:submitted_work")).content.decode()
    for who in ("participant", "head"):
        client.force_login(world.person(who))
        assert client.get(reverse("assessment:submitted_work")).status_code == 404


def test_the_tutor_home_links_to_submitted_work(client, world):
    client.force_login(world.tutor)
    assert reverse("assessment:submitted_work") in client.get(reverse("tracking:tutor_home")).content.decode()


def _more_submissions(world, count: int, start: int) -> None:
    """Other participants of the tutor, each with submitted work holding a few records."""
    for i in range(start, start + count):
        enrolment = enrol(world.school, cohort=world.enrolment.cohort)
        assign_tutor(enrolment, world.tutor)
        task = open_task(enrolment)
        log = agreed_log(enrolment=enrolment, coach=world.coach, session_on=DAY + datetime.timedelta(days=i))
        evidence = EvidenceFactory(enrolment=enrolment)
        Submission.objects.create(
            enrolment=enrolment,
            task=task,
            state=Submission.State.SUBMITTED,
            submitted_at=world.task.created_at,
            commentary="<p>Done.</p>",
        ).items.create(kind="evidence", evidence=evidence, title=evidence.title)
        assert log


def _count(client, person, url) -> int:
    client.force_login(person)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_submitted_work_list_asks_the_same_number_of_queries_for_2_and_12_submissions(client, world):
    url = reverse("assessment:submitted_work")
    _more_submissions(world, 2, 0)
    few = _count(client, world.tutor, url)
    _more_submissions(world, 10, 2)
    assert _count(client, world.tutor, url) == few


@pytest.mark.parametrize("who", ["participant", "tutor"])
def test_a_submission_page_asks_the_same_number_of_queries_however_many_records_it_holds(client, world, who):
    few_submission = world.submit(evidence_ids=(world.written.pk,), reflection_ids=(), section_keys=(), log_ids=())
    few = _count(client, world.person(who), few_submission.get_absolute_url())
    for i in range(8):
        portfolio.evidence_create(
            by=world.participant, enrolment=world.enrolment, content=evidence_content(title=f"Plan {i}")
        )
        agreed_log(enrolment=world.enrolment, coach=world.coach, session_on=DAY + datetime.timedelta(days=i + 1))
    submission = Submission.objects.get(pk=few_submission.pk)
    submission.state = Submission.State.WITHDRAWN
    submission.save()
    world.task = open_task(world.enrolment)
    many_submission = world.submit(
        evidence_ids=tuple(Evidence.objects.filter(enrolment=world.enrolment).values_list("pk", flat=True)),
        log_ids=tuple(world.enrolment.dialogue_logs.values_list("pk", flat=True)),
    )
    assert SubmissionItem.objects.filter(submission=many_submission).count() > 15
    assert _count(client, world.person(who), many_submission.get_absolute_url()) == few


@pytest.mark.parametrize("page", ["tasks", "build"])
def test_the_task_list_and_the_builder_ask_the_same_number_of_queries_for_few_and_many_records(client, world, page):
    url = reverse("assessment:tasks") if page == "tasks" else build_url(world)
    world.save()
    few = _count(client, world.participant, url)
    for i in range(6):
        open_task(world.enrolment, title=f"Task {i}")
        EvidenceFactory(enrolment=world.enrolment, title=f"More evidence {i}")
        agreed_log(enrolment=world.enrolment, coach=world.coach, session_on=DAY + datetime.timedelta(days=i + 1))
    assert _count(client, world.participant, url) == few
