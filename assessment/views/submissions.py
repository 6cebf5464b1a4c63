"""The participant's assessment tasks, the submission builder, a submission as it was frozen, and
the submitted work a tutor or coach may open. Thin: each asks the access policy, sends a valid form
to its service (ui.errors.saved puts a refusal beside its field) and renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessment.forms.submissions import SubmissionForm, WithdrawForm
from assessment.models import Submission
from assessment.rules.deadlines import Window
from assessment.selectors import statements as statement_selectors
from assessment.selectors import submissions as selectors
from assessment.selectors.feed_forward import feed_forward_for
from assessment.selectors.feed_forward import responses_of as feed_forward_responses
from assessment.selectors.resubmission import first_attempt
from assessment.services import submissions as services
from audit import trail
from programme import access
from programme.access import Action, Relation
from programme.models import Enrolment
from ui.errors import RuleError, saved
from ui.pagination import page_of

WINDOW_LABELS = {
    Window.NOT_OPEN: "Not open yet",
    Window.OPEN: "Open",
    Window.LATE: "Open for late work",
    Window.CLOSED: "Closed",
}


def _own_enrolment(request: HttpRequest) -> Enrolment:
    """The participant's own enrolment; anyone else has no tasks to submit to."""
    mine = (
        access.enrolments_for(request.user, Relation.PARTICIPANT)
        .select_related("participant", "current_phase", "cohort")
        .order_by("-pk")
        .first()
    )
    if mine is None:
        raise Http404("You have no assessment tasks.")
    return mine


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    """The participant's tasks: their own due dates (with any extension), whether each is open, and
    where their work stands."""
    enrolment = _own_enrolment(request)
    rows = selectors.tasks_for(enrolment, today=timezone.localdate())
    return render(
        request,
        "assessment/submissions/task_list.html",
        {"enrolment": enrolment, "rows": rows, "window_labels": WINDOW_LABELS},
    )


@login_required
def build(request: HttpRequest, task_id: int) -> HttpResponse:
    """The builder: choose records, write the commentary, save a draft or submit."""
    enrolment = _own_enrolment(request)
    task = selectors.task_for(enrolment, task_id)
    if task is None:
        raise Http404("No such task for your current phase.")
    draft = selectors.draft_for(enrolment, task)
    if draft is None:
        latest = selectors.latest_for(enrolment, task)
        if latest is not None:  # submitted already: the frozen page says what can be done
            return redirect(latest)
    access.require(
        request.user, Action.CHANGE, draft or Submission(enrolment=enrolment, task=task, dated_on=timezone.localdate())
    )
    timing = selectors.timing_for(enrolment, task, draft, today=timezone.localdate())
    window = timing.window
    feed_forward = feed_forward_for(request.user, enrolment, task)
    kwargs = {
        "choices": selectors.submission_choices(request.user, enrolment),
        "word_limit": task.word_limit,
        "feed_forward": feed_forward,
    }
    if request.method == "POST":
        form = SubmissionForm(request.POST, **kwargs)
        submitting = request.POST.get("action") == "submit"
        service = services.submission_submit if submitting else services.submission_save
        done = saved(
            request,
            form,
            lambda: service(
                by=request.user,
                enrolment=enrolment,
                task=task,
                version=form.cleaned_data["version"],
                content=form.content(),
            ),
            message="Your work is submitted. This is what your tutor will read."
            if submitting
            else "Draft saved. Nobody else can see it until you submit it.",
        )
        if done:
            return redirect(done) if submitting else redirect("assessment:build", task_id=task.pk)
    else:
        form = SubmissionForm(initial=SubmissionForm.initial_for(draft, feed_forward), **kwargs)
    return render(
        request,
        "assessment/submissions/build.html",
        {
            "form": form,
            "task": task,
            "enrolment": enrolment,
            "draft": draft,
            "due_on": timing.due_on,
            "extension": timing.extension,
            "feed_forward": feed_forward,
            "referred": first_attempt(draft) if draft is not None and draft.is_resubmission else None,
            "window": window,
            "window_label": WINDOW_LABELS[window],
            "late": window == Window.LATE,
        },
    )


@login_required
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A submission as it was frozen, with what has changed in the portfolio since and the history
    of attempts; for a head, the summary the policy allows."""
    submission = selectors.submission_detail(pk)
    if submission is None:
        raise Http404("No such submission.")
    actions = access.allowed_actions(request.user, submission)
    if not submission.is_frozen:
        access.require(request.user, Action.CHANGE, submission)
        return redirect("assessment:build", task_id=submission.task_id)
    participant_id = submission.enrolment.participant_id
    if Action.VIEW not in actions:
        access.require(request.user, Action.VIEW_SUMMARY, submission)  # a 404 for anyone without it
        trail.read(submission, participant_id=participant_id, summary=True)
        return render(request, "assessment/submissions/summary.html", {"submission": submission})
    trail.read(submission, participant_id=participant_id)
    timing = selectors.timing_for(submission.enrolment, submission.task, submission, today=timezone.localdate())
    items = [(item, selectors.change_since(item)) for item in submission.items.all()]
    statement, statement_actions = statement_selectors.statement_readable(request.user, submission)
    if statement is not None:
        trail.read(statement, participant_id=participant_id)
    return render(
        request,
        "assessment/submissions/detail.html",
        {
            "submission": submission,
            "enrolment": submission.enrolment,
            "items": items,
            "changed": any(state != selectors.UNCHANGED for _, state in items),
            "attempts": selectors.attempts(submission),
            "due_on": timing.due_on,
            "may_withdraw": Action.WITHDRAW in actions
            and submission.state == Submission.State.SUBMITTED
            and timing.window == Window.OPEN,
            "feed_forward": feed_forward_responses(submission),
            "resubmission_links": _resubmission_links(submission),
            "is_participant": participant_id == request.user.pk,
            "statement": statement,
            "statement_invited": statement_selectors.statement_writable(
                request.user, submission, statement=statement, actions=statement_actions
            ),
        },
    )


def _resubmission_links(submission: Submission) -> list[tuple[str, str]]:
    """From a resubmission to the referred work and what changed; from referred work to its
    resubmission. Whoever reads one attempt in full reads the other (the same kind of record)."""
    if submission.resubmission_of_id is not None:
        return [
            (reverse("assessment:resubmission_changes", args=[submission.pk]), "What changed since the referred work"),
            (reverse("assessment:submission_detail", args=[submission.resubmission_of_id]), "The referred work"),
        ]
    later = (
        Submission.objects.filter(resubmission_of=submission, state=Submission.State.SUBMITTED)
        .order_by("-attempt")
        .first()
    )
    if later is None:
        return []
    return [(later.get_absolute_url(), f"The resubmission, attempt {later.attempt}")]


@require_POST
@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    submission = selectors.submission_detail(pk)
    if submission is None:
        raise Http404("No such submission.")
    access.require(request.user, Action.WITHDRAW, submission)
    form = WithdrawForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    try:
        draft = services.submission_withdraw(by=request.user, submission=submission, version=version)
    except RuleError as refused:
        messages.error(request, refused.message)
        return redirect(submission)
    messages.success(
        request, f"Attempt {submission.attempt} is withdrawn. Make your changes here and submit again by the due date."
    )
    return redirect("assessment:build", task_id=draft.task_id)


@login_required
def submitted_work(request: HttpRequest) -> HttpResponse:
    """Submitted work of the participants this person tutors or coaches (or every participant's,
    for a programme leader), newest first, a page at a time."""
    held = access.held_relations(request.user)
    if not held & {Relation.TUTOR, Relation.COACH, Relation.PROGRAMME_LEADER}:
        raise Http404("This page is not part of your role.")
    page = page_of(selectors.submitted_for(request.user), request)
    return render(request, "assessment/submissions/submitted_work.html", {"page": page})
