"""Moderation's pages: the programme leader's choice of a task's work to second-mark, one
moderation as its markers and the leader see it (agreeing a mark, a third marker), and the work
waiting for a marker. Thin: each asks the access policy, calls a selector or a service, renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from assessment.models import AssessmentTask, ModerationSample
from assessment.moderation_forms import AgreeForm, DecideForm, NotAgreedForm, SelectionForm, ThirdMarkerForm
from assessment.selectors import moderation as selectors
from assessment.services import moderation as services
from audit import trail
from programme import access
from programme.access import Relation
from ui.errors import RuleError, show_on_form
from ui.pagination import page_of


@login_required
def task_moderation(request: HttpRequest, pk: int) -> HttpResponse:
    """The leader's selection: the task's marked work with the sample the rule draws (and why each
    is in it), to add to or take from by hand, each with a second marker; then confirmed once. Once
    confirmed, where each chosen piece of work stands."""
    access.require_relation(request.user, Relation.PROGRAMME_LEADER)
    task = get_object_or_404(AssessmentTask.objects.select_related("rubric", "cohort"), pk=pk)
    confirmed = ModerationSample.objects.filter(task=task).select_related("confirmed_by").first()
    if confirmed is not None:
        moderations = page_of(selectors.moderations_of(task), request)
        return render(
            request,
            "assessment/moderation/task_confirmed.html",
            {"task": task, "confirmed": confirmed, "page": moderations},
        )
    selection = selectors.selection(task)
    form = SelectionForm(request.POST or None, selection=selection, tutors=selectors.tutors())
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            services.moderation_confirm(by=request.user, task=task, chosen=form.chosen(), seen=form.seen_ids())
        except RuleError as refused:
            show_on_form(form, refused)
            error = refused
        else:
            messages.success(request, "Second marking confirmed: the second markers can start.")
            return redirect(reverse("marking:task_moderation", kwargs={"pk": task.pk}))
    return render(
        request,
        "assessment/moderation/task_selection.html",
        {"task": task, "selection": selection, "form": form, "error": error},
    )


def _post(request, moderation, view):
    """The forms of the moderation page: bound and checked when posted, with what was typed kept."""
    what = request.POST.get("form", "") if request.method == "POST" else ""
    version = {"version": moderation.version}
    tutors = selectors.tutors()
    forms = {
        "agree": AgreeForm(request.POST if what == "agree" else None, initial=version, prefix="agree"),
        "decide": DecideForm(request.POST if what == "decide" else None, initial=version, prefix="decide"),
        "not_agreed": NotAgreedForm(request.POST if what == "not_agreed" else None, initial=version, prefix="differ"),
        "third": ThirdMarkerForm(
            request.POST if what == "third" else None, initial=version, prefix="third", tutors=tutors
        ),
    }
    form = forms.get(what)
    if form is None or not form.is_valid():
        return forms, False
    data = form.cleaned_data
    try:
        if what == "agree":
            services.moderation_agree(
                by=request.user,
                moderation=moderation,
                version=data["version"],
                mark=data["mark"],
                outcome=data["outcome"],
                note=data["note"],
            )
            messages.success(request, "The mark that stands is recorded.")
        elif what == "decide":
            services.third_marking_decide(
                by=request.user, moderation=moderation, version=data["version"], note=data["note"]
            )
            messages.success(request, "Your decision is recorded: it is the mark that stands.")
        elif what == "not_agreed":
            services.moderation_not_agreed(
                by=request.user, moderation=moderation, version=data["version"], note=data["note"]
            )
            messages.success(request, "Recorded: the programme leader will ask a third marker.")
        else:
            services.moderation_third_marker_assign(
                by=request.user, moderation=moderation, version=data["version"], marker=data["marker"]
            )
            messages.success(request, "Third marker assigned.")
    except RuleError as error:
        show_on_form(form, error)
        if error.rule == "stale":
            fresh = form.data.copy()
            moderation.refresh_from_db()
            fresh[form.add_prefix("version")] = str(moderation.version)
            form.data = fresh
        return forms, False
    return forms, True


@login_required
def moderation(request: HttpRequest, pk: int) -> HttpResponse:
    """One piece of work's moderation: the first and second marks (the first hidden from a blind
    second marker until their marking is complete), the moderation record, and what this person may
    do now: agree a mark or say they cannot (the two markers), assign a third marker (the leader),
    decide with their completed third marking (the third marker)."""
    found = selectors.moderation_for(pk)
    if found is None:
        raise Http404("No such moderation.")
    view = selectors.moderation_view(request.user, found)  # a 404 for anyone the policy refuses
    forms, done = _post(request, found, view)
    if done:
        return redirect(reverse("marking:moderation", kwargs={"pk": found.pk}))
    participant_id = found.submission.enrolment.participant_id
    trail.read(found, participant_id=participant_id)
    for shown in (view.first, view.second, view.third):
        if shown is not None:
            trail.read(shown, participant_id=participant_id)
    stage = found.stage
    S = found.Stage
    return render(
        request,
        "assessment/moderation/moderation.html",
        {
            "view": view,
            "moderation": found,
            "submission": found.submission,
            "may_agree": stage == S.RECONCILING and view.role in ("first", "second"),
            "may_decide": stage == S.THIRD_MARKING and view.role == "third",
            "may_differ": stage == S.RECONCILING and view.role in ("first", "second"),
            "may_assign": stage == S.RECONCILING and selectors.holds_leader(request.user),
            "forms": forms,
        },
    )


@login_required
def for_me(request: HttpRequest) -> HttpResponse:
    """Work waiting for this tutor in moderation: to second-mark, reconcile or decide."""
    access.require_relation(request.user, Relation.TUTOR)
    page = page_of(selectors.for_marker(request.user), request)
    return render(request, "assessment/moderation/for_me.html", {"page": page})
