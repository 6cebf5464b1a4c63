"""Reads for the coach's supporting statement: the statement of a submission, whether a person may
read it, and the agreed dialogue logs a coach may cite in it. Each in a fixed number of queries
however many logs there are."""

from dataclasses import dataclass

from django.db.models import F, Prefetch

from assessment.models import Marking, StatementCitation, Submission, SupportingStatement
from assessment.selectors.marking import _log_text
from coaching.models import AgreementStatus, DialogueLog, DialogueLogVersion
from programme import access
from programme.access import Action


@dataclass(frozen=True)
class LogChoice:
    """An agreed session the coach may cite: `log.pk` is what the form posts; `version` its latest
    agreed version, which a new citation freezes."""

    log: DialogueLog
    version: DialogueLogVersion

    @property
    def label(self) -> str:
        return f"{self.log} (version {self.version.number})"

    @property
    def text(self) -> str:
        return _log_text(self.version)


def statement_for(submission: Submission) -> SupportingStatement | None:
    """The statement on this submission with its citations and writer, or None."""
    citations = StatementCitation.objects.order_by("pk")
    return (
        SupportingStatement.objects.filter(submission=submission)
        .select_related("written_by", "submission")
        .prefetch_related(Prefetch("citations", queryset=citations))
        .first()
    )


def statement_readable(user, submission: Submission) -> tuple[SupportingStatement | None, frozenset[Action]]:
    """The statement if this person may read it in full (with what they may do to it); otherwise
    None. A head, or an examiner outside the sample, gets None."""
    statement = statement_for(submission)
    if statement is None:
        return None, frozenset()
    actions = access.allowed_actions(user, statement)
    return (statement, actions) if Action.VIEW in actions else (None, actions)


def statement_writable(
    user, submission: Submission, *, statement: SupportingStatement | None, actions: frozenset[Action]
) -> bool:
    """Whether this person may write the statement now: the coach the policy lets add one (and
    change it, if written), on submitted work whose marking has not started."""
    if submission.state != Submission.State.SUBMITTED or not access.can(user, Action.ADD_STATEMENT, submission):
        return False
    if statement is not None and Action.CHANGE not in actions:
        return False
    if statement is None and not access.can(user, Action.CHANGE, SupportingStatement(submission=submission)):
        return False
    return marking_started_at(submission) is None


def marking_started_at(submission: Submission):
    """When the tutor started marking this work (the first marking of any role), or None."""
    started = Marking.objects.filter(submission=submission).order_by("started_at")
    return started.values_list("started_at", flat=True).first()


def citable_logs(user, submission: Submission) -> list[LogChoice]:
    """The participant's agreed sessions this person may read in full, newest first, each at its
    latest agreed version: the one list the form offers and the service checks a posted choice
    against."""
    logs = DialogueLog.objects.filter(enrolment_id=submission.enrolment_id, status=AgreementStatus.AGREED).order_by(
        "-session_on", "-pk"
    )
    readable = [log for log, actions in access.judge(user, logs) if Action.VIEW in actions]
    versions = {
        version.log_id: version
        for version in DialogueLogVersion.objects.filter(
            log_id__in=[log.pk for log in readable], number=F("log__agreed_version")
        )
    }
    return [LogChoice(log=log, version=versions[log.pk]) for log in readable if log.pk in versions]
