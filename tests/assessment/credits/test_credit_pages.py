"""The ledger's pages: the participant claims, the tutor approves and confirms phases, the head sees
credits only, strangers see nothing; bad input is refused beside its field and kept; the pages'
queries do not grow with the claims, tasks and evidence."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import PriorLearningClaim
from assessment.services.credits import ClaimContent, prior_learning_claim, prior_learning_decide
from audit.models import AuditAction, AuditEvent
from programme.models import ContentArea, Phase
from tests.assessment.factories import AssessmentTaskFactory
from tests.portfolio.factories import EvidenceFactory

pytestmark = pytest.mark.django_db


def make_claim(world, credits=10, title="Module on feedback") -> PriorLearningClaim:
    study = EvidenceFactory(enrolment=world.enrolment, title=f"Transcript for {title}")
    impact = EvidenceFactory(enrolment=world.enrolment, title=f"Results after {title}")
    return prior_learning_claim(
        by=world.participant,
        enrolment=world.enrolment,
        content=ClaimContent(
            studied=title,
            institution="University of Somewhere",
            credits=credits,
            impact="Pupils' writing improved.",
            study_evidence_ids=(study.pk,),
            impact_evidence_ids=(impact.pk,),
        ),
    )


def ledger_url(world):
    return reverse("credits:ledger", args=[world.enrolment.pk])


def test_the_participants_home_shows_where_they_stand(client, world, passes):
    task = AssessmentTaskFactory(cohort=world.enrolment.cohort, credits=30)
    task.content_areas.set([ContentArea.objects.get(number=2)])
    passes.add(world.enrolment, task)
    claim = make_claim(world, credits=20)
    prior_learning_decide(by=world.tutor, claim=claim, version=claim.version, approve=True, note="Good evidence.")
    client.force_login(world.participant)
    page = client.get(reverse("tracking:participant_home")).content.decode()
    assert "50 of 180" in page  # 30 passed and 20 of prior learning
    assert "20 of 30 credits used" in page
    assert "2. " in page
    assert "Covered" in page
    assert ledger_url(world) in page


def test_a_phase_left_behind_unconfirmed_is_not_called_completed_on_the_home(client, world, passes):
    """Found on the demo: 'Where you are' said phase 1 was completed beside 'Phase 1: Not yet' in the
    ledger, for a participant the leader had moved on."""
    world.enrolment.current_phase = Phase.objects.get(number=2)
    world.enrolment.save(update_fields=["current_phase"])
    client.force_login(world.participant)
    home = reverse("tracking:participant_home")
    page = client.get(home).content.decode()
    assert "Moved on, not confirmed" in page
    assert ">Completed<" not in page
    passes.add(world.enrolment, AssessmentTaskFactory(cohort=world.enrolment.cohort))
    client.force_login(world.tutor)
    confirmed = client.post(reverse("credits:phase_confirm", args=[world.enrolment.pk]), {"phase": "1", "note": ""})
    assert confirmed.status_code == 302, confirmed.content.decode()
    client.force_login(world.participant)
    page = client.get(home).content.decode()
    assert ">Completed<" in page
    assert "Moved on, not confirmed" not in page


def test_the_participant_claims_from_the_ledger_and_bad_input_is_kept_beside_the_field(client, world):
    study = EvidenceFactory(enrolment=world.enrolment, title="My transcript")
    client.force_login(world.participant)
    assert reverse("credits:claim_create", args=[world.enrolment.pk]) in client.get(ledger_url(world)).content.decode()
    data = {
        "studied": "Leading learning",
        "institution": "Northern University",
        "level": "7",
        "credits": "31",
        "impact": "Attendance and results rose in my tutor group.",
        "study_evidence": [str(study.pk)],
        "impact_evidence": [str(study.pk)],
    }
    response = client.post(reverse("credits:claim_create", args=[world.enrolment.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "30 credits of the allowance are left" in page
    assert "Leading learning" in page
    assert "Attendance and results rose" in page
    assert not PriorLearningClaim.objects.exists()
    response = client.post(reverse("credits:claim_create", args=[world.enrolment.pk]), {**data, "credits": "30"})
    claim = PriorLearningClaim.objects.get()
    assert response.url == reverse("credits:claim_detail", args=[claim.pk])


def test_evidence_not_offered_is_refused_beside_the_field(client, world):
    mine = EvidenceFactory(enrolment=world.enrolment)
    theirs = EvidenceFactory(title="Someone else's")
    client.force_login(world.participant)
    page = client.get(reverse("credits:claim_create", args=[world.enrolment.pk])).content.decode()
    assert "Someone else&#x27;s" not in page
    response = client.post(
        reverse("credits:claim_create", args=[world.enrolment.pk]),
        {
            "studied": "X",
            "institution": "Y",
            "level": "7",
            "credits": "5",
            "impact": "Z",
            "study_evidence": [str(theirs.pk)],
            "impact_evidence": [str(mine.pk)],
        },
    )
    assert "Choose evidence from the list" in response.content.decode()
    assert not PriorLearningClaim.objects.exists()


def test_the_coach_reads_the_ledger_and_cannot_claim(client, world):
    client.force_login(world.coach)
    page = client.get(ledger_url(world)).content.decode()
    assert "Claim credit for prior learning" not in page
    assert client.get(reverse("credits:claim_create", args=[world.enrolment.pk])).status_code == 403


def test_the_head_sees_the_credits_only(client, world):
    claim = make_claim(world, title="Secret module")
    client.force_login(world.head)
    page = client.get(ledger_url(world)).content.decode()
    assert "0 of 180" in page
    assert "Secret module" not in page
    detail = client.get(reverse("credits:claim_detail", args=[claim.pk])).content.decode()
    assert "Secret module" not in detail
    assert "Pupils&#x27; writing" not in detail


@pytest.mark.parametrize("who", ["stranger_coach", "other_head", "other_tutor", "other_participant"])
def test_strangers_get_404(client, world, who):
    claim = make_claim(world)
    client.force_login(getattr(world, who))
    assert client.get(ledger_url(world)).status_code == 404
    assert client.get(reverse("credits:claim_detail", args=[claim.pk])).status_code == 404


def test_the_tutor_approves_on_the_claims_page_and_the_ledger_counts_it(client, world):
    claim = make_claim(world, credits=15)
    client.force_login(world.tutor)
    url = reverse("credits:claim_detail", args=[claim.pk])
    assert "Save your decision" in client.get(url).content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.READ, record_id=str(claim.pk)).exists()
    decide = reverse("credits:claim_decide", args=[claim.pk])
    response = client.post(decide, {"version": claim.version, "decision": "approve", "note": ""})
    assert "Write a note" in response.content.decode()
    response = client.post(decide, {"version": claim.version, "decision": "approve", "note": "Well evidenced."})
    assert response.url == url
    assert "15 of 180" in client.get(ledger_url(world)).content.decode()


def test_the_tutor_is_told_which_core_task_holds_the_phase_back(client, world, passes):
    AssessmentTaskFactory(cohort=world.enrolment.cohort, title="Skills of enquiry")
    client.force_login(world.tutor)
    confirm = reverse("credits:phase_confirm", args=[world.enrolment.pk])
    assert confirm in client.get(ledger_url(world)).content.decode()
    response = client.post(confirm, {"phase": "1", "note": "Ready"})
    page = response.content.decode()
    assert "“Skills of enquiry” has not been passed" in page
    assert "Ready" in page


def test_the_tutor_confirms_a_phase_on_the_ledger(client, world, passes):
    task = AssessmentTaskFactory(cohort=world.enrolment.cohort)
    passes.add(world.enrolment, task)
    client.force_login(world.tutor)
    response = client.post(reverse("credits:phase_confirm", args=[world.enrolment.pk]), {"phase": "1", "note": ""})
    assert response.url == ledger_url(world)
    world.enrolment.refresh_from_db()
    assert world.enrolment.current_phase == Phase.objects.get(number=2)


def test_the_ledger_offers_an_earlier_phase_left_unconfirmed_beside_the_current_one(client, world, passes):
    world.enrolment.current_phase = Phase.objects.get(number=2)
    world.enrolment.save(update_fields=["current_phase"])
    passes.add(world.enrolment, AssessmentTaskFactory(cohort=world.enrolment.cohort, title="Skills of enquiry"))
    client.force_login(world.tutor)
    page = client.get(ledger_url(world)).content.decode()
    assert 'id="confirm-1"' in page
    assert 'id="confirm-2"' in page
    assert "moved on to phase 2 before this phase was confirmed" in page
    response = client.post(reverse("credits:phase_confirm", args=[world.enrolment.pk]), {"phase": "1", "note": ""})
    assert response.status_code == 302
    again = client.post(reverse("credits:phase_confirm", args=[world.enrolment.pk]), {"phase": "1", "note": ""})
    assert "Phase 1 is already confirmed complete." in again.content.decode()  # the stale tab is told
    world.enrolment.refresh_from_db()
    assert world.enrolment.current_phase.number == 2


def test_only_the_tutor_may_post_a_phase_confirmation(client, world, passes):
    passes.add(world.enrolment, AssessmentTaskFactory(cohort=world.enrolment.cohort))
    client.force_login(world.participant)
    assert client.post(reverse("credits:phase_confirm", args=[world.enrolment.pk]), {"phase": "1"}).status_code == 403


# --- Query counts: flat with few and many rows.


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_ledger_costs_the_same_with_few_and_many_claims_and_passed_tasks(client, world, passes):
    def grow(n):
        for i in range(n):
            make_claim(world, credits=1, title=f"Module {i}-{PriorLearningClaim.objects.count()}")
            task = AssessmentTaskFactory(cohort=world.enrolment.cohort)
            task.content_areas.set(ContentArea.objects.all()[:2])
            passes.add(world.enrolment, task)

    for who in (world.participant, world.tutor, world.head):
        client.force_login(who)
        grow(1)
        few = _queries(client, ledger_url(world))
        grow(4)
        assert _queries(client, ledger_url(world)) == few, who


def test_the_claims_page_costs_the_same_with_little_and_much_evidence(client, world):
    few = make_claim(world)
    many = make_claim(world, title="Another")
    many.study_evidence.add(*[EvidenceFactory(enrolment=world.enrolment) for _ in range(5)])
    client.force_login(world.tutor)
    assert _queries(client, reverse("credits:claim_detail", args=[few.pk])) == _queries(
        client, reverse("credits:claim_detail", args=[many.pk])
    )


def test_the_participants_home_costs_the_same_with_few_and_many_claims(client, world, passes):
    client.force_login(world.participant)
    make_claim(world, credits=1)
    passes.add(world.enrolment, AssessmentTaskFactory(cohort=world.enrolment.cohort))
    few = _queries(client, reverse("tracking:participant_home"))
    for i in range(4):
        make_claim(world, credits=1, title=f"M{i}")
        passes.add(world.enrolment, AssessmentTaskFactory(cohort=world.enrolment.cohort))
    assert _queries(client, reverse("tracking:participant_home")) == few == 14  # pinned: more is a regression
