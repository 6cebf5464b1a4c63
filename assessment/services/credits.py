"""Prior learning (APL): the participant claims, their tutor approves or refuses with a note.

How much may count is `assessment.rules.credits`; both the claim and the approval ask it with the
participant's enrolment row locked, so two claims (or a claim and an approval) made at once cannot
together pass the allowance."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.models import User
from assessment.models import PriorLearningClaim
from assessment.rules.credits import check_prior_learning
from audit import trail
from portfolio.models import Evidence
from portfolio.services import _common as c
from programme import access
from programme.access import Action
from programme.models import Enrolment, ProgrammeSettings
from ui.errors import RuleError

S = PriorLearningClaim.Status
IMPACT_REQUIRED = "Say what your enquiry and evidence show about the impact on pupils' outcomes."


@dataclass(frozen=True)
class ClaimContent:
    studied: str = ""
    institution: str = ""
    level: int | None = PriorLearningClaim.Level.MASTERS
    credits: int | None = None
    impact: str = ""
    study_evidence_ids: tuple[int, ...] = field(default_factory=tuple)
    impact_evidence_ids: tuple[int, ...] = field(default_factory=tuple)


def _counted(enrolment: Enrolment, *statuses: str, leaving_out: int | None = None) -> int:
    claims = PriorLearningClaim.objects.filter(enrolment=enrolment, status__in=statuses)
    if leaving_out is not None:
        claims = claims.exclude(pk=leaving_out)
    return claims.aggregate(total=Sum("credits"))["total"] or 0


def _evidence(errors, *, by: User, enrolment: Enrolment, ids, field: str, what: str) -> set[int]:
    ids = set(ids)
    if not ids:
        errors[field].append(f"Choose at least one piece of evidence of {what} from your portfolio.")
        return set()
    readable = {
        e.pk
        for e, actions in access.judge(by, Evidence.objects.filter(enrolment=enrolment, pk__in=ids))
        if Action.VIEW in actions
    }
    if ids - readable:
        errors[field].append("Choose evidence from the list; one you chose is not there.")
    return readable & ids


def _lock(enrolment: Enrolment) -> Enrolment:
    return Enrolment.objects.select_for_update().get(pk=enrolment.pk)


@transaction.atomic
def prior_learning_claim(*, by: User, enrolment: Enrolment, content: ClaimContent) -> PriorLearningClaim:
    """The participant claims credits for masters-level study done before the programme. The
    claim and what is already approved or waiting may not pass the allowance together."""
    claim = PriorLearningClaim(enrolment=enrolment, claimed_on=timezone.localdate())
    access.require(by, Action.CHANGE, claim)
    enrolment = _lock(enrolment)
    errors = c.new_errors()
    c.check_required(errors, "studied", content.studied, "Enter what you studied, for example the module's title.")
    c.check_length(errors, "studied", content.studied, 200, "what you studied")
    c.check_required(errors, "institution", content.institution, "Enter the university or college you studied at.")
    c.check_length(errors, "institution", content.institution, 200, "the institution")
    if content.level not in PriorLearningClaim.Level.values:
        errors["level"].append("Choose the level of the study; only masters-level study or above can be recognised.")
    c.check_required(errors, "impact", content.impact, IMPACT_REQUIRED)
    c.check_length(errors, "impact", content.impact, c.SHORT_TEXT_LIMIT, "what it changed")
    study = _evidence(
        errors, by=by, enrolment=enrolment, ids=content.study_evidence_ids, field="study_evidence", what="the study"
    )
    impact = _evidence(
        errors,
        by=by,
        enrolment=enrolment,
        ids=content.impact_evidence_ids,
        field="impact_evidence",
        what="its impact on pupils' outcomes",
    )
    settings = ProgrammeSettings.load()
    try:
        check_prior_learning(
            counted=_counted(enrolment, S.APPROVED, S.CLAIMED),
            claimed=content.credits,
            cap=settings.max_prior_learning_credits,
        )
    except RuleError as error:
        errors["credits"].extend(error.errors[error.field])
    c.raise_if(errors)
    claim.studied = content.studied.strip()
    claim.institution = content.institution.strip()
    claim.level = content.level
    claim.credits = content.credits
    claim.impact = content.impact.strip()
    claim.save()
    claim.study_evidence.set(study)
    claim.impact_evidence.set(impact)
    trail.record(trail.Action.PRIOR_LEARNING_CLAIM, record=claim, actor=by, detail={"credits": claim.credits})
    return claim


@transaction.atomic
def prior_learning_decide(
    *, by: User, claim: PriorLearningClaim, version: int, approve: bool, note: str
) -> PriorLearningClaim:
    """The tutor approves the claim (its credits count from now) or refuses it, saying why in a
    note the participant reads. An approval that would pass the allowance is refused."""
    access.require(by, Action.APPROVE, claim)
    enrolment = _lock(claim.enrolment)
    errors = c.new_errors()
    c.check_required(
        errors,
        "note",
        note,
        "Write a note on what you approved it on." if approve else "Write a note saying why it is not approved.",
    )
    c.check_length(errors, "note", note, c.SHORT_TEXT_LIMIT, "the note")
    if approve:
        try:
            check_prior_learning(
                counted=_counted(enrolment, S.APPROVED, leaving_out=claim.pk),
                claimed=claim.credits,
                cap=ProgrammeSettings.load().max_prior_learning_credits,
                field="decision",
            )
        except RuleError as error:
            errors["decision"].extend(error.errors[error.field])
    c.raise_if(errors)
    c.claim(claim, version)
    claim.status = S.APPROVED if approve else S.REFUSED
    claim.tutor_note = note.strip()
    claim.decided_by = by
    claim.decided_at = timezone.now()
    claim.save(update_fields=["status", "tutor_note", "decided_by", "decided_at", "updated_at"])
    trail.record(
        trail.Action.PRIOR_LEARNING_APPROVE if approve else trail.Action.PRIOR_LEARNING_REFUSE,
        record=claim,
        actor=by,
        detail={"credits": claim.credits},
    )
    return claim
