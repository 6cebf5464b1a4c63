"""The quick select writes the same select as Django's, option by option."""

import re

import pytest
from django import forms

from programme.models import ContentArea
from ui.widgets import QuickSelect

pytestmark = pytest.mark.django_db


def _normal(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("value", [None, "", "2", "not a choice"])
def test_the_markup_is_djangos_select(value):
    def field(widget):
        return forms.ModelChoiceField(
            queryset=ContentArea.objects.all(), required=False, empty_label="Any content area", widget=widget
        )

    class Django(forms.Form):
        area = field(forms.Select)

    class Quick(forms.Form):
        area = field(QuickSelect)

    data = None if value is None else {"area": value}
    attrs = {"class": "govuk-select", "aria-describedby": "id_area-hint"}
    expected = Django(data)["area"].as_widget(attrs=attrs)
    assert _normal(Quick(data)["area"].as_widget(attrs=attrs)) == _normal(expected)


def test_text_in_an_option_is_escaped():
    widget = QuickSelect(choices=[("<b>", "<script>alert(1)</script>")])
    html = widget.render("x", None)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize("value", [None, "", "not a choice", "school"])
def test_options_read_as_columns_alone_are_djangos_options(value):
    from tests.factories import SchoolFactory
    from ui.widgets import QuickModelChoiceField

    schools = [SchoolFactory(name=name) for name in ("Brook & Vale", "<Ash>", "Cedar")]
    queryset = type(schools[0]).objects.order_by("name", "pk")

    class Django(forms.Form):
        school = forms.ModelChoiceField(queryset=queryset, required=False, empty_label="Any school")

    class Quick(forms.Form):
        school = QuickModelChoiceField(
            queryset=queryset, required=False, empty_label="Any school", label_columns=("name",)
        )

    data = None if value is None else {"school": str(schools[1].pk) if value == "school" else value}
    expected = Django(data)["school"].as_widget()
    assert _normal(Quick(data)["school"].as_widget()) == _normal(expected)
    if value == "school":
        form = Quick(data)
        assert form.is_valid()
        assert form.cleaned_data["school"] == schools[1]
