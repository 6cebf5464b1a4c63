"""The examiner's pages: their samples, a sample's work, one submission's pack and a cited
session, read-only (every write refused), their comment and report (a stale save refused with what
was typed kept); the leader's drawing, adjusting and confirming; the markers and the leader reading
the comments; every read by the examiner audited; query counts flat as samples and work grow."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment.models import ExaminerComment, ExaminerSample, Marking, SampledSubmission
from audit.models import AuditEvent
from tests.assessment.factories import AssessmentTaskFactory
from tests.coaching.factories import agreed_log


def pack_url(sample, submission) -> str:
    return reverse("examiner:submission", kwargs={"pk": sample.pk, "submission_pk": submission.pk})


def cited_url(world, sample) -> str:
    version = world.log.versions.get(number=world.log.agreed_version)
    return reverse("examiner:cited_log", kwargs={"pk": sample.pk, "version_pk": version.pk})


def test_the_examiners_home_lists_their_confirmed_samples_only(client, world):
    sample = world.sample_of(world.submission)
    client.force_login(world.examiner)
    body = client.get(reverse("tracking:examiner_home")).content.decode()
    assert reverse("examiner:sample", kwargs={"pk": sample.pk}) in body
    client.force_login(world.other_examiner)
    body = client.get(reverse("tracking:examiner_home")).content.decode()
    assert "Nothing has been sampled for you yet." in body


def test_the_examiners_home_says_what_needs_them_until_each_comment_and_the_report_are_written(client, world):
    from assessment.services import examiner as services

    sample = world.sample_of(world.submission, *world.others)
    client.force_login(world.examiner)
    url = reverse("tracking:examiner_home")
    body = client.get(url).content.decode()
    assert "What needs you" in body
    assert f"Comment on 2 pieces of work in the sample of {world.task.title}" in body
    assert f"Write your overall report on {world.task.title}" in body
    services.examiner_comment_save(
        by=world.examiner, sample=sample, submission=world.submission, text="Specific.", version=None
    )
    body = client.get(url).content.decode()
    assert f"Comment on 1 piece of work in the sample of {world.task.title}" in body
    services.examiner_comment_save(
        by=world.examiner, sample=sample, submission=world.others[0], text="Fair.", version=None
    )
    services.examiner_comment_save(by=world.examiner, sample=sample, submission=None, text="Sound.", version=None)
    body = client.get(url).content.decode()
    assert "Comment on" not in body
    assert "Write your overall report" not in body
    assert "Nothing needs you right now." in body
    # Another examiner's words are theirs: this examiner's own comments are still to write.
    sample.examiners.add(world.other_examiner)
    client.force_login(world.other_examiner)
    body = client.get(url).content.decode()
    assert f"Comment on 2 pieces of work in the sample of {world.task.title}" in body


def test_a_draft_sample_is_not_the_examiners_yet(client, world):
    sample = world.sample_of(world.submission, confirm=False)
    client.force_login(world.examiner)
    assert world.task.title not in client.get(reverse("tracking:examiner_home")).content.decode()
    assert client.get(reverse("examiner:sample", kwargs={"pk": sample.pk})).status_code == 404
    assert client.get(pack_url(sample, world.submission)).status_code == 404


def test_the_sample_page_lists_the_work_with_marks_and_why_it_was_chosen(client, world):
    sample = world.sample_of(world.submission)
    client.force_login(world.examiner)
    body = client.get(reverse("examiner:sample", kwargs={"pk": sample.pk})).content.decode()
    assert str(world.participant) in body
    assert "Added by hand: Chosen for the test." in body
    assert pack_url(sample, world.submission) in body
    assert str(world.others[0].enrolment.participant) not in body


def test_the_pack_shows_the_frozen_work_marks_citations_and_changes(client, world):
    sample = world.sample_of(world.submission)
    client.force_login(world.examiner)
    response = client.get(pack_url(sample, world.submission))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Waiting longer after questions changed who answered." in body  # the commentary as submitted
    assert "Clear account of how questioning changed." in body  # strengths
    assert "Weigh the evidence against other explanations." in body  # areas for development
    assert "What it said when cited" in body
    assert cited_url(world, sample) in body
    assert "Changes to the marks" in body  # the marks' recorded history
    assert "Exit tickets" in body  # a submitted record


def test_the_cited_session_opens_at_the_version_cited(client, world):
    sample = world.sample_of(world.submission)
    client.force_login(world.examiner)
    response = client.get(cited_url(world, sample))
    assert response.status_code == 200
    assert "Agreed version 1" in response.content.decode()


def test_an_uncited_session_and_unsampled_work_are_not_found(client, world):
    sample = world.sample_of(world.submission)
    uncited = agreed_log(enrolment=world.enrolment, coach=world.coach).versions.get()
    client.force_login(world.examiner)
    url = reverse("examiner:cited_log", kwargs={"pk": sample.pk, "version_pk": uncited.pk})
    assert client.get(url).status_code == 404
    assert client.get(pack_url(sample, world.others[0])).status_code == 404
    # Nor through the ordinary pages: the submission's page and its result.
    assert client.get(world.others[0].get_absolute_url()).status_code == 404
    assert client.get(reverse("marking:result", args=[world.others[0].pk])).status_code == 404


def test_another_examiner_and_other_roles_cannot_open_the_pack(client, world):
    sample = world.sample_of(world.submission)
    for person in (world.other_examiner, world.tutor, world.participant, world.head):
        client.force_login(person)
        assert client.get(pack_url(sample, world.submission)).status_code == 404, person
        assert client.get(reverse("examiner:sample", kwargs={"pk": sample.pk})).status_code == 404, person


def test_the_examiner_changes_nothing_but_their_comment(client, world):
    sample = world.sample_of(world.submission)
    client.force_login(world.examiner)
    before = Marking.objects.get(pk=world.marking.pk)
    workspace = reverse("marking:workspace", args=[world.submission.pk])
    criterion = world.marking.rubric.criteria.first()
    posts = [
        (
            workspace,
            {
                "form": f"criterion-{criterion.pk}",
                f"c{criterion.pk}-mark": "20",
                f"c{criterion.pk}-version": before.version,
            },
        ),
        (workspace, {"form": "overall", "overall-outcome": "fail", "overall-version": before.version}),
        (workspace, {"form": "move", "move": "reopen", "version": before.version}),
        (reverse("marking:task_release", args=[world.task.pk]), {}),
        (reverse("examiner:task_sample", args=[world.task.pk]), {"form": "confirm", "version": sample.version}),
        (reverse("assessment:withdraw", args=[world.submission.pk]), {"version": world.submission.version}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code in (403, 404), url
    after = Marking.objects.get(pk=world.marking.pk)
    assert (after.version, after.state, after.mark) == (before.version, before.state, before.mark)
    assert SampledSubmission.objects.filter(sample=sample).count() == 1


def test_the_examiner_comments_and_a_stale_save_keeps_what_they_typed(client, world):
    sample = world.sample_of(world.submission)
    client.force_login(world.examiner)
    url = pack_url(sample, world.submission)
    response = client.post(url, {"version": "", "text": "The marks fit the rubric's merit descriptors."})
    assert response.status_code == 302
    comment = ExaminerComment.objects.get(submission=world.submission)
    assert comment.version == 1
    client.post(url, {"version": "1", "text": "Second thoughts: generous on reflection."})
    response = client.post(url, {"version": "1", "text": "Typed in an old tab."})
    body = response.content.decode()
    assert response.status_code == 200
    assert "saved this since you opened the page" in body
    assert "Typed in an old tab." in body
    comment.refresh_from_db()
    assert comment.text == "Second thoughts: generous on reflection."
    response = client.post(url, {"version": "2", "text": ""})
    assert "Enter your comment." in response.content.decode()


def test_the_examiner_writes_an_overall_report(client, world):
    sample = world.sample_of(world.submission)
    client.force_login(world.examiner)
    url = reverse("examiner:sample", kwargs={"pk": sample.pk})
    assert client.post(url, {"version": "", "text": "Marking is consistent across markers."}).status_code == 302
    report = ExaminerComment.objects.get(sample=sample, submission__isnull=True)
    assert report.author == world.examiner
    assert "Marking is consistent across markers." in client.get(url).content.decode()


def test_every_read_by_the_examiner_is_audited(client, world):
    sample = world.sample_of(world.submission)
    client.force_login(world.examiner)
    client.get(reverse("examiner:sample", kwargs={"pk": sample.pk}))
    client.get(pack_url(sample, world.submission))
    client.get(cited_url(world, sample))
    events = AuditEvent.objects.filter(actor_id=world.examiner.pk)
    kinds = set(events.filter(action="read").values_list("record_kind", flat=True))
    assert {"assessment.submission", "assessment.marking", "coaching.dialoguelogversion"} <= kinds
    assert events.filter(action="read_summary", record_kind="assessment.submission").exists()


def test_the_markers_and_the_leader_read_the_comments_and_nobody_else(client, world):
    sample = world.sample_of(world.submission)
    from assessment.services import examiner as services

    services.examiner_comment_save(
        by=world.examiner, sample=sample, submission=world.submission, text="Feedback is specific.", version=None
    )
    services.examiner_comment_save(
        by=world.examiner, sample=sample, submission=None, text="Sound overall.", version=None
    )
    url = reverse("examiner:comments", kwargs={"pk": sample.pk})
    for person in (world.leader, world.tutor):
        client.force_login(person)
        body = client.get(url).content.decode()
        assert "Feedback is specific." in body
        assert "Sound overall." in body
    for person in (world.participant, world.coach, world.head, world.other_tutor):
        client.force_login(person)
        assert client.get(url).status_code == 404, person
    client.force_login(world.tutor)
    assert url in client.get(reverse("examiner:commented")).content.decode()


def test_the_second_marker_reads_the_examiners_comment_on_the_work_they_second_marked(client, world):
    from assessment.services import examiner as services
    from assessment.services import moderation
    from tests.assessment.moderation_helpers import second_marked

    seen = [world.submission.pk, *(s.pk for s in world.others)]
    moderation.moderation_confirm(
        by=world.leader, task=world.task, chosen={world.submission.pk: world.other_tutor}, seen=seen
    )
    second_marked(world, 62)  # close to the first mark and in its band: the first mark stands
    sample = world.sample_of(world.submission, *world.others)
    services.examiner_comment_save(
        by=world.examiner, sample=sample, submission=world.submission, text="SECOND-MARKED-WORK-COMMENT", version=None
    )
    services.examiner_comment_save(
        by=world.examiner, sample=sample, submission=world.others[0], text="UNMODERATED-WORK-COMMENT", version=None
    )
    url = reverse("examiner:comments", kwargs={"pk": sample.pk})
    client.force_login(world.other_tutor)
    assert url in client.get(reverse("examiner:commented")).content.decode()
    body = client.get(url).content.decode()
    assert "SECOND-MARKED-WORK-COMMENT" in body
    # Only the comment on the work they second-marked: the rest of the sample is not theirs.
    assert "UNMODERATED-WORK-COMMENT" not in body
    assert AuditEvent.objects.filter(
        actor_id=world.other_tutor.pk, action="read", record_kind="assessment.examinercomment"
    ).exists()


def test_the_leader_draws_adjusts_and_confirms_from_the_tasks_page(client, world):
    world.task.second_marking = "all"
    world.task.save()
    client.force_login(world.leader)
    url = reverse("examiner:task_sample", args=[world.task.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"form": "draw", "examiners": [world.examiner.pk]})
    sample = ExaminerSample.objects.get(task=world.task)
    assert sample.entries.count() == 2
    entry = sample.entries.get(submission=world.others[0])
    response = client.post(url, {"form": "remove", "version": sample.version, "entry": entry.pk, "reason": ""})
    assert "Say why you are taking it out." in response.content.decode()
    client.post(url, {"form": "remove", "version": sample.version, "entry": entry.pk, "reason": "Same marker twice."})
    sample.refresh_from_db()
    response = client.post(url, {"form": "confirm", "version": sample.version - 1})
    assert "Someone else changed this sample" in response.content.decode()
    client.post(url, {"form": "confirm", "version": sample.version})
    sample.refresh_from_db()
    assert sample.is_confirmed
    assert set(sample.entries.filter(removed_at__isnull=True).values_list("submission_id", flat=True)) == {
        world.submission.pk
    }
    for person in (world.tutor, world.examiner):
        client.force_login(person)
        assert client.get(url).status_code == 404


# --- Query counts.


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_examiners_home_costs_the_same_with_few_and_many_samples(client, world):
    world.sample_of(world.submission)
    client.force_login(world.examiner)
    url = reverse("tracking:examiner_home")
    few = _count(client, url)
    for _ in range(5):
        sample = ExaminerSample.objects.create(
            task=AssessmentTaskFactory(),
            drawn_by=world.leader,
            state=ExaminerSample.State.CONFIRMED,
            confirmed_at=timezone.now(),
        )
        sample.examiners.add(world.examiner)
    body = client.get(url).content.decode()
    assert len(set(re.findall(r'href="/examiner/samples/\d+/"', body))) == 6
    assert _count(client, url) == few


def test_the_sample_and_pack_cost_the_same_with_few_and_much_work(client, world):
    sample = world.sample_of(world.submission, *world.others)
    client.force_login(world.examiner)
    sample_url = reverse("examiner:sample", kwargs={"pk": sample.pk})
    few = (_count(client, sample_url), _count(client, pack_url(sample, world.submission)))
    sample.state = ExaminerSample.State.DRAFT
    sample.save()
    for _ in range(3):
        extra = world.another()
        SampledSubmission.objects.create(sample=sample, submission=extra, added_by=world.leader, by_hand=True)
    for _ in range(3):
        agreed_log(enrolment=world.enrolment, coach=world.coach)
    sample.state = ExaminerSample.State.CONFIRMED
    sample.save()
    assert (_count(client, sample_url), _count(client, pack_url(sample, world.submission))) == few


def test_the_leaders_sample_page_costs_the_same_with_few_and_much_marked_work(client, world):
    world.task.second_marking = "all"
    world.task.save()
    from assessment.services import examiner as services

    services.sample_draw(by=world.leader, task=world.task, examiner_ids=[world.examiner.pk])
    client.force_login(world.leader)
    url = reverse("examiner:task_sample", args=[world.task.pk])
    few = _count(client, url)
    for _ in range(3):
        world.another()
    services.sample_draw(by=world.leader, task=world.task, examiner_ids=[world.examiner.pk])  # drawn again
    assert _count(client, url) == few


def test_the_examiner_reads_a_sampled_participants_credits_and_no_one_elses(client, world):
    sample = world.sample_of(world.submission)
    client.force_login(world.examiner)
    ledger = reverse("credits:ledger", args=[world.enrolment.pk])
    assert ledger in client.get(pack_url(sample, world.submission)).content.decode()
    assert client.get(ledger).status_code == 200
    assert AuditEvent.objects.filter(
        actor_id=world.examiner.pk, action="read", record_kind="programme.enrolment", enrolment=world.enrolment
    ).exists()
    assert client.get(reverse("credits:ledger", args=[world.others[0].enrolment.pk])).status_code == 404


def test_the_pack_shows_the_second_marking_and_the_moderation_record(client, db):
    from tests.assessment.examiner.helpers import ExaminerWorld
    from tests.assessment.moderation_helpers import moderated_world, second_marked

    world = ExaminerWorld(**vars(moderated_world(64)))
    second_marked(world, 60)
    sample = world.sample_of(world.submission)
    client.force_login(world.examiner)
    body = client.get(pack_url(sample, world.submission)).content.decode()
    assert "SECOND-MARKER-STRENGTHS" in body  # the second marker's feedback
    assert "Chosen for second marking" in body  # the moderation record's first note
