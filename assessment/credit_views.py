"""The credit ledger's pages: thin. The access policy decides who sees the ledger (the head, the
credits only) and who may claim, approve or confirm; the services decide whether it is allowed."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from assessment.credit_forms import ClaimForm, DecisionForm, PhaseCompleteForm
from assessment.models import PriorLearningClaim
from assessment.models.credits import LedgerRecord
from assessment.selectors import credits as selectors
from assessment.services import credits as services
from assessment.services.progression import phase_complete
from audit import trail
from portfolio.models import Evidence
from programme import access
from programme.access import Action
from programme.models import Enrolment, Phase
from ui.errors import saved

_READS = {Action.VIEW, Action.VIEW_SUMMARY}


def _enrolment(enrolment_id: int) -> Enrolment:
    return get_object_or_404(Enrolment.objects.select_related("participant", "current_phase"), pk=enrolment_id)


def _ledger_page(request: HttpRequest, enrolment: Enrolment, *, phase_form=None) -> HttpResponse:
    actions = access.allowed_actions(request.user, LedgerRecord(enrolment))
    if not actions & _READS:
        raise Http404("No such ledger.")
    trail.read(enrolment, participant_id=enrolment.participant_id, summary=Action.VIEW not in actions)
    found = selectors.ledger(enrolment)
    may_confirm = Action.ASSESS in actions
    # Phases the tutor may confirm: the current one and any earlier one left unconfirmed (the rule's
    # check_phase_complete), each with the core tasks it waits on.
    open_phases = [
        phase
        for phase in found.phases
        if phase.number <= enrolment.current_phase.number and phase.number not in found.standing.phases_complete
    ]
    claims = access.readable(request.user, found.claims)
    passed = {task.pk for task in found.passed}
    posted = phase_form.data.get("phase") if phase_form is not None else None
    confirmations = []
    for phase in open_phases if may_confirm else []:
        form = phase_form if posted == str(phase.number) else PhaseCompleteForm(initial={"phase": phase.number})
        form.auto_id = f"id_phase{phase.number}_%s"  # one form per open phase on the page: ids stay unique
        core = [(task, task.pk in passed) for task in selectors.core_tasks(enrolment, phase)]
        confirmations.append((phase, core, form))
    # A refusal for a phase no longer open here (confirmed meanwhile in another tab) still shows.
    placed = any(form is phase_form for _, _, form in confirmations)
    stray_errors = [] if phase_form is None or placed else [e for errs in phase_form.errors.values() for e in errs]
    return render(
        request,
        "assessment/credits/ledger.html",
        {
            "enrolment": enrolment,
            "ledger": found,
            "summary_only": Action.VIEW not in actions,
            "claims": claims,
            "is_participant": enrolment.participant_id == request.user.pk,
            "may_claim": access.can(request.user, Action.CHANGE, PriorLearningClaim(enrolment=enrolment)),
            "confirmations": confirmations,
            "stray_errors": stray_errors,
        },
    )


@login_required
def ledger(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    return _ledger_page(request, _enrolment(enrolment_id))


@login_required
@require_POST
def phase_confirm(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    """The tutor confirms a phase complete; a refusal shows on the ledger beside that phase's form."""
    enrolment = _enrolment(enrolment_id)
    access.require(request.user, Action.ASSESS, LedgerRecord(enrolment))
    form = PhaseCompleteForm(request.POST)
    if form.is_valid() and not Phase.objects.filter(number=form.cleaned_data["phase"]).exists():
        form.add_error("phase", "Choose a phase of the programme.")
    done = saved(
        request,
        form,
        lambda: phase_complete(
            by=request.user,
            enrolment=enrolment,
            phase=Phase.objects.get(number=form.cleaned_data["phase"]),
            note=form.cleaned_data["note"],
        ),
        message=lambda c: f"Phase {c.phase.number} confirmed complete.",
    )
    if done:
        return redirect("credits:ledger", enrolment_id=enrolment.pk)
    return _ledger_page(request, _enrolment(enrolment_id), phase_form=form)


@login_required
def claim_create(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = _enrolment(enrolment_id)
    access.require(request.user, Action.CHANGE, PriorLearningClaim(enrolment=enrolment))
    evidence = access.permitted(request.user, Action.VIEW, Evidence.objects.filter(enrolment=enrolment)).order_by(
        "-relates_to", "-pk"
    )
    if request.method == "POST":
        form = ClaimForm(request.POST, evidence=evidence)
        claim = saved(
            request,
            form,
            lambda: services.prior_learning_claim(by=request.user, enrolment=enrolment, content=form.content()),
            message="Claim sent to your tutor. Its credits count once they approve it.",
        )
        if claim:
            return redirect(claim)
    else:
        form = ClaimForm(evidence=evidence, initial={"level": PriorLearningClaim.Level.MASTERS})
    found = selectors.ledger(enrolment)
    return render(
        request,
        "assessment/credits/claim_form.html",
        {"form": form, "enrolment": enrolment, "ledger": found, "title": "Claim credit for prior learning"},
    )


def _claim(request: HttpRequest, pk: int) -> tuple[PriorLearningClaim, frozenset[Action]]:
    claim = selectors.claim_detail(pk)
    if claim is None:
        raise Http404("No such claim.")
    actions = access.allowed_actions(request.user, claim)
    if not actions & _READS:
        access.require(request.user, Action.VIEW, claim)  # records the refused read, answers 404
    return claim, actions


def _claim_page(request, claim, actions, *, decision_form=None) -> HttpResponse:
    summary_only = Action.VIEW not in actions
    trail.read(claim, participant_id=claim.enrolment.participant_id, summary=summary_only)
    return render(
        request,
        "assessment/credits/claim_detail.html",
        {
            "claim": claim,
            "enrolment": claim.enrolment,
            "summary_only": summary_only,
            "may_decide": Action.APPROVE in actions,
            "decision_form": decision_form or DecisionForm(initial={"version": claim.version}),
        },
    )


@login_required
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    claim, actions = _claim(request, pk)
    return _claim_page(request, claim, actions)


@login_required
@require_POST
def claim_decide(request: HttpRequest, pk: int) -> HttpResponse:
    claim, _ = _claim(request, pk)
    actions = access.require(request.user, Action.APPROVE, claim)
    form = DecisionForm(request.POST)
    done = saved(
        request,
        form,
        lambda: services.prior_learning_decide(
            by=request.user,
            claim=claim,
            version=form.cleaned_data["version"] or 0,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        ),
        message=lambda c: (
            "Claim approved: its credits now count."
            if c.status == PriorLearningClaim.Status.APPROVED
            else "Claim not approved. The participant can read your note."
        ),
    )
    if done:
        return redirect(done)
    return _claim_page(request, claim, actions, decision_form=form)
