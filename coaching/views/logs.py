"""One dialogue log: recording a session, reading and changing the draft, its versions, and the
coach's private note on it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from audit import trail
from coaching import selectors, services
from coaching.forms import DialogueLogForm, PrivateNoteForm, SendForm
from coaching.models import AgreementStatus, DialogueLog, DialogueLogVersion, PrivateNote, SessionKind, SessionSetting
from coaching.views._common import fetch_log, new_log_for
from portfolio import selectors as portfolio_selectors
from programme import access
from programme.access import Action
from programme.models import Enrolment
from ui.errors import saved


def _private_note_of(request: HttpRequest, log: DialogueLog) -> PrivateNote:
    note = PrivateNote.objects.filter(log=log, author=request.user).first()
    return note or PrivateNote(log=log, author=request.user, text="")


@login_required
def log_create(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = get_object_or_404(Enrolment.objects.select_related("participant"), pk=enrolment_id)
    access.require(request.user, Action.CHANGE, new_log_for(enrolment))
    if request.method == "POST":
        form = DialogueLogForm(request.POST)
        log = saved(
            request,
            form,
            lambda: services.log_draft_create(
                enrolment=enrolment,
                coach=request.user,
                content=form.content(),
                send_for_agreement="send" in request.POST,
            ),
            message=lambda log: (
                "Log sent to the participant to agree."
                if log.status == AgreementStatus.AWAITING_PARTICIPANT
                else "Log saved as a draft."
            ),
        )
        if log:
            return redirect("coaching:log_detail", pk=log.pk)
    else:
        form = DialogueLogForm(
            initial={
                "session_on": timezone.localdate(),
                "duration_minutes": 60,
                "kind": SessionKind.COACHING_CONVERSATION,
                "setting": SessionSetting.OWN_SCHOOL,
            }
        )
    return render(
        request,
        "coaching/log_form.html",
        {"form": form, "enrolment": enrolment, "title": "Record a coaching session"},
    )


@login_required
def log_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        log, actions = fetch_log(request, pk, Action.VIEW)
    except PermissionDenied:
        # They may see that the session happened, not what was said.
        log, _ = fetch_log(request, pk, Action.VIEW_SUMMARY)
        log = DialogueLog.objects.prefetch_related("content_areas").get(pk=log.pk)
        trail.read(log, participant_id=log.enrolment.participant_id, summary=True)
        return render(
            request,
            "coaching/log_summary.html",
            {"enrolment": log.enrolment, "session": selectors.summary_of(log)},
        )
    log = (
        DialogueLog.objects.select_related("enrolment__participant", "coach", "guide")
        .prefetch_related("content_areas", "topics", "standards", "action_steps__owner")
        .get(pk=log.pk)
    )
    trail.read(log, participant_id=log.enrolment.participant_id)
    note = _private_note_of(request, log)
    context = {
        "log": log,
        "enrolment": log.enrolment,
        "actions": actions,
        "may_change": Action.CHANGE in actions and not log.is_agreed,
        "may_send": Action.CHANGE in actions and log.status == AgreementStatus.DRAFT,
        "may_respond": Action.AGREE in actions and log.status == AgreementStatus.AWAITING_PARTICIPANT,
        "may_new_version": Action.NEW_VERSION in actions and log.is_agreed,
        "may_note": access.can(request.user, Action.CHANGE, note),
        "note": note if note.pk else None,
        "send_form": SendForm(initial={"version": log.version}),
        # Links both ways: the portfolio records that cite this agreed log, those this person may read.
        "citing": portfolio_selectors.citing(request.user, log) if log.is_agreed else None,
        "today": timezone.localdate(),
    }
    return render(request, "coaching/log_detail.html", context)


@login_required
def log_edit(request: HttpRequest, pk: int) -> HttpResponse:
    log, _ = fetch_log(request, pk, Action.CHANGE)
    if log.is_agreed:
        return redirect("coaching:log_new_version", pk=log.pk)
    if request.method == "POST":
        form = DialogueLogForm(request.POST)
        updated = saved(
            request,
            form,
            lambda: services.log_draft_update(
                log=log,
                by=request.user,
                version=form.cleaned_data["version"] or 0,
                content=form.content(),
                send_for_agreement="send" in request.POST,
            ),
            message=lambda updated: (
                "Log saved and waiting for the participant."
                if updated.status == AgreementStatus.AWAITING_PARTICIPANT
                else "Draft saved."
            ),
        )
        if updated:
            return redirect("coaching:log_detail", pk=updated.pk)
    else:
        form = DialogueLogForm(initial=DialogueLogForm.initial_for(log))
        trail.read(log, participant_id=log.enrolment.participant_id)
    return render(
        request,
        "coaching/log_form.html",
        {"form": form, "enrolment": log.enrolment, "log": log, "title": "Change the draft log"},
    )


@login_required
def log_versions(request: HttpRequest, pk: int) -> HttpResponse:
    log, _ = fetch_log(request, pk, Action.VIEW)
    trail.read(log, participant_id=log.enrolment.participant_id)
    return render(
        request,
        "coaching/log_versions.html",
        {"log": log, "enrolment": log.enrolment, "versions": selectors.versions(request.user, log)},
    )


@login_required
def log_version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version = get_object_or_404(
        DialogueLogVersion.objects.select_related("log__enrolment__participant", "created_by"), log_id=pk, number=number
    )
    access.require(request.user, Action.VIEW, version)
    trail.read(version, participant_id=version.log.enrolment.participant_id)
    return render(
        request,
        "coaching/log_version_detail.html",
        {"version": version, "log": version.log, "enrolment": version.log.enrolment},
    )


@login_required
def private_note(request: HttpRequest, pk: int) -> HttpResponse:
    log = get_object_or_404(DialogueLog.objects.select_related("enrolment__participant"), pk=pk)
    note = _private_note_of(request, log)
    access.require(request.user, Action.CHANGE, note)
    if request.method == "POST":
        form = PrivateNoteForm(request.POST)
        if form.is_valid():
            services.private_note_save(log=log, author=request.user, text=form.cleaned_data["text"])
            messages.success(request, "Your private note is saved.")
            return redirect(reverse("coaching:log_detail", kwargs={"pk": log.pk}) + "#private-note")
    else:
        form = PrivateNoteForm(initial={"text": note.text})
    return render(request, "coaching/private_note.html", {"form": form, "log": log, "enrolment": log.enrolment})
