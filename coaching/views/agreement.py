"""Agreeing a log: the coach sends it to the participant, who agrees it or asks for a change; a
change to an agreed log is a new version."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from audit import trail
from coaching import services
from coaching.forms import NewVersionForm, RespondForm, SendForm
from coaching.models import DialogueLog
from coaching.views._common import fetch_log
from programme.access import Action
from ui.errors import RuleError, saved


@login_required
@require_POST
def log_send(request: HttpRequest, pk: int) -> HttpResponse:
    log, _ = fetch_log(request, pk, Action.CHANGE)
    form = SendForm(request.POST)
    if not form.is_valid():
        return redirect("coaching:log_detail", pk=log.pk)
    try:
        services.log_send_for_agreement(log=log, by=request.user, version=form.cleaned_data["version"])
    except RuleError as error:
        for message_list in error.errors.values():
            for message in message_list:
                messages.error(request, message)
    else:
        messages.success(request, "Log sent to the participant to agree.")
    return redirect("coaching:log_detail", pk=log.pk)


@login_required
def log_respond(request: HttpRequest, pk: int) -> HttpResponse:
    """The participant adds their reflection and agrees, or asks for a change."""
    log, _ = fetch_log(request, pk, Action.AGREE)
    log = (
        DialogueLog.objects.select_related("enrolment__participant", "coach")
        .prefetch_related("content_areas", "topics", "standards", "action_steps__owner")
        .get(pk=log.pk)
    )
    if request.method == "POST":
        form = RespondForm(request.POST)
        asks_change = request.POST.get("decision") == "request_change"

        def respond() -> DialogueLog:
            data = form.cleaned_data
            if asks_change:
                return services.log_request_change(
                    log=log,
                    by=request.user,
                    version=data["version"],
                    comment=data["comment"],
                    reflection=data["reflection"],
                )
            return services.log_agree(log=log, by=request.user, version=data["version"], reflection=data["reflection"])

        message = (
            "Your coach has been asked to change the record."
            if asks_change
            else "You have agreed the record of this session."
        )
        if saved(request, form, respond, message=message):
            return redirect("coaching:log_detail", pk=log.pk)
    else:
        form = RespondForm(initial={"version": log.version, "reflection": log.participant_reflection})
    return render(request, "coaching/log_respond.html", {"form": form, "log": log, "enrolment": log.enrolment})


@login_required
def log_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    log, _ = fetch_log(request, pk, Action.NEW_VERSION)
    if request.method == "POST":
        form = NewVersionForm(request.POST)
        changed = saved(
            request,
            form,
            lambda: services.log_new_version(
                log=log,
                by=request.user,
                version=form.cleaned_data["version"] or 0,
                content=form.content(),
                reason=form.cleaned_data["reason"],
            ),
            message=lambda changed: f"Version {changed.agreed_version} of the log recorded.",
        )
        if changed:
            return redirect("coaching:log_detail", pk=changed.pk)
    else:
        form = NewVersionForm(initial=NewVersionForm.initial_for(log))
        trail.read(log, participant_id=log.enrolment.participant_id)
    return render(
        request,
        "coaching/log_form.html",
        {
            "form": form,
            "enrolment": log.enrolment,
            "log": log,
            "title": "Change an agreed log",
            "new_version": True,
        },
    )
