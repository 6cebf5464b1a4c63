"""A participant's action steps: the list, adding one to a log, closing one."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from audit import trail
from coaching import selectors, services
from coaching.forms import ActionStepCloseForm, ActionStepForm
from coaching.models import ActionStep
from coaching.views._common import fetch_enrolment, fetch_log
from programme import access
from programme.access import Action
from programme.models import Enrolment
from ui.errors import saved


@login_required
def action_steps(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = get_object_or_404(Enrolment.objects.select_related("participant"), pk=enrolment_id)
    open_steps, closed_steps = selectors.action_steps(request.user, enrolment)
    if not open_steps and not closed_steps:
        # Nothing to show: say so only to someone who may follow this participant's coaching.
        fetch_enrolment(request, enrolment_id)
    if request.user.pk != enrolment.participant_id:
        # Each step shown in full to anyone but the participant is a read, all in one INSERT.
        trail.record_many(trail.Action.READ, [entry.step for entry in (*open_steps, *closed_steps)])
    return render(
        request,
        "coaching/action_steps.html",
        {"enrolment": enrolment, "open_steps": open_steps, "closed_steps": closed_steps, "today": timezone.localdate()},
    )


@login_required
def action_step_create(request: HttpRequest, pk: int) -> HttpResponse:
    log, _ = fetch_log(request, pk, Action.CHANGE)
    if request.method == "POST":
        form = ActionStepForm(request.POST, log=log)

        def add() -> ActionStep:
            data = form.cleaned_data
            owner = log.enrolment.participant if int(data["owner"]) == log.enrolment.participant_id else log.coach
            return services.action_step_create(
                log=log,
                by=request.user,
                owner=owner,
                description=data["description"],
                due_on=data["due_on"],
                success_criteria=data["success_criteria"],
            )

        if saved(request, form, add, message="Action step added."):
            return redirect("coaching:log_detail", pk=log.pk)
    else:
        form = ActionStepForm(log=log, initial={"owner": log.enrolment.participant_id})
    return render(request, "coaching/action_step_form.html", {"form": form, "log": log, "enrolment": log.enrolment})


@login_required
def action_step_close(request: HttpRequest, pk: int) -> HttpResponse:
    """The coach closes a step, usually when it is reviewed at the next session; the participant
    closes a step they own."""
    step = get_object_or_404(ActionStep.objects.select_related("log__enrolment__participant", "owner"), pk=pk)
    access.require(request.user, Action.CLOSE, step)
    if request.method == "POST":
        form = ActionStepCloseForm(request.POST)
        closed = saved(
            request,
            form,
            lambda: services.action_step_close(
                step=step,
                by=request.user,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["closing_note"],
            ),
            message="Action step closed.",
        )
        if closed:
            return redirect("coaching:action_steps", enrolment_id=step.enrolment_id)
    else:
        form = ActionStepCloseForm()
    return render(
        request, "coaching/action_step_close.html", {"form": form, "step": step, "enrolment": step.log.enrolment}
    )
