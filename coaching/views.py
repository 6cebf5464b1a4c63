"""Coaching pages. Thin: fetch the record for this person (the access policy decides, 404 when they
may not see it, 403 when they may see it but not do this), parse the form, call a service, render."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from accounts.roles import Role
from coaching import selectors, services
from coaching.forms import (
    ActionStepCloseForm,
    ActionStepForm,
    DiagnosisForm,
    DiagnosisRespondForm,
    DialogueLogForm,
    EvidenceUploadForm,
    GoalForm,
    NewVersionForm,
    OpportunityForm,
    OpportunityLearningForm,
    PlanReviewForm,
    PrivateNoteForm,
    ReminderPreferencesForm,
    RespondForm,
    SendForm,
    TimelineFilterForm,
    apply_errors,
)
from coaching.models import (
    ActionStep,
    AgreementStatus,
    DiagnosisEvidence,
    DialogueLog,
    DialogueLogVersion,
    InitialDiagnosis,
    LearningOpportunity,
    LearningPlan,
    PrivateNote,
    ReminderKind,
    ReminderPreference,
    SessionKind,
    SessionSetting,
)
from coaching.services import CoachingError
from programme import access
from programme.access import Action, EnrolmentRecord, Relation
from programme.models import Enrolment, School

# --- Fetching a record for this person.


def _enrolment(request: HttpRequest, enrolment_id: int) -> tuple[Enrolment, frozenset[Action]]:
    enrolment = get_object_or_404(Enrolment.objects.select_related("participant", "current_phase"), pk=enrolment_id)
    return enrolment, access.require(request.user, Action.VIEW, EnrolmentRecord(enrolment))


def _log(request: HttpRequest, pk: int, action: Action) -> tuple[DialogueLog, frozenset[Action]]:
    log = get_object_or_404(DialogueLog.objects.select_related("enrolment__participant", "coach"), pk=pk)
    return log, access.require(request.user, action, log)


def _new_log_for(enrolment: Enrolment) -> DialogueLog:
    """A draft not yet written, dated today: may this person start one?"""
    return DialogueLog(enrolment=enrolment, session_on=timezone.localdate(), status=AgreementStatus.DRAFT)


def _may_record_session(request: HttpRequest, enrolment: Enrolment) -> bool:
    return access.can(request.user, Action.CHANGE, _new_log_for(enrolment))


def _private_note_of(request: HttpRequest, log: DialogueLog) -> PrivateNote:
    note = PrivateNote.objects.filter(log=log, author=request.user).first()
    return note or PrivateNote(log=log, author=request.user, text="")


# --- Lists.


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The participants whose coaching this person follows, by how they relate to them."""
    user = request.user
    if user.roles == {Role.PARTICIPANT}:
        mine = access.enrolments_for(user, Relation.PARTICIPANT).first()
        if mine is not None:
            return redirect("coaching:timeline", enrolment_id=mine.pk)
    groups = []
    for relation, title in [
        (Relation.PARTICIPANT, "Your own coaching"),
        (Relation.COACH, "Participants you coach"),
        (Relation.TUTOR, "Participants you tutor"),
        (Relation.HEAD, "Participants at your school"),
        (Relation.PROGRAMME_LEADER, "Every participant"),
    ]:
        enrolments = (
            access.enrolments_for(user, relation)
            .select_related("participant")
            .order_by("participant__last_name", "participant__first_name", "pk")
        )
        if relation.value in user.roles:
            groups.append({"title": title, "relation": relation, "enrolments": enrolments})
    if not groups:
        raise Http404("There is no coaching to show you.")
    return render(request, "coaching/index.html", {"groups": groups})


@login_required
def timeline(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """The participant's coaching sessions, for the participant, their coach and their tutor.
    Someone who may see only a summary of the sessions is sent to the summary."""
    enrolment = get_object_or_404(Enrolment.objects.select_related("participant", "current_phase"), pk=enrolment_id)
    filters = TimelineFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    entries = selectors.timeline(
        request.user,
        enrolment,
        content_area_id=chosen["area"].pk if chosen.get("area") else None,
        standard_id=chosen["standard"].pk if chosen.get("standard") else None,
    )
    filtered = bool(chosen.get("area") or chosen.get("standard"))
    enrolment_actions = access.allowed_actions(request.user, EnrolmentRecord(enrolment))
    today = timezone.localdate()
    if not entries and not (filtered and selectors.timeline(request.user, enrolment)):
        if not enrolment_actions:
            raise Http404("No such participant.")
        if access.relations(request.user, enrolment.pk, today) <= {Relation.HEAD, Relation.PROGRAMME_LEADER}:
            return redirect("coaching:summary", enrolment_id=enrolment.pk)
    return render(
        request,
        "coaching/timeline.html",
        {
            "enrolment": enrolment,
            "entries": entries,
            "filters": filters,
            "filtered": filtered,
            "may_record": _may_record_session(request, enrolment),
            "is_participant": enrolment.participant_id == request.user.pk,
            "today": today,
        },
    )


@login_required
def tutor_logs(request: HttpRequest) -> HttpResponse:
    """A tutor's participants' agreed logs on one page, read-only, filtered by content area and
    standard (GET parameters, so it works without JavaScript and a filtered list can be bookmarked)."""
    if Role.TUTOR not in request.user.roles:
        raise Http404("This page is for tutors.")
    filters = TimelineFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    logs = selectors.tutor_logs(
        request.user,
        content_area_id=chosen["area"].pk if chosen.get("area") else None,
        standard_id=chosen["standard"].pk if chosen.get("standard") else None,
    )
    return render(
        request,
        "coaching/tutor_logs.html",
        {"logs": logs, "filters": filters, "filtered": bool(chosen.get("area") or chosen.get("standard"))},
    )


@login_required
def summary(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """Dates, durations, kinds and content areas of agreed sessions; never what was said."""
    enrolment, _ = _enrolment(request, enrolment_id)
    return render(
        request,
        "coaching/summary.html",
        {"enrolment": enrolment, "summary": selectors.summary(request.user, enrolment)},
    )


@login_required
def action_steps(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = get_object_or_404(Enrolment.objects.select_related("participant"), pk=enrolment_id)
    open_steps, closed_steps = selectors.action_steps(request.user, enrolment)
    if not open_steps and not closed_steps:
        # Nothing to show: say so only to someone who may follow this participant's coaching.
        _enrolment(request, enrolment_id)
    return render(
        request,
        "coaching/action_steps.html",
        {"enrolment": enrolment, "open_steps": open_steps, "closed_steps": closed_steps, "today": timezone.localdate()},
    )


# --- One log.


def _render_log_form(request, template: str, form, **context) -> HttpResponse:
    return render(request, template, {"form": form, **context})


@login_required
def log_create(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = get_object_or_404(Enrolment.objects.select_related("participant"), pk=enrolment_id)
    access.require(request.user, Action.CHANGE, _new_log_for(enrolment))
    if request.method == "POST":
        form = DialogueLogForm(request.POST)
        if form.is_valid():
            try:
                log = services.log_draft_create(
                    enrolment=enrolment,
                    coach=request.user,
                    content=form.content(),
                    send_for_agreement="send" in request.POST,
                )
            except CoachingError as error:
                apply_errors(form, error)
            else:
                sent = log.status == AgreementStatus.AWAITING_PARTICIPANT
                messages.success(request, "Log sent to the participant to agree." if sent else "Log saved as a draft.")
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
    return _render_log_form(
        request, "coaching/log_form.html", form, enrolment=enrolment, title="Record a coaching session"
    )


@login_required
def log_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        log, actions = _log(request, pk, Action.VIEW)
    except PermissionDenied:
        # They may see that the session happened, not what was said.
        log, _ = _log(request, pk, Action.VIEW_SUMMARY)
        log = DialogueLog.objects.prefetch_related("content_areas").get(pk=log.pk)
        return render(
            request,
            "coaching/log_summary.html",
            {"enrolment": log.enrolment, "session": selectors.summary_of(log)},
        )
    log = (
        DialogueLog.objects.select_related("enrolment__participant", "coach")
        .prefetch_related("content_areas", "topics", "standards", "action_steps__owner")
        .get(pk=log.pk)
    )
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
        "today": timezone.localdate(),
    }
    return render(request, "coaching/log_detail.html", context)


@login_required
def log_edit(request: HttpRequest, pk: int) -> HttpResponse:
    log, _ = _log(request, pk, Action.CHANGE)
    if log.is_agreed:
        return redirect("coaching:log_new_version", pk=log.pk)
    if request.method == "POST":
        form = DialogueLogForm(request.POST)
        if form.is_valid():
            try:
                log = services.log_draft_update(
                    log=log,
                    by=request.user,
                    version=form.cleaned_data["version"] or 0,
                    content=form.content(),
                    send_for_agreement="send" in request.POST,
                )
            except CoachingError as error:
                apply_errors(form, error)
            else:
                sent = log.status == AgreementStatus.AWAITING_PARTICIPANT
                messages.success(request, "Log saved and waiting for the participant." if sent else "Draft saved.")
                return redirect("coaching:log_detail", pk=log.pk)
    else:
        form = DialogueLogForm(initial=DialogueLogForm.initial_for(log))
    return _render_log_form(
        request, "coaching/log_form.html", form, enrolment=log.enrolment, log=log, title="Change the draft log"
    )


@login_required
@require_POST
def log_send(request: HttpRequest, pk: int) -> HttpResponse:
    log, _ = _log(request, pk, Action.CHANGE)
    form = SendForm(request.POST)
    if not form.is_valid():
        return redirect("coaching:log_detail", pk=log.pk)
    try:
        services.log_send_for_agreement(log=log, by=request.user, version=form.cleaned_data["version"])
    except CoachingError as error:
        for message_list in error.errors.values():
            for message in message_list:
                messages.error(request, message)
    else:
        messages.success(request, "Log sent to the participant to agree.")
    return redirect("coaching:log_detail", pk=log.pk)


@login_required
def log_respond(request: HttpRequest, pk: int) -> HttpResponse:
    """The participant adds their reflection and agrees, or asks for a change."""
    log, _ = _log(request, pk, Action.AGREE)
    log = (
        DialogueLog.objects.select_related("enrolment__participant", "coach")
        .prefetch_related("content_areas", "topics", "standards", "action_steps__owner")
        .get(pk=log.pk)
    )
    if request.method == "POST":
        form = RespondForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if request.POST.get("decision") == "request_change":
                    services.log_request_change(
                        log=log,
                        by=request.user,
                        version=data["version"],
                        comment=data["comment"],
                        reflection=data["reflection"],
                    )
                    messages.success(request, "Your coach has been asked to change the record.")
                else:
                    services.log_agree(log=log, by=request.user, version=data["version"], reflection=data["reflection"])
                    messages.success(request, "You have agreed the record of this session.")
            except CoachingError as error:
                apply_errors(form, error)
            else:
                return redirect("coaching:log_detail", pk=log.pk)
    else:
        form = RespondForm(initial={"version": log.version, "reflection": log.participant_reflection})
    return render(request, "coaching/log_respond.html", {"form": form, "log": log, "enrolment": log.enrolment})


@login_required
def log_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    log, _ = _log(request, pk, Action.NEW_VERSION)
    if request.method == "POST":
        form = NewVersionForm(request.POST)
        if form.is_valid():
            try:
                log = services.log_new_version(
                    log=log,
                    by=request.user,
                    version=form.cleaned_data["version"] or 0,
                    content=form.content(),
                    reason=form.cleaned_data["reason"],
                )
            except CoachingError as error:
                apply_errors(form, error)
            else:
                messages.success(request, f"Version {log.agreed_version} of the log recorded.")
                return redirect("coaching:log_detail", pk=log.pk)
    else:
        form = NewVersionForm(initial=NewVersionForm.initial_for(log))
    return _render_log_form(
        request,
        "coaching/log_form.html",
        form,
        enrolment=log.enrolment,
        log=log,
        title="Change an agreed log",
        new_version=True,
    )


@login_required
def log_versions(request: HttpRequest, pk: int) -> HttpResponse:
    log, _ = _log(request, pk, Action.VIEW)
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
    return render(
        request,
        "coaching/log_version_detail.html",
        {"version": version, "log": version.log, "enrolment": version.log.enrolment},
    )


# --- Action steps and private notes.


@login_required
def action_step_create(request: HttpRequest, pk: int) -> HttpResponse:
    log, _ = _log(request, pk, Action.CHANGE)
    if request.method == "POST":
        form = ActionStepForm(request.POST, log=log)
        if form.is_valid():
            data = form.cleaned_data
            owner = log.enrolment.participant if int(data["owner"]) == log.enrolment.participant_id else log.coach
            try:
                services.action_step_create(
                    log=log,
                    by=request.user,
                    owner=owner,
                    description=data["description"],
                    due_on=data["due_on"],
                    success_criteria=data["success_criteria"],
                )
            except CoachingError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "Action step added.")
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
        if form.is_valid():
            try:
                services.action_step_close(
                    step=step,
                    by=request.user,
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["closing_note"],
                )
            except CoachingError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "Action step closed.")
                return redirect("coaching:action_steps", enrolment_id=step.enrolment_id)
    else:
        form = ActionStepCloseForm()
    return render(
        request, "coaching/action_step_close.html", {"form": form, "step": step, "enrolment": step.log.enrolment}
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


# --- The initial diagnosis and the learning plan.


def _diagnosis_of(enrolment: Enrolment) -> InitialDiagnosis | None:
    return (
        InitialDiagnosis.objects.filter(enrolment=enrolment)
        .select_related("enrolment__participant", "coach")
        .prefetch_related("needs__content_area", "needs__standards")
        .first()
    )


def _new_diagnosis_for(enrolment: Enrolment) -> InitialDiagnosis:
    return InitialDiagnosis(enrolment=enrolment, held_on=timezone.localdate(), status=AgreementStatus.DRAFT)


@login_required
def diagnosis(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = get_object_or_404(Enrolment.objects.select_related("participant", "current_phase"), pk=enrolment_id)
    found = _diagnosis_of(enrolment)
    if found is None:
        access.require(request.user, Action.VIEW, EnrolmentRecord(enrolment))
        may_start = access.can(request.user, Action.CHANGE, _new_diagnosis_for(enrolment))
        return render(request, "coaching/diagnosis.html", {"enrolment": enrolment, "may_start": may_start})
    actions = access.require(request.user, Action.VIEW, found)
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
            "may_attach": bool(actions & {Action.CHANGE, Action.AGREE}) and found.status != AgreementStatus.AGREED,
            "may_change": Action.CHANGE in actions and found.status != AgreementStatus.AGREED,
            "may_respond": Action.AGREE in actions and found.status == AgreementStatus.AWAITING_PARTICIPANT,
            "may_review": Action.NEW_VERSION in actions and found.status == AgreementStatus.AGREED,
            "today": timezone.localdate(),
        },
    )


@login_required
def diagnosis_edit(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = get_object_or_404(Enrolment.objects.select_related("participant"), pk=enrolment_id)
    found = _diagnosis_of(enrolment)
    access.require(request.user, Action.CHANGE, found or _new_diagnosis_for(enrolment))
    if request.method == "POST":
        form = DiagnosisForm(request.POST)
        if form.is_valid():
            try:
                services.diagnosis_save(
                    enrolment=enrolment,
                    coach=request.user,
                    content=form.content(),
                    version=form.cleaned_data["version"],
                    send_for_agreement="send" in request.POST,
                )
            except CoachingError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "Initial diagnosis saved.")
                return redirect("coaching:diagnosis", enrolment_id=enrolment.pk)
    elif found is not None:
        form = DiagnosisForm(initial=DiagnosisForm.initial_for(found))
    else:
        form = DiagnosisForm(initial={"held_on": timezone.localdate()})
    return render(request, "coaching/diagnosis_form.html", {"form": form, "enrolment": enrolment, "diagnosis": found})


@login_required
def diagnosis_respond(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = get_object_or_404(Enrolment.objects.select_related("participant"), pk=enrolment_id)
    found = _diagnosis_of(enrolment)
    if found is None:
        raise Http404("No diagnosis yet.")
    access.require(request.user, Action.AGREE, found)
    form = DiagnosisRespondForm(request.POST or None, initial={"version": found.version})
    if request.method == "POST" and form.is_valid():
        try:
            if request.POST.get("decision") == "request_change":
                services.diagnosis_request_change(
                    diagnosis=found,
                    by=request.user,
                    version=form.cleaned_data["version"],
                    comment=form.cleaned_data["comment"],
                )
                messages.success(request, "Your coach has been asked to change the diagnosis.")
            else:
                services.diagnosis_agree(diagnosis=found, by=request.user, version=form.cleaned_data["version"])
                messages.success(request, "You have agreed your initial diagnosis and learning plan.")
        except CoachingError as error:
            apply_errors(form, error)
        else:
            return redirect("coaching:diagnosis", enrolment_id=enrolment.pk)
    plan = LearningPlan.objects.filter(enrolment=enrolment).prefetch_related("goals__content_area").first()
    return render(
        request,
        "coaching/diagnosis_respond.html",
        {"form": form, "enrolment": enrolment, "diagnosis": found, "plan": plan},
    )


@login_required
def diagnosis_evidence_add(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """The coach or the participant attaches a file to the diagnosis while it is being agreed."""
    enrolment = get_object_or_404(Enrolment.objects.select_related("participant"), pk=enrolment_id)
    found = _diagnosis_of(enrolment)
    if found is None:
        raise Http404("No diagnosis yet.")
    actions = access.require(request.user, Action.VIEW, found)
    if not actions & {Action.CHANGE, Action.AGREE} or found.status == AgreementStatus.AGREED:
        raise PermissionDenied("Evidence is attached while the diagnosis is being agreed, by the coach or participant.")
    form = EvidenceUploadForm(request.POST, request.FILES) if request.method == "POST" else EvidenceUploadForm()
    if form.is_bound and form.is_valid():
        try:
            services.diagnosis_evidence_add(diagnosis=found, by=request.user, upload=form.cleaned_data["file"])
        except CoachingError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Evidence attached to the initial diagnosis.")
            return redirect("coaching:diagnosis", enrolment_id=enrolment.pk)
    return render(
        request, "coaching/diagnosis_evidence_form.html", {"form": form, "enrolment": enrolment, "diagnosis": found}
    )


@login_required
def diagnosis_evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    """The only way to a file of evidence: for whoever may read the diagnosis in full. Anyone else
    gets a 404, whether or not they may see the diagnosis's summary. Always a download, of the
    kind sniffed when it was uploaded, which the browser is told not to second-guess."""
    found = get_object_or_404(DiagnosisEvidence.objects.select_related("diagnosis"), pk=pk)
    if Action.VIEW not in access.allowed_actions(request.user, found):
        raise Http404("No such file.")
    response = FileResponse(
        found.file.open("rb"), as_attachment=True, filename=found.name, content_type=found.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _plan(request: HttpRequest, enrolment_id: int, action: Action) -> LearningPlan:
    plan = get_object_or_404(
        LearningPlan.objects.select_related("diagnosis", "enrolment__participant"), enrolment_id=enrolment_id
    )
    access.require(request.user, action, plan)
    return plan


@login_required
def goal_add(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    plan = _plan(request, enrolment_id, Action.CHANGE)
    form = GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.learning_goal_add(plan=plan, by=request.user, goal=form.goal_input())
        except CoachingError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Goal added to the learning plan.")
            return redirect("coaching:diagnosis", enrolment_id=enrolment_id)
    return render(request, "coaching/goal_form.html", {"form": form, "enrolment": plan.enrolment})


@login_required
def plan_review(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """Revisit the learning plan at the start of a phase."""
    plan = _plan(request, enrolment_id, Action.NEW_VERSION)
    form = PlanReviewForm(
        request.POST or None,
        plan=plan,
        initial={"phase": plan.enrolment.current_phase_id, "reviewed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.learning_plan_review(
                plan=plan,
                by=request.user,
                phase=form.cleaned_data["phase"],
                reviewed_on=form.cleaned_data["reviewed_on"],
                note=form.cleaned_data["note"],
                goal_statuses=form.goal_statuses(),
                new_goals=form.new_goals(),
            )
        except CoachingError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Learning plan revisited.")
            return redirect("coaching:diagnosis", enrolment_id=enrolment_id)
    return render(request, "coaching/plan_review_form.html", {"form": form, "enrolment": plan.enrolment})


# --- Learning opportunities.


@login_required
def opportunities(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """The opportunities arranged for the participant, and (for the coach) a form to arrange one."""
    enrolment = get_object_or_404(Enrolment.objects.select_related("participant"), pk=enrolment_id)
    found = LearningOpportunity.objects.filter(enrolment=enrolment).select_related("log", "arranged_by")
    entries = [(o, a) for o, a in selectors.readable(request.user, found) if Action.VIEW in a]
    if not entries:
        _enrolment(request, enrolment_id)
    candidate = LearningOpportunity(enrolment=enrolment, happens_on=timezone.localdate())
    may_arrange = access.can(request.user, Action.CHANGE, candidate)
    form = OpportunityForm(request.POST or None) if may_arrange else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Only the participant's coach arranges opportunities.")
        if form.is_valid():
            try:
                services.learning_opportunity_arrange(enrolment=enrolment, coach=request.user, **form.cleaned_data)
            except CoachingError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "Learning opportunity arranged.")
                return redirect("coaching:opportunities", enrolment_id=enrolment.pk)
    return render(
        request,
        "coaching/opportunities.html",
        {"enrolment": enrolment, "entries": entries, "form": form, "today": timezone.localdate()},
    )


@login_required
def opportunity_learning(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = get_object_or_404(LearningOpportunity.objects.select_related("log", "enrolment__participant"), pk=pk)
    agreed = opportunity.log_id is not None and opportunity.log.is_agreed
    access.require(request.user, Action.NEW_VERSION if agreed else Action.CHANGE, opportunity)
    logs = DialogueLog.objects.filter(enrolment_id=opportunity.enrolment_id).order_by("-session_on")
    form = OpportunityLearningForm(
        request.POST or None,
        logs=logs,
        initial={"what_was_learned": opportunity.what_was_learned, "log": opportunity.log_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.learning_opportunity_record_learning(
                opportunity=opportunity,
                by=request.user,
                what_was_learned=form.cleaned_data["what_was_learned"],
                log=form.cleaned_data["log"],
            )
        except CoachingError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "What was learned is recorded.")
            return redirect("coaching:opportunities", enrolment_id=opportunity.enrolment_id)
    return render(
        request,
        "coaching/opportunity_learning.html",
        {"form": form, "opportunity": opportunity, "enrolment": opportunity.enrolment},
    )


# --- Coaching emails a person receives.


@login_required
def reminder_preferences(request: HttpRequest) -> HttpResponse:
    """Turn each kind of coaching email on or off."""
    preference = ReminderPreference.objects.filter(user=request.user).first()
    turned_off = set(preference.turned_off) if preference else set()
    form = ReminderPreferencesForm(
        request.POST or None, initial={"wanted": [k for k in ReminderKind.values if k not in turned_off]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.reminder_preferences_save(user=request.user, turned_off=form.turned_off())
        except CoachingError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Your choice of coaching emails is saved.")
            return redirect("coaching:reminder_preferences")
    return render(
        request,
        "coaching/reminder_preferences.html",
        {"form": form, "receives": bool(request.user.roles & {Role.PARTICIPANT, Role.COACH})},
    )


# --- Release time (Q33).

_RELEASE_TIME_TITLES = {
    Relation.PARTICIPANT: "Your time in coaching",
    Relation.COACH: "Your time coaching",
    Relation.HEAD: "Your school's participants and coaches",
    Relation.PROGRAMME_LEADER: "Every school",
}


def _release_time_sections(request: HttpRequest) -> tuple[list[dict], School | None]:
    school = None
    if Role.PROGRAMME_LEADER in request.user.roles and request.GET.get("school", "").isdigit():
        school = School.objects.filter(pk=int(request.GET["school"])).first()
    sections = []
    for relation, title in _RELEASE_TIME_TITLES.items():
        if relation.value in request.user.roles:
            found = selectors.release_time(
                request.user,
                relation,
                school_id=school.pk if school and relation == Relation.PROGRAMME_LEADER else None,
            )
            sections.append({"relation": relation, "title": title, "time": found})
    if not sections:
        raise Http404("Release time is shown to participants, coaches, heads and programme leaders.")
    return sections, school


@login_required
def release_time(request: HttpRequest) -> HttpResponse:
    """Minutes of agreed coaching per term: dates and minutes only, never what was said."""
    sections, school = _release_time_sections(request)
    schools = School.objects.order_by("name") if Role.PROGRAMME_LEADER in request.user.roles else []
    return render(request, "coaching/release_time.html", {"sections": sections, "school": school, "schools": schools})


@login_required
def release_time_csv(request: HttpRequest) -> HttpResponse:
    """The head's or programme leader's release time as CSV: term, person, school, sessions, minutes."""
    sections, school = _release_time_sections(request)
    wanted = request.GET.get("scope", "")
    sections = [s for s in sections if s["relation"] in (Relation.HEAD, Relation.PROGRAMME_LEADER)]
    if wanted:
        sections = [s for s in sections if s["relation"].value == wanted]
    if not sections:
        raise Http404("The export is for heads and programme leaders.")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"release-time-{school.name if school else sections[0]['relation'].value}"
    response["Content-Disposition"] = f'attachment; filename="{slugify(name)}.csv"'
    writer = csv.writer(response)
    writer.writerow(["School year", "Term", "Months", "Role", "Name", "School", "Sessions", "Minutes"])
    for row in sections[0]["time"].rows:
        writer.writerow(
            [
                row.term.school_year_label,
                row.term.label,
                row.term.months,
                row.role,
                _csv_safe(row.name),
                _csv_safe(row.school),
                row.sessions,
                row.minutes,
            ]
        )
    return response


def _csv_safe(value: str) -> str:
    """A name starting with =, +, - or @ would be a formula in a spreadsheet."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
