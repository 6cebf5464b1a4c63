"""Widgets for forms drawn on every request of a busy page."""

from django import forms
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
