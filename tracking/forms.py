"""The filters above the participants' table: GET parameters, so a filtered, sorted view can be
bookmarked. A value that is not one of the choices is refused beside its field and not applied.

Lists that grow with the provider (schools, coaches, tutors) are not options to choose from but a
field to type part of a name into (`NamedFilter`, found by `tracking.named`); short ones (phase,
status, cohort, region) stay selects."""

from django import forms
from django.forms.boundfield import BoundField
from django.http import QueryDict

from programme.models import Cohort, Enrolment, Phase, Region
from tracking import named
from tracking.selectors import Filters
from ui.widgets import QuickModelChoiceField, QuickSelect

_RISK_CHOICES = [("", "Everyone"), ("yes", "At risk"), ("no", "Not at risk")]


class NamedFilter(forms.CharField):
    """Words naming one school or person (`tracking.named`), in the GET parameter of the field's
    name (`school_name=oak`); the record's id in `id_param` (`school=12`) names it too, as links from
    other pages, bookmarks and the choices offered here do. Found by `NamedFilters.clean`."""

    def __init__(self, kind: named.Kind, *, id_param: str, **kwargs):
        super().__init__(required=False, max_length=200, template_name="tracking/_named_filter.html", **kwargs)
        self.kind, self.id_param = kind, id_param
        self.widget.attrs.update(autocomplete="off", spellcheck="false")

    def find(self, data, name: str) -> named.Found | None:
        """What the request names: the words typed when the field was sent (an empty field is no
        filter, even with an id: the words were cleared), else the id alone (a link), else nothing."""
        kept = str(data.get(self.id_param) or "")
        if name in data:
            words = named.words_of(data.get(name))
            return named.by_words(self.kind, words, kept) if words else None
        return named.by_id(self.kind, kept) if kept else None

    def get_bound_field(self, form, field_name):
        return NamedBoundField(form, self, field_name)


class NamedBoundField(BoundField):
    """The field as drawn: the name of the record found (by words or by id), its id kept
    in a hidden input, and the choices when the words named several, each a link."""

    @property
    def found(self) -> named.Found | None:
        self.form.errors  # noqa: B018 (finds every named filter once, with the form's other fields)
        return self.form.found.get(self.name)

    def value(self):
        # The name of what was found, whether by words or by id: the reader sees which it is.
        found = self.found
        return found.record.name if found is not None and found.record is not None else super().value()

    def choice_links(self) -> list[tuple[named.Named, str]]:
        found = self.found
        if found is None or not found.choices:
            return []
        # The same view (its other filters and sort) with this record chosen by id, from the first page.
        query = QueryDict(mutable=True)
        query.update(self.form.data)
        query.pop(self.name, None)
        query.pop("page", None)
        links = []
        for choice in found.choices:
            query[self.field.id_param] = str(choice.pk)
            links.append((choice, "?" + query.urlencode()))
        return links


class NamedFilters:
    """For a form with NamedFilter fields: each is found once when the form is cleaned, its
    record's id the cleaned value; words naming none or several are refused beside the field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.found: dict[str, named.Found] = {}

    def clean(self):
        cleaned = super().clean()
        self.found = {}
        for name, field in self.fields.items():
            if not isinstance(field, NamedFilter) or name in self._errors:
                continue
            found = field.find(self.data, name)
            cleaned[name] = None
            if found is None:
                continue
            self.found[name] = found
            if found.error:
                self.add_error(name, found.error)
            else:
                cleaned[name] = found.record.pk
        return cleaned


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


class LeaderFilterForm(NamedFilters, HeadFilterForm):
    cohort = QuickModelChoiceField(
        label="Cohort", queryset=Cohort.objects.all(), required=False, empty_label="Any cohort"
    )
    school_name = NamedFilter(
        named.SCHOOLS, id_param="school", label="School", help_text="Part of its name, or its URN"
    )
    region = forms.ChoiceField(
        label="Region", required=False, choices=[("", "Any region"), *Region.choices], widget=QuickSelect
    )
    coach_name = NamedFilter(named.COACHES, id_param="coach", label="Coach", help_text="Part of their name or email")
    tutor_name = NamedFilter(named.TUTORS, id_param="tutor", label="Tutor", help_text="Part of their name or email")

    def _filters(self, data: dict) -> dict:
        cohort = data.get("cohort")
        return {
            **super()._filters(data),
            "cohort_id": cohort.pk if cohort is not None else None,
            "school_id": data.get("school_name"),
            "region": data.get("region") or None,
            "coach_id": data.get("coach_name"),
            "tutor_id": data.get("tutor_name"),
        }
