"""The learning plan: goals added while the diagnosis is agreed, and its review at the start of a phase."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from coaching import services
from coaching.forms import GoalForm, PlanReviewForm
from coaching.models import LearningPlan
from programme import access
from programme.access import Action
from ui.errors import saved


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
    added = saved(
        request,
        form,
        lambda: services.learning_goal_add(plan=plan, by=request.user, goal=form.goal_input()),
        message="Goal added to the learning plan.",
    )
    if added:
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
    reviewed = saved(
        request,
        form,
        lambda: services.learning_plan_review(
            plan=plan,
            by=request.user,
            phase=form.cleaned_data["phase"],
            reviewed_on=form.cleaned_data["reviewed_on"],
            note=form.cleaned_data["note"],
            goal_statuses=form.goal_statuses(),
            new_goals=form.new_goals(),
        ),
        message="Learning plan revisited.",
    )
    if reviewed:
        return redirect("coaching:diagnosis", enrolment_id=enrolment_id)
    return render(request, "coaching/plan_review_form.html", {"form": form, "enrolment": plan.enrolment})
