"""The learning plan the initial diagnosis produces: its goals, revisited at the start of each
phase, each review recorded with who, when and what changed."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from audit import trail
from coaching.models import AgreementStatus, InitialDiagnosis, LearningGoal, LearningPlan, LearningPlanReview
from coaching.services._checks import check_session_date, check_within_programme, fmt
from programme import access
from programme.access import Action
from programme.models import ContentArea, Phase
from ui.errors import RuleError


@dataclass(frozen=True)
class GoalInput:
    content_area_id: int
    goal: str
    target_on: datetime.date


def _check_goal(errors: dict[str | None, list[str]], *, goal: GoalInput, diagnosis: InitialDiagnosis, prefix: str):
    if not goal.goal.strip():
        errors[f"{prefix}goal"].append("Write the goal.")
    if not ContentArea.objects.filter(pk=goal.content_area_id).exists():
        errors[f"{prefix}content_area"].append("Choose one of the content areas.")
    if goal.target_on < diagnosis.held_on:
        errors[f"{prefix}target_on"].append(f"The target date must be after the diagnosis, {fmt(diagnosis.held_on)}.")
    else:
        check_within_programme(errors, enrolment=diagnosis.enrolment, day=goal.target_on, field=f"{prefix}target_on")


@transaction.atomic
def learning_goal_add(*, plan: LearningPlan, by: User, goal: GoalInput) -> LearningGoal:
    """A goal agreed with the diagnosis. Once the diagnosis is agreed, goals change at phase reviews."""
    plan = LearningPlan.objects.select_related("diagnosis__enrolment").get(pk=plan.pk)
    if plan.diagnosis.status == AgreementStatus.AGREED:
        raise RuleError("The diagnosis is agreed. Add goals when you revisit the plan at the start of a phase.")
    access.require(by, Action.CHANGE, plan)
    errors: dict[str | None, list[str]] = defaultdict(list)
    _check_goal(errors, goal=goal, diagnosis=plan.diagnosis, prefix="")
    if errors:
        raise RuleError(dict(errors))
    # The participant agrees the diagnosis with its plan: an agreement form opened before this is stale.
    InitialDiagnosis.objects.filter(pk=plan.diagnosis_id).update(version=F("version") + 1)
    added = LearningGoal.objects.create(
        plan=plan, content_area_id=goal.content_area_id, goal=goal.goal.strip(), target_on=goal.target_on
    )
    trail.record(trail.Action.LEARNING_PLAN_CHANGE, record=added, actor=by, enrolment_id=plan.enrolment_id)
    return added


@transaction.atomic
def learning_plan_review(
    *,
    plan: LearningPlan,
    by: User,
    phase: Phase,
    reviewed_on: datetime.date,
    note: str,
    goal_statuses: dict[int, str],
    new_goals: tuple[GoalInput, ...] = (),
    today: datetime.date | None = None,
) -> LearningPlanReview:
    """Revisit the plan at the start of a phase: say where each goal stands and add new ones."""
    plan = LearningPlan.objects.select_related("diagnosis__enrolment").get(pk=plan.pk)
    errors: dict[str | None, list[str]] = defaultdict(list)
    if plan.diagnosis.status != AgreementStatus.AGREED:
        errors[None].append("Agree the initial diagnosis first; the plan is revisited from the next phase.")
    if LearningPlanReview.objects.filter(plan=plan, phase=phase).exists():
        errors["phase"].append(f"The plan has already been revisited for phase {phase.number}.")
    check_session_date(
        errors, enrolment=plan.enrolment, day=reviewed_on, today=today or timezone.localdate(), field="reviewed_on"
    )
    goals = {g.pk: g for g in plan.goals.all()}
    for goal_id, status in goal_statuses.items():
        if goal_id not in goals or status not in LearningGoal.Status.values:
            errors[None].append("Say where each goal stands: working towards, met or replaced.")
            break
    for goal in new_goals:
        _check_goal(errors, goal=goal, diagnosis=plan.diagnosis, prefix="new_")
    if errors:
        raise RuleError(dict(errors))
    access.require(by, Action.NEW_VERSION, plan)
    review = LearningPlanReview.objects.create(
        plan=plan, phase=phase, reviewed_on=reviewed_on, note=note.strip(), reviewed_by=by
    )
    for goal_id, status in goal_statuses.items():
        if goals[goal_id].status != status:
            goals[goal_id].status = status
            goals[goal_id].save(update_fields=["status"])
    for goal in new_goals:
        LearningGoal.objects.create(
            plan=plan,
            content_area_id=goal.content_area_id,
            goal=goal.goal.strip(),
            target_on=goal.target_on,
            added_in_review=review,
        )
    trail.record(trail.Action.LEARNING_PLAN_REVIEW, record=review, actor=by, enrolment_id=plan.enrolment_id)
    return review
