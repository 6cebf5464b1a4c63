"""The participant's assessment tasks, the submission builder, a submission as it was frozen, and
the submitted work a tutor or coach may open. Thin: each asks the access policy, sends a valid form
to its service (ui.errors.saved puts a refusal beside its field) and renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessment.forms.submissions import SubmissionForm, WithdrawForm
from assessment.models import Submission
from assessment.rules.deadlines import Window, effective_due_on, submission_window
from assessment.selectors import submissions as selectors
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
    extension = selectors.extension_for(enrolment, task)
    window = submission_window(task=task, extension=extension, on=timezone.localdate())
    kwargs = {"choices": selectors.submission_choices(request.user, enrolment), "word_limit": task.word_limit}
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
        form = SubmissionForm(initial=SubmissionForm.initial_for(draft), **kwargs)
    return render(
        request,
        "assessment/submissions/build.html",
        {
            "form": form,
            "task": task,
            "enrolment": enrolment,
            "draft": draft,
            "due_on": effective_due_on(task, extension),
            "extension": extension,
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
    extension = selectors.extension_for(submission.enrolment, submission.task)
    open_now = submission_window(task=submission.task, extension=extension, on=timezone.localdate())
    items = [(item, selectors.change_since(item)) for item in submission.items.all()]
    return render(
        request,
        "assessment/submissions/detail.html",
        {
            "submission": submission,
            "enrolment": submission.enrolment,
            "items": items,
            "changed": any(state != selectors.UNCHANGED for _, state in items),
            "attempts": selectors.attempts(submission),
            "due_on": effective_due_on(submission.task, extension),
            "may_withdraw": Action.WITHDRAW in actions
            and submission.state == Submission.State.SUBMITTED
            and open_now == Window.OPEN,
            "is_participant": participant_id == request.user.pk,
        },
    )


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
