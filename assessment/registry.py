"""The assessment records that belong to a participant, registered with the access policy (from
AssessmentConfig.ready), so subject access, the audit trail and the examiner's sample find them."""

from django.db.models import Q, QuerySet

from assessment.models import (
    Citation,
    CriterionMark,
    ExaminerComment,
    ExaminerSample,
    FeedForwardResponse,
    Marking,
    Moderation,
    ModerationNote,
    PriorLearningClaim,
    SampledSubmission,
    StatementCitation,
    Submission,
    SubmissionItem,
    SubmittedFile,
    SupportingStatement,
)
from programme import access
from programme.access import RecordKind as K


def sampled_submission_ids(examiner) -> QuerySet:
    """The ids of the submissions in this examiner's confirmed samples, as a subquery: the one
    definition of "in the sample" every look-up below is built on. A draft sample, a removed entry
    or another examiner's sample opens nothing."""
    return SampledSubmission.objects.filter(
        removed_at__isnull=True, sample__state=ExaminerSample.State.CONFIRMED, sample__examiners=examiner
    ).values("submission_id")


def submissions_in_sample(examiner, submission_ids: list[int]) -> set[int]:
    """The submissions among these that are in the external examiner's confirmed sample."""
    found = sampled_submission_ids(examiner).filter(submission_id__in=submission_ids)
    return set(found.values_list("submission_id", flat=True))


def _items_in_sample(examiner, item_ids: list[int]) -> set[int]:
    rows = list(SubmissionItem.objects.filter(pk__in=item_ids).values_list("pk", "submission_id"))
    sampled = submissions_in_sample(examiner, sorted({submission for _, submission in rows}))
    return {pk for pk, submission in rows if submission in sampled}


def _files_in_sample(examiner, file_ids: list[int]) -> set[int]:
    rows = list(SubmittedFile.objects.filter(pk__in=file_ids).values_list("pk", "item__submission_id"))
    sampled = submissions_in_sample(examiner, sorted({submission for _, submission in rows}))
    return {pk for pk, submission in rows if submission in sampled}


def _answers_in_sample(examiner, answer_ids: list[int]) -> set[int]:
    rows = list(FeedForwardResponse.objects.filter(pk__in=answer_ids).values_list("pk", "submission_id"))
    sampled = submissions_in_sample(examiner, sorted({submission for _, submission in rows}))
    return {pk for pk, submission in rows if submission in sampled}


def register() -> None:
    kinds = (K.SUBMISSION_DRAFT, K.SUBMISSION)
    access.register(Submission, kinds=kinds, enrolment="enrolment", date="dated_on", sample=submissions_in_sample)
    access.register(
        SubmissionItem,
        kinds=kinds,
        enrolment="submission__enrolment",
        date="submission__dated_on",
        sample=_items_in_sample,
    )
    access.register(
        FeedForwardResponse,
        kinds=kinds,
        enrolment="submission__enrolment",
        date="submission__dated_on",
        sample=_answers_in_sample,
    )
    access.register(
        SubmittedFile,
        kinds=kinds,
        enrolment="item__submission__enrolment",
        date="item__submission__dated_on",
        sample=_files_in_sample,
    )


def _markings_in_sample(examiner, ids: list[int], *, path: str, model) -> set[int]:
    rows = list(model.objects.filter(pk__in=ids).values_list("pk", path))
    sampled = submissions_in_sample(examiner, sorted({submission for _, submission in rows}))
    return {pk for pk, submission in rows if submission in sampled}


def register_marking() -> None:
    """Marks and feedback: unreleased until the task's results are released (see assessment.workflow)."""
    kinds = (K.MARKS_UNRELEASED, K.MARKS_RELEASED, K.SECOND_MARKS)
    for model, path in (
        (Marking, "submission"),
        (CriterionMark, "marking__submission"),
        (Citation, "criterion_mark__marking__submission"),
    ):
        access.register(
            model,
            kinds=kinds,
            enrolment=f"{path}__enrolment",
            date=f"{path}__dated_on",
            sample=lambda examiner, ids, path=path, model=model: _markings_in_sample(
                examiner, ids, path=path, model=model
            ),
        )


def _in_sample(examiner, ids: list[int], *, rows: QuerySet, column: str) -> set[int]:
    """One query: which of `ids` appear in `column` of `rows` (items or citations of sampled work)."""
    return set(rows.filter(**{f"{column}__in": ids}).values_list(column, flat=True).distinct())


def _cited(examiner) -> QuerySet:
    """Citations in the marks of this examiner's sampled submissions (any marker's)."""
    return Citation.objects.filter(criterion_mark__marking__submission_id__in=sampled_submission_ids(examiner))


def _items(examiner) -> QuerySet:
    return SubmissionItem.objects.filter(submission_id__in=sampled_submission_ids(examiner))


def enrolments_in_sample(examiner, enrolment_ids: list[int]) -> set[int]:
    """The participants among these with work in the examiner's sample: their enrolment and credit
    ledger (and their prior learning claims) are then readable to the examiner."""
    found = Submission.objects.filter(pk__in=sampled_submission_ids(examiner), enrolment_id__in=enrolment_ids)
    return set(found.values_list("enrolment_id", flat=True).distinct())


def register_sampling() -> None:
    """What the examiner reads of a confirmed sample (PRODUCT.md, who sees what): an agreed log (at
    the version cited) or action step only when cited in a sampled submission's marks; evidence,
    reflections and enquiries only when in a sampled submission (or, for an enquiry section, cited);
    the participant's place and credit ledger when some of their work is sampled; the examiners'
    comments on sampled work. One look-up, one query, per model."""
    from coaching.models import ActionStep, DialogueLogVersion
    from portfolio.models import Enquiry, EnquiryCitation, Evidence, EvidenceFile, Reflection

    access.sample_with(DialogueLogVersion, lambda e, ids: _in_sample(e, ids, rows=_cited(e), column="log_version_id"))
    access.sample_with(ActionStep, lambda e, ids: _in_sample(e, ids, rows=_cited(e), column="action_step_id"))
    access.sample_with(Evidence, lambda e, ids: _in_sample(e, ids, rows=_items(e), column="evidence_id"))
    access.sample_with(Reflection, lambda e, ids: _in_sample(e, ids, rows=_items(e), column="reflection_id"))
    access.sample_with(
        EvidenceFile,
        lambda e, ids: set(
            EvidenceFile.objects.filter(pk__in=ids, evidence_id__in=_items(e).values("evidence_id")).values_list(
                "pk", flat=True
            )
        ),
    )

    def sampled_enquiries(examiner) -> Q:
        return Q(pk__in=_items(examiner).values("enquiry_id")) | Q(pk__in=_cited(examiner).values("enquiry_id"))

    access.sample_with(
        Enquiry,
        lambda e, ids: set(Enquiry.objects.filter(sampled_enquiries(e), pk__in=ids).values_list("pk", flat=True)),
    )
    access.sample_with(
        EnquiryCitation,
        lambda e, ids: set(
            EnquiryCitation.objects.filter(
                pk__in=ids, enquiry_id__in=Enquiry.objects.filter(sampled_enquiries(e)).values("pk")
            ).values_list("pk", flat=True)
        ),
    )
    access.sample_with(
        PriorLearningClaim,
        lambda e, ids: set(
            PriorLearningClaim.objects.filter(
                pk__in=ids,
                enrolment_id__in=Submission.objects.filter(pk__in=sampled_submission_ids(e)).values("enrolment_id"),
            ).values_list("pk", flat=True)
        ),
    )
    access.sample_enrolments_with(enrolments_in_sample)
    access.register(
        ExaminerComment,
        kinds=(K.EXAMINER_COMMENT,),
        enrolment="submission__enrolment",
        date="submission__dated_on",
        sample=lambda e, ids: _in_sample(
            e, ids, rows=ExaminerComment.objects.filter(submission_id__in=sampled_submission_ids(e)), column="pk"
        ),
    )


def register_statements() -> None:
    """The coach's supporting statement and its citations, judged on the submission's date and read
    by the examiner only when the submission is in their sample."""
    for model, path in ((SupportingStatement, "submission"), (StatementCitation, "statement__submission")):
        access.register(
            model,
            kinds=(K.SUPPORTING_STATEMENT,),
            enrolment=f"{path}__enrolment",
            date=f"{path}__dated_on",
            sample=lambda examiner, ids, path=path, model=model: _markings_in_sample(
                examiner, ids, path=path, model=model
            ),
        )


def marker_periods(user, enrolment_ids: set[int]):
    """The moderation's markers (access.Relation.MARKER): a second marker holds the relation towards
    the participant from the submission's date while second marking and reconciling, a third marker
    while third-marking; afterwards only on that day, which has passed, so they read and change nothing
    more. One query for any number of participants."""
    S = Moderation.Stage
    rows = (
        Moderation.objects.filter(submission__enrolment_id__in=enrolment_ids)
        .filter(Q(second_marker=user) | Q(third_marker=user))
        .values_list("submission__enrolment_id", "submission__dated_on", "second_marker_id", "third_marker_id", "stage")
    )
    for enrolment_id, dated_on, second_id, third_id, stage in rows:
        active = (second_id == user.pk and stage in (S.SECOND_MARKING, S.RECONCILING)) or (
            third_id == user.pk and stage == S.THIRD_MARKING
        )
        yield enrolment_id, dated_on, None if active else dated_on


def register_moderation() -> None:
    """Moderation records (MODERATION_RECORD), and where the markers' relation comes from."""
    kinds = (K.MODERATION_RECORD,)
    for model, path in ((Moderation, "submission"), (ModerationNote, "moderation__submission")):
        access.register(
            model,
            kinds=kinds,
            enrolment=f"{path}__enrolment",
            date=f"{path}__dated_on",
            sample=lambda examiner, ids, path=path, model=model: _markings_in_sample(
                examiner, ids, path=path, model=model
            ),
        )
    access.register_periods(access.Relation.MARKER, marker_periods)
