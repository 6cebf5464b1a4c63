"""The assessment records that belong to a participant, registered with the access policy (from
AssessmentConfig.ready), so subject access, the audit trail and the examiner's sample find them."""

from assessment.models import (
    Citation,
    CriterionMark,
    FeedForwardResponse,
    Marking,
    Submission,
    SubmissionItem,
    SubmittedFile,
)
from programme import access
from programme.access import RecordKind as K


def submissions_in_sample(examiner, submission_ids: list[int]) -> set[int]:
    """The submissions among these that are in the external examiner's sample. None is until
    marking draws the samples (issue 10), so the examiner reads no submission yet."""
    return set()


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
    kinds = (K.MARKS_UNRELEASED, K.MARKS_RELEASED)
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
