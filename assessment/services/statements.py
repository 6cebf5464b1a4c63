"""Writing the coach's supporting statement on submitted work (Q9 g). Keyword-only, one
transaction; a broken rule is a RuleError naming the field it is about, every one at once.

Asks the access policy (the coach on the submission's date adds a statement and changes it; a
coach who took over later, or whose assignment has ended, may only read it) and
`assessment.rules.statements` (submitted work only, locked once marking starts). The submission row
is locked while the statement is saved, as `marking_start` locks it, so a statement cannot be saved
after marking began. Each save raises the statement's version, so a save from a stale page is
refused; a cited log keeps the agreed version and words it had when first cited."""

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction

from accounts.models import User
from assessment.models import StatementCitation, Submission, SupportingStatement
from assessment.rules.statements import check_statement_open, check_statement_words
from assessment.rules.words import word_count
from assessment.selectors.statements import citable_logs, marking_started_at
from audit import trail
from coaching import richtext
from programme import access
from programme.access import Action
from ui.errors import RuleError
from ui.limits import RICH_TEXT_MAX

STALE = (
    "Someone saved this statement since you opened it. Your changes have not been saved; what you typed "
    "is still below. Read the statement as it is now on the submission's page, then save again."
)


@dataclass(frozen=True)
class StatementContent:
    practice: str = ""
    outcomes: str = ""
    log_ids: tuple[int, ...] = ()


def _check(by: User, submission: Submission, content: StatementContent) -> None:
    errors: dict[str, list[str]] = defaultdict(list)
    for name, text in (("practice", content.practice), ("outcomes", content.outcomes)):
        if len(text or "") > RICH_TEXT_MAX:
            errors[name].append(f"Keep this to {RICH_TEXT_MAX:,} characters or fewer; it has {len(text):,}.")
    for name, texts in check_statement_words({"practice": content.practice, "outcomes": content.outcomes}).items():
        if name not in errors:
            errors[name].extend(texts)
    offered = {choice.log.pk for choice in citable_logs(by, submission)}
    if any(pk not in offered for pk in content.log_ids):
        errors["logs"].append(
            "Choose only from the agreed sessions listed: one of those chosen is not one you may cite."
        )
    if errors:
        raise RuleError(dict(errors), rule="statement_invalid")


def _cite(statement: SupportingStatement, by: User, log_ids: tuple[int, ...]) -> tuple[list[int], list[int]]:
    """Keep the citations still chosen as they were; cite the newly chosen logs at their latest
    agreed version, freezing their words. Returns the log ids added and removed."""
    chosen = list(dict.fromkeys(log_ids))
    existing = {citation.log_id: citation for citation in statement.citations.all()}
    removed = [pk for pk in existing if pk not in chosen]
    if removed:
        statement.citations.filter(log_id__in=removed).delete()
    choices = {choice.log.pk: choice for choice in citable_logs(by, statement.submission)}
    added = [pk for pk in chosen if pk not in existing]
    StatementCitation.objects.bulk_create(
        StatementCitation(
            statement=statement,
            log=choices[pk].log,
            log_version=choices[pk].version,
            label=choices[pk].label,
            text=choices[pk].text,
        )
        for pk in added
    )
    return added, removed


@transaction.atomic
def statement_save(
    *, by: User, submission: Submission, version: int | None, content: StatementContent
) -> SupportingStatement:
    """Write or change the statement on `submission`. `version` is the statement's version when the
    page was opened (None when there was no statement yet)."""
    access.require(by, Action.ADD_STATEMENT, submission)
    submission = Submission.objects.select_for_update().select_related("enrolment").get(pk=submission.pk)
    check_statement_open(
        submitted=submission.state == Submission.State.SUBMITTED, marking_started_at=marking_started_at(submission)
    )
    statement = SupportingStatement.objects.select_for_update().filter(submission=submission).first()
    if statement is None:
        statement = SupportingStatement(submission=submission, written_by=by, version=0)
        access.require(by, Action.CHANGE, statement)
        if version is not None:  # the page showed a statement that is no longer there
            raise RuleError(STALE, rule="stale")
    else:
        statement.submission = submission
        access.require(by, Action.CHANGE, statement)
        if version != statement.version:
            raise RuleError(STALE, rule="stale")
    _check(by, submission, content)
    created = statement.pk is None
    statement.practice = richtext.sanitise(content.practice)
    statement.outcomes = richtext.sanitise(content.outcomes)
    statement.word_count = word_count(statement.practice) + word_count(statement.outcomes)
    statement.written_by = by
    statement.version += 1
    statement.save()
    added, removed = _cite(statement, by, content.log_ids)
    trail.record(
        trail.Action.STATEMENT_SAVE,
        record=statement,
        actor=by,
        detail={
            "version": statement.version,
            "created": created,
            "words": statement.word_count,
            "cited": sorted(c.log_id for c in statement.citations.all()),
            "added": added,
            "removed": removed,
        },
    )
    return statement
