"""Widgets and choice fields for forms drawn on every request of a busy page (the filters above
long lists)."""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

_SELECTED = mark_safe(" selected")


def _attributes(attrs: dict) -> str:
    """The attributes as Django's attrs.html writes them, in their order (True is a bare name)."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False and value is not None
        ),
    )


class QuickSelect(forms.Select):
    """A plain select (no option groups) whose options are written here rather than through a
    template each: the same markup, for the filters of long lists, drawn on every page of them."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = [option for _, group, _ in widget["optgroups"] for option in group]
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            _attributes(widget["attrs"]),
            format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    ("" if o["value"] is None else o["value"], _SELECTED if o["selected"] else "", o["label"])
                    for o in options
                ),
            ),
        )


class _ReadOnceIterator(ModelChoiceIterator):
    """The options read in one ordinary query. Django's iterator reads them with `.iterator()`,
    which on PostgreSQL is a server-side cursor: four round trips (declare, fetch, fetch, close)
    to read a dozen rows, on every page of a list."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class QuickModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField for a short list of options (content areas, standards, cohorts) drawn
    with QuickSelect, its options read in one plain query. Validation is Django's."""

    iterator = _ReadOnceIterator
    widget = QuickSelect
