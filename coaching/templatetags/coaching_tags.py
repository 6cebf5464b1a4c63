"""Show coaching rich text, cleaned again on the way out by the one sanitiser."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from coaching import richtext

register = template.Library()


@register.filter
def coaching_html(value: str) -> SafeString:
    return mark_safe(richtext.sanitise(value))  # noqa: S308 - cleaned to the allow-list just now
