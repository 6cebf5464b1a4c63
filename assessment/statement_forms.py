"""The coach's supporting statement form: what was typed and ticked, kept as it was. Whether each
cited session may be cited, and the word limits, are the service's checks (beside each field)."""

from django import forms
from django.core.validators import MaxLengthValidator

from assessment.forms.submissions import as_typed
from assessment.models import SupportingStatement
from assessment.rules.statements import WORD_LIMIT
from assessment.selectors.statements import LogChoice
from assessment.services.statements import StatementContent
from ui.limits import RICH_TEXT_MAX


class _Ticked(forms.MultipleChoiceField):
    """Ticked session ids, kept as posted; the service refuses any the coach may not cite."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def valid_value(self, value) -> bool:
        return True


def _text(label: str, hint: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=f"{hint} Up to {WORD_LIMIT:,} words. Leave a blank line between paragraphs.",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        validators=[MaxLengthValidator(RICH_TEXT_MAX, message=f"Keep this to {RICH_TEXT_MAX:,} characters.")],
    )


class StatementForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    practice = _text(
        "How their practice changed",
        "What the participant does differently in their teaching now, and what you saw that shows it.",
    )
    outcomes = _text(
        "What changed for their pupils",
        "How their pupils' learning, progress or participation changed, and how you know.",
    )
    logs = _Ticked(
        label="Agreed coaching sessions this statement draws on",
        help_text="Each session is cited as it reads now; a later version of it does not change your statement.",
    )

    def __init__(self, *args, choices: list[LogChoice], **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = choices

    @property
    def word_limit(self) -> int:
        return WORD_LIMIT

    @property
    def log_groups(self) -> list[dict]:
        ticked = {str(v) for v in (self["logs"].value() or [])}
        options = [
            {"value": c.log.pk, "label": c.label, "checked": str(c.log.pk) in ticked, "index": i}
            for i, c in enumerate(self.choices)
        ]
        return [{"legend": "", "options": options}] if options else []

    @classmethod
    def initial_for(cls, statement: SupportingStatement | None) -> dict:
        if statement is None:
            return {}
        return {
            "version": statement.version,
            "practice": as_typed(statement.practice),
            "outcomes": as_typed(statement.outcomes),
            "logs": [str(c.log_id) for c in statement.citations.all()],
        }

    def content(self) -> StatementContent:
        data = self.cleaned_data
        ids = tuple(int(v) if str(v).isdigit() else -1 for v in data.get("logs") or ())
        return StatementContent(practice=data.get("practice") or "", outcomes=data.get("outcomes") or "", log_ids=ids)
