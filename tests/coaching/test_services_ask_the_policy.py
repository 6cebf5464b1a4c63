"""Services that change coaching records ask the access policy themselves: a caller that forgot to
ask (a view, a task, a command) still cannot change a record for someone the policy refuses, and
nothing is saved. Refused reads are a 404, refused writes a 403, as in the views."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from coaching import services
from coaching.models import (
    ActionStep,
    AgreementStatus,
    DiagnosisEvidence,
    DialogueLog,
    InitialDiagnosis,
    LearningGoal,
    LearningOpportunity,
    LearningPlan,
    LearningPlanReview,
    PrivateNote,
)
from programme.models import ContentArea, Phase
from tests.coaching.factories import SESSION_DAY, DialogueLogFactory, action_step, agreed_log
from tests.files import samples

pytestmark = pytest.mark.django_db

REFUSED = (PermissionDenied, Http404)


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def _diagnosis(world, status) -> InitialDiagnosis:
    diagnosis = InitialDiagnosis.objects.create(
        enrolment=world.enrolment, coach=world.coach, held_on=SESSION_DAY, summary="Needs", status=status
    )
    LearningPlan.objects.create(enrolment=world.enrolment, diagnosis=diagnosis)
    return diagnosis


def _snapshot():
    """Everything a refused call could have touched."""
    return [
        list(DialogueLog.objects.values().order_by("pk")),
        list(ActionStep.objects.values().order_by("pk")),
        list(PrivateNote.objects.values().order_by("pk")),
        list(InitialDiagnosis.objects.values().order_by("pk")),
        list(DiagnosisEvidence.objects.values().order_by("pk")),
        list(LearningGoal.objects.values().order_by("pk")),
        list(LearningPlanReview.objects.values().order_by("pk")),
        list(LearningOpportunity.objects.values().order_by("pk")),
    ]


def _content(log):
    return services.LogContent(
        session_on=log.session_on, duration_minutes=30, kind=log.kind, setting=log.setting, discussed="<p>Changed</p>"
    )


def _goal():
    area = ContentArea.objects.get(number=1)
    return services.GoalInput(content_area_id=area.pk, goal="Plan hinge questions", target_on=datetime.date(2026, 3, 1))


def _opportunity(w):
    return LearningOpportunity.objects.create(
        enrolment=w.enrolment, arranged_by=w.coach, kind="observing", description="Observe", happens_on=SESSION_DAY
    )


def _pdf():
    return SimpleUploadedFile("notes.pdf", samples.pdf(), content_type="application/pdf")


def _draft(w, **kwargs):
    return DialogueLogFactory(enrolment=w.enrolment, coach=w.coach, **kwargs)


AWAITING = {"status": AgreementStatus.AWAITING_PARTICIPANT}

# Each: who calls (a person the policy refuses this write), what is set up, and the call.
CALLS = {
    "a stranger edits a draft log": (
        "stranger_coach",
        _draft,
        lambda r, by: services.log_draft_update(log=r, by=by, version=r.version, content=_content(r)),
    ),
    "the tutor sends a draft for agreement": (
        "tutor",
        _draft,
        lambda r, by: services.log_send_for_agreement(log=r, by=by, version=r.version),
    ),
    "the coach agrees a log for the participant": (
        "coach",
        lambda w: _draft(w, **AWAITING),
        lambda r, by: services.log_agree(log=r, by=by, version=r.version, reflection="Mine"),
    ),
    "the head asks for a change to a log": (
        "head",
        lambda w: _draft(w, **AWAITING),
        lambda r, by: services.log_request_change(log=r, by=by, version=r.version, comment="Change it"),
    ),
    "the tutor makes a new version": (
        "tutor",
        lambda w: agreed_log(enrolment=w.enrolment, coach=w.coach),
        lambda r, by: services.log_new_version(log=r, by=by, version=r.version, content=_content(r), reason="Tidy"),
    ),
    "the participant adds an action step": (
        "participant",
        _draft,
        lambda r, by: services.action_step_create(
            log=r, by=by, owner=by, description="Do it", due_on=SESSION_DAY + datetime.timedelta(days=7)
        ),
    ),
    "the tutor closes an action step": (
        "tutor",
        lambda w: action_step(agreed_log(enrolment=w.enrolment, coach=w.coach)),
        lambda r, by: services.action_step_close(step=r, by=by, status="done"),
    ),
    "the participant writes a private note": (
        "participant",
        _draft,
        lambda r, by: services.private_note_save(log=r, author=by, text="Mine now"),
    ),
    "the tutor attaches evidence": (
        "tutor",
        lambda w: _diagnosis(w, AgreementStatus.DRAFT),
        lambda r, by: services.diagnosis_evidence_add(diagnosis=r, by=by, upload=_pdf()),
    ),
    "the coach agrees the diagnosis for the participant": (
        "coach",
        lambda w: _diagnosis(w, AgreementStatus.AWAITING_PARTICIPANT),
        lambda r, by: services.diagnosis_agree(diagnosis=r, by=by, version=r.version),
    ),
    "the participant adds a goal": (
        "participant",
        lambda w: _diagnosis(w, AgreementStatus.DRAFT).learning_plan,
        lambda r, by: services.learning_goal_add(plan=r, by=by, goal=_goal()),
    ),
    "the tutor revisits the plan": (
        "tutor",
        lambda w: _diagnosis(w, AgreementStatus.AGREED).learning_plan,
        lambda r, by: services.learning_plan_review(
            plan=r, by=by, phase=Phase.objects.get(number=2), reviewed_on=SESSION_DAY, note="", goal_statuses={}
        ),
    ),
    "the participant records what was learned": (
        "participant",
        _opportunity,
        lambda r, by: services.learning_opportunity_record_learning(opportunity=r, by=by, what_was_learned="Mine"),
    ),
}


@pytest.mark.parametrize("case", list(CALLS))
def test_a_service_refuses_a_change_the_policy_refuses_and_saves_nothing(world, case):
    who, set_up, call = CALLS[case]
    record = set_up(world)
    before = _snapshot()
    with pytest.raises(REFUSED):
        call(record, world.person(who))
    assert _snapshot() == before
