"""Learning opportunities the coach arranges, and what was learned from them."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from audit import trail
from coaching import selectors, services
from coaching.forms import OpportunityForm, OpportunityLearningForm
from coaching.models import DialogueLog, LearningOpportunity
from coaching.views._common import fetch_enrolment
from programme import access
from programme.access import Action
from programme.models import Enrolment
from ui.errors import saved


@login_required
def opportunities(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """The opportunities arranged for the participant, and (for the coach) a form to arrange one."""
    enrolment = get_object_or_404(Enrolment.objects.select_related("participant"), pk=enrolment_id)
    found = LearningOpportunity.objects.filter(enrolment=enrolment).select_related("log", "arranged_by")
    entries = [(o, a) for o, a in selectors.readable(request.user, found) if Action.VIEW in a]
    if not entries:
        fetch_enrolment(request, enrolment_id)
    if request.user.pk != enrolment.participant_id:
        # Each opportunity shown (what was arranged and learned) to anyone but the participant is a
        # read, all in one INSERT.
        trail.record_many(trail.Action.READ, [opportunity for opportunity, _ in entries])
    candidate = LearningOpportunity(enrolment=enrolment, happens_on=timezone.localdate())
    may_arrange = access.can(request.user, Action.CHANGE, candidate)
    form = OpportunityForm(request.POST or None) if may_arrange else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Only the participant's coach arranges opportunities.")
        arranged = saved(
            request,
            form,
            lambda: services.learning_opportunity_arrange(enrolment=enrolment, coach=request.user, **form.cleaned_data),
            message="Learning opportunity arranged.",
        )
        if arranged:
            return redirect("coaching:opportunities", enrolment_id=enrolment.pk)
    return render(
        request,
        "coaching/opportunities.html",
        {"enrolment": enrolment, "entries": entries, "form": form, "today": timezone.localdate()},
    )


@login_required
def opportunity_learning(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = get_object_or_404(LearningOpportunity.objects.select_related("log", "enrolment__participant"), pk=pk)
    agreed = opportunity.access_kind == access.RecordKind.LEARNING_OPPORTUNITY_AGREED
    access.require(request.user, Action.NEW_VERSION if agreed else Action.CHANGE, opportunity)
    logs = access.permitted(
        request.user,
        Action.VIEW,
        DialogueLog.objects.filter(enrolment_id=opportunity.enrolment_id).order_by("-session_on"),
    )
    form = OpportunityLearningForm(
        request.POST or None,
        logs=logs,
        initial={"what_was_learned": opportunity.what_was_learned, "log": opportunity.log_id},
    )
    recorded = saved(
        request,
        form,
        lambda: services.learning_opportunity_record_learning(
            opportunity=opportunity,
            by=request.user,
            what_was_learned=form.cleaned_data["what_was_learned"],
            log=form.cleaned_data["log"],
        ),
        message="What was learned is recorded.",
    )
    if recorded:
        return redirect("coaching:opportunities", enrolment_id=opportunity.enrolment_id)
    return render(
        request,
        "coaching/opportunity_learning.html",
        {"form": form, "opportunity": opportunity, "enrolment": opportunity.enrolment},
    )
