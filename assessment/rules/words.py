"""How the words of a submission's commentary are counted: the count that counts.

The same rule as GOV.UK Frontend's character count, which shows the live count in the browser: a
word is a run of characters that are not white space. Markup is not words, so tags are taken away
(each leaving a space, so two paragraphs never run together) and entities read as the characters
they stand for."""

import html
import re

_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"\S+")


def word_count(text: str) -> int:
    """The words in `text`, plain or (sanitised) HTML."""
    return len(_WORD.findall(html.unescape(_TAG.sub(" ", text or ""))))


def over_limit_message(count: int, limit: int) -> str:
    return f"Keep the commentary to {limit:,} words or fewer; it has {count:,} ({count - limit:,} too many)."
