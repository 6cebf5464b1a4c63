"""Who sees what (PRODUCT.md): every kind of record against every relation, and the periods that bound them.

The table below is PRODUCT.md's, written out by hand (not copied from programme.access.POLICY), so a change
to the policy that breaks the product's promise fails here.
"""

import datetime
import itertools
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from accounts.roles import Role
from programme import access, services
from programme.access import Action, RecordKind, Relation
from tests.factories import SchoolFactory, UserFactory, assign_coach, assign_tutor, enrol, staff

pytestmark = pytest.mark.django_db

D = datetime.date
START = D(2025, 4, 20)  # the participant starts at their first school; coach and tutor start too
ON = D(2025, 6, 1)  # the day the records in the matrix are dated

A = Action
K = RecordKind
R = Relation
NO: frozenset[Action] = frozenset()
SAMPLED = "read only when in the examiner's sample"
SAMPLED_COMMENT = "read, and comment, only when in the examiner's sample"
# What the examiner may do to a record of each of those once it is in their sample.
WHEN_SAMPLED = {SAMPLED: frozenset({A.VIEW}), SAMPLED_COMMENT: frozenset({A.VIEW, A.COMMENT})}
READ = frozenset({A.VIEW})
WRITE = frozenset({A.VIEW, A.CHANGE})
SUMMARY = frozenset({A.VIEW_SUMMARY})  # dates, duration and content areas; or outcome and credits

# PRODUCT.md, "Who sees what". The enrolment row is the participant's place on the programme.
EXPECTED: dict[RecordKind, dict[Relation, frozenset[Action] | str]] = {
    K.ENROLMENT: {
        R.PARTICIPANT: READ,
        R.COACH: READ,
        R.TUTOR: READ,
        R.MARKER: READ,
        R.HEAD: READ,
        R.PROGRAMME_LEADER: frozenset({A.VIEW, A.CHANGE}),
        R.EXTERNAL_EXAMINER: SAMPLED,
    },
    K.DIALOGUE_LOG_DRAFT: {
        R.PARTICIPANT: frozenset({A.VIEW, A.AGREE}),  # read, and add their reflection and agree it
        R.COACH: WRITE,
        R.TUTOR: NO,
        R.MARKER: NO,
        R.HEAD: NO,
        R.PROGRAMME_LEADER: NO,
        R.EXTERNAL_EXAMINER: NO,
    },
    K.DIALOGUE_LOG_AGREED: {
        R.PARTICIPANT: READ,
        R.COACH: frozenset({A.VIEW, A.NEW_VERSION}),  # changes make a new version
        R.TUTOR: READ,
        R.MARKER: READ,
        R.HEAD: SUMMARY,
        R.PROGRAMME_LEADER: SUMMARY,
        R.EXTERNAL_EXAMINER: SAMPLED,  # only when cited in a sampled assessment
    },
    K.PRIVATE_NOTE: {
        R.PARTICIPANT: NO,
        R.COACH: WRITE,  # the coach who wrote it; see the private note tests below
        R.TUTOR: NO,
        R.MARKER: NO,
        R.HEAD: NO,
        R.PROGRAMME_LEADER: NO,
        R.EXTERNAL_EXAMINER: NO,
    },
    # Coaching records beyond the log (issue 3), in the same spirit: confidential to participant
    # and coach, the tutor reads what was agreed, head and leader at most dates and content areas.
    K.DIAGNOSIS_DRAFT: {
        R.PARTICIPANT: frozenset({A.VIEW, A.AGREE, A.ATTACH}),  # both attach evidence while they agree it
        R.COACH: frozenset({A.VIEW, A.CHANGE, A.ATTACH}),
        R.TUTOR: NO,
        R.MARKER: NO,
        R.HEAD: NO,
        R.PROGRAMME_LEADER: NO,
        R.EXTERNAL_EXAMINER: NO,
    },
    K.DIAGNOSIS_AGREED: {
        R.PARTICIPANT: READ,
        R.COACH: frozenset({A.VIEW, A.NEW_VERSION}),  # the learning plan is revisited, not changed
        R.TUTOR: READ,
        R.MARKER: READ,
        R.HEAD: SUMMARY,
        R.PROGRAMME_LEADER: SUMMARY,
        R.EXTERNAL_EXAMINER: SAMPLED,
    },
    K.ACTION_STEP_DRAFT: {
        R.PARTICIPANT: READ,
        R.COACH: frozenset({A.VIEW, A.CHANGE, A.CLOSE}),
        R.TUTOR: NO,
        R.MARKER: NO,
        R.HEAD: NO,
        R.PROGRAMME_LEADER: NO,
        R.EXTERNAL_EXAMINER: NO,
    },
    K.ACTION_STEP_AGREED: {
        R.PARTICIPANT: frozenset({A.VIEW, A.CLOSE}),  # the participant owns the step in these records
        R.COACH: frozenset({A.VIEW, A.CLOSE}),
        R.TUTOR: READ,
        R.MARKER: READ,
        R.HEAD: NO,  # the text of a step is the dialogue's
        R.PROGRAMME_LEADER: NO,
        R.EXTERNAL_EXAMINER: SAMPLED,
    },
    K.LEARNING_OPPORTUNITY_ARRANGED: {
        R.PARTICIPANT: READ,
        R.COACH: WRITE,
        R.TUTOR: NO,
        R.MARKER: NO,
        R.HEAD: NO,
        R.PROGRAMME_LEADER: NO,
        R.EXTERNAL_EXAMINER: NO,
    },
    K.LEARNING_OPPORTUNITY_AGREED: {
        R.PARTICIPANT: READ,
        R.COACH: frozenset({A.VIEW, A.NEW_VERSION}),
        R.TUTOR: READ,
        R.MARKER: READ,
        R.HEAD: SUMMARY,
        R.PROGRAMME_LEADER: SUMMARY,
        R.EXTERNAL_EXAMINER: SAMPLED,
    },
    # "evidence, reflections and enquiries": the participant's portfolio.
    **{
        kind: {
            R.PARTICIPANT: WRITE,
            R.COACH: READ,
            R.TUTOR: READ,
            R.MARKER: READ,  # what the work they second-mark rests on
            R.HEAD: NO,
            R.PROGRAMME_LEADER: NO,
            R.EXTERNAL_EXAMINER: SAMPLED,  # only when in a sampled submission
        }
        for kind in (K.EVIDENCE, K.REFLECTION, K.ENQUIRY)
    },
    # "published research summary (phase 3)", and the steps before it is published: the participant
    # writes it, their tutor approves it, the participant publishes it with their consent and may
    # withdraw it. Until then it is between the participant, their coach and their tutor.
    K.LIBRARY_SUMMARY_DRAFT: {
        R.PARTICIPANT: WRITE,
        R.COACH: READ,
        R.TUTOR: READ,
        R.MARKER: NO,
        R.HEAD: NO,
        R.PROGRAMME_LEADER: NO,
        R.EXTERNAL_EXAMINER: NO,
    },
    K.LIBRARY_SUMMARY_SENT: {
        R.PARTICIPANT: READ,  # waiting for the tutor: not changed while it is judged
        R.COACH: READ,
        R.TUTOR: frozenset({A.VIEW, A.APPROVE}),  # approve before publishing, or return it
        R.MARKER: NO,
        R.HEAD: NO,
        R.PROGRAMME_LEADER: NO,
        R.EXTERNAL_EXAMINER: NO,
    },
    K.LIBRARY_SUMMARY_APPROVED: {
        R.PARTICIPANT: frozenset({A.VIEW, A.CHANGE, A.PUBLISH}),  # a change needs approving again
        R.COACH: READ,
        R.TUTOR: READ,
        R.MARKER: NO,
        R.HEAD: NO,
        R.PROGRAMME_LEADER: NO,
        R.EXTERNAL_EXAMINER: NO,
    },
    K.LIBRARY_SUMMARY_PUBLISHED: {
        R.PARTICIPANT: frozenset({A.VIEW, A.WITHDRAW}),  # publish, withdraw
        R.COACH: READ,
        R.TUTOR: READ,
        R.MARKER: NO,
        R.HEAD: READ,
        R.PROGRAMME_LEADER: READ,
        R.EXTERNAL_EXAMINER: READ,  # published for anyone to learn from, sample or not
    },
    K.SUBMISSION_DRAFT: {
        R.PARTICIPANT: WRITE,  # the participant builds it; nobody else sees it until it is submitted
        R.COACH: NO,
        R.TUTOR: NO,
        R.MARKER: NO,
        R.HEAD: NO,
        R.PROGRAMME_LEADER: NO,
        R.EXTERNAL_EXAMINER: NO,
    },
    K.SUBMISSION: {
        R.PARTICIPANT: frozenset({A.VIEW, A.WITHDRAW}),  # read; withdraw before the due date to submit again
        R.COACH: frozenset({A.VIEW, A.ADD_STATEMENT}),
        R.TUTOR: frozenset({A.VIEW, A.ASSESS}),
        R.MARKER: READ,
        R.HEAD: SUMMARY,  # outcome only
        R.PROGRAMME_LEADER: READ,
        R.EXTERNAL_EXAMINER: SAMPLED,
    },
    K.MARKS_UNRELEASED: {
        R.PARTICIPANT: NO,  # only after release
        R.COACH: NO,
        R.TUTOR: WRITE,  # write until released
        R.MARKER: NO,
        R.HEAD: NO,
        R.PROGRAMME_LEADER: READ,
        R.EXTERNAL_EXAMINER: SAMPLED_COMMENT,  # read when sampled, and comment
    },
    K.MARKS_RELEASED: {
        R.PARTICIPANT: READ,
        R.COACH: READ,
        R.TUTOR: READ,
        R.MARKER: READ,
        R.HEAD: SUMMARY,  # outcome and credits
        R.PROGRAMME_LEADER: READ,
        R.EXTERNAL_EXAMINER: SAMPLED_COMMENT,  # read when sampled, and comment
    },
    K.SUPPORTING_STATEMENT: {
        R.PARTICIPANT: READ,
        R.COACH: WRITE,  # until marking starts: assessment.rules.statements, not the policy
        R.TUTOR: READ,
        R.MARKER: READ,
        R.HEAD: NO,
        R.PROGRAMME_LEADER: READ,
        R.EXTERNAL_EXAMINER: SAMPLED,
    },
    # "credit ledger, prior learning claims": the participant reads and claims, the tutor approves
    # prior learning (and confirms phases complete on the ledger), the head sees credits only.
    K.CREDIT_LEDGER: {
        R.PARTICIPANT: READ,
        R.COACH: READ,
        R.TUTOR: frozenset({A.VIEW, A.ASSESS}),
        R.MARKER: NO,
        R.HEAD: SUMMARY,
        R.PROGRAMME_LEADER: READ,
        R.EXTERNAL_EXAMINER: SAMPLED,
    },
    K.PRIOR_LEARNING_CLAIMED: {
        R.PARTICIPANT: WRITE,  # their claim, until the tutor decides
        R.COACH: READ,
        R.TUTOR: frozenset({A.VIEW, A.APPROVE}),
        R.MARKER: NO,
        R.HEAD: SUMMARY,
        R.PROGRAMME_LEADER: READ,
        R.EXTERNAL_EXAMINER: SAMPLED,
    },
    K.PRIOR_LEARNING_DECIDED: {
        R.PARTICIPANT: READ,
        R.COACH: READ,
        R.TUTOR: READ,
        R.MARKER: NO,
        R.HEAD: SUMMARY,
        R.PROGRAMME_LEADER: READ,
        R.EXTERNAL_EXAMINER: SAMPLED,
    },
    # The examiner's comment on sampled work: for the markers (first, second and third) and the leader,
    # never the participant's side (it is about the marking); the examiners of the sample read it too.
    K.EXAMINER_COMMENT: {
        R.PARTICIPANT: NO,
        R.COACH: NO,
        R.TUTOR: READ,
        R.MARKER: READ,
        R.HEAD: NO,
        R.PROGRAMME_LEADER: READ,
        R.EXTERNAL_EXAMINER: SAMPLED,
    },
    # Not in PRODUCT.md's table: the participant's own export of their portfolio, theirs alone.
    K.PORTFOLIO_EXPORT: {
        R.PARTICIPANT: WRITE,  # ask for it, and download it
        R.COACH: NO,
        R.TUTOR: NO,
        R.MARKER: NO,
        R.HEAD: NO,
        R.PROGRAMME_LEADER: NO,
        R.EXTERNAL_EXAMINER: NO,
    },
    # Moderation: a second or third marker writes their own marks and the moderation's notes; the
    # participant, their coach and head see neither (they see the agreed result once released).
    K.SECOND_MARKS: {
        R.PARTICIPANT: NO,
        R.COACH: NO,
        R.TUTOR: READ,
        R.MARKER: WRITE,
        R.HEAD: NO,
        R.PROGRAMME_LEADER: READ,
        R.EXTERNAL_EXAMINER: SAMPLED,
    },
    K.MODERATION_RECORD: {
        R.PARTICIPANT: NO,
        R.COACH: NO,
        R.TUTOR: WRITE,
        R.MARKER: WRITE,
        R.HEAD: NO,
        R.PROGRAMME_LEADER: WRITE,
        R.EXTERNAL_EXAMINER: SAMPLED,
    },
}

MATRIX = [(kind, relation, EXPECTED[kind][relation]) for kind in EXPECTED for relation in EXPECTED[kind]]


def test_the_table_covers_every_kind_of_record_against_every_relation():
    assert {(kind, relation) for kind, relation, _ in MATRIX} == set(itertools.product(RecordKind, Relation))
    assert len(MATRIX) == len(RecordKind) * len(Relation)


@dataclass
class Record:
    """A test-only record implementing access.Protected."""

    access_kind: RecordKind
    access_enrolment_id: int
    access_date: datetime.date
    access_author_id: int | None = None
    access_owner_id: int | None = None
    access_sampled: bool = False


def actions(user, record) -> frozenset[Action]:
    user.__dict__.pop("_access_relations", None)  # a fresh request
    return access.allowed_actions(user, record)


def sees_nothing(user, enrolment, on, *, author=None) -> bool:
    return all(not actions(user, Record(kind, enrolment.pk, on, access_author_id=author)) for kind in RecordKind)


@dataclass
class World:
    school: object
    enrolment: object
    people: dict

    def record(self, kind, on=ON, **kwargs):
        kwargs.setdefault("access_author_id", self.people[R.COACH].pk)
        kwargs.setdefault("access_owner_id", self.people[R.PARTICIPANT].pk)
        return Record(kind, self.enrolment.pk, on, **kwargs)


@pytest.fixture
def world():
    school = SchoolFactory(name="Old School")
    enrolment = enrol(school, starts_on=START)
    coach = staff(Role.COACH, school)
    tutor = UserFactory(roles=[Role.TUTOR])
    assign_coach(enrolment, coach, starts_on=START)
    assign_tutor(enrolment, tutor, starts_on=START)
    people = {
        R.PARTICIPANT: enrolment.participant,
        R.COACH: coach,
        R.TUTOR: tutor,
        R.HEAD: staff(Role.HEAD, school),
        R.PROGRAMME_LEADER: UserFactory(roles=[Role.PROGRAMME_LEADER]),
        R.EXTERNAL_EXAMINER: UserFactory(roles=[Role.EXTERNAL_EXAMINER]),
        R.MARKER: second_marker_of(enrolment, on=ON, first_marker=tutor),
    }
    return World(school=school, enrolment=enrolment, people=people)


def second_marker_of(enrolment, *, on, first_marker):
    """A tutor who is not the participant's tutor, assigned to second-mark their work submitted on `on`
    (assessment.models.Moderation): the access policy's MARKER relation, from that day on."""
    from assessment.models import Moderation, ModerationSample, Submission
    from tests.assessment.factories import AssessmentTaskFactory

    marker = UserFactory(roles=[Role.TUTOR])
    task = AssessmentTaskFactory(cohort=enrolment.cohort)
    submission = Submission.objects.create(
        enrolment=enrolment, task=task, state=Submission.State.SUBMITTED, dated_on=on
    )
    sample = ModerationSample.objects.create(task=task, seed="test", considered=1, confirmed_by=first_marker)
    Moderation.objects.create(sample=sample, submission=submission, second_marker=marker)
    return marker


# --- The matrix.


@pytest.mark.parametrize(("kind", "relation", "expected"), MATRIX, ids=[f"{k}-{r}" for k, r, _ in MATRIX])
def test_who_sees_what(world, kind, relation, expected):
    user = world.people[relation]
    assert access.relations(user, world.enrolment.pk, ON) == {relation}
    if expected in WHEN_SAMPLED:
        assert actions(user, world.record(kind, access_sampled=True)) == WHEN_SAMPLED[expected]
        assert actions(user, world.record(kind, access_sampled=False)) == NO
    else:
        assert actions(user, world.record(kind)) == expected
        # Being in the examiner's sample never opens a record to anyone else.
        assert actions(user, world.record(kind, access_sampled=True)) == expected


@pytest.mark.parametrize(("kind", "relation", "expected"), MATRIX, ids=[f"{k}-{r}" for k, r, _ in MATRIX])
def test_require_refuses_a_read_with_404_and_a_write_with_403(world, kind, relation, expected):
    user = world.people[relation]
    record = world.record(kind, access_sampled=True)
    allowed = WHEN_SAMPLED.get(expected, expected)
    for action in Action:
        user.__dict__.pop("_access_relations", None)
        if action in allowed:
            assert access.require(user, action, record) == allowed
            assert access.can(user, action, record)
        elif not allowed & {A.VIEW, A.VIEW_SUMMARY}:
            with pytest.raises(Http404):
                access.require(user, action, record)
        else:
            with pytest.raises(PermissionDenied):
                access.require(user, action, record)
            assert not access.can(user, action, record)


# --- Strangers, people without periods, and inactive people.


def test_coach_from_another_school_cannot_open_log(world):
    stranger = staff(Role.COACH, SchoolFactory(name="Far Away School"))
    assert sees_nothing(stranger, world.enrolment, ON, author=stranger.pk)
    with pytest.raises(Http404):
        access.require(stranger, A.VIEW, world.record(K.DIALOGUE_LOG_AGREED))


def test_head_of_another_school_sees_nothing(world):
    assert sees_nothing(staff(Role.HEAD, SchoolFactory()), world.enrolment, ON)


def test_other_participant_sees_nothing(world):
    other = enrol(world.school, starts_on=START).participant
    assert sees_nothing(other, world.enrolment, ON)


@pytest.mark.parametrize("role", [Role.COACH, Role.TUTOR, Role.HEAD, Role.PARTICIPANT])
def test_role_without_a_period_sees_nothing(world, role):
    # A coach of the participant's own school, but not their coach; a tutor and a head with no period at all.
    person = staff(role, world.school) if role == Role.COACH else UserFactory(roles=[role])
    assert sees_nothing(person, world.enrolment, ON, author=person.pk)
    assert not access.enrolments_for(person, Relation(role), ON).exists()


def test_coach_of_the_school_is_not_its_head(world):
    # The coach's membership of the school gives them no head's view of other participants.
    colleague = enrol(world.school, starts_on=START)
    assert sees_nothing(world.people[R.COACH], colleague, ON)


@pytest.mark.parametrize("relation", list(Relation))
def test_inactive_user_sees_nothing(world, relation):
    user = world.people[relation]
    user.is_active = False
    user.save()
    assert sees_nothing(user, world.enrolment, ON, author=user.pk)
    for kind in RecordKind:
        assert not actions(user, world.record(kind, access_sampled=True))
    assert not access.enrolments_for(user, relation, ON).exists()


def test_anonymous_visitor_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert sees_nothing(AnonymousUser(), world.enrolment, ON)


# --- The external examiner.


@pytest.mark.parametrize("kind", list(RecordKind))
def test_external_examiner_reads_only_what_is_sampled(world, kind):
    examiner = world.people[R.EXTERNAL_EXAMINER]
    expected = EXPECTED[kind][R.EXTERNAL_EXAMINER]
    if expected in WHEN_SAMPLED:
        assert actions(examiner, world.record(kind, access_sampled=True)) == WHEN_SAMPLED[expected]
        assert actions(examiner, world.record(kind, access_sampled=False)) == NO
    else:  # nothing, or a published research summary, which anyone may read: the same either way
        assert actions(examiner, world.record(kind, access_sampled=True)) == expected
        assert actions(examiner, world.record(kind, access_sampled=False)) == expected


# --- Private notes.


def test_private_note_is_seen_only_by_the_coach_who_wrote_it(world):
    note = world.record(K.PRIVATE_NOTE)
    assert actions(world.people[R.COACH], note) == WRITE
    for relation in set(Relation) - {R.COACH}:
        assert actions(world.people[relation], note) == NO, relation


def test_private_note_is_not_seen_by_the_participants_next_coach(world):
    old = world.people[R.COACH]
    new = staff(Role.COACH, world.school)
    services.coach_assign(enrolment=world.enrolment, coach=new, starts_on=D(2025, 9, 1))
    # Neither the old coach's note from their time, nor one they wrote about a day in the new coach's.
    assert actions(new, world.record(K.PRIVATE_NOTE, on=ON, access_author_id=old.pk)) == NO
    assert actions(new, world.record(K.PRIVATE_NOTE, on=D(2025, 10, 1), access_author_id=old.pk)) == NO
    assert actions(new, world.record(K.PRIVATE_NOTE, on=D(2025, 10, 1), access_author_id=new.pk)) == WRITE
    # The old coach keeps their own note from their time, and writes none about the new coach's.
    assert actions(old, world.record(K.PRIVATE_NOTE, on=ON, access_author_id=old.pk)) == READ
    assert actions(old, world.record(K.PRIVATE_NOTE, on=D(2025, 10, 1), access_author_id=old.pk)) == NO


def test_private_note_without_an_author_is_seen_by_nobody(world):
    note = world.record(K.PRIVATE_NOTE, access_author_id=None)
    for relation in Relation:
        assert actions(world.people[relation], note) == NO


# --- Action steps: the participant closes the steps they own.


def test_participant_closes_only_the_action_steps_they_own(world):
    participant, coach = world.people[R.PARTICIPANT], world.people[R.COACH]
    coachs_step = world.record(K.ACTION_STEP_AGREED, access_owner_id=coach.pk)
    assert actions(participant, coachs_step) == READ
    assert actions(coach, coachs_step) == {A.VIEW, A.CLOSE}
    # The coach closes the participant's steps when they review them together.
    assert actions(coach, world.record(K.ACTION_STEP_AGREED)) == {A.VIEW, A.CLOSE}


def test_participant_does_not_close_a_step_before_the_log_is_agreed(world):
    assert actions(world.people[R.PARTICIPANT], world.record(K.ACTION_STEP_DRAFT)) == READ


def test_new_coach_reads_but_does_not_close_the_old_coachs_steps(world):
    new = staff(Role.COACH, world.school)
    services.coach_assign(enrolment=world.enrolment, coach=new, starts_on=D(2025, 9, 1))
    assert actions(new, world.record(K.ACTION_STEP_AGREED, on=ON)) == READ
    assert actions(new, world.record(K.ACTION_STEP_DRAFT, on=ON)) == NO
    assert actions(new, world.record(K.DIAGNOSIS_DRAFT, on=ON)) == NO
    assert actions(new, world.record(K.DIAGNOSIS_AGREED, on=ON)) == READ
    assert actions(new, world.record(K.LEARNING_OPPORTUNITY_ARRANGED, on=ON)) == NO


# --- A list of records is judged exactly as one record is, in a fixed number of queries.


def test_judge_gives_each_record_the_answer_allowed_actions_gives(world):
    other_school = SchoolFactory()
    elsewhere = enrol(other_school, starts_on=START)
    new_coach = staff(Role.COACH, world.school)
    services.coach_assign(enrolment=world.enrolment, coach=new_coach, starts_on=D(2025, 9, 1))
    days = [START - datetime.timedelta(days=1), START, ON, D(2025, 8, 31), D(2025, 9, 1), D(2026, 3, 1)]
    records = [
        Record(kind, enrolment.pk, day, access_author_id=world.people[R.COACH].pk, access_owner_id=owner)
        for kind in RecordKind
        for enrolment in (world.enrolment, elsewhere)
        for day in days
        for owner in (world.enrolment.participant_id, new_coach.pk)
    ]
    for user in [*world.people.values(), new_coach]:
        judged = access.judge(user, records)
        for record, found in judged:
            assert found == actions(user, record), (user, record)


def test_judge_asks_the_database_a_fixed_number_of_times(world, django_assert_max_num_queries):
    head = world.people[R.HEAD]
    enrolments = [world.enrolment] + [enrol(world.school, starts_on=START) for _ in range(10)]
    records = [
        Record(K.DIALOGUE_LOG_AGREED, e.pk, ON + datetime.timedelta(days=i)) for e in enrolments for i in range(5)
    ]
    head.__dict__.pop("_access_relations", None)
    with django_assert_max_num_queries(6):
        judged = access.judge(head, records)
    assert all(found == SUMMARY for _, found in judged)


# --- When periods end: moves, changes of coach, ended assignments.


def test_head_after_the_participant_moved_away_sees_nothing_dated_after_the_move(world):
    head = world.people[R.HEAD]
    new_school = SchoolFactory(name="New School")
    services.school_move(enrolment=world.enrolment, new_school=new_school, moves_on=D(2026, 1, 5))
    assert sees_nothing(head, world.enrolment, D(2026, 1, 5))
    assert sees_nothing(head, world.enrolment, D(2026, 6, 1))
    # What was dated while the participant was at their school stays in their view.
    assert actions(head, world.record(K.DIALOGUE_LOG_AGREED, on=D(2026, 1, 4))) == SUMMARY
    assert actions(head, world.record(K.SUBMISSION, on=ON)) == SUMMARY
    assert world.enrolment not in access.enrolments_for(head, R.HEAD, D(2026, 1, 5))
    assert world.enrolment in access.enrolments_for(head, R.HEAD, D(2026, 1, 4))


def test_head_of_the_new_school_sees_the_participant_after_the_move(world):
    new_school = SchoolFactory(name="New School")
    new_head = staff(Role.HEAD, new_school)
    services.school_move(enrolment=world.enrolment, new_school=new_school, moves_on=D(2026, 1, 5))
    assert actions(new_head, world.record(K.DIALOGUE_LOG_AGREED, on=D(2026, 1, 5))) == SUMMARY
    assert actions(new_head, world.record(K.DIALOGUE_LOG_DRAFT, on=D(2026, 1, 5))) == NO
    # The participant's history comes with them: the new head tracks coverage from the start, read-only.
    assert actions(new_head, world.record(K.DIALOGUE_LOG_AGREED, on=ON)) == SUMMARY
    assert actions(new_head, world.record(K.ACTION_STEP_AGREED, on=ON)) == NO


def test_head_who_arrived_after_the_participant_left_sees_nothing(world):
    services.school_move(enrolment=world.enrolment, new_school=SchoolFactory(), moves_on=D(2026, 1, 5))
    later_head = staff(Role.HEAD, world.school, starts_on=D(2026, 4, 1))
    for on in (ON, D(2026, 1, 4), D(2026, 5, 1)):
        assert sees_nothing(later_head, world.enrolment, on)


def test_head_who_has_left_the_school_sees_nothing_dated_afterwards(world):
    head = world.people[R.HEAD]
    membership = head.staff_memberships.get()
    services.staff_membership_end(membership=membership, ends_on=D(2025, 12, 31))
    assert sees_nothing(head, world.enrolment, D(2026, 1, 1))
    assert actions(head, world.record(K.DIALOGUE_LOG_AGREED, on=D(2025, 12, 31))) == SUMMARY


def test_old_coach_after_a_change_of_coach_sees_nothing_new(world):
    old = world.people[R.COACH]
    new = staff(Role.COACH, world.school)
    services.coach_assign(enrolment=world.enrolment, coach=new, starts_on=D(2025, 9, 1))
    assert sees_nothing(old, world.enrolment, D(2025, 9, 1), author=old.pk)
    # Their own time stays readable as history; their assignment is over, so they change none of it.
    assert actions(old, world.record(K.DIALOGUE_LOG_AGREED, on=D(2025, 8, 31))) == READ
    assert world.enrolment not in access.enrolments_for(old, R.COACH, D(2025, 9, 1))
    assert world.enrolment in access.enrolments_for(new, R.COACH, D(2025, 9, 1))


def test_new_coach_carries_on_from_the_agreed_record_but_not_the_old_coachs_drafts(world):
    new = staff(Role.COACH, world.school)
    services.coach_assign(enrolment=world.enrolment, coach=new, starts_on=D(2025, 9, 1))
    assert actions(new, world.record(K.DIALOGUE_LOG_AGREED, on=D(2025, 9, 1))) == {A.VIEW, A.NEW_VERSION}
    # Before their time: read, never change.
    assert actions(new, world.record(K.DIALOGUE_LOG_AGREED, on=ON)) == READ
    assert actions(new, world.record(K.DIAGNOSIS_AGREED, on=ON)) == READ
    assert actions(new, world.record(K.SUBMISSION, on=ON)) == READ
    assert actions(new, world.record(K.DIALOGUE_LOG_DRAFT, on=ON)) == NO


def test_coach_whose_period_has_not_begun_sees_nothing_yet(world):
    today = timezone.localdate()
    enrolment = enrol(world.school, starts_on=today - datetime.timedelta(days=60))
    later = staff(Role.COACH, world.school)
    assign_coach(enrolment, later, starts_on=today + datetime.timedelta(days=30))
    assert sees_nothing(later, enrolment, today - datetime.timedelta(days=10))
    assert actions(later, Record(K.DIALOGUE_LOG_DRAFT, enrolment.pk, today + datetime.timedelta(days=30))) == WRITE


def test_tutor_whose_assignment_has_ended_sees_nothing_dated_afterwards(world):
    tutor = world.people[R.TUTOR]
    services.assignment_end(assignment=world.enrolment.tutor_assignments.get(), ends_on=D(2025, 12, 31))
    assert sees_nothing(tutor, world.enrolment, D(2026, 1, 1))
    assert actions(tutor, world.record(K.DIAGNOSIS_AGREED, on=D(2025, 12, 31))) == READ
    assert actions(tutor, world.record(K.SUBMISSION, on=ON)) == READ  # no longer theirs to assess
    assert not access.enrolments_for(tutor, R.TUTOR, D(2026, 1, 1)).exists()


def test_tutor_assigned_later_reads_the_portfolio_from_the_start(world):
    late = UserFactory(roles=[Role.TUTOR])
    services.tutor_assign(enrolment=world.enrolment, tutor=late, starts_on=D(2025, 10, 1))
    assert actions(late, world.record(K.DIAGNOSIS_AGREED, on=ON)) == READ
    assert actions(late, world.record(K.DIALOGUE_LOG_AGREED, on=ON)) == READ
    assert actions(late, world.record(K.DIALOGUE_LOG_DRAFT, on=ON)) == NO
    assert actions(late, world.record(K.SUBMISSION, on=D(2025, 10, 1))) == {A.VIEW, A.ASSESS}


def test_participant_keeps_everything_through_a_move(world):
    participant = world.people[R.PARTICIPANT]
    services.school_move(enrolment=world.enrolment, new_school=SchoolFactory(), moves_on=D(2026, 1, 5))
    for on in (ON, D(2026, 6, 1)):
        assert actions(participant, world.record(K.DIALOGUE_LOG_DRAFT, on=on)) == {A.VIEW, A.AGREE}
        assert actions(participant, world.record(K.MARKS_RELEASED, on=on)) == READ


# --- Lists: enrolments_for, for each relation.


def test_enrolments_for_each_relation(world):
    other_school = SchoolFactory()
    elsewhere = enrol(other_school, starts_on=START)
    assign_coach(elsewhere, staff(Role.COACH, other_school), starts_on=START)
    p = world.people
    assert list(access.enrolments_for(p[R.PARTICIPANT], R.PARTICIPANT, ON)) == [world.enrolment]
    assert list(access.enrolments_for(p[R.COACH], R.COACH, ON)) == [world.enrolment]
    assert list(access.enrolments_for(p[R.TUTOR], R.TUTOR, ON)) == [world.enrolment]
    assert list(access.enrolments_for(p[R.HEAD], R.HEAD, ON)) == [world.enrolment]
    assert set(access.enrolments_for(p[R.PROGRAMME_LEADER], R.PROGRAMME_LEADER, ON)) == {world.enrolment, elsewhere}
    # The examiner's list is their sample, which assessment keeps; no participant is theirs by relation.
    assert not access.enrolments_for(p[R.EXTERNAL_EXAMINER], R.EXTERNAL_EXAMINER, ON).exists()


def test_enrolments_for_a_relation_the_person_does_not_hold_is_empty(world):
    p = world.people
    assert not access.enrolments_for(p[R.COACH], R.TUTOR, ON).exists()
    assert not access.enrolments_for(p[R.PARTICIPANT], R.COACH, ON).exists()
    assert not access.enrolments_for(p[R.HEAD], R.PROGRAMME_LEADER, ON).exists()
    assert not access.enrolments_for(p[R.TUTOR], R.PARTICIPANT, ON).exists()


def test_enrolments_for_is_bounded_by_the_periods_on_the_day(world):
    p = world.people
    assert not access.enrolments_for(p[R.COACH], R.COACH, START - datetime.timedelta(days=1)).exists()
    assert not access.enrolments_for(p[R.TUTOR], R.TUTOR, START - datetime.timedelta(days=1)).exists()
    assert not access.enrolments_for(p[R.HEAD], R.HEAD, START - datetime.timedelta(days=1)).exists()


def test_enrolments_for_defaults_to_today(world):
    assert list(access.enrolments_for(world.people[R.COACH], R.COACH)) == [world.enrolment]
    services.assignment_end(assignment=world.enrolment.coach_assignments.get(), ends_on=D(2025, 12, 31))
    assert not access.enrolments_for(world.people[R.COACH], R.COACH).exists()


def test_enrolment_record_is_judged_on_todays_relations(world):
    record = access.EnrolmentRecord(world.enrolment)
    assert access.can(world.people[R.COACH], A.VIEW, record)
    assert not access.can(world.people[R.COACH], A.CHANGE, record)
    assert access.can(world.people[R.PROGRAMME_LEADER], A.CHANGE, record)
    assert not access.can(world.people[R.EXTERNAL_EXAMINER], A.VIEW, record)
    assert access.can(world.people[R.EXTERNAL_EXAMINER], A.VIEW, access.EnrolmentRecord(world.enrolment, sampled=True))


# --- The coach's supporting statement: written by the coach on the submission's date.


def test_supporting_statement_is_written_only_by_the_coach_in_force_on_the_submissions_date(world):
    old = world.people[R.COACH]
    new = staff(Role.COACH, world.school)
    services.coach_assign(enrolment=world.enrolment, coach=new, starts_on=D(2025, 9, 1))
    before = world.record(K.SUPPORTING_STATEMENT, on=START - datetime.timedelta(days=1))
    during = world.record(K.SUPPORTING_STATEMENT, on=ON)  # the old coach's time, now over
    after = world.record(K.SUPPORTING_STATEMENT, on=D(2025, 10, 1))  # the new coach's time
    # The old coach: what came before their period read only (they carried on from it), their own
    # time read only once it has ended, nothing after it.
    assert actions(old, before) == READ
    assert actions(old, during) == READ
    assert actions(old, after) == NO
    # The new coach: reads the statements from before they took over, writes those of their own time.
    assert actions(new, before) == READ
    assert actions(new, during) == READ
    assert actions(new, after) == WRITE
    # The submission itself: only the coach in force adds a statement.
    assert actions(old, world.record(K.SUBMISSION, on=ON)) == READ
    assert actions(new, world.record(K.SUBMISSION, on=D(2025, 10, 1))) == {A.VIEW, A.ADD_STATEMENT}
    # Whatever the day, the head sees none of it; the participant, tutor and leader read it.
    for record in (before, during, after):
        assert actions(world.people[R.HEAD], record) == NO
        assert actions(world.people[R.PARTICIPANT], record) == READ
        assert actions(world.people[R.PROGRAMME_LEADER], record) == READ
    assert actions(world.people[R.TUTOR], during) == READ
    assert actions(world.people[R.TUTOR], after) == READ
