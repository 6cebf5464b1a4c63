"""Give a Django widget GOV.UK Frontend's classes and link it to its hint and errors."""

from django import template

register = template.Library()

_CLASSES = {
    "text": "govuk-input",
    "email": "govuk-input",
    "password": "govuk-input",
    "number": "govuk-input govuk-input--width-5",
    "date": "govuk-input govuk-input--width-10",
    "url": "govuk-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "selectmultiple": "govuk-select",
    "checkbox": "govuk-checkboxes__input",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
}


@register.simple_tag
def govuk_widget(field):
    widget_type = field.widget_type
    css = _CLASSES.get(widget_type, "govuk-input")
    if field.errors and widget_type not in ("checkbox",):
        css += f" {css.split()[0]}--error"
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    described += [f"{field.auto_id}-error-{i}" for i in range(1, len(field.errors) + 1)]
    attrs = {"class": css}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def page_href(context, param: str, number: int) -> str:
    """A link to another page of a list: this request's filters, with the page number changed."""
    query = context["request"].GET.copy()
    query[param] = number
    return "?" + query.urlencode()
