"""The tutor's marking pages (queue, workspace, comment bank), the programme leader's release of a
task's results, and a result as the participant, their coach and head see it once released.
Thin: each asks the access policy, calls a selector or a marking service, and renders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessment.marking_forms import CommentForm, CriterionForm, FilterForm, MoveForm, OverallForm
from assessment.models import AssessmentTask, CommentBankEntry, Marking, Submission
from assessment.models.credits import LedgerRecord
from assessment.selectors import marking as selectors
from assessment.selectors import moderation as moderation_selectors
from assessment.selectors.feed_forward import responses_of as feed_forward_responses
from assessment.selectors.resubmission import first_attempt, offer_for
from assessment.services import marking as services
from assessment.services import moderation as moderation_services
from assessment.workflow import Move, State, allowed_moves
from audit import trail
from programme import access
from programme.access import Action, Relation
from ui.errors import RuleError, show_on_form
from ui.pagination import page_of

_READS = {Action.VIEW, Action.VIEW_SUMMARY}


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """Submitted work of the tutor's participants with where its marking stands, a page at a time."""
    access.require_relation(request.user, Relation.TUTOR)
    page = page_of(selectors.queue(request.user), request)
    labels = dict(State.choices)
    for submission in page.object_list:
        submission.marking_label = labels.get(submission.marking_state or State.NOT_MARKED)
    # Work whose first marking is done is opened (to read, confirm or amend), not marked.
    marking_open = [State.MARKED, State.IN_MODERATION, State.READY_FOR_RELEASE, State.RELEASED]
    return render(request, "assessment/marking/queue.html", {"page": page, "marking_open": marking_open})


def _fresh_version(form, version: int):
    """After a stale save, keep what was typed but carry the current version, so saving again is a
    deliberate choice made having seen the message."""
    data = form.data.copy()
    data[form.add_prefix("version")] = str(version)
    form.data = data


def _criterion_form(request, ws, row, *, data=None):
    mark = row.mark
    initial = {
        "version": ws.marking.version if ws.marking else None,
        "mark": mark.mark if mark else None,
        "strengths": mark.strengths if mark else "",
        "development": mark.development if mark else "",
        "citations": sorted(row.cited_keys),
    }
    return CriterionForm(
        data,
        prefix=f"c{row.criterion.pk}",
        initial=initial,
        citables=ws.citables,
        comments=ws.comments,
        released=bool(ws.marking and ws.marking.is_released),
    )


def _overall_form(ws, *, data=None):
    m = ws.marking
    initial = (
        {
            "version": m.version,
            "adjusted_mark": m.adjusted_mark,
            "adjustment_reason": m.adjustment_reason,
            "outcome": m.outcome,
            "feed_forward": m.feed_forward,
        }
        if m
        else {}
    )
    return OverallForm(data, prefix="overall", initial=initial, released=bool(m and m.is_released))


def _save_criterion(request, ws, row, form) -> bool:
    if not form.is_valid():
        return False
    content = services.CriterionContent(
        mark=form.cleaned_data["mark"],
        strengths=form.with_comments("strengths"),
        development=form.with_comments("development"),
        citations=tuple(form.cleaned_data["citations"]),
        passage=form.cleaned_data["passage"],
    )
    try:
        services.criterion_mark_save(
            by=request.user,
            marking=ws.marking,
            criterion_id=row.criterion.pk,
            version=form.cleaned_data["version"],
            content=content,
            reason=form.cleaned_data.get("reason", ""),
        )
    except RuleError as error:
        show_on_form(form, error)
        if error.rule == "stale":
            ws.marking.refresh_from_db()
            _fresh_version(form, ws.marking.version)
        return False
    return True


def _save_overall(request, ws, form) -> bool:
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        services.marking_overall_save(
            by=request.user,
            marking=ws.marking,
            version=data["version"],
            content=services.OverallContent(
                adjusted_mark=data["adjusted_mark"],
                adjustment_reason=data["adjustment_reason"],
                outcome=data["outcome"],
                feed_forward=data["feed_forward"],
            ),
            reason=data.get("reason", ""),
        )
    except RuleError as error:
        show_on_form(form, error)
        if error.rule == "stale":
            ws.marking.refresh_from_db()
            _fresh_version(form, ws.marking.version)
        return False
    return True


@login_required
def workspace(request: HttpRequest, pk: int) -> HttpResponse:
    """The frozen submission on one side; on the other what the tutor may cite (the participant's
    agreed logs and their action steps, the coach's statement, the evidence), filtered by content
    area and criterion; one form per criterion and one for the overall result."""
    submission = selectors.submission_for_marking(pk)
    if submission is None:
        raise Http404("No such submission.")
    role = moderation_selectors.marking_role(request.user, submission)  # first, or second (moderation)
    ws = selectors.workspace(request.user, submission, role=role)
    here = request.get_full_path()
    bound_criterion, overall_bound, move_error = {}, None, None
    if request.method == "POST":
        what = request.POST.get("form", "")
        try:
            if what == "start":
                if role == Marking.Role.FIRST:
                    services.marking_start(by=request.user, submission=submission)
                else:
                    moderation_services.marker_marking_start(by=request.user, submission=submission)
                messages.success(request, "Marking started.")
                return redirect(here)
            if ws.marking is None:
                raise Http404("Marking has not started.")
            if what.startswith("criterion-"):
                row = next((r for r in ws.criteria if f"criterion-{r.criterion.pk}" == what), None)
                if row is None:
                    raise Http404("No such criterion.")
                form = _criterion_form(request, ws, row, data=request.POST)
                if _save_criterion(request, ws, row, form):
                    messages.success(request, f"Saved your marking of “{row.criterion.title}”.")
                    return redirect(f"{here}#criterion-{row.criterion.pk}")
                bound_criterion[row.criterion.pk] = form
            elif what == "overall":
                overall_bound = _overall_form(ws, data=request.POST)
                if _save_overall(request, ws, overall_bound):
                    messages.success(request, "Saved the overall result.")
                    return redirect(f"{here}#overall")
            elif what == "move":
                form = MoveForm(request.POST)
                if form.is_valid():
                    services.marking_move(
                        by=request.user,
                        marking=ws.marking,
                        move=Move(form.cleaned_data["move"]),
                        version=form.cleaned_data["version"],
                    )
                    messages.success(request, "The marking has moved on.")
                    return redirect(here)
        except RuleError as error:
            move_error = error
        except ValueError as error:
            raise Http404("No such step.") from error
        if bound_criterion or overall_bound is not None or move_error:
            ws = selectors.workspace(request.user, submission, role=role) if move_error else ws
    trail.read(submission, participant_id=submission.enrolment.participant_id)
    if ws.marking is not None:
        trail.read(ws.marking, participant_id=submission.enrolment.participant_id)
    criteria = [row.criterion for row in ws.criteria]
    filters = FilterForm(request.GET or None, areas=ws.areas, criteria=criteria)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    area = chosen.get("area") or None
    criterion_id = int(chosen["criterion"]) if chosen.get("criterion") else None
    rows = [r for r in ws.criteria if criterion_id is None or r.criterion.pk == criterion_id]
    forms = [(row, bound_criterion.get(row.criterion.pk) or _criterion_form(request, ws, row)) for row in rows]
    moves = []
    if ws.marking is not None:
        moves = [
            m
            for m in allowed_moves(state=ws.marking.state, movers=services.movers(request.user, submission, ws.marking))
            if m not in (Move.RELEASE, Move.AMEND, Move.START, Move.MODERATED)
        ]
    return render(
        request,
        "assessment/marking/workspace.html",
        {
            "ws": ws,
            "submission": submission,
            "marking": ws.marking,
            "forms": forms,
            "overall": overall_bound or (_overall_form(ws) if ws.marking else None),
            "filters": filters,
            "shown": ws.shown(area=area),
            "filtered": bool(area or criterion_id),
            "moves": [(m, _MOVE_LABELS[m]) for m in moves],
            "move_error": move_error,
            "statement": selectors.supporting_statement(submission),
            "feed_forward": feed_forward_responses(submission),
            "first_attempt": first_attempt(submission),
            "role": role,
            "moderation": getattr(submission, "moderation", None),
        },
    )


_MOVE_LABELS = {
    Move.COMPLETE: "Mark as complete",
    Move.REOPEN: "Reopen to change the marks",
    Move.SEND_TO_MODERATION: "Send to moderation",
    Move.CONFIRM: "Confirm for release",
    Move.MODERATED: "Moderation done: ready for release",
    Move.RETURN_TO_MARKER: "Return to the marker",
}


@login_required
def result(request: HttpRequest, pk: int) -> HttpResponse:
    """A submission's result: after release, in full to the participant and their coach (with what
    was cited), the outcome and credits only to their head; to the tutor and leader at any time."""
    submission = get_object_or_404(Submission.objects.select_related("task", "enrolment__participant"), pk=pk)
    marking = selectors.result_of(submission)
    if marking is None:
        raise Http404("No result yet.")
    actions = access.allowed_actions(request.user, marking)
    if not actions & _READS:
        trail.refused_read(marking, actor=request.user)
        raise Http404("No such result.")
    summary = Action.VIEW not in actions
    trail.read(marking, participant_id=submission.enrolment.participant_id, summary=summary)
    own = submission.enrolment.participant_id == request.user.pk
    offer = offer_for(submission, today=timezone.localdate()) if own and marking.is_released else None
    # Where the result counts: the ledger, where the tutor confirms the phase once its core work is passed.
    ledger_readable = bool(access.allowed_actions(request.user, LedgerRecord(submission.enrolment)) & _READS)
    return render(
        request,
        "assessment/marking/result.html",
        {
            "submission": submission,
            "marking": marking,
            "summary": summary,
            "changes": [] if summary else list(selectors.changes(marking).filter(is_amendment=True)),
            "offer": offer,
            "own": own,
            "ledger_readable": ledger_readable,
        },
    )


@login_required
def task_release(request: HttpRequest, pk: int) -> HttpResponse:
    """The programme leader sees where a task's marking stands and releases its results by hand."""
    access.require_relation(request.user, Relation.PROGRAMME_LEADER)
    task = get_object_or_404(AssessmentTask, pk=pk)
    if request.method == "POST":
        try:
            released = services.results_release(task=task, by=request.user)
        except RuleError as error:
            messages.error(request, error.message)
        else:
            # One result per piece of work: moderation's agreed marks are released with the first marks they replace.
            results = len({marking.submission_id for marking in released})
            messages.success(request, f"Released {results} result{'s' if results != 1 else ''}.")
        return redirect(reverse("marking:task_release", kwargs={"pk": task.pk}))
    counts = dict(
        Marking.objects.filter(submission__task=task, role=Marking.Role.FIRST)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    submitted = Submission.objects.filter(task=task, state=Submission.State.SUBMITTED).count()
    rows = [(label, counts.get(value, 0)) for value, label in State.choices if value != State.NOT_MARKED]
    not_marked = submitted - sum(counts.values())
    return render(
        request,
        "assessment/marking/task_release.html",
        {"task": task, "rows": rows, "not_marked": not_marked, "ready": counts.get(State.READY_FOR_RELEASE, 0)},
    )


@login_required
def comment_bank(request: HttpRequest) -> HttpResponse:
    access.require_relation(request.user, Relation.TUTOR)
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_save(by=request.user, title=form.cleaned_data["title"], text=form.cleaned_data["text"])
        except RuleError as error:
            show_on_form(form, error)
        else:
            messages.success(request, "Comment saved.")
            return redirect("marking:comment_bank")
    entries = CommentBankEntry.objects.filter(tutor=request.user).order_by("title")
    return render(request, "assessment/marking/comment_bank.html", {"form": form, "entries": entries})


@login_required
@require_POST
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_relation(request.user, Relation.TUTOR)
    if not services.comment_delete(by=request.user, entry_id=pk):
        raise Http404("No such comment in your bank.")  # someone else's, or already removed
    messages.success(request, "Comment removed.")
    return redirect("marking:comment_bank")
