"""Show coaching rich text, cleaned again on the way out by the one sanitiser."""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from coaching import richtext

register = template.Library()


@register.filter
def coaching_html(value: str) -> SafeString:
    return mark_safe(richtext.sanitise(value))  # noqa: S308 - cleaned to the allow-list just now


@register.simple_tag
def listed_log_rows(logs) -> SafeString:
    """The table rows of a page of listed logs (coaching.selectors.ListedLog), written here rather
    than through the template row by row: the same markup, every value escaped, for a list drawn
    fifty rows at a time."""
    return format_html_join(
        "\n",
        '<tr class="govuk-table__row"><td class="govuk-table__cell">{}</td>'
        '<td class="govuk-table__cell"><time datetime="{}">{}</time></td>'
        '<td class="govuk-table__cell">{}</td><td class="govuk-table__cell">{}</td>'
        '<td class="govuk-table__cell"><a class="govuk-link" href="{}">Read<span class="govuk-visually-hidden">'
        " the log of {} with {}</span></a></td></tr>",
        (
            (
                log.participant,
                log.iso,
                log.day,
                log.kind,
                format_html_join(mark_safe("<br>"), "{}", ((area,) for area in log.content_areas)),
                log.url,
                log.day,
                log.participant,
            )
            for log in logs
        ),
    )
