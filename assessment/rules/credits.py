"""The credit ledger's rule: how much recognised prior learning (APL) a participant may count.

Up to the programme's allowance (ProgrammeSettings.max_prior_learning_credits, 30 by default) of
credits from earlier masters-level study may count towards the award (Q20). Every claim and every
approval asks `check_prior_learning`; nothing else decides."""

from ui.errors import RuleError


def prior_learning_left(*, counted: int, cap: int) -> int:
    """What is left of the allowance once `counted` credits of prior learning are counted."""
    return max(cap - counted, 0)


def check_prior_learning(*, counted: int, claimed: int | None, cap: int, field: str = "credits") -> None:
    """Refuse `claimed` credits of prior learning if, added to the `counted` credits already
    approved (or, for a new claim, approved or waiting for the tutor), they would pass the `cap`.
    The message names what is left, so the participant can claim that much instead."""
    if claimed is None or claimed < 1:
        raise RuleError("Enter the number of credits, a whole number of 1 or more.", rule="apl_credits", field=field)
    if counted + claimed <= cap:
        return
    left = prior_learning_left(counted=counted, cap=cap)
    if left == 0:
        message = f"No more prior learning can be recognised: the allowance of {cap} credits is used up."
    else:
        credits = "credit" if left == 1 else "credits"
        message = (
            f"This would take recognised prior learning over the allowance of {cap} credits. "
            f"{left} {credits} of the allowance {'is' if left == 1 else 'are'} left."
        )
    raise RuleError(message, rule="apl_cap", field=field)
