"""What the coaching views share: fetching a record for this person."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from coaching.models import AgreementStatus, DialogueLog, InitialDiagnosis
from programme import access
from programme.access import Action, EnrolmentRecord
from programme.models import Enrolment


def fetch_enrolment(request: HttpRequest, enrolment_id: int) -> tuple[Enrolment, frozenset[Action]]:
    enrolment = get_object_or_404(Enrolment.objects.select_related("participant", "current_phase"), pk=enrolment_id)
    return enrolment, access.require(request.user, Action.VIEW, EnrolmentRecord(enrolment))


def fetch_log(request: HttpRequest, pk: int, action: Action) -> tuple[DialogueLog, frozenset[Action]]:
    log = get_object_or_404(DialogueLog.objects.select_related("enrolment__participant", "coach"), pk=pk)
    return log, access.require(request.user, action, log)


def new_log_for(enrolment: Enrolment) -> DialogueLog:
    """A draft not yet written, dated today: may this person start one?"""
    return DialogueLog(enrolment=enrolment, session_on=timezone.localdate(), status=AgreementStatus.DRAFT)


def diagnosis_of(enrolment: Enrolment) -> InitialDiagnosis | None:
    return (
        InitialDiagnosis.objects.filter(enrolment=enrolment)
        .select_related("enrolment__participant", "coach")
        .prefetch_related("needs__content_area", "needs__standards")
        .first()
    )
