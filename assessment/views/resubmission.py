"""Resubmission after a referral: the participant starts it (then builds and submits it in the
builder like any attempt), and anyone who may read both attempts in full sees what changed between
the two snapshots. Thin: each asks the access policy, calls a service or selector, and renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from assessment.models import Submission
from assessment.selectors import resubmission as selectors
from assessment.services.resubmission import resubmission_start
from audit import trail
from programme import access
from programme.access import Action
from ui.errors import RuleError


@require_POST
@login_required
def start(request: HttpRequest, pk: int) -> HttpResponse:
    """Start (or carry on) resubmitting referred work: on to the builder."""
    submission = Submission.objects.select_related("task", "enrolment").filter(pk=pk).first()
    if submission is None:
        raise Http404("No such submission.")
    access.require(request.user, Action.VIEW, submission)
    try:
        draft = resubmission_start(by=request.user, submission=submission)
    except RuleError as refused:
        messages.error(request, refused.message)
        return redirect("marking:result", pk=submission.pk)
    if draft.is_frozen:
        return redirect(draft)
    messages.success(
        request,
        f"Your resubmission starts with what you submitted in attempt {submission.attempt}. "
        f"Change it as the feedback asks and submit it by {draft.resubmission_due_on:%-d %B %Y}.",
    )
    return redirect("assessment:build", task_id=draft.task_id)


@login_required
def changes(request: HttpRequest, pk: int) -> HttpResponse:
    """What changed between the referred work and its resubmission: the commentary compared
    paragraph by paragraph and word by word, and each record added, removed or changed. Only for
    those who may read both attempts in full (a head sees the outcome only, so not this)."""
    found = selectors.resubmission_detail(pk)
    if found is None:
        raise Http404("No such resubmission.")
    earlier, later = found
    for submission in (later, earlier):
        if Action.VIEW not in access.allowed_actions(request.user, submission):
            trail.refused_read(submission, actor=request.user)
            raise Http404("No such resubmission.")
    participant_id = later.enrolment.participant_id
    trail.read(later, participant_id=participant_id)
    trail.read(earlier, participant_id=participant_id)
    return render(
        request,
        "assessment/submissions/changes.html",
        {"changes": selectors.changes_between(earlier, later), "submission": later, "enrolment": later.enrolment},
    )
