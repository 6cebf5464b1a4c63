"""Resubmission after a referral: the rules (its own due date, the cap, no second referral), the
service that starts it and each refusal, and what changed between the two snapshots."""

import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from assessment.models import Marking, Submission
from assessment.rules.deadlines import DEFAULT_RESUBMISSION_WEEKS, Window, resubmission_due_on, resubmission_window
from assessment.rules.marks import Outcome, cap_for, outcome_refusal
from assessment.selectors.resubmission import changes_between, commentary_diff, offer_for
from assessment.services import marking as marking_services
from assessment.services.marking import OverallContent
from assessment.services.resubmission import resubmission_start
from assessment.services.submissions import submission_withdraw
from tests.assessment.referral import ReferralWorld, referred_world
from tests.assessment.submissions.helpers import days
from tests.coaching.factories import agreed_log
from ui.errors import RuleError

pytestmark = pytest.mark.django_db

RELEASED = datetime.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _no_mfa_prompt(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "RequireMfa" not in m]


@pytest.fixture
def world() -> ReferralWorld:
    return referred_world()


# --- The rules.


def test_a_resubmission_is_due_the_tasks_weeks_after_the_referral_is_released_six_unless_set():
    assert DEFAULT_RESUBMISSION_WEEKS == 6
    assert resubmission_due_on(released_on=RELEASED, weeks=6) == datetime.date(2026, 4, 13)
    assert resubmission_due_on(released_on=RELEASED, weeks=4) == datetime.date(2026, 3, 30)


def test_a_task_with_a_shorter_window_gives_a_resubmission_its_own_due_date(world):
    type(world.task).objects.filter(pk=world.task.pk).update(resubmission_weeks=3)
    world.submission.refresh_from_db()
    world.task.refresh_from_db()
    offer = offer_for(world.submission, today=timezone.localdate())
    assert offer.due_on == timezone.localdate(world.referral.released_at) + datetime.timedelta(weeks=3)
    draft = resubmission_start(by=world.participant, submission=world.submission)
    assert draft.resubmission_due_on == offer.due_on
    # Fixed when started: a later change to the task moves no date already given.
    type(world.task).objects.filter(pk=world.task.pk).update(resubmission_weeks=8)
    draft.refresh_from_db()
    assert draft.resubmission_due_on == offer.due_on


def test_a_resubmission_is_open_up_to_and_including_its_due_day_and_never_late():
    due = datetime.date(2026, 4, 13)
    assert resubmission_window(due_on=due, on=RELEASED) == Window.OPEN
    assert resubmission_window(due_on=due, on=due) == Window.OPEN
    assert resubmission_window(due_on=due, on=due + datetime.timedelta(days=1)) == Window.CLOSED


def test_the_cap_is_recorded_for_a_resubmission_only():
    assert cap_for(is_resubmission=True, task_cap=50) == 50
    assert cap_for(is_resubmission=False, task_cap=50) is None


@pytest.mark.parametrize(
    ("outcome", "resubmission", "refused"),
    [
        (Outcome.REFER, True, True),
        (Outcome.FAIL, True, False),
        (Outcome.PASS, True, False),
        (Outcome.REFER, False, False),
        ("", True, False),
    ],
)
def test_a_resubmission_cannot_be_referred_again(outcome, resubmission, refused):
    assert (outcome_refusal(outcome, is_resubmission=resubmission) is not None) == refused


# --- Starting a resubmission.


def test_the_participant_starts_a_resubmission_carrying_the_referred_work(world):
    draft = world.start_resubmission()
    first = world.submission
    assert draft.state == Submission.State.DRAFT
    assert (draft.attempt, draft.previous, draft.resubmission_of, draft.is_resubmission) == (2, first, first, True)
    assert draft.resubmission_due_on == timezone.localdate() + datetime.timedelta(weeks=6)
    assert draft.commentary == first.commentary
    assert sorted(i.kind for i in draft.items.all()) == sorted(i.kind for i in first.items.all())
    assert world.start_resubmission() == draft  # starting again returns it


def test_work_not_yet_marked_cannot_be_resubmitted(db):
    from tests.assessment.marking.helpers import marking_world

    world = marking_world()
    with pytest.raises(RuleError) as refused:
        resubmission_start(by=world.participant, submission=world.submission)
    assert refused.value.rule == "not_referred"


def test_a_referral_not_yet_released_cannot_be_resubmitted(db):
    from tests.assessment.marking.helpers import marking_world

    world = ReferralWorld(**vars(marking_world()))
    marking = world.mark_all(world.start(), 42, outcome="refer")
    marking_services.marking_move(by=world.tutor, marking=marking, move="complete", version=marking.version)
    with pytest.raises(RuleError) as refused:
        world.start_resubmission()
    assert refused.value.rule == "not_referred"
    assert not Submission.objects.filter(resubmission_of=world.submission).exists()


def test_passed_work_cannot_be_resubmitted(db):
    from tests.assessment.marking.helpers import marking_world

    world = ReferralWorld(**vars(marking_world()))
    world.release(world.start(), outcome="pass", mark=64)
    with pytest.raises(RuleError) as refused:
        world.start_resubmission()
    assert refused.value.rule == "not_referred"


def test_a_resubmission_cannot_start_after_its_due_date(world):
    due = timezone.localdate() + datetime.timedelta(weeks=6)
    with pytest.raises(RuleError) as refused:
        world.start_resubmission(today=due + datetime.timedelta(days=1))
    assert refused.value.rule == "resubmission_closed"
    assert f"{due:%-d %B %Y}" in refused.value.message


def test_only_the_participant_starts_their_resubmission(world):
    with pytest.raises(Http404):  # a coach reads the work, never a participant's draft
        resubmission_start(by=world.coach, submission=world.submission)
    with pytest.raises(Http404):
        resubmission_start(by=world.other_participant, submission=world.submission)
    assert not Submission.objects.filter(resubmission_of=world.submission).exists()


# --- Submitting it, by its own due date.


def test_a_resubmission_is_accepted_after_the_tasks_own_cut_off_and_is_not_late(world):
    type(world.task).objects.filter(pk=world.task.pk).update(
        opens_on=days(-60), due_on=days(-40), late_cutoff_on=days(-30), marks_due_on=days(-20)
    )
    world.task.refresh_from_db()
    resubmission = world.resubmit(commentary="I widened the sample to two classes.")
    assert resubmission.state == Submission.State.SUBMITTED
    assert resubmission.is_late is False
    assert resubmission.resubmission_of == world.submission


def test_a_resubmission_is_refused_after_its_due_date(world):
    draft = world.start_resubmission()
    Submission.objects.filter(pk=draft.pk).update(resubmission_due_on=days(-1))
    with pytest.raises(RuleError) as refused:
        world.submit(version=draft.version, feed_forward=("a", "b"), feed_forward_marking_id=world.referral.pk)
    assert refused.value.rule == "closed"
    assert Submission.objects.get(pk=draft.pk).state == Submission.State.DRAFT


def test_a_withdrawn_resubmission_stays_a_resubmission(world):
    resubmission = world.resubmit()
    draft = submission_withdraw(by=world.participant, submission=resubmission, version=resubmission.version)
    assert (draft.attempt, draft.is_resubmission, draft.resubmission_of) == (3, True, world.submission)
    assert draft.resubmission_due_on == resubmission.resubmission_due_on
    assert [a.response for a in draft.feed_forward_responses.all()] == [
        a.response for a in resubmission.feed_forward_responses.all()
    ]


def test_a_resubmission_cannot_itself_be_resubmitted(world):
    resubmission = world.resubmit()
    assert offer_for(resubmission, today=timezone.localdate()) is None


# --- Marking it: the cap, recorded, and no second referral.


def _mark_resubmission(world, mark: int) -> Marking:
    resubmission = world.resubmit()
    world.submission = resubmission
    return world.mark_all(world.start(), mark, outcome="pass")


def test_a_resubmissions_mark_is_capped_and_the_marker_keeps_the_uncapped_mark(world):
    marking = _mark_resubmission(world, 68)
    assert marking.resubmission_cap == 50
    assert (marking.uncapped_mark, marking.mark, marking.is_capped) == (68, 50, True)


def test_the_cap_recorded_when_marking_started_outlives_a_change_to_the_task(world):
    marking = _mark_resubmission(world, 68)
    type(world.task).objects.filter(pk=world.task.pk).update(resubmission_cap=60)
    marking = Marking.objects.get(pk=marking.pk)
    assert marking.mark == 50


def test_a_mark_below_the_cap_is_awarded_as_it_is(world):
    marking = _mark_resubmission(world, 46)
    assert (marking.mark, marking.is_capped) == (46, False)


def test_a_first_attempt_is_never_capped(db):
    from tests.assessment.marking.helpers import marking_world

    world = marking_world()
    marking = world.mark_all(world.start(), 78)
    assert marking.resubmission_cap is None
    assert (marking.mark, marking.is_capped) == (78, False)


def test_a_resubmission_cannot_be_referred_but_can_fail(world):
    marking = _mark_resubmission(world, 40)
    with pytest.raises(RuleError) as refused:
        marking_services.marking_overall_save(
            by=world.tutor, marking=marking, version=marking.version, content=OverallContent(outcome="refer")
        )
    assert (refused.value.rule, refused.value.field) == ("second_referral", "outcome")
    marking = marking_services.marking_overall_save(
        by=world.tutor, marking=marking, version=marking.version, content=OverallContent(outcome="fail")
    )
    assert marking.outcome == Outcome.FAIL


# --- What changed between the two snapshots.


def test_the_changes_name_records_added_removed_changed_and_unchanged(world):
    from portfolio import services as portfolio

    portfolio.reflection_update(
        by=world.participant,
        reflection=world.reflection,
        version=world.reflection.version,
        content=portfolio.ReflectionContent(
            written_on=world.reflection.written_on,
            title=world.reflection.title,
            body="More hands went up, and the quiet pupils answered first.",
            phase_id=world.reflection.phase_id,
        ),
    )
    new_log = agreed_log(enrolment=world.enrolment, coach=world.coach)
    resubmission = world.resubmit(
        commentary="Waiting longer after questions changed who answered.\n\nA second class did the same.",
        evidence_ids=(world.evidence.pk,),
        log_ids=(world.log.pk, new_log.pk),
    )
    changes = changes_between(world.submission, resubmission)
    assert [i.log_id for i in changes.added] == [new_log.pk]
    assert [i.evidence_id for i in changes.removed] == [world.written.pk]
    assert [(old.reflection_id, new.reflection_id) for old, new, _ in changes.changed] == [
        (world.reflection.pk, world.reflection.pk)
    ]
    assert {i.kind for i in changes.unchanged} == {"evidence", "enquiry_section", "dialogue_log"}
    assert changes.commentary_changed
    assert [p.kind for p in changes.commentary] == ["equal", "insert"]


def test_the_commentary_is_compared_paragraph_by_paragraph_and_word_by_word():
    old = "<p>We waited three seconds.</p><p>Girls answered more.</p><p>The end.</p>"
    new = "<p>We waited five seconds.</p><p>Girls answered more.</p><p>A new finding.</p><p>Another.</p>"
    found = commentary_diff(old, new)
    assert [p.kind for p in found] == ["replace", "equal", "delete", "insert", "insert"]
    assert [(s.op, s.text.strip()) for s in found[0].segments] == [
        ("equal", "We waited"),
        ("delete", "three"),
        ("insert", "five"),
        ("equal", "seconds."),
    ]
    assert {p.kind for p in commentary_diff(old, old)} == {"equal"}
