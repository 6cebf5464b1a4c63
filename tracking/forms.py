"""The filters above the participants' table: GET parameters, so a filtered, sorted view can be
bookmarked. A value that is not one of the choices is refused beside its field and not applied."""

from django import forms

from accounts.models import User
from accounts.roles import Role
from programme.models import Cohort, Enrolment, Phase, Region, School
from tracking.selectors import Filters
from ui.widgets import QuickModelChoiceField, QuickSelect

_RISK_CHOICES = [("", "Everyone"), ("yes", "At risk"), ("no", "Not at risk")]


def _person_choice(role: str, label: str, empty: str) -> forms.ModelChoiceField:
    # Only the columns of a person's name: a choice of every coach is drawn on every page of the table.
    people = User.objects.filter(role_grants__role=role).distinct().order_by("last_name", "first_name", "pk")
    return QuickModelChoiceField(
        label=label,
        queryset=people,
        required=False,
        empty_label=empty,
        label_columns=("first_name", "last_name", "email"),
        label_of=User.name_of,
    )


class HeadFilterForm(forms.Form):
    phase = forms.TypedChoiceField(label="Phase", required=False, coerce=int, empty_value=None, widget=QuickSelect)
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *Enrolment.Status.choices], widget=QuickSelect
    )
    at_risk = forms.ChoiceField(label="At risk", required=False, choices=_RISK_CHOICES, widget=QuickSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = [("", "Any phase")] + [
            (p.number, f"Phase {p.number}") for p in Phase.objects.order_by("number")
        ]

    def filters(self) -> Filters:
        """The filters typed correctly; a field refused is left out."""
        if not self.is_bound:
            return Filters()
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return Filters(**self._filters(data))

    def _filters(self, data: dict) -> dict:
        risk = data.get("at_risk") or ""
        return {
            "phase": data.get("phase"),
            "status": data.get("status") or None,
            "at_risk": {"yes": True, "no": False}.get(risk),
        }

    @property
    def filtered(self) -> bool:
        return any(value not in (None, "") for value in self.filters().__dict__.values())


class LeaderFilterForm(HeadFilterForm):
    cohort = QuickModelChoiceField(
        label="Cohort", queryset=Cohort.objects.all(), required=False, empty_label="Any cohort"
    )
    school = QuickModelChoiceField(
        label="School",
        queryset=School.objects.order_by("name", "pk"),
        label_columns=("name",),
        required=False,
        empty_label="Any school",
    )

    region = forms.ChoiceField(
        label="Region", required=False, choices=[("", "Any region"), *Region.choices], widget=QuickSelect
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"] = _person_choice(Role.COACH, "Coach", "Any coach")
        self.fields["tutor"] = _person_choice(Role.TUTOR, "Tutor", "Any tutor")

    def _filters(self, data: dict) -> dict:
        def pk(name):
            value = data.get(name)
            return value.pk if value is not None else None

        return {
            **super()._filters(data),
            "cohort_id": pk("cohort"),
            "school_id": pk("school"),
            "region": data.get("region") or None,
            "coach_id": pk("coach"),
            "tutor_id": pk("tutor"),
        }
