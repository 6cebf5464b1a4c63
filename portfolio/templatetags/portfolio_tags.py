"""Links that page through one list of the portfolio while keeping the filters and the others' pages."""

from django import template
from django.http import QueryDict

register = template.Library()


@register.simple_tag
def page_url(query: QueryDict, param: str, number: int) -> str:
    kept = query.copy()
    kept[param] = str(number)
    return f"?{kept.urlencode()}"
