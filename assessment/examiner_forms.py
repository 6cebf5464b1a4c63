"""Forms for the examiner's sample: the leader's drawing and adjusting, the examiner's comments.
They parse and keep what was typed; assessment.services.examiner decides."""

from django import forms

from assessment.models.examiner import REPORT_MAX
from ui.limits import SHORT_TEXT_MAX, LimitedText

COMMENT_MAX = SHORT_TEXT_MAX * 5


class CommentForm(forms.Form):
    """The examiner's comment on one sampled submission, or their overall report on the task."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = LimitedText(
        COMMENT_MAX,
        label="Your comment on this work",
        help_text="On the marking and the moderation: whether the marks and feedback fit the work and the "
        "rubric. The markers and the programme leader read it; the participant does not.",
        widget=forms.Textarea(attrs={"rows": 8}),
        strip=False,
        error_messages={"required": "Enter your comment."},
    )


class ReportForm(CommentForm):
    """The examiner's overall report on the task's sample."""

    text = LimitedText(
        REPORT_MAX,
        label="Your overall report on this task",
        help_text="On the task's marking as a whole: standards, consistency between markers, moderation, and "
        "anything the programme should change. The markers and the programme leader read it.",
        widget=forms.Textarea(attrs={"rows": 14}),
        strip=False,
        error_messages={"required": "Enter your report."},
    )


def _examiners_field() -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=None,
        label="External examiners this sample is for",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class DrawForm(forms.Form):
    examiners = _examiners_field()

    def __init__(self, *args, examiners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["examiners"].queryset = examiners


class ExaminersForm(DrawForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class AddForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    submission = forms.TypedChoiceField(
        label="Marked work to add", coerce=int, error_messages={"required": "Choose the work to add."}
    )
    reason = LimitedText(
        SHORT_TEXT_MAX,
        label="Why you are adding it",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why you are adding it."},
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission"].choices = [("", "Choose marked work"), *choices]


class RemoveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    entry = forms.TypedChoiceField(
        label="Work to take out", coerce=int, error_messages={"required": "Choose the work to take out."}
    )
    reason = LimitedText(
        SHORT_TEXT_MAX,
        label="Why you are taking it out",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why you are taking it out."},
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [("", "Choose work in the sample"), *choices]


class ConfirmForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
