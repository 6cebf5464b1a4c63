"""The initial diagnosis: reading it, the coach drafting it, the participant's response."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from audit import trail
from coaching import services
from coaching.forms import DiagnosisForm, DiagnosisRespondForm
from coaching.models import AgreementStatus, InitialDiagnosis, LearningPlan
from coaching.views._common import diagnosis_of
from programme import access
from programme.access import Action, EnrolmentRecord
from programme.models import Enrolment
from ui.errors import saved


def _new_diagnosis_for(enrolment: Enrolment) -> InitialDiagnosis:
    return InitialDiagnosis(enrolment=enrolment, held_on=timezone.localdate(), status=AgreementStatus.DRAFT)


@login_required
def diagnosis(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = get_object_or_404(Enrolment.objects.select_related("participant", "current_phase"), pk=enrolment_id)
    found = diagnosis_of(enrolment)
    if found is None:
        access.require(request.user, Action.VIEW, EnrolmentRecord(enrolment))
        may_start = access.can(request.user, Action.CHANGE, _new_diagnosis_for(enrolment))
        return render(request, "coaching/diagnosis.html", {"enrolment": enrolment, "may_start": may_start})
    actions = access.require(request.user, Action.VIEW, found)
    trail.read(found, participant_id=enrolment.participant_id)
    plan = LearningPlan.objects.filter(enrolment=enrolment).prefetch_related("goals__content_area").first()
    evidence = found.evidence.select_related("uploaded_by")
    reviews = plan.reviews.select_related("phase", "reviewed_by") if plan else []
    return render(
        request,
        "coaching/diagnosis.html",
        {
            "enrolment": enrolment,
            "diagnosis": found,
            "plan": plan,
            "reviews": reviews,
            "evidence": evidence,
            "may_attach": Action.ATTACH in actions,
            "may_change": Action.CHANGE in actions and found.status != AgreementStatus.AGREED,
            "may_respond": Action.AGREE in actions and found.status == AgreementStatus.AWAITING_PARTICIPANT,
            "may_review": Action.NEW_VERSION in actions and found.status == AgreementStatus.AGREED,
            "today": timezone.localdate(),
        },
    )


@login_required
def diagnosis_edit(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = get_object_or_404(Enrolment.objects.select_related("participant"), pk=enrolment_id)
    found = diagnosis_of(enrolment)
    access.require(request.user, Action.CHANGE, found or _new_diagnosis_for(enrolment))
    if request.method == "POST":
        form = DiagnosisForm(request.POST)
        diagnosis_saved = saved(
            request,
            form,
            lambda: services.diagnosis_save(
                enrolment=enrolment,
                coach=request.user,
                content=form.content(),
                version=form.cleaned_data["version"],
                send_for_agreement="send" in request.POST,
            ),
            message="Initial diagnosis saved.",
        )
        if diagnosis_saved:
            return redirect("coaching:diagnosis", enrolment_id=enrolment.pk)
    elif found is not None:
        form = DiagnosisForm(initial=DiagnosisForm.initial_for(found))
        trail.read(found, participant_id=enrolment.participant_id)
    else:
        form = DiagnosisForm(initial={"held_on": timezone.localdate()})
    return render(request, "coaching/diagnosis_form.html", {"form": form, "enrolment": enrolment, "diagnosis": found})


@login_required
def diagnosis_respond(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = get_object_or_404(Enrolment.objects.select_related("participant"), pk=enrolment_id)
    found = diagnosis_of(enrolment)
    if found is None:
        raise Http404("No diagnosis yet.")
    access.require(request.user, Action.AGREE, found)
    form = DiagnosisRespondForm(request.POST or None, initial={"version": found.version})
    asks_change = request.POST.get("decision") == "request_change"

    def respond() -> InitialDiagnosis:
        if asks_change:
            return services.diagnosis_request_change(
                diagnosis=found,
                by=request.user,
                version=form.cleaned_data["version"],
                comment=form.cleaned_data["comment"],
            )
        return services.diagnosis_agree(diagnosis=found, by=request.user, version=form.cleaned_data["version"])

    message = (
        "Your coach has been asked to change the diagnosis."
        if asks_change
        else "You have agreed your initial diagnosis and learning plan."
    )
    if saved(request, form, respond, message=message):
        return redirect("coaching:diagnosis", enrolment_id=enrolment.pk)
    plan = LearningPlan.objects.filter(enrolment=enrolment).prefetch_related("goals__content_area").first()
    return render(
        request,
        "coaching/diagnosis_respond.html",
        {"form": form, "enrolment": enrolment, "diagnosis": found, "plan": plan},
    )
