"""Starting a resubmission after a referral: keyword-only, one transaction, the access policy asked
first. The resubmission is a new Submission linked to the referred one (`resubmission_of`), with its
own due date (assessment.rules.deadlines.resubmission_due_on), built and submitted in the builder
like any attempt (assessment.services.submissions) and frozen the same way. Its mark is capped at
the task's cap (recorded on its marking when marking starts) and it cannot be referred again
(assessment.rules.marks)."""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from assessment.models import Submission
from assessment.selectors.resubmission import offer_for
from assessment.services.submissions import carry_forward
from audit import trail
from programme import access
from programme.access import Action
from programme.models import Enrolment
from ui.errors import RuleError


@transaction.atomic
def resubmission_start(*, by: User, submission: Submission, today: datetime.date | None = None) -> Submission:
    """The participant starts resubmitting referred work: a draft carrying the referred attempt's
    commentary and choices, to change and submit by its own due date. Starting again returns the
    resubmission already started. Refused unless the work's referral is released, and after the
    resubmission's due date."""
    today = today or timezone.localdate()
    Enrolment.objects.select_for_update().filter(pk=submission.enrolment_id).first()  # one start at a time
    referred = Submission.objects.select_related("task__phase", "enrolment").get(pk=submission.pk)
    access.require(by, Action.VIEW, referred)
    offer = offer_for(referred, today=today)
    if offer is None:
        raise RuleError(
            "Work can be resubmitted only once its result has been released with the outcome “refer for "
            "resubmission”, and only once.",
            rule="not_referred",
        )
    if offer.resubmission is not None:
        return offer.resubmission
    if not offer.may_start:
        raise RuleError(f"The last day to resubmit this work was {offer.due_on:%-d %B %Y}.", rule="resubmission_closed")
    enrolment = referred.enrolment
    if referred.task.phase_id != enrolment.current_phase_id:
        raise RuleError("This task is not one of your current phase's.", rule="not_your_task")
    latest = Submission.objects.filter(enrolment=enrolment, task=referred.task).order_by("-attempt").first()
    draft = Submission(
        enrolment=enrolment,
        task=referred.task,
        attempt=latest.attempt + 1,
        previous=referred,
        is_resubmission=True,
        resubmission_of=referred,
        resubmission_due_on=offer.due_on,
        commentary=referred.commentary,
        word_count=referred.word_count,
        dated_on=today,
    )
    access.require(by, Action.CHANGE, draft)  # the participant alone writes their drafts
    draft.save()
    carry_forward(referred, draft)
    trail.record(
        trail.Action.SUBMISSION_SAVE,
        record=draft,
        actor=by,
        detail={"attempt": draft.attempt, "resubmission_of": referred.pk, "due_on": offer.due_on.isoformat()},
    )
    return draft
