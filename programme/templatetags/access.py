"""Templates ask the access policy too: {% allowed user "change" record as may_change %}."""

from django import template

from programme import access

register = template.Library()


@register.simple_tag
def allowed(user, action, record) -> bool:
    return access.can(user, action, record)
