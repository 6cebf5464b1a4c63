"""How long typed text may be. Limits no real entry meets, so a mistaken or hostile paste of
megabytes is refused beside its field instead of being stored and shown to others."""

from django import forms

PAGE_MAX = 60_000  # the body of a handbook page, counted without its markup: a long chapter
RICH_TEXT_MAX = 20_000  # a dialogue log's record, a reflection: pages of writing
NOTE_MAX = 5_000  # a note, a summary, what was learned
SHORT_TEXT_MAX = 2_000  # a description, a reason, a comment, a goal


class LimitedText(forms.CharField):
    """Typed text that may be at most `limit` characters, told beside the field when it is longer."""

    def __init__(self, limit: int, **kwargs):
        super().__init__(max_length=limit, **kwargs)
        self.error_messages["max_length"] = (
            f"Keep this to {limit:,} characters or fewer; it has %(show_value)s. Shorten it, or move detail elsewhere."
        )
