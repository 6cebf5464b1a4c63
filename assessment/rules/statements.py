"""When the coach's supporting statement may be written or changed, and how long it may be.

The statement is written on submitted work and is locked once the tutor starts marking it, so the
marker judges a statement that does not move under them (Q9 g). `check_statement_open` decides;
`check_statement_words` is the length rule for each of its two parts."""

import datetime

from assessment.rules.words import word_count
from ui.errors import RuleError

# Each part (practice; pupils' outcomes) may have up to this many words.
WORD_LIMIT = 500

PARTS = {
    "practice": "how the participant's practice changed",
    "outcomes": "what changed for their pupils",
}


def check_statement_open(*, submitted: bool, marking_started_at: datetime.datetime | None) -> None:
    """May a statement on this work be written or changed now? Only on work that is submitted (not
    a draft, not an attempt the participant withdrew) and only until the tutor starts marking it."""
    if not submitted:
        raise RuleError(
            "This attempt is not submitted work (it is a draft or was withdrawn), so it takes no supporting "
            "statement. Write one on the attempt the participant submits.",
            rule="statement_not_submitted",
        )
    if marking_started_at is not None:
        raise RuleError(
            f"The tutor started marking this work on {marking_started_at:%-d %B %Y}, so the supporting statement "
            "is locked: the marker judges it as it was when marking began.",
            rule="statement_locked",
        )


def check_statement_words(parts: dict[str, str], *, limit: int = WORD_LIMIT) -> dict[str, list[str]]:
    """Each part written (not blank) and within `limit` words: the messages per part, empty if none."""
    errors: dict[str, list[str]] = {}
    for name, what in PARTS.items():
        words = word_count(parts.get(name, ""))
        if words == 0:
            errors[name] = [f"Write {what}."]
        elif words > limit:
            errors[name] = [f"Keep this to {limit:,} words or fewer; it has {words:,} ({words - limit:,} too many)."]
    return errors
