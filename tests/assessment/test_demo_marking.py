"""The demo's marking: the demo participant's work marked by their tutor, citing their agreed
sessions and evidence, and released; another submission waiting in the demo tutor's queue."""

import io

import pytest
from django.core.management import call_command

from accounts.models import User
from assessment import demo_marking
from assessment.models import Citation, Marking
from assessment.selectors.marking import queue
from assessment.workflow import State
from programme import access, demo
from programme.access import Action

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True  # the demo command refuses to run otherwise
    call_command("seed_demo", participants=demo.DEFAULT_PARTICIPANTS, stdout=io.StringIO())


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
    import datetime

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
