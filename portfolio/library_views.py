"""The research library's steps in the portfolio (journey 7): the participant writes a summary of
an enquiry and sends it to their tutor; the tutor approves it or returns it; the participant
publishes it with their consent and may withdraw it. Each step is one form on the summary's page,
answered by one service; the access policy decides who may take it."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from audit import trail
from portfolio import library, selectors, services
from portfolio.library_forms import PublishForm, ReviewForm, StepForm, SummaryForm
from portfolio.models import LibrarySummary
from portfolio.services.library import prefilled
from programme import access
from programme.access import Action, Relation
from ui.errors import saved


def _summary(request: HttpRequest, pk: int, action: Action) -> tuple[LibrarySummary, frozenset]:
    found = library.summary_detail(pk)
    if found is None:
        raise Http404("No such summary.")
    return found, access.require(request.user, action, found)


def _detail_page(request, summary, actions, **forms) -> HttpResponse:
    version = {"version": summary.version}
    context = {
        "summary": summary,
        "enrolment": summary.enrolment,
        "may_change": Action.CHANGE in actions,
        "may_send": Action.CHANGE in actions and summary.status != LibrarySummary.Status.APPROVED,
        "may_review": Action.APPROVE in actions,
        "may_publish": Action.PUBLISH in actions,
        "may_withdraw": Action.WITHDRAW in actions,
        "step_form": forms.get("step_form") or StepForm(initial=version),
        "review_form": forms.get("review_form") or ReviewForm(initial=version),
        "publish_form": forms.get("publish_form") or PublishForm(initial=version),
        "live": summary.page is not None and summary.page.live,
    }
    return render(request, "portfolio/library_summary_detail.html", context)


@login_required
def summary_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A summary of one enquiry, started from what the enquiry says."""
    enquiry = selectors.enquiry_detail(pk)
    if enquiry is None:
        raise Http404("No such enquiry.")
    access.require(request.user, Action.CHANGE, enquiry)
    existing = LibrarySummary.objects.filter(enquiry=enquiry).first()
    if existing is not None:
        return redirect(existing)
    if request.method == "POST":
        form = SummaryForm(request.POST)
        summary = saved(
            request,
            form,
            lambda: services.library_summary_create(by=request.user, enquiry=enquiry, content=form.content()),
            message="Summary saved. Send it to your tutor when it is ready.",
        )
        if summary:
            return redirect(summary)
    else:
        form = SummaryForm(initial=SummaryForm.initial_from(prefilled(enquiry)))
    return render(
        request,
        "portfolio/library_summary_form.html",
        {
            "form": form,
            "enrolment": enquiry.enrolment,
            "enquiry": enquiry,
            "title": "Summarise for the research library",
        },
    )


@login_required
def summary_detail(request: HttpRequest, pk: int) -> HttpResponse:
    summary, actions = _summary(request, pk, Action.VIEW)
    trail.read(summary, participant_id=summary.enrolment.participant_id)
    return _detail_page(request, summary, actions)


@login_required
def summary_edit(request: HttpRequest, pk: int) -> HttpResponse:
    summary, _ = _summary(request, pk, Action.CHANGE)
    if request.method == "POST":
        form = SummaryForm(request.POST)
        updated = saved(
            request,
            form,
            lambda: services.library_summary_update(
                by=request.user, summary=summary, version=form.cleaned_data["version"] or 0, content=form.content()
            ),
            message="Summary saved.",
        )
        if updated:
            return redirect(updated)
    else:
        content = services.SummaryContent(
            title=summary.title,
            summary=summary.summary,
            findings=summary.findings,
            implications=summary.implications,
            content_area_ids=tuple(a.pk for a in summary.content_areas.all()),
        )
        form = SummaryForm(initial=SummaryForm.initial_from(content, version=summary.version))
    return render(
        request,
        "portfolio/library_summary_form.html",
        {
            "form": form,
            "enrolment": summary.enrolment,
            "enquiry": summary.enquiry,
            "summary": summary,
            "title": "Change the library summary",
        },
    )


@require_POST
@login_required
def summary_send(request: HttpRequest, pk: int) -> HttpResponse:
    summary, actions = _summary(request, pk, Action.CHANGE)
    form = StepForm(request.POST)
    done = saved(
        request,
        form,
        lambda: services.library_summary_send(
            by=request.user, summary=summary, version=form.cleaned_data["version"] or 0
        ),
        message="Sent to your tutor to approve.",
    )
    return redirect(done) if done else _detail_page(request, summary, actions, step_form=form)


@require_POST
@login_required
def summary_review(request: HttpRequest, pk: int) -> HttpResponse:
    summary, actions = _summary(request, pk, Action.APPROVE)
    form = ReviewForm(request.POST)
    done = saved(
        request,
        form,
        lambda: services.library_summary_review(
            by=request.user,
            summary=summary,
            version=form.cleaned_data["version"] or 0,
            approve=form.cleaned_data["decision"] == "approve",
            comment=form.cleaned_data["comment"],
        ),
        message=lambda s: (
            "Approved. The participant can now publish it."
            if s.status == LibrarySummary.Status.APPROVED
            else "Returned to the participant with your comment."
        ),
    )
    return redirect(done) if done else _detail_page(request, summary, actions, review_form=form)


@require_POST
@login_required
def summary_publish(request: HttpRequest, pk: int) -> HttpResponse:
    # Their own summary not yet approved is told why by the service, beside the form.
    summary, actions = _summary(request, pk, Action.VIEW)
    form = PublishForm(request.POST)
    done = saved(
        request,
        form,
        lambda: services.library_summary_publish(
            by=request.user,
            summary=summary,
            version=form.cleaned_data["version"] or 0,
            consent=form.cleaned_data["consent"],
            no_pupil_data=form.cleaned_data["no_pupil_data"],
        ),
        message="Published in the research library.",
    )
    return redirect(done) if done else _detail_page(request, summary, actions, publish_form=form)


@require_POST
@login_required
def summary_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    summary, actions = _summary(request, pk, Action.WITHDRAW)
    form = StepForm(request.POST)
    done = saved(
        request,
        form,
        lambda: services.library_summary_withdraw(
            by=request.user, summary=summary, version=form.cleaned_data["version"] or 0
        ),
        message="Withdrawn: the summary is no longer in the research library.",
    )
    return redirect(done) if done else _detail_page(request, summary, actions, step_form=form)


@login_required
def awaiting(request: HttpRequest) -> HttpResponse:
    """For a tutor: the summaries their participants have sent for approval."""
    access.require_relation(request.user, Relation.TUTOR)
    return render(
        request, "portfolio/library_awaiting.html", {"results": library.awaiting_approval(request.user, request)}
    )
