"""Moderation's forms. They parse and keep what was typed; the moderation services decide."""

from django import forms
from django.core.validators import MaxLengthValidator

from assessment.rules.marks import Outcome
from assessment.rules.sampling import Reason

NOTE_LIMIT = 2_000


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} ({obj.email})"


class SelectionForm(forms.Form):
    """One row per marked submission: second-mark it or not (ticked where the rule drew it), and by
    whom. `seen` carries the submissions listed, so a change since the page was shown is noticed."""

    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, selection, tutors, **kwargs):
        super().__init__(*args, **kwargs)
        self.selection = selection
        # The tutors are read once for every row's list (a query per row would grow with the work).
        self.tutors = {person.pk: person for person in tutors}
        options = [("", "Choose a tutor"), *((pk, f"{p} ({p.email})") for pk, p in self.tutors.items())]
        self.fields["seen"].initial = ",".join(str(row.submission_id) for row in selection.rows)
        self.rows = []
        for row in selection.rows:
            reasons = selection.sample.reasons(row.submission_id)
            choose = forms.BooleanField(
                label=f"Second-mark {row.participant}'s work",
                required=False,
                initial=bool(reasons),
            )
            marker = forms.TypedChoiceField(
                label=f"Second marker for {row.participant}",
                choices=options,
                coerce=int,
                required=False,
                empty_value=None,
                error_messages={"invalid_choice": "Choose a tutor from the list."},
            )
            self.fields[f"choose-{row.submission_id}"] = choose
            self.fields[f"marker-{row.submission_id}"] = marker
            self.rows.append((row, [Reason(r).label for r in reasons]))

    def bound_rows(self):
        return [
            (row, labels, self[f"choose-{row.submission_id}"], self[f"marker-{row.submission_id}"])
            for row, labels in self.rows
        ]

    def seen_ids(self) -> list[int]:
        return [int(pk) for pk in (self.cleaned_data.get("seen") or "").split(",") if pk.strip().isdigit()]

    def chosen(self) -> dict:
        return {
            row.submission_id: self.tutors.get(self.cleaned_data.get(f"marker-{row.submission_id}"))
            for row, _ in self.rows
            if self.cleaned_data.get(f"choose-{row.submission_id}")
        }


def _note(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[MaxLengthValidator(NOTE_LIMIT, message=f"Keep the note to {NOTE_LIMIT:,} characters or fewer.")],
    )


class AgreeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    mark = forms.IntegerField(
        label="Agreed mark out of 100",
        required=False,
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter the mark as a whole number.",
            "min_value": "Enter a mark from 0 to 100.",
            "max_value": "Enter a mark from 0 to 100.",
        },
    )
    outcome = forms.ChoiceField(label="Outcome", choices=Outcome.choices, required=False, widget=forms.RadioSelect)
    note = _note("How the mark was reached", "This note is kept in the moderation record the external examiner reads.")


class DecideForm(forms.Form):
    """The third marker's decision: their completed marking, with a note on how they judged it."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    note = _note("How you judged the work", "This note is kept in the moderation record the external examiner reads.")


class NotAgreedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    note = _note("Where you differ", "For the third marker the programme leader will ask.")


class ThirdMarkerForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    marker = _PersonChoice(label="Third marker", queryset=None, required=False, empty_label="Choose a tutor")

    def __init__(self, *args, tutors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["marker"].queryset = tutors
