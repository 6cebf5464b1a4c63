"""Attaching a file of evidence to the initial diagnosis. Files are read through files.views.download."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from coaching import services
from coaching.forms import EvidenceUploadForm
from coaching.views._common import diagnosis_of
from programme import access
from programme.access import Action
from programme.models import Enrolment
from ui.errors import saved


@login_required
def diagnosis_evidence_add(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """The coach or the participant attaches a file to the diagnosis while it is being agreed."""
    enrolment = get_object_or_404(Enrolment.objects.select_related("participant"), pk=enrolment_id)
    found = diagnosis_of(enrolment)
    if found is None:
        raise Http404("No diagnosis yet.")
    access.require(request.user, Action.ATTACH, found)
    form = EvidenceUploadForm(request.POST, request.FILES) if request.method == "POST" else EvidenceUploadForm()
    attached = saved(
        request,
        form,
        lambda: services.diagnosis_evidence_add(diagnosis=found, by=request.user, upload=form.cleaned_data["file"]),
        message="Evidence attached to the initial diagnosis.",
    )
    if attached:
        return redirect("coaching:diagnosis", enrolment_id=enrolment.pk)
    return render(
        request, "coaching/diagnosis_evidence_form.html", {"form": form, "enrolment": enrolment, "diagnosis": found}
    )
