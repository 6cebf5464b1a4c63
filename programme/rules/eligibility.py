"""Eligibility (programme Q14): each cohort sets its own rules; a participant must meet them all."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from programme.models import EligibilityRule, Enrolment, Region, School


@dataclass(frozen=True)
class Candidate:
    qts_year: int
    school: School
    post: str


@dataclass(frozen=True)
class RuleFailure:
    rule: EligibilityRule
    message: str


def _check(rule: EligibilityRule, candidate: Candidate, category_names: set[str]) -> str | None:
    values = rule.values()
    kind = EligibilityRule.Kind
    if rule.kind == kind.QTS_YEAR_IN and str(candidate.qts_year) not in values:
        return f"Qualified teacher status gained in {candidate.qts_year}; this cohort takes {', '.join(values)}."
    if rule.kind == kind.REGION_IN and candidate.school.region not in values:
        labels = dict(Region.choices)
        return (
            f"{candidate.school} is in {candidate.school.get_region_display()}; this cohort takes schools in "
            f"{', '.join(str(labels.get(v, v)) for v in values)}."
        )
    if rule.kind == kind.SCHOOL_CATEGORY_IN and not {n.casefold() for n in category_names} & {
        v.casefold() for v in values
    }:
        return f"{candidate.school} is not in any of these categories: {', '.join(values)}."
    if rule.kind == kind.FSM_AT_LEAST:
        try:
            threshold = Decimal(values[0]) if len(values) == 1 else None
        except InvalidOperation:
            threshold = None
        if threshold is None or not threshold.is_finite():
            return f"The cohort's free school meals rule is not a number ({rule.value!r}); ask the programme leader."
        if candidate.school.fsm_percent < threshold:
            return (
                f"{candidate.school} has {candidate.school.fsm_percent}% of pupils eligible for free school meals; "
                f"this cohort needs at least {threshold}%."
            )
    if rule.kind == kind.POST_IN and candidate.post not in values:
        labels = dict(Enrolment._meta.get_field("post").choices)
        return (
            f"The participant's post is {str(labels.get(candidate.post, candidate.post)).lower()}; this cohort is for "
            f"{', '.join(str(labels.get(v, v)).lower() for v in values)}."
        )
    return None


def check_eligibility(rules: list[EligibilityRule], candidate: Candidate) -> list[RuleFailure]:
    """Every rule the candidate fails, each with a message naming it; empty when eligible."""
    category_names = {c.name for c in candidate.school.challenge_categories.all()}
    failures = []
    for rule in rules:
        message = _check(rule, candidate, category_names)
        if message:
            failures.append(RuleFailure(rule=rule, message=message))
    return failures
