"""What the coaching views share: fetching a record for this person, and a form's trip to a service."""

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from coaching.forms import apply_errors
from coaching.models import AgreementStatus, DialogueLog, InitialDiagnosis
from coaching.services import CoachingError
from programme import access
from programme.access import Action, EnrolmentRecord
from programme.models import Enrolment

T = TypeVar("T")


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


def saved(
    request: HttpRequest, form: forms.Form, save: Callable[[], T], *, message: str | Callable[[T], str]
) -> T | None:
    """Send a valid form to its service. Saved: the success message is shown and what the service
    returned (a record) is the answer, for the view to redirect. Refused with a CoachingError: its
    messages go beside the fields they are about and the answer is None, so the view shows the
    form again with what was typed. An unbound or invalid form is None too, and calls nothing."""
    if not form.is_valid():
        return None
    try:
        done = save()
    except CoachingError as error:
        apply_errors(form, error)
        return None
    messages.success(request, message(done) if callable(message) else message)
    return done
