"""The credit ledger's records that belong to a participant, registered with the access policy."""

from assessment.models import PriorLearningClaim
from programme import access
from programme.access import RecordKind as K


def register() -> None:
    access.register(
        PriorLearningClaim,
        kinds=(K.PRIOR_LEARNING_CLAIMED, K.PRIOR_LEARNING_DECIDED),
        enrolment="enrolment",
        date="claimed_on",
    )
