"""The programme leader's filters on progression, and the choice of list behind a tutor's or a
coach's numbers: GET parameters, so every view can be bookmarked. A value that is not one of the
choices is refused beside its field and not applied."""

from django import forms

from tracking.forms import LeaderFilterForm, NamedFilters
from tracking.leader import SESSION_DAYS
from tracking.selectors import Filters
from ui.widgets import QuickSelect


class ProgressionFilterForm(NamedFilters, forms.Form):
    # The participants' table's own fields, so the choices and their words are the same.
    cohort = LeaderFilterForm.base_fields["cohort"]
    school_name = LeaderFilterForm.base_fields["school_name"]

    def filters(self) -> Filters:
        """The filters typed correctly; a field refused is left out."""
        if not self.is_bound:
            return Filters()
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        cohort = data.get("cohort")
        return Filters(cohort_id=cohort.pk if cohort is not None else None, school_id=data.get("school_name"))

    @property
    def filtered(self) -> bool:
        return self.filters() != Filters()


class TutorWorkForm(forms.Form):
    show = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[
            ("waiting", "Waiting to be marked"),
            ("overdue", "Waiting past the marks-due date"),
            ("marked", "Marked"),
        ],
        widget=QuickSelect,
    )

    def show_value(self) -> str:
        return (self.cleaned_data.get("show") or "waiting") if self.is_valid() else "waiting"


class CoachSessionsForm(forms.Form):
    days = forms.TypedChoiceField(
        label="Held in",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[(days, f"The last {days} days") for days in SESSION_DAYS],
        widget=QuickSelect,
    )

    def days_value(self) -> int:
        return (self.cleaned_data.get("days") or SESSION_DAYS[-1]) if self.is_valid() else SESSION_DAYS[-1]
