"""Writes the programme leader's screens need that programme.services does not offer."""

from django.db import IntegrityError, transaction

from programme.models import Enrolment
from ui.errors import RuleError


@transaction.atomic
def enrolment_status_change(*, enrolment: Enrolment, status: str, status_was: str) -> Enrolment:
    """Set the status only if nobody has changed it since `status_was` was read, so two leaders
    cannot silently overwrite each other. Periods and phase are left alone."""
    if status == Enrolment.Status.ACTIVE and _other_active(enrolment).exists():
        raise _already_active(enrolment)
    try:
        with transaction.atomic():
            changed = Enrolment.objects.filter(pk=enrolment.pk, status=status_was).update(status=status)
    except IntegrityError:
        # Another enrolment was made active meanwhile; the database's constraint refused this one.
        raise _already_active(enrolment) from None
    if not changed:
        current = Enrolment.objects.get(pk=enrolment.pk)
        raise RuleError(
            f"Someone else changed the status to {current.get_status_display()} while you were editing. "
            "Check it and save again if you still want to change it.",
            rule="stale_edit",
            field="status",
        )
    enrolment.status = status
    return enrolment


def _other_active(enrolment: Enrolment):
    return Enrolment.objects.filter(participant_id=enrolment.participant_id, status=Enrolment.Status.ACTIVE).exclude(
        pk=enrolment.pk
    )


def _already_active(enrolment: Enrolment) -> RuleError:
    other = _other_active(enrolment).select_related("cohort").first()
    where = f" in {other.cohort}" if other else ""
    return RuleError(
        f"{enrolment.participant} already has an active enrolment{where}; a participant has one at a time.",
        rule="one_active_enrolment",
        field="status",
    )
