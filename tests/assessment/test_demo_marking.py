"""The demo's assessment: the demo participant's submitted work, frozen with records of each kind
they have, marked by their tutor citing their agreed sessions and evidence, and released; another
submission waiting in the demo tutor's queue; the demo coach's supporting statement, written before
marking began; the demo external examiner's confirmed sample; referred work resubmitted. Seeding
again adds nothing to any of them. The demo is seeded once for the module (it is the slow part)."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import User
from assessment import demo_examiner, demo_marking, demo_statements
from assessment.models import Citation, ExaminerSample, Marking, SampledSubmission, Submission, SupportingStatement
from assessment.selectors.marking import queue
from assessment.workflow import State
from audit.models import AuditAction, AuditEvent
from programme import access, demo
from programme.access import Action
from tests.seeded_once import seed_demo, shared_by_the_module

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    # Seeded once for the module's tests, each of which runs in a savepoint rolled back after it.
    with shared_by_the_module(django_db_blocker):
        seed_demo()
        yield


def test_the_demo_participant_reads_a_released_result_with_citations(seeded):
    participant = User.objects.get(email=demo.participant_email(1))
    marking = Marking.objects.get(submission__enrolment__participant=participant, role="first")
    assert marking.state == State.RELEASED
    assert marking.marker.email == demo.demo_email("tutor")
    assert access.can(participant, Action.VIEW, marking)
    assert marking.criterion_marks.filter(mark__isnull=True).count() == 0
    assert Citation.objects.filter(criterion_mark__marking=marking, kind="log").exists()


def test_the_demo_work_is_second_marked_and_reconciled_and_the_agreed_mark_released(seeded):
    from assessment.models import Moderation
    from assessment.selectors.marking import result_of
    from assessment.selectors.moderation import moderation_record

    participant = User.objects.get(email=demo.participant_email(1))
    moderation = Moderation.objects.get(submission__enrolment__participant=participant)
    assert moderation.second_marker.email == demo.demo_email("nadia.rahman")
    assert moderation.settled == Moderation.Settled.AGREED
    assert [note.kind for note in moderation_record(moderation.submission)] == [
        "chosen",
        "second_marked",
        "to_reconcile",
        "agreed",
    ]
    result = result_of(moderation.submission)
    assert result.role == "agreed"
    assert result.mark == 61
    assert result.state == State.RELEASED
    assert access.can(participant, Action.VIEW, result)


def test_the_demo_tutor_has_work_waiting_and_seeding_again_changes_nothing(seeded):
    tutor = User.objects.get(email=demo.demo_email("tutor"))
    waiting = [s for s in queue(tutor) if s.marking_state is None]
    assert waiting

    before = Marking.objects.count()
    demo_marking.seed_marking(today=datetime.date.today())
    assert Marking.objects.count() == before


def test_every_demo_submission_holds_agreed_sessions_the_tutor_can_cite(seeded):
    """Found on the demo: the waiting and the resubmitted work came from participants with no coaching
    record, so the tutor's first piece of marking had no agreed session to cite."""
    from assessment.models import Submission, SubmissionItem
    from assessment.selectors.marking import citable

    tutor = User.objects.get(email=demo.demo_email("tutor"))
    submissions = Submission.objects.filter(enrolment__tutor_assignments__tutor=tutor).distinct()
    assert submissions.count() >= 3  # the demo participant's, the waiting work, a first try and its resubmission
    for submission in submissions:
        assert submission.items.filter(kind=SubmissionItem.Kind.DIALOGUE_LOG).exists(), submission
        assert any(c.kind == Citation.Kind.LOG for c in citable(tutor, submission)), submission


def test_the_demo_coachs_statement_comes_before_marking_and_is_seeded_once(seeded):
    participant = User.objects.get(email=demo.participant_email(1))
    statement = SupportingStatement.objects.select_related("submission").get(
        submission__enrolment__participant=participant
    )
    assert statement.citations.count() == 2
    assert statement.written_by.roles >= {"coach"}
    marking = Marking.objects.get(submission=statement.submission, role="first")  # moderation adds others
    assert statement.created_at < marking.started_at
    assert access.can(participant, Action.VIEW, statement)
    assert AuditEvent.objects.filter(action=AuditAction.STATEMENT_SAVE, actor_id=statement.written_by_id).count() == 1
    assert demo_statements.seed_statement(today=datetime.date.today()) is None
    seed_demo()
    assert SupportingStatement.objects.count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.STATEMENT_SAVE).count() == 1


def test_the_demo_examiner_reads_a_confirmed_sample_and_seeding_again_adds_nothing(seeded):
    examiner = User.objects.get(email=demo.demo_email("examiner"))
    sample = ExaminerSample.objects.get(examiners=examiner)
    assert sample.is_confirmed
    entry = sample.entries.get(submission__enrolment__participant__email=demo.participant_email(1))
    assert access.can(examiner, Action.VIEW, entry.submission)
    cited = Citation.objects.filter(criterion_mark__marking__submission=entry.submission, kind="log").first()
    assert access.can(examiner, Action.VIEW, cited.log_version)
    before = (ExaminerSample.objects.count(), SampledSubmission.objects.count())
    demo_examiner.seed_examiner()
    assert (ExaminerSample.objects.count(), SampledSubmission.objects.count()) == before


def test_the_demo_has_referred_work_resubmitted_answering_its_feed_forward(seeded):
    resubmission = Submission.objects.get(resubmission_of__isnull=False)
    referral = resubmission.resubmission_of.markings.get()
    assert (referral.outcome, referral.is_released) == ("refer", True)
    assert resubmission.state == Submission.State.SUBMITTED
    assert [a.response != "" for a in resubmission.feed_forward_responses.all()] == [True, True]
    tutor = User.objects.get(email=demo.demo_email("tutor"))
    assert resubmission in list(queue(tutor))
    demo_marking.seed_marking(today=timezone.localdate())
    assert Submission.objects.filter(resubmission_of__isnull=False).count() == 1


def test_the_demo_participant_has_submitted_work(seeded):
    enrolment = User.objects.get(email=demo.participant_email(1)).enrolments.get()
    submission = Submission.objects.get(enrolment=enrolment)
    assert submission.state == Submission.State.SUBMITTED
    assert submission.task.phase_id == enrolment.current_phase_id
    assert submission.word_count <= submission.task.word_limit
    kinds = set(submission.items.values_list("kind", flat=True))
    assert kinds == {"evidence", "reflection", "enquiry_section", "dialogue_log"}
    assert all(item.title and (item.body or item.meta.get("url")) for item in submission.items.all())


def test_a_second_run_submits_nothing_more(seeded):
    enrolment = User.objects.get(email=demo.participant_email(1)).enrolments.get()
    seed_demo()
    assert Submission.objects.filter(enrolment=enrolment).count() == 1
