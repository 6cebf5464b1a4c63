"""When work can be submitted and what it may hold: the task's window (assessment.rules.deadlines)
decides open, late and closed; withdrawing and submitting again only up to the due date; only the
participant's own readable records and agreed logs; the commentary within the task's word limit;
two tabs cannot overwrite each other."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from assessment.models import Submission
from assessment.services.submissions import STALE, submission_withdraw
from coaching.models import AgreementStatus
from programme.models import Phase
from tests.assessment.factories import ExtensionFactory
from tests.assessment.submissions.helpers import days
from tests.coaching.factories import DialogueLogFactory
from tests.portfolio.factories import EvidenceFactory
from ui.errors import RuleError

pytestmark = pytest.mark.django_db


def move_dates(task, **dates):
    for name, day in dates.items():
        setattr(task, name, day)
    task.save()


# --- The window.


def test_work_submitted_by_the_due_date_is_on_time(world):
    move_dates(world.task, due_on=days(0))
    assert world.submit().is_late is False


def test_work_submitted_after_the_due_date_and_by_the_cut_off_is_marked_late(world):
    move_dates(world.task, due_on=days(-1), late_cutoff_on=days(0))
    submission = world.submit()
    assert submission.state == Submission.State.SUBMITTED
    assert submission.is_late is True


def test_an_extension_moves_the_due_date_so_the_work_is_on_time(world):
    move_dates(world.task, due_on=days(-3), late_cutoff_on=days(1))
    ExtensionFactory(task=world.task, enrolment=world.enrolment, due_on=days(2))
    assert world.submit().is_late is False


@pytest.mark.parametrize(
    ("dates", "rule"),
    [
        ({"opens_on": days(1)}, "not_open"),
        ({"due_on": days(-5), "late_cutoff_on": days(-1)}, "closed"),
    ],
)
def test_a_task_not_open_or_closed_takes_no_draft_and_no_submission(world, dates, rule):
    move_dates(world.task, **dates)
    for attempt in (world.save, world.submit):
        with pytest.raises(RuleError) as refused:
            attempt()
        assert refused.value.rule == rule
    assert not Submission.objects.exists()


def test_a_task_of_another_phase_is_refused(world):
    move_dates(world.task, phase=Phase.objects.get(number=2))
    with pytest.raises(RuleError) as refused:
        world.save()
    assert refused.value.rule == "not_your_task"


# --- Withdraw and submit again.


def test_withdrawn_before_the_due_date_the_work_is_submitted_again_as_the_next_attempt(world):
    first = world.submit()
    draft = submission_withdraw(by=world.participant, submission=first, version=first.version)
    first.refresh_from_db()
    assert first.state == Submission.State.WITHDRAWN
    assert first.items.count() == 6  # the withdrawn attempt keeps what it froze
    assert (draft.attempt, draft.previous, draft.state) == (2, first, Submission.State.DRAFT)
    assert draft.commentary == first.commentary
    assert draft.items.count() == 6
    saved = world.save(version=draft.version, commentary="A better commentary.")
    done = world.submit(version=saved.version, commentary="A better commentary.")
    assert (done.pk, done.attempt, done.state) == (draft.pk, 2, Submission.State.SUBMITTED)
    assert list(
        Submission.objects.filter(enrolment=world.enrolment, task=world.task)
        .order_by("attempt")
        .values_list("attempt", "state")
    ) == [(1, "withdrawn"), (2, "submitted")]


def test_work_cannot_be_withdrawn_after_the_due_date(world):
    move_dates(world.task, due_on=days(-1))
    submitted = world.submit()
    with pytest.raises(RuleError) as refused:
        submission_withdraw(by=world.participant, submission=submitted, version=submitted.version)
    assert refused.value.rule == "withdraw_after_due"
    submitted.refresh_from_db()
    assert submitted.state == Submission.State.SUBMITTED


def test_withdrawn_work_is_not_submitted_again_after_the_due_date(world):
    first = world.submit()
    draft = submission_withdraw(by=world.participant, submission=first, version=first.version)
    move_dates(world.task, due_on=days(-1))
    with pytest.raises(RuleError) as refused:
        world.submit(version=draft.version)
    assert refused.value.rule == "resubmit_after_due"
    draft.refresh_from_db()
    assert draft.state == Submission.State.DRAFT


@pytest.mark.parametrize(
    ("who", "refusal"), [("coach", PermissionDenied), ("tutor", PermissionDenied), ("other_participant", Http404)]
)
def test_nobody_but_the_participant_withdraws_their_work(world, who, refusal):
    submitted = world.submit()
    with pytest.raises(refusal):
        submission_withdraw(by=world.person(who), submission=submitted, version=submitted.version)
    submitted.refresh_from_db()
    assert submitted.state == Submission.State.SUBMITTED


def test_submitted_work_is_not_saved_over_until_it_is_withdrawn(world):
    world.submit()
    with pytest.raises(RuleError) as refused:
        world.save()
    assert refused.value.rule == "already_submitted"


# --- What it may hold.


def test_someone_elses_evidence_is_refused_beside_the_field(world):
    theirs = EvidenceFactory()
    with pytest.raises(RuleError) as refused:
        world.save(evidence_ids=(world.evidence.pk, theirs.pk))
    assert refused.value.errors == {"evidence": ["Choose evidence from the list; one you chose is not there."]}
    assert not Submission.objects.exists()


def test_a_log_not_yet_agreed_is_refused_beside_the_field(world):
    draft_log = DialogueLogFactory(enrolment=world.enrolment, coach=world.coach, status=AgreementStatus.DRAFT)
    with pytest.raises(RuleError) as refused:
        world.submit(log_ids=(draft_log.pk,))
    assert list(refused.value.errors) == ["logs"]


def test_an_empty_enquiry_section_or_a_made_up_one_is_refused(world):
    for key in (f"{world.enquiry.pk}:method", f"{world.enquiry.pk}:nonsense", "x"):
        with pytest.raises(RuleError) as refused:
            world.save(section_keys=(key,))
        assert list(refused.value.errors) == ["sections"]


def test_a_commentary_over_the_word_limit_is_refused_with_its_count(world):
    too_long = " ".join(["word"] * 53)
    with pytest.raises(RuleError) as refused:
        world.submit(commentary=too_long)
    assert refused.value.errors == {"commentary": ["Keep the commentary to 50 words or fewer; it has 53 (3 too many)."]}
    assert not Submission.objects.filter(state=Submission.State.SUBMITTED).exists()


def test_a_draft_may_run_over_the_word_limit_while_it_is_written(world):
    draft = world.save(commentary=" ".join(["word"] * 53))
    assert draft.word_count == 53


def test_submitting_needs_a_commentary_and_at_least_one_record(world):
    with pytest.raises(RuleError) as refused:
        world.submit(commentary="  ")
    assert list(refused.value.errors) == ["commentary"]
    with pytest.raises(RuleError) as refused:
        world.submit(evidence_ids=(), reflection_ids=(), section_keys=(), log_ids=())
    assert list(refused.value.errors) == ["evidence"]


# --- Two tabs.


def test_a_stale_save_is_refused_and_changes_nothing(world):
    draft = world.save()
    opened = draft.version
    world.save(version=opened, commentary="Saved in the first tab.")
    with pytest.raises(RuleError) as refused:
        world.save(version=opened, commentary="Typed in the second tab.")
    assert refused.value.message == STALE
    draft.refresh_from_db()
    assert draft.commentary == "<p>Saved in the first tab.</p>"


def test_a_second_tab_that_saw_no_draft_does_not_make_another(world):
    world.save()
    with pytest.raises(RuleError) as refused:
        world.save(version=None)
    assert refused.value.rule == "stale"
    assert Submission.objects.count() == 1
