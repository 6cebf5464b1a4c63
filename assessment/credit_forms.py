"""Forms for the credit ledger: a claim of prior learning, the tutor's decision on it, and the tutor
confirming a phase complete. They parse and keep what was typed; the services decide."""

from django import forms

from assessment.models import PriorLearningClaim
from assessment.services.credits import ClaimContent
from portfolio.forms import _text
from ui.limits import NOTE_MAX, SHORT_TEXT_MAX


def _evidence_choices(evidence) -> list[tuple[int, str]]:
    return [(e.pk, f"{e.title} ({e.get_kind_display().lower()}, {e.relates_to:%-d %B %Y})") for e in evidence]


class _EvidenceChoice(forms.TypedMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, *, what: str, **kwargs):
        super().__init__(
            coerce=int,
            error_messages={
                "required": f"Choose at least one piece of evidence of {what} from your portfolio.",
                "invalid_choice": "Choose evidence from the list; one you chose is not there.",
            },
            **kwargs,
        )


class ClaimForm(forms.Form):
    studied = _text(
        "What you studied",
        200,
        "what you studied",
        required="Enter what you studied, for example the module's title.",
        help_text="The course or module, as it appears on your transcript.",
    )
    institution = _text(
        "University or college", 200, "the institution", required="Enter the university or college you studied at."
    )
    level = forms.TypedChoiceField(
        label="Level of the study",
        choices=PriorLearningClaim.Level.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the level of the study."},
    )
    credits = forms.IntegerField(
        label="Credits you are claiming",
        min_value=1,
        max_value=180,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter the number of credits, a whole number of 1 or more.",
            "invalid": "Enter the number of credits as a whole number, like 20.",
            "min_value": "Enter the number of credits, a whole number of 1 or more.",
            "max_value": "Enter the number of credits awarded for the study, up to 180.",
        },
    )
    impact = _text(
        "How it changed your pupils' outcomes",
        SHORT_TEXT_MAX,
        "what it changed",
        required="Say what your enquiry and evidence show about the impact on pupils' outcomes.",
        rows=5,
        help_text="What you changed in your teaching after the study, and what your evidence shows it did for pupils.",
    )
    study_evidence = _EvidenceChoice(
        what="the study",
        label="Evidence of the study",
        help_text="From your portfolio: a transcript, certificate or marked assignment showing the level and credits.",
    )
    impact_evidence = _EvidenceChoice(
        what="its impact on pupils' outcomes",
        label="Evidence of its impact on pupils' outcomes",
        help_text="From your portfolio: data, pupils' work or an enquiry showing what changed for pupils.",
    )

    def __init__(self, *args, evidence=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = _evidence_choices(evidence)
        self.fields["study_evidence"].choices = choices
        self.fields["impact_evidence"].choices = choices

    def content(self) -> ClaimContent:
        data = self.cleaned_data
        return ClaimContent(
            studied=data["studied"],
            institution=data["institution"],
            level=data["level"],
            credits=data["credits"],
            impact=data["impact"],
            study_evidence_ids=tuple(data["study_evidence"]),
            impact_evidence_ids=tuple(data["impact_evidence"]),
        )


class DecisionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve: the credits count"), ("refuse", "Do not approve")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve the claim."},
    )
    note = _text(
        "Note to the participant",
        SHORT_TEXT_MAX,
        "the note",
        required="Write a note: what you approved it on, or why it is not approved.",
        rows=4,
    )


class PhaseCompleteForm(forms.Form):
    phase = forms.IntegerField(widget=forms.HiddenInput)
    # The rule's refusal (a core task not passed) is about the whole decision: shown above the form.
    rule_fields = {"phase": "decision"}
    note = _text(
        "Note (optional)",
        NOTE_MAX,
        "the note",
        rows=3,
        help_text="Kept in the participant's history with your decision.",
    )
