"""The initial diagnosis (Q9 a).

The same agreement as a log: the coach drafts and sends it, the participant agrees it or asks
for a change. Once agreed it is not changed; the learning plan it produces is revisited at the
start of each phase instead (coaching.services.learning_plan).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from audit import trail
from coaching.models import (
    AgreementStatus,
    DiagnosedNeed,
    DiagnosisEvidence,
    InitialDiagnosis,
    LearningPlan,
    ReminderKind,
)
from coaching.services._checks import check_session_date, fmt
from coaching.services.notices import notify_sent_for_agreement
from files.errors import FileRefused
from files.services import private_file_store
from programme import access
from programme.access import Action
from programme.models import ContentArea, Enrolment, Standard
from ui.errors import RuleError

STALE_DIAGNOSIS = (
    "Someone else saved this diagnosis since you opened it. Your changes have not been saved; what you typed is "
    "still below. Open the diagnosis again to see the latest version, then make your changes to that."
)
STALE_DIAGNOSIS_FOR_PARTICIPANT = (
    "Your coach changed this diagnosis since you opened it. Read it again before you respond."
)


@dataclass(frozen=True)
class NeedInput:
    content_area_id: int
    description: str
    standard_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class DiagnosisContent:
    held_on: datetime.date
    induction_outcomes: str = ""
    performance_management_outcomes: str = ""
    summary: str = ""
    needs: tuple[NeedInput, ...] = ()


def _check_diagnosis(
    *, enrolment: Enrolment, coach: User, content: DiagnosisContent, status: str, today: datetime.date
) -> None:
    errors: dict[str | None, list[str]] = defaultdict(list)
    check_session_date(errors, enrolment=enrolment, day=content.held_on, today=today, field="held_on")
    area_ids = {need.content_area_id for need in content.needs}
    if area_ids - set(ContentArea.objects.filter(pk__in=area_ids).values_list("pk", flat=True)):
        errors[None].append("Each need must be in one of the content areas.")
    standard_ids = {sid for need in content.needs for sid in need.standard_ids}
    if standard_ids - set(Standard.objects.filter(pk__in=standard_ids).values_list("pk", flat=True)):
        errors[None].append("Choose standards from the list; one you chose is not a standard.")
    if not errors:
        candidate = InitialDiagnosis(enrolment_id=enrolment.pk, held_on=content.held_on, status=status)
        if not access.can(coach, Action.CHANGE, candidate):
            errors["held_on"].append(
                f"You were not {enrolment.participant}'s coach on {fmt(content.held_on)}, so you cannot record a "
                "diagnosis on that date."
            )
    if errors:
        raise RuleError(dict(errors))


@transaction.atomic
def diagnosis_save(
    *,
    enrolment: Enrolment,
    coach: User,
    content: DiagnosisContent,
    version: int | None,
    send_for_agreement: bool = False,
    today: datetime.date | None = None,
) -> InitialDiagnosis:
    """Start the participant's initial diagnosis (version None) or change the draft (the version
    it was opened at). Needs are replaced with those given. Its learning plan starts with it."""
    existing = InitialDiagnosis.objects.filter(enrolment=enrolment).first()
    if existing is None:
        if version is not None:
            raise RuleError(STALE_DIAGNOSIS)
        diagnosis = InitialDiagnosis(enrolment=enrolment, coach=coach, held_on=content.held_on)
    else:
        claimed = InitialDiagnosis.objects.filter(pk=existing.pk, version=version).update(version=F("version") + 1)
        if version is None or not claimed:
            raise RuleError(STALE_DIAGNOSIS)
        diagnosis = InitialDiagnosis.objects.select_related("enrolment").get(pk=existing.pk)
        if diagnosis.status == AgreementStatus.AGREED:
            raise RuleError(
                "The initial diagnosis has been agreed. Revisit the learning plan at the start of each phase instead."
            )
        access.require(coach, Action.CHANGE, diagnosis)
    _check_diagnosis(
        enrolment=enrolment, coach=coach, content=content, status=diagnosis.status, today=today or timezone.localdate()
    )
    diagnosis.held_on = content.held_on
    diagnosis.induction_outcomes = content.induction_outcomes.strip()
    diagnosis.performance_management_outcomes = content.performance_management_outcomes.strip()
    diagnosis.summary = content.summary.strip()
    try:
        with transaction.atomic():
            diagnosis.save()
    except IntegrityError as clash:  # someone else started one at the same moment
        raise RuleError(STALE_DIAGNOSIS) from clash
    diagnosis.needs.all().delete()
    for need in content.needs:
        if need.description.strip():
            saved = DiagnosedNeed.objects.create(
                diagnosis=diagnosis, content_area_id=need.content_area_id, description=need.description.strip()
            )
            saved.standards.set(need.standard_ids)
    LearningPlan.objects.get_or_create(enrolment=enrolment, defaults={"diagnosis": diagnosis})
    trail.record(trail.Action.DIAGNOSIS_CHANGE, record=diagnosis, actor=coach)
    now = timezone.now()
    if diagnosis.status == AgreementStatus.AWAITING_PARTICIPANT:
        diagnosis.coach_agreed_at = now
        diagnosis.save(update_fields=["coach_agreed_at"])
    elif send_for_agreement:
        if not diagnosis.needs.exists():
            raise RuleError("Record at least one need before you send the diagnosis to the participant.")
        diagnosis.status = AgreementStatus.AWAITING_PARTICIPANT
        diagnosis.coach_agreed_at = now
        diagnosis.change_request = ""
        diagnosis.save(update_fields=["status", "coach_agreed_at", "change_request"])
        notify_sent_for_agreement(ReminderKind.DIAGNOSIS_SENT, diagnosis.pk)
        trail.record(trail.Action.DIAGNOSIS_SEND, record=diagnosis, actor=coach)
    return diagnosis


@transaction.atomic
def diagnosis_evidence_add(*, diagnosis: InitialDiagnosis, by: User, upload) -> DiagnosisEvidence:
    """Attach a file to the diagnosis while it is being agreed. The file is judged by its content
    and structure (files.content); a refused file is not stored. Whoever may change or agree the
    draft may attach one (the views ask the access policy). The participant agrees the diagnosis
    with its evidence, so an agreement form opened before this is stale."""
    diagnosis = InitialDiagnosis.objects.select_for_update().get(pk=diagnosis.pk)
    if diagnosis.status == AgreementStatus.AGREED:
        raise RuleError("The initial diagnosis has been agreed, so no more evidence can be attached to it.")
    access.require(by, Action.ATTACH, diagnosis)
    InitialDiagnosis.objects.filter(pk=diagnosis.pk).update(version=F("version") + 1)
    try:
        found = private_file_store(record=DiagnosisEvidence(diagnosis=diagnosis), upload=upload, by=by)
    except FileRefused as refused:
        raise RuleError(str(refused), field="file") from refused
    trail.record(trail.Action.EVIDENCE_ADD, record=found, actor=by, enrolment_id=diagnosis.enrolment_id)
    return found


def _claim_diagnosis(diagnosis: InitialDiagnosis, version: int, *, by: User) -> InitialDiagnosis:
    if not InitialDiagnosis.objects.filter(pk=diagnosis.pk, version=version).update(version=F("version") + 1):
        raise RuleError(STALE_DIAGNOSIS_FOR_PARTICIPANT)
    diagnosis = InitialDiagnosis.objects.get(pk=diagnosis.pk)
    if diagnosis.status != AgreementStatus.AWAITING_PARTICIPANT:
        raise RuleError("The diagnosis is not waiting for your agreement.")
    access.require(by, Action.AGREE, diagnosis)
    return diagnosis


@transaction.atomic
def diagnosis_agree(*, diagnosis: InitialDiagnosis, by: User, version: int) -> InitialDiagnosis:
    diagnosis = _claim_diagnosis(diagnosis, version, by=by)
    if not diagnosis.needs.exists():
        raise RuleError("The diagnosis records no needs yet. Ask your coach to add them before you agree.")
    diagnosis.status = AgreementStatus.AGREED
    diagnosis.participant_agreed_at = timezone.now()
    diagnosis.change_request = ""
    diagnosis.save(update_fields=["status", "participant_agreed_at", "change_request"])
    trail.record(trail.Action.DIAGNOSIS_AGREE, record=diagnosis, actor=by)
    return diagnosis


@transaction.atomic
def diagnosis_request_change(*, diagnosis: InitialDiagnosis, by: User, version: int, comment: str) -> InitialDiagnosis:
    diagnosis = _claim_diagnosis(diagnosis, version, by=by)
    if not comment.strip():
        raise RuleError("Say what you would like your coach to change.", field="comment")
    diagnosis.status = AgreementStatus.DRAFT
    diagnosis.coach_agreed_at = None
    diagnosis.change_request = comment.strip()
    diagnosis.save(update_fields=["status", "coach_agreed_at", "change_request"])
    trail.record(trail.Action.DIAGNOSIS_REQUEST_CHANGE, record=diagnosis, actor=by)
    return diagnosis
