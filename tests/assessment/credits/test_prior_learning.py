"""Prior learning (APL, Q20): the participant claims with evidence of the study and of its impact on
pupils, their tutor approves with a note, and never more than 30 credits count in all."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from assessment.models import PriorLearningClaim
from assessment.services.credits import ClaimContent, prior_learning_claim, prior_learning_decide
from audit.models import AuditAction, AuditEvent
from programme.models import ProgrammeSettings
from tests.portfolio.factories import EvidenceFactory
from ui.errors import RuleError

pytestmark = pytest.mark.django_db


def content(world, **overrides) -> ClaimContent:
    study = overrides.pop("study", None) or EvidenceFactory(enrolment=world.enrolment, title="Transcript")
    impact = overrides.pop("impact_ev", None) or EvidenceFactory(enrolment=world.enrolment, title="Reading ages")
    fields = {
        "studied": "Assessment for learning (module)",
        "institution": "University of Somewhere",
        "credits": 20,
        "impact": "Reading ages in my Year 7 group rose after I changed how I gave feedback.",
        "study_evidence_ids": (study.pk,),
        "impact_evidence_ids": (impact.pk,),
        **overrides,
    }
    return ClaimContent(**fields)


def claim(world, **overrides) -> PriorLearningClaim:
    return prior_learning_claim(by=world.participant, enrolment=world.enrolment, content=content(world, **overrides))


def approve(world, found, note="The transcript shows level 7 credits; the data shows the impact."):
    return prior_learning_decide(by=world.tutor, claim=found, version=found.version, approve=True, note=note)


def test_the_participant_claims_with_both_kinds_of_evidence(world):
    found = claim(world)
    assert found.status == PriorLearningClaim.Status.CLAIMED
    assert [e.title for e in found.study_evidence.all()] == ["Transcript"]
    assert [e.title for e in found.impact_evidence.all()] == ["Reading ages"]
    assert AuditEvent.objects.filter(action=AuditAction.PRIOR_LEARNING_CLAIM, enrolment_id=world.enrolment.pk).exists()


def test_a_claim_without_evidence_of_the_study_or_of_its_impact_is_refused_beside_each_field(world):
    with pytest.raises(RuleError) as refused:
        claim(world, study_evidence_ids=(), impact_evidence_ids=(), impact="")
    assert set(refused.value.errors) == {"study_evidence", "impact_evidence", "impact"}
    assert not PriorLearningClaim.objects.exists()


def test_evidence_from_someone_elses_portfolio_is_refused(world):
    stranger = EvidenceFactory(title="Not theirs")
    with pytest.raises(RuleError) as refused:
        claim(world, study_evidence_ids=(stranger.pk,))
    assert refused.value.errors["study_evidence"] == ["Choose evidence from the list; one you chose is not there."]


def test_a_claim_over_30_credits_is_refused_naming_what_is_left(world):
    with pytest.raises(RuleError) as refused:
        claim(world, credits=31)
    assert "30 credits of the allowance are left" in refused.value.errors["credits"][0]


def test_claims_waiting_for_the_tutor_count_against_the_allowance(world):
    claim(world, credits=20)
    with pytest.raises(RuleError) as refused:
        claim(world, credits=15)
    assert "10 credits of the allowance are left" in refused.value.errors["credits"][0]
    claim(world, credits=10)
    with pytest.raises(RuleError) as refused:
        claim(world, credits=1)
    assert "used up" in refused.value.errors["credits"][0]


def test_a_refused_claim_frees_its_credits(world):
    first = claim(world, credits=30)
    prior_learning_decide(by=world.tutor, claim=first, version=first.version, approve=False, note="No transcript.")
    claim(world, credits=30)


def test_the_tutor_approves_with_a_note_and_who_and_when_are_kept(world):
    found = approve(world, claim(world))
    found.refresh_from_db()
    assert found.status == PriorLearningClaim.Status.APPROVED
    assert found.decided_by == world.tutor
    assert found.decided_at is not None
    assert found.tutor_note.startswith("The transcript")
    assert AuditEvent.objects.filter(action=AuditAction.PRIOR_LEARNING_APPROVE).count() == 1


def test_a_decision_needs_a_note(world):
    found = claim(world)
    with pytest.raises(RuleError) as refused:
        approve(world, found, note="  ")
    assert refused.value.field == "note"


def test_an_approval_that_would_pass_the_allowance_is_refused(world):
    first, second = claim(world, credits=15), claim(world, credits=15)
    approve(world, first)
    settings = ProgrammeSettings.load()
    settings.max_prior_learning_credits = 20  # the provider lowered the allowance meanwhile
    settings.save()
    with pytest.raises(RuleError) as refused:
        approve(world, second)
    assert refused.value.field == "decision"
    assert "5 credits of the allowance are left" in refused.value.message
    second.refresh_from_db()
    assert second.status == PriorLearningClaim.Status.CLAIMED


def test_a_stale_decision_is_refused(world):
    found = claim(world)
    stale = PriorLearningClaim.objects.get(pk=found.pk)
    approve(world, found)
    with pytest.raises(RuleError) as refused:
        prior_learning_decide(by=world.tutor, claim=stale, version=1, approve=False, note="Changed my mind.")
    assert refused.value.rule == "stale"
    found.refresh_from_db()
    assert found.status == PriorLearningClaim.Status.APPROVED


def test_only_the_participant_claims_and_only_their_tutor_decides(world):
    with pytest.raises(PermissionDenied):
        prior_learning_claim(by=world.coach, enrolment=world.enrolment, content=content(world))
    found = claim(world)
    with pytest.raises(PermissionDenied):
        prior_learning_decide(by=world.participant, claim=found, version=found.version, approve=True, note="Mine")
    with pytest.raises(Http404):
        prior_learning_decide(by=world.other_tutor, claim=found, version=found.version, approve=True, note="No")


def test_a_decided_claim_is_not_decided_again(world):
    found = approve(world, claim(world))
    with pytest.raises(PermissionDenied):
        prior_learning_decide(by=world.tutor, claim=found, version=found.version, approve=False, note="Again")
