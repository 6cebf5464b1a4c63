"""What an external examiner reads through a confirmed sample, asked of the access policy with real
records (the kinds' matrix is tests/programme/test_access_matrix.py): the sampled submission, its
items and files, its marks and citations, the logs and action steps cited, its evidence, the
participant's credit ledger; never unsampled work, an uncited log, a draft, a private note, or
anything of another task, another examiner's sample or a sample not yet confirmed."""

from assessment.models import Citation, CriterionMark, Marking, SubmissionItem, SubmittedFile
from assessment.models.credits import LedgerRecord
from coaching.models import DialogueLogVersion
from portfolio.models import EvidenceFile
from programme import access
from programme.access import Action
from tests.assessment.marking.helpers import marking_world
from tests.coaching.factories import DialogueLogFactory, action_step, agreed_log, private_note

A = Action


def reads(user, record) -> bool:
    user.__dict__.pop("_access_relations", None)
    return access.can(user, A.VIEW, record)


def cited_version(world) -> DialogueLogVersion:
    return world.log.versions.get(number=world.log.agreed_version)


def test_examiner_reads_the_sampled_submission_its_parts_and_its_marks(world):
    world.sample_of(world.submission)
    ex = world.examiner
    assert reads(ex, world.submission)
    assert all(reads(ex, item) for item in world.submission.items.all())
    files = list(SubmittedFile.objects.filter(item__submission=world.submission))
    assert files
    assert all(reads(ex, f) for f in files)
    assert reads(ex, world.marking)
    assert all(reads(ex, m) for m in CriterionMark.objects.filter(marking=world.marking))
    assert all(reads(ex, c) for c in Citation.objects.filter(criterion_mark__marking=world.marking))
    # Read, and comment on the marks; never change them.
    ex.__dict__.pop("_access_relations", None)
    assert access.allowed_actions(ex, world.marking) == {A.VIEW, A.COMMENT}


def test_examiner_reads_the_cited_log_version_and_the_evidence_in_the_work(world):
    world.sample_of(world.submission)
    ex = world.examiner
    assert reads(ex, cited_version(world))
    assert reads(ex, world.evidence)
    assert reads(ex, world.reflection)
    assert reads(ex, world.enquiry)
    assert all(reads(ex, f) for f in EvidenceFile.objects.filter(evidence=world.evidence))
    assert reads(ex, access.EnrolmentRecord(world.enrolment))
    assert reads(ex, LedgerRecord(world.enrolment))


def test_examiner_is_refused_an_uncited_log_a_draft_a_private_note_and_evidence_not_submitted(world):
    world.sample_of(world.submission)
    ex = world.examiner
    uncited = agreed_log(enrolment=world.enrolment, coach=world.coach)
    assert not reads(ex, uncited.versions.get())
    draft = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach)
    assert not reads(ex, draft)
    assert not reads(ex, private_note(world.log))
    # The cited log itself (its current state) and an action step not cited stay closed.
    assert not reads(ex, world.log)
    assert not reads(ex, action_step(world.log))
    from portfolio import services as portfolio
    from tests.assessment.submissions.helpers import evidence_content

    kept_back = portfolio.evidence_create(
        by=world.participant,
        enrolment=world.enrolment,
        content=evidence_content(title="Not submitted", upload=None, kind="written", body="x"),
    )
    assert not reads(ex, kept_back)


def test_examiner_is_refused_unsampled_work_of_the_same_task(world):
    unsampled = world.others[0]
    world.sample_of(world.submission)
    ex = world.examiner
    assert not reads(ex, unsampled)
    assert not reads(ex, Marking.objects.get(submission=unsampled))
    assert not any(reads(ex, i) for i in SubmissionItem.objects.filter(submission=unsampled))
    assert not reads(ex, access.EnrolmentRecord(unsampled.enrolment))


def test_examiner_is_refused_work_of_another_task(world):
    world.sample_of(world.submission)
    elsewhere = marking_world()  # another participant, another task, marked citing their log
    elsewhere.ready()
    ex = world.examiner
    assert not reads(ex, elsewhere.submission)
    assert not reads(ex, elsewhere.log.versions.get(number=elsewhere.log.agreed_version))
    assert not reads(ex, elsewhere.evidence)


def test_a_draft_sample_opens_nothing(world):
    world.sample_of(world.submission, confirm=False)
    assert not reads(world.examiner, world.submission)
    assert not reads(world.examiner, cited_version(world))


def test_another_examiner_reads_nothing_of_this_sample(world):
    world.sample_of(world.submission)
    assert not reads(world.other_examiner, world.submission)
    assert not reads(world.other_examiner, world.marking)


def test_work_taken_out_before_confirming_is_not_read(world):
    from assessment.services import examiner as services

    sample = world.sample_of(world.submission, world.others[0], confirm=False)
    entry = sample.entries.get(submission=world.others[0])
    services.sample_remove(
        by=world.leader, sample=sample, entry_id=entry.pk, reason="Too alike.", version=sample.version
    )
    sample.refresh_from_db()
    services.sample_confirm(by=world.leader, sample=sample, version=sample.version)
    assert reads(world.examiner, world.submission)
    assert not reads(world.examiner, world.others[0])


def test_being_sampled_opens_nothing_to_anyone_else(world):
    world.sample_of(world.submission)
    assert not reads(world.head, world.marking)  # unreleased marks: the head sees nothing
    assert not reads(world.participant, world.marking)
    assert not reads(world.leader, cited_version(world))  # the leader reads a log's summary only
    world.leader.__dict__.pop("_access_relations", None)
    assert access.allowed_actions(world.leader, cited_version(world)) == {A.VIEW_SUMMARY}


def test_the_judgement_takes_the_same_queries_however_many_records(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    world.another()
    world.sample_of(world.submission, *world.others)
    ex = world.examiner

    def judged(submissions):
        records = [cited_version(world)]
        for submission in submissions:
            records += [
                submission,
                *submission.items.all(),
                Marking.objects.select_related("submission").get(submission=submission),
            ]
        ex.__dict__.pop("_access_relations", None)
        with CaptureQueriesContext(connection) as queries:
            found = access.judge(ex, records)
        assert all(A.VIEW in actions for _, actions in found)
        return len(queries)

    judged([world.submission])  # the examiner's roles, read once per request
    assert judged([world.submission]) == judged([world.submission, *world.others])
