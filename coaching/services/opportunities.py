"""Learning opportunities the coach arranges (Q9 b, c)."""

import datetime
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from coaching.models import DialogueLog, LearningOpportunity
from coaching.services._checks import check_within_programme, fmt
from programme import access
from programme.access import Action
from programme.models import Enrolment
from ui.errors import RuleError


@transaction.atomic
def learning_opportunity_arrange(
    *, enrolment: Enrolment, coach: User, kind: str, description: str, happens_on: datetime.date
) -> LearningOpportunity:
    errors: dict[str | None, list[str]] = defaultdict(list)
    if kind not in LearningOpportunity.Kind.values:
        errors["kind"].append("Choose the kind of opportunity.")
    if not description.strip():
        errors["description"].append("Describe the opportunity: who, where and what for.")
    check_within_programme(errors, enrolment=enrolment, day=happens_on, field="happens_on")
    candidate = LearningOpportunity(enrolment=enrolment, happens_on=happens_on)
    if not errors and not access.can(coach, Action.CHANGE, candidate):
        errors["happens_on"].append(f"You are not {enrolment.participant}'s coach on {fmt(happens_on)}.")
    if errors:
        raise RuleError(dict(errors))
    return LearningOpportunity.objects.create(
        enrolment=enrolment, arranged_by=coach, kind=kind, description=description.strip(), happens_on=happens_on
    )


@transaction.atomic
def learning_opportunity_record_learning(
    *,
    opportunity: LearningOpportunity,
    by: User,
    what_was_learned: str,
    log: DialogueLog | None = None,
    today: datetime.date | None = None,
) -> LearningOpportunity:
    """Record what was learned, once it has happened, and link it to the session that discussed it."""
    opportunity = (
        LearningOpportunity.objects.select_for_update(of=("self",)).select_related("log").get(pk=opportunity.pk)
    )
    # Once discussed in an agreed log it is part of the agreed record: changed as a new version.
    agreed = opportunity.access_kind == access.RecordKind.LEARNING_OPPORTUNITY_AGREED
    access.require(by, Action.NEW_VERSION if agreed else Action.CHANGE, opportunity)
    errors: dict[str | None, list[str]] = defaultdict(list)
    if opportunity.happens_on > (today or timezone.localdate()):
        errors[None].append(f"This opportunity is on {fmt(opportunity.happens_on)}; record what was learned after it.")
    if not what_was_learned.strip():
        errors["what_was_learned"].append("Say what was learned.")
    # Only a session of this participant's that the person may read (a draft of a former coach's is not theirs).
    if log is not None and (log.enrolment_id != opportunity.enrolment_id or not access.can(by, Action.VIEW, log)):
        errors["log"].append("Choose one of the sessions in the list.")
    if errors:
        raise RuleError(dict(errors))
    opportunity.what_was_learned = what_was_learned.strip()
    opportunity.log = log
    opportunity.save(update_fields=["what_was_learned", "log"])
    return opportunity
