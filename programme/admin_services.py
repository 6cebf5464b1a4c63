"""Writes the programme leader's screens need that programme.services does not offer."""

from django.db import transaction

from programme.models import Enrolment
from programme.rules import ProgrammeRuleError


@transaction.atomic
def enrolment_status_change(*, enrolment: Enrolment, status: str, status_was: str) -> Enrolment:
    """Set the status only if nobody has changed it since `status_was` was read, so two leaders
    cannot silently overwrite each other. Periods and phase are left alone."""
    changed = Enrolment.objects.filter(pk=enrolment.pk, status=status_was).update(status=status)
    if not changed:
        current = Enrolment.objects.get(pk=enrolment.pk)
        raise ProgrammeRuleError(
            f"Someone else changed the status to {current.get_status_display()} while you were editing. "
            "Check it and save again if you still want to change it.",
            rule="stale_edit",
            field="status",
        )
    enrolment.status = status
    return enrolment
