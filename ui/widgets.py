"""Widgets and choice fields for forms drawn on every request of a busy page (the filters above
long lists)."""

import html

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeData, mark_safe


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
    """A plain select (no option groups) whose options are written here in one pass over its
    choices, rather than as a context dictionary and a template each: the same markup, for the
    filters of long lists (600 schools, 900 coaches), drawn on every page of them."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options, has_selected = [], False
        for option_value, label in self.choices:
            option_value = "" if option_value is None else str(option_value)
            # As Django's Select: only the first option with the value is selected.
            selected = not has_selected and option_value in chosen
            has_selected |= selected
            mark = " selected" if selected else ""
            # The standard library's escape, as Django's does, without its wrapper for lazy text:
            # a thousand labels are escaped on every page.
            text = label if isinstance(label, SafeData) else html.escape(str(label))
            options.append(f'<option value="{html.escape(option_value)}"{mark}>{text}</option>')
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            _attributes(self.build_attrs(self.attrs, attrs)),
            mark_safe("".join(options)),  # noqa: S308 (each value and label is escaped above)
        )


class _ReadOnceIterator(ModelChoiceIterator):
    """The options read in one ordinary query. Django's iterator reads them with `.iterator()`,
    which on PostgreSQL is a server-side cursor: four round trips (declare, fetch, fetch, close)
    to read a dozen rows, on every page of a list. With the field's `label_columns`, only those
    columns are read, and no model is made for an option (900 coaches on every page)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.label_columns:
            label = self.field.label_of
            for pk, *columns in self.queryset.values_list("pk", *self.field.label_columns):
                yield (pk, label(*columns))
            return
        for obj in self.queryset.all():
            yield self.choice(obj)


class QuickModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField for a list of options (content areas, cohorts, schools, coaches) drawn
    with QuickSelect, its options read in one plain query. Given `label_columns` and `label_of`
    (those columns' values to the option's words), an option is read as those columns alone.
    Validation is Django's (the value chosen is looked up in the queryset)."""

    iterator = _ReadOnceIterator
    widget = QuickSelect

    def __init__(self, *args, label_columns: tuple[str, ...] = (), label_of=None, **kwargs):
        self.label_columns = label_columns
        self.label_of = label_of or (lambda *columns: " ".join(str(c) for c in columns))
        super().__init__(*args, **kwargs)
