"""The marking workspace's forms. They parse and keep what was typed; the marking services decide."""

from django import forms
from django.core.validators import MaxLengthValidator

from assessment.rules.marks import Outcome

FEEDBACK_MAX = 5_000


def _text(label: str, *, rows: int = 5, limit: int = FEEDBACK_MAX, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        strip=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        validators=[MaxLengthValidator(limit, message=f"Keep this to {limit:,} characters or fewer.")],
    )


def _mark(label: str, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=100,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter the mark as a whole number.",
            "min_value": "Enter a mark from 0 to 100.",
            "max_value": "Enter a mark from 0 to 100.",
        },
    )


class _Versioned(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reason = _text(
        "Why this change is made",
        rows=2,
        limit=2_000,
        help_text="The result has been released: a change is an amendment, and the participant is told.",
    )

    def __init__(self, *args, released: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not released:
            del self.fields["reason"]


class CriterionForm(_Versioned):
    mark = _mark("Mark out of 100", "The band follows from the mark.")
    strengths = _text("Strengths")
    development = _text("Areas for development")
    citations = forms.MultipleChoiceField(
        label="Records this judgement rests on", required=False, widget=forms.CheckboxSelectMultiple
    )
    passage = _text(
        "Quote a passage of the commentary (optional)",
        rows=2,
        limit=2_000,
        help_text="Copy the words exactly as they are in the submission.",
    )
    comment_strengths = forms.ChoiceField(label="Add a saved comment to the strengths", required=False)
    comment_development = forms.ChoiceField(label="Add a saved comment to the areas for development", required=False)

    def __init__(self, *args, citables=(), comments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["citations"].choices = [(c.key, c.label) for c in citables]
        bank = [("", "None")] + [(str(entry.pk), entry.title) for entry in comments]
        self.comments = {str(entry.pk): entry.text for entry in comments}
        for name in ("comment_strengths", "comment_development"):
            self.fields[name].choices = bank
            if not comments:
                del self.fields[name]

    def with_comments(self, name: str) -> str:
        """The feedback as typed, with the chosen saved comment added after it."""
        text = self.cleaned_data.get(name, "")
        chosen = self.comments.get(self.cleaned_data.get(f"comment_{name}") or "")
        return f"{text.rstrip()}\n\n{chosen}".strip() if chosen else text


class OverallForm(_Versioned):
    adjusted_mark = _mark(
        "Adjusted overall mark (optional)", "Leave empty to keep the mark worked out from the criteria."
    )
    adjustment_reason = _text("Why the overall mark is adjusted", rows=2, limit=2_000)
    outcome = forms.ChoiceField(label="Outcome", required=False, choices=[("", "Not yet chosen"), *Outcome.choices])
    feed_forward = _text(
        "Feed-forward for the next piece of work",
        help_text="Put each point on its own line (at most 10): the participant says how they addressed each in "
        "their next submission, and its marker reads both.",
    )


class MoveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    move = forms.CharField(widget=forms.HiddenInput)


class CommentForm(forms.Form):
    title = forms.CharField(label="Short title", max_length=100, required=False, strip=False)
    text = _text("Comment", limit=2_000)


class FilterForm(forms.Form):
    area = forms.ChoiceField(label="Content area", required=False)
    criterion = forms.ChoiceField(label="Criterion", required=False)

    def __init__(self, *args, areas=(), criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "All content areas")] + [(str(a), str(a)) for a in areas]
        self.fields["criterion"].choices = [("", "All criteria")] + [(str(c.pk), c.title) for c in criteria]
