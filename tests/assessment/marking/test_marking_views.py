"""The marking pages: the tutor's queue and workspace, the result as each role sees it, the
leader's release, the comment bank. Every page with an allowed and a refused person."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from assessment.models import CommentBankEntry, MarkChange
from audit.models import AuditAction, AuditEvent
from tests.coaching.factories import agreed_log
from tests.factories import UserFactory


def _workspace(world):
    return reverse("marking:workspace", kwargs={"pk": world.submission.pk})


def _result(world):
    return reverse("marking:result", kwargs={"pk": world.submission.pk})


def test_a_tutor_opening_work_of_a_participant_they_do_not_assess_gets_404(client, world):
    client.force_login(world.other_tutor)
    assert client.get(_workspace(world)).status_code == 404


def test_the_tutor_starts_marking_and_sees_the_submission_beside_the_records(client, world):
    client.force_login(world.tutor)
    response = client.post(_workspace(world), {"form": "start"})
    assert response.status_code == 302
    page = client.get(_workspace(world)).content.decode()
    assert "Records you may cite" in page
    assert world.log_key() in page
    assert "Knowledge and critical awareness" in page
    reads = AuditEvent.objects.filter(action=AuditAction.READ, actor_id=world.tutor.pk)
    assert reads.filter(record_kind="assessment.marking").exists()


def test_the_workspace_never_offers_a_log_the_tutor_may_not_read(client, world):
    from coaching.models import AgreementStatus
    from tests.coaching.factories import DialogueLogFactory

    draft = DialogueLogFactory(
        enrolment=world.enrolment,
        coach=world.coach,
        status=AgreementStatus.DRAFT,
        discussed="<p>Words only the draft has.</p>",
    )
    world.start()
    client.force_login(world.tutor)
    page = client.get(_workspace(world)).content.decode()
    assert world.log_key() in page
    assert "Words only the draft has." not in page
    assert not draft.versions.exists()  # nothing of it could be cited


def test_the_submission_page_links_the_tutor_to_marking_and_the_participant_to_a_released_result(client, world):
    detail = world.submission.get_absolute_url()
    client.force_login(world.tutor)
    assert _workspace(world) in client.get(detail).content.decode()
    client.force_login(world.participant)
    assert _result(world) not in client.get(detail).content.decode()
    world.released()
    assert _result(world) in client.get(detail).content.decode()


def test_a_posted_citation_of_a_log_the_tutor_may_not_read_is_refused_beside_the_field(client, world):
    marking = world.start()
    criterion = marking.rubric.criteria.order_by("sort_order").first()
    stranger = agreed_log(enrolment=world.other_participant.enrolments.get(), coach=world.stranger_coach)
    client.force_login(world.tutor)
    p = f"c{criterion.pk}"
    response = client.post(
        _workspace(world),
        {
            "form": f"criterion-{criterion.pk}",
            f"{p}-version": marking.version,
            f"{p}-mark": "61",
            f"{p}-strengths": "Typed strengths.",
            f"{p}-citations": [f"log:{stranger.versions.get().pk}"],
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-message" in page
    assert "Typed strengths." in page
    assert not MarkChange.objects.exists()


def test_a_stale_save_is_refused_with_a_message_and_the_typed_marks_kept(client, world):
    marking = world.start()
    criterion = marking.rubric.criteria.order_by("sort_order").first()
    client.force_login(world.tutor)
    p = f"c{criterion.pk}"
    data = {"form": f"criterion-{criterion.pk}", f"{p}-version": marking.version, f"{p}-mark": "58"}
    assert client.post(_workspace(world), data).status_code == 302
    data[f"{p}-mark"] = "71"
    data[f"{p}-strengths"] = "Written in a second tab."
    response = client.post(_workspace(world), data)
    page = response.content.decode()
    assert "Someone else saved this marking" in page
    assert 'value="71"' in page
    assert "Written in a second tab." in page
    assert marking.criterion_marks.get(criterion=criterion).mark == 58


def test_a_saved_comment_is_added_to_the_feedback_on_save(client, world):
    marking = world.start()
    entry = CommentBankEntry.objects.create(tutor=world.tutor, title="Evidence", text="Say how you know.")
    criterion = marking.rubric.criteria.order_by("sort_order").first()
    client.force_login(world.tutor)
    p = f"c{criterion.pk}"
    client.post(
        _workspace(world),
        {
            "form": f"criterion-{criterion.pk}",
            f"{p}-version": marking.version,
            f"{p}-mark": "62",
            f"{p}-development": "Compare groups.",
            f"{p}-comment_development": str(entry.pk),
        },
    )
    assert marking.criterion_marks.get(criterion=criterion).development == "Compare groups.\n\nSay how you know."


@pytest.mark.parametrize("role", ["participant", "coach", "head"])
def test_an_unreleased_result_is_a_404_for_participant_coach_and_head(client, world, role):
    world.ready()
    client.force_login(world.person(role))
    assert client.get(_result(world)).status_code == 404


def test_after_release_the_participant_sees_band_feedback_and_exactly_what_was_cited(client, world):
    world.released()
    client.force_login(world.participant)
    page = client.get(_result(world)).content.decode()
    assert "Merit" in page
    assert "Clear account of how questioning changed." in page
    assert "What your tutor drew on" in page
    assert "(version 1)" in page


def test_the_coach_reads_the_result_as_the_participant_s_not_their_own(client, world):
    world.released()
    client.force_login(world.coach)
    page = client.get(_result(world)).content.decode()
    assert "What the marker drew on" in page
    assert "your tutor" not in page
    assert "Your credits" not in page


def test_after_release_the_head_sees_outcome_and_credits_only_and_the_read_is_audited(client, world):
    world.released()
    client.force_login(world.head)
    page = client.get(_result(world)).content.decode()
    assert "Pass" in page
    assert str(world.task.credits) in page
    assert "Clear account" not in page
    assert "Merit" not in page
    assert AuditEvent.objects.filter(action=AuditAction.READ_SUMMARY, actor_id=world.head.pk).exists()


def test_the_participant_reading_their_own_result_is_not_audited_but_the_coach_is(client, world):
    world.released()
    client.force_login(world.participant)
    client.get(_result(world))
    assert not AuditEvent.objects.filter(action=AuditAction.READ, actor_id=world.participant.pk).exists()
    client.force_login(world.coach)
    assert client.get(_result(world)).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.READ, actor_id=world.coach.pk).exists()


def test_only_the_leader_releases_by_hand(client, world):
    world.ready()
    url = reverse("marking:task_release", kwargs={"pk": world.task.pk})
    client.force_login(world.tutor)
    assert client.post(url).status_code == 404
    client.force_login(world.leader)
    assert client.post(url).status_code == 302
    client.force_login(world.participant)
    assert client.get(_result(world)).status_code == 200


def test_the_queue_lists_the_tutors_submitted_work_only(client, world):
    client.force_login(world.tutor)
    page = client.get(reverse("marking:queue")).content.decode()
    assert world.task.title in page
    client.force_login(world.other_tutor)
    assert world.task.title not in client.get(reverse("marking:queue")).content.decode()


def test_the_comment_bank_keeps_a_tutors_comments_and_refuses_an_empty_one(client, world):
    client.force_login(world.tutor)
    url = reverse("marking:comment_bank")
    response = client.post(url, {"title": "", "text": ""})
    assert "Give the comment a short title." in response.content.decode()
    client.post(url, {"title": "Sources", "text": "Cite your reading."})
    assert CommentBankEntry.objects.get(tutor=world.tutor).text == "Cite your reading."
    client.force_login(world.participant)
    assert client.get(url).status_code == 404


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_workspace_costs_the_same_with_few_and_many_logs(client, world):
    from tests.coaching.factories import action_step

    marking = world.mark_all(world.start())
    client.force_login(world.tutor)
    few = _count(client, _workspace(world))
    for _ in range(4):
        action_step(agreed_log(enrolment=world.enrolment, coach=world.coach))
    marking.refresh_from_db()
    assert _count(client, _workspace(world)) == few


def test_the_queue_costs_the_same_with_few_and_many_submissions(client, world):
    from tests.assessment.submissions.helpers import open_task

    client.force_login(world.tutor)
    url = reverse("marking:queue")
    few = _count(client, url)
    for _ in range(3):
        world.task = open_task(world.enrolment)
        world.submit()
    assert _count(client, url) == few


def test_the_workspace_costs_the_same_with_few_and_many_evidence_items_logs_and_citations(client, world):
    """Two pieces of work by one participant, marked alike: the second holds six times the evidence,
    rests on many more agreed sessions and action steps, and cites every one of them."""
    from assessment.selectors.marking import citable
    from assessment.services.marking import CriterionContent
    from assessment.services.marking import criterion_mark_save as save
    from assessment.services.submissions import SubmissionContent, submission_submit
    from portfolio import services as portfolio
    from portfolio.models import Evidence
    from tests.assessment.submissions.helpers import evidence_content, open_task
    from tests.coaching.factories import action_step

    world.mark_all(world.start())
    client.force_login(world.tutor)
    few = _count(client, _workspace(world))
    written = [
        portfolio.evidence_create(
            by=world.participant,
            enrolment=world.enrolment,
            content=evidence_content(kind=Evidence.Kind.WRITTEN, title=f"Exit tickets {n}", body="Noted.", upload=None),
        ).pk
        for n in range(10)
    ]
    logs = [agreed_log(enrolment=world.enrolment, coach=world.coach) for _ in range(5)]
    for log in logs:
        action_step(log)
    world.task = open_task(world.enrolment)
    world.submission = submission_submit(
        by=world.participant,
        enrolment=world.enrolment,
        task=world.task,
        version=None,
        content=SubmissionContent(
            commentary="Waiting longer after questions changed who answered.",
            evidence_ids=(world.evidence.pk, world.written.pk, *written),
            reflection_ids=(world.reflection.pk,),
            log_ids=(world.log.pk, *(log.pk for log in logs)),
        ),
    )
    marking = world.mark_all(world.start())
    keys = [c.key for c in citable(world.tutor, world.submission)]
    assert len(keys) > 20
    for criterion in marking.rubric.criteria.all():
        marking.refresh_from_db()
        save(
            by=world.tutor,
            marking=marking,
            criterion_id=criterion.pk,
            version=marking.version,
            content=CriterionContent(mark=64, strengths="Clear.", development="Go further.", citations=tuple(keys)),
        )
    assert _count(client, _workspace(world)) == few


def test_the_queue_costs_the_same_with_work_from_few_and_many_participants(client, world):
    from assessment.services.submissions import SubmissionContent, submission_submit
    from portfolio import services as portfolio
    from portfolio.models import Evidence
    from tests.assessment.submissions.helpers import evidence_content
    from tests.factories import assign_tutor, enrol

    client.force_login(world.tutor)
    url = reverse("marking:queue")
    world.start()
    few = _count(client, url)
    for _ in range(4):
        enrolment = enrol(world.school, cohort=world.enrolment.cohort)
        assign_tutor(enrolment, world.tutor)
        written = portfolio.evidence_create(
            by=enrolment.participant,
            enrolment=enrolment,
            content=evidence_content(kind=Evidence.Kind.WRITTEN, title="Question plans", body="Noted.", upload=None),
        )
        submission_submit(
            by=enrolment.participant,
            enrolment=enrolment,
            task=world.task,
            version=None,
            content=SubmissionContent(commentary="What changed.", evidence_ids=(written.pk,)),
        )
    body = client.get(url).content.decode()
    assert body.count(f"> {world.task.title} by ") == 5  # each participant's work, with its link to mark it
    assert _count(client, url) == few


def test_after_release_the_workspace_amends_only_with_a_reason_and_the_participant_sees_why(client, world):
    marking = world.released()
    criterion = marking.rubric.criteria.order_by("sort_order").first()
    client.force_login(world.tutor)
    p = f"c{criterion.pk}"
    data = {
        "form": f"criterion-{criterion.pk}",
        f"{p}-version": marking.version,
        f"{p}-mark": "70",
        f"{p}-citations": [world.log_key()],
    }
    response = client.post(_workspace(world), data)
    assert "say why it is being made" in response.content.decode()
    assert not MarkChange.objects.filter(is_amendment=True).exists()
    data[f"{p}-reason"] = "The mark of the first criterion was added up wrongly."
    assert client.post(_workspace(world), data).status_code == 302
    assert MarkChange.objects.get(field="mark", is_amendment=True).new == "70"
    client.force_login(world.participant)
    assert "The mark of the first criterion was added up wrongly." in client.get(_result(world)).content.decode()


def test_a_tutor_cannot_remove_another_tutors_saved_comment_and_is_told_there_is_none(client, world):
    # Found by tests/test_url_access.py: the removal was a silent no-op that still said "Comment removed."
    entry = CommentBankEntry.objects.create(tutor=world.tutor, title="Sources", text="Cite your reading.")
    other = UserFactory(roles=[Role.TUTOR])
    client.force_login(other)
    assert client.post(reverse("marking:comment_delete", args=[entry.pk])).status_code == 404
    assert CommentBankEntry.objects.filter(pk=entry.pk).exists()
    client.force_login(world.tutor)
    assert client.post(reverse("marking:comment_delete", args=[entry.pk])).status_code == 302
    assert not CommentBankEntry.objects.filter(pk=entry.pk).exists()
