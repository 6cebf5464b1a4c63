"""The coach writes or changes their supporting statement on a participant's submitted work. Thin:
asks the access policy, sends the form to assessment.services.statements (a refusal goes beside its
field, what was typed is kept) and renders. Once marking has started the page says why the
statement can no longer be changed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from assessment.models import Submission
from assessment.rules.statements import check_statement_open
from assessment.selectors import statements as selectors
from assessment.selectors.submissions import submission_detail
from assessment.services import statements as services
from assessment.statement_forms import StatementForm
from programme import access
from programme.access import Action
from ui.errors import RuleError, show_on_form


def _fresh_version(form: StatementForm, version: int | None) -> None:
    """After a stale save, keep what was typed but carry the current version, so saving again is a
    deliberate choice made having read the message."""
    data = form.data.copy()
    data["version"] = "" if version is None else str(version)
    form.data = data


@login_required
def statement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    submission = submission_detail(pk)
    if submission is None:
        raise Http404("No such submission.")
    access.require(request.user, Action.ADD_STATEMENT, submission)
    statement = selectors.statement_for(submission)
    if statement is not None:
        access.require(request.user, Action.CHANGE, statement)
    locked = None
    try:
        check_statement_open(
            submitted=submission.state == Submission.State.SUBMITTED,
            marking_started_at=selectors.marking_started_at(submission),
        )
    except RuleError as refused:
        locked = refused.message
    choices = selectors.citable_logs(request.user, submission)
    form = StatementForm(
        request.POST if request.method == "POST" else None,
        initial=StatementForm.initial_for(statement),
        choices=choices,
    )
    if form.is_bound and not locked and form.is_valid():
        try:
            services.statement_save(
                by=request.user,
                submission=submission,
                version=form.cleaned_data["version"],
                content=form.content(),
            )
        except RuleError as error:
            if error.rule in ("statement_locked", "statement_not_submitted"):
                locked = error.message
            else:
                show_on_form(form, error)
            if error.rule == "stale":
                current = selectors.statement_for(submission)
                _fresh_version(form, current.version if current else None)
        else:
            messages.success(request, "Your supporting statement is saved. The participant and their tutor read it.")
            return redirect(f"{submission.get_absolute_url()}#statement")
    return render(
        request,
        "assessment/statements/edit.html",
        {"submission": submission, "statement": statement, "form": form, "locked": locked},
    )
