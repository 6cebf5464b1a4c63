from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    """`{{ form }}` and `{{ field.as_field_group }}` render as GOV.UK form groups."""

    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"
