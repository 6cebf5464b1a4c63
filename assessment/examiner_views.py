"""The external examiner's pages (a sample's work, one submission's pack, a cited session, the
comment and the overall report), the programme leader's page that draws, adjusts and confirms a
task's sample, and the page where the leader and the markers read what the examiner wrote.

Thin: each asks the access policy (a submission, its marks and a cited log are the examiner's to
read only while in their confirmed sample), calls a selector or a service, and renders. Every read
by the examiner is in the audit trail. The examiner changes nothing but their own comments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from assessment.examiner_forms import AddForm, CommentForm, ConfirmForm, DrawForm, ExaminersForm, RemoveForm, ReportForm
from assessment.models import AssessmentTask, ExaminerSample
from assessment.selectors import examiner as selectors
from assessment.services import examiner as services
from audit import trail
from programme import access
from programme.access import Action, Relation
from ui.errors import RuleError, show_on_form
from ui.pagination import page_of


def _examiner_sample(request: HttpRequest, pk: int) -> ExaminerSample:
    """One of this examiner's confirmed samples, or a 404 (anyone else's, a draft, or not theirs)."""
    access.require_relation(request.user, Relation.EXTERNAL_EXAMINER)
    sample = selectors.sample_for_examiner(request.user, pk)
    if sample is None:
        raise Http404("No such sample.")
    return sample


def _comment_saved(request, form, *, sample, submission) -> bool:
    if not form.is_valid():
        return False
    try:
        services.examiner_comment_save(
            by=request.user,
            sample=sample,
            submission=submission,
            text=form.cleaned_data["text"],
            version=form.cleaned_data["version"],
        )
    except RuleError as error:
        show_on_form(form, error)
        return False
    return True


@login_required
def sample(request: HttpRequest, pk: int) -> HttpResponse:
    """The work in one sample, a page at a time, with the examiner's overall report on the task."""
    found = _examiner_sample(request, pk)
    report = selectors.report(found, request.user)
    initial = {"version": report.version if report else None, "text": report.text if report else ""}
    form = ReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and _comment_saved(request, form, sample=found, submission=None):
        messages.success(request, "Your report is saved.")
        return redirect(reverse("examiner:sample", kwargs={"pk": found.pk}))
    page = page_of(selectors.entries(found, author=request.user), request)
    rows = selectors.rows(page.object_list, list(found.task.rubric.bands.all()))
    trail.record_many(trail.Action.READ_SUMMARY, [row.entry.submission for row in rows])
    return render(
        request,
        "assessment/examiner/sample.html",
        {"sample": found, "page": page, "rows": rows, "form": form, "report": report},
    )


@login_required
def submission(request: HttpRequest, pk: int, submission_pk: int) -> HttpResponse:
    """One sampled submission's pack: the work as submitted, every marking with its feedback and
    citations (as cited), the changes and moderation notes, and the examiner's comment on it."""
    found = _examiner_sample(request, pk)
    work = selectors.sampled_submission(found, submission_pk)
    if work is None:
        raise Http404("That work is not in this sample.")
    access.require(request.user, Action.VIEW, work)
    the_pack = selectors.pack(request.user, found, work)
    own = the_pack.own
    form = CommentForm(
        request.POST or None, initial={"version": own.version if own else None, "text": own.text if own else ""}
    )
    if request.method == "POST":
        if _comment_saved(request, form, sample=found, submission=work):
            messages.success(request, "Your comment is saved.")
            return redirect(reverse("examiner:submission", kwargs={"pk": found.pk, "submission_pk": work.pk}))
        the_pack = selectors.pack(request.user, found, work)
    participant_id = work.enrolment.participant_id
    trail.read(work, participant_id=participant_id)
    trail.record_many(trail.Action.READ, the_pack.markings)
    return render(
        request,
        "assessment/examiner/submission.html",
        {"sample": found, "submission": work, "pack": the_pack, "form": form},
    )


@login_required
def cited_log(request: HttpRequest, pk: int, version_pk: int) -> HttpResponse:
    """A coaching session as it was at the version cited in the marks of sampled work."""
    found = _examiner_sample(request, pk)
    version, citations = selectors.cited_version(found, version_pk)
    if version is None:
        raise Http404("That session is not cited in this sample.")
    access.require(request.user, Action.VIEW, version)
    trail.read(version, participant_id=version.log.enrolment.participant_id)
    fields = [
        (str(version._meta.get_field(name).verbose_name), getattr(version, name))
        for name in (*version.RECORD_FIELDS, "participant_reflection")
    ]
    return render(
        request,
        "assessment/examiner/cited_log.html",
        {"sample": found, "version": version, "citations": citations, "fields": fields},
    )


# --- The programme leader: draw, adjust, confirm.


def _examiner_choices():
    return User.objects.filter(is_active=True, role_grants__role=Role.EXTERNAL_EXAMINER).order_by(
        "last_name", "first_name", "pk"
    )


@login_required
def task_sample(request: HttpRequest, pk: int) -> HttpResponse:
    """The programme leader draws the task's sample by the sampling rule, adds or takes out work by
    hand with a reason, names its examiner(s) and confirms it."""
    access.require_relation(request.user, Relation.PROGRAMME_LEADER)
    task = get_object_or_404(AssessmentTask.objects.select_related("cohort", "phase", "rubric"), pk=pk)
    found = selectors.sample_of_task(task)
    examiners = _examiner_choices()
    candidates = services.candidates(task)
    page = None
    rows: list = []
    if found is not None:
        page = page_of(selectors.entries(found), request)
        rows = selectors.rows(page.object_list, list(task.rubric.bands.all()))
    sampled_ids = (
        set(found.entries.filter(removed_at__isnull=True).values_list("submission_id", flat=True)) if found else set()
    )
    version = found.version if found else None
    chosen = list(found.examiners.all()) if found else []
    draw = DrawForm(auto_id="draw-%s", examiners=examiners, initial={"examiners": chosen})
    who = ExaminersForm(auto_id="who-%s", examiners=examiners, initial={"version": version, "examiners": chosen})
    add_choices = [
        (c.submission_id, f"{c.label}: {c.mark}, {c.band}") for c in candidates if c.submission_id not in sampled_ids
    ]
    add = AddForm(auto_id="add-%s", initial={"version": version}, choices=add_choices)
    remove_choices = [(row.entry.pk, f"{row.entry.submission.enrolment.participant}: {row.mark}") for row in rows]
    remove = RemoveForm(auto_id="remove-%s", initial={"version": version}, choices=remove_choices)
    confirm = ConfirmForm(auto_id="confirm-%s", initial={"version": version})
    if request.method == "POST":
        what = request.POST.get("form", "")
        try:
            if what == "draw":
                draw = DrawForm(request.POST, auto_id="draw-%s", examiners=examiners)
                if draw.is_valid():
                    services.sample_draw(
                        by=request.user, task=task, examiner_ids=[u.pk for u in draw.cleaned_data["examiners"]]
                    )
                    messages.success(
                        request, "The sample is drawn. Check it, adjust it if you need to, then confirm it."
                    )
                    return redirect(request.path)
            elif found is None:
                raise Http404("Draw the sample first.")
            elif what == "examiners":
                who = ExaminersForm(request.POST, auto_id="who-%s", examiners=examiners)
                if who.is_valid():
                    services.sample_examiners_set(
                        by=request.user,
                        sample=found,
                        examiner_ids=[u.pk for u in who.cleaned_data["examiners"]],
                        version=who.cleaned_data["version"],
                    )
                    messages.success(request, "Examiners saved.")
                    return redirect(request.path)
            elif what == "add":
                add = AddForm(request.POST, auto_id="add-%s", choices=add_choices)
                if add.is_valid():
                    services.sample_add(
                        by=request.user,
                        sample=found,
                        submission_id=add.cleaned_data["submission"],
                        reason=add.cleaned_data["reason"],
                        version=add.cleaned_data["version"],
                    )
                    messages.success(request, "Added to the sample.")
                    return redirect(request.path)
            elif what == "remove":
                remove = RemoveForm(request.POST, auto_id="remove-%s", choices=remove_choices)
                if remove.is_valid():
                    services.sample_remove(
                        by=request.user,
                        sample=found,
                        entry_id=remove.cleaned_data["entry"],
                        reason=remove.cleaned_data["reason"],
                        version=remove.cleaned_data["version"],
                    )
                    messages.success(request, "Taken out of the sample.")
                    return redirect(request.path)
            elif what == "confirm":
                confirm = ConfirmForm(request.POST, auto_id="confirm-%s")
                if confirm.is_valid():
                    services.sample_confirm(by=request.user, sample=found, version=confirm.cleaned_data["version"])
                    messages.success(request, "The sample is confirmed: its examiners can now read it.")
                    return redirect(request.path)
            else:
                raise Http404("No such form.")
        except RuleError as error:
            bound = {"draw": draw, "examiners": who, "add": add, "remove": remove, "confirm": confirm}[what]
            show_on_form(bound, error, fields={"submission": "submission", "reason": "reason"})
    return render(
        request,
        "assessment/examiner/task_sample.html",
        {
            "task": task,
            "sample": found,
            "rows": rows,
            "page": page,
            "removed": list(selectors.removed(found)) if found else [],
            "draw": draw,
            "who": who,
            "add": add,
            "remove": remove,
            "confirm": confirm,
            "forms": [draw, who, add, remove, confirm],
            "marked": len(candidates),
        },
    )


@login_required
def comments(request: HttpRequest, pk: int) -> HttpResponse:
    """What the examiners wrote on a task's sample, for the programme leader and the task's markers:
    the overall reports, and the comments on work they may read."""
    found = get_object_or_404(ExaminerSample.objects.select_related("task__cohort", "task__phase"), pk=pk)
    allowed = access.examiner_report_actions(
        request.user,
        examiner_ids=found.examiners.values_list("pk", flat=True),
        marker_ids=selectors.marker_ids(found),
        confirmed=found.is_confirmed,
    )
    if Action.VIEW not in allowed:
        raise Http404("No such sample.")
    page = page_of(selectors.comments_for(request.user, found), request)
    trail.record_many(trail.Action.READ, page.object_list)
    return render(
        request,
        "assessment/examiner/comments.html",
        {"sample": found, "reports": selectors.reports(found), "page": page},
    )


@login_required
def commented(request: HttpRequest) -> HttpResponse:
    """For a tutor: the confirmed samples of tasks whose work they marked, to read the examiner's words."""
    access.require_relation(request.user, Relation.TUTOR)
    page = page_of(selectors.samples_commented_for(request.user), request)
    return render(request, "assessment/examiner/commented.html", {"page": page})
