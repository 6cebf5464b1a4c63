"""Every kind of record the access policy knows (programme.access.RecordKind) has an audited read:
a page that shows a record of that kind to someone other than the participant it is about writes
a READ (or READ_SUMMARY) event naming that record. A new kind with no case here fails
`test_every_kind_of_record_has_a_case`.

A kind nobody but the participant (or, for a coach's private note, its author) may read at all has
no reader to audit; which kinds those are is read from the policy itself, not listed by hand.

The world is the URL access test's (tests/test_url_access.py): the demo participant with her
coach, tutor, head, programme leader and examiner, topped up with records. Each case puts one record
of its kind in front of one reader, through the real page, and looks for the event.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.models import ExaminerComment, Marking, PriorLearningClaim, SupportingStatement
from assessment.selectors.marking import result_of
from assessment.workflow import State
from audit.models import AuditAction, AuditEvent
from coaching.models import InitialDiagnosis, LearningOpportunity
from portfolio.models import LibrarySummary
from programme import access
from programme.access import Action, RecordKind, Relation
from tests.coaching.factories import action_step
from tests.test_url_access import C, E, L, T, World, _client, world  # noqa: F401 - world is a fixture

READS = (AuditAction.READ, AuditAction.READ_SUMMARY)
SEEN = {Action.VIEW, Action.VIEW_SUMMARY}


@dataclass(frozen=True)
class Read:
    page: str
    kwargs: Callable[[World, object], dict]
    reader: str
    # Makes (or finds) the record of the kind in the world, in the test's savepoint.
    record: Callable[[World], object]


def _enrolment(w: World) -> dict:
    return {"enrolment_id": w.enrolment.pk}


def _pk(_w: World, record) -> dict:
    return {"pk": record.pk}


def _on_enrolment(w: World, _record) -> dict:
    return _enrolment(w)


def _submission(w: World, _record) -> dict:
    return {"pk": w.submission.pk}


def _moderation(w: World, _record) -> dict:
    return {"pk": w.moderation.pk}


def _sample(w: World, _record) -> dict:
    return {"pk": w.sample.pk}


def _summary(status: str) -> Callable[[World], LibrarySummary]:
    def make(w: World) -> LibrarySummary:
        LibrarySummary.objects.filter(pk=w.library_summary.pk).update(status=status)
        return LibrarySummary.objects.get(pk=w.library_summary.pk)

    return make


def _draft_diagnosis(w: World) -> InitialDiagnosis:
    InitialDiagnosis.objects.filter(enrolment=w.enrolment).update(status="draft")
    return InitialDiagnosis.objects.get(enrolment=w.enrolment)


def _arranged_opportunity(w: World) -> LearningOpportunity:
    return LearningOpportunity.objects.create(
        enrolment=w.enrolment,
        arranged_by=w.people[C],
        kind=LearningOpportunity.Kind.OBSERVING,
        description="Watch a colleague's questioning",
        happens_on=timezone.localdate(),
    )


def _agreed_opportunity(w: World) -> LearningOpportunity:
    found = _arranged_opportunity(w)
    LearningOpportunity.objects.filter(pk=found.pk).update(log=w.agreed_log)
    return LearningOpportunity.objects.get(pk=found.pk)


def _second_marks(w: World) -> Marking:
    found = Marking.objects.filter(submission=w.submission, role=Marking.Role.SECOND).first()
    assert found is not None, "the world's sampled submission has no second marking"
    return found


def _result(released: bool) -> Callable[[World], Marking]:
    """The marks the result page shows (the agreed marks after moderation), released or not yet."""

    def find(w: World) -> Marking:
        shown = result_of(w.submission)
        Marking.objects.filter(pk=shown.pk).update(state=State.RELEASED if released else State.READY_FOR_RELEASE)
        return Marking.objects.get(pk=shown.pk)

    return find


def _claim(decided: bool) -> Callable[[World], PriorLearningClaim]:
    def make(w: World) -> PriorLearningClaim:
        if decided:
            PriorLearningClaim.objects.filter(pk=w.claim.pk).update(status="approved")
        return PriorLearningClaim.objects.get(pk=w.claim.pk)

    return make


def _statement(w: World) -> SupportingStatement:
    found = SupportingStatement.objects.filter(submission=w.submission).first()
    assert found is not None, "the world's submission has no supporting statement"
    return found


def _examiner_comment(w: World) -> ExaminerComment:
    found = ExaminerComment.objects.filter(sample=w.sample, submission=w.submission).first()
    if found is None:
        found = ExaminerComment.objects.create(
            sample=w.sample, submission=w.submission, author=w.people[E], text="The marks fit the work."
        )
    return found


# One read of each kind by someone other than the participant, through the page that shows it.
CASES: dict[RecordKind, Read] = {
    RecordKind.ENROLMENT: Read("credits:ledger", _on_enrolment, C, lambda w: w.enrolment),
    RecordKind.CREDIT_LEDGER: Read("credits:ledger", _on_enrolment, L, lambda w: w.enrolment),
    RecordKind.DIALOGUE_LOG_DRAFT: Read("coaching:log_detail", _pk, C, lambda w: w.draft_log),
    RecordKind.DIALOGUE_LOG_AGREED: Read("coaching:log_detail", _pk, T, lambda w: w.agreed_log),
    RecordKind.DIAGNOSIS_DRAFT: Read("coaching:diagnosis", _on_enrolment, C, _draft_diagnosis),
    RecordKind.DIAGNOSIS_AGREED: Read(
        "coaching:diagnosis", _on_enrolment, T, lambda w: InitialDiagnosis.objects.get(enrolment=w.enrolment)
    ),
    RecordKind.ACTION_STEP_DRAFT: Read(
        "coaching:action_steps", _on_enrolment, C, lambda w: action_step(w.draft_log, description="A draft step")
    ),
    RecordKind.ACTION_STEP_AGREED: Read("coaching:action_steps", _on_enrolment, T, lambda w: w.action_step),
    RecordKind.LEARNING_OPPORTUNITY_ARRANGED: Read("coaching:opportunities", _on_enrolment, C, _arranged_opportunity),
    RecordKind.LEARNING_OPPORTUNITY_AGREED: Read("coaching:opportunities", _on_enrolment, T, _agreed_opportunity),
    RecordKind.EVIDENCE: Read("portfolio:evidence_detail", _pk, C, lambda w: w.evidence),
    RecordKind.REFLECTION: Read("portfolio:reflection_detail", _pk, T, lambda w: w.reflection),
    RecordKind.ENQUIRY: Read("portfolio:enquiry_detail", _pk, T, lambda w: w.enquiry),
    RecordKind.LIBRARY_SUMMARY_DRAFT: Read("portfolio:library_summary_detail", _pk, C, _summary("draft")),
    RecordKind.LIBRARY_SUMMARY_SENT: Read("portfolio:library_summary_detail", _pk, T, _summary("sent")),
    RecordKind.LIBRARY_SUMMARY_APPROVED: Read("portfolio:library_summary_detail", _pk, C, _summary("approved")),
    RecordKind.LIBRARY_SUMMARY_PUBLISHED: Read("portfolio:library_summary_detail", _pk, T, _summary("published")),
    RecordKind.SUBMISSION: Read("assessment:submission_detail", _pk, C, lambda w: w.submission),
    RecordKind.SUPPORTING_STATEMENT: Read("assessment:submission_detail", _submission, T, _statement),
    RecordKind.MARKS_UNRELEASED: Read("marking:result", _submission, L, _result(released=False)),
    RecordKind.MARKS_RELEASED: Read("marking:result", _submission, C, _result(released=True)),
    RecordKind.SECOND_MARKS: Read("marking:moderation", _moderation, T, _second_marks),
    RecordKind.MODERATION_RECORD: Read("marking:moderation", _moderation, L, lambda w: w.moderation),
    RecordKind.PRIOR_LEARNING_CLAIMED: Read("credits:claim_detail", _pk, C, _claim(decided=False)),
    RecordKind.PRIOR_LEARNING_DECIDED: Read("credits:claim_detail", _pk, L, _claim(decided=True)),
    RecordKind.EXAMINER_COMMENT: Read("examiner:comments", _sample, T, _examiner_comment),
}


def read_by_nobody_but_its_own() -> set[RecordKind]:
    """Kinds the policy lets nobody read but the participant, or the author alone (a private note)."""
    only_theirs = set()
    for kind, grants in access.POLICY.items():
        readers = {
            relation for relation, actions in grants.items() if isinstance(actions, str) or actions & access._READS
        }
        if readers <= {Relation.PARTICIPANT} or (kind in access._AUTHOR_ONLY and len(readers) == 1):
            only_theirs.add(kind)
    return only_theirs


def kinds_without_a_case(kinds) -> set:
    return set(kinds) - CASES.keys() - read_by_nobody_but_its_own()


def test_every_kind_of_record_has_a_case():
    missing = kinds_without_a_case(RecordKind)
    assert not missing, f"kinds of record with no audited read in {__name__}: {sorted(missing)}"
    both = CASES.keys() & read_by_nobody_but_its_own()
    assert not both, f"cases for kinds only their own read: {sorted(both)}"


def test_a_new_kind_without_a_case_is_found():
    assert kinds_without_a_case([*RecordKind, "a_new_kind"]) == {"a_new_kind"}


def test_the_kinds_only_their_own_read_are_the_drafts_exports_and_private_notes():
    # Should the policy give one of these a reader, it needs a case above.
    assert read_by_nobody_but_its_own() == {
        RecordKind.SUBMISSION_DRAFT,
        RecordKind.PORTFOLIO_EXPORT,
        RecordKind.PRIVATE_NOTE,
    }


@pytest.mark.parametrize("kind", sorted(CASES), ids=str)
def test_a_record_of_each_kind_read_by_someone_else_is_audited(kind, world, db):  # noqa: F811
    case = CASES[kind]
    record = case.record(world)
    if hasattr(record, "access_kind"):  # the case really puts a record of this kind in front of the reader
        assert record.access_kind == kind, f"the case's record is {record.access_kind}, not {kind}"
    reader = world.people[case.reader]
    assert access.allowed_actions(reader, _as_judged(record, kind)) & SEEN
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    response = _client(world, case.reader).get(reverse(case.page, kwargs=case.kwargs(world, record)))

    assert response.status_code == 200
    label = record._meta.label_lower
    read = AuditEvent.objects.filter(
        pk__gt=before, action__in=READS, actor_id=reader.pk, record_kind=label, record_id=str(record.pk)
    )
    assert read.exists(), (
        f"{case.page} showed {label} {record.pk} ({kind}) to the {case.reader} without an audited read"
    )


def _as_judged(record, kind: RecordKind):
    if kind in (RecordKind.ENROLMENT, RecordKind.CREDIT_LEDGER):
        return access.EnrolmentRecord(record)
    return record
