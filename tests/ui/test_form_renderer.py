"""Every Django form renders as GOV.UK form groups: labels tied to fields, errors beside them,
choices grouped in a fieldset with a legend, and what was typed kept."""

from django import forms


class SampleForm(forms.Form):
    name = forms.CharField(help_text="As it appears on your certificate.")
    areas = forms.MultipleChoiceField(
        choices=[("1", "Teaching and learning"), ("2", "Subject and curriculum")],
        widget=forms.CheckboxSelectMultiple,
    )
    setting = forms.ChoiceField(
        choices=[("own", "Own school"), ("partner", "Partner school")], widget=forms.RadioSelect
    )
    agreed = forms.BooleanField(required=False)


def test_text_field_has_label_hint_and_error_linked():
    html = str(SampleForm(data={"name": ""})["name"].as_field_group())
    assert '<label class="govuk-label" for="id_name">Name</label>' in html
    assert 'id="id_name-hint"' in html
    assert "govuk-input--error" in html
    assert 'aria-describedby="id_name-hint id_name-error-1"' in html


def test_checkbox_choices_are_a_fieldset_with_a_legend_and_keep_what_was_ticked():
    html = str(SampleForm(data={"areas": ["2"]})["areas"].as_field_group())
    assert '<fieldset class="govuk-fieldset"' in html
    assert "<legend" in html
    assert 'class="govuk-checkboxes__input" id="id_areas_0"' in html
    assert 'for="id_areas_1">Subject and curriculum</label>' in html
    assert 'value="2" checked' in html
    assert 'value="1" checked' not in html
    assert 'for=""' not in html


def test_radio_choices_are_govuk_radios():
    html = str(SampleForm(data={})["setting"].as_field_group())
    assert 'class="govuk-radios__input"' in html
    assert "govuk-form-group--error" in html
    assert "Error:</span> This field is required." in html


def test_a_label_that_already_says_optional_is_not_marked_twice():
    class Form(forms.Form):
        time = forms.TimeField(label="Time of the next session (optional)", required=False)

    html = str(Form()["time"].as_field_group())
    assert html.count("(optional)") == 1
